"""Forcing fields streamed through a sliding time window (what the fast engine holds in memory).

A run never holds its whole forcing: a :class:`FieldSource` reads any run of time slices of some
named fields (float32, lazily from the netCDF/zarr/dask files, or from arrays already in memory),
and a :class:`TimeWindow` keeps only the slices the current steps need, reading the next ones in a
background thread while the engine steps (double buffering). Memory is O(window), not O(duration).

The window's indices stay those of the whole time axis (``View.offset`` is the first slice held),
so the stepper's time interpolation is the same arithmetic as on the whole forcing: results are
bit-identical whatever the window (float32 storage read into float64 arithmetic is exact).

One window per source: sources with their own time axes (currents daily, wind hourly, temperature
monthly) each get their own :class:`TimeWindow`; :func:`hold_time` of all of them tells the engine
how far the particles may step before the windows must move on. To add a forcing field:

1. make a source (:class:`DatasetSource` for any canonical ``(time, [depth,] lat, lon)`` Dataset:
   ``DatasetSource(ds, ("uwind", "vwind"), origin, prepare)``);
2. ``TimeWindow(source, size)``; before each stepper call ``view = window.view(t_min, t_end, dt)``
   gives ``view.fields["uwind"]`` (``(k, depth, lat, lon)`` float32), ``view.offset`` and
   ``view.hold``; pass the arrays and offset to the stepper and index slice ``ti - offset``;
3. step no particle past ``min(view.hold for each window)`` (the stepper's ``t_hold``).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import xarray as xr

__all__ = ["FieldSource", "DatasetSource", "TimeWindow", "View", "WINDOW_SLICES", "READ_LOCK", "hold_time"]

#: time slices a window holds at least (more when one step spans more slices): the stepper needs
#: the slices around a step plus one on each side (floating-point margin of the time index)
WINDOW_SLICES = 4
#: a window holds more slices while they take less than this (fewer, longer stepper calls)
WINDOW_BYTES = 32e6
#: one read of the files at a time, whichever window reads (netCDF/HDF5 are not thread-safe, and the
#: currents' and the extra fields' windows read ahead in threads of their own)
READ_LOCK = threading.Lock()


class FieldSource(Protocol):
    """Named fields on one time axis, read a run of time slices at a time."""

    names: tuple[str, ...]
    times: np.ndarray  # float64 seconds since the run's origin, ascending
    block: int  # slices best read together (the files' chunk along time; 1 when any size reads well)

    def read(self, lo: int, hi: int) -> dict[str, np.ndarray]:
        """Slices ``lo..hi-1`` of every field: C-contiguous ``(hi - lo, depth, lat, lon)`` (float32 for
        float32 data)."""
        ...


Prepare = Callable[[str, np.ndarray], np.ndarray]


@dataclass
class DatasetSource:
    """Fields of an xarray Dataset (lazy or in memory) read slice range by slice range.

    ``prepare(name, a)`` turns the raw ``(k, [depth,] lat, lon)`` values of one read into what the
    stepper reads (e.g. land filled, NaN to 0, the periodic column added); it must act on each
    time slice on its own, so that reading in windows gives the values reading all at once gives.
    """

    ds: xr.Dataset
    names: tuple[str, ...]
    origin: np.datetime64
    prepare: Prepare
    dtype: type = np.float32  # as held: float32 for float32 data (exact in float64 arithmetic)
    times: np.ndarray = field(init=False)
    block: int = field(default=1, init=False)

    def __post_init__(self) -> None:
        self.times = np.asarray((self.ds["time"].values - self.origin) / np.timedelta64(1, "s"), np.float64)
        chunks = self.ds[self.names[0]].chunksizes.get("time")
        self.block = max(chunks) if chunks else 1
        self._dims = ("time", "depth", "lat", "lon") if "depth" in self.ds.dims else ("time", "lat", "lon")
        self._lock = READ_LOCK

    def read(self, lo: int, hi: int) -> dict[str, np.ndarray]:
        part = self.ds[list(self.names)].isel(time=slice(lo, hi))
        with self._lock:  # netCDF/HDF5 are not thread-safe: one read at a time
            part = part.compute(scheduler="synchronous") if _lazy(part) else part
        out: dict[str, np.ndarray] = {}
        for name in self.names:
            a = np.asarray(part[name].transpose(*self._dims).values)
            if len(self._dims) == 3:
                a = a[:, None]
            out[name] = np.ascontiguousarray(self.prepare(name, a), dtype=self.dtype)
        return out


def _lazy(ds: xr.Dataset) -> bool:
    return any(v.chunks is not None for v in ds.data_vars.values())


@dataclass(frozen=True)
class View:
    """Slices ``offset .. offset + k - 1`` of a source's fields; particles may step to ``hold``."""

    fields: dict[str, np.ndarray]
    offset: int
    hold: float

    @property
    def slices(self) -> int:
        return next(iter(self.fields.values())).shape[0]


