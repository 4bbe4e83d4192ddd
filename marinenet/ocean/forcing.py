"""Wind (``ocean.wind``) and waves (``ocean.waves``): read as :class:`~marinenet.ocean.extra.ExtraField`.

The same rules as the currents (:mod:`marinenet.ocean.reader`): variables found by CF
``standard_name``, then by the names of the usual products (ERA5 ``u10``/``v10``, CMEMS wave
products ``VSDX``/``VSDY``), or named by ``ocean.wind_variables`` / ``ocean.waves_variables``;
units checked (m/s; cm/s and knots converted, said in the log; anything else refused); the
field's own regular lon/lat grid and time axis (interpolated to the particles by the engines);
opened lazily, and only the time window and the currents' region are read; a time window the
files do not cover is refused naming the files and the missing dates.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import xarray as xr

from .._paths import source_files
from ..errors import InputDataError
from .extra import ExtraField
from .lonframe import frame_longitudes
from .reader import UNIT_FACTORS, _coord_name
from .timeaxis import _decode_time, _time_dim

__all__ = ["Kind", "WIND", "WAVES", "open_forcing"]

log = logging.getLogger(__name__)

_KNOTS = dict.fromkeys(["kn", "kt", "knot", "knots", "kts"], 1852.0 / 3600.0)


@dataclass(frozen=True)
class Kind:
    """What a forcing file holds and how its variables are found."""

    key: str  # the scenario key: ocean.<key>
    name: str  # the ExtraField's name
    what: str  # for messages
    standard: tuple[tuple[str, str], ...]
    products: tuple[tuple[str, str], ...]


WIND = Kind(
    "wind",
    "wind",
    "10 m wind",
    (("eastward_wind", "northward_wind"),),
    (("u10", "v10"), ("U10", "V10"), ("u10m", "v10m"), ("uas", "vas")),
)
WAVES = Kind(
    "waves",
    "waves",
    "sea-surface Stokes drift",
    (("sea_surface_wave_stokes_drift_x_velocity", "sea_surface_wave_stokes_drift_y_velocity"),),
    (("VSDX", "VSDY"), ("vsdx", "vsdy"), ("ust", "vst"), ("uuss", "vuss")),
)


def _names(ds: xr.Dataset, kind: Kind, override: dict | None, source: str) -> tuple[str, str]:
    listing = ", ".join(f"{n} (standard_name={ds[n].attrs.get('standard_name', '-')})" for n in ds.data_vars)
    if override:
        missing = [override.get(c) for c in ("u", "v") if override.get(c) not in ds.data_vars]
        if missing:
            raise InputDataError(
                f"ocean.{kind.key}_variables names {missing} not found in {source!r}; the file has: {listing}"
            )
        return override["u"], override["v"]
    by_std = {ds[n].attrs.get("standard_name"): str(n) for n in ds.data_vars}
    for su, sv in kind.standard:
        if su in by_std and sv in by_std:
            return by_std[su], by_std[sv]
    for un, vn in kind.products:
        if un in ds.data_vars and vn in ds.data_vars:
            return un, vn
    std = " / ".join(kind.standard[0])
    prod = ", ".join("/".join(p) for p in kind.products)
    raise InputDataError(
        f"ocean.{kind.key} {source!r}: no {kind.what} variables found: expected CF standard_name {std} "
        f"(or {prod}). The file has: {listing or 'no variables'}. Name them with "
        f"'ocean: {{{kind.key}_variables: {{u: NAME, v: NAME}}}}'."
    )


def _factor(da: xr.DataArray, name: str, kind: Kind, source: str) -> float:
    units = da.attrs.get("units")
    if units is None:
        log.warning("%s variable %r of %s has no 'units' attribute; assuming m/s", kind.what, name, source)
        return 1.0
    key = " ".join(str(units).strip().split())
    if key in UNIT_FACTORS:
        factor = UNIT_FACTORS[key]
    elif key.lower() in _KNOTS:
        factor = _KNOTS[key.lower()]
    else:
        raise InputDataError(
            f"ocean.{kind.key} {source!r}: variable {name!r} has units {units!r}; expected m/s "
            "('m s-1'), or cm/s or knots (converted)"
        )
    if factor != 1.0:
        log.info(
            "%s variable %r of %s: units %r converted to m/s (x %g)", kind.what, name, source, units, factor
        )
    return factor


def _open(files: list[str], kind: Kind, source: str, chunks: dict | None = None) -> xr.Dataset:
    """The files, lazily; in chunks of whole time slices of about the reader's CHUNK_BYTES when the
    files' own chunks are larger (a run reads them a time window at a time)."""
    try:
        if len(files) == 1:
            ds = xr.open_dataset(files[0], chunks=chunks or {}, decode_timedelta=False)
        else:
            ds = xr.open_mfdataset(files, combine="by_coords", decode_timedelta=False, chunks=chunks)
    except (OSError, ValueError) as exc:
        raise InputDataError(f"cannot read ocean.{kind.key} {source!r}: {exc}") from None
    if chunks is None:
        better = _time_chunks(ds)
        return ds if better is None else _open(files, kind, source, better)
    return ds


