"""Buoyant pelagic eggs (behaviour.egg) on both engines.

The egg density is its density at surface pressure and the water's is its TEOS-10 potential
density referenced to the surface (the egg compresses about as much as the water). The expected
depths come from a few-line RK4 integration, written here, of dz/dt = -w(z) with Stokes' law
w = g d^2 (rho(z) - rho_egg) / (18 mu), rho(z) = gsw.rho(SA, CT, 0) with SA from the practical
salinity at the egg's own pressure; mu from the seawater viscosity (checked on its own in
test_bio_formulas.py), or from closed forms.
"""

from __future__ import annotations

from types import SimpleNamespace

import gsw
import numpy as np
import pytest

from marinenet.behaviour import egg
from marinenet.behaviour.config import Egg
from marinenet.behaviour.seawater import viscosity
from marinenet.engine import ENGINES, STATUS, EngineRequest, run_engine
from marinenet.ocean.reader import open_currents

from .bad_input import assert_refused, cli, write_yaml
from .bio_fixtures import DAY, T0, write
from .conftest import SHARED_DATA

DEPTHS = [0.0, 25.0, 50.0, 100.0, 150.0, 200.0]
TEMP, SALT = 10.0, 35.0


def stratified(z):
    """Potential temperature (degC) of the stratified column: 12 degC at the surface, 4 degC at 200 m."""
    return 12.0 - 0.04 * z


def rho_at(z, temp=TEMP):
    """Potential density (kg/m3, 0 dbar) of water at depth z (m) at 0 N 0 E, salinity SALT (TEOS-10)."""
    p = gsw.p_from_z(-z, 0.0)
    sa = gsw.SA_from_SP(SALT, p, 0.0, 0.0)
    return float(gsw.rho(sa, gsw.CT_from_pt(sa, temp), 0.0))


def integrate(z0, rho_egg, d_mm, until, h=60.0):
    """Depths (m) every ``h`` s from z0 by RK4 of dz/dt = -w(z) in the uniform water, held at the surface."""
    k = 9.81 * (d_mm / 1000.0) ** 2 / (18.0 * viscosity(TEMP, SALT))

    def f(z):
        return -k * (rho_at(max(z, 0.0)) - rho_egg)

    t, z, out = 0.0, z0, [(0.0, z0)]
    while t < until:
        a = f(z)
        b = f(z + 0.5 * h * a)
        c = f(z + 0.5 * h * b)
        e = f(z + h * c)
        z = max(z + h / 6.0 * (a + 2 * b + 2 * c + e), 0.0)
        t += h
        out.append((t, z))
    return np.array(out)


@pytest.fixture(scope="module")
def ocean(tmp_path_factory):
    path = write(tmp_path_factory.mktemp("egg") / "ts.nc", TEMP, SALT, depths=DEPTHS, days=8)
    return open_currents(
        str(path), None, T0, T0 + np.timedelta64(8, "D"), three_d=True, tracers=("thetao", "so")
    )


def _egg(ds, **cfg):
    return egg.from_scenario(SimpleNamespace(behaviour=SimpleNamespace(egg=Egg(**cfg))), ds, {})


def _run(engine, ds, params, z0, duration=5 * DAY, dt=1800.0, every=3600.0):
    req = EngineRequest(
        ds, np.array([0.0]), np.array([0.0]), T0, duration, dt, every, behaviours=(params,), depth=z0
    )
    return run_engine(engine, req)


@pytest.fixture(scope="module")
def column(tmp_path_factory):
    path = write(tmp_path_factory.mktemp("egg") / "strat.nc", lambda t, z, y, x: stratified(z), SALT,
                 depths=DEPTHS, days=8)  # fmt: skip
    return open_currents(
        str(path), None, T0, T0 + np.timedelta64(8, "D"), three_d=True, tracers=("thetao", "so")
    )


@pytest.mark.parametrize("engine", ENGINES)
def test_neutral_egg_stays_at_its_density_level(column, engine):
    params = _egg(column, density=rho_at(100.0, stratified(100.0)), diameter=1.2, hatch="10 days")
    tr = _run(engine, column, params, 100.0, duration=3 * DAY, every=6 * 3600.0)
    assert tr.status[0] == STATUS["active"]
    np.testing.assert_allclose(tr.depth[0], 100.0, atol=1e-6)


@pytest.mark.parametrize("engine", ENGINES)
def test_neutral_level_attracts_eggs_from_above_and_below(column, engine):
    params = _egg(column, density=rho_at(100.0, stratified(100.0)), diameter=1.2, hatch="10 days")
    for z0 in (60.0, 140.0):
        z = _run(engine, column, params, z0, duration=4 * DAY, dt=3 * 3600.0, every=12 * 3600.0).depth[0]
        gap = (z - 100.0) / (z0 - 100.0)
        assert np.all(np.diff(gap) < 0) and 0 < gap[-1] < 0.6  # closer every output, never past


