"""Model output on its native grid (projected, curvilinear, ROMS/CROCO staggered) → canonical currents.

Steps, for every layout:

1. find the velocity components and the points each lives on (``lon_u``/``lat_u``,
   ``lon_v``/``lat_v`` for staggered ROMS/CROCO; 2-D ``longitude``/``latitude`` otherwise);
2. take the surface (s-levels: the top level, or a fixed depth or z-levels interpolated
   through the s-levels, :mod:`marinenet.ocean.slevels`; z-levels: the level nearest the
   requested depth, or all of them in 3-D) and the time window, then subset the native
   grid to the region of interest before anything is loaded;
3. regrid each component from its own points to one regular lon/lat grid
   (:mod:`marinenet.ocean.regrid`);
4. rotate grid-relative components to east/north with the grid angle α (x-axis
   counter-clockwise from east): ``u_e = u cos α − v sin α``, ``v_n = u sin α + v cos α``.
   α is ROMS's ``angle`` variable when present, else derived from the ``grid_mapping``
   projection, else from the 2-D longitudes/latitudes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np
import pyproj
import xarray as xr

from ..errors import InputDataError
from ..memory import check_fits
from .lonframe import in_window
from .regrid import Regridder, target_grid
from .slevels import Z_DIMS, default_levels, has_top_level, to_depths, vertical_axis

__all__ = ["NativeCurrents", "native_from_dataset", "to_canonical", "is_grid_relative"]

log = logging.getLogger(__name__)

_GRID_RELATIVE = (
    "x_sea_water_velocity",
    "sea_water_x_velocity",
    "sea_water_x_velocity_at_u_location",
    "barotropic_sea_water_x_velocity",
)


def is_grid_relative(da: xr.DataArray) -> bool:
    std = da.attrs.get("standard_name", "")
    return std in _GRID_RELATIVE or std.startswith(("x_sea_water", "sea_water_x"))


@dataclass
class NativeCurrents:
    """Velocity components on their native points, surface level, time window selected (lazy)."""

    u: xr.DataArray  # (time, ju, iu)
    v: xr.DataArray  # (time, jv, iv)
    u_lon: np.ndarray
    u_lat: np.ndarray
    v_lon: np.ndarray
    v_lat: np.ndarray
    grid_relative: bool
    angle: np.ndarray | None = None  # radians at (a_lon, a_lat)
    a_lon: np.ndarray | None = None
    a_lat: np.ndarray | None = None
    water: np.ndarray | None = None  # 1 water / 0 land at (a_lon, a_lat)
    layout: str = "curvilinear"
    notes: dict[str, str] = field(default_factory=dict)
    scalars: dict[str, xr.DataArray] = field(default_factory=dict)  # on u's points (ocean/tracers.py)


def _two_d(ds: xr.Dataset, names: tuple[str, ...], dims: tuple) -> xr.DataArray | None:
    for n in names:
        if n in ds.variables and ds[n].ndim == 2 and set(ds[n].dims) == set(dims):
            return ds[n].transpose(*dims)
    for key in ds.variables:
        std = ds[key].attrs.get("standard_name")
        if ds[key].ndim == 2 and set(ds[key].dims) == set(dims) and std in names:
            return ds[key].transpose(*dims)
    return None


def _surface(da: xr.DataArray, depth: float, notes: dict, keep_z: bool = False) -> xr.DataArray:
    for dim in list(da.dims):
        d = str(dim)
        if (keep_z or depth > 0) and d.startswith("s_w"):
            raise InputDataError(
                f"{da.name} lies on {d} (w-levels): a depth or 3-D tracking needs u/v on s_rho levels"
            )
        if d.startswith("s_rho") or d.startswith("s_w"):
            coord = da[dim].values if dim in da.coords else np.arange(da.sizes[dim])
            top = int(np.argmax(coord)) if dim in da.coords else da.sizes[dim] - 1
            notes["level"] = f"top s-level ({d}={coord[top]:g})"
            if dim in da.coords and coord[top] < -0.2:
                notes["level"] += " - NOT the surface: the file holds only deeper s-levels"
                log.warning("the top s-level in this file is %s=%g, well below the surface", d, coord[top])
            da = da.isel({dim: top})
        elif (d in Z_DIMS or da[dim].attrs.get("axis") == "Z") and keep_z:
            notes["level"] = f"all {da.sizes[dim]} z-levels of {d} (3-D)"
            da = da.rename({dim: "depth"}).assign_coords(depth=np.abs(da[dim].values.astype(float)))
        elif d in Z_DIMS or da[dim].attrs.get("axis") == "Z":
            vals = da[dim].values.astype(float)
            k = int(np.argmin(np.abs(vals - depth)))
            notes["level"] = f"{d}={vals[k]:g} m (requested {depth:g} m)"
            da = da.isel({dim: k})
    return da


def _angle_from_projection(ds: xr.Dataset, da: xr.DataArray) -> np.ndarray | None:
    gm = da.attrs.get("grid_mapping")
    if not gm or gm not in ds.variables:
        return None
    attrs = dict(ds[gm].attrs)
    try:
        crs = pyproj.CRS.from_cf(attrs)
    except Exception:
        text = attrs.get("proj4") or attrs.get("proj4_string") or attrs.get("proj4text")
        if not text:
            return None
        crs = pyproj.CRS.from_proj4(text)
    ydim, xdim = da.dims[-2], da.dims[-1]
    scale = {"km": 1000.0, "kilometer": 1000.0, "kilometers": 1000.0}.get(
        ds[xdim].attrs.get("units", "m"), 1.0
    )
    X, Y = np.meshgrid(ds[xdim].values.astype(float) * scale, ds[ydim].values.astype(float) * scale)
    to_geo = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    step = 0.001 * float(np.median(np.abs(np.diff(ds[xdim].values)))) * scale
    lon0, lat0 = to_geo.transform(X, Y)
    lon1, lat1 = to_geo.transform(X + step, Y)
    de = ((lon1 - lon0 + 180.0) % 360.0 - 180.0) * np.cos(np.deg2rad(lat0))
    return np.arctan2(lat1 - lat0, de)


def _angle_from_lonlat(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    dlon = np.gradient(np.unwrap(np.deg2rad(lon), axis=1), axis=1)
    dlat = np.gradient(np.deg2rad(lat), axis=1)
    return np.arctan2(dlat, dlon * np.cos(np.deg2rad(lat)))


def _usable_or_from_rho(lon, lat, r_lon, r_lat, da, comp, notes):
    """Coordinates of a staggered component; rebuilt from rho points when missing or degenerate."""
    if lon is not None and np.nanstd(np.asarray(lon.values, float)) > 0:
        return lon, lat
    rl, ra = np.asarray(r_lon.values, float), np.asarray(r_lat.values, float)
    shape = da.shape[-2:]
    if shape == rl.shape:
        out_lon, out_lat = rl, ra
        notes[f"{comp}_points"] = (
            f"{comp}-point coordinates missing/degenerate: rho points used (half-cell shift)"
        )
    elif shape == (rl.shape[0], rl.shape[1] - 1):
        out_lon, out_lat = 0.5 * (rl[:, 1:] + rl[:, :-1]), 0.5 * (ra[:, 1:] + ra[:, :-1])
        notes[f"{comp}_points"] = f"{comp}-points at midpoints of rho points along xi"
    elif shape == (rl.shape[0] - 1, rl.shape[1]):
        out_lon, out_lat = 0.5 * (rl[1:] + rl[:-1]), 0.5 * (ra[1:] + ra[:-1])
        notes[f"{comp}_points"] = f"{comp}-points at midpoints of rho points along eta"
    else:
        return lon, lat
    log.warning("%s", notes[f"{comp}_points"])
    dims = da.dims[-2:]
    return xr.DataArray(out_lon, dims=dims), xr.DataArray(out_lat, dims=dims)


def _s_levels_to_depths(src, u, v, depth, three_d, levels, notes):
    """u, v on s-levels → one fixed depth, or (3-D) z-levels: ``levels`` or the s-levels' own depths."""
    if three_d and not has_top_level(src):
        raise InputDataError(
            f"3-D tracking needs the whole water column, but this file holds only some of the model's "
            f"s-levels (s_rho up to {float(np.max(src['s_rho'].values)):g}); use a file with all s-levels"
        )
    depths = [depth] if not three_d else default_levels(src) if levels is None else sorted(levels)
    u, v = to_depths(src, u, depths, notes), to_depths(src, v, depths, notes)
    if not three_d:
        u, v = u.isel(depth=0, drop=True), v.isel(depth=0, drop=True)
    return u, v


