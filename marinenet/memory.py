"""What a run will hold in memory, said before the work starts.

Two checks: before the currents are loaded (:func:`check_fits`, raising a clear error when
the subset cannot fit), and before tracking (:func:`run_estimate`, logged with the memory
this machine has free, and a warning when it will not fit).
"""

from __future__ import annotations

import logging
import os

from .errors import InputDataError

__all__ = ["available_bytes", "check_fits", "human", "run_estimate"]

log = logging.getLogger(__name__)

#: measured in ``scripts/bench_engine.py`` (docs/benchmarks.md), plus the streamed analytics
#: (zone index, status, arrival time per layer: about 40 B per particle and layer)
BYTES_PER_PARTICLE = {"fast": 50, "parcels": 900}
STREAM_BYTES_PER_PARTICLE_AND_LAYER = 40
TRACK_BYTES_PER_POINT = 12  # lon, lat (float32) and depth or status per stored output time


def available_bytes() -> int | None:
    """Memory this machine can still give (``MemAvailable``), or None where unknown."""
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def human(nbytes: float) -> str:
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if nbytes >= size:
            return f"{nbytes / size:.1f} {unit}"
    return f"{nbytes:.0f} B"


def check_fits(nbytes: float, what: str, advice: str, fraction: float = 0.8) -> None:
    """Log the size about to be loaded; refuse (InputDataError) when it exceeds ``fraction`` of free memory."""
    free = available_bytes()
    log.info("%s: %s to load%s", what, human(nbytes), f" ({human(free)} free)" if free else "")
    if free is not None and nbytes > fraction * free:
        raise InputDataError(
            f"{what} need {human(nbytes)} in memory, more than this machine has free ({human(free)}); {advice}"
        )


def run_estimate(
    forcing_bytes: float, particles: int, engine: str, layers: int, stored: int, outputs: int
) -> dict[str, float]:
    """Bytes a run will hold: forcing, particle state and streamed analytics, stored tracks.

    Logs one line with the total against the free memory, and warns when it will not fit.
    """
    parts = {
        "forcing": float(forcing_bytes) * (2.0 if engine == "fast" else 1.0),  # the engine's own copy
        "particles": particles
        * (BYTES_PER_PARTICLE.get(engine, 900) + STREAM_BYTES_PER_PARTICLE_AND_LAYER * max(layers, 1)),
        "stored tracks": float(stored) * outputs * TRACK_BYTES_PER_POINT,
    }
    total = sum(parts.values())
    free = available_bytes()
    detail = ", ".join(f"{k} {human(v)}" for k, v in parts.items())
    log.info("memory needed: about %s (%s)%s", human(total), detail, f"; {human(free)} free" if free else "")
    if free is not None and total > free:
        log.warning(
            "this run needs about %s but only %s is free: store fewer tracks (simulation.trajectories), "
            "run fewer particles per process (--workers), or shrink the region",
            human(total),
            human(free),
        )
    return parts | {"total": total}
