"""The two figures of a site dossier: first-arrival times (bars from the run's percentiles) and a small map."""

from __future__ import annotations

import math
from pathlib import Path

import xarray as xr
from matplotlib.figure import Figure

from .dossier_data import DossierData, StateLink
from .i18n import Lang
from .maps import _PC, EmptyFigure, _base_axes, _halo, _save, add_geometries, zone_text

__all__ = ["plot_arrivals", "plot_site_map"]

_MEMBER_COLOURS = ("#0b3d5c", "#d95f02", "#1b9e77", "#7570b3", "#e7298a", "#66a61e", "#a6761d", "#666666")


def _rows(d: DossierData, direction: str) -> list[str]:
    """Jurisdictions with arrivals in any member, by earliest median."""
    best: dict[str, float] = {}
    for r in d.runs:
        for t in r.to if direction == "to" else r.supply:
            if t.arrivals > 0 and math.isfinite(t.median_days):
                best[t.jurisdiction] = min(best.get(t.jurisdiction, math.inf), t.median_days)
    return sorted(best, key=lambda z: best[z])[:12]  # the earliest twelve (the tables cap alike)


def _panel(ax, d: DossierData, L: Lang, direction: str, title: str, xmax: float) -> None:
    zones = _rows(d, direction)
    ax.set_title(title, fontsize=10, loc="left")
    ax.set_xlim(0, xmax)
    if not zones:
        ax.text(0.5, 0.5, L.t("dos.fig.arrival.empty"), transform=ax.transAxes, ha="center", va="center")
        ax.set_yticks([])
        return
    m = len(d.runs)
    step = 0.7 / max(m, 1)
    for k, r in enumerate(d.runs):
        links: dict[str, StateLink] = {t.jurisdiction: t for t in (r.to if direction == "to" else r.supply)}
        colour = _MEMBER_COLOURS[k % len(_MEMBER_COLOURS)]
        for y, z in enumerate(zones):
            t = links.get(z)
            if t is None or t.arrivals <= 0 or not math.isfinite(t.median_days):
                continue
            yy = y + (k - (m - 1) / 2) * step
            ax.plot([t.p10_days, t.p90_days], [yy, yy], color=colour, linewidth=4, alpha=0.55)
            ax.plot([t.median_days], [yy], "o", color=colour, markersize=6)
            ax.text(
                t.p90_days + xmax * 0.01,
                yy,
                L.t("dos.fig.arrival.n", n=L.count(t.arrivals)),
                va="center",
                fontsize=7,
            )
    ax.set_yticks(range(len(zones)), [z if len(z) < 28 else z[:26] + "…" for z in zones], fontsize=8)
    ax.set_ylim(len(zones) - 0.5, -0.5)
    ax.grid(axis="x", color="#dddddd", linewidth=0.5)


def plot_arrivals(d: DossierData, L: Lang, path: Path) -> Path:
    """Two panels: from the site to each state's waters, and from each state's waters to the site."""
    days = [
        t.p90_days for r in d.runs for t in [*r.to, *r.supply] if t.arrivals > 0 and math.isfinite(t.p90_days)
    ]
    if not days:
        raise EmptyFigure(L.t("dos.fig.arrival.empty"))
    duration = _duration_days(d)
    xmax = max(max(days) * 1.15, duration if math.isfinite(duration) else 0.0, 1.0)
    n_to, n_from = max(len(_rows(d, "to")), 1), max(len(_rows(d, "from")), 1)
    fig = Figure(figsize=(8.0, 1.6 + 0.32 * (n_to + n_from) * max(1, len(d.runs) / 2)))
    axes = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [n_to + 0.8, n_from + 0.8]})
    _panel(axes[0], d, L, "to", L.t("dos.fig.arrival.to"), xmax)
    _panel(axes[1], d, L, "from", L.t("dos.fig.arrival.from"), xmax)
    axes[1].set_xlabel(L.t("dos.fig.arrival.x"))
    if len(d.runs) > 1:  # one colour per release date, named above the panels
        from matplotlib.lines import Line2D

        handles = [
            Line2D([], [], color=_MEMBER_COLOURS[k % len(_MEMBER_COLOURS)], linewidth=4, alpha=0.7)
            for k in range(len(d.runs))
        ]
        fig.legend(
            handles,
            [L.date(r.start) for r in d.runs],
            loc="upper center",
            ncol=min(len(d.runs), 4),
            fontsize=7,
            frameon=False,
        )
        fig.tight_layout(rect=(0, 0, 1, 0.93))
    else:
        fig.tight_layout()
    return _save(fig, path)


def _duration_days(d: DossierData) -> float:
    from ..units import parse_duration

    value = (d.scenario.get("simulation") or {}).get("duration")
    if value is None:
        return math.nan
    try:
        return parse_duration(value) / 86400.0
    except (TypeError, ValueError):
        return math.nan


def plot_site_map(d: DossierData, L: Lang, land: xr.DataArray, path: Path) -> Path:
    """The site (red outline) and the states' waters shaded by the share of its particles they received."""
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize

    if d.geometry is None:
        raise EmptyFigure(L.t("dos.where.unknown", kind=d.site))
    fig, ax = _base_axes(land, "", d.summary.synthetic, figsize=(7.5, 6.2))  # titled by the dossier
    shares = {t.jurisdiction: t.share for t in d.runs[0].to if t.count > 0}
    if len(d.runs) > 1:  # an ensemble: the largest share across members
        for r in d.runs[1:]:
            for t in r.to:
                if t.count > 0:
                    shares[t.jurisdiction] = max(shares.get(t.jurisdiction, 0.0), t.share)
    cmap, norm = _blues(), Normalize(0.0, 1.0)
    for zid, geom in zip(d.zones["id"].astype(str), d.zones.geometry.values, strict=True):
        face = cmap(norm(shares[zid])) if zid in shares else "none"
        add_geometries(ax, [geom], facecolor=face, edgecolor="#1f4e79", linewidth=0.6, alpha=0.8, zorder=3)
        zone_text(ax, geom, zid + (f"\n{L.pct(shares[zid])}" if zid in shares else ""))
    add_geometries(ax, [d.geometry], facecolor="none", edgecolor="#c00000", linewidth=2.0, zorder=7)
    c = d.geometry.representative_point()
    ax.annotate(
        d.site,
        xy=(c.x, c.y),
        xycoords=_PC._as_mpl_transform(ax),
        xytext=(12, 12),
        textcoords="offset points",
        fontsize=8,
        color="#c00000",
        weight="bold",
        zorder=8,
        path_effects=_halo(),
    )
    fig.colorbar(
        ScalarMappable(norm=norm, cmap=cmap),
        ax=ax,
        shrink=0.6,
        label=L.t("dos.fig.map.share"),
        format=lambda v, _: L.pct(v, 0),
    )
    return _save(fig, path)


def _blues():
    import matplotlib

    return matplotlib.colormaps["Blues"].resampled(256)
