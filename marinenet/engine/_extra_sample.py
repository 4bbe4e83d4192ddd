"""Sampling an extra forcing field (:class:`marinenet.ocean.extra.FieldArrays`) at particle positions.

One rule on both engines: linear in time, depth, latitude and longitude (bilinear in the
horizontal, as the currents); positions beyond the grid take its edge values, times before
the first or after the last its first or last field; on a periodic grid the longitude is
taken modulo 360. ``F`` may hold a window of the time slices only (a streamed field): its first
slice is slice ``ax[12]`` of ``times`` (0 for the whole field). :func:`sample` is the compiled form (fast engine, inlined into a
behaviour's step), :func:`sample_np` the vectorised numpy form (the Parcels engine's kernels).
Both compute the same weights in the same order, so the engines agree to rounding.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["sample", "sample_np"]


@njit(cache=True, error_model="numpy", _nrt=False)
def _cell(arr, a0, ainv, even, v):
    """Index i and fraction f with arr[i] <= v <= arr[i+1], v clamped to [arr[0], arr[-1]]."""
    n = arr.size
    if n < 2:
        return 0, 0.0
    if v <= arr[0]:
        return 0, 0.0
    if v >= arr[n - 1]:
        return n - 2, 1.0
    r = (v - a0) * ainv
    i = int(r)
    if i > n - 2:
        i = n - 2
    if i < 0:
        i = 0
    if even > 0.0:
        return i, r - i
    while i > 0 and arr[i] > v:
        i -= 1
    while i < n - 2 and arr[i + 1] < v:
        i += 1
    return i, (v - arr[i]) / (arr[i + 1] - arr[i])


@njit(cache=True, error_model="numpy", _nrt=False, inline="always")
def sample(F, c, times, depth, lat, lon, ax, periodic, t, z, y, x):
    """Component ``c`` of the field ``F`` (component, time, depth, lat, lon) at (t, z, y, x)."""
    # a constant c would compile one version of _sample per component (numba specialises on
    # literal arguments, ~1.5 s each): as an int64 it compiles once
    return _sample(F, np.int64(c), times, depth, lat, lon, ax, periodic, t, z, y, x)


@njit(cache=True, error_model="numpy", _nrt=False)
def _sample(F, c, times, depth, lat, lon, ax, periodic, t, z, y, x):
    if periodic > 0.0:
        x = lon[0] + (x - lon[0]) % 360.0
    ti, ft = _cell(times, ax[0], ax[1], ax[2], t)
    ti -= int(ax[12])  # the slice of the window held in F
    zi, fz = _cell(depth, ax[3], ax[4], ax[5], z)
    j, fy = _cell(lat, ax[6], ax[7], ax[8], y)
    i, fx = _cell(lon, ax[9], ax[10], ax[11], x)
    if lat.size < 2:
        j, fy = 0, 0.0
    if lon.size < 2:
        i, fx = 0, 0.0
    jn = j + 1 if lat.size > 1 else j
    inn = i + 1 if lon.size > 1 else i
    a = _corners(F, c, ti, zi, j, jn, i, inn, fy, fx)
    if fz > 0.0:
        a = (1.0 - fz) * a + fz * _corners(F, c, ti, zi + 1, j, jn, i, inn, fy, fx)
    if ft > 0.0:
        b = _corners(F, c, ti + 1, zi, j, jn, i, inn, fy, fx)
        if fz > 0.0:
            b = (1.0 - fz) * b + fz * _corners(F, c, ti + 1, zi + 1, j, jn, i, inn, fy, fx)
        a = (1.0 - ft) * a + ft * b
    return a


@njit(cache=True, error_model="numpy", _nrt=False)
def _corners(F, c, ti, zi, j, jn, i, inn, fy, fx):
    return (
        (1.0 - fx) * (1.0 - fy) * F[c, ti, zi, j, i]
        + fx * (1.0 - fy) * F[c, ti, zi, j, inn]
        + (1.0 - fx) * fy * F[c, ti, zi, jn, i]
        + fx * fy * F[c, ti, zi, jn, inn]
    )


def _cells(arr: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised :func:`_cell` (by search: the same cell and fraction as the arithmetic of an even axis)."""
    n = arr.size
    v = np.asarray(v, np.float64)
    if n < 2:
        return np.zeros(v.shape, np.int64), np.zeros(v.shape)
    vc = np.clip(v, arr[0], arr[-1])
    i = np.clip(np.searchsorted(arr, vc, side="right") - 1, 0, n - 2)
    f = (vc - arr[i]) / (arr[i + 1] - arr[i])
    return i, f


def sample_np(fa, c: int, t, z, y, x) -> np.ndarray:
    """:func:`sample` on arrays of positions (``fa`` a :class:`~marinenet.ocean.extra.FieldArrays`)."""
    F, lon, first = fa.data, fa.lon, int(fa.ax[12])
    if hasattr(F, "covering"):  # streamed (engine.extra_window.Covering): the window over these times
        F, first = F.covering(t)
    x = np.asarray(x, np.float64)
    if fa.periodic > 0.0:
        x = lon[0] + (x - lon[0]) % 360.0
    shape = np.broadcast(np.asarray(t), np.asarray(z), np.asarray(y), x).shape
    t, z, y, x = (np.broadcast_to(np.asarray(a, np.float64), shape) for a in (t, z, y, x))
    ti, ft = _cells(fa.times, t)
    zi, fz = _cells(fa.depth, z)
    j, fy = _cells(fa.lat, y)
    i, fx = _cells(lon, x)
    jn = j + 1 if fa.lat.size > 1 else j
    inn = i + 1 if lon.size > 1 else i

    def corners(tk, zk):
        return (
            (1.0 - fx) * (1.0 - fy) * F[c, tk, zk, j, i]
            + fx * (1.0 - fy) * F[c, tk, zk, j, inn]
            + (1.0 - fx) * fy * F[c, tk, zk, jn, i]
            + fx * fy * F[c, tk, zk, jn, inn]
        )

    zn = np.minimum(zi + 1, fa.depth.size - 1)
    tn = np.minimum(ti + 1, fa.times.size - 1) - first
    ti = ti - first  # the slices of the window held in F
    a = corners(ti, zi)
    a = np.where(fz > 0.0, (1.0 - fz) * a + fz * corners(ti, zn), a)
    b = corners(tn, zi)
    b = np.where(fz > 0.0, (1.0 - fz) * b + fz * corners(tn, zn), b)
    return np.where(ft > 0.0, (1.0 - ft) * a + ft * b, a)