@pytest.mark.parametrize("engine", ENGINES)
def test_uniform_water_has_no_neutral_level(ocean, engine):
    # an egg compresses like the water: in uniform T, S an egg as dense as the water stays at any
    # depth, and a heavier one sinks at a constant speed (compared in situ, it would stop near 42 m)
    for z0 in (25.0, 150.0):
        params = _egg(ocean, density=rho_at(z0), diameter=1.2, hatch="10 days")
        np.testing.assert_allclose(_run(engine, ocean, params, z0, duration=2 * DAY).depth[0], z0, atol=1e-4)
    rho_egg = rho_at(20.0) + 0.1
    params = _egg(ocean, density=rho_egg, diameter=1.5, hatch="10 days")
    tr = _run(engine, ocean, params, 20.0, duration=5 * DAY, every=DAY)
    w = 9.81 * 1.5e-3**2 * 0.1 / (18.0 * viscosity(TEMP, SALT))  # m/s, Stokes' law
    times = (tr.times - T0) / np.timedelta64(1, "s")
    np.testing.assert_allclose(tr.depth[0], 20.0 + w * times, rtol=2e-3)
    np.testing.assert_allclose(
        tr.depth[0], np.interp(times, *integrate(20.0, rho_egg, 1.5, 5 * DAY).T), atol=0.01
    )
    assert tr.depth[0, -1] > 55.0


def test_lighter_egg_reaches_the_surface_in_the_analytic_time(ocean):
    rho_egg = rho_at(0.0) - 0.7
    params = _egg(ocean, density=rho_egg, diameter=1.0, hatch="10 days")
    ref = integrate(100.0, rho_egg, 1.0, 5 * DAY)
    t_surface = ref[np.argmax(ref[:, 1] <= 0.0), 0]
    closed = 100.0 * 18.0 * viscosity(TEMP, SALT) / (9.81 * 1e-6 * 0.7)  # constant speed: z0 / w
    assert 3 * DAY < t_surface < 5 * DAY and t_surface == pytest.approx(closed, rel=2e-3)
    tracks = {e: _run(e, ocean, params, 100.0, every=2 * 3600.0) for e in ENGINES}
    for tr in tracks.values():
        times = (tr.times - T0) / np.timedelta64(1, "s")
        expected = np.interp(times, ref[:, 0], ref[:, 1])
        np.testing.assert_allclose(tr.depth[0], expected, atol=0.01)
        first = times[np.argmax(tr.depth[0] <= 1e-9)]
        assert t_surface <= first < t_surface + 2 * 3600.0 + 1800.0  # the first output after it, + a step
    np.testing.assert_allclose(tracks["parcels"].depth, tracks["fast"].depth, atol=1e-5)


@pytest.mark.parametrize("engine", ENGINES)
def test_heavier_egg_sinks_and_hatching_by_degree_days_stops_it(ocean, engine):
    rho_egg = rho_at(20.0) + 0.8
    params = _egg(ocean, density=rho_egg, diameter=1.5, hatch_degree_days=TEMP * 2.0)  # 2 days at 10 degC
    tr = _run(engine, ocean, params, 20.0, duration=3 * DAY, every=6 * 3600.0)
    ref = integrate(20.0, rho_egg, 1.5, 2 * DAY)
    z = tr.depth[0]
    assert z[8] == pytest.approx(ref[-1, 1], abs=0.01) and z[8] > 20.0 + 10.0  # sank for 2 days
    np.testing.assert_allclose(z[8:], z[8], atol=1e-9)  # hatched: drifts on at its depth


@pytest.mark.parametrize("engine", ENGINES)
def test_hatching_by_age(ocean, engine):
    params = _egg(ocean, density=rho_at(0.0) - 1.0, diameter=1.0, hatch="1 day")
    z = _run(engine, ocean, params, 100.0, duration=2 * DAY, every=6 * 3600.0).depth[0]
    ref = integrate(100.0, rho_at(0.0) - 1.0, 1.0, DAY)
    assert z[4] == pytest.approx(ref[-1, 1], abs=0.01)
    np.testing.assert_allclose(z[4:], z[4], atol=1e-9)


def _scenario(tmp_path, source, three_d=True):
    return write_yaml(
        tmp_path / "s.yaml",
        {
            "name": "t",
            "ocean": {"source": str(source), "three_d": three_d},
            "zones": {"cells": {"source": "grid", "cell": 1.0}},
            "release": {
                "from": {"points": [[0.0, 0.0]]},
                "particles": 2,
                "start": "2021-03-01T00:00",
                "depth": 50,
            },
            "simulation": {"duration": "3 days", "dt": "1 hour", "output_every": "1 day"},
            "behaviour": {"egg": {"density": 1025.0, "diameter": 1.2, "hatch": "3 days"}},
            "output": str(tmp_path / "out"),
        },
    )


