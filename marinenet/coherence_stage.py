"""The coherence analysis of a run (``analysis: coherence``): writes ``coherence/``.

Per protected network (layer) ``N`` in the region ``R`` (see :mod:`marinenet.coherence_sites`):

* ``coherence/summary.csv`` — ``network, region, region_area_km2, protected_km2, PC, ECA_km2,
  ProtConn_percent`` and their 95 % bootstrap intervals (``*_ci_low``, ``*_ci_high``: particles
  resampled within each source site, ``analysis.coherence.bootstrap`` times, seeded);
* ``coherence/<N>.csv`` — per protected site: ``zone, area_km2, dPC, dPC_intra, dPC_flux,
  dPC_connector`` (percent of PC), ``percent`` (share of the region), ``members`` (the protected
  areas it stands for, ``;``-separated: several where overlapping ones were merged into one site;
  ``summary.csv`` counts them in ``overlapping_merged``);
* ``coherence/<N>.candidates.csv`` — per candidate: ``zone, area_km2`` (the area it adds),
  ``delta_ECA_km2, delta_ECA_per_km2, rank`` (1 = largest gain);
* by jurisdiction, the greedy portfolio and the edge lists: :mod:`marinenet.coherence_planning`.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .analysis_config import CoherenceConfig
from .coherence_planning import write_planning
from .coherence_sites import Rows, Sites, build_sites, region_of, site_flows
from .coherence_states import write_states
from .connectivity.coherence import coherence, eca_gain, importance, resampled_values
from .connectivity.coherence_flows import Flows, bootstrap
from .outputs import write_csv
from .scenario import Scenario
from .streaming import Streams
from .zones import ZoneLayer
from .zones.geometry import geodesic_area_km2

__all__ = ["write_coherence", "check_release", "CoherenceResult"]

log = logging.getLogger("marinenet")


@dataclass
class CoherenceResult:
    """The tables written to ``coherence/``."""

    summary: pd.DataFrame
    sites: dict[str, pd.DataFrame] = field(default_factory=dict)
    candidates: dict[str, pd.DataFrame] = field(default_factory=dict)


def _networks(cfg: CoherenceConfig) -> list[str]:
    return [cfg.network] if isinstance(cfg.network, str) else list(cfg.network or [])


def check_release(scenario: Scenario, layers: dict[str, ZoneLayer], lon: np.ndarray, lat: np.ndarray) -> None:
    """Warn (before tracking) about network or candidate sites that release no particle.

    Where their particles go is unknown: their outgoing links count as none, so PC, ECA and
    ProtConn are lower bounds; ``summary.csv`` counts such sites (``sites_without_particles``) and
    ``coherence/<network>.csv`` gives every site's ``released`` particles.
    """
    cfg = scenario.analysis.coherence
    if cfg is None:
        return
    for name in [*_networks(cfg), *([cfg.candidates] if cfg.candidates else [])]:
        layer = layers[name]
        _, label, _ = layer.members(lon, lat)
        empty = sorted(set(layer.ids) - set(label.tolist()))
        if empty:
            log.warning(
                "analysis.coherence: no particle is released in %d site(s) of layer %r (%s%s): where their "
                "particles go is unknown and counts as nowhere, so PC, ECA and ProtConn are lower bounds. "
                "Release from them too (release.from: [..., {layer: %s}]) or release more particles",
                len(empty),
                name,
                ", ".join(map(repr, empty[:5])),
                " ..." if len(empty) > 5 else "",
                name,
            )


def write_coherence(
    stage: Path,
    scenario: Scenario,
    layers: dict[str, ZoneLayer],
    destinations: dict[str, Rows],
    sources: dict[str, Rows],
    streams: Streams,
    n_particles: int,
    rng: np.random.Generator,
) -> CoherenceResult | None:
    """Compute and write ``coherence/`` for the scenario's ``analysis.coherence`` (None without it)."""
    cfg = scenario.analysis.coherence
    if cfg is None:
        return None
    t0 = time.perf_counter()
    assert cfg.region is not None  # filled in by analysis_problem when the scenario is read
    region = region_of(layers[cfg.region])
    region_area = geodesic_area_km2(region)
    rows = []
    out = CoherenceResult(pd.DataFrame())
    for name in _networks(cfg):
        cand = layers[cfg.candidates] if cfg.candidates else None
        sites = build_sites(layers[name], cand, region)
        if sites.merged:
            log.warning(
                "analysis.coherence: %d group(s) of overlapping protected areas in layer %r each count as one "
                "site (their union: the shared area once, their particles pooled): %s%s; 'members' in "
                "coherence/%s.csv lists them",
                len(sites.merged),
                name,
                "; ".join(repr(sites.labels[k]) for k in sites.merged[:5]),
                " ..." if len(sites.merged) > 5 else "",
                name,
            )
        used = [layers[name]] + ([cand] if cand is not None else [])
        flows = site_flows(sites, used, cfg, sources, destinations, streams, n_particles)
        p = flows.probabilities()
        net = np.flatnonzero(sites.network)
        cands = np.flatnonzero(~sites.network)
        gain = eca_gain(sites.area_km2, p, net, cands)
        top = cands[np.argsort(-gain, kind="stable")[:CANDIDATE_INTERVALS]]
        draws = _draws(cfg, sites, flows, region_area, top, rng)
        rows.append(_summary_row(name, cfg, sites, flows, p, region_area, draws))
        out.sites[name] = _site_table(sites, flows, p, net, region_area)
        write_csv(out.sites[name], stage / "coherence" / f"{name}.csv")
        if cand is not None:
            out.candidates[name] = _candidate_table(sites, flows, gain, top, draws)
            write_csv(out.candidates[name], stage / "coherence" / f"{name}.candidates.csv")
        juris = layers.get(cfg.jurisdiction) if cfg.jurisdiction else None
        write_planning(stage / "coherence", name, sites, p, region_area, cfg.target, juris)
        if juris is not None:  # each site's particles by state, both ways (the site dossier reads it)
            states_rng = np.random.default_rng([scenario.seed, 3, len(rows)])  # apart from the bootstrap's
            write_states(
                stage / "coherence", name, sites, used, juris, cfg, sources, destinations, streams, states_rng
            )
    out.summary = pd.DataFrame(rows)
    write_csv(out.summary, stage / "coherence" / "summary.csv")
    log.info("coherence analysis written in %.1f s", time.perf_counter() - t0)
    return out


