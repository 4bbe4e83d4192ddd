"""3-D tracking on z-level currents (with w)."""

import numpy as np
import pytest
import xarray as xr

from marinenet.behaviour import diel, ontogeny
from marinenet.engine import ENGINES, STATUS, EngineRequest, run_engine
from marinenet.ocean.reader import open_currents

from .conftest import DEG2M, SHARED_DATA

T0 = np.datetime64("2021-01-01")
DAY = 86400.0
DEPTHS = np.array([0.0, 50.0, 100.0, 200.0])


def _file(path, u_of_depth, w=None, lon=None):
    times = np.array([T0 + np.timedelta64(k, "D") for k in range(5)])
    lat = np.arange(-3.0, 3.01, 0.25)
    lon = np.arange(-3.0, 3.01, 0.25) if lon is None else lon
    shape = (times.size, DEPTHS.size, lat.size, lon.size)
    u = np.broadcast_to(np.asarray(u_of_depth, float)[None, :, None, None], shape).astype("f8")
    data = {
        "uo": (
            ("time", "depth", "latitude", "longitude"),
            u,
            {"units": "m s-1", "standard_name": "eastward_sea_water_velocity"},
        ),
        "vo": (
            ("time", "depth", "latitude", "longitude"),
            np.zeros(shape),
            {"units": "m s-1", "standard_name": "northward_sea_water_velocity"},
        ),
    }
    if w is not None:
        data["wo"] = (
            ("time", "depth", "latitude", "longitude"),
            np.full(shape, w),
            {"units": "m s-1", "standard_name": "upward_sea_water_velocity"},
        )
    xr.Dataset(
        data,
        coords={
            "time": times,
            "depth": ("depth", DEPTHS, {"positive": "down", "axis": "Z"}),
            "latitude": lat,
            "longitude": lon,
        },
    ).to_netcdf(path)
    return str(path)


def _run(ds, depth, t=DAY, engine="parcels"):
    req = EngineRequest(ds, np.array([0.0]), np.array([0.0]), T0, t, 1800.0, DAY / 4, depth=depth)
    return run_engine(engine, req)


@pytest.mark.parametrize("engine", ENGINES)
def test_particles_move_with_the_current_of_their_depth(tmp_path, engine):
    ds = open_currents(
        _file(tmp_path / "s.nc", [0.1, 0.2, 0.3, 0.3]), None, T0, T0 + np.timedelta64(2, "D"), three_d=True
    )
    assert ds["u"].dims == ("time", "depth", "lat", "lon") and "w" not in ds
    for depth, speed in ((0.0, 0.1), (25.0, 0.15), (100.0, 0.3)):  # linear between levels
        tr = _run(ds, depth, engine=engine)
        assert tr.status[0] == STATUS["active"]
        assert tr.end_lon[0] == pytest.approx(speed * DAY / DEG2M, rel=1e-6)
        np.testing.assert_allclose(tr.depth[0, np.isfinite(tr.depth[0])], depth)


@pytest.mark.parametrize("engine", ENGINES)
def test_upward_w_lifts_particles_and_the_surface_holds_them(tmp_path, engine):
    ds = open_currents(
        _file(tmp_path / "w.nc", [0.0] * 4, w=1e-3), None, T0, T0 + np.timedelta64(3, "D"), three_d=True
    )
    tr = _run(ds, 150.0, engine=engine)
    assert tr.depth[0, -1] == pytest.approx(150.0 - 1e-3 * DAY, rel=1e-6)  # 86.4 m up in a day
    tr = _run(
        ds, 150.0, t=2 * DAY, engine=engine
    )  # 172.8 m of rise from 150 m: it reaches the surface and stays
    assert tr.status[0] == STATUS["active"] and tr.depth[0, -1] == pytest.approx(0.0, abs=1e-9)


