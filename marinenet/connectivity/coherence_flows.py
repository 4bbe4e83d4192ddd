"""Site-to-site probabilities p_ij from particles, and their bootstrap (particles resampled within sources).

A particle counts for source site ``i`` with a weight (1, or a share where polygons overlap) and
for each destination site ``j`` with a weight (1, a share, or its survival); ``p_ij`` is the
weighted number of particles from ``i`` that reach ``j`` divided by the weighted number released
from ``i``. Pure arrays: the labels were matched to site numbers by the caller.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix

__all__ = ["Flows", "flows_from_rows", "bootstrap"]


@dataclass(frozen=True)
class Flows:
    """One row per (particle, source site): its site, its weight, and where it went.

    ``reach`` is a sparse ``(rows, sites)`` matrix of source weight × destination weight.
    """

    site: np.ndarray  # source site of each row
    weight: np.ndarray  # source weight of each row
    reach: csr_matrix
    n_sites: int

    def released(self, counts: np.ndarray | None = None) -> np.ndarray:
        """Weighted particles released from each site (rows repeated ``counts`` times)."""
        w = self.weight if counts is None else self.weight * counts
        return np.bincount(self.site, weights=w, minlength=self.n_sites)

    def probabilities(self, counts: np.ndarray | None = None) -> np.ndarray:
        """``p[i, j]``; rows of sites that released nothing are 0."""
        c = np.ones(self.site.size) if counts is None else counts
        pick = csr_matrix((c, (self.site, np.arange(self.site.size))), shape=(self.n_sites, self.site.size))
        reached = np.asarray((pick @ self.reach).todense())
        rel = self.released(counts)
        with np.errstate(invalid="ignore", divide="ignore"):
            p = np.where(rel[:, None] > 0, reached / np.where(rel > 0, rel, 1.0)[:, None], 0.0)
        return np.clip(p, 0.0, 1.0)


def flows_from_rows(
    n_sites: int,
    sources: tuple[np.ndarray, np.ndarray, np.ndarray],
    destinations: tuple[np.ndarray, np.ndarray, np.ndarray],
    n_particles: int,
) -> Flows:
    """:class:`Flows` from ``(particle, site, weight)`` rows of sources and of destinations.

    Rows with a negative site number (not a site) are dropped.
    """
    sp, si, sw = (np.asarray(x) for x in sources)
    dp, dj, dw = (np.asarray(x) for x in destinations)
    keep = si >= 0
    sp, si, sw = sp[keep].astype(np.int64), si[keep].astype(np.int64), sw[keep].astype(float)
    keep = dj >= 0
    dp, dj, dw = dp[keep].astype(np.int64), dj[keep].astype(np.int64), dw[keep].astype(float)
    by_particle = csr_matrix((dw, (dp, dj)), shape=(n_particles, n_sites))
    reach = csr_matrix(by_particle[sp].multiply(sw[:, None]))
    order = np.argsort(si, kind="stable")
    return Flows(si[order], sw[order], reach[order], n_sites)


#: rows with more destination entries than this are not grouped (each row its own class)
GROUPED_ENTRIES = 4


def _classes(flows: Flows) -> tuple[Flows, np.ndarray]:
    """Identical rows of each source merged: the classes (as :class:`Flows`) and how many rows each holds.

    Two rows are identical when they have the same source site, source weight and destination
    entries (sites and weights): resampling rows or classes then gives the same ``p``.
    """
    reach = flows.reach.copy()
    reach.sum_duplicates()
    reach.sort_indices()
    nnz = np.diff(reach.indptr)
    width = int(nnz.max()) if nnz.size else 0
    if flows.site.size == 0 or width > GROUPED_ENTRIES:
        return flows, np.ones(flows.site.size)
    key = np.full((flows.site.size, 2 + 2 * width), -1, np.int64)
    key[:, 0] = flows.site
    key[:, 1] = flows.weight.view(np.int64)
    row = np.repeat(np.arange(flows.site.size), nnz)
    slot = np.arange(reach.nnz) - reach.indptr[row]
    key[row, 2 + 2 * slot] = reach.indices
    key[row, 3 + 2 * slot] = reach.data.view(np.int64)
    order = np.lexsort(key.T[::-1])  # by site first: classes stay sorted by site
    new = np.r_[True, np.any(key[order[1:]] != key[order[:-1]], axis=1)]
    first = order[new]
    count = np.diff(np.r_[np.flatnonzero(new), order.size])
    grouped = Flows(flows.site[first], flows.weight[first], flows.reach[first], flows.n_sites)
    return grouped, count.astype(float)


#: a (sites × largest number of classes) table of shares above this size (beyond 4 per class) is not built
DENSE_DRAW_CELLS = 100_000


def _multinomial_draw(site: np.ndarray, count: np.ndarray, n_sites: int, rng: np.random.Generator):
    """A function drawing, for each class, how many of its site's rows a resample picks.

    Each site draws as many rows as it has, uniformly with replacement: the number falling in each
    class is multinomial (rows of the site, shares = class size / rows of the site).
    """
    size = np.bincount(site, weights=count, minlength=n_sites)
    k = np.bincount(site, minlength=n_sites)
    start = np.r_[0, np.cumsum(k)[:-1]]
    width = int(k.max()) if k.size else 0
    if n_sites * width > 4 * site.size + DENSE_DRAW_CELLS:  # very uneven sites: draw rows, count per class
        row_class = np.repeat(np.arange(site.size), count.astype(np.int64))
        rstart = np.r_[0, np.cumsum(size)[:-1]].astype(np.int64)
        rsite = site[row_class]
        return lambda: np.bincount(
            row_class[rstart[rsite] + np.floor(rng.random(rsite.size) * size[rsite]).astype(np.int64)],
            minlength=site.size,
        ).astype(float)
    col = width - k[site] + (np.arange(site.size) - start[site])  # each site's classes end its row
    shares = np.zeros((n_sites, width))
    shares[site, col] = count / size[site]
    trials = size.astype(np.int64)
    return lambda: rng.multinomial(trials, shares)[site, col].astype(float)


def bootstrap(
    flows: Flows, stat: Callable[[np.ndarray], np.ndarray], n: int, rng: np.random.Generator
) -> np.ndarray:
    """``stat(p)`` for ``n`` resamples: each site's rows drawn with replacement, as many as it has.

    Identical rows are grouped first and each site's draw is one multinomial over its groups: the
    same distribution of ``p`` as drawing the rows one by one, at the cost of the groups (the
    destinations) rather than of the particles. Returns an ``(n, k)`` array of the ``k`` values
    ``stat`` gives.
    """
    classes, count = _classes(flows)
    draw = _multinomial_draw(classes.site, count, flows.n_sites, rng)
    out = [np.atleast_1d(stat(classes.probabilities(draw()))) for _ in range(n)]
    return np.asarray(out).reshape(n, -1)
