"""Parcels v4 kernels used by marinenet's Parcels engine.

Kernels live in their own module because Parcels reads their source to validate them.
They are vectorised (``particles`` is a set of particles) and use no Python ``if`` on
arrays.
"""

from __future__ import annotations

import numpy as np
from parcels import StatusCode

# marinenet final-status codes (see marinenet.engine.base.STATUS)
_STRANDED = 1
_OUT_OF_DOMAIN = 2
_ERROR = 3


def _place(fieldset, t, z, y, x):  # pragma: no cover - helper for the coast kernels
    """0 over water, 1 on land, 2 outside the model domain (as the fast engine's ``_place``).

    ``fieldset.landmask`` (1 land, 0 water) and ``fieldset.outside`` (1 outside the model's
    domain) are separate fields, each interpolated bilinearly; positions off the grid (on
    any side: Parcels flags only the east and north ones) are outside. Sampled without the
    particles, so that probing a position sets no particle state."""
    out = (x < fieldset.x_min) | (x > fieldset.x_max) | (y < fieldset.y_min) | (y > fieldset.y_max)
    if fieldset.has_outside:  # (a regular grid has no outside cells: no field to sample)
        out = out | (fieldset.outside[t, z, y, x] >= 0.5)
    return np.where(out, 2, np.where(fieldset.landmask[t, z, y, x] >= 0.5, 1, 0))


def _coast_step(particles, fieldset):  # pragma: no cover - helper for the coast kernels
    """Cut a random-walk step that ends on land to its drift; then which moving particles end on
    land (hit), which the coast touched, which left the domain (edge), which are moving."""
    t, z = particles.t, particles.z
    where = _place(fieldset, t, z, particles.y + particles.dy, particles.x + particles.dx)
    touched = where == 1
    cut = touched & ((particles.mn_rx != 0) | (particles.mn_ry != 0))
    particles.dx = np.where(cut, particles.dx - particles.mn_rx, particles.dx)
    particles.dy = np.where(cut, particles.dy - particles.mn_ry, particles.dy)
    k = np.flatnonzero(cut)  # judged again: only those (sampling fields costs)
    x1, y1 = particles.x + particles.dx, particles.y + particles.dy
    where[k] = _place(fieldset, np.asarray(t)[k], np.asarray(z)[k], y1[k], x1[k])
    moving = particles.mn_status == 0
    edge = (particles.state == StatusCode.ErrorOutOfBounds) | (
        particles.state == StatusCode.ErrorGridSearching
    )
    edge = edge | (particles.state == StatusCode.ErrorThroughSurface)
    edge = moving & (edge | ((where == 2) & (particles.state < 50)))
    hit = (where == 1) & moving & (particles.state < 50) & np.logical_not(edge)
    return hit, touched & moving & np.logical_not(edge), edge, moving


def _stop(particles, edge, strand, moving):  # pragma: no cover - helper for the coast kernels
    """Stop the particles that left the domain or stranded (or met a Parcels error), with their
    status; particles stopped earlier in this step keep theirs (Parcels' own field sampling
    may have flagged their state since)."""
    error = moving & (particles.state >= 50) & np.logical_not(edge)
    code = np.where(edge, _OUT_OF_DOMAIN, np.where(error, _ERROR, np.where(strand, _STRANDED, 0)))
    particles.mn_status = np.where(code > 0, code, particles.mn_status)
    stopped = (code > 0) | np.logical_not(moving)
    particles.state = np.where(stopped, StatusCode.StopExecution, particles.state)


def CoastAndEdge(particles, fieldset):  # pragma: no cover - executed inside Parcels
    """Decide what happens to particles whose step ends on land or outside the model domain.

    Must run after the advection and behaviour kernels. Where the step would end
    (:func:`_place`; the same rule as the fast engine):

    * a step that ends on land because of its random-walk part (``mn_rx``, ``mn_ry``, set by
      :func:`DiffusionSeeded`) keeps only its drift: the coast reflects the random walk
      (the contact is counted), and the drift alone is judged as below;
    * outside the model's domain, off the grid, or Parcels' own out-of-bounds states: the
      particle is stopped and reported ``out_of_domain``;
    * on land: with ``coast_hold == 0`` the particle is stopped at its last wet position and
      reported ``stranded``; with ``coast_hold == 1`` it stays where it is for this step (no
      move) and keeps drifting, and the contact is counted.

    Stopped particles get Parcels' ``StopExecution`` (no position update); the engine
    removes them after the current output interval. Particles already stopped this step
    (finished, arrived) keep their status.
    """
    hit, touched, edge, moving = _coast_step(particles, fieldset)
    hold = hit & (fieldset.coast_hold > 0)
    strand = hit & np.logical_not(hold)
    particles.dx = np.where(hold, 0.0, particles.dx)
    particles.dy = np.where(hold, 0.0, particles.dy)
    particles.mn_coast = particles.mn_coast + np.where(touched & np.logical_not(strand), 1, 0)
    _stop(particles, edge, strand, moving)


