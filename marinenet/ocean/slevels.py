"""Terrain-following (ROMS/CROCO) s-levels → fixed depths below mean sea level.

The height of each level is computed from the file's own vertical transform::

    Vtransform 1:  z0 = hc (s − C) + C h,          z = z0 + ζ (1 + z0 / h)
    Vtransform 2:  z0 = (hc s + h C) / (hc + h),   z = ζ + (ζ + h) z0

with ``s`` = ``s_rho``, ``C`` = ``Cs_r`` (or ``Cs_rho``), the critical depth ``hc``, the
bottom depth ``h`` and the free surface ``ζ`` (``zeta``, averaged onto u/v points), so the
levels move with the surface. A component is then interpolated linearly in z to each
target depth, column by column; between the top level and the surface the top value is
used, between the sea floor and the lowest level the lowest; where the sea floor is above
the target depth the value is NaN (land at that depth).

Everything stays lazy (dask) until the caller loads the cropped region.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from ..errors import InputDataError

__all__ = ["Z_DIMS", "default_levels", "has_top_level", "to_depths", "vertical_axis"]

#: names of z-level (depth) dimensions: generic, NEMO T/U/V/W points
Z_DIMS = ("depth", "z", "lev", "level", "deptht", "depthu", "depthv", "depthw")


def _on_points(rho, shape: tuple[int, int]):
    """A rho-point field (…, eta_rho, xi_rho) averaged onto u or v points of ``shape`` (numpy or dask)."""
    out = rho
    if out.shape[-1] == shape[1] + 1:
        out = 0.5 * (out[..., :-1] + out[..., 1:])
    if out.shape[-2] == shape[0] + 1:
        out = 0.5 * (out[..., :-1, :] + out[..., 1:, :])
    if tuple(out.shape[-2:]) != tuple(shape):
        raise InputDataError(f"cannot place h/zeta of shape {rho.shape[-2:]} on velocity points {shape}")
    return out


def has_top_level(src: xr.Dataset) -> bool:
    """Whether the file's s_rho levels include the model's top level (not just a subset at depth)."""
    s_top = float(np.max(src["s_rho"].values)) if "s_rho" in src.variables else 0.0
    n = src.sizes.get("s_w", 0) - 1 if "s_w" in src.sizes else src.sizes.get("s_rho", 1)
    return s_top >= -1.5 / max(n, 1)


def vertical_axis(src: xr.Dataset, da: xr.DataArray) -> str:
    """What the vertical axis of ``da`` is, in words (for ``marinenet info`` and the run log)."""
    for dim in da.dims:
        d = str(dim)
        if d.startswith("s_rho"):
            text = f"{da.sizes[dim]} s-levels ({d})"
            if "h" in src.variables:
                h = np.asarray(src["h"].values, float)
                text += f", sea floor {np.nanmin(h):.0f}-{np.nanmax(h):.0f} m"
            if not has_top_level(src):
                return text + "; only some of the model's levels (none near the surface): no 3-D"
            return text + "; 'depth:' or 'three_d:' interpolate them to fixed depths"
        is_z = d.lower() in Z_DIMS
        if (is_z or (dim in da.coords and da[dim].attrs.get("axis") == "Z")) and da.sizes[dim] > 1:
            if dim in da.coords:
                z = np.abs(np.asarray(da[dim].values, float))
                return f"{da.sizes[dim]} z-levels ({d}, {z.min():g}-{z.max():g} m)"
            return f"{da.sizes[dim]} z-levels ({d})"
    return "none (one level)"


def _vertical_grid(src: xr.Dataset) -> tuple[np.ndarray, np.ndarray, float, int]:
    need = [n for n in ("h", "hc", "s_rho") if n not in src.variables]
    cname = next((n for n in ("Cs_r", "Cs_rho") if n in src.variables), None)
    if need or cname is None:
        raise InputDataError(
            "depths on s-levels need the vertical grid (h, hc, s_rho, Cs_r); missing: "
            f"{', '.join(need + ([] if cname else ['Cs_r']))}; pass the grid file with 'ocean.grid'"
        )
    vt = int(src["Vtransform"].values) if "Vtransform" in src.variables else 2
    if vt not in (1, 2):
        raise InputDataError(f"Vtransform = {vt}: only ROMS/CROCO Vtransform 1 and 2 are known")
    sc = np.asarray(src["s_rho"].values, float)
    return sc, np.asarray(src[cname].values, float), float(src["hc"].values), vt


def _z0(sc, cs, hc: float, h, vt: int):
    """Level heights at rest (ζ = 0); ``sc``/``cs`` broadcast against ``h``."""
    if vt == 1:
        return hc * (sc - cs) + cs * h
    return h * (hc * sc + h * cs) / (hc + h)


def default_levels(src: xr.Dataset) -> np.ndarray:
    """The s-levels' depths at rest in the deepest column, the surface and that column's bottom (m, ascending)."""
    sc, cs, hc, vt = _vertical_grid(src)
    hmax = float(np.nanmax(src["h"].values))
    depths = -_z0(sc, cs, hc, hmax, vt)
    return np.unique(np.round(np.r_[0.0, depths[depths > 0], hmax], 2))


def _interp_columns(z: np.ndarray, vals: np.ndarray, bottom: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Linear interpolation of ``vals`` along the last axis (levels ascending in ``z``) to each target."""
    z, vals = np.broadcast_arrays(z, vals)
    n = z.shape[-1]
    out = np.empty(vals.shape[:-1] + (targets.size,), dtype=float)
    for k, target in enumerate(targets):
        below = (z <= target).sum(axis=-1)  # levels at or below the target
        lo = np.clip(below - 1, 0, n - 1)[..., None]
        hi = np.clip(below, 0, n - 1)[..., None]
        zl, zh = np.take_along_axis(z, lo, -1)[..., 0], np.take_along_axis(z, hi, -1)[..., 0]
        vl, vh = np.take_along_axis(vals, lo, -1)[..., 0], np.take_along_axis(vals, hi, -1)[..., 0]
        frac = np.where(zh > zl, (target - zl) / np.where(zh > zl, zh - zl, 1.0), 0.0)
        res = vl + np.clip(frac, 0.0, 1.0) * (vh - vl)
        out[..., k] = np.where(bottom > target, np.nan, res)  # sea floor above the target: land
    return out


