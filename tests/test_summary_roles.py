"""summary.json through the typed Summary (its keys are a contract), and layer roles instead of names."""

from __future__ import annotations

import json
import logging

import numpy as np
import pytest
import yaml

import marinenet
from marinenet.summary import OUTCOME_KEYS, Summary

from .conftest import write_boxes, write_cf_currents

#: the keys of summary.json, in their order (README "What you get"; the report and scripts read them)
KEYS = [
    "name",
    "synthetic",
    "engine",
    "engine_reason",
    "engine_notes",
    "trajectories_stored",
    "particles_released",
    "active_at_end",
    "stranded",
    "out_of_domain",
    "settled",
    "dead",
    "unsettled",
    "arrived",
    "errors",
    "particle_steps",
    "engine_seconds",
    "compile_seconds",
    "particle_steps_per_second",
    "start",
    "end",
    "direction",
    "seed",
    "layers",
    "sampling",
    "connectivity_rows",
    "citations",
    "credits",
    "under_sampled",
    "versions",
    "outputs",
    "wall_seconds",
]


def _run(tmp_path, zones, name="roles"):
    times = np.array([np.datetime64("2021-01-01") + np.timedelta64(k, "D") for k in range(3)])
    flow = lambda X, Y: np.full(X.shape, 0.2)  # noqa: E731
    write_cf_currents(
        tmp_path / "c.nc", np.arange(0, 5.01, 0.25), np.arange(0, 5.01, 0.25), times, flow, flow
    )
    write_boxes(tmp_path / "parks.geojson", {"P": (1.0, 1.0, 2.0, 2.0)})
    write_boxes(tmp_path / "areas.geojson", {"A": (0.5, 0.5, 1.5, 1.5), "B": (1.5, 1.5, 3.0, 3.0)})
    sc = marinenet.scenario_from_dict(
        {
            "name": name,
            "ocean": {"source": str(tmp_path / "c.nc")},
            "zones": zones,
            "release": {"from": {"layer": "areas"}, "particles": 30, "start": "2021-01-01T00:00"},
            "simulation": {"duration": "1 day", "engine": "fast"},
        },
        origin="test",
    )
    return marinenet.run(sc, out=tmp_path / name, maps=False)


AREAS = {"path": "areas.geojson", "id": "name"}


def test_summary_json_keeps_its_keys_and_reads_back_typed(tmp_path):
    zones = {"areas": {**AREAS}, "parks": {"path": "parks.geojson", "id": "name", "role": "mpa"}}
    for z in zones.values():
        z["path"] = str(tmp_path / z["path"])
    res = _run(tmp_path, zones)
    raw = json.loads((res.out_dir / "summary.json").read_text())
    assert list(raw) == KEYS
    assert raw["layers"]["parks"] == {
        "zones": 1,
        "outside_label": "outside",
        "role": "mpa",
        "high_seas": None,
    }
    typed = Summary.read(res.out_dir / "summary.json")
    assert typed.to_json() == raw  # written and read through one object, nothing lost
    assert typed.particles_released == 30 == sum(typed.outcome(k) for k in OUTCOME_KEYS)
    assert typed["stranded"] == raw["stranded"] and res.summary.particles_released == 30
    with pytest.raises(KeyError):
        typed.outcome("particles_released")


def test_a_summary_of_an_older_version_reads_with_its_roles_and_unknown_keys_kept():
    old = {
        "name": "old",
        "particles_released": 5,
        "layers": {"mpa_x": {"zones": 2, "outside_label": "u"}},
        "new": 1,
    }
    s = Summary.from_json(old)
    assert s.layers_with_role("mpa") == ["mpa_x"]  # the role its name gave it when it was written
    assert s.stored_all_tracks and s.high_seas_labels == ["ABNJ", "high_seas"]
    assert s.to_json()["new"] == 1 and s.to_json()["particles_released"] == 5


def test_protection_follows_the_role_not_the_name(tmp_path, caplog):
    """A layer of role mpa named 'parks' gets protection.csv; a layer named 'mpa' without a role does not
    (before: any layer whose name began with 'mpa' was taken for protected areas, and no other)."""
    parks = {"path": str(tmp_path / "parks.geojson"), "id": "name"}
    areas = {**AREAS, "path": str(tmp_path / "areas.geojson")}
    res = _run(tmp_path, {"areas": areas, "parks": {**parks, "role": "mpa"}}, name="a")
    table = (res.out_dir / "protection.csv").read_text()
    assert "share of particle-days outside MPAs (all particles)" in table
    with caplog.at_level(logging.WARNING, logger="marinenet"):
        res = _run(tmp_path, {"areas": areas, "mpa": parks}, name="b")
    assert not (res.out_dir / "protection.csv").exists()
    assert "zone layer 'mpa' has no role" in caplog.text and "add 'role: mpa'" in caplog.text


def test_a_role_outside_the_list_is_refused(tmp_path):
    write_boxes(tmp_path / "parks.geojson", {"P": (1.0, 1.0, 2.0, 2.0)})
    sc = {
        "name": "r",
        "ocean": {"source": "demo"},
        "zones": {"parks": {"path": str(tmp_path / "parks.geojson"), "id": "name", "role": "park"}},
    }
    with pytest.raises(marinenet.ScenarioError, match="role"):
        marinenet.scenario_from_dict(yaml.safe_load(yaml.safe_dump(sc)), origin="t")
