"""Compiled core of dPC_connector: what every pair loses when a site is no longer a stepping stone.

For a start ``s`` with best-path tree ``T_s`` (distances ``d = −ln p*``), removing site ``k``
changes the distance only of the descendants of ``k`` in ``T_s``: every other site keeps a best
path that avoids ``k``. Their new distances come from a Dijkstra run on the descendants alone,
seeded through the edges that enter them from outside the subtree (whose distances stand). The
cost per ``(s, k)`` is the size of the subtree, not of the network.
"""

from __future__ import annotations

import heapq

import numpy as np
from numba import njit


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
    mark = np.full(n, -1, np.int64)
    newd = np.empty(n)
    for s in range(n):
        if a[s] == 0.0:
            continue
        # children lists (CSR by parent) of the tree of s
        nchild[:] = 0
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
            heap = [(0.0, np.int64(0))]
            heap.pop()
            for q in range(lo, hi):
                v = order[q]
                best = np.inf
                for e in range(tptr[v], tptr[v + 1]):
                    u = tind[e]
                    if u != k and mark[u] != stamp and dist[s, u] + tw[e] < best:
                        best = dist[s, u] + tw[e]
                newd[v] = best
                if best <= limit:
                    heapq.heappush(heap, (best, v))
            while len(heap) > 0:
                dv, v = heapq.heappop(heap)  # type: ignore[assignment]  # numba: int64 node ids throughout
                if dv > newd[v]:
                    continue
                for e in range(indptr[v], indptr[v + 1]):
                    x = indices[e]
                    if mark[x] == stamp and dv + weights[e] < newd[x]:
                        newd[x] = dv + weights[e]
                        if newd[x] <= limit:
                            heapq.heappush(heap, (newd[x], x))
            lost = 0.0
            for q in range(lo, hi):
                v = order[q]
                after = np.exp(-newd[v]) if newd[v] <= limit else 0.0
                lost += a[v] * (np.exp(-dist[s, v]) - after)
            out[k] += a[s] * lost
    return out
