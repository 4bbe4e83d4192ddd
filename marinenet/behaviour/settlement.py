"""Settlement (``settle_in``): competent larvae in their habitat settle, tested between steps.

A larva whose age is within the competency window and below the PLD settles where its position
lies inside the habitat (:class:`~marinenet.engine.base.Habitat`, an exact point-in-polygon
test; with a sensory radius, the polygons widened by it). Both engines hand control back after
every step for it (:mod:`marinenet.engine.stepping`); a larva competent at its release is tested
at its release position too. No engine step.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import xarray as xr

NAME = "settlement"
EPS = 1e-6  # s: ages closer than this count as equal


class Params(NamedTuple):
    on: float
    comp_min: float  # s
    comp_max: float  # s
    pld: float  # s
    habitat: Any  # Habitat: ``contains(lon, lat)``


OFF = Params(0.0, 0.0, 0.0, 0.0, None)
fast_step = None


def params(habitat, pld: float, comp_min: float = 0.0, comp_max: float | None = None) -> Params:
    return Params(1.0, float(comp_min), float(pld if comp_max is None else comp_max), float(pld), habitat)


def from_scenario(scenario, ocean: xr.Dataset, layers) -> Params | None:
    b = scenario.behaviour
    if b.kind != "larva" or b.settle_in is None:
        return None
    from ..zones.habitat import SettlementHabitat

    habitat = SettlementHabitat(layers[b.settle_in.layer].frame.geometry.values, b.settle_in.radius)
    return params(habitat, b.pld, *b.competency)


def settle(p: Params, lon: np.ndarray, lat: np.ndarray, age: np.ndarray) -> np.ndarray:
    """Which of these larvae (positions, ages in s) settle now."""
    out = np.zeros(np.size(age), dtype=bool)
    if p.on <= 0 or p.habitat is None or out.size == 0:
        return out
    competent = (age >= p.comp_min - EPS) & (age <= p.comp_max + EPS) & (age < p.pld - EPS)
    i = np.flatnonzero(competent)
    if i.size:
        out[i] = p.habitat.contains(lon[i], lat[i])
    return out
