"""Bad-input corpus, part 1: scenario files (keys, values, types, units, combinations, YAML itself).

Every case runs ``marinenet validate --quick`` in-process and expects exit code 2, no
traceback, and a message naming the key (and value) at fault. The cases are generated:
each numeric, duration, date and choice key of the schema is given the wrong kinds of value.
"""

from __future__ import annotations

import math

import pytest

from .bad_input import DELETE, QUICK_BASE, assert_accepted, assert_refused, cli, mutated, write_yaml

NOT_NUMBERS = [True, False, "ten", [10], {"a": 1}, math.nan, math.inf]
NUMBER_KEYS = {
    "release.particles": [0, -5, 1.5],
    "seed": [-1, 1.5],
    "release.depth": [-1],
    "ocean.depth": [-1],
    "simulation.trajectories": [-1, 1.5, "some"],
    "zones.eez.snap": [-1, 6],
    "zones.eez.resolution": [0, 2],
    "zones.eez.cell": [0, 31],
}
BAD_DURATIONS = [
    "30",
    30,
    1.5,
    True,
    "30 fortnights",
    "1e400 days",
    "-1 days",
    "days",
    "",
    [1],
    "40000 weeks",
]
DURATION_KEYS = [
    "simulation.duration",
    "simulation.dt",
    "simulation.output_every",
    "simulation.checkpoint_every",
]
BAD_DATES = ["yesterday", "2021-13-01", 2021, 1.6e9, True, [1], "1500-01-01T00:00", "2300-01-01T00:00"]
CHOICES = {
    "simulation.engine": ["warp", 1, True],
    "ocean.coast": ["sticky", None],
    "ocean.loop": ["month"],
    "zones.eez.format": ["shapefile"],
    "zones.eez.overlaps": ["all"],
    "behaviour.kind": ["fish"],
    "ocean.three_d": [1, "yes", "true", None],
    "ocean.zero_is_land": [0, "no"],
}


def _value_cases():
    for key, extra in NUMBER_KEYS.items():
        for value in NOT_NUMBERS + extra:
            yield pytest.param(
                {key: value}, [key.split(".", 1)[-1] if "zones" in key else key], id=f"{key}={value!r}"
            )
    for key in DURATION_KEYS:
        for value in BAD_DURATIONS:
            yield pytest.param({key: value}, [key], id=f"{key}={value!r}")
    for value in BAD_DURATIONS:
        yield pytest.param(
            {"release.every": value, "release.until": "2021-03-05T00:00"}, ["release"], id=f"every={value!r}"
        )
    for value in BAD_DATES:
        yield pytest.param({"release.start": value}, ["release"], id=f"start={value!r}")
    for value in BAD_DATES[:6]:
        yield pytest.param(
            {"release.every": "1 day", "release.until": value}, ["release.until"], id=f"until={value!r}"
        )
    for key, values in CHOICES.items():
        for value in values:
            yield pytest.param({key: value}, [key.split(".")[-1]], id=f"{key}={value!r}")


@pytest.mark.parametrize(("changes", "needles"), list(_value_cases()))
def test_wrong_values_are_named(tmp_path, changes, needles):
    f = write_yaml(tmp_path / "s.yaml", mutated(QUICK_BASE, changes))
    assert_refused(cli("validate", "--quick", f), str(f), *needles)


