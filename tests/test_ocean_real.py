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
    ("roms_nordic4km_2016-02_sigma.nc", {"three_d": True}, "2016-02-02T12:00", "1 day"),
    (
        "croco_benguela_his.nc",
        {"grid": "croco_benguela_grd.nc", "time_origin": "2008-01-01"},
        "2008-01-01T00:00",
        "2 days",
    ),
]


def _native_max_speed(path, depth, three_d=False):
    ds = xr.open_dataset(path)
    u = ds[[n for n in ds.data_vars if n in ("u",)][0]]
    v = ds["v"]
    for dim in u.dims:
        if str(dim).startswith("s_rho") and depth == 0 and not three_d:
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
    vmax = _native_max_speed(path, kw.get("depth", 0), kw.get("three_d", False))
    assert np.nanmax(step) / (6 * 3600) <= vmax * 1.001
    s = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert s["particles_released"] == 25 and s["errors"] == 0
    runlog = (tmp_path / "out" / "run.log").read_text()
    assert "rotated" in runlog and "memory needed: about" in runlog and "to load" in runlog


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


def _s_level_file(ns=20, ny=4, nx=6, hc=10.0):
    """ROMS Vtransform 2 levels over a sloping bottom (10-300 m) with a tilted free surface;
    u = 0.1 + 0.002 z on u points. Returns the Dataset and the level heights z (t, s, y, x)."""
    s_rho = (np.arange(ns) - ns + 0.5) / ns  # -0.975 .. -0.025, bottom to top
    cs = -(1 - np.cosh(2.0 * s_rho)) / (1 - np.cosh(2.0))  # a stretching curve, 0 at the top
    h = np.broadcast_to(np.linspace(10.0, 300.0, nx + 1), (ny, nx + 1))  # rho points
    zeta = np.broadcast_to(np.linspace(-0.5, 0.5, nx + 1), (2, ny, nx + 1))
    hu, zu = 0.5 * (h[:, :-1] + h[:, 1:]), 0.5 * (zeta[..., :-1] + zeta[..., 1:])  # u points
    z0 = (hc * s_rho[:, None, None] + hu[None] * cs[:, None, None]) / (hc + hu[None])
    z = zu[:, None] + (zu[:, None] + hu[None]) * z0[None]
    src = xr.Dataset(
        {
            "u": (("ocean_time", "s_rho", "eta_u", "xi_u"), 0.1 + 0.002 * z),
            "h": (("eta_rho", "xi_rho"), h),
            "zeta": (("ocean_time", "eta_rho", "xi_rho"), zeta),
            "hc": hc,
            "Cs_r": ("s_rho", cs),
            "Vtransform": 2,
        },
        coords={"s_rho": s_rho},
    )
    return src, z, hu


@pytest.mark.parametrize("lazy", [False, True], ids=["numpy", "dask"])
def test_s_levels_to_depths_interpolates_through_the_moving_levels(lazy):
    """Linear interpolation of a field linear in z is exact: at z = -d, u = 0.1 - 0.002 d wherever a
    level lies at or below -d and one above it; between the bottom and the lowest level u is the
    lowest level's value, above the top level the top value; where the sea floor is above -d u is
    missing (land at that depth). Several depths at once (3-D) give what each gives alone."""
    from marinenet.ocean.slevels import to_depths

    src, z, hu = _s_level_file()
    u = src["u"].chunk({"ocean_time": 1, "eta_u": 2}) if lazy else src["u"]
    depths = [0.0, 5.0, 40.0, 120.0]
    notes = {}
    out = to_depths(src, u, depths, notes)
    assert out.dims == ("ocean_time", "depth", "eta_u", "xi_u")
    assert (out.chunks is not None) == lazy  # nothing computed before the caller loads its region
    out = out.values
    for k, d in enumerate(depths):
        got = out[:, k]
        between = (z[:, 0] <= -d) & (z[:, -1] >= -d)  # (time, y, x)
        np.testing.assert_allclose(got[between], 0.1 - 0.002 * d, rtol=1e-12)
        water = np.broadcast_to(hu > d, between.shape)
        near_bottom = water & (z[:, 0] > -d)
        np.testing.assert_allclose(got[near_bottom], 0.1 + 0.002 * z[:, 0][near_bottom], rtol=1e-12)
        above_top = water & (z[:, -1] < -d)
        np.testing.assert_allclose(got[above_top], 0.1 + 0.002 * z[:, -1][above_top], rtol=1e-12)
        assert np.isnan(got[~water]).all()
        one = to_depths(src, u, [d], {}).values[:, 0]
        np.testing.assert_array_equal(one, got)
    assert (np.isnan(out[:, 3])).any() and np.isfinite(out[:, 3]).any()  # 120 m: land on the shelf
    assert "4 z-levels from 0 to 120 m" in notes["level"]


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
    with pytest.raises(InputDataError, match="needs the whole water column"):
        open_currents(str(path), None, t0, t0 + np.timedelta64(1, "D"), three_d=True, **kw)
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


