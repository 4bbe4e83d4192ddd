"""Backward tracking (issue 18 item 1): a backward run retraces a forward run; upstream connectivity.

Expectations from outside the code: a steady solid-body rotation carries a particle on a circle,
so a forward run followed by a backward run from its end points returns to the start (RK4 error
only, far below 1e-3°); in a uniform eastward flow equal-area boxes overlap by a closed-form
fraction, the same forward A→B as backward B→A.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr
import yaml
from typer.testing import CliRunner

from marinenet.cli import app
from marinenet.engine import ENGINES
from marinenet.pipeline import run
from marinenet.scenario import load_scenario

from .conftest import DEG2M, write_boxes, write_cf_currents

START = "2021-01-05T00:00"
OMEGA = 2 * np.pi / (20 * 86400.0)  # one turn in 20 days (at most 2.3 m/s on the grid)


def _days(first: str, n: int) -> np.ndarray:
    return np.datetime64(first) + np.arange(n) * np.timedelta64(1, "D")


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    d = tmp_path_factory.mktemp("backward")
    grid = np.arange(-4.0, 4.01, 0.1)
    # solid-body rotation about (0, 0) in metres: u = -ω·y, v = ω·x (non-divergent), steady over 10 days
    write_cf_currents(d / "rotation.nc", grid, grid, _days("2021-01-01", 11),
                      lambda X, Y: -OMEGA * Y * DEG2M, lambda X, Y: OMEGA * X * DEG2M)  # fmt: skip
    lon = np.arange(-1.0, 6.01, 0.1)
    lat = np.arange(-1.0, 2.01, 0.1)
    write_cf_currents(d / "uniform.nc", lon, lat, _days("2021-01-01", 11),
                      lambda X, Y: np.full(X.shape, 0.2), lambda X, Y: np.zeros(X.shape))  # fmt: skip
    write_boxes(d / "boxes.geojson", {"A": (0.0, 0.0, 1.0, 1.0), "B": (1.5, 0.0, 2.5, 1.0)})
    return d


def _write(d: Path, name: str, body: dict) -> Path:
    path = d / f"{name}.yaml"
    path.write_text(yaml.safe_dump({"name": name, "output": str(d / f"out_{name}"), **body}))
    return path


POINTS = [[1.0, 0.0], [0.0, 2.0], [-1.5, -0.5]]


@pytest.mark.parametrize("engine", ENGINES)
def test_backward_from_the_end_of_a_forward_run_returns_to_the_start(folder, engine):
    sim = {"duration": "3 days", "dt": "1 hour", "output_every": "1 day", "engine": engine}
    fwd = _write(folder, f"fwd_{engine}", {
        "ocean": {"source": "rotation.nc"}, "simulation": sim,
        "release": {"from": {"points": POINTS}, "particles": 1, "start": "2021-01-02T00:00"},
    })  # fmt: skip
    fres = run(load_scenario(fwd), maps=False)
    f = fres.tracks
    assert np.all(np.hypot(f.end_lon - np.array(POINTS)[:, 0], f.end_lat - np.array(POINTS)[:, 1]) > 0.5)
    ends = [[float(x), float(y)] for x, y in zip(f.end_lon, f.end_lat, strict=True)]
    bwd = _write(folder, f"bwd_{engine}", {
        "ocean": {"source": "rotation.nc"}, "simulation": {**sim, "direction": "backward"},
        "release": {"from": {"points": ends}, "particles": 1, "start": START},
    })  # fmt: skip
    res = run(load_scenario(bwd), maps=False)
    b = res.tracks
    np.testing.assert_allclose(b.end_lon, np.array(POINTS)[:, 0], atol=1e-3)
    np.testing.assert_allclose(b.end_lat, np.array(POINTS)[:, 1], atol=1e-3)
    # the tracks' dates run back from the release, and the forward track is retraced day by day
    assert b.times[0] == np.datetime64(START) and b.times[-1] == np.datetime64("2021-01-02T00:00")
    back, fwd_lon = (xr.open_dataset(r.out_dir / "trajectories.nc")["lon"].values for r in (res, fres))
    np.testing.assert_allclose(back[:, ::-1], fwd_lon, atol=1e-3)
    s = json.loads((res.out_dir / "summary.json").read_text())
    assert s["direction"] == "backward"
    tr = xr.open_dataset(res.out_dir / "trajectories.nc")
    assert tr["time"].values[0] > tr["time"].values[-1]


def _fractions(out: Path) -> dict[tuple[str, str], float]:
    t = pd.read_csv(out / "connectivity" / "boxes.csv")
    return {(s, d): f for s, d, f in zip(t["source"], t["destination"], t["fraction"], strict=True)}


@pytest.mark.parametrize("engine", ENGINES)
def test_backward_connectivity_is_the_transpose_of_forward_in_a_uniform_flow(folder, engine):
    """0.2 m/s east for 5.5 days shifts a box by D = 0.2·5.5·86400 / 111120 = 0.855°: A shifted east overlaps
    B (1.5-2.5°E) by D - 0.5 and itself by 1 - D; backward, B shifted west overlaps A and B by the same."""
    shift = 0.2 * 5.5 * 86400 / DEG2M  # the 1/cos(latitude) of 0-1°N changes it by < 2e-4
    overlap = shift + 1.0 - 1.5
    common = {
        "ocean": {"source": "uniform.nc"}, "zones": {"boxes": {"path": "boxes.geojson", "id": "name"}},
        "seed": 5,
    }  # fmt: skip
    sim = {"duration": "5.5 days", "dt": "1 hour", "output_every": "1 day", "engine": engine}
    runs, outs = {}, {}
    for direction, start, zone in (
        ("forward", "2021-01-02T00:00", "A"),
        ("backward", "2021-01-08T00:00", "B"),
    ):
        path = _write(folder, f"{direction}_{engine}", {**common,
            "release": {"from": {"layer": "boxes", "ids": [zone]}, "particles": 400, "start": start},
            "simulation": {**sim, "direction": direction}})  # fmt: skip
        outs[direction] = run(load_scenario(path), maps=False).out_dir
        runs[direction] = _fractions(outs[direction])
    fwd, bwd = runs["forward"], runs["backward"]
    # (seeded draws of 400 particles: binomial sd 0.025 per fraction)
    assert abs(fwd[("A", "B")] - overlap) < 0.08 and abs(bwd[("B", "A")] - overlap) < 0.08
    assert abs(fwd[("A", "B")] - bwd[("B", "A")]) < 0.1
    assert abs(fwd[("A", "A")] - (1 - shift)) < 0.08 and abs(bwd[("B", "B")] - (1 - shift)) < 0.08
    assert {s for s, _ in fwd} == {"A"} and {s for s, _ in bwd} == {
        "B"
    }  # rows: where particles were released


def _cli(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.mark.parametrize(
    "behaviour, key",
    [
        ({"kind": "larva", "pld": "3 days"}, "'behaviour.kind: larva'"),
        ({"kind": "larva", "pld": "3 days", "mortality": "0.1 per day"}, "mortality"),
        ({"kind": "swimmer", "speed": 0.1, "target": {"point": [0, 0]}}, "'behaviour.kind: swimmer'"),
        ({"kernels": ["my_kernels:K"]}, "behaviour.kernels"),
    ],
)
def test_backward_refuses_behaviours_that_are_not_time_reversible(folder, behaviour, key):
    path = _write(folder, "refused", {
        "ocean": {"source": "rotation.nc"}, "behaviour": behaviour,
        "simulation": {"duration": "2 days", "direction": "backward"},
        "release": {"from": {"points": POINTS}, "particles": 1, "start": START},
    })  # fmt: skip
    res = _cli("validate", path)
    assert res.exit_code == 2, res.output
    text = " ".join(res.output.split())
    assert "simulation.direction: backward" in text and key in text and "Traceback" not in text


def test_backward_needs_the_forcing_before_the_release(folder):
    path = _write(folder, "early", {
        "ocean": {"source": "rotation.nc"}, "simulation": {"duration": "6 days", "direction": "backward"},
        "release": {"from": {"points": POINTS}, "particles": 1, "start": "2021-01-04T00:00"},
    })  # fmt: skip
    res = _cli("validate", path)
    assert res.exit_code == 2, res.output
    text = " ".join(res.output.split())
    assert "rotation.nc" in text and "2020-12-29" in text
    assert "[release.start - simulation.duration, release.start]" in text


@pytest.mark.parametrize("engine", ENGINES)
def test_backward_diffusion_is_a_random_walk_of_the_same_variance(folder, engine):
    """Still water, Kh = 50 m²/s, 1 day back: displacements N(0, 2·Kh·T) m in each direction (sd 2939 m)."""
    from marinenet.engine import run_engine
    from marinenet.pipeline import engine_request
    from marinenet.prepare import prepare

    write_cf_currents(folder / "still.nc", np.arange(-2.0, 2.01, 0.1), np.arange(-2.0, 2.01, 0.1),
                      _days("2021-01-01", 4), lambda X, Y: np.zeros(X.shape), lambda X, Y: np.zeros(X.shape))  # fmt: skip
    path = _write(folder, f"walk_{engine}", {
        "ocean": {"source": "still.nc"}, "behaviour": {"diffusion": 50}, "seed": 4,
        "simulation": {"duration": "1 day", "dt": "1 hour", "direction": "backward", "engine": engine},
        "release": {"from": {"points": [[0.0, 0.0]]}, "particles": 2000, "start": "2021-01-03T00:00"},
    })  # fmt: skip
    tr = run_engine(engine, engine_request(prepare(load_scenario(path))))
    metres = np.concatenate([tr.end_lon * DEG2M, tr.end_lat * DEG2M])
    sd = np.sqrt(2 * 50 * 86400.0)
    assert abs(metres.std() / sd - 1) < 0.05  # 4000 draws: the sample sd is within 5 % (3.2 standard errors)
    assert abs(metres.mean()) < 4 * sd / np.sqrt(metres.size)


def test_each_release_date_is_tracked_back_from_its_own_date(folder):
    """Uniform 0.2 m/s east, releases on the 6th and the 8th, each tracked back 2 days: both end
    0.311° west of the point, and their tracks end 2 days before their own release."""
    from marinenet.engine import run_engine
    from marinenet.pipeline import engine_request
    from marinenet.prepare import prepare

    path = _write(folder, "two_dates", {
        "ocean": {"source": "uniform.nc"},
        "simulation": {"duration": "2 days", "dt": "1 hour", "direction": "backward", "engine": "fast"},
        "release": {"from": {"points": [[3.0, 0.5]]}, "particles": 1, "start": "2021-01-06T00:00",
                    "dates": ["2021-01-08T00:00"]},
    })  # fmt: skip
    prep = prepare(load_scenario(path))
    tr = run_engine("fast", engine_request(prep))
    from marinenet.backward import restore

    tr = restore(tr, prep.pivot)
    west = 0.2 * 2 * 86400 / (DEG2M * np.cos(np.deg2rad(0.5)))
    np.testing.assert_allclose(tr.end_lon, 3.0 - west, atol=1e-9)
    np.testing.assert_array_equal(tr.release_time, np.array(["2021-01-06", "2021-01-08"], "datetime64[ns]"))
    np.testing.assert_array_equal(tr.end_time, np.array(["2021-01-04", "2021-01-06"], "datetime64[ns]"))


def test_a_backward_report_leaves_out_the_forward_zone_indices(folder):
    """Import dependency, local retention and stepping stones say where particles went: read on a
    backward (upstream) matrix they would mislead, so the findings of a backward run leave them out and
    keep the upstream sentences."""
    from marinenet.report.build import RunFiles
    from marinenet.report.findings import make_findings

    path = _write(folder, "backward_words", {
        "ocean": {"source": "uniform.nc"}, "zones": {"boxes": {"path": "boxes.geojson", "id": "name"}},
        "release": {"from": {"layer": "boxes"}, "particles": 200, "start": "2021-01-08T00:00"},
        "simulation": {"duration": "5.5 days", "dt": "1 hour", "output_every": "1 day", "engine": "fast",
                       "direction": "backward"}, "seed": 5})  # fmt: skip
    res = CliRunner().invoke(app, ["run", str(path), "--no-maps"])
    assert res.exit_code == 0, res.output
    text = " ".join(make_findings(RunFiles.read(folder / "out_backward_words")).texts())
    assert "came from" in text
    assert "Import dependency" not in text and "Local retention" not in text and "betweenness" not in text
