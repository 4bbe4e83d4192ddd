"""Command line: ``marinenet run | validate | ensemble | tracks | report | info | fetch | version``.

A thin face over :mod:`marinenet.pipeline`. User errors (bad scenario, bad data) print a
short message and exit with code 2, without a traceback.
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
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from .errors import MarinenetError, ScenarioError

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
    from .pipeline import resume_scenario
    from .pipeline import run as run_pipeline
    from .scenario import load_scenario

    _setup_logging(quiet)
    try:
        if (scenario is None) == (resume is None):
            raise ScenarioError(
                "give a scenario file, or --resume OUT to finish an interrupted run (not both)"
            )
        if resume is not None:
            sc = resume_scenario(resume)
            out_dir = resume
        else:
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

            with _maybe_client(workers, scheduler) as client:
                result = run_pipeline(
                    sc,
                    out=out_dir,
                    progress=progress,
                    maps=not no_maps,
                    resume=resume is not None,
                    client=client,
                )
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
        table.add_row("particles released", f"{s['particles_released']:,}")
        for key in OUTCOME_KEYS:  # every outcome, also those with no particles
            table.add_row(f"  {key.replace('_', ' ')}", f"{s.get(key, 0):,}")
        for key in ("engine", "particle_steps", "engine_seconds", "wall_seconds"):
            table.add_row(key.replace("_", " "), str(s.get(key)))
        out.print(table)
    report = result.out_dir / "report.html"
    if report.exists():
        out.print(f"outputs written to [bold]{result.out_dir}[/]\nreport: [bold]{report}[/] (and brief.pdf)")
    else:
        out.print(
            f"outputs written to [bold]{result.out_dir}[/] (no report: see run.log; 'marinenet report' "
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
    try:
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
    except MarinenetError as exc:
        _fail(exc)
        return
    out.print(
        f"ensemble of {len(dates)} members written to [bold]{out_dir}[/]: ensemble/<layer>.csv "
        f"({', '.join(spread)})"
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
    id_col: str = typer.Option("id", "--id-column", help="generic CSV: individual column."),
    time_col: str = typer.Option("time", "--time-column", help="generic CSV: time column."),
    lon_col: str = typer.Option("lon", "--lon-column", help="generic CSV: longitude column."),
    lat_col: str = typer.Option("lat", "--lat-column", help="generic CSV: latitude column."),
) -> None:
    """Jurisdiction analytics of real animal tracks: time in zone, transitions, first entries."""
    from .outputs import check_output_dir, commit_dir, staging_dir, write_csv, write_json
    from .scenario import ZoneLayerConfig
    from .telemetry import analyse_tracks, read_tracks, speed_filter
    from .zones import load_layers

    try:
        raw = read_tracks(track_file, None, id_col, time_col, lon_col, lat_col)
        clean, dropped = speed_filter(raw, max_speed)
        cfg = ZoneLayerConfig(
            path=str(zones), format=zone_format, id=zone_id if zone_format == "generic" else None
        )
        layers = load_layers("zones", cfg)
        out_dir = out_dir.resolve()
        check_output_dir(out_dir)
    except (MarinenetError, ValueError) as exc:
        _fail(exc if isinstance(exc, MarinenetError) else ScenarioError(str(exc)))
        return
    stage = staging_dir(out_dir)
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
                "max_speed_kmh": max_speed,
                "layers": list(layers),
                "track_file": str(track_file),
            },
            stage / "summary.json",
        )
        commit_dir(stage, out_dir)
    except BaseException:
        import shutil

        shutil.rmtree(stage, ignore_errors=True)
        raise
    out.print(
        f"{clean['individual'].nunique()} individuals, {len(clean)} fixes ({dropped} dropped by the "
        f"{max_speed:g} km/h filter): tables written to [bold]{out_dir}[/]"
    )


@app.command()
def report(run_dir: Path = typer.Argument(..., help="Output directory of a finished run.")) -> None:
    """Rebuild the maps, report.html and brief.pdf of a saved run (no re-simulation)."""
    from .report.build import build_report

    try:
        html_path, pdf_path = build_report(run_dir)
    except MarinenetError as exc:
        _fail(exc)
        return
    out.print(f"[green]report[/]: {html_path}\n[green]brief[/]: {pdf_path}")


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

    try:
        ds = open_currents(path, depth=depth, grid=str(grid) if grid else None, time_origin=time_origin)
    except MarinenetError as exc:
        _fail(exc)
        return
    t = ds["time"].values
    speed = np.hypot(ds["u"], ds["v"])
    water = ~ds["land"].values & ~(ds["outside"].values if "outside" in ds else False)
    table = Table(show_header=False, title=f"marinenet info: {path}")
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
        table.add_row(k, v)
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
        try:
            path = fetch_cmems(product, bbox, start, end, dest or Path("ocean_data"))
        except MarinenetError as exc:
            _fail(exc)
            return
        out.print(f"[green]cmems[/]: {path}\n  use it: ocean: {{source: {path}}}", highlight=False)
        return

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