POINTS = {"release.from.layer": DELETE, "release.from.ids": DELETE}
STRUCTURE = [
    ({"simulaton": {}}, ["unknown key 'simulaton'", "Did you mean 'simulation'?"]),
    ({"relase": {}}, ["unknown key 'relase'"]),
    ({"release.particle": 3}, ["unknown key 'particle' in release", "Did you mean 'particles'?"]),
    ({"simulation.duration_days": 3}, ["unknown key 'duration_days'"]),
    ({"ocean.sorce": "demo"}, ["Did you mean 'source'?"]),
    ({"zones.eez.paht": "x"}, ["Did you mean 'path'?"]),
    ({"release.from.layers": "eez"}, ["Did you mean 'layer'?"]),
    ({"behaviour.knd": "larva"}, ["Did you mean 'kind'?"]),
    ({"name": DELETE}, ["name: this key is required"]),
    ({"release": DELETE}, ["release: this key is required"]),
    ({"simulation": DELETE}, ["simulation: this key is required"]),
    ({"release.start": DELETE}, ["release.start: this key is required"]),
    ({"simulation.duration": DELETE}, ["simulation.duration: this key is required"]),
    ({"release.from": DELETE}, ["release.from: this key is required"]),
    ({"zones": ["eez"]}, ["zones"]),
    ({"zones": "eez"}, ["zones"]),
    ({"release": "everywhere"}, ["release"]),
    ({"simulation": [1]}, ["simulation"]),
    ({"ocean": 5}, ["ocean"]),
    ({"behaviour": "passive"}, ["behaviour"]),
    ({"name": ""}, ["name"]),
    ({"name": "../escape"}, ["name", "'/'"]),
    ({"name": 123}, ["name"]),
    ({"name": True}, ["name"]),
    ({"output": 5}, ["output"]),
    ({"zones": {"1eez": {"source": "demo"}}, "release.from.layer": "1eez"}, ["layer name '1eez'"]),
    ({"zones": {"ee z": {"source": "demo", "layer": "eez"}}}, ["layer name 'ee z'"]),
    ({"release.from.layer": "mpa"}, ["release.from.layer is 'mpa'", "defined: eez"]),
    ({"release.from.ids": []}, ["'ids' is empty"]),
    ({"release.from.ids": ["Estrel", "Estrel"]}, ["'ids' names 'Estrel' more than once"]),
    ({"release.from.ids": "Estrel"}, ["release.from.ids"]),
    ({"release.from.ids": [1, 2]}, ["release.from.ids"]),
    ({**POINTS, "release.from.points": []}, ["'points' is empty"]),
    ({**POINTS, "release.from.points": [[500, 0]]}, ["point [500.0, 0.0]"]),
    ({**POINTS, "release.from.points": [[0, 100]]}, ["point [0.0, 100.0]"]),
    ({**POINTS, "release.from.points": [[True, 1]]}, ["release.from.points", "true/false"]),
    ({**POINTS, "release.from.points": [["a", 1]]}, ["release.from.points"]),
    ({**POINTS, "release.from.points": [[1, 2, 3]]}, ["release.from.points"]),
    ({**POINTS, "release.from.points": [[math.nan, 1]]}, ["release.from.points"]),
    ({**POINTS, "release.from.points": "here"}, ["release.from.points"]),
    ({"release.from.points": [[1, 1]]}, ["exactly one of 'layer: NAME'"]),
    ({"release.from.layer": DELETE}, ["exactly one of 'layer: NAME'"]),
    ({**POINTS, "release.from.points": [[1, 1]], "release.from.ids": ["a"]}, ["'ids' goes with 'layer'"]),
    ({"release.total": 100}, ["exactly one of 'particles' (per event) or 'total'"]),
    ({"release.particles": DELETE}, ["exactly one of 'particles' (per event) or 'total'"]),
    ({"behaviour.kind": "larva"}, ["a larva needs 'pld'"]),
    ({"behaviour.kind": "swimmer"}, ["a swimmer needs 'speed'"]),
    ({"behaviour.profile": "spiny_lobstre"}, ["Did you mean 'spiny_lobster'?"]),
    ({"behaviour.migration": {"day_depth": 50, "night_depth": 5}}, ["needs 3-D currents"]),
    ({"ocean.levels": [0, 10]}, ["needs ocean.three_d: true"]),
    ({"zones.eez": {"path": "x.shp"}}, ["needs 'id'"]),
    (
        {"zones.eez": {"source": "demo", "path": "x.shp", "id": "a"}},
        ["exactly one of 'source: demo' or 'path"],
    ),
    ({"zones.eez": {"source": "demo", "levels": ["eez"]}}, ["apply to 'format: marineregions'"]),
]


@pytest.mark.parametrize(("changes", "needles"), STRUCTURE, ids=[str(c) for c, _ in STRUCTURE])
def test_wrong_structure_is_named(tmp_path, changes, needles):
    f = write_yaml(tmp_path / "s.yaml", mutated(QUICK_BASE, changes))
    assert_refused(cli("validate", "--quick", f), str(f), *needles)


# Combinations that are well-formed key by key but would give a wrong or endless run
COMBINATIONS = [
    ({"simulation.dt": "2 days"}, ["dt (2 days) is longer than output_every (1 day)"]),
    (
        {"simulation.duration": "1 day", "simulation.dt": "2 days", "simulation.output_every": "2 days"},
        ["dt (2 days) is longer than the duration (1 day)"],
    ),
    ({"simulation.output_every": "3 days"}, ["output_every (3 days) is longer than the duration"]),
    ({"simulation.duration": "90 minutes", "simulation.output_every": "1 hour"}, ["duration (90 minutes)"]),
    ({"simulation.output_every": "90 minutes"}, ["output_every (90 minutes) must be a whole number of dt"]),
    (
        {"simulation.duration": "10 days", "simulation.checkpoint_every": "36 hours"},
        ["checkpoint_every (36 hours) must be a whole number of output_every"],
    ),
    ({"simulation.checkpoint_every": "1 hour"}, ["checkpoint_every must be at least output_every"]),
    ({"simulation.dt": "0 seconds"}, ["'dt' must be positive"]),
    ({"simulation.dt": "1e-6 seconds"}, ["time steps per particle", "172,800,000,000"]),
    (
        {"simulation.duration": "200 days", "simulation.dt": "1 second"},
        ["17,280,000 time steps per particle"],
    ),
    ({"release.particles": 10**9, "simulation.duration": "100 days"}, ["particle-steps", "release fewer"]),
    ({"release.particles": 3 * 10**9}, ["3,000,000,000 particles"]),
    ({"release.every": "0 days", "release.until": "2021-03-05T00:00"}, ["'every' must be positive"]),
    ({"release.every": "1 second", "release.until": "2022-03-01T00:00"}, ["release events, more than"]),
    (
        {"release.every": "90 minutes", "release.until": "2021-03-02T00:00"},
        ["not a whole number of time steps dt (1 hour)"],
    ),
    ({"release.dates": ["2021-03-01T00:30"]}, ["release at 2021-03-01 00:30:00"]),
    ({"release.every": "1 day"}, ["'every' and 'until' go together"]),
    ({"release.until": "2021-03-05T00:00"}, ["'every' and 'until' go together"]),
    ({"release.every": "1 day", "release.until": "2021-02-01T00:00"}, ["is before 'start'"]),
    (
        {"release.every": "1 day", "release.until": "2021-03-05T00:00", "release.dates": ["2021-04-01"]},
        ["either 'every'/'until' or 'dates'"],
    ),
    (
        {"release.particles": DELETE, "release.total": 2, "release.dates": ["2021-03-02", "2021-03-03"]},
        ["'total' (2) is smaller than the number of release events"],
    ),
    ({"release.start": "1600-01-01T00:00"}, ["before 1678"]),
    ({"release.start": "2261-12-20T00:00", "simulation.duration": "30 days"}, ["the run ends after 2262"]),
]


