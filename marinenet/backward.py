"""Backward tracking (``simulation.direction: backward``): where the water found in an area came from.

Particles are released as usual (at ``release.start``, or at each release date) and moved with
time running backward for ``simulation.duration``. The engines only run forward, so a backward
run is a forward run in mirrored time: with the pivot P (the last release date), the forcing is
seen at t' = 2·P − t with every velocity negated (currents, wind, Stokes drift), a particle released
at r starts at r' = 2·P − r, and the tracks' dates are mapped back (t = 2·P − t') before any
output is written. RK4 on the mirrored field is the RK4 step backward in time, so a forward run
and a backward run from its end points retrace each other; a random walk (diffusion) stays a
random walk (the literature's "diffusion with reversed drift"). Behaviours that are not
time-reversible are refused (:func:`problem`).

The connectivity of a backward run keeps its columns: ``source`` is the zone where the particles
were released (the receiving area), ``destination`` the zone where they were at the end of the
backward run (the upstream origin).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, cast

import numpy as np
import xarray as xr

from .ocean.extra import mirror_time

if TYPE_CHECKING:
    from .engine.base import EngineRequest, Trajectories

__all__ = ["problem", "window", "mirror_ocean", "mirror_dates", "mirrored_request", "restore"]

#: variables of the canonical currents that change sign when time runs backward
VELOCITIES = ("u", "v", "w")


def problem(scenario) -> str | None:
    """Why ``scenario`` cannot run backward (a behaviour that is not time-reversible), or None."""
    if scenario.simulation.direction != "backward":
        return None
    b = scenario.behaviour
    why = (
        "; a backward run moves water parcels back in time (passive drift, diffusion, windage, Stokes drift)"
    )
    if b.kind != "passive":
        keys = "pld, competency, mortality, settle_in" if b.kind == "larva" else "speed, target"
        return (
            f"simulation.direction: backward does not run 'behaviour.kind: {b.kind}' ({keys}): mortality, "
            f"settlement and swimming toward a target are not time-reversible{why}. Use kind: passive"
        )
    for key in ("migration", "ontogeny", "kernels", "egg"):
        if getattr(b, key):
            return (
                f"simulation.direction: backward does not run behaviour.{key}: it is not known to be "
                f"time-reversible{why}. Leave out behaviour.{key}"
            )
    return None


def window(events: list, duration: float) -> tuple[np.datetime64, np.datetime64]:
    """The forcing a backward run needs: from the first release minus ``duration`` to the last release."""
    first, last = np.datetime64(events[0], "s"), np.datetime64(events[-1], "s")
    return cast(np.datetime64, first - np.timedelta64(int(round(duration)), "s")), last


def mirror_dates(t, pivot: np.datetime64) -> np.ndarray:
    """Dates t ↦ 2·pivot − t (the map is its own inverse)."""
    p = np.asarray(pivot, "datetime64[ns]")
    return p + (p - np.asarray(t, dtype="datetime64[ns]"))


def mirror_ocean(ocean: xr.Dataset, pivot: np.datetime64) -> xr.Dataset:
    """The canonical currents in mirrored time, velocities negated (masks and grid unchanged)."""
    out = mirror_time(ocean, pivot, negate=False)
    for name in VELOCITIES:
        if name in out:
            out[name] = -out[name]
    out.attrs = {**ocean.attrs, "marinenet_direction": "backward (mirrored time, velocities negated)"}
    return out


def mirrored_request(request: EngineRequest, pivot: np.datetime64) -> EngineRequest:
    """The forward request that tracks ``request`` (real dates) backward in time."""
    return replace(
        request,
        ocean=mirror_ocean(request.ocean, pivot),
        start=cast(np.datetime64, np.asarray(pivot, "datetime64[ns]")[()]),
        release_time=mirror_dates(request.releases, pivot),
    )


def restore(traj: Trajectories, pivot: np.datetime64) -> Trajectories:
    """Tracks of a mirrored run with their real dates (output times then run backward from the release)."""
    traj.times = mirror_dates(traj.times, pivot)
    traj.end_time = mirror_dates(traj.end_time, pivot)
    if traj.release_time is not None:
        traj.release_time = mirror_dates(traj.release_time, pivot)
    traj.notes = [*traj.notes, "backward run: time ran backward from the release (mirrored forward run)"]
    return traj
