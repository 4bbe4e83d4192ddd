"""What windage and Stokes drift share: a velocity read from an extra forcing field, added to the step.

Each step a particle at (x, y) at the step's start time t moves by ``factor · R(-θ) · (u, v)(t, y, x) · dt``
more (m → degrees on Parcels' sphere: 1852 m per arc minute, cos(latitude) east), added as an
Euler term to the RK4 advection of the currents, as OpenDrift adds wind drift and Stokes drift.
``R(-θ)`` turns the vector clockwise by θ (to the right of the wind when θ > 0):
``(u cos θ + v sin θ, -u sin θ + v cos θ)``. The field is sampled by
:mod:`marinenet.engine._extra_sample` (the same interpolation on both engines).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..engine._extra_sample import sample, sample_np
from ..engine.extra_window import windowed
from ..ocean.extra import held as arrays_of
from ..ocean.extra import relative_params as relative

__all__ = [
    "FIELDS",
    "drift",
    "fast_step",
    "fast_params",
    "parcels_params",
    "parcels_drift",
    "arrays_of",
    "relative",
    "refuse_3d",
]

#: the field names of a surface-forcing compiled form after its own scalar fields
FIELDS = ("periodic", "data", "times", "depth", "lat", "lon", "ax")


@njit(cache=True, error_model="numpy", _nrt=False, inline="always")
def drift(bp, g, pt, dt, px, py, pz):
    """(ddx, ddy) in degrees: the step's extra drift from the field in ``bp`` (see the module)."""
    u = sample(bp.data, 0, bp.times, bp.depth, bp.lat, bp.lon, bp.ax, bp.periodic, pt, pz, py, px)
    v = sample(bp.data, 1, bp.times, bp.depth, bp.lat, bp.lon, bp.ax, bp.periodic, pt, pz, py, px)
    ue = bp.factor * (bp.cos * u + bp.sin * v)
    vn = bp.factor * (bp.cos * v - bp.sin * u)
    return ue * dt / (g.deg2m * math.cos(math.radians(py))), vn * dt / g.deg2m


def parcels_params(p, fieldset):
    """The compiled form for the Parcels kernels: times relative to the fieldset's origin, the values
    read a time window at a time (:func:`marinenet.engine.extra_window.windowed`)."""
    return windowed(relative(p, fieldset.time_interval.left))


def fast_params(p, ff):
    """The compiled form with its field's times relative to the fast engine's time origin."""
    return relative(p, ff.origin)


@njit(cache=True, error_model="numpy", _nrt=False, inline="always")
def fast_step(
    bp, g, p, gid, k, pt, pa, dt, px, py, pz, dx, dy, dz, rx, ry, edge, through, weight, dev, coast
):
    """A surface drift's step (windage or Stokes drift): :func:`drift` added to the step."""
    if bp.on > 0:
        ex, ey = drift(bp, g, pt, dt, px, py, pz)
        dx, dy = dx + ex, dy + ey
    return dx, dy, dz, rx, ry, edge, 0


def parcels_drift(p, particles, deg2m: float) -> tuple[np.ndarray, np.ndarray]:
    """:func:`drift` for a Parcels particle set (``p`` already relative to the fieldset's time origin)."""
    fa = arrays_of(p)
    t, z, y, x = particles.t, particles.z, particles.y, particles.x
    u, v = sample_np(fa, 0, t, z, y, x), sample_np(fa, 1, t, z, y, x)
    ue = p.factor * (p.cos * u + p.sin * v)
    vn = p.factor * (p.cos * v - p.sin * u)
    return ue * particles.dt / (deg2m * np.cos(np.deg2rad(y))), vn * particles.dt / deg2m


def refuse_3d(what: str, ocean) -> str | None:
    """Surface drift needs surface (2-D) currents."""
    if "depth" in ocean.dims:
        return f"{what} moves surface drifters: use surface (2-D) currents (leave out ocean.three_d)"
    return None
