"""Streamed forcing: the fast engine holds a few time slices, and its positions equal those of the
whole forcing held in memory (bit for bit: float32 data read into float64 arithmetic is exact).

The reference is the same engine with one window as long as the forcing, and the forcing as a
float64 copy in memory (what the engine held before streaming): every case must give identical
positions, whatever the window, release season, time axis or file layout.
"""

import tracemalloc

import numpy as np
import pytest
import xarray as xr

from marinenet.engine import EngineRequest, forcing, run_engine
from marinenet.engine.fast_engine import fast_fields
from marinenet.ocean import reader
from marinenet.ocean.reader import open_currents

DAY = 86400.0
T0 = np.datetime64("2021-03-01T00:00", "ns")


def _times(days: np.ndarray) -> np.ndarray:
    return T0 + (np.asarray(days) * DAY * 1e9).astype("timedelta64[ns]")


def _currents(days: np.ndarray, nx: int = 48, ny: int = 32) -> xr.Dataset:
    """Analytic, time-varying eddying currents (float32 as in the files), land in one corner."""
    lon = np.linspace(-10.0, 2.0, nx)
    lat = np.linspace(40.0, 48.0, ny)
    t = np.asarray(days, float)[:, None, None]
    X, Y = np.meshgrid(lon, lat)
    u = 0.35 * np.sin(2 * np.pi * (Y - 40) / 6) * np.cos(2 * np.pi * t / 4.3) + 0.08 * np.cos(X / 2)
    v = 0.30 * np.cos(2 * np.pi * (X + 10) / 9) * np.sin(2 * np.pi * t / 2.7 + 0.4) + 0.02 * (Y - 44) / 4
    land = (X > 0.5) & (Y > 46.5)
    u, v = np.where(land, np.nan, u), np.where(land, np.nan, v)
    attrs = {"units": "m s-1"}
    return xr.Dataset(
        {
            "uo": (("time", "lat", "lon"), u.astype(np.float32), attrs | {"standard_name": "eastward_sea_water_velocity"}),
            "vo": (("time", "lat", "lon"), v.astype(np.float32), attrs | {"standard_name": "northward_sea_water_velocity"}),
        },
        coords={"time": _times(days), "lat": lat, "lon": lon},
    )  # fmt: skip


@pytest.fixture
def streamed(monkeypatch):
    """Files read lazily in small chunks (as large files are), and a 3-slice window (the smallest)."""
    monkeypatch.setattr(reader, "CHUNK_BYTES", 2e4)
    monkeypatch.setattr(forcing, "WINDOW_SLICES", 3)
    monkeypatch.setattr(forcing, "WINDOW_BYTES", 0)


def _open(path, days_needed, **kw) -> xr.Dataset:
    return open_currents(str(path), None, _times([days_needed[0]])[0], _times([days_needed[1]])[0], **kw)


def _request(ocean, n=40, days=12.0, dt=3 * 3600.0, every=DAY, release=None, seed=3) -> EngineRequest:
    rng = np.random.default_rng(seed)
    lon, lat = rng.uniform(-9, 0, n), rng.uniform(41, 47, n)
    return EngineRequest(
        ocean, lon, lat, T0, days * DAY, dt, every, seed=seed, release_time=release, diffusion=5.0, threads=1
    )


def _in_memory_float64(ocean: xr.Dataset) -> xr.Dataset:
    """The whole forcing in memory as float64: what the fast engine held before it streamed."""
    mem = ocean.load().copy()
    for name in ("u", "v"):
        mem[name] = mem[name].astype(np.float64)
    return mem


def _same(a, b) -> None:
    np.testing.assert_array_equal(a.lon, b.lon)
    np.testing.assert_array_equal(a.lat, b.lat)
    np.testing.assert_array_equal(a.end_lon, b.end_lon)
    np.testing.assert_array_equal(a.status, b.status)
    assert (np.isfinite(a.lon).sum(axis=1) >= 3).sum() > 10  # particles that moved for days