@pytest.mark.parametrize(("changes", "needles"), COMBINATIONS, ids=[str(c) for c, _ in COMBINATIONS])
def test_combinations_that_cannot_run_right_are_refused(tmp_path, changes, needles):
    f = write_yaml(tmp_path / "s.yaml", mutated(QUICK_BASE, changes))
    assert_refused(cli("validate", "--quick", f), str(f), *needles)


VALID_UNUSUAL = [
    {"release.start": "2021-03-01T02:00:00+02:00"},  # a time zone: converted to UTC
    {"release.start": "2021-03-01"},  # a date without a time
    {"simulation.duration": "49 hours"},  # not a whole number of output steps: last output at the end
    {"simulation.dt": "7 minutes", "simulation.output_every": "7 hours", "simulation.duration": "70 hours"},
    {"release.dates": ["2021-03-01T00:00"]},  # the start given again
    {"seed": 2**40},
    {"name": "Ünïcode run — 東"},
    {"simulation.trajectories": 0},
    # a single step: dt = output_every = duration
    {"simulation.duration": "1 hour", "simulation.dt": "1 hour", "simulation.output_every": "1 hour"},
]


@pytest.mark.parametrize("changes", VALID_UNUSUAL, ids=[str(c) for c in VALID_UNUSUAL])
def test_valid_unusual_scenarios_are_accepted(tmp_path, changes):
    f = write_yaml(tmp_path / "s.yaml", mutated(QUICK_BASE, changes))
    assert_accepted(cli("validate", "--quick", f))


RAW_FILES = [
    (b"", "expected a mapping of keys"),
    (b"   \n# only a comment\n", "expected a mapping of keys"),
    (b"- a\n- b\n", "got list"),
    (b"just some text", "got str"),
    (b"name: [unclosed", "not valid YAML"),
    (b"name: t\n\tsimulation: x\n", "not valid YAML"),
    (b"name: t\nname: u\n", "key 'name' is given twice (lines 1 and 2)"),
    (
        b"name: t\nrelease:\n  particles: 1\n  particles: 2\n",
        "key 'particles' is given twice (lines 3 and 4)",
    ),
    ("name: café\n".encode("latin-1"), "not UTF-8 text (byte 0xe9 on line 1)"),
    ("name: t\n".encode("utf-16"), "not UTF-8 text"),
    (b"\x00\x01\x02\xff\xfe", "not UTF-8 text"),
    (b"name: t\n\x00\n", "not valid YAML"),
    (b"!!python/object/apply:os.system ['echo hi']", "not valid YAML"),
]


@pytest.mark.parametrize(("content", "needle"), RAW_FILES, ids=[repr(c[:20]) for c, _ in RAW_FILES])
def test_unreadable_scenario_files(tmp_path, content, needle):
    f = tmp_path / "s.yaml"
    f.write_bytes(content)
    assert_refused(cli("validate", "--quick", f), str(f), needle)


def test_a_folder_or_a_missing_file_as_the_scenario(tmp_path):
    assert_refused(cli("validate", tmp_path), "scenario file not found")
    assert_refused(cli("validate", tmp_path / "nope.yaml"), "nope.yaml: scenario file not found")


def test_merge_keys_may_be_overridden(tmp_path):
    """YAML merge keys (<<) are not duplicates: the explicit key wins, as YAML says."""
    from marinenet._yaml import read_yaml

    f = tmp_path / "m.yaml"
    f.write_text("base: &b {dt: 1 hour, duration: 3 days}\nsimulation:\n  <<: *b\n  duration: 2 days\n")
    assert read_yaml(f)["simulation"] == {"dt": "1 hour", "duration": "2 days"}
