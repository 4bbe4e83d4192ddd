"""Streamed extra fields (wind, waves, temperature, salinity): the fast engine holds a time window of
each, on its own time axis, and its results equal those of the whole field in memory bit for bit.

The reference is what the engine did before streaming: every field loaded whole as float64
(:meth:`ExtraField.arrays`, unchanged) and the currents whole in memory as float64, one window
as long as the run. The streamed runs hold 3-slice windows (the smallest), so each window slides
many times; the extra fields have other time steps and grids than the currents.
"""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import numpy as np
import pytest
import xarray as xr
import yaml

from marinenet.behaviour import egg, mortality, stokes, windage
from marinenet.behaviour import temperature as tm
from marinenet.behaviour.config import Egg, Temperature
from marinenet.capabilities import Plan
from marinenet.engine import EngineRequest, extra_window, forcing, run_engine
from marinenet.ocean import reader
from marinenet.ocean.extra import ExtraField, LazyData
from marinenet.ocean.forcing import WAVES, WIND, open_forcing
from marinenet.ocean.reader import open_currents
from marinenet.ocean.tracers import fill_from_water

DAY = 86400.0
HOUR = 3600.0
T0 = np.datetime64("2021-03-01T00:00", "ns")
LON = np.linspace(-10.0, 2.0, 25)
LAT = np.linspace(40.0, 48.0, 17)


def _at(hours) -> np.ndarray:
    return T0 + (np.asarray(hours, float) * HOUR * 1e9).astype("timedelta64[ns]")


def _coords(times, lon, lat, depth=None) -> dict:
    c = {
        "time": ("time", times, {"standard_name": "time"}),
        "latitude": ("latitude", lat, {"standard_name": "latitude", "units": "degrees_north"}),
        "longitude": ("longitude", lon, {"standard_name": "longitude", "units": "degrees_east"}),
    }
    if depth is not None:
        c["depth"] = ("depth", depth, {"positive": "down", "axis": "Z", "units": "m"})
    return c


def _currents(path, days, depth=None, tracers=False):
    """Daily eddying currents (float32), land in one corner; with ``tracers`` a warm/cold front
    (thetao) that moves with time and salinity (so), both NaN on land."""
    t = np.asarray(days, float)[:, None, None, None]
    z = np.zeros(1) if depth is None else np.asarray(depth, float)
    Z, Y, X = np.meshgrid(z, LAT, LON, indexing="ij")
    u = 0.35 * np.sin(2 * np.pi * (Y - 40) / 6) * np.cos(2 * np.pi * t / 4.3) + 0.08 * np.cos(X / 2)
    v = 0.30 * np.cos(2 * np.pi * (X + 10) / 9) * np.sin(2 * np.pi * t / 2.7 + 0.4) + 0.02 * (Y - 44) / 4
    land = (X > 0.5) & (Y > 46.5) & (Z < 1e9)
    temp = 14.0 + 6.0 * np.tanh((Y - 44.0 - 0.2 * t) / 1.5) + 0.3 * np.cos(X) - 0.03 * Z + 0 * t
    salt = 35.0 + 0.2 * np.sin(X / 3) + 0.002 * Z + 0.01 * t
    dims = ("time", "depth", "latitude", "longitude")
    vals = {"uo": u, "vo": v} | ({"thetao": temp, "so": salt} if tracers else {})
    attrs = {
        "uo": {"units": "m s-1", "standard_name": "eastward_sea_water_velocity"},
        "vo": {"units": "m s-1", "standard_name": "northward_sea_water_velocity"},
        "thetao": {"units": "degrees_C", "standard_name": "sea_water_potential_temperature"},
        "so": {"units": "1e-3", "standard_name": "sea_water_salinity"},
    }
    data = {}
    for k, a in vals.items():
        a = np.where(land, np.nan, a).astype(np.float32)
        data[k] = (dims, a, attrs[k]) if depth is not None else (dims[:1] + dims[2:], a[:, 0], attrs[k])
    xr.Dataset(data, coords=_coords(_at(np.asarray(days) * 24), LON, LAT, depth)).to_netcdf(path)
    return path


