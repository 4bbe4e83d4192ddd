"""Compiled (numba) particle stepping for the fast engine.

One function, :func:`advance`, moves every particle from its own time to ``t_end``. The
loop runs particle by particle (``prange``: one thread per block of particles), each
particle doing all its steps in registers, which is where the speed comes from.

What a step does mirrors the Parcels engine kernel by kernel (same order, same formulas):
``Age`` → RK4 advection (trilinear in time, depth, latitude, longitude; XLinear) →
swimming → diffusion → diel migration → keep below the surface → coast and edge → larval
life → position update. Random numbers come from a counter-based generator keyed by
(seed, particle id, step, draw), so a particle's draws do not depend on which batch,
thread or process moves it: batched, resumed and distributed runs give identical results.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

# parameter vector indices (``prm``)
P_DT = 0
P_MAX_AGE = 1
P_DEG2M = 2
P_COAST = 3  # 0 stop, 1 previous, 2 slip
P_KH = 4
P_SEED = 5
P_PERIODIC = 6
P_LARVA = 7
P_PLD = 8
P_COMP_MIN = 9
P_COMP_MAX = 10
P_MORT = 11
P_MORT_MODE = 12
P_SWIM = 13
P_SWIM_SPEED = 14
P_TMODE = 15
P_TX = 16
P_TY = 17
P_ARRIVE = 18
P_SWITCH_T = 19
P_T2MODE = 20
P_T2X = 21
P_T2Y = 22
P_PERSIST = 23
P_TURN_SD = 24
P_MIGR = 25
P_SOD0 = 26
P_DAY_DEPTH = 27
P_NIGHT_DEPTH = 28
P_VSPEED = 29
P_MASK_H = 30
P_HAS_W = 31
N_PARAMS = 32

# final-status codes (marinenet.engine.base.STATUS) and the internal "tracked to the end"
ST_STRANDED = 1
ST_OUT = 2
ST_SETTLED = 4
ST_DEAD = 5
ST_UNSETTLED = 6
ST_ARRIVED = 7
ST_FINISHED = 9


# ----------------------------------------------------------------------- random numbers
@njit(cache=True)
def _mix(z):
    """splitmix64 finaliser (uint64 → uint64, wrapping arithmetic)."""
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


@njit(cache=True)
def _uniform(seed, pid, step, k):
    """Uniform in (0, 1) from the counter (seed, particle, step, draw)."""
    h = _mix(np.uint64(seed) + np.uint64(0x9E3779B97F4A7C15))
    h = _mix(h ^ np.uint64(pid))
    h = _mix(h ^ (np.uint64(step) * np.uint64(0x100000001B3)))
    h = _mix(h ^ np.uint64(k))
    return ((h >> np.uint64(11)) + np.uint64(1)) * (1.0 / 9007199254740994.0)


@njit(cache=True)
def _normal(seed, pid, step, k):
    """Standard normal (Box–Muller on two counter draws)."""
    u1 = _uniform(seed, pid, step, 2 * k)
    u2 = _uniform(seed, pid, step, 2 * k + 1)
    return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)


# ----------------------------------------------------------------------- interpolation
@njit(cache=True)
def _find(arr, v):
    """Index i with arr[i] < v <= arr[i+1] (numpy ``searchsorted(left) - 1``, clipped) and the
    fraction along the cell; -1 when v is outside [arr[0], arr[-1]]."""
    n = arr.size
    if n < 2:
        return 0, 0.0
    if v < arr[0] or v > arr[n - 1]:
        return -1, 0.0
    d = (arr[n - 1] - arr[0]) / (n - 1)
    i = int((v - arr[0]) / d)
    if i > n - 2:
        i = n - 2
    if i < 0:
        i = 0
    while i > 0 and arr[i] >= v:
        i -= 1
    while i < n - 2 and arr[i + 1] < v:
        i += 1
    return i, (v - arr[i]) / (arr[i + 1] - arr[i])


@njit(cache=True)
def _bilin(f, k, j, i, fy, fx):
    return (
        (1.0 - fx) * (1.0 - fy) * f[k, j, i]
        + fx * (1.0 - fy) * f[k, j, i + 1]
        + (1.0 - fx) * fy * f[k, j + 1, i]
        + fx * fy * f[k, j + 1, i + 1]
    )


@njit(cache=True)
def _lonwrap(x, lon, periodic):
    if periodic:
        return lon[0] + (x - lon[0]) % 360.0
    return x


@njit(cache=True)
def _sample4(F, times, depth, lat, lon, periodic, t, z, y, x):
    """XLinear value of a (time, depth, lat, lon) field; NaN when outside the grid."""
    ti, tau = _find(times, t)
    if ti < 0:
        ti, tau = (0, 0.0) if t < times[0] else (times.size - 2, 1.0)
        if times.size < 2:
            ti = 0
    zi, fz = _find(depth, z)
    j, fy = _find(lat, y)
    i, fx = _find(lon, _lonwrap(x, lon, periodic))
    if zi < 0 or j < 0 or i < 0:
        return np.nan
    nz = depth.size
    a = _bilin(F[ti], zi, j, i, fy, fx)
    if nz > 1 and fz > 0.0:
        a = (1.0 - fz) * a + fz * _bilin(F[ti], zi + 1, j, i, fy, fx)
    if times.size > 1 and tau > 0.0:
        b = _bilin(F[ti + 1], zi, j, i, fy, fx)
        if nz > 1 and fz > 0.0:
            b = (1.0 - fz) * b + fz * _bilin(F[ti + 1], zi + 1, j, i, fy, fx)
        a = (1.0 - tau) * a + tau * b
    return a


@njit(cache=True)
def _sample3(F, depth, lat, lon, periodic, z, y, x):
    """Linear value of a static (depth, lat, lon) field; NaN outside the grid."""
    zi, fz = _find(depth, z)
    j, fy = _find(lat, y)
    i, fx = _find(lon, _lonwrap(x, lon, periodic))
    if zi < 0 or j < 0 or i < 0:
        return np.nan
    a = _bilin(F, zi, j, i, fy, fx)
    if depth.size > 1 and fz > 0.0:
        a = (1.0 - fz) * a + fz * _bilin(F, zi + 1, j, i, fy, fx)
    return a


@njit(cache=True)
def _velocity(U, V, W, times, depth, lat, lon, periodic, has_w, deg2m, t, z, y, x):
    """(deg/s east, deg/s north, m/s down) at a point; ok=False outside the grid."""
    u = _sample4(U, times, depth, lat, lon, periodic, t, z, y, x)
    if math.isnan(u):
        return 0.0, 0.0, 0.0, False
    v = _sample4(V, times, depth, lat, lon, periodic, t, z, y, x)
    w = 0.0
    if has_w:
        w = -_sample4(W, times, depth, lat, lon, periodic, t, z, y, x)  # upward → depth rate
    return u / (deg2m * math.cos(math.radians(y))), v / deg2m, w, True


@njit(cache=True)
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


# ----------------------------------------------------------------------- the stepper
@njit(parallel=True, cache=True)
def advance(  # noqa: PLR0913, PLR0915 - one flat signature keeps numba's compile simple
    x, y, z, t, age, status, weight, dev, coast, nstep, pid,
    t_end, prm,
    U, V, W, mask, habitat, targets,
    times, depth, lat, lon,
):  # fmt: skip
    """Advance every particle with ``status == 0`` and ``t < t_end`` up to ``t_end``.

    Arrays are per particle and updated in place. ``mask`` is (depth, lat, lon): 0 water,
    1 land, 3 outside the model domain; ``habitat`` (lat, lon) ≥ 0.5 where competent larvae
    settle; ``targets`` (6, lat, lon): tdx, tdy, tmask and the same for the second target.
    """
    n = x.size
    dt0 = prm[P_DT]
    deg2m = prm[P_DEG2M]
    coast_mode = int(prm[P_COAST])
    kh = prm[P_KH]
    seed = np.int64(prm[P_SEED])
    periodic = prm[P_PERIODIC] > 0
    has_w = prm[P_HAS_W] > 0
    three = depth.size > 1
    top = depth[0]
    h = prm[P_MASK_H]
    for p in prange(n):
        if status[p] != 0:
            continue
        px, py, pt, pa = x[p], y[p], t[p], age[p]
        pz = z[p] if three else depth[0]
        st = 0
        while pt < t_end:
            last = t_end - pt <= dt0
            dt = t_end - pt if last else dt0
            # --- Age: a particle tracked for its whole time stops before moving again
            if pa >= prm[P_MAX_AGE] - 1e-6:
                st = ST_FINISHED
                if prm[P_LARVA] > 0 and pa >= prm[P_PLD] - 1e-6:
                    st = ST_UNSETTLED
                break
            pa += dt
            k = nstep[p]
            nstep[p] = k + 1
            # --- RK4
            edge = False
            through = False
            u1, v1, w1, ok1 = _velocity(
                U, V, W, times, depth, lat, lon, periodic, has_w, deg2m, pt, pz, py, px
            )
            xs, ys, zs = px + u1 * 0.5 * dt, py + v1 * 0.5 * dt, pz + w1 * 0.5 * dt
            u2, v2, w2, ok2 = _velocity(
                U, V, W, times, depth, lat, lon, periodic, has_w, deg2m, pt + 0.5 * dt, zs, ys, xs
            )
            through = through or (three and zs < top)
            xs, ys, zs = px + u2 * 0.5 * dt, py + v2 * 0.5 * dt, pz + w2 * 0.5 * dt
            u3, v3, w3, ok3 = _velocity(
                U, V, W, times, depth, lat, lon, periodic, has_w, deg2m, pt + 0.5 * dt, zs, ys, xs
            )
            through = through or (three and zs < top)
            xs, ys, zs = px + u3 * dt, py + v3 * dt, pz + w3 * dt
            u4, v4, w4, ok4 = _velocity(
                U, V, W, times, depth, lat, lon, periodic, has_w, deg2m, pt + dt, zs, ys, xs
            )
            through = through or (three and zs < top)
            if not (ok1 and ok2 and ok3 and ok4):
                edge = not through
            dx = (u1 + 2 * u2 + 2 * u3 + u4) / 6.0 * dt
            dy = (v1 + 2 * v2 + 2 * v3 + v4) / 6.0 * dt
            dz = (w1 + 2 * w2 + 2 * w3 + w4) / 6.0 * dt
            coslat = math.cos(math.radians(py))
            # --- swimming (adds to the current; may arrive)
            if prm[P_SWIM] > 0:
                later = pt >= prm[P_SWITCH_T]
                tr = 3 if later else 0
                j, fy = _find(lat, py)
                i, fx = _find(lon, _lonwrap(px, lon, periodic))
                gx = gy = ins = 0.0
                if j >= 0 and i >= 0:
                    gx = _bilin(targets, tr, j, i, fy, fx)
                    gy = _bilin(targets, tr + 1, j, i, fy, fx)
                    ins = _bilin(targets, tr + 2, j, i, fy, fx)
                if later:
                    ex, ey, arrived = _toward(
                        px, py, prm[P_T2MODE], prm[P_T2X], prm[P_T2Y], gx, gy, ins, deg2m, prm[P_ARRIVE]
                    )
                else:
                    ex, ey, arrived = _toward(
                        px, py, prm[P_TMODE], prm[P_TX], prm[P_TY], gx, gy, ins, deg2m, prm[P_ARRIVE]
                    )
                heading = math.atan2(ex, ey)
                rho = prm[P_PERSIST]
                dev[p] = rho * dev[p] + math.sqrt(1 - rho * rho) * prm[P_TURN_SD] * _normal(
                    seed, p_id(pid, p), k, 0
                )
                heading += dev[p]
                if arrived:
                    st = ST_ARRIVED
                    break
                step = prm[P_SWIM_SPEED] * dt
                dx += step * math.sin(heading) / (deg2m * coslat)
                dy += step * math.cos(heading) / deg2m
            # --- diffusion
            if kh > 0:
                sigma = math.sqrt(2.0 * kh * dt)
                dx += _normal(seed, p_id(pid, p), k, 1) * sigma / (deg2m * coslat)
                dy += _normal(seed, p_id(pid, p), k, 2) * sigma / deg2m
            # --- diel vertical migration
            if prm[P_MIGR] > 0:
                local = (prm[P_SOD0] + pt + px / 15.0 * 3600.0) % 86400.0
                target = prm[P_DAY_DEPTH] if 6 * 3600.0 <= local < 18 * 3600.0 else prm[P_NIGHT_DEPTH]
                lim = prm[P_VSPEED] * dt
                dz += min(max(target - (pz + dz), -lim), lim)
            # --- keep below the surface
            if three:
                if through:
                    dx = 0.0
                    dy = 0.0
                    dz = top - pz
                elif pz + dz < top:
                    dz = top - pz
            # --- coast and edge
            if not edge:
                m = _sample3(mask, depth, lat, lon, periodic, pz, py + dy, px + dx)
                if math.isnan(m) or m >= 1.5:
                    edge = True
                elif m >= 0.5:
                    if coast_mode == 0:
                        st = ST_STRANDED
                        break
                    coast[p] += 1
                    if coast_mode == 1:
                        dx = 0.0
                        dy = 0.0
                    else:  # slip: keep the part of the step along the coast
                        gxm = _sample3(mask, depth, lat, lon, periodic, pz, py, px + h) - _sample3(
                            mask, depth, lat, lon, periodic, pz, py, px - h
                        )
                        gym = _sample3(mask, depth, lat, lon, periodic, pz, py + h, px) - _sample3(
                            mask, depth, lat, lon, periodic, pz, py - h, px
                        )
                        nx = gxm / coslat
                        ny = gym
                        norm2 = nx * nx + ny * ny
                        exm = dx * coslat
                        eym = dy
                        along = (exm * nx + eym * ny) / norm2 if norm2 > 0 else 0.0
                        tx = (exm - along * nx) / coslat
                        ty = eym - along * ny
                        m2 = _sample3(mask, depth, lat, lon, periodic, pz, py + ty, px + tx)
                        if m2 < 0.5:
                            dx, dy = tx, ty
                        else:
                            dx = 0.0
                            dy = 0.0
            if edge:
                st = ST_OUT
                break
            # --- larval life: mortality, settlement, end of the PLD (ages at the step's start)
            if prm[P_LARVA] > 0:
                age0 = pa - dt
                mrate = prm[P_MORT] * dt
                if prm[P_MORT_MODE] == 0:
                    weight[p] *= math.exp(-mrate)
                if age0 >= prm[P_PLD] - 1e-6:
                    st = ST_UNSETTLED
                    break
                if prm[P_MORT_MODE] == 1 and _uniform(seed, p_id(pid, p), k, 7) < 1.0 - math.exp(-mrate):
                    st = ST_DEAD
                    break
                if prm[P_COMP_MIN] - 1e-6 <= age0 <= prm[P_COMP_MAX] + 1e-6:
                    j, fy = _find(lat, py)
                    i, fx = _find(lon, _lonwrap(px, lon, periodic))
                    if j >= 0 and i >= 0 and _bilin(habitat, 0, j, i, fy, fx) >= 0.5:
                        st = ST_SETTLED
                        break
            # --- position update
            px += dx
            py += dy
            pz += dz
            pt = t_end if last else pt + dt
        x[p], y[p], t[p], age[p] = px, py, pt, pa
        if three:
            z[p] = pz
        status[p] = st


@njit(cache=True)
def p_id(pid, p):
    """Global particle id of local index ``p`` (batches keep their ids)."""
    return pid[p]
