"""The compiled per-step zone lookup (ZoneIndex.first, zones/_index_kernels.py) gives exactly the
answers of the numpy path it replaced and of shapely's exact test, boundaries included."""

import numpy as np
import pytest
import shapely
from shapely.geometry import MultiPolygon, box

from marinenet.zones import ZoneIndex
from marinenet.zones.index import exact_query

from .test_zones import POLYS, _test_points

# tiles sharing edges (every point of a shared edge is in both), and a zone split at the dateline
TILES = [box(170 + 2 * i, -10 + 2 * j, 172 + 2 * i, -8 + 2 * j) for i in range(4) for j in range(4)] + [
    MultiPolygon([box(178, -12, 180, 2), box(-180, -12, -176, 2)])
]


def _awkward(lon, lat, seed=1):
    """The points plus non-finite positions, longitudes beyond ±180 (the same places) and points
    outside every zone and outside the index raster."""
    rng = np.random.default_rng(seed)
    k = rng.integers(0, lon.size, 2_000)
    extra_lon = np.r_[lon[k] + 360.0, lon[k] - 720.0, np.nan, 5.0, np.inf, -np.inf, 0.0, 540.0, -540.0]
    extra_lat = np.r_[lat[k], lat[k], 5.0, np.nan, 0.0, 10.0, -np.inf, -15.0, -15.0]
    return np.r_[lon, extra_lon], np.r_[lat, extra_lat]


def _reference(geoms, lon, lat):
    p, z = exact_query(geoms, lon, lat)
    out = np.full(lon.size, -1, np.int64)
    out[p[::-1]] = z[::-1]
    return out


@pytest.mark.parametrize(
    "geoms, resolution",
    [(POLYS, None), (POLYS, 0.5), (TILES, None), (TILES, 0.3), (TILES[:3], 0.05)],
)
def test_compiled_first_equals_numpy_path_and_exact_test(geoms, resolution):
    lon, lat = _awkward(*_test_points(geoms, n=60_000))
    idx = ZoneIndex(geoms, resolution)
    got = idx.first(lon, lat)
    assert got.dtype == np.int64
    with np.errstate(invalid="ignore"):  # (the numpy path's wrap of the infinite longitudes)
        np.testing.assert_array_equal(got, idx._first_numpy(lon, lat))
    np.testing.assert_array_equal(got, _reference(geoms, lon, lat))
    assert (got == -1).any() and (got >= 0).any()


def test_compiled_first_on_a_shared_edge_and_the_seam_by_hand():
    idx = ZoneIndex(TILES, 0.25)
    # (172, -8): corner of tiles 0, 1, 4, 5 -> 0; (178, -5): edge of tile 14 and the split zone 16;
    # (180, -5), (-180, -5), (-177, 1): only the split zone; the rest: no zone
    lon = np.array([172.0, 171.0, 178.0, 180.0, -180.0, -177.0, 169.0, -175.0, 173.0])
    lat = np.array([-8.0, -9.0, -5.0, -5.0, -5.0, 1.0, -5.0, 0.0, 4.0])
    np.testing.assert_array_equal(idx.first(lon, lat), [0, 0, 14, 16, 16, 16, -1, -1, -1])


def test_compiled_first_of_no_points_and_of_points_all_in_the_band():
    idx = ZoneIndex([box(0, 0, 1, 1)], 0.1)
    assert idx.first(np.zeros(0), np.zeros(0)).size == 0
    edge = np.linspace(0, 1, 101)
    lon = np.r_[edge, np.zeros(101), edge + 1e-12]
    lat = np.r_[np.zeros(101), edge, np.full(101, 1.0 + 1e-12)]
    expect = np.r_[np.zeros(202, np.int64), np.full(101, -1)]
    np.testing.assert_array_equal(idx.first(lon, lat), expect)
    assert shapely.intersects_xy(box(0, 0, 1, 1), 0.5, 0.0)  # boundaries count (the reference's rule)
