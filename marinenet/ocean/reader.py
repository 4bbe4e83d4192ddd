"""Read ocean current files (netCDF) into the canonical Dataset.

Velocity variables are discovered by CF ``standard_name`` first, then by the names the
common products use; ``variables: {u: ..., v: ...}`` in the scenario overrides both.
This version reads regular (1-D) longitude/latitude grids; curvilinear, projected and
staggered grids are refused with a message saying so.
"""

from __future__ import annotations

import json
import logging
from urllib.parse import urlparse

import numpy as np
import xarray as xr

from .._paths import source_files
from ..errors import InputDataError
from ..memory import check_fits
from .credits import forcing_credit, forcing_credit_parts
from .lonframe import crop_longitudes
from .nemo import open_u_v, split_u_v_files
from .plausibility import check_plausible
from .slevels import Z_DIMS, vertical_axis
from .timeaxis import _decode_time, _time_dim, _window
from .tracers import fill_from_water, find_tracer, to_canonical_units
from .variables import VelocityNames, find_velocity_names

__all__ = ["open_currents", "find_velocity_names", "remote_address", "UNIT_FACTORS"]

log = logging.getLogger(__name__)

#: factor converting each accepted ``units`` spelling to m/s
UNIT_FACTORS: dict[str, float] = {
    **dict.fromkeys(
        [
            "m s-1",
            "m/s",
            "m.s-1",
            "m s**-1",
            "meter second-1",
            "meters/second",
            "metre/second",
            "meter/second",
            "m sec-1",
            "ms-1",
        ],
        1.0,
    ),
    **dict.fromkeys(
        ["cm s-1", "cm/s", "cm.s-1", "centimeter/second", "centimeters/second", "cm sec-1"], 0.01
    ),
}

_LON_NAMES = ("lon", "longitude", "nav_lon", "x")
_LAT_NAMES = ("lat", "latitude", "nav_lat", "y")
_DEPTH_NAMES = (*Z_DIMS, "s_rho")


def _coord_name(da: xr.DataArray, standard: str, axis: str, names: tuple[str, ...]) -> str | None:
    for dim in da.dims:
        c = da[dim] if dim in da.coords else None
        if c is not None and (c.attrs.get("standard_name") == standard or c.attrs.get("axis") == axis):
            return str(dim)
    for dim in da.dims:
        if str(dim).lower() in names:
            return str(dim)
    return None


def _unit_factor(da: xr.DataArray, name: str) -> float:
    units = da.attrs.get("units")
    if units is None:
        log.warning("velocity variable %r has no 'units' attribute; assuming m/s", name)
        return 1.0
    key = " ".join(str(units).strip().split())
    if key not in UNIT_FACTORS:
        raise InputDataError(
            f"velocity variable {name!r} has units {units!r}; expected m/s (e.g. 'm s-1') or cm/s ('cm s-1')"
        )
    return UNIT_FACTORS[key]


def remote_address(url: str) -> str:
    """The address netCDF-C reads: OPeNDAP endpoints as given; a whole netCDF file on a plain
    http(s) server by byte ranges (``#mode=bytes``), so only the parts used are transferred."""
    path = urlparse(url).path.lower()
    plain_file = path.endswith((".nc", ".nc4", ".netcdf")) and "/dodsc/" not in path and "opendap" not in path
    if url.lower().startswith(("http://", "https://")) and "#" not in url and plain_file:
        return url + "#mode=bytes"
    return url


_SHRINK = (
    "shorten the simulation (the region read is the release area plus the distance currents can carry "
    "particles), or subset the files first"
)
#: bytes of one dask chunk of the currents (whole time slices): reductions over the window (land
#: mask, plausibility) and the engines' reads go chunk by chunk, never the whole window at once
CHUNK_BYTES = 16e6


