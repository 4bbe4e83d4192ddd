"""Larval life (``kind: larva``): the end of the pelagic larval duration, then mortality over the step.

Ages are those at the step's start. A larva that has reached its PLD unsettled is
``unsettled`` (also when the tracking time ends exactly then), before any mortality; else
mortality over the step it makes: ``mortality_mode: weights`` multiplies a survival weight by
exp(−m·dt), ``stochastic`` removes it with probability 1 − exp(−m·dt) (seeded): ``dead``.
Settlement is decided between steps (:mod:`marinenet.behaviour.settlement`), so a larva that
settles or ends its PLD at age a has survived exactly a. With ``behaviour.temperature``
(:mod:`marinenet.behaviour.temperature`) the PLD is reached by development age, lethal
temperatures kill and the mortality rate scales with temperature.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import xarray as xr
from numba import njit

from ..engine._extra_sample import sample, sample_np
from ..engine._fast_random import _uniform
from ..engine.extra_window import windowed
from ..ocean.extra import FieldArrays, LazyData, relative_params
from . import development as dv
from . import temperature as tm
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
    # temperature (marinenet.behaviour.temperature): off when t_on is 0
    t_on: float
    model: float  # development.Q10 or .OCONNOR
    reference: float  # degC
    q10: float
    lethal_lo: float  # degC
    lethal_hi: float
    mq10: float  # mortality_q10
    devel: np.ndarray  # s, per particle: development age (size 1 when off or not yet allocated)
    periodic: float  # thetao as FieldArrays (marinenet.ocean.extra)
    data: np.ndarray | LazyData  # (a LazyData until the engine holds a window of it)
    times: np.ndarray
    depth: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    ax: np.ndarray


OFF = Params(0.0, 0.0, 0.0, 0.0, **tm.OFF_THERMAL)
FORCING_FIELDS = ("periodic", "data", "times", "depth", "lat", "lon", "ax")


def params(pld: float, mortality: float = 0.0, mortality_mode: int = STOCHASTIC, thermal=None) -> Params:
    return Params(1.0, float(pld), float(mortality), float(mortality_mode), **(thermal or tm.OFF_THERMAL))


def from_scenario(scenario, ocean: xr.Dataset, layers) -> Params | None:
    b = scenario.behaviour
    if b.kind != "larva":
        return None
    mode = WEIGHTS if b.mortality_mode == "weights" else STOCHASTIC
    return params(b.pld, b.mortality or 0.0, mode, tm.thermal(scenario, ocean))


tracers = tm.tracers


def thermal(p) -> bool:
    """Whether a larval life's compiled form is temperature-dependent."""
    return p is not None and p.t_on > 0


def fast_params(p: Params, ff) -> Params:
    return relative_params(p, ff.origin) if p.t_on > 0 else p


def fast_state(p: Params, n: int) -> Params:
    """The compiled form with its per-particle development ages (n particles, 0 at release)."""
    return p._replace(devel=np.zeros(n)) if p.t_on > 0 else p


def parcels_variables(p: Params) -> dict[str, float]:
    return {"mn_devel": 0.0} if p.t_on > 0 else {}


def clock(p, age: np.ndarray, devel: np.ndarray | None) -> np.ndarray:
    """The age that counts for the PLD and competency: the development age with temperature, else age."""
    return devel if thermal(p) and devel is not None else age


def weighted(p: Params | None) -> bool:
    """Whether particles carry survival weights."""
    return p is not None and p.mortality_mode == WEIGHTS


@njit(cache=True, error_model="numpy", _nrt=False, inline="always")
def fast_step(
    bp, g, p, gid, k, pt, pa, dt, px, py, pz, dx, dy, dz, rx, ry, edge, through, weight, dev, coast
):
    st = 0
    if bp.on > 0:
        temp = 0.0
        if bp.t_on > 0:
            temp = sample(bp.data, 0, bp.times, bp.depth, bp.lat, bp.lon, bp.ax, bp.periodic, pt, pz, py, px)
        if (bp.devel[p] if bp.t_on > 0 else pa - dt) >= bp.pld - 1e-6:
            st = _UNSETTLED
        elif bp.t_on > 0 and dv.lethal(temp, bp.lethal_lo, bp.lethal_hi):
            st = _DEAD
        else:
            mrate = bp.mortality * dt
            if bp.t_on > 0:
                mrate *= dv.mortality_scale(temp, bp.reference, bp.mq10)
                bp.devel[p] += dv.rate(bp.model, temp, bp.reference, bp.q10) * dt
            if bp.mortality_mode == 0:
                weight[p] *= math.exp(-mrate)
            if bp.mortality_mode == 1 and _uniform(g.seed, gid, k, 7) < 1.0 - math.exp(-mrate):
                st = _DEAD
    return dx, dy, dz, rx, ry, edge, st


def parcels_kernels(p: Params, fieldset) -> list:
    fieldset.add_context("pld", float(p.pld))
    fieldset.add_context("mortality", float(p.mortality))
    fieldset.add_context("mortality_mode", int(p.mortality_mode))
    fieldset.add_context("mn_life", windowed(relative_params(p, fieldset.time_interval.left)))
    return [LarvaLife]


def LarvaLife(particles, fieldset):  # pragma: no cover - executed inside Parcels
    """As :func:`fast_step`, vectorised; random draws from the run's seeded ``fieldset.rng``."""
    from parcels import StatusCode

    moving = (particles.state < 50) & (particles.mn_status == 0)
    finished_now = particles.mn_status == int(Status.FINISHED)
    life = fieldset.mn_life
    warm = life.t_on > 0
    age0 = particles.mn_devel if warm else particles.age - particles.dt
    at_end = particles.mn_devel if warm else particles.age
    expired = (moving & (age0 >= fieldset.pld - 1e-6)) | (finished_now & (at_end >= fieldset.pld - 1e-6))
    alive = moving & np.logical_not(expired)
    m = fieldset.mortality * np.abs(particles.dt)
    if warm:
        fa = FieldArrays(life.data, life.times, life.depth, life.lat, life.lon, life.ax, life.periodic)
        temp = sample_np(fa, 0, particles.t, particles.z, particles.y, particles.x)
        killed = alive & dv.lethal(temp, life.lethal_lo, life.lethal_hi)
        alive = alive & np.logical_not(killed)
        m = m * dv.mortality_scale(temp, life.reference, life.mq10)
        grow = dv.rate(int(life.model), temp, life.reference, life.q10) * np.abs(particles.dt)
        particles.mn_devel = np.where(alive, particles.mn_devel + grow, particles.mn_devel)
    else:
        killed = np.zeros(particles.x.size, dtype=bool)
    particles.weight = np.where(
        (fieldset.mortality_mode == 0) & alive, particles.weight * np.exp(-m), particles.weight
    )
    draw = fieldset.rng.random(particles.x.size)
    dies = ((fieldset.mortality_mode == 1) & (draw < 1.0 - np.exp(-m)) & alive) | killed
    code = np.where(expired, int(Status.UNSETTLED), np.where(dies, int(Status.DEAD), 0))
    particles.mn_status = np.where(code > 0, code, particles.mn_status)
    particles.state = np.where(code > 0, StatusCode.StopExecution, particles.state)