def native_from_dataset(
    ds: xr.Dataset,
    uname: str,
    vname: str,
    depth: float = 0.0,
    grid: xr.Dataset | None = None,
    three_d: bool = False,
    levels: list[float] | None = None,
    scalars: dict[str, str] | None = None,
) -> NativeCurrents:
    """Describe the native layout of ``ds[uname]``, ``ds[vname]`` (lazily); ``scalars``: canonical name ->
    variable of scalar fields on the points of ``u`` (temperature, salinity) to carry along."""
    src = (
        ds
        if grid is None
        else xr.merge(
            [ds, grid.drop_vars([v for v in grid.variables if v in ds.variables])], compat="override"
        )
    )
    u, v = ds[uname], ds[vname]
    extra = _scalars(ds, scalars or {}, u, depth, three_d)
    notes: dict[str, str] = {"vertical": vertical_axis(src, u)}
    if (depth > 0 or three_d) and any(str(d).startswith("s_rho") for d in u.dims):
        u, v = _s_levels_to_depths(src, u, v, depth, three_d, levels, notes)
    level_note = notes.get("level")
    u, v = _surface(u, depth, notes, three_d), _surface(v, depth, notes, three_d)
    if level_note:
        notes["level"] = level_note
    expected = 4 if three_d else 3
    if u.ndim != expected or v.ndim != expected:
        raise InputDataError(
            f"{uname}{u.dims}: expected (time, {'depth, ' if three_d else ''}y, x) after choosing the level"
        )
    tdim = u.dims[0]
    u_dims, v_dims = u.dims[-2:], v.dims[-2:]
    u_lon = _two_d(src, ("lon_u", "longitude", "lon", "nav_lon", "glamu"), u_dims)
    u_lat = _two_d(src, ("lat_u", "latitude", "lat", "nav_lat", "gphiu"), u_dims)
    v_lon = _two_d(src, ("lon_v", "longitude", "lon", "nav_lon", "glamv"), v_dims)
    v_lat = _two_d(src, ("lat_v", "latitude", "lat", "nav_lat", "gphiv"), v_dims)
    rho = ("eta_rho", "xi_rho")
    r_lon = _two_d(src, ("lon_rho",), rho)
    r_lat = _two_d(src, ("lat_rho",), rho)
    if r_lon is not None:
        u_lon, u_lat = _usable_or_from_rho(u_lon, u_lat, r_lon, r_lat, u, "u", notes)
        v_lon, v_lat = _usable_or_from_rho(v_lon, v_lat, r_lon, r_lat, v, "v", notes)
    if u_lon is None or u_lat is None or v_lon is None or v_lat is None:
        raise InputDataError(
            f"cannot find 2-D longitude/latitude for {uname}{u_dims} and {vname}{v_dims} "
            "(expected lon_u/lat_u and lon_v/lat_v, or longitude/latitude; pass the grid file with 'ocean.grid')"
        )
    a_lon, a_lat = r_lon, r_lat
    staggered = u_dims != v_dims
    layout = "roms/croco (staggered)" if staggered or a_lon is not None else "curvilinear"
    if "nav_lon" in src.variables:
        layout = "nemo (u, v on their own C-grid points)" if staggered else "nemo (curvilinear)"
    std = u.attrs.get("standard_name", "")
    roms_dims = any(str(d).startswith(("xi_", "eta_")) for d in u_dims)
    if std.startswith("eastward"):
        grid_relative = False
    elif is_grid_relative(u) or staggered or roms_dims or "angle" in src.variables:
        grid_relative = True  # ROMS/CROCO components run along the grid's own axes
    else:
        grid_relative = False
        log.warning(
            "%s has no standard_name on a curvilinear grid and no 'angle': taken as eastward/northward", uname
        )
    angle = water = None
    if grid_relative:
        if "angle" in src.variables and a_lon is not None:
            angle = np.asarray(src["angle"].transpose(*rho).values, float)
            notes["rotation"] = "grid-relative, rotated with the model's 'angle'"
        else:
            angle = _angle_from_projection(src, ds[uname])
            if angle is not None:
                notes["rotation"] = (
                    f"grid-relative, rotated with the angle of grid_mapping '{u.attrs.get('grid_mapping')}'"
                )
            else:
                angle = _angle_from_lonlat(u_lon.values, u_lat.values)
                notes["rotation"] = "grid-relative, rotated with the angle of the 2-D longitude/latitude"
            a_lon, a_lat = u_lon, u_lat
    else:
        notes["rotation"] = "none (velocities are eastward/northward)"
    mask_name = next((m for m in ("mask_rho", "mask") if m in src.variables and src[m].ndim == 2), None)
    if mask_name is not None:
        m = src[mask_name]
        mdims = m.dims
        m_lon = _two_d(src, ("lon_rho", "longitude", "lon"), mdims)
        if m_lon is not None and a_lon is not None and m_lon.shape == a_lon.shape:
            water = (np.asarray(m.values, float) > 0.5).astype(float)
    return NativeCurrents(
        u=u.rename({tdim: "time"}),
        v=v.rename({v.dims[0]: "time"}),
        u_lon=np.asarray(u_lon.values, float),
        u_lat=np.asarray(u_lat.values, float),
        v_lon=np.asarray(v_lon.values, float),
        v_lat=np.asarray(v_lat.values, float),
        grid_relative=grid_relative,
        angle=angle,
        a_lon=None if a_lon is None else np.asarray(a_lon.values, float),
        a_lat=None if a_lat is None else np.asarray(a_lat.values, float),
        water=water,
        layout=layout,
        notes=notes,
        scalars=extra,
    )


