"""Horizontal diffusion: a seeded random walk with diffusivity Kh (``behaviour.diffusion``, m²/s).

Displacement per step: N(0, 2·Kh·dt) metres east and north, in degrees on Parcels' sphere. The
random part is kept apart (``rx``, ``ry``) for the coast rule: a random-walk step onto land keeps
only its drift.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba import njit

from ..engine._fast_random import _normal

NAME = "diffusion"


class Params(NamedTuple):
    on: float
    kh: float  # m²/s


OFF = Params(0.0, 0.0)


def from_request(request) -> Params:
    return Params(1.0, float(request.diffusion)) if request.diffusion > 0 else OFF


@njit(cache=True, error_model="numpy", _nrt=False, inline="always")
def fast_step(
    bp, g, p, gid, k, pt, pa, dt, px, py, pz, dx, dy, dz, rx, ry, edge, through, weight, dev, coast
):
    if bp.on > 0:
        coslat = math.cos(math.radians(py))
        sigma = math.sqrt(2.0 * bp.kh * dt)
        rx = _normal(g.seed, gid, k, 1) * sigma / (g.deg2m * coslat)
        ry = _normal(g.seed, gid, k, 2) * sigma / g.deg2m
        dx, dy = dx + rx, dy + ry
    return dx, dy, dz, rx, ry, edge, 0


def parcels_kernels(p: Params, fieldset) -> list:
    fieldset.add_context("Kh", float(p.kh))
    return [DiffusionSeeded]


def DiffusionSeeded(particles, fieldset):  # pragma: no cover - executed inside Parcels
    """The random walk with the run's seeded generator (``fieldset.rng``, never global state);
    its part of the step is kept in ``mn_rx``, ``mn_ry`` for the coast rule."""
    n = particles.x.size
    sigma = np.sqrt(2.0 * fieldset.Kh * np.abs(particles.dt))
    ex = fieldset.rng.standard_normal(n) * sigma
    ey = fieldset.rng.standard_normal(n) * sigma
    particles.mn_rx = ex / (fieldset.deg2m * np.cos(np.deg2rad(particles.y)))
    particles.mn_ry = ey / fieldset.deg2m
    particles.dx = particles.dx + particles.mn_rx
    particles.dy = particles.dy + particles.mn_ry
