"""Transboundary indices from a connectivity count matrix (rows = source, columns = destination).

For a zone i with releases R_i = Σ_j C_ij and arrivals A_i = Σ_k C_ki (over sources):

* local retention  LR_i = C_ii / R_i          — share of what i releases that stays in i
* self-recruitment SR_i = C_ii / A_i          — share of what arrives in i that came from i
* import dependency ID_i = 1 − SR_i           — share of arrivals originating elsewhere
* ABNJ dependency  AD_i = C_ABNJ,i / A_i      — share of arrivals originating on the high seas
* export share     ES_i = Σ_{j≠i, j zone} C_ij / R_i — share released that ends in other zones

Outcome columns (stranded, out_of_domain ...) count in R_i but are no zone, so
LR + ES + (outcomes share) = 1.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import xarray as xr

from .sparse import SparseCounts

__all__ = ["transboundary_indices", "row_normalised", "column_normalised"]


def row_normalised(m: xr.DataArray | SparseCounts) -> xr.DataArray | SparseCounts:
    """Probability that a particle from a source ends in each destination.

    Parameters
    ----------
    m
        Counts ``(source, destination)``.

    Returns
    -------
    xarray.DataArray
        Each row divided by its sum (rows that released nothing: 0).
    """
    if isinstance(m, SparseCounts):  # the non-zero cells divided by their row's sum
        return replace(m, count=m.count / m.released().astype(float)[m.row])
    tot = m.sum("destination")
    return (m / tot.where(tot > 0)).fillna(0.0)


def column_normalised(m: xr.DataArray | SparseCounts) -> xr.DataArray | SparseCounts:
    """Share of each destination's arrivals that came from each source (origin share).

    Parameters
    ----------
    m
        Counts ``(source, destination)``.

    Returns
    -------
    xarray.DataArray
        Each column divided by its sum (columns that received nothing: 0).
    """
    if isinstance(m, SparseCounts):
        return replace(m, count=m.count / m.arrived().astype(float)[m.col])
    tot = m.sum("source")
    return (m / tot.where(tot > 0)).fillna(0.0)


def transboundary_indices(
    m: xr.DataArray | SparseCounts, zones: list[str], high_seas: str | None = None
) -> pd.DataFrame:
    """One row per zone: released, arrivals, LR, SR, import dependency, ABNJ dependency, export share.

    Parameters
    ----------
    m
        Counts with dims (source, destination); destinations may include outcome columns.
    zones
        The zones (present as both sources and destinations where they released/received).
    high_seas
        The label of the high seas (``ABNJ``) for the ABNJ dependency, if any.

    Returns
    -------
    pandas.DataFrame
        One row per zone with the indices (defined in docs/methods.md).
    """
    if isinstance(m, SparseCounts):
        return _sparse_indices(m, zones, high_seas)
    src = [str(s) for s in m["source"].values]
    dst = [str(d) for d in m["destination"].values]
    C = m.values.astype(float)
    zone_cols = [dst.index(z) for z in zones if z in dst]
    rows = []
    for z in zones:
        i = src.index(z) if z in src else None
        j = dst.index(z) if z in dst else None
        released = float(C[i].sum()) if i is not None else 0.0
        arrivals = float(C[:, j].sum()) if j is not None else 0.0
        own = float(C[i, j]) if i is not None and j is not None else 0.0
        to_other = float(sum(C[i, c] for c in zone_cols if c != j)) if i is not None else 0.0
        from_hs = 0.0
        if high_seas is not None and high_seas in src and j is not None and z != high_seas:
            from_hs = float(C[src.index(high_seas), j])
        rows.append(
            {
                "zone": z,
                "released": released,
                "arrivals": arrivals,
                "local_retention": own / released if released else np.nan,
                "self_recruitment": own / arrivals if arrivals else np.nan,
                "import_dependency": 1.0 - own / arrivals if arrivals else np.nan,
                "abnj_dependency": from_hs / arrivals if arrivals and high_seas is not None else np.nan,
                "export_share": to_other / released if released else np.nan,
            }
        )
    return pd.DataFrame(rows)


def _sparse_indices(m: SparseCounts, zones: list[str], high_seas: str | None) -> pd.DataFrame:
    """:func:`transboundary_indices` from the non-zero cells, vectorised (no zone × zone array)."""
    src = pd.Index([str(s) for s in m.sources]).get_indexer(pd.Index(zones))  # −1: not a source
    dst = pd.Index([str(d) for d in m.destinations]).get_indexer(pd.Index(zones))
    count = m.count.astype(float)
    row_sum, col_sum = m.released().astype(float), m.arrived().astype(float)
    zone_col = np.zeros(len(m.destinations), bool)
    zone_col[dst[dst >= 0]] = True
    to_zones = np.bincount(m.row, weights=np.where(zone_col[m.col], count, 0.0), minlength=len(m.sources))
    cells = m.csr()
    has_i, has_j = src >= 0, dst >= 0
    released = np.where(has_i, row_sum[src], 0.0)
    arrivals = np.where(has_j, col_sum[dst], 0.0)
    both = has_i & has_j
    own = np.zeros(len(zones))
    own[both] = np.asarray(cells[src[both], dst[both]]).ravel()
    to_other = np.where(has_i, to_zones[src] - np.where(has_j, own, 0.0), 0.0)
    from_hs = np.zeros(len(zones))
    hs = (
        pd.Index([str(s) for s in m.sources]).get_indexer(pd.Index([high_seas]))[0]
        if high_seas is not None
        else -1
    )
    if hs >= 0:
        take = has_j & (np.asarray(zones, dtype=object) != high_seas)
        from_hs[take] = np.asarray(cells[np.full(int(take.sum()), hs), dst[take]]).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        sr = np.where(arrivals > 0, own / arrivals, np.nan)
        return pd.DataFrame(
            {
                "zone": zones,
                "released": released,
                "arrivals": arrivals,
                "local_retention": np.where(released > 0, own / released, np.nan),
                "self_recruitment": sr,
                "import_dependency": np.where(arrivals > 0, 1.0 - own / arrivals, np.nan),
                "abnj_dependency": np.where(
                    (arrivals > 0) & (high_seas is not None), from_hs / arrivals, np.nan
                ),
                "export_share": np.where(released > 0, to_other / released, np.nan),
            }
        )
