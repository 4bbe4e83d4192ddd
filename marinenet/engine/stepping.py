"""What both engines do between steps: hand control back, let observers see the step, settle larvae.

The engines move particles one step at a time and stop at every *hand-back time*: every
``dt`` from the start of the run, and every output time. There, in Python and identically
for both engines:

1. the observer (the streamed arrivals, time in zones and protection sums,
   :class:`~marinenet.streaming.Streams`) sees every particle that completed a step, at its
   new position, with the step's length, its age and its survival weight;
2. competent larvae (age within the competency window and below the PLD) whose new position
   is in the settlement habitat (:class:`~marinenet.engine.base.Habitat`, an exact
   point-in-polygon test) settle there: status ``settled``, tracked no further.

A larva competent at its release is tested at its release position too. Without an
observer and without settlement, the engines run straight from output time to output time.
"""

from __future__ import annotations

import numpy as np

from .base import EngineRequest

__all__ = ["handback_times", "per_step", "settling"]

#: seconds: times closer than this count as equal
EPS = 1e-6


def per_step(request: EngineRequest, observer) -> bool:
    """Whether the engine must hand back control at every step (an observer, or a between-steps
    behaviour such as settlement). The fast engine also does with custom kernels."""
    return observer is not None or bool(_between(request))


def _between(request: EngineRequest) -> list:
    """(behaviour, compiled form) of the behaviours used that act between steps (``settle``)."""
    from ..behaviour.registry import behaviours, find

    out = []
    for b in behaviours():
        hook = getattr(b, "settle", None)
        p = find(request.behaviours, b.Params) if hook is not None else None
        if p is not None and p.on > 0:
            out.append((hook, p))
    return out


def handback_times(request: EngineRequest, every_step: bool) -> tuple[np.ndarray, np.ndarray]:
    """Seconds since ``request.start`` where the engine stops (0 first), and where each output time is.

    With ``every_step``: every multiple of ``dt`` below the span, and every output time;
    else the output times only.
    """
    span = request.span
    outputs = (request.output_times - request.start.astype("datetime64[ns]")) / np.timedelta64(1, "s")
    stops = outputs
    if every_step:
        grid = np.arange(0, int(np.ceil(span / request.dt - 1e-9)) + 1) * request.dt
        grid = grid[grid < span - EPS]
        stops = np.union1d(np.round(grid, 6), np.round(outputs, 6))
    stops = np.unique(np.round(stops, 6))
    out_at = np.searchsorted(stops, np.round(outputs, 6))
    return stops, out_at


def settling(request: EngineRequest, lon: np.ndarray, lat: np.ndarray, age: np.ndarray) -> np.ndarray:
    """Which of these particles (positions, ages in s) settle now (e.g. competent larvae in their habitat)."""
    out = np.zeros(np.size(age), dtype=bool)
    for hook, p in _between(request):
        out |= hook(p, lon, lat, age)
    return out
