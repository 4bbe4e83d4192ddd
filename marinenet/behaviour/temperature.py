"""Temperature-dependent larvae (``behaviour.temperature``): development, mortality and lethal limits.

The sea water potential temperature T (``thetao`` of the ocean files, read on the currents' grid)
is sampled at each larva's position at the start of every step (linear in time, depth, latitude,
longitude: :mod:`marinenet.engine._extra_sample`, the same on both engines). Then, in the larva's
life step (:mod:`marinenet.behaviour.mortality`, which this module extends):

1. a larva whose *development age* has reached the PLD is ``unsettled`` (as without temperature);
2. a larva at T below ``lethal[0]`` or above ``lethal[1]`` dies (status ``dead``);
3. mortality over the step at the rate × ``mortality_q10 ** ((T - reference) / 10)``;
4. its development age grows by r(T) · dt (:func:`marinenet.behaviour.development.rate`).

The development age replaces the age for the PLD and the competency window (settlement), so with
a constant T they become ``age_ref / r(T)``. It is kept per particle (``devel``: an array of the
compiled form on the fast engine, the particle variable ``mn_devel`` on the Parcels engine).
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from ..errors import ScenarioError
from ..ocean.extra import ExtraField, FieldArrays, field_on_currents_grid
from . import development as dv

__all__ = ["NO_LIMIT", "thermal", "OFF_THERMAL", "tracer_arrays", "tracers"]

#: degC: the lethal limits when none are given
NO_LIMIT = 1e30


def tracers(scenario) -> tuple[str, ...]:
    """The scalar fields of the ocean files this behaviour needs."""
    return ("thetao",) if scenario.behaviour.temperature is not None else ()


def tracer_arrays(ocean: xr.Dataset, names: tuple[str, ...], what: str) -> FieldArrays:
    """The tracers ``names`` of the canonical currents as one :class:`FieldArrays` (one component each),
    streamed: the engines read their values a time window at a time (:meth:`ExtraField.streamed`)."""
    missing = [n for n in names if n not in ocean]
    if missing:
        raise ScenarioError(
            f"{what} needs {' and '.join(missing)} in the ocean files (sea water potential temperature "
            "thetao, salinity so), on the currents' grid"
        )
    fields = [
        field_on_currents_grid(
            n, ocean[n], str(ocean.attrs.get("source", "")), bool(ocean.attrs.get("zonal_periodic"))
        )
        for n in names
    ]
    one = ExtraField("+".join(names), sum((f.components for f in fields), ()), fields[0].source,
                     fields[0].periodic)  # fmt: skip
    return one.streamed()


def thermal(scenario, ocean: xr.Dataset) -> dict:
    """The temperature fields of the larval life's compiled form (:mod:`.mortality`), off when unused."""
    t = scenario.behaviour.temperature
    if t is None:
        return OFF_THERMAL
    lo, hi = t.lethal if t.lethal is not None else (-NO_LIMIT, NO_LIMIT)
    fa = tracer_arrays(ocean, ("thetao",), "behaviour.temperature")
    return _fields(1.0, dv.MODELS[t.model], t.reference, t.q10 or 1.0, lo, hi, t.mortality_q10 or 1.0, fa)


def _fields(on, model, reference, q10, lo, hi, mq10, fa: FieldArrays) -> dict:
    return {
        "t_on": float(on), "model": float(model), "reference": float(reference), "q10": float(q10),
        "lethal_lo": float(lo), "lethal_hi": float(hi), "mq10": float(mq10), "devel": np.zeros(1),
        "periodic": fa.periodic, "data": fa.data, "times": fa.times, "depth": fa.depth, "lat": fa.lat,
        "lon": fa.lon, "ax": fa.ax,
    }  # fmt: skip


OFF_THERMAL = _fields(0.0, 0, 0.0, 1.0, -NO_LIMIT, NO_LIMIT, 1.0, FieldArrays.empty(1))
