"""The first run after an install (issue 16): the console says the fast engine compiles and about how
long it takes, the stepper compiles in a child process that fills numba's disk cache, the run waits
for it and loads it from there, with the same results as a run that compiled it itself."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from marinenet import warmup

from .bad_input import QUICK_BASE, assert_accepted, cli, mutated, write_yaml

REPO = Path(__file__).resolve().parents[1]
MESSAGE = re.compile(r"compiling the fast engine \(first run only, about \d+ s")


@pytest.fixture
def scenario(tmp_path):
    data = mutated(QUICK_BASE, {"name": "first", "simulation.engine": "fast", "seed": 3})
    return write_yaml(tmp_path / "s.yaml", data)


def _spy_on_warmups(monkeypatch) -> list:
    started = []
    real = warmup.start

    def spy(scenario):
        started.append(real(scenario))
        return started[-1]

    monkeypatch.setattr(warmup, "start", spy)
    return started


def test_a_stepper_not_in_the_disk_cache_is_compiled_by_a_child_and_announced(
    scenario, tmp_path, monkeypatch
):
    plain = cli("run", scenario, "--no-maps", "--out", tmp_path / "plain")
    assert_accepted(plain)
    started = _spy_on_warmups(monkeypatch)
    monkeypatch.setattr(warmup, "_in_disk_cache", lambda dispatcher: False)  # as on a first run
    first = cli("run", scenario, "--no-maps", "--out", tmp_path / "first")
    assert_accepted(first)
    assert MESSAGE.search(first.output), first.output
    (w,) = started
    assert w.child is not None and w.child.returncode == 0  # the child ran, and the run waited for it
    assert "fast engine" in w.done
    for table in ("connectivity/eez.csv", "arrivals/eez.csv", "exposure/eez.csv"):
        assert (tmp_path / "first" / table).read_bytes() == (tmp_path / "plain" / table).read_bytes()


def test_a_run_that_stops_early_leaves_no_compile_running(scenario, tmp_path, monkeypatch):
    started = _spy_on_warmups(monkeypatch)
    monkeypatch.setattr(warmup, "_in_disk_cache", lambda dispatcher: False)

    def refuse(*args, **kwargs):
        started[0].decided.wait(60)  # (the child has started)
        raise MemoryError("refused for the test")

    monkeypatch.setattr("marinenet.pipeline._estimate", refuse)
    res = cli("run", scenario, "--no-maps", "--out", tmp_path / "out")
    assert res.exit_code != 0
    (w,) = started
    assert w.child is not None and w.child.poll() is not None  # ended with the run


def test_the_disk_cache_check_tells_a_compiled_function_from_a_new_one(tmp_path, monkeypatch):
    (tmp_path / "fresh_kernel.py").write_text(
        "from numba import njit\n\n@njit(cache=True)\ndef twice(x):\n    return 2 * x\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    import fresh_kernel

    assert not warmup._in_disk_cache(fresh_kernel.twice)
    assert fresh_kernel.twice(2) == 4
    assert warmup._in_disk_cache(fresh_kernel.twice)


def test_warmup_command_names_what_it_prepared(scenario):
    res = cli("warmup", scenario)
    assert_accepted(res)
    assert "first: fast engine, zone lookup, analytics ready" in res.output


@pytest.mark.slow
def test_after_marinenet_warmup_with_empty_caches_the_first_run_compiles_nothing(scenario, tmp_path):
    """From the command line, on empty numba and kernel caches (about 30 s of compiling)."""
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "NUMBA_CACHE_DIR": str(tmp_path / "numba"),
        "MARINENET_KERNEL_DIR": str(tmp_path / "kernels"),
    }
    marinenet = [sys.executable, "-m", "marinenet.cli"]
    ahead = subprocess.run([*marinenet, "warmup", str(scenario)], env=env, capture_output=True, text=True)
    assert ahead.returncode == 0, ahead.stderr
    assert any((tmp_path / "kernels").glob("track_*.py"))  # the stepper's source, kept for the runs
    cmd = [*marinenet, "run", str(scenario), "--no-maps", "--out", str(tmp_path / "out")]
    run = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr
    assert not MESSAGE.search(run.stdout + run.stderr), run.stdout + run.stderr
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["compile_seconds"] < 5.0  # loaded from the disk cache (a compile takes ~30 s)


def _order_of_start(scenario_path, monkeypatch) -> list[str]:
    """What :func:`warmup.start` does first: start the child (recorded, not started) or import."""
    from marinenet import load_scenario

    calls = []
    monkeypatch.setattr(warmup, "_start_child", lambda sc, w: calls.append("child") or False)
    real = warmup._import_first
    monkeypatch.setattr(warmup, "_import_first", lambda **kw: calls.append("imports") or real(**kw))
    monkeypatch.setattr(warmup, "_jobs", lambda sc, w: [])  # (no compiling here)
    warmup.start(load_scenario(scenario_path)).wait(120)
    return calls


def test_with_no_stepper_ever_compiled_the_child_starts_before_the_runs_imports(
    scenario, tmp_path, monkeypatch
):
    """The first run after an install (an empty kernel cache): the child compiling the stepper starts
    first, so that its own imports run on another core while the run imports and loads."""
    import tempfile

    monkeypatch.setenv("MARINENET_KERNEL_DIR", str(tmp_path / "kernels"))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # (nor the read-only-home fallback)
    assert not warmup._any_stepper_compiled()
    assert _order_of_start(scenario, monkeypatch)[:2] == ["child", "imports"]


def test_with_a_stepper_compiled_before_the_child_waits_until_one_is_known_missing(
    scenario, tmp_path, monkeypatch
):
    (tmp_path / "kernels").mkdir()
    (tmp_path / "kernels" / "track_0123.py").write_text("# another scenario's stepper\n")
    monkeypatch.setenv("MARINENET_KERNEL_DIR", str(tmp_path / "kernels"))
    assert warmup._any_stepper_compiled()
    assert _order_of_start(scenario, monkeypatch)[0] == "imports"
