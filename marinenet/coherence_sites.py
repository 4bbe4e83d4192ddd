"""The sites of a coherence analysis: protected areas and candidates, their areas, and where particles went.

* Site areas are geodesic (WGS84) areas of the part of each polygon inside the region (the union
  of the region layer's polygons, whose geodesic area is A_L). Protected areas of the network
  that overlap (share area, not only a boundary) are one site, as ProtConn dissolves overlapping
  protected areas (Saura et al. 2017): its polygon is their union, so shared area counts once, its
  particles are theirs pooled (a particle in both counts once), its label joins theirs with
  ``" + "`` and ``members`` lists them. A protected area outside the region
  has area 0 there but stays a node: a stepping stone for paths (as in ProtConn's transboundary
  part, Saura et al. 2018). A candidate's area is the part of it not yet protected.
* Source and destination of each particle come from the run's rows per layer (``connection``:
  where it settled, where it was at the end, or every site it visited).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from .analysis_config import CoherenceConfig
from .connectivity.coherence_flows import Flows, flows_from_rows
from .streaming import Streams
from .zones import ZoneLayer
from .zones.geometry import geodesic_area_km2

__all__ = ["Sites", "build_sites", "site_flows", "Rows", "region_of", "clipped_areas", "overlap_groups"]

from .connectivity.fates import Rows  # noqa: E402  (particle, label, weight)


@dataclass
class Sites:
    """Network sites first (``network`` True), then candidates.

    ``members[k]`` are the zone ids of its layer that site ``k`` stands for: one, or several
    overlapping protected areas merged into one site.
    """

    labels: list[str]
    layers: list[str]
    geoms: list[BaseGeometry]
    area_km2: np.ndarray
    network: np.ndarray
    members: list[list[str]] = field(default_factory=list)
    free: BaseGeometry | None = None  # the region outside the network: where candidates' areas count

    def __post_init__(self) -> None:
        if not self.members:
            self.members = [[label] for label in self.labels]

    def node_of(self, layer: str) -> dict[str, int]:
        """Site number of each zone id of ``layer``."""
        return {z: k for k, name in enumerate(self.layers) if name == layer for z in self.members[k]}

    @property
    def merged(self) -> list[int]:
        """Sites that stand for several overlapping protected areas."""
        return [k for k, m in enumerate(self.members) if len(m) > 1]


#: two polygons overlap when they share more than this share of the smaller one's area (not outline noise)
OVERLAP_SHARE = 1e-6


def overlap_groups(geoms: list[BaseGeometry]) -> list[list[int]]:
    """Polygons that share area, directly or through others: groups of indices, in the input order.

    Polygons that only touch (a common boundary) or share less than :data:`OVERLAP_SHARE` of the
    smaller one's area stay apart.
    """
    parent = list(range(len(geoms)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    if geoms:
        left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
        for i, j in zip(left.tolist(), right.tolist(), strict=True):
            if i < j and root(i) != root(j):
                shared = shapely.intersection(geoms[i], geoms[j]).area
                if shared > OVERLAP_SHARE * min(geoms[i].area, geoms[j].area):
                    parent[max(root(i), root(j))] = min(root(i), root(j))
    groups: dict[int, list[int]] = {}
    for i in range(len(geoms)):
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


def region_of(layer: ZoneLayer) -> BaseGeometry:
    """The union of a layer's polygons."""
    return shapely.union_all(layer.frame.geometry.values)


def clipped_areas(geoms: list[BaseGeometry], region: BaseGeometry) -> np.ndarray:
    """Geodesic area (km²) of each geometry's part inside ``region``."""
    shapely.prepare(region)
    out = np.zeros(len(geoms))
    for k, g in enumerate(geoms):
        if shapely.within(g, region):
            out[k] = geodesic_area_km2(g)
        elif shapely.intersects(g, region):
            out[k] = geodesic_area_km2(shapely.intersection(g, region))
    return out


def build_sites(network: ZoneLayer, candidates: ZoneLayer | None, region: BaseGeometry) -> Sites:
    """Sites of a network (overlapping protected areas merged) and candidates, with their areas in ``region``."""
    ids, polygons = list(network.ids), list(network.frame.geometry.values)
    groups = overlap_groups(polygons)
    members = [[ids[i] for i in g] for g in groups]
    geoms = [polygons[g[0]] if len(g) == 1 else shapely.union_all([polygons[i] for i in g]) for g in groups]
    area = clipped_areas(geoms, region)
    labels, layers = [" + ".join(m) for m in members], [network.name] * len(geoms)
    flag = [True] * len(geoms)
    free: BaseGeometry | None = None
    if candidates is not None:
        cgeoms = list(candidates.frame.geometry.values)
        free = shapely.difference(region, shapely.union_all(geoms)) if geoms else region
        area = np.r_[area, clipped_areas(cgeoms, free)]
        clash = set(labels) & set(candidates.ids)
        labels += [f"{candidates.name}:{i}" if i in clash else i for i in candidates.ids]
        layers += [candidates.name] * len(cgeoms)
        members += [[i] for i in candidates.ids]
        geoms += cgeoms
        flag += [False] * len(cgeoms)
    return Sites(labels, layers, geoms, area, np.asarray(flag), members, free)


def _numbered(rows: Rows, index: dict[str, int], pooled: str) -> Rows:
    """Rows on site numbers (−1: no site); rows of one particle in one site are one (``pooled``: sum or max).

    Shares of a particle in overlapping protected areas add up in their merged site; survival
    weights of visits (a particle visiting both) do not: the site is visited once.
    """
    p, label, w = rows
    site = np.fromiter((index.get(x, -1) for x in label), np.int64, len(label))
    p, w = np.asarray(p, np.int64), np.asarray(w, float)
    key = p * (max(index.values(), default=0) + 2) + site + 1
    unique, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    if unique.size == key.size:
        return Rows(p, site, w)
    if pooled == "max":
        merged = np.full(unique.size, -np.inf)
        np.maximum.at(merged, inverse, w)
    else:
        merged = np.bincount(inverse, weights=w, minlength=unique.size)
    return Rows(p[first], site[first], merged)


def _visits(layer: ZoneLayer, streams: Streams) -> Rows:
    """(particle, zone, weight) of every zone a particle was in at any step (survival at its arrival)."""
    ls = streams.layers[layer.name]
    p, z, first, _ = ls.visits()
    w = np.ones(p.size)
    if streams.survival is not None:
        w = streams.survival.at(p, first)
    return Rows(p, np.asarray(ls.zones, dtype=object)[z], w)


def site_flows(
    sites: Sites,
    layers: list[ZoneLayer],
    cfg: CoherenceConfig,
    sources: dict[str, Rows],
    destinations: dict[str, Rows],
    streams: Streams,
    n_particles: int,
) -> Flows:
    """Particles from each site to each site, by ``cfg.connection``."""
    src, dst = [], []
    for layer in layers:
        if cfg.connection == "visit":
            d = _visits(layer, streams)
        elif cfg.connection == "settlement":
            d = destinations[f"{layer.name}.settlement"]
        else:
            d = destinations[layer.name]
        index = sites.node_of(layer.name)
        src.append(_numbered(sources[layer.name], index, "sum"))
        dst.append(_numbered(d, index, "max" if cfg.connection == "visit" else "sum"))
    cat = [Rows(*(np.concatenate([r[k] for r in rows]) for k in range(3))) for rows in (src, dst)]
    return flows_from_rows(len(sites.labels), cat[0], cat[1], n_particles)
