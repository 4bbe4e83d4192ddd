"""Temperature-dependent larvae (behaviour.temperature) on both engines.

Expected PLDs come from the definitions written out here (q10: r = q10**((T - Tref)/10);
O'Connor et al. 2007: PLD(T)/PLD(Tref) = exp(b1 dL + b2 d(L^2)), L = ln(T/15)), and the time a
larva crosses a lethal isotherm from the geometry of its straight drift.
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest

from marinenet.behaviour import mortality, settlement
from marinenet.behaviour import temperature as tm
from marinenet.behaviour.config import Temperature
from marinenet.engine import ENGINES, STATUS, EngineRequest, run_engine
from marinenet.ocean.reader import open_currents

from .bad_input import assert_refused, cli, write_yaml
from .bio_fixtures import DAY, T0, write
from .conftest import DEG2M

HOUR = 3600.0


def _ocean(path, days=30):
    return open_currents(str(path), None, T0, T0 + np.timedelta64(days, "D"), tracers=("thetao",))


def _life(ds, pld, mortality_rate=0.0, mode=mortality.STOCHASTIC, **temperature):
    scenario = SimpleNamespace(behaviour=SimpleNamespace(temperature=Temperature(**temperature)))
    return mortality.params(pld, mortality_rate, mode, tm.thermal(scenario, ds))


def _run(engine, ds, behaviours, lon=(0.0,), duration=20 * DAY, dt=HOUR):
    lon = np.asarray(lon, float)
    req = EngineRequest(ds, lon, np.zeros(lon.size), T0, duration, dt, DAY, behaviours=behaviours)
    return run_engine(engine, req)


def _days(tr):
    return (tr.end_time - T0) / np.timedelta64(1, "s") / DAY


def _oconnor_pld(pld_ref, t, tref):
    L = lambda x: math.log(x / 15.0)  # noqa: E731
    return pld_ref * math.exp(-1.34 * (L(t) - L(tref)) - 0.28 * (L(t) ** 2 - L(tref) ** 2))


@pytest.mark.parametrize("engine", ENGINES)
def test_uniform_temperature_gives_the_q10_pld(tmp_path, engine):
    ds = _ocean(write(tmp_path / "t30.nc", 30.0))
    tr = _run(engine, ds, (_life(ds, 10 * DAY, model="q10", reference=20.0, q10=2.0),), duration=6 * DAY)
    assert list(tr.status) == [STATUS["unsettled"]]
    assert _days(tr)[0] == pytest.approx(5.0, abs=1e-9)  # 10 d / 2**((30 - 20)/10)


@pytest.mark.parametrize("engine", ENGINES)
def test_uniform_temperature_gives_the_oconnor_pld(tmp_path, engine):
    ds = _ocean(write(tmp_path / "t26.nc", 26.0))
    tr = _run(engine, ds, (_life(ds, 12 * DAY, model="oconnor", reference=18.0),), duration=8 * DAY)
    expected = _oconnor_pld(12.0, 26.0, 18.0)
    assert tr.status[0] == STATUS["unsettled"]
    assert expected <= _days(tr)[0] < expected + HOUR / DAY  # the first step start at or after it


@pytest.mark.parametrize("model", ["q10", "oconnor"])
def test_warm_and_cold_releases_differ_as_the_formula_says(tmp_path, model):
    # west half 14 degC, east half 24 degC; no current: a larva keeps its release temperature
    ds = _ocean(write(tmp_path / "wc.nc", lambda t, z, y, x: np.where(x < 0, 14.0, 24.0)))
    cfg = {"model": model, "reference": 14.0} | ({"q10": 2.5} if model == "q10" else {})
    dt = 3 * HOUR
    ends = {
        e: _days(_run(e, ds, (_life(ds, 20 * DAY, **cfg),), lon=(-2.0, 2.0), duration=21 * DAY, dt=dt))
        for e in ENGINES
    }
    cold, warm = ends["fast"]
    expected_warm = 20.0 / 2.5 if model == "q10" else _oconnor_pld(20.0, 24.0, 14.0)
    assert cold == pytest.approx(20.0, abs=1e-9)  # at the reference temperature
    assert expected_warm - 1e-9 <= warm < expected_warm + dt / DAY
    np.testing.assert_allclose(ends["parcels"], ends["fast"], atol=1e-9)


@pytest.mark.parametrize("engine", ENGINES)
def test_lethal_limit_kills_where_the_isotherm_is_crossed(tmp_path, engine):
    # T = 20 + 2 lon degC; drifting east at 0.5 m/s from 2 W, the larva passes 24 degC (lon 2) at
    # t* = 4 deg * DEG2M / 0.5 m/s; it dies at the first step starting beyond it, before moving
    ds = _ocean(write(tmp_path / "grad.nc", lambda t, z, y, x: 20.0 + 2.0 * x, u=0.5))
    life = _life(ds, 25 * DAY, model="q10", reference=20.0, q10=2.0, lethal=[10.0, 24.0])
    dt = 3 * HOUR
    tr = _run(engine, ds, (life,), lon=(-2.0,), duration=11 * DAY, dt=dt)
    t_cross = 4.0 * DEG2M / 0.5
    k = math.floor(t_cross / dt) + 1
    assert tr.status[0] == STATUS["dead"]
    assert _days(tr)[0] * DAY == pytest.approx(k * dt, abs=1e-3)
    assert tr.end_lon[0] == pytest.approx(-2.0 + 0.5 * k * dt / DEG2M, abs=1e-6)


@pytest.mark.parametrize("engine", ENGINES)
def test_cold_lethal_limit_and_temperature_scaled_mortality(tmp_path, engine):
    ds = _ocean(write(tmp_path / "t.nc", lambda t, z, y, x: np.where(x < 0, 8.0, 30.0)))
    life = _life(
        ds, 40 * DAY, 0.1 / DAY, mortality.WEIGHTS, model="q10", reference=20.0, q10=1.0,
        lethal=[10.0, 35.0], mortality_q10=3.0,
    )  # fmt: skip
    tr = _run(engine, ds, (life,), lon=(-2.0, 2.0), duration=4 * DAY)
    assert tr.status[0] == STATUS["dead"] and _days(tr)[0] == 0.0  # too cold from the start
    assert tr.status[1] == STATUS["active"]
    assert tr.weight[1] == pytest.approx(math.exp(-0.1 * 3.0 * 4.0), rel=1e-9)  # rate x 3**((30-20)/10)


@pytest.mark.parametrize("engine", ENGINES)
def test_competency_counts_in_development_age(tmp_path, engine):
    class Everywhere:
        def contains(self, lon, lat):
            return np.ones(np.size(lon), bool)

    ds = _ocean(write(tmp_path / "t30.nc", 30.0))
    life = _life(ds, 10 * DAY, model="q10", reference=20.0, q10=2.0)
    settle = settlement.params(Everywhere(), 10 * DAY, 4 * DAY, 8 * DAY)
    tr = _run(engine, ds, (life, settle), duration=3 * DAY)
    assert tr.status[0] == STATUS["settled"]
    assert _days(tr)[0] == pytest.approx(2.0, abs=1e-9)  # competent at 4 d of development = 2 d at 30 degC


def _scenario(tmp_path, source, behaviour):
    return write_yaml(
        tmp_path / "s.yaml",
        {
            "name": "t",
            "ocean": {"source": str(source)},
            "zones": {"cells": {"source": "grid", "cell": 1.0}},
            "release": {"from": {"points": [[0.0, 0.0]]}, "particles": 2, "start": "2021-03-01T00:00"},
            "simulation": {"duration": "3 days", "dt": "1 hour", "output_every": "1 day"},
            "behaviour": behaviour,
            "output": str(tmp_path / "out"),
        },
    )


def test_validate_refuses_temperature_without_thetao(tmp_path):
    source = write(tmp_path / "no_t.nc", 20.0, names=("so",))
    larva = {"kind": "larva", "pld": "10 days", "temperature": {"model": "q10", "reference": 20, "q10": 2}}
    assert_refused(
        cli("validate", _scenario(tmp_path, source, larva)), "sea_water_potential_temperature", "thetao"
    )


def test_temperature_keys_are_checked(tmp_path):
    source = write(tmp_path / "t.nc", 20.0)
    bad = {"kind": "larva", "pld": "10 days", "temperature": {"model": "q10", "reference": 20}}
    assert_refused(cli("validate", _scenario(tmp_path, source, bad)), "q10")
    passive = {"temperature": {"model": "oconnor", "reference": 20}}
    assert_refused(cli("validate", _scenario(tmp_path, source, passive)), "kind: larva")


def test_a_resumed_run_keeps_the_development_age(tmp_path):
    from marinenet.engine.checkpoint import Checkpoint
    from marinenet.engine.fast_engine import run_fast

    class Crash(Checkpoint):
        def save(self, k, arrays):
            super().save(k, arrays)
            if k == 2:
                raise RuntimeError("crash after output step 2")

    ds = _ocean(write(tmp_path / "t30.nc", 30.0))

    def request():
        life = _life(ds, 10 * DAY, model="q10", reference=20.0, q10=2.0)
        return EngineRequest(ds, np.zeros(1), np.zeros(1), T0, 8 * DAY, HOUR, DAY, behaviours=(life,))

    with pytest.raises(RuntimeError, match="crash"):
        run_fast(request(), checkpoint=Crash(tmp_path / "ck"))
    resumed = run_fast(request(), checkpoint=Checkpoint(tmp_path / "ck"))
    assert resumed.status[0] == STATUS["unsettled"]
    assert _days(resumed)[0] == pytest.approx(5.0, abs=1e-9)  # development kept: not 2 d + 5 d


@pytest.mark.parametrize("engine", ENGINES)
def test_stochastic_mortality_scales_with_temperature(tmp_path, engine):
    # 0.2 per day x 3**((30 - 20)/10) = 0.6 per day for 2 days: survival exp(-1.2); binomial, 4 sigma
    ds = _ocean(write(tmp_path / "t30.nc", 30.0))
    life = _life(ds, 40 * DAY, 0.2 / DAY, mortality.STOCHASTIC, model="q10", reference=20.0, q10=2.0,
                 mortality_q10=3.0)  # fmt: skip
    n = 400
    tr = _run(engine, ds, (life,), lon=np.linspace(-2.0, 2.0, n), duration=2 * DAY, dt=3 * HOUR)
    p = math.exp(-1.2)
    alive = np.mean(tr.status == STATUS["active"])
    assert set(tr.status) <= {STATUS["active"], STATUS["dead"]}
    assert abs(alive - p) < 4 * math.sqrt(p * (1 - p) / n)
