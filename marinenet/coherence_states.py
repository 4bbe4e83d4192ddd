"""Which states' waters receive each site's particles and which supply it: ``coherence/<N>.states.csv``.

Written by the coherence analysis when it has a jurisdiction layer (``analysis.coherence.jurisdiction``,
default ``eez``), for every protected site and candidate of network ``N``; the site dossier
(``marinenet dossier``) reads it. One row per (site, direction, jurisdiction):

* ``direction = to`` — particles released in the site, by the jurisdiction zone (or fate: stranded,
  out of domain, dead …) where they ended (``connection`` of the analysis: settled, at the end of
  the run, or visited). ``count`` (particles), ``fraction`` = count / ``n_source`` (the particles
  released in the site) with its 95 % interval ``ci_low``, ``ci_high`` — the same definition and
  interval as ``connectivity/<layer>.csv``
  (:func:`marinenet.connectivity.uncertainty.fraction_intervals`); ``share`` = ``fraction``.
* ``direction = from`` — particles released in the jurisdiction zone that ended in the site:
  ``count``, ``fraction`` = count / ``n_source`` (the particles released in that zone: how likely
  one of them reaches the site) with its interval; ``share`` = count / all particles that reached
  the site (where the site's supply comes from) with a Jeffreys 95 % interval (``share_ci_low``,
  ``share_ci_high``), as the report gives shares of arrivals.
* ``arrivals, median_days, p10_days, p90_days`` — first arrival (days after release, accumulated at
  every step, as ``arrivals/<layer>.csv``) in the jurisdiction zone (``to``) or in the site
  (``from``); arrivals into the zone a particle was released in are left out, as there.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .analysis_config import CoherenceConfig
from .coherence_sites import Sites, _visits
from .connectivity.exposure import Visits, arrival_table
from .connectivity.fates import Rows
from .connectivity.uncertainty import fraction_intervals, jeffreys_interval
from .errors import ScenarioError
from .outputs import write_csv
from .scenario import Scenario
from .streaming import Streams
from .zones import ZoneLayer

__all__ = ["write_states", "states_table", "check_dossier_sites", "COLUMNS"]

COLUMNS = [
    "site",
    "layer",
    "direction",
    "jurisdiction",
    "count",
    "fraction",
    "ci_low",
    "ci_high",
    "n_source",
    "share",
    "share_ci_low",
    "share_ci_high",
    "arrivals",
    "median_days",
    "p10_days",
    "p90_days",
]


def write_states(
    folder: Path,
    name: str,
    sites: Sites,
    layers: list[ZoneLayer],
    jurisdiction: ZoneLayer,
    cfg: CoherenceConfig,
    sources: dict[str, Rows],
    destinations: dict[str, Rows],
    streams: Streams,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Write ``<folder>/<name>.states.csv`` (see the module docstring) and return it."""
    table = states_table(sites, layers, jurisdiction, cfg, sources, destinations, streams, rng)
    write_csv(table, folder / f"{name}.states.csv")
    return table


def _ends(layer: ZoneLayer, cfg: CoherenceConfig, destinations: dict[str, Rows], streams: Streams) -> Rows:
    """Where each particle counts as having gone in ``layer``, by the analysis' ``connection``."""
    if cfg.connection == "visit":
        return _visits(layer, streams)
    if cfg.connection == "settlement":
        return destinations[f"{layer.name}.settlement"]
    return destinations[layer.name]


def _columns(layer: ZoneLayer, rows: Rows) -> list[str]:
    """The layer's zones, its outside label, then every other label (fates) the rows hold."""
    first = [*layer.ids] + ([layer.outside] if layer.outside not in layer.ids else [])
    rest = sorted({str(x) for x in rows.label} - set(first))
    return first + rest


def _without_start(streams: Streams, layer: ZoneLayer, start: Rows) -> tuple[Visits, list[str]]:
    """First arrivals in ``layer``'s zones without the zone each particle was released in (its arrival 0
    there): the layer's sparse (particle, zone) cells less those release cells."""
    ls = streams.layers[layer.name]
    visits = ls.visits()
    index = {z: k for k, z in enumerate(ls.zones)}
    col = np.fromiter((index.get(str(x), -1) for x in start.label), np.int64, len(start.label))
    ok = col >= 0
    n_zones = max(len(ls.zones), 1)
    released = np.asarray(start.particle, np.int64)[ok] * n_zones + col[ok]
    keep = ~np.isin(visits.particle.astype(np.int64) * n_zones + visits.zone, released)
    return Visits(*(np.asarray(a)[keep] for a in visits)), list(ls.zones)


def _site_rows(layer: ZoneLayer, labels: dict[str, str], rows: Rows) -> Rows:
    """``rows`` of ``layer`` kept for its sites only, labelled by site label."""
    lab = np.asarray(rows.label, dtype=object)
    keep = np.fromiter((str(x) in labels for x in lab), bool, lab.size)
    return Rows(
        np.asarray(rows.particle)[keep],
        np.array([labels[str(x)] for x in lab[keep]], dtype=object),
        np.asarray(rows.weight, float)[keep],
    )


