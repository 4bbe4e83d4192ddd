"""Bootstrap of the coherence metrics: particles resampled within their source site.

Expectations from outside the code: a Floyd–Warshall max-product written here, binomial laws
(a site's particles reaching another site are a binomial count when resampled), and exact
enumeration of the resamples of three weighted particles.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from marinenet.connectivity import coherence_flows
from marinenet.connectivity.coherence import resampled_values
from marinenet.connectivity.coherence_flows import bootstrap, flows_from_rows


def _floyd(p):
    n = p.shape[0]
    best = p.astype(float).copy()
    np.fill_diagonal(best, 1.0)
    for k in range(n):
        best = np.maximum(best, best[:, [k]] * best[[k], :])
    return best


def _eca(a, p, sites):
    sub = np.asarray(sites, int)
    return math.sqrt(a[sub] @ _floyd(p[np.ix_(sub, sub)]) @ a[sub]) if sub.size else 0.0


@st.composite
def networks(draw):
    n = draw(st.integers(1, 7))
    a = np.array(draw(st.lists(st.floats(0.0, 10.0), min_size=n, max_size=n)))
    probs = st.one_of(st.just(0.0), st.just(1.0), st.floats(0.0, 1.0))
    p = np.array(draw(st.lists(probs, min_size=n * n, max_size=n * n))).reshape(n, n)
    return a, p, draw(st.integers(0, n))


@settings(max_examples=60, deadline=None)
@given(networks())
def test_resampled_values_against_floyd_warshall(net):
    """PC / ECA / ProtConn and the candidates' gains of one resample, against a full max-product recomputation."""
    a, p, split = net
    base, cand = np.arange(split), np.arange(split, a.size)
    region = max(a.sum(), 1.0) * 3.0
    got = resampled_values(a, p, base, cand, region)
    eca = _eca(a, p, base)
    assert got[0] == pytest.approx(eca**2 / region**2, rel=1e-9, abs=1e-15)
    assert got[1] == pytest.approx(eca, rel=1e-9, abs=1e-9)
    assert got[2] == pytest.approx(100 * eca / region, rel=1e-9, abs=1e-9)
    for g, c in zip(got[3:], cand, strict=True):
        assert g == pytest.approx(_eca(a, p, np.r_[base, c]) - eca, rel=1e-7, abs=1e-7)


def _two_sites(n, k):
    """Site 0 releases ``n`` particles, ``k`` of them end in site 1; site 1 releases ``n``, none reach 0."""
    particle = np.arange(2 * n)
    site = np.repeat([0, 1], n)
    dest = np.full(2 * n, -1)
    dest[:k] = 1
    return flows_from_rows(2, (particle, site, np.ones(2 * n)), (particle, dest, np.ones(2 * n)), 2 * n)


def test_resampled_link_is_a_binomial_share():
    """p_01 of a resample is Binomial(n, k/n)/n: its mean and variance, and ECA's interval from binomial quantiles."""
    n, k, reps = 200, 60, 4000
    flows = _two_sites(n, k)
    draws = bootstrap(flows, lambda pb: pb[0, 1], reps, np.random.default_rng(5))[:, 0]
    q = k / n
    se = math.sqrt(q * (1 - q) / n)
    assert draws.mean() == pytest.approx(q, abs=4 * se / math.sqrt(reps))
    assert draws.std() == pytest.approx(se, rel=0.08)
    np.testing.assert_allclose(draws * n, np.round(draws * n), atol=1e-9)  # whole particles
    # ECA = √(a0² + a1² + a0 a1 p01): its 2.5 / 97.5 percentiles follow those of the binomial count
    a = np.array([3.0, 2.0])
    eca = bootstrap(
        flows,
        lambda pb: resampled_values(a, pb, np.arange(2), np.empty(0, int), 100.0),
        reps,
        np.random.default_rng(6),
    )[:, 1]
    for level in (2.5, 97.5):
        count = stats.binom.ppf(level / 100, n, q)  # the empirical percentile lies within two particles
        lo = math.sqrt(13 + 6 * (count - 2) / n)
        hi = math.sqrt(13 + 6 * (count + 2) / n)
        assert lo <= np.percentile(eca, level) <= hi


def _interval(n_per_site, seed):
    flows = _two_sites(n_per_site, int(0.3 * n_per_site))
    a = np.array([3.0, 2.0])
    draws = bootstrap(
        flows,
        lambda pb: resampled_values(a, pb, np.arange(2), np.empty(0, int), 100.0),
        400,
        np.random.default_rng(seed),
    )
    return np.percentile(draws[:, 2], [2.5, 97.5])