def _vector(path, names, std, hours, lon, lat):
    """A wind or waves file (float32) varying in time and space on its own grid and time axis."""
    t = np.asarray(hours, float)[:, None, None]
    X, Y = np.meshgrid(lon, lat)
    u = 6.0 * np.cos(2 * np.pi * t / 31.0 + X / 4) + 2.0 * np.sin(Y / 3)
    v = 5.0 * np.sin(2 * np.pi * t / 17.0 - Y / 5) + 0.5 * X / 10
    ds = xr.Dataset(
        {names[0]: (("time", "latitude", "longitude"), u.astype(np.float32), {"units": "m s-1"}),
         names[1]: (("time", "latitude", "longitude"), v.astype(np.float32), {"units": "m s-1"})},
        coords=_coords(_at(hours), lon, lat),
    )  # fmt: skip
    for n, s in zip(names, std or (None, None), strict=True):
        if s:
            ds[n].attrs["standard_name"] = s
    ds.to_netcdf(path)
    return path


@pytest.fixture
def small_windows(monkeypatch):
    """Files read lazily in small chunks (as large files are) and 3-slice windows (the smallest)."""
    monkeypatch.setattr(reader, "CHUNK_BYTES", 2e4)
    monkeypatch.setattr(forcing, "WINDOW_SLICES", 3)
    monkeypatch.setattr(forcing, "WINDOW_BYTES", 0)
    monkeypatch.setattr(extra_window, "WINDOW_BYTES", 0)
    peaks: list[int] = []
    close = extra_window.ExtraWindows.close

    def record(self):
        peaks.extend(w.peak_resident for w in self.windows.values())
        close(self)

    monkeypatch.setattr(extra_window.ExtraWindows, "close", record)
    return peaks


def _in_memory(form):
    """A compiled form as the engine read it before streaming: the whole field loaded in float64
    by :meth:`ExtraField.arrays` (then the form's own per-point transform, e.g. eggs' water)."""
    lazy = form.data
    if not isinstance(lazy, LazyData):
        return form
    whole = ExtraField("ref", lazy.components, "", lazy.periodic).arrays().data
    return form._replace(data=whole if lazy.transform is None else lazy.transform(whole))


def _whole(monkeypatch, req: EngineRequest, engine: str = "fast"):
    """The request with every field whole in memory (float64) in one window."""
    mem = req.ocean.load().copy()
    for name in ("u", "v", "w"):
        if name in mem:
            mem[name] = mem[name].astype(np.float64)
    forms = tuple(_in_memory(f) for f in req.behaviours)
    with monkeypatch.context() as m:
        m.setattr(forcing, "WINDOW_SLICES", 10**6)
        m.setattr(forcing, "WINDOW_BYTES", 0)
        return run_engine(engine, dataclasses.replace(req, ocean=mem, behaviours=forms))


def _same(a, b, moved=10) -> None:
    for name in ("lon", "lat", "end_lon", "end_lat", "status", "end_time", "depth", "weight"):
        x, y = getattr(a, name), getattr(b, name)
        if x is None:
            assert y is None
            continue
        np.testing.assert_array_equal(x, y, err_msg=name)
    assert (np.isfinite(a.lon).sum(axis=1) >= 3).sum() >= moved  # particles that moved for days


def _season(n: int, every_h: float) -> np.ndarray:
    return _at(np.arange(n) * every_h)


def _points(n, seed=3):
    rng = np.random.default_rng(seed)
    return rng.uniform(-9, 0, n), rng.uniform(41, 47, n)


def _wind_run(tmp_path, wind_hours, wind_step, dt, n=40, season=None, days=8.0):
    _currents(tmp_path / "c.nc", np.arange(0, 14.0))
    ocean = open_currents(str(tmp_path / "c.nc"), None, T0, _at([12 * 24])[0])
    wl, wb = np.arange(-12.0, 4.01, 0.75), np.arange(38.0, 50.01, 0.75)  # coarser, wider grid
    _vector(tmp_path / "w.nc", ("u10", "v10"), None, np.arange(-3, wind_hours, wind_step), wl, wb)
    sl = np.arange(-11.0, 3.01, 0.5)
    std = ("sea_surface_wave_stokes_drift_x_velocity", "sea_surface_wave_stokes_drift_y_velocity")
    _vector(
        tmp_path / "s.nc", ("VSDX", "VSDY"), std, np.arange(0, wind_hours, 3.0), sl, np.arange(39, 49.1, 0.5)
    )
    bounds = (LON[0], LAT[0], LON[-1], LAT[-1])
    lo, hi = T0, _at([11 * 24])[0]
    wind = open_forcing(WIND, str(tmp_path / "w.nc"), lo, hi, bounds)
    waves = open_forcing(WAVES, str(tmp_path / "s.nc"), lo, hi, bounds)
    forms = (windage._params(1.0, 0.03, 15.0, wind.streamed()), stokes._params(1.0, waves.streamed()))
    lon, lat = _points(n)
    rel = season if season is not None else None
    return EngineRequest(ocean, lon, lat, T0, days * DAY, dt, DAY, seed=3, release_time=rel, diffusion=2.0,
                         threads=1, behaviours=forms)  # fmt: skip


