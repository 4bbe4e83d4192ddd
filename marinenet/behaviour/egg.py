"""Pelagic eggs (``behaviour.egg``): rising or sinking at their terminal velocity until they hatch.

Every step until hatching, an egg moves up by its terminal velocity w integrated over the step
(classic RK4 in depth and time at the step's start position, added to the advection's step), w
from Stokes' law with the seawater density and viscosity (:mod:`marinenet.behaviour.seawater`):
w = g d² (ρw − ρegg) / (18 μ). ρegg is the egg's density at surface pressure and ρw the
TEOS-10 potential density of the water referenced to the surface (gsw; the egg compresses about
as much as the water, so both are compared at one pressure); μ is the dynamic viscosity
(Sharqawy et al. 2010). Both are computed once at every grid point of the currents from
``thetao`` and ``so`` of the ocean files (Absolute Salinity at the pressure of each point, from
its depth and latitude), then interpolated to the egg like the currents
(:mod:`marinenet.engine._extra_sample`). An egg hatches at ``hatch`` (age) or when its
degree-days (Σ max(T, 0) · dt, T sampled like ρw) reach ``hatch_degree_days``; then it stops
rising and drifts on (as a larva when ``kind: larva``: ages count from spawning). The surface
rule (:mod:`.surface`) keeps eggs below the top level. Needs 3-D currents.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import xarray as xr
from numba import njit

from ..engine._extra_sample import sample, sample_np
from ..engine.extra_window import windowed
from ..ocean.extra import FieldArrays, LazyData, relative_params
from . import development as dv
from . import seawater as sw
from .temperature import tracer_arrays

NAME = "egg"


class Params(NamedTuple):
    on: float
    density: float  # kg/m3
    diameter: float  # m
    hatch_age: float  # s (0: by degree-days)
    hatch_dd: float  # degC·d (0: by age)
    dd: np.ndarray  # per particle: degree-days so far (size 1 when unused)
    periodic: float  # (rho, mu, thetao) as FieldArrays (marinenet.ocean.extra)
    data: np.ndarray | LazyData  # (a LazyData until the engine holds a window of it)
    times: np.ndarray
    depth: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    ax: np.ndarray


def _params(on, density, diameter, hatch_age, hatch_dd, fa: FieldArrays) -> Params:
    return Params(float(on), float(density), float(diameter), float(hatch_age), float(hatch_dd), np.zeros(1),
                  fa.periodic, fa.data, fa.times, fa.depth, fa.lat, fa.lon, fa.ax)  # fmt: skip


OFF = _params(0.0, 0.0, 0.0, 0.0, 0.0, FieldArrays.empty(3))


def tracers(scenario) -> tuple[str, ...]:
    return ("thetao", "so") if scenario.behaviour.egg is not None else ()


def water_fields(fa: FieldArrays) -> FieldArrays:
    """(ρw, μ, T) at every grid point from (thetao, so) ``fa``: potential density (TEOS-10), viscosity
    (time slice by time slice as the engine reads them when ``fa`` is streamed)."""
    water = _Water(fa.depth, fa.lat, fa.lon)
    if isinstance(fa.data, LazyData):
        return fa._replace(data=fa.data.then(water, 3))
    return fa._replace(data=water(fa.data))


@dataclass(frozen=True)
class _Water:
    """(thetao, so) values ``(2, time, depth, lat, lon)`` to (ρw, μ, T) (acts on each point on its own)."""

    depth: np.ndarray
    lat: np.ndarray
    lon: np.ndarray

    def __call__(self, data: np.ndarray) -> np.ndarray:
        temp, salt = data[0], data[1]
        lon = self.lon[None, None, None, :]
        lat = self.lat[None, None, :, None]
        depth = self.depth[None, :, None, None]
        rho = sw.potential_density(temp, salt, depth, lon, lat)
        mu = sw.viscosity(temp, salt)
        return np.ascontiguousarray(np.stack([rho, mu, temp]))


def from_scenario(scenario, ocean: xr.Dataset, layers) -> Params | None:
    e = scenario.behaviour.egg
    if e is None:
        return None
    fa = water_fields(tracer_arrays(ocean, ("thetao", "so"), "behaviour.egg"))
    assert e.density is not None and e.diameter is not None  # checked by the Egg model
    return _params(1.0, e.density, e.diameter / 1000.0, e.hatch or 0.0, e.hatch_degree_days or 0.0, fa)


def supports(engine: str, ocean: xr.Dataset) -> str | None:
    return (
        None if "depth" in ocean.dims else "eggs rise or sink: they need 3-D currents (ocean.three_d: true)"
    )


def fast_params(p: Params, ff) -> Params:
    return relative_params(p, ff.origin)


def fast_state(p: Params, n: int) -> Params:
    return p._replace(dd=np.zeros(n)) if p.hatch_dd > 0 else p


def parcels_variables(p: Params) -> dict[str, float]:
    return {"mn_dd": 0.0} if p.hatch_dd > 0 else {}


@njit(cache=True, error_model="numpy", _nrt=False, inline="always")
def _sink(bp, t, z, y, x):
    """The egg's depth rate (m/s, down) at (t, z, y, x): minus its Stokes rise velocity."""
    rho = sample(bp.data, 0, bp.times, bp.depth, bp.lat, bp.lon, bp.ax, bp.periodic, t, z, y, x)
    mu = sample(bp.data, 1, bp.times, bp.depth, bp.lat, bp.lon, bp.ax, bp.periodic, t, z, y, x)
    return -sw.terminal_velocity(rho, bp.density, bp.diameter, mu)


