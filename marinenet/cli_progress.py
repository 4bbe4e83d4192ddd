"""The run on the terminal: a status line saying what it does, a bar while tracking, the summary at the end.

``marinenet run`` shows the stage it is in (loading the forcing, compiling the fast engine,
tracking with days simulated and time left, analyses, maps) instead of one bar that sits at
0 % while the inputs load and at 100 % while the outputs are written.
"""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
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
from rich.table import Table

from .summary import OUTCOME_KEYS

__all__ = ["RunDisplay", "print_summary", "OUTCOME_KEYS"]


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
        if self._status_task is not None:  # the run is over: the status line goes, the bar stays
            self._status.remove_task(self._status_task)
        if not self._status.disable:
            self._live.__exit__(*exc)
            if not self._status.console.is_terminal:  # a log file gets the last frame: end its line
                self._status.console.print()

    def phase(self, text: str) -> None:
        self.phases.append(text)
        if self._status_task is not None:
            self._status.reset(self._status_task, description=text, total=None)

    def tracking(self, done: float, total: float) -> None:
        if self._track_task is None:
            self._track_task = self._bar.add_task("track", total=total, days="")
        days = f"day {done / 86400:.1f} / {total / 86400:g}"
        self._bar.update(self._track_task, completed=done, total=total, days=days)


def print_summary(out: Console, result, maps: bool) -> None:
    """The end-of-run table (every outcome) and where the outputs are."""
    s = result.summary
    table = Table(
        show_header=False,
        title=escape(f"marinenet run '{s['name']}'" + (" — SYNTHETIC demo" if s["synthetic"] else "")),
    )
    table.add_column("")
    table.add_column("", justify="right")
    table.add_row("particles released", f"{s['particles_released']:,}")
    for key in OUTCOME_KEYS:  # every outcome, also those with no particles
        table.add_row(f"  {key.replace('_', ' ')}", f"{s.get(key, 0):,}")
    for key in ("engine", "particle_steps", "engine_seconds", "compile_seconds", "wall_seconds"):
        table.add_row(key.replace("_", " "), escape(str(s.get(key))))
    out.print(table)
    report = result.out_dir / "report.html"
    if not maps:
        out.print(
            f"outputs written to [bold]{escape(str(result.out_dir))}[/] (no maps, report.html or brief.pdf: "
            f"--no-maps; 'marinenet report {escape(str(result.out_dir))}' draws them)"
        )
    elif report.exists():
        out.print(
            f"outputs written to [bold]{escape(str(result.out_dir))}[/]\nreport: [bold]{escape(str(report))}[/] (and brief.pdf)"
        )
    else:
        out.print(
            f"outputs written to [bold]{escape(str(result.out_dir))}[/] (no report: see run.log; 'marinenet report' "
            "draws it)"
        )


