"""Product layouts written by the tests: CMEMS, HYCOM, OSCAR-like files; calendars; laziness; coasts."""

from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from marinenet import InputDataError
from marinenet.engine import STATUS, EngineRequest, run_engine
from marinenet.ocean.reader import open_currents

from .conftest import DEG2M, canonical

T0 = np.datetime64("2021-01-01")


def _product(
    path, lon, lat, times, u, v, uname, vname, lon_name, lat_name, units="m s-1", std=True, depth=None
):
    dims = ["time", lat_name, lon_name]
    shape = (times.size, lat.size, lon.size)
    coords = {"time": times, lat_name: lat, lon_name: lon}
    data_u = np.full(shape, u, "f4")
    data_v = np.full(shape, v, "f4")
    if depth is not None:
        dims.insert(1, "depth")
        coords["depth"] = ("depth", depth, {"positive": "down", "axis": "Z"})
        data_u = np.repeat(data_u[:, None], depth.size, 1) * (1 + np.arange(depth.size))[None, :, None, None]
        data_v = np.repeat(data_v[:, None], depth.size, 1)
    ds = xr.Dataset(
        {uname: (dims, data_u, {"units": units}), vname: (dims, data_v, {"units": units})}, coords=coords
    )
    if std:
        ds[uname].attrs["standard_name"] = "eastward_sea_water_velocity"
        ds[vname].attrs["standard_name"] = "northward_sea_water_velocity"
    ds.to_netcdf(path)
    return path


DAYS = np.array([T0 + np.timedelta64(k, "D") for k in range(5)])


def _small_cmems(path):
    """A 5 x 5 CMEMS-like file (uo/vo with standard names), 0.1 m/s eastward, five daily steps."""
    return _product(
        path, np.arange(0, 5.0), np.arange(0, 5.0), DAYS, 0.1, 0.0, "uo", "vo", "longitude", "latitude"
    )


def _hycom(path):
    """A HYCOM-like global file: water_u/water_v, 0..360 longitudes, no standard names."""
    lon, lat = np.arange(0, 360, 1.0), np.arange(-10, 10.1, 1.0)
    return _product(path, lon, lat, DAYS, 0.2, 0.0, "water_u", "water_v", "lon", "lat", std=False)


@pytest.mark.parametrize(
    ("kind", "kwargs", "expect_u"),
    [
        ("cmems", dict(uname="uo", vname="vo", lon_name="longitude", lat_name="latitude"), 0.2),
        (
            "hycom",
            dict(
                uname="water_u",
                vname="water_v",
                lon_name="lon",
                lat_name="lat",
                std=False,
                depth=np.array([0.0, 10.0]),
            ),
            0.2,
        ),
        (
            "oscar",
            dict(uname="u", vname="v", lon_name="longitude", lat_name="latitude", units="cm/s", std=False),
            0.002,
        ),
    ],
)
def test_product_layouts(tmp_path, kind, kwargs, expect_u):
    lon = np.arange(0, 360, 1.0) if kind == "hycom" else np.arange(-10, 10.1, 0.5)
    lat = (
        np.arange(-10, 10.1, 0.5)[::-1] if kind == "oscar" else np.arange(-10, 10.1, 0.5)
    )  # OSCAR: lat descending
    path = _product(tmp_path / f"{kind}.nc", lon, lat, DAYS, 0.2, -0.1, **kwargs)
    ds = open_currents(str(path), None, T0, T0 + np.timedelta64(2, "D"), region=(-5, -5, 5, 5))
    assert float(ds["u"].mean()) == pytest.approx(expect_u, rel=1e-6)
    assert np.all(np.diff(ds.lat.values) > 0) and np.all(np.diff(ds.lon.values) > 0)
    assert ds.lon.min() >= -8 and ds.lon.max() <= 8  # only the region (plus a margin) was kept
    if kind == "hycom":  # 0..360 shifted to -180..180, surface level chosen
        assert ds.attrs["unit_conversion"] == "u*1.0, v*1.0"


