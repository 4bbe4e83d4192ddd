"""Command line: ``marinenet run | validate | fetch | version``.

A thin face over :mod:`marinenet.pipeline`. User errors (bad scenario, bad data) print a
short message and exit with code 2, without a traceback.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from .errors import MarinenetError

app = typer.Typer(
    name="marinenet",
    help="Marine connectivity simulator: particle tracking over EEZ, high-seas, EBSA and MPA layers.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)
out = Console()


def _fail(exc: MarinenetError) -> None:
    err.print(f"[bold red]error:[/] {exc}", highlight=False, markup=True, soft_wrap=True)
    raise typer.Exit(code=2)


def _setup_logging(quiet: bool) -> None:
    lg = logging.getLogger("marinenet")
    lg.handlers = [h for h in lg.handlers if not isinstance(h, RichHandler)]
    if not quiet:
        handler = RichHandler(console=err, show_path=False, show_time=False, markup=False)
        handler.setLevel(logging.INFO)
        lg.addHandler(handler)
    lg.setLevel(logging.INFO)


@app.command()
def run(
    scenario: Path = typer.Argument(..., help="Scenario YAML file."),
    out_dir: Path | None = typer.Option(None, "--out", "-o", help="Output directory (overrides 'output')."),
    no_maps: bool = typer.Option(False, "--no-maps", help="Skip drawing the PNG figures."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or log messages."),
) -> None:
    """Run a scenario and write its outputs (maps, tables, trajectories, summary)."""
    from .pipeline import run as run_pipeline
    from .scenario import load_scenario

    _setup_logging(quiet)
    try:
        sc = load_scenario(scenario)
        with Progress(
            TextColumn("[bold blue]tracking"),
            BarColumn(),
            TextColumn("{task.fields[days]}"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=err,
            disable=quiet,
            transient=False,
        ) as bar:
            task = bar.add_task("track", total=sc.simulation.duration, days="")

            def progress(done: float, total: float) -> None:
                bar.update(task, completed=done, days=f"day {done / 86400:.1f} / {total / 86400:g}")

            result = run_pipeline(sc, out=out_dir, progress=progress, maps=not no_maps)
    except MarinenetError as exc:
        _fail(exc)
        return
    s = result.summary
    if not quiet:
        table = Table(
            show_header=False,
            title=f"marinenet run '{s['name']}'" + (" — SYNTHETIC demo" if s["synthetic"] else ""),
        )
        table.add_column("")
        table.add_column("", justify="right")
        for key in (
            "particles_released",
            "active_at_end",
            "stranded",
            "out_of_domain",
            "engine",
            "particle_steps",
            "engine_seconds",
            "wall_seconds",
        ):
            table.add_row(key.replace("_", " "), str(s[key]))
        out.print(table)
    out.print(
        f"outputs written to [bold]{result.out_dir}[/] (open report files: maps/*.png, connectivity/*.csv)"
    )


@app.command()
def validate(
    scenario: Path = typer.Argument(..., help="Scenario YAML file."),
    quick: bool = typer.Option(False, "--quick", help="Check the file only, without opening the data."),
) -> None:
    """Check a scenario and its input data without running it."""
    from .pipeline import check
    from .scenario import load_scenario

    try:
        sc = load_scenario(scenario)
        if not quick:
            prep = check(sc)
            out.print(
                f"[green]ok[/]: {scenario} — {len(prep.release)} particles, layers: "
                f"{', '.join(f'{k} ({len(v.ids)} zones)' for k, v in prep.layers.items()) or 'none'}, "
                f"currents {prep.ocean.sizes['lon']}×{prep.ocean.sizes['lat']} × {prep.ocean.sizes['time']} times"
            )
        else:
            out.print(f"[green]ok[/]: {scenario} (file checked; data not opened)")
    except MarinenetError as exc:
        _fail(exc)


@app.command()
def fetch(
    layer: str = typer.Argument(..., help="What to download: eez (Marine Regions World EEZ v12)."),
    high_seas: bool = typer.Option(
        False, "--high-seas", help="Also download the Marine Regions High Seas layer."
    ),
    dest: Path | None = typer.Option(None, "--dest", help="Folder to store it in (default: the user cache)."),
    url: str | None = typer.Option(None, "--url", help="Base address of the WFS (default: Marine Regions)."),
    force: bool = typer.Option(False, "--force", help="Download again even if the file is cached."),
) -> None:
    """Download official zone layers (the only command that uses the network)."""
    from .zones.fetch import LICENCE, PRODUCTS, fetch_layer

    names = [layer] + (["high_seas"] if high_seas else [])
    try:
        for name in names:
            with Progress(
                TextColumn(f"[bold blue]{name}"), BarColumn(), TextColumn("{task.fields[mb]}"), console=err
            ) as bar:
                task = bar.add_task(name, total=None, mb="")

                def progress(done: int, total: int | None, _task=task, _bar=bar) -> None:
                    _bar.update(_task, completed=done, total=total, mb=f"{done / 1e6:.1f} MB")

                path = fetch_layer(name, dest, url, force, progress)
            out.print(f"[green]{name}[/]: {path}")
            out.print(f"  licence: {LICENCE}\n  citation: {PRODUCTS[name].citation}", highlight=False)
            if name == "eez":
                out.print(
                    f"  use it: zones: {{eez: {{path: {path}, format: marineregions}}}}", highlight=False
                )
    except MarinenetError as exc:
        _fail(exc)


@app.command("version")
def version_cmd() -> None:
    """Print the versions of marinenet and its key dependencies."""
    from .pipeline import versions

    for k, v in versions().items():
        out.print(f"{k} {v}")


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted; no output was written")
        sys.exit(130)


if __name__ == "__main__":
    main()
