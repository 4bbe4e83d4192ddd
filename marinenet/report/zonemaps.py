"""Maps of zones: flows between them (arrows) and per-zone indices (choropleths)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import matplotlib
import numpy as np
import xarray as xr
from matplotlib.lines import Line2D

from .i18n import current as _lang
from .maps import (
    _PC,
    EmptyFigure,
    _base_axes,
    _draw_zones,
    _save,
    _tick_format,
    add_geometries,
    draw_overlays,
    zone_text,
)

__all__ = ["plot_flows", "plot_choropleth"]


def flow_arrow(ax, a, b, linewidth: float, alpha: float, head: float, shrink: float, gid: str | None = None):
    """A curved arrow from point ``a`` to point ``b`` (lon/lat, attributes ``x``, ``y``) on a map."""
    from matplotlib.patches import FancyArrowPatch

    to_axes = ax.projection
    ax.add_patch(
        FancyArrowPatch(
            to_axes.transform_point(a.x, a.y, _PC),
            to_axes.transform_point(b.x, b.y, _PC),
            connectionstyle="arc3,rad=0.2",
            arrowstyle="-|>",
            mutation_scale=head,
            linewidth=linewidth,
            color="#c0392b",
            alpha=alpha,
            shrinkA=shrink,
            shrinkB=shrink,
            zorder=5,
            gid=gid,
        )
    )


def plot_flows(
    table,
    zones: gpd.GeoDataFrame,
    land: xr.DataArray,
    path: Path,
    title: str,
    synthetic: bool = False,
    most: int = 25,
    min_count: int = 5,
    overlays: dict[str, gpd.GeoDataFrame] | None = None,
) -> Path:
    """Zone-to-zone flows as curved arrows, width by particle count; flows below ``min_count`` not drawn.

    Raises :class:`EmptyFigure` when no flow between two zones reaches ``min_count`` particles.
    """

    centre = {
        str(z): g.representative_point() for z, g in zip(zones["id"], zones.geometry.values, strict=True)
    }
    released = table.groupby("source")["count"].sum()
    flows = table[
        (table["source"] != table["destination"])
        & table["source"].isin(centre)
        & table["destination"].isin(centre)
        & (table["count"] >= min_count)
    ].nlargest(most, "count")
    L = _lang()
    if len(flows) == 0:
        raise EmptyFigure(L.t("map.no_flow", min=L.count(min_count)))
    fig, ax = _base_axes(land, title, synthetic)
    _draw_zones(ax, zones)
    handles = draw_overlays(ax, overlays)
    top = float(flows["count"].max())

    def width(count: float) -> float:
        return 0.8 + 6.0 * count / top

    for _, r in flows.iterrows():
        a, b = centre[r["source"]], centre[r["destination"]]
        flow_arrow(ax, a, b, width(float(r["count"])), alpha=0.7, head=12, shrink=14)
    key = sorted({int(top), max(int(round(top / 2)), min_count), min_count}, reverse=True)
    total = float(released.sum()) or 1.0
    arrows = [
        Line2D(
            [],
            [],
            color="#c0392b",
            lw=width(k),
            label=L.t("map.arrow_key", k=L.count(k), pct=L.pct(k / total)),
        )
        for k in key
    ]
    legend = ax.legend(
        handles=arrows,
        loc="upper right",
        fontsize=7,
        framealpha=0.9,
        title=L.t("map.arrow_width"),
        title_fontsize=7,
    )
    if handles:  # the EBSA / MPA layers in a legend of their own
        ax.add_artist(legend)
        ax.legend(handles=handles, loc="upper left", fontsize=7, framealpha=0.9)
    ax.text(
        0.99,
        -0.07,
        L.tn("map.flows_shown", len(flows), k=L.count(len(flows)), min=L.count(min_count)),
        transform=ax.transAxes,
        ha="right",
        fontsize=8,
    )
    return _save(fig, path)


def plot_choropleth(
    zones: gpd.GeoDataFrame,
    column: str,
    land: xr.DataArray,
    path: Path,
    title: str,
    label: str,
    synthetic: bool = False,
    cmap: str = "YlOrRd",
    scale: tuple[float, float] | None = (0.0, 1.0),
    n: str | None = None,
    min_n: int = 30,
    fmt=None,
) -> Path:
    """Zones coloured by an index on a fixed ``scale`` (shares: 0–1; None: 0 to the largest value).

    Zones whose sample (column ``n``) is below ``min_n`` are faded and hatched, and labelled with n.
    ``fmt`` writes a value (default: two decimals in the report's language). Raises :class:`EmptyFigure`
    when no zone has a value.
    """
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize
    from matplotlib.patches import Patch

    L = _lang()
    fmt = fmt or (lambda v: L.num(v, 2))
    values = zones[column].astype(float)
    ok = np.isfinite(values)
    if not ok.any():
        raise EmptyFigure(L.t("map.no_value", column=L.column(column)))
    vmax = float(values[ok].max()) if scale is None else scale[1]
    norm = Normalize(vmin=0.0 if scale is None else scale[0], vmax=vmax if vmax > 0 else 1.0)
    cm = matplotlib.colormaps[cmap]
    sizes = zones[n].fillna(0).astype(float).values if n and n in zones else np.full(len(zones), np.inf)
    fig, ax = _base_axes(land, title, synthetic)
    for geom, v, size in zip(zones.geometry.values, values, sizes, strict=True):
        weak = np.isfinite(v) and size < min_n  # uncertain: not coloured by its value, hatched
        face = "#dddddd" if not np.isfinite(v) else ("#f4f4f4" if weak else cm(norm(v)))
        add_geometries(
            ax,
            [geom],
            facecolor=face,
            edgecolor="#1f4e79",
            linewidth=0.6,
            alpha=0.85,
            hatch="///" if weak else None,
            zorder=3,
        )
    for zid, geom, v, size in zip(zones["id"], zones.geometry.values, values, sizes, strict=True):
        text = f"{zid}\n{fmt(v)}" if np.isfinite(v) else f"{zid}\n{L.t('map.no_particles')}"
        if np.isfinite(v) and np.isfinite(size):
            text += f"\nn = {L.count(size)}"
        zone_text(ax, geom, text)
    fig.colorbar(ScalarMappable(norm=norm, cmap=cm), ax=ax, shrink=0.7, label=label, format=_tick_format(L))
    ax.legend(
        handles=[
            Patch(facecolor="#dddddd", edgecolor="#1f4e79", label=L.t("map.undefined")),
            Patch(
                facecolor="#f4f4f4",
                edgecolor="#1f4e79",
                hatch="///",
                label=L.t("map.too_few", min=L.count(min_n)),
            ),
        ],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.06),
        ncol=2,
        fontsize=7,
        frameon=False,
    )
    return _save(fig, path)
