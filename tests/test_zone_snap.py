"""Snapping (``snap``): a position no zone covers but within ``snap`` degrees of one belongs to its
nearest zone, of equally near zones the first in layer order. ZoneIndex.nearest measures to short
pieces of the boundaries; the expectation here is shapely's distance from each point to each whole
polygon (holes and multi-part zones included), the minimum taken by hand."""

import numpy as np
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import MultiPolygon, Polygon, box

from marinenet.zones import ZoneIndex, layer_from_frame


def _blob(rng, cx, cy, r, n):
    """A star-shaped polygon of ``n`` vertices around (cx, cy): a wiggly coast of many segments."""
    a = np.sort(rng.uniform(0, 2 * np.pi, n))
    rad = r * rng.uniform(0.6, 1.0, n)
    return Polygon(np.c_[cx + rad * np.cos(a), cy + rad * np.sin(a)])


def _zones(seed):
    rng = np.random.default_rng(seed)
    geoms = [
        _blob(rng, *rng.uniform(-5, 5, 2), rng.uniform(0.5, 2), int(rng.integers(3, 400))) for _ in range(4)
    ]
    ring = box(-8, -8, 8, 8).difference(box(-7, -7, 7, 7))  # a frame: holes are inside it
    geoms.append(MultiPolygon([_blob(rng, 20, 0, 1, 50), _blob(rng, 24, 0, 1, 7)]))
    geoms.append(ring)
    return [shapely.make_valid(g) for g in geoms]


def _expected(geoms, lon, lat, within):
    """(nearest zone or -1, True where the answer is not decided by rounding: a tie or ``within`` itself)."""
    d = shapely.distance(np.asarray(geoms, dtype=object)[None, :], shapely.points(lon, lat)[:, None])
    best = d.min(axis=1)
    zone = np.where(best <= within, d.argmin(axis=1), -1)  # argmin: the first of equal minima
    second = np.sort(d, axis=1)[:, 1] if len(geoms) > 1 else np.full(lon.size, np.inf)
    close = (second - best < 1e-9) | (np.abs(best - within) < 1e-9)
    return zone, close


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), within=st.sampled_from([0.05, 0.3, 1.0, 3.0]))
def test_the_nearest_zone_within_snap_is_the_nearest_polygon(seed, within):
    geoms = _zones(seed)
    index = ZoneIndex(geoms)
    rng = np.random.default_rng(seed)
    lon, lat = rng.uniform(-12, 28, 3000), rng.uniform(-12, 12, 3000)
    miss = index.first(lon, lat) < 0
    lon, lat = lon[miss], lat[miss]
    p, z = index.nearest(lon, lat, within)
    got = np.full(lon.size, -1)
    got[p] = z
    want, close = _expected(geoms, lon, lat, within)
    assert np.array_equal(got[~close], want[~close])
    assert (~close).sum() > 0.9 * lon.size


def test_equally_near_zones_go_to_the_first_in_layer_order():
    # (0, 0.5) is 0.5 from both squares; (0, -0.25) is nearer the second; (5, 5) is near neither
    geoms = [box(0.5, 0, 1.5, 1), box(-1.5, -1, -0.5, 1)]
    p, z = ZoneIndex(geoms).nearest(np.array([0.0, 0.0, 5.0]), np.array([0.5, -0.25, 5.0]), 0.6)
    assert p.tolist() == [0, 1] and z.tolist() == [0, 1]
    p, z = ZoneIndex(geoms[::-1]).nearest(np.array([0.0]), np.array([0.5]), 0.6)
    assert z.tolist() == [0]


def test_a_layer_snaps_only_what_no_zone_covers():
    import geopandas as gpd

    frame = gpd.GeoDataFrame(
        {"id": ["A", "B"]}, geometry=[box(0, 0, 1, 1), box(1.1, 0, 2, 1)], crs="EPSG:4326"
    )
    layer = layer_from_frame("eez", frame, "id", "high_seas", False, 0.2)
    lon = np.array([0.5, 1.04, 1.06, 2.3, -0.1, 1.5])
    lat = np.array([0.5, 0.5, 0.5, 0.5, 1.1, 0.5])
    # inside A; 0.04 from A (0.06 from B); 0.04 from B; 0.3 from B (too far); 0.14 from A's corner; inside B
    assert layer.classify(lon, lat).tolist() == [0, 0, 1, -1, 0, 1]
