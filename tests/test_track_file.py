"""trajectories.nc written as the run goes (issue 16 item 4): the fast engine hands each output time's
positions to the file, so a run of 10^7 particles never holds its tracks in memory; the file is the
one the in-memory path writes, value for value. The report's density maps count positions in blocks."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
import xarray as xr

from marinenet.engine import EngineRequest, run_engine
from marinenet.engine.base import Trajectories
from marinenet.outputs import TrackFile, write_trajectories
from marinenet.report import maps

from .conftest import canonical

START = np.datetime64("2021-03-01T00:00")
DAY = 86400.0
ATTRS = {"title": "t", "synthetic": 1, "seed": 3}


def _ocean(days=6):
    """A sheared, time-varying flow with a coast in the east (particles strand: NaN after they stop)."""
    lon, lat = np.arange(-6, 6.01, 0.1), np.arange(36, 44.01, 0.1)
    times = START + np.arange(days) * np.timedelta64(1, "D")
    LON, LAT = np.meshgrid(lon, lat)
    u = np.stack([0.4 * np.sin(np.deg2rad(LAT - 40) * 40 + k) + 0.3 for k in range(days)])
    v = np.stack([0.2 * np.cos(np.deg2rad(LON) * 30 - k) for k in range(days)])
    land = np.zeros((lat.size, lon.size), bool)
    land[:, lon > 4.5] = True
    return canonical(lon, lat, times, u, v, land=land)


def _request(n=400, output_every=6 * 3600.0, keep=None, season=True) -> EngineRequest:
    rng = np.random.default_rng(3)
    x, y = rng.uniform(-5, 4.45, n), rng.uniform(37, 43, n)
    release = START + (np.arange(n) % 3) * np.timedelta64(1, "D") if season else None
    return EngineRequest(
        _ocean(), x, y, START, 2 * DAY, 3600.0, output_every, seed=5, release_time=release,
        diffusion=10.0, coast="stop", keep=keep,
    )  # fmt: skip


def _source(n: int) -> np.ndarray:
    return np.array([f"zone {i % 5}" for i in range(n)], dtype=object)


@pytest.mark.parametrize("keep", [None, np.arange(3, 400, 7)], ids=["all", "subset"])
def test_tracks_written_as_the_run_goes_make_the_same_file(tmp_path, keep):
    """Held in memory then written, or written an output time at a time by the engine: every variable,
    value and attribute of trajectories.nc is the same (NaN before release and after stranding included)."""
    held = run_engine("fast", _request(keep=keep))
    write_trajectories(tmp_path / "held.nc", held, _source(400), held.release_time, ATTRS)
    req = _request(keep=keep)
    sink = TrackFile(tmp_path / "went.nc", 400 if keep is None else keep.size, req.output_times.size)
    went = run_engine("fast", req, tracks=sink)
    assert went.lon is None and went.lat is None and went.written is sink and went.stored == held.stored
    write_trajectories(tmp_path / "went.nc", went, _source(400), went.release_time, ATTRS)
    a, b = xr.load_dataset(tmp_path / "held.nc"), xr.load_dataset(tmp_path / "went.nc")
    assert np.isnan(a["lon"].values).any() and np.isfinite(a["lon"].values).any()  # both kinds present
    assert (a["status"].values == 1).any() or (a["status"].values != 0).any()  # some stopped
    assert a.attrs == b.attrs and sorted(a.variables) == sorted(b.variables)
    for name in a.variables:
        assert a[name].dtype == b[name].dtype and str(a[name].attrs) == str(b[name].attrs), name
        np.testing.assert_array_equal(a[name].values, b[name].values, err_msg=name)
    # and the positions are the engine's float64 positions rounded to float32
    np.testing.assert_array_equal(b["lon"].values, held.lon.astype(np.float32))


def test_the_engine_holds_no_tracks_while_it_writes_them(tmp_path):
    """4000 particles × 193 outputs: held, the tracks are 2 × 4000 × 193 × 8 B = 12.4 MB (the rest of the
    run, currents included, ~5 MB); written as the run goes, the run allocates less than half of them."""
    rows = 4000
    tracks = 2 * rows * 193 * 8
    run_engine("fast", _request(n=10, output_every=900.0, season=False))  # compiled and cached: not measured
    tracemalloc.start()
    run_engine("fast", _request(n=rows, output_every=900.0, season=False))
    held_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.reset_peak()
    req = _request(n=rows, output_every=900.0, season=False)
    assert req.output_times.size == 193
    sink = TrackFile(tmp_path / "t.nc", rows, 193)
    run_engine("fast", req, tracks=sink)
    went_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    sink.close()
    assert held_peak > tracks
    assert went_peak < tracks / 2 and went_peak < held_peak - 0.75 * tracks


def test_a_checkpointed_run_cannot_hand_its_tracks_away(tmp_path):
    from marinenet.engine.checkpoint import Checkpoint

    req = _request()
    sink = TrackFile(tmp_path / "t.nc", 400, req.output_times.size)
    with pytest.raises(ValueError, match="checkpointed"):
        run_engine("fast", req, checkpoint=Checkpoint(tmp_path / "ckpt", every=1), tracks=sink)
    sink.close()


def _tracks(rng, n=3000, n_obs=9) -> xr.Dataset:
    lon, lat = rng.uniform(-6, 6, (n, n_obs)), rng.uniform(36, 44, (n, n_obs))
    lon[rng.random((n, n_obs)) < 0.3] = np.nan
    lon[:5] = 6.0  # on the last edge: counted in the last bin by numpy
    times = START + np.arange(n_obs) * np.timedelta64(1, "D")
    return xr.Dataset(
        {"lon": (("trajectory", "time"), lon), "lat": (("trajectory", "time"), lat)}, coords={"time": times}
    )


@pytest.mark.parametrize("exclude", [False, True], ids=["all", "outside a polygon"])
def test_density_counts_in_blocks_are_the_histogram_of_every_position(exclude):
    """Blocks of ~100 positions give numpy's histogram of all positions but the last output (one call)."""
    import shapely

    tr = _tracks(np.random.default_rng(1))
    poly = shapely.Polygon([(-2, 38), (3, 38), (3, 42), (-2, 42)]) if exclude else None
    box = ((-6.0, 6.0), (36.0, 44.0))
    h, xe, ye = maps.position_histogram(tr, 40, box, poly, block=100)
    lon, lat = tr["lon"].values[:, :-1].ravel(), tr["lat"].values[:, :-1].ravel()
    ok = np.isfinite(lon)
    if exclude:
        ok &= ~((lon > -2) & (lon < 3) & (lat > 38) & (lat < 42))  # inside: strictly within the box
    want, wx, wy = np.histogram2d(lon[ok], lat[ok], bins=40, range=[[-6, 6], [36, 44]])
    np.testing.assert_array_equal(h, want)
    np.testing.assert_array_equal(xe, wx)
    np.testing.assert_array_equal(ye, wy)
    assert h.sum() == ok.sum() > 0


