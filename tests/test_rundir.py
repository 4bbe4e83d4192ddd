"""Output folders: never delete a user's files, one run at a time, commits that survive a kill, ensembles."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from marinenet.rundir import MARKER, read_marker, recover

from .test_pipeline import _invoke, _scenario, inputs  # noqa: F401  (the fixture)

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX")


def _run(d, out, *extra, **over):
    return _invoke("run", _scenario(d, **over), "--out", out, "--no-maps", "-q", *extra)


def _snapshot(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _leftovers(d):
    return sorted(p.name for p in d.iterdir() if p.name.startswith("."))


# ---------------------------------------------------------------- item 6: the run marker
def test_a_user_file_in_a_previous_run_is_never_deleted(inputs):
    out = inputs / "out"
    assert _run(inputs, out).exit_code == 0
    (out / "thesis.docx").write_bytes(b"four years of work")
    before = _snapshot(out)
    res = _run(inputs, out)
    assert res.exit_code == 2, res.output
    assert "thesis.docx" in res.output and "did not write" in res.output and "Traceback" not in res.output
    assert _snapshot(out) == before  # the previous run and the user's file, byte for byte
    assert _leftovers(inputs) == []


def test_a_folder_with_a_file_named_summary_json_is_not_a_run(inputs):
    out = inputs / "mine"
    out.mkdir()
    (out / "summary.json").write_text("{}")
    (out / "thesis.docx").write_bytes(b"precious")
    res = _run(inputs, out)
    assert res.exit_code == 2 and MARKER in res.output
    assert sorted(p.name for p in out.iterdir()) == ["summary.json", "thesis.docx"]


def test_a_previous_run_is_replaced_and_gets_a_new_run_id(inputs):
    out = inputs / "out"
    assert _run(inputs, out).exit_code == 0
    first = read_marker(out)
    assert "summary.json" in first["files"] and "trajectories.nc" in first["files"]
    (out / ".DS_Store").write_bytes(b"finder")  # operating-system clutter does not block a rerun
    assert _run(inputs, out).exit_code == 0
    second = read_marker(out)
    assert second["run_id"] != first["run_id"] and set(second["files"]) == set(first["files"])
    assert _leftovers(inputs) == []


# ---------------------------------------------------------------- item 8: the lock
_HOLD = """
import sys, time
from pathlib import Path
from marinenet.rundir import output_lock
with output_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    time.sleep(120)
"""


def test_a_second_run_into_a_folder_in_use_is_refused(inputs):
    out = (inputs / "out").resolve()
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(out)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        res = _run(inputs, out)
        assert res.exit_code == 2, res.output
        assert str(out) in res.output and f"process {holder.pid}" in res.output and "in use" in res.output
        assert not out.exists()
    finally:
        holder.kill()
        holder.wait()
    # the holder was killed: its lock went with it, the next run goes ahead and removes the lock file
    assert _run(inputs, out).exit_code == 0
    assert _leftovers(inputs) == []


def test_a_stale_lock_file_of_a_dead_process_does_not_block(inputs):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (inputs / ".out.lock").write_text(json.dumps({"pid": dead.pid, "host": "h", "started": "then"}))
    res = _run(inputs, inputs / "out")
    assert res.exit_code == 0, res.output
    assert _leftovers(inputs) == []


# ---------------------------------------------------------------- item 9: a kill between the renames
_KILL_IN_COMMIT = """
import os, signal, sys
from pathlib import Path
import marinenet
real = os.rename
def rename(a, b):
    real(a, b)
    if ".old-" in str(b):  # the previous run moved aside, the new one not yet in place
        os.kill(os.getpid(), signal.SIGKILL)
