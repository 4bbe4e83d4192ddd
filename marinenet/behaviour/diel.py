"""Diel vertical migration (``behaviour.migration``): day depth 06:00–18:00 local solar time, else night depth.

Local time = UTC + longitude/15 h; the particle heads for the depth of the time at its step's
start, at most ``speed`` m/s (no overshoot). Needs 3-D currents.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import xarray as xr
from numba import njit

NAME = "diel"


class Params(NamedTuple):
    on: float
    sod0: float  # second of the (UTC) day of the currents' first time
    day_depth: float  # m
    night_depth: float  # m
    speed: float  # m/s


OFF = Params(0.0, 0.0, 0.0, 0.0, 0.0)


def params(ocean: xr.Dataset, day_depth: float, night_depth: float, speed: float) -> Params:
    left = np.datetime64(ocean["time"].values[0], "s")
    sod0 = float((left - left.astype("datetime64[D]")) / np.timedelta64(1, "s"))
    return Params(1.0, sod0, float(day_depth), float(night_depth), float(speed))


def from_scenario(scenario, ocean: xr.Dataset, layers) -> Params | None:
    m = scenario.behaviour.migration
    return None if m is None else params(ocean, m.day_depth, m.night_depth, m.speed)


def supports(engine: str, ocean: xr.Dataset) -> str | None:
    return None if "depth" in ocean.dims else "vertical migration needs 3-D currents"


@njit(cache=True, error_model="numpy", _nrt=False, inline="always")
def fast_step(
    bp, g, p, gid, k, pt, pa, dt, px, py, pz, dx, dy, dz, rx, ry, edge, through, weight, dev, coast
):
    if bp.on > 0:
        local = (bp.sod0 + pt + px / 15.0 * 3600.0) % 86400.0
        target = bp.day_depth if 6 * 3600.0 <= local < 18 * 3600.0 else bp.night_depth
        lim = bp.speed * dt
        dz += min(max(target - (pz + dz), -lim), lim)
    return dx, dy, dz, rx, ry, edge, 0


def parcels_kernels(p: Params, fieldset) -> list:
    for name in ("sod0", "day_depth", "night_depth", "speed"):
        fieldset.add_context(f"diel_{name}", float(getattr(p, name)))
    return [DielMigration]


def DielMigration(particles, fieldset):  # pragma: no cover - executed inside Parcels
    """As :func:`fast_step`, vectorised."""
    local = np.mod(fieldset.diel_sod0 + particles.t + particles.x / 15.0 * 3600.0, 86400.0)
    day = (local >= 6 * 3600.0) & (local < 18 * 3600.0)
    target = np.where(day, fieldset.diel_day_depth, fieldset.diel_night_depth)
    gap = target - (particles.z + particles.dz)
    limit = fieldset.diel_speed * np.abs(particles.dt)
    particles.dz = particles.dz + np.clip(gap, -limit, limit)
