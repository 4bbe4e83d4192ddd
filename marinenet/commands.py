"""The Python faces of the commands ``tracks``, ``info``, ``report`` and ``fetch``.

The command line (:mod:`marinenet.cli`) parses options, calls these and prints what they
return; a modeller gets the same from Python::

    from marinenet.commands import describe_currents, rebuild_report, track_analytics
    rows = describe_currents("ocean_data/cmems_*.nc")          # [(what, value), ...]
    result = track_analytics("seal.csv", {"path": "eez.gpkg", "format": "marineregions"}, "out")
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import ScenarioError

__all__ = [
    "TrackResult",
    "track_analytics",
    "describe_currents",
    "rebuild_report",
    "dossier",
    "fetch",
    "FetchResult",
]


@dataclass
class TrackResult:
    """What :func:`track_analytics` read, kept and wrote."""

    out_dir: Path
    individuals: int
    fixes: int
    dropped: int
    max_speed: float
    layers: list[str]


def track_analytics(
    track_file: str | Path,
    zones,
    out: str | Path,
    max_speed: float = 15.0,
    dayfirst: bool | None = None,
    conflicting: str = "error",
    columns: tuple[str, str, str, str] = ("id", "time", "lon", "lat"),
) -> TrackResult:
    """Jurisdiction analytics of animal tracks: ``time_in_zone``, ``transitions`` and ``first_entry``
    tables per zone layer, the cleaned tracks and a summary, written to ``out`` (``marinenet tracks``).

    ``zones`` is a ``zones.<name>`` scenario entry (:class:`~marinenet.scenario.ZoneLayerConfig` or
    its dict); ``columns`` the individual, time, longitude and latitude columns of a generic CSV.
    """
    from pydantic import ValidationError

    from ._schema import format_validation_error
    from .scenario import ZoneLayerConfig
    from .telemetry import read_tracks, speed_filter
    from .zones import load_layers

    if conflicting not in ("error", "drop"):
        raise ScenarioError(f"--conflicting-fixes must be 'error' or 'drop', got {conflicting!r}")
    raw = read_tracks(Path(track_file), None, *columns, dayfirst, conflicting)
    clean, dropped = speed_filter(raw, max_speed)
    try:
        cfg = zones if isinstance(zones, ZoneLayerConfig) else ZoneLayerConfig(**zones)
    except ValidationError as exc:
        raise ScenarioError(format_validation_error(exc, "marinenet tracks", ZoneLayerConfig)) from None
    layers = load_layers("zones", cfg)
    out_dir = Path(out).resolve()
    _write_tracks(out_dir, layers, raw, clean, dropped, max_speed, Path(track_file))
    return TrackResult(
        out_dir, int(clean["individual"].nunique()), len(clean), dropped, max_speed, list(layers)
    )


def _write_tracks(
    out_dir: Path,
    layers,
    raw: pd.DataFrame,
    clean: pd.DataFrame,
    dropped: int,
    max_speed: float,
    track_file: Path,
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


def describe_currents(
    path: str, grid: str | None = None, time_origin: str | None = None, depth: float = 0.0
) -> list[tuple[str, str]]:
    """What marinenet understands of a currents dataset, as (what, value) rows (``marinenet info``)."""
    from .ocean.reader import open_currents

    ds = open_currents(path, depth=depth, grid=grid, time_origin=time_origin)
    t = ds["time"].values
    speed = np.hypot(ds["u"].values, ds["v"].values)
    water = ~ds["land"].values & ~(ds["outside"].values if "outside" in ds else False)
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
            f"median {float(np.nanmedian(speed[:, water])):.3f}, max {float(np.nanmax(speed)):.3f} m/s",
        ),
        ("memory", f"{ds.nbytes / 1e6:.1f} MB for the whole file"),
    ]
    return [(k, str(v)) for k, v in rows]


def rebuild_report(run_dir: str | Path, language: str | None = None) -> tuple[Path, Path]:
    """Redraw the maps, ``report.html`` and ``brief.pdf`` of a saved run (``marinenet report``).

    Takes the output folder's lock, finishes or undoes a commit cut by a kill, and records the
    new files in the run's file list. ``language``: en, fr or es (default: the scenario's
    ``report.language``). Returns the paths of the report and the brief.
    """
    from .report.build import build_report
    from .rundir import output_lock, record_files, recover

    run_dir = Path(run_dir)
    where = run_dir.resolve()
    with output_lock(where) if where.parent.is_dir() else contextlib.nullcontext():
        recover(where)  # a commit cut by a kill: finish it or put the previous run back
        before = {p for p in run_dir.rglob("*") if p.is_file()}
        html_path, pdf_path = build_report(run_dir, language)
        new = {p for p in run_dir.rglob("*") if p.is_file()} - before
        record_files(run_dir, [str(p.relative_to(run_dir)) for p in new])
    return html_path, pdf_path


def dossier(out: str | Path, site: str, language: str | None = None):
    """The connectivity dossier of ``site`` in the run or ensemble folder ``out`` (``marinenet dossier``).

    Holds the folder's lock while writing ``OUT/dossier/<site>.html`` and ``.pdf``, records them in the
    run's file list.

    Parameters
    ----------
    out
        A finished run folder whose scenario has ``analysis: coherence`` (with a jurisdiction layer,
        ``eez`` by default), or an ensemble folder of such runs (``members/<date>/``).
    site
        A protected site or candidate of the coherence analysis (as named in ``coherence/<network>.csv``
        or ``<network>.candidates.csv``).
    language
        en, fr or es (default: the scenario's ``report.language``).

    Returns
    -------
    marinenet.report.dossier.DossierResult
        The site, the language and the paths of the HTML page and the PDF.

    Raises
    ------
    ScenarioError
        An unknown site (the message lists the valid names and suggests the closest) or language.
    InputDataError
        ``out`` lacks the outputs a dossier needs (the message says what to add to the scenario).
    """
    from .report.dossier import write_dossier
    from .rundir import output_lock, record_files

    out = Path(out)
    if not out.is_dir():
        raise ScenarioError(
            f"{out}: no such folder: give the output folder of 'marinenet run' or 'marinenet ensemble'"
        )
    with output_lock(out.resolve()):
        result = write_dossier(out, site, language)
        record_files(out, [str(p.relative_to(out)) for p in (result.html, result.pdf)])
    return result


@dataclass
class FetchResult:
    """A downloaded file, and how to use and cite it."""

    name: str
    path: Path
    use: str
    licence: str = ""
    citation: str = ""


def fetch(
    what: str,
    dest: str | Path | None = None,
    *,
    product: str | None = None,
    bbox: tuple[float, float, float, float] | None = None,
    start: str | None = None,
    end: str | None = None,
    high_seas: bool = False,
    url: str | None = None,
    force: bool = False,
    progress: Callable[[str], Callable[[int, int | None], None] | None] | None = None,
) -> list[FetchResult]:
    """Download forcing (``cmems``) or official zone layers (``eez``, ``high_seas`` …) (``marinenet fetch``).

    ``progress(name)`` may return a ``callback(bytes_done, bytes_total)`` for each download.
    """
    if what == "cmems":
        from .ocean.fetch import fetch_cmems

        if not (product and bbox and start and end):
            raise ScenarioError("fetch cmems needs --product, --bbox, --start and --end")
        path = fetch_cmems(product, bbox, start, end, Path(dest) if dest else Path("ocean_data"))
        return [FetchResult("cmems", path, f"ocean: {{source: {path}}}")]
    from .zones.fetch import LICENCE, PRODUCTS, fetch_layer

    out = []
    for name in [what] + (["high_seas"] if high_seas else []):
        path = fetch_layer(
            name, Path(dest) if dest else None, url, force, progress(name) if progress else None
        )
        use = f"zones: {{eez: {{path: {path}, format: marineregions}}}}" if name == "eez" else ""
        out.append(FetchResult(name, Path(path), use, LICENCE, PRODUCTS[name].citation))
    return out
