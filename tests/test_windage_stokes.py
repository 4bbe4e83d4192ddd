"""Windage and Stokes drift (issue 18 item 2): exact displacements in uniform fields, both engines.

Expectations are closed forms: in uniform fields a particle moves at the sum of the current,
windage · R(-deflection) · wind and the Stokes drift; with no northward part its latitude stays
and its longitude moves by speed · T / (1852·60 · cos(latitude)) (Parcels' sphere).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import xarray as xr
import yaml
from typer.testing import CliRunner

from marinenet.cli import app
from marinenet.engine import ENGINES, run_engine
from marinenet.errors import InputDataError
from marinenet.pipeline import engine_request
from marinenet.prepare import prepare
from marinenet.scenario import load_scenario

from .conftest import DEG2M, write_cf_currents

T0 = np.datetime64("2021-01-01T00:00")
DAY = 86400.0


def write_vector(path: Path, names, std, lon, lat, times, u, v, units="m s-1", lat_dim="latitude") -> Path:
    """A wind or wave file as products ship them: (time, latitude, longitude), given names and units."""
    shape = (times.size, lat.size, lon.size)
    ds = xr.Dataset(
        {
            names[0]: (("time", lat_dim, "longitude"), np.full(shape, u, np.float32)),
            names[1]: (("time", lat_dim, "longitude"), np.full(shape, v, np.float32)),
        },
        coords={
            "time": ("time", times, {"standard_name": "time"}),
            lat_dim: (lat_dim, lat, {"standard_name": "latitude", "units": "degrees_north"}),
            "longitude": ("longitude", lon, {"standard_name": "longitude", "units": "degrees_east"}),
        },
    )
    for n, s in zip(names, std or (None, None), strict=True):
        ds[n].attrs["units"] = units
        if s:
            ds[n].attrs["standard_name"] = s
    ds.to_netcdf(path)
    return path


def _hours(start: str, n: int, step: int) -> np.ndarray:
    return np.datetime64(start) + np.arange(n) * np.timedelta64(step, "h")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("wind")
    days = T0 + np.arange(5) * np.timedelta64(1, "D")
    grid = np.arange(-3.0, 3.01, 0.25)
    write_cf_currents(d / "currents.nc", grid, grid, days, lambda X, Y: np.full(X.shape, 0.1),
                      lambda X, Y: np.zeros(X.shape))  # fmt: skip
    # wind: ERA5 names, its own coarser and wider grid, descending latitude, 3-hourly from the day before
    wl = np.arange(-10.0, 10.01, 1.0)
    write_vector(
        d / "wind_2021.nc", ("u10", "v10"), None, wl, wl[::-1], _hours("2020-12-31", 60, 3), 5.0, -3.0
    )
    # waves: CF standard names, another grid, hourly
    sl = np.arange(-6.0, 6.01, 0.5)
    stokes = ("sea_surface_wave_stokes_drift_x_velocity", "sea_surface_wave_stokes_drift_y_velocity")
    write_vector(d / "waves.nc", ("VSDX", "VSDY"), stokes, sl, sl, _hours("2021-01-01", 97, 1), 0.05, 0.06)
    return d


def _scenario(d: Path, name: str, behaviour: dict, ocean: dict, engine: str = "fast", **sim) -> Path:
    path = d / f"{name}.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "name": name,
                "ocean": {"source": "currents.nc", **ocean},
                "release": {"from": {"points": [[0.0, 0.0], [0.5, 1.0], [-1.0, -1.5]]}, "particles": 1,
                            "start": "2021-01-01T00:00"},
                "behaviour": behaviour,
                "simulation": {"duration": "2 days", "dt": "1 hour", "output_every": "1 day", "engine": engine,
                               **sim},
                "output": str(d / f"out_{name}"),
            }
        )
    )  # fmt: skip
    return path


def _ends(path: Path, engine: str):
    prep = prepare(load_scenario(path))
    tr = run_engine(engine, engine_request(prep))
    return tr


LAT0 = np.array([0.0, 1.0, -1.5])
LON0 = np.array([0.0, 0.5, -1.0])


@pytest.mark.parametrize("engine", ENGINES)
def test_current_windage_and_stokes_add_exactly(files, engine):
    """u = 0.1 + 0.02·5 + 0.05 = 0.25 m/s east; v = 0 + 0.02·(-3) + 0.06 = 0: due east for 2 days."""
    path = _scenario(files, f"sum_{engine}", {"windage": 0.02, "stokes": True},
                     {"wind": "wind_*.nc", "waves": "waves.nc"}, engine)  # fmt: skip
    tr = _ends(path, engine)
    expected = LON0 + 0.25 * 2 * DAY / (DEG2M * np.cos(np.deg2rad(LAT0)))
    np.testing.assert_allclose(tr.end_lon, expected, atol=1e-9)
    np.testing.assert_allclose(
        tr.end_lat, LAT0, atol=1e-8
    )  # Stokes v 0.06 is float32 in the file (2e-9° off)


@pytest.mark.parametrize("engine", ENGINES)
def test_deflection_90_turns_the_wind_drift_to_the_right(files, engine):
    """Wind (5, -3) m/s turned 90° clockwise is (-3, -5): windage 0.02 adds (-0.06, -0.1) m/s."""
    path = _scenario(files, f"defl_{engine}", {"windage": 0.02, "windage_deflection": 90},
                     {"wind": "wind_2021.nc"}, engine)  # fmt: skip
    tr = _ends(path, engine)
    # v = 0 - 0.1 = -0.1 m/s: latitude falls linearly; east: 0.1 - 0.06 = 0.04 m/s over cos(latitude(t))
    lat_end = LAT0 - 0.1 * 2 * DAY / DEG2M
    np.testing.assert_allclose(tr.end_lat, lat_end, atol=1e-9)
    # d lon/dt = u / (DEG2M cos(lat(t))) with lat linear at v: Δlon = (u / v) · Δ(ln tan(π/4 + lat/2)) in degrees
    u, v = 0.1 - 0.06, -0.1

    def gd_inv(lat):
        return np.log(np.tan(np.pi / 4 + np.deg2rad(lat) / 2))

    expected = LON0 + (u / v) * np.rad2deg(gd_inv(lat_end) - gd_inv(LAT0))
    np.testing.assert_allclose(tr.end_lon, expected, atol=1e-7)  # Euler/RK4 on a 0.0032°/h drift: < 1e-7
    assert np.all(tr.end_lon - LON0 > 0.06)  # the turn matters: without it the wind drift would be +0.1 east


def test_both_engines_agree_on_windage_and_stokes(files):
    runs = {}
    for engine in ENGINES:
        path = _scenario(files, f"agree_{engine}", {"windage": 0.03, "windage_deflection": -20, "stokes": True},
                         {"wind": "wind_2021.nc", "waves": "waves.nc"}, engine)  # fmt: skip
        runs[engine] = _ends(path, engine)
    np.testing.assert_allclose(runs["fast"].end_lon, runs["parcels"].end_lon, atol=1e-5)
    np.testing.assert_allclose(runs["fast"].end_lat, runs["parcels"].end_lat, atol=1e-5)
    np.testing.assert_allclose(runs["fast"].lon, runs["parcels"].lon, atol=1e-5)


def _cli(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.mark.parametrize(
    "ocean, behaviour, message",
    [
        ({}, {"windage": 0.02}, "behaviour.windage needs the 10 m wind: give ocean.wind"),
        ({"waves": "waves.nc"}, {}, "ocean.waves is given but nothing uses it"),
        ({"wind": "nowhere_*.nc"}, {"windage": 0.02}, "ocean.wind 'nowhere_*.nc' matches no file"),
        ({"wind": "waves.nc"}, {"windage": 0.02}, "no 10 m wind variables found"),
        ({"wind": "wind_2021.nc", "wind_variables": {"u": "U10", "v": "v10"}}, {"windage": 0.02},
         "ocean.wind_variables names ['U10'] not found"),
        ({"wind": "wind_2021.nc"}, {"windage_deflection": 30}, "set behaviour.windage too"),
    ],
)  # fmt: skip
def test_bad_wind_and_wave_input_exits_2_naming_the_key(files, ocean, behaviour, message):
    path = _scenario(files, "bad", behaviour, ocean)
    res = _cli("validate", path)
    assert res.exit_code == 2, res.output
    assert message in " ".join(res.output.split()), res.output


def test_wind_that_misses_dates_names_the_file_and_the_dates(files):
    write_vector(files / "short.nc", ("u10", "v10"), None, np.arange(-10.0, 10.01), np.arange(-10.0, 10.01),
                 _hours("2021-01-01T12", 10, 3), 5.0, 0.0)  # fmt: skip
    path = _scenario(files, "short", {"windage": 0.02}, {"wind": "short.nc"})
    with pytest.raises(InputDataError) as err:
        prepare(load_scenario(path))
    msg = str(err.value)
    assert "short.nc" in msg and "2021-01-01T00:00:00 to 2021-01-01T12:00:00" in msg
    assert "2021-01-02T15:00:00 to 2021-01-03T00:00:00" in msg


@pytest.mark.parametrize("units, factor", [("knots", 1852 / 3600), ("cm s-1", 0.01), ("furlongs", None)])
def test_wind_units_are_converted_explicitly_or_refused(files, units, factor):
    name = f"units_{units.replace(' ', '')}.nc"
    write_vector(files / name, ("u10", "v10"), None, np.arange(-10.0, 10.01), np.arange(-10.0, 10.01),
                 _hours("2020-12-31", 60, 3), 10.0, 0.0, units=units)  # fmt: skip
    path = _scenario(files, "units", {"windage": 0.02}, {"wind": name})
    if factor is None:
        with pytest.raises(InputDataError, match="has units 'furlongs'; expected m/s"):
            prepare(load_scenario(path))
        return
    prep = prepare(load_scenario(path))
    np.testing.assert_allclose(prep.forcing["wind"].components[0].values, 10.0 * factor, rtol=1e-6)


def test_wind_that_does_not_cover_the_currents_is_refused(files):
    write_vector(files / "small.nc", ("u10", "v10"), None, np.arange(0.0, 5.01), np.arange(-10.0, 10.01),
                 _hours("2020-12-31", 60, 3), 5.0, 0.0)  # fmt: skip
    path = _scenario(files, "small", {"windage": 0.02}, {"wind": "small.nc"})
    with pytest.raises(
        InputDataError, match=r"small.nc' covers longitude 0..5.*currents cover longitude -3..3"
    ):
        prepare(load_scenario(path))


def test_wind_varies_in_time_and_space_like_the_formula(files):
    """A wind field linear in time and longitude is interpolated exactly (the sampler is linear)."""
    from marinenet.engine._extra_sample import sample_np
    from marinenet.ocean.forcing import WIND, open_forcing

    lon = np.arange(-10.0, 10.01, 2.0)
    times = _hours("2021-01-01", 5, 6)
    hours = ((times - times[0]) / np.timedelta64(1, "h")).astype(float)
    u = 1.0 + 0.1 * hours[:, None, None] + 0.5 * lon[None, None, :] + 0 * lon[None, :, None]
    ds = xr.Dataset(
        {"u10": (("time", "latitude", "longitude"), u), "v10": (("time", "latitude", "longitude"), -u)},
        coords={"time": times, "latitude": lon, "longitude": lon},
    )
    ds["u10"].attrs["units"] = ds["v10"].attrs["units"] = "m s-1"
    ds.to_netcdf(files / "linear.nc")
    f = open_forcing(WIND, str(files / "linear.nc"), times[0], times[-1], (-3, -3, 3, 3)).arrays()
    f = f.relative(times[0])
    t = np.array([0.0, 3.5 * 3600, 17 * 3600])
    x = np.array([0.3, -2.7, 1.25])
    got = sample_np(f, 0, t, 0.0, 0.4, x)
    np.testing.assert_allclose(got, 1.0 + 0.1 * t / 3600 + 0.5 * x, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("engine", ENGINES)
def test_backward_run_goes_against_current_wind_and_waves(files, engine):
    """Backward from 2021-01-03 for 2 days: the same due-east 0.25 m/s, now toward the west."""
    path = _scenario(files, f"back_{engine}", {"windage": 0.02, "stokes": True},
                     {"wind": "wind_2021.nc", "waves": "waves.nc"}, engine, direction="backward")  # fmt: skip
    text = yaml.safe_load(path.read_text())
    text["release"]["start"] = "2021-01-03T00:00"
    path.write_text(yaml.safe_dump(text))
    tr = _ends(path, engine)
    expected = LON0 - 0.25 * 2 * DAY / (DEG2M * np.cos(np.deg2rad(LAT0)))
    np.testing.assert_allclose(tr.end_lon, expected, atol=1e-9)
    np.testing.assert_allclose(tr.end_lat, LAT0, atol=1e-8)


def test_fetch_wind_and_waves_print_the_requests_without_network():
    wind = _cli(
        "fetch", "wind", "--bbox", "-10", "40", "5", "50", "--start", "2021-01-01", "--end", "2021-02-01"
    )
    assert wind.exit_code == 0, wind.output
    assert "reanalysis-era5-single-levels" in wind.output and "cdsapi" in wind.output
    assert (
        '"area": [50.0, -10.0, 40.0, 5.0]' in wind.output and '"date": "2021-01-01/2021-02-01"' in wind.output
    )
    waves = _cli(
        "fetch", "waves", "--bbox", "-10", "40", "5", "50", "--start", "2021-01-01", "--end", "2021-02-01"
    )
    assert waves.exit_code == 0, waves.output
    assert "copernicusmarine subset" in waves.output and "--variable VSDX --variable VSDY" in waves.output
    assert "--minimum-longitude -10.0 --maximum-longitude 5.0" in waves.output


def _field(values: np.ndarray, lon: np.ndarray, lat: np.ndarray, times: np.ndarray) -> xr.DataArray:
    return xr.DataArray(values[:, None], dims=("time", "depth", "lat", "lon"),
                        coords={"time": times, "depth": [0.0], "lat": lat, "lon": lon})  # fmt: skip


def test_a_global_field_wraps_across_its_seam_on_both_samplers():
    from marinenet.engine._extra_sample import sample, sample_np
    from marinenet.ocean.extra import ExtraField

    lon, lat, times = np.arange(0.0, 360.0, 1.0), np.array([-10.0, 10.0]), _hours("2021-01-01", 2, 1)
    values = np.broadcast_to(lon, (times.size, lat.size, lon.size)).copy()
    fa = ExtraField("s", (_field(values, lon, lat, times),), "mem", periodic=True).arrays().relative(times[0])
    x = np.array([359.5, -0.5, 720.25, 10.0])
    got = sample_np(fa, 0, 0.0, 0.0, 0.0, x)
    np.testing.assert_allclose(got, [179.5, 179.5, 0.25, 10.0])  # between 359 and 0 (= 360): the mean
    compiled = [
        sample(fa.data, 0, fa.times, fa.depth, fa.lat, fa.lon, fa.ax, fa.periodic, 0.0, 0.0, 0.0, v)
        for v in x
    ]
    np.testing.assert_allclose(compiled, got, rtol=1e-14)


def test_backward_mirrors_time_and_negates_velocities_not_scalars():
    from marinenet.ocean.extra import ExtraField, field_on_currents_grid

    lon, lat, times = np.array([0.0, 1.0]), np.array([0.0, 1.0]), _hours("2021-01-01", 3, 6)
    values = np.arange(times.size, dtype=float)[:, None, None] * np.ones((1, 2, 2))
    pivot = np.datetime64("2021-01-02T00:00")
    wind = ExtraField("wind", (_field(values, lon, lat, times),) * 2, "mem", velocity=True).mirrored(pivot)
    temp = field_on_currents_grid("thetao", xr.DataArray(values, dims=("time", "lat", "lon"),
                                  coords={"time": times, "lat": lat, "lon": lon}), "mem").mirrored(pivot)  # fmt: skip
    expected_times = np.array(["2021-01-02T12", "2021-01-02T18", "2021-01-03T00"], dtype="datetime64[ns]")
    np.testing.assert_array_equal(wind.times, expected_times)
    np.testing.assert_array_equal(wind.components[0].values[:, 0, 0, 0], [-2.0, -1.0, -0.0])
    np.testing.assert_array_equal(temp.components[0].values[:, 0, 0, 0], [2.0, 1.0, 0.0])


@pytest.mark.parametrize("engine", ENGINES)
def test_windage_on_a_global_grid_carries_particles_across_the_seam(files, engine):
    """Still global currents (0..359°E), global ERA5-like wind (0..359.5°, descending latitude), 10 m/s east:
    2 % of it for 2 days moves 0.2·172800 / (111120·cos φ) degrees east, across 360° = 0° too."""
    days = T0 + np.arange(4) * np.timedelta64(1, "D")
    glon, glat = np.arange(0.0, 360.0, 1.0), np.arange(-30.0, 30.01, 1.0)
    write_cf_currents(files / "global.nc", glon, glat, days, lambda X, Y: np.zeros(X.shape),
                      lambda X, Y: np.zeros(X.shape))  # fmt: skip
    wl, wa = np.arange(0.0, 360.0, 0.5), np.arange(40.0, -40.01, -0.5)
    write_vector(
        files / "global_wind.nc", ("u10", "v10"), None, wl, wa, _hours("2020-12-31", 30, 6), 10.0, 0.0
    )
    path = _scenario(files, f"global_{engine}", {"windage": 0.02}, {"source": "global.nc", "wind": "global_wind.nc"},
                     engine)  # fmt: skip
    text = yaml.safe_load(path.read_text())
    text["release"]["from"]["points"] = [[359.5, 0.0], [359.9, 10.0], [179.0, -20.0]]
    path.write_text(yaml.safe_dump(text))
    tr = _ends(path, engine)
    lat = np.array([0.0, 10.0, -20.0])
    expected = (np.array([359.5, 359.9, 179.0]) + 0.2 * 2 * DAY / (DEG2M * np.cos(np.deg2rad(lat)))) % 360.0
    np.testing.assert_allclose(tr.end_lon % 360.0, expected, atol=1e-9)
    np.testing.assert_allclose(tr.end_lat, lat, atol=1e-9)
