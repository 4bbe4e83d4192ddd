"""A process that gets ready to draw the report while the run still loads, tracks and analyses.

Importing the drawing stack (matplotlib, cartopy, PIL, the report's modules) and loading its fonts
takes most of a second of CPU, which the run would otherwise spend after its analyses, on its critical
path. :func:`start` forks this process at the start of a run (before any thread of the run starts):
it imports and warms up on the core the run leaves idle, then waits. Once every other output is
written, :meth:`Ahead.build` hands it the run folder; it builds the report there exactly as the run
would have (:func:`marinenet.report.build.build_report`, with the site dossiers: same code, same files
read, so the same outputs), and sends back its log records (logged again here, in order) and its error
(raised again here). Where this process cannot be used (off Linux, threads already running, the process
died), :meth:`~Ahead.build` returns False and the caller builds the report itself.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import shutil
import signal
import sys
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from pathlib import Path

from .drawing import _Keep  # (the figure workers' handler: records kept to be logged again by the run)
from .early import FOLDER

__all__ = ["Ahead", "start"]

log = logging.getLogger("marinenet")


class Ahead:
    """The forked process that builds a run's report (:func:`start`)."""

    def __init__(self, process, conn: Connection) -> None:
        self.process, self.conn = process, conn

    def early(self, stage: Path) -> None:
        """The files the early maps need are written (:mod:`.early`): start drawing them."""
        try:
            self.conn.send(("early", Path(stage)))
        except OSError:  # the process is gone: build() says so
            pass

    def build(self, stage: Path, out_dir: Path, dossiers: Sequence[str] = ()) -> bool:
        """Build the report of the run in ``stage`` (and the dossiers of ``dossiers``) in that process.

        Returns False where it could not take the job (the caller builds the report itself); raises
        the error its :func:`~marinenet.report.build.build_report` raised.
        """
        done = self._build(stage, out_dir, dossiers)
        if not done:  # (the early maps of a process that died)
            shutil.rmtree(Path(stage) / FOLDER, ignore_errors=True)
        return done

    def _build(self, stage: Path, out_dir: Path, dossiers: Sequence[str]) -> bool:
        try:
            if not self.conn.poll(READY_SECONDS) or self.conn.recv() != "ready":  # stuck (or died) getting
                self.close(stop=True)  # ready: the run builds its report itself
                return False
            self.conn.send(("build", Path(stage), Path(out_dir), list(dossiers)))
            status, records, error = self.conn.recv()
        except (OSError, EOFError):  # the process is gone: nothing of the report was started there
            return False
        finally:
            self.close()
        for level, message in records:
            log.log(level, message)
        if status == "failed":
            raise error
        return True

    def close(self, stop: bool = False) -> None:
        """End the process (a run that stopped early, or done; ``stop``: at once)."""
        try:
            self.conn.close()
        finally:
            self.process.join(0 if stop else 5)
            if self.process.is_alive():
                self.process.kill()
                self.process.join()


#: how long the report waits, when it starts, for the process to be ready (it is, seconds before, unless
#: stuck: e.g. forked while another thread of the caller held a lock its imports need)
READY_SECONDS = 20.0

#: a site dossier's job for :func:`~marinenet.report.build.build_report`: (stage, out_dir, site) -> job
DossierJob = Callable[[Path, Path, str], Callable[[list[str]], None]]


def start(dossier_job: DossierJob) -> Ahead | None:
    """Fork the report's process (None off Linux: ``fork`` is unsafe or missing there). Call it before
    the run starts threads of its own; ``dossier_job`` makes the job that writes a site's dossier."""
    if sys.platform != "linux":
        return None
    ctx = multiprocessing.get_context("fork")
    mine, theirs = ctx.Pipe()
    # not a daemon: it forks the processes that draw; it ends when the run closes its end of the pipe
    process = ctx.Process(target=_serve, args=(theirs, mine, dossier_job), name="marinenet-report")
    process.start()
    theirs.close()
    return Ahead(process, mine)


def _serve(conn: Connection, parents: Connection, dossier_job: DossierJob) -> None:
    """The forked process: get ready, wait for the run folder, build its report, answer."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the run, which ends this process
    parents.close()  # (so that the run's end, whatever it is, ends the wait below)
    keep = _Keep()
    log.handlers, log.propagate = [keep], False
    logging.getLogger().handlers = []
    _get_ready()
    conn.send("ready")
    early = None
    try:
        try:
            what, stage, *rest = conn.recv()
            if what == "early":
                early = _early(stage)
                what, stage, *rest = conn.recv()
        except (EOFError, OSError):  # the run stopped before its report
            return
        out_dir, dossiers = rest
        answer = _build(stage, out_dir, dossiers, dossier_job, early, keep)
    finally:
        if early is not None:
            early.close(stop=True)  # (taken by the report, or not used)
    try:
        conn.send(answer)
    except Exception as exc:  # noqa: BLE001 - an error that does not pickle: its type and text
        conn.send(("failed", keep.records, RuntimeError(f"{type(exc).__name__}: {exc}")))


def _early(stage: Path):
    """Start drawing the early maps (:func:`.early.draw_early`); None if that fails (the report then
    draws them)."""
    from .early import draw_early

    try:
        return draw_early(stage)
    except Exception as exc:  # noqa: BLE001 - the report draws them
        log.debug("early maps not drawn ahead: %s: %s", type(exc).__name__, exc)
        return None


def _build(stage: Path, out_dir: Path, dossiers: list[str], dossier_job: DossierJob, early, keep) -> tuple:
    """Build the report; ("done" or "failed", the log records, the error or None)."""
    from .build import build_report

    try:
        build_report(stage, also=[dossier_job(stage, out_dir, site) for site in dossiers], early=early)
        return ("done", keep.records, None)
    except Exception as exc:  # noqa: BLE001 - raised again by the run
        return ("failed", keep.records, exc)


def _get_ready() -> None:
    """Import what the report uses and load its fonts (a figure with text, drawn and dropped)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from . import build, dossier, pdf  # noqa: F401

    fig = Figure(figsize=(2, 1))
    fig.text(0.1, 0.5, "0123456789 °N km", weight="bold")
    fig.text(0.1, 0.2, "abc ABC")
    FigureCanvasAgg(fig).draw()
    gc.freeze()  # what is alive now lives to the end: the collector need not walk it
