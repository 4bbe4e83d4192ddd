"""3-D tracking on z-level currents (with w)."""

import numpy as np
import pytest
import xarray as xr

from marinenet.engine import STATUS, EngineRequest, run_engine
from marinenet.ocean.reader import open_currents

from .conftest import DEG2M, SHARED_DATA

T0 = np.datetime64("2021-01-01")
DAY = 86400.0
DEPTHS = np.array([0.0, 50.0, 100.0, 200.0])


def _file(path, u_of_depth, w=None):
    times = np.array([T0 + np.timedelta64(k, "D") for k in range(5)])
    lon = lat = np.arange(-3.0, 3.01, 0.25)
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


def _run(ds, depth, t=DAY):
    req = EngineRequest(ds, np.array([0.0]), np.array([0.0]), T0, t, 1800.0, DAY / 4, depth=depth)
    return run_engine("parcels", req)


def test_particles_move_with_the_current_of_their_depth(tmp_path):
    ds = open_currents(
        _file(tmp_path / "s.nc", [0.1, 0.2, 0.3, 0.3]), None, T0, T0 + np.timedelta64(2, "D"), three_d=True
    )
    assert ds["u"].dims == ("time", "depth", "lat", "lon") and "w" not in ds
    for depth, speed in ((0.0, 0.1), (25.0, 0.15), (100.0, 0.3)):  # linear between levels
        tr = _run(ds, depth)
        assert tr.status[0] == STATUS["active"]
        assert tr.end_lon[0] == pytest.approx(speed * DAY / DEG2M, rel=1e-6)
        np.testing.assert_allclose(tr.depth[0, np.isfinite(tr.depth[0])], depth)


def test_upward_w_lifts_particles_and_the_surface_holds_them(tmp_path):
    ds = open_currents(
        _file(tmp_path / "w.nc", [0.0] * 4, w=1e-3), None, T0, T0 + np.timedelta64(3, "D"), three_d=True
    )
    tr = _run(ds, 150.0)
    assert tr.depth[0, -1] == pytest.approx(150.0 - 1e-3 * DAY, rel=1e-6)  # 86.4 m up in a day
    tr = _run(ds, 150.0, t=2 * DAY)  # 172.8 m of rise from 150 m: it reaches the surface and stays
    assert tr.status[0] == STATUS["active"] and tr.depth[0, -1] == pytest.approx(0.0, abs=1e-9)


def test_real_3d_file_runs_at_depth():
    path = SHARED_DATA / "ocean" / "roms_arctic20_2016-02_3d.nc"
    if not path.exists():
        pytest.skip("../shared/data is not present")
    with pytest.raises(Exception, match="regular lon/lat z-level grids only"):
        open_currents(
            str(path), None, np.datetime64("2016-02-01T12"), np.datetime64("2016-02-02T12"), three_d=True
        )