os.rename = rename
marinenet.run(marinenet.load_scenario(sys.argv[1]), out=sys.argv[2], maps=False)
"""


def _killed_in_commit(d, out):
    """A first run into ``out``, then a second one killed between its two renames; the marker ids."""
    assert _run(d, out).exit_code == 0
    first = read_marker(out)["run_id"]
    scenario = _scenario(d, seed=7)
    proc = subprocess.run([sys.executable, "-c", _KILL_IN_COMMIT, str(scenario), str(out)], timeout=300)
    assert proc.returncode == -signal.SIGKILL
    assert not out.exists()  # what the kill leaves: the run is in neither place
    olds = list(d.glob(".out.old-*"))
    partials = list(d.glob(".out.partial-*"))
    assert len(olds) == 1 and len(partials) == 1
    return first, read_marker(partials[0])["run_id"], partials[0]


def test_a_commit_cut_between_the_renames_is_finished_at_the_next_start(inputs):
    out = inputs / "out"
    _, new, _ = _killed_in_commit(inputs, out)
    done = recover(out)
    assert read_marker(out)["run_id"] == new and "finished the commit" in done[0]
    assert json.loads((out / "summary.json").read_text())["seed"] == 7
    assert _leftovers(inputs) == [".out.lock"]  # the killed run's lock file: no longer held, harmless


def test_a_commit_cut_before_the_new_run_was_complete_puts_the_old_run_back(inputs):
    out = inputs / "out"
    first, _, partial = _killed_in_commit(inputs, out)
    (partial / MARKER).unlink()  # not marked complete: the new run cannot be trusted
    done = recover(out)
    assert read_marker(out)["run_id"] == first and "put back the previous run" in done[0]
    assert _leftovers(inputs) == [".out.lock"]


def test_the_next_run_recovers_and_cleans_what_a_kill_left(inputs):
    out = inputs / "out"
    _killed_in_commit(inputs, out)
    (inputs / ".out.old-424242").mkdir()  # a kill during the removal of a replaced run
    (inputs / ".out.old-424242" / "summary.json").write_text("{}")
    res = _run(inputs, out)
    assert res.exit_code == 0, res.output
    assert _leftovers(inputs) == []  # both the cut commit and the half-removed old run are gone


def test_report_recovers_an_interrupted_commit(inputs, monkeypatch):
    import marinenet.report.build as build

    out = inputs / "out"
    _, new, _ = _killed_in_commit(inputs, out)
    monkeypatch.setattr(
        build, "build_report", lambda root, language=None: (root / "report.html", root / "brief.pdf")
    )
    res = _invoke("report", out)
    assert res.exit_code == 0, res.output
    assert read_marker(out)["run_id"] == new and _leftovers(inputs) == []


# ---------------------------------------------------------------- item 7: ensembles
def test_an_ensemble_with_a_bad_member_runs_nothing_and_leaves_nothing(inputs):
    f = _scenario(inputs, simulation={"duration": "1 day"})
    res = _invoke("ensemble", f, "--starts", "2021-01-01,2021-01-09", "--out", inputs / "ens")
    assert res.exit_code == 2, res.output
    assert "ensemble member 2021-01-09T0000" in res.output and "Traceback" not in res.output
    assert not (inputs / "ens").exists() and _leftovers(inputs) == []
    ok = _invoke("ensemble", f, "--starts", "2021-01-01,2021-01-02", "--out", inputs / "ens")
    assert ok.exit_code == 0, ok.output
    assert read_marker(inputs / "ens")["kind"] == "ensemble"


def test_a_member_failing_while_it_runs_keeps_the_previous_ensemble(inputs, monkeypatch):
    import marinenet.ensemble as ens
    from marinenet import load_scenario
    from marinenet.errors import InputDataError

    f = _scenario(inputs, simulation={"duration": "1 day"})
    out = inputs / "ens"
    ens.run_ensemble(load_scenario(f), ["2021-01-01", "2021-01-02"], out)
    before = _snapshot(out)
    real, calls = ens.run, []

    def second_fails(*a, **k):
        calls.append(1)
        if len(calls) == 2:
            raise InputDataError("disk full")
        return real(*a, **k)

    monkeypatch.setattr(ens, "run", second_fails)
    with pytest.raises(InputDataError):
        ens.run_ensemble(load_scenario(f), ["2021-01-01", "2021-01-02"], out)
    assert _snapshot(out) == before and _leftovers(inputs) == []


def test_recover_without_leftovers_does_nothing(tmp_path):
    (tmp_path / "out").mkdir()
    assert recover(tmp_path / "out") == [] and os.listdir(tmp_path) == ["out"]


def test_lock_is_released_when_a_run_fails(inputs):
    late = {"from": {"layer": "areas"}, "particles": 5, "start": "2030-01-01T00:00"}
    bad = _run(inputs, inputs / "o", release=late)
    assert bad.exit_code == 2 and _leftovers(inputs) == []
    t0 = time.time()
    assert _run(inputs, inputs / "o").exit_code == 0 and time.time() - t0 < 120


def test_a_failed_second_rename_puts_the_previous_run_back(tmp_path, monkeypatch):
    import marinenet.rundir as rundir

    out, stage = tmp_path / "out", tmp_path / ".out.partial-1"
    out.mkdir()
    (out / "summary.json").write_text("old")
    stage.mkdir()
    (stage / "summary.json").write_text("new")
    real = os.rename

    def rename(a, b):
        if str(a) == str(stage):
            raise OSError(28, "No space left on device")
        real(a, b)

    monkeypatch.setattr(rundir.os, "rename", rename)
    with pytest.raises(OSError):
        rundir.commit_dir(stage, out)
    assert (out / "summary.json").read_text() == "old" and not list(tmp_path.glob(".out.old-*"))
