"""Real model output from ../shared and synthetic files in each product layout."""

import json

import numpy as np
import pytest
import xarray as xr
import yaml
from typer.testing import CliRunner

from marinenet.cli import app
from marinenet.engine import STATUS, EngineRequest, run_engine
from marinenet.ocean.reader import open_currents

from .conftest import DEG2M, SHARED_DATA

OCEAN = SHARED_DATA / "ocean"
REAL = [
    # file, extra ocean keys, start, duration
    ("roms_arctic20_2017-02_surface.nc", {}, "2017-02-01T00:00", "2 days"),
    ("roms_arctic20_2016-02_3d.nc", {}, "2016-02-01T12:00", "2 days"),
    ("roms_arctic20_2016-02_3d.nc", {"depth": 100}, "2016-02-01T12:00", "2 days"),
    ("roms_nordic4km_2016-02_sigma.nc", {}, "2016-02-02T12:00", "1 day"),
    ("roms_nordic4km_2016-02_sigma.nc", {"depth": 50}, "2016-02-02T12:00", "1 day"),
    (
        "croco_benguela_his.nc",
        {"grid": "croco_benguela_grd.nc", "time_origin": "2008-01-01"},
        "2008-01-01T00:00",
        "2 days",
    ),
]


def _native_max_speed(path, depth):
    ds = xr.open_dataset(path)
    u = ds[[n for n in ds.data_vars if n in ("u",)][0]]
    v = ds["v"]
    for dim in u.dims:
        if str(dim).startswith("s_rho") and depth == 0:
            u, v = u.isel({dim: -1}), v.isel({dim: -1})  # the top level
        # at a depth between s-levels the largest speed over all levels bounds it
        elif dim == "depth":
            k = int(np.argmin(np.abs(ds["depth"].values - depth)))
            u, v = u.isel(depth=k), v.isel(depth=k)
    # components may be staggered: bound the speed by the largest components
    return float(np.sqrt(np.nanmax(np.abs(u.values)) ** 2 + np.nanmax(np.abs(v.values)) ** 2))


@pytest.mark.parametrize(("name", "extra", "start", "duration"), REAL, ids=lambda x: str(x)[:30])
def test_real_model_file_runs_as_a_scenario(tmp_path, name, extra, start, duration):
    path = OCEAN / name
    if not path.exists():
        pytest.skip("../shared/data is not present")
    kw = {k: (str(OCEAN / v) if k == "grid" else v) for k, v in extra.items()}
    t0 = np.datetime64(start)
    ds = open_currents(str(path), None, t0, t0 + np.timedelta64(1, "D"), **kw)
    # release at water points at least 3 cells from land and from the domain's edge
    from scipy.ndimage import binary_dilation

    bad = binary_dilation(ds["land"].values | ds["outside"].values, iterations=3)
    jj, ii = np.nonzero(~bad)
    pick = np.linspace(0, jj.size - 1, 25).astype(int)
    points = [[float(ds.lon[i]), float(ds.lat[j])] for j, i in zip(jj[pick], ii[pick], strict=True)]
    sc = {
        "name": "real",
        "ocean": {"source": str(path), **kw},
        "release": {"from": {"points": points}, "particles": 1, "start": start},
        "simulation": {"duration": duration, "dt": "30 minutes", "output_every": "6 hours"},
        "output": "out",
    }
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(sc))
    res = CliRunner().invoke(app, ["run", str(tmp_path / "s.yaml"), "--quiet", "--no-maps"])
    assert res.exit_code == 0, res.output
    tr = xr.open_dataset(tmp_path / "out" / "trajectories.nc")
    lon, lat = tr["lon"].values, tr["lat"].values
    dy = np.diff(lat, axis=1) * DEG2M
    dx = np.diff(lon, axis=1) * DEG2M * np.cos(np.deg2rad(lat[:, 1:]))
    step = np.hypot(dx, dy)  # metres per 6 h
    moving = np.isfinite(step)
    # no particle over water is stalled by a spurious zero
    assert np.all(step[moving] > 1.0), np.sort(step[moving])[:5]
    # speeds stay within the file's own range (6-hour mean speed <= the largest native speed)
    vmax = _native_max_speed(path, kw.get("depth", 0))
    assert np.nanmax(step) / (6 * 3600) <= vmax * 1.001
    s = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert s["particles_released"] == 25 and s["errors"] == 0
    assert "rotated" in (tmp_path / "out" / "run.log").read_text()


