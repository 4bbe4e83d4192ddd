"""Draw the report's figures side by side in forked worker processes (matplotlib is not thread-safe).

Each figure is independent: it reads the run's files (already in memory, shared with the workers by
``fork``) and writes its own PNG, so drawing them in parallel gives the very same files as drawing
them one after the other. Off Linux (where ``fork`` is unsafe or missing), with one figure or one CPU,
or if the pool itself breaks, the figures are drawn in this process, in order.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

__all__ = ["draw_figures", "default_workers"]

log = logging.getLogger("marinenet")

#: one figure: draw it into ``notes`` (an empty or failed figure adds a note), its PNG or None
Job = Callable[[list[str]], "Path | None"]

#: the jobs of the pool being run (read by the forked workers, which inherit this module's state)
_JOBS: Sequence[Job] = ()

#: more workers than this gains nothing on a dozen figures (and each holds a figure in memory)
MOST_WORKERS = 4


def default_workers(n_jobs: int) -> int:
    """Worker processes for ``n_jobs`` figures: one per usable CPU, at most :data:`MOST_WORKERS`."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(n_jobs, cpus, MOST_WORKERS))


class _Keep(logging.Handler):
    """A forked worker's log records, kept to be logged again by the parent (its handlers and run.log)."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.levelno, record.getMessage()))


def _one(i: int) -> tuple[Path | None, list[str], list[tuple[int, str]]]:
    keep = _Keep()
    log.handlers, log.propagate = [keep], False  # this process is a forked worker: its own logger
    notes: list[str] = []
    return _JOBS[i](notes), notes, keep.records


def draw_figures(
    jobs: Sequence[Job], workers: int | None = None, meanwhile: Callable[[], object] | None = None
) -> list[tuple[Path | None, list[str]]]:
    """Run every job; returns, in the order of ``jobs``, each one's PNG (or None) and its notes.

    ``meanwhile`` is called in this process while the workers draw (before drawing, where the jobs run
    here); an error it raises is raised once the jobs are done.
    """
    global _JOBS
    n = default_workers(len(jobs)) if workers is None else max(1, min(workers, len(jobs)))
    # a single job still goes to a worker where this process has ``meanwhile`` to do on another core
    spare = workers is None and meanwhile is not None and default_workers(len(jobs) + 1) > 1
    failed: list[Exception] = []
    done: list[tuple[Path | None, list[str]]] | None = None
    if (
        n > 1 or spare
    ) and sys.platform == "linux":  # fork: cheap (nothing to pickle or re-import); safe on Linux
        _JOBS = jobs
        try:
            # gc.freeze: a worker's collector leaves what it inherits alone (no walk, no copied pages)
            with multiprocessing.get_context("fork").Pool(n, initializer=gc.freeze) as pool:
                pending = pool.map_async(_one, range(len(jobs)), chunksize=1)
                _call(meanwhile, failed)
                meanwhile = None
                got = pending.get()
            for _, _, records in got:
                for level, message in records:
                    log.log(level, message)
            done = [(path, notes) for path, notes, _ in got]
        except Exception as exc:  # noqa: BLE001 - a broken pool must not lose the figures: draw them here
            log.warning(
                "report: drawing in %d processes failed (%s: %s); drawing here", n, type(exc).__name__, exc
            )
        finally:
            _JOBS = ()
    _call(meanwhile, failed)
    if done is None:
        done = [_one_here(job) for job in jobs]
    if failed:
        raise failed[0]
    return done


def _call(meanwhile: Callable[[], object] | None, failed: list[Exception]) -> None:
    """Call ``meanwhile`` (if any); an error is kept in ``failed``, to be raised once the jobs are done."""
    if meanwhile is not None:
        try:
            meanwhile()
        except Exception as exc:  # noqa: BLE001 - raised again by draw_figures
            failed.append(exc)


def _one_here(job: Job) -> tuple[Path | None, list[str]]:
    notes: list[str] = []
    return job(notes), notes
