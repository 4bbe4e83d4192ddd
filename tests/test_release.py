import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon, box

from marinenet.release import allocate, release_at_points, release_from_polygons, sample_in_polygon

from .release_fixtures import ellipsoid_box_area_km2

T0 = np.datetime64("2021-01-01T00:00")


def test_allocate_is_exact_and_proportional():
    w = [1.0, 2.0, 3.5, 0.25]
    counts = allocate(w, 1001)
    assert counts.sum() == 1001
    exact = 1001 * np.array(w) / sum(w)
    assert np.all(np.abs(counts - exact) < 1)


def test_counts_per_polygon_proportional_to_geodesic_area():
    # same size in degrees, but the high-latitude box is much smaller on the Earth
    polys = [box(0, 0, 4, 4), box(0, 60, 4, 64), box(10, 30, 12, 31)]
    rel = release_from_polygons(["eq", "north", "small"], polys, 10_000, T0, np.random.default_rng(0))
    areas = np.array([ellipsoid_box_area_km2(*p.bounds) for p in polys])  # closed form
    counts = np.array([np.sum(rel.source == s) for s in ("eq", "north", "small")])
    assert counts.sum() == 10_000
    np.testing.assert_array_less(np.abs(counts - 10_000 * areas / areas.sum()), 1.0)
    assert counts[1] / counts[0] == pytest.approx(areas[1] / areas[0], rel=2e-3)


def test_points_are_uniform_on_the_sphere_not_in_degrees():
    """In a box from the equator to 60°N, the share north of 30°N equals its area share."""
    n = 40_000
    lon, lat = sample_in_polygon(box(0, 0, 10, 60), n, np.random.default_rng(3))
    share = np.mean(lat > 30)
    expected = (np.sin(np.deg2rad(60)) - np.sin(np.deg2rad(30))) / np.sin(np.deg2rad(60))  # 0.4226
    sigma = np.sqrt(expected * (1 - expected) / n)
    assert abs(share - expected) < 4 * sigma
    assert abs(expected - 0.5) > 10 * sigma  # uniform-in-degrees (0.5) would be caught


def test_points_lie_inside_the_polygon_and_pass_the_accept_test():
    tri = Polygon([(0, 0), (5, 0), (0, 5)])
    lon, lat = sample_in_polygon(tri, 2000, np.random.default_rng(1), accept=lambda x, y: x > 1)
    assert shapely.contains_xy(tri, lon, lat).all()
    assert np.all(lon > 1)


def test_seed_reproduces_and_another_seed_differs():
    polys = [box(0, 0, 1, 1)]
    a = release_from_polygons(["a"], polys, 50, T0, np.random.default_rng(7))
    b = release_from_polygons(["a"], polys, 50, T0, np.random.default_rng(7))
    c = release_from_polygons(["a"], polys, 50, T0, np.random.default_rng(8))
    np.testing.assert_array_equal(a.lon, b.lon)
    assert not np.allclose(a.lon, c.lon)


def test_release_at_points_repeats_each_point():
    rel = release_at_points([(1, 2), (3, 4)], 3, T0)
    assert list(rel.source) == ["P1"] * 3 + ["P2"] * 3
    assert list(rel.lon) == [1, 1, 1, 3, 3, 3]
