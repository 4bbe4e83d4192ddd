"""Read ocean current files (netCDF) into the canonical Dataset.

Velocity variables are discovered by CF ``standard_name`` first, then by the names the
common products use; ``variables: {u: ..., v: ...}`` in the scenario overrides both.
This version reads regular (1-D) longitude/latitude grids; curvilinear, projected and
staggered grids are refused with a message saying so.
"""

from __future__ import annotations

import glob
import logging

import numpy as np
import xarray as xr

from ..errors import InputDataError

__all__ = ["open_currents", "find_velocity_names", "UNIT_FACTORS"]

log = logging.getLogger(__name__)

_U_STANDARD_NAMES = (
    "eastward_sea_water_velocity",
    "surface_eastward_sea_water_velocity",
    "eastward_sea_water_velocity_assuming_no_tide",
    "surface_geostrophic_eastward_sea_water_velocity",
)
_V_STANDARD_NAMES = tuple(n.replace("eastward", "northward") for n in _U_STANDARD_NAMES)
_PRODUCT_NAMES = (("uo", "vo"), ("water_u", "water_v"), ("u", "v"), ("U", "V"), ("ugos", "vgos"))

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
_DEPTH_NAMES = ("depth", "deptht", "depthu", "depthv", "lev", "z", "level", "s_rho")


def _describe_variables(ds: xr.Dataset) -> str:
    return ", ".join(
        f"{name} (standard_name={ds[name].attrs.get('standard_name', '-')})" for name in ds.data_vars
    )


def find_velocity_names(ds: xr.Dataset, override: dict[str, str] | None = None) -> tuple[str, str]:
    """Names of the eastward and northward velocity variables of ``ds``."""
    if override:
        missing = [v for v in (override.get("u"), override.get("v")) if v is None or v not in ds.data_vars]
        if missing:
            raise InputDataError(
                f"ocean.variables names {missing} not found; the file has: {_describe_variables(ds)}"
            )
        return override["u"], override["v"]
    by_std = {ds[n].attrs.get("standard_name"): n for n in ds.data_vars}
    for su, sv in zip(_U_STANDARD_NAMES, _V_STANDARD_NAMES, strict=True):
        if su in by_std and sv in by_std:
            return by_std[su], by_std[sv]
    x_names = [
        n
        for n in ds.data_vars
        if ds[n].attrs.get("standard_name", "").startswith(("x_sea_water", "sea_water_x"))
    ]
    if x_names:
        raise InputDataError(
            f"velocities {x_names} are grid-relative (x_sea_water_velocity); rotating them to east/north "
            "is not supported in this version. Provide eastward/northward velocities."
        )
    for un, vn in _PRODUCT_NAMES:
        if un in ds.data_vars and vn in ds.data_vars:
            return un, vn
    raise InputDataError(
        "no velocity variables found: expected CF standard_name eastward_sea_water_velocity / "
        "northward_sea_water_velocity (or product names uo/vo, water_u/water_v, u/v). "
        f"The file has: {_describe_variables(ds)}. Name them with 'ocean: {{variables: {{u: NAME, v: NAME}}}}'."
    )


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


