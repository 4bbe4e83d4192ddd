"""Count matrices and their tidy (long) form."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import xarray as xr

__all__ = ["connectivity_matrix", "tidy_table"]


def connectivity_matrix(
    source: Sequence[str] | np.ndarray,
    destination: Sequence[str] | np.ndarray,
    sources: Sequence[str] | None = None,
    destinations: Sequence[str] | None = None,
    name: str = "connectivity",
    weights: Sequence[float] | np.ndarray | None = None,
) -> xr.DataArray:
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

    Returns
    -------
    xarray.DataArray
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
    ri = {k: i for i, k in enumerate(rows)}
    ci = {k: i for i, k in enumerate(cols)}
    unknown = (set(src.tolist()) - ri.keys()) | (set(dst.tolist()) - ci.keys())
    if unknown:
        raise ValueError(f"labels {sorted(map(str, unknown))} are not in the given row/column order")
    w = None if weights is None else np.asarray(weights, dtype=float)
    counts = np.zeros((len(rows), len(cols)), dtype=np.int64 if w is None else np.float64)
    if src.size:
        np.add.at(
            counts,
            (
                np.fromiter((ri[s] for s in src), int, src.size),
                np.fromiter((ci[d] for d in dst), int, dst.size),
            ),
            1 if w is None else w,
        )
    return xr.DataArray(
        counts, dims=("source", "destination"), coords={"source": rows, "destination": cols}, name=name
    )


def tidy_table(matrix: xr.DataArray, keep_zeros: bool = False) -> pd.DataFrame:
    """Long form: one row per (source, destination) with ``count`` and ``fraction``.

    ``fraction`` is the count divided by the particles released from the source (the
    row sum), i.e. the probability that a particle from ``source`` ends in ``destination``;
    ``origin_share`` is the count divided by all particles ending in ``destination`` (the
    column sum), i.e. the share of the destination's arrivals that came from ``source``.
    Rows with zero count are left out unless ``keep_zeros``; sources that released
    nothing are always left out.

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
    released = matrix.sum("destination")
    received = matrix.sum("source")
    as_int = np.issubdtype(matrix.dtype, np.integer)
    rows = []
    for s in matrix["source"].values:
        total = float(released.sel(source=s))
        if total == 0:
            continue
        for d in matrix["destination"].values:
            c = matrix.sel(source=s, destination=d).item()
            c = int(c) if as_int else round(float(c), 9)
            if c or keep_zeros:
                arrived = float(received.sel(destination=d))
                rows.append(
                    {
                        "source": s,
                        "destination": d,
                        "count": c,
                        "fraction": c / total,
                        "origin_share": c / arrived if arrived else 0.0,
                    }
                )
    return pd.DataFrame(rows, columns=["source", "destination", "count", "fraction", "origin_share"])