def test_time_window_not_covered_names_both_spans(tmp_path):
    path = _small_cmems(tmp_path / "c.nc")
    with pytest.raises(
        InputDataError, match=r"covers 2021-01-01.*to 2021-01-05.*needs 2021-01-04.*2021-01-09"
    ):
        open_currents(str(path), None, T0 + np.timedelta64(3, "D"), T0 + np.timedelta64(8, "D"))


@pytest.mark.parametrize("calendar", ["noleap", "360_day"])
def test_cftime_calendars_are_converted(tmp_path, calendar):
    path = _small_cmems(tmp_path / "c.nc")
    ds = xr.open_dataset(path).load()
    ds["time"] = np.arange(5.0)
    ds["time"].attrs = {"units": "days since 2021-01-01", "calendar": calendar}
    ds.to_netcdf(tmp_path / "cf.nc")
    out = open_currents(str(tmp_path / "cf.nc"), None, T0, T0 + np.timedelta64(3, "D"))
    assert np.issubdtype(out.time.dtype, np.datetime64) and out.time.values[0] == np.datetime64("2021-01-01")


def test_multi_file_glob_stays_lazy(tmp_path):
    """Ten daily files of a 1° global product: only the window and region are computed."""
    import dask
    from dask.callbacks import Callback

    lon, lat = np.arange(-180, 180, 1.0), np.arange(-80, 80.1, 1.0)
    for k in range(10):
        _product(
            tmp_path / f"cmems_{k:02d}.nc",
            lon,
            lat,
            np.array([T0 + np.timedelta64(k, "D")]),
            0.1,
            0.0,
            "uo",
            "vo",
            "longitude",
            "latitude",
        )
    computed = []

    class Count(Callback):
        def _posttask(self, key, result, dsk, state, worker_id):
            if isinstance(result, np.ndarray):
                computed.append(result.nbytes)

    full = 10 * lon.size * lat.size * 4 * 2
    with dask.config.set(scheduler="sync"), Count():
        ds = open_currents(
            str(tmp_path / "cmems_*.nc"),
            None,
            T0 + np.timedelta64(2, "D"),
            T0 + np.timedelta64(4, "D"),
            region=(0, 0, 10, 10),
        )
    assert ds.sizes["time"] == 3 and ds.sizes["lon"] <= 15
    # only the 3-day window over the region is read: well under 1 % of the ten global files
    assert sum(computed) < 0.01 * full, (sum(computed), full)


# ---------------------------------------------------------------- coast policies
def _coast(u, v):
    lon = np.arange(-3.0, 3.01, 0.1)
    lat = np.arange(-3.0, 6.01, 0.1)
    land = np.broadcast_to(lon >= 1.95, (lat.size, lon.size))
    return canonical(lon, lat, DAYS, lambda X, Y: np.full(X.shape, u), lambda X, Y: np.full(X.shape, v), land)


def _run(ocean, x0, y0, coast, days=2, engine="parcels"):
    req = EngineRequest(
        ocean, np.array(x0, float), np.array(y0, float), T0, days * 86400.0, 3600.0, 86400.0, coast=coast
    )
    return run_engine(engine, req)


@pytest.mark.parametrize("engine", ["parcels", "fast"])
def test_coast_stop_strands_and_previous_keeps_drifting(engine):
    ocean = _coast(0.5, 0.2)  # onshore and along-shore
    stop = _run(ocean, [1.5], [0.0], "stop", engine=engine)
    prev = _run(ocean, [1.5], [0.0], "previous", engine=engine)
    assert stop.status[0] == STATUS["stranded"]
    assert prev.status[0] == STATUS["active"] and prev.coast_contacts[0] > 0
    assert prev.end_lon[0] < 1.95  # never on land
    # onshore flow keeps pushing: the particle waits at its last wet position (no along-shore move)
    assert prev.end_lon[0] == pytest.approx(stop.end_lon[0]) and prev.end_lat[0] == pytest.approx(
        stop.end_lat[0]
    )
    slip = _run(ocean, [1.5], [0.0], "slip", engine=engine)
    assert slip.status[0] == STATUS["active"] and slip.end_lon[0] < 1.95
    # slip keeps the along-shore part of each blocked step: 0.2 m/s northward for the whole run
    assert slip.end_lat[0] == pytest.approx(0.2 * 2 * 86400 / DEG2M, rel=0.02)


