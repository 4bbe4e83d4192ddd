"""How a run's report is put together and how the process ends: the site dossiers are written beside
brief.pdf (they need no figure) and listed by report.html; a failing brief is still a note; the command
line freezes the collector before the interpreter's teardown; a run in its own process exits 0 with
every output written and complete."""

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


def test_also_jobs_are_written_and_listed_by_report_html(run_dir, tmp_path):
    root = tmp_path / "run"
    shutil.copytree(run_dir, root)
    build.build_report(root, language="en", also=[_extra(root, [])])
    assert (root / "dossier" / "extra.txt").exists()
    assert "dossier/extra.txt" in (root / "report.html").read_text()
    pdf = (root / "brief.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF")


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