def test_windage_and_stokes_streamed_equal_the_whole_fields_in_memory(tmp_path, small_windows, monkeypatch):
    """Hourly wind on a 0.75° grid, 3-hourly waves, daily currents; a 2 h step; a release season."""
    req = _wind_run(tmp_path, 12 * 24 + 1, 1.0, 2 * HOUR, season=_season(40, 2.5))
    assert isinstance(req.behaviours[0].data, LazyData)  # nothing read before the run
    assert req.behaviours[0].data.components[0].chunks is not None  # the wind file read lazily
    streamed = run_engine("fast", req)
    wind_slices = req.behaviours[0].data.shape[1]
    assert wind_slices > 200 and 0 < max(small_windows) <= 20  # a window of a few of 265 hourly slices
    _same(streamed, _whole(monkeypatch, req))


def test_wind_finer_in_time_than_one_step(tmp_path, small_windows, monkeypatch):
    """15-minute wind, 90-minute steps: each step spans several wind slices (the window holds them)."""
    req = _wind_run(tmp_path, 12 * 24 + 1, 0.25, 1.5 * HOUR, n=30)
    _same(run_engine("fast", req), _whole(monkeypatch, req))


def test_extra_fields_change_the_tracks(tmp_path, small_windows):
    """(The equality tests compare runs where the wind matters: without it the tracks differ.)"""
    req = _wind_run(tmp_path, 12 * 24 + 1, 1.0, 2 * HOUR, n=10)
    off = dataclasses.replace(req, behaviours=())
    assert np.nanmax(np.abs(run_engine("fast", req).end_lon - run_engine("fast", off).end_lon)) > 0.05


def test_backward_windage_streamed_equals_in_memory(tmp_path, small_windows, monkeypatch):
    """A backward run (mirrored time, velocities negated) streams the mirrored wind the same way."""
    from marinenet.backward import mirrored_request

    req = _wind_run(tmp_path, 12 * 24 + 1, 1.0, 2 * HOUR, n=20)
    pivot = _at([10 * 24])[0]
    lo = _at([1 * 24])[0]
    bounds = (LON[0], LAT[0], LON[-1], LAT[-1])
    wind = open_forcing(WIND, str(tmp_path / "w.nc"), lo, pivot, bounds).mirrored(pivot)
    ocean = open_currents(str(tmp_path / "c.nc"), None, lo, pivot)
    back = dataclasses.replace(
        req, ocean=ocean, start=pivot, release_time=None, duration=6 * DAY,
        behaviours=(windage._params(1.0, 0.03, 15.0, wind.streamed()),),
    )  # fmt: skip
    back = mirrored_request(back, pivot)
    _same(run_engine("fast", back), _whole(monkeypatch, back))


def _temperature_request(tmp_path, n=40):
    _currents(tmp_path / "t.nc", np.arange(0, 14.0), tracers=True)
    ocean = open_currents(str(tmp_path / "t.nc"), None, T0, _at([12 * 24])[0], tracers=("thetao",))
    assert ocean["thetao"].chunks is not None  # streamed with the currents
    cfg = Temperature(model="q10", reference=14.0, q10=2.5, lethal=[9.0, 30.0], mortality_q10=2.0)
    scenario = SimpleNamespace(behaviour=SimpleNamespace(temperature=cfg))
    life = mortality.params(6 * DAY, 1.0 / (20 * DAY), mortality.WEIGHTS, tm.thermal(scenario, ocean))
    lon, lat = _points(n, seed=5)
    return EngineRequest(ocean, lon, lat, T0, 9 * DAY, 3 * HOUR, DAY, seed=5, release_time=_season(n, 3.0),
                         threads=1, behaviours=(life,))  # fmt: skip


