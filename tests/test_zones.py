"""Zone layers: the fast index agrees with the exact test; official schemas read as published."""

import logging

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import MultiPolygon, Polygon, box

from marinenet import InputDataError
from marinenet.scenario import ZoneLayerConfig
from marinenet.zones import ZoneIndex, layer_from_frame, load_layers
from marinenet.zones.geometry import geodesic_area_km2, normalise_antimeridian
from marinenet.zones.index import exact_query

from .conftest import SHARED_DATA
from .zone_fixtures import (
    ebsa_frame,
    ellipsoid_box_area_km2,
    high_seas_frame,
    marineregions_frame,
    wdpa_frame,
)

# ------------------------------------------------------------------ index vs exact
POLYS = [
    box(-10, -10, 10, 10).difference(box(-3, -3, 3, 3)),  # a hole
    box(0, 0, 20, 20),  # overlaps the first
    MultiPolygon([box(175, -20, 180, -10), box(-180, -20, -172, -10)]),  # split at the antimeridian
    box(-180, 80, 180, 90),  # polar cap, touches the pole
    Polygon([(30, 30), (60, 35), (50, 60), (40, 45), (32, 55)]),  # concave
]


def _test_points(geoms, n=100_000, seed=0):
    rng = np.random.default_rng(seed)
    lon = rng.uniform(-180, 180, n)
    lat = np.rad2deg(np.arcsin(rng.uniform(-1, 1, n)))
    verts = np.concatenate([shapely.get_coordinates(shapely.segmentize(g.boundary, 0.37)) for g in geoms])
    near = [verts + d for d in ([0, 0], [1e-9, 0], [0, -1e-9], [1e-6, 1e-6], [-1e-4, 3e-5])]
    special = np.array(
        [
            [180, -15],
            [-180, -15],
            [180, 85],
            [-180, 85],
            [0, 90],
            [123, 90],
            [0, -90],
            [180, 90],
            [-180, -90],
            [10, 10],
            [-3, 0],
            [3, 3],
        ]
    )
    pts = np.concatenate([np.column_stack([lon, lat]), *near, special])
    pts[:, 1] = np.clip(pts[:, 1], -90, 90)
    return pts[:, 0], pts[:, 1]


@pytest.mark.parametrize("resolution", [None, 0.5, 0.013])
def test_index_membership_is_identical_to_the_exact_test(resolution):
    lon, lat = _test_points(POLYS)
    idx = ZoneIndex(POLYS, resolution)
    p_ref, z_ref = exact_query(POLYS, lon, lat)
    p, z = idx.query(lon, lat)
    np.testing.assert_array_equal(p, p_ref)
    np.testing.assert_array_equal(z, z_ref)
    first_ref = np.full(lon.size, -1)
    first_ref[p_ref[::-1]] = z_ref[::-1]
    np.testing.assert_array_equal(idx.first(lon, lat), first_ref)
    assert 0 < idx.band_fraction < 0.5


def test_overlaps_holes_dateline_and_poles_by_hand():
    idx = ZoneIndex(POLYS)
    lon = np.array([5.0, 0.0, 15.0, 179.9, -179.9, 180.0, -180.0, 0.0, 77.0, 45.0, 38.0, 365.0])
    lat = np.array(
        [5.0, 0.0, 15.0, -15.0, -15.0, -15.0, -15.0, 90.0, 89.99, 50.0, 53.0, 5.0]
    )  # (38, 53): notch
    p, z = idx.query(lon, lat)
    got = [sorted(z[p == i].tolist()) for i in range(lon.size)]
    # (0, 0) is a corner of box 1 (boundaries count) and inside the hole of polygon 0; 365° is 5°E
    assert got == [[0, 1], [1], [1], [2], [2], [2], [2], [3], [3], [4], [], [0, 1]]


@pytest.mark.parametrize(
    "geom",
    [
        Polygon([(176, -20), (182, -20), (182, -14), (176, -14)]),  # continuous longitudes past 180
        Polygon([(177, -20), (-178, -20), (-178, -14), (177, -14)]),  # ring jumping across ±180
    ],
)
def test_antimeridian_crossing_polygons_are_split(geom):
    fixed = normalise_antimeridian(geom)
    x0, _, x1, _ = fixed.bounds
    assert x0 >= -180 and x1 <= 180 and len(fixed.geoms) == 2
    layer = layer_from_frame("fiji", gpd.GeoDataFrame({"id": ["FJI"]}, geometry=[geom], crs="EPSG:4326"))
    lab = layer.labels(np.array([179.5, -179.5, 180.0, -180.0, 170.0]), np.full(5, -17.0))
    assert lab.tolist() == ["FJI", "FJI", "FJI", "FJI", "outside"]
    # 8° (or 5°) of longitude around the dateline, not 352° the other way round the globe
    assert geodesic_area_km2(fixed) < 1.2 * ellipsoid_box_area_km2(176, -20, 184, -14)


