"""Count matrices and their tidy (long) form."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import xarray as xr

from .sparse import SparseCounts

__all__ = ["connectivity_matrix", "tidy_table"]


def connectivity_matrix(
    source: Sequence[str] | np.ndarray,
    destination: Sequence[str] | np.ndarray,
    sources: Sequence[str] | None = None,
    destinations: Sequence[str] | None = None,
    name: str = "connectivity",
    weights: Sequence[float] | np.ndarray | None = None,
    sparse: bool = False,
) -> xr.DataArray | SparseCounts:
    """Count particles per (source, destination) pair.

    Parameters
    ----------
    source, destination
        One label per particle.
    sources, destinations
        Row and column order (default: sorted labels present). Labels present in the data
        but missing here raise ``ValueError`` so that no particle is silently dropped.
    name
        Name of the returned array.
    weights
        Optional weight per (source, destination) entry (a particle shared among zones
        contributes fractions summing to 1); counts are then floats.
    sparse
        Hold the non-zero cells only (:class:`~marinenet.connectivity.sparse.SparseCounts`), with
        the same sums: a layer too large for every (source, destination) pair.

    Returns
    -------
    xarray.DataArray or SparseCounts
        int64 counts with dims ``(source, destination)``; ``attrs["released"]`` is not set:
        the released count of a row is ``matrix.sum("destination")``.
    """
    src = np.asarray(source, dtype=object)
    dst = np.asarray(destination, dtype=object)
    if src.shape != dst.shape:
        raise ValueError(
            f"source ({src.shape}) and destination ({dst.shape}) must have one label per particle"
        )
    rows = list(sources) if sources is not None else sorted(set(src.tolist()))
    cols = list(destinations) if destinations is not None else sorted(set(dst.tolist()))
    ri, ci = _codes(src, rows), _codes(dst, cols)
    unknown = set(src[ri < 0].tolist()) | set(dst[ci < 0].tolist())
    if unknown:
        raise ValueError(f"labels {sorted(map(str, unknown))} are not in the given row/column order")
    w = None if weights is None else np.asarray(weights, dtype=float)
    cell = ri * len(cols) + ci
    if sparse:
        return _sparse_counts(name, rows, cols, cell, w)
    counts: np.ndarray
    if w is None:
        counts = np.bincount(cell, minlength=len(rows) * len(cols)).astype(np.int64, copy=False)
    else:  # np.add.at adds in particle order, as a loop would
        counts = np.zeros(len(rows) * len(cols))
        np.add.at(counts, cell, w)
    counts = counts.reshape(len(rows), len(cols))
    return xr.DataArray(
        counts, dims=("source", "destination"), coords={"source": rows, "destination": cols}, name=name
    )


def _sparse_counts(name: str, rows: list, cols: list, cell: np.ndarray, w: np.ndarray | None) -> SparseCounts:
    """The non-zero cells, row-major; each cell's weights summed in particle order from 0, as
    :func:`numpy.add.at` does for the dense matrix (the same float sums)."""
    cells, inverse = np.unique(cell, return_inverse=True)
    if w is None:
        counts = np.bincount(inverse, minlength=cells.size).astype(np.int64)
    else:
        counts = np.bincount(inverse, weights=w, minlength=cells.size)
    keep = counts != 0
    cells, counts = cells[keep], counts[keep]
    n = max(len(cols), 1)
    return SparseCounts(
        name,
        np.asarray(rows, dtype=object),
        np.asarray(cols, dtype=object),
        (cells // n).astype(np.int64),
        (cells % n).astype(np.int64),
        counts,
    )


def tidy_table(matrix: xr.DataArray | SparseCounts, keep_zeros: bool = False) -> pd.DataFrame:
    """Long form: one row per (source, destination) with ``count`` and ``fraction``.

    ``fraction`` is the count divided by the particles released from the source (the
    row sum), i.e. the probability that a particle from ``source`` ends in ``destination``;
    ``origin_share`` is the count divided by all particles ending in ``destination`` (the
    column sum), i.e. the share of the destination's arrivals that came from ``source``.
    Rows with zero count are left out unless ``keep_zeros``; sources that released
    nothing are always left out. A :class:`~marinenet.connectivity.sparse.SparseCounts` gives
    the rows of its dense form with ``keep_zeros=False`` (it cannot keep zeros: it has none).

    Parameters
    ----------
    matrix
        Counts ``(source, destination)`` from :func:`connectivity_matrix`.
    keep_zeros
        Keep the pairs with a zero count.

    Returns
    -------
    pandas.DataFrame
        ``source, destination, count, fraction, origin_share``.
    """
    if isinstance(matrix, SparseCounts):
        return _sparse_tidy(matrix)
    counts = matrix.values
    total = counts.sum(axis=1).astype(float)  # released per source
    arrived = counts.sum(axis=0).astype(float)
    as_int = np.issubdtype(counts.dtype, np.integer)
    c = counts if as_int else np.round(counts.astype(float), 9)
    keep = (total != 0)[:, None] & ((c != 0) | keep_zeros)
    s, d = np.nonzero(keep)  # row-major: sources in matrix order, destinations in column order
    c = c[s, d]
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(arrived[d] != 0, c / arrived[d], 0.0)
    return pd.DataFrame(
        {
            "source": np.asarray(matrix["source"].values, dtype=object)[s],
            "destination": np.asarray(matrix["destination"].values, dtype=object)[d],
            "count": c,
            "fraction": c / total[s],
            "origin_share": share,
        },
        columns=["source", "destination", "count", "fraction", "origin_share"],
    )


def _sparse_tidy(m: SparseCounts) -> pd.DataFrame:
    """:func:`tidy_table` of the non-zero cells (row-major, as the dense table's order)."""
    total, arrived = m.released().astype(float), m.arrived().astype(float)
    as_int = np.issubdtype(m.count.dtype, np.integer)
    c = m.count if as_int else np.round(m.count.astype(float), 9)
    keep = (total[m.row] != 0) & (c != 0)
    s, d, c = m.row[keep], m.col[keep], c[keep]
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(arrived[d] != 0, c / arrived[d], 0.0)
    return pd.DataFrame(
        {
            "source": m.sources[s],
            "destination": m.destinations[d],
            "count": c,
            "fraction": c / total[s],
            "origin_share": share,
        },
        columns=["source", "destination", "count", "fraction", "origin_share"],
    )


def _codes(labels: np.ndarray, order: list) -> np.ndarray:
    """Position of each label in ``order`` (−1 where absent), vectorised."""
    if labels.size == 0:
        return np.zeros(0, np.int64)
    return pd.Index(order, dtype=object).get_indexer(labels).astype(np.int64)
