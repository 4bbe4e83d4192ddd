"""Counter-based random numbers for the fast engine.

Each draw is a hash (splitmix64 finaliser) of (seed, particle id, step, draw number): no
state to carry, so a particle gets the same numbers whichever thread, batch, worker or
resumed process moves it.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit


@njit(cache=True, error_model="numpy", _nrt=False)
def _mix(z):
    """splitmix64 finaliser (uint64 → uint64, wrapping arithmetic)."""
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


@njit(cache=True, error_model="numpy", _nrt=False)
def _uniform(seed, pid, step, k):
    """Uniform in (0, 1) from the counter (seed, particle, step, draw)."""
    h = _mix(np.uint64(seed) + np.uint64(0x9E3779B97F4A7C15))
    h = _mix(h ^ np.uint64(pid))
    h = _mix(h ^ (np.uint64(step) * np.uint64(0x100000001B3)))
    h = _mix(h ^ np.uint64(k))
    return ((h >> np.uint64(11)) + np.uint64(1)) * (1.0 / 9007199254740994.0)


@njit(cache=True, error_model="numpy", _nrt=False, inline="always")
def _normal(seed, pid, step, k):
    """Standard normal (Box–Muller on two counter draws). Inlined: called with a constant ``k``, a
    function of its own would compile once per constant."""
    u1 = _uniform(seed, pid, step, 2 * k)
    u2 = _uniform(seed, pid, step, 2 * k + 1)
    return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)