def _open(files: list[str], source: str, variables: VelocityNames | None = None) -> xr.Dataset:
    """The files, lazily, in chunks of whole time slices (:data:`CHUNK_BYTES`)."""
    pairs = split_u_v_files(files) if len(files) > 1 else None
    if pairs is not None:  # NEMO: u and v in separate grid_U / grid_V files
        log.info("NEMO grid_U/grid_V files: %d + %d", len(pairs[0]), len(pairs[1]))
        return open_u_v(_open_plain(pairs[0], source), _open_plain(pairs[1], source))
    first = _open_plain(files, source)
    chunks = _time_chunks(first, variables)
    return first if chunks is None else _open_plain(files, source, chunks)


def _time_chunks(ds: xr.Dataset, variables: VelocityNames | None) -> dict[str, int] | None:
    """Chunks of whole time slices of about CHUNK_BYTES (None: as opened, when no time axis is found
    or the files' own chunks are no larger, so that a remote source is opened once)."""
    try:
        u = ds[find_velocity_names(ds, variables)[0]]
    except InputDataError:
        return None  # said with its reason by the caller's own discovery
    tdim = _time_dim(u)
    if tdim is None:
        return None
    per_slice = max(u.size // max(u.sizes[tdim], 1), 1) * u.dtype.itemsize
    sizes = u.chunksizes
    slices = max(int(CHUNK_BYTES // per_slice), 1)
    if u.chunks is not None:
        chunk = int(np.prod([max(c) for c in sizes.values()])) * u.dtype.itemsize
        # the files' own chunks will do when none is larger than ours, in bytes or in time; tiles
        # (e.g. CMEMS 1 × 64 × 64) are kept, so that a region of a large (remote) file reads its tiles only
        if chunk <= CHUNK_BYTES and max(sizes.get(tdim, (u.sizes[tdim],))) <= slices:
            return None
    return {tdim: slices} | {str(d): -1 for d in u.dims if d != tdim}


def _open_plain(files: list[str], source: str, chunks: dict | None = None) -> xr.Dataset:
    try:
        if len(files) == 1:
            return xr.open_dataset(files[0], chunks=chunks or {}, decode_timedelta=False)
        return xr.open_mfdataset(files, combine="by_coords", decode_timedelta=False, chunks=chunks)
    except (OSError, ValueError) as exc:
        raise InputDataError(f"cannot read ocean data {source!r}: {exc}") from None


def open_currents(
    source: str,
    variables: VelocityNames | None = None,
    start: np.datetime64 | None = None,
    end: np.datetime64 | None = None,
    *,
    depth: float = 0.0,
    grid: str | None = None,
    time_origin: str | None = None,
    region: tuple[float, float, float, float] | None = None,
    loop: str = "none",
    three_d: bool = False,
    levels: list[float] | None = None,
    zero_is_land: bool = False,
    tracers: tuple[str, ...] = (),
) -> xr.Dataset:
    """Open netCDF file(s) and return the canonical Dataset for ``[start, end]`` (and ``region``).

    Files are opened lazily (dask); only the time window and, where given, the region
    (lon0, lat0, lon1, lat1) are loaded. Regular lon/lat grids are used as they are;
    projected, curvilinear and staggered (ROMS/CROCO) grids are rotated to east/north and
    regridded (:mod:`marinenet.ocean.models`).

    Parameters
    ----------
    source
        A netCDF path or glob (several files are joined along time), or an OPeNDAP address.
    variables
        Names of the eastward (``"u"``) and northward (``"v"``) velocities, when the CF
        ``standard_name`` and the usual product names do not find them.
    start, end
        Time window to load (default: the whole file).
    depth
        Depth in m of the level to use (0: the surface level).
    grid
        Separate grid file with the 2-D longitude/latitude (ROMS/CROCO ``*_grd.nc``).
    time_origin
        Reference date of a time axis written as bare seconds or days (e.g. CROCO ``time``).
    region
        ``(lon0, lat0, lon1, lat1)`` in degrees: load only this box (with a margin).
    loop
        ``"year"``: repeat a climatological year to cover any dates; ``"none"``: the dates as they are.
    three_d
        Keep the depth axis (z-levels, or ``levels`` interpolated from s-levels) for 3-D tracking.
    levels
        ROMS/CROCO s-levels in 3-D: the depths (m) to interpolate to.
    zero_is_land
        Points where u = v = 0 at every time are land (files that write land as 0).
    tracers
        Scalar fields the behaviours need, by canonical name (``thetao``, ``so``:
        :mod:`marinenet.ocean.tracers`), read on the currents' grid (regular grids only).

    Returns
    -------
    xarray.Dataset
        The canonical form: ``u``, ``v`` (m/s, eastward/northward) on ``(time, lat, lon)``
        (``(time, depth, lat, lon)`` in 3-D), ascending coordinates in degrees, NaN on land,
        a ``land`` mask ``(lat, lon)``; attributes record what was converted.

    Raises
    ------
    InputDataError
        When the files cannot be read, have no recognisable velocities, unknown units,
        non-monotonic or duplicated coordinates, or do not cover the time window.
    """
    files = source_files(source) if "://" not in source else [remote_address(source)]
    if not files:
        raise InputDataError(f"ocean.source {source!r} matches no file")
    raw = _open(files, source, variables)
    credit = forcing_credit(raw.attrs, source)  # who made the data, from the file's global attributes
    credit_parts = json.dumps(forcing_credit_parts(raw.attrs, source))  # the same, for any report language
    uname, vname = find_velocity_names(raw, variables)
    u = raw[uname]
    time_d = _time_dim(u)
    if time_d is None:
        raise InputDataError(
            f"{uname}{u.dims}: no time dimension found (need a coordinate with axis T or named time)"
        )
    raw = _window(_decode_time(raw, time_d, source, time_origin), time_d, start, end, source, loop)
    fu, fv = _unit_factor(raw[uname], uname), _unit_factor(raw[vname], vname)
    if zero_is_land:  # lazily, on the native points, before any regridding mixes land into water
        same = raw[uname].dims == raw[vname].dims  # A-grid: both 0; C-grid: each face on its own
        zero = [(raw[n] == 0).all(time_d) for n in (uname, vname)]
        for name, z in zip((uname, vname), zero, strict=True):
            raw[name] = raw[name].where(~(zero[0] & zero[1] if same else z))
    lon_d = _coord_name(u, "longitude", "X", _LON_NAMES)
    lat_d = _coord_name(u, "latitude", "Y", _LAT_NAMES)
    regular = (
        lon_d is not None
        and lat_d is not None
        and raw[lon_d].ndim == 1
        and _in_degrees(raw, lon_d, "longitude")
        and _in_degrees(raw, lat_d, "latitude")
    )
    if regular:
        extra = {name: find_tracer(raw, name, source) for name in tracers}
        ds = _regular(raw, uname, vname, lon_d, lat_d, time_d, depth, region, source, three_d, extra)
        ds["u"], ds["v"] = ds["u"] * fu, ds["v"] * fv
        for name, var in extra.items():
            ds[name] = to_canonical_units(ds[name], name, var)
        ds = _streamed(ds)
        for name in extra:  # temperature / salinity: lazy when the currents are (streamed by the engines)
            ds[name] = fill_from_water(ds[name])
        wet_nan = (ds["u"].isnull() | ds["v"].isnull()).all("time").compute()  # chunk by chunk
        if "depth" in ds.dims:
            ds["land3d"] = wet_nan.transpose("depth", "lat", "lon")
            ds["land"] = ds["land3d"].isel(depth=0, drop=True)
        else:
            ds["land"] = wet_nan
        grid_note = "regular lon/lat"
        notes = {"vertical": vertical_axis(raw, raw[uname])}
    else:
        from .models import native_from_dataset, to_canonical

        extra = {name: find_tracer(raw, name, source) for name in tracers}
        grid_ds = _open([grid], grid) if grid else None
        nat = native_from_dataset(raw, uname, vname, depth, grid_ds, three_d, levels, extra)
        nat.u, nat.v = nat.u * fu, nat.v * fv
        ds = to_canonical(nat, region)
        for name, var in extra.items():
            ds[name] = fill_from_water(to_canonical_units(ds[name].assign_attrs(raw[var].attrs), name, var))
        grid_note = nat.layout
        notes = nat.notes
    if bool(ds["land"].all()) and bool(np.isnan(ds["u"]).all()):
        raise InputDataError(f"ocean data {source!r}: velocity {uname!r} is NaN everywhere in the window")
    check_plausible(ds, source, {"u": uname, "v": vname}, {"u": fu, "v": fv})
    if zero_is_land:
        notes["zero_is_land"] = "velocity components that are 0 at every time are land"
    else:
        _warn_zero_land(ds)
    ds["u"].attrs = {"standard_name": "eastward_sea_water_velocity", "units": "m s-1"}
    ds["v"].attrs = {"standard_name": "northward_sea_water_velocity", "units": "m s-1"}
    if "w" in ds:
        ds["w"].attrs = {"standard_name": "upward_sea_water_velocity", "units": "m s-1"}
    ds.attrs = {
        "source": source,
        "synthetic": 0,
        "grid": grid_note,
        "original_variables": f"u={uname}, v={vname}",
        "unit_conversion": f"u*{fu}, v*{fv}",
        "credit": credit,
        "credit_parts": credit_parts,
        **{k: v for k, v in notes.items()},
        **({"zonal_periodic": 1} if ds.attrs.get("zonal_periodic") else {}),
    }
    log.info(
        "ocean data: %s grid, %d x %d x %d times, %.1f MB (in memory, or streamed when larger); %s",
        grid_note,
        ds.sizes["lon"],
        ds.sizes["lat"],
        ds.sizes["time"],
        ds.nbytes / 1e6,
        notes.get("rotation", "no rotation"),
    )
    return ds


def _streamed(ds: xr.Dataset) -> xr.Dataset:
    """The velocities as they stay for the run: lazy (read by time windows as the engines step) when
    the files are, else in memory; small windows (under CHUNK_BYTES) are simply loaded."""
    names = [n for n in ("u", "v", "w") if n in ds]
    held = min(ds[names].nbytes, 4 * CHUNK_BYTES)
    check_fits(held, "the currents for the run's region and window (held at once)", _SHRINK)
    if ds[names].nbytes <= CHUNK_BYTES:
        return ds.load()
    log.info("currents streamed from the files: %s, read by time windows as the run goes", _size(ds, names))
    return ds


def _size(ds: xr.Dataset, names: list[str]) -> str:
    from ..memory import human

    return human(ds[names].nbytes)


def _warn_zero_land(ds: xr.Dataset) -> None:
    """Warn when u = v = 0 exactly at every time at many water points (land written as 0?)."""
    zero = ((ds["u"] == 0) & (ds["v"] == 0)).all("time").compute().values
    land = ds["land3d"].values if "land3d" in ds else ds["land"].values
    wet = ~land & ~(ds["outside"].values if "outside" in ds else False)
    frac = float((zero & wet).sum()) / max(int(wet.sum()), 1)
    if frac > 0.01:
        log.warning(
            "u = v = 0 exactly at every time at %.1f%% of the water points: if the file writes land as 0 "
            "(no fill value), particles will stall there; set 'ocean.zero_is_land: true'",
            100 * frac,
        )


def _in_degrees(ds: xr.Dataset, dim: str, standard: str) -> bool:
    """A 1-D coordinate that really holds longitudes/latitudes (not grid indices or metres)."""
    if dim not in ds.coords:
        return False
    attrs = ds[dim].attrs
    if attrs.get("standard_name", "").startswith("projection_"):
        return False
    units = str(attrs.get("units", "")).lower()
    names = ("lon", "longitude", "lat", "latitude")
    return attrs.get("standard_name") == standard or units.startswith("degree") or dim.lower() in names


def _ascending(ds: xr.Dataset, dim: str) -> xr.Dataset:
    """Ascending coordinate without copying data when it is already monotonic (views, no sort)."""
    d = np.diff(ds[dim].values)
    if np.all(d > 0):
        return ds
    if np.all(d < 0):
        return ds.isel({dim: slice(None, None, -1)})
    return ds.sortby(dim)


def _w_name(ds: xr.Dataset, like: xr.DataArray) -> str | None:
    """The upward velocity on the same grid as ``like``, if the file has one."""
    for n in ds.data_vars:
        if ds[n].attrs.get("standard_name") == "upward_sea_water_velocity" and ds[n].dims == like.dims:
            return str(n)
    for n in ("wo", "w", "W", "water_w"):
        if n in ds.data_vars and ds[n].dims == like.dims:
            return n
    return None


def _regular(
    ds, uname, vname, lon_d, lat_d, time_d, depth, region, source, three_d=False, extra=None
) -> xr.Dataset:
    u, v = ds[uname], ds[vname]
    scalars = {name: ds[var] for name, var in (extra or {}).items()}
    for name, da in scalars.items():
        if da.dims != u.dims:
            raise InputDataError(
                f"{extra[name]}{da.dims} is not on the grid of the currents {uname}{u.dims}; "
                "give the temperature/salinity on the currents' grid"
            )
    w = None
    zdim = None
    for dim in [d for d in u.dims if d not in (lon_d, lat_d, time_d)]:
        is_z = str(dim).lower() in _DEPTH_NAMES or (dim in u.coords and u[dim].attrs.get("axis") == "Z")
        if three_d and is_z and u.sizes[dim] > 1:
            zdim = dim
            wname = _w_name(ds, u)
            w = ds[wname] * _unit_factor(ds[wname], wname) if wname else None
            log.info(
                "3-D currents: %d levels of %s%s",
                u.sizes[dim],
                dim,
                f", w from {wname!r}" if wname else ", no w",
            )
            continue
        if is_z:
            levels = u[dim].values if dim in u.coords else np.arange(u.sizes[dim])
            k = int(np.argmin(np.abs(np.asarray(levels, float) - depth)))
            log.info("using level %s=%s (requested depth %s m)", dim, levels[k], depth)
            u, v = u.isel({dim: k}), v.isel({dim: k})
            scalars = {n: a.isel({dim: k}) for n, a in scalars.items()}
        elif u.sizes[dim] == 1:
            u, v = u.isel({dim: 0}), v.isel({dim: 0})
            scalars = {n: a.isel({dim: 0}) for n, a in scalars.items()}
        else:
            raise InputDataError(f"{uname}: unexpected dimension {dim!r} of size {u.sizes[dim]}")
    if u.dims != v.dims:
        raise InputDataError(f"u ({uname}{u.dims}) and v ({vname}{v.dims}) are on different grids")
    if three_d and zdim is None:
        raise InputDataError(
            f"ocean.three_d is set, but {uname}{u.dims} has no depth axis with several levels"
        )
    data = ({"u": u, "v": v} if w is None else {"u": u, "v": v, "w": w}) | scalars
    names = {lon_d: "lon", lat_d: "lat", time_d: "time"} | ({zdim: "depth"} if zdim else {})
    out = xr.Dataset(data).rename(names)
    out = out.drop_vars([c for c in out.coords if c not in ("lon", "lat", "time", "depth")])
    if zdim is not None:
        out = _ascending(out.assign_coords(depth=np.abs(out["depth"].values.astype(float))), "depth")
    for name in ("lon", "lat"):
        values = out[name].values
        if np.unique(values).size != values.size:
            raise InputDataError(f"coordinate {name!r} of {source!r} has duplicated values")
    out = crop_longitudes(out, region)
    out = _ascending(out, "lat")
    if out.sizes["lon"] < 2 or out.sizes["lat"] < 2:
        raise InputDataError(f"{source!r}: the grid needs at least 2 points in longitude and latitude")
    if region is not None:
        lat = out["lat"].values
        keep_y = np.flatnonzero((lat >= region[1]) & (lat <= region[3]))
        if keep_y.size:
            out = out.isel(lat=slice(max(keep_y.min() - 2, 0), keep_y.max() + 3))
    return out