#: the candidates with the largest gains that get an interval (each resample recomputes their gains)
CANDIDATE_INTERVALS = 10


def _draws(
    cfg: CoherenceConfig,
    sites: Sites,
    flows: Flows,
    region_area: float,
    top: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray | None:
    """Bootstrap draws of (PC, ECA, ProtConn, the ECA gain of each ``top`` candidate); None without resamples."""
    if cfg.bootstrap == 0:
        return None
    net = np.flatnonzero(sites.network)

    def stat(pb: np.ndarray) -> np.ndarray:
        return resampled_values(sites.area_km2, pb, net, top, region_area)

    return bootstrap(flows, stat, cfg.bootstrap, rng)


def _summary_row(
    name: str,
    cfg: CoherenceConfig,
    sites: Sites,
    flows: Flows,
    p: np.ndarray,
    region_area: float,
    draws: np.ndarray | None,
) -> dict:
    net = np.flatnonzero(sites.network)
    c = coherence(sites.area_km2[net], p[np.ix_(net, net)], region_area)
    row = {
        "network": name,
        "region": cfg.region,
        "region_area_km2": region_area,
        "protected_km2": c.protected_km2,
        "PC": c.PC,
        "ECA_km2": c.ECA_km2,
        "ProtConn_percent": c.ProtConn_percent,
    }
    low, high = (
        (np.full(3, np.nan),) * 2 if draws is None else np.percentile(draws[:, :3], [2.5, 97.5], axis=0)
    )
    for k, key in enumerate(["PC", "ECA_km2", "ProtConn_percent"]):
        row[f"{key}_ci_low"], row[f"{key}_ci_high"] = low[k], high[k]
    row["released"] = float(flows.released()[net].sum())
    row["sites_without_particles"] = int((flows.released()[net] <= 0).sum())
    row["connection"] = cfg.connection
    row["bootstrap"] = cfg.bootstrap
    row["overlapping_merged"] = sum(len(sites.members[k]) for k in sites.merged)
    log.info(
        "coherence of %r in %r: ProtConn %.3g %% (95 %% interval %.3g to %.3g), ECA %.4g km²",
        name,
        cfg.region,
        c.ProtConn_percent,
        row["ProtConn_percent_ci_low"],
        row["ProtConn_percent_ci_high"],
        c.ECA_km2,
    )
    return row


def _site_table(
    sites: Sites, flows: Flows, p: np.ndarray, net: np.ndarray, region_area: float
) -> pd.DataFrame:
    a = sites.area_km2[net]
    imp = importance(a, p[np.ix_(net, net)])
    return pd.DataFrame(
        {
            "zone": [sites.labels[k] for k in net],
            "area_km2": a,
            "dPC": imp.dPC,
            "dPC_intra": imp.intra,
            "dPC_flux": imp.flux,
            "dPC_connector": imp.connector,
            "percent": 100.0 * a / region_area,
            "released": flows.released()[net],
            "members": [";".join(sites.members[k]) for k in net],
        }
    )


def _candidate_table(
    sites: Sites, flows: Flows, gain: np.ndarray, top: np.ndarray, draws: np.ndarray | None
) -> pd.DataFrame:
    """One row per candidate; the ``top`` ones (largest gains) carry the bootstrap interval of their gain."""
    cand = np.flatnonzero(~sites.network)
    area = sites.area_km2[cand]
    with np.errstate(invalid="ignore", divide="ignore"):
        per_km2 = np.where(area > 0, gain / np.where(area > 0, area, 1.0), np.nan)
    low, high = np.full(cand.size, np.nan), np.full(cand.size, np.nan)
    if draws is not None and top.size:
        where = np.searchsorted(cand, top)
        low[where], high[where] = np.percentile(draws[:, 3:], [2.5, 97.5], axis=0)
    table = pd.DataFrame(
        {
            "zone": [sites.labels[k] for k in cand],
            "area_km2": area,
            "delta_ECA_km2": gain,
            "delta_ECA_per_km2": per_km2,
            "delta_ECA_km2_ci_low": low,
            "delta_ECA_km2_ci_high": high,
            "released": flows.released()[cand],
        }
    )
    table["rank"] = table["delta_ECA_km2"].rank(ascending=False, method="min").astype(int)
    return table.sort_values(["rank", "zone"]).reset_index(drop=True)
