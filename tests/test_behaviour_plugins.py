"""Behaviour plug-ins and custom kernels: one module + one registry call runs on both engines."""

import types

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from marinenet.behaviour import registry
from marinenet.behaviour.status import STATUS, Status
from marinenet.cli import app
from marinenet.engine import ENGINES, EngineRequest, run_engine

from . import custom_kernels as ck
from .conftest import DEG2M, canonical
from .toy_behaviour import EastParams, east_kernels, east_step

T0 = np.datetime64("2021-01-01T00:00")
HOUR = 3600.0


# ----------------------------------------------------------------------------- a toy behaviour
EAST = types.SimpleNamespace(
    NAME="east",
    Params=EastParams,
    OFF=EastParams(0.0, 0.0),
    fast_step=east_step,
    parcels_kernels=east_kernels,
)


@pytest.fixture
def east():
    registry.register(EAST, before="coast")
    yield EAST
    registry.unregister("east")


def _still(n_days=3):
    lon = lat = np.arange(-5.0, 5.01, 0.25)
    times = T0 + np.arange(n_days) * np.timedelta64(1, "D")
    return canonical(lon, lat, times, lambda X, Y: np.zeros(X.shape), lambda X, Y: np.zeros(X.shape))


@pytest.mark.slow  # a new behaviour set compiles a new fast stepper (once; cached on disk)
def test_a_toy_behaviour_registered_in_a_test_runs_on_both_engines(east):
    """Swim east at 0.2 m/s in still water for 10 h: x = x0 + 0.2·36000 m / (deg2m·cos(lat))."""
    lat0 = np.array([0.0, 2.0, -3.0])
    runs = {}
    for engine in ENGINES:
        req = EngineRequest(
            _still(), np.zeros(3), lat0, T0, 10 * HOUR, HOUR, 5 * HOUR, behaviours=(EastParams(1.0, 0.2),)
        )
        runs[engine] = run_engine(engine, req)
    expected = 0.2 * 10 * HOUR / (DEG2M * np.cos(np.deg2rad(lat0)))
    for tr in runs.values():
        np.testing.assert_allclose(tr.end_lon, expected, rtol=1e-12)
        np.testing.assert_array_equal(tr.end_lat, lat0)
    np.testing.assert_allclose(runs["fast"].lon, runs["parcels"].lon, rtol=1e-12, atol=1e-12)


def test_the_registry_fixes_one_step_order_and_refuses_unknown_forms():
    names = [b.NAME for b in registry.behaviours()]
    assert names == [
        "swim", "windage", "stokes", "diffusion", "diel", "ontogeny", "egg", "surface", "coast", "mortality",
        "settlement",
    ]  # fmt: skip
    stray = EngineRequest(
        _still(), np.zeros(1), np.zeros(1), T0, HOUR, HOUR, HOUR, behaviours=(EastParams(1, 1),)
    )
    with pytest.raises(ValueError, match="not registered"):
        registry.resolve(stray)
    with pytest.raises(TypeError, match="lacks 'OFF'"):
        registry.register(types.SimpleNamespace(NAME="x", Params=EastParams))


def test_status_is_defined_once():
    assert STATUS == {
        "active": 0, "stranded": 1, "out_of_domain": 2, "error": 3, "settled": 4, "dead": 5,
        "unsettled": 6, "arrived": 7,
    }  # fmt: skip
    assert Status.FINISHED not in STATUS.values()


# ----------------------------------------------------------------------------- custom kernels
@pytest.mark.parametrize("engine", ENGINES)
def test_a_custom_kernel_adds_a_constant_step_on_both_engines(engine):
    """Zero current, 0.01° east per step, 12 steps: x = x0 + 12 · 0.01; the custom variable counts 12."""
    x0 = np.array([-1.0, 0.0, 1.5])
    req = EngineRequest(
        _still(), x0, np.zeros(3), T0, 12 * HOUR, HOUR, 4 * HOUR, kernels=[ck.EastwardStep, ck.CountSteps]
    )
    tr = run_engine(engine, req)
    np.testing.assert_allclose(tr.end_lon, x0 + 12 * ck.STEP_DEG, rtol=0, atol=1e-12)
    np.testing.assert_allclose(tr.lon[:, 1], x0 + 4 * ck.STEP_DEG, rtol=0, atol=1e-12)
    assert np.all(tr.status == STATUS["active"])


