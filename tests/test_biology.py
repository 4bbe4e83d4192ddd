"""Behaviour checked quantitatively: mortality, competency, settlement, diffusion, spawning seasons."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from shapely.geometry import box
from typer.testing import CliRunner

from marinenet.behaviour import larva as larva_behaviours
from marinenet.behaviour.swim import params as swimmer
from marinenet.cli import app
from marinenet.engine import ENGINES, STATUS, EngineRequest, run_engine
from marinenet.zones.habitat import SettlementHabitat

from .conftest import DEG2M, canonical

T0 = np.datetime64("2021-01-01T00:00")
DAY = 86400.0
REPO = Path(__file__).resolve().parents[1]


def _still(days):
    lon = lat = np.arange(-5.0, 5.01, 0.25)
    return canonical(lon, lat, days(20), lambda X, Y: np.zeros(X.shape), lambda X, Y: np.zeros(X.shape))


def _larvae(ocean, n, duration, larva, habitat=None, seed=0, diffusion=0.0, dt=3600.0, engine="parcels"):
    hab = None if habitat is None else SettlementHabitat([habitat])
    req = EngineRequest(
        ocean,
        np.zeros(n),
        np.zeros(n),
        T0,
        duration,
        dt,
        DAY,
        seed=seed,
        behaviours=larva_behaviours(**larva, habitat=hab),
        diffusion=diffusion,
    )
    return run_engine(engine, req)


def _larva(pld, cmin=0.0, cmax=None, m=0.0, mode=1):
    return {"pld": pld, "comp_min": cmin, "comp_max": cmax, "mortality": m, "mortality_mode": mode}


@pytest.mark.parametrize("engine", ENGINES)
def test_stochastic_survival_follows_exp_minus_mt(days, engine):
    m, t, n = 0.1 / DAY, 10 * DAY, 3000
    tr = _larvae(_still(days), n, t, _larva(t, m=m), engine=engine)
    survived = np.mean(tr.status == STATUS["unsettled"])
    expected = np.exp(-m * t)
    sigma = np.sqrt(expected * (1 - expected) / n)
    assert abs(survived - expected) < 3 * sigma, (survived, expected)
    assert np.all(np.isin(tr.status, [STATUS["dead"], STATUS["unsettled"]]))
    # the dead died along the way, at ages spread over the PLD
    age_dead = (tr.end_time[tr.status == STATUS["dead"]] - T0) / np.timedelta64(1, "D")
    assert 3 < np.median(age_dead) < 6


@pytest.mark.parametrize("engine", ENGINES)
def test_survival_weights_are_exact(days, engine):
    m, t = 0.2 / DAY, 5 * DAY
    tr = _larvae(_still(days), 10, t, _larva(t, m=m, mode=0), engine=engine)
    np.testing.assert_allclose(tr.weight, np.exp(-m * t), rtol=1e-9)
    assert np.all(tr.status == STATUS["unsettled"])


@pytest.mark.parametrize("engine", ENGINES)
def test_no_settlement_outside_the_competency_window(days, engine):
    ocean = _still(days)
    everywhere = box(-180, -90, 180, 90)
    tr = _larvae(
        ocean, 20, 8 * DAY, _larva(8 * DAY, cmin=2 * DAY, cmax=5 * DAY), habitat=everywhere, engine=engine
    )
    assert np.all(tr.status == STATUS["settled"])
    ages = (tr.end_time - T0) / np.timedelta64(1, "s")
    np.testing.assert_allclose(ages, 2 * DAY)  # the first moment they are competent
    none = _larvae(ocean, 20, 8 * DAY, _larva(8 * DAY, cmin=2 * DAY, cmax=5 * DAY), engine=engine)
    assert np.all(none.status == STATUS["unsettled"])


@pytest.mark.parametrize("engine", ENGINES)
def test_settlement_happens_where_the_habitat_is(days, engine):
    """Drifting east at 0.2 m/s, competent from day 1: larvae settle on reaching the habitat strip x >= 2°."""
    lon = lat = np.arange(-5.0, 5.01, 0.25)
    ocean = canonical(lon, lat, days(20), lambda X, Y: np.full(X.shape, 0.2), lambda X, Y: np.zeros(X.shape))
    habitat = box(2.0, -90, 180, 90)
    tr = _larvae(ocean, 5, 15 * DAY, _larva(15 * DAY, cmin=1 * DAY), engine=engine)
    assert np.all(tr.status == STATUS["unsettled"])  # no habitat given: nobody settles
    tr = _larvae(ocean, 5, 15 * DAY, _larva(15 * DAY, cmin=1 * DAY), habitat=habitat, engine=engine)
    assert np.all(tr.status == STATUS["settled"])
    # settled on the habitat, within one hourly step after reaching its edge x = 2° (not a cell before)
    step = 0.2 * 3600 / DEG2M
    assert np.all(tr.end_lon >= 2.0) and np.all(tr.end_lon < 2.0 + step)
    ages = (tr.end_time - T0) / np.timedelta64(1, "s")
    reach = 2.0 * DEG2M / 0.2
    assert np.all(ages >= reach) and np.all(ages < reach + 3600.0)


@pytest.mark.parametrize("engine", ENGINES)
def test_diffusion_spreads_as_2_kh_t_and_is_reproducible(days, engine):
    kh, t, n = 100.0, 2 * DAY, 2000
    ocean = _still(days)
    req = dict(
        ocean=ocean,
        lon=np.zeros(n),
        lat=np.zeros(n),
        start=T0,
        duration=t,
        dt=3600.0,
        output_every=DAY,
        diffusion=kh,
    )
    a = run_engine(engine, EngineRequest(**req, seed=5))
    b = run_engine(engine, EngineRequest(**req, seed=5))
    c = run_engine(engine, EngineRequest(**req, seed=6))
    np.testing.assert_array_equal(a.end_lon, b.end_lon)
    assert not np.allclose(a.end_lon, c.end_lon)
    var_x = np.var(a.end_lon * DEG2M)
    var_y = np.var(a.end_lat * DEG2M)
    assert var_x == pytest.approx(2 * kh * t, rel=0.1) and var_y == pytest.approx(2 * kh * t, rel=0.1)


def test_spawning_season_releases_and_tracks_each_event(tmp_path, days):
    from .conftest import write_cf_currents

    times = np.array([T0 + np.timedelta64(k, "D") for k in range(12)])
    write_cf_currents(
        tmp_path / "c.nc",
        np.arange(0, 5.01, 0.25),
        np.arange(0, 5.01, 0.25),
        times,
        lambda X, Y: np.full(X.shape, 0.05),
        lambda X, Y: np.zeros(X.shape),
    )
    sc = {
        "name": "season",
        "seed": 3,
        "ocean": {"source": "c.nc"},
        "release": {
            "from": {"points": [[1.0, 1.0], [2.0, 2.0]]},
            "particles": 5,
            "start": "2021-01-01T00:00",
            "every": "2 days",
            "until": "2021-01-05T00:00",
        },
        "simulation": {"duration": "3 days", "output_every": "12 hours"},
        "output": "out",
    }
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(sc))
    res = CliRunner().invoke(app, ["run", str(tmp_path / "s.yaml"), "--quiet", "--no-maps"])
    assert res.exit_code == 0, res.output
    import xarray as xr

    tr = xr.open_dataset(tmp_path / "out" / "trajectories.nc")
    s = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert s["particles_released"] == 30 and s["end"].startswith("2021-01-08")
    rel = tr["release_time"].values
    assert sorted(set(rel.astype("datetime64[D]").astype(str))) == ["2021-01-01", "2021-01-03", "2021-01-05"]
    tracked = (tr["end_time"].values - rel) / np.timedelta64(1, "D")
    np.testing.assert_allclose(tracked, 3.0)  # every particle followed for exactly its duration
    moved = tr["end_lon"].values - tr["lon"].values[np.arange(30), 0 * np.arange(30)]
    assert np.isfinite(tr["lon"].values).sum() == 30 * 7  # 7 half-day positions each (release + 6)
    del moved


def test_profile_scenario_runs_end_to_end_with_settlement_matrix(tmp_path):
    sc = yaml.safe_load((REPO / "scenarios" / "demo.yaml").read_text())
    sc["release"]["particles"] = 300
    sc["simulation"]["duration"] = "6 days"
    sc["behaviour"] = {
        "profile": "reef_fish",
        "pld": "6 days",
        "competency": ["2 days", "6 days"],
        "mortality": "0.05 per day",
        "settle_in": {"layer": "mpa"},
        "diffusion": 10.0,
    }
    sc["output"] = str(tmp_path / "larvae")
    (tmp_path / "l.yaml").write_text(yaml.safe_dump(sc))
    res = CliRunner().invoke(app, ["run", str(tmp_path / "l.yaml"), "--quiet"])
    assert res.exit_code == 0, res.output
    out = tmp_path / "larvae"
    s = json.loads((out / "summary.json").read_text())
    fates = ("active_at_end", "stranded", "out_of_domain", "settled", "dead", "unsettled", "errors")
    assert sum(s[k] for k in fates) == 300 and s["settled"] > 0 and s["dead"] > 0
    settle = pd.read_csv(out / "connectivity" / "eez.settlement.csv")
    assert np.allclose(settle.groupby("source")["fraction"].sum(), 1.0)
    assert settle["count"].sum() == 300
    mpa_settle = pd.read_csv(out / "connectivity" / "mpa.settlement.csv")
    settled_in_mpas = mpa_settle[
        ~mpa_settle["destination"].isin(["unsettled", "dead", "stranded", "out_of_domain", "outside"])
    ]["count"].sum()
    assert settled_in_mpas == s["settled"]  # larvae settle only in the habitat layer (the MPAs)
    resolved = yaml.safe_load((out / "scenario.resolved.yaml").read_text())
    assert "Cowen" in resolved["behaviour"]["sources"]["pld"]
    assert (out / "report.html").exists()


def test_custom_kernel_from_a_scenario(tmp_path):
    from .conftest import write_cf_currents

    times = np.array([T0 + np.timedelta64(k, "D") for k in range(4)])
    write_cf_currents(
        tmp_path / "c.nc",
        np.arange(0, 5.01, 0.25),
        np.arange(0, 5.01, 0.25),
        times,
        lambda X, Y: np.zeros(X.shape),
        lambda X, Y: np.zeros(X.shape),
    )
    sc = {
        "name": "k",
        "ocean": {"source": "c.nc"},
        "release": {"from": {"points": [[1.0, 1.0]]}, "particles": 2, "start": "2021-01-01T00:00"},
        "behaviour": {"kernels": ["tests.custom_kernels:NorthwardSwim"]},
        "simulation": {"duration": "2 days"},
        "output": "out",
    }
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(sc))
    res = CliRunner().invoke(app, ["run", str(tmp_path / "s.yaml"), "--quiet", "--no-maps"])
    assert res.exit_code == 0, res.output
    import xarray as xr

    tr = xr.open_dataset(tmp_path / "out" / "trajectories.nc")
    np.testing.assert_allclose(tr["end_lat"].values - 1.0, 0.1 * 2 * DAY / DEG2M, rtol=1e-9)  # still water
    sc["behaviour"] = {"kernels": ["tests.custom_kernels:Nope"]}
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(sc))
    bad = CliRunner().invoke(app, ["validate", str(tmp_path / "s.yaml")])
    assert bad.exit_code == 2 and "cannot import 'tests.custom_kernels:Nope'" in bad.output


@pytest.mark.parametrize("engine", ENGINES)
def test_swimmer_in_still_water_reaches_a_target_in_distance_over_speed(days, engine):
    speed, d_deg = 0.5, 2.0
    ocean = _still(days)
    swim = {"speed": speed, "target_point": (d_deg, 0.0), "arrive_m": 500.0}
    req = EngineRequest(
        ocean, np.zeros(3), np.zeros(3), T0, 10 * DAY, 600.0, DAY, behaviours=(swimmer(ocean, **swim),)
    )
    tr = run_engine(engine, req)
    assert np.all(tr.status == STATUS["arrived"])
    hours = (tr.end_time - T0) / np.timedelta64(1, "h")
    expected = (d_deg * DEG2M - 500.0) / speed / 3600  # to within the arrival radius
    np.testing.assert_allclose(hours, expected, atol=600 / 3600 + 1e-9)  # one 10-minute step


@pytest.mark.parametrize("engine", ENGINES)
def test_swimmer_heads_for_a_target_area_with_a_correlated_random_walk(days, engine):
    ocean = _still(days)
    lon, lat = ocean["lon"].values, ocean["lat"].values
    area = np.broadcast_to(lat[:, None] >= 3.0, (lat.size, lon.size)).copy()  # everything north of 3°N
    swim = {"speed": 0.5, "target_mask": area, "persistence": 0.9, "turn_sd": 0.5}
    req = EngineRequest(
        ocean,
        np.zeros(50),
        np.zeros(50),
        T0,
        15 * DAY,
        1800.0,
        DAY,
        behaviours=(swimmer(ocean, **swim),),
        seed=3,
    )
    tr = run_engine(engine, req)
    assert np.all(tr.status == STATUS["arrived"])
    hours = (tr.end_time - T0) / np.timedelta64(1, "h")
    straight = 2.875 * DEG2M / 0.5 / 3600  # the mask reaches 0.5 at 2.875°N
    assert np.all(hours >= straight - 0.5) and np.median(hours) < 1.3 * straight  # wiggly, but on its way
    assert np.std(tr.end_lon) > 0.01  # the random walk spreads them


def test_swimmer_scenario_reaches_its_target_zone(tmp_path):
    sc = yaml.safe_load((REPO / "scenarios" / "demo.yaml").read_text())
    sc["release"] = {"from": {"layer": "eez", "ids": ["Faro"]}, "particles": 40, "start": "2021-03-01T00:00"}
    sc["simulation"]["duration"] = "20 days"
    sc["behaviour"] = {
        "kind": "swimmer",
        "speed": 1.0,
        "target": {"layer": "eez", "ids": ["Estrel"]},
        "persistence": 0.8,
        "turn_sd": 20,
    }
    sc["output"] = str(tmp_path / "swim")
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(sc))
    res = CliRunner().invoke(app, ["run", str(tmp_path / "s.yaml"), "--quiet", "--no-maps"])
    assert res.exit_code == 0, res.output
    s = json.loads((tmp_path / "swim" / "summary.json").read_text())
    assert s["arrived"] >= 30  # ~1,000 km at 1 m/s against a ~5 cm/s southward drift: most arrive in 20 days
    table = pd.read_csv(tmp_path / "swim" / "connectivity" / "eez.csv")
    assert table.set_index("destination").loc["Estrel", "count"] >= s["arrived"]


@pytest.mark.parametrize("engine", ENGINES)
def test_swimmer_switches_target_with_the_season(days, engine):
    """Head east until day 2, then turn north (a seasonal switch of target)."""
    ocean = _still(days)
    swim = {
        "speed": 0.5,
        "target_point": (4.5, 0.0),
        "target2_point": (0.0, 4.5),
        "arrive_m": 500.0,
        "switch_time": T0 + np.timedelta64(2, "D"),
    }
    tr = run_engine(
        engine,
        EngineRequest(
            ocean, np.zeros(1), np.zeros(1), T0, 4 * DAY, 1800.0, DAY, behaviours=(swimmer(ocean, **swim),)
        ),
    )
    east_by_day2 = 0.5 * 2 * DAY / DEG2M
    assert tr.lon[0, 2] == pytest.approx(east_by_day2, rel=1e-3) and abs(tr.lat[0, 2]) < 1e-6
    assert tr.lat[0, 4] > 0.5 and tr.lon[0, 4] < tr.lon[0, 2]  # then north-west toward the second target


def test_settled_larvae_are_placed_on_the_habitat_they_sensed():
    import geopandas as gpd

    from marinenet.prepare import settle_onto_habitat
    from marinenet.zones import layer_from_frame

    reef = layer_from_frame(
        "reefs", gpd.GeoDataFrame({"id": ["A"]}, geometry=[box(0, 0, 1, 1)], crs=4326), "id"
    )
    lon, lat = settle_onto_habitat(reef, np.array([1.03, 0.5, -0.02]), np.array([0.5, 0.5, 1.01]))
    np.testing.assert_allclose(lon, [1.0, 0.5, 0.0], atol=1e-5)
    np.testing.assert_allclose(lat, [0.5, 0.5, 1.0], atol=1e-5)
    assert (reef.classify(lon, lat) == 0).all()


@pytest.mark.parametrize("name", ["spiny_lobster", "reef_fish", "broadcast_coral", "juvenile_loggerhead"])
def test_every_shipped_profile_loads_and_cites_a_source_for_each_parameter(name):
    from marinenet.behaviour.config import PROFILE_DIR, BehaviourConfig, available_profiles

    assert name in available_profiles()
    extra = {"target": {"point": [-20.0, 30.0]}} if name == "juvenile_loggerhead" else {}
    cfg = BehaviourConfig(profile=name, **extra)
    preset = yaml.safe_load((PROFILE_DIR / f"{name}.yaml").read_text())
    params = set(preset) - {"description", "kind", "sources"}
    assert params and params <= set(cfg.sources), (
        f"{name}: parameters without a source: {params - set(cfg.sources)}"
    )
    if name == "juvenile_loggerhead":
        assert cfg.kind == "swimmer" and cfg.speed == pytest.approx(0.38)
        assert "Revelles" in cfg.sources["speed"]