def test_temperature_larvae_streamed_equal_in_memory(tmp_path, small_windows, monkeypatch):
    """Development age (PLD reached → unsettled, and when), lethal limits and temperature-scaled
    mortality weights: identical with the temperature streamed and whole in memory."""
    req = _temperature_request(tmp_path)
    a, b = run_engine("fast", req), _whole(monkeypatch, req)
    _same(a, b)
    assert len(set(a.status.tolist())) >= 2 and np.unique(a.weight).size > 10  # temperatures mattered


def test_eggs_streamed_equal_in_memory(tmp_path, small_windows, monkeypatch):
    """Eggs rising by the water's density and viscosity (computed slice by slice as they are read)
    and hatching by degree-days: depths and positions identical to the whole fields in memory."""
    depth = np.array([0.0, 10.0, 30.0, 60.0, 100.0])
    _currents(tmp_path / "e.nc", np.arange(0, 10.0), depth=depth, tracers=True)
    ocean = open_currents(
        str(tmp_path / "e.nc"), None, T0, _at([8 * 24])[0], three_d=True, tracers=("thetao", "so")
    )
    cfg = Egg(density=1025.2, diameter=1.3, hatch_degree_days=40.0)
    form = egg.from_scenario(SimpleNamespace(behaviour=SimpleNamespace(egg=cfg)), ocean, {})
    assert isinstance(form.data, LazyData) and form.data.shape[0] == 3  # (rho, mu, T), not yet read
    lon, lat = _points(30, seed=7)
    req = EngineRequest(ocean, lon, lat, T0, 6 * DAY, 2 * HOUR, 0.5 * DAY, seed=7, depth=40.0,
                        release_time=_season(30, 1.7), threads=1, behaviours=(form,))  # fmt: skip
    a = run_engine("fast", req)
    _same(a, _whole(monkeypatch, req))
    assert np.nanmax(np.abs(np.diff(a.depth, axis=1))) > 1.0  # the eggs moved in depth


def _fill_before(da: xr.DataArray) -> xr.DataArray:
    """fill_from_water as it was before streaming (the whole field, float64), for comparison."""
    from scipy.ndimage import distance_transform_edt

    a = np.array(da.values, dtype=np.float64)
    v = a if a.ndim == 4 else a[:, None]
    for k in range(v.shape[1]):
        gap = np.isnan(v[0, k])
        if not gap.any():
            continue
        if gap.all():
            v[:, k] = v[:, k - 1] if k > 0 else 0.0
            continue
        _, (jj, ii) = distance_transform_edt(gap, return_indices=True)
        v[:, k] = v[:, k][:, jj, ii]
    return da.copy(data=v if a.ndim == 4 else v[:, 0])


def test_lazy_fill_from_water_equals_the_whole_fill():
    rng = np.random.default_rng(1)
    a = rng.normal(12, 3, (6, 4, 9, 11)).astype(np.float32)
    a[:, 1:, :3, :4] = np.nan  # coast
    a[:, 3] = np.nan  # a level without data
    a[4, 0, 5, 5] = np.nan  # a gap at a later time only (left as it is)
    da = xr.DataArray(a, dims=("time", "depth", "lat", "lon"))
    lazy = fill_from_water(da.chunk({"time": 2}))
    assert lazy.chunks is not None and lazy.dtype == np.float32  # still lazy, as stored
    np.testing.assert_array_equal(lazy.values.astype(np.float64), _fill_before(da).values)
    np.testing.assert_array_equal(fill_from_water(da).values, _fill_before(da).values)
    flat = da.isel(depth=0)
    np.testing.assert_array_equal(fill_from_water(flat.chunk({"time": 3})).values, _fill_before(flat).values)


def _lazy_wind(days: int, hourly: bool = True) -> ExtraField:
    """A lazy (dask) 0.25° wind over 60° x 40° for ``days`` days: never read by the estimate."""
    import dask.array as dsk

    n = days * (24 if hourly else 1)
    coords = {"time": _at(np.arange(n) * (1.0 if hourly else 24.0)), "depth": [0.0],
              "lat": np.arange(160) * 0.25, "lon": np.arange(240) * 0.25}  # fmt: skip
    comp = xr.DataArray(dsk.zeros((n, 1, 160, 240), dtype=np.float32, chunks=(24, 1, 160, 240)),
                        dims=("time", "depth", "lat", "lon"), coords=coords)  # fmt: skip
    return ExtraField("wind", (comp, -comp), "lazy", velocity=True)


