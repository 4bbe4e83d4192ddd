"""The connectivity network: zones as nodes, particle flows as weighted directed edges (networkx)."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import xarray as xr

__all__ = ["connectivity_graph", "network_metrics", "write_graphml"]


def connectivity_graph(m: xr.DataArray, zones: list[str]) -> nx.DiGraph:
    """Directed graph of flows between zones (outcome columns and self-loops left out).

    Edge attributes: ``count``, ``probability`` (row-normalised: share of the source's
    releases) and ``distance`` = −ln(probability), so that the shortest path is the most
    probable multi-step route (used for betweenness).
    """
    g: nx.DiGraph[str] = nx.DiGraph()
    g.add_nodes_from(zones)
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


def network_metrics(g: nx.DiGraph) -> pd.DataFrame:
    """Per zone: out/in strength (particles sent to / received from other zones), betweenness, community."""
    between = nx.betweenness_centrality(g, weight="distance", normalized=True) if g.number_of_edges() else {}
    und = g.to_undirected()
    communities = (
        nx.community.greedy_modularity_communities(und, weight="count") if g.number_of_edges() else [set(g)]
    )
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
