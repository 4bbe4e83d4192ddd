"""What every engine takes and returns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import xarray as xr

__all__ = ["EngineRequest", "Trajectories", "STATUS", "STATUS_NAMES", "ProgressCallback"]

#: final status codes of a particle
STATUS = {"active": 0, "stranded": 1, "out_of_domain": 2, "error": 3}
STATUS_NAMES = {v: k for k, v in STATUS.items()}

ProgressCallback = Callable[[float, float], None]
"""Called as ``progress(seconds_simulated, seconds_total)``."""


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

    @property
    def output_times(self) -> np.ndarray:
        n_out = int(np.ceil(self.duration / self.output_every - 1e-9))
        offsets = np.minimum(np.arange(n_out + 1) * self.output_every, self.duration)
        return np.datetime64(self.start, "ns") + (offsets * 1e9).astype("timedelta64[ns]")


@dataclass
class Trajectories:
    """Engine output: positions at the output times and each particle's fate.

    ``lon``/``lat`` are ``(particle, obs)``; NaN once a particle has stopped (stranded or
    left the domain). ``end_*`` hold the last position where each particle was tracked:
    its position at the end of the run, its last wet position before reaching land, or
    its last position inside the domain.
    """

    times: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    status: np.ndarray
    end_lon: np.ndarray
    end_lat: np.ndarray
    end_time: np.ndarray
    engine: str
    particle_steps: int
    engine_seconds: float
    coast_contacts: np.ndarray | None = None  # steps each particle was held at the coast
    notes: list[str] = field(default_factory=list)

    def status_counts(self) -> dict[str, int]:
        return {name: int(np.sum(self.status == code)) for code, name in STATUS_NAMES.items()}