def test_the_estimate_holds_a_window_of_the_extra_fields_not_their_duration(monkeypatch):
    from marinenet import memory
    from marinenet.ocean.extra import footprints

    monkeypatch.setattr(memory, "available_bytes", lambda: 10**12)
    monkeypatch.setattr(memory, "resident_bytes", lambda: 300e6)

    def held(days, engine="fast"):
        form = windage._params(1.0, 0.03, 0.0, _lazy_wind(days).streamed())
        est = memory.run_estimate(1e6, 1000, engine, [], 0, 11, extra_fields=footprints((form,)))
        return est.parts["extra fields held by the engine"], est

    slice_bytes = 2 * 160 * 240 * 4  # u10, v10 float32
    q, est90 = held(90)
    assert held(30)[0] == q  # grows with the window, not with the duration
    assert q == 6 * 8e6 + memory.EXTRA_READ_BYTES  # copies of an 8 MB window and the reads' buffers
    assert 90 * 24 * slice_bytes > 3 * q  # (the whole field would be 663 MB)
    assert held(1)[0] == 24 * slice_bytes  # a short field: all of it
    assert est90.peak == pytest.approx(held(1)[1].peak - 24 * slice_bytes + q)  # a part of the peak
    assert held(90, "parcels")[0] == 90 * 24 * slice_bytes * 2  # Parcels: float64, whole
    assert footprints((windage.OFF, mortality.OFF)) == []  # fields in memory (off): nothing streamed


def test_a_run_with_wind_puts_the_wind_in_the_estimate(tmp_path, monkeypatch):
    """The pipeline's estimate gets the wind's size (its time slices as streamed)."""
    from marinenet import pipeline
    from marinenet.prepare import prepare
    from marinenet.scenario import load_scenario

    from .test_windage_stokes import _scenario

    _currents(tmp_path / "currents.nc", np.arange(0, 5.0))
    wl, wb = np.arange(-12.0, 4.01, 1.0), np.arange(38.0, 50.01, 1.0)
    _vector(tmp_path / "w.nc", ("u10", "v10"), None, np.arange(-6, 4 * 24, 1.0), wl, wb)
    path = _scenario(tmp_path, "w", {"windage": 0.03}, {"wind": "w.nc"})
    cfg = yaml.safe_load(path.read_text())
    cfg["release"].update({"from": {"points": [[-5.0, 44.0], [-4.0, 43.0]]}, "start": "2021-03-01T00:00"})
    path.write_text(yaml.safe_dump(cfg))
    seen = {}
    monkeypatch.setattr(pipeline, "run_estimate", lambda *a, **k: seen.update(k))
    prep = prepare(load_scenario(path))
    pipeline._estimate(prep, pipeline.engine_request(prep), Plan("fast", "test"), maps=False)
    ((f64, slices, size),) = seen["extra_fields"]
    assert (slices, size) == (2 * 24 + 1, 4)  # the hourly slices of the 2 days, float32
    wind = prep.forcing["wind"].components[0]
    assert f64 == 8 * 2 * wind.size and wind.sizes["time"] == slices  # u10 and v10 as opened for the run
    assert 0 < wind.sizes["lat"] * wind.sizes["lon"] < wl.size * wb.size  # (over the currents' region)


def test_parcels_samples_the_streamed_wind_and_temperature_as_the_whole_fields(
    tmp_path, small_windows, monkeypatch
):
    """The Parcels engine's kernels read windows of the extra fields too: identical results."""
    spans = []
    covering = extra_window.Covering.covering

    def record(self, t):
        out = covering(self, t)
        spans.append(out[0].shape[1])
        return out

    monkeypatch.setattr(extra_window.Covering, "covering", record)
    req = _wind_run(tmp_path, 12 * 24 + 1, 1.0, 3 * HOUR, n=8, season=_season(8, 5.0), days=4.0)
    _same(run_engine("parcels", req), _whole(monkeypatch, req, "parcels"), moved=4)
    assert spans and max(spans) < req.behaviours[0].data.shape[1] // 4  # windows, not the whole wind
    warm = _temperature_request(tmp_path, n=8)
    _same(run_engine("parcels", warm), _whole(monkeypatch, warm, "parcels"), moved=4)
