"""The final status of a particle: the one definition both engines, the outputs and the report use."""

from __future__ import annotations

from enum import IntEnum

__all__ = ["Status", "STATUS", "STATUS_NAMES"]


class Status(IntEnum):
    """What became of a particle (``status`` in the outputs; ``FINISHED`` is internal to the engines)."""

    ACTIVE = 0  #: tracked to the end of its time (or still moving between steps)
    STRANDED = 1  #: reached land (coast rule ``stop``)
    OUT_OF_DOMAIN = 2  #: left the grid or the model's domain
    ERROR = 3  #: a Parcels error
    SETTLED = 4  #: a competent larva in its habitat
    DEAD = 5  #: removed by mortality (``mortality_mode: stochastic``)
    UNSETTLED = 6  #: a larva that reached its PLD without settling
    ARRIVED = 7  #: a swimmer at its target
    FINISHED = 9  #: engines only: tracked for its whole time; reported ``active``


#: output name → code of every reported status
STATUS = {s.name.lower(): int(s) for s in Status if s is not Status.FINISHED}
#: code → output name
STATUS_NAMES = {v: k for k, v in STATUS.items()}