# ------------------------------------------------------------------ Marine Regions
def _mr_cfg(tmp_path, frame, **kw):
    path = tmp_path / "eez_v12.gpkg"
    frame.to_file(path, driver="GPKG")
    return ZoneLayerConfig(path=str(path), format="marineregions", **kw)


@pytest.mark.parametrize("lower", [False, True])
def test_marineregions_levels_keep_shared_zones_by_default(tmp_path, lower):
    layers = load_layers("eez", _mr_cfg(tmp_path, marineregions_frame(lower)))
    assert set(layers) == {"eez", "eez_territory", "eez_sovereign"}
    eez, ter, sov = layers["eez"], layers["eez_territory"], layers["eez_sovereign"]
    assert "Joint regime area: Fiji / New Caledonia" in eez.ids and eez.outside == "ABNJ"
    assert sorted(ter.ids) == sorted(
        [
            "Fiji",
            "New Caledonia",
            "French Polynesia",
            "Vanuatu",
            "Joint regime area: Fiji / New Caledonia",
            "Overlapping claim: New Caledonia / Vanuatu",
        ]
    )
    assert sorted(sov.ids) == sorted(
        [
            "Fiji",
            "France",
            "Vanuatu",
            "Joint regime area: Fiji / New Caledonia",
            "Overlapping claim: New Caledonia / Vanuatu",
        ]
    )
    lon = np.array([165.0, -150.0, 172.0, 167.0, 179.0, -179.0, 100.0])
    lat = np.array([-20.0, -20.0, -20.0, -16.0, -17.0, -17.0, 0.0])
    assert sov.labels(lon, lat).tolist() == [
        "France",
        "France",
        "Joint regime area: Fiji / New Caledonia",
        "Overlapping claim: New Caledonia / Vanuatu",
        "Fiji",
        "Fiji",
        "ABNJ",
    ]
    assert ter.labels(lon[:2], lat[:2]).tolist() == ["New Caledonia", "French Polynesia"]


def test_marineregions_shared_zones_split_among_parties(tmp_path):
    layers = load_layers(
        "eez", _mr_cfg(tmp_path, marineregions_frame(), shared="split", levels=["sovereign"])
    )
    sov = layers["eez_sovereign"]
    assert sorted(sov.ids) == ["Fiji", "France", "Vanuatu"]
    p, labels, w = sov.members(np.array([172.0, 167.0, 165.0]), np.array([-20.0, -16.0, -20.0]))
    got = {(int(i), str(lab)): float(x) for i, lab, x in zip(p, labels, w, strict=True)}
    assert got == {
        (0, "Fiji"): 0.5,
        (0, "France"): 0.5,
        (1, "France"): 0.5,
        (1, "Vanuatu"): 0.5,
        (2, "France"): 1.0,
    }


def test_marineregions_areas_agree_with_area_km2(tmp_path):
    frame = marineregions_frame()
    eez = load_layers("eez", _mr_cfg(tmp_path, frame, levels=["eez"]))["eez"]
    areas = eez.geodesic_area_km2()
    for geoname, published in zip(frame["GEONAME"], frame["AREA_KM2"], strict=True):
        assert areas[geoname] == pytest.approx(published, rel=2e-4), geoname


def test_marineregions_high_seas_layer_becomes_abnj(tmp_path):
    hs = tmp_path / "high_seas.gpkg"
    high_seas_frame().to_file(hs, driver="GPKG")
    eez = load_layers("eez", _mr_cfg(tmp_path, marineregions_frame(), levels=["eez"], high_seas=str(hs)))[
        "eez"
    ]
    assert eez.ids[-1] == "ABNJ" and eez.outside == "high_seas"
    assert eez.labels(np.array([155.0, 100.0]), np.array([-30.0, 0.0])).tolist() == ["ABNJ", "high_seas"]
    assert "10.14284/696" in eez.citation and "10.14284/632" in eez.citation


def test_marineregions_missing_fields_are_listed(tmp_path):
    frame = marineregions_frame().drop(columns=["POL_TYPE"])
    with pytest.raises(InputDataError, match="no field POL_TYPE; fields present: MRGID, GEONAME"):
        load_layers("eez", _mr_cfg(tmp_path, frame))


# ------------------------------------------------------------------ WDPA, EBSA
@pytest.mark.parametrize("new_schema", [False, True])
def test_wdpa_is_filtered_to_designated_marine_areas(tmp_path, new_schema):
    path = tmp_path / "wdpa.gpkg"
    wdpa_frame(new_schema).to_file(path, driver="GPKG")
    mpa = load_layers("mpa", ZoneLayerConfig(path=str(path), format="wdpa"))["mpa"]
    assert mpa.ids == ["Coral Sea Reserve (555001)", "Lagoon Park (555002)", "Reef Refuge (555005)"]
    assert mpa.frame["no_take"].tolist() == ["all", "part", "none"]
    assert mpa.outside == "unprotected" and mpa.overlaps == "split"
    p, labels, w = mpa.members(np.array([163.5, 161.0, 166.5]), np.array([-20.0, -20.0, -23.5]))
    got = {(int(i), str(lab)): float(x) for i, lab, x in zip(p, labels, w, strict=True)}
    assert got == {
        (0, "Coral Sea Reserve (555001)"): 0.5,
        (0, "Lagoon Park (555002)"): 0.5,
        (1, "Coral Sea Reserve (555001)"): 1.0,
        (2, "unprotected"): 1.0,
    }


