"""Compiled (numba) particle stepping for the fast engine.

Performance notes (measured; see scripts/bench_engine.py): helpers run without numba's
reference counting (``_nrt=False``: nothing here allocates); the hot interpolation is
written out flat and the small helpers on the RK4 path are inlined at numba IR level
(``inline="always"``), which costs ~30 s of one-off compile (cached on disk) and gains
~25 %; calling them gave ~100 ns of overhead per velocity sample.

The stepper itself (age, RK4 with these helpers, then the registered behaviours' steps, then
the position update) is generated from the behaviour registry: :mod:`~marinenet.engine._fast_compose`.
Each particle does all its steps in registers (threads move equal parts of the particles),
which is where the speed comes from. Random numbers come from a counter-based generator keyed by
(seed, particle id, step, draw), so a particle's draws do not depend on which batch, thread or
process moves it: batched, resumed and distributed runs give identical results.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba import njit


class Core(NamedTuple):
    """What every step may read: the grid, its land and outside masks, the seed (see ``_fast_compose``)."""

    deg2m: float
    seed: np.int64
    periodic: bool
    three: bool
    has_w: bool
    top: float  # the top depth level (m)
    h: float  # degrees: half-width of the land mask's central differences (coast slip)
    count: bool  # type: ignore[assignment]  # coast contacts are counted (a field; shadows tuple.count)
    has_out: bool
    landm: np.ndarray  # (depth, lat, lon) 1 land, 0 water
    outm: np.ndarray  # (depth, lat, lon) 1 outside the model domain
    depth: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    axes: tuple  # (first value, 1/spacing, evenly spaced) of time, depth, lat, lon (:func:`_axis`)


# ----------------------------------------------------------------------- interpolation
@njit(cache=True, error_model="numpy", _nrt=False)
def _axis(arr):
    """(first value, 1/spacing, 1.0 if evenly spaced else 0.0) of a coordinate axis."""
    n = arr.size
    if n < 2:
        return (arr[0] if n else 0.0, 0.0, 0.0)
    d = (arr[n - 1] - arr[0]) / (n - 1)
    even = 1.0
    for k in range(n):
        if abs(arr[k] - (arr[0] + k * d)) > 1e-9 * abs(d):
            even = 0.0
            break
    return (arr[0], 1.0 / d, even)


@njit(cache=True, error_model="numpy", _nrt=False, inline="always")
def _find(arr, ax, v):
    """Index i with arr[i] < v <= arr[i+1] (numpy ``searchsorted(left) - 1``, clipped) and the
    fraction along the cell; -1 when v is outside [arr[0], arr[-1]]. ``ax`` is :func:`_axis`:
    evenly spaced axes are indexed by arithmetic (no search, no division)."""
    n = arr.size
    if n < 2:
        return 0, 0.0
    if v < arr[0] or v > arr[n - 1]:
        return -1, 0.0
    r = (v - ax[0]) * ax[1]
    i = int(r)
    if i > n - 2:
        i = n - 2
    if ax[2] > 0.0:
        return i, r - i
    while i > 0 and arr[i] >= v:
        i -= 1
    while i < n - 2 and arr[i + 1] < v:
        i += 1
    return i, (v - arr[i]) / (arr[i + 1] - arr[i])


@njit(cache=True, error_model="numpy", _nrt=False)
def _bilin(f, k, j, i, fy, fx):
    return (
        (1.0 - fx) * (1.0 - fy) * f[k, j, i]
        + fx * (1.0 - fy) * f[k, j, i + 1]
        + (1.0 - fx) * fy * f[k, j + 1, i]
        + fx * fy * f[k, j + 1, i + 1]
    )


@njit(cache=True, error_model="numpy", _nrt=False, inline="always")
def _lonwrap(x, lon, periodic):
    if periodic:
        return lon[0] + (x - lon[0]) % 360.0
    return x


@njit(cache=True, error_model="numpy", _nrt=False)
def _bilin4(F, ti, k, j, i, fy, fx):
    return (
        (1.0 - fx) * (1.0 - fy) * F[ti, k, j, i]
        + fx * (1.0 - fy) * F[ti, k, j, i + 1]
        + (1.0 - fx) * fy * F[ti, k, j + 1, i]
        + fx * fy * F[ti, k, j + 1, i + 1]
    )


@njit(cache=True, error_model="numpy", _nrt=False)
def _interp(F, ti, tau, zi, fz, j, fy, i, fx):
    """XLinear: bilinear in lon/lat, then linear in depth, then in time (weights as Parcels)."""
    a = _bilin4(F, ti, zi, j, i, fy, fx)
    if fz > 0.0:
        a = (1.0 - fz) * a + fz * _bilin4(F, ti, zi + 1, j, i, fy, fx)
    if tau > 0.0:
        b = _bilin4(F, ti + 1, zi, j, i, fy, fx)
        if fz > 0.0:
            b = (1.0 - fz) * b + fz * _bilin4(F, ti + 1, zi + 1, j, i, fy, fx)
        a = (1.0 - tau) * a + tau * b
    return a


@njit(cache=True, error_model="numpy", _nrt=False, inline="always")
def _time_index(times, at, t):
    """Time cell and weight; times outside the forcing use its first or last field."""
    if times.size < 2:
        return 0, 0.0
    ti, tau = _find(times, at, t)
    if ti < 0:  # (no conditional expression here: numba compiles that 10x slower)
        if t < times[0]:
            return 0, 0.0
        return times.size - 2, 1.0
    return ti, tau


@njit(cache=True, error_model="numpy", _nrt=False)
def _sample3(F, depth, lat, lon, axes, periodic, z, y, x):
    """Linear value of a static (depth, lat, lon) field; NaN outside the grid."""
    zi, fz = _find(depth, axes[1], z)
    j, fy = _find(lat, axes[2], y)
    i, fx = _find(lon, axes[3], _lonwrap(x, lon, periodic))
    if zi < 0 or j < 0 or i < 0:
        return np.nan
    c00 = (1.0 - fx) * (1.0 - fy)
    c01 = fx * (1.0 - fy)
    c10 = (1.0 - fx) * fy
    c11 = fx * fy
    a = c00 * F[zi, j, i] + c01 * F[zi, j, i + 1] + c10 * F[zi, j + 1, i] + c11 * F[zi, j + 1, i + 1]
    if depth.size > 1 and fz > 0.0:
        k = zi + 1
        b = c00 * F[k, j, i] + c01 * F[k, j, i + 1] + c10 * F[k, j + 1, i] + c11 * F[k, j + 1, i + 1]
        a = (1.0 - fz) * a + fz * b
    return a


@njit(cache=True, error_model="numpy", _nrt=False, inline="always")
def _velocity(U, V, W, depth, lat, lon, axes, periodic, has_w, deg2m, ti, tau, z, y, x):
    """(deg/s east, deg/s north, m/s down) at a point; ok=False outside the grid.

    ``ti``, ``tau``: the time cell and weight (:func:`_time_index`), shared by RK4 stages."""
    zi, fz = _find(depth, axes[1], z)
    j, fy = _find(lat, axes[2], y)
    i, fx = _find(lon, axes[3], _lonwrap(x, lon, periodic))
    if zi < 0 or j < 0 or i < 0:
        return 0.0, 0.0, 0.0, False
    w = 0.0
    if depth.size == 1:  # surface: written out flat (the hot path; numba calls cost more than this)
        c00 = (1.0 - fx) * (1.0 - fy)
        c01 = fx * (1.0 - fy)
        c10 = (1.0 - fx) * fy
        c11 = fx * fy
        u = (
            c00 * U[ti, 0, j, i]
            + c01 * U[ti, 0, j, i + 1]
            + c10 * U[ti, 0, j + 1, i]
            + c11 * U[ti, 0, j + 1, i + 1]
        )
        v = (
            c00 * V[ti, 0, j, i]
            + c01 * V[ti, 0, j, i + 1]
            + c10 * V[ti, 0, j + 1, i]
            + c11 * V[ti, 0, j + 1, i + 1]
        )
        if tau > 0.0:
            k = ti + 1
            u1 = (
                c00 * U[k, 0, j, i]
                + c01 * U[k, 0, j, i + 1]
                + c10 * U[k, 0, j + 1, i]
                + c11 * U[k, 0, j + 1, i + 1]
            )
            v1 = (
                c00 * V[k, 0, j, i]
                + c01 * V[k, 0, j, i + 1]
                + c10 * V[k, 0, j + 1, i]
                + c11 * V[k, 0, j + 1, i + 1]
            )
            u = (1.0 - tau) * u + tau * u1
            v = (1.0 - tau) * v + tau * v1
    else:
        u = _interp(U, ti, tau, zi, fz, j, fy, i, fx)
        v = _interp(V, ti, tau, zi, fz, j, fy, i, fx)
        if has_w:
            w = -_interp(W, ti, tau, zi, fz, j, fy, i, fx)  # upward → depth rate
    return u / (deg2m * math.cos(math.radians(y))), v / deg2m, w, True


@njit(cache=True, error_model="numpy", _nrt=False)
def _place(landm, outm, has_out, depth, lat, lon, axes, periodic, z, y, x):
    """0 water, 1 land, 2 outside the model domain (off the grid or outside share >= 0.5; else land
    share >= 0.5): land and outside are separate bilinear 0/1 fields, never one 0/1/3 code."""
    if has_out:
        o = _sample3(outm, depth, lat, lon, axes, periodic, z, y, x)
        if o >= 0.5:
            return 2
    m = _sample3(landm, depth, lat, lon, axes, periodic, z, y, x)
    if math.isnan(m):  # off the grid
        return 2
    return 1 if m >= 0.5 else 0
