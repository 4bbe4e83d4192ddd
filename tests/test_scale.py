"""Long runs: streamed analytics, stored-track subsets, checkpoint/resume after ``kill -9``."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr
import yaml

REPO = Path(__file__).resolve().parents[1]


def _scenario(tmp_path: Path, name: str, **sim) -> Path:
    sc = yaml.safe_load((REPO / "scenarios" / "demo.yaml").read_text())
    sc["release"]["particles"] = sim.pop("particles", 2000)
    sc["simulation"].update({"duration": "10 days", "output_every": "12 hours", **sim})
    sc["behaviour"] = {"diffusion": 20.0}  # random draws must survive the interruption too
    sc["output"] = str(tmp_path / name)
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(sc))
    return path


def _cli(*args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "marinenet.cli", *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **kw
    )


def _tables(out: Path) -> dict[str, pd.DataFrame]:
    return {str(p.relative_to(out)): pd.read_csv(p) for p in sorted(out.rglob("*.csv"))}


def test_subsampled_tracks_leave_the_analyses_unchanged(tmp_path):
    """Analyses are streamed over every particle: storing 50 tracks instead of all changes no table."""
    from marinenet import load_scenario, run

    full = run(load_scenario(_scenario(tmp_path, "full")), maps=False)
    sub = run(load_scenario(_scenario(tmp_path, "sub", trajectories=50)), maps=False)
    none = run(load_scenario(_scenario(tmp_path, "none", trajectories="none")), maps=False)
    a, b, c = _tables(full.out_dir), _tables(sub.out_dir), _tables(none.out_dir)
    assert a.keys() == b.keys() == c.keys() and len(a) > 5
    for key in a:
        pd.testing.assert_frame_equal(a[key], b[key], check_exact=False, rtol=1e-6)
        pd.testing.assert_frame_equal(a[key], c[key], check_exact=False, rtol=1e-6)
    tf = xr.open_dataset(full.out_dir / "trajectories.nc")
    ts = xr.open_dataset(sub.out_dir / "trajectories.nc")
    assert tf.sizes["trajectory"] == 2000 and ts.sizes["trajectory"] == 50
    ids = ts["trajectory"].values
    np.testing.assert_array_equal(ts["lon"].values, tf["lon"].values[ids])  # the same particles' tracks
    np.testing.assert_array_equal(ts["status"].values, tf["status"].values[ids])
    assert xr.open_dataset(none.out_dir / "trajectories.nc").sizes["trajectory"] == 0


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_resume_after_kill_9_gives_the_uninterrupted_outputs(tmp_path):
    sim = {
        "particles": 10000,
        "duration": "20 days",
        "output_every": "6 hours",
        "checkpoint_every": "6 hours",
    }
    ref = _cli("run", str(_scenario(tmp_path, "ref", **sim)), "--quiet", "--no-maps")
    assert ref.wait(timeout=600) == 0, ref.stdout.read().decode()

    proc = _cli("run", str(_scenario(tmp_path, "cut", **sim)), "--quiet", "--no-maps")
    state = tmp_path / ".cut.checkpoint" / "state.npz"
    deadline = time.time() + 300
    seen = 0
    while time.time() < deadline and proc.poll() is None:
        if state.exists():
            with np.load(state) as z:
                seen = int(z["k"])
            if seen >= 10:
                break
        time.sleep(0.2)
    assert proc.poll() is None, "the run finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    out = tmp_path / "cut"
    assert not (out / "summary.json").exists()  # nothing that looks complete was left
    res = _cli("run", "--resume", str(out), "--quiet", "--no-maps")
    assert res.wait(timeout=600) == 0, res.stdout.read().decode()
    assert not (tmp_path / ".cut.checkpoint").exists()  # cleaned up after success
    assert "resuming from the checkpoint" in (out / "run.log").read_text()

    a, b = xr.open_dataset(tmp_path / "ref" / "trajectories.nc"), xr.open_dataset(out / "trajectories.nc")
    for var in ("lon", "lat", "status", "end_lon", "end_lat", "end_time", "time"):
        np.testing.assert_array_equal(a[var].values, b[var].values)
    ta, tb = _tables(tmp_path / "ref"), _tables(out)
    assert ta.keys() == tb.keys()
    for key in ta:
        pd.testing.assert_frame_equal(ta[key], tb[key])
    sa = json.loads((tmp_path / "ref" / "summary.json").read_text())
    sb = json.loads((out / "summary.json").read_text())
    for key in ("active_at_end", "stranded", "out_of_domain", "particle_steps"):
        assert sa[key] == sb[key]


@pytest.fixture(scope="module")
def dask_client():
    pytest.importorskip("distributed")
    from marinenet.engine.distributed import client_for

    with client_for(workers=2) as client:
        yield client


def test_batches_on_dask_equal_one_process(dask_client):
    """Particles tracked in 4 batches on 2 dask workers: identical to one process, diffusion included."""
    from marinenet.engine import EngineRequest, run_engine
    from marinenet.engine.distributed import run_batches

    from .test_engine_equivalence import START, _case

    ocean = _case("coast")
    rng = np.random.default_rng(3)
    n = 1000
    req = EngineRequest(
        ocean, rng.uniform(-2, 1, n), rng.uniform(36, 40, n), START, 48 * 3600.0, 3600.0, 6 * 3600.0,
        seed=11, diffusion=50.0,
    )  # fmt: skip
    one = run_engine("fast", req)
    many = run_batches(req, dask_client, batch_size=250)
    for name in ("lon", "lat", "status", "end_lon", "end_lat", "end_time"):
        np.testing.assert_array_equal(getattr(many, name), getattr(one, name))
    assert np.any(one.status == 1) and np.nanstd(one.end_lon) > 0  # strandings and spread: not vacuous


def test_ensemble_members_on_dask_equal_serial(tmp_path, dask_client):
    from marinenet import load_scenario
    from marinenet.ensemble import run_ensemble

    sc = load_scenario(_scenario(tmp_path, "ens", particles=300, duration="3 days"))
    starts = ["2021-03-01", "2021-06-01"]
    serial = run_ensemble(sc, starts, tmp_path / "serial")
    dist = run_ensemble(sc, starts, tmp_path / "dist", client=dask_client)
    assert serial.keys() == dist.keys()
    for layer in serial:
        pd.testing.assert_frame_equal(serial[layer], dist[layer])


def test_run_on_dask_streams_on_workers_and_equals_one_process(tmp_path, dask_client, monkeypatch):
    """A whole run with a release season, 40 stored tracks and diffusion: the same tables and tracks
    whether its particles are tracked in one process or in batches whose analytics stream on workers."""
    from marinenet import load_scenario, run
    from marinenet.engine import distributed

    def scenario(name):
        path = _scenario(tmp_path, name, particles=1500, duration="4 days", trajectories=40)
        sc = yaml.safe_load(path.read_text())
        sc["release"].update({"every": "1 day", "until": "2021-03-03T00:00"})  # 3 events
        path.write_text(yaml.safe_dump(sc))
        return load_scenario(path)

    one = run(scenario("one"), maps=False)
    monkeypatch.setattr(distributed, "BATCH_SIZE", 400)  # several batches for 3 × 1500 particles
    many = run(scenario("many"), maps=False, client=dask_client)
    assert "batches" in " ".join(json.loads((many.out_dir / "summary.json").read_text())["engine_notes"])
    a, b = _tables(one.out_dir), _tables(many.out_dir)
    assert a.keys() == b.keys()
    for key in a:
        pd.testing.assert_frame_equal(a[key], b[key])
    ta, tb = (
        xr.open_dataset(one.out_dir / "trajectories.nc"),
        xr.open_dataset(many.out_dir / "trajectories.nc"),
    )
    assert ta.sizes["trajectory"] == tb.sizes["trajectory"] == 40
    for var in ("trajectory", "lon", "lat", "status", "release_time"):
        np.testing.assert_array_equal(ta[var].values, tb[var].values)