class TimeWindow:
    """The time slices of one :class:`FieldSource` that the current steps need, the next ones read
    ahead in a background thread (``prefetch``). ``size`` slices at least (see :data:`WINDOW_SLICES`)."""

    def __init__(self, source: FieldSource, size: int = WINDOW_SLICES, prefetch: bool = True, axis: int = 0):
        self.source = source
        self.axis = axis  # the arrays' time axis (1 for (component, time, ...) arrays)
        self.times = source.times
        self.size = max(int(size), 3)
        self._cache: dict[int, dict[str, np.ndarray]] = {}
        self._pending: dict[int, Future] = {}
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="marinenet-forcing") if prefetch else None
        self._view: View | None = None
        self._span: tuple[int, int] = (-1, -1)
        self.peak_resident = 0  # the most slices held at once (cache + view), for tests and the log

    def view(self, t_min: float, t_end: float, dt: float, reach: bool = False) -> View:
        """The slices for particles at ``t_min`` or later stepping by ``dt`` towards ``t_end``: at
        least one whole step of the earliest particle, all of ``[t_min, t_end]`` with ``reach``."""
        times, n = self.times, self.times.size
        lo = max(int(np.searchsorted(times, t_min, side="right")) - 2, 0)
        need = int(np.searchsorted(times, t_min + abs(dt), side="left")) + 1
        if reach:
            need = max(need, int(np.searchsorted(times, t_end, side="left")) + 1)
        hi = min(max(lo + self.size - 1, need), n - 1)
        if (lo, hi) != self._span or self._view is None:
            self._view = self._build(lo, hi)
            self._span = (lo, hi)
        return self._view

    def _build(self, lo: int, hi: int) -> View:
        for k in [k for k in self._cache if k < lo]:
            del self._cache[k]
        missing = [k for k in range(lo, hi + 1) if k not in self._cache]
        for k in missing:
            if k in self._pending:
                self._store(k, self._pending.pop(k).result())
        missing = [k for k in missing if k not in self._cache]
        if missing:
            self._store(missing[0], self.source.read(missing[0], missing[-1] + 1))
        names = next(iter(self._cache.values())).keys()
        fields = {
            name: np.concatenate([self._cache[k][name] for k in range(lo, hi + 1)], axis=self.axis)
            for name in names
        }
        hold = math.inf if hi >= self.times.size - 1 else float(self.times[hi - 1])
        self.peak_resident = max(self.peak_resident, len(self._cache) + len(self._pending) + hi + 1 - lo)
        ahead = max(self.size - 1, getattr(self.source, "block", 1))  # whole chunks of the files
        self._read_ahead(hi + 1, min(hi + ahead, self.times.size - 1))
        return View(fields, lo, hold)

    def _store(self, first: int, block: dict[str, np.ndarray]) -> None:
        k = next(iter(block.values())).shape[self.axis]
        for j in range(k):
            self._cache[first + j] = {name: _part(a, self.axis, j) for name, a in block.items()}

    def _read_ahead(self, a: int, b: int) -> None:
        """Start reading slices ``a..b`` that are neither held nor on their way."""
        todo = [k for k in range(a, b + 1) if k not in self._cache and k not in self._pending]
        if not todo or self._pool is None:
            return
        fut = self._pool.submit(self.source.read, todo[0], todo[-1] + 1)
        for j, k in enumerate(todo):
            self._pending[k] = _Slice(fut, j, self.axis)  # type: ignore[assignment]

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
        self._cache.clear()
        self._pending.clear()
        self._view = None

    def __enter__(self) -> TimeWindow:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _Slice:
    """Slice ``j`` of a pending block read (a future of the whole block)."""

    def __init__(self, fut: Future, j: int, axis: int = 0):
        self.fut, self.j, self.axis = fut, j, axis

    def result(self) -> dict[str, np.ndarray]:
        block = self.fut.result()
        return {name: _part(a, self.axis, self.j) for name, a in block.items()}


def _part(a: np.ndarray, axis: int, j: int) -> np.ndarray:
    """Time slice ``j`` of ``a`` (its time on ``axis``), kept as a dimension of size 1."""
    return a[(slice(None),) * axis + (slice(j, j + 1),)]


def hold_time(views: list[View]) -> float:
    """How far particles may step with all these views held (the earliest window end)."""
    return min(v.hold for v in views)
