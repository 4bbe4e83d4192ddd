"""Compiled kernels of the sparse zone tally (:class:`marinenet.connectivity.exposure.ZoneTally`)
and of the grouped percentiles of the arrival table.

The tally keeps one cell per (particle, zone) a particle has been in, in an open-addressing
hash table (linear probing) keyed ``particle * n_zones + zone``: the first arrival there and
the time spent there. The time in the particle's current zone runs in a per-particle
accumulator and is written to its cell when the particle leaves (and when the cells are read).
"""

from __future__ import annotations

import numpy as np
from numba import njit

EMPTY = np.int64(-1)
_MULT = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing


@njit(cache=True, nogil=True)
def _slot(keys, key, shift):  # pragma: no cover - compiled
    """The slot holding ``key``, or the empty slot where it would go."""
    mask = keys.size - 1
    s = np.int64((np.uint64(key) * _MULT) >> np.uint64(shift))
    while keys[s] != EMPTY and keys[s] != key:
        s = (s + 1) & mask
    return s


@njit(cache=True, nogil=True)
def tally_step(
    keys, first, days, here, run, idx, length, zone, arrival, nz, shift, k0, room
):  # pragma: no cover
    """Particles ``idx[k0:]`` made a step of ``length`` (counted in their current zone) ending in
    ``zone``; a first arrival there records ``arrival``. Stops before a particle once ``room`` new
    cells were made. Returns (the next particle's position in ``idx``, new cells)."""
    new = 0
    for k in range(k0, idx.size):
        if new >= room:
            return k, new
        p = idx[k]
        h = here[p]
        run[p] += length[k]
        z = zone[k]
        if z == h:
            continue
        if h >= 0:
            days[_slot(keys, p * nz + h, shift)] = run[p]
        s = _slot(keys, p * nz + z, shift)
        if keys[s] == EMPTY:
            keys[s] = p * nz + z
            first[s] = arrival[k]
            days[s] = 0.0
            new += 1
        run[p] = days[s]
        here[p] = z
    return idx.size, new


@njit(cache=True, nogil=True)
def tally_start(keys, first, days, here, run, idx, zone, nz, shift, k0, room):  # pragma: no cover - compiled
    """Particles ``idx[k0:]`` are in ``zone`` from arrival 0 (a cell already there keeps its time).
    Stops once ``room`` new cells were made. Returns (next position in ``idx``, new cells)."""
    new = 0
    for k in range(k0, idx.size):
        if new >= room:
            return k, new
        p = idx[k]
        if here[p] >= 0:
            days[_slot(keys, p * nz + here[p], shift)] = run[p]
        s = _slot(keys, p * nz + zone[k], shift)
        if keys[s] == EMPTY:
            keys[s] = p * nz + zone[k]
            days[s] = 0.0
            new += 1
        first[s] = 0.0
        run[p] = days[s]
        here[p] = zone[k]
    return idx.size, new


@njit(cache=True, nogil=True)
def tally_put(keys, first, days, key, f, d, shift, k0, room):  # pragma: no cover - compiled
    """Set the cells ``key[k0:]`` to first arrival ``f`` and time ``d``; stops once ``room`` new cells
    were made. Returns (next position, new cells)."""
    new = 0
    for k in range(k0, key.size):
        if new >= room:
            return k, new
        s = _slot(keys, key[k], shift)
        if keys[s] == EMPTY:
            keys[s] = key[k]
            new += 1
        first[s], days[s] = f[k], d[k]
    return key.size, new


@njit(cache=True, nogil=True)
def tally_flush(keys, days, here, run, idx, nz, shift):  # pragma: no cover - compiled
    """Write the running time of particles ``idx`` into the cell of their current zone."""
    for p in idx:
        if here[p] >= 0:
            days[_slot(keys, p * nz + here[p], shift)] = run[p]


@njit(cache=True, nogil=True)
def tally_load_run(keys, days, here, run, idx, nz, shift):  # pragma: no cover - compiled
    """The running time of particles ``idx`` from the cell of their current zone."""
    for p in idx:
        if here[p] >= 0:
            s = _slot(keys, p * nz + here[p], shift)
            run[p] = days[s] if keys[s] != EMPTY else 0.0