def CoastSlipAndEdge(particles, fieldset):  # pragma: no cover - executed inside Parcels
    """Like :func:`CoastAndEdge`, but a drift step that would end on land keeps its along-shore part.

    The coast normal is the gradient of the land mask (central differences over
    ``fieldset.mask_h`` degrees); the step's component along it is removed (in metres, so
    the cos(latitude) metric is respected). If the remaining step still ends on land the
    particle waits where it is. Out-of-domain handling is that of :func:`CoastAndEdge`.
    """
    hit, touched, edge, moving = _coast_step(particles, fieldset)
    t, z, x, y, h = particles.t, particles.z, particles.x, particles.y, fieldset.mask_h
    gx = fieldset.landmask[t, z, y, x + h] - fieldset.landmask[t, z, y, x - h]
    gy = fieldset.landmask[t, z, y + h, x] - fieldset.landmask[t, z, y - h, x]
    coslat = np.cos(np.deg2rad(particles.y))
    nx = gx / coslat  # gradient in metric space (per metre east / north, up to a common factor)
    ny = gy
    norm2 = nx * nx + ny * ny
    ex = particles.dx * coslat
    ey = particles.dy
    along = np.where(norm2 > 0, (ex * nx + ey * ny) / np.where(norm2 > 0, norm2, 1.0), 0.0)
    tx = (ex - along * nx) / coslat
    ty = ey - along * ny
    slide = hit & (fieldset.landmask[t, z, y + ty, x + tx] < 0.5)
    particles.dx = np.where(hit, np.where(slide, tx, 0.0), particles.dx)
    particles.dy = np.where(hit, np.where(slide, ty, 0.0), particles.dy)
    particles.mn_coast = particles.mn_coast + np.where(touched, 1, 0)
    _stop(particles, edge, np.zeros(hit.shape, dtype=bool), moving)


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


# --------------------------------------------------------------------------- biology
_DEAD = 5
_UNSETTLED = 6
_FINISHED = 9  # tracked for its whole duration: reported "active" at the end


def Age(particles, fieldset):  # pragma: no cover - executed inside Parcels
    """Stop particles that were already tracked for ``max_age`` seconds, else advance their age.

    Runs first, so a particle at the end of its tracking time does not make another move.
    """
    done = (particles.age >= fieldset.max_age - 1e-6) & (particles.state < 50) & (particles.mn_status == 0)
    particles.mn_status = np.where(done, _FINISHED, particles.mn_status)
    particles.state = np.where(done, StatusCode.StopExecution, particles.state)
    particles.age = np.where(done, particles.age, particles.age + particles.dt)


def DiffusionSeeded(particles, fieldset):  # pragma: no cover - executed inside Parcels
    """Uniform horizontal diffusion (random walk, Kh in m²/s) with the run's seeded generator.

    Displacement per step: N(0, 2·Kh·dt) metres in each direction, converted to degrees on
    Parcels' sphere. Draws come from ``fieldset.rng`` (a numpy Generator), never from global
    random state, so a seed reproduces them. The random part is kept in ``mn_rx``, ``mn_ry``
    for :func:`CoastAndEdge` (a random-walk step onto land keeps only its drift).
    """
    n = particles.x.size
    sigma = np.sqrt(2.0 * fieldset.Kh * np.abs(particles.dt))
    ex = fieldset.rng.standard_normal(n) * sigma
    ey = fieldset.rng.standard_normal(n) * sigma
    particles.mn_rx = ex / (fieldset.deg2m * np.cos(np.deg2rad(particles.y)))
    particles.mn_ry = ey / fieldset.deg2m
    particles.dx = particles.dx + particles.mn_rx
    particles.dy = particles.dy + particles.mn_ry


def LarvaLife(particles, fieldset):  # pragma: no cover - executed inside Parcels
    """Larval life: end of the PLD, then mortality over the step.

    Ages are those at the start of the step (``age − dt``; :func:`Age` has already advanced
    it), as for every other decision that stops a particle before its move.

    * a larva that has reached the pelagic larval duration (``fieldset.pld``) unsettled is
      reported unsettled (also when the tracking time ends exactly then), before any mortality;
    * mortality over the step it makes: ``mortality_mode == 0`` multiplies a survival ``weight``
      by exp(−m·dt); ``== 1`` removes each larva with probability 1 − exp(−m·dt) (seeded
      generator): dead.

    Settlement is decided between steps on the exact habitat (``marinenet.engine.stepping``),
    so a larva settling or ending its PLD at age a has survived exactly a.
    """
    moving = (particles.state < 50) & (particles.mn_status == 0)
    finished_now = particles.mn_status == _FINISHED
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
    code = np.where(expired, _UNSETTLED, np.where(dies, _DEAD, 0))
    particles.mn_status = np.where(code > 0, code, particles.mn_status)
    particles.state = np.where(code > 0, StatusCode.StopExecution, particles.state)


_ARRIVED = 7


def _toward(particles, fieldset, mode, tx, ty, fx, fy, inside):  # pragma: no cover - helper for Swim
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
    arrived = np.where(mode == 0, dist <= fieldset.arrive_m, inside >= 0.5)
    return ex, ey, arrived


