"""What particles do besides drifting: settings, species profiles, and the behaviour plug-ins.

One module per behaviour (swim, diffusion, diel, ontogeny, egg, surface, coast, mortality with
temperature, settlement) holds its parameters, its compiled form, its Parcels kernel and its fast-engine step;
:mod:`~marinenet.behaviour.registry` fixes their order; :mod:`~marinenet.behaviour.status` the
particle statuses. See docs/extending.md.
"""

from .config import BehaviourConfig, SettleIn, available_profiles

__all__ = ["BehaviourConfig", "SettleIn", "available_profiles", "larva"]


def larva(
    pld: float,
    comp_min: float = 0.0,
    comp_max: float | None = None,
    mortality: float = 0.0,
    mortality_mode: int = 1,
    habitat=None,
) -> tuple:
    """The compiled forms of a larva (s, 1/s; mode 0 weights, 1 stochastic), settling in ``habitat`` if given."""
    from . import mortality as m
    from . import settlement as s

    life = (m.params(pld, mortality, mortality_mode),)
    return life if habitat is None else (*life, s.params(habitat, pld, comp_min, comp_max))
