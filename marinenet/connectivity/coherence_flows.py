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


def bootstrap(
    flows: Flows, stat: Callable[[np.ndarray], np.ndarray], n: int, rng: np.random.Generator
) -> np.ndarray:
    """``stat(p)`` for ``n`` resamples: each site's rows drawn with replacement, as many as it has.

    Returns an ``(n, k)`` array of the ``k`` values ``stat`` gives.
    """
    size = np.bincount(flows.site, minlength=flows.n_sites)
    start = np.r_[0, np.cumsum(size)[:-1]]
    out = []
    for _ in range(n):
        pick = start[flows.site] + np.floor(rng.random(flows.site.size) * size[flows.site]).astype(np.int64)
        counts = np.bincount(pick, minlength=flows.site.size).astype(float)
        out.append(np.atleast_1d(stat(flows.probabilities(counts))))
    return np.asarray(out).reshape(n, -1)