def to_depths(src: xr.Dataset, da: xr.DataArray, depths, notes: dict) -> xr.DataArray:
    """``da`` (time, s_rho, y, x) interpolated to ``depths`` (m below mean sea level), lazily.

    Returns (time, depth, y, x) with a ``depth`` coordinate. Refuses depths above the highest
    level of a file that holds only some of the model's s-levels.
    """
    depths = np.atleast_1d(np.asarray(depths, float))
    sdim = next(d for d in da.dims if str(d).startswith("s_rho"))
    tdim, ydim, xdim = (d for d in da.dims if d != sdim)
    da = da.transpose(tdim, sdim, ydim, xdim)
    sc, cs, hc, vt = _vertical_grid(src)
    shape = (da.sizes[ydim], da.sizes[xdim])
    h = _on_points(np.asarray(src["h"].values, float), shape)
    zeta = None
    if "zeta" in src.variables and src["zeta"].ndim == 3 and src["zeta"].shape[0] == da.shape[0]:
        zeta = _on_points(src["zeta"].fillna(0.0).data, shape)
    z0 = _z0(sc[:, None, None], cs[:, None, None], hc, h[None], vt)  # (s, y, x) at rest
    if zeta is None:
        z = np.broadcast_to(z0[None], (da.shape[0], *z0.shape))
    elif vt == 1:
        z = z0[None] + zeta[:, None] * (1 + z0[None] / np.where(h > 0, h, 1.0)[None, None])
    else:
        z = zeta[:, None] + (zeta[:, None] + h[None, None]) * (z0 / h[None])[None]
    zda = xr.DataArray(z, dims=(tdim, sdim, ydim, xdim))
    order = np.argsort(sc)  # deepest level first
    zda, da = zda.isel({sdim: order}), da.isel({sdim: order})
    if not has_top_level(src):
        z_top = np.asarray(zda.isel({sdim: -1}).values)
        if (z_top <= -depths.min()).any():
            raise InputDataError(
                f"a depth of {depths.min():g} m lies above the highest s-level in this file (s_rho up to "
                f"{sc.max():g}: the file holds only some of the model's levels, not those near the "
                "surface); use a file with all s-levels or a greater depth"
            )
    bottom = xr.DataArray(-h, dims=(ydim, xdim))
    out = xr.apply_ufunc(
        _interp_columns,
        zda,
        da.drop_vars([c for c in da.coords if sdim in da[c].dims]),
        bottom,
        kwargs={"targets": -depths},
        input_core_dims=[[sdim], [sdim], []],
        output_core_dims=[["depth"]],
        dask="parallelized",
        output_dtypes=[float],
        dask_gufunc_kwargs={"output_sizes": {"depth": depths.size}, "allow_rechunk": True},
    )
    out = out.transpose(tdim, "depth", ydim, xdim).assign_coords(depth=depths)
    out.attrs, out.name = da.attrs, da.name
    where = (
        f"z = -{depths[0]:g} m"
        if depths.size == 1
        else f"{depths.size} z-levels from {depths[0]:g} to {depths[-1]:g} m"
    )
    notes["level"] = f"{where} (below mean sea level), interpolated from {sc.size} s-levels (Vtransform {vt})"
    return out