def test_validate_refuses_eggs_without_3d_or_salinity(tmp_path):
    surface = write(tmp_path / "2d.nc", TEMP, SALT, days=4)
    assert_refused(cli("validate", _scenario(tmp_path, surface, three_d=False)), "three_d")
    no_salt = write(tmp_path / "nos.nc", TEMP, SALT, depths=DEPTHS, days=4, names=("thetao",))
    assert_refused(cli("validate", _scenario(tmp_path, no_salt)), "sea_water_salinity", "'so'")


def test_cod_egg_profile_is_cited_and_needs_a_hatching_time():
    from pydantic import ValidationError

    from marinenet.behaviour.config import BehaviourConfig

    cfg = BehaviourConfig(profile="atlantic_cod_eggs", egg={"hatch_degree_days": 80})
    assert cfg.egg.diameter == 1.4 and cfg.egg.hatch_degree_days == 80  # the group adds to the profile's
    assert "Sundby" in cfg.sources["egg"] and "31.25" in cfg.sources["egg"]
    rho = float(
        gsw.rho(gsw.SA_from_SP(31.25, 0, 14, 68), gsw.CT_from_pt(gsw.SA_from_SP(31.25, 0, 14, 68), 5), 0)
    )
    assert cfg.egg.density == pytest.approx(rho, abs=0.05)  # the cited salinity at the stated 5 degC
    with pytest.raises(ValidationError, match="hatch"):
        BehaviourConfig(profile="atlantic_cod_eggs")


ROMS_3D = SHARED_DATA / "ocean" / "roms_arctic20_2016-02_3d.nc"


@pytest.mark.skipif(not ROMS_3D.exists(), reason="shared real data not available")
def test_real_roms_eggs_and_warm_larvae_agree_on_both_engines():
    # MET Norway ROMS Arctic-20km (polar stereographic, grid-relative u/v, T/S on 17 z-levels),
    # Norwegian Sea in February: cod-like eggs rising from 60 m, larvae developing with temperature
    from marinenet.behaviour import mortality
    from marinenet.behaviour import temperature as tm
    from marinenet.behaviour.config import Temperature

    t0 = np.datetime64("2016-02-01T12:00")
    ds = open_currents(str(ROMS_3D), None, t0, t0 + np.timedelta64(3, "D"), three_d=True,
                       tracers=("thetao", "so"), region=(2, 66, 12, 71))  # fmt: skip
    assert 2.0 < float(ds["thetao"].isel(depth=0).median()) < 9.0 and 34.0 < float(ds["so"].median()) < 35.5
    lon, lat = np.array([3.0, 5.0, 8.0, 4.0]), np.array([67.0, 68.0, 69.5, 70.0])
    eggs = _egg(ds, density=1024.7, diameter=1.4, hatch="2 days")
    scenario = SimpleNamespace(behaviour=SimpleNamespace(temperature=Temperature(model="q10", reference=4.0,
                                                                                 q10=3.0, lethal=[-1.0, 30.0])))  # fmt: skip
    life = mortality.params(2 * DAY, 0.0, mortality.STOCHASTIC, tm.thermal(scenario, ds))
    tracks = {}
    for e in ENGINES:
        req = EngineRequest(
            ds, lon, lat, t0, 2.5 * DAY, 1800.0, 6 * 3600.0, behaviours=(eggs, life), depth=60.0
        )
        tracks[e] = run_engine(e, req)
    fast, parcels = tracks["fast"], tracks["parcels"]
    np.testing.assert_array_equal(fast.status, parcels.status)
    assert (
        set(fast.status) <= {STATUS["unsettled"], STATUS["active"]}
        and (fast.status == STATUS["unsettled"]).any()
    )
    np.testing.assert_allclose(parcels.end_lon, fast.end_lon, atol=1e-5)
    np.testing.assert_allclose(parcels.end_lat, fast.end_lat, atol=1e-5)
    np.testing.assert_allclose(parcels.depth, fast.depth, atol=1e-5)
    np.testing.assert_allclose(parcels.end_time.astype(float), fast.end_time.astype(float), atol=1e3)
    assert np.all(fast.depth[:, 4] < 60.0)  # the eggs (lighter than the water) rose


def test_validate_refuses_eggs_in_a_backward_run(tmp_path):
    import yaml

    source = write(tmp_path / "3d.nc", TEMP, SALT, depths=DEPTHS, days=4)
    f = _scenario(tmp_path, source)
    data = yaml.safe_load(f.read_text())
    data["simulation"]["direction"] = "backward"
    data["release"]["start"] = "2021-03-04T00:00"
    f.write_text(yaml.safe_dump(data))
    assert_refused(cli("validate", f), "backward", "behaviour.egg")
