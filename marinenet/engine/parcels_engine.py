"""The Parcels v4 engine: reference implementation and route for custom kernels.

Passive drift is RK4 (Parcels' ``AdvectionRK4``, or ``AdvectionRK4_3D`` on 3-D currents with
``w``, as :func:`~marinenet.engine._parcels_kernels.AdvectionRK4Edges` with the edge test
Parcels lacks on the west and south) on a spherical mesh; behaviour kernels follow, then
:func:`~marinenet.engine._parcels_kernels.CoastAndEdge` (or its slip variant).

Land handling: Parcels replaces NaN (land) velocities with 0 by default, which would make
particles silently stall at the coast. We do that replacement ourselves (so the advection
sees a no-slip coast) but *also* give Parcels a ``landmask`` and an ``outside`` field; a
particle whose drift step ends where the interpolated land mask is >= 0.5 is stopped at its
last wet position and reported ``stranded`` (a random-walk step onto land keeps only its
drift). Within the last half grid cell before the coast the interpolated
velocity tapers towards zero, so a particle heading straight at the coast slows down
there (≈1 h at 0.5 m/s on a 0.1° grid) before it is stranded; coast-parallel flow one cell
offshore is not slowed at all. Particles that reach the edge of the grid, or where the
interpolated ``outside`` field is >= 0.5, are reported ``out_of_domain`` instead of raising.
"""

from __future__ import annotations

import contextlib
import logging
import time as _time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import parcels
import xarray as xr
from parcels._core.particle import get_default_particle

from ..behaviour import mortality
from ..behaviour.registry import resolve, unsupported
from ._common import PARCELS_DEG2M, slip_fill
from ._parcels_kernels import AdvectionRK4Edges, AdvectionRK4Edges3D, Age
from .base import EngineRequest, ProgressCallback, Status, StepObserver, Trajectories
from .custom import kernel_variables
from .stepping import handback_times, per_step, settling

__all__ = ["run_parcels", "make_fieldset"]

log = logging.getLogger(__name__)


@contextlib.contextmanager
def _quiet_parcels() -> Iterator[None]:
    """Route Parcels' INFO chatter (it prints to stdout) to our log instead."""
    plog = parcels.logger
    old_level, old_handlers, old_prop = plog.level, list(plog.handlers), plog.propagate
    for h in old_handlers:
        plog.removeHandler(h)
    plog.propagate = True  # to the 'parcels' → root chain, where run.log listens
    plog.setLevel(logging.INFO)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", parcels.FieldSetWarning)
            warnings.simplefilter("ignore", parcels.ParticleSetWarning)
            warnings.simplefilter("ignore", parcels.FieldEvalWarning)
            yield
    finally:
        plog.propagate = old_prop
        plog.setLevel(old_level)
        for h in old_handlers:
            plog.addHandler(h)


