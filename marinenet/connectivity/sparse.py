"""Count matrices of layers too large to hold every (source, destination) pair: the non-zero pairs only.

A layer of 20,000 zones has 4·10^8 (source, destination) pairs; a dense int64 matrix of them is
3.2 GB and its tidy table with every zero pair tens of GB, while a run of 10^6 particles fills at
most 10^6 of them. Above ``outputs: all_pairs_limit`` pairs (default 10^6) a matrix is held as
:class:`SparseCounts` (COO: source code, destination code, count, row-major order) and its
tables list the pairs with a non-zero count only: a missing pair has a count of 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr
from scipy import sparse as sp

__all__ = ["ALL_PAIRS_LIMIT", "SparseCounts", "is_sparse", "pair_count"]

#: default largest number of (source, destination) pairs of a matrix held (and tabled) with every pair
ALL_PAIRS_LIMIT = 1_000_000


def pair_count(n_sources: int, n_destinations: int) -> int:
    """Number of (source, destination) pairs of a matrix (the size of its dense form)."""
    return int(n_sources) * int(n_destinations)


@dataclass(frozen=True)
class SparseCounts:
    """The non-zero cells of a ``(source, destination)`` count matrix, row-major (COO).

    ``row``/``col`` index ``sources``/``destinations``; ``count`` is int64 for whole particles,
    float64 where particles are shared or weighted. Every other pair has a count of 0.
    """

    name: str
    sources: np.ndarray  # labels of the rows, in order (object)
    destinations: np.ndarray  # labels of the columns, in order (object)
    row: np.ndarray
    col: np.ndarray
    count: np.ndarray

    @property
    def sizes(self) -> dict[str, int]:
        return {"source": len(self.sources), "destination": len(self.destinations)}

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.sources), len(self.destinations)

    def released(self) -> np.ndarray:
        """Per source: the sum of its row (particles released there), summed as numpy sums the row of
        the dense matrix (float counts: the same bits)."""
        if np.issubdtype(self.count.dtype, np.integer):
            return _sums(self.row, self.count, len(self.sources))
        return _dense_row_sums(self.row, self.col, self.count, self.shape)

    def arrived(self) -> np.ndarray:
        """Per destination: the sum of its column."""
        return _sums(self.col, self.count, len(self.destinations))

    def csr(self) -> sp.csr_array:
        """The matrix as a scipy CSR array (zeros implicit)."""
        return sp.csr_array((self.count, (self.row, self.col)), shape=self.shape)

    def to_dense(self) -> xr.DataArray:
        """The dense labelled matrix (small matrices and tests only)."""
        out = np.zeros(self.shape, dtype=self.count.dtype)
        out[self.row, self.col] = self.count
        return xr.DataArray(
            out,
            dims=("source", "destination"),
            coords={"source": list(self.sources), "destination": list(self.destinations)},
            name=self.name,
        )

    def top_block(self, most: int = 40) -> tuple[xr.DataArray, np.ndarray]:
        """The ``most`` rows that released most and the ``most`` columns that received most (in the
        matrix's order) as a dense labelled block, and the full row sums of its rows."""
        rows, cols = self.released(), self.arrived()
        keep_r = np.sort(np.argsort(-rows, kind="stable")[: min(most, int((rows > 0).sum()))])
        keep_c = np.sort(np.argsort(-cols, kind="stable")[: min(most, int((cols > 0).sum()))])
        at_r = np.full(len(self.sources), -1)
        at_c = np.full(len(self.destinations), -1)
        at_r[keep_r], at_c[keep_c] = np.arange(keep_r.size), np.arange(keep_c.size)
        on = (at_r[self.row] >= 0) & (at_c[self.col] >= 0)
        block = np.zeros((keep_r.size, keep_c.size), dtype=self.count.dtype)
        block[at_r[self.row[on]], at_c[self.col[on]]] = self.count[on]
        shown = xr.DataArray(
            block,
            dims=("source", "destination"),
            coords={"source": list(self.sources[keep_r]), "destination": list(self.destinations[keep_c])},
            name=self.name,
        )
        return shown, rows[keep_r]

    @classmethod
    def from_dense(cls, m: xr.DataArray) -> SparseCounts:
        """The non-zero cells of a dense labelled matrix (row-major)."""
        r, c = np.nonzero(m.values)
        return cls(
            str(m.name),
            np.asarray(m["source"].values, dtype=object),
            np.asarray(m["destination"].values, dtype=object),
            r.astype(np.int64),
            c.astype(np.int64),
            m.values[r, c],
        )


def is_sparse(m: object) -> bool:
    """Is ``m`` a matrix held as its non-zero pairs only?"""
    return isinstance(m, SparseCounts)


def _dense_row_sums(
    row: np.ndarray, col: np.ndarray, count: np.ndarray, shape: tuple[int, int]
) -> np.ndarray:
    """Row sums of float counts by blocks of dense rows (numpy's pairwise order, not a running sum)."""
    n, m = shape
    out = np.zeros(n)
    step = max(1, int(2**23 // max(m, 1)))  # 64 MB blocks
    bounds = np.searchsorted(row, np.arange(0, n + step, step))
    for k, r0 in enumerate(range(0, n, step)):
        lo, hi = bounds[k], bounds[k + 1]
        block = np.zeros((min(step, n - r0), m))
        block[row[lo:hi] - r0, col[lo:hi]] = count[lo:hi]
        out[r0 : r0 + block.shape[0]] = block.sum(axis=1)
    return out


def _sums(index: np.ndarray, count: np.ndarray, n: int) -> np.ndarray:
    sums = np.bincount(index, weights=count.astype(float), minlength=n)
    return sums.astype(np.int64) if np.issubdtype(count.dtype, np.integer) else sums