def _whole(monkeypatch, request: EngineRequest):
    """The same request with the whole forcing in memory (float64) in one window."""
    import dataclasses

    with monkeypatch.context() as m:
        m.setattr(forcing, "WINDOW_SLICES", 10**6)
        m.setattr(forcing, "WINDOW_BYTES", 0)
        return run_engine("fast", dataclasses.replace(request, ocean=_in_memory_float64(request.ocean)))


def test_a_run_across_many_slices_equals_the_whole_forcing_in_memory(tmp_path, streamed, monkeypatch):
    _currents(np.arange(0, 30.0)).to_netcdf(tmp_path / "c.nc")
    ocean = _open(tmp_path / "c.nc", (0, 25))
    assert ocean["u"].chunks is not None  # lazy: read by windows as the run goes
    req = _request(ocean, days=24.0, dt=5 * 3600.0)  # 5 h steps: windows end in the middle of steps
    _same(run_engine("fast", req), _whole(monkeypatch, req))


def test_a_release_season_equals_the_whole_forcing_in_memory(tmp_path, streamed, monkeypatch):
    _currents(np.arange(0, 30.0)).to_netcdf(tmp_path / "c.nc")
    ocean = _open(tmp_path / "c.nc", (0, 28))
    n = 40
    offsets = (np.arange(n) * (7 * 3600 + 13 * 60) * 1e9).astype("timedelta64[ns]")  # every 7 h 13 min
    req = _request(ocean, n=n, days=10.0, every=2 * DAY, release=T0 + offsets)
    _same(run_engine("fast", req), _whole(monkeypatch, req))


def test_window_ends_exactly_at_the_output_times(tmp_path, streamed, monkeypatch):
    """Daily slices, daily outputs and a 3-slice window: each window may end on an output time."""
    _currents(np.arange(0, 12.0)).to_netcdf(tmp_path / "c.nc")
    ocean = _open(tmp_path / "c.nc", (0, 10))
    req = _request(ocean, days=9.0, dt=6 * 3600.0, every=DAY)
    ff = fast_fields(req)
    view = ff.window.view(0.0, 9 * DAY, req.dt)
    assert view.hold == 2 * DAY  # the first window ends on an output time (daily outputs)
    ff.close()
    _same(run_engine("fast", req), _whole(monkeypatch, req))


def test_an_uneven_time_axis(tmp_path, streamed, monkeypatch):
    days = np.cumsum([0, 1, 0.5, 0.5, 2, 1, 0.25, 0.75, 3, 1, 1, 0.5, 1.5, 1, 1])
    _currents(days).to_netcdf(tmp_path / "c.nc")
    ocean = _open(tmp_path / "c.nc", (0, 14))
    req = _request(ocean, days=13.0, dt=4 * 3600.0)
    _same(run_engine("fast", req), _whole(monkeypatch, req))


def test_reversed_and_multi_file_forcing_equal_one_file(tmp_path, streamed, monkeypatch):
    ds = _currents(np.arange(0, 16.0))
    ds.to_netcdf(tmp_path / "one.nc")
    ds.isel(time=slice(None, None, -1)).to_netcdf(tmp_path / "reversed.nc")
    for k, part in enumerate((slice(0, 5), slice(5, 11), slice(11, 16))):
        ds.isel(time=part).to_netcdf(tmp_path / f"part_{k}.nc")
    one = run_engine("fast", _request(_open(tmp_path / "one.nc", (0, 15)), days=14.0))
    for name in ("reversed.nc", "part_*.nc"):
        other = run_engine("fast", _request(_open(tmp_path / name, (0, 15)), days=14.0))
        _same(other, one)
    _same(one, _whole(monkeypatch, _request(_open(tmp_path / "one.nc", (0, 15)), days=14.0)))


def test_a_looped_climatological_year_is_streamed(tmp_path, streamed, monkeypatch):
    days = np.arange(0, 365.0, 5.0)
    clim = _currents(days, nx=24, ny=16).assign_coords(
        time=np.datetime64("2001-01-01", "ns") + (days * DAY * 1e9).astype("timedelta64[ns]")
    )
    clim.to_netcdf(tmp_path / "clim.nc")
    start = np.datetime64("2021-12-20", "ns")
    ocean = open_currents(
        str(tmp_path / "clim.nc"), None, start, start + np.timedelta64(30, "D"), loop="year"
    )
    assert ocean["u"].chunks is not None
    import dataclasses

    req = dataclasses.replace(_request(ocean, days=25.0, dt=6 * 3600.0), start=start)
    _same(run_engine("fast", req), _whole(monkeypatch, req))


