"""Command line: ``marinenet run | validate | ensemble | tracks | report | info | fetch | version``.

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

import numpy as np
import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from .errors import MarinenetError, ScenarioError
from .failures import user_error

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
    scenario: Path | None = typer.Argument(None, help="Scenario YAML file (not with --resume)."),
    out_dir: Path | None = typer.Option(None, "--out", "-o", help="Output directory (overrides 'output')."),
    no_maps: bool = typer.Option(False, "--no-maps", help="Skip drawing the PNG figures."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or log messages."),
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
    from .failures import check_disk, check_writable
    from .limits import output_bytes
    from .pipeline import resume_scenario
    from .pipeline import run as run_pipeline
    from .scenario import load_scenario

    _setup_logging(quiet)
    result = None
    with _user_errors(out_dir or resume):
        if (scenario is None) == (resume is None):
            raise ScenarioError(
                "give a scenario file, or --resume OUT to finish an interrupted run (not both)"
            )
        if resume is not None:
            sc = resume_scenario(resume)
            out_dir = resume
        else:
            sc = load_scenario(scenario)
        target = (out_dir or sc.output_dir()).resolve()
        check_writable(target)
        check_disk(target, output_bytes(sc))
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

            with _maybe_client(workers, scheduler) as client:
                result = run_pipeline(
                    sc,
                    out=out_dir,
                    progress=progress,
                    maps=not no_maps,
                    resume=resume is not None,
                    client=client,
                )
    s = result.summary
    if not quiet:
        table = Table(
            show_header=False,
            title=escape(f"marinenet run '{s['name']}'" + (" — SYNTHETIC demo" if s["synthetic"] else "")),
        )
        table.add_column("")
        table.add_column("", justify="right")
        table.add_row("particles released", f"{s['particles_released']:,}")
        for key in OUTCOME_KEYS:  # every outcome, also those with no particles
            table.add_row(f"  {key.replace('_', ' ')}", f"{s.get(key, 0):,}")
        for key in ("engine", "particle_steps", "engine_seconds", "wall_seconds"):
            table.add_row(key.replace("_", " "), escape(str(s.get(key))))
        out.print(table)
    report = result.out_dir / "report.html"
    if report.exists():
        out.print(f"outputs written to [bold]{escape(str(result.out_dir))}[/]\nreport: [bold]{escape(str(report))}[/] (and brief.pdf)")
    else:
        out.print(
            f"outputs written to [bold]{escape(str(result.out_dir))}[/] (no report: see run.log; 'marinenet report' "
            "draws it)"
        )


#: summary.json keys of every particle outcome, as the end-of-run table lists them
OUTCOME_KEYS = (
    "active_at_end",
    "settled",
    "dead",
    "unsettled",
    "arrived",
    "stranded",
    "out_of_domain",
    "errors",
)


@app.command()
def validate(
    scenario: Path = typer.Argument(..., help="Scenario YAML file."),
    quick: bool = typer.Option(False, "--quick", help="Check the file only, without opening the data."),
) -> None:
    """Check a scenario and its input data without running it."""
    from .behaviour.timing import larva_run_warning
    from .failures import check_writable
    from .pipeline import check
    from .scenario import load_scenario

    with _user_errors():
        sc = load_scenario(scenario)
        timing = larva_run_warning(sc)
        if timing:  # a warning, not an error: a short larva run is legitimate (e.g. a test)
            err.print(f"[yellow]warning[/]: {escape(timing)}", highlight=False, soft_wrap=True)
        if not quick:
            check_writable(sc.output_dir().resolve())
            prep = check(sc)
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
    starts: str = typer.Option(..., "--starts", help="Release dates, comma-separated: 2020-03-01,2021-03-01"),
    out_dir: Path = typer.Option(..., "--out", "-o", help="Output directory of the ensemble."),
    maps: bool = typer.Option(False, "--maps", help="Also draw maps and reports for every member."),
    workers: int | None = typer.Option(
        None, "--workers", help="Run members on a local dask cluster of N workers."
    ),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Run members on this dask scheduler."),
) -> None:
    """Run a scenario for several release dates and write the spread of its connectivity."""
    from .ensemble import run_ensemble
    from .scenario import load_scenario

    _setup_logging(False)
    with _user_errors(out_dir):
        sc = load_scenario(scenario)
        dates = [d.strip() for d in starts.split(",") if d.strip()]
        try:
            [np.datetime64(d) for d in dates]
        except ValueError:
            raise ScenarioError(
                f"--starts: could not read {starts!r} as dates like 2021-03-01,2021-06-01"
            ) from None
        with _maybe_client(workers, scheduler) as client:
            spread = run_ensemble(sc, dates, out_dir, maps=maps, client=client)
    out.print(
        escape(
            f"ensemble of {len(dates)} members written to {out_dir}: ensemble/<layer>.csv ({', '.join(spread)})"
        )
    )


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
    from pydantic import ValidationError

    from ._schema import format_validation_error
    from .scenario import ZoneLayerConfig
    from .telemetry import read_tracks, speed_filter
    from .zones import load_layers

    with _user_errors(out_dir):
        if conflicting not in ("error", "drop"):
            raise ScenarioError(f"--conflicting-fixes must be 'error' or 'drop', got {conflicting!r}")
        raw = read_tracks(track_file, None, id_col, time_col, lon_col, lat_col, dayfirst, conflicting)
        clean, dropped = speed_filter(raw, max_speed)
        try:
            cfg = ZoneLayerConfig(
                path=str(zones), format=zone_format, id=zone_id if zone_format == "generic" else None
            )
        except ValidationError as exc:
            raise ScenarioError(format_validation_error(exc, "marinenet tracks", ZoneLayerConfig)) from None
        layers = load_layers("zones", cfg)
        out_dir = out_dir.resolve()
    with _user_errors(out_dir):
        _write_tracks(out_dir, layers, raw, clean, dropped, max_speed, track_file)
    out.print(
        escape(
            f"{clean['individual'].nunique()} individuals, {len(clean)} fixes ({dropped} dropped by the "
            f"{max_speed:g} km/h filter): tables written to {out_dir}"
        )
    )


def _write_tracks(
    out_dir: Path, layers, raw, clean, dropped: int, max_speed: float, track_file: Path
) -> None:
    from .outputs import write_csv, write_json
    from .rundir import RunDir
    from .telemetry import analyse_tracks

    target = RunDir(out_dir, kind="tracks")
    stage = target.stage
    try:
        for name, layer in layers.items():
            res = analyse_tracks(clean, layer)
            suffix = "" if name == "zones" else "_" + name.removeprefix("zones_")
            write_csv(res.time_in_zone, stage / f"time_in_zone{suffix}.csv")
            write_csv(res.transitions, stage / f"transitions{suffix}.csv")
            write_csv(res.first_entry, stage / f"first_entry{suffix}.csv")
        write_csv(clean, stage / "tracks_clean.csv")
        write_json(
            {
                "individuals": int(clean["individual"].nunique()),
                "fixes_read": len(raw),
                "fixes_dropped_by_speed_filter": dropped,
                "conflicting_fixes_dropped": raw.attrs.get("conflicting_fixes_dropped", 0),
                "max_speed_kmh": max_speed,
                "layers": list(layers),
                "track_file": str(track_file),
            },
            stage / "summary.json",
        )
        target.commit()
    finally:
        target.close()


@app.command()
def report(
    run_dir: Path = typer.Argument(..., help="Output directory of a finished run."),
    language: str | None = typer.Option(
        None,
        "--language",
        help="Language of the report, brief and maps: en, fr or es (default: the scenario's).",
    ),
) -> None:
    """Rebuild the maps, report.html and brief.pdf of a saved run (no re-simulation)."""
    from .report.build import build_report
    from .report.i18n import check_language
    from .rundir import output_lock, record_files, recover

    with _user_errors(run_dir):
        if language is not None:
            check_language(language, "--language")  # before the run folder is touched
        where = run_dir.resolve()
        with output_lock(where) if where.parent.is_dir() else contextlib.nullcontext():
            recover(where)  # a commit cut by a kill: finish it or put the previous run back
            before = {p for p in run_dir.rglob("*") if p.is_file()}
            html_path, pdf_path = build_report(run_dir, language)
            new = {p for p in run_dir.rglob("*") if p.is_file()} - before
            record_files(run_dir, [str(p.relative_to(run_dir)) for p in new])
    out.print(f"[green]report[/]: {escape(str(html_path))}\n[green]brief[/]: {escape(str(pdf_path))}")


@app.command()
def info(
    path: str = typer.Argument(..., help="A netCDF file, glob or OPeNDAP address of currents."),
    grid: Path | None = typer.Option(None, "--grid", help="Separate grid file (ROMS/CROCO)."),
    time_origin: str | None = typer.Option(None, "--time-origin", help="Reference date of a bare time axis."),
    depth: float = typer.Option(0.0, "--depth", help="Depth (m) of the level to describe."),
) -> None:
    """Print what marinenet understands of a currents dataset."""
    import numpy as np

    from .ocean.reader import open_currents

    with _user_errors():
        ds = open_currents(path, depth=depth, grid=str(grid) if grid else None, time_origin=time_origin)
    t = ds["time"].values
    speed = np.hypot(ds["u"], ds["v"])
    water = ~ds["land"].values & ~(ds["outside"].values if "outside" in ds else False)
    table = Table(show_header=False, title=escape(f"marinenet info: {path}"))
    table.add_column("")
    table.add_column("")
    rows = [
        ("velocities", ds.attrs.get("original_variables", "")),
        ("units", ds.attrs.get("unit_conversion", "")),
        ("grid", ds.attrs.get("grid", "")),
        ("rotation", ds.attrs.get("rotation", "none (velocities are eastward/northward)")),
        ("vertical axis", ds.attrs.get("vertical", "")),
        ("level", ds.attrs.get("level", "surface / only level")),
        ("canonical grid", f"{ds.sizes['lon']} x {ds.sizes['lat']} (lon x lat)"),
        ("longitude", f"{float(ds.lon.min()):.3f} .. {float(ds.lon.max()):.3f}"),
        ("latitude", f"{float(ds.lat.min()):.3f} .. {float(ds.lat.max()):.3f}"),
        ("time", f"{str(t[0])[:19]} .. {str(t[-1])[:19]} ({t.size} steps)"),
        ("land fraction", f"{float(ds['land'].mean()):.3f}"),
        ("outside model domain", f"{float(ds['outside'].mean()):.3f}" if "outside" in ds else "0"),
        (
            "speed over water",
            f"median {float(np.nanmedian(speed.values[:, water])):.3f}, "
            f"max {float(np.nanmax(speed.values)):.3f} m/s",
        ),
        ("memory", f"{ds.nbytes / 1e6:.1f} MB for the whole file"),
    ]
    for k, v in rows:
        table.add_row(k, escape(str(v)))
    out.print(table)


@app.command()
def fetch(
    layer: str = typer.Argument(..., help="What to download: eez (Marine Regions World EEZ v12) or cmems."),
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
    from .zones.fetch import LICENCE, PRODUCTS, fetch_layer

    if layer == "cmems":
        from .ocean.fetch import fetch_cmems

        if not (product and bbox and start and end):
            err.print("[bold red]error:[/] fetch cmems needs --product, --bbox, --start and --end")
            raise typer.Exit(code=2)
        with _user_errors(dest):
            path = fetch_cmems(product, bbox, start, end, dest or Path("ocean_data"))
        use = escape(f"{path}\n  use it: ocean: {{source: {path}}}")
        out.print(f"[green]cmems[/]: {use}", highlight=False)
        return

    names = [layer] + (["high_seas"] if high_seas else [])
    with _user_errors(dest):
        for name in names:
            with Progress(
                TextColumn(f"[bold blue]{name}"), BarColumn(), TextColumn("{task.fields[mb]}"), console=err
            ) as bar:
                task = bar.add_task(name, total=None, mb="")

                def progress(done: int, total: int | None, _task=task, _bar=bar) -> None:
                    _bar.update(_task, completed=done, total=total, mb=f"{done / 1e6:.1f} MB")

                path = fetch_layer(name, dest, url, force, progress)
            out.print(f"[green]{name}[/]: {escape(str(path))}")
            out.print(escape(f"  licence: {LICENCE}\n  citation: {PRODUCTS[name].citation}"), highlight=False)
            if name == "eez":
                out.print(
                    escape(f"  use it: zones: {{eez: {{path: {path}, format: marineregions}}}}"),
                    highlight=False,
                )


@app.command("version")
def version_cmd() -> None:
    """Print the versions of marinenet and its key dependencies."""
    from .pipeline import versions

    for k, v in versions().items():
        out.print(escape(f"{k} {v}"))


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted; no output was written")
        sys.exit(130)


if __name__ == "__main__":
    main()