def _scalars(ds: xr.Dataset, names: dict[str, str], u: xr.DataArray, depth: float, three_d: bool) -> dict:
    """Scalar fields on the native points of ``u`` (z-levels or one level), its level chosen like ``u``'s."""
    out = {}
    for name, var in names.items():
        da = ds[var]
        if any(str(d).startswith("s_") for d in da.dims) or da.dims[-2:] != u.dims[-2:]:
            raise InputDataError(
                f"{var}{da.dims} ({name}) must be on the points and z-levels of {u.name}{u.dims}; "
                "s-levels and staggered points are not supported for it: interpolate the file to z-levels first"
            )
        da = _surface(da, depth, {}, three_d)
        out[name] = da.rename({da.dims[0]: "time"})
    return out


def _crop(
    da: xr.DataArray, lon: np.ndarray, lat: np.ndarray, region
) -> tuple[xr.DataArray, np.ndarray, np.ndarray]:
    """Index-box subset of a native field to the points inside ``region`` (lon0, lat0, lon1, lat1) + 2 cells."""
    if region is None:
        return da, lon, lat
    x0, y0, x1, y1 = region
    inside = in_window(lon, x0, x1) & (lat >= y0) & (lat <= y1)
    if not inside.any():
        raise InputDataError(
            f"the region {region} (release area plus reachable margin) is outside the model grid"
        )
    jj, ii = np.nonzero(inside)
    j0, j1 = max(jj.min() - 2, 0), min(jj.max() + 3, lon.shape[0])
    cols = _columns(ii, lon[(j0 + j1) // 2])
    sub = {da.dims[-2]: slice(j0, j1), da.dims[-1]: cols}
    return da.isel(sub), lon[j0:j1][:, cols], lat[j0:j1][:, cols]


def _columns(ii: np.ndarray, row_lon: np.ndarray) -> slice | np.ndarray:
    """Native columns covering ``ii`` plus 2 on each side; on a grid that goes round the globe
    (global NEMO/ORCA, with its wrap columns) the shortest run across the grid's seam."""
    n = row_lon.size
    i0, i1 = max(ii.min() - 2, 0), min(ii.max() + 3, n)
    span = np.ptp(np.rad2deg(np.unwrap(np.deg2rad(row_lon[np.isfinite(row_lon)])))) if n > 2 else 0.0
    if span < 350.0:
        return slice(i0, i1)
    used = np.unique(ii)
    gaps = np.diff(np.r_[used, used[0] + n])  # circular: the last gap runs across the seam
    k = int(np.argmax(gaps))
    if k == used.size - 1:  # the widest gap is already across the seam: a plain run
        return slice(i0, i1)
    first, length = used[k + 1], n - gaps[k] + 1
    return (first - 2 + np.arange(length + 4)) % n


def _crop_angle_points(nat: NativeCurrents, region):
    """The grid angle and water mask, with their points, cropped like the velocities."""
    if nat.a_lon is None or nat.a_lat is None or region is None:
        return nat.a_lon, nat.a_lat, nat.angle, nat.water
    layers = [np.zeros(nat.a_lon.shape) if a is None else a for a in (nat.angle, nat.water)]
    both = xr.DataArray(np.stack(layers), dims=("layer", "y", "x"))
    both, a_lon, a_lat = _crop(both, nat.a_lon, nat.a_lat, region)
    angle = None if nat.angle is None else both.values[0]
    water = None if nat.water is None else both.values[1]
    return a_lon, a_lat, angle, water


def to_canonical(nat: NativeCurrents, region=None) -> xr.Dataset:
    """Regrid and rotate native currents to the canonical regular lon/lat Dataset (loads the subset)."""
    u, ulon, ulat = _crop(nat.u, nat.u_lon, nat.u_lat, region)
    v, vlon, vlat = _crop(nat.v, nat.v_lon, nat.v_lat, region)
    lon, lat = target_grid(ulon, ulat)
    ru = Regridder.build(ulon, ulat, lon, lat)
    rv = (
        ru
        if (vlon.shape == ulon.shape and np.allclose(vlon, ulon) and np.allclose(vlat, ulat))
        else Regridder.build(vlon, vlat, lon, lat)
    )
    # float64 copies of both components on the native and the regular grid
    need = 8 * (u.size + v.size) * (1 + lon.size * lat.size / max(ulon.size, 1))
    check_fits(
        need, "the currents for the run's region and window", "shorten the simulation or subset the files"
    )
    uu = ru(u.values)
    vv = rv(v.values)
    three = u.ndim == 4
    outside = ~(ru.inside & rv.inside).reshape(ru.shape)
    nan_all = np.isnan(uu).all(axis=0)  # (lat, lon), or (depth, lat, lon) in 3-D
    a_lon, a_lat, angle, water = _crop_angle_points(nat, region)
    if water is not None and a_lon is not None:
        ra = Regridder.build(a_lon, a_lat, lon, lat)
        land = ~(ra.water_fraction(water) >= 0.5) & ~outside
    else:
        land = (nan_all[0] if three else nan_all) & ~outside
    land3d = ((nan_all | land) & ~outside) if three else None
    if nat.grid_relative:
        ra = Regridder.build(a_lon, a_lat, lon, lat)
        cos_a, sin_a = ra(np.cos(angle)), ra(np.sin(angle))
        ue = uu * cos_a - vv * sin_a
        vn = uu * sin_a + vv * cos_a
        uu, vv = ue, vn
    dry = (land3d | outside) if three else (land | outside)
    uu = np.where(dry, np.nan, uu)
    vv = np.where(dry, np.nan, vv)
    extra = {
        n: np.where(dry, np.nan, ru(_crop(a, nat.u_lon, nat.u_lat, region)[0].values))
        for n, a in nat.scalars.items()
    }
    times = np.asarray(nat.u["time"].values)
    dims = ("time", "depth", "lat", "lon") if three else ("time", "lat", "lon")
    data = {
        "u": (dims, uu.astype(np.float32)),
        "v": (dims, vv.astype(np.float32)),
        "land": (("lat", "lon"), land),
        "outside": (("lat", "lon"), outside),
        **{n: (dims, a) for n, a in extra.items()},
    }
    coords = {"time": times, "lat": lat, "lon": lon}
    if three:
        data["land3d"] = (("depth", "lat", "lon"), land3d)
        coords["depth"] = nat.u["depth"].values
    return xr.Dataset(
        data,
        coords=coords,
        attrs={
            "grid": nat.layout,
            **{f"{k}_note": v for k, v in nat.notes.items()},
            "regridding": "barycentric (Delaunay) from each component's native points to a regular lon/lat grid",
        },
    )
