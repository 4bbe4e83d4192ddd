"""Release density: particles per km² of WATER are the same in every release polygon (issue 12
item 10, issue 19 item 2). Expected areas come from the closed form of a longitude/latitude box
on the WGS84 ellipsoid (tests/release_fixtures.py), never from the code under test."""

import logging

import numpy as np
import pytest
import shapely
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Polygon, box

import marinenet
from marinenet.ocean import WetTest
from marinenet.release import release_from_polygons, water_area_km2
from marinenet.zones.geometry import normalise_antimeridian

from .conftest import canonical
from .release_fixtures import ellipsoid_box_area_km2, zone_area_m2

T0 = np.datetime64("2021-01-01T00:00")
TIMES = np.array([T0, T0 + np.timedelta64(2, "D")])


def _zero(X, Y):
    return 0.0 * X


def test_closed_form_is_the_wgs84_surface():
    assert 2 * zone_area_m2(90.0) / 1e6 == pytest.approx(510_065_621.7, rel=1e-9)


BOXES = {
    "10deg_equator": (0, 0, 10, 10),
    "10deg_north": (0, 70, 10, 80),
    "30x20_equator": (0, 0, 30, 20),
    "30x20_north": (0, 40, 30, 60),
    "120x30": (0, 10, 120, 40),
    "southern_ocean_band": (-180, -70, 180, -50),
    "polar_cap": (-180, 80, 180, 90),
}


@pytest.mark.parametrize("name", list(BOXES))
def test_allocation_area_matches_the_closed_form(name):
    """Before: +0.25 % / −0.45 % (10° boxes), +2.1 % / −1.7 % (30°×20°), +11 % (120°×30°), 0 (band, cap)."""
    area, water = water_area_km2(box(*BOXES[name]))
    assert area == pytest.approx(ellipsoid_box_area_km2(*BOXES[name]), rel=1e-6)
    assert water == area


def test_counts_follow_the_closed_form_areas_band_and_cap_included():
    names = list(BOXES)
    polys = [box(*BOXES[n]) for n in names]
    n = 20_000
    rel = release_from_polygons(names, polys, n, T0, np.random.default_rng(1))
    counts = np.array([np.sum(rel.source == s) for s in names])
    areas = np.array([ellipsoid_box_area_km2(*BOXES[s]) for s in names])
    assert np.all(np.abs(counts - n * areas / areas.sum()) < 1.0), counts  # largest remainder: < 1
    cap = rel.source == "polar_cap"
    assert cap.sum() > 0 and np.all(rel.lat[cap] >= 80)


def test_band_alone_releases_all_its_particles():
    """Before: weight 0 and a traceback when the band was the only polygon."""
    rel = release_from_polygons(["SO"], [box(-180, -70, 180, -50)], 50, T0, np.random.default_rng(2))
    assert len(rel) == 50 and np.all((rel.lat >= -70) & (rel.lat <= -50))


def _coast_grid():
    """0.5° grid 0..20°E, 0..10°N; land at grid nodes lon ≥ 15: the wet test (bilinear land < 0.5)
    puts the coast half-way between nodes 14.5 and 15, at 14.75°E."""
    lon, lat = np.arange(0, 20.01, 0.5), np.arange(0, 10.01, 0.5)
    land = np.broadcast_to(lon >= 15, (lat.size, lon.size)).copy()
    return canonical(lon, lat, TIMES, _zero, _zero, land=land)


def test_half_land_polygon_gets_particles_in_proportion_to_its_water():
    """Before: both polygons got the same count (equal whole-polygon areas), so B had 2.3× the density."""
    wet = WetTest(_coast_grid())
    polys = [box(1, 1, 5, 5), box(13, 1, 17, 5)]  # same area; B is water only west of 14.75
    n = 2300
    rel = release_from_polygons(["A", "B"], polys, n, T0, np.random.default_rng(3), accept=wet)
    water_b = (14.75 - 13) / 4  # same latitudes: the share is the longitude share
    expected_b = n * water_b / (1 + water_b)  # 700
    assert abs(np.sum(rel.source == "B") - expected_b) <= 1 + 0.002 * n
    assert np.all(rel.lon[rel.source == "B"] < 14.75)


def _write(path, ds):
    out = ds[["u", "v"]].rename(lon="longitude", lat="latitude")
    for name, std in (("u", "eastward"), ("v", "northward")):
        out[name].attrs = {"units": "m s-1", "standard_name": f"{std}_sea_water_velocity"}
    out.astype("float32").to_netcdf(path)


def _scenario(tmp_path, boxes, particles, release=None, duration="1 day"):
    features = [
        {"type": "Feature", "properties": {"id": k}, "geometry": shapely.geometry.mapping(box(*b))}
        for k, b in boxes.items()
    ]
    (tmp_path / "a.geojson").write_text(
        __import__("json").dumps({"type": "FeatureCollection", "features": features})
    )
    sc = {
        "name": "density",
        "seed": 4,
        "ocean": {"source": "c.nc"},
        "zones": {"a": {"path": "a.geojson", "id": "id"}},
        "release": release or {"from": {"layer": "a"}, "particles": particles, "start": "2021-01-01T00:00"},
        "simulation": {"duration": duration, "dt": "1 hour"},
        "output": "out",
    }
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(sc))
    return marinenet.load_scenario(tmp_path / "s.yaml")


def test_prepare_warns_and_allocates_by_water_area(tmp_path, caplog):
    _write(tmp_path / "c.nc", _coast_grid())
    sc = _scenario(tmp_path, {"A": (1, 1, 5, 5), "B": (13, 1, 17, 5)}, 2300)
    with caplog.at_level(logging.WARNING, logger="marinenet"):
        prep = marinenet.prepare(sc)
    assert abs(np.sum(prep.release.source == "B") - 700) <= 6
    text = caplog.text
    assert "'B' 56 %" in text and "'A'" not in text.split("partly on land")[1].split(".")[0]


