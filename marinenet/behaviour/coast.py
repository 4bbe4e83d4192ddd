"""The coast rule (``ocean.coast``: stop | previous | slip) and the edge of the model's domain.

Where a step would end (:func:`~marinenet.engine._fast_kernels._place`: land and outside are
separate bilinear fields): a random-walk step onto land keeps only its drift (the contact is
counted); outside the domain or off the grid the particle is ``out_of_domain``; on land it is
``stranded`` (stop), stays put for this step (previous), or keeps the step's along-shore part
(slip). Always on: its step must run after every behaviour that moves the particle.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba import njit

from ..engine._fast_kernels import _place, _sample3
from .status import Status

_OUT_OF_DOMAIN = int(Status.OUT_OF_DOMAIN)  # (numba: a plain int constant)
_STRANDED = int(Status.STRANDED)  # (numba: a plain int constant)
NAME = "coast"
MODES = ("stop", "previous", "slip")


class Params(NamedTuple):
    on: float
    mode: float  # index in MODES


OFF = Params(0.0, 0.0)


def from_request(request) -> Params:
    return Params(1.0, float(MODES.index(request.coast)))


@njit(cache=True, error_model="numpy", _nrt=False, inline="always")
def _slip(g, pz, py, px, dx, dy):
    """The part of the step (dx, dy) along the coast, or no move when that too ends on land."""
    h, lm = g.h, g.landm
    coslat = math.cos(math.radians(py))
    d, la, lo, ax, pe = g.depth, g.lat, g.lon, g.axes, g.periodic
    gxm = _sample3(lm, d, la, lo, ax, pe, pz, py, px + h) - _sample3(lm, d, la, lo, ax, pe, pz, py, px - h)
    gym = _sample3(lm, d, la, lo, ax, pe, pz, py + h, px) - _sample3(lm, d, la, lo, ax, pe, pz, py - h, px)
    nx = gxm / coslat
    ny = gym
    norm2 = nx * nx + ny * ny
    exm = dx * coslat
    eym = dy
    along = (exm * nx + eym * ny) / norm2 if norm2 > 0 else 0.0
    tx = (exm - along * nx) / coslat
    ty = eym - along * ny
    if _sample3(lm, d, la, lo, ax, pe, pz, py + ty, px + tx) < 0.5:
        return tx, ty
    return 0.0, 0.0


@njit(cache=True, error_model="numpy", _nrt=False, inline="always")
def fast_step(
    bp, g, p, gid, k, pt, pa, dt, px, py, pz, dx, dy, dz, rx, ry, edge, through, weight, dev, coast
):
    st = 0
    if bp.on > 0 and not edge:
        lm, om, ho, d, la, lo, ax, pe = g.landm, g.outm, g.has_out, g.depth, g.lat, g.lon, g.axes, g.periodic
        where = _place(lm, om, ho, d, la, lo, ax, pe, pz, py + dy, px + dx)
        touched = where == 1
        if touched and (rx != 0.0 or ry != 0.0):
            dx -= rx
            dy -= ry
            where = _place(lm, om, ho, d, la, lo, ax, pe, pz, py + dy, px + dx)
        if where == 1 and bp.mode == 0:
            st = _STRANDED
        elif where == 2:
            edge = True
        elif touched and g.count:
            coast[p] += 1
        if st == 0 and where == 1:
            if bp.mode == 1:
                dx = dy = 0.0
            else:
                dx, dy = _slip(g, pz, py, px, dx, dy)
    if edge and st == 0:
        st = _OUT_OF_DOMAIN
    return dx, dy, dz, rx, ry, edge, st


def parcels_kernels(p: Params, fieldset) -> list:
    fieldset.add_context("coast_hold", 0 if p.mode == 0 else 1)
    return [CoastSlipAndEdge if MODES[int(p.mode)] == "slip" else CoastAndEdge]


# ----------------------------------------------------------------------------- Parcels engine
def _place_v(fieldset, t, z, y, x):  # pragma: no cover - helper for the coast kernels
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
    from parcels import StatusCode

    t, z = particles.t, particles.z
    where = _place_v(fieldset, t, z, particles.y + particles.dy, particles.x + particles.dx)
    touched = where == 1
    cut = touched & ((particles.mn_rx != 0) | (particles.mn_ry != 0))
    particles.dx = np.where(cut, particles.dx - particles.mn_rx, particles.dx)
    particles.dy = np.where(cut, particles.dy - particles.mn_ry, particles.dy)
    k = np.flatnonzero(cut)  # judged again: only those (sampling fields costs)
    x1, y1 = particles.x + particles.dx, particles.y + particles.dy
    where[k] = _place_v(fieldset, np.asarray(t)[k], np.asarray(z)[k], y1[k], x1[k])
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
    from parcels import StatusCode

    error = moving & (particles.state >= 50) & np.logical_not(edge)
    code = np.where(strand, int(Status.STRANDED), 0)
    code = np.where(edge, int(Status.OUT_OF_DOMAIN), np.where(error, int(Status.ERROR), code))
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
