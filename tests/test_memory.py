"""The memory a run needs is said before the work starts; a subset that cannot fit is refused."""

import tempfile
from pathlib import Path

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from marinenet import memory
from marinenet.cli import app
from marinenet.errors import InputDataError
from marinenet.ocean.reader import open_currents

from .test_ocean_layouts import _small_cmems


def test_run_estimate_adds_the_parts_of_the_peak(monkeypatch):
    monkeypatch.setattr(memory, "available_bytes", lambda: 10**12)
    monkeypatch.setattr(memory, "resident_bytes", lambda: 300e6)
    est = memory.run_estimate(1e6, 10**6, "fast", [3, 4], 1000, 11, maps=False)
    p = est.parts
    assert p["forcing held by the engine"] == 1e6  # a small forcing: the window holds all of it
    # per layer 8 bytes per particle, and a 48-byte cell per zone visited (taken as 2 per layer)
    assert p["streamed analytics"] == 10**6 * (8 * 2 + 48 * 4)
    assert p["stored tracks"] == 1000 * 11 * 16  # lon, lat float64 per stored position
    assert p["report"] == 0
    assert est.peak == 300e6 + 1e6 + 208e6 + 176000 + max(p["tracking"], p["analyses"])
    parcels = memory.run_estimate(1e9, 10**6, "parcels", [], 0, 11, forcing_slices=2).parts
    assert parcels["forcing held by the engine"] == 3e9  # float64 u, v and land mask of both slices
    fast = memory.run_estimate(365e9, 10**6, "fast", [], 0, 11, forcing_slices=365).parts
    assert fast["forcing held by the engine"] == 12e9 + 64e6  # 12 slices of 1 GB and a chunk being read


def test_a_run_that_cannot_fit_is_refused_with_advice(monkeypatch):
    monkeypatch.setattr(memory, "available_bytes", lambda: 2 * 10**9)
    monkeypatch.setattr(memory, "resident_bytes", lambda: 300e6)
    with pytest.raises(InputDataError, match="simulation.trajectories: 1000") as exc:  # tracks dominate
        memory.run_estimate(0, 10**6, "fast", [5], 10**6, 500)
    assert "Nothing was tracked" in str(exc.value) and "2.0 GB free" in str(exc.value)
    with pytest.raises(InputDataError, match="--workers"):  # tracking dominates
        memory.run_estimate(0, 10**7, "parcels", [1], 0, 5, maps=False)


def test_currents_that_cannot_fit_are_refused_before_loading(tmp_path, monkeypatch):
    path = _small_cmems(tmp_path / "c.nc")
    t0 = np.datetime64("2021-01-01")
    monkeypatch.setattr(memory, "available_bytes", lambda: 100)  # 100 bytes free
    with pytest.raises(InputDataError, match=r"need .* in memory, more than this machine has free \(100 B\)"):
        open_currents(str(path), None, t0, t0 + np.timedelta64(2, "D"))
    monkeypatch.setattr(memory, "available_bytes", lambda: None)  # unknown: no check
    assert open_currents(str(path), None, t0, t0 + np.timedelta64(2, "D"))["u"].size > 0


def test_cli_refuses_with_exit_code_2_and_writes_nothing(tmp_path, monkeypatch):
    path = _small_cmems(tmp_path / "c.nc")
    sc = {
        "name": "m",
        "ocean": {"source": str(path)},
        "release": {"from": {"points": [[2.0, 2.0]]}, "particles": 1, "start": "2021-01-01T00:00"},
        "simulation": {"duration": "1 day"},
        "output": "out",
    }
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(sc))
    monkeypatch.setattr(memory, "available_bytes", lambda: 100)
    res = CliRunner().invoke(app, ["run", str(tmp_path / "s.yaml"), "--quiet", "--no-maps"])
    assert res.exit_code == 2 and "more than this machine has free" in res.output
    assert not (tmp_path / "out").exists()


def _scenario_file(tmp_path, **over):
    sc = {
        "name": "m",
        "ocean": {"source": "demo"},
        "release": {"from": {"points": [[2.0, 2.0]]}, "particles": 1, "start": "2021-03-01T00:00"},
        "simulation": {"duration": "1 day"},
        "output": "out",
    }
    for key, value in over.items():
        sc[key] = {**sc.get(key, {}), **value}
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(sc))
    return tmp_path / "s.yaml"


