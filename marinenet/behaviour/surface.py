"""3-D runs: a step that would cross the sea surface ends at the top level instead.

A step whose RK4 stages went above the top level keeps no horizontal part (not all stages were
valid) and rises to the top level; a valid step that would end above it is clamped there.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

NAME = "surface"


class Params(NamedTuple):
    on: float


OFF = Params(0.0)


def from_request(request) -> Params:
    return Params(1.0) if "depth" in request.ocean.dims else OFF


@njit(cache=True, error_model="numpy", _nrt=False, inline="always")
def fast_step(
    bp, g, p, gid, k, pt, pa, dt, px, py, pz, dx, dy, dz, rx, ry, edge, through, weight, dev, coast
):
    if bp.on > 0 and g.three:
        if through:
            dx = dy = rx = ry = 0.0
            dz = g.top - pz
        elif pz + dz < g.top:
            dz = g.top - pz
    return dx, dy, dz, rx, ry, edge, 0


def parcels_kernels(p: Params, fieldset) -> list:
    return [KeepBelowSurface]


def KeepBelowSurface(particles, fieldset):  # pragma: no cover - executed inside Parcels
    """As :func:`fast_step`: Parcels flags a stage above the top level ``ErrorThroughSurface``."""
    from parcels import StatusCode

    through = particles.state == StatusCode.ErrorThroughSurface
    above = (particles.z + particles.dz) < fieldset.depth_top
    particles.dx = np.where(through, 0.0, particles.dx)
    particles.dy = np.where(through, 0.0, particles.dy)
    particles.dz = np.where(through | above, fieldset.depth_top - particles.z, particles.dz)
    particles.state = np.where(through, StatusCode.Success, particles.state)
