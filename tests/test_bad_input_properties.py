"""Property tests: random mutations of a valid scenario never give a traceback.

Each example takes the small valid scenario of the corpus and changes a few keys — to a
value of the wrong type, an extreme number, a random string, a new random key — or
deletes them; ``marinenet validate --quick`` must then exit 0 or 2, never 1 (a traceback).
When it accepts, the scenario must really be usable: it reloads from its resolved form.
"""

from __future__ import annotations

import copy
import math
from datetime import datetime

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marinenet import ScenarioError, scenario_from_dict

from .bad_input import QUICK_BASE, cli

KEYS = [
    "name",
    "seed",
    "output",
    "ocean",
    "ocean.source",
    "ocean.depth",
    "ocean.three_d",
    "ocean.coast",
    "ocean.loop",
    "zones",
    "zones.eez",
    "zones.eez.source",
    "zones.eez.snap",
    "zones.eez.outside",
    "release",
    "release.from",
    "release.from.layer",
    "release.from.ids",
    "release.from.points",
    "release.particles",
    "release.total",
    "release.start",
    "release.every",
    "release.until",
    "release.dates",
    "release.depth",
    "simulation",
    "simulation.duration",
    "simulation.dt",
    "simulation.output_every",
    "simulation.engine",
    "simulation.trajectories",
    "simulation.checkpoint_every",
    "behaviour",
    "behaviour.kind",
    "behaviour.diffusion",
]

EXTREME_NUMBERS = st.sampled_from(
    [0, -1, 1, 2**31, 2**63, 10**12, -(10**12), 1e-300, 1e300, math.inf, -math.inf, math.nan, 0.5, -0.0]
)
DURATION_TEXT = st.builds(
    lambda n, u: f"{n} {u}",
    st.one_of(
        st.integers(0, 10**15), st.floats(0, 1e20, allow_nan=False), st.sampled_from(["1e400", ".5", "1e-9"])
    ),
    st.sampled_from(["seconds", "minutes", "hours", "days", "weeks", "years", "fortnights", "d", "s"]),
)
DATE_TEXT = st.builds(
    lambda y, m, d, h: f"{y:04d}-{m:02d}-{d:02d}T{h:02d}:00",
    st.integers(1, 9999),
    st.integers(0, 13),
    st.integers(0, 32),
    st.integers(0, 25),
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    EXTREME_NUMBERS,
    st.text(max_size=20),
    DURATION_TEXT,
    DATE_TEXT,
    st.sampled_from(
        ["demo", "eez", "Estrel", "fast", "parcels", "all", "none", "larva", "stop", "year", "[]", "{}"]
    ),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
DELETE = object()
CHANGES = st.lists(
    st.tuples(
        st.one_of(st.sampled_from(KEYS), st.text(min_size=1, max_size=10)), st.one_of(VALUES, st.just(DELETE))
    ),
    min_size=1,
    max_size=4,
)


def _apply(changes) -> dict:
    data = copy.deepcopy(QUICK_BASE)
    for dotted, value in changes:
        node = data
        *path, last = dotted.split(".")
        for part in path:
            child = node.get(part)
            if not isinstance(child, dict):
                child = node[part] = {}
            node = child
        if value is DELETE:
            node.pop(last, None)
        else:
            node[last] = value
    return data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(CHANGES)
def test_random_scenarios_exit_0_or_2_never_a_traceback(tmp_path, changes):
    f = tmp_path / "s.yaml"
    f.write_text(yaml.safe_dump(_apply(changes), allow_unicode=True))
    res = cli("validate", "--quick", f)
    assert res.exit_code in (0, 2), f"exit {res.exit_code}: {res.exception!r}\n{res.output}"
    assert "Traceback" not in res.output
    assert isinstance(res.exception, SystemExit | None), repr(res.exception)


@settings(max_examples=150, deadline=None)
@given(CHANGES)
def test_accepted_scenarios_reload_from_their_resolved_form(changes):
    """What validation accepts is a scenario marinenet can write back and read again identically."""
    try:
        sc = scenario_from_dict(_apply(changes), origin="random.yaml")
    except ScenarioError:
        return
    resolved = sc.to_dict()
    again = scenario_from_dict(yaml.safe_load(yaml.safe_dump(resolved)), origin="resolved.yaml")
    assert again.to_dict() == resolved


DATA_KEYS = [
    "release.from",
    "release.from.ids",
    "release.from.points",
    "release.from.layer",
    "release.weight",
    "release.particles",
    "release.start",
    "zones.zones.id",
    "zones.zones.outside",
    "zones.zones.snap",
    "zones.zones.overlaps",
    "zones.cells",
    "ocean.variables",
    "ocean.depth",
    "ocean.zero_is_land",
    "ocean.loop",
    "simulation.duration",
]
POINTS = st.lists(
    st.tuples(st.floats(-400, 400, allow_nan=False), st.floats(-100, 100, allow_nan=False)),
    min_size=0,
    max_size=3,
)
DATA_VALUES = st.one_of(
    VALUES,
    POINTS,
    st.lists(st.sampled_from(["A", "L", "Z", "", "outside"]), max_size=3),
    st.sampled_from(
        [{"source": "grid", "cell": 1.0}, {"u": "uo", "v": "vo"}, {"u": "nope", "v": "vo"}, "name"]
    ),
)


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    from .bad_input import box, currents, feature, geojson

    d = tmp_path_factory.mktemp("prop")
    currents(d / "cur.nc", land_east_of=6.0)
    geojson(d / "zones.geojson", [feature("A", box(1, 1, 4, 4)), feature("L", box(7, 1, 9, 4))])
    return d


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(st.sampled_from(DATA_KEYS), st.one_of(DATA_VALUES, st.just(DELETE))), min_size=1, max_size=3
    )
)
def test_random_scenarios_with_data_exit_0_or_2(tmp_path, data, changes):
    """The same through the full ``validate``: the currents and the layer are opened, the release placed."""
    base = [
        ("ocean", {"source": str(data / "cur.nc")}),
        ("zones", {"zones": {"path": str(data / "zones.geojson"), "id": "name"}}),
        ("release.from", {"layer": "zones", "ids": ["A"]}),
    ]
    f = tmp_path / "s.yaml"
    f.write_text(yaml.safe_dump(_apply(base + list(changes)), allow_unicode=True))
    res = cli("validate", f)
    assert res.exit_code in (0, 2), f"exit {res.exit_code}: {res.exception!r}\n{res.output}"
    assert isinstance(res.exception, SystemExit | None), repr(res.exception)