def test_the_engine_holds_a_window_not_the_whole_forcing(tmp_path, monkeypatch):
    """Memory allocated while tracking (numpy arrays, traced) stays a small part of the forcing, and
    each time slice is read once. Before streaming the engine copied the whole window to float64
    (2x the forcing) before the first step."""
    monkeypatch.setattr(reader, "CHUNK_BYTES", 2e4)
    monkeypatch.setattr(forcing, "WINDOW_BYTES", 4e5)  # 5 slices of this grid
    days = np.arange(0, 120.0)
    _currents(days, nx=120, ny=80).to_netcdf(tmp_path / "c.nc")  # 9 MB: fixed costs (~1.4 MB) are small
    ocean = _open(tmp_path / "c.nc", (0, 119))
    forcing_bytes = 2 * days.size * 120 * 80 * 4
    req = _request(ocean, n=20, days=115.0, dt=12 * 3600.0)
    run_engine("fast", _request(ocean, n=2, days=1.0, dt=12 * 3600.0))  # compiled (or loaded) untraced
    reads = []
    real_read = forcing.DatasetSource.read

    def spy(self, lo, hi):
        reads.append((lo, hi))
        return real_read(self, lo, hi)

    monkeypatch.setattr(forcing.DatasetSource, "read", spy)
    tracemalloc.start()
    try:
        tr = run_engine("fast", req)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert np.isfinite(tr.lon[:, -1]).sum() > 5
    assert peak < 0.5 * forcing_bytes, (peak, forcing_bytes)
    read = np.concatenate([np.arange(lo, hi) for lo, hi in reads])
    assert max(hi - lo for lo, hi in reads) <= max(
        2 * forcing.WINDOW_SLICES, ocean["u"].chunksizes["time"][0]
    )
    assert np.unique(read).size == read.size  # every slice read once


def test_parcels_reads_the_streamed_forcing_a_few_levels_at_a_time(tmp_path, streamed):
    """The Parcels engine gets the lazy currents (Parcels' rolling time window), not a copy of the
    whole window; its positions equal those from the currents in memory and the fast engine's."""
    import dataclasses

    from marinenet.engine.parcels_engine import make_fieldset

    _currents(np.arange(0, 6.0)).to_netcdf(tmp_path / "c.nc")
    ocean = _open(tmp_path / "c.nc", (0, 5))
    fs = make_fieldset(ocean, "slip")
    assert not isinstance(fs.U.data, np.ndarray) and type(fs.U.data).__name__ == "WindowedArray"
    req = dataclasses.replace(_request(ocean, n=6, days=3.0, dt=2 * 3600.0), diffusion=0.0, coast="slip")
    lazy = run_engine("parcels", req)
    eager = run_engine("parcels", dataclasses.replace(req, ocean=ocean.load()))
    np.testing.assert_array_equal(lazy.lon, eager.lon)
    np.testing.assert_array_equal(lazy.lat, eager.lat)
    np.testing.assert_allclose(lazy.lon, run_engine("fast", req).lon, atol=1e-9)


@pytest.mark.slow  # starts a local dask cluster (~1 min on 2 busy cores)
def test_batches_on_dask_workers_stream_the_forcing_and_equal_one_process(tmp_path, streamed):
    """The lazy currents go to the workers as a recipe (file + chunks), not as arrays: each batch
    streams them itself; the joined batches equal one process."""
    pytest.importorskip("distributed")
    from marinenet.engine.distributed import client_for, run_batches

    _currents(np.arange(0, 10.0)).to_netcdf(tmp_path / "c.nc")
    ocean = _open(tmp_path / "c.nc", (0, 9))
    req = _request(ocean, n=60, days=8.0)
    one = run_engine("fast", req)
    with client_for(workers=2) as client:
        many = run_batches(req, client, batch_size=25)
    for name in ("lon", "lat", "status", "end_lon", "end_lat"):
        np.testing.assert_array_equal(getattr(many, name), getattr(one, name))