def make_fieldset(ocean: xr.Dataset, coast: str = "stop", extra: dict | None = None) -> parcels.FieldSet:
    """Parcels FieldSet with ``U``, ``V`` and ``landmask`` from the canonical Dataset.

    ``landmask`` is 1 on land, 0 elsewhere; ``outside`` is 1 outside the model domain, 0
    elsewhere (separate fields: see :func:`~._parcels_kernels._place`). Land velocities
    are 0 (no-slip), or for ``coast='slip'`` those of the nearest water cell (free-slip:
    the flow along the coast is not damped). ``extra``: more (lat, lon) fields by name
    (the behaviours' ``parcels_fields``).
    """
    ds = ocean
    if ds.sizes["time"] == 1:  # steady currents: Parcels needs a time interval
        t0 = ds["time"].values[0]
        ds = xr.concat([ds, ds.assign_coords(time=[t0 + np.timedelta64(3650, "D")])], dim="time")
    three = "depth" in ds.dims
    dims = ("time", "depth", "lat", "lon") if three else ("time", "lat", "lon")
    land_mask = ds["land"].values.astype(bool)
    land_full = ds["land3d"].transpose("depth", "lat", "lon").values.astype(bool) if three else land_mask
    outside_mask = ds["outside"].values.astype(bool) if "outside" in ds else np.zeros_like(land_mask)
    coords = {
        "time": ("time", ds["time"].values, {"axis": "T", "standard_name": "time"}),
        "lat": ("lat", ds["lat"].values.astype(np.float64), {"axis": "Y", "standard_name": "latitude"}),
        "lon": ("lon", ds["lon"].values.astype(np.float64), {"axis": "X", "standard_name": "longitude"}),
    }
    if three:
        coords["depth"] = ("depth", ds["depth"].values.astype(np.float64), {"axis": "Z", "positive": "down"})
    u = _velocity(ds["u"].transpose(*dims), land_mask if coast == "slip" else None)
    fields = {
        "U": xr.DataArray(u.data, coords=coords, dims=dims),
        "V": xr.DataArray(_velocity(ds["v"].transpose(*dims), land_mask if coast == "slip" else None).data,
                          coords=coords, dims=dims),
        "landmask": xr.DataArray(_over_time(land_full, u.data), coords=coords, dims=dims),
    }  # fmt: skip
    if outside_mask.any():
        fields["outside"] = xr.DataArray(_over_time(outside_mask, u.data), coords=coords, dims=dims)
    if three and "w" in ds:  # upward positive; the converter turns it into Parcels' downward W
        fields["W"] = xr.DataArray(_velocity(ds["w"].transpose(*dims), None).data, coords=coords, dims=dims)
    if extra:
        for name, arr in extra.items():
            fields[name] = xr.DataArray(_over_time(arr, u.data), coords=coords, dims=dims)
    sg = parcels.convert.copernicusmarine_to_sgrid(fields=fields)
    fs = parcels.FieldSet.from_sgrid_conventions(sg, mesh="spherical", skip_field_data_validation=True)
    if u.chunks is not None:  # streamed: Parcels holds the time levels its steps need, not the window
        fs.to_windowed_arrays()
    depths = ds["depth"].values if three else np.array([0.0])
    fs.add_context("depth_top", float(depths.min()))
    fs.add_context("depth_bottom", float(depths.max()))
    step = min(
        float(np.min(np.abs(np.diff(coords["lon"][1])))), float(np.min(np.abs(np.diff(coords["lat"][1]))))
    )
    fs.add_context("mask_h", 0.25 * step)
    fs.add_context("has_outside", bool(outside_mask.any()))
    for name in ("x", "y"):  # the grid's extent: a position off it is out of the domain on any side
        axis = coords["lon" if name == "x" else "lat"][1]
        fs.add_context(f"{name}_min", float(axis.min()))
        fs.add_context(f"{name}_max", float(axis.max()))
    return fs


def _velocity(da: xr.DataArray, slip_land: np.ndarray | None) -> xr.DataArray:
    """A velocity as Parcels reads it: float64, land 0 (or slip-filled), per time slice, so that it
    stays lazy (read by Parcels a few time levels at a time) when the currents are streamed."""
    a = da.astype(np.float64)
    if slip_land is not None:
        a = xr.apply_ufunc(
            slip_fill, a, kwargs={"land": slip_land}, dask="parallelized", output_dtypes=[np.float64]
        )
    return a.fillna(0.0)


def _over_time(static: np.ndarray, like) -> np.ndarray:
    """A static (..., lat, lon) field repeated over the time axis of ``like`` (numpy or dask): a view
    in memory, or lazy blocks when ``like`` is lazy."""
    values = np.asarray(static, np.float64)
    if hasattr(like, "chunks") and not isinstance(like, np.ndarray):
        import dask.array as dsa

        return dsa.broadcast_to(values, like.shape, chunks=like.chunks)
    return np.ascontiguousarray(np.broadcast_to(values, like.shape))


def _with_halo(ocean: xr.Dataset, output_every: float) -> tuple[xr.Dataset, float]:
    """Pad a zonally periodic (global) grid with wrapped columns on both sides.

    The halo is as wide as the fastest current can carry a particle in one output
    interval at 80° latitude (at least 5°, at most 180°); particles are wrapped back into
    the original 360° between output intervals.
    """
    lon = ocean["lon"].values
    step = float(np.median(np.diff(lon)))
    vmax = float(np.hypot(ocean["u"], ocean["v"]).max().compute())  # block by block when streamed
    halo_deg = float(np.clip(vmax * output_every / (PARCELS_DEG2M * np.cos(np.deg2rad(80.0))), 5.0, 180.0))
    h = min(int(np.ceil(halo_deg / step)), lon.size)
    west = ocean.isel(lon=slice(lon.size - h, None)).assign_coords(lon=lon[-h:] - 360.0)
    east = ocean.isel(lon=slice(0, h)).assign_coords(lon=lon[:h] + 360.0)
    padded = xr.concat(
        [west, ocean, east], dim="lon", data_vars="minimal", coords="minimal", compat="override"
    )
    padded["land"] = xr.concat([west["land"], ocean["land"], east["land"]], dim="lon")
    return padded, float(lon[0])


@dataclass
class _Fates:
    """Per-particle results filled in while Parcels runs (arrays indexed by particle id)."""

    status: np.ndarray
    end_lon: np.ndarray
    end_lat: np.ndarray
    end_time: np.ndarray
    coast_contacts: np.ndarray
    weight: np.ndarray
    lon_out: np.ndarray
    lat_out: np.ndarray
    z_out: np.ndarray
    devel: np.ndarray  # development age (temperature-dependent larvae), else zeros


