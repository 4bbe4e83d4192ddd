"""The extra fields (wind, waves, temperature, salinity) streamed through time windows on the fast engine.

A behaviour's compiled form that samples an extra field (:mod:`marinenet.ocean.extra`) holds its
values as a :class:`~marinenet.ocean.extra.LazyData` until the engine steps. :class:`ExtraWindows`
gives each such field a :class:`~marinenet.engine.forcing.TimeWindow` of its own, on its own time
axis (hourly wind with daily currents), read ahead in a background thread, float32 for float32
files; before each stepper call :meth:`ExtraWindows.forms` hands the stepper the compiled forms
with ``data`` the window's slices and ``ax[12]`` the first one's index in ``times``, and the time
the particles may step to with them. The sampler's index and weights are those of the whole
field, so a run in windows gives the in-memory run's results bit for bit.

The Parcels engine's kernels sample all particles at once (:func:`~._extra_sample.sample_np`):
:func:`windowed` gives them a :class:`Covering` in place of the values, the window over the times
asked for (the particles' span of time: a release season's span at most).
"""

from __future__ import annotations

import math

import numpy as np

from ..ocean.extra import LazyData
from . import forcing
from .forcing import TimeWindow

__all__ = ["ExtraSource", "ExtraWindows", "Covering", "windowed", "window_slices", "WINDOW_BYTES"]

#: an extra field's window holds more slices while they take less than this: smaller than the
#: currents' (the window, the slices read ahead, the stepper's copy and the reads' temporaries are
#: held per field, and an hourly field's window spans a day at 8 MB on a 0.25° basin grid)
WINDOW_BYTES = 8e6


class ExtraSource:
    """A :class:`~marinenet.engine.forcing.FieldSource` of one extra field: ``"data"``, time on axis 1."""

    names: tuple[str, ...] = ("data",)

    def __init__(self, lazy: LazyData, times: np.ndarray):
        self.lazy = lazy
        self.times = np.asarray(times, np.float64)  # seconds since the engine's origin
        chunks = lazy.components[0].chunksizes.get("time")
        self.block = min(max(chunks), window_slices(lazy, self.times, 0.0)) if chunks else 1

    def read(self, lo: int, hi: int) -> dict[str, np.ndarray]:
        with forcing.READ_LOCK:  # one read of the files at a time (netCDF/HDF5)
            return {"data": self.lazy.read(lo, hi)}


def window_slices(lazy: LazyData, times: np.ndarray, dt: float) -> int:
    """Time slices a window of ``lazy`` holds: :data:`forcing.WINDOW_SLICES` at least, as many as
    :data:`WINDOW_BYTES` holds, and more when one step of ``dt`` spans more."""
    spacing = float(np.min(np.diff(times))) if times.size > 1 else math.inf
    by_bytes = int(WINDOW_BYTES // max(lazy.slice_bytes, 1))
    by_step = int(math.ceil(abs(dt) / spacing)) + 3 if 0 < spacing < math.inf else 0
    return max(forcing.WINDOW_SLICES, by_bytes, by_step)


class ExtraWindows:
    """One time window per streamed extra field of the compiled forms (made on first sight)."""

    def __init__(self, prefetch: bool = True):
        self.prefetch = prefetch
        self.windows: dict[int, TimeWindow] = {}  # id of the LazyData -> its window
        self._keep: list[LazyData] = []  # (the ids stay those of live objects)

    def forms(self, forms: tuple, t_min: float, t_end: float, dt: float, reach: bool) -> tuple[tuple, float]:
        """``forms`` with each streamed field's window for particles at ``t_min`` or later stepping by
        ``dt`` towards ``t_end`` (all of ``[t_min, t_end]`` with ``reach``), and the time they may
        step to (inf when nothing is streamed)."""
        hold = math.inf
        out = []
        for form in forms:
            lazy = getattr(form, "data", None)
            if not isinstance(lazy, LazyData):
                out.append(form)
                continue
            view = self._window(lazy, form.times, dt).view(t_min, t_end, dt, reach)
            ax = form.ax.copy()
            ax[12] = float(view.offset)
            out.append(form._replace(data=view.fields["data"], ax=ax))
            hold = min(hold, view.hold)
        return tuple(out), hold

    def _window(self, lazy: LazyData, times: np.ndarray, dt: float) -> TimeWindow:
        win = self.windows.get(id(lazy))
        if win is None:
            source = ExtraSource(lazy, times)
            win = TimeWindow(source, window_slices(lazy, source.times, dt), self.prefetch, axis=1)
            self.windows[id(lazy)] = win
            self._keep.append(lazy)
        return win

    @property
    def peak_resident(self) -> int:
        """The most time slices any window held at once."""
        return max((w.peak_resident for w in self.windows.values()), default=0)

    def close(self) -> None:
        for w in self.windows.values():
            w.close()
        self.windows.clear()
        self._keep.clear()


class Covering:
    """A streamed field for a sampler of all particles at once: :meth:`covering` gives the window's
    slices over the times asked for (read on the calling thread)."""

    def __init__(self, lazy: LazyData, times: np.ndarray):
        source = ExtraSource(lazy, times)
        self.window = TimeWindow(source, window_slices(lazy, source.times, 0.0), prefetch=False, axis=1)

    def covering(self, t) -> tuple[np.ndarray, int]:
        """(values, index of their first time slice) covering every finite time of ``t``."""
        t = np.asarray(t, np.float64)
        finite = t[np.isfinite(t)]
        lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (self.window.times[0],) * 2
        view = self.window.view(lo, hi, 0.0, reach=True)
        return view.fields["data"], view.offset


def windowed(p):
    """Compiled parameters ``p`` (times already relative to the engine's origin) with a streamed
    field's values as a :class:`Covering` (the Parcels engine's kernels); others unchanged."""
    data = getattr(p, "data", None)
    return p._replace(data=Covering(data, p.times)) if isinstance(data, LazyData) else p
