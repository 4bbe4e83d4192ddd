"""Temperature and development: the one definition of each rule, for both engines and the tests.

Development advances at a rate r(T) per unit of age (r = 1 at the reference temperature), so a
larva's *development age* is the integral of r(T(t)) dt along its track; with a constant T the
scenario's PLD and competency ages (which hold at the reference temperature) become
``age_ref / r(T)``.

* ``q10``: r(T) = q10 ** ((T - reference) / 10).
* ``oconnor``: O'Connor MI, Bruno JF, Gaines SD, et al. (2007) Temperature control of larval
  dispersal and the implications for marine ecology, evolution, and conservation. PNAS 104:
  1266-1271, universal model: ln PLD = β0 + β1 L + β2 L², L = ln(T / Tc), Tc = 15 °C,
  β1 = -1.34, β2 = -0.28; so r(T) = PLD(ref) / PLD(T) = exp(-(β1 (L(T) - L(ref)) + β2 (L(T)² - L(ref)²))).
  The fitted parabola turns at L = -β1 / (2 β2) (T ≈ 1.37 °C): below it the fit would make
  development *faster* in colder water, so colder temperatures count as that one (:data:`OCONNOR_TMIN`).

Every function here is compiled with numba and takes scalars (the fast engine's step) or
numpy arrays (the Parcels kernels), so both engines use the same arithmetic.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

__all__ = [
    "Q10",
    "OCONNOR",
    "MODELS",
    "OCONNOR_TC",
    "OCONNOR_B1",
    "OCONNOR_B2",
    "OCONNOR_TMIN",
    "rate",
    "development",
    "lethal",
    "mortality_scale",
    "degree_days",
]

Q10, OCONNOR = 0, 1
#: model name → code (``behaviour.temperature.model``)
MODELS = {"q10": Q10, "oconnor": OCONNOR}
OCONNOR_TC = 15.0  # °C
OCONNOR_B1 = -1.34
OCONNOR_B2 = -0.28
#: °C, the vertex of O'Connor et al.'s parabola in ln T: 15 exp(β1 / (2 β2))
OCONNOR_TMIN = OCONNOR_TC * math.exp(-OCONNOR_B1 / (2.0 * OCONNOR_B2))


@njit(cache=True, error_model="numpy")
def rate(model, temp, reference, q10):
    """Development rate r(T) (1 at ``reference``) of ``model`` (:data:`Q10` or :data:`OCONNOR`)."""
    if model == Q10:
        return q10 ** ((temp - reference) / 10.0)
    t = np.maximum(temp, OCONNOR_TMIN)
    tr = max(reference, OCONNOR_TMIN)
    lt = np.log(t / OCONNOR_TC)
    lr = math.log(tr / OCONNOR_TC)
    return np.exp(-(OCONNOR_B1 * (lt - lr) + OCONNOR_B2 * (lt * lt - lr * lr)))


def development(model: int, temps: np.ndarray, dt: float, reference: float, q10: float = 2.0) -> np.ndarray:
    """Development age (s) after each step of a temperature history (one T per step of ``dt`` s)."""
    return np.cumsum(rate(model, np.asarray(temps, float), reference, q10) * dt)


@njit(cache=True, error_model="numpy")
def lethal(temp, low, high):
    """Whether ``temp`` kills (below ``low`` or above ``high``, °C)."""
    return (temp < low) | (temp > high)


@njit(cache=True, error_model="numpy")
def mortality_scale(temp, reference, mq10):
    """Factor on the mortality rate at ``temp``: mq10 ** ((T - reference) / 10) (1 when mq10 is 1)."""
    return mq10 ** ((temp - reference) / 10.0)


@njit(cache=True, error_model="numpy")
def degree_days(temp, dt):
    """Degree-days (°C·d above 0 °C) gained in ``dt`` s at ``temp``."""
    return np.maximum(temp, 0.0) * dt / 86400.0
