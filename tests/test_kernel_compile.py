"""Kernels written out to compile faster on a first run (issue 16): each equals a few-line numpy
reference on random inputs (ties, NaN, empty and single-entry groups, groups long enough to merge)."""

import numpy as np
import pytest

from marinenet.connectivity._tally_kernels import _RUN, sort_within
from marinenet.zones._index_kernels import band_pairs


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_sort_within_equals_a_stable_numpy_sort_of_each_group(seed):
    rng = np.random.default_rng(seed)
    sizes = np.r_[0, 1, 2, _RUN, _RUN + 1, 2 * _RUN + 3, 5 * _RUN, 1000, rng.integers(0, 70, 200)]
    rng.shuffle(sizes)
    starts = np.r_[0, np.cumsum(sizes)].astype(np.int64)
    n = int(starts[-1])
    d = rng.choice(np.r_[rng.uniform(0, 30, 12), np.nan, 0.0, -0.0], 2 * n)  # ties, NaN, ±0
    order = rng.permutation(2 * n)[:n].astype(np.int64)
    want = order.copy()
    for a, b in zip(starts[:-1], starts[1:], strict=True):
        want[a:b] = order[a:b][np.argsort(d[order[a:b]], kind="stable")]
    np.testing.assert_array_equal(sort_within(order, d, starts), want)


def _candidates(cell, sid, cells, offs, zones, soffs, sflat):
    """The reference: per point, np.unique of its cell's marking zones and its set's zones."""
    want_p, want_z = [], []
    for q in range(cell.size):
        at = np.flatnonzero(cells == cell[q])
        marked = zones[offs[at[0]] : offs[at[0] + 1]] if at.size else np.zeros(0, np.int64)
        z = np.unique(np.r_[marked, sflat[soffs[sid[q]] : soffs[sid[q] + 1]]])
        want_p += [q] * z.size
        want_z += list(z)
    return np.array(want_p, np.int64), np.array(want_z, np.int64)


def test_band_pairs_are_each_points_candidates_sorted_without_repeats():
    rng = np.random.default_rng(5)
    n_cells, n_sets, m = 40, 9, 500
    cells = np.sort(rng.choice(200, n_cells, replace=False)).astype(np.int64)
    offs = np.r_[0, np.cumsum(rng.integers(0, 6, n_cells))].astype(np.int64)
    zones = rng.integers(0, 12, offs[-1]).astype(np.int64)  # repeats within a cell, too
    soffs = np.r_[0, np.cumsum(rng.integers(0, 4, n_sets))].astype(np.int64)
    sflat = rng.integers(0, 12, soffs[-1]).astype(np.int64)
    cell = rng.choice(np.r_[cells, rng.integers(0, 200, 20)], m).astype(np.int64)  # some unmarked
    sid = rng.integers(0, n_sets, m).astype(np.int64)
    for marking in [(cells, offs, zones), (cells[:0], offs[:1], zones[:0])]:  # (none marked)
        want = _candidates(cell, sid, *marking, soffs, sflat)
        got = band_pairs(cell, sid, *marking, soffs, sflat)
        for g, w in zip(got, want, strict=True):
            np.testing.assert_array_equal(g, w)
