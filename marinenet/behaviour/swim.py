"""Swimming to a target (``kind: swimmer``): a point or a zone layer, with an optional seasonal switch.

Swimming at ``speed`` (m/s) toward the target adds to the current; the heading wanders in a
correlated random walk (``persistence``, ``turn_sd``); a swimmer within ``arrive_within`` km of
the target point, or over the target area, is ``arrived``.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import xarray as xr
from numba import njit

from ..engine._common import target_fields
from ..engine._fast_kernels import _bilin, _find, _lonwrap
from ..engine._fast_random import _normal
from .config import ARRIVE_WITHIN_KM, BehaviourConfig
from .status import Status

_ARRIVED = int(Status.ARRIVED)  # (numba: a plain int constant)
NAME = "swim"


class Params(NamedTuple):
    """Swimming as the engines read it (SI units; times in s since the currents' first time)."""

    on: float
    speed: float  # m/s
    mode: float  # 0 target point, 1 target area (down the distance field)
    tx: float
    ty: float
    arrive_m: float
    switch_t: float  # 1e30: no second target
    mode2: float
    tx2: float
    ty2: float
    persistence: float
    turn_sd: float  # radians
    targets: np.ndarray  # (6, lat, lon): tdx, tdy, tmask of the first target, then of the second


OFF = Params(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1e30, 0.0, 0.0, 0.0, 1.0, 0.0, np.zeros((6, 1, 1)))


def params(
    ocean: xr.Dataset,
    speed: float,
    target_point: tuple[float, float] | None = None,
    target_mask: np.ndarray | None = None,
    persistence: float = BehaviourConfig.model_fields["persistence"].default,
    turn_sd: float = 0.0,  # radians (straight to the target)
    arrive_m: float = ARRIVE_WITHIN_KM * 1000.0,
    switch_time: np.datetime64 | None = None,
    target2_point: tuple[float, float] | None = None,
    target2_mask: np.ndarray | None = None,
) -> Params:
    """The compiled form: one target (point or (lat, lon) mask), and from ``switch_time`` a second."""
    has2 = switch_time is not None and (target2_point is not None or target2_mask is not None)
    origin = np.datetime64(ocean["time"].values[0], "ns")
    switch_t = 1e30
    if has2 and switch_time is not None:
        switch_t = float((np.asarray(switch_time).astype("datetime64[ns]") - origin) / np.timedelta64(1, "s"))
    one = target_fields(ocean, target_mask)
    two = target_fields(ocean, target2_mask if has2 else None)
    ny, nx = ocean["land"].shape
    fields = np.stack([one["tdx"], one["tdy"], one["tmask"], two["tdx"], two["tdy"], two["tmask"]])
    x, y = target_point if target_point is not None else (0.0, 0.0)
    x2, y2 = target2_point if target2_point is not None else (0.0, 0.0)
    return Params(
        1.0, float(speed), 0.0 if target_point is not None else 1.0, float(x), float(y), float(arrive_m),
        float(switch_t), 0.0 if (target2_point is not None or not has2) else 1.0, float(x2), float(y2),
        float(persistence), float(turn_sd), np.ascontiguousarray(np.broadcast_to(fields, (6, ny, nx)), float),
    )  # fmt: skip


def from_scenario(scenario, ocean: xr.Dataset, layers) -> Params | None:
    b = scenario.behaviour
    if b.kind != "swimmer":
        return None
    from .targets import target_cells

    first, after = b.target, b.target_after
    return params(
        ocean,
        b.speed,
        target_point=tuple(first.point) if first.point is not None else None,
        target_mask=target_cells(first, layers, ocean, "behaviour.target") if first.point is None else None,
        persistence=b.persistence,
        turn_sd=float(np.deg2rad(b.turn_sd)),
        arrive_m=b.arrive_within * 1000.0,
        switch_time=np.datetime64(after.date, "s") if after is not None else None,
        target2_point=tuple(after.point) if after is not None and after.point is not None else None,
        target2_mask=target_cells(after, layers, ocean, "behaviour.target_after")
        if after is not None and after.point is None
        else None,
    )


def supports(engine: str, ocean: xr.Dataset) -> str | None:
    if engine == "parcels" and ocean.attrs.get("zonal_periodic"):
        return "swimmers on a zonally periodic global grid are not supported on the Parcels engine yet"
    return None


def fast_params(p: Params, ff) -> Params:
    return p._replace(targets=ff.wrap(p.targets))


# ----------------------------------------------------------------------------- fast engine
@njit(cache=True, error_model="numpy", _nrt=False, inline="always")
def _toward(x, y, mode, tx, ty, fx, fy, inside, deg2m, arrive_m):
    """Unit direction (east, north) to a target point (mode 0) or down a distance field (1)."""
    if mode == 0:
        lat1 = math.radians(y)
        lat2 = math.radians(ty)
        dl = math.radians(tx - x)
        bx = math.cos(lat2) * math.sin(dl)
        by = math.cos(lat1) * math.sin(lat2) - math.sin(lat1) * math.cos(lat2) * math.cos(dl)
        a = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dl / 2) ** 2
        a = min(max(a, 0.0), 1.0)
        dist = 2 * math.asin(math.sqrt(a)) * deg2m * 180.0 / math.pi
        return bx, by, dist <= arrive_m
    return fx, fy, inside >= 0.5