def open_currents(
    source: str,
    variables: dict[str, str] | None = None,
    start: np.datetime64 | None = None,
    end: np.datetime64 | None = None,
) -> xr.Dataset:
    """Open a netCDF file or glob and return the canonical Dataset for ``[start, end]``.

    Raises
    ------
    InputDataError
        When the files cannot be read, have no recognisable velocities, unknown units,
        non-monotonic or duplicated coordinates, or do not cover the time window.
    """
    files = sorted(glob.glob(source))
    if not files:
        raise InputDataError(f"ocean.source {source!r} matches no file")
    try:
        if len(files) == 1:
            raw = xr.open_dataset(files[0])
        else:
            raw = xr.open_mfdataset(files, combine="by_coords")
    except (OSError, ValueError) as exc:
        raise InputDataError(f"cannot read ocean data {source!r}: {exc}") from None
    uname, vname = find_velocity_names(raw, variables)
    u, v = raw[uname], raw[vname]
    if u.dims != v.dims:
        raise InputDataError(
            f"u ({uname}{u.dims}) and v ({vname}{v.dims}) are on different grids: staggered (C-grid) "
            "model output such as ROMS, CROCO or NEMO is not supported in this version"
        )

    lon_d = _coord_name(u, "longitude", "X", _LON_NAMES)
    lat_d = _coord_name(u, "latitude", "Y", _LAT_NAMES)
    time_d = _coord_name(u, "time", "T", ("time", "t", "time_counter"))
    if lon_d is None or lat_d is None or time_d is None:
        raise InputDataError(
            f"{uname}{u.dims}: could not identify longitude, latitude and time dimensions "
            "(need 1-D coordinates with standard_name or axis attributes, or named lon/lat/time). "
            "Curvilinear and projected grids are not supported in this version."
        )
    extra = [d for d in u.dims if d not in (lon_d, lat_d, time_d)]
    for dim in extra:
        if str(dim).lower() in _DEPTH_NAMES or (dim in u.coords and u[dim].attrs.get("axis") == "Z"):
            depth = u[dim].values if dim in u.coords else np.arange(u.sizes[dim])
            level = int(np.argmin(np.abs(depth)))
            log.info("using the level nearest the surface of %s (%s=%s)", dim, dim, depth[level])
            u, v = u.isel({dim: level}), v.isel({dim: level})
        elif u.sizes[dim] == 1:
            u, v = u.isel({dim: 0}), v.isel({dim: 0})
        else:
            raise InputDataError(f"{uname}: unexpected dimension {dim!r} of size {u.sizes[dim]}")

    if not np.issubdtype(u[time_d].dtype, np.datetime64):
        raise InputDataError(
            f"time coordinate {time_d!r} of {source!r} is not a standard-calendar date "
            f"(dtype {u[time_d].dtype}); non-standard calendars are not supported in this version"
        )
    fu, fv = _unit_factor(u, uname), _unit_factor(v, vname)
    ds = xr.Dataset({"u": u * fu, "v": v * fv}).rename({lon_d: "lon", lat_d: "lat", time_d: "time"})
    ds = ds.drop_vars([c for c in ds.coords if c not in ("lon", "lat", "time")])

    for name in ("lon", "lat", "time"):
        values = ds[name].values
        if np.unique(values).size != values.size:
            raise InputDataError(f"coordinate {name!r} of {source!r} has duplicated values")
    lon = ds["lon"].values.astype(float)
    if lon.max() > 180.0 and not (lon.min() < 180.0 < lon.max()):
        ds = ds.assign_coords(lon=((lon + 180.0) % 360.0) - 180.0)
    ds = ds.sortby(["lon", "lat", "time"])
    if ds.sizes["lon"] < 2 or ds.sizes["lat"] < 2:
        raise InputDataError(f"{source!r}: the grid needs at least 2 points in longitude and latitude")

    if start is not None and end is not None:
        t = ds["time"].values
        if ds.sizes["time"] > 1 and (np.datetime64(start) < t[0] or np.datetime64(end) > t[-1]):
            raise InputDataError(
                f"ocean data {source!r} covers {t[0]} to {t[-1]}, but the simulation needs "
                f"{np.datetime64(start, 's')} to {np.datetime64(end, 's')}; change release.start or "
                "simulation.duration, or provide data for that period"
            )
        if ds.sizes["time"] > 1:
            i0 = max(int(np.searchsorted(t, np.datetime64(start), side="right")) - 1, 0)
            i1 = min(int(np.searchsorted(t, np.datetime64(end), side="left")) + 1, t.size)
            ds = ds.isel(time=slice(i0, i1))
    ds = ds.load()
    if ds.sizes["time"] == 1:
        log.info("single time step: treating the currents as steady")
    if bool(np.isnan(ds["u"]).all()):
        raise InputDataError(f"ocean data {source!r}: velocity {uname!r} is NaN everywhere in the window")
    land = (np.isnan(ds["u"]) | np.isnan(ds["v"])).all("time")
    ds["land"] = land
    ds["u"].attrs = {"standard_name": "eastward_sea_water_velocity", "units": "m s-1"}
    ds["v"].attrs = {"standard_name": "northward_sea_water_velocity", "units": "m s-1"}
    ds.attrs = {
        "source": source,
        "synthetic": 0,
        "original_variables": f"u={uname}, v={vname}",
        "unit_conversion": f"u*{fu}, v*{fv}",
    }
    return ds
