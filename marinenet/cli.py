"""Command line: ``marinenet run | validate | ensemble | tracks | report | dossier | info | fetch | zones | profiles | schema | warmup | version``.

A thin face over :mod:`marinenet.pipeline`. User errors (bad scenario, bad data) and
failures of the machine (disk full, no permission, out of memory) print a short message
and exit with code 2, without a traceback. Messages are printed as plain text (no rich
markup), so bracketed values like ``[]`` or ``[10, 45]`` reach the user intact.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn
from rich.table import Table

from .collector import before_exit, frozen
from .errors import MarinenetError, ScenarioError
from .failures import user_error

app = typer.Typer(
    name="marinenet",
    help="Marine connectivity simulator: particle tracking over EEZ, high-seas, EBSA and MPA layers.",
    add_completion=True,
    rich_markup_mode=None,  # plain click help: flags as --maps / --no-maps, no <bool> after them
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)
out = Console()


def _print_version(value: bool) -> None:
    if value:
        from . import __version__

        out.print(f"marinenet {__version__}", highlight=False)
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(
        False, "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Marine connectivity simulator: particle tracking over EEZ, high-seas, EBSA and MPA layers."""


def _fail(exc: MarinenetError) -> None:
    err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False, markup=True, soft_wrap=True)
    raise typer.Exit(code=2)


@contextlib.contextmanager
def _user_errors(out: Path | None = None):
    """Exit 2 with a message for user errors and machine failures (disk, permissions, memory)."""
    try:
        yield
    except MarinenetError as exc:
        _fail(exc)
    except (typer.Exit, typer.Abort):
        raise
    except Exception as exc:
        translated = user_error(exc, out)
        if translated is None:
            raise  # a bug: keep its traceback
        _fail(translated)


def _setup_logging(quiet: bool = False, verbose: bool = False) -> None:
    """Messages on stderr: warnings and errors always; step-by-step (info) unless quiet; debug if verbose."""
    lg = logging.getLogger("marinenet")
    lg.handlers = [h for h in lg.handlers if not isinstance(h, RichHandler)]
    handler = RichHandler(console=err, show_path=False, show_time=False, markup=False)
    handler.setLevel(logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO)
    lg.addHandler(handler)
    lg.setLevel(logging.DEBUG if verbose else logging.INFO)


QUIET = typer.Option(
    False,
    "--quiet",
    "-q",
    help="No progress display or step-by-step messages (warnings and errors still shown).",
)
VERBOSE = typer.Option(False, "--verbose", "-v", help="Also show debug messages.")


@app.command()
def run(
    scenario: Path | None = typer.Argument(None, help="Scenario YAML file (not with --resume)."),
    out_dir: Path | None = typer.Option(None, "--out", "-o", help="Output directory (overrides 'output')."),
    maps: bool = typer.Option(
        True,
        "--maps/--no-maps",
        help="Draw the maps (maps/*.png), report.html and brief.pdf. --no-maps writes only the tables, "
        "netCDF, GIS files and summary (faster); 'marinenet report OUT' draws the rest later.",
    ),
    quiet: bool = QUIET,
    verbose: bool = VERBOSE,
    resume: Path | None = typer.Option(
        None, "--resume", help="Finish the interrupted run that was writing to this output directory."
    ),
    workers: int | None = typer.Option(
        None, "--workers", help="Track particle batches on a local dask cluster of N worker processes."
    ),
    scheduler: str | None = typer.Option(
        None, "--scheduler", help="Track particle batches on this dask scheduler (tcp://host:8786)."
    ),
) -> None:
    """Run a scenario and write its outputs (maps, tables, trajectories, summary)."""
    from .cli_progress import RunDisplay, print_summary
    from .failures import check_disk, check_writable
    from .limits import output_bytes
    from .pipeline import run as run_pipeline
    from .progress import phases
    from .resume import resume_scenario
    from .scenario import load_scenario

    _setup_logging(quiet, verbose)
    result = None
    with frozen(), _user_errors(out_dir or resume):
        if (scenario is None) == (resume is None):
            raise ScenarioError(
                "give a scenario file, or --resume OUT to finish an interrupted run (not both)"
            )
        if resume is not None:
            sc = resume_scenario(resume)
            out_dir = resume
        else:
            assert scenario is not None  # exactly one of the two, checked above
            sc = load_scenario(scenario)
        target = (out_dir or sc.output_dir()).resolve()
        check_writable(target)
        check_disk(target, output_bytes(sc))
        with RunDisplay(err, quiet) as display, phases(display.phase):
            result = run_pipeline(
                sc,
                out=out_dir,
                progress=display.tracking,
                maps=maps,
                resume=resume is not None,
                workers=workers,
                scheduler=scheduler,
            )
    print_summary(out, result, maps)


