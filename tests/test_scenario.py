"""Scenario validation: every mistake is named, with what was found and what is expected."""

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from marinenet import ScenarioError, load_scenario, scenario_from_dict
from marinenet.cli import app

REPO = Path(__file__).resolve().parents[1]
BASE = {
    "name": "t",
    "zones": {"eez": {"source": "demo"}},
    "release": {"from": {"layer": "eez", "ids": ["Estrel"]}, "particles": 10, "start": "2021-03-01T00:00"},
    "simulation": {"duration": "2 days"},
}


def _with(**changes):
    import copy

    d = copy.deepcopy(BASE)
    for dotted, value in changes.items():
        node = d
        *path, last = dotted.split("__")
        for p in path:
            node = node.setdefault(p, {})
        node[last] = value
    return d


def test_defaults_are_filled_in():
    sc = scenario_from_dict(BASE)
    assert sc.simulation.dt == 3600 and sc.simulation.output_every == 86400
    assert sc.ocean.source == "demo" and sc.behaviour.kind == "passive" and sc.seed == 0
    d = sc.to_dict()
    assert d["simulation"]["duration"] == "2 days" and d["simulation"]["dt"] == "1 hour"
    assert d["release"]["from"]["layer"] == "eez"
    assert scenario_from_dict(yaml.safe_load(yaml.safe_dump(d))).to_dict() == d  # resolved form re-loads


def test_shipped_demo_scenario_is_valid():
    sc = load_scenario(REPO / "scenarios" / "demo.yaml")
    assert sc.synthetic and set(sc.zones) == {"eez", "ebsa", "mpa"}


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({**BASE, "simulaton": {}}, "unknown key 'simulaton' in the top level. Did you mean 'simulation'?"),
        (_with(simulation__outptu_every="1 day"), "Did you mean 'output_every'?"),
        (_with(release__from__layr="eez"), "Did you mean 'layer'?"),
        (_with(zones__eez__soruce="demo"), "Did you mean 'source'?"),
        (_with(simulation__duration="30 fortnights"), "simulation.duration: unknown time unit 'fortnights'"),
        (_with(simulation__duration=30), "simulation.duration: got the bare number 30"),
        (_with(simulation__dt="2 days"), "dt (2 days) is longer than output_every (1 day)"),
        (_with(release__particles=0), "release.particles"),
        (_with(release__from__layer="mpa"), "no such layer is defined under 'zones' (defined: eez)"),
        (_with(behaviour__kind="swimmer"), "a swimmer needs 'speed' (m/s) and 'target'"),
        (
            _with(behaviour={"kind": "swimmer", "speed": 0.5, "target": {"layer": "nests"}}),
            "behaviour.target.layer is 'nests'",
        ),
        (_with(behaviour__kind="larva"), "a larva needs 'pld'"),
        (
            _with(behaviour__profile="spiny_lobstre"),
            "unknown profile 'spiny_lobstre'. Did you mean 'spiny_lobster'?",
        ),
        (
            _with(behaviour={"kind": "larva", "pld": "30 days", "mortality": "lots"}),
            "could not read 'lots' as a rate",
        ),
        (
            _with(behaviour={"kind": "larva", "pld": "30 days", "settle_in": {"layer": "reefs"}}),
            "behaviour.settle_in.layer is 'reefs', not a layer",
        ),
        (_with(release__every="7 days"), "'every' and 'until' go together"),
        (_with(release__total=100), "exactly one of 'particles' (per event) or 'total'"),
        (_with(simulation__engine="warp"), "simulation.engine"),
        (_with(release__start="yesterday"), "release.start"),
        ({k: v for k, v in BASE.items() if k != "simulation"}, "simulation: this key is required"),
        (
            _with(zones__eez={"path": "x.shp", "format": "shapefile", "id": "a"}),
            "zones.eez.format: Input should be 'generic', 'marineregions', 'ebsa' or 'wdpa'",
        ),
        (_with(zones__eez={"path": "x.shp"}), "needs 'id': the attribute naming each polygon"),
        (
            _with(zones__eez={"path": "x.gpkg", "format": "wdpa", "levels": ["eez"]}),
            "apply to 'format: marineregions'",
        ),
    ],
)
def test_errors_name_the_key_and_the_expectation(data, expected):
    with pytest.raises(ScenarioError) as err:
        scenario_from_dict(data, origin="s.yaml")
    assert expected in str(err.value)
    assert str(err.value).startswith("s.yaml: invalid scenario")


def test_missing_input_files_are_reported_with_the_path(tmp_path):
    with pytest.raises(ScenarioError, match=r"ocean.source 'nothing/\*.nc' matches no file"):
        scenario_from_dict(_with(ocean__source="nothing/*.nc"), base_dir=tmp_path)
    with pytest.raises(ScenarioError, match="zones.reefs.path 'reefs.geojson' not found"):
        scenario_from_dict(_with(zones__reefs={"path": "reefs.geojson", "id": "name"}), base_dir=tmp_path)


def test_relative_paths_resolve_against_the_scenario_file(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "reefs.geojson").write_text("{}")
    f = tmp_path / "sub" / "s.yaml"
    f.write_text(yaml.safe_dump(_with(zones__reefs={"path": "reefs.geojson", "id": "name"}, output="out")))
    sc = load_scenario(f)
    assert sc.zones["reefs"].path == str(tmp_path / "sub" / "reefs.geojson")
    assert sc.output_dir() == tmp_path / "sub" / "out"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name: [unclosed", "not valid YAML"),
        ("- a\n- b\n", "expected a mapping of keys"),
        (yaml.safe_dump({**BASE, "simulaton": {}}), "Did you mean 'simulation'?"),
    ],
)
def test_cli_validate_exits_2_with_a_message_and_no_traceback(tmp_path, content, message):
    f = tmp_path / "bad.yaml"
    f.write_text(content)
    res = CliRunner().invoke(app, ["validate", str(f)])
    assert res.exit_code == 2
    assert message in res.output
    assert "Traceback" not in res.output


def test_cli_validate_accepts_the_demo():
    res = CliRunner().invoke(app, ["validate", str(REPO / "scenarios" / "demo.yaml")])
    assert res.exit_code == 0, res.output
    assert "ok" in res.output and "5000 particles" in res.output


@pytest.mark.parametrize(
    "path", sorted((REPO / "scenarios" / "templates").glob("*.yaml")), ids=lambda p: p.stem
)
def test_shipped_templates_follow_the_schema(path):
    from marinenet.scenario import Scenario

    Scenario.model_validate(yaml.safe_load(path.read_text()))  # data files are the user's to download