def test_real_3d_file_runs_at_depth(tmp_path):
    """MET Norway Arctic-20 z-levels (polar stereographic, rotated and regridded) tracked at 50 m."""
    import json

    import yaml
    from scipy.ndimage import binary_dilation
    from typer.testing import CliRunner

    from marinenet.cli import app

    path = SHARED_DATA / "ocean" / "roms_arctic20_2016-02_3d.nc"
    if not path.exists():
        pytest.skip("../shared/data is not present")
    t0 = np.datetime64("2016-02-01T12")
    ds = open_currents(str(path), None, t0, t0 + np.timedelta64(2, "D"), three_d=True)
    k = int(np.argmin(np.abs(ds["depth"].values - 50.0)))
    bad = binary_dilation(ds["land3d"].values[k] | ds["outside"].values | ds["land"].values, iterations=3)
    jj, ii = np.nonzero(~bad)
    pick = np.linspace(0, jj.size - 1, 20).astype(int)
    points = [[float(ds.lon[i]), float(ds.lat[j])] for j, i in zip(jj[pick], ii[pick], strict=True)]
    sc = {
        "name": "real3d",
        "ocean": {"source": str(path), "three_d": True},
        "release": {"from": {"points": points}, "particles": 1, "start": "2016-02-01T12:00", "depth": 50.0},
        "simulation": {"duration": "2 days", "dt": "30 minutes", "output_every": "12 hours"},
        "output": "out",
    }
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(sc))
    res = CliRunner().invoke(app, ["run", str(tmp_path / "s.yaml"), "--quiet", "--no-maps"])
    assert res.exit_code == 0, res.output
    tr = xr.open_dataset(tmp_path / "out" / "trajectories.nc")
    depth = tr["depth"].values
    np.testing.assert_allclose(depth[np.isfinite(depth)], 50.0)  # no w in the file: they stay at 50 m
    step = (
        np.hypot(
            np.diff(tr["lon"].values, axis=1) * np.cos(np.deg2rad(tr["lat"].values[:, 1:])),
            np.diff(tr["lat"].values, axis=1),
        )
        * DEG2M
    )
    assert np.all(step[np.isfinite(step)] > 1.0)  # nobody stalled
    assert json.loads((tmp_path / "out" / "summary.json").read_text())["errors"] == 0


@pytest.mark.parametrize("engine", ENGINES)
def test_real_s_level_file_tracked_in_3d_matches_the_fixed_depth_run(tmp_path, engine):
    """MET Norway Nordic-4km on 35 s-levels, interpolated to z-levels (0, 50, ... 200 m).

    Without w a particle released at 100 m stays there, and 100 m is one of the z-levels, so the
    3-D run must follow the same currents as a 2-D run at a fixed depth of 100 m: the same tracks.
    """
    import yaml
    from scipy.ndimage import binary_dilation
    from typer.testing import CliRunner

    from marinenet.cli import app

    path = SHARED_DATA / "ocean" / "roms_nordic4km_2016-02_sigma.nc"
    if not path.exists():
        pytest.skip("../shared/data is not present")
    t0 = np.datetime64("2016-02-02T12")
    levels = [0.0, 50.0, 100.0, 150.0, 200.0]
    ds = open_currents(str(path), None, t0, t0 + np.timedelta64(1, "D"), three_d=True, levels=levels)
    assert list(ds["depth"].values) == levels and "from 35 s-levels" in ds.attrs["level"]
    assert ds["land3d"].values[4].sum() > ds["land3d"].values[0].sum()  # the shelf is land at 200 m
    bad = binary_dilation(ds["land3d"].values[3] | ds["outside"].values, iterations=3)
    jj, ii = np.nonzero(~bad)
    pick = np.linspace(0, jj.size - 1, 20).astype(int)
    points = [[float(ds.lon[i]), float(ds.lat[j])] for j, i in zip(jj[pick], ii[pick], strict=True)]
    tracks = {}
    for name, ocean in (("3d", {"three_d": True, "levels": levels}), ("2d", {"depth": 100.0})):
        sc = {
            "name": name,
            "ocean": {"source": str(path), **ocean},
            "release": {
                "from": {"points": points},
                "particles": 1,
                "start": "2016-02-02T12:00",
                "depth": 100.0,
            },
            "simulation": {
                "duration": "1 day",
                "dt": "30 minutes",
                "output_every": "6 hours",
                "engine": engine,
            },
            "output": name,
        }
        (tmp_path / f"{name}.yaml").write_text(yaml.safe_dump(sc))
        res = CliRunner().invoke(app, ["run", str(tmp_path / f"{name}.yaml"), "--quiet", "--no-maps"])
        assert res.exit_code == 0, res.output
        tracks[name] = xr.open_dataset(tmp_path / name / "trajectories.nc")
    a, b = tracks["3d"], tracks["2d"]
    np.testing.assert_allclose(a["depth"].values, 100.0)  # no w: they stay at 100 m
    moved = np.hypot(
        a["lon"].values[:, -1] - a["lon"].values[:, 0], a["lat"].values[:, -1] - a["lat"].values[:, 0]
    )
    assert np.all(moved > 1e-3)  # nobody stalled (> ~100 m in a day)
    np.testing.assert_allclose(a["lon"].values, b["lon"].values, atol=1e-5)
    np.testing.assert_allclose(a["lat"].values, b["lat"].values, atol=1e-5)


