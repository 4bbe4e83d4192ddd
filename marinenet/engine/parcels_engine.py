"""The Parcels v4 engine: reference implementation and route for custom kernels.

Passive drift is RK4 (``parcels.kernels.AdvectionRK4``) on a spherical mesh, followed by
:func:`~marinenet.engine._parcels_kernels.StopAtCoastOrEdge`.

Land handling: Parcels replaces NaN (land) velocities with 0 by default, which would make
particles silently stall at the coast. We do that replacement ourselves (so the advection
sees a no-slip coast) but *also* give Parcels a ``landmask`` field; a particle whose next
step ends where the interpolated mask is >= 0.5 is stopped at its last wet position and
reported ``stranded``. Within the last half grid cell before the coast the interpolated
velocity tapers towards zero, so a particle heading straight at the coast slows down
there (≈1 h at 0.5 m/s on a 0.1° grid) before it is stranded; coast-parallel flow one cell
offshore is not slowed at all. Particles that reach the edge of the grid are reported
``out_of_domain`` instead of raising.
"""

from __future__ import annotations

import contextlib
import logging
import time as _time
import warnings
from collections.abc import Iterator

import numpy as np
import parcels
import xarray as xr
from parcels._core.particle import get_default_particle

from ._parcels_kernels import StopAtCoastOrEdge
from .base import EngineRequest, ProgressCallback, Trajectories

__all__ = ["run_parcels", "make_fieldset"]

log = logging.getLogger(__name__)

#: metres per degree of latitude used by Parcels' spherical mesh (1852 m × 60)
PARCELS_DEG2M = 1852.0 * 60.0


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


def make_fieldset(ocean: xr.Dataset) -> parcels.FieldSet:
    """Parcels FieldSet with ``U``, ``V`` (NaN → 0) and ``landmask`` from the canonical Dataset."""
    ds = ocean
    if ds.sizes["time"] == 1:  # steady currents: Parcels needs a time interval
        t0 = ds["time"].values[0]
        ds = xr.concat([ds, ds.assign_coords(time=[t0 + np.timedelta64(3650, "D")])], dim="time")
    u = ds["u"].transpose("time", "lat", "lon").fillna(0.0).astype(np.float64)
    v = ds["v"].transpose("time", "lat", "lon").fillna(0.0).astype(np.float64)
    land = ds["land"].astype(np.float64).broadcast_like(u).transpose("time", "lat", "lon")
    coords = {
        "time": ("time", ds["time"].values, {"axis": "T", "standard_name": "time"}),
        "lat": ("lat", ds["lat"].values.astype(np.float64), {"axis": "Y", "standard_name": "latitude"}),
        "lon": ("lon", ds["lon"].values.astype(np.float64), {"axis": "X", "standard_name": "longitude"}),
    }
    dims = ("time", "lat", "lon")
    fields = {
        "U": xr.DataArray(u.values, coords=coords, dims=dims),
        "V": xr.DataArray(v.values, coords=coords, dims=dims),
        "landmask": xr.DataArray(np.ascontiguousarray(land.values), coords=coords, dims=dims),
    }
    sg = parcels.convert.copernicusmarine_to_sgrid(fields=fields)
    return parcels.FieldSet.from_sgrid_conventions(sg, mesh="spherical", skip_field_data_validation=True)


def run_parcels(request: EngineRequest, progress: ProgressCallback | None = None) -> Trajectories:
    """Track particles with Parcels; positions are stored every ``output_every``."""
    n = request.lon.size
    out_times = request.output_times
    n_obs = out_times.size
    lon_out = np.full((n, n_obs), np.nan)
    lat_out = np.full((n, n_obs), np.nan)
    lon_out[:, 0], lat_out[:, 0] = request.lon, request.lat
    status = np.zeros(n, dtype=np.int8)
    end_lon, end_lat = request.lon.astype(float).copy(), request.lat.astype(float).copy()
    end_time = np.full(n, out_times[-1], dtype="datetime64[ns]")

    with _quiet_parcels():
        fieldset = make_fieldset(request.ocean)
        pclass = get_default_particle(np.float64).add_variable(
            [parcels.Variable("mn_status", dtype=np.int32)]
        )
        pset = parcels.ParticleSet(
            fieldset,
            pclass,
            x=np.asarray(request.lon, dtype=np.float64),
            y=np.asarray(request.lat, dtype=np.float64),
            t=np.full(n, np.datetime64(request.start, "ns")),
            particle_ids=np.arange(n),
        )
        origin = fieldset.time_interval.left
        kernels = [parcels.kernels.AdvectionRK4, StopAtCoastOrEdge]
        dt = np.timedelta64(int(round(request.dt * 1e9)), "ns")
        t_start = _time.perf_counter()
        for k in range(1, n_obs):
            if len(pset) > 0:
                pset.execute(kernels, dt=dt, endtime=out_times[k], verbose_progress=False)
            ids = np.asarray(pset.particle_id, dtype=np.int64)
            x, y = np.asarray(pset.x, dtype=float), np.asarray(pset.y, dtype=float)
            st = np.asarray(pset.mn_status)
            live = st == 0
            lon_out[ids[live], k], lat_out[ids[live], k] = x[live], y[live]
            end_lon[ids], end_lat[ids] = x, y
            stopped = np.flatnonzero(~live)
            if stopped.size:
                status[ids[stopped]] = st[stopped]
                t_stop = np.asarray(pset.t, dtype=float)[stopped]
                end_time[ids[stopped]] = origin + (t_stop * 1e9).astype("timedelta64[ns]")
                pset.remove_indices(stopped)
            if progress is not None:
                progress(float((out_times[k] - out_times[0]) / np.timedelta64(1, "s")), request.duration)
        engine_seconds = _time.perf_counter() - t_start

    tracked = (end_time - np.datetime64(request.start, "ns")) / np.timedelta64(1, "s")
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
        particle_steps=steps,
        engine_seconds=engine_seconds,
    )