def _write_nemo_u_v(folder, u_e, v_n, angle_deg, land=None, land_value=np.nan, day0="2021-01-01"):
    """NEMO (XIOS) output as it comes: ORCA-style grid_U and grid_V files, each with its own nav_lon/nav_lat
    (U points half a cell along i, V points half a cell along j from T), the same dim names (y, x),
    vozocrtx/vomecrty along the grid's i/j axes, time_counter in seconds since 1900 and depthu/depthv.
    ``land`` (y, x) bool marks cells written as missing values (fill 1e20), as XIOS does."""
    lon, lat, angle = _rotated_grid(angle_deg)
    a = np.deg2rad(angle_deg)
    half = 2.5e3 / DEG2M  # half a 5 km cell, in degrees at the equator
    t = (np.array([day0, "2021-01-03"], dtype="datetime64[s]") - np.datetime64("1900-01-01")).astype(float)
    z = {"axis": "Z", "positive": "down", "units": "m"}
    tc = {
        "standard_name": "time",
        "axis": "T",
        "units": "seconds since 1900-01-01 00:00:00",
        "calendar": "gregorian",
    }
    paths = []
    for comp, name, value, (dx, dy) in (
        ("U", "vozocrtx", u_e * np.cos(angle) + v_n * np.sin(angle), (np.cos(a), np.sin(a))),
        ("V", "vomecrty", -u_e * np.sin(angle) + v_n * np.cos(angle), (-np.sin(a), np.cos(a))),
    ):
        data = np.broadcast_to(value, (2, 3, *lon.shape)).astype("f4").copy()
        if land is not None:
            data[:, :, land] = land_value
        std = "sea_water_x_velocity" if comp == "U" else "sea_water_y_velocity"
        ds = xr.Dataset(
            {
                name: (
                    ("time_counter", f"depth{comp.lower()}", "y", "x"),
                    data,
                    {"units": "m/s", "standard_name": std},
                )
            },
            coords={
                "time_counter": ("time_counter", t, tc),
                f"depth{comp.lower()}": (f"depth{comp.lower()}", [0.5, 1.5, 2.6], z),
                "nav_lon": (
                    ("y", "x"),
                    lon + half * dx,
                    {"standard_name": "longitude", "units": "degrees_east"},
                ),
                "nav_lat": (
                    ("y", "x"),
                    lat + half * dy,
                    {"standard_name": "latitude", "units": "degrees_north"},
                ),
            },
        )
        path = folder / f"ORCA_1d_20210101_20210103_grid_{comp}.nc"
        ds.to_netcdf(path, encoding={name: {"_FillValue": 1e20}})
        paths.append(path)
    (folder / "ORCA_1d_20210101_20210103_grid_T.nc").write_bytes(b"")  # matched by *.nc, not read
    return folder