def test_custom_kernels_give_the_same_tracks_on_both_engines():
    """A kernel that samples the current by name (fieldset.UV) doubles the drift: 2·u·t east."""
    lon = lat = np.arange(-5.0, 5.01, 0.25)
    times = T0 + np.arange(3) * np.timedelta64(1, "D")
    ocean = canonical(lon, lat, times, lambda X, Y: np.full(X.shape, 0.1), lambda X, Y: np.zeros(X.shape))
    lat0 = np.array([0.0, 1.0])
    runs = {
        e: run_engine(
            e, EngineRequest(ocean, np.zeros(2), lat0, T0, DAY, HOUR, 6 * HOUR, kernels=[ck.DoubleDrift])
        )
        for e in ENGINES
    }
    expected = 2 * 0.1 * DAY / (DEG2M * np.cos(np.deg2rad(lat0)))
    for tr in runs.values():
        np.testing.assert_allclose(tr.end_lon, expected, rtol=1e-9)
    np.testing.assert_allclose(runs["fast"].lon, runs["parcels"].lon, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(runs["fast"].lat, runs["parcels"].lat, rtol=0, atol=1e-12)


DAY = 86400.0


def _scenario(tmp_path, kernels):
    from .conftest import write_cf_currents

    times = np.array([T0 + np.timedelta64(k, "D") for k in range(3)])
    zero = lambda X, Y: np.zeros(X.shape)  # noqa: E731
    write_cf_currents(
        tmp_path / "c.nc", np.arange(0, 3.01, 0.25), np.arange(0, 3.01, 0.25), times, zero, zero
    )
    sc = {
        "name": "k",
        "ocean": {"source": "c.nc"},
        "release": {"from": {"points": [[1.0, 1.0]]}, "particles": 2, "start": "2021-01-01T00:00"},
        "behaviour": {"kernels": kernels},
        "simulation": {"duration": "6 hours", "output_every": "3 hours", "engine": "fast"},
        "output": "out",
    }
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(sc))
    return tmp_path / "s.yaml"


def test_a_kernel_with_the_wrong_signature_is_refused_by_validate(tmp_path):
    res = CliRunner().invoke(app, ["validate", str(_scenario(tmp_path, ["tests.custom_kernels:OldStyle"]))])
    assert res.exit_code == 2, res.output
    assert "takes (particle, fieldset, time)" in res.output and "(particles, fieldset)" in res.output
    assert "Traceback" not in res.output


def test_a_kernel_in_the_scenario_folder_runs_on_the_fast_engine(tmp_path):
    (tmp_path / "my_kernels.py").write_text(
        "def North(particles, fieldset):\n    particles.dy = particles.dy + 0.001\n"
    )
    path = _scenario(tmp_path, ["my_kernels:North"])
    assert CliRunner().invoke(app, ["validate", str(path)]).exit_code == 0
    res = CliRunner().invoke(app, ["run", str(path), "--quiet", "--no-maps"])
    assert res.exit_code == 0, res.output
    import xarray as xr

    with xr.open_dataset(tmp_path / "out" / "trajectories.nc") as tr:
        np.testing.assert_allclose(tr["end_lat"].values, 1.0 + 6 * 0.001, atol=1e-12)  # 6 hourly steps


@pytest.mark.parametrize("engine", ENGINES)
def test_ontogeny_takes_more_than_eight_stages(tmp_path, engine):
    """Ten 2-hour stages at 5, 10, ... 50 m (the old compiled form had 8 slots); 0.05 m/s covers 5 m
    in one 10-minute step, so an hour into stage q the particle is at its depth."""
    from marinenet.behaviour import ontogeny
    from marinenet.behaviour.config import BehaviourConfig
    from marinenet.ocean.reader import open_currents

    from .test_three_d import T0 as T3
    from .test_three_d import _file

    cfg = BehaviourConfig(
        ontogeny={"ages": [f"{2 * q} hours" for q in range(10)], "depths": [5.0 * (q + 1) for q in range(10)]}
    )
    assert len(cfg.ontogeny.ages) == 10
    ds = open_currents(
        _file(tmp_path / "o.nc", [0.0] * 4), None, T3, T3 + np.timedelta64(2, "D"), three_d=True
    )
    onto = ontogeny.params(cfg.ontogeny.ages, cfg.ontogeny.depths, 0.05)
    req = EngineRequest(
        ds, np.zeros(1), np.zeros(1), T3, 20 * HOUR, 600.0, HOUR, depth=5.0, behaviours=(onto,)
    )
    tr = run_engine(engine, req)
    hours = np.arange(1, 20, 2)  # an hour into each stage
    np.testing.assert_allclose(tr.depth[0, hours], 5.0 * (np.arange(10) + 1), atol=1e-9)
