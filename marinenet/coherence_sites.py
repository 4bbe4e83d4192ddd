"""The sites of a coherence analysis: protected areas and candidates, their areas, and where particles went.

* Site areas are geodesic (WGS84) areas of the part of each polygon inside the region (the union
  of the region layer's polygons, whose geodesic area is A_L). A protected area outside the region
  has area 0 there but stays a node: a stepping stone for paths (as in ProtConn's transboundary
  part, Saura et al. 2018). A candidate's area is the part of it not yet protected.
* Source and destination of each particle come from the run's rows per layer (``connection``:
  where it settled, where it was at the end, or every site it visited).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from .analysis_config import CoherenceConfig
from .connectivity.coherence_flows import Flows, flows_from_rows
from .streaming import Streams
from .zones import ZoneLayer
from .zones.geometry import geodesic_area_km2

__all__ = ["Sites", "build_sites", "site_flows", "Rows", "region_of", "clipped_areas"]

from .connectivity.fates import Rows  # noqa: E402  (particle, label, weight)


@dataclass
class Sites:
    """Network sites first (``network`` True), then candidates."""

    labels: list[str]
    layers: list[str]
    geoms: list[BaseGeometry]
    area_km2: np.ndarray
    network: np.ndarray


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
    """Sites of a network (and candidates) with their areas in ``region``."""
    geoms = list(network.frame.geometry.values)
    area = clipped_areas(geoms, region)
    labels, layers = list(network.ids), [network.name] * len(geoms)
    flag = [True] * len(geoms)
    if candidates is not None:
        cgeoms = list(candidates.frame.geometry.values)
        free = shapely.difference(region, shapely.union_all(geoms)) if geoms else region
        area = np.r_[area, clipped_areas(cgeoms, free)]
        clash = set(labels) & set(candidates.ids)
        labels += [f"{candidates.name}:{i}" if i in clash else i for i in candidates.ids]
        layers += [candidates.name] * len(cgeoms)
        geoms += cgeoms
        flag += [False] * len(cgeoms)
    return Sites(labels, layers, geoms, area, np.asarray(flag))


def _numbered(rows: Rows, ids: list[str], offset: int) -> Rows:
    p, label, w = rows
    index = {z: offset + k for k, z in enumerate(ids)}
    site = np.fromiter((index.get(x, -1) for x in label), np.int64, len(label))
    return Rows(np.asarray(p), site, np.asarray(w, float))


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
    src, dst, offset = [], [], 0
    for layer in layers:
        if cfg.connection == "visit":
            d = _visits(layer, streams)
        elif cfg.connection == "settlement":
            d = destinations[f"{layer.name}.settlement"]
        else:
            d = destinations[layer.name]
        src.append(_numbered(sources[layer.name], layer.ids, offset))
        dst.append(_numbered(d, layer.ids, offset))
        offset += len(layer.ids)
    cat = [Rows(*(np.concatenate([r[k] for r in rows]) for k in range(3))) for rows in (src, dst)]
    return flows_from_rows(len(sites.labels), cat[0], cat[1], n_particles)
