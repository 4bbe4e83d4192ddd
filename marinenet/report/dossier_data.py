"""The evidence of a site dossier, read from a run folder (or each member of an ensemble): typed, no words.

Everything is read from the run's own tables, never recomputed: the site's particles by state both ways
(``coherence/<network>.states.csv``), its importance (``coherence/<network>.csv``: dPC and its parts;
``<network>.candidates.csv``: ECA gain), the network's ProtConn (``coherence/summary.csv``) and its
local retention (``connectivity/<layer>.csv``, or ``.settlement.csv`` when the analysis counts
settlement). Only where the site lies (the share of its area in each jurisdiction) is measured here,
from the polygons the run wrote (``zones/*.geojson``), with geodesic areas.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
import yaml
from shapely.geometry.base import BaseGeometry

from ..errors import InputDataError, ScenarioError
from ..summary import Summary
from ..zones.geometry import geodesic_area_km2
from .facts import OUTCOMES

__all__ = ["StateLink", "Importance", "SiteRun", "DossierData", "read_dossier", "site_names", "HIGH_SEAS"]

#: labels of the areas beyond national jurisdiction in a jurisdiction layer
HIGH_SEAS = ("ABNJ", "high_seas")


@dataclass(frozen=True)
class StateLink:
    """The site and one jurisdiction (or fate), one direction, as ``<network>.states.csv`` gives them.

    ``share`` (0–1) with its 95 % interval ``low``–``high``: of the site's particles (``to``), or of the
    particles that reached the site (``from``). ``fraction``: of the particles released in the
    jurisdiction, the part that reached the site (``from`` only; interval ``f_low``–``f_high``).
    """

    jurisdiction: str
    count: float
    share: float
    low: float
    high: float
    n_source: float
    fraction: float = math.nan
    f_low: float = math.nan
    f_high: float = math.nan
    arrivals: float = 0.0
    median_days: float = math.nan
    p10_days: float = math.nan
    p90_days: float = math.nan


@dataclass(frozen=True)
class Importance:
    """A protected site's dPC (percent of PC) and its parts, or a candidate's ECA gain; rank 1 = largest."""

    candidate: bool
    rank: int
    of: int
    dPC: float = math.nan
    intra: float = math.nan
    flux: float = math.nan
    connector: float = math.nan
    gain_km2: float = math.nan
    gain_low: float = math.nan
    gain_high: float = math.nan
    per_km2: float = math.nan


@dataclass
class SiteRun:
    """What one run (or ensemble member) says about the site."""

    label: str  # the member's release date ('' for a single run)
    start: str
    released: float
    to: list[StateLink] = field(default_factory=list)  # jurisdictions, largest share first
    fates: list[StateLink] = field(default_factory=list)  # stranded, out of domain, dead ... (count > 0)
    supply: list[StateLink] = field(default_factory=list)  # jurisdictions, largest share first
    unsampled: list[str] = field(default_factory=list)  # jurisdictions where no particle was released
    retained: StateLink | None = None  # the site's own particles that ended in it
    importance: Importance | None = None
    protconn: float = math.nan  # the network's ProtConn (percent) and its interval
    protconn_low: float = math.nan
    protconn_high: float = math.nan

    @property
    def arrived(self) -> float:
        """Particles that ended in the site (from anywhere)."""
        return float(sum(s.count for s in self.supply))


@dataclass
class DossierData:
    """The site, where it lies, and the runs that speak about it."""

    site: str
    layer: str
    network: str
    jurisdiction: str  # the jurisdiction layer
    connection: str  # settlement | end | visit
    area_km2: float
    homes: list[tuple[str, float]]  # jurisdictions the site lies in, share of its area, largest first
    runs: list[SiteRun]
    root: Path
    summary: Summary
    scenario: dict
    geometry: BaseGeometry | None  # the site's polygon
    zones: gpd.GeoDataFrame  # the jurisdiction layer's polygons
    high_seas: set[str] = field(default_factory=set)

    @property
    def zone_ids(self) -> set[str]:
        """The jurisdiction layer's zones (not its outside label, not fates)."""
        return set(self.zones["id"].astype(str))

    @property
    def ensemble(self) -> bool:
        return len(self.runs) > 1 or bool(self.runs and self.runs[0].label)

    @property
    def candidate(self) -> bool:
        imp = self.runs[0].importance if self.runs else None
        return bool(imp and imp.candidate)


def _need(root: Path, what: str, fix: str) -> InputDataError:
    return InputDataError(f"{root}: {what}; {fix}")


def _coherence_tables(root: Path) -> pd.DataFrame:
    path = root / "coherence" / "summary.csv"
    if not path.is_file():
        raise _need(
            root,
            "no coherence/summary.csv (the dossier needs the network-coherence analysis)",
            "add 'analysis: {coherence: {network: <protected layer>, region: <region layer>, candidates: "
            "<candidate layer>}}' to the scenario and run it again",
        )
    return pd.read_csv(path)


