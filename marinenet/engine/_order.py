"""Which particles the fast stepper moves, and in which order.

The stepper takes a list of particle indices (``idx``) and splits it evenly between threads. The
list holds only the particles that still move towards the call's end time, so particles released
later (a release season) or stopped leave no thread idle. It is ordered in space: a Morton
(Z-order) key of each particle's grid cell, sorted again after every output time
(:meth:`Order.refresh`), so that consecutive particles of a thread read neighbouring cells of the
forcing and its gathers hit the cache.

The particles' state is never permuted, only visited in this order: every particle's step depends
on its own state, the forcing and its own random stream (keyed on its id and step number,
:mod:`~marinenet.engine._fast_random`), so the results are bit-identical in any order and on any
number of threads. ``MARINENET_ORDER=index`` visits them in index order instead (for A/B
benchmarks).
"""

from __future__ import annotations

import os

import numpy as np

__all__ = ["Order", "morton"]

#: bits per axis of the Morton key (cells beyond 2**16 along an axis share a key: only the speed changes)
BITS = 16


def _spread(v: np.ndarray) -> np.ndarray:
    """The 16 low bits of ``v`` (uint64) moved to the even bit positions."""
    v = (v | (v << np.uint64(8))) & np.uint64(0x00FF00FF)
    v = (v | (v << np.uint64(4))) & np.uint64(0x0F0F0F0F)
    v = (v | (v << np.uint64(2))) & np.uint64(0x33333333)
    return (v | (v << np.uint64(1))) & np.uint64(0x55555555)


def morton(ix: np.ndarray, iy: np.ndarray) -> np.ndarray:
    """The Z-order key of cells (``ix``, ``iy``) (non-negative integers below 2**16)."""
    return _spread(ix.astype(np.uint64)) | (_spread(iy.astype(np.uint64)) << np.uint64(1))


class Order:
    """The particles to move, in space order (``spatial``, default unless ``MARINENET_ORDER=index``)."""

    def __init__(self, lon: np.ndarray, lat: np.ndarray, periodic: bool, spatial: bool | None = None):
        self.lon0, self.lat0 = float(lon[0]), float(lat[0])
        self.dlon = (float(lon[-1]) - self.lon0) / max(lon.size - 1, 1)  # mean spacing: a key, not an index
        self.dlat = (float(lat[-1]) - self.lat0) / max(lat.size - 1, 1)
        self.periodic = periodic
        self.spatial = os.environ.get("MARINENET_ORDER", "space") != "index" if spatial is None else spatial
        self.perm = np.zeros(0, np.int64)  # the particles of the last sort, in order
        self.stale = True

    def refresh(self) -> None:
        """Sort again at the next call (called at every output time: particles have moved)."""
        self.stale = True

    def moving(self, state, t_end: float, first: int = 0) -> np.ndarray:
        """Indices (from ``first`` on) of the particles that still move towards ``t_end`` (status 0,
        time before ``t_end``), in order: sorted now if the last sort is stale, else the last sort's
        order with the particles released since appended (sorted among themselves). Only these are
        sorted, so releases still waiting cost no sort."""
        mask = (state.status == 0) & (state.t < t_end)
        if first:
            mask[:first] = False
        if self.stale:
            self.perm, self.stale = self._sorted(state, np.flatnonzero(mask)), False
            return self.perm
        kept = self.perm[mask[self.perm]]
        if kept.size != np.count_nonzero(mask):  # new releases since the last sort
            mask[kept] = False
            kept = np.concatenate([kept, self._sorted(state, np.flatnonzero(mask))])
        self.perm = kept
        return kept

    def _sorted(self, state, idx: np.ndarray) -> np.ndarray:
        """``idx`` sorted by the Morton key of the particles' cells (as they are in ``spatial`` off)."""
        if not self.spatial or idx.size < 2:
            return idx
        x = state.x[idx] - self.lon0
        if self.periodic:
            x = x % 360.0
        top = float(2**BITS - 1)
        ix = np.clip(x / self.dlon, 0, top)
        iy = np.clip((state.y[idx] - self.lat0) / self.dlat, 0, top)
        return idx[np.argsort(morton(ix, iy))]