def Swim(particles, fieldset):  # pragma: no cover - executed inside Parcels
    """Swim at ``fieldset.swim_speed`` (m/s) toward the target, adding to the current.

    Direction: toward the target point (initial great-circle bearing) when its mode is 0, or
    down the distance-to-target field (unit vectors ``tdx``, ``tdy``) when 1. From
    ``switch_t`` on (seconds, the fieldset's clock) the second target (``target2_*``,
    ``tdx2``...) is used instead: a seasonal migration. A correlated random walk turns the
    heading by a deviation that persists from step to step (``persistence``, ``turn_sd`` in
    radians). A swimmer within ``arrive_m`` of the target point, or over the target area,
    arrives.
    """
    t, z, y, x = particles.t, particles.z, particles.y, particles.x
    e1x, e1y, arr1 = _toward(
        particles,
        fieldset,
        fieldset.target_mode,
        fieldset.target_x,
        fieldset.target_y,
        fieldset.tdx[t, z, y, x, particles],
        fieldset.tdy[t, z, y, x, particles],
        fieldset.tmask[t, z, y, x, particles],
    )
    e2x, e2y, arr2 = _toward(
        particles,
        fieldset,
        fieldset.target2_mode,
        fieldset.target2_x,
        fieldset.target2_y,
        fieldset.tdx2[t, z, y, x, particles],
        fieldset.tdy2[t, z, y, x, particles],
        fieldset.tmask2[t, z, y, x, particles],
    )
    later = particles.t >= fieldset.switch_t
    ex = np.where(later, e2x, e1x)
    ey = np.where(later, e2y, e1y)
    heading = np.arctan2(ex, ey)  # clockwise from north
    noise = fieldset.rng.standard_normal(particles.x.size)
    particles.dev = (
        fieldset.persistence * particles.dev + np.sqrt(1 - fieldset.persistence**2) * fieldset.turn_sd * noise
    )
    heading = heading + particles.dev
    moving = (particles.state < 50) & (particles.mn_status == 0)
    arrived = moving & np.where(later, arr2, arr1)
    step = fieldset.swim_speed * particles.dt
    particles.dx = particles.dx + np.where(moving, step * np.sin(heading), 0.0) / (
        fieldset.deg2m * np.cos(np.deg2rad(particles.y))
    )
    particles.dy = particles.dy + np.where(moving, step * np.cos(heading), 0.0) / fieldset.deg2m
    particles.mn_status = np.where(arrived, _ARRIVED, particles.mn_status)
    particles.state = np.where(arrived, StatusCode.StopExecution, particles.state)


def KeepBelowSurface(particles, fieldset):  # pragma: no cover - executed inside Parcels
    """3-D runs: a step that would cross the sea surface ends at the top level instead.

    Runs after the advection. Parcels flags a particle whose (intermediate) position is above
    the top level as ``ErrorThroughSurface``; such a step keeps no horizontal part (the RK4
    stages were not all valid) and the particle rises to the top level. The same clamp
    applies to valid steps that would end above it.
    """
    through = particles.state == StatusCode.ErrorThroughSurface
    above = (particles.z + particles.dz) < fieldset.depth_top
    particles.dx = np.where(through, 0.0, particles.dx)
    particles.dy = np.where(through, 0.0, particles.dy)
    particles.dz = np.where(through | above, fieldset.depth_top - particles.z, particles.dz)
    particles.state = np.where(through, StatusCode.Success, particles.state)


def DielMigration(particles, fieldset):  # pragma: no cover - executed inside Parcels
    """Diel vertical migration: head for ``day_depth`` between 06:00 and 18:00 local solar time, else
    ``night_depth``, at most ``vert_speed`` m/s (no overshoot). Local time = UTC + longitude/15 h;
    ``sod0`` is the second of the (UTC) day of the fieldset's time origin.
    """
    local = np.mod(fieldset.sod0 + particles.t + particles.x / 15.0 * 3600.0, 86400.0)
    day = (local >= 6 * 3600.0) & (local < 18 * 3600.0)
    target = np.where(day, fieldset.day_depth, fieldset.night_depth)
    gap = target - (particles.z + particles.dz)
    limit = fieldset.vert_speed * np.abs(particles.dt)
    particles.dz = particles.dz + np.clip(gap, -limit, limit)


def OntogeneticDepth(particles, fieldset):  # pragma: no cover - executed inside Parcels
    """Ontogenetic vertical migration: head for the preferred depth of the particle's age stage
    (``onto_ages`` / ``onto_depths``, ages at the step's start) at most ``vert_speed`` m/s."""
    age0 = particles.age - particles.dt
    stage = np.searchsorted(fieldset.onto_ages, age0 + 1e-6, side="right") - 1
    target = fieldset.onto_depths[np.clip(stage, 0, fieldset.onto_depths.size - 1)]
    gap = target - (particles.z + particles.dz)
    limit = fieldset.vert_speed * np.abs(particles.dt)
    particles.dz = particles.dz + np.clip(gap, -limit, limit)