def _execute(pset, kernels, request, origin, fates: _Fates, observer, wrap_from, progress) -> None:
    """Run ``pset`` to the end, stopping at every hand-back time (every step, or every output)."""
    out_times, releases = request.output_times, request.releases
    three = "depth" in request.ocean.dims
    dt = np.timedelta64(int(round(request.dt * 1e9)), "ns")
    stepwise = per_step(request, observer)
    stops_s, out_at = handback_times(request, stepwise)
    stops = np.datetime64(request.start, "ns") + (stops_s * 1e9).astype("timedelta64[ns]")
    output_of = np.full(stops.size, -1, np.int64)
    output_of[out_at] = np.arange(out_times.size)
    before = (releases - origin) / np.timedelta64(1, "s")  # each particle's time before its next step
    ids = np.asarray(pset.particle_id, dtype=np.int64)
    if observer is not None:
        observer.released(ids, np.asarray(pset.x, dtype=float), np.asarray(pset.y, dtype=float))
    at_release = settling(request, np.asarray(pset.x), np.asarray(pset.y), np.zeros(ids.size))
    if at_release.any():
        fates.status[ids[at_release]] = Status.SETTLED
        fates.end_time[ids[at_release]] = releases[ids[at_release]]
        fates.lon_out[ids[at_release], 0] = fates.lat_out[ids[at_release], 0] = np.nan
        pset.remove_indices(np.flatnonzero(at_release))
    for i in range(1, stops.size):
        if len(pset) == 0:
            break
        pset.execute(kernels, dt=dt, endtime=stops[i], verbose_progress=False)
        if wrap_from is not None:  # back into the original 360°
            pset.x = (np.asarray(pset.x) - wrap_from) % 360.0 + wrap_from
        ids = np.asarray(pset.particle_id, dtype=np.int64)
        x, y = np.asarray(pset.x, dtype=float), np.asarray(pset.y, dtype=float)
        st = np.asarray(pset.mn_status).copy()
        t = np.asarray(pset.t, dtype=float)
        warm = mortality.thermal(request.larva)
        if warm:
            fates.devel[ids] = np.asarray(pset.mn_devel, dtype=float)
        if stepwise:
            moved = np.flatnonzero(t > before[ids])
            age = np.asarray(pset.age, dtype=float)[moved]
            if observer is not None and moved.size:
                weighted = mortality.weighted(request.larva)
                w = np.asarray(pset.weight, dtype=float)[moved] if weighted else None
                observer.stepped(ids[moved], x[moved], y[moved], t[moved] - before[ids[moved]], age, w)
            clock = mortality.clock(request.larva, age, fates.devel[ids[moved]])
            st[moved[settling(request, x[moved], y[moved], clock)]] = Status.SETTLED
            before[ids] = t
        k = output_of[i]
        if k >= 0:
            live = (st == 0) & (releases[ids] <= out_times[k])
            fates.lon_out[ids[live], k], fates.lat_out[ids[live], k] = x[live], y[live]
            if three:
                fates.z_out[ids[live], k] = np.asarray(pset.z, dtype=float)[live]
        fates.end_lon[ids], fates.end_lat[ids] = x, y
        fates.coast_contacts[ids] = np.asarray(pset.mn_coast)
        fates.weight[ids] = np.asarray(pset.weight)
        stopped = np.flatnonzero(st != 0)
        if stopped.size:
            finished = st[stopped] == Status.FINISHED  # tracked for its whole duration: reported active
            fates.status[ids[stopped]] = np.where(finished, 0, st[stopped])
            fates.end_time[ids[stopped]] = origin + (t[stopped] * 1e9).astype("timedelta64[ns]")
            pset.remove_indices(stopped)
        if progress is not None and k >= 0:
            progress(float(stops_s[i]), request.span)