@app.command()
def validate(
    scenario: Path = typer.Argument(..., help="Scenario YAML file."),
    quick: bool = typer.Option(False, "--quick", help="Check the file only, without opening the data."),
    workers: int | None = typer.Option(
        None, "--workers", help="Check a run on N dask workers (as run does)."
    ),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Check a run on this dask scheduler."),
) -> None:
    """Check a scenario, its input data and what it asks of the engines, without running it."""
    from .behaviour.timing import larva_run_warning
    from .failures import check_writable
    from .pipeline import check_plan
    from .scenario import load_scenario

    with _user_errors():
        sc = load_scenario(scenario)
        timing = larva_run_warning(sc)
        if timing:  # a warning, not an error: a short larva run is legitimate (e.g. a test)
            err.print(f"[yellow]warning[/]: {escape(timing)}", highlight=False, soft_wrap=True)
        if not quick:
            check_writable(sc.output_dir().resolve())
            if workers is not None and workers < 1:
                raise ScenarioError(f"--workers must be at least 1, got {workers}")
            prep, how = check_plan(sc, distributed=workers is not None or scheduler is not None)
            for note in how.notes:
                err.print(f"warning: {escape(note)}", highlight=False, soft_wrap=True)
            layers = ", ".join(f"{k} ({len(v.ids)} zones)" for k, v in prep.layers.items()) or "none"
            sizes = prep.ocean.sizes
            text = (
                f"{scenario} — {len(prep.release)} particles, layers: {layers}, "
                f"currents {sizes['lon']}×{sizes['lat']} × {sizes['time']} times"
            )
            out.print(f"[green]ok[/]: {escape(text)}", soft_wrap=True)
        else:
            out.print(f"[green]ok[/]: {escape(str(scenario))} (file checked; data not opened)")


@contextlib.contextmanager
def _maybe_client(workers: int | None, scheduler: str | None):
    """A dask.distributed client when --workers or --scheduler is given, else None."""
    if workers is None and scheduler is None:
        yield None
        return
    if workers is not None and workers < 1:
        raise ScenarioError(f"--workers must be at least 1, got {workers}")
    from .engine.distributed import client_for

    with client_for(workers, scheduler) as client:
        yield client


@app.command()
def ensemble(
    scenario: Path = typer.Argument(..., help="Scenario YAML file."),
    starts: str | None = typer.Option(
        None, "--starts", help="Release dates, comma-separated: 2020-03-01,2021-03-01 (or --years)."
    ),
    years: str | None = typer.Option(
        None, "--years", help="Years, e.g. 2015-2020 or 2015,2017: the scenario's release day in each year."
    ),
    out_dir: Path = typer.Option(..., "--out", "-o", help="Output directory of the ensemble."),
    maps: bool = typer.Option(
        False, "--maps/--no-maps", help="Also draw the maps, report.html and brief.pdf of every member."
    ),
    workers: int | None = typer.Option(
        None, "--workers", help="Run members on a local dask cluster of N workers."
    ),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Run members on this dask scheduler."),
    language: str | None = typer.Option(
        None, "--language", help="Language of ensemble/report.html: en, fr or es (default: the scenario's)."
    ),
    quiet: bool = QUIET,
    verbose: bool = VERBOSE,
) -> None:
    """Run a scenario for several release dates (seasons, years) and write the spread and trend of its results."""
    from .ensemble import run_ensemble
    from .scenario import load_scenario

    _setup_logging(quiet, verbose)
    with _user_errors(out_dir):
        sc = load_scenario(scenario)
        dates = _ensemble_dates(sc, starts, years)
        if language is not None:
            from .report.i18n import check_language

            check_language(language, "--language")
        with _maybe_client(workers, scheduler) as client:
            spread = run_ensemble(sc, dates, out_dir, maps=maps, client=client, language=language)
    out.print(
        escape(
            f"ensemble of {len(dates)} members written to {out_dir}: ensemble/<layer>.csv ({', '.join(spread)}), "
            "trends.csv, report.html"
        )
    )


