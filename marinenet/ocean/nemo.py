"""NEMO output with the two velocity components in separate files (``*_grid_U.nc``, ``*_grid_V.nc``).

NEMO writes ``uo``/``vozocrtx`` on U points and ``vo``/``vomecrty`` on V points of its
C-grid, each file with its own ``nav_lon``/``nav_lat`` but the same dimension names
(``y``, ``x``). The two are merged into one Dataset in which the V file's horizontal
dimensions and coordinates are renamed (``y_v``, ``x_v``, ``lon_v``, ``lat_v``), so that the
native-grid reader (:mod:`marinenet.ocean.models`) regrids each component from its own
points and rotates the grid-relative pair to east/north with the grid's own angle.
"""

from __future__ import annotations

import logging
import os
import re

import numpy as np
import xarray as xr

from ..errors import InputDataError

__all__ = ["split_u_v_files", "open_u_v"]

log = logging.getLogger(__name__)

_U_FILE = re.compile(r"grid_?U(?![A-Za-z])", re.IGNORECASE)
_V_FILE = re.compile(r"grid_?V(?![A-Za-z])", re.IGNORECASE)


def split_u_v_files(files: list[str]) -> tuple[list[str], list[str]] | None:
    """``(u_files, v_files)`` when the files are NEMO-style ``grid_U``/``grid_V`` pairs, else None.

    Other NEMO files matched by the same pattern (``grid_T``, ``grid_W``) are left out.
    """
    names = [os.path.basename(f) for f in files]
    u = [f for f, n in zip(files, names, strict=True) if _U_FILE.search(n)]
    v = [f for f, n in zip(files, names, strict=True) if _V_FILE.search(n)]
    if not u and not v:
        return None
    if not u or not v or len(u) != len(v):
        raise InputDataError(
            f"NEMO velocity files come in grid_U/grid_V pairs; found {len(u)} grid_U and {len(v)} grid_V "
            "files: match both with one pattern (e.g. 'ORCA_1d_*_grid_[UV].nc')"
        )
    return u, v


def _horizontal_dims(ds: xr.Dataset) -> tuple[str, str]:
    if "nav_lon" in ds.variables and ds["nav_lon"].ndim == 2:
        return tuple(str(d) for d in ds["nav_lon"].dims)  # type: ignore[return-value]
    for da in ds.data_vars.values():
        if da.ndim >= 3:
            return str(da.dims[-2]), str(da.dims[-1])
    raise InputDataError("the grid_V file has no 2-D coordinates (nav_lon) and no gridded variable")


def open_u_v(u_ds: xr.Dataset, v_ds: xr.Dataset) -> xr.Dataset:
    """One Dataset from a grid_U and a grid_V Dataset (V's horizontal dims and coordinates renamed)."""
    y, x = _horizontal_dims(v_ds)
    rename = {y: f"{y}_v", x: f"{x}_v"}
    rename |= {n: new for n, new in (("nav_lon", "lon_v"), ("nav_lat", "lat_v")) if n in v_ds.variables}
    v_ds = v_ds.rename(rename)
    v_ds = v_ds.drop_vars([n for n in v_ds.variables if n in u_ds.variables and n not in v_ds.dims])
    if "nav_lon" in u_ds.variables and "lon_v" in v_ds.variables:
        same = np.array_equal(np.asarray(u_ds["nav_lon"].values), np.asarray(v_ds["lon_v"].values))
        if same and np.array_equal(np.asarray(u_ds["nav_lat"].values), np.asarray(v_ds["lat_v"].values)):
            log.warning(
                "grid_U and grid_V files carry the same nav_lon/nav_lat (probably T points): "
                "both components are placed there (half-cell shift)"
            )
    try:
        return xr.merge([u_ds, v_ds], join="exact", compat="override", combine_attrs="override")
    except ValueError as exc:
        raise InputDataError(f"grid_U and grid_V files do not share their time/depth axes: {exc}") from None
