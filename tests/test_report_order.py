"""How a run's report is put together and how the process ends: the site dossiers are written beside
brief.pdf (they need no figure) and listed by report.html; a failing brief is still a note; the report
built by the process forked ahead (:mod:`marinenet.report.ahead`) is the report built here, its
warnings and errors reach the run; the command line freezes the collector before the interpreter's
teardown; a run in its own process exits 0 with every output written and complete."""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import marinenet.report.build as build
from marinenet import cli
from marinenet.errors import InputDataError
from marinenet.report import ahead

from .test_coherence_run import _run, _scenario


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("order")
    return _run(d, _scenario(d, "fast", bootstrap=0))[0].parent


def _extra(root: Path, pids: list[int]):
    """An ``also`` job: writes dossier/extra.txt (as a site dossier would) and says which process ran it."""

    def job(_notes: list[str]) -> None:
        (root / "dossier").mkdir(exist_ok=True)
        (root / "dossier" / "extra.txt").write_text(str(os.getpid()))
        pids.append(os.getpid())

    return job


def test_a_failing_brief_beside_an_also_job_is_a_note_and_the_job_still_runs(run_dir, tmp_path, monkeypatch):
    root = tmp_path / "run"
    shutil.copytree(run_dir, root)
    (root / "brief.pdf").unlink(missing_ok=True)

    def no_paper(*a, **k):
        raise RuntimeError("no paper")

    monkeypatch.setattr(build, "render_pdf", no_paper)
    build.build_report(root, language="en", also=[_extra(root, [])])
    html = (root / "report.html").read_text()
    assert "brief.pdf could not be written (RuntimeError: no paper)" in html
    assert "dossier/extra.txt" in html and (root / "dossier" / "extra.txt").exists()
    assert not (root / "brief.pdf").exists()


def test_the_command_line_freezes_the_collector_before_teardown(monkeypatch):
    gc.unfreeze()
    monkeypatch.setattr(sys, "argv", ["marinenet", "version"])
    try:
        with pytest.raises(SystemExit) as end:
            cli.main()
        assert end.value.code in (0, None)
        assert gc.get_freeze_count() > 0  # the teardown's full collections skip what is alive now
    finally:
        gc.unfreeze()


def test_a_run_in_its_own_process_exits_0_with_every_output_complete(tmp_path):
    sc = _scenario(tmp_path, "fast", bootstrap=0)
    sc["report"] = {"dossiers": ["M2"]}
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(sc))
    env = {**os.environ, "PYTHONPATH": str(Path(cli.__file__).parents[1])}
    done = subprocess.run(
        [sys.executable, "-m", "marinenet.cli", "run", str(tmp_path / "s.yaml"), "--quiet"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    out = tmp_path / "out"
    listed = yaml.safe_load((out / "summary.json").read_text())["outputs"]
    assert {"report.html", "brief.pdf", "summary.json", "dossier/m2.pdf"} <= set(listed)
    assert all((out / f).is_file() for f in listed)
    assert (out / "brief.pdf").read_bytes().rstrip().endswith(b"%%EOF")
    assert (out / "dossier" / "m2.pdf").read_bytes().rstrip().endswith(b"%%EOF")
    assert (out / "report.html").read_text().rstrip().endswith("</html>")


def _dossier_job(stage, out_dir, site):
    return _extra(Path(stage), [])


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.suffix in {".png", ".html", ".txt", ".csv", ".json"}
    }


def test_the_report_built_ahead_is_the_report_built_here(run_dir, tmp_path):
    here, there = tmp_path / "here", tmp_path / "there"
    shutil.copytree(run_dir, here)
    shutil.copytree(run_dir, there)
    build.build_report(here, also=[_extra(here, [])])
    proc = ahead.start(_dossier_job)
    assert proc is not None  # (Linux)
    assert proc.build(there, there, ["a site"])
    assert not proc.process.is_alive()
    mine, theirs = _files(here), _files(there)
    assert {k for k in mine if k.startswith("maps/")} and mine.keys() == theirs.keys()
    assert all(mine[k] == theirs[k] for k in mine if k != "dossier/extra.txt")  # (extra.txt: the pid)
    assert theirs["dossier/extra.txt"] != str(os.getpid()).encode()  # written by the other process
    for root in (here, there):  # the also job's file is listed; brief.pdf is complete
        assert "dossier/extra.txt" in (root / "report.html").read_text()
        pdf = (root / "brief.pdf").read_bytes()
        assert pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF")


def test_a_figure_that_fails_ahead_is_logged_here_and_noted_in_report_html(
    run_dir, tmp_path, caplog, monkeypatch
):
    import logging

    def broken(*a, **k):
        raise RuntimeError("no ink")

    monkeypatch.setattr(build, "plot_currents", broken)  # before the fork: the process draws with it
    proc = ahead.start(_dossier_job)
    root = tmp_path / "run"
    shutil.copytree(run_dir, root)
    with caplog.at_level(logging.WARNING, logger="marinenet"):
        assert proc.build(root, root, [])
    assert any("RuntimeError: no ink" in r.getMessage() for r in caplog.records)
    assert "RuntimeError: no ink" in (root / "report.html").read_text()


def test_an_error_of_the_report_ahead_is_raised_here(tmp_path):
    proc = ahead.start(_dossier_job)
    with pytest.raises(InputDataError, match="not a complete marinenet run directory"):
        proc.build(tmp_path, tmp_path, [])


def test_a_process_that_died_leaves_the_report_to_the_run(tmp_path):
    proc = ahead.start(_dossier_job)
    proc.process.kill()
    proc.process.join()
    assert proc.build(tmp_path, tmp_path, []) is False


def _maps(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "maps").glob("*.png"))}


