"""Per-member tables of an ensemble and the trend of each indicator across members (``OUT/ensemble/``).

* ``coherence_members.csv`` (scenarios with ``analysis: coherence``) — one row per member × network:
  ``member, start, t_year`` and the member's ``coherence/summary.csv`` row (``network, region, PC,
  ECA_km2, ProtConn_percent`` and their ``*_ci_low``/``*_ci_high`` bootstrap intervals, ...).
* ``coherence_jurisdictions_members.csv`` (with ``analysis.coherence.jurisdiction``) — one row per
  member × network × state: that state's own ProtConn (``<network>.jurisdictions.csv`` of the member).
* ``flows_members.csv`` — per connectivity table (``layer``), the **key flows** of every member:

  - ``kind = flow``: the :data:`KEY_FLOWS` pairs ``source → destination`` between two different places
    (a zone, or the layer's outside label such as ``high_seas``; outcomes like ``dead`` or
    ``stranded`` are not places) with the largest **ensemble-mean** fraction; the same pairs in every
    member, with the member's fraction and its 95 % interval (``ci_low``, ``ci_high``);
  - ``kind = exported``: for the :data:`KEY_FLOWS` sources with the largest ensemble-mean exported
    share, the share of their particles that ended in another place of the layer (for an EEZ
    layer: in other states' waters or on the high seas) — the transboundary total of each state.
* ``trends.csv`` — one row per indicator (each network's ProtConn, ECA and PC; each state's own
  ProtConn; each key flow and export): ``n_members``, the range, the Theil–Sen slope per year with
  its 95 % interval, Mann–Kendall ``S``, ``var_S``, ``tau``, ``p_value`` and ``verdict``
  (:mod:`marinenet.ensemble_trends`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from .ensemble_trends import TEST, decimal_year, trend

__all__ = ["MemberTables", "member_tables", "KEY_FLOWS", "COHERENCE_INDICATORS"]

#: how many key flows (and exporting sources) per connectivity table
KEY_FLOWS = 5
#: destinations that are outcomes, not places
OUTCOMES = frozenset({"dead", "stranded", "out_of_domain", "unsettled", "error"})
#: the network indicators that get a trend, with their unit
COHERENCE_INDICATORS = {"ProtConn_percent": "%", "ECA_km2": "km2", "PC": ""}


@dataclass
class MemberTables:
    """The per-member tables and the trends (empty frames where the scenario has no such analysis)."""

    coherence: pd.DataFrame
    jurisdictions: pd.DataFrame
    flows: pd.DataFrame
    trends: pd.DataFrame
    #: every connectivity table of the members (also those where nothing moved)
    layers: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, folder: Path, layers: list[str] | None = None) -> MemberTables:
        """The tables written to ``folder`` (``OUT/ensemble``) by :meth:`write`."""

        def read(name: str) -> pd.DataFrame:
            path = folder / name
            if not path.exists():
                return pd.DataFrame()
            return pd.read_csv(path, keep_default_na=False, na_values=[""], dtype={"member": str})

        return cls(
            read("coherence_members.csv"),
            read("coherence_jurisdictions_members.csv"),
            read("flows_members.csv"),
            read("trends.csv"),
            list(layers or []),
        )

    def write(self, folder: Path) -> None:
        from .outputs import write_csv

        if len(self.coherence):
            write_csv(self.coherence, folder / "coherence_members.csv")
        if len(self.jurisdictions):
            write_csv(self.jurisdictions, folder / "coherence_jurisdictions_members.csv")
        write_csv(self.flows, folder / "flows_members.csv")
        write_csv(self.trends, folder / "trends.csv")


def member_tables(
    root: Path,
    starts: dict[str, datetime],
    connectivity: dict[str, dict[str, pd.DataFrame]],
    spread: dict[str, pd.DataFrame],
) -> MemberTables:
    """The tables of the members in ``root/members/<label>/`` (``starts``: label → release start)."""
    when = pd.DataFrame(
        {
            "member": list(starts),
            "start": [d.isoformat(timespec="minutes") for d in starts.values()],
            "t_year": [decimal_year(d) for d in starts.values()],
        }
    )
    coh = _read_members(root, when, "summary.csv")
    juris = _jurisdictions(root, when, coh)
    flows = pd.concat(
        [_key_flows(layer, spread[layer], connectivity, when) for layer in spread], ignore_index=True
    )
    trends = pd.DataFrame(_coherence_trends(coh) + _state_trends(juris) + _flow_trends(flows))
    if len(trends):
        trends["test"] = TEST
    return MemberTables(coh, juris, flows, trends, list(spread))


def _read_members(root: Path, when: pd.DataFrame, name: str) -> pd.DataFrame:
    frames = []
    for member, start, t_year in zip(when["member"], when["start"], when["t_year"], strict=True):
        path = root / "members" / str(member) / "coherence" / name
        if path.exists():
            t = pd.read_csv(path, keep_default_na=False, na_values=[""])
            frames.append(t.assign(member=member, start=start, t_year=t_year))
    if not frames:
        return pd.DataFrame()
    t = pd.concat(frames, ignore_index=True)
    first = ["member", "start", "t_year"]
    return t[first + [c for c in t.columns if c not in first]]


def _jurisdictions(root: Path, when: pd.DataFrame, coh: pd.DataFrame) -> pd.DataFrame:
    frames = []
    for network in coh["network"].unique() if len(coh) else []:
        t = _read_members(root, when, f"{network}.jurisdictions.csv")
        if len(t):
            t.insert(3, "network", network)
            frames.append(t)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _places(t: pd.DataFrame) -> pd.DataFrame:
    """Rows going from a source to another place (not itself, not an outcome)."""
    return t[(t["source"] != t["destination"]) & ~t["destination"].isin(OUTCOMES)]


def _key_flows(
    layer: str, spread: pd.DataFrame, connectivity: dict[str, dict[str, pd.DataFrame]], when: pd.DataFrame
) -> pd.DataFrame:
    moving = _places(spread)
    moving = moving[moving["mean"] > 0].sort_values(
        ["mean", "source", "destination"], ascending=[False, True, True]
    )
    pairs = list(map(tuple, moving[["source", "destination"]].head(KEY_FLOWS).values))
    rows = []
    for member, start, t_year in zip(when["member"], when["start"], when["t_year"], strict=True):
        t = connectivity[str(member)].get(layer)
        if t is None:
            continue
        stamp = {"layer": layer, "member": member, "start": start, "t_year": t_year}
        indexed = t.set_index(["source", "destination"])
        for src, dst in pairs:
            hit = indexed.loc[(src, dst)] if (src, dst) in indexed.index else None
            rows.append(
                {
                    **stamp,
                    "kind": "flow",
                    "source": src,
                    "destination": dst,
                    "fraction": 0.0 if hit is None else float(hit["fraction"]),
                    "ci_low": np.nan if hit is None else float(hit.get("ci_low", np.nan)),
                    "ci_high": np.nan if hit is None else float(hit.get("ci_high", np.nan)),
                }
            )
        rows.extend({**stamp, **r} for r in _exports(t))
    flows = pd.DataFrame(rows)
    if not len(flows):
        return flows
    ex = flows[flows["kind"] == "exported"]
    top = ex.groupby("source")["fraction"].mean().sort_values(ascending=False, kind="stable")
    keep = set(top[top > 0].head(KEY_FLOWS).index)
    return flows[(flows["kind"] == "flow") | flows["source"].isin(keep)].reset_index(drop=True)


def _exports(t: pd.DataFrame) -> list[dict]:
    """Per source, the share of its particles that ended in another place of the layer."""
    out = _places(t).groupby("source")["fraction"].sum()
    return [
        {
            "kind": "exported",
            "source": s,
            "destination": "",
            "fraction": float(v),
            "ci_low": np.nan,
            "ci_high": np.nan,
        }
        for s, v in out.items()
    ]


def _row(values: pd.DataFrame, column: str, **label) -> dict:
    t = values.sort_values("t_year")
    tr = trend(t["t_year"].to_numpy(), t[column].to_numpy(float))
    y = t[column].to_numpy(float)
    finite = y[np.isfinite(y)]
    span = {
        "first_start": t["start"].iloc[0],
        "last_start": t["start"].iloc[-1],
        "min": float(finite.min()) if finite.size else np.nan,
        "max": float(finite.max()) if finite.size else np.nan,
        "mean": float(finite.mean()) if finite.size else np.nan,
    }
    return {**label, **span, **tr.as_row()}


def _coherence_trends(coh: pd.DataFrame) -> list[dict]:
    rows = []
    for network, t in coh.groupby("network", sort=False) if len(coh) else []:
        for key, unit in COHERENCE_INDICATORS.items():
            rows.append(_row(t, key, indicator=key, layer=network, zone="", destination="", unit=unit))
    return rows


def _state_trends(juris: pd.DataFrame) -> list[dict]:
    if not len(juris) or "ProtConn_percent" not in juris:
        return []
    rows = []
    for (network, state), t in juris.groupby(["network", "jurisdiction"], sort=False):
        protected = t["protected_km2"].fillna(0) if "protected_km2" in t else pd.Series([1.0])
        if (
            t["ProtConn_percent"].notna().any() and (protected > 0).any()
        ):  # states without a protected area: none
            rows.append(
                _row(
                    t,
                    "ProtConn_percent",
                    indicator="state_ProtConn_percent",
                    layer=network,
                    zone=state,
                    destination="",
                    unit="%",
                )
            )
    return rows


def _flow_trends(flows: pd.DataFrame) -> list[dict]:
    rows: list[dict] = []
    if not len(flows):
        return rows
    for (layer, kind, src, dst), t in flows.groupby(["layer", "kind", "source", "destination"], sort=False):
        indicator = "fraction" if kind == "flow" else "exported_fraction"
        rows.append(
            _row(t, "fraction", indicator=indicator, layer=layer, zone=src, destination=dst, unit="share")
        )
    order = {layer: k for k, layer in enumerate(dict.fromkeys(flows["layer"]))}
    # per layer: the flows, then the exports, each largest mean first
    return sorted(rows, key=lambda r: (order[r["layer"]], r["indicator"] != "fraction", -r["mean"]))
