"""Coherence of a protected-area network: PC, ECA, ProtConn and the importance of each site (dPC).

Pure functions on arrays (no files, no zones). Inputs: site areas ``a`` (km²), a directed
probability matrix ``p`` (``p[i, j]`` = probability that a particle from site ``i`` reaches site
``j``) and the area of the region ``region_area`` (A_L, km²).

* ``p*[i, j]`` — the largest product of probabilities along any path ``i → … → j``
  (``p*[i, i] = 1``): a shortest path with weights ``−ln p`` (Dijkstra, scipy);
* ``PC = Σ_i Σ_j a_i a_j p*_ij / A_L²`` (Saura & Pascual-Hortal 2007);
* ``ECA = √(Σ_i Σ_j a_i a_j p*_ij)`` (km²), ``ProtConn = 100 · ECA / A_L`` (Saura et al. 2017);
* ``dPC_k = 100 · (PC − PC without k) / PC``, split as in Saura & Rubio 2010 into
  ``intra`` (the ``a_k²`` term), ``flux`` (pairs that start or end at ``k``) and ``connector``
  (what the other pairs lose when paths can no longer pass through ``k``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

__all__ = [
    "max_product",
    "pc_sum",
    "Coherence",
    "coherence",
    "Importance",
    "importance",
    "eca_gain",
    "eca_on",
    "resampled_values",
]


def _graph(p: np.ndarray) -> csr_matrix:
    """The directed graph with weights −ln p on the pairs with p > 0 (p ≥ 1 gives weight 0, kept)."""
    p = np.asarray(p, dtype=float)
    if p.ndim != 2 or p.shape[0] != p.shape[1]:
        raise ValueError(f"p must be a square matrix, got shape {p.shape}")
    if np.any(~np.isfinite(p)) or np.any(p < 0):
        raise ValueError("p must hold probabilities (finite, ≥ 0)")
    i, j = np.nonzero(p > 0)
    off = i != j
    i, j = i[off], j[off]
    w = -np.log(np.minimum(p[i, j], 1.0))
    # explicit zeros of a sparse graph are edges for csgraph: weight 0 (p = 1) is kept
    return csr_matrix((w, (i, j)), shape=p.shape)


#: pairs whose p* is too small to change Σ a_i a_j p*_ij by more than this share are not followed
TOLERANCE = 1e-9


def path_limit(a: np.ndarray) -> float:
    """Longest path length (−ln p*) worth following for areas ``a``.

    Dropping every pair with ``p* < ε·Σa²/(Σa)²`` changes ``S = Σ a_i a_j p*_ij`` by less than
    ``ε·Σa² ≤ ε·S`` (:data:`TOLERANCE` = ε): far below the 6 significant digits of the tables,
    and it spares following chains of stepping stones to p* of 10⁻⁴⁰.
    """
    a = np.asarray(a, float)
    total = a.sum()
    if total <= 0:
        return np.inf
    return float(-np.log(TOLERANCE * ((a / total) ** 2).sum()))


def _pstar(g: csr_matrix, limit: float) -> np.ndarray:
    d = dijkstra(g, directed=True, limit=limit)
    out = np.exp(-d)
    np.fill_diagonal(out, 1.0)
    return out


def max_product(p: np.ndarray, indices: np.ndarray | None = None) -> np.ndarray:
    """``p*``: the largest product of ``p`` along any path between each ordered pair (``p*_ii = 1``).

    Parameters
    ----------
    p
        ``(n, n)`` probabilities, rows = from, columns = to. The diagonal is ignored.
    indices
        Only these rows (start sites); default all.
    """
    g = _graph(p)
    d = dijkstra(g, directed=True, indices=indices)
    out = np.exp(-d)
    rows = np.arange(g.shape[0]) if indices is None else np.asarray(indices)
    out[np.arange(rows.size), rows] = 1.0
    return out


def pc_sum(a: np.ndarray, pstar: np.ndarray) -> float:
    """``Σ_i Σ_j a_i a_j p*_ij`` (km⁴): the numerator of PC, and ECA²."""
    a = np.asarray(a, float)
    return float(a @ pstar @ a)


@dataclass(frozen=True)
class Coherence:
    """PC, ECA (km²) and ProtConn (%) of one network in one region."""

    region_area_km2: float
    protected_km2: float
    PC: float
    ECA_km2: float
    ProtConn_percent: float


def _check(a: np.ndarray, p: np.ndarray, region_area: float) -> np.ndarray:
    a = np.asarray(a, float)
    if a.ndim != 1 or np.asarray(p).shape != (a.size, a.size):
        raise ValueError(f"a ({a.shape}) and p ({np.asarray(p).shape}) must be (n,) and (n, n)")
    if np.any(~np.isfinite(a)) or np.any(a < 0):
        raise ValueError("areas must be finite and ≥ 0")
    if not np.isfinite(region_area) or region_area <= 0:
        raise ValueError(f"region area must be positive, got {region_area}")
    return a


def coherence(a: np.ndarray, p: np.ndarray, region_area: float) -> Coherence:
    """PC, ECA and ProtConn of sites of areas ``a`` (km²) linked by ``p``, in a region of ``region_area`` km²."""
    a = _check(a, p, region_area)
    s = pc_sum(a, _pstar(_graph(p), path_limit(a))) if a.size else 0.0
    eca = float(np.sqrt(s))
    return Coherence(float(region_area), float(a.sum()), s / region_area**2, eca, 100.0 * eca / region_area)


@dataclass(frozen=True)
class Importance:
    """dPC of each site and its three fractions (percent of PC; ``intra + flux + connector = dPC``)."""

    dPC: np.ndarray
    intra: np.ndarray
    flux: np.ndarray
    connector: np.ndarray


def importance(a: np.ndarray, p: np.ndarray) -> Importance:
    """dPC_k = 100 · (Σ a a p* − the same without site k) / Σ a a p*, and its intra/flux/connector parts.

    Removing ``k`` removes its area and every path through it. ``intra = 100·a_k²/S``;
    ``flux = 100·(Σ_{j≠k} a_k a_j p*_kj + Σ_{i≠k} a_i a_k p*_ik)/S``; ``connector`` = the drop of
    the remaining pairs' terms, i.e. ``dPC − intra − flux`` (≥ 0), from the best-path trees: only
    the descendants of ``k`` in each start's tree are recomputed without ``k``.
    """
    from ._coherence_kernels import connector_sums

    a = np.asarray(a, float)
    n = a.size
    g = _graph(p)
    limit = path_limit(a)
    d, pred = dijkstra(g, directed=True, return_predecessors=True, limit=limit)
    pstar = np.exp(-d)
    np.fill_diagonal(pstar, 1.0)
    total = pc_sum(a, pstar)
    if total <= 0:
        zero = np.zeros(n)
        return Importance(zero, zero.copy(), zero.copy(), zero.copy())
    intra = a**2
    flux = a * (pstar @ a) + a * (a @ pstar) - 2 * a**2
    gt = g.T.tocsr()
    np.fill_diagonal(d, 0.0)
    connector = connector_sums(
        g.indptr.astype(np.int64),
        g.indices.astype(np.int64),
        g.data.astype(float),
        gt.indptr.astype(np.int64),
        gt.indices.astype(np.int64),
        gt.data.astype(float),
        d,
        pred.astype(np.int64),
        a,
        limit if np.isfinite(limit) else 1e300,
    )
    connector = np.maximum(connector, 0.0)  # rounding of exp(−d) only
    scale = 100.0 / total
    return Importance((intra + flux + connector) * scale, intra * scale, flux * scale, connector * scale)


def eca_gain(a: np.ndarray, p: np.ndarray, base: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """ECA gain (km²) of adding each candidate site alone to the sites ``base``.

    ``a`` and ``p`` cover every site (network and candidates); ``base`` and ``candidates`` are
    index arrays into them. Paths may pass only through the sites present (base + the candidate).
    A best path uses the candidate ``c`` at most once, so with ``p*`` of the base alone,
    ``p*'_ij = max(p*_ij, in_i · out_j)`` where ``in_i = max_m p*_im p_mc`` and
    ``out_j = max_m p_cm p*_mj``: one all-pairs search for all candidates.
    """
    a = np.asarray(a, float)
    p = np.asarray(p, float)
    base = np.asarray(base, int)
    ab = a[base]
    if base.size == 0:
        return a[np.asarray(candidates, int)].copy()
    ps = _pstar(_graph(p[np.ix_(base, base)]), path_limit(ab))
    s0 = pc_sum(ab, ps)
    out = []
    for c in np.asarray(candidates, int):
        into = (ps * p[base, c][None, :]).max(axis=1)  # i → … → m → c
        outof = (p[c, base][:, None] * ps).max(axis=0)  # c → m → … → j
        s = ab @ np.maximum(ps, np.outer(into, outof)) @ ab + a[c] ** 2 + a[c] * (ab @ into + outof @ ab)
        out.append(np.sqrt(s) - np.sqrt(s0))
    return np.asarray(out, float)


def eca_on(a: np.ndarray, p: np.ndarray, sites: np.ndarray) -> float:
    """ECA (km²) of the sites ``sites`` alone (paths through them only)."""
    return float(np.sqrt(_sum_on(np.asarray(a, float), p, np.asarray(sites, int))))


def _sum_on(a: np.ndarray, p: np.ndarray, sites: np.ndarray) -> float:
    if sites.size == 0:
        return 0.0
    sub = a[sites]
    return pc_sum(sub, _pstar(_graph(np.asarray(p)[np.ix_(sites, sites)]), path_limit(sub)))


def _into_outof(ps: np.ndarray, p_in: np.ndarray, p_out: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``in_i = max_m p*_im p_mc`` and ``out_j = max_m p_cm p*_mj`` over the links ``m`` of ``c`` only."""
    m_in, m_out = np.flatnonzero(p_in), np.flatnonzero(p_out)
    n = ps.shape[0]
    into = (ps[:, m_in] * p_in[m_in][None, :]).max(axis=1) if m_in.size else np.zeros(n)
    outof = (p_out[m_out][:, None] * ps[m_out, :]).max(axis=0) if m_out.size else np.zeros(n)
    return into, outof


