"""PC, ECA, ProtConn and dPC on small networks worked out by hand (Saura & Pascual-Hortal 2007,
Saura et al. 2017, Saura & Rubio 2010). Expected numbers are written as arithmetic here."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marinenet.connectivity.coherence import coherence, eca_gain, eca_on, importance, max_product


def _p(n, links):
    p = np.zeros((n, n))
    for (i, j), v in links.items():
        p[i, j] = v
    return p


def test_two_sites():
    a, p = np.array([2.0, 3.0]), _p(2, {(0, 1): 0.5, (1, 0): 0.2})
    c = coherence(a, p, 10.0)
    s = 2 * 2 + 3 * 3 + 2 * 3 * 0.5 + 3 * 2 * 0.2  # 17.2
    assert c.PC == pytest.approx(s / 10**2)
    assert c.ECA_km2 == pytest.approx(math.sqrt(s))
    assert c.ProtConn_percent == pytest.approx(100 * math.sqrt(s) / 10)
    assert c.protected_km2 == 5.0
    imp = importance(a, p)
    assert imp.dPC[0] == pytest.approx(100 * (s - 9) / s)  # without site 0 only 3² is left
    assert imp.intra[0] == pytest.approx(100 * 4 / s)
    assert imp.flux[0] == pytest.approx(100 * (3.0 + 1.2) / s)
    assert imp.connector[0] == pytest.approx(0.0)
    assert imp.dPC[1] == pytest.approx(100 * (s - 4) / s)


def test_chain_middle_is_a_connector():
    # 0 → 1 → 2, areas 1, 2, 1; 0 reaches 2 only through 1: p*_02 = 0.5 · 0.4
    a, p = np.array([1.0, 2.0, 1.0]), _p(3, {(0, 1): 0.5, (1, 2): 0.4})
    ps = max_product(p)
    assert ps[0, 2] == pytest.approx(0.5 * 0.4)
    assert ps[2, 0] == 0.0 and ps[1, 0] == 0.0
    s = 1 + 4 + 1 + 1 * 2 * 0.5 + 2 * 1 * 0.4 + 1 * 1 * 0.2  # 8.0
    assert coherence(a, p, 10.0).PC == pytest.approx(s / 100)
    imp = importance(a, p)
    assert imp.dPC[1] == pytest.approx(100 * (s - 2) / s)  # 75 %
    assert imp.intra[1] == pytest.approx(100 * 4 / s)  # 50 %
    assert imp.flux[1] == pytest.approx(100 * (1.0 + 0.8) / s)  # 22.5 %
    assert imp.connector[1] == pytest.approx(100 * 0.2 / s)  # 2.5 %
    assert imp.connector[0] == 0.0 and imp.connector[2] == 0.0


def test_chain_with_a_weaker_direct_link():
    # the direct 0 → 2 link (0.1) is weaker than the path through 1 (0.2): removing 1 drops p*_02 to 0.1
    a, p = np.array([1.0, 2.0, 1.0]), _p(3, {(0, 1): 0.5, (1, 2): 0.4, (0, 2): 0.1})
    assert max_product(p)[0, 2] == pytest.approx(0.2)
    s = 8.0
    imp = importance(a, p)
    assert imp.dPC[1] == pytest.approx(100 * (s - (1 + 1 + 0.1)) / s)  # 73.75 %
    assert imp.connector[1] == pytest.approx(100 * (0.2 - 0.1) / s)  # 1.25 %


def test_hub():
    # hub 0 (area 2) exchanges 0.5 each way with three leaves (area 1); leaves meet only through it
    links = {(0, j): 0.5 for j in (1, 2, 3)} | {(j, 0): 0.5 for j in (1, 2, 3)}
    a, p = np.array([2.0, 1.0, 1.0, 1.0]), _p(4, links)
    assert max_product(p)[1, 2] == pytest.approx(0.25)
    s = 4 + 3 + 2 * 3 * (2 * 1 * 0.5) + 6 * 0.25  # 14.5
    assert coherence(a, p, 20.0).ECA_km2 == pytest.approx(math.sqrt(s))
    imp = importance(a, p)
    assert imp.dPC[0] == pytest.approx(100 * (s - 3) / s)
    assert imp.intra[0] == pytest.approx(100 * 4 / s)
    assert imp.flux[0] == pytest.approx(100 * 6 / s)
    assert imp.connector[0] == pytest.approx(100 * 1.5 / s)
    # a leaf: no stepping stone
    assert imp.dPC[1] == pytest.approx(100 * (s - (4 + 2 + 4 + 0.5)) / s)
    assert imp.intra[1] == pytest.approx(100 * 1 / s)
    assert imp.flux[1] == pytest.approx(100 * (2 + 4 * 0.25) / s)
    assert imp.connector[1] == pytest.approx(0.0)


def test_disconnected_sites():
    a, p = np.array([3.0, 4.0]), np.zeros((2, 2))
    c = coherence(a, p, 50.0)
    assert c.ECA_km2 == pytest.approx(5.0)  # √(3² + 4²)
    assert c.ProtConn_percent == pytest.approx(100 * 5 / 50)
    assert c.PC == pytest.approx(25 / 2500)
    imp = importance(a, p)
    np.testing.assert_allclose(imp.dPC, [100 * 9 / 25, 100 * 16 / 25])
    np.testing.assert_allclose(imp.intra, imp.dPC)
    np.testing.assert_allclose(imp.flux, 0.0)


def test_asymmetric_flows():
    # 0 → 1 (0.8), 1 → 2 (0.5), nothing flows back
    a, p = np.ones(3), _p(3, {(0, 1): 0.8, (1, 2): 0.5})
    ps = max_product(p)
    assert ps[0, 2] == pytest.approx(0.4) and ps[2, 0] == 0.0
    s = 3 + 0.8 + 0.5 + 0.4
    assert coherence(a, p, 4.0).PC == pytest.approx(s / 16)
    imp = importance(a, p)
    assert imp.dPC[1] == pytest.approx(100 * (s - 2) / s)
    assert imp.flux[1] == pytest.approx(100 * 1.3 / s)
    assert imp.connector[1] == pytest.approx(100 * 0.4 / s)
    assert imp.dPC[2] == pytest.approx(100 * (s - (2 + 0.8)) / s)


def test_certain_link_and_zero_probabilities():
    # p = 1 is a weight-0 edge and must count; p = 0 is no edge at all
    a, p = np.ones(3), _p(3, {(0, 1): 1.0, (1, 2): 0.0})
    ps = max_product(p)
    assert ps[0, 1] == 1.0 and ps[1, 2] == 0.0 and ps[0, 2] == 0.0
    assert coherence(a, p, 3.0).ECA_km2 == pytest.approx(math.sqrt(3 + 1))


def test_eca_gain_of_a_stepping_stone_candidate():
    # network: sites 0 and 2 (area 1), disconnected; candidate 1 (area 2) links them as in the chain
    a, p = np.array([1.0, 2.0, 1.0]), _p(3, {(0, 1): 0.5, (1, 2): 0.4})
    gain = eca_gain(a, p, np.array([0, 2]), np.array([1]))
    assert gain[0] == pytest.approx(math.sqrt(8.0) - math.sqrt(2.0))


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError, match="square"):
        max_product(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="probabilities"):
        max_product(np.array([[0, -0.1], [0, 0]]))
    with pytest.raises(ValueError, match="region area"):
        coherence(np.ones(2), np.zeros((2, 2)), 0.0)


# ------------------------------------------------------------------ properties
def _floyd_max_product(p):
    """Reference p*: Floyd–Warshall on products (a separate few-line algorithm)."""
    n = p.shape[0]
    best = p.copy()
    np.fill_diagonal(best, 1.0)
    for k in range(n):
        best = np.maximum(best, best[:, [k]] * best[[k], :])
    return best


@st.composite
def networks(draw):
    n = draw(st.integers(1, 6))
    a = np.array(draw(st.lists(st.floats(0.0, 10.0), min_size=n, max_size=n)))
    probs = st.one_of(st.just(0.0), st.floats(0.0, 1.0))
    p = np.array(draw(st.lists(probs, min_size=n * n, max_size=n * n))).reshape(n, n)
    extra = draw(st.floats(1.0, 5.0))
    return a, p, max(a.sum(), 1e-3) * extra


@settings(max_examples=60, deadline=None)
@given(networks())
def test_properties(net):
    a, p, region = net
    ps = max_product(p)
    np.testing.assert_allclose(ps, _floyd_max_product(p), rtol=1e-9, atol=1e-12)
    off = ~np.eye(a.size, dtype=bool)
    assert np.all(ps[off] >= p[off] * (1 - 1e-12))
    c = coherence(a, p, region)
    assert 0.0 <= c.PC <= (a.sum() / region) ** 2 * (1 + 1e-9)
    assert c.ECA_km2 >= math.sqrt((a**2).sum()) * (1 - 1e-9)
    imp = importance(a, p)
    np.testing.assert_allclose(imp.intra + imp.flux + imp.connector, imp.dPC, atol=1e-9)
    assert np.all(imp.connector >= 0)
    s = c.ECA_km2**2
    for k in range(a.size):  # dPC against a full recomputation without site k
        keep = np.arange(a.size) != k
        without = coherence(a[keep], p[np.ix_(keep, keep)], region).ECA_km2 ** 2
        expected = 100 * (s - without) / s if s > 0 else 0.0
        assert imp.dPC[k] == pytest.approx(expected, abs=1e-7)


@settings(max_examples=40, deadline=None)
@given(networks(), st.integers(0, 5))
def test_candidate_gain_equals_a_full_recomputation(net, split):
    """eca_gain (one search, candidates spliced in) against ECA recomputed with each candidate added."""
    a, p, _ = net
    n = a.size
    base, cand = np.arange(min(split, n)), np.arange(min(split, n), n)
    gains = eca_gain(a, p, base, cand)
    for c, g in zip(cand, gains, strict=True):
        expected = eca_on(a, p, np.r_[base, c]) - eca_on(a, p, base)
        assert g == pytest.approx(expected, rel=1e-9, abs=1e-9)
