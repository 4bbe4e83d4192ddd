"""Bad-input corpus, part 2: data files (currents, zone layers) through ``marinenet validate``.

Small files made in code: currents on 0..10°E, 0..10°N with land east of 6°E, two zones
(A in the water, L on land). Each case expects exit 2, no traceback and a message naming
the file and what is wrong — or, for valid unusual input, the right result.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
import xarray as xr

from .bad_input import (
    QUICK_BASE,
    assert_accepted,
    assert_refused,
    box,
    cli,
    currents,
    feature,
    geojson,
    mutated,
    write_yaml,
)


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    d = tmp_path_factory.mktemp("data")
    currents(d / "cur.nc", land_east_of=6.0)
    geojson(d / "zones.geojson", [feature("A", box(1, 1, 4, 4)), feature("L", box(7, 1, 9, 4))])
    return d


def _scenario(d, **changes):
    base = mutated(
        QUICK_BASE,
        {
            "ocean": {"source": str(d / "cur.nc")},
            "zones": {"zones": {"path": str(d / "zones.geojson"), "id": "name"}},
            "release.from": {"layer": "zones", "ids": ["A"]},
        },
    )
    return mutated(base, changes)


def _validate(tmp_path, data, **changes):
    return cli("validate", write_yaml(tmp_path / "s.yaml", _scenario(data, **changes)))


def test_the_corpus_base_is_valid(tmp_path, data):
    res = _validate(tmp_path, data)
    assert_accepted(res)
    assert "10 particles" in res.output


# ------------------------------------------------------------------ currents files
def _currents_variants(d):
    currents(d / "units.nc", units="furlongs per fortnight")
    currents(d / "novars.nc", names=("a", "b"), standard_names=False)
    ok = xr.open_dataset(d / "cur.nc").load()
    ok.isel(time=0).to_netcdf(d / "notime.nc")
    ok.sel(time=slice("2021-03-04", None)).to_netcdf(d / "late.nc")
    ok.isel(time=[0, 1, 1, 2, 3]).to_netcdf(d / "duptime.nc")
    ok.assign(uo=ok["uo"] * np.nan, vo=ok["vo"] * np.nan).to_netcdf(d / "allnan.nc")
    ok.isel(latitude=[0]).to_netcdf(d / "onerow.nc")
    ok.assign(uo=(("x",), np.zeros(3), ok["uo"].attrs), vo=(("x",), np.zeros(3), ok["vo"].attrs)).drop_dims(
        ["time", "latitude", "longitude"]
    ).to_netcdf(d / "dims.nc")
    (d / "empty.nc").write_bytes(b"")
    (d / "text.nc").write_text("time,u,v\n1,2,3\n")
    (d / "garbage.nc").write_bytes(bytes(range(256)) * 4)


CURRENTS = [
    ("units.nc", ["units 'furlongs per fortnight'", "expected m/s"]),
    ("novars.nc", ["no velocity variables found", "a (standard_name"]),
    ("notime.nc", ["no time dimension"]),
    ("late.nc", ["covers 2021-03-04", "needs 2021-03-01"]),
    ("duptime.nc", ["'time'", "duplicated values"]),
    ("allnan.nc", ["NaN everywhere"]),
    ("onerow.nc", ["at least 2 points"]),
    ("dims.nc", ["no time dimension"]),
    ("empty.nc", ["cannot read ocean data", "empty.nc"]),
    ("text.nc", ["cannot read ocean data", "text.nc"]),
    ("garbage.nc", ["cannot read ocean data", "garbage.nc"]),
    ("missing.nc", ["ocean.source", "matches no file"]),
    ("*.grib", ["matches no file"]),
]


@pytest.mark.parametrize(("name", "needles"), CURRENTS, ids=[c[0] for c in CURRENTS])
def test_bad_currents_files(tmp_path, data, name, needles):
    if not (data / "units.nc").exists():
        _currents_variants(data)
    res = _validate(tmp_path, data, **{"ocean": {"source": str(data / name)}})
    assert_refused(res, *needles)


# ------------------------------------------------------------------ zone layers
LAYERS = {
    "null_id": ([feature(None, box(1, 1, 4, 4)), feature("B", box(1, 5, 4, 8))], ["feature 1", "no 'name'"]),
    "empty_id": ([feature("", box(1, 1, 4, 4)), feature("B", box(1, 5, 4, 8))], ["feature 1", "no 'name'"]),
    "blank_id": ([feature("  ", box(1, 1, 4, 4))], ["no 'name'"]),
    "null_geometry": (
        [feature("A", box(1, 1, 4, 4)), feature("B", None)],
        ["feature 2 ('B')", "no geometry"],
    ),
    "metres": (
        [feature("A", box(100e3, 100e3, 400e3, 400e3)), feature("B", box(5e5, 5e5, 8e5, 8e5))],
        ["not degrees", "look like metres"],
    ),
    "lon_500": ([feature("A", box(501, 1, 504, 4))], ["longitude 501..504", "not degrees"]),
    "lon_1000": ([feature("A", box(1, 1, 4, 4)), feature("B", box(1000, 1, 1004, 4))], ["not degrees"]),
    "lat_95": ([feature("A", box(1, 85, 4, 95))], ["latitude 85..95", "not degrees"]),
    "nan": ([feature("A", [[1, 1], [4, 1], [math.nan, 4], [1, 4], [1, 1]])], ["('A')", "not numbers"]),
    "named_outside": ([feature("outside", box(1, 1, 4, 4))], ["zone id 'outside' collides"]),
    "named_stranded": ([feature("stranded", box(1, 1, 4, 4))], ["zone id 'stranded' collides"]),
    "named_out_of_domain": ([feature("out_of_domain", box(1, 1, 4, 4))], ["'out_of_domain' collides"]),
    "named_dead": ([feature("dead", box(1, 1, 4, 4))], ["'dead' collides"]),
    "empty": ([], ["zone layer"]),
    "points": (
        [
            {
                "type": "Feature",
                "properties": {"name": "P"},
                "geometry": {"type": "Point", "coordinates": [1, 1]},
            }
        ],
        ["expected Polygon/MultiPolygon features, found Point"],
    ),
    "wrong_id_field": ([feature("A", box(1, 1, 4, 4), key="zone")], ["id field 'name' not found", "zone"]),
}


@pytest.mark.parametrize("kind", list(LAYERS))
@pytest.mark.parametrize("role", ["release", "extra"])
def test_bad_zone_layers(tmp_path, data, kind, role):
    features, needles = LAYERS[kind]
    path = geojson(tmp_path / f"{kind}.geojson", features)
    layer = {"path": str(path), "id": "name"}
    if role == "release":
        changes = {"zones.zones": layer, "release.from": {"layer": "zones"}}
    else:  # an extra layer, not released from: the same checks
        changes = {"zones.extra": layer}
    assert_refused(_validate(tmp_path, data, **changes), str(path), *needles)


def test_other_layer_problems(tmp_path, data):
    (tmp_path / "text.geojson").write_text("not json")
    bad = {"path": str(tmp_path / "text.geojson"), "id": "name"}
    assert_refused(_validate(tmp_path, data, **{"zones.extra": bad}), "cannot read", "text.geojson")
    assert_refused(
        _validate(tmp_path, data, **{"zones.zones.outside": "stranded"}), "'outside: stranded' is the name"
    )
    assert_refused(_validate(tmp_path, data, **{"release.from.ids": ["Z"]}), "['Z'] not in layer 'zones'")
    assert_refused(_validate(tmp_path, data, **{"release.weight": "eggs"}), "has no attribute 'eggs'")
    points = {"release.from": {"points": [[8.0, 2.0]]}}
    assert_refused(_validate(tmp_path, data, **points), "release.from.points [[8.0, 2.0]] are on land")
    far = {"release.from": {"points": [[50.0, 2.0]]}}
    assert_refused(_validate(tmp_path, data, **far), "outside the ocean data")


def test_a_release_polygon_on_land_fails_at_once(tmp_path, data):
    """Before: 2.5-4 minutes of sampling, then an error; now refused before sampling starts."""
    t0 = time.perf_counter()
    res = _validate(tmp_path, data, **{"release.from.ids": ["L"], "release.particles": 100_000})
    assert_refused(res, "release polygons ['L'] of layer 'zones' have no water")
    assert time.perf_counter() - t0 < 10.0


def test_a_release_polygon_smaller_than_a_cell_in_water_is_accepted(tmp_path, data):
    tiny = geojson(tmp_path / "tiny.geojson", [feature("reef", box(2.1, 2.1, 2.2, 2.2))])
    res = _validate(
        tmp_path, data, **{"zones.zones": {"path": str(tiny), "id": "name"}, "release.from.ids": ["reef"]}
    )
    assert_accepted(res)


def test_layers_in_0_360_and_across_the_dateline_are_valid(tmp_path, data):
    """Valid unusual input: longitudes 0..360 (here 361..364 = 1..4°E) are moved by whole turns only."""
    from marinenet.zones import load_layer

    path = geojson(
        tmp_path / "wrapped.geojson", [feature("A", box(-359, 1, -356, 4)), feature("D", box(170, 1, 190, 4))]
    )
    layer = load_layer("z", path=str(path), id_field="name")
    labels = layer.labels(np.array([2.0, 175.0, -175.0, 100.0]), np.array([2.0, 2.0, 2.0, 2.0]))
    assert labels.tolist() == ["A", "D", "D", "outside"]


# ------------------------------------------------------------------ accepted time stepping is exact
STEPPING = [
    {"simulation": {"duration": "49 hours", "dt": "1 hour", "output_every": "1 day"}},  # last output partial
    {"simulation": {"duration": "70 hours", "dt": "7 minutes", "output_every": "7 hours"}},
    {  # three release events 90 minutes apart on a 30-minute step
        "simulation": {"duration": "2 days", "dt": "30 minutes", "output_every": "6 hours"},
        "release.every": "90 minutes",
        "release.until": "2021-03-01T03:00",
    },
]


@pytest.mark.parametrize("changes", STEPPING, ids=["49h", "7min", "every90min"])
def test_accepted_time_stepping_tracks_every_particle_for_exactly_the_duration(tmp_path, data, changes):
    """Uniform eastward 0.1 m/s: each particle moves 0.1 m/s × duration east (closed form), whenever released."""
    import marinenet
    from marinenet.prepare import prepare

    sc = marinenet.scenario_from_dict(_scenario(data, **changes, **{"simulation.engine": "fast"}))
    release = prepare(sc).release  # the run's own release positions (same seed)
    res = marinenet.run(sc, out=tmp_path / "out", maps=False)
    end_lon, end_lat = res.tracks.end_lon, res.tracks.end_lat
    deg2m = 1852.0 * 60.0  # metres per degree of latitude on the engines' sphere
    expected = 0.1 * sc.simulation.duration / (deg2m * np.cos(np.deg2rad(end_lat)))
    assert len(set(release.release_times.tolist())) == (3 if "release.every" in changes else 1)
    np.testing.assert_allclose(end_lat, release.lat, atol=1e-9)
    np.testing.assert_allclose(end_lon - release.lon, expected, rtol=1e-6)
    assert res.summary["active_at_end"] == res.summary["particles_released"]
