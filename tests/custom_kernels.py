"""A modeller's own Parcels kernel, plugged in from a scenario (used by test_biology)."""

import numpy as np


def NorthwardSwim(particles, fieldset):  # pragma: no cover - executed inside Parcels
    """Swim due north at 0.1 m/s on top of the currents (Parcels' sphere: 1852 m per arc minute)."""
    particles.dy = particles.dy + 0.1 * particles.dt / (1852.0 * 60.0) + 0.0 * np.zeros(particles.x.size)


STEP_DEG = 0.01  # degrees east per step


def EastwardStep(particles, fieldset):  # pragma: no cover - executed inside an engine
    """Move STEP_DEG degrees east every step, whatever the current (dx is in degrees)."""
    particles.dx = particles.dx + STEP_DEG


def DoubleDrift(particles, fieldset):  # pragma: no cover - executed inside an engine
    """Drift twice as fast: sample the current (deg/s) by name and add one more advection step."""
    u, v = fieldset.UV[particles]
    particles.dx = particles.dx + u * particles.dt
    particles.dy = particles.dy + v * particles.dt


def CountSteps(particles, fieldset):  # pragma: no cover - executed inside an engine
    """A custom particle variable: the steps each particle made."""
    particles.steps = particles.steps + 1.0


CountSteps.variables = {"steps": 0.0}


def OldStyle(particle, fieldset, time):  # pragma: no cover - a Parcels v3 signature: refused
    particle.dx += 0.0
