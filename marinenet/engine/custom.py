"""Custom kernels (``behaviour.kernels``): Parcels v4 style, run by either engine.

A custom kernel is ``def K(particles, fieldset)`` acting on arrays (see docs/extending.md).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

__all__ = ["kernel_variables"]


def kernel_variables(kernels: Sequence[Callable]) -> dict[str, float]:
    """The custom particle variables the kernels declare (``K.variables = {name: initial}``)."""
    out: dict[str, float] = {}
    for k in kernels:
        for name, initial in (getattr(k, "variables", None) or {}).items():
            out[str(name)] = float(initial)
    return out