@pytest.mark.parametrize("engine", ["parcels", "fast"])
def test_nemo_separate_grid_u_and_grid_v_files(tmp_path, engine):
    """U and V in their own files on their own points (rotated 40° grid): the pair is merged, each
    component regridded from its points, rotated from the grid, and particles drift as the truth."""
    u_e, v_n = 0.2, -0.15
    t0, t1 = np.datetime64("2021-01-01"), np.datetime64("2021-01-02")
    _write_nemo_u_v(tmp_path, u_e, v_n, 40.0)
    a = open_currents(str(tmp_path / "ORCA_*_grid_[UV].nc"), None, t0, t1)
    assert a.attrs["grid"].startswith("nemo (u, v on their own C-grid points)")
    assert a.attrs["original_variables"] == "u=vozocrtx, v=vomecrty"
    assert "3 z-levels (depthu" in a.attrs["vertical"]
    water = ~a["land"].values & ~a["outside"].values
    np.testing.assert_allclose(a["u"].values[:, water], u_e, atol=1e-4)
    np.testing.assert_allclose(a["v"].values[:, water], v_n, atol=1e-4)
    lon0, lat0 = np.array([-0.3, 0.0, 0.2]), np.array([0.1, -0.2, 0.0])
    tr = run_engine(engine, EngineRequest(a, lon0, lat0, t0, 86400.0, 3600.0, 21600.0))
    assert np.all(tr.status == STATUS["active"])
    np.testing.assert_allclose(tr.end_lat - lat0, v_n * 86400 / DEG2M, rtol=2e-3)
    np.testing.assert_allclose(tr.end_lon - lon0, u_e * 86400 / DEG2M, rtol=2e-3)


def test_nemo_land_written_as_missing_values_strands_particles(tmp_path):
    """XIOS writes land as a fill value: it must become land, not a zero current a particle stalls in."""
    lon, lat, _ = _rotated_grid(0.0)
    land = lon > 0.4  # the eastern part of the domain is a continent
    _write_nemo_u_v(tmp_path, 0.3, 0.0, 0.0, land=land)
    t0, t1 = np.datetime64("2021-01-01"), np.datetime64("2021-01-02")
    a = open_currents(str(tmp_path / "*.nc"), None, t0, t1)
    dry = a["land"].values | a["outside"].values
    assert dry[:, a["lon"].values > 0.45].all() and a["land"].values.any()
    assert not a["land"].values[:, a["lon"].values < 0.35].any()
    tr = run_engine(
        "fast", EngineRequest(a, np.array([0.25, 0.3]), np.array([0.0, 0.1]), t0, 86400.0, 3600.0, 21600.0)
    )
    assert np.all(tr.status == STATUS["stranded"])  # 0.3 m/s east = 0.23°/day: the coast at 0.4° is reached
    assert np.all(tr.end_lon < 0.45)


def test_nemo_u_without_v_file_is_refused(tmp_path):
    from marinenet.errors import InputDataError

    _write_nemo_u_v(tmp_path, 0.1, 0.0, 0.0)
    (tmp_path / "ORCA_1d_20210101_20210103_grid_V.nc").unlink()
    (tmp_path / "ORCA_1d_20210104_20210106_grid_U.nc").write_bytes(
        (tmp_path / "ORCA_1d_20210101_20210103_grid_U.nc").read_bytes()
    )
    t0 = np.datetime64("2021-01-01")
    with pytest.raises(InputDataError, match="found 2 grid_U and 0 grid_V"):
        open_currents(str(tmp_path / "ORCA_*grid_*.nc"), None, t0, t0 + np.timedelta64(1, "D"))


