"""A modeller's own Parcels kernel, plugged in from a scenario (used by test_biology)."""

import numpy as np


def NorthwardSwim(particles, fieldset):  # pragma: no cover - executed inside Parcels
    """Swim due north at 0.1 m/s on top of the currents (Parcels' sphere: 1852 m per arc minute)."""
    particles.dy = particles.dy + 0.1 * particles.dt / (1852.0 * 60.0) + 0.0 * np.zeros(particles.x.size)
