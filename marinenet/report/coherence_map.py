"""The network-coherence map: protected sites sized by their importance (dPC), the links between them
(p_ij of the run's edge list), candidate sites coloured by the connected area (ECA) they would add.

Reads ``coherence/`` of a run (``summary.csv``, ``<N>.csv``, ``<N>.sites.csv``,
``<N>.marxan_connect.csv``, ``<N>.candidates.csv``) and the zone layers written in ``zones/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
import shapely
import xarray as xr

from .i18n import current as _lang
from .labels import Label, marker_box, place_labels, prepare
from .maps import _PC, EmptyFigure, _base_axes, _halo, _save, _tick_format, add_geometries
from .zonemaps import flow_arrow

__all__ = [
    "NetworkGraph",
    "network_graph",
    "network_names",
    "plot_coherence",
    "draw_coherence",
    "circle_size",
    "MIN_LINK",
]

#: links with p_ij below this are not drawn (the caption says so)
MIN_LINK = 0.01
#: marker area (points²) of the smallest and the largest dPC
_SMALL, _LARGE = 25.0, 600.0


@dataclass
class NetworkGraph:
    """What the map draws for one protected network."""

    network: str
    sites: pd.DataFrame  # zone, x, y, dPC (percent)
    links: pd.DataFrame  # source, destination, p (only p >= min_link, between protected sites)
    candidates: pd.DataFrame  # zone, x, y, delta_ECA_km2, geometry
    outlines: gpd.GeoDataFrame  # the protected sites' polygons (id, geometry)
    min_link: float
    top_dpc: float

    def size(self, dpc) -> np.ndarray:
        """Marker area (points²) for dPC values (percent): proportional to dPC, from ``_SMALL``."""
        return circle_size(np.asarray(dpc, float), self.top_dpc)


def circle_size(dpc: np.ndarray, top: float) -> np.ndarray:
    """Marker area growing linearly with dPC: ``_SMALL`` at 0, ``_LARGE`` at ``top``."""
    top = top if top > 0 else 1.0
    return _SMALL + (_LARGE - _SMALL) * np.clip(dpc, 0.0, None) / top


def _points(zones: gpd.GeoDataFrame | None, names, members=None) -> tuple[np.ndarray, np.ndarray]:
    """A point inside each site: of its polygon, or of the union of its ``members`` (``;``-separated ids of
    overlapping protected areas merged into one site)."""
    where = (
        {} if zones is None else {str(z): g for z, g in zip(zones["id"], zones.geometry.values, strict=True)}
    )
    parts = [str(m).split(";") for m in members] if members is not None else [[str(n)] for n in names]
    pts = []
    for ids in parts:
        found = [where[i] for i in ids if i in where]
        pts.append(shapely.union_all(found).representative_point() if found else None)
    return (
        np.array([p.x if p is not None else np.nan for p in pts]),
        np.array([p.y if p is not None else np.nan for p in pts]),
    )


def network_names(folder: Path) -> list[str]:
    """The protected networks of ``folder/summary.csv``, in its order (none without it)."""
    summary = folder / "summary.csv"
    return [str(n) for n in pd.read_csv(summary)["network"]] if summary.is_file() else []


def network_graph(
    folder: Path, zones: dict[str, gpd.GeoDataFrame], min_link: float = MIN_LINK, network: str | None = None
) -> NetworkGraph:
    """Sites, links and candidates of ``network`` (default: the first of ``folder/summary.csv``); EmptyFigure
    without it."""
    L = _lang()
    names = network_names(folder)
    if not names or (network is not None and network not in names):
        raise EmptyFigure(L.t("cohmap.none"))
    name = network if network is not None else names[0]
    sites = pd.read_csv(folder / f"{name}.csv")
    if not len(sites):
        raise EmptyFigure(L.t("cohmap.none"))
    layer = zones.get(name)
    x, y = _points(layer, sites["zone"], sites["members"] if "members" in sites else None)
    sites = sites.assign(x=x, y=y)
    links = pd.DataFrame(columns=["source", "destination", "p"])
    table = None
    ids, edges = folder / f"{name}.sites.csv", folder / f"{name}.marxan_connect.csv"
    if ids.is_file() and edges.is_file():
        table = pd.read_csv(ids)
        e = pd.read_csv(edges)
        label = dict(zip(table["id"], table["zone"].astype(str), strict=True))
        protected = dict(zip(table["id"], table["protected"].astype(bool), strict=True))
        keep = e["id1"].map(protected).fillna(False).astype(bool) & e["id2"].map(protected).fillna(
            False
        ).astype(bool)
        e = e[keep & (e["value"] >= min_link)]
        links = pd.DataFrame(
            {"source": e["id1"].map(label), "destination": e["id2"].map(label), "p": e["value"]}
        )
    cand = _candidates(folder / f"{name}.candidates.csv", zones, table)
    outlines = layer if layer is not None else gpd.GeoDataFrame({"id": []}, geometry=[], crs="EPSG:4326")
    top = float(sites["dPC"].max()) if np.isfinite(sites["dPC"]).any() else 0.0
    return NetworkGraph(name, sites, links.reset_index(drop=True), cand, outlines, min_link, top)


def _candidates(path: Path, zones: dict[str, gpd.GeoDataFrame], table: pd.DataFrame | None) -> pd.DataFrame:
    """Candidates with their polygon (from their layer in ``zones/``) and ECA gain."""
    if not path.is_file():
        return pd.DataFrame(columns=["zone", "delta_ECA_km2", "geometry"])
    cand = pd.read_csv(path)
    layer_of = {} if table is None else dict(zip(table["zone"].astype(str), table["layer"], strict=True))
    geoms: list[Any] = []
    for z in cand["zone"].astype(str):
        frame = zones.get(str(layer_of.get(z, "")))
        zid = z.split(":", 1)[1] if frame is not None and z.startswith(f"{layer_of.get(z)}:") else z
        hit = None if frame is None else frame.geometry[frame["id"].astype(str) == zid]
        geoms.append(hit.iloc[0] if hit is not None and len(hit) else None)
    return cand.assign(geometry=pd.Series(geoms, index=cand.index, dtype=object))


def plot_coherence(graph: NetworkGraph, land: xr.DataArray, path: Path, title: str, synthetic: bool) -> Path:
    """Draw the network map (see the module docstring) into ``path``."""
    fig, _ = draw_coherence(graph, land, title, synthetic)
    return _save(fig, path)


def draw_coherence(graph: NetworkGraph, land: xr.DataArray, title: str, synthetic: bool):
    """The network map as a matplotlib (figure, axes); the sites are the collection with gid
    ``coherence-sites``, the links the patches with gid ``coherence-link``."""
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize

    L = _lang()
    fig, ax = _base_axes(land, title, synthetic)
    cand = graph.candidates[graph.candidates["geometry"].notna()]
    if len(cand):
        gains = cand["delta_ECA_km2"].astype(float).clip(lower=0)
        norm = Normalize(0.0, float(gains.max()) if gains.max() > 0 else 1.0)
        cm = matplotlib.colormaps["YlGn"]
        for geom, g in zip(cand["geometry"], gains, strict=True):
            add_geometries(
                ax,
                [geom],
                facecolor=cm(norm(g)),
                edgecolor="#1b7837",
                linewidth=0.8,
                alpha=0.9,
                zorder=2.5,
            )
        fig.colorbar(
            ScalarMappable(norm=norm, cmap=cm),
            ax=ax,
            shrink=0.6,
            format=_tick_format(L),
            label=L.t("cohmap.gain"),
        )
    at = graph.sites.set_index(graph.sites["zone"].astype(str))[["x", "y"]]
    for _, r in graph.links.iterrows():
        a, b = at.loc[str(r["source"])], at.loc[str(r["destination"])]
        if not np.isfinite([a.x, a.y, b.x, b.y]).all():
            continue
        p = float(r["p"])
        flow_arrow(ax, a, b, 0.6 + 5.0 * p, alpha=0.35 + 0.6 * p, head=10, shrink=8, gid="coherence-link")
    shown = graph.sites[np.isfinite(graph.sites["x"])]
    ax.scatter(
        shown["x"],
        shown["y"],
        s=graph.size(shown["dPC"]),
        transform=_PC,
        facecolor="#5e3c99",
        edgecolor="white",
        alpha=0.55,
        zorder=6,
        gid="coherence-sites",
    )
    if len(graph.outlines):  # drawn as the other maps draw zones, above the circles: each shape stays visible
        add_geometries(
            ax,
            graph.outlines.geometry.values,
            facecolor="none",
            edgecolor="#1f4e79",
            linewidth=0.8,
            zorder=6.5,
        )
    if not len(graph.links):
        ax.text(
            0.5,
            0.97,
            L.t("cohmap.no_links"),
            transform=ax.transAxes,
            ha="center",
            va="top",
            fontsize=8,
            color="#8b0000",
            zorder=10,
            bbox=dict(facecolor="white", alpha=0.85, edgecolor="none"),
        )
    _size_legend(ax, graph, L)
    _labels(ax, graph, shown, cand, L)
    return fig, ax


def _labels(ax, graph: NetworkGraph, shown: pd.DataFrame, cand: pd.DataFrame, L) -> None:
    """Names of the protected areas (beside their circles, largest dPC first), then of the candidates (with
    their gain, largest first), placed so that none covers another, a circle or the legend; on a crowded
    map the names that find no room are left out."""

    def at(x: float, y: float) -> tuple[float, float]:
        px, py = ax.projection.transform_point(x, y, _PC)
        return float(px), float(py)

    style = {"fontsize": 7, "zorder": 7, "path_effects": _halo(), "gid": "coherence-label"}
    sizes = graph.size(shown["dPC"])
    points = [at(x, y) for x, y in zip(shown["x"], shown["y"], strict=True)]
    labels = [
        Label(points[k][0], points[k][1], str(shown["zone"].iloc[k]), float(np.sqrt(sizes[k])) / 2 + 2, style)
        for k in np.argsort(-np.asarray(shown["dPC"], float), kind="stable")
    ]
    for _, r in cand.sort_values("delta_ECA_km2", ascending=False).iterrows():
        p = r["geometry"].representative_point()
        text = L.t("cohmap.cand_label", zone=r["zone"], gain=L.count(max(float(r["delta_ECA_km2"]), 0.0)))
        x, y = at(p.x, p.y)
        labels.append(Label(x, y, text, style={**style, "color": "#1b4d20"}, centred=True))
    renderer = prepare(ax)
    circles = [marker_box(ax, x, y, s) for (x, y), s in zip(points, sizes, strict=True)]
    legend = ax.get_legend()
    if legend is not None:
        circles.append(legend.get_window_extent(renderer))
    place_labels(ax, labels, circles)


def _size_legend(ax, graph: NetworkGraph, L) -> None:
    from matplotlib.lines import Line2D

    top = graph.top_dpc
    refs = sorted({_nice(top), _nice(top / 2)} - {0.0}, reverse=True) if top > 0 else [0.0]
    handles = [
        Line2D(
            [],
            [],
            linestyle="none",
            marker="o",
            markersize=float(np.sqrt(graph.size(v))),
            markerfacecolor="#5e3c99",
            markeredgecolor="white",
            alpha=0.8,
            label=L.t("cohmap.dpc_key", dpc=L.pct(v / 100)),
        )
        for v in refs
    ]
    if len(graph.links):
        handles.append(Line2D([], [], color="#c0392b", lw=0.6 + 5.0 * 0.5, label=L.t("cohmap.link_key")))
    ax.legend(
        handles=handles,
        loc="upper left",
        fontsize=7,
        framealpha=0.9,
        labelspacing=1.6,
        borderpad=1.0,
        title=L.t("cohmap.legend"),
        title_fontsize=7,
    )


def _nice(v: float) -> float:
    """``v`` rounded to two significant digits (legend reference sizes)."""
    return float(f"{v:.2g}") if v > 0 else 0.0
