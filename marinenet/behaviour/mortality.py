"""Larval life (``kind: larva``): the end of the pelagic larval duration, then mortality over the step.

Ages are those at the step's start. A larva that has reached its PLD unsettled is
``unsettled`` (also when the tracking time ends exactly then), before any mortality; else
mortality over the step it makes: ``mortality_mode: weights`` multiplies a survival weight by
exp(−m·dt), ``stochastic`` removes it with probability 1 − exp(−m·dt) (seeded): ``dead``.
Settlement is decided between steps (:mod:`marinenet.behaviour.settlement`), so a larva that
settles or ends its PLD at age a has survived exactly a.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import xarray as xr
from numba import njit

from ..engine._fast_random import _uniform
from .status import Status

_DEAD = int(Status.DEAD)  # (numba: a plain int constant)
_UNSETTLED = int(Status.UNSETTLED)  # (numba: a plain int constant)
NAME = "mortality"
WEIGHTS, STOCHASTIC = 0, 1  # mortality modes


class Params(NamedTuple):
    on: float
    pld: float  # s
    mortality: float  # 1/s
    mortality_mode: float  # WEIGHTS or STOCHASTIC


OFF = Params(0.0, 0.0, 0.0, 0.0)


def params(pld: float, mortality: float = 0.0, mortality_mode: int = STOCHASTIC) -> Params:
    return Params(1.0, float(pld), float(mortality), float(mortality_mode))


def from_scenario(scenario, ocean: xr.Dataset, layers) -> Params | None:
    b = scenario.behaviour
    if b.kind != "larva":
        return None
    return params(b.pld, b.mortality or 0.0, WEIGHTS if b.mortality_mode == "weights" else STOCHASTIC)


def weighted(p: Params | None) -> bool:
    """Whether particles carry survival weights."""
    return p is not None and p.mortality_mode == WEIGHTS


@njit(cache=True, error_model="numpy", _nrt=False, inline="always")
def fast_step(
    bp, g, p, gid, k, pt, pa, dt, px, py, pz, dx, dy, dz, rx, ry, edge, through, weight, dev, coast
):
    st = 0
    if bp.on > 0:
        if pa - dt >= bp.pld - 1e-6:
            st = _UNSETTLED
        else:
            mrate = bp.mortality * dt
            if bp.mortality_mode == 0:
                weight[p] *= math.exp(-mrate)
            if bp.mortality_mode == 1 and _uniform(g.seed, gid, k, 7) < 1.0 - math.exp(-mrate):
                st = _DEAD
    return dx, dy, dz, rx, ry, edge, st


def parcels_kernels(p: Params, fieldset) -> list:
    fieldset.add_context("pld", float(p.pld))
    fieldset.add_context("mortality", float(p.mortality))
    fieldset.add_context("mortality_mode", int(p.mortality_mode))
    return [LarvaLife]


def LarvaLife(particles, fieldset):  # pragma: no cover - executed inside Parcels
    """As :func:`fast_step`, vectorised; random draws from the run's seeded ``fieldset.rng``."""
    from parcels import StatusCode

    moving = (particles.state < 50) & (particles.mn_status == 0)
    finished_now = particles.mn_status == int(Status.FINISHED)
    age0 = particles.age - particles.dt
    expired = (moving & (age0 >= fieldset.pld - 1e-6)) | (
        finished_now & (particles.age >= fieldset.pld - 1e-6)
    )
    alive = moving & np.logical_not(expired)
    m = fieldset.mortality * np.abs(particles.dt)
    particles.weight = np.where(
        (fieldset.mortality_mode == 0) & alive, particles.weight * np.exp(-m), particles.weight
    )
    draw = fieldset.rng.random(particles.x.size)
    dies = (fieldset.mortality_mode == 1) & (draw < 1.0 - np.exp(-m)) & alive
    code = np.where(expired, int(Status.UNSETTLED), np.where(dies, int(Status.DEAD), 0))
    particles.mn_status = np.where(code > 0, code, particles.mn_status)
    particles.state = np.where(code > 0, StatusCode.StopExecution, particles.state)