def _ensemble_dates(sc, starts: str | None, years: str | None) -> list:
    """The members' release dates from ``--starts`` or ``--years`` (exactly one of them)."""
    import numpy as np

    from .ensemble import starts_in_years

    if (starts is None) == (years is None):
        raise ScenarioError(
            "give the members' release dates with --starts 2021-03-01,... or --years 2015-2020"
        )
    if starts is None:
        return starts_in_years(sc, years or "")
    dates = [d.strip() for d in starts.split(",") if d.strip()]
    try:
        [np.datetime64(d) for d in dates]
    except ValueError:
        raise ScenarioError(
            f"--starts: could not read {starts!r} as dates like 2021-03-01,2021-06-01"
        ) from None
    return dates


@app.command()
def tracks(
    track_file: Path = typer.Argument(
        ..., help="Telemetry CSV: Movebank, OBIS-SEAMAP (segments/points) or generic."
    ),
    zones: Path = typer.Option(..., "--zones", help="Zone layer file (GeoJSON, GeoPackage, Shapefile)."),
    zone_id: str = typer.Option("id", "--id", help="Field naming each zone (generic layers)."),
    zone_format: str = typer.Option("generic", "--format", help="generic | marineregions | ebsa | wdpa"),
    out_dir: Path = typer.Option(..., "--out", "-o", help="Output directory."),
    max_speed: float = typer.Option(15.0, "--max-speed", help="Speed filter (km/h) for implausible fixes."),
    dayfirst: bool | None = typer.Option(
        None,
        "--dayfirst/--monthfirst",
        help="Dates written like 03/04/2021: day first (3 April) or month first (March 4). Needed only "
        "when no date in the file decides.",
    ),
    conflicting: str = typer.Option(
        "error",
        "--conflicting-fixes",
        help="Two positions of one individual at one time: error (refuse the file) or drop (drop them all).",
    ),
    id_col: str = typer.Option("id", "--id-column", help="generic CSV: individual column."),
    time_col: str = typer.Option("time", "--time-column", help="generic CSV: time column."),
    lon_col: str = typer.Option("lon", "--lon-column", help="generic CSV: longitude column."),
    lat_col: str = typer.Option("lat", "--lat-column", help="generic CSV: latitude column."),
) -> None:
    """Jurisdiction analytics of real animal tracks: time in zone, transitions, first entries."""
    from .commands import track_analytics

    with _user_errors(out_dir):
        zones_cfg = {"path": str(zones), "format": zone_format}
        if zone_format == "generic":
            zones_cfg["id"] = zone_id
        res = track_analytics(
            track_file,
            zones_cfg,
            out_dir,
            max_speed,
            dayfirst,
            conflicting,
            (id_col, time_col, lon_col, lat_col),
        )
    out.print(
        escape(
            f"{res.individuals} individuals, {res.fixes} fixes ({res.dropped} dropped by the "
            f"{res.max_speed:g} km/h filter): tables written to {res.out_dir}"
        )
    )


@app.command()
def report(
    run_dir: Path = typer.Argument(..., help="Output directory of a finished run or ensemble."),
    language: str | None = typer.Option(
        None,
        "--language",
        help="Language of the report, brief and maps: en, fr or es (default: the scenario's).",
    ),
) -> None:
    """Rebuild the maps, report.html and brief.pdf of a saved run or ensemble (no re-simulation)."""
    from .commands import rebuild_report
    from .report.i18n import check_language

    with _user_errors(run_dir):
        if language is not None:
            check_language(language, "--language")  # before the run folder is touched
        from .ensemble import is_ensemble, rebuild_ensemble_report

        rebuild = rebuild_ensemble_report if is_ensemble(run_dir) else rebuild_report
        html_path, pdf_path = rebuild(run_dir, language)
    out.print(f"[green]report[/]: {escape(str(html_path))}\n[green]brief[/]: {escape(str(pdf_path))}")


@app.command()
def dossier(
    run_dir: Path = typer.Argument(..., help="Output folder of a finished run or of an ensemble."),
    site: str = typer.Option(..., "--site", help="A protected site or candidate of the coherence analysis."),
    language: str | None = typer.Option(None, "--language", help="en, fr or es (default: the scenario's)."),
) -> None:
    """Write the connectivity dossier of one site (OUT/dossier/<site>.html and .pdf), e.g. for a BBNJ proposal."""
    from .commands import dossier as write_dossier
    from .report.i18n import check_language

    with _user_errors(run_dir):
        if language is not None:
            check_language(language, "--language")
        res = write_dossier(run_dir, site, language)
    out.print(f"[green]dossier[/]: {escape(str(res.html))}\n[green]dossier[/]: {escape(str(res.pdf))}")