def site_names(root: Path) -> dict[str, tuple[str, bool]]:
    """Every site a dossier can be made for: name → (network, is a candidate)."""
    out: dict[str, tuple[str, bool]] = {}
    for network in _coherence_tables(root)["network"].astype(str):
        for suffix, cand in ((".csv", False), (".candidates.csv", True)):
            path = root / "coherence" / f"{network}{suffix}"
            if path.is_file():
                for z in pd.read_csv(path)["zone"].astype(str):
                    out.setdefault(z, (network, cand))
    return out


def check_site(root: Path, site: str) -> tuple[str, bool]:
    """(network, is a candidate) of ``site``; an unknown name is a ScenarioError listing the valid ones."""
    names = site_names(root)
    if site in names:
        return names[site]
    lower = {n.strip().lower(): n for n in names}  # a case or spacing slip is the likeliest
    close = difflib.get_close_matches(site.strip().lower(), list(lower), n=1, cutoff=0.4)
    hint = f" Did you mean {lower[close[0]]!r}?" if close else ""
    listed = ", ".join(repr(n) for n in sorted(names)) or "none"
    raise ScenarioError(f"--site: no site {site!r} in {root}.{hint} Sites with a dossier: {listed}")


def _link(row) -> StateLink:
    return StateLink(
        jurisdiction=str(row["jurisdiction"]),
        count=float(row["count"]),
        share=float(row["share"]),
        low=float(row["share_ci_low"]),
        high=float(row["share_ci_high"]),
        n_source=float(row["n_source"]),
        fraction=float(row["fraction"]),
        f_low=float(row["ci_low"]),
        f_high=float(row["ci_high"]),
        arrivals=float(row["arrivals"]) if pd.notna(row["arrivals"]) else 0.0,
        median_days=float(row["median_days"]),
        p10_days=float(row["p10_days"]),
        p90_days=float(row["p90_days"]),
    )


def _states(root: Path, network: str, site: str) -> tuple[pd.DataFrame, str]:
    path = root / "coherence" / f"{network}.states.csv"
    if not path.is_file():
        raise _need(
            root,
            f"no coherence/{network}.states.csv (each site's particles by state)",
            "give the coherence analysis a jurisdiction layer (analysis.coherence.jurisdiction: eez, "
            "the default when a layer 'eez' exists) and run the scenario again with this marinenet",
        )
    table = pd.read_csv(path)
    rows = table[table["site"].astype(str) == site]
    layer = str(rows["layer"].iloc[0]) if len(rows) else ""
    return rows, layer


def _site_run(root: Path, label: str, network: str, site: str, cand: bool, juris_ids: set[str]) -> SiteRun:
    summary = Summary.read(root / "summary.json")
    rows, layer = _states(root, network, site)
    to = rows[rows["direction"] == "to"]
    run = SiteRun(label=label, start=summary.start, released=float(to["n_source"].max()) if len(to) else 0.0)
    places = to[to["jurisdiction"].astype(str).isin(juris_ids)]
    run.to = [_link(r) for _, r in places.sort_values("share", ascending=False).iterrows()]
    fates = to[~to["jurisdiction"].astype(str).isin(juris_ids) & (to["count"] > 0)]
    run.fates = [_link(r) for _, r in fates.sort_values("count", ascending=False).iterrows()]
    sup = rows[(rows["direction"] == "from") & rows["jurisdiction"].astype(str).isin(juris_ids)]
    run.supply = [_link(r) for _, r in sup.sort_values("share", ascending=False).iterrows()]
    run.unsampled = sorted(juris_ids - set(sup["jurisdiction"].astype(str)) - OUTCOMES)
    run.retained = _retained(root, layer, site, summary)
    run.importance = _importance(root, network, site, cand)
    s = pd.read_csv(root / "coherence" / "summary.csv")
    s = s[s["network"].astype(str) == network]
    if len(s):
        run.protconn = float(s["ProtConn_percent"].iloc[0])
        run.protconn_low = float(s["ProtConn_percent_ci_low"].iloc[0])
        run.protconn_high = float(s["ProtConn_percent_ci_high"].iloc[0])
    return run


def _connection(scenario: dict) -> str:
    return str(((scenario.get("analysis") or {}).get("coherence") or {}).get("connection") or "end")


def _retained(root: Path, layer: str, site: str, summary: Summary) -> StateLink | None:
    """Local retention: ``connectivity/<layer>(.settlement).csv``, source = destination = the site."""
    scenario = yaml.safe_load((root / "scenario.resolved.yaml").read_text())
    connection = _connection(scenario)
    if connection == "visit" or not layer:
        return None
    name = f"{layer}.settlement" if connection == "settlement" else layer
    path = root / "connectivity" / f"{name}.csv"
    if not path.is_file():
        return None
    t = pd.read_csv(path)
    zone = site.removeprefix(f"{layer}:")
    r = t[(t["source"].astype(str) == zone) & (t["destination"].astype(str) == zone)]
    if not len(r):
        return None
    row = r.iloc[0]
    n = float(t.loc[t["source"].astype(str) == zone, "count"].sum())
    return StateLink(
        zone, float(row["count"]), float(row["fraction"]), float(row["ci_low"]), float(row["ci_high"]), n
    )