@pytest.mark.parametrize("engine", ENGINES)
def test_diel_vertical_migration_follows_day_and_night_depths(tmp_path, engine):
    wide = np.arange(-10.0, 100.1, 2.0)
    path = _file(tmp_path / "s.nc", [0.0] * 4, lon=wide)
    ds = open_currents(path, None, T0, T0 + np.timedelta64(3, "D"), three_d=True)
    mig = {
        "day_depth": 50.0,
        "night_depth": 5.0,
        "speed": 0.05,
    }  # 180 m/h: reaches either depth within an hour
    lon = np.array([0.0, 90.0])  # local noon at 12 UTC and at 06 UTC
    req = EngineRequest(
        ds, lon, np.zeros(2), T0, 2 * DAY, 600.0, 3 * 3600.0, depth=20.0, behaviours=(diel.params(ds, **mig),)
    )
    tr = run_engine(engine, req)
    hours = ((tr.times - T0) / np.timedelta64(1, "h")).astype(int)
    local = (hours[None, :] + lon[:, None] / 15.0) % 24
    day = (local >= 7) & (local < 18)  # an hour after dawn, before dusk
    night = (local >= 19) | (local < 6)
    day[:, 0] = night[:, 0] = False  # the release instant: still at the release depth
    assert np.allclose(tr.depth[day], 50.0) and np.allclose(tr.depth[night], 5.0)
    assert day[0].any() and night[0].any() and day[1].any() and night[1].any()
    # released at 20 m at 00 UTC: the particle at 90°E starts in local morning darkness (06 local is dawn)
    assert tr.depth[0, 0] == pytest.approx(20.0)


def test_migration_without_3d_currents_is_refused():
    from marinenet import ScenarioError, scenario_from_dict

    with pytest.raises(ScenarioError, match="needs 3-D currents: set ocean.three_d: true"):
        scenario_from_dict(
            {
                "name": "m",
                "release": {"from": {"points": [[0, 0]]}, "particles": 1, "start": "2021-01-01T00:00"},
                "behaviour": {"migration": {"day_depth": 50, "night_depth": 5}},
                "simulation": {"duration": "1 day"},
            }
        )


@pytest.mark.parametrize("engine", ENGINES)
def test_ontogenetic_migration_follows_the_depth_of_each_age_stage(tmp_path, engine):
    """Stages begin at 0, 1 and 2 days with preferred depths 5, 40 and 80 m; 0.02 m/s covers 72 m/h."""
    path = _file(tmp_path / "o.nc", [0.0] * 4)
    ds = open_currents(path, None, T0, T0 + np.timedelta64(4, "D"), three_d=True)
    onto = ontogeny.params([0.0, DAY, 2 * DAY], [5.0, 40.0, 80.0], 0.02)
    req = EngineRequest(
        ds, np.zeros(2), np.zeros(2), T0, 3 * DAY, 600.0, 6 * 3600.0, depth=20.0, behaviours=(onto,)
    )
    tr = run_engine(engine, req)
    hours = (tr.times - T0) / np.timedelta64(1, "h")
    for lo, hi, depth in ((2, 24, 5.0), (26, 48, 40.0), (50, 72, 80.0)):  # an hour or two to get there
        sel = (hours >= lo) & (hours <= hi)
        assert sel.any() and np.allclose(tr.depth[:, sel], depth), (lo, tr.depth[0])
    assert tr.depth[0, 0] == pytest.approx(20.0)  # released at 20 m


def test_ontogeny_needs_stages_that_start_at_zero():
    from marinenet.behaviour.config import BehaviourConfig

    with pytest.raises(ValueError, match="start at 0"):
        BehaviourConfig(kind="larva", pld="10 days", ontogeny={"ages": ["1 day"], "depths": [10]})
    with pytest.raises(ValueError, match="either 'migration'"):
        BehaviourConfig(
            ontogeny={"ages": ["0 days"], "depths": [10]}, migration={"day_depth": 10, "night_depth": 5}
        )


def test_z_levels_for_s_levels_need_3d():
    from marinenet import ScenarioError, scenario_from_dict

    with pytest.raises(ScenarioError, match="ocean.levels .* needs ocean.three_d: true"):
        scenario_from_dict(
            {
                "name": "m",
                "ocean": {"source": "x.nc", "levels": [0, 10]},
                "release": {"from": {"points": [[0, 0]]}, "particles": 1, "start": "2021-01-01T00:00"},
                "simulation": {"duration": "1 day"},
            }
        )