TIME_FORMATS = ["%Y-%m-%dT%H:%M:%SZ", "%d/%m/%Y %H:%M", "%m/%d/%Y", "%Y-%m-%d", "%d.%m.%y"]
TIMES = st.one_of(
    st.tuples(
        st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)),
        st.sampled_from(TIME_FORMATS),
    ).map(lambda tf: tf[0].strftime(tf[1])),
    st.text(max_size=12),
    st.none(),
    st.integers(-(10**12), 10**12),
)
COORD = st.one_of(
    st.floats(-1000, 1000), st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=4), st.none()
)
ROWS = st.lists(st.tuples(st.sampled_from(["a", "b", "", None]), TIMES, COORD, COORD), min_size=0, max_size=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ROWS, st.sampled_from([[], ["--dayfirst"], ["--monthfirst"], ["--conflicting-fixes", "drop"]]))
def test_random_track_files_exit_0_or_2(tmp_path, data, rows, options):
    import pandas as pd

    f = tmp_path / "t.csv"
    pd.DataFrame(rows, columns=["id", "time", "lon", "lat"]).to_csv(f, index=False)
    out = tmp_path / "out"
    res = cli("tracks", f, "--zones", data / "zones.geojson", "--id", "name", "--out", out, *options)
    assert res.exit_code in (0, 2), f"exit {res.exit_code}: {res.exception!r}\n{res.output}"
    assert isinstance(res.exception, SystemExit | None), repr(res.exception)
    if res.exit_code == 0:
        clean = pd.read_csv(out / "tracks_clean.csv")
        assert clean["lon"].between(-180, 180).all() and clean["lat"].between(-90, 90).all()
    import shutil

    shutil.rmtree(out, ignore_errors=True)