def test_wdpa_without_marine_designated_areas_is_an_error(tmp_path):
    frame = wdpa_frame()
    frame["MARINE"] = "0"
    path = tmp_path / "wdpa.gpkg"
    frame.to_file(path, driver="GPKG")
    with pytest.raises(InputDataError, match="none of its 5 areas is marine"):
        load_layers("mpa", ZoneLayerConfig(path=str(path), format="wdpa"))


def test_ebsa_names_and_workshops(tmp_path):
    path = tmp_path / "ebsa.shp"
    ebsa_frame().to_file(path)
    ebsa = load_layers("ebsa", ZoneLayerConfig(path=str(path), format="ebsa"))["ebsa"]
    assert ebsa.ids == ["New Caledonia Trough", "Lord Howe Rise"]
    assert set(ebsa.frame["workshop"]) == {"Western South Pacific"}


# ------------------------------------------------------------------ bad input
def test_generic_layer_errors(tmp_path):
    gdf = gpd.GeoDataFrame({"name": ["a"]}, geometry=[box(0, 0, 1, 1)], crs="EPSG:4326")
    with pytest.raises(InputDataError, match="id field 'zone' not found; fields present: name"):
        layer_from_frame("x", gdf, "zone")
    with pytest.raises(InputDataError, match="is empty"):
        layer_from_frame("x", gdf.iloc[:0], "name")
    pts = gpd.GeoDataFrame({"name": ["a"]}, geometry=shapely.points([[0, 0]]), crs="EPSG:4326")
    with pytest.raises(InputDataError, match="expected Polygon/MultiPolygon features, found Point"):
        layer_from_frame("x", pts, "name")
    metres = gpd.GeoDataFrame({"name": ["a"]}, geometry=[box(0, 0, 200_000, 200_000)])
    with pytest.raises(InputDataError, match="that are not degrees; they look like metres"):
        layer_from_frame("x", metres, "name")


def test_declared_crs_is_reprojected():
    merc = gpd.GeoDataFrame({"name": ["a"]}, geometry=[box(0, 0, 1, 1)], crs="EPSG:4326").to_crs("EPSG:3857")
    layer = layer_from_frame("x", merc, "name")
    assert layer.labels(np.array([0.5, 1.5]), np.array([0.5, 0.5])).tolist() == ["a", "outside"]


def test_invalid_geometry_is_repaired_and_reported(caplog):
    bowtie = Polygon([(0, 0), (2, 2), (2, 0), (0, 2)])
    gdf = gpd.GeoDataFrame({"name": ["tie"]}, geometry=[bowtie], crs="EPSG:4326")
    with caplog.at_level(logging.WARNING, logger="marinenet"):
        layer = layer_from_frame("x", gdf, "name")
    assert "repaired invalid geometries of ids ['tie']" in caplog.text
    # make_valid keeps both lobes of the bow-tie: left (0,0)-(1,1)-(0,2) and right (1,1)-(2,2)-(2,0)
    assert layer.labels(np.array([0.5, 1.5, 1.0]), np.array([1.0, 1.0, 0.5])).tolist() == [
        "tie",
        "tie",
        "outside",
    ]


# ------------------------------------------------------------------ real geometry
@pytest.mark.parametrize("name", ["ne_110m_admin_0_countries.json", "ne_50m_land.json"])
def test_real_natural_earth_geometry(name):
    path = SHARED_DATA / "geography" / name
    if not path.exists():
        pytest.skip("../shared/data is not present")
    frame = gpd.read_file(path)
    id_field = "ADM0_A3" if "ADM0_A3" in frame.columns else None
    if id_field is None:
        frame["id"] = np.arange(len(frame)).astype(str)
        id_field = "id"
    layer = layer_from_frame("real", frame, id_field)
    lon, lat = _test_points(list(layer.frame.geometry.values[:50]), n=300_000, seed=5)
    np.testing.assert_array_equal(layer.classify(lon, lat), layer.classify_exact(lon, lat))
    land = np.mean(layer.classify(lon[:300_000], lat[:300_000]) >= 0)
    assert 0.25 < land < 0.32  # ~29 % of the Earth's surface is land
    if id_field == "ADM0_A3":  # Russia and Fiji straddle the antimeridian
        lab = layer.labels(
            np.array([-175.0, 180.0, -180.0, 179.5, 178.4]), np.array([66.5, 65.5, 65.5, -16.5, -17.8])
        )
        assert lab.tolist() == ["RUS", "RUS", "RUS", "FJI", "FJI"]
