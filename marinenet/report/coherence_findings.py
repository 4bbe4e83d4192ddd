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


def _km2(L, x: float) -> str:
    return L.count(x) + "\u00a0km²"


def coherence_findings(f: RunFacts) -> list:
    """The :class:`~marinenet.report.findings.Finding` s of ``coherence/`` (none without it), in the
    report's language (``f.L``)."""
    from .findings import Finding as make

    L = f.L
    folder = f.run.root / "coherence"
    summary = _read(folder / "summary.csv")
    if summary is None:
        return []
    out = []
    row: Any
    for row in summary.itertuples():
        sites = _read(folder / f"{row.network}.csv")
        out.append(make(TOPIC, _headline(L, row, sites), n=int(row.released), **_interval(row)))
        if sites is not None and len(sites) and sites["dPC_flux"].sum() > 0:
            top = sites.sort_values("dPC", ascending=False).iloc[0]
            text = L.t(
                "coh.top",
                zone=str(top["zone"]),
                dpc=L.pct(top["dPC"] / 100),
                intra=L.num(top["dPC_intra"]),
                flux=L.num(top["dPC_flux"]),
                connector=L.num(top["dPC_connector"]),
            )
            out.append(make(TOPIC, text, value=float(top["dPC"]) / 100))
        cand = _read(folder / f"{row.network}.candidates.csv")
        if cand is not None and len(cand):
            out.append(make(TOPIC, _candidates(L, cand.sort_values("rank"))))
        juris = _read(folder / f"{row.network}.jurisdictions.csv")
        if juris is not None and len(juris):
            out.append(make(TOPIC, _by_state(L, juris)))
    return out


def _candidates(L, cand: pd.DataFrame) -> str:
    """The three candidates with the largest ECA gain; ranked only on enough particles and separate intervals."""
    from .findings import MIN_RANK

    best = cand.head(3)
    rows: list[Any] = list(best.itertuples())
    names = L.t("coh.sep").join(
        L.t(
            "coh.candidate",
            zone=str(r.zone),
            gain=_km2(L, r.delta_ECA_km2),
            interval=L.t(
                "coh.interval", low=_km2(L, r.delta_ECA_km2_ci_low), high=_km2(L, r.delta_ECA_km2_ci_high)
            )
            if math.isfinite(r.delta_ECA_km2_ci_low)
            else "",
            per_km2=L.num(r.delta_ECA_per_km2, 2),
        )
        for r in rows
    )
    text = L.t("coh.candidates", names=names)
    if (best["released"] < MIN_RANK).any():
        return text + L.t("coh.candidates.too_few")
    if len(best) > 1 and not best.iloc[0]["delta_ECA_km2_ci_low"] > best.iloc[1]["delta_ECA_km2_ci_high"]:
        return text + L.t("coh.candidates.overlap")
    return text + L.t("coh.candidates.end")


def _interval(row) -> dict:
    low, high = row.ProtConn_percent_ci_low, row.ProtConn_percent_ci_high
    if not (math.isfinite(low) and math.isfinite(high)):
        return {"value": row.ProtConn_percent / 100}
    return {"value": row.ProtConn_percent / 100, "low": low / 100, "high": high / 100}


def _headline(L, row, sites: pd.DataFrame | None) -> str:
    iv = (
        L.t(
            "coh.interval",
            low=L.pct(row.ProtConn_percent_ci_low / 100, 2),
            high=L.pct(row.ProtConn_percent_ci_high / 100, 2),
        )
        if math.isfinite(row.ProtConn_percent_ci_low)
        else ""
    )
    connection = str(row.connection)
    text = L.t(
        "coh.headline",
        network=str(row.network),
        region=str(row.region),
        cover=L.pct(row.protected_km2 / row.region_area_km2, 2),
        connection=L.t(f"coh.connection.{connection}") if connection in _CONNECTIONS else connection,
        protconn=L.pct(row.ProtConn_percent / 100, 2),
        interval=iv,
        eca=_km2(L, row.ECA_km2),
        released=L.count(row.released),
    )
    empty = int(getattr(row, "sites_without_particles", 0) or 0)
    if empty:
        text += L.t("coh.empty", k=L.count(empty))
    if sites is not None and "members" in sites:
        groups = [
            str(z) for z, m in zip(sites["zone"], sites["members"].astype(str), strict=True) if ";" in m
        ]
        if groups:
            text += L.t("coh.merged", groups=L.t("coh.sep").join(groups))
    if sites is not None and len(sites) and sites["dPC_flux"].sum() == 0:
        text += L.t("coh.unconnected")
    return text


_CONNECTIONS = ("settlement", "end", "visit")


def _by_state(L, juris: pd.DataFrame) -> str:
    held = juris[juris["protected_km2"] > 0].sort_values("ProtConn_percent", ascending=False)
    rows: list[Any] = list(held.itertuples())
    parts = [f"{r.jurisdiction} {L.pct(r.ProtConn_percent / 100, 2)}" for r in rows]
    if not parts:
        return L.t("coh.states.none")
    text = L.t("coh.states", parts=", ".join(parts))
    through = held[held["via_others_percent"] > 0.05]
    if len(through):
        r = through.sort_values("via_others_percent", ascending=False).iloc[0]
        text += L.t(
            "coh.states.through",
            state=str(r["jurisdiction"]),
            via=L.pct(r["via_others_percent"] / 100),
            high_seas=L.pct(r["via_high_seas_percent"] / 100),
        )
    return text