def run_parcels(
    request: EngineRequest, progress: ProgressCallback | None = None, observer: StepObserver | None = None
) -> Trajectories:
    """Track particles with Parcels; positions are stored every ``output_every``.

    With an ``observer``, or larvae that settle, Parcels hands control back after every step
    (:mod:`~marinenet.engine.stepping`), as the fast engine does.

    Each particle starts at its own release time and is tracked for ``duration`` (or until
    it strands, leaves the domain, settles or dies); before its release and after its end
    its positions are missing.
    """
    n = request.lon.size
    out_times = request.output_times
    n_obs = out_times.size
    releases = request.releases
    lon_out = np.full((n, n_obs), np.nan)
    lat_out = np.full((n, n_obs), np.nan)
    z_out = np.full((n, n_obs), np.nan)
    first = releases == out_times[0]
    lon_out[first, 0], lat_out[first, 0] = request.lon[first], request.lat[first]
    status = np.zeros(n, dtype=np.int8)
    end_lon, end_lat = request.lon.astype(float).copy(), request.lat.astype(float).copy()
    end_time = releases + np.timedelta64(int(round(request.duration * 1e9)), "ns")
    coast_contacts = np.zeros(n, dtype=np.int32)
    weight = np.ones(n)
    larva = request.larva

    with _quiet_parcels():
        ocean, wrap_from = request.ocean, None
        if request.ocean.attrs.get("zonal_periodic"):
            ocean, wrap_from = _with_halo(request.ocean, request.output_every)
        why = unsupported("parcels", request.ocean, request.behaviours)
        if why:
            raise ValueError(why)
        plugins = [(b, p) for b, p in resolve(request) if p.on > 0]
        extra: dict[str, np.ndarray] = {}
        for b, p in plugins:
            fields = getattr(b, "parcels_fields", None)
            extra.update(fields(p) if fields is not None else {})
        fieldset = make_fieldset(ocean, request.coast, extra)
        three = "depth" in ocean.dims
        if three:
            z_out[first, 0] = np.clip(request.depth, fieldset.depth_top, fieldset.depth_bottom)
        rng = np.random.default_rng([request.seed, 20260101])
        fieldset.add_context("max_age", float(request.duration))
        fieldset.add_context("rng", rng)
        fieldset.add_context("deg2m", PARCELS_DEG2M)
        variables = [
            parcels.Variable("mn_status", dtype=np.int32),
            parcels.Variable("mn_coast", dtype=np.int32),
            parcels.Variable("age", dtype=np.float64),
            parcels.Variable("weight", dtype=np.float64, initial=1.0),
            parcels.Variable("dev", dtype=np.float64),
            parcels.Variable("mn_rx", dtype=np.float64),  # the step's random-walk part (coast rule)
            parcels.Variable("mn_ry", dtype=np.float64),
        ]
        own: dict[str, float] = {}
        for b, p in plugins:  # the behaviours' own per-particle variables (e.g. development age)
            add_vars = getattr(b, "parcels_variables", None)
            own.update(add_vars(p) if add_vars is not None else {})
        for name, initial in (kernel_variables(request.kernels) | own).items():
            variables.append(parcels.Variable(name, dtype=np.float64, initial=initial))
        pclass = get_default_particle(np.float64).add_variable(variables)
        pset = parcels.ParticleSet(
            fieldset,
            pclass,
            x=np.asarray(request.lon, dtype=np.float64),
            y=np.asarray(request.lat, dtype=np.float64),
            t=releases,
            particle_ids=np.arange(n),
            **(
                {"z": np.full(n, np.clip(request.depth, fieldset.depth_top, fieldset.depth_bottom))}
                if three
                else {}
            ),
        )
        origin = fieldset.time_interval.left
        advection = AdvectionRK4Edges3D if three and "w" in ocean else AdvectionRK4Edges
        kernels = [Age, advection, *request.kernels]
        for b, p in plugins:
            add = getattr(b, "parcels_kernels", None)
            kernels += add(p, fieldset) if add is not None else []
        devel = np.zeros(n)
        fates = _Fates(status, end_lon, end_lat, end_time, coast_contacts, weight, lon_out, lat_out, z_out, devel)
        t_start = _time.perf_counter()
        _execute(pset, kernels, request, origin, fates, observer, wrap_from, progress)
        engine_seconds = _time.perf_counter() - t_start

    if larva is not None:  # larvae that reached their PLD at the very end of the run are unsettled too
        age = (end_time - releases) / np.timedelta64(1, "s")
        at_pld = (status == 0) & (mortality.clock(larva, age, devel) >= larva.pld - 1e-6)
        status[at_pld] = Status.UNSETTLED
    tracked = (end_time - releases) / np.timedelta64(1, "s")
    steps = int(np.sum(np.ceil(tracked / request.dt - 1e-9)) + np.sum(status != 0))
    return Trajectories(
        times=out_times,
        lon=lon_out,
        lat=lat_out,
        status=status,
        end_lon=end_lon,
        end_lat=end_lat,
        end_time=end_time,
        engine="parcels",
        coast_contacts=coast_contacts,
        weight=weight if mortality.weighted(larva) else None,
        release_time=releases,
        depth=z_out if "depth" in request.ocean.dims else None,
        particle_steps=steps,
        engine_seconds=engine_seconds,
    )
