"""The report's figures that need no analysis, drawn while the run still analyses.

The tracks, density, protection-gap and currents maps (:data:`~.build.EARLY`) are drawn from
``trajectories.nc``, ``ocean_snapshot.nc``, ``zones/`` and a few fields of ``summary.json``, which the
run writes before its analyses. :func:`draw_early` reads those files (:meth:`~.build.RunFiles.read`
with ``early``) and draws these maps in a forked process with the report's own code
(:func:`~.build._plans`), while the run computes its tables on the other core. The report then takes
them (:meth:`Early.take`) only where they were drawn from the very inputs it would draw them from
(the layer the maps show, the language, the fields of the summary they print); else it draws them
again, and the early files are not used. Same code, same files: the same PNGs.
"""

from __future__ import annotations

import functools
import logging
import multiprocessing
import os
import shutil
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path

from . import i18n

__all__ = ["Early", "draw_early", "FOLDER"]

#: the folder of a run where the early maps are drawn, until the report takes them
FOLDER = ".early-maps"

#: tracks files larger than this are not read ahead: the early process would hold a second copy of them
#: while the report reads its own
MOST_BYTES = 256 * 2**20

log = logging.getLogger("marinenet")


def _inputs(run, main: str | None, code: str) -> tuple:
    """What the early maps are drawn from, beyond the files read whole: the layer they show, the
    language, and the summary's fields they print."""
    s = run.summary
    fields = (s.name, s.synthetic, s.start, s.end, s.seed, s.particles_released)
    return main, code, fields, tuple(s.layers_with_role("ebsa")), tuple(s.layers_with_role("mpa"))


class Early:
    """The early maps of a run, being drawn in their own process into a folder of their own."""

    def __init__(self, run, inputs: tuple, keys: list[str], folder: Path, process, conn: Connection) -> None:
        self.run = run  # the files read (those of the run before its analyses: the report reuses them)
        self.inputs, self.keys, self.folder, self.process, self.conn = inputs, keys, folder, process, conn
        self._got: list | None = None

    def take(self, run, plans: list, maps: Path) -> dict[int, Callable[[], tuple[Path | None, list[str]]]]:
        """{index in ``plans``: a call that waits for its drawing, moved into ``maps``} of the maps drawn
        ahead from the same inputs as ``plans`` (the report's); none where the inputs differ (the early
        drawing is then stopped and dropped, and the report draws them itself)."""
        from .build import EARLY, report_language

        mine = [i for i, p in enumerate(plans) if p[0] in EARLY]
        same = _inputs(run, run.main_layer, report_language(run)) == self.inputs
        if not same or [plans[i][0] for i in mine] != self.keys:
            log.debug("report: the maps drawn ahead are not used (drawn from other inputs)")
            self.close(stop=True)
            return {}
        log.debug("report: %s drawn ahead", ", ".join(self.keys))
        return {i: functools.partial(self._result, k, maps) for k, i in enumerate(mine)}

    def _result(self, k: int, maps: Path) -> tuple[Path | None, list[str]]:
        if self._got is None:
            try:
                got, records = self.conn.recv()
                for level, message in records:
                    log.log(level, message)
                self._got = [(_move(path, maps), notes) for path, notes in got]
            except (EOFError, OSError) as exc:  # the process died: its maps are not drawn
                why = f"{type(exc).__name__}: the process drawing it stopped"
                L = i18n.current()
                self._got = [(None, [L.t("note.failed", title=key, error=why)]) for key in self.keys]
            finally:
                self.close()
        return self._got[k]

    def close(self, stop: bool = False) -> None:
        """Wait for the process (``stop``: end it now) and remove its folder."""
        self.conn.close()
        if stop:
            self.process.kill()
        self.process.join()
        shutil.rmtree(self.folder, ignore_errors=True)


def _move(path: Path | None, maps: Path) -> Path | None:
    if path is None:
        return None
    final = maps / path.name
    os.replace(path, final)
    return final


def draw_early(root: Path, language: str | None = None) -> Early:
    """Start drawing the early maps of the run in ``root`` in a forked process (into a folder of their
    own, ``.early-maps``, until the report takes them)."""
    from .build import RunFiles, _attempt, _plans, report_language

    size = (Path(root) / "trajectories.nc").stat().st_size
    if size > MOST_BYTES:
        raise ValueError(f"trajectories.nc holds {size / 2**20:.0f} MB: the report reads it once, not twice")
    run = RunFiles.read(root, early=True)
    code = report_language(run, language)
    main = _release_layer(run)
    folder = run.root / FOLDER
    folder.mkdir(exist_ok=True)
    with i18n.use(code):
        plans = _plans(run, folder, main, early=True)
    jobs = [(lambda into, t=title, d=draw: _attempt(into, t, d)) for _, title, draw, _ in plans]
    ctx = multiprocessing.get_context("fork")
    mine, theirs = ctx.Pipe()
    process = ctx.Process(target=_draw, args=(theirs, mine, jobs, code), name="marinenet-early", daemon=True)
    process.start()
    theirs.close()
    return Early(run, _inputs(run, main, code), [p[0] for p in plans], folder, process, mine)


def _release_layer(run) -> str | None:
    """The layer the report's maps will show (:attr:`~.build.RunFiles.main_layer`, which the indices
    decide): the release layer where it is a zone layer, else the first (checked by :meth:`Early.take`)."""
    frm = (run.scenario.get("release") or {}).get("from") or {}
    first = frm[0] if isinstance(frm, list) and frm else frm
    release = first.get("layer") if isinstance(first, dict) else None
    return release if release in run.zones else next((n for n in run.zones if "." not in n), None)


def _draw(conn: Connection, parents: Connection, jobs: list, code: str) -> None:
    """The forked process: draw each map, send back (PNG or None, notes) of each and the log records."""
    from .drawing import _Keep

    parents.close()
    keep = _Keep()
    log.handlers, log.propagate = [keep], False
    got = []
    with i18n.use(code):
        for job in jobs:
            notes: list[str] = []
            got.append((job(notes), notes))
    conn.send((got, keep.records))
