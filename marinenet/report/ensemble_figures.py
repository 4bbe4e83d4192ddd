"""Figures of the ensemble report: an indicator per release date with its trend, the spread of key flows.

Drawn with the object-oriented matplotlib API (no pyplot state) in the language set by
:func:`marinenet.report.i18n.use`, saved as PNG at 150 ppi.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .i18n import Lang


def _place(L: Lang, label: str) -> str:
    return L.t("ens.outside") if label == "outside" else L.outcome(label)


__all__ = ["indicator_figure", "flows_figure", "date_ticks"]

_BLUE, _RED = "#0b3d5c", "#b03a2e"


def date_ticks(L: Lang, starts: list[str]) -> list[str]:
    """Tick labels for the members' release dates: the year when every member has the same day of the
    year (one member a year), else the date."""
    days = [datetime.fromisoformat(s) for s in starts]
    if len({(d.month, d.day, d.hour, d.minute) for d in days}) == 1:
        return [str(d.year) for d in days]
    return [L.date(d) for d in days]


def _save(fig: Figure, path: Path) -> Path:
    FigureCanvasAgg(fig)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=150)
    return path


def indicator_figure(
    L: Lang,
    values: pd.DataFrame,
    column: str,
    trend: pd.Series,
    title: str,
    ylabel: str,
    path: Path,
    scale: float = 1.0,
) -> Path:
    """``column`` of each member (``values``: ``start, t_year`` and the column, with ``*_ci_low/high``
    if any) against its release date, with the Theil–Sen line of ``trend`` (a trends.csv row)."""
    v = values.sort_values("t_year")
    t, y = v["t_year"].to_numpy(float), v[column].to_numpy(float) * scale
    fig = Figure(figsize=(5.6, 3.3), layout="constrained")
    ax = fig.add_subplot()
    low, high = f"{column}_ci_low", f"{column}_ci_high"
    if low in v and v[low].notna().any():
        lo, hi = v[low].to_numpy(float) * scale, v[high].to_numpy(float) * scale
        ax.errorbar(
            t,
            y,
            yerr=[np.clip(y - lo, 0, None), np.clip(hi - y, 0, None)],
            fmt="none",
            ecolor="#7a8a99",
            capsize=4,
        )
    ax.plot(t, y, "o", color=_BLUE, ms=7, zorder=3)
    if np.isfinite(trend["slope_per_year"]):
        span = np.array([t.min(), t.max()])
        ax.plot(span, (trend["intercept"] + trend["slope_per_year"] * span) * scale, "--", color=_RED, lw=1.6)
    ticks = date_ticks(L, list(v["start"]))
    years_only = all(x.isdigit() for x in ticks)
    if years_only and len(t) <= 10:
        ax.set_xticks(t, ticks)
    else:  # dates (seasons) or many years: slanted so that they do not overlap
        ax.set_xticks(t, ticks, rotation=35, ha="right", rotation_mode="anchor", fontsize=8)
    ax.set_xlabel(L.t("ens.axis.date"))
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=11, color=_BLUE)
    if np.isfinite(y).any() and np.nanmax(y) == np.nanmin(y):  # the same in every member: a band around it
        half = abs(float(np.nanmax(y))) * 0.05 or 1.0
        ax.set_ylim(float(np.nanmax(y)) - half, float(np.nanmax(y)) + half)
    ax.yaxis.set_major_formatter(lambda x, _: L.sig(x, 3))
    ax.grid(axis="y", color="#e3e9ef")
    ax.margins(x=0.08)
    return _save(fig, path)


def flows_figure(
    L: Lang, flows: pd.DataFrame, labels: list[tuple[str, str, str]], title: str, path: Path
) -> Path:
    """The key flows of one layer: per flow (``labels``: kind, source, destination → one row each), every
    member's share (dots, darker = later) with its interval and the mean across members."""
    fig = Figure(figsize=(7.0, 0.55 * len(labels) + 1.4), layout="constrained")
    ax = fig.add_subplot()
    times = np.sort(flows["t_year"].unique())
    shade = {tt: 0.35 + 0.65 * k / max(len(times) - 1, 1) for k, tt in enumerate(times)}
    names = []
    for row, (kind, src, dst) in enumerate(labels):
        f = flows[(flows["kind"] == kind) & (flows["source"] == src) & (flows["destination"] == dst)]
        yy = (
            np.full(len(f), float(row)) + np.linspace(-0.15, 0.15, len(f))
            if len(f) > 1
            else np.full(len(f), row)
        )
        x = f["fraction"].to_numpy(float) * 100
        lo, hi = f["ci_low"].to_numpy(float) * 100, f["ci_high"].to_numpy(float) * 100
        ok = np.isfinite(lo) & np.isfinite(hi)
        if ok.any():
            ax.errorbar(
                x[ok],
                yy[ok],
                xerr=[np.clip(x[ok] - lo[ok], 0, None), np.clip(hi[ok] - x[ok], 0, None)],
                fmt="none",
                ecolor="#b8c4cf",
                lw=1,
            )
        colours = [(0.04, 0.24, 0.36, shade[tt]) for tt in f["t_year"]]
        ax.scatter(x, yy, c=colours, s=30, zorder=3)
        ax.plot([x.mean()] * 2, [row - 0.3, row + 0.3], color="black", lw=2)
        exported = L.t("ens.exported_label", source=_place(L, src))
        names.append(exported if kind == "exported" else f"{_place(L, src)} → {_place(L, dst)}")
    kinds = [k for k, _, _ in labels]
    if "flow" in kinds and "exported" in kinds:  # a line between the flows and the exports
        ax.axhline(kinds.index("exported") - 0.5, color="#7a8a99", lw=0.8, ls=":")
    ax.set_yticks(range(len(labels)), names)
    ax.invert_yaxis()
    ax.set_xlabel(L.t("ens.axis.share") + " (%)")
    ax.xaxis.set_major_formatter(lambda x, _: L.sig(x, 3))
    ax.set_xlim(left=0)
    ax.set_title(title, fontsize=11, color=_BLUE)
    ax.grid(axis="x", color="#e3e9ef")
    return _save(fig, path)