@njit(cache=True, error_model="numpy", _nrt=False, inline="always")
def fast_step(
    bp, g, p, gid, k, pt, pa, dt, px, py, pz, dx, dy, dz, rx, ry, edge, through, weight, dev, coast
):
    st = 0
    if bp.on > 0:
        later = pt >= bp.switch_t
        tr = 3 if later else 0
        j, fy = _find(g.lat, g.axes[2], py)
        i, fx = _find(g.lon, g.axes[3], _lonwrap(px, g.lon, g.periodic))
        gx = gy = ins = 0.0
        if j >= 0 and i >= 0:
            gx = _bilin(bp.targets, tr, j, i, fy, fx)
            gy = _bilin(bp.targets, tr + 1, j, i, fy, fx)
            ins = _bilin(bp.targets, tr + 2, j, i, fy, fx)
        if later:
            ex, ey, arrived = _toward(px, py, bp.mode2, bp.tx2, bp.ty2, gx, gy, ins, g.deg2m, bp.arrive_m)
        else:
            ex, ey, arrived = _toward(px, py, bp.mode, bp.tx, bp.ty, gx, gy, ins, g.deg2m, bp.arrive_m)
        heading = math.atan2(ex, ey)
        rho = bp.persistence
        dev[p] = rho * dev[p] + math.sqrt(1 - rho * rho) * bp.turn_sd * _normal(g.seed, gid, k, 0)
        heading += dev[p]
        if arrived:
            st = _ARRIVED
        else:
            coslat = math.cos(math.radians(py))
            step = bp.speed * dt
            dx += step * math.sin(heading) / (g.deg2m * coslat)
            dy += step * math.cos(heading) / g.deg2m
    return dx, dy, dz, rx, ry, edge, st


# ----------------------------------------------------------------------------- Parcels engine
def parcels_fields(p: Params) -> dict[str, np.ndarray]:
    names = ("tdx", "tdy", "tmask", "tdx2", "tdy2", "tmask2")
    return {name: p.targets[i] for i, name in enumerate(names)}


def parcels_kernels(p: Params, fieldset) -> list:
    for name in ("speed", "mode", "tx", "ty", "arrive_m", "switch_t", "mode2", "tx2", "ty2"):
        fieldset.add_context(f"swim_{name}", float(getattr(p, name)))
    fieldset.add_context("persistence", float(p.persistence))
    fieldset.add_context("turn_sd", float(p.turn_sd))
    return [Swim]


def _toward_v(particles, fieldset, mode, tx, ty, fx, fy, inside):  # pragma: no cover - helper for Swim
    """Unit direction (east, north) toward a target, and whether the particle has arrived there."""
    lat1 = np.deg2rad(particles.y)
    lat2 = np.deg2rad(ty)
    dlon = np.deg2rad(tx - particles.x)
    bx = np.cos(lat2) * np.sin(dlon)
    by = np.cos(lat1) * np.sin(lat2) - np.sin(lat1) * np.cos(lat2) * np.cos(dlon)
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin(dlon / 2) ** 2
    dist = 2 * np.arcsin(np.sqrt(np.clip(a, 0, 1))) * fieldset.deg2m * 180.0 / np.pi
    ex = np.where(mode == 0, bx, fx)
    ey = np.where(mode == 0, by, fy)
    arrived = np.where(mode == 0, dist <= fieldset.swim_arrive_m, inside >= 0.5)
    return ex, ey, arrived


def Swim(particles, fieldset):  # pragma: no cover - executed inside Parcels
    """Swim at ``swim_speed`` (m/s) toward the target, adding to the current (as :func:`fast_step`).

    Direction: toward the target point (initial great-circle bearing) when its mode is 0, or
    down the distance-to-target field (``tdx``, ``tdy``) when 1; from ``swim_switch_t`` on the
    second target (``tdx2``...). A correlated random walk turns the heading by a deviation that
    persists from step to step (``persistence``, ``turn_sd`` in radians).
    """
    from parcels import StatusCode

    t, z, y, x = particles.t, particles.z, particles.y, particles.x
    fs = fieldset
    e1x, e1y, arr1 = _toward_v(
        particles, fs, fs.swim_mode, fs.swim_tx, fs.swim_ty,
        fs.tdx[t, z, y, x, particles], fs.tdy[t, z, y, x, particles], fs.tmask[t, z, y, x, particles],
    )  # fmt: skip
    e2x, e2y, arr2 = _toward_v(
        particles, fs, fs.swim_mode2, fs.swim_tx2, fs.swim_ty2,
        fs.tdx2[t, z, y, x, particles], fs.tdy2[t, z, y, x, particles], fs.tmask2[t, z, y, x, particles],
    )  # fmt: skip
    later = particles.t >= fs.swim_switch_t
    heading = np.arctan2(np.where(later, e2x, e1x), np.where(later, e2y, e1y))  # clockwise from north
    noise = fs.rng.standard_normal(particles.x.size)
    particles.dev = fs.persistence * particles.dev + np.sqrt(1 - fs.persistence**2) * fs.turn_sd * noise
    heading = heading + particles.dev
    moving = (particles.state < 50) & (particles.mn_status == 0)
    arrived = moving & np.where(later, arr2, arr1)
    step = fs.swim_speed * particles.dt
    particles.dx = particles.dx + np.where(moving, step * np.sin(heading), 0.0) / (
        fs.deg2m * np.cos(np.deg2rad(particles.y))
    )
    particles.dy = particles.dy + np.where(moving, step * np.cos(heading), 0.0) / fs.deg2m
    particles.mn_status = np.where(arrived, int(Status.ARRIVED), particles.mn_status)
    particles.state = np.where(arrived, StatusCode.StopExecution, particles.state)