@njit(cache=True, error_model="numpy", _nrt=False, inline="always")
def fast_step(
    bp, g, p, gid, k, pt, pa, dt, px, py, pz, dx, dy, dz, rx, ry, edge, through, weight, dev, coast
):
    if bp.on > 0:
        if bp.hatch_dd > 0:
            hatched = bp.dd[p] >= bp.hatch_dd - 1e-9
        else:
            hatched = pa - dt >= bp.hatch_age - 1e-6
        if not hatched:
            k1 = _sink(bp, pt, pz, py, px)
            k2 = _sink(bp, pt + 0.5 * dt, pz + 0.5 * dt * k1, py, px)
            k3 = _sink(bp, pt + 0.5 * dt, pz + 0.5 * dt * k2, py, px)
            k4 = _sink(bp, pt + dt, pz + dt * k3, py, px)
            dz += (k1 + 2.0 * k2 + 2.0 * k3 + k4) / 6.0 * dt
            if bp.hatch_dd > 0:
                temp = sample(
                    bp.data, 2, bp.times, bp.depth, bp.lat, bp.lon, bp.ax, bp.periodic, pt, pz, py, px
                )
                bp.dd[p] += dv.degree_days(temp, dt)
    return dx, dy, dz, rx, ry, edge, 0


def parcels_kernels(p: Params, fieldset) -> list:
    fieldset.add_context("mn_egg", windowed(relative_params(p, fieldset.time_interval.left)))
    return [EggBuoyancy]


def EggBuoyancy(particles, fieldset):  # pragma: no cover - executed inside Parcels
    """As :func:`fast_step`, vectorised."""
    e = fieldset.mn_egg
    fa = FieldArrays(e.data, e.times, e.depth, e.lat, e.lon, e.ax, e.periodic)
    moving = (particles.state < 50) & (particles.mn_status == 0)
    if e.hatch_dd > 0:
        egg = moving & (particles.mn_dd < e.hatch_dd - 1e-9)
    else:
        egg = moving & (particles.age - particles.dt < e.hatch_age - 1e-6)
    t, z, y, x, dt = particles.t, particles.z, particles.y, particles.x, np.abs(particles.dt)

    def sink(t, z):
        rho, mu = sample_np(fa, 0, t, z, y, x), sample_np(fa, 1, t, z, y, x)
        return -sw.terminal_velocity(rho, e.density, e.diameter, mu)

    k1 = sink(t, z)
    k2 = sink(t + 0.5 * dt, z + 0.5 * dt * k1)
    k3 = sink(t + 0.5 * dt, z + 0.5 * dt * k2)
    k4 = sink(t + dt, z + dt * k3)
    particles.dz = np.where(egg, particles.dz + (k1 + 2.0 * k2 + 2.0 * k3 + k4) / 6.0 * dt, particles.dz)
    if e.hatch_dd > 0:
        gain = dv.degree_days(sample_np(fa, 2, t, z, y, x), np.abs(particles.dt))
        particles.mn_dd = np.where(egg, particles.mn_dd + gain, particles.mn_dd)
