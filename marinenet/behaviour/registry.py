"""The one list of behaviour plug-ins: it fixes the order of their steps on both engines.

A plug-in is a module (or any object with the same attributes, see :class:`Behaviour`). Each
engine step is: age → RK4 advection → [custom kernels] → every registered behaviour's step in
:data:`REGISTRY` order → position update. Settlement (a between-steps test) has no step.
Adding a behaviour = one module + one :func:`register` call (docs/extending.md).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple, Protocol

import numpy as np
import xarray as xr

__all__ = [
    "Behaviour",
    "REGISTRY",
    "behaviours",
    "register",
    "unregister",
    "resolve",
    "find",
    "unsupported",
    "from_scenario",
]


class Behaviour(Protocol):
    """What a behaviour plug-in holds (module-level names of a behaviour module).

    ``NAME``: its key; ``Params``: its engine-facing compiled form (a NamedTuple of floats and
    float arrays; the first field ``on`` is 0.0 when the behaviour is off); ``OFF``: the no-op
    instance; ``from_scenario(scenario, ocean, layers)``: the compiled form of a scenario (None
    when the scenario does not use it); ``supports(engine, ocean)``: None, or why this engine
    cannot run it on this grid; ``parcels_fields(params)``: extra (lat, lon) fields for Parcels;
    ``parcels_kernels(params, fieldset)``: adds its constants, returns its Parcels kernels;
    ``fast_step``: its compiled step (see :mod:`marinenet.engine._fast_compose`), or None;
    ``fast_params(params, ff)``: its compiled form as the fast engine reads it (e.g. with the
    periodic grid's wrapped column). Optional: ``from_request(request)`` (behaviours set by the
    run itself: coast, diffusion), ``settle(params, lon, lat, age)`` (a between-steps test).
    """

    NAME: str
    Params: type
    OFF: NamedTuple


#: the built-in behaviours, in the order their steps run (imported on first use: they compile with numba)
BUILTIN = (
    "swim",
    "windage",
    "stokes",
    "diffusion",
    "diel",
    "ontogeny",
    "egg",
    "surface",
    "coast",
    "mortality",
    "settlement",
)

#: the behaviours in the order their steps run on both engines (see :func:`behaviours`)
REGISTRY: list[Any] = []
_loaded = False


_LOADING = threading.RLock()


def behaviours() -> list[Any]:
    """The registered behaviours, in step order (the built-ins first loaded on first use)."""
    global _loaded
    with _LOADING:  # one thread loads them (the warm-up thread may ask at the same time as the run)
        if not _loaded:
            import importlib

            for name in reversed(BUILTIN):
                REGISTRY.insert(0, importlib.import_module(f"marinenet.behaviour.{name}"))
            _loaded = True
    return REGISTRY


def register(behaviour: Any, before: str | None = None) -> None:
    """Add a behaviour plug-in (last, or before the one named ``before``); re-registering replaces it."""
    for attr in ("NAME", "Params", "OFF"):
        if not hasattr(behaviour, attr):
            raise TypeError(f"behaviour plug-in {behaviour!r} lacks {attr!r} (see docs/extending.md)")
    unregister(behaviour.NAME)
    names = [b.NAME for b in behaviours()]
    at = names.index(before) if before in names else len(REGISTRY)
    REGISTRY.insert(at, behaviour)


def unregister(name: str) -> None:
    """Remove the behaviour called ``name`` (no error if absent)."""
    REGISTRY[:] = [b for b in behaviours() if b.NAME != name]


def find(behaviours: Sequence[NamedTuple], params_type: type) -> Any:
    """The compiled form of type ``params_type`` among ``behaviours``, or None."""
    for p in behaviours:
        if isinstance(p, params_type):
            return p
    return None


def resolve(request: Any) -> list[tuple[Any, Any]]:
    """Every registered behaviour with its compiled form for ``request`` (``OFF`` when unused)."""
    known = {b.Params for b in behaviours()}
    stray = [type(p).__name__ for p in request.behaviours if type(p) not in known]
    if stray:
        raise ValueError(f"behaviours {stray} are not registered (marinenet.behaviour.registry.register)")
    out = []
    for b in behaviours():
        own: Callable | None = getattr(b, "from_request", None)
        p = own(request) if own is not None else find(request.behaviours, b.Params)
        out.append((b, b.OFF if p is None else p))
    return out


def unsupported(engine: str, ocean: xr.Dataset, compiled: Sequence[NamedTuple]) -> str | None:
    """Why ``engine`` cannot run these compiled behaviours on ``ocean`` (None: it can)."""
    behaviours()
    for b in REGISTRY:
        p = find(compiled, b.Params)
        check = getattr(b, "supports", None)
        if p is not None and check is not None:
            why = check(engine, ocean)
            if why:
                return f"behaviour {b.NAME!r}: {why}"
    return None


def from_scenario(scenario: Any, ocean: xr.Dataset, layers: dict, forcing: dict | None = None) -> tuple:
    """The compiled forms of every behaviour ``scenario`` uses (checked against ``ocean`` and ``layers``).

    ``forcing``: the run's extra fields by name (:class:`marinenet.ocean.extra.ExtraField`); a behaviour
    that declares ``FORCING = (names...)`` gets them as a fourth argument of its ``from_scenario``.
    """
    out = []
    for b in behaviours():
        make = getattr(b, "from_scenario", None)
        if make is None:
            continue
        if getattr(b, "FORCING", ()):
            p = make(scenario, ocean, layers, forcing or {})
        else:
            p = make(scenario, ocean, layers)
        if p is not None:
            out.append(p)
    return tuple(out)


def on(params: NamedTuple) -> bool:
    """Whether a compiled form is switched on."""
    return bool(np.asarray(params[0]) > 0)


def tracers(scenario: Any) -> tuple[str, ...]:
    """The scalar fields of the ocean files (``thetao``, ``so``: :mod:`marinenet.ocean.tracers`) that the
    behaviours of ``scenario`` sample along the track (a behaviour's optional ``tracers(scenario)``)."""
    out: list[str] = []
    for b in behaviours():
        need = getattr(b, "tracers", None)
        out += [n for n in (need(scenario) if need is not None else ()) if n not in out]
    return tuple(out)
