"""Building blocks shared by the scenario models: strict base model, quantities with units."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, PlainSerializer

from .units import format_duration, parse_duration, parse_rate

__all__ = ["_Model", "Duration", "Rate"]

Duration = Annotated[
    float,
    BeforeValidator(parse_duration),
    PlainSerializer(format_duration, return_type=str),
]
"""A duration in seconds, written in YAML with a unit ("30 days")."""

Rate = Annotated[
    float, BeforeValidator(parse_rate), PlainSerializer(lambda v: f"{v * 86400:.6g} per day", return_type=str)
]
"""A rate in 1/s, written with a unit ("0.1 per day", "half-life 80 days")."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, validate_default=True)