def test_polygon_with_no_water_is_refused_by_name(tmp_path):
    _write(tmp_path / "c.nc", _coast_grid())
    sc = _scenario(tmp_path, {"A": (1, 1, 5, 5), "dry": (16, 1, 19, 5)}, 100)
    with pytest.raises(marinenet.InputDataError, match="'dry'.*no water"):
        marinenet.prepare(sc)


def _global_file(path):
    lon, lat = np.arange(0, 360, 1.0), np.arange(-80, 80.1, 1.0)
    _write(path, canonical(lon, lat, TIMES, _zero, _zero))


def test_global_grid_releases_between_179e_and_180(tmp_path):
    """Before: on a global (zonal_periodic) grid the wet test stopped at the last column (179°E):
    no particle between 179°E and 180°, and points there were refused."""
    _global_file(tmp_path / "c.nc")
    sc = _scenario(tmp_path, {"SO": (-180, -70, 180, -50)}, 3600)
    rel = marinenet.prepare(sc).release
    east = (rel.lon % 360 >= 179) & (rel.lon % 360 < 180)
    assert 10 - 4 * np.sqrt(10) <= east.sum() <= 10 + 4 * np.sqrt(10)  # 1/360 of the band
    pts = {"from": {"points": [[179.5, -60.0], [-179.9, 10.0]]}, "particles": 2, "start": "2021-01-01T00:00"}
    rel = marinenet.prepare(_scenario(tmp_path, {"SO": (-180, -70, 180, -50)}, 2, release=pts)).release
    np.testing.assert_allclose(np.sort(rel.lon % 360), [179.5, 179.5, 180.1, 180.1])


# ---------------------------------------------------------------- property test
LAND = (39.5, 60.5)  # dry longitudes of the property grid (land nodes 40..60°E, coast half-way)


def _lon_pieces(x0, x1):
    """[x0, x1] (x1 − x0 ≤ 360, any frame) as pieces within [-180, 180]."""
    if x1 - x0 >= 360:
        return [(-180.0, 180.0)]
    a = (x0 + 180) % 360 - 180
    b = a + (x1 - x0)
    return [(a, b)] if b <= 180 else [(a, 180.0), (-180.0, b - 360)]


def _water_closed_form(x0, y0, x1, y1):
    total = 0.0
    for a, b in _lon_pieces(x0, x1):
        dry = max(0.0, min(b, LAND[1]) - max(a, LAND[0]))
        total += ellipsoid_box_area_km2(0, y0, (b - a) - dry, y1)
    return total


@pytest.fixture(scope="module")
def property_wet():
    lon, lat = np.arange(-180, 180, 1.0), np.arange(-90, 90.1, 1.0)
    land = np.broadcast_to((lon >= 40) & (lon <= 60), (lat.size, lon.size)).copy()
    ds = canonical(lon, lat, TIMES, _zero, _zero, land=land)
    ds.attrs["zonal_periodic"] = 1
    return WetTest(ds)


@st.composite
def _boxes(draw):
    x0 = draw(st.floats(-180, 179.9))
    w = draw(st.one_of(st.floats(0.05, 2), st.floats(2, 120), st.just(360.0)))
    y0 = draw(st.one_of(st.floats(-90, 89.5), st.just(-90.0), st.just(80.0)))
    h = draw(st.one_of(st.floats(0.05, 1), st.floats(1, 60)))
    y1 = min(y0 + h, 90.0)
    hole = draw(st.booleans()) and w >= 1 and h >= 1 and w < 360
    return (x0, y0, x0 + w, y1, hole)


def _polygon(x0, y0, x1, y1, hole):
    if x1 - x0 >= 360:
        return box(-180, y0, 180, y1), _water_closed_form(x0, y0, x1, y1)
    shell = shapely.segmentize(box(x0, y0, x1, y1), 1.0)
    expected = _water_closed_form(x0, y0, x1, y1)
    if hole:
        ix0, iy0, ix1, iy1 = x0 + (x1 - x0) / 4, y0 + (y1 - y0) / 4, x1 - (x1 - x0) / 4, y1 - (y1 - y0) / 4
        shell = Polygon(shell.exterior.coords, [box(ix0, iy0, ix1, iy1).exterior.coords[::-1]])
        expected -= _water_closed_form(ix0, iy0, ix1, iy1)
    return normalise_antimeridian(shell), expected


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_boxes(), min_size=1, max_size=4), st.integers(0, 2**32 - 1))
def test_property_counts_follow_geodesic_water_area(property_wet, specs, seed):
    """Random boxes, bands, caps, slivers, holes, dateline crossings over a grid with a land band."""
    polys, water = zip(*(_polygon(*s) for s in specs), strict=True)
    water = np.array(water)
    if water.sum() <= 0:
        return
    ids = [f"p{i}" for i in range(len(polys))]
    n = 1000
    keep = [i for i in range(len(ids)) if water[i] > 0]
    rel = release_from_polygons(
        [ids[i] for i in keep], [polys[i] for i in keep], n, T0, np.random.default_rng(seed), property_wet
    )
    counts = np.array([np.sum(rel.source == ids[i]) for i in keep])
    expected = n * water[keep] / water[keep].sum()
    assert np.all(np.abs(counts - expected) <= 1 + 0.01 * expected), (counts, expected)
    assert property_wet(rel.lon, rel.lat).all()
    for i in keep:
        mine = rel.source == ids[i]
        assert shapely.contains_xy(polys[i], rel.lon[mine], rel.lat[mine]).all()
