"""Command-line conventions (issue 17): --version, -v/-q, completion, flags, zones, profiles, schema, progress."""

from __future__ import annotations

import json
import re
import time
import tomllib
from pathlib import Path

import pytest
import yaml

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

REPO = Path(__file__).resolve().parents[1]


def test_version_prints_the_package_version():
    res = cli("--version")
    expected = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    assert_accepted(res)
    assert res.output.strip() == f"marinenet {expected}"


def test_help_shows_flags_as_pairs_and_offers_completion():
    top = cli("--help")
    assert "--install-completion" in top.output and "--version" in top.output
    run = cli("run", "--help").output
    assert "--maps / --no-maps" in run and "<bool>" not in run
    assert "-q, --quiet" in run and "-v, --verbose" in run
    assert "report.html" in run and "brief.pdf" in run  # --no-maps says all it leaves out
    assert "--maps / --no-maps" in cli("ensemble", "--help").output


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli")
    currents(d / "cur.nc", land_east_of=6.0)
    # B reaches 3° into the land east of 6°E: the release warns that it is partly on land
    geojson(d / "zones.geojson", [feature("A", box(1, 1, 4, 4)), feature("B", box(4, 5, 9, 8))])
    return d


def _scenario(d: Path, name: str, **changes) -> Path:
    sc = mutated(
        QUICK_BASE,
        {
            "ocean": {"source": str(d / "cur.nc")},
            "zones": {"zones": {"path": str(d / "zones.geojson"), "id": "name"}},
            "release.from": {"layer": "zones"},
            "simulation.engine": "fast",
            "output": str(d / name),
            **changes,
        },
    )
    return write_yaml(d / f"{name}.yaml", sc)


WARNING = "partly on land"


def test_quiet_hides_progress_but_not_warnings(data):
    res = cli("run", _scenario(data, "quiet"), "-q", "--no-maps")
    assert_accepted(res)
    assert WARNING in res.output  # a warning is always shown
    assert "released 10 particles" not in res.output  # step-by-step messages are not
    assert "particles released" in res.output  # the end-of-run table still is
    loud = cli("run", _scenario(data, "loud"), "--no-maps")
    assert WARNING in loud.output and "released 10 particles" in loud.output
    verbose = cli("run", _scenario(data, "verbose"), "-v", "--no-maps")
    assert "phase: tracking 10 particles" in verbose.output  # debug messages


def test_no_maps_writes_no_report_and_says_so(data):
    res = cli("run", _scenario(data, "nomaps"), "-q", "--no-maps")
    assert_accepted(res)
    out = data / "nomaps"
    assert not (out / "report.html").exists() and not (out / "brief.pdf").exists()
    assert not list(out.rglob("*.png"))
    assert (out / "summary.json").is_file() and (out / "connectivity.nc").is_file()
    assert "--no-maps" in res.output and "report:" not in res.output
    assert "compile seconds" in res.output


def test_zones_lists_a_scenarios_layers_and_a_files_fields(data):
    res = cli("zones", _scenario(data, "z"))
    assert_accepted(res)
    assert "layer zones: 2 zones; id field: name" in res.output
    assert re.search(r"^  A$", res.output, re.M) and re.search(r"^  B$", res.output, re.M)
    fields = cli("zones", data / "zones.geojson")  # no --id: the fields, to choose one
    assert_accepted(fields)
    assert "name" in fields.output and "--id" in fields.output and "2 polygons" in fields.output
    by_id = cli("zones", data / "zones.geojson", "--id", "name")
    assert_accepted(by_id)
    assert "2 zones" in by_id.output
    assert_refused(cli("zones", data / "nope.geojson", "--id", "name"), "nope.geojson", "not found")
    assert_refused(cli("zones", data / "zones.geojson", "--id", "colour"), "colour")


def test_zones_of_the_demo_lists_its_six_states_and_the_high_seas():
    res = cli("zones", REPO / "scenarios" / "demo.yaml")
    assert_accepted(res)
    for state in (
        "Aldoria",
        "Brevia",
        "Corvania",
        "Delmar",
        "Estrel",
        "Faro",
    ):  # README: six fictional states
        assert re.search(rf"^  {state}$", res.output, re.M)
    assert "layer ebsa: 3 zones" in res.output and "layer mpa: 5 zones" in res.output