def resampled_values(
    a: np.ndarray, p: np.ndarray, base: np.ndarray, candidates: np.ndarray, region_area: float
) -> np.ndarray:
    """``[PC, ECA, ProtConn, ECA gain of each candidate]`` of one bootstrap resample ``p``.

    The same quantities as :func:`coherence` of the sites ``base`` and :func:`eca_gain`, from one
    all-pairs search (compiled, one thread per start site) shared by both, and each candidate's
    gain from its own links only: the bootstrap repeats this hundreds of times.
    """
    from ._coherence_kernels import best_paths, spliced_sum

    a = np.asarray(a, float)
    p = np.asarray(p, float)
    base = np.asarray(base, int)
    ab = a[base]
    g = _graph(p[np.ix_(base, base)])
    ps, rows = best_paths(
        g.indptr.astype(np.int64), g.indices.astype(np.int64), g.data.astype(float), path_limit(ab), ab
    )
    s0 = float(ab @ rows)
    gains = []
    for c in np.asarray(candidates, int):
        into, outof = _into_outof(ps, p[base, c], p[c, base])
        s = s0 + spliced_sum(ab, ps, into, outof) + a[c] ** 2 + a[c] * (ab @ into + outof @ ab)
        gains.append(np.sqrt(s) - np.sqrt(s0))
    eca = float(np.sqrt(s0))
    return np.r_[s0 / region_area**2, eca, 100.0 * eca / region_area, gains]
