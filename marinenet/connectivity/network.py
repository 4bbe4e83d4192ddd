"""The connectivity network: zones as nodes, particle flows as weighted directed edges (networkx)."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import xarray as xr

from .sparse import SparseCounts

__all__ = ["connectivity_graph", "network_metrics", "write_graphml"]


def connectivity_graph(m: xr.DataArray | SparseCounts, zones: list[str]) -> nx.DiGraph:
    """Directed graph of flows between zones (outcome columns and self-loops left out).

    Edge attributes: ``count``, ``probability`` (row-normalised: share of the source's
    releases) and ``distance`` = −ln(probability), so that the shortest path is the most
    probable multi-step route (used for betweenness).
    """
    g: nx.DiGraph[str] = nx.DiGraph()
    g.add_nodes_from(zones)
    if isinstance(m, SparseCounts):
        return _sparse_graph(g, m, zones)
    src = [str(s) for s in m["source"].values]
    dst = [str(d) for d in m["destination"].values]
    C = m.values.astype(float)
    released = C.sum(axis=1)
    for i, s in enumerate(src):
        if s not in zones or released[i] == 0:
            continue
        for j, d in enumerate(dst):
            if d in zones and d != s and C[i, j] > 0:
                p = C[i, j] / released[i]
                g.add_edge(s, d, count=float(C[i, j]), probability=float(p), distance=float(-np.log(p)))
    return g


def _sparse_graph(g: nx.DiGraph, m: SparseCounts, zones: list[str]) -> nx.DiGraph:
    """:func:`connectivity_graph`'s edges from the non-zero cells (the same order: row-major)."""
    count = m.count.astype(float)
    released = m.released().astype(float)
    zone = set(zones)
    src_zone = np.array([str(s) in zone for s in m.sources], bool)
    dst_zone = np.array([str(d) in zone for d in m.destinations], bool)
    src = np.array([str(s) for s in m.sources], dtype=object)
    dst = np.array([str(d) for d in m.destinations], dtype=object)
    keep = src_zone[m.row] & dst_zone[m.col] & (released[m.row] != 0) & (count > 0)
    keep &= src[m.row] != dst[m.col]
    r, c, x = m.row[keep], m.col[keep], count[keep]
    p = x / released[r]
    g.add_edges_from(
        (s, d, {"count": float(k), "probability": float(q), "distance": float(-np.log(q))})
        for s, d, k, q in zip(src[r], dst[c], x, p, strict=True)
    )
    return g


#: above this many zones betweenness is estimated from :data:`PIVOTS` sampled zones and communities are
#: found by Louvain (exact betweenness costs zones × edges shortest paths: 56 s CPU at 2,000 grid zones,
#: hours at 20,000; greedy modularity minutes at 20,000)
LARGE_NETWORK = 500
PIVOTS = 64


def network_metrics(g: nx.DiGraph) -> pd.DataFrame:
    """Per zone: out/in strength (particles sent to / received from other zones), betweenness, community.

    Networks of more than :data:`LARGE_NETWORK` zones: betweenness from :data:`PIVOTS` source zones
    drawn with a fixed seed (networkx's unbiased estimate) and Louvain communities (fixed seed).
    """
    large = g.number_of_nodes() > LARGE_NETWORK
    between: dict = {}
    if g.number_of_edges():
        k = min(PIVOTS, g.number_of_nodes()) if large else None
        between = nx.betweenness_centrality(
            g, k=k, weight="distance", normalized=True, seed=0 if large else None
        )
    und = g.to_undirected()
    communities: list
    if not g.number_of_edges():
        communities = [set(g)]
    elif large:
        communities = nx.community.louvain_communities(und, weight="count", seed=0)
    else:
        communities = nx.community.greedy_modularity_communities(und, weight="count")
    member = {n: k for k, c in enumerate(communities) for n in c}
    rows = [
        {
            "zone": n,
            "out_strength": sum(d["count"] for _, _, d in g.out_edges(n, data=True)),
            "in_strength": sum(d["count"] for _, _, d in g.in_edges(n, data=True)),
            "betweenness": between.get(n, 0.0),
            "community": member.get(n, -1),
        }
        for n in g.nodes
    ]
    return (
        pd.DataFrame(rows).sort_values("betweenness", ascending=False, kind="stable").reset_index(drop=True)
    )


def write_graphml(g: nx.DiGraph, path: Path, positions: dict[str, tuple[float, float]] | None = None) -> None:
    """Write ``g`` as GraphML; ``positions`` (zone → lon, lat) become node attributes ``lon``, ``lat``.

    Gephi, Cytoscape and QGIS place the nodes from them; outcome nodes have no position.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if positions:
        g = g.copy()
        for node in g.nodes:
            if node in positions:
                g.nodes[node]["lon"], g.nodes[node]["lat"] = map(float, positions[node])
    nx.write_graphml(g, path)
