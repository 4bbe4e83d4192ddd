"""Findings of the network-coherence analysis (``coherence/`` of a run), in words for the report and brief.

One finding per protected network: ProtConn with its 95 % interval and what it means; where links
were seen, the site that matters most (dPC); the three candidates that add the most connected
area; each state's ProtConn and how much of it runs through other waters.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from .facts import RunFacts

__all__ = ["coherence_findings"]

TOPIC = "network coherence"


def _read(path) -> pd.DataFrame | None:
    return pd.read_csv(path) if path.is_file() else None


def _km2(x: float) -> str:
    return f"{x:,.0f} km²"


def coherence_findings(f: RunFacts) -> list:
    """The :class:`~marinenet.report.findings.Finding` s of ``coherence/`` (none without it)."""
    from .findings import Finding as make

    folder = f.run.root / "coherence"
    summary = _read(folder / "summary.csv")
    if summary is None:
        return []
    out = []
    row: Any
    for row in summary.itertuples():
        sites = _read(folder / f"{row.network}.csv")
        out.append(make(TOPIC, _headline(row, sites), n=int(row.released), **_interval(row)))
        if sites is not None and len(sites) and sites["dPC_flux"].sum() > 0:
            top = sites.sort_values("dPC", ascending=False).iloc[0]
            out.append(
                make(
                    TOPIC,
                    f"Network coherence: {top['zone']} matters most to the network's connectivity "
                    f"(dPC {top['dPC']:.1f} %: its own area {top['dPC_intra']:.1f}, flows to and from it "
                    f"{top['dPC_flux']:.1f}, as a stepping stone {top['dPC_connector']:.1f}).",
                    value=float(top["dPC"]) / 100,
                )
            )
        cand = _read(folder / f"{row.network}.candidates.csv")
        if cand is not None and len(cand):
            out.append(make(TOPIC, _candidates(cand.sort_values("rank"))))
        juris = _read(folder / f"{row.network}.jurisdictions.csv")
        if juris is not None and len(juris):
            out.append(make(TOPIC, _by_state(juris)))
    return out


def _candidates(cand: pd.DataFrame) -> str:
    """The three candidates with the largest ECA gain; ranked only on enough particles and separate intervals."""
    from .findings import MIN_RANK

    best = cand.head(3)
    rows: list[Any] = list(best.itertuples())
    names = "; ".join(
        f"{r.zone} +{_km2(r.delta_ECA_km2)}"
        + (
            f" (95 % interval {_km2(r.delta_ECA_km2_ci_low)} to {_km2(r.delta_ECA_km2_ci_high)})"
            if math.isfinite(r.delta_ECA_km2_ci_low)
            else ""
        )
        + f", {r.delta_ECA_per_km2:.2f} per km² added"
        for r in rows
    )
    text = f"Network coherence: the candidate sites that add the most connected area (ECA): {names}"
    if (best["released"] < MIN_RANK).any():
        return text + "; too few particles from them to rank them."
    if len(best) > 1 and not best.iloc[0]["delta_ECA_km2_ci_low"] > best.iloc[1]["delta_ECA_km2_ci_high"]:
        return text + "; too close to rank the first two: their 95 % intervals overlap."
    return text + "."


_CONNECTION = {
    "settlement": "where larvae settled",
    "end": "where particles were at the end of the run",
    "visit": "every site particles passed through",
}


def _interval(row) -> dict:
    low, high = row.ProtConn_percent_ci_low, row.ProtConn_percent_ci_high
    if not (math.isfinite(low) and math.isfinite(high)):
        return {"value": row.ProtConn_percent / 100}
    return {"value": row.ProtConn_percent / 100, "low": low / 100, "high": high / 100}


def _headline(row, sites: pd.DataFrame | None) -> str:
    cover = 100 * row.protected_km2 / row.region_area_km2
    iv = (
        f" (95 % interval {row.ProtConn_percent_ci_low:.2f} to {row.ProtConn_percent_ci_high:.2f} %)"
        if math.isfinite(row.ProtConn_percent_ci_low)
        else ""
    )
    text = (
        f"Network coherence: the protected areas of '{row.network}' cover {cover:.2f} % of '{row.region}'; "
        f"connected as the simulated dispersal connects them ({_CONNECTION.get(row.connection, row.connection)}), "
        f"they are worth "
        f"ProtConn {row.ProtConn_percent:.2f} %{iv} of it — one fully connected area of "
        f"{_km2(row.ECA_km2)} (ECA), from {row.released:,.0f} particles released in them."
    )
    empty = int(getattr(row, "sites_without_particles", 0) or 0)
    if empty:
        text += (
            f" {empty} protected area(s) released no particle: their outgoing links are unknown and count as"
            " none, so these values are lower bounds."
        )
    if sites is not None and len(sites) and sites["dPC_flux"].sum() == 0:
        text += (
            " No particle went from one protected area to another, so the network counts as unconnected"
            " (the interval cannot show links never seen: release more particles)."
        )
    return text


def _by_state(juris: pd.DataFrame) -> str:
    held = juris[juris["protected_km2"] > 0].sort_values("ProtConn_percent", ascending=False)
    parts = [f"{r.jurisdiction} {r.ProtConn_percent:.2f} %" for r in held.itertuples()]
    text = "Network coherence by jurisdiction (ProtConn of each one's protected areas in its own waters): "
    text += ", ".join(parts) + "." if parts else "no jurisdiction holds protected areas."
    through = held[held["via_others_percent"] > 0.05]
    if len(through):
        r = through.sort_values("via_others_percent", ascending=False).iloc[0]
        text += (
            f" {r['jurisdiction']} depends most on stepping stones outside its waters: "
            f"{r['via_others_percent']:.1f} % of its connectivity runs through them "
            f"({r['via_high_seas_percent']:.1f} % through the high seas)."
        )
    return text
