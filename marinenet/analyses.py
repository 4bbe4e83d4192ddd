"""Run-level analyses: joins zones (where) with trajectories (what happened) for the connectivity stage.

Called by :mod:`marinenet.pipeline` after tracking; writes, per zone layer:

* ``connectivity/<layer>.csv`` (and ``<layer>.settlement.csv`` for larvae): every (source,
  destination) pair, zero counts included, with 95 % intervals (``ci_low``, ``ci_high``); for a
  matrix of more than ``outputs: all_pairs_limit`` pairs (held sparse) the non-zero pairs only,
  and per source the pairs left out (count 0) with their interval in ``<matrix>.unseen.csv``;
* ``arrivals/<layer>.csv`` — first arrival per (source, destination): n, median, p10, p90 days;
* ``exposure/<layer>.csv`` — particle-days spent in each zone per source;
* ``indices/<layer>.csv`` — transboundary indices and network metrics per zone; for larvae
  the recruitment indices (from the settlement matrix), the end-of-run ones in
  ``indices/<layer>.end.csv``;
* ``network/<layer>.graphml`` — the connectivity graph;
* ``zones.gpkg`` — zone polygons carrying the indices (one GeoPackage layer per zone layer);
* ``protection.csv`` — protection-gap metrics when an MPA layer (and an EBSA layer) exist.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import xarray as xr

from .connectivity import tidy_table
from .connectivity.exposure import visit_tables
from .connectivity.fates import Rows
from .connectivity.indices import transboundary_indices
from .connectivity.network import connectivity_graph, network_metrics, write_graphml
from .connectivity.sparse import SparseCounts
from .connectivity.uncertainty import convergence, fraction_intervals, nonzero_intervals
from .outputs import write_csv
from .streaming import Streams
from .zones import ZoneLayer
from .zones.geometry import geodesic_area_km2

__all__ = ["analyse", "Analyses", "ALL_PAIRS", "NONZERO_PAIRS"]

#: what the rows of ``connectivity/<matrix>.csv`` are (summary.json ``connectivity_rows``)
ALL_PAIRS, NONZERO_PAIRS = "all pairs", "non-zero pairs only"

log = logging.getLogger("marinenet")


@dataclass
class Analyses:
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # connectivity with CIs
    indices: dict[str, pd.DataFrame] = field(default_factory=dict)
    arrivals: dict[str, pd.DataFrame] = field(default_factory=dict)
    exposure: dict[str, pd.DataFrame] = field(default_factory=dict)
    convergence: dict[str, dict] = field(default_factory=dict)
    protection: pd.DataFrame | None = None


def _high_seas(layer: ZoneLayer) -> str | None:
    return layer.high_seas


def analyse(
    stage: Path,
    layers: dict[str, ZoneLayer],
    matrices: dict[str, xr.DataArray | SparseCounts],
    destinations: dict[str, Rows],
    sources: dict[str, Rows],
    streams: Streams,
    rng: np.random.Generator,
) -> Analyses:
    """Compute and write every analysis table of a run into ``stage``.

    Parameters
    ----------
    destinations, sources
        Per matrix: the weighted ``(particle, label, weight)`` destination and source rows
        it was counted from (intervals, arrivals and exposure use the same assignment).
    streams
        Arrivals, time in zones and protection sums accumulated over the run.
    """
    out = Analyses()
    gpkg_frames = {}
    for name, m in matrices.items():
        table, out.convergence[name] = _connectivity(stage, name, m, sources[name], destinations[name], rng)
        out.tables[name] = table
        write_csv(table, stage / "connectivity" / f"{name}.csv")
    for name, layer in layers.items():
        if name not in matrices:
            continue
        idx, graph, end = _indices(stage, name, layer, matrices)
        if end is not None:  # larvae: the end-of-run indices beside the settlement ones
            out.indices[f"{name}.end"] = end
        arrivals, exposure = _exposure(name, layer, sources[name], streams)
        hs = _high_seas(layer)
        if hs is not None and hs in set(arrivals["source"]):
            abnj = arrivals[arrivals["source"] == hs].set_index("destination")
            idx = idx.merge(
                abnj[["median_days", "p10_days", "p90_days"]].add_prefix("abnj_arrival_"),
                left_on="zone",
                right_index=True,
                how="left",
            )
        out.indices[name], out.arrivals[name], out.exposure[name] = idx, arrivals, exposure
        write_csv(idx, stage / "indices" / f"{name}.csv")
        write_csv(arrivals, stage / "arrivals" / f"{name}.csv")
        write_csv(exposure, stage / "exposure" / f"{name}.csv")
        write_graphml(graph, stage / "network" / f"{name}.graphml", positions=layer.representative_points())
        frame = layer.frame[["id", "geometry"]].merge(idx, left_on="id", right_on="zone", how="left")
        gpkg_frames[name] = gpd.GeoDataFrame(
            frame.drop(columns=["zone"]), geometry="geometry", crs="EPSG:4326"
        )
    for name, frame in gpkg_frames.items():
        frame.to_file(stage / "zones.gpkg", layer=name, driver="GPKG")
    out.protection = _protection(stage, layers, streams)
    return out


def _connectivity(stage: Path, name: str, m, sources: Rows, destinations: Rows, rng: np.random.Generator):
    """The tidy table of a matrix with its intervals, and its sampling check (``rows``: what the table
    lists). A sparse matrix lists its non-zero pairs; the pairs left out go to ``<name>.unseen.csv``."""
    on = ["source", "destination"]
    if not isinstance(m, SparseCounts):
        dests = [str(d) for d in m["destination"].values]
        ci = fraction_intervals(sources, destinations, dests, rng)
        table = tidy_table(m, keep_zeros=True).merge(ci[[*on, "ci_low", "ci_high"]], on=on, how="left")
        return table, {**convergence(ci), "rows": ALL_PAIRS}
    ci, unseen = nonzero_intervals(sources, destinations, [str(d) for d in m.destinations], rng)
    table = tidy_table(m).merge(ci[[*on, "ci_low", "ci_high"]], on=on, how="left")
    write_csv(unseen, stage / "connectivity" / f"{name}.unseen.csv")
    log.info(
        "connectivity/%s.csv: the %d non-zero pairs of %d sources × %d destinations (a missing pair has "
        "a count of 0; its interval per source is in %s.unseen.csv)",
        name,
        len(table),
        m.sizes["source"],
        m.sizes["destination"],
        name,
    )
    return table, {**convergence(ci, unseen=unseen), "rows": NONZERO_PAIRS}


def _indices(stage: Path, name: str, layer: ZoneLayer, matrices: dict[str, xr.DataArray | SparseCounts]):
    """Per-zone indices and the network of a layer: from settlement for larvae, else from the end of run.

    For larvae the end-of-run indices are written to ``indices/<layer>.end.csv``.
    """
    zones = [*layer.ids] + ([layer.outside] if layer.outside == _high_seas(layer) else [])
    settlement = matrices.get(f"{name}.settlement")
    end: pd.DataFrame | None = transboundary_indices(matrices[name], zones, _high_seas(layer))
    assert end is not None
    if settlement is None:
        m, idx, end = matrices[name], end.assign(basis="end_of_run"), None
    else:
        m = settlement
        idx = transboundary_indices(settlement, zones, _high_seas(layer)).assign(basis="settlement")
        end = end.assign(basis="end_of_run")
        write_csv(end, stage / "indices" / f"{name}.end.csv")
    graph = connectivity_graph(m, zones)
    return idx.merge(network_metrics(graph), on="zone", how="left"), graph, end


def _exposure(name: str, layer: ZoneLayer, sources: Rows, streams: Streams):
    """First-arrival and exposure tables of a layer (every label, outside included, is a place)."""
    ls = streams.layers[name]
    return visit_tables(sources, ls.visits(), ls.zones, streams.survival)


def _protection(stage: Path, layers: dict[str, ZoneLayer], streams: Streams):
    """Share of particle-days in unprotected waters; EBSA coverage by MPAs."""
    if streams.protection is None:
        return None
    mpa = streams.protection.mpa
    alive, inside, alive_e, inside_e = streams.protection.sums
    rows = [
        {
            "metric": "share of particle-days outside MPAs (all particles)",
            "value": float(1 - inside / alive) if alive else np.nan,
        }
    ]
    ebsa = next((lay for lay in layers.values() if lay.role == "ebsa"), None)
    if ebsa is not None:
        rows.append(
            {
                "metric": "share of particle-days outside MPAs (particles released in EBSAs)",
                "value": float(1 - inside_e / alive_e) if alive_e else np.nan,
            }
        )
        protected = shapely.union_all(mpa.frame.geometry.values)
        for zid, geom in zip(ebsa.ids, ebsa.frame.geometry.values, strict=True):
            area = geodesic_area_km2(geom)
            covered = geodesic_area_km2(geom.intersection(protected)) if area else 0.0
            rows.append(
                {
                    "metric": f"share of EBSA '{zid}' covered by MPAs",
                    "value": covered / area if area else np.nan,
                }
            )
    table = pd.DataFrame(rows)
    write_csv(table, stage / "protection.csv")
    return table
