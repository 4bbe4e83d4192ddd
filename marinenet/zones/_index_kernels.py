"""Compiled parts of :meth:`marinenet.zones.index.ZoneIndex.first`, the per-step zone lookup.

Everything but the exact point-in-polygon test runs here, in one pass per array and without
the GIL (the streamed analytics call it from their own thread while the stepper moves the next
step, :mod:`marinenet.streaming`): the raster and its coarse level give each point its first
zone, or mark it for the exact test; for the marked points, the candidate (point, zone) pairs
are the zones whose edges mark its cell and the zones covering the cell's centre, sorted by
point then zone, each pair once — what :meth:`ZoneIndex._exact` builds with numpy.
"""

from __future__ import annotations

import numpy as np
from numba import njit

BAND_BIT = np.int32(1 << 30)


@njit(cache=True, nogil=True)
def raster_cell(x, y, x0, y0, res, nx, ny):  # pragma: no cover - compiled
    """The raster cell (i, j) of a position, or (-1, -1) for a non-finite one or one outside the raster
    (longitudes beyond ±180 wrapped as :func:`marinenet.zones.wrap_lon` does)."""
    if not (np.isfinite(x) and np.isfinite(y)):
        return -1, -1
    if x < -180.0 or x > 180.0:  # as wrap_lon
        x = ((x + 180.0) % 360.0) - 180.0
    i = np.floor((x - x0) / res)
    j = np.floor((y - y0) / res)
    if i < 0 or i >= nx or j < 0 or j >= ny:
        return -1, -1
    return int(i), int(j)


@njit(cache=True, nogil=True)
def first_lookup(lon, lat, x0, y0, res, packed, coarse, k, first_of_set):  # pragma: no cover - compiled
    """Per point: the first zone of its raster cell's zone set (-1: none, outside the raster, or a
    non-finite position), and the points whose cell is in the boundary band (their answer is -1
    here: the exact test decides), with those cells (flat) and zone sets.

    The raster arithmetic is :func:`marinenet.zones.index._raster_lookup`'s, step for step."""
    n = lon.size
    ny, nx = packed.shape
    out = np.empty(n, np.int64)  # (filled in the loop: np.full and slice copies compile slowly)
    band = np.empty(n, np.int64)
    m = 0
    for p in range(n):
        out[p] = -1
        i, j = raster_cell(lon[p], lat[p], x0, y0, res, nx, ny)
        if i < 0:
            continue
        c = coarse[j // k, i // k]
        if c >= 0:
            out[p] = first_of_set[c]
            continue
        v = packed[j, i]
        if v >= BAND_BIT:
            band[m] = p
            m += 1
        else:
            out[p] = first_of_set[v]
    e = np.empty(m, np.int64)
    cell = np.empty(m, np.int64)
    sid = np.empty(m, np.int64)
    for q in range(m):
        p = band[q]
        e[q] = p
        i, j = raster_cell(lon[p], lat[p], x0, y0, res, nx, ny)
        cell[q] = j * nx + i
        sid[q] = packed[j, i] & (BAND_BIT - 1)
    return out, e, cell, sid


@njit(cache=True, nogil=True)
def band_pairs(cell, sid, cells, offs, zones, soffs, sflat):  # pragma: no cover - compiled
    """Candidate (point, zone) pairs of band points (cells ``cell``, zone sets ``sid``): the zones
    marking the cell (``cells`` sorted, ``offs``, ``zones``) and the set's zones (``soffs``,
    ``sflat``), sorted by point then zone, without repeats.

    (A binary search and an insertion sort written out: numba's ``np.searchsorted`` and ``np.sort``
    take seconds to compile, and a point has a handful of candidates.)"""
    m = cell.size
    count = np.zeros(m + 1, np.int64)
    lo = np.zeros(m, np.int64)
    hi = np.zeros(m, np.int64)
    for q in range(m):
        a, b = 0, cells.size  # the first of ``cells`` not below cell[q]
        while a < b:
            mid = (a + b) >> 1
            if cells[mid] < cell[q]:
                a = mid + 1
            else:
                b = mid
        if a < cells.size and cells[a] == cell[q]:
            lo[q], hi[q] = offs[a], offs[a + 1]
        count[q + 1] = count[q] + (hi[q] - lo[q]) + (soffs[sid[q] + 1] - soffs[sid[q]])
    p_out = np.empty(count[m], np.int64)
    z_out = np.empty(count[m], np.int64)
    n = 0
    for q in range(m):
        a = count[q]
        b = a
        for t in range(lo[q], hi[q]):
            b = _insert(z_out, a, b, zones[t])
        for t in range(soffs[sid[q]], soffs[sid[q] + 1]):
            b = _insert(z_out, a, b, sflat[t])
        for t in range(a, b):  # (n <= t: the pairs move down in place)
            p_out[n] = q
            z_out[n] = z_out[t]
            n += 1
    return p_out[:n], z_out[:n]


@njit(cache=True, nogil=True)
def _insert(z, a, b, v):  # pragma: no cover - compiled
    """Insert ``v`` into the sorted distinct ``z[a:b]`` unless there; returns the new end."""
    t = b
    while t > a and z[t - 1] > v:
        t -= 1
    if t > a and z[t - 1] == v:
        return b
    for u in range(b, t, -1):
        z[u] = z[u - 1]
    z[t] = v
    return b + 1


@njit(cache=True, nogil=True)
def first_hits(out, e, p, z, hit):  # pragma: no cover - compiled
    """Band points ``e``: the first zone of each among its pairs ``(p, z)`` that hit (pairs sorted by
    point then zone), -1 where none does."""
    done = np.zeros(e.size, np.bool_)
    for t in range(p.size):
        if hit[t] and not done[p[t]]:
            out[e[p[t]]] = z[t]
            done[p[t]] = True
