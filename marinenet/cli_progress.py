"""The run's progress on the terminal: a status line saying what it does, a bar while tracking.

``marinenet run`` shows the stage it is in (loading the forcing, compiling the fast engine,
tracking with days simulated and time left, analyses, maps) instead of one bar that sits at
0 % while the inputs load and at 100 % while the outputs are written.
"""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

__all__ = ["RunDisplay"]


class RunDisplay:
    """Context manager: ``phase(text)`` updates the status line, ``tracking(done, total)`` the bar."""

    def __init__(self, console: Console, quiet: bool = False) -> None:
        self._status = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=console,
            disable=quiet,
        )
        self._bar = Progress(
            TextColumn("[bold blue]tracking"),
            BarColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[days]}"),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            console=console,
            disable=quiet,
        )
        self._status_task: TaskID | None = None
        self._track_task: TaskID | None = None
        self.phases: list[str] = []

    def __enter__(self) -> RunDisplay:
        from rich.console import Group
        from rich.live import Live

        self._live = Live(Group(self._status, self._bar), console=self._status.console, transient=False)
        if not self._status.disable:
            self._live.__enter__()
        self._status_task = self._status.add_task("starting", total=None)
        return self

    def __exit__(self, *exc) -> None:
        if self._status_task is not None:
            done = "done" if exc[0] is None else "stopped"
            self._status.update(self._status_task, description=done, total=1, completed=1)
            self._status.stop_task(self._status_task)
        if not self._status.disable:
            self._live.__exit__(*exc)

    def phase(self, text: str) -> None:
        self.phases.append(text)
        if self._status_task is not None:
            self._status.reset(self._status_task, description=text, total=None)

    def tracking(self, done: float, total: float) -> None:
        if self._track_task is None:
            self._track_task = self._bar.add_task("track", total=total, days="")
        days = f"day {done / 86400:.1f} / {total / 86400:g}"
        self._bar.update(self._track_task, completed=done, total=total, days=days)
