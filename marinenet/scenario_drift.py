"""Scenario checks of wind, waves and direction (issue 18): the forcing each drift behaviour needs."""

from __future__ import annotations

__all__ = ["drift_problem"]


def drift_problem(scenario) -> str | None:
    """What is inconsistent between behaviour.windage / stokes, ocean.wind / waves and the direction."""
    from .backward import problem

    b, oc = scenario.behaviour, scenario.ocean
    if b.windage and oc.wind is None:
        return "behaviour.windage needs the 10 m wind: give ocean.wind (a netCDF file or glob, e.g. ERA5 u10/v10)"
    if b.stokes and oc.waves is None:
        return "behaviour.stokes needs the Stokes drift: give ocean.waves (a netCDF file or glob, e.g. CMEMS VSDX/VSDY)"
    if b.windage_deflection and not b.windage:
        return (
            "behaviour.windage_deflection turns the wind-driven drift: set behaviour.windage too (e.g. 0.02)"
        )
    if oc.wind is not None and not b.windage:
        return "ocean.wind is given but nothing uses it: set behaviour.windage (e.g. 0.02), or leave out ocean.wind"
    if oc.waves is not None and not b.stokes:
        return (
            "ocean.waves is given but nothing uses it: set behaviour.stokes: true, or leave out ocean.waves"
        )
    if (b.windage or b.stokes) and oc.three_d:
        return "behaviour.windage and behaviour.stokes move surface drifters: leave out ocean.three_d"
    return problem(scenario)