def _importance(root: Path, network: str, site: str, cand: bool) -> Importance | None:
    folder = root / "coherence"
    if cand:
        t = pd.read_csv(folder / f"{network}.candidates.csv")
        r = t[t["zone"].astype(str) == site]
        if not len(r):
            return None
        row = r.iloc[0]
        return Importance(
            candidate=True,
            rank=int(row["rank"]),
            of=len(t),
            gain_km2=float(row["delta_ECA_km2"]),
            gain_low=float(row.get("delta_ECA_km2_ci_low", math.nan)),
            gain_high=float(row.get("delta_ECA_km2_ci_high", math.nan)),
            per_km2=float(row.get("delta_ECA_per_km2", math.nan)),
        )
    t = pd.read_csv(folder / f"{network}.csv")
    r = t[t["zone"].astype(str) == site]
    if not len(r):
        return None
    row = r.iloc[0]
    rank = int((t["dPC"] > row["dPC"]).sum()) + 1  # 1 = the most important; ties share a rank
    return Importance(
        candidate=False,
        rank=rank,
        of=len(t),
        dPC=float(row["dPC"]),
        intra=float(row["dPC_intra"]),
        flux=float(row["dPC_flux"]),
        connector=float(row["dPC_connector"]),
    )


def run_folders(out: Path) -> list[tuple[str, Path]]:
    """(member label, folder) of a run folder ('' label) or of every member of an ensemble folder."""
    if (out / "summary.json").is_file():
        return [("", out)]
    members = out / "members"
    found = sorted(p for p in members.iterdir() if (p / "summary.json").is_file()) if members.is_dir() else []
    if not found:
        raise InputDataError(
            f"{out} is neither a finished run folder (no summary.json) nor an ensemble folder "
            "(no members/<date>/summary.json): give the output folder of 'marinenet run' or 'marinenet ensemble'"
        )
    return [(p.name, p) for p in found]


def _homes(geom, zones: gpd.GeoDataFrame, outside: str | None) -> list[tuple[str, float]]:
    """The jurisdictions ``geom`` lies in and the share of its area in each; what lies outside every zone
    counts for the layer's outside label (the high seas of an EEZ layer without a high-seas polygon)."""
    area = geodesic_area_km2(geom)
    out = []
    for zid, z in zip(zones["id"].astype(str), zones.geometry.values, strict=True):
        if area > 0 and geom.intersects(z):
            share = geodesic_area_km2(shapely.intersection(geom, z)) / area
            if share > 1e-4:
                out.append((zid, share))
    rest = 1.0 - sum(sh for _, sh in out)
    if outside and area > 0 and rest > 1e-4:
        out.append((outside, rest))
    return sorted(out, key=lambda h: -h[1])


def read_dossier(out: str | Path, site: str) -> DossierData:
    """The evidence about ``site`` in the run (or ensemble) folder ``out``.

    Raises
    ------
    ScenarioError
        ``site`` is not a protected site or candidate of the run's coherence analysis.
    InputDataError
        The folder lacks the outputs a dossier needs (the message says what to add to the scenario).
    """
    out = Path(out)
    folders = run_folders(out)
    first = folders[0][1]
    network, cand = check_site(first, site)
    scenario = yaml.safe_load((first / "scenario.resolved.yaml").read_text())
    juris = ((scenario.get("analysis") or {}).get("coherence") or {}).get("jurisdiction")
    zones_path = first / "zones" / f"{juris}.geojson"
    if not juris or not zones_path.is_file():
        raise _need(
            first,
            "the coherence analysis has no jurisdiction layer (which states' waters receive the particles)",
            "add a layer of EEZs (zones: {eez: ...}) or name one (analysis.coherence.jurisdiction) and run again",
        )
    zones = gpd.read_file(zones_path)
    ids = set(zones["id"].astype(str))
    summary = Summary.read(first / "summary.json")
    info = summary.layers.get(juris)
    outside = str(info.outside_label) if info is not None and info.outside_label else None
    places = ids | ({outside} if outside and outside not in OUTCOMES else set())
    high = {p for p in places if p in HIGH_SEAS or (info is not None and p == info.high_seas)}
    runs = [_site_run(folder, label, network, site, cand, places) for label, folder in folders]
    _, layer = _states(first, network, site)
    geom = _site_geometry(first, layer, site)
    return DossierData(
        site=site,
        layer=layer,
        network=network,
        jurisdiction=str(juris),
        connection=_connection(scenario),
        area_km2=geodesic_area_km2(geom) if geom is not None else math.nan,
        homes=_homes(geom, zones, outside) if geom is not None else [],
        runs=runs,
        root=out,
        summary=summary,
        scenario=scenario,
        geometry=geom,
        zones=zones,
        high_seas=high,
    )


def _site_geometry(root: Path, layer: str, site: str):
    path = root / "zones" / f"{layer}.geojson"
    if not layer or not path.is_file():
        return None
    frame = gpd.read_file(path)
    hit = frame[frame["id"].astype(str) == site.removeprefix(f"{layer}:")]
    return shapely.union_all(hit.geometry.values) if len(hit) else None
