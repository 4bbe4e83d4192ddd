"""A toy behaviour plug-in for tests/test_behaviour_plugins.py: swim due east at a constant speed.

Its own module (not the test file) so that editing the tests does not recompile its fast stepper.
"""

import math
from typing import NamedTuple

import numpy as np
from numba import njit


class EastParams(NamedTuple):
    on: float
    speed: float  # m/s due east


@njit(cache=True, inline="always")
def east_step(
    bp, g, p, gid, k, pt, pa, dt, px, py, pz, dx, dy, dz, rx, ry, edge, through, weight, dev, coast
):
    if bp.on > 0:
        dx += bp.speed * dt / (g.deg2m * math.cos(math.radians(py)))
    return dx, dy, dz, rx, ry, edge, 0


def EastKernel(particles, fieldset):  # pragma: no cover - executed inside Parcels
    particles.dx = particles.dx + fieldset.east_speed * particles.dt / (
        fieldset.deg2m * np.cos(np.deg2rad(particles.y))
    )


def east_kernels(p, fieldset):
    fieldset.add_context("east_speed", float(p.speed))
    return [EastKernel]