def test_a_billion_particles_are_refused_before_anything_is_loaded(tmp_path, monkeypatch):
    """Before: 30-40 s of work, 6.3 GB, then a MemoryError traceback."""
    import time

    monkeypatch.setattr(memory, "available_bytes", lambda: 24 * 2**30)
    f = _scenario_file(tmp_path, release={"particles": 10**9})
    t0 = time.perf_counter()
    res = CliRunner().invoke(app, ["run", str(f), "--quiet", "--no-maps"])
    assert res.exit_code == 2, res.output
    assert "1,000,000,000 particles need at least" in res.output and "Traceback" not in res.output
    assert time.perf_counter() - t0 < 20 and not (tmp_path / "out").exists()
    assert CliRunner().invoke(app, ["validate", str(f)]).exit_code == 2


def test_a_time_step_that_would_never_finish_is_refused(tmp_path):
    f = _scenario_file(tmp_path, simulation={"dt": "0.000001 seconds", "output_every": "1 day"})
    res = CliRunner().invoke(app, ["run", str(f), "--quiet", "--no-maps"])
    assert res.exit_code == 2, res.output
    assert "time steps per particle" in res.output or "dt" in res.output
    assert "Traceback" not in res.output and not (tmp_path / "out").exists()


def test_a_run_too_big_for_memory_is_refused_before_tracking(tmp_path, monkeypatch):
    monkeypatch.setattr(memory, "STREAM_BYTES_PER_CELL", 10**15)  # as if zone visits were huge
    rel = {"particles": 50, "from": {"layer": "eez"}}
    f = _scenario_file(tmp_path, zones={"eez": {"source": "demo"}}, release=rel)
    res = CliRunner().invoke(app, ["run", str(f), "--quiet", "--no-maps"])
    assert res.exit_code == 2, res.output
    assert "Nothing was tracked" in res.output and "zone layers" in res.output
    assert not (tmp_path / "out").exists() and [p.name for p in tmp_path.iterdir()] == ["s.yaml"]


def test_trajectories_are_written_in_blocks_with_the_same_content(tmp_path, monkeypatch):
    """The streamed writer gives what xarray writes from the whole Dataset, with memory bounded by its block."""
    import tracemalloc

    import xarray as xr

    from marinenet import outputs
    from marinenet.engine.base import Trajectories

    rng = np.random.default_rng(0)
    n, n_obs, total = 20000, 11, 40000
    lon = rng.random((n, n_obs))
    lon[rng.random((n, n_obs)) < 0.2] = np.nan
    times = (np.datetime64("2021-01-01") + np.arange(n_obs) * np.timedelta64(86400, "s")).astype("M8[ns]")
    traj = Trajectories(
        times=times, lon=lon, lat=lon * 2, status=rng.integers(0, 4, total).astype(np.int8),
        end_lon=rng.random(total), end_lat=rng.random(total),
        end_time=(times[3] + rng.integers(0, 100, total) * np.timedelta64(3600, "s")).astype("M8[ns]"),
        engine="fast", particle_steps=1, engine_seconds=1.0, weight=rng.random(total),
        coast_contacts=rng.integers(0, 5, total), kept=np.arange(0, total, 2),
    )  # fmt: skip
    source = np.array([f"Z{i % 7}" for i in range(total)], dtype=object)
    attrs = {"title": "t", "synthetic": 1, "seed": 3}
    outputs.trajectories_dataset(traj, source, times[0], attrs).to_netcdf(tmp_path / "whole.nc")
    monkeypatch.setattr(outputs, "_ROWS_VALUES", 2**14)  # blocks of ~1500 tracks
    tracemalloc.start()
    outputs.write_trajectories(tmp_path / "blocks.nc", traj, source, times[0], attrs)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < lon.nbytes / 4  # the whole-Dataset path copies the (trajectory, obs) arrays
    a, b = xr.load_dataset(tmp_path / "whole.nc"), xr.load_dataset(tmp_path / "blocks.nc")
    assert a.attrs == b.attrs and sorted(a.variables) == sorted(b.variables)
    for name in a.variables:
        assert a[name].dtype == b[name].dtype and str(a[name].attrs) == str(b[name].attrs), name
        np.testing.assert_array_equal(a[name].values, b[name].values)


