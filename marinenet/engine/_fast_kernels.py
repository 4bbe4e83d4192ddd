"""Compiled (numba) particle stepping for the fast engine.

Performance notes (measured; see scripts/bench_engine.py): helpers run without numba's
reference counting (``_nrt=False``: nothing here allocates); the hot interpolation is
written out flat and the small helpers on the RK4 path are inlined at numba IR level
(``inline="always"``), which costs ~30 s of one-off compile (cached on disk) and gains
~25 %; calling them gave ~100 ns of overhead per velocity sample.

One function, :func:`advance`, moves every particle from its own time to ``t_end``. The
loop runs particle by particle (``prange``: one thread per block of particles), each
particle doing all its steps in registers, which is where the speed comes from.

What a step does mirrors the Parcels engine kernel by kernel (same order, same formulas):
``Age`` → RK4 advection (trilinear in time, depth, latitude, longitude; XLinear) →
swimming → diffusion → diel or ontogenetic migration → keep below the surface → coast and edge → larval
life (PLD, mortality) → position update. Settlement is decided between steps, in Python, on
the exact habitat polygons (:mod:`marinenet.engine.stepping`). Random numbers come from a
counter-based generator keyed by (seed, particle id, step, draw), so a particle's draws do not
depend on which batch, thread or process moves it: batched, resumed and distributed runs give
identical results.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from ._fast_random import _normal, _uniform

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
P_ONTO = 32  # ontogenetic depth stages: count, then up to 8 start ages and 8 depths
P_ONTO_AGE = 33
P_ONTO_DEPTH = 41
N_PARAMS = 49

# final-status codes (marinenet.engine.base.STATUS) and the internal "tracked to the end"
ST_STRANDED = 1
ST_OUT = 2
ST_SETTLED = 4
ST_DEAD = 5
ST_UNSETTLED = 6
ST_ARRIVED = 7
ST_FINISHED = 9


# ----------------------------------------------------------------------- interpolation
@njit(cache=True, error_model="numpy", _nrt=False)
def _axis(arr):
    """(first value, 1/spacing, 1.0 if evenly spaced else 0.0) of a coordinate axis."""
    n = arr.size
    if n < 2:
        return (arr[0] if n else 0.0, 0.0, 0.0)
    d = (arr[n - 1] - arr[0]) / (n - 1)
    even = 1.0
    for k in range(n):
        if abs(arr[k] - (arr[0] + k * d)) > 1e-9 * abs(d):
            even = 0.0
            break
    return (arr[0], 1.0 / d, even)


@njit(cache=True, error_model="numpy", _nrt=False, inline="always")
def _find(arr, ax, v):
    """Index i with arr[i] < v <= arr[i+1] (numpy ``searchsorted(left) - 1``, clipped) and the
    fraction along the cell; -1 when v is outside [arr[0], arr[-1]]. ``ax`` is :func:`_axis`:
    evenly spaced axes are indexed by arithmetic (no search, no division)."""
    n = arr.size
    if n < 2:
        return 0, 0.0
    if v < arr[0] or v > arr[n - 1]:
        return -1, 0.0
    r = (v - ax[0]) * ax[1]
    i = int(r)
    if i > n - 2:
        i = n - 2
    if ax[2] > 0.0:
        return i, r - i
    while i > 0 and arr[i] >= v:
        i -= 1
    while i < n - 2 and arr[i + 1] < v:
        i += 1
    return i, (v - arr[i]) / (arr[i + 1] - arr[i])


@njit(cache=True, error_model="numpy", _nrt=False)
def _bilin(f, k, j, i, fy, fx):
    return (
        (1.0 - fx) * (1.0 - fy) * f[k, j, i]
        + fx * (1.0 - fy) * f[k, j, i + 1]
        + (1.0 - fx) * fy * f[k, j + 1, i]
        + fx * fy * f[k, j + 1, i + 1]
    )


@njit(cache=True, error_model="numpy", _nrt=False, inline="always")
def _lonwrap(x, lon, periodic):
    if periodic:
        return lon[0] + (x - lon[0]) % 360.0
    return x


@njit(cache=True, error_model="numpy", _nrt=False)
def _bilin4(F, ti, k, j, i, fy, fx):
    return (
        (1.0 - fx) * (1.0 - fy) * F[ti, k, j, i]
        + fx * (1.0 - fy) * F[ti, k, j, i + 1]
        + (1.0 - fx) * fy * F[ti, k, j + 1, i]
        + fx * fy * F[ti, k, j + 1, i + 1]
    )


@njit(cache=True, error_model="numpy", _nrt=False)
def _interp(F, ti, tau, zi, fz, j, fy, i, fx):
    """XLinear: bilinear in lon/lat, then linear in depth, then in time (weights as Parcels)."""
    a = _bilin4(F, ti, zi, j, i, fy, fx)
    if fz > 0.0:
        a = (1.0 - fz) * a + fz * _bilin4(F, ti, zi + 1, j, i, fy, fx)
    if tau > 0.0:
        b = _bilin4(F, ti + 1, zi, j, i, fy, fx)
        if fz > 0.0:
            b = (1.0 - fz) * b + fz * _bilin4(F, ti + 1, zi + 1, j, i, fy, fx)
        a = (1.0 - tau) * a + tau * b
    return a


@njit(cache=True, error_model="numpy", _nrt=False, inline="always")
def _time_index(times, at, t):
    """Time cell and weight; times outside the forcing use its first or last field."""
    if times.size < 2:
        return 0, 0.0
    ti, tau = _find(times, at, t)
    if ti < 0:  # (no conditional expression here: numba compiles that 10x slower)
        if t < times[0]:
            return 0, 0.0
        return times.size - 2, 1.0
    return ti, tau


@njit(cache=True, error_model="numpy", _nrt=False)
def _sample3(F, depth, lat, lon, axes, periodic, z, y, x):
    """Linear value of a static (depth, lat, lon) field; NaN outside the grid."""
    zi, fz = _find(depth, axes[1], z)
    j, fy = _find(lat, axes[2], y)
    i, fx = _find(lon, axes[3], _lonwrap(x, lon, periodic))
    if zi < 0 or j < 0 or i < 0:
        return np.nan
    c00 = (1.0 - fx) * (1.0 - fy)
    c01 = fx * (1.0 - fy)
    c10 = (1.0 - fx) * fy
    c11 = fx * fy
    a = c00 * F[zi, j, i] + c01 * F[zi, j, i + 1] + c10 * F[zi, j + 1, i] + c11 * F[zi, j + 1, i + 1]
    if depth.size > 1 and fz > 0.0:
        k = zi + 1
        b = c00 * F[k, j, i] + c01 * F[k, j, i + 1] + c10 * F[k, j + 1, i] + c11 * F[k, j + 1, i + 1]
        a = (1.0 - fz) * a + fz * b
    return a


@njit(cache=True, error_model="numpy", _nrt=False, inline="always")
def _velocity(U, V, W, depth, lat, lon, axes, periodic, has_w, deg2m, ti, tau, z, y, x):
    """(deg/s east, deg/s north, m/s down) at a point; ok=False outside the grid.

    ``ti``, ``tau``: the time cell and weight (:func:`_time_index`), shared by RK4 stages."""
    zi, fz = _find(depth, axes[1], z)
    j, fy = _find(lat, axes[2], y)
    i, fx = _find(lon, axes[3], _lonwrap(x, lon, periodic))
    if zi < 0 or j < 0 or i < 0:
        return 0.0, 0.0, 0.0, False
    w = 0.0
    if depth.size == 1:  # surface: written out flat (the hot path; numba calls cost more than this)
        c00 = (1.0 - fx) * (1.0 - fy)
        c01 = fx * (1.0 - fy)
        c10 = (1.0 - fx) * fy
        c11 = fx * fy
        u = (
            c00 * U[ti, 0, j, i]
            + c01 * U[ti, 0, j, i + 1]
            + c10 * U[ti, 0, j + 1, i]
            + c11 * U[ti, 0, j + 1, i + 1]
        )
        v = (
            c00 * V[ti, 0, j, i]
            + c01 * V[ti, 0, j, i + 1]
            + c10 * V[ti, 0, j + 1, i]
            + c11 * V[ti, 0, j + 1, i + 1]
        )
        if tau > 0.0:
            k = ti + 1
            u1 = (
                c00 * U[k, 0, j, i]
                + c01 * U[k, 0, j, i + 1]
                + c10 * U[k, 0, j + 1, i]
                + c11 * U[k, 0, j + 1, i + 1]
            )
            v1 = (
                c00 * V[k, 0, j, i]
                + c01 * V[k, 0, j, i + 1]
                + c10 * V[k, 0, j + 1, i]
                + c11 * V[k, 0, j + 1, i + 1]
            )
            u = (1.0 - tau) * u + tau * u1
            v = (1.0 - tau) * v + tau * v1
    else:
        u = _interp(U, ti, tau, zi, fz, j, fy, i, fx)
        v = _interp(V, ti, tau, zi, fz, j, fy, i, fx)
        if has_w:
            w = -_interp(W, ti, tau, zi, fz, j, fy, i, fx)  # upward → depth rate
    return u / (deg2m * math.cos(math.radians(y))), v / deg2m, w, True


@njit(cache=True, error_model="numpy", _nrt=False)
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


@njit(cache=True, error_model="numpy", _nrt=False)
def _place(landm, outm, has_out, depth, lat, lon, axes, periodic, z, y, x):
    """0 water, 1 land, 2 outside the model domain (off the grid or outside share >= 0.5; else land
    share >= 0.5): land and outside are separate bilinear 0/1 fields, never one 0/1/3 code."""
    if has_out:
        o = _sample3(outm, depth, lat, lon, axes, periodic, z, y, x)
        if o >= 0.5:
            return 2
    m = _sample3(landm, depth, lat, lon, axes, periodic, z, y, x)
    if math.isnan(m):  # off the grid
        return 2
    return 1 if m >= 0.5 else 0


# ----------------------------------------------------------------------- the stepper
@njit(cache=True, error_model="numpy", _nrt=False)
def _track(  # noqa: PLR0913, PLR0915 - flat arguments keep numba simple
    p, x, y, z, t, age, status, weight, dev, coast, nstep, pid,
    t_end, prm,
    U, V, W, mask, habitat, targets,
    times, depth, lat, lon, axg,
):  # fmt: skip
    """Move particle ``p`` from its time to ``t_end`` (see :func:`advance`)."""
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
    landm, outm, has_out = mask[0], mask[mask.shape[0] - 1], mask.shape[0] > 1
    count = coast.size == x.size  # coast contacts are counted (else a 1-element placeholder)
    axes = (
        (axg[0, 0], axg[0, 1], axg[0, 2]),
        (axg[1, 0], axg[1, 1], axg[1, 2]),
        (axg[2, 0], axg[2, 1], axg[2, 2]),
        (axg[3, 0], axg[3, 1], axg[3, 2]),
    )
    px, py, pt, pa = x[p], y[p], t[p], age[p]
    gid = pid[p]  # the particle's global id keys its random numbers
    pz = z[p] if three else depth[0]
    st = 0
    ns = nstep[p]
    need_cos = prm[P_SWIM] > 0 or kh > 0 or coast_mode == 2
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
        k = ns
        ns += 1
        # --- RK4 (the time cells of its three stage times, found once)
        ti0, tau0 = _time_index(times, axes[0], pt)
        tih, tauh = _time_index(times, axes[0], pt + 0.5 * dt)
        ti1, tau1 = _time_index(times, axes[0], pt + dt)
        edge = False
        through = False
        u1, v1, w1, ok1 = _velocity(
            U, V, W, depth, lat, lon, axes, periodic, has_w, deg2m, ti0, tau0, pz, py, px
        )
        xs, ys, zs = px + u1 * 0.5 * dt, py + v1 * 0.5 * dt, pz + w1 * 0.5 * dt
        u2, v2, w2, ok2 = _velocity(
            U, V, W, depth, lat, lon, axes, periodic, has_w, deg2m, tih, tauh, zs, ys, xs
        )
        through = through or (three and zs < top)
        xs, ys, zs = px + u2 * 0.5 * dt, py + v2 * 0.5 * dt, pz + w2 * 0.5 * dt
        u3, v3, w3, ok3 = _velocity(
            U, V, W, depth, lat, lon, axes, periodic, has_w, deg2m, tih, tauh, zs, ys, xs
        )
        through = through or (three and zs < top)
        xs, ys, zs = px + u3 * dt, py + v3 * dt, pz + w3 * dt
        u4, v4, w4, ok4 = _velocity(
            U, V, W, depth, lat, lon, axes, periodic, has_w, deg2m, ti1, tau1, zs, ys, xs
        )
        through = through or (three and zs < top)
        if not (ok1 and ok2 and ok3 and ok4):
            edge = not through
        dx = (u1 + 2 * u2 + 2 * u3 + u4) / 6.0 * dt
        dy = (v1 + 2 * v2 + 2 * v3 + v4) / 6.0 * dt
        dz = (w1 + 2 * w2 + 2 * w3 + w4) / 6.0 * dt
        coslat = math.cos(math.radians(py)) if need_cos else 1.0
        # --- swimming (adds to the current; may arrive)
        if prm[P_SWIM] > 0:
            later = pt >= prm[P_SWITCH_T]
            tr = 3 if later else 0
            j, fy = _find(lat, axes[2], py)
            i, fx = _find(lon, axes[3], _lonwrap(px, lon, periodic))
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
            dev[p] = rho * dev[p] + math.sqrt(1 - rho * rho) * prm[P_TURN_SD] * _normal(seed, gid, k, 0)
            heading += dev[p]
            if arrived:
                st = ST_ARRIVED
                break
            step = prm[P_SWIM_SPEED] * dt
            dx += step * math.sin(heading) / (deg2m * coslat)
            dy += step * math.cos(heading) / deg2m
        # --- diffusion
        rx = ry = 0.0  # the random-walk part of the step (see coast and edge)
        if kh > 0:
            sigma = math.sqrt(2.0 * kh * dt)
            rx = _normal(seed, gid, k, 1) * sigma / (deg2m * coslat)
            ry = _normal(seed, gid, k, 2) * sigma / deg2m
            dx, dy = dx + rx, dy + ry
        # --- diel vertical migration
        if prm[P_MIGR] > 0:
            local = (prm[P_SOD0] + pt + px / 15.0 * 3600.0) % 86400.0
            target = prm[P_DAY_DEPTH] if 6 * 3600.0 <= local < 18 * 3600.0 else prm[P_NIGHT_DEPTH]
            lim = prm[P_VSPEED] * dt
            dz += min(max(target - (pz + dz), -lim), lim)
        # --- ontogenetic vertical migration: the depth of the age stage (age at the step's start)
        if prm[P_ONTO] > 0:
            target = prm[P_ONTO_DEPTH]
            for q in range(int(prm[P_ONTO])):
                if pa - dt + 1e-6 >= prm[P_ONTO_AGE + q]:
                    target = prm[P_ONTO_DEPTH + q]
            lim = prm[P_VSPEED] * dt
            dz += min(max(target - (pz + dz), -lim), lim)
        # --- keep below the surface
        if three:
            if through:
                dx = dy = rx = ry = 0.0
                dz = top - pz
            elif pz + dz < top:
                dz = top - pz
        # --- coast and edge (see :func:`_place`); a random-walk step onto land keeps only its drift
        if not edge:
            where = _place(landm, outm, has_out, depth, lat, lon, axes, periodic, pz, py + dy, px + dx)
            touched = where == 1
            if touched and (rx != 0.0 or ry != 0.0):
                dx -= rx
                dy -= ry
                where = _place(landm, outm, has_out, depth, lat, lon, axes, periodic, pz, py + dy, px + dx)
            if where == 1 and coast_mode == 0:
                st = ST_STRANDED
                break
            if where == 2:
                edge = True
            elif touched and count:
                coast[p] += 1
            if where == 1:  # previous or slip
                if coast_mode == 1:
                    dx = dy = 0.0
                else:  # slip: keep the part of the step along the coast
                    gxm = _sample3(landm, depth, lat, lon, axes, periodic, pz, py, px + h) - _sample3(
                        landm, depth, lat, lon, axes, periodic, pz, py, px - h
                    )
                    gym = _sample3(landm, depth, lat, lon, axes, periodic, pz, py + h, px) - _sample3(
                        landm, depth, lat, lon, axes, periodic, pz, py - h, px
                    )
                    nx = gxm / coslat
                    ny = gym
                    norm2 = nx * nx + ny * ny
                    exm = dx * coslat
                    eym = dy
                    along = (exm * nx + eym * ny) / norm2 if norm2 > 0 else 0.0
                    tx = (exm - along * nx) / coslat
                    ty = eym - along * ny
                    m2 = _sample3(landm, depth, lat, lon, axes, periodic, pz, py + ty, px + tx)
                    if m2 < 0.5:
                        dx, dy = tx, ty
                    else:
                        dx = dy = 0.0
        if edge:
            st = ST_OUT
            break
        # --- larval life (age at the step's start): at the PLD unsettled, before any mortality;
        #     else mortality over the step it makes. Settlement is decided between steps
        #     (engine/stepping.py), so a larva that settles or ends its PLD at age a has survived exactly a.
        if prm[P_LARVA] > 0:
            if pa - dt >= prm[P_PLD] - 1e-6:
                st = ST_UNSETTLED
                break
            mrate = prm[P_MORT] * dt
            if prm[P_MORT_MODE] == 0:
                weight[p] *= math.exp(-mrate)
            if prm[P_MORT_MODE] == 1 and _uniform(seed, gid, k, 7) < 1.0 - math.exp(-mrate):
                st = ST_DEAD
                break
        # --- position update
        px += dx
        py += dy
        pz += dz
        pt = t_end if last else pt + dt
    x[p], y[p], t[p], age[p] = px, py, pt, pa
    nstep[p] = ns
    if three:
        z[p] = pz
    status[p] = st


@njit(parallel=True, cache=True, error_model="numpy")
def advance(  # noqa: PLR0913, PLR0915 - one flat signature keeps numba's compile simple
    x, y, z, t, age, status, weight, dev, coast, nstep, pid,
    t_end, prm,
    U, V, W, mask, habitat, targets,
    times, depth, lat, lon,
):  # fmt: skip
    """Advance every particle with ``status == 0`` and ``t < t_end`` up to ``t_end``.

    Arrays are per particle and updated in place. ``mask`` is (1 or 2, depth, lat, lon): land
    (1) or water (0), then, where the grid has any, outside the model domain (1); ``habitat`` is
    unused (settlement is decided between steps, see :mod:`marinenet.engine.stepping`);
    ``targets`` (6, lat, lon): tdx, tdy, tmask and the same for the second target.
    """
    n = x.size
    axg = np.empty((4, 3))
    for r, arr in enumerate((times, depth, lat, lon)):
        axg[r, 0], axg[r, 1], axg[r, 2] = _axis(arr)
    for p in prange(n):
        if status[p] == 0:
            _track(
                p, x, y, z, t, age, status, weight, dev, coast, nstep, pid, t_end, prm,
                U, V, W, mask, habitat, targets, times, depth, lat, lon, axg,
            )  # fmt: skip
