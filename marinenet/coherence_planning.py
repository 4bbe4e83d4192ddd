"""What a network's coherence means for each state and for planners (``coherence/`` of a run).

* ``<N>.jurisdictions.csv`` — per zone of the jurisdiction layer (each state's EEZ; the high seas
  where the layer has them as a polygon): ``jurisdiction, region_area_km2, protected_km2,
  ProtConn_percent`` of the protected areas inside it (their part inside), paths allowed through
  every protected area; ``ProtConn_own_percent`` with paths through its own protected areas only;
  ``via_others_percent`` = share of its ``Σ a_i a_j p*_ij`` lost without the stepping stones outside
  its waters; ``via_high_seas_percent`` = the same for the stepping stones on the high seas only.
* ``<N>.portfolio.csv`` — candidates added one at a time until the protected area reaches
  ``target`` % of the region: by largest ECA gain per km² added (``connectivity``) and, for
  comparison, by largest area (``area``); each step's coverage, ECA, ProtConn and the
  jurisdictions the added site lies in.
* ``<N>.sites.csv``, ``<N>.marxan_connect.csv`` (``id1, id2, value``) and
  ``<N>.prioritizr.csv`` (``id1, id2, boundary``) — the site-to-site probabilities p_ij as directed
  edge lists keyed by the integer ``id`` of ``<N>.sites.csv`` (see docs/methods.md).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from .coherence_sites import Sites, clipped_areas
from .connectivity.coherence import eca_gain, eca_on
from .outputs import write_csv
from .zones import ZoneLayer
from .zones.geometry import geodesic_area_km2

__all__ = ["write_planning", "jurisdiction_table", "portfolio_table", "edge_lists"]

HIGH_SEAS_IDS = ("ABNJ", "high_seas")


def write_planning(
    folder: Path,
    name: str,
    sites: Sites,
    p: np.ndarray,
    region_area: float,
    target: float,
    jurisdiction: ZoneLayer | None,
) -> None:
    """Write the jurisdiction table (with a jurisdiction layer), the portfolio (with candidates), the edges."""
    homes = _homes(sites, jurisdiction) if jurisdiction is not None else None
    if jurisdiction is not None and homes is not None:
        write_csv(jurisdiction_table(sites, p, jurisdiction, homes), folder / f"{name}.jurisdictions.csv")
    if (~sites.network).any():
        write_csv(portfolio_table(sites, p, region_area, target, homes), folder / f"{name}.portfolio.csv")
    table, marxan, prioritizr = edge_lists(sites, p)
    write_csv(table, folder / f"{name}.sites.csv")
    write_csv(marxan, folder / f"{name}.marxan_connect.csv")
    write_csv(prioritizr, folder / f"{name}.prioritizr.csv")


def _homes(sites: Sites, layer: ZoneLayer) -> list[list[str]]:
    """The jurisdiction zones each site lies in, largest share first (the outside label if none)."""
    out = []
    for g in sites.geoms:
        hits = [
            (geodesic_area_km2(shapely.intersection(g, z)), zid)
            for zid, z in _zones(layer)
            if g.intersects(z)
        ]
        hits = sorted((h for h in hits if h[0] > 0), reverse=True)
        out.append([z for _, z in hits] or [layer.outside])
    return out


def _zones(layer: ZoneLayer):
    return zip(layer.ids, layer.frame.geometry.values, strict=True)


def _is_high_seas(zone: str, layer: ZoneLayer) -> bool:
    return zone in HIGH_SEAS_IDS or zone == layer.outside


def jurisdiction_table(sites: Sites, p: np.ndarray, layer: ZoneLayer, homes: list[list[str]]) -> pd.DataFrame:
    net = np.flatnonzero(sites.network)
    pn = p[np.ix_(net, net)]
    geoms = [sites.geoms[k] for k in net]
    high_seas = np.array([_is_high_seas(homes[k][0], layer) for k in net])
    rows = []
    for zid, zone in _zones(layer):
        a = clipped_areas(geoms, zone)
        area = geodesic_area_km2(zone)
        everyone = np.arange(net.size)
        own = np.flatnonzero(a > 0)
        s_all = eca_on(a, pn, everyone) ** 2
        s_own = eca_on(a, pn, own) ** 2
        s_no_hs = eca_on(a, pn, np.flatnonzero(~high_seas | (a > 0))) ** 2
        rows.append(
            {
                "jurisdiction": zid,
                "region_area_km2": area,
                "protected_km2": a.sum(),
                "ProtConn_percent": 100 * np.sqrt(s_all) / area,
                "ProtConn_own_percent": 100 * np.sqrt(s_own) / area,
                "via_others_percent": 100 * (s_all - s_own) / s_all if s_all > 0 else np.nan,
                "via_high_seas_percent": 100 * (s_all - s_no_hs) / s_all if s_all > 0 else np.nan,
            }
        )
    return pd.DataFrame(rows)


def portfolio_table(
    sites: Sites, p: np.ndarray, region_area: float, target: float, homes: list[list[str]] | None
) -> pd.DataFrame:
    """Greedy additions of candidates to the network until ``target`` % of the region is protected."""
    frames = []
    for strategy in ("connectivity", "area"):
        a = sites.area_km2.copy()
        taken: list = []  # candidates chosen so far (their overlaps with the others are not added twice)
        chosen = list(np.flatnonzero(sites.network))
        pool = [k for k in np.flatnonzero(~sites.network) if a[k] > 0]
        covered = a[chosen].sum()
        eca = eca_on(a, p, np.asarray(chosen))
        rows = [_step(strategy, 0, None, 0.0, covered, eca, region_area, None)]
        while pool and covered < target / 100 * region_area:
            if strategy == "area":
                best = max(pool, key=lambda k: (a[k], -k))
                new = eca_on(a, p, np.asarray(chosen + [best]))
            else:
                gains = dict(zip(pool, eca_gain(a, p, np.asarray(chosen), np.asarray(pool)), strict=True))
                best = max(pool, key=lambda k: (gains[k] / a[k], -k))
                new = eca + gains[best]
            chosen.append(best)
            pool.remove(best)
            taken.append(sites.geoms[best])
            _discount_overlaps(sites, a, pool, int(best), taken)
            covered += a[best]
            eca = new
            where = ";".join(homes[best]) if homes is not None else None
            rows.append(
                _step(strategy, len(rows), sites.labels[best], a[best], covered, eca, region_area, where)
            )
        frames.append(pd.DataFrame(rows))
    out = pd.concat(frames, ignore_index=True)
    out["target_percent"] = target
    return out


def _discount_overlaps(sites: Sites, a: np.ndarray, pool: list, best: int, taken: list) -> None:
    """Candidates left in ``pool`` that overlap the one just chosen keep only the area not yet taken."""
    geom = sites.geoms[best]
    if geom is None or sites.free is None:
        return
    for k in pool:
        other = sites.geoms[k]
        if other is not None and shapely.intersection(other, geom).area > 0:
            a[k] = geodesic_area_km2(
                shapely.difference(shapely.intersection(other, sites.free), shapely.union_all(taken))
            )
    pool[:] = [k for k in pool if a[k] > 0]  # wholly inside what is taken: nothing left to add


def _step(strategy, step, zone, area, covered, eca, region_area, where) -> dict:
    return {
        "strategy": strategy,
        "step": step,
        "zone": zone,
        "area_km2": area,
        "coverage_percent": 100 * covered / region_area,
        "ECA_km2": eca,
        "ProtConn_percent": 100 * eca / region_area,
        "jurisdictions": where,
    }


def edge_lists(sites: Sites, p: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Sites with integer ids (1..n), and the non-zero p_ij between different sites as edge lists."""
    n = len(sites.labels)
    table = pd.DataFrame(
        {
            "id": np.arange(1, n + 1),
            "zone": sites.labels,
            "layer": sites.layers,
            "area_km2": sites.area_km2,
            "protected": sites.network,
            "members": [";".join(m) for m in sites.members],
        }
    )
    i, j = np.nonzero(p > 0)
    keep = i != j
    i, j = i[keep], j[keep]
    marxan = pd.DataFrame({"id1": i + 1, "id2": j + 1, "value": p[i, j]})
    return table, marxan, marxan.rename(columns={"value": "boundary"})
