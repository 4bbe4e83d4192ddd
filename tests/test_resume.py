"""``--resume`` continues only the run of the checkpoint; scenario values are written back exactly."""

from __future__ import annotations

import json

import numpy as np
import pytest
import yaml

import marinenet.pipeline as pipeline
from marinenet.errors import InputDataError
from marinenet.scenario import load_scenario, scenario_from_dict
from marinenet.units import format_duration, format_rate, parse_duration, parse_rate

from .conftest import write_cf_currents
from .test_pipeline import _invoke, _scenario, inputs  # noqa: F401  (the fixture)

SIM = {"duration": "2 days", "output_every": "12 hours", "checkpoint_every": "12 hours", "engine": "fast"}


def _interrupted(d, monkeypatch, **over):
    """A run that saved checkpoints and then failed before writing its outputs; its scenario file."""
    f = _scenario(d, simulation=SIM, behaviour={"diffusion": 5.0}, output=str(d / "out"), seed=1, **over)

    def fail(*a, **k):
        raise InputDataError("simulated failure after tracking")

    with monkeypatch.context() as m:
        m.setattr(pipeline, "_write_outputs", fail)
        res = _invoke("run", f, "--no-maps", "-q")
    assert res.exit_code == 2 and "simulated failure" in res.output
    assert (d / ".out.checkpoint" / "state.npz").is_file() and not (d / "out").exists()
    return f


def _resume_api(f, out):
    import marinenet

    return marinenet.run(load_scenario(f), out=out, maps=False, resume=True)


@pytest.mark.parametrize(
    ("edit", "said"),
    [
        ({"seed": 2}, "scenario seed: 1 at the checkpoint, 2 now"),
        ({"behaviour": {"diffusion": 20.0}}, "scenario behaviour.diffusion: 5.0 at the checkpoint, 20.0 now"),
    ],
)
def test_resume_with_an_edited_scenario_is_refused(inputs, monkeypatch, edit, said):
    f = _interrupted(inputs, monkeypatch)
    data = yaml.safe_load(f.read_text())
    data.update(edit)
    f.write_text(yaml.safe_dump(data))
    with pytest.raises(pipeline.ScenarioError, match="the scenario or its inputs changed") as exc:
        _resume_api(f, inputs / "out")
    assert said in str(exc.value)
    assert not (inputs / "out").exists() and (inputs / ".out.checkpoint" / "state.npz").is_file()


def test_resume_with_changed_currents_is_refused(inputs, monkeypatch):
    f = _interrupted(inputs, monkeypatch)
    times = np.array([np.datetime64("2021-01-01") + np.timedelta64(k, "D") for k in range(4)])
    grid = np.arange(0, 5.01, 0.5)
    write_cf_currents(  # the same file name and grid, other velocities
        inputs / "currents.nc", grid, grid, times, lambda X, Y: np.full(X.shape, -0.2), lambda X, Y: X * 0
    )
    with pytest.raises(pipeline.ScenarioError, match=r"input file .*currents.nc: changed"):
        _resume_api(f, inputs / "out")


def test_resume_of_an_edited_checkpoint_scenario_exits_2(inputs, monkeypatch):
    """The CLI resumes from the checkpoint's scenario.json: 30 particles there instead of 20 is refused
    (before: a traceback from arrays of the wrong length)."""
    _interrupted(inputs, monkeypatch)
    saved = inputs / ".out.checkpoint" / "scenario.json"
    data = json.loads(saved.read_text())
    data["release"]["particles"] = 30
    saved.write_text(json.dumps(data))
    res = _invoke("run", "--resume", inputs / "out", "--no-maps", "-q")
    assert res.exit_code == 2, res.output
    assert "particles released: 20 at the checkpoint, 30 now" in res.output
    assert "release.particles: 20 at the checkpoint, 30 now" in res.output and "Traceback" not in res.output


def test_resume_with_the_same_inputs_finishes_the_run(inputs, monkeypatch):
    _interrupted(inputs, monkeypatch)
    res = _invoke("run", "--resume", inputs / "out", "--no-maps", "-q")
    assert res.exit_code == 0, res.output
    assert "resuming from the checkpoint" in (inputs / "out" / "run.log").read_text()
    assert not (inputs / ".out.checkpoint").exists()


# ---------------------------------------------------------------- exact values
def test_rates_and_durations_are_written_back_exactly():
    rng = np.random.default_rng(5)
    rates = [float(r) for r in 10 ** rng.uniform(-12, -2, 500)] + [parse_rate("half-life 80 days"), 0.0]
    for r in rates:
        assert parse_rate(format_rate(r)) == r, format_rate(r)
    assert format_rate(parse_rate("0.1 per day")) == "0.1 per day"  # readable where it can be
    assert format_rate(parse_rate("half-life 80 days")) == "half-life 80 days"
    for s in [86400.0, 86400.00000001, 129600.0, 1e-6, 3600 * 1.1, *map(float, rng.uniform(1, 1e7, 200))]:
        assert parse_duration(format_duration(s)) == s, format_duration(s)


def test_the_resolved_scenario_reloads_to_the_same_values(inputs):
    """A rerun of scenario.resolved.yaml is the same run: 0.123456789 per day stayed 0.123457 before."""
    beh = {"kind": "larva", "pld": "2 days", "mortality": "0.123456789 per day", "diffusion": 1 / 3}
    res = _invoke("run", _scenario(inputs, behaviour=beh), "--out", inputs / "o", "--no-maps", "-q")
    assert res.exit_code == 0, res.output
    resolved = yaml.safe_load((inputs / "o" / "scenario.resolved.yaml").read_text())
    resolved.pop("versions")
    again = scenario_from_dict(resolved)
    assert again.behaviour.mortality == 0.123456789 / 86400 and again.behaviour.diffusion == 1 / 3
    assert again.to_dict() == load_scenario(inputs / "s.yaml").to_dict() | {"output": None}
