"""Parcels v4 kernels of marinenet's Parcels engine core: age and RK4 advection with edges.

The behaviours' kernels live with their behaviour (:mod:`marinenet.behaviour`).
They are vectorised (``particles`` is a set of particles) and use no Python ``if`` on
arrays.
"""

from __future__ import annotations

import numpy as np
from parcels import StatusCode

from ..behaviour.status import Status


def _off_grid(fieldset, x, y):  # pragma: no cover - helper for the advection kernels
    return (x < fieldset.x_min) | (x > fieldset.x_max) | (y < fieldset.y_min) | (y > fieldset.y_max)


def AdvectionRK4Edges(particles, fieldset):  # pragma: no cover - executed inside Parcels
    """Parcels' ``AdvectionRK4`` (same stages, same arithmetic), plus the edge test it lacks.

    Parcels 4.0.2 flags a stage position beyond the grid's east or north edge
    (``ErrorOutOfBounds``) but gives a zero velocity, silently, beyond its west or south
    edge: particles leaving there froze on the edge as ``active``. Here a stage position off
    the grid on any side flags the particle ``ErrorOutOfBounds`` (then reported
    ``out_of_domain``, as by the fast engine); stopped particles are left as they are.
    """
    dt, t, z = particles.dt, particles.t, particles.z
    x1, y1 = particles.x, particles.y
    u1, v1 = fieldset.UV[t, z, y1, x1, particles]
    x2, y2 = x1 + u1 * 0.5 * dt, y1 + v1 * 0.5 * dt
    u2, v2 = fieldset.UV[t + 0.5 * dt, z, y2, x2, particles]
    x3, y3 = x1 + u2 * 0.5 * dt, y1 + v2 * 0.5 * dt
    u3, v3 = fieldset.UV[t + 0.5 * dt, z, y3, x3, particles]
    x4, y4 = x1 + u3 * dt, y1 + v3 * dt
    u4, v4 = fieldset.UV[t + dt, z, y4, x4, particles]
    particles.dx += (u1 + 2 * u2 + 2 * u3 + u4) / 6.0 * dt
    particles.dy += (v1 + 2 * v2 + 2 * v3 + v4) / 6.0 * dt
    off = _off_grid(fieldset, x1, y1) | _off_grid(fieldset, x2, y2)
    off = off | _off_grid(fieldset, x3, y3) | _off_grid(fieldset, x4, y4)
    flag = off & (particles.state == StatusCode.Success)
    particles.state = np.where(flag, StatusCode.ErrorOutOfBounds, particles.state)


def AdvectionRK4Edges3D(particles, fieldset):  # pragma: no cover - executed inside Parcels
    """:func:`AdvectionRK4Edges` with the vertical velocity (Parcels' ``AdvectionRK4_3D``)."""
    dt, t = particles.dt, particles.t
    x1, y1, z1 = particles.x, particles.y, particles.z
    u1, v1, w1 = fieldset.UVW[t, z1, y1, x1, particles]
    x2, y2, z2 = x1 + u1 * 0.5 * dt, y1 + v1 * 0.5 * dt, z1 + w1 * 0.5 * dt
    u2, v2, w2 = fieldset.UVW[t + 0.5 * dt, z2, y2, x2, particles]
    x3, y3, z3 = x1 + u2 * 0.5 * dt, y1 + v2 * 0.5 * dt, z1 + w2 * 0.5 * dt
    u3, v3, w3 = fieldset.UVW[t + 0.5 * dt, z3, y3, x3, particles]
    x4, y4, z4 = x1 + u3 * dt, y1 + v3 * dt, z1 + w3 * dt
    u4, v4, w4 = fieldset.UVW[t + dt, z4, y4, x4, particles]
    particles.dx += (u1 + 2 * u2 + 2 * u3 + u4) / 6.0 * dt
    particles.dy += (v1 + 2 * v2 + 2 * v3 + v4) / 6.0 * dt
    particles.dz += (w1 + 2 * w2 + 2 * w3 + w4) / 6.0 * dt
    off = _off_grid(fieldset, x1, y1) | _off_grid(fieldset, x2, y2)
    off = off | _off_grid(fieldset, x3, y3) | _off_grid(fieldset, x4, y4)
    flag = off & (particles.state == StatusCode.Success)
    particles.state = np.where(flag, StatusCode.ErrorOutOfBounds, particles.state)


def Age(particles, fieldset):  # pragma: no cover - executed inside Parcels
    """Stop particles that were already tracked for ``max_age`` seconds, else advance their age.

    Runs first, so a particle at the end of its tracking time does not make another move.
    """
    done = (particles.age >= fieldset.max_age - 1e-6) & (particles.state < 50) & (particles.mn_status == 0)
    particles.mn_status = np.where(done, int(Status.FINISHED), particles.mn_status)
    particles.state = np.where(done, StatusCode.StopExecution, particles.state)
    particles.age = np.where(done, particles.age, particles.age + particles.dt)