def _time_chunks(ds: xr.Dataset) -> dict[str, int] | None:
    """Chunks of whole time slices of about CHUNK_BYTES for the largest variable with a time axis, or
    None when the files' own chunks are no larger."""
    from . import reader

    timed = [v for v in ds.data_vars.values() if _time_dim(v) is not None and v.ndim >= 3]
    if not timed:
        return None
    big = max(timed, key=lambda v: v.nbytes)
    tdim = str(_time_dim(big))
    per_slice = max(big.nbytes // max(big.sizes[tdim], 1), 1)
    slices = max(int(reader.CHUNK_BYTES // per_slice), 1)
    own = big.chunksizes.get(tdim) if big.chunks is not None else None
    if own is not None and max(own) <= slices:
        return None
    return {tdim: slices}


def _canonical(da: xr.DataArray, kind: Kind, source: str) -> xr.DataArray:
    """``da`` on (time, lat, lon), ascending, longitudes in one continuous frame; single extra dims dropped."""
    lon_d = _coord_name(da, "longitude", "X", ("lon", "longitude", "x"))
    lat_d = _coord_name(da, "latitude", "Y", ("lat", "latitude", "y"))
    t_d = _time_dim(da) or next((str(d) for d in da.dims if "time" in str(d).lower()), None)
    if lon_d is None or lat_d is None:
        raise InputDataError(
            f"ocean.{kind.key} {source!r}: variable {da.name!r} has dimensions {tuple(da.dims)}; expected "
            "longitude and latitude (a regular lon/lat grid)"
        )
    other = [d for d in da.dims if d not in (lon_d, lat_d, t_d)]
    wide = [f"{d} ({da.sizes[d]})" for d in other if da.sizes[d] > 1]
    if wide:
        raise InputDataError(
            f"ocean.{kind.key} {source!r}: variable {da.name!r} has more than one {', '.join(wide)}; "
            "give one level/member (subset the file first)"
        )
    da = da.isel({d: 0 for d in other}, drop=True)
    if t_d is None:
        raise InputDataError(f"ocean.{kind.key} {source!r}: variable {da.name!r} has no time dimension")
    da = da.rename({t_d: "time", lat_d: "lat", lon_d: "lon"})
    da = da.drop_vars([c for c in da.coords if c not in ("time", "lat", "lon")])
    if da["lat"].size > 1 and da["lat"].values[0] > da["lat"].values[-1]:
        da = da.isel(lat=slice(None, None, -1))
    return da


def _frame(da: xr.DataArray, centre: float) -> tuple[xr.DataArray, bool]:
    """Longitudes continuous and ascending, in the frame nearest the currents' ``centre``."""
    lon, periodic = frame_longitudes(da["lon"].values)
    order = np.argsort(lon, kind="stable")
    lon = lon[order]
    shift = 360.0 * np.round((centre - 0.5 * (lon[0] + lon[-1])) / 360.0)
    da = da.isel(lon=order).assign_coords(lon=lon + shift)
    return da, periodic


def _window(da: xr.DataArray, start, end, kind: Kind, source: str) -> xr.DataArray:
    t = da["time"].values
    if t.size > 1 and np.any(np.diff(t) <= np.timedelta64(0)):
        da = da.sortby("time")
        t = da["time"].values
    if t.size == 1:
        log.info("ocean.%s %s has one time: used as a steady field", kind.key, source)
        return da
    lo, hi = np.datetime64(start, "s"), np.datetime64(end, "s")
    if lo < t[0] or hi > t[-1]:
        missing = []
        if lo < t[0]:
            missing.append(f"{lo} to {np.datetime64(t[0], 's')}")
        if hi > t[-1]:
            missing.append(f"{np.datetime64(t[-1], 's')} to {hi}")
        raise InputDataError(
            f"ocean.{kind.key} {source!r} covers {np.datetime64(t[0], 's')} to {np.datetime64(t[-1], 's')}, "
            f"but the simulation needs {lo} to {hi} (missing: {'; '.join(missing)}); provide {kind.what} "
            "for those dates, or change release.start or simulation.duration"
        )
    i0 = max(int(np.searchsorted(t, np.datetime64(start), side="right")) - 1, 0)
    i1 = min(int(np.searchsorted(t, np.datetime64(end), side="left")) + 1, t.size)
    return da.isel(time=slice(i0, i1))


def _region(da: xr.DataArray, periodic: bool, bounds, kind: Kind, source: str) -> xr.DataArray:
    """Keep the part of the grid over the currents' ``bounds`` (lon0, lat0, lon1, lat1), with one
    cell of margin; refuse a field that does not cover them (by more than half a cell)."""
    x0, y0, x1, y1 = bounds
    lon, lat = da["lon"].values, da["lat"].values
    dx = float(np.median(np.diff(lon))) if lon.size > 1 else 0.0
    dy = float(np.median(np.diff(lat))) if lat.size > 1 else 0.0
    short_lon = not periodic and (x0 < lon[0] - 0.5 * dx - 1e-9 or x1 > lon[-1] + 0.5 * dx + 1e-9)
    short_lat = y0 < lat[0] - 0.5 * dy - 1e-9 or y1 > lat[-1] + 0.5 * dy + 1e-9
    if lon.size > 1 and lat.size > 1 and (short_lon or short_lat):
        raise InputDataError(
            f"ocean.{kind.key} {source!r} covers longitude {lon[0]:g}..{lon[-1]:g}, latitude "
            f"{lat[0]:g}..{lat[-1]:g}, but the currents cover longitude {x0:g}..{x1:g}, latitude "
            f"{y0:g}..{y1:g}: provide {kind.what} over the whole currents' domain"
        )
    if lat.size > 1:
        j0 = max(int(np.searchsorted(lat, y0, side="right")) - 2, 0)
        j1 = min(int(np.searchsorted(lat, y1, side="left")) + 2, lat.size)
        da = da.isel(lat=slice(j0, j1))
    if lon.size > 1 and not periodic:
        i0 = max(int(np.searchsorted(lon, x0, side="right")) - 2, 0)
        i1 = min(int(np.searchsorted(lon, x1, side="left")) + 2, lon.size)
        da = da.isel(lon=slice(i0, i1))
    return da


def open_forcing(
    kind: Kind,
    source: str,
    start: np.datetime64,
    end: np.datetime64,
    bounds: tuple[float, float, float, float],
    variables: dict | None = None,
    currents_periodic: bool = False,
) -> ExtraField:
    """The ``kind`` field of ``source`` (path or glob) over ``[start, end]`` and the currents' ``bounds``.

    Raises :class:`~marinenet.errors.InputDataError` (exit code 2) naming the file and what is
    wrong: no file, no variables of that kind, unknown units, a grid that is not regular lon/lat,
    missing dates or a region not covered.
    """
    files = source_files(source)
    if not files:
        raise InputDataError(f"ocean.{kind.key} {source!r} matches no file")
    ds = _open(files, kind, source)
    uname, vname = _names(ds, kind, variables, source)
    comps = []
    for name in (uname, vname):
        da = ds[name]
        factor = _factor(da, name, kind, source)
        tname = _time_dim(da) or "time"
        if tname in da.dims:
            da = _decode_time(da.to_dataset(name="_f"), tname, source, None)["_f"].rename(name)
        comps.append(_canonical(da, kind, source) * factor)
    u, v = comps
    centre = 0.5 * (bounds[0] + bounds[2])
    u, periodic = _frame(u, centre)
    v, _ = _frame(v, centre)
    if currents_periodic and not periodic:
        raise InputDataError(
            f"ocean.{kind.key} {source!r} does not go round the globe, but the currents do: "
            f"provide global {kind.what}"
        )
    u, v = (_window(c, start, end, kind, source) for c in (u, v))
    u, v = (_region(c, periodic, bounds, kind, source) for c in (u, v))
    u, v = (c.expand_dims(depth=[0.0]).transpose("time", "depth", "lat", "lon") for c in (u, v))
    log.info(
        "%s from %s: %s, %s (%d times, %d x %d grid)", kind.what, source, uname, vname,
        u.sizes["time"], u.sizes["lat"], u.sizes["lon"],
    )  # fmt: skip
    return ExtraField(kind.name, (u, v), source, periodic, velocity=True)