@app.command()
def animate(
    run_dir: Path = typer.Argument(..., help="Output directory of a finished run."),
    to: Path | None = typer.Option(None, "--to", help="GIF or MP4 file (default OUT/animation.gif)."),
    particles: int = typer.Option(2000, "--particles", min=1, help="Particles drawn (evenly chosen)."),
) -> None:
    """Write an animation of the particles spreading over the zones (GIF; MP4 with imageio-ffmpeg)."""
    from .report.animate import animate as write_animation

    with _user_errors(run_dir):
        path = write_animation(run_dir, to, max_particles=particles)
    out.print(f"[green]animation[/]: {escape(str(path))}")


@app.command()
def info(
    path: str = typer.Argument(..., help="A netCDF file, glob or OPeNDAP address of currents."),
    grid: Path | None = typer.Option(None, "--grid", help="Separate grid file (ROMS/CROCO)."),
    time_origin: str | None = typer.Option(None, "--time-origin", help="Reference date of a bare time axis."),
    depth: float = typer.Option(0.0, "--depth", help="Depth (m) of the level to describe."),
) -> None:
    """Print what marinenet understands of a currents dataset."""
    from .commands import describe_currents

    with _user_errors():
        rows = describe_currents(path, str(grid) if grid else None, time_origin, depth)
    table = Table(show_header=False, title=escape(f"marinenet info: {path}"))
    table.add_column("")
    table.add_column("")
    for k, v in rows:
        table.add_row(k, escape(v))
    out.print(table)


@app.command()
def fetch(
    layer: str = typer.Argument(
        ...,
        help="What to download: eez (Marine Regions World EEZ v12) or cmems; wind (ERA5) or waves (CMEMS "
        "Stokes drift): print how to get them (the request for --bbox, --start, --end; nothing is downloaded).",
    ),
    product: str | None = typer.Option(None, "--product", help="cmems: the dataset id."),
    bbox: tuple[float, float, float, float] | None = typer.Option(
        None, "--bbox", help="cmems: WEST SOUTH EAST NORTH in degrees."
    ),
    start: str | None = typer.Option(None, "--start", help="cmems: first date (YYYY-MM-DD)."),
    end: str | None = typer.Option(None, "--end", help="cmems: last date (YYYY-MM-DD)."),
    high_seas: bool = typer.Option(
        False, "--high-seas", help="Also download the Marine Regions High Seas layer."
    ),
    dest: Path | None = typer.Option(None, "--dest", help="Folder to store it in (default: the user cache)."),
    url: str | None = typer.Option(None, "--url", help="Base address of the WFS (default: Marine Regions)."),
    force: bool = typer.Option(False, "--force", help="Download again even if the file is cached."),
) -> None:
    """Download forcing or official zone layers (the only command that uses the network)."""
    from .commands import fetch as fetch_files
    from .ocean.fetch_help import KINDS, instructions

    if layer in KINDS:  # 10 m wind (ERA5, CDS API) and Stokes drift (CMEMS waves): the commands to run
        typer.echo(instructions(layer, bbox, start, end))
        return

    with (
        _user_errors(dest),
        Progress(
            TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[mb]}"), console=err
        ) as bar,
    ):

        def progress(name: str):
            task = bar.add_task(escape(name), total=None, mb="")

            def update(done: int, total: int | None) -> None:
                bar.update(task, completed=done, total=total, mb=f"{done / 1e6:.1f} MB")

            return update

        got = fetch_files(
            layer,
            dest,
            product=product,
            bbox=bbox,
            start=start,
            end=end,
            high_seas=high_seas,
            url=url,
            force=force,
            progress=progress,
        )
    for item in got:
        out.print(f"[green]{escape(item.name)}[/]: {escape(str(item.path))}", highlight=False)
        if item.licence:
            out.print(escape(f"  licence: {item.licence}\n  citation: {item.citation}"), highlight=False)
        if item.use:
            out.print(escape(f"  use it: {item.use}"), highlight=False)


@app.command("version")
def version_cmd() -> None:
    """Print the versions of marinenet and its key dependencies."""
    from .pipeline import versions

    for k, v in versions().items():
        out.print(escape(f"{k} {v}"))


from .cli_catalog import profiles, schema, zones  # noqa: E402  (they import .cli's helpers when run)
from .cli_warmup import warmup  # noqa: E402

app.command()(zones)
app.command()(profiles)
app.command()(schema)
app.command()(warmup)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted; no output was written")
        sys.exit(130)
    finally:
        before_exit()  # (the interpreter's teardown: 0.8 s of full collections after a run)


if __name__ == "__main__":
    main()