@pytest.fixture(scope="module")
def reference(run_dir, tmp_path_factory) -> Path:
    """The run's report built here, every map drawn by build_report itself."""
    root = tmp_path_factory.mktemp("reference") / "run"
    shutil.copytree(run_dir, root)
    build.build_report(root, language="en")
    return root


def test_the_early_maps_are_the_maps_the_report_draws(run_dir, reference, tmp_path):
    from marinenet.report.early import FOLDER, draw_early

    root = tmp_path / "run"
    shutil.copytree(run_dir, root)
    shutil.rmtree(root / "maps", ignore_errors=True)
    early = draw_early(root)
    assert early.keys == ["tracks", "density", "protection", "currents"]
    build.build_report(root, language="en", early=early)
    assert early._got is not None  # taken: drawn by the early process
    assert _maps(root) == _maps(reference)
    assert (root / "report.html").read_text() == (reference / "report.html").read_text()
    assert not (root / FOLDER).exists()


def test_early_maps_drawn_from_other_inputs_are_not_used(run_dir, reference, tmp_path):
    from marinenet.report.early import FOLDER, draw_early

    root = tmp_path / "run"
    shutil.copytree(run_dir, root)
    shutil.rmtree(root / "maps", ignore_errors=True)
    early = draw_early(root, language="fr")  # the report is then built in English
    build.build_report(root, language="en", early=early)
    assert early._got is None  # dropped
    assert _maps(root) == _maps(reference)
    assert not (root / FOLDER).exists()


def test_an_early_map_that_fails_is_logged_and_noted(run_dir, tmp_path, caplog, monkeypatch):
    import logging

    from marinenet.report.early import draw_early

    def broken(*a, **k):
        raise RuntimeError("no ink")

    root = tmp_path / "run"
    shutil.copytree(run_dir, root)
    monkeypatch.setattr(build, "plot_currents", broken)  # before the fork: the early process draws with it
    early = draw_early(root)
    monkeypatch.undo()  # the report's own processes would draw it
    with caplog.at_level(logging.WARNING, logger="marinenet"):
        build.build_report(root, language="en", early=early)
    assert early._got is not None
    assert any("RuntimeError: no ink" in r.getMessage() for r in caplog.records)
    assert "RuntimeError: no ink" in (root / "report.html").read_text()


def test_a_process_stuck_getting_ready_leaves_the_report_to_the_run(tmp_path, monkeypatch):
    import time

    monkeypatch.setattr(ahead, "_get_ready", lambda: time.sleep(60))  # before the fork: it never gets ready
    monkeypatch.setattr(ahead, "READY_SECONDS", 0.5)
    proc = ahead.start(_dossier_job)
    t0 = time.perf_counter()
    assert proc.build(tmp_path, tmp_path, []) is False
    assert time.perf_counter() - t0 < 30  # (not the minute it would sleep)
    assert not proc.process.is_alive()


def test_large_tracks_are_not_read_ahead(run_dir, tmp_path, monkeypatch):
    from marinenet.report import early

    monkeypatch.setattr(early, "MOST_BYTES", 1000)
    with pytest.raises(ValueError, match="trajectories.nc holds"):
        early.draw_early(run_dir)


def test_a_command_run_in_this_process_leaves_the_collector_as_it_found_it(tmp_path):
    from typer.testing import CliRunner

    gc.unfreeze()
    res = CliRunner().invoke(cli.app, ["run", str(tmp_path / "missing.yaml"), "--quiet"])
    assert res.exit_code == 2, res.output
    assert gc.get_freeze_count() == 0


def test_off_linux_the_run_draws_its_own_report_and_the_same_maps(reference, tmp_path, monkeypatch):
    """Where ``fork`` is unsafe or missing (macOS, Windows) no process is forked ahead and the figures are
    drawn in this process, one after another: same code, same inputs, so the same maps as on Linux."""
    from typer.testing import CliRunner

    forks: list[str] = []
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setattr(ahead.multiprocessing, "get_context", lambda *a: forks.append("fork") or None)
    sc = _scenario(tmp_path, "fast", bootstrap=0)
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(sc))
    res = CliRunner().invoke(cli.app, ["run", str(tmp_path / "s.yaml"), "--quiet"])
    assert res.exit_code == 0, res.output
    out = next(p.parent for p in (tmp_path / "out").rglob("report.html"))
    assert forks == []  # (neither the report's process nor the figure workers were forked)
    assert (out / "brief.pdf").read_bytes().rstrip().endswith(b"%%EOF")
    assert (out / "report.html").read_text().rstrip().endswith("</html>")
    assert not (out / ".early-maps").exists()
    assert _maps(out) == _maps(reference) and _maps(out)
