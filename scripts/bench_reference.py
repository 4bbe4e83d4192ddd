"""A hand-written numba RK4 kernel on the bench_engine problem: the speed the fast engine is measured against.

Same problem as the fast engine on bench_engine's forcing: bilinear in lon/lat, linear in time, RK4 with
the stage times' fields, Parcels' metric (1852 m × 60 per degree), a particle whose RK4 stage leaves the
grid stops (out of domain), a step that ends where the bilinear land mask is ≥ 0.5 stops (stranded).
Evenly spaced axes only; no behaviours, no windows, no ages. ``bench_engine.py --engines ref1 ref2`` runs
it side by side with the engine (tests/test_bench_reference.py checks it gives the engine's positions).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

DEG2M = 1852.0 * 60.0


@njit(cache=True, inline="always")
def _cell(v, v0, inv, n):
    r = (v - v0) * inv
    i = min(int(r), n - 2)
    return i, r - i


@njit(cache=True, inline="always")
def _inside(g, x, y):
    return g[0] <= x <= g[3] and g[4] <= y <= g[7]


@njit(cache=True, inline="always")
def _uv(U, V, g, ti, tau, x, y):
    """(deg/s east, deg/s north, inside the grid) at (x, y) between time slices ti, ti + 1."""
    x0, ix, nx, _, y0, iy, ny, _ = g
    if not _inside(g, x, y):
        return 0.0, 0.0, False
    i, fx = _cell(x, x0, ix, nx)
    j, fy = _cell(y, y0, iy, ny)
    c00, c01, c10, c11 = (1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy
    u = c00 * U[ti, j, i] + c01 * U[ti, j, i + 1] + c10 * U[ti, j + 1, i] + c11 * U[ti, j + 1, i + 1]
    v = c00 * V[ti, j, i] + c01 * V[ti, j, i + 1] + c10 * V[ti, j + 1, i] + c11 * V[ti, j + 1, i + 1]
    if tau > 0.0:
        k = ti + 1
        u1 = c00 * U[k, j, i] + c01 * U[k, j, i + 1] + c10 * U[k, j + 1, i] + c11 * U[k, j + 1, i + 1]
        v1 = c00 * V[k, j, i] + c01 * V[k, j, i + 1] + c10 * V[k, j + 1, i] + c11 * V[k, j + 1, i + 1]
        u, v = (1 - tau) * u + tau * u1, (1 - tau) * v + tau * v1
    return u / (DEG2M * math.cos(math.radians(y))), v / DEG2M, True


@njit(cache=True, inline="always")
def _when(t, tg):  # the time cell and weight; clamped to the first or last field outside
    t0, it, nt = tg
    r = (t - t0) * it
    i = min(max(int(r), 0), nt - 2)
    return i, min(max(r - i, 0.0), 1.0)


@njit(parallel=True, cache=True, error_model="numpy")
def advance(x, y, t, status, U, V, land, g, tg, dt, steps):
    """``steps`` RK4 steps of every moving particle (status 0); 1 out of domain, 2 stranded."""
    x0, ix, nx, _, y0, iy, ny, _ = g
    for p in prange(x.size):
        px, py, pt = x[p], y[p], t[p]
        for _ in range(steps):
            if status[p] != 0:
                break
            t0, th, t1 = _when(pt, tg), _when(pt + 0.5 * dt, tg), _when(pt + dt, tg)
            u1, v1, ok1 = _uv(U, V, g, t0[0], t0[1], px, py)
            u2, v2, ok2 = _uv(U, V, g, th[0], th[1], px + u1 * 0.5 * dt, py + v1 * 0.5 * dt)
            u3, v3, ok3 = _uv(U, V, g, th[0], th[1], px + u2 * 0.5 * dt, py + v2 * 0.5 * dt)
            u4, v4, ok4 = _uv(U, V, g, t1[0], t1[1], px + u3 * dt, py + v3 * dt)
            if not (ok1 and ok2 and ok3 and ok4):
                status[p] = 1
                break
            nxp = px + (u1 + 2 * u2 + 2 * u3 + u4) / 6.0 * dt
            nyp = py + (v1 + 2 * v2 + 2 * v3 + v4) / 6.0 * dt
            if not _inside(g, nxp, nyp):
                status[p] = 1
                break
            i, fx = _cell(nxp, x0, ix, nx)
            j, fy = _cell(nyp, y0, iy, ny)
            c00, c01, c10, c11 = (1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy
            if (
                c00 * land[j, i] + c01 * land[j, i + 1] + c10 * land[j + 1, i] + c11 * land[j + 1, i + 1]
                >= 0.5
            ):
                status[p] = 2
                break
            px, py, pt = nxp, nyp, pt + dt
        x[p], y[p], t[p] = px, py, pt


def grid(oc) -> tuple:
    """(x0, 1/dx, nx, x1, y0, 1/dy, ny, y1) of the forcing's evenly spaced lon/lat axes."""
    return _axis(oc["lon"].values) + _axis(oc["lat"].values)


def _axis(a: np.ndarray) -> tuple:
    """(first, 1/spacing, size, last): the spacing as the engine takes it, (last - first) / (n - 1)."""
    return float(a[0]), 1.0 / ((float(a[-1]) - float(a[0])) / (a.size - 1)), a.size, float(a[-1])


def fields(oc) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple]:
    """U, V (time, lat, lon), the land mask (lat, lon) and the time axis (t0, 1/dt, n) in s from the start."""
    sec = (oc["time"].values - oc["time"].values[0]) / np.timedelta64(1, "s")
    tg = _axis(sec)[:3]
    u = np.ascontiguousarray(np.nan_to_num(oc["u"].values))
    v = np.ascontiguousarray(np.nan_to_num(oc["v"].values))
    return u, v, np.ascontiguousarray(oc["land"].values.astype(np.float64)), tg
