"""What every engine takes and returns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import xarray as xr

from ..behaviour.status import STATUS, STATUS_NAMES, Status

__all__ = [
    "EngineRequest",
    "Trajectories",
    "STATUS",
    "STATUS_NAMES",
    "Status",
    "ProgressCallback",
    "Habitat",
    "StepObserver",
    "BatchAccumulator",
    "TrackSink",
]

ProgressCallback = Callable[[float, float], None]
"""Called as ``progress(seconds_simulated, seconds_total)``."""


class Habitat(Protocol):
    """Where competent larvae settle (e.g. :class:`marinenet.zones.habitat.SettlementHabitat`)."""

    def contains(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """True where a competent larva at (lon, lat) settles."""
        ...


class TrackSink(Protocol):
    """Takes the stored tracks as the run goes, one output time at a time (e.g. a file being written:
    :class:`marinenet.track_file.TrackFile`), so the engine need not hold them all."""

    rows: int  # tracks stored

    def put(self, k: int, lon: np.ndarray, lat: np.ndarray, depth: np.ndarray | None) -> None:
        """Positions at output time ``k`` of every stored track, by row (NaN: not released, or stopped)."""
        ...


class StepObserver(Protocol):
    """Sees every particle at its release and after every engine step (e.g. ``streaming.Streams``).

    ``idx`` are rows of the request (0 .. n-1). Both engines call it identically: at every
    step boundary, with the particles that completed a step there. The fast engine calls
    :meth:`stepped` from a worker thread while it moves the next step (one call at a time, in
    step order, with arrays made for the call: :mod:`~marinenet.engine.observing`), so an
    observer keeps to its arguments and its own state.
    """

    def released(self, idx: np.ndarray, lon: np.ndarray, lat: np.ndarray) -> None:
        """Release positions (age 0)."""
        ...

    def stepped(
        self,
        idx: np.ndarray,
        lon: np.ndarray,
        lat: np.ndarray,
        dt: np.ndarray,
        age: np.ndarray,
        weight: np.ndarray | None,
    ) -> None:
        """Positions after a step of ``dt`` s; ``age`` (s since release) and survival ``weight`` then."""
        ...


class BatchAccumulator(StepObserver, Protocol):
    """A step observer whose work can be split over particle batches (``engine.distributed``).

    The runner ships :meth:`template` to the workers once; each worker makes the observer of its
    batch with :meth:`for_batch`, tracks, and returns its :meth:`arrays`, which :meth:`merge` adds
    to this accumulator (e.g. ``streaming.Streams``). The engines never import the analytics.
    """

    def template(self) -> BatchAccumulator:
        """A small picklable copy for no particle, from which workers make batch accumulators."""
        ...

    def for_batch(self, lon: np.ndarray, lat: np.ndarray) -> BatchAccumulator:
        """A fresh accumulator for a batch of particles released at (lon, lat)."""
        ...

    def arrays(self) -> dict[str, np.ndarray]:
        """The accumulated state, as arrays."""
        ...

    def merge(self, idx: np.ndarray, arrays: dict[str, np.ndarray]) -> None:
        """Add a batch's :meth:`arrays` for the particles ``idx`` of the whole run."""
        ...


@dataclass
class EngineRequest:
    """One tracking problem: currents, start positions and time stepping."""

    ocean: xr.Dataset
    lon: np.ndarray
    lat: np.ndarray
    start: np.datetime64
    duration: float  # s
    dt: float  # s
    output_every: float  # s
    seed: int = 0
    coast: str = "stop"  # stop | previous | slip
    release_time: np.ndarray | None = None  # per particle (datetime64); default: all at ``start``
    diffusion: float = 0.0  # horizontal diffusivity Kh, m²/s
    behaviours: tuple = ()  # compiled forms (``Params``) of the behaviour plug-ins used (behaviour.registry)
    kernels: list = field(default_factory=list)  # custom kernels (Parcels v4 style), run after advection
    depth: float = 0.0  # release depth (m); used when the currents are 3-D
    threads: int | None = None  # fast engine: worker threads (default: all cores)
    keep: np.ndarray | None = None  # particles whose tracks are stored (None: all)
    pid: np.ndarray | None = None  # global particle ids (batches of a larger run); default 0..n-1
    span_s: float | None = None  # fixed run span (a batch keeps its run's output times)

    @property
    def larva(self):
        """The larval life (:class:`marinenet.behaviour.mortality.Params`), or None."""
        from ..behaviour import mortality
        from ..behaviour.registry import find

        return find(self.behaviours, mortality.Params)

    @property
    def settlement(self):
        """Settlement (:class:`marinenet.behaviour.settlement.Params`), or None."""
        from ..behaviour import settlement
        from ..behaviour.registry import find

        return find(self.behaviours, settlement.Params)

    @property
    def releases(self) -> np.ndarray:
        if self.release_time is None:
            return np.full(self.lon.size, self.start.astype("datetime64[ns]"))
        return np.asarray(self.release_time, dtype="datetime64[ns]")

    @property
    def span(self) -> float:
        """Seconds from the first release to the end of the last particle's tracking."""
        if self.span_s is not None:
            return float(self.span_s)
        last = (self.releases.max() - self.start.astype("datetime64[ns]")) / np.timedelta64(1, "s")
        return float(last + self.duration)

    @property
    def output_times(self) -> np.ndarray:
        n_out = int(np.ceil(self.span / self.output_every - 1e-9))
        offsets = np.minimum(np.arange(n_out + 1) * self.output_every, self.span)
        return self.start.astype("datetime64[ns]") + (offsets * 1e9).astype("timedelta64[ns]")


@dataclass
class Trajectories:
    """Engine output: positions at the output times and each particle's fate.

    ``lon``/``lat`` are ``(particle, obs)``; NaN once a particle has stopped (stranded or
    left the domain). They are None when the engine handed the tracks to a :class:`TrackSink` as it
    ran (``written``; the pipeline writes trajectories.nc so, not holding the tracks in memory). ``end_*`` hold the last position where each particle was tracked:
    its position at the end of the run, its last wet position before reaching land, or
    its last position inside the domain.
    """

    times: np.ndarray
    lon: np.ndarray | None
    lat: np.ndarray | None
    status: np.ndarray
    end_lon: np.ndarray
    end_lat: np.ndarray
    end_time: np.ndarray
    engine: str
    particle_steps: int
    engine_seconds: float  # tracking only: the fast engine's one-off compile is compile_seconds
    compile_seconds: float = 0.0
    coast_contacts: np.ndarray | None = None  # steps the coast blocked (random part refused, or held/slid)
    weight: np.ndarray | None = None  # survival weight (mortality as weights); None = 1
    release_time: np.ndarray | None = None
    depth: np.ndarray | None = None  # (particle, obs) depths in m, 3-D runs only
    kept: np.ndarray | None = None  # particles whose tracks lon/lat/depth hold, by row (None: all)
    notes: list[str] = field(default_factory=list)
    written: TrackSink | None = None  # where the tracks went during the run (lon/lat/depth are None then)

    @property
    def stored(self) -> int:
        """The number of tracks stored (rows of ``lon``, or of the sink they were written to)."""
        if self.written is not None:
            return int(self.written.rows)
        return 0 if self.lon is None else int(self.lon.shape[0])

    def status_counts(self) -> dict[str, int]:
        return {name: int(np.sum(self.status == code)) for code, name in STATUS_NAMES.items()}
