"""Parcels v4 kernels used by marinenet's Parcels engine.

Kernels live in their own module because Parcels reads their source to validate them.
They are vectorised (``particles`` is a set of particles) and use no Python ``if`` on
arrays.
"""

from __future__ import annotations

import numpy as np
from parcels import StatusCode

# marinenet final-status codes (see marinenet.engine.base.STATUS)
_STRANDED = 1
_OUT_OF_DOMAIN = 2
_ERROR = 3


def StopAtCoastOrEdge(particles, fieldset):  # pragma: no cover - executed inside Parcels
    """Stop particles whose step would end on land or that left the grid.

    Must run after the advection kernel. The land mask is sampled at the position the
    particle is about to move to; where it is >= 0.5 (nearer land than water) the particle
    is stranded *before* the move, so it keeps its last wet position. Particles for which
    the advection hit the grid edge (state >= 50) are flagged out of domain. Either way the
    Parcels state becomes ``StopExecution``: no position update, and the engine removes
    them after the current output interval.
    """
    land = fieldset.landmask[
        particles.t, particles.z, particles.y + particles.dy, particles.x + particles.dx, particles
    ]
    edge = (particles.state == StatusCode.ErrorOutOfBounds) | (
        particles.state == StatusCode.ErrorGridSearching
    )
    edge = edge | (particles.state == StatusCode.ErrorThroughSurface)
    error = (particles.state >= 50) & np.logical_not(edge)
    hit = (land >= 0.5) & (particles.state < 50)
    code = np.where(edge, _OUT_OF_DOMAIN, np.where(error, _ERROR, np.where(hit, _STRANDED, 0)))
    particles.mn_status = np.where(code > 0, code, particles.mn_status)
    particles.state = np.where(code > 0, StatusCode.StopExecution, particles.state)