@pytest.mark.parametrize("engine", ["parcels", "fast"])
def test_coast_slip_does_not_damp_along_shore_flow(engine):
    ocean = _coast(0.0, 0.3)  # along-shore only; particle inside the last half cell before the coast
    no_slip = _run(ocean, [1.93], [0.0], "previous", engine=engine)
    slip = _run(ocean, [1.93], [0.0], "slip", engine=engine)
    free = 0.3 * 2 * 86400 / DEG2M
    assert slip.end_lat[0] == pytest.approx(free, rel=1e-9)
    assert no_slip.end_lat[0] < 0.9 * free  # the zero-filled coast slows it


# ---------------------------------------------------------------- global, climatology
@pytest.mark.parametrize("engine", ["parcels", "fast"])
def test_global_grid_is_zonally_periodic(tmp_path, engine):
    """A particle circles the globe eastward on a 0..360 grid and keeps going past the seam."""
    lon, lat = np.arange(0, 360, 2.0), np.arange(-30, 30.1, 2.0)
    days = np.array([T0 + np.timedelta64(k, "D") for k in range(12)])
    path = _product(tmp_path / "g.nc", lon, lat, days, 2.0, 0.0, "uo", "vo", "longitude", "latitude")
    ds = open_currents(str(path), None, T0, T0 + np.timedelta64(10, "D"))
    assert ds.attrs["zonal_periodic"] == 1
    t = 10 * 86400.0
    tr = run_engine(engine, EngineRequest(ds, np.array([170.0]), np.array([0.0]), T0, t, 3600.0, 86400.0))
    assert np.all(np.isfinite(tr.lon)) and np.nanmax(tr.lon) < ds.lon.values[0] + 360.0  # stored wrapped
    assert tr.status[0] == STATUS["active"]
    travelled = 2.0 * t / DEG2M  # 155.5° of longitude: across the seam at 180°
    expected = (170.0 + travelled - ds.lon.values[0]) % 360.0 + ds.lon.values[0]
    assert tr.end_lon[0] == pytest.approx(expected, abs=1e-6)


def test_climatological_year_is_looped(tmp_path):
    months = np.array([np.datetime64(f"2000-{m:02d}-15") for m in range(1, 13)])
    lon = lat = np.arange(0, 5.0)
    ds = xr.Dataset(
        {
            "uo": (
                ("time", "latitude", "longitude"),
                np.broadcast_to((np.arange(12) / 100.0)[:, None, None], (12, 5, 5)).astype("f4"),
                {"units": "m s-1", "standard_name": "eastward_sea_water_velocity"},
            ),
            "vo": (
                ("time", "latitude", "longitude"),
                np.zeros((12, 5, 5), "f4"),
                {"units": "m s-1", "standard_name": "northward_sea_water_velocity"},
            ),
        },
        coords={"time": months, "latitude": lat, "longitude": lon},
    )
    ds.to_netcdf(tmp_path / "clim.nc")
    with pytest.raises(InputDataError, match="covers"):
        open_currents(
            str(tmp_path / "clim.nc"), None, np.datetime64("2023-12-20"), np.datetime64("2024-01-20")
        )
    out = open_currents(
        str(tmp_path / "clim.nc"), None, np.datetime64("2023-12-20"), np.datetime64("2024-01-20"), loop="year"
    )
    # December of 2023 and January of 2024 come from the climatology's December and January
    assert out.time.values[0] <= np.datetime64("2023-12-20") and out.time.values[-1] >= np.datetime64(
        "2024-01-20"
    )
    dec = out.sel(time="2023-12-15")["u"].values.mean()
    jan = out.sel(time="2024-01-15")["u"].values.mean()
    assert dec == pytest.approx(0.11) and jan == pytest.approx(0.0)