def test_croco_time_without_reference_date_needs_time_origin(tmp_path):
    path = OCEAN / "croco_benguela_his.nc"
    if not path.exists():
        pytest.skip("../shared/data is not present")
    sc = {
        "name": "c",
        "ocean": {"source": str(path), "grid": str(OCEAN / "croco_benguela_grd.nc")},
        "release": {"from": {"points": [[15, -32]]}, "particles": 1, "start": "2008-01-01T00:00"},
        "simulation": {"duration": "1 day"},
    }
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(sc))
    res = CliRunner().invoke(app, ["validate", str(tmp_path / "s.yaml")])
    assert res.exit_code == 2 and "has no reference date" in res.output and "time_origin" in res.output


# ---------------------------------------------------------------- rotation
def _rotated_grid(angle_deg, n=41, spacing_km=5.0):
    """A ROMS-like curvilinear grid at the equator whose xi axis points angle_deg north of east."""
    a = np.deg2rad(angle_deg)
    i, j = np.meshgrid(np.arange(n) - n // 2, np.arange(n) - n // 2)
    x = (i * np.cos(a) - j * np.sin(a)) * spacing_km * 1e3
    y = (i * np.sin(a) + j * np.cos(a)) * spacing_km * 1e3
    lon, lat = x / DEG2M, y / DEG2M  # at the equator, 1° = DEG2M in both directions
    return lon, lat, np.full(lon.shape, a)


def _write_rotated(path, u_e, v_n, angle_deg, grid_relative: bool):
    lon, lat, angle = _rotated_grid(angle_deg)
    times = np.array(["2021-01-01", "2021-01-03"], dtype="datetime64[ns]")
    shape = (times.size, *lon.shape)
    if grid_relative:  # what a ROMS file stores: components along its own axes, plus 'angle'
        u = u_e * np.cos(angle) + v_n * np.sin(angle)
        v = -u_e * np.sin(angle) + v_n * np.cos(angle)
        attrs_u, attrs_v = {"units": "m s-1"}, {"units": "m s-1"}
    else:
        u, v = np.full(lon.shape, u_e), np.full(lon.shape, v_n)
        attrs_u = {"units": "m s-1", "standard_name": "eastward_sea_water_velocity"}
        attrs_v = {"units": "m s-1", "standard_name": "northward_sea_water_velocity"}
    dims = ("ocean_time", "eta_rho", "xi_rho")
    ds = xr.Dataset(
        {
            "u": (dims, np.broadcast_to(u, shape).astype("f8"), attrs_u),
            "v": (dims, np.broadcast_to(v, shape).astype("f8"), attrs_v),
            "angle": (("eta_rho", "xi_rho"), angle, {"units": "radians"}),
            "mask_rho": (("eta_rho", "xi_rho"), np.ones(lon.shape)),
        },
        coords={
            "ocean_time": times,
            "lon_rho": (("eta_rho", "xi_rho"), lon),
            "lat_rho": (("eta_rho", "xi_rho"), lat),
            "lon_u": (("eta_rho", "xi_rho"), lon),
            "lat_u": (("eta_rho", "xi_rho"), lat),
            "lon_v": (("eta_rho", "xi_rho"), lon),
            "lat_v": (("eta_rho", "xi_rho"), lat),
        },
    )
    ds.to_netcdf(path)
    return path


@pytest.mark.parametrize("angle_deg", [30.0, -75.0])
def test_grid_relative_with_angle_equals_pre_rotated(tmp_path, angle_deg):
    u_e, v_n = 0.3, 0.1
    t0, t1 = np.datetime64("2021-01-01"), np.datetime64("2021-01-02")
    a = open_currents(str(_write_rotated(tmp_path / "a.nc", u_e, v_n, angle_deg, True)), None, t0, t1)
    b = open_currents(str(_write_rotated(tmp_path / "b.nc", u_e, v_n, angle_deg, False)), None, t0, t1)
    assert "rotated with the model's 'angle'" in a.attrs["rotation"] and "none" in b.attrs["rotation"]
    lon0, lat0 = np.array([-0.3, 0.0, 0.2]), np.array([0.1, -0.2, 0.0])
    runs = [
        run_engine("parcels", EngineRequest(ds, lon0, lat0, t0, 86400.0, 3600.0, 21600.0)) for ds in (a, b)
    ]
    assert all(np.all(r.status == STATUS["active"]) for r in runs)
    metres = np.hypot(
        (runs[0].end_lon - runs[1].end_lon) * DEG2M, (runs[0].end_lat - runs[1].end_lat) * DEG2M
    )
    assert metres.max() < 1.0
    # and the rotation goes the right way: the particles really moved east-north-east
    np.testing.assert_allclose(runs[0].end_lat - lat0, v_n * 86400 / DEG2M, rtol=1e-3)
    np.testing.assert_allclose(runs[0].end_lon - lon0, u_e * 86400 / DEG2M, rtol=1e-3)


def test_fixed_depth_on_s_levels_interpolates_through_the_moving_levels():
    """ROMS Vtransform 2 levels over a sloping bottom with a tilted free surface; u = 0.1 + 0.002 z.

    Linear interpolation of a field linear in z is exact: at z = −40 m u must be 0.02 wherever
    a level lies below −40 m; between the bottom and the lowest level it is the lowest level's
    value; where the sea floor is above −40 m it is missing (land at that depth).
    """
    from marinenet.ocean.models import _at_depth_on_s_levels

    ns, ny, nx = 20, 4, 6
    s_rho = (np.arange(ns) - ns + 0.5) / ns  # -0.975 .. -0.025, bottom to top
    cs = -(1 - np.cosh(2.0 * s_rho)) / (1 - np.cosh(2.0))  # a stretching curve, 0 at the top
    h = np.broadcast_to(np.linspace(10.0, 300.0, nx + 1), (ny, nx + 1))  # rho points
    zeta = np.broadcast_to(np.linspace(-0.5, 0.5, nx + 1), (2, ny, nx + 1))
    hc = 10.0
    hu, zu = 0.5 * (h[:, :-1] + h[:, 1:]), 0.5 * (zeta[..., :-1] + zeta[..., 1:])  # u points
    z0 = (hc * s_rho[:, None, None] + hu[None] * cs[:, None, None]) / (hc + hu[None])
    z = zu[:, None] + (zu[:, None] + hu[None]) * z0[None]
    u = 0.1 + 0.002 * z
    src = xr.Dataset(
        {
            "u": (("ocean_time", "s_rho", "eta_u", "xi_u"), u),
            "h": (("eta_rho", "xi_rho"), h),
            "zeta": (("ocean_time", "eta_rho", "xi_rho"), zeta),
            "hc": hc,
            "Cs_r": ("s_rho", cs),
            "Vtransform": 2,
        },
        coords={"s_rho": s_rho},
    )
    notes = {}
    out = _at_depth_on_s_levels(src, src["u"], 40.0, notes).values
    deep = z[:, 0] <= -40.0  # (time, y, x): a level at or below -40 m
    water = np.broadcast_to(hu > 40.0, deep.shape)
    np.testing.assert_allclose(out[deep], 0.02, rtol=1e-12)
    near_bottom = water & ~deep
    np.testing.assert_allclose(out[near_bottom], u[:, 0][near_bottom], rtol=1e-12)
    assert np.isnan(out[~water]).all() and (~water).any() and deep.any()
    assert "z = -40 m" in notes["level"]


def test_croco_file_with_only_deep_s_levels_is_not_taken_for_the_surface():
    """The Benguela CROCO sample holds 3 of 32 s-levels, all near the bottom (s_rho ≤ −0.92)."""
    from marinenet.errors import InputDataError

    path = OCEAN / "croco_benguela_his.nc"
    if not path.exists():
        pytest.skip("../shared/data is not present")
    kw = {"grid": str(OCEAN / "croco_benguela_grd.nc"), "time_origin": "2008-01-01"}
    t0 = np.datetime64("2008-01-01T00:00")
    with pytest.raises(InputDataError, match="above the highest s-level"):
        open_currents(str(path), None, t0, t0 + np.timedelta64(1, "D"), depth=20, **kw)
    ds = open_currents(str(path), None, t0, t0 + np.timedelta64(1, "D"), **kw)
    assert "NOT the surface" in ds.attrs["level"]


def _write_nemo(path, u_e, v_n, angle_deg):
    """A NEMO-style file: uo/vo along the grid's i/j axes (sea_water_x/y_velocity), nav_lon/nav_lat,
    time_counter, separate depthu/depthv axes, no 'angle' variable (rotation from the grid itself)."""
    lon, lat, angle = _rotated_grid(angle_deg)
    times = np.array(["2021-01-01", "2021-01-03"], dtype="datetime64[ns]")
    u = u_e * np.cos(angle) + v_n * np.sin(angle)
    v = -u_e * np.sin(angle) + v_n * np.cos(angle)
    shape = (times.size, 2, *lon.shape)
    z = {"axis": "Z", "positive": "down", "units": "m"}
    xr.Dataset(
        {
            "uo": (("time_counter", "depthu", "y", "x"), np.broadcast_to(u, shape).astype("f4"),
                   {"units": "m/s", "standard_name": "sea_water_x_velocity"}),
            "vo": (("time_counter", "depthv", "y", "x"), np.broadcast_to(v, shape).astype("f4"),
                   {"units": "m/s", "standard_name": "sea_water_y_velocity"}),
        },
        coords={
            "time_counter": ("time_counter", times, {"standard_name": "time", "axis": "T"}),
            "depthu": ("depthu", [0.5, 1.5], z),
            "depthv": ("depthv", [0.5, 1.5], z),
            "nav_lon": (("y", "x"), lon, {"standard_name": "longitude", "units": "degrees_east"}),
            "nav_lat": (("y", "x"), lat, {"standard_name": "latitude", "units": "degrees_north"}),
        },
    ).to_netcdf(path)  # fmt: skip
    return path


@pytest.mark.parametrize("engine", ["parcels", "fast"])
def test_nemo_layout_is_rotated_from_its_grid(tmp_path, engine):
    """A NEMO file (grid-relative components, no angle variable) drifts like the east/north truth."""
    u_e, v_n = 0.3, 0.1
    t0, t1 = np.datetime64("2021-01-01"), np.datetime64("2021-01-02")
    a = open_currents(str(_write_nemo(tmp_path / "nemo.nc", u_e, v_n, 40.0)), None, t0, t1)
    assert "rotated with the angle of the 2-D longitude/latitude" in a.attrs["rotation"]
    assert "=0.5 m" in a.attrs["level"]  # the top level of depthu/depthv
    lon0, lat0 = np.array([-0.3, 0.0, 0.2]), np.array([0.1, -0.2, 0.0])
    tr = run_engine(engine, EngineRequest(a, lon0, lat0, t0, 86400.0, 3600.0, 21600.0))
    assert np.all(tr.status == STATUS["active"])
    np.testing.assert_allclose(tr.end_lat - lat0, v_n * 86400 / DEG2M, rtol=2e-3)
    np.testing.assert_allclose(tr.end_lon - lon0, u_e * 86400 / DEG2M, rtol=2e-3)
