"""Particle-tracking engines behind one interface (:func:`run_engine`)."""

from __future__ import annotations

import importlib.util

from ..errors import ScenarioError
from .base import STATUS, STATUS_NAMES, EngineRequest, ProgressCallback, Status, StepObserver, Trajectories

__all__ = [
    "ENGINES",
    "run_engine",
    "select_engine",
    "EngineRequest",
    "Trajectories",
    "STATUS",
    "STATUS_NAMES",
    "Status",
]

ENGINES = ("parcels", "fast")
"""Engines available in this version: Parcels (the reference) and the compiled fast engine."""


def select_engine(requested: str, request: EngineRequest | None = None) -> tuple[str, str]:
    """Engine to use for a scenario's ``simulation.engine`` and why.

    ``auto`` picks the fast engine whenever it supports the run (a regular lon/lat grid, and
    every behaviour used supports it: ``supports`` of :mod:`marinenet.behaviour.registry`), else Parcels. Asking for ``fast`` on a run it cannot do is an
    error that says why.
    """
    if requested == "parcels":
        return _parcels_installed("requested in the scenario")
    from .fast_engine import fast_supported

    ok, why = fast_supported(request) if request is not None else (True, "")
    if requested == "fast":
        if not ok:
            raise ScenarioError(
                f"simulation.engine: fast cannot run this scenario: {why}; use engine: parcels"
            )
        return "fast", "requested in the scenario"
    if ok:
        return "fast", f"engine 'auto': the fast engine supports this run ({why})"
    return _parcels_installed(f"engine 'auto': {why}")


def _parcels_installed(why: str) -> tuple[str, str]:
    """``("parcels", why)``, or a user error when Parcels (an optional dependency) is not installed."""
    if importlib.util.find_spec("parcels") is None:
        raise ScenarioError(
            f"simulation.engine: this run needs the Parcels engine ({why}) and Parcels is not installed; "
            'install it with: pip install "marinenet[parcels]" (or use engine: fast)'
        )
    return "parcels", why


def run_engine(
    name: str,
    request: EngineRequest,
    progress: ProgressCallback | None = None,
    observer: StepObserver | None = None,
    checkpoint=None,
    tracks=None,
) -> Trajectories:
    """Run ``request`` on engine ``name``.

    ``observer`` (:class:`~marinenet.engine.base.StepObserver`) sees every particle at its
    release and after every step, on either engine. Only the fast engine stores just
    ``request.keep``'s tracks during the run, writes checkpoints, and hands the tracks to ``tracks``
    (a :class:`~marinenet.engine.base.TrackSink`) as it runs; Parcels returns them in memory.
    """
    if name == "parcels":
        from .parcels_engine import run_parcels

        traj = run_parcels(request, progress, observer)
        if request.keep is not None:
            assert traj.lon is not None and traj.lat is not None
            traj.lon, traj.lat = traj.lon[request.keep], traj.lat[request.keep]
            traj.depth = traj.depth[request.keep] if traj.depth is not None else None
            traj.kept = request.keep
        return traj
    if name == "fast":
        from .fast_engine import run_fast

        return run_fast(request, progress, observer, checkpoint, tracks)
    raise ValueError(f"unknown engine {name!r}; available: {', '.join(ENGINES)}")