def test_interval_contains_the_point_and_shrinks_as_one_over_root_n():
    point = 100 * math.sqrt(9 + 4 + 6 * 0.3) / 100  # ProtConn with p01 = 0.3, p10 = 0
    widths = []
    for n in (100, 400, 1600):
        lo, hi = _interval(n, 11)
        assert lo <= point <= hi
        widths.append(hi - lo)
    # four times the particles: half the width (binomial standard error ∝ 1/√n)
    for wide, narrow in itertools.pairwise(widths):
        assert wide / narrow == pytest.approx(2.0, rel=0.25)


def test_a_seed_makes_intervals_reproducible():
    np.testing.assert_array_equal(_interval(300, 3), _interval(300, 3))
    assert not np.array_equal(_interval(300, 3), _interval(300, 4))


def _weighted_rows():
    """Site 0: three particles of source weights 1, 3 and 1; the third (only) ends in site 1."""
    particle = np.arange(3)
    src = (particle, np.zeros(3, int), np.array([1.0, 3.0, 1.0]))
    dst = (np.array([2]), np.array([1]), np.array([1.0]))
    return flows_from_rows(2, src, dst, 3)


def _exact_law():
    """p_01 over the 27 equally likely ordered resamples of the three particles (weights 1, 3, 1)."""
    law: dict[float, float] = {}
    for pick in itertools.product(range(3), repeat=3):
        c = np.bincount(pick, minlength=3)
        v = round(c[2] / (c[0] + 3 * c[1] + c[2]), 12)
        law[v] = law.get(v, 0.0) + 1 / 27
    return law


@pytest.mark.parametrize("rows_path", [False, True])
def test_weighted_particles_are_resampled_one_by_one(monkeypatch, rows_path):
    """Particles of different weights are never pooled: the resampled p_01 has the exact law of drawing particles."""
    if rows_path:  # the draw for very uneven sites (particles drawn, then counted per group)
        monkeypatch.setattr(coherence_flows, "DENSE_DRAW_CELLS", -(10**9))
    reps = 6000
    draws = bootstrap(_weighted_rows(), lambda pb: pb[0, 1], reps, np.random.default_rng(2))[:, 0]
    law = _exact_law()
    values, counts = np.unique(np.round(draws, 12), return_counts=True)
    assert set(values) <= set(law)
    for v, c in zip(values, counts, strict=True):
        assert c / reps == pytest.approx(law[v], abs=4 * math.sqrt(law[v] * (1 - law[v]) / reps))


def test_particles_reaching_several_sites_keep_their_destinations_together():
    """With 'visit' a particle counts for every site it passed: resampled, its sites move together."""
    # site 0: two particles, one visits sites 1 and 2, the other none → p_01 == p_02 in every resample
    src = (np.arange(2), np.zeros(2, int), np.ones(2))
    dst = (np.array([0, 0]), np.array([1, 2]), np.ones(2))
    draws = bootstrap(flows_from_rows(3, src, dst, 2), lambda pb: pb[0, 1:], 500, np.random.default_rng(0))
    np.testing.assert_array_equal(draws[:, 0], draws[:, 1])
    assert set(np.round(draws[:, 0], 12)) == {0.0, 0.5, 1.0}


def test_threaded_search_of_a_large_network_equals_scipy():
    """Networks from THREADED_SITES sites search in threads: p* and row sums as scipy's Dijkstra gives them."""
    from scipy.sparse import random as sparse_random
    from scipy.sparse.csgraph import dijkstra

    from marinenet.connectivity._coherence_kernels import THREADED_SITES, best_paths

    n = THREADED_SITES + 50
    rng = np.random.default_rng(8)
    g = sparse_random(
        n, n, density=0.02, format="csr", random_state=rng, data_rvs=lambda k: rng.uniform(0, 3, k)
    )
    g.setdiag(0)
    g.eliminate_zeros()
    a = rng.uniform(1, 5, n)
    limit = 6.0
    expected = np.exp(-dijkstra(g, directed=True, limit=limit))
    np.fill_diagonal(expected, 1.0)
    import numba

    numba.set_num_threads(
        1
    )  # as a small fast-engine run leaves it: the search uses every thread, then restores it
    try:
        ps, rows = best_paths(g.indptr.astype(np.int64), g.indices.astype(np.int64), g.data, limit, a)
        assert numba.get_num_threads() == 1
    finally:
        numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
    np.testing.assert_allclose(ps, expected, rtol=1e-12, atol=0)
    np.testing.assert_allclose(rows, expected @ a, rtol=1e-12)
    assert 0 < (expected > 0).mean() < 1  # the limit cut some pairs
