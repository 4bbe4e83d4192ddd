"""Whether a run can be done as asked: engine × behaviour × grid × workers, decided in one place.

:func:`plan` is called by ``marinenet validate`` and by every run after the inputs are
loaded and before any tracking, so both refuse the same scenarios with the same message
(a :class:`~marinenet.errors.ScenarioError`: exit code 2, no traceback). It asks each part:

* the engines (:func:`marinenet.engine.select_engine`: which engine runs the request, and
  whether the requested one can);
* the behaviour (:func:`behaviour_supports`: whether it runs on that engine and grid);
* the distributed runner (``--workers`` / ``--scheduler`` track batches with the fast engine);
* checkpoints (``checkpoint_every`` needs the fast engine: a note, the run goes on without them).
"""

from __future__ import annotations

from dataclasses import dataclass

from .engine import EngineRequest, select_engine
from .errors import ScenarioError
from .scenario import Scenario

__all__ = ["Plan", "plan", "behaviour_supports"]


@dataclass(frozen=True)
class Plan:
    """How a run will be done: the engine, why it was chosen, and whether batches go to dask workers."""

    engine: str
    why: str
    distributed: bool = False
    notes: tuple[str, ...] = ()  # what the run will leave out, said by validate and logged by run


def behaviour_supports(request: EngineRequest, engine: str) -> str | None:
    """Why a behaviour of ``request`` cannot run on ``engine``, or None when every one can.

    Each behaviour plug-in answers for itself (``supports`` in :mod:`marinenet.behaviour.registry`).
    """
    from .behaviour.registry import unsupported

    why = unsupported(engine, request.ocean, request.behaviours)
    if why is None:
        return None
    other = "fast" if engine == "parcels" else "parcels"
    return f"{why}; use simulation.engine: {other} (or auto), or change the scenario"


def plan(scenario: Scenario, request: EngineRequest, distributed: bool = False) -> Plan:
    """The engine for ``request`` and a check of every capability; raise :class:`ScenarioError` if
    the run cannot be done as asked. ``distributed``: ``--workers`` or ``--scheduler`` was given."""
    requested = scenario.simulation.engine
    try:
        engine, why = select_engine(requested, request)
    except ValueError as exc:  # the requested engine cannot run this request: a user error
        raise ScenarioError(str(exc)) from None
    problems = []
    said = behaviour_supports(request, engine)
    if said is not None:
        problems.append(said)
    if distributed and engine != "fast":
        problems.append(
            f"--workers/--scheduler track particle batches with the fast engine, but this run uses the "
            f"{engine} engine ({why}); leave out --workers/--scheduler, or use simulation.engine: fast"
        )
    if problems:
        raise ScenarioError("; ".join(problems))
    notes = []
    if scenario.simulation.checkpoint_every is not None and engine != "fast":
        notes.append(
            f"checkpoint_every is ignored: checkpoints need the fast engine (this run uses {engine})"
        )
    return Plan(engine, why, distributed, tuple(notes))
