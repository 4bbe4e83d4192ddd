"""Build the figures, ``report.html`` and ``brief.pdf`` of a run from its output directory alone.

``marinenet report OUT`` calls :func:`build_report`; so does every run. Nothing here
imports the engines, the ocean readers or the zone machinery: the report reads files.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import xarray as xr
import yaml

from ..errors import InputDataError
from ..outputs import is_sparse_matrix, read_connectivity, sparse_matrix
from ..summary import Summary
from . import i18n
from .coherence_map import network_graph, network_names, plot_coherence
from .drawing import Job, draw_figures
from .facts import recruitment_indices
from .findings import Findings, make_findings
from .html import render_html
from .maps import EmptyFigure, plot_currents, plot_density, plot_matrix, plot_trajectories
from .pdf import render_pdf
from .zonemaps import plot_choropleth, plot_flows

__all__ = ["build_report", "RunFiles", "Figure"]

log = logging.getLogger("marinenet")


@dataclass
class RunFiles:
    """Everything the report needs, read from a run directory."""

    root: Path
    summary: Summary
    scenario: dict
    trajectories: xr.Dataset
    snapshot: xr.Dataset
    zones: dict[str, gpd.GeoDataFrame]
    connectivity: dict[str, pd.DataFrame]
    indices: dict[str, pd.DataFrame]
    arrivals: dict[str, pd.DataFrame]
    protection: pd.DataFrame | None
    matrices: xr.Dataset

    @classmethod
    def read(cls, root: Path, early: bool = False, reuse: RunFiles | None = None) -> RunFiles:
        """The files of the run in ``root``; ``early``: only those written before the analyses (the
        tables and matrices are left empty: :mod:`.early`); ``reuse``: those files as read already."""
        root = Path(root)
        needed = ["summary.json", "scenario.resolved.yaml", "trajectories.nc", "ocean_snapshot.nc"]
        needed += [] if early else ["connectivity.nc"]
        missing = [f for f in needed if not (root / f).exists()]
        if missing:
            raise InputDataError(
                f"{root} is not a complete marinenet run directory: missing {', '.join(missing)}"
            )

        def tables(folder: str) -> dict[str, pd.DataFrame]:
            return (
                {p.stem: pd.read_csv(p) for p in sorted((root / folder).glob("*.csv"))}
                if (root / folder).is_dir() and not early
                else {}
            )

        if reuse is None:
            zones = {p.stem: gpd.read_file(p) for p in sorted((root / "zones").glob("*.geojson"))}
            scenario = yaml.safe_load((root / "scenario.resolved.yaml").read_text())
            tracks = xr.load_dataset(root / "trajectories.nc")  # load_: closes the file
            snapshot = xr.load_dataset(root / "ocean_snapshot.nc")
        else:
            zones, scenario, tracks, snapshot = (
                reuse.zones,
                reuse.scenario,
                reuse.trajectories,
                reuse.snapshot,
            )
        return cls(
            root=root,
            summary=Summary.read(root / "summary.json"),
            scenario=scenario,
            trajectories=tracks,
            snapshot=snapshot,
            zones=zones,
            connectivity=tables("connectivity"),
            indices=tables("indices"),
            arrivals=tables("arrivals"),
            protection=pd.read_csv(root / "protection.csv")
            if (root / "protection.csv").exists() and not early
            else None,
            matrices=xr.Dataset() if early else read_connectivity(root / "connectivity.nc"),
        )

    @property
    def main_layer(self) -> str | None:
        """The layer the headline findings speak about: the release layer, else the first."""
        frm = (self.scenario.get("release") or {}).get("from") or {}
        first = frm[0] if isinstance(frm, list) and frm else frm
        release = first.get("layer") if isinstance(first, dict) else None
        if release in self.indices:
            return release
        return next((n for n in self.indices if "." not in n), None)


#: the figures that take longest to draw (about twice the others): handed out first
_LONGEST = ("tracks", "currents")
#: the figures drawn from the tracks, the currents and the zones alone (no analysis): drawn ahead
EARLY = ("tracks", "density", "protection", "currents")


@dataclass(frozen=True)
class Figure:
    """One figure of the report: title, PNG and a caption (also its alt text), in the report's language.

    ``key`` names the figure whatever the language (``flows``, ``import``, ``arrival``, ``protection``, ...).
    """

    title: str
    path: Path
    caption: str
    key: str = ""


def _attempt(notes: list[str], title: str, draw) -> Path | None:
    """Draw one figure; an empty one or a failure is skipped with a note (the report never fails on a map)."""
    L = i18n.current()
    try:
        return draw()
    except EmptyFigure as why:
        notes.append(L.t("note.not_drawn", title=title, why=why))
    except Exception as exc:  # noqa: BLE001 - a figure must never take the run down
        log.warning("report: figure '%s' skipped: %s: %s", title, type(exc).__name__, exc)
        notes.append(L.t("note.failed", title=title, error=f"{type(exc).__name__}: {exc}"))
    return None


def _figures(run: RunFiles, maps: Path, notes: list[str], meanwhile=None, early=None) -> list[Figure]:
    """Draw every figure that can be drawn (in the language set by :func:`i18n.use`); notes say what cannot.

    ``meanwhile``: called in this process while the figures are drawn (:func:`~.drawing.draw_figures`);
    ``early``: the figures drawn ahead (:class:`.early.Early`), used where drawn from the same inputs.
    """
    plans = _plans(run, maps, run.main_layer)
    ready = early.take(run, plans, maps) if early is not None else {}  # {plan index: its drawing}, waited for
    todo = [i for i in range(len(plans)) if i not in ready]
    jobs = [lambda into, title=plans[i][1], draw=plans[i][2]: _attempt(into, title, draw) for i in todo]
    order = sorted(range(len(jobs)), key=lambda k: plans[todo[k]][0] not in _LONGEST)  # the longest first
    got = draw_figures([jobs[k] for k in order], meanwhile=meanwhile)
    drawn = {todo[k]: got[n] for n, k in enumerate(order)}
    drawn.update({i: result() for i, result in ready.items()})
    figs = []
    for i, (key, title, _, caption) in enumerate(plans):
        path, said = drawn[i]
        notes += said
        if path is not None:
            figs.append(Figure(title, path, caption, key))
    return figs


def _plans(run: RunFiles, maps: Path, main: str | None, early: bool = False) -> list:
    """(key, title, draw, caption) of every figure of ``run`` about layer ``main``; ``early``: only those
    drawn from the files written before the analyses (:data:`EARLY`)."""
    L = i18n.current()
    s = run.summary
    syn = s.synthetic
    land = run.snapshot["land"]
    if "outside" in run.snapshot:  # the maps shade what lies outside the model domain
        land = land.assign_coords(outside=run.snapshot["outside"].astype(bool))
    zones = run.zones.get(main) if main else next(iter(run.zones.values()), None)
    roles = {*s.layers_with_role("ebsa"), *s.layers_with_role("mpa")}
    overlays = {n: g for n, g in run.zones.items() if n in roles and n != main}
    # (a backward run ends before it starts)
    days = abs(np.datetime64(s.end) - np.datetime64(s.start)) / np.timedelta64(1, "D")
    shown = L.count(min(run.trajectories.sizes.get("trajectory", 0), 400))
    plans = [
        (
            "tracks",
            L.t("fig.tracks"),
            lambda: plot_trajectories(
                run.trajectories,
                land,
                zones,
                maps / "trajectories.png",
                L.t("fig.tracks.map", name=s.name, start=L.date(s.start), end=L.date(s.end)),
                syn,
                rng=np.random.default_rng(s.seed),
                overlays=overlays,
            ),
            L.t("fig.tracks.caption", shown=shown, total=L.count(s.particles_released)),
        ),
        (
            "density",
            L.t("fig.density"),
            lambda: plot_density(
                run.trajectories, land, zones, maps / "density.png", L.t("fig.density.map"), syn
            ),
            L.t("fig.density.caption"),
        ),
    ]
    if main and main in run.connectivity and zones is not None and not early:
        plans += _zone_plans(run, maps, main, zones, land, syn, days, overlays)
    mpa = next((run.zones[n] for n in s.layers_with_role("mpa") if n in run.zones), None)
    if mpa is not None and len(mpa):
        plans.append(
            (
                "protection",
                L.t("fig.protection"),
                lambda: plot_density(
                    run.trajectories,
                    land,
                    mpa,
                    maps / "protection_gaps.png",
                    L.t("fig.protection.map"),
                    syn,
                    exclude=shapely.union_all(mpa.geometry.values),
                ),
                L.t("fig.protection.caption"),
            )
        )
    if (run.root / "coherence").is_dir() and not early:
        names: list[str | None] = [*network_names(run.root / "coherence")] or [None]
        plans += [_coherence_plan(run, maps, land, syn, name, len(names) > 1) for name in names]
    plans.append(
        (
            "currents",
            L.t("fig.currents"),
            lambda: plot_currents(
                run.snapshot,
                land,
                zones,
                maps / "currents.png",
                L.t("fig.currents.map", when=L.when(run.snapshot.time.values)),
                syn,
            ),
            L.t("fig.currents.caption"),
        )
    )
    for name in run.matrices.data_vars:
        plans.append(_matrix_plan(run, maps, str(name), days, syn))
    return plans


def _zone_plans(run, maps, main, zones, land, syn, days, overlays) -> list:
    L = i18n.current()
    idx = run.indices[main]
    frame = zones.merge(idx, left_on="id", right_on="zone", how="left")
    larva = (run.scenario.get("behaviour") or {}).get("kind") == "larva"
    recruitment = larva and recruitment_indices(run, main)
    basis = "settlers" if recruitment else "arrivals"
    n_col = next((c for c in ("settlers", "arrivals") if c in frame), None)
    settled = run.connectivity.get(f"{main}.settlement") if larva else None
    flows = settled if settled is not None else run.connectivity[main]

    def dependency():
        if larva and not recruitment:
            raise EmptyFigure(L.t("fig.import.larva_end"))
        return plot_choropleth(
            frame,
            "import_dependency",
            land,
            maps / f"import_dependency_{main}.png",
            L.t(f"fig.import.map_{basis}"),
            L.t("fig.import.label"),
            syn,
            n=n_col,
        )

    how = "settled" if settled is not None else "end"
    plans = [
        (
            "flows",
            L.t("fig.flows"),
            lambda: plot_flows(
                flows,
                zones,
                land,
                maps / f"flows_{main}.png",
                L.t(f"fig.flows.map_{how}", layer=main),
                syn,
                overlays=overlays,
            ),
            L.t(f"fig.flows.caption_{how}"),
        ),
        ("import", L.t("fig.import"), dependency, L.t(f"fig.import.caption_{basis}")),
    ]
    if "abnj_arrival_median_days" in frame and frame["abnj_arrival_median_days"].notna().any():
        arr = run.arrivals.get(main)
        if arr is not None:
            high = run.summary.high_seas_labels
            hs = frame["zone"].isin(high)
            counts = arr[arr["source"].isin(high)].set_index("destination")["n"]
            frame = frame.assign(abnj_arrivals=frame["id"].map(counts)).loc[~hs]
        plans.append(
            (
                "arrival",
                L.t("fig.arrival"),
                lambda: plot_choropleth(
                    frame,
                    "abnj_arrival_median_days",
                    land,
                    maps / f"abnj_arrival_{main}.png",
                    L.t("fig.arrival.map"),
                    L.t("fig.arrival.label"),
                    syn,
                    cmap="viridis_r",
                    scale=None,
                    n="abnj_arrivals",
                    fmt=lambda v: L.t("unit.d", x=L.num(v, 1)),
                ),
                L.t("fig.arrival.caption"),
            )
        )
    return plans


def _coherence_plan(run, maps, land, syn, network: str | None, named: bool):
    """The network-coherence map of one protected network (``named``: its name in the title, where there
    are several); its caption says which links are drawn (or that none were seen)."""
    L = i18n.current()
    title = L.t("fig.coherence") + (f" — {network}" if named else "")
    try:
        graph = network_graph(run.root / "coherence", run.zones, network=network)
    except EmptyFigure as exc:
        why = str(exc)

        def nothing():
            raise EmptyFigure(why)

        return ("coherence", title, nothing, "")
    summary = pd.read_csv(run.root / "coherence" / "summary.csv").set_index("network")
    how = str(summary["connection"].get(graph.network, "end")) if "connection" in summary else "end"
    caption = L.t(
        "fig.coherence.caption",
        network=graph.network,
        how=L.t(f"coh.connection.{how}"),
        min=L.num(graph.min_link, 2),
    )
    if len(graph.links):
        caption += L.tn("fig.coherence.caption_links", len(graph.links), k=L.count(len(graph.links)))
    else:
        caption += L.t("fig.coherence.caption_nolinks")
    if len(graph.candidates):
        caption += L.t("fig.coherence.caption_cand")
    return (
        "coherence",
        title,
        lambda: plot_coherence(
            graph,
            land,
            maps / f"coherence_{graph.network}.png",
            L.t("fig.coherence.map", network=graph.network),
            syn,
        ),
        caption,
    )


def _matrix_plan(run, maps, name, days, syn):
    L = i18n.current()

    def draw():
        if is_sparse_matrix(run.matrices, name):  # the largest rows and columns, never every pair
            shown, released = sparse_matrix(run.matrices, name).top_block()
        else:
            m = run.matrices[name].rename({f"{name}_source": "source", f"{name}_destination": "destination"})
            shown = _readable(m)
            released = m.sum("destination").sel(source=shown["source"]).values
        if shown.sizes["source"] == 0 or shown.sizes["destination"] == 0:
            raise EmptyFigure(L.t("fig.matrix.empty"))
        return plot_matrix(
            shown,
            maps / f"connectivity_{name}.png",
            L.t("fig.matrix.map", layer=name, days=L.days(days, 0 if float(days).is_integer() else 1)),
            syn,
            released=released,
        )

    caption = L.t(
        "fig.matrix.caption.backward" if run.summary.direction == "backward" else "fig.matrix.caption"
    )
    return ("matrix", L.t("fig.matrix", layer=name), draw, caption)


def _readable(m: xr.DataArray, most: int = 40) -> xr.DataArray:
    """Rows that released and columns that received particles; at most ``most`` of each (largest)."""
    rows, cols = m.sum("destination"), m.sum("source")
    keep_r = rows.sortby(rows, ascending=False)["source"].values[: min(most, int((rows > 0).sum()))]
    keep_c = cols.sortby(cols, ascending=False)["destination"].values[: min(most, int((cols > 0).sum()))]
    return m.sel(
        source=[s for s in m["source"].values if s in set(keep_r)],
        destination=[d for d in m["destination"].values if d in set(keep_c)],
    )


def _atomic_write(path: Path, write) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o644)  # readable like the run's other files (mkstemp makes 0600)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def run_files(root: Path) -> list[str]:
    """The files of a run as the reader should see them: paths inside the run folder."""
    names = {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")}
    return sorted(names | {"report.html", "brief.pdf"})


def report_language(run: RunFiles, language: str | None = None) -> str:
    """The report's language: ``language`` if given, else the scenario's ``report.language``, else English."""
    chosen = language or ((run.scenario or {}).get("report") or {}).get("language") or "en"
    return i18n.check_language(chosen, "--language" if language else "report.language")


def _brief(run: RunFiles, findings: Findings, figs: list[Figure], path: Path) -> Job:
    """Write ``brief.pdf``; a failure is a note (the brief must never take the run down)."""

    def job(notes: list[str]) -> Path | None:
        try:
            _atomic_write(path, lambda p: render_pdf(run, findings, figs, p))
            return path
        except Exception as exc:  # noqa: BLE001
            log.warning("report: brief.pdf could not be written: %s: %s", type(exc).__name__, exc)
            L = i18n.get(findings.language)
            notes.append(L.t("pdf.failed", error=f"{type(exc).__name__}: {exc}"))
            return None

    return job


def build_report(
    root: str | Path, language: str | None = None, also: Sequence[Job] = (), early=None
) -> tuple[Path, Path]:
    """(Re)build ``maps/``, ``report.html`` and ``brief.pdf`` of the run in ``root``.

    ``also``: jobs that write more files of the run (the site dossiers of :func:`marinenet.run`), done by
    the processes that draw, beside ``brief.pdf`` (they need no figure), before ``report.html`` lists the
    run's files.

    ``early``: the figures drawn while the run analysed (:func:`.early.draw_early`), used where drawn
    from the same inputs as this report's.

    ``language`` (``en``, ``fr``, ``es``) overrides the scenario's ``report.language``. A figure or
    finding that cannot be made is skipped with a logged warning and a note in the report; only a run
    folder that cannot be read at all (:class:`InputDataError`) or an unknown language
    (:class:`~marinenet.errors.ScenarioError`) is an error.
    """
    run = RunFiles.read(Path(root), reuse=early.run if early is not None else None)
    code = report_language(run, language)
    maps = run.root / "maps"
    maps.mkdir(exist_ok=True)
    notes: list[str] = []
    made: list[Findings] = []  # the findings, made while the figures are drawn
    with i18n.use(code):
        figs = _figures(run, maps, notes, lambda: made.append(make_findings(run, code)), early)
        if (run.scenario.get("outputs") or {}).get("animation"):  # shown in report.html by animation_section
            from .animate import animate

            _attempt(notes, "Animation", lambda: animate(run))
    (findings,) = made
    findings.notes = notes + findings.notes
    html_path, pdf_path = run.root / "report.html", run.root / "brief.pdf"
    # brief.pdf and the ``also`` jobs (which need no figure) side by side, then report.html lists the files
    ((_, said), *_) = draw_figures([_brief(run, findings, figs, pdf_path), *also])
    findings.notes += said  # brief.pdf failed: report.html says so
    page = render_html(run, findings, figs, run_files(run.root))
    _atomic_write(html_path, lambda p: p.write_text(page, encoding="utf-8"))
    return html_path, pdf_path