def _arrivals(src: Rows, first: Visits, zones: list[str], survival) -> pd.DataFrame:
    """:func:`arrival_table`, safe when a source and a destination share a label (prefixed apart)."""
    tagged = Rows(src.particle, np.array(["\x00" + str(s) for s in src.label], dtype=object), src.weight)
    out = arrival_table(tuple(tagged), first, zones, survival)
    out["source"] = out["source"].str[1:]
    return out.rename(columns={"n": "arrivals"})


def states_table(
    sites: Sites,
    layers: list[ZoneLayer],
    jurisdiction: ZoneLayer,
    cfg: CoherenceConfig,
    sources: dict[str, Rows],
    destinations: dict[str, Rows],
    streams: Streams,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Rows ``to`` and ``from`` for every site of ``sites`` (drawn from ``layers``, in their order)."""
    survival = streams.survival
    j_src = sources[jurisdiction.name]
    j_end = _ends(jurisdiction, cfg, destinations, streams)
    j_first, j_zones = _without_start(streams, jurisdiction, j_src)
    frames = []
    for layer in layers:
        # each zone id of the layer → the label of its site (overlapping protected areas share one)
        labels = {z: sites.labels[k] for z, k in sites.node_of(layer.name).items()}
        src = _site_rows(layer, labels, sources[layer.name])
        if len(src.particle):
            frames.append(_to_rows(layer, src, j_end, jurisdiction, j_first, j_zones, survival, rng))
        frames.append(_from_rows(layer, labels, j_src, sources[layer.name], cfg, destinations, streams, rng))
    table = pd.concat([f for f in frames if len(f)], ignore_index=True) if frames else pd.DataFrame()
    return table.reindex(columns=COLUMNS)


def _to_rows(layer, src, j_end, jurisdiction, j_first, j_zones, survival, rng) -> pd.DataFrame:
    ci = fraction_intervals(src, j_end, _columns(jurisdiction, j_end), rng)
    ci = ci.rename(columns={"source": "site", "destination": "jurisdiction"})
    ci["count"] = ci["fraction"] * ci["n_source"]
    ci["share"], ci["share_ci_low"], ci["share_ci_high"] = ci["fraction"], ci["ci_low"], ci["ci_high"]
    arr = _arrivals(src, j_first, j_zones, survival).rename(
        columns={"source": "site", "destination": "jurisdiction"}
    )
    out = ci.merge(arr, on=["site", "jurisdiction"], how="left")
    return out.assign(layer=layer.name, direction="to", arrivals=out["arrivals"].fillna(0.0))


def _from_rows(layer, labels, j_src, own, cfg, destinations, streams, rng) -> pd.DataFrame:
    ends = _ends(layer, cfg, destinations, streams)
    ci = fraction_intervals(j_src, ends, _columns(layer, ends), rng)
    ci = ci[ci["destination"].isin(list(labels))].copy()
    ci["count"] = ci["fraction"] * ci["n_source"]
    total = ci.groupby("destination")["count"].transform("sum")
    ci["share"] = np.where(total > 0, ci["count"] / total.where(total > 0, 1.0), np.nan)
    lo, hi = jeffreys_interval(ci["count"].to_numpy(), total.to_numpy())
    ci["share_ci_low"] = np.where(total > 0, lo, np.nan)
    ci["share_ci_high"] = np.where(total > 0, hi, np.nan)
    first, zones = _without_start(streams, layer, own)
    arr = _arrivals(j_src, first, zones, streams.survival)
    ci = ci.merge(arr, on=["source", "destination"], how="left")
    ci["destination"] = ci["destination"].map(labels)
    ci = ci.rename(columns={"source": "jurisdiction", "destination": "site"})
    return ci.assign(layer=layer.name, direction="from", arrivals=ci["arrivals"].fillna(0.0))


def check_dossier_sites(scenario: Scenario, layers: dict[str, ZoneLayer]) -> None:
    """``report.dossiers`` names only sites of the coherence analysis (a ScenarioError listing them if not)."""
    cfg = scenario.analysis.coherence
    wanted = scenario.report.dossiers
    if not wanted or cfg is None:
        return
    networks = [cfg.network] if isinstance(cfg.network, str) else list(cfg.network or [])
    valid = {i for n in networks for i in layers[n].ids}
    if cfg.candidates:
        cand = layers[cfg.candidates]
        valid |= {f"{cand.name}:{i}" if i in valid else i for i in cand.ids}
    unknown = [w for w in wanted if w not in valid]
    if unknown:
        import difflib

        lower = {v.strip().lower(): v for v in valid}
        close = difflib.get_close_matches(unknown[0].strip().lower(), sorted(lower), n=1, cutoff=0.4)
        hint = f" Did you mean {lower[close[0]]!r}?" if close else ""
        raise ScenarioError(
            f"report.dossiers: {', '.join(map(repr, unknown))} is not a protected site or candidate of "
            f"analysis.coherence.{hint} Valid sites: {', '.join(map(repr, sorted(valid)))}"
        )