# ---------------------------------------------------------------- info, fetch, URLs
def test_info_describes_a_file(tmp_path):
    from typer.testing import CliRunner

    from marinenet.cli import app

    path = _hycom(tmp_path / "c.nc")
    res = CliRunner().invoke(app, ["info", str(path)])
    assert res.exit_code == 0, res.output
    for text in (
        "u=water_u, v=water_v",
        "regular lon/lat",
        "2021-01-01T00:00:00 .. 2021-01-05T00:00:00",
        "land fraction",
        "max 0.200 m/s",
    ):
        assert text in res.output
    bad = CliRunner().invoke(app, ["info", str(tmp_path / "missing_*.nc")])
    assert bad.exit_code == 2 and "matches no file" in bad.output


def test_fetch_cmems_wraps_the_toolbox(tmp_path, monkeypatch):
    import sys
    import types

    from typer.testing import CliRunner

    from marinenet.cli import app

    calls = []

    def subset(**kwargs):
        calls.append(kwargs)
        _product(
            tmp_path / kwargs["output_filename"],
            np.arange(0, 5.0),
            np.arange(0, 5.0),
            DAYS,
            0.1,
            0.0,
            "uo",
            "vo",
            "longitude",
            "latitude",
        )

    monkeypatch.setitem(sys.modules, "copernicusmarine", types.SimpleNamespace(subset=subset))
    res = CliRunner().invoke(
        app,
        [
            "fetch",
            "cmems",
            "--product",
            "cmems_mod_glo_phy-cur_anfc_0.083deg_PT6H-i",
            "--bbox",
            "-10",
            "30",
            "5",
            "45",
            "--start",
            "2021-01-01",
            "--end",
            "2021-01-31",
            "--dest",
            str(tmp_path),
        ],
    )
    assert res.exit_code == 0, res.output
    (kw,) = calls
    assert kw["variables"] == ["uo", "vo"] and kw["minimum_longitude"] == -10 and kw["maximum_latitude"] == 45
    assert kw["start_datetime"] == "2021-01-01" and kw["output_directory"] == str(tmp_path)
    monkeypatch.setitem(sys.modules, "copernicusmarine", None)  # not installed
    res = CliRunner().invoke(
        app,
        [
            "fetch",
            "cmems",
            "--product",
            "x",
            "--bbox",
            "0",
            "0",
            "1",
            "1",
            "--start",
            "2021-01-01",
            "--end",
            "2021-01-02",
            "--dest",
            str(tmp_path),
        ],
    )
    assert res.exit_code == 2 and 'pip install "marinenet[cmems]"' in res.output


def test_opendap_url_is_opened_directly(tmp_path, monkeypatch):
    """An OPeNDAP address (e.g. HYCOM's THREDDS) goes straight to xarray, without globbing."""
    path = _hycom(tmp_path / "h.nc")
    seen = []
    real_open = xr.open_dataset

    def fake_open(target, *args, **kwargs):
        seen.append(target)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(xr, "open_dataset", fake_open)
    url = "https://tds.hycom.org/thredds/dodsC/GLBy0.08/expt_93.0/uv3z"
    ds = open_currents(url, None, T0, T0 + np.timedelta64(1, "D"), region=(0, 0, 5, 5))
    assert seen == [url] and ds.attrs["original_variables"] == "u=water_u, v=water_v"


