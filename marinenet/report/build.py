"""Build the figures, ``report.html`` and ``brief.pdf`` of a run from its output directory alone.

``marinenet report OUT`` calls :func:`build_report`; so does every run. Nothing here
imports the engines, the ocean readers or the zone machinery: the report reads files.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import xarray as xr
import yaml

from ..errors import InputDataError
from .findings import headline_findings
from .html import render_html
from .maps import plot_choropleth, plot_currents, plot_density, plot_flows, plot_matrix, plot_trajectories
from .pdf import render_pdf

__all__ = ["build_report", "RunFiles"]


@dataclass
class RunFiles:
    """Everything the report needs, read from a run directory."""

    root: Path
    summary: dict
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
    def read(cls, root: Path) -> RunFiles:
        root = Path(root)
        needed = [
            "summary.json",
            "scenario.resolved.yaml",
            "trajectories.nc",
            "ocean_snapshot.nc",
            "connectivity.nc",
        ]
        missing = [f for f in needed if not (root / f).exists()]
        if missing:
            raise InputDataError(
                f"{root} is not a complete marinenet run directory: missing {', '.join(missing)}"
            )

        def tables(folder: str) -> dict[str, pd.DataFrame]:
            return (
                {p.stem: pd.read_csv(p) for p in sorted((root / folder).glob("*.csv"))}
                if (root / folder).is_dir()
                else {}
            )

        zones = {p.stem: gpd.read_file(p) for p in sorted((root / "zones").glob("*.geojson"))}
        return cls(
            root=root,
            summary=json.loads((root / "summary.json").read_text()),
            scenario=yaml.safe_load((root / "scenario.resolved.yaml").read_text()),
            trajectories=xr.open_dataset(root / "trajectories.nc").load(),
            snapshot=xr.open_dataset(root / "ocean_snapshot.nc").load(),
            zones=zones,
            connectivity=tables("connectivity"),
            indices=tables("indices"),
            arrivals=tables("arrivals"),
            protection=pd.read_csv(root / "protection.csv") if (root / "protection.csv").exists() else None,
            matrices=xr.open_dataset(root / "connectivity.nc").load(),
        )

    @property
    def main_layer(self) -> str | None:
        """The layer the headline findings speak about: the release layer, else the first."""
        release = (self.scenario.get("release", {}).get("from") or {}).get("layer")
        if release in self.indices:
            return release
        return next((n for n in self.indices if not n.endswith(".end")), None)  # .end: larvae at end


def _figures(run: RunFiles, maps: Path) -> list[tuple[str, Path, str]]:
    """Draw every figure; returns (title, path, caption)."""
    s = run.summary
    syn = bool(s.get("synthetic"))
    land = run.snapshot["land"]
    main = run.main_layer
    zones = run.zones.get(main) if main else next(iter(run.zones.values()), None)
    days = (np.datetime64(s["end"]) - np.datetime64(s["start"])) / np.timedelta64(1, "D")
    figs = []
    p = plot_trajectories(
        run.trajectories,
        land,
        zones,
        maps / "trajectories.png",
        f"{s['name']}: particle tracks over {days:g} days from {s['start'][:10]}",
        syn,
        rng=np.random.default_rng(s.get("seed", 0)),
    )
    figs.append(
        (
            "Particle tracks",
            p,
            "A random sample of tracks, coloured by release area; markers show where "
            "particles ended, stranded on a coast or left the model domain.",
        )
    )
    p = plot_density(
        run.trajectories, land, zones, maps / "density.png", "Where particles spent their time", syn
    )
    figs.append(("Particle density", p, "Particle-days per cell over the whole run (logarithmic colours)."))
    if main and main in run.connectivity and zones is not None:
        p = plot_flows(
            run.connectivity[main],
            zones,
            land,
            maps / f"flows_{main}.png",
            f"Flows between zones of '{main}' after {days:g} days",
            syn,
        )
        figs.append(
            (
                "Flows between zones",
                p,
                "Arrows from the zone where particles were released to the zone "
                "where they ended; width proportional to the number of particles.",
            )
        )
        idx = run.indices[main]
        frame = zones.merge(idx, left_on="id", right_on="zone", how="left")
        p = plot_choropleth(
            frame,
            "import_dependency",
            land,
            maps / f"import_dependency_{main}.png",
            "Import dependency: share of arrivals that came from elsewhere",
            "import dependency (0 = self-supplied, 1 = all imported)",
            syn,
        )
        figs.append(
            (
                "Import dependency",
                p,
                "For each zone, the share of particles ending there that were released in another zone.",
            )
        )
        if "abnj_arrival_median_days" in frame and frame["abnj_arrival_median_days"].notna().any():
            p = plot_choropleth(
                frame,
                "abnj_arrival_median_days",
                land,
                maps / f"abnj_arrival_{main}.png",
                "How fast high-seas water arrives: median first-arrival time",
                "median days from release on the high seas",
                syn,
                cmap="viridis_r",
            )
            figs.append(
                (
                    "Arrival time from the high seas",
                    p,
                    "Median number of days for particles released on "
                    "the high seas (ABNJ) to first reach each zone.",
                )
            )
    mpa = next((g for n, g in run.zones.items() if n.startswith("mpa")), None)
    if mpa is not None and len(mpa):
        import shapely

        p = plot_density(
            run.trajectories,
            land,
            mpa,
            maps / "protection_gaps.png",
            "Protection gaps: time spent outside marine protected areas",
            syn,
            exclude=shapely.union_all(mpa.geometry.values),
        )
        figs.append(
            (
                "Protection gaps",
                p,
                "Particle-days spent outside every MPA (MPAs outlined): where "
                "connectivity runs through unprotected water.",
            )
        )
    p = plot_currents(
        run.snapshot,
        land,
        zones,
        maps / "currents.png",
        f"Surface currents at {str(run.snapshot.time.values)[:16]}",
        syn,
    )
    figs.append(("Currents", p, "Speed and streamlines of the currents at the release time."))
    for name in run.matrices.data_vars:
        m = run.matrices[name].rename({f"{name}_source": "source", f"{name}_destination": "destination"})
        shown = _readable(m)
        p = plot_matrix(
            shown,
            maps / f"connectivity_{name}.png",
            f"Connectivity, layer '{name}': where particles end after {days:g} days",
            syn,
            released=m.sum("destination").sel(source=shown["source"]).values,
        )
        figs.append(
            (
                f"Connectivity matrix: {name}",
                p,
                "Fraction (and number) of the particles released in each "
                "zone (rows) that ended in each zone or outcome (columns).",
            )
        )
    return figs


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
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def build_report(root: str | Path) -> tuple[Path, Path]:
    """(Re)build ``maps/``, ``report.html`` and ``brief.pdf`` of the run in ``root``."""
    run = RunFiles.read(Path(root))
    maps = run.root / "maps"
    maps.mkdir(exist_ok=True)
    figs = _figures(run, maps)
    findings = headline_findings(run)
    html_path, pdf_path = run.root / "report.html", run.root / "brief.pdf"
    _atomic_write(html_path, lambda p: p.write_text(render_html(run, findings, figs), encoding="utf-8"))
    _atomic_write(pdf_path, lambda p: render_pdf(run, findings, figs, p))
    return html_path, pdf_path
