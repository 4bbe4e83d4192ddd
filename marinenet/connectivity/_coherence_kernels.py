"""Compiled core of dPC_connector: what every pair loses when a site is no longer a stepping stone.

For a start ``s`` with best-path tree ``T_s`` (distances ``d = −ln p*``), removing site ``k``
changes the distance only of the descendants of ``k`` in ``T_s``: every other site keeps a best
path that avoids ``k``. Their new distances come from a Dijkstra run on the descendants alone,
seeded through the edges that enter them from outside the subtree (whose distances stand). The
cost per ``(s, k)`` is the size of the subtree, not of the network.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange


@njit(cache=True)
def connector_sums(
    indptr: np.ndarray,
    indices: np.ndarray,
    weights: np.ndarray,
    tptr: np.ndarray,
    tind: np.ndarray,
    tw: np.ndarray,
    dist: np.ndarray,
    pred: np.ndarray,
    a: np.ndarray,
    limit: float,
) -> np.ndarray:
    """Σ_{i ≠ k} Σ_{j ≠ k} a_i a_j (p*_ij − p*_ij without k), for every site k.

    ``indptr/indices/weights``: the graph (CSR, out-edges); ``tptr/tind/tw``: its transpose
    (in-edges); ``dist``/``pred``: all-pairs distances and predecessors (scipy, ``inf``/negative
    beyond ``limit``); distances past ``limit`` count as unreachable, as in ``dist``.
    """
    n = a.size
    out = np.zeros(n)
    nchild = np.zeros(n + 1, np.int64)
    child = np.empty(n, np.int64)
    order = np.empty(n, np.int64)
    tin = np.empty(n, np.int64)
    tout = np.empty(n, np.int64)
    stack = np.empty(n, np.int64)
    cursor = np.empty(n, np.int64)
    mark = np.empty(n, np.int64)  # (loops, not np.full or slice assignments: they compile slowly)
    for v in range(n):
        mark[v] = -1
    newd = np.empty(n)
    heap = np.empty(n, np.int64)
    pos = np.empty(n, np.int64)
    for s in range(n):
        if a[s] == 0.0:
            continue
        # children lists (CSR by parent) of the tree of s
        for v in range(n + 1):
            nchild[v] = 0
        for v in range(n):
            if v != s and pred[s, v] >= 0:
                nchild[pred[s, v] + 1] += 1
        for v in range(n):
            nchild[v + 1] += nchild[v]
        for v in range(n):
            cursor[v] = nchild[v]
        for v in range(n):
            if v != s and pred[s, v] >= 0:
                child[cursor[pred[s, v]]] = v
                cursor[pred[s, v]] += 1
        # preorder from s: the descendants of k are order[tin[k] + 1 : tout[k]]
        size, top = 0, 0
        stack[0] = s
        cursor[s] = nchild[s]
        tin[s] = 0
        order[0] = s
        size = 1
        while top >= 0:
            u = stack[top]
            if cursor[u] < nchild[u + 1]:
                c = child[cursor[u]]
                cursor[u] += 1
                tin[c] = size
                order[size] = c
                size += 1
                cursor[c] = nchild[c]
                top += 1
                stack[top] = c
            else:
                tout[u] = size
                top -= 1
        for t in range(1, size):
            k = order[t]
            lo, hi = tin[k] + 1, tout[k]
            if lo >= hi:
                continue  # a leaf: no pair passes through k
            stamp = s * n + k
            for q in range(lo, hi):
                mark[order[q]] = stamp
            size = 0  # an indexed heap of the subtree's sites by newd (as _best_row)
            for q in range(lo, hi):
                v = order[q]
                best = np.inf
                for e in range(tptr[v], tptr[v + 1]):
                    u = tind[e]
                    if u != k and mark[u] != stamp and dist[s, u] + tw[e] < best:
                        best = dist[s, u] + tw[e]
                newd[v] = best
                pos[v] = -1  # -1: not in the heap, -2: settled
                if best <= limit:
                    heap[size] = v
                    pos[v] = size
                    size += 1
                    _sift_up(heap, pos, newd, size - 1)
            while size > 0:
                v = heap[0]
                size = _pop(heap, pos, newd, size)
                dv = newd[v]
                for e in range(indptr[v], indptr[v + 1]):
                    x = indices[e]
                    if mark[x] == stamp and pos[x] != -2 and dv + weights[e] < newd[x]:
                        newd[x] = dv + weights[e]
                        if newd[x] <= limit:
                            if pos[x] == -1:
                                heap[size] = x
                                pos[x] = size
                                size += 1
                            _sift_up(heap, pos, newd, pos[x])
            lost = 0.0
            for q in range(lo, hi):
                v = order[q]
                after = np.exp(-newd[v]) if newd[v] <= limit else 0.0
                lost += a[v] * (np.exp(-dist[s, v]) - after)
            out[k] += a[s] * lost
    return out


@njit(cache=True)
def _sift_up(heap: np.ndarray, pos: np.ndarray, key: np.ndarray, k: int) -> None:
    v = heap[k]
    while k > 0:
        up = (k - 1) >> 1
        u = heap[up]
        if key[u] <= key[v]:
            break
        heap[k] = u
        pos[u] = k
        k = up
    heap[k] = v
    pos[v] = k


@njit(cache=True)
def _sift_down(heap: np.ndarray, pos: np.ndarray, key: np.ndarray, k: int, size: int) -> None:
    v = heap[k]
    while True:
        c = 2 * k + 1
        if c >= size:
            break
        if c + 1 < size and key[heap[c + 1]] < key[heap[c]]:
            c += 1
        if key[v] <= key[heap[c]]:
            break
        heap[k] = heap[c]
        pos[heap[k]] = k
        k = c
    heap[k] = v
    pos[v] = k


@njit(cache=True)
def _pop(heap: np.ndarray, pos: np.ndarray, key: np.ndarray, size: int) -> int:
    """Take the top of the heap of ``size`` out (marked settled: ``pos`` −2); returns the new size."""
    pos[heap[0]] = -2
    size -= 1
    if size > 0:
        heap[0] = heap[size]
        pos[heap[0]] = 0
        _sift_down(heap, pos, key, 0, size)
    return size


@njit(cache=True)
def _best_row(
    s: int,
    indptr: np.ndarray,
    indices: np.ndarray,
    weights: np.ndarray,
    limit: float,
    dist: np.ndarray,
    heap: np.ndarray,
    pos: np.ndarray,
) -> None:
    """Dijkstra from ``s`` (indexed binary heap): ``dist`` = −ln p* up to ``limit``, ``inf`` beyond."""
    n = dist.size
    for v in range(n):
        dist[v] = np.inf
        pos[v] = -1  # -1: not reached, -2: settled
    dist[s] = 0.0
    heap[0] = s
    pos[s] = 0
    size = 1
    while size > 0:
        u = heap[0]
        size = _pop(heap, pos, dist, size)
        du = dist[u]
        for e in range(indptr[u], indptr[u + 1]):
            v = indices[e]
            if pos[v] == -2:
                continue
            nd = du + weights[e]
            if nd < dist[v] and nd <= limit:
                dist[v] = nd
                if pos[v] == -1:
                    heap[size] = v
                    pos[v] = size
                    size += 1
                _sift_up(heap, pos, dist, pos[v])


@njit(cache=True)
def _fill_row(
    s: int,
    indptr: np.ndarray,
    indices: np.ndarray,
    weights: np.ndarray,
    limit: float,
    a: np.ndarray,
    out: np.ndarray,
    rows: np.ndarray,
) -> None:
    n = a.size
    dist = np.empty(n)
    heap = np.empty(n, np.int64)
    pos = np.empty(n, np.int64)
    _best_row(s, indptr, indices, weights, limit, dist, heap, pos)
    total = 0.0
    for v in range(n):
        if dist[v] < np.inf:
            out[s, v] = np.exp(-dist[v])
            total += a[v] * out[s, v]
    rows[s] = total


@njit(cache=True, parallel=True)
def _best_paths_threads(
    indptr: np.ndarray, indices: np.ndarray, weights: np.ndarray, limit: float, a: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    n = a.size
    out, rows = np.zeros((n, n)), np.zeros(n)
    for s in prange(n):
        _fill_row(s, indptr, indices, weights, limit, a, out, rows)
    return out, rows


@njit(cache=True)
def _best_paths_serial(
    indptr: np.ndarray, indices: np.ndarray, weights: np.ndarray, limit: float, a: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    n = a.size
    out, rows = np.zeros((n, n)), np.zeros(n)
    for s in range(n):
        _fill_row(s, indptr, indices, weights, limit, a, out, rows)
    return out, rows


#: networks from this many sites on search from several start sites at once (threads)
THREADED_SITES = 200


def best_paths(
    indptr: np.ndarray, indices: np.ndarray, weights: np.ndarray, limit: float, a: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``p*`` of every ordered pair and ``Σ_j a_j p*_ij`` of each start ``i``: one Dijkstra per start.

    ``p* = exp(−d)`` (0 past ``limit``, diagonal 1): the same search as scipy's
    ``dijkstra(..., limit=limit)`` on weights ``−ln p`` (a CSR graph), for the bootstrap, where it
    runs once per resample. Large networks share the start sites among all the machine's threads
    (small ones would spend more on waking the threads than on the search).
    """
    if a.size < THREADED_SITES:
        return _best_paths_serial(indptr, indices, weights, float(limit), a)
    import numba

    before = numba.get_num_threads()  # the fast engine may have lowered it for a small run
    numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
    try:
        return _best_paths_threads(indptr, indices, weights, float(limit), a)
    finally:
        numba.set_num_threads(before)


@njit(cache=True)
def spliced_sum(a: np.ndarray, pstar: np.ndarray, into: np.ndarray, outof: np.ndarray) -> float:
    """``Σ_i Σ_j a_i a_j max(p*_ij, into_i · outof_j) − Σ_i Σ_j a_i a_j p*_ij``: what a candidate adds to paths."""
    n = a.size
    extra = 0.0
    for i in range(n):
        if into[i] == 0.0 or a[i] == 0.0:
            continue
        row = 0.0
        for j in range(n):
            via = into[i] * outof[j]
            if via > pstar[i, j]:
                row += a[j] * (via - pstar[i, j])
        extra += a[i] * row
    return extra