def test_zero_is_land_on_a_regular_grid(tmp_path):
    """A regular (A-grid) file whose land is 0, not missing: with zero_is_land the points where u and v
    are both 0 at every time become land; a point where only one component is 0 stays water."""
    path = _product(tmp_path / "z.nc", np.arange(0, 5.0), np.arange(0, 5.0), DAYS, 0.1, 0.0, "uo", "vo",
                    "longitude", "latitude")  # fmt: skip
    with xr.open_dataset(path) as ds:
        ds = ds.load()
    ds["uo"][:, :, 3:] = 0.0  # east of 2.5°E: land written as 0 (v is 0 everywhere)
    ds.to_netcdf(tmp_path / "zero.nc")
    t1 = T0 + np.timedelta64(2, "D")
    plain = open_currents(str(tmp_path / "zero.nc"), None, T0, t1)
    assert not plain["land"].values.any()
    land = open_currents(str(tmp_path / "zero.nc"), None, T0, t1, zero_is_land=True)
    assert land["land"].values[:, 3:].all() and not land["land"].values[:, :3].any()
    assert np.isnan(land["u"].values[:, :, 3:]).all() and np.isfinite(land["u"].values[:, :, :3]).all()


@pytest.fixture
def range_server(tmp_path):
    """A local HTTP server with byte-range support (as THREDDS' fileServer, S3 or any web server),
    serving ``tmp_path``; yields its base address and the byte ranges sent."""
    import io
    import re
    import threading
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    sent = []

    class Ranges(SimpleHTTPRequestHandler):
        def send_head(self):
            path = self.translate_path(self.path)
            header = self.headers.get("Range")
            if not (header and Path(path).is_file()):
                return super().send_head()
            size = Path(path).stat().st_size
            a, b = re.match(r"bytes=(\d+)-(\d*)", header).groups()
            a, b = int(a), min(int(b) if b else size - 1, size - 1)
            with open(path, "rb") as fh:
                fh.seek(a)
                body = fh.read(b - a + 1)
            sent.append(len(body))
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {a}-{b}/{size}")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Accept-Ranges", "bytes")
            self.end_headers()
            return io.BytesIO(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Ranges, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", sent
    server.shutdown()


def test_netcdf_on_a_web_server_is_read_by_byte_ranges(tmp_path, range_server):
    """An http(s) address of a netCDF file is read lazily over the network: the same currents as the
    local file, and for a small region of a large global file only a small part of it is transferred."""
    from marinenet.ocean.reader import remote_address

    base, sent = range_server
    lon, lat = np.arange(0, 360, 0.25), np.arange(-80, 80.1, 0.25)
    _product(tmp_path / "flat.nc", lon, lat, DAYS, 0.2, 0.05, "uo", "vo", "longitude", "latitude")
    with xr.open_dataset(tmp_path / "flat.nc") as ds:  # chunked on disk, as CMEMS files are
        ds.load().to_netcdf(
            tmp_path / "global.nc", encoding={n: {"chunksizes": (1, 64, 64)} for n in ("uo", "vo")}
        )
    size = (tmp_path / "global.nc").stat().st_size
    region = (10.0, 0.0, 12.0, 2.0)
    local = open_currents(str(tmp_path / "global.nc"), None, T0, T0 + np.timedelta64(1, "D"), region=region)
    remote = open_currents(f"{base}/global.nc", None, T0, T0 + np.timedelta64(1, "D"), region=region)
    xr.testing.assert_equal(local[["u", "v", "land"]], remote[["u", "v", "land"]])
    assert 0 < sum(sent) < 0.02 * size, (sum(sent), size)  # the region's chunks (0.5 %), not the file
    assert remote_address(f"{base}/global.nc").endswith("#mode=bytes")
    dap = "https://tds.hycom.org/thredds/dodsC/GLBy0.08/expt_93.0/uv3z"
    assert remote_address(dap) == dap  # OPeNDAP endpoints are opened as they are


def test_unreachable_address_is_a_clear_error(tmp_path):
    import socket

    from marinenet.errors import InputDataError

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(InputDataError, match="cannot read ocean data 'http://127.0.0.1"):
        open_currents(f"http://127.0.0.1:{port}/cmems.nc", None, T0, T0 + np.timedelta64(1, "D"))