@njit(cache=True, nogil=True)
def group_percentiles(d, w, starts, stops, q, weighted):  # pragma: no cover - compiled
    """Percentiles ``q`` (fractions) of each group ``d[starts[g]:stops[g]]`` (sorted ascending) as
    ``numpy.percentile``: linear interpolation, or where ``weighted[g]`` the inverted CDF of ``w``.

    (The cumulative sum and the search written out: numba's ``np.cumsum`` and ``np.searchsorted``
    double the compile time.)"""
    out = np.empty((starts.size, q.size))
    cdf = np.empty(16)
    for g in range(starts.size):
        a, b = starts[g], stops[g]
        m = b - a
        if weighted[g]:
            if cdf.size < m:
                cdf = np.empty(max(m, 2 * cdf.size))
            total = 0.0
            for i in range(m):  # as np.cumsum, then divided by the last
                total += w[a + i]
                cdf[i] = total
            for i in range(m):
                cdf[i] /= total
            if cdf[0] == 0.0:
                for i in range(m):
                    if cdf[i] == 0.0:
                        cdf[i] = -1.0
            for j in range(q.size):  # the first i with cdf[i] >= q (np.searchsorted, side "left")
                i = 0
                while i < m - 1 and cdf[i] < q[j]:
                    i += 1
                out[g, j] = d[a + i]
            continue
        for j in range(q.size):
            v = (m - 1) * q[j]
            lo = np.floor(v)
            if v >= m - 1:
                out[g, j] = d[b - 1]
                continue
            x0, x1 = d[a + int(lo)], d[a + int(lo) + 1]
            t = v - lo
            diff = x1 - x0
            out[g, j] = x1 - diff * (1.0 - t) if t >= 0.5 else x0 + diff * t
    return out


@njit(cache=True, nogil=True)
def group_order(s, z, n_s, n_z):  # pragma: no cover - compiled
    """Stable order of entries by (s, z) — two counting-sort passes, O(entries + n_s + n_z) — and
    the start of each (s, z) group in that order (plus the end)."""
    n = s.size
    by_z = np.empty(n, np.int64)
    count = np.zeros(n_z + 1, np.int64)
    for i in range(n):
        count[z[i] + 1] += 1
    for k in range(n_z):
        count[k + 1] += count[k]
    for i in range(n):
        by_z[count[z[i]]] = i
        count[z[i]] += 1
    order = np.empty(n, np.int64)
    count = np.zeros(n_s + 1, np.int64)
    for i in range(n):
        count[s[i] + 1] += 1
    for k in range(n_s):
        count[k + 1] += count[k]
    for i in by_z:
        order[count[s[i]]] = i
        count[s[i]] += 1
    starts = np.empty(n + 1, np.int64)
    g = 0
    for k in range(n):
        i = order[k]
        if k == 0 or s[i] != s[order[k - 1]] or z[i] != z[order[k - 1]]:
            starts[g] = k
            g += 1
    starts[g] = n
    return order, starts[: g + 1]


@njit(cache=True, nogil=True)
def _before(x, y):  # pragma: no cover - compiled
    """``x`` sorts before ``y`` (NaN last, as numpy sorts)."""
    return x < y or (y != y and x == x)


#: entries a group's merge sort orders by insertion before merging
_RUN = 16


@njit(cache=True, nogil=True)
def sort_within(order, d, starts):  # pragma: no cover - compiled
    """Reorder each group's entries (``order[starts[g]:starts[g + 1]]``) by ``d``, ties kept in order.

    A stable merge sort written out (runs of :data:`_RUN` by insertion, then merged between two
    buffers): numba's ``np.argsort(kind="mergesort")`` takes three times as long to compile."""
    n = order.size
    out = np.empty(n, np.int64)
    key = np.empty(n)
    for i in range(n):
        out[i] = order[i]
        key[i] = d[order[i]]
    alt = np.empty(n, np.int64)
    akey = np.empty(n)
    for g in range(starts.size - 1):
        a, b = starts[g], starts[g + 1]
        for r in range(a, b, _RUN):
            for i in range(r + 1, min(r + _RUN, b)):
                k, s, j = key[i], out[i], i
                while j > r and _before(k, key[j - 1]):
                    key[j], out[j] = key[j - 1], out[j - 1]
                    j -= 1
                key[j], out[j] = k, s
        x, xk, y, yk = out, key, alt, akey
        width, flipped = _RUN, False
        while width < b - a:
            for lo in range(a, b, 2 * width):
                mid, hi = min(lo + width, b), min(lo + 2 * width, b)
                i, j = lo, mid
                for t in range(lo, hi):
                    if j < hi and (i >= mid or _before(xk[j], xk[i])):
                        y[t], yk[t] = x[j], xk[j]
                        j += 1
                    else:
                        y[t], yk[t] = x[i], xk[i]
                        i += 1
            x, xk, y, yk = y, yk, x, xk
            width, flipped = 2 * width, not flipped
        if flipped:
            for t in range(a, b):
                out[t] = alt[t]
    return out
