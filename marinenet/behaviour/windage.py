"""Windage (``behaviour.windage``, ``behaviour.windage_deflection``): a fraction of the 10 m wind.

Velocity added = windage · R(-deflection) · (u10, v10), R(-θ) turning the wind clockwise by θ
degrees (to the right of the wind for θ > 0); the wind comes from ``ocean.wind``
(:mod:`marinenet.ocean.forcing`) on its own grid and time axis. Both keys are one behaviour:
the deflection only turns the wind-driven part. See :mod:`._surface_forcing` for the step.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ..ocean.extra import FieldArrays, LazyData
from . import _surface_forcing as sf

NAME = "windage"
FORCING = ("wind",)


class Params(NamedTuple):
    on: float
    factor: float  # fraction of the 10 m wind
    cos: float  # of the deflection
    sin: float
    periodic: float
    data: np.ndarray | LazyData  # (2, time, 1, lat, lon) u10, v10 in m/s
    times: np.ndarray
    depth: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    ax: np.ndarray


def _params(on: float, factor: float, deflection: float, fa: FieldArrays) -> Params:
    th = math.radians(deflection)
    return Params(on, factor, math.cos(th), math.sin(th), fa.periodic, fa.data, fa.times, fa.depth, fa.lat,
                  fa.lon, fa.ax)  # fmt: skip


OFF = _params(0.0, 0.0, 0.0, FieldArrays.empty(2))


def from_scenario(scenario, ocean, layers, forcing) -> Params | None:
    b = scenario.behaviour
    if not b.windage:
        return None
    return _params(1.0, float(b.windage), float(b.windage_deflection), forcing["wind"].streamed())


def supports(engine: str, ocean) -> str | None:
    return sf.refuse_3d("windage", ocean)


#: the compiled step is the one both surface drifts share (:func:`._surface_forcing.fast_step`)
fast_params = sf.fast_params
fast_step = sf.fast_step


def parcels_kernels(p: Params, fieldset) -> list:
    fieldset.add_context("mn_windage", sf.parcels_params(p, fieldset))
    return [Windage]


def Windage(particles, fieldset):  # pragma: no cover - executed inside Parcels
    """As :func:`fast_step`, vectorised."""
    ex, ey = sf.parcels_drift(fieldset.mn_windage, particles, fieldset.deg2m)
    particles.dx = particles.dx + ex
    particles.dy = particles.dy + ey