def test_no_tracks_written_as_the_run_goes_still_make_a_file(tmp_path):
    """simulation.trajectories: none: a file with the time axis and no track."""
    req = _request(keep=np.array([], dtype=np.int64))
    sink = TrackFile(tmp_path / "t.nc", 0, req.output_times.size)
    traj: Trajectories = run_engine("fast", req, tracks=sink)
    write_trajectories(tmp_path / "t.nc", traj, _source(400), traj.release_time, ATTRS)
    ds = xr.load_dataset(tmp_path / "t.nc")
    assert ds.sizes["trajectory"] == 0 and ds.sizes["time"] == req.output_times.size


def test_a_run_writes_its_tracks_as_it_goes_and_the_file_is_that_of_a_run_holding_them(tmp_path):
    """marinenet.run on the fast engine: the tracks go to trajectories.nc during tracking (the result holds
    none); a checkpointed run of the same scenario holds them to the end: the same file, value for value."""
    from marinenet import run, scenario_from_dict

    base = {
        "name": "w", "seed": 4, "ocean": {"source": "demo"}, "zones": {"eez": {"source": "demo"}},
        "release": {"from": {"layer": "eez"}, "particles": 300, "start": "2021-03-01T00:00"},
        "simulation": {"duration": "2 days", "output_every": "12 hours", "engine": "fast",
                       "trajectories": 120},
    }  # fmt: skip
    went = run(scenario_from_dict(base), out=tmp_path / "went", maps=False)
    held_sc = {**base, "simulation": {**base["simulation"], "checkpoint_every": "1 day"}}
    held = run(scenario_from_dict(held_sc), out=tmp_path / "held", maps=False)
    assert went.tracks.lon is None and went.tracks.stored == 120
    assert held.tracks.lon is not None and held.tracks.lon.shape == (120, 5)
    a, b = (xr.load_dataset(r.out_dir / "trajectories.nc") for r in (held, went))
    assert sorted(a.variables) == sorted(b.variables) and a.sizes == b.sizes
    for name in a.variables:
        np.testing.assert_array_equal(a[name].values, b[name].values, err_msg=name)
    np.testing.assert_array_equal(b["lon"].values, held.tracks.lon.astype(np.float32))
