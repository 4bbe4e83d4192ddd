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


def CoastAndEdge(particles, fieldset):  # pragma: no cover - executed inside Parcels
    """Decide what happens to particles whose step ends on land or outside the model domain.

    Must run after the advection kernel. ``fieldset.landmask`` is 0 over water, 1 on land
    and 3 outside the model's domain, interpolated bilinearly and sampled where the
    particle is about to move to:

    * >= 1.5 (nearer outside than water), or Parcels' own out-of-bounds states: the
      particle is stopped and reported ``out_of_domain``;
    * 0.5 .. 1.5 (nearer land than water): with ``coast_hold == 0`` the particle is stopped
      at its last wet position and reported ``stranded``; with ``coast_hold == 1`` it stays
      where it is for this step (no move) and keeps drifting, and the contact is counted.

    Stopped particles get Parcels' ``StopExecution`` (no position update); the engine
    removes them after the current output interval.
    """
    mask = fieldset.landmask[
        particles.t, particles.z, particles.y + particles.dy, particles.x + particles.dx, particles
    ]
    edge = (particles.state == StatusCode.ErrorOutOfBounds) | (
        particles.state == StatusCode.ErrorGridSearching
    )
    edge = edge | (particles.state == StatusCode.ErrorThroughSurface)
    ok = particles.state < 50
    edge = edge | ((mask >= 1.5) & ok)
    error = (particles.state >= 50) & np.logical_not(edge)
    hit = (mask >= 0.5) & (mask < 1.5) & ok
    hold = hit & (fieldset.coast_hold > 0)
    particles.dx = np.where(hold, 0.0, particles.dx)
    particles.dy = np.where(hold, 0.0, particles.dy)
    particles.mn_coast = particles.mn_coast + np.where(hold, 1, 0)
    strand = hit & np.logical_not(hold)
    code = np.where(edge, _OUT_OF_DOMAIN, np.where(error, _ERROR, np.where(strand, _STRANDED, 0)))
    particles.mn_status = np.where(code > 0, code, particles.mn_status)
    particles.state = np.where(code > 0, StatusCode.StopExecution, particles.state)


def CoastSlipAndEdge(particles, fieldset):  # pragma: no cover - executed inside Parcels
    """Like :func:`CoastAndEdge`, but a step that would end on land keeps its along-shore part.

    The coast normal is the gradient of the land mask (central differences over
    ``fieldset.mask_h`` degrees); the step's component along it is removed (in metres, so
    the cos(latitude) metric is respected). If the remaining step still ends on land the
    particle waits where it is. Out-of-domain handling is that of :func:`CoastAndEdge`.
    """
    x1 = particles.x + particles.dx
    y1 = particles.y + particles.dy
    mask = fieldset.landmask[particles.t, particles.z, y1, x1, particles]
    edge = (particles.state == StatusCode.ErrorOutOfBounds) | (
        particles.state == StatusCode.ErrorGridSearching
    )
    edge = edge | (particles.state == StatusCode.ErrorThroughSurface)
    ok = particles.state < 50
    edge = edge | ((mask >= 1.5) & ok)
    hit = (mask >= 0.5) & (mask < 1.5) & ok & np.logical_not(edge)
    h = fieldset.mask_h
    gx = fieldset.landmask[particles.t, particles.z, particles.y, particles.x + h, particles]
    gx = gx - fieldset.landmask[particles.t, particles.z, particles.y, particles.x - h, particles]
    gy = fieldset.landmask[particles.t, particles.z, particles.y + h, particles.x, particles]
    gy = gy - fieldset.landmask[particles.t, particles.z, particles.y - h, particles.x, particles]
    coslat = np.cos(np.deg2rad(particles.y))
    nx = gx / coslat  # gradient in metric space (per metre east / north, up to a common factor)
    ny = gy
    norm2 = nx * nx + ny * ny
    ex = particles.dx * coslat
    ey = particles.dy
    along = np.where(norm2 > 0, (ex * nx + ey * ny) / np.where(norm2 > 0, norm2, 1.0), 0.0)
    tx = (ex - along * nx) / coslat
    ty = ey - along * ny
    m2 = fieldset.landmask[particles.t, particles.z, particles.y + ty, particles.x + tx, particles]
    slide = hit & (m2 < 0.5)
    particles.dx = np.where(hit, np.where(slide, tx, 0.0), particles.dx)
    particles.dy = np.where(hit, np.where(slide, ty, 0.0), particles.dy)
    particles.mn_coast = particles.mn_coast + np.where(hit, 1, 0)
    error = (particles.state >= 50) & np.logical_not(edge)
    code = np.where(edge, _OUT_OF_DOMAIN, np.where(error, _ERROR, 0))
    particles.mn_status = np.where(code > 0, code, particles.mn_status)
    particles.state = np.where(code > 0, StatusCode.StopExecution, particles.state)


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
    random state, so a seed reproduces them.
    """
    n = particles.x.size
    sigma = np.sqrt(2.0 * fieldset.Kh * np.abs(particles.dt))
    ex = fieldset.rng.standard_normal(n) * sigma
    ey = fieldset.rng.standard_normal(n) * sigma
    particles.dx = particles.dx + ex / (fieldset.deg2m * np.cos(np.deg2rad(particles.y)))
    particles.dy = particles.dy + ey / fieldset.deg2m


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