def test_land_written_as_zero_is_flagged_and_can_be_made_land(tmp_path, caplog):
    """Older NEMO output writes land as 0 with no fill value: those points look like calm water."""
    lon, _, _ = _rotated_grid(0.0)
    _write_nemo_u_v(tmp_path, 0.3, 0.05, 0.0, land=lon > 0.4, land_value=0.0)
    t0, t1 = np.datetime64("2021-01-01"), np.datetime64("2021-01-02")
    start = (np.array([0.25, 0.3]), np.array([0.0, 0.1]))
    with caplog.at_level("WARNING"):
        calm = open_currents(str(tmp_path / "*.nc"), None, t0, t1)
    assert "zero_is_land" in caplog.text and not calm["land"].values.any()
    tr = run_engine("fast", EngineRequest(calm, *start, t0, 86400.0, 3600.0, 21600.0))
    assert np.all(tr.status == STATUS["active"])  # stalled at the 'calm' coast, as the warning says
    fixed = open_currents(str(tmp_path / "*.nc"), None, t0, t1, zero_is_land=True)
    assert fixed["land"].values[:, fixed["lon"].values > 0.45].any()
    assert "are land" in fixed.attrs["zero_is_land"]
    tr = run_engine("fast", EngineRequest(fixed, *start, t0, 86400.0, 3600.0, 21600.0))
    assert np.all(tr.status == STATUS["stranded"])


def _write_global_orca(folder, u_e, v_n, seam=73.0):
    """A global ORCA-like pair of files: 1° curvilinear nav_lon/nav_lat whose columns start at the grid's
    seam (as ORCA's do, near 73°E) with NEMO's two wrap columns (first = last but one, last = second),
    U points half a cell east and V points half a cell north of T."""
    lon1, lat1 = seam + np.arange(-1, 361, 1.0), np.arange(-60, 60.1, 1.0)
    times = np.array(["2021-01-01", "2021-01-03"], dtype="datetime64[ns]")
    for comp, name, value, (dx, dy) in (("U", "uo", u_e, (0.5, 0.0)), ("V", "vo", v_n, (0.0, 0.5))):
        LON, LAT = np.meshgrid(lon1 + dx, lat1 + dy)
        std = "sea_water_x_velocity" if comp == "U" else "sea_water_y_velocity"
        xr.Dataset(
            {name: (("time_counter", "y", "x"), np.full((2, *LON.shape), value, "f4"), {"units": "m/s", "standard_name": std})},
            coords={
                "time_counter": ("time_counter", times, {"axis": "T", "standard_name": "time"}),
                "nav_lon": (("y", "x"), (LON + 180.0) % 360.0 - 180.0),
                "nav_lat": (("y", "x"), LAT),
            },
        ).to_netcdf(folder / f"ORCA1_1d_grid_{comp}.nc")  # fmt: skip


@pytest.mark.parametrize("engine", ["parcels", "fast"])
def test_global_orca_grid_is_read_across_its_seam(tmp_path, engine):
    """A region across the ORCA seam (73°E) takes the few columns on both sides of it, not the whole
    globe, and particles cross the seam drifting as the east/north truth."""
    u_e, v_n = 0.5, 0.1
    _write_global_orca(tmp_path, u_e, v_n)
    t0, t1 = np.datetime64("2021-01-01"), np.datetime64("2021-01-02")
    a = open_currents(str(tmp_path / "*.nc"), None, t0, t1, region=(68.0, 0.0, 78.0, 10.0))
    assert a.sizes["lon"] < 20 and 64 < float(a["lon"].min()) < 68 and 78 < float(a["lon"].max()) < 82
    water = ~a["outside"].values
    np.testing.assert_allclose(a["u"].values[:, water], u_e, atol=1e-6)
    np.testing.assert_allclose(a["v"].values[:, water], v_n, atol=1e-6)
    lon0, lat0 = np.array([72.8, 72.9, 73.0]), np.array([3.0, 5.0, 7.0])
    tr = run_engine(engine, EngineRequest(a, lon0, lat0, t0, 86400.0, 3600.0, 21600.0))
    assert np.all(tr.status == STATUS["active"]) and np.all(tr.end_lon > 73.1)  # across the seam
    np.testing.assert_allclose(tr.end_lat - lat0, v_n * 86400 / DEG2M, rtol=2e-3)
    np.testing.assert_allclose(
        (tr.end_lon - lon0) * np.cos(np.deg2rad(0.5 * (lat0 + tr.end_lat))), u_e * 86400 / DEG2M, rtol=2e-3
    )
