"""Ontogenetic vertical migration (``behaviour.ontogeny``): the preferred depth of each age stage.

Stage q begins at ``ages[q]`` (the first at 0); a particle heads for the depth of the stage of
its age at the step's start, at most ``speed`` m/s. Any number of stages. Needs 3-D currents.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import xarray as xr
from numba import njit

NAME = "ontogeny"


class Params(NamedTuple):
    on: float
    speed: float  # m/s
    ages: np.ndarray  # s, start of each stage, increasing from 0
    depths: np.ndarray  # m


OFF = Params(0.0, 0.0, np.zeros(1), np.zeros(1))


def params(ages, depths, speed: float) -> Params:
    return Params(1.0, float(speed), np.asarray(ages, float), np.asarray(depths, float))


def from_scenario(scenario, ocean: xr.Dataset, layers) -> Params | None:
    o = scenario.behaviour.ontogeny
    return None if o is None else params(o.ages, o.depths, o.speed)


def supports(engine: str, ocean: xr.Dataset) -> str | None:
    return None if "depth" in ocean.dims else "vertical migration needs 3-D currents"


@njit(cache=True, error_model="numpy", _nrt=False, inline="always")
def fast_step(
    bp, g, p, gid, k, pt, pa, dt, px, py, pz, dx, dy, dz, rx, ry, edge, through, weight, dev, coast
):
    if bp.on > 0:
        target = bp.depths[0]
        for q in range(bp.ages.size):
            if pa - dt + 1e-6 >= bp.ages[q]:
                target = bp.depths[q]
        lim = bp.speed * dt
        dz += min(max(target - (pz + dz), -lim), lim)
    return dx, dy, dz, rx, ry, edge, 0


def parcels_kernels(p: Params, fieldset) -> list:
    fieldset.add_context("onto_speed", float(p.speed))
    fieldset.add_context("onto_ages", np.asarray(p.ages, dtype=float))
    fieldset.add_context("onto_depths", np.asarray(p.depths, dtype=float))
    return [OntogeneticDepth]


def OntogeneticDepth(particles, fieldset):  # pragma: no cover - executed inside Parcels
    """As :func:`fast_step`, vectorised (ages at the step's start)."""
    age0 = particles.age - particles.dt
    stage = np.searchsorted(fieldset.onto_ages, age0 + 1e-6, side="right") - 1
    target = fieldset.onto_depths[np.clip(stage, 0, fieldset.onto_depths.size - 1)]
    gap = target - (particles.z + particles.dz)
    limit = fieldset.onto_speed * np.abs(particles.dt)
    particles.dz = particles.dz + np.clip(gap, -limit, limit)
