"""Particle-tracking engines behind one interface (:func:`run_engine`)."""

from __future__ import annotations

from .base import STATUS, STATUS_NAMES, EngineRequest, ProgressCallback, Trajectories

__all__ = [
    "ENGINES",
    "run_engine",
    "select_engine",
    "EngineRequest",
    "Trajectories",
    "STATUS",
    "STATUS_NAMES",
]

ENGINES = ("parcels",)
"""Engines available in this version."""


def select_engine(requested: str) -> tuple[str, str]:
    """Engine to use for a scenario's ``simulation.engine`` and why."""
    if requested == "parcels":
        return "parcels", "requested in the scenario"
    return "parcels", "engine 'auto': Parcels is the only engine in this version"


def run_engine(name: str, request: EngineRequest, progress: ProgressCallback | None = None) -> Trajectories:
    """Run ``request`` on engine ``name``."""
    if name == "parcels":
        from .parcels_engine import run_parcels

        return run_parcels(request, progress)
    raise ValueError(f"unknown engine {name!r}; available: {', '.join(ENGINES)}")