def test_the_estimate_budgets_zone_pairs_not_particles_times_zones(monkeypatch):
    """Issue 16 item 3: the streamed analytics hold only the zones a particle visits (not particles ×
    zones), so 20,000 zones cost what 300 do there. With every (source, destination) pair tabled
    (``all_pairs_limit`` None or above 4·10^8) a 20,000-zone layer releasing everywhere (4·10^8 rows, each
    well over 20 bytes even as CSV text) cannot fit in 24 GiB and is refused before tracking; with the
    default limit (10^6 pairs) its matrices hold the non-zero pairs only (at most one per particle) and the
    run is accepted, while 300 zones (9·10^4 pairs, every pair) cost the same either way."""
    monkeypatch.setattr(memory, "available_bytes", lambda: 24 * 2**30)
    monkeypatch.setattr(memory, "resident_bytes", lambda: 0)
    few = memory.run_estimate(0, 10**6, "fast", [301], stored=0, outputs=30, maps=False)
    with pytest.raises(InputDataError, match="Nothing was tracked"):
        memory.run_estimate(0, 10**6, "fast", [20001], stored=0, outputs=30, maps=False)
    many = memory.run_estimate(0, 10**6, "fast", [20001], stored=0, outputs=30, maps=False, refuse=False)
    assert many.parts["streamed analytics"] == few.parts["streamed analytics"] < 0.5e9
    assert many.parts["analyses"] > 20 * 20001 * 20001
    assert few.parts["analyses"] < 2e9
    limit = {"all_pairs_limit": 10**6}
    sparse = memory.run_estimate(0, 10**6, "fast", [20001], stored=0, outputs=30, maps=False, **limit)
    assert sparse.parts["analyses"] < 2e9  # 10^6 non-zero pairs at most, not 4·10^8
    assert memory.run_estimate(0, 10**6, "fast", [301], stored=0, outputs=30, maps=False, **limit) == few
    with pytest.raises(InputDataError, match="Nothing was tracked"):
        memory.run_estimate(
            0, 10**6, "fast", [20001], stored=0, outputs=30, maps=False, all_pairs_limit=5 * 10**8
        )


def test_tracks_written_as_the_run_goes_are_not_held_and_the_report_reads_what_the_estimate_says(tmp_path):
    """The estimate's parts for tracks, in closed form: none held when the engine writes them as it runs
    (only one output time's columns); the report reads back per stored track exactly the bytes xarray
    loads from trajectories.nc (float32 lon, lat per output time; number, times, status, last position,
    coast contacts, and the release label as fixed-width text of 4 bytes per character)."""
    import xarray as xr

    from marinenet.engine.base import Trajectories
    from marinenet.outputs import write_trajectories

    n, n_obs, label = 500, 31, "Estrel Rise"
    rng = np.random.default_rng(0)
    times = (np.datetime64("2021-03-01") + np.arange(n_obs) * np.timedelta64(1, "D")).astype("M8[ns]")
    lon = rng.random((n, n_obs))
    traj = Trajectories(
        times=times, lon=lon, lat=lon, status=np.zeros(n, np.int8), end_lon=lon[:, -1], end_lat=lon[:, -1],
        end_time=np.full(n, times[-1]), engine="fast", particle_steps=1, engine_seconds=1.0,
        coast_contacts=np.zeros(n, np.int32), release_time=np.full(n, times[0]),
    )  # fmt: skip
    sources = np.array([label[: 1 + i % len(label)] for i in range(n)], dtype=object)
    write_trajectories(tmp_path / "t.nc", traj, sources, traj.release_time, {"title": "t"})
    ds = xr.load_dataset(tmp_path / "t.nc")
    loaded = sum(ds[v].nbytes for v in ds.variables if v != "time")
    est = memory.run_estimate(
        0, n, "fast", [3], n, n_obs, tracks_written=True, label_chars=len(label), refuse=False
    ).parts
    assert est["stored tracks"] == 0
    assert est["report"] == memory.REPORT_BYTES + loaded
    assert est["tracking"] == n * (memory.ENGINE_BYTES["fast"] + memory.TRACK_WRITE_BYTES)
    held = memory.run_estimate(0, n, "fast", [3], n, n_obs, label_chars=len(label), refuse=False).parts
    assert held["stored tracks"] == n * n_obs * 2 * 8  # lon, lat float64 until the end of the run
    assert held["tracking"] == n * memory.ENGINE_BYTES["fast"]


def test_the_engine_writing_its_tracks_allocates_no_more_per_particle_than_the_estimate():
    """Python-traced allocations (numpy arrays) of a fast run writing its tracks, per added particle:
    within the estimate's tracking figure (engine state, end arrays, the columns being written)."""
    import tracemalloc

    from marinenet.engine import run_engine
    from marinenet.outputs import TrackFile

    from .test_track_file import _request

    run_engine("fast", _request(n=10, output_every=86400.0, season=False))  # compiled: not measured
    peak = {}
    for n in (2000, 12000):
        req = _request(n=n, output_every=86400.0, season=False)
        sink = TrackFile(Path(tempfile.mkdtemp()) / "t.nc", n, req.output_times.size)
        tracemalloc.start()
        run_engine("fast", req, tracks=sink)
        peak[n] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        sink.close()
    per_particle = (peak[12000] - peak[2000]) / 10000
    assert 24 < per_particle < memory.ENGINE_BYTES["fast"] + memory.TRACK_WRITE_BYTES  # 24: x, y, t at least
