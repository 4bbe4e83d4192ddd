"""validate ≡ run: every capability conflict (engine × behaviour × grid × workers) is refused by both,
with the same message and exit code 2, before any tracking, without a traceback."""

from __future__ import annotations

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from marinenet.cli import app

from .conftest import write_cf_currents

T0 = np.datetime64("2021-01-01")


def _invoke(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def _currents(d, lon, lat, n_days=4):
    times = np.array([T0 + np.timedelta64(k, "D") for k in range(n_days)])
    still = lambda X, Y: np.zeros(X.shape)  # noqa: E731
    return write_cf_currents(d / "c.nc", lon, lat, times, still, still)


def _scenario(d, **over) -> str:
    sc = {
        "name": "cap",
        "ocean": {"source": "c.nc"},
        "release": {"from": {"points": [[1.0, 1.0]]}, "particles": 2, "start": "2021-01-01T00:00"},
        "simulation": {"duration": "1 day"},
        "output": "out",
        **over,
    }
    (d / "s.yaml").write_text(yaml.safe_dump(sc))
    return str(d / "s.yaml")


def _message(res) -> str:
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output and res.exception is None or isinstance(res.exception, SystemExit)
    line = next(x for x in res.output.splitlines() if x.startswith("error:"))
    return " ".join(res.output[res.output.index(line) :].split())  # the whole message, unwrapped


def _refused_alike(d, *extra) -> str:
    f = _scenario(d) if not (d / "s.yaml").exists() else str(d / "s.yaml")
    said = _message(_invoke("validate", f, *extra))
    ran = _message(_invoke("run", f, "--no-maps", "-q", *extra))
    assert said == ran
    assert not (d / "out").exists() and not list(d.glob(".out*"))  # nothing written, nothing left
    return said


def test_swimmers_on_a_global_grid_with_parcels_are_refused_by_validate_and_run(tmp_path):
    """Parcels cannot track swimmers on a zonally periodic grid (before: a ValueError with a traceback,
    exit 1, once tracking had started; validate said ok)."""
    _currents(tmp_path, np.arange(0, 360, 5.0), np.arange(-80, 80.1, 5.0), n_days=12)
    behaviour = {"kind": "swimmer", "speed": 0.5, "target": {"point": [10.0, 70.0]}}
    # ten days from 75°N can reach every longitude: the whole (periodic) circle is loaded
    release = {"from": {"points": [[20.0, 75.0]]}, "particles": 2, "start": "2021-01-01T00:00"}
    sim = {"duration": "10 days", "engine": "parcels"}
    _scenario(tmp_path, behaviour=behaviour, simulation=sim, release=release)
    said = _refused_alike(tmp_path)
    assert "swimmers on a zonally periodic global grid are not supported on the Parcels engine" in said


def test_workers_with_the_parcels_engine_are_refused_by_validate_and_run(tmp_path):
    """Before: --workers was silently ignored when the run used Parcels."""
    _currents(tmp_path, np.arange(0, 5.01, 0.5), np.arange(0, 5.01, 0.5))
    _scenario(tmp_path, simulation={"duration": "1 day", "engine": "parcels"})
    said = _refused_alike(tmp_path, "--workers", "2")
    assert "--workers/--scheduler track particle batches with the fast engine" in said
    assert "parcels engine (requested in the scenario)" in said


def test_custom_kernels_on_the_fast_engine_validate_and_run_agree(tmp_path):
    """Before: validate said ok, run raised a ValueError with a traceback and exit code 1. Whatever the
    engines support, validate and run now give the same answer."""
    _currents(tmp_path, np.arange(0, 5.01, 0.5), np.arange(0, 5.01, 0.5))
    f = _scenario(
        tmp_path,
        behaviour={"kernels": ["tests.custom_kernels:NorthwardSwim"]},
        simulation={"duration": "1 day", "engine": "fast"},
    )
    said = _invoke("validate", f)
    ran = _invoke("run", f, "--no-maps", "-q")
    assert said.exit_code == ran.exit_code and said.exit_code in (0, 2), (said.output, ran.output)
    assert "Traceback" not in said.output + ran.output
    if said.exit_code == 2:
        assert _message(said) == _message(ran)
        assert "fast cannot run this scenario" in _message(said) and "engine: parcels" in _message(said)


@pytest.mark.parametrize("workers", ["0", "-3"])
def test_bad_worker_counts_are_refused_alike(tmp_path, workers):
    _currents(tmp_path, np.arange(0, 5.01, 0.5), np.arange(0, 5.01, 0.5))
    said = _refused_alike(tmp_path, "--workers", workers)
    assert f"--workers must be at least 1, got {workers}" in said


def test_checkpoints_on_parcels_are_a_note_of_validate_and_run(tmp_path):
    _currents(tmp_path, np.arange(0, 5.01, 0.5), np.arange(0, 5.01, 0.5))
    sim = {"duration": "1 day", "engine": "parcels", "output_every": "6 hours", "checkpoint_every": "12 hours"}
    f = _scenario(tmp_path, simulation=sim)
    note = "checkpoint_every is ignored: checkpoints need the fast engine (this run uses parcels)"
    said = _invoke("validate", f)
    assert said.exit_code == 0 and note in " ".join(said.output.split())
    ran = _invoke("run", f, "--no-maps", "-q")
    assert ran.exit_code == 0, ran.output
    assert note in (tmp_path / "out" / "run.log").read_text()
