"""Longitudes on a circle: the frame a file's longitudes are used in, and windows of longitude.

A file may store longitudes as 0..360, -180..180, a run past 180 (170..190) or a run that
jumps at the dateline (170..180, -180..-170). :func:`frame_longitudes` makes them one
continuous ascending run, or recognises that they go round the whole circle.
:func:`in_window` says which longitudes lie in a window ``[west, east]`` taken modulo 360
(a window 360° wide or more holds every longitude). :func:`crop_longitudes` puts a regular
grid's longitudes in that frame and keeps the contiguous run a region needs.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

__all__ = ["frame_longitudes", "in_window", "wrap_into", "crop_longitudes"]


def wrap_into(lon: np.ndarray, first: float) -> np.ndarray:
    """``lon`` shifted by whole turns into ``[first, first + 360)``."""
    return (np.asarray(lon, float) - first) % 360.0 + first


def frame_longitudes(lon: np.ndarray) -> tuple[np.ndarray, bool]:
    """The file's longitudes (in the file's order) in one continuous frame, and whether they
    go round the whole circle.

    A grid goes round the circle when no gap between neighbouring longitudes (taken around
    the circle) is wider than 1.5 grid steps. Otherwise the run starts after its widest gap,
    and its first longitude is put in ``[-180, 180)`` (170..190 stays 170..190; 190..210
    becomes -170..-150; 0..10 + 350..360 becomes -10..10).
    """
    lon = np.asarray(lon, float)
    if lon.size < 2:
        return wrap_into(lon, -180.0), False
    circ = np.sort(lon % 360.0)
    gaps = np.diff(np.r_[circ, circ[0] + 360.0])
    step = float(np.median(gaps[gaps > 0])) if np.any(gaps > 0) else 0.0
    k = int(np.argmax(gaps))
    if gaps[k] <= 1.5 * step:
        return lon, True
    first = float(wrap_into(circ[(k + 1) % circ.size], -180.0))
    framed = wrap_into(lon, first)
    # the first longitude itself may come back a whole turn up by rounding (-0.3 % 360 - 360 is
    # not -0.3): nothing lies within half a step below the end of the frame but such values
    framed[framed >= first + 360.0 - 0.5 * step] -= 360.0
    return framed, False


def in_window(lon: np.ndarray, west: float, east: float) -> np.ndarray:
    """Which longitudes (any frame) lie in ``[west, east]`` modulo 360."""
    lon = np.asarray(lon, float)
    if east - west >= 360.0:
        return np.ones(lon.shape, bool)
    return wrap_into(lon, west) <= east


def _take_runs(ds: xr.Dataset, dim: str, order: np.ndarray, coord: np.ndarray) -> xr.Dataset:
    """Select ``order`` along ``dim`` as a few contiguous slices (so reads stay lazy and small)."""
    breaks = np.flatnonzero(np.diff(order) != 1) + 1
    pieces = [ds.isel({dim: slice(int(r[0]), int(r[-1]) + 1)}) for r in np.split(order, breaks) if r.size]
    out = xr.concat(pieces, dim=dim) if len(pieces) > 1 else pieces[0]
    return out.assign_coords({dim: coord[order]})


def crop_longitudes(out: xr.Dataset, region) -> xr.Dataset:
    """Longitudes made continuous and ascending, and cropped to the region's longitudes.

    A grid that goes round the globe is framed around the region (and marked
    ``zonal_periodic`` when every longitude is kept); any other grid keeps its own
    continuous frame and is cut only to the contiguous run that holds every longitude of the
    region (plus two cells), never inside that run. A region 360° wide keeps everything.
    """
    lon = out["lon"].values.astype(float)
    framed, whole = frame_longitudes(lon)
    if whole:
        west = region[0] if region is not None else -180.0
        east = region[2] if region is not None else 180.0
        first = 0.5 * (west + east) - 180.0
        framed = wrap_into(lon, first)
        _, unique = np.unique(framed, return_index=True)  # 0 and 360 both in the file: keep one
        step = float(np.median(np.diff(np.sort(framed[unique]))))
        wanted = unique[in_window(framed[unique], west - 2 * step, east + 2 * step)]
        out = _take_runs(out, "lon", wanted[np.argsort(framed[wanted])], framed)
        if wanted.size == unique.size:
            out.attrs["zonal_periodic"] = 1  # the whole circle is kept: particles wrap around
        return out
    order = np.argsort(framed, kind="stable")
    if np.any(np.diff(order) != 1):  # stored across the dateline (170..180, -180..-170)
        out = _take_runs(out, "lon", order, framed)
    else:
        out = out.assign_coords(lon=framed)
    if region is None:
        return out
    keep = np.flatnonzero(in_window(out["lon"].values, region[0], region[2]))
    if keep.size:
        out = out.isel(lon=slice(max(keep.min() - 2, 0), keep.max() + 3))
    return out