def test_profiles_lists_every_shipped_profile_with_its_source():
    res = cli("profiles")
    assert_accepted(res)
    shipped = sorted((REPO / "marinenet" / "behaviour" / "profiles").glob("*.yaml"))
    assert len(shipped) >= 4 and f"{len(shipped)} profiles" in res.output
    for path in shipped:
        data = yaml.safe_load(path.read_text())
        assert f"{path.stem} ({data['kind']}): " in res.output
    assert "source: Kough AS, Paris CB, Butler MJ IV (2013)" in res.output  # spiny lobster's paper
    assert "(PLD up to 196 d)" not in res.output  # the citation, not the note on it


@pytest.fixture(scope="module")
def schema():
    res = cli("schema")
    assert_accepted(res)
    return json.loads(res.output)


def test_schema_writes_durations_and_rates_as_text_with_a_unit(schema):
    sim = schema["$defs"]["SimulationConfig"]["properties"]
    duration = sim["duration"]
    assert duration["type"] == "string"
    ok = ["30 days", "12h", "1.5 d", "90 MIN", " 2 weeks ", "3600 s", "1e2 hours"]
    bad = ["30", "30 parsecs", "", "days", "-3 days", "30 days later"]
    pattern = re.compile(duration["pattern"])
    assert all(pattern.search(t) for t in ok), [t for t in ok if not pattern.search(t)]
    assert not any(pattern.search(t) for t in bad), [t for t in bad if pattern.search(t)]
    mortality = schema["$defs"]["BehaviourConfig"]["properties"]["mortality"]
    rate = re.compile(
        next(s for s in mortality.get("anyOf", [mortality]) if s.get("type") == "string")["pattern"]
    )
    assert rate.search("0.1 per day") and rate.search("half-life 80 days") and rate.search("0.02/h")
    assert not rate.search("0.1") and not rate.search("half-life 80")


def test_shipped_scenarios_validate_against_the_schema(schema, tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    from marinenet._yaml import read_yaml

    files = [REPO / "scenarios" / "demo.yaml", *sorted((REPO / "scenarios" / "templates").glob("*.yaml"))]
    for path in files:
        jsonschema.validate(json.loads(json.dumps(read_yaml(path), default=str)), schema)
    demo = read_yaml(REPO / "scenarios" / "demo.yaml")
    for key, value in {"simulation.duration": 30, "simulation.dt": "1 fortnight", "seed": "one"}.items():
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(json.loads(json.dumps(mutated(demo, {key: value}), default=str)), schema)
    assert_accepted(cli("schema", "-o", tmp_path / "s.json"))
    assert json.loads((tmp_path / "s.json").read_text()) == schema


def test_a_run_says_what_it_is_doing_and_times_the_compile_apart(data, monkeypatch):
    """Phases in order; a (simulated, 1 s) compile is announced and not counted as engine time."""
    import marinenet
    from marinenet.engine import fast_engine
    from marinenet.progress import COMPILING, phases

    class SlowFirstCompile:  # the stepper as numba holds it before its first compile in a process
        signatures: list = []

        def __init__(self, real):
            self.real = real

        def __call__(self, *args):
            if args[0].size == 0:  # the compile call: no particles
                time.sleep(1.0)
            return self.real(*args)

    real_stepper = fast_engine.stepper  # the stepper is generated from the behaviour registry
    monkeypatch.setattr(fast_engine, "stepper", lambda steps: SlowFirstCompile(real_stepper(steps)))
    seen: list[str] = []
    with phases(seen.append):
        res = marinenet.run(marinenet.load_scenario(_scenario(data, "phases")), maps=False)
    order = ["loading zone layer", "loading the forcing", "placing the particles", "tracking 10 particles"]
    order += [COMPILING, "analyses"]
    where = [next(i for i, s in enumerate(seen) if s.startswith(o)) for o in order]
    assert where == sorted(where), seen
    assert not any("maps" in s for s in seen)  # maps=False: no map phase
    summary = json.loads((res.out_dir / "summary.json").read_text())
    assert summary["compile_seconds"] >= 1.0
    assert summary["engine_seconds"] < 1.0  # 10 particles for 2 days: the tracking alone
