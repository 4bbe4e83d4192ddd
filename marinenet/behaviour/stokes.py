"""Stokes drift (``behaviour.stokes: true``): the surface Stokes drift of the waves is added.

Velocity added = (VSDX, VSDY), the sea-surface Stokes drift from ``ocean.waves``
(:mod:`marinenet.ocean.forcing`) on its own grid and time axis. See :mod:`._surface_forcing`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..ocean.extra import FieldArrays, LazyData
from . import _surface_forcing as sf

NAME = "stokes"
FORCING = ("waves",)


class Params(NamedTuple):
    on: float
    factor: float  # 1: the whole Stokes drift
    cos: float
    sin: float
    periodic: float
    data: np.ndarray | LazyData  # (2, time, 1, lat, lon) Stokes drift east, north in m/s
    times: np.ndarray
    depth: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    ax: np.ndarray


def _params(on: float, fa: FieldArrays) -> Params:
    return Params(on, on, 1.0, 0.0, fa.periodic, fa.data, fa.times, fa.depth, fa.lat, fa.lon, fa.ax)


OFF = _params(0.0, FieldArrays.empty(2))


def from_scenario(scenario, ocean, layers, forcing) -> Params | None:
    if not scenario.behaviour.stokes:
        return None
    return _params(1.0, forcing["waves"].streamed())


def supports(engine: str, ocean) -> str | None:
    return sf.refuse_3d("stokes", ocean)


#: the compiled step is the one both surface drifts share (:func:`._surface_forcing.fast_step`)
fast_params = sf.fast_params
fast_step = sf.fast_step


def parcels_kernels(p: Params, fieldset) -> list:
    fieldset.add_context("mn_stokes", sf.parcels_params(p, fieldset))
    return [StokesDrift]


def StokesDrift(particles, fieldset):  # pragma: no cover - executed inside Parcels
    """As :func:`fast_step`, vectorised."""
    ex, ey = sf.parcels_drift(fieldset.mn_stokes, particles, fieldset.deg2m)
    particles.dx = particles.dx + ex
    particles.dy = particles.dy + ey
