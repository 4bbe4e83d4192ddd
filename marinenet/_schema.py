"""Building blocks shared by the scenario models: strict base model, quantities with units, error messages."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, PlainSerializer, ValidationError

from .units import format_duration, format_rate, parse_duration, parse_rate

__all__ = ["_Model", "Duration", "Rate", "format_validation_error"]

Duration = Annotated[
    float,
    BeforeValidator(parse_duration),
    PlainSerializer(format_duration, return_type=str),
]
"""A duration in seconds, written in YAML with a unit ("30 days")."""

Rate = Annotated[float, BeforeValidator(parse_rate), PlainSerializer(format_rate, return_type=str)]
"""A rate in 1/s, written with a unit ("0.1 per day", "half-life 80 days"); written back exactly."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, validate_default=True)


def format_validation_error(exc: ValidationError, origin: str, model: type[BaseModel]) -> str:
    """One readable message for every problem in ``exc``: where, what, and for unknown keys the allowed ones."""
    lines = [
        f"{origin}: invalid scenario ({exc.error_count()} problem{'s' if exc.error_count() > 1 else ''})"
    ]
    for err in exc.errors():
        loc = [str(p) for p in err["loc"]]
        where = ".".join(loc) if loc else "(top level)"
        if err["type"] == "extra_forbidden":
            key = loc[-1]
            allowed = _allowed_keys(model, loc[:-1])
            parent = ".".join(loc[:-1]) or "the top level"
            msg = f"  - unknown key {key!r} in {parent}."
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            if close:
                msg += f" Did you mean {close[0]!r}?"
            if allowed:
                msg += f" Allowed keys: {', '.join(allowed)}."
            lines.append(msg)
        elif err["type"] == "missing":
            lines.append(f"  - {where}: this key is required")
        else:
            text = err["msg"].removeprefix("Value error, ")
            got = err.get("input")
            shown = "" if isinstance(got, dict | list) or got is None else f" (got {got!r})"
            lines.append(f"  - {where}: {text}{shown}")
    return "\n".join(lines)


def _allowed_keys(model: Any, loc: list[str]) -> list[str]:
    """Keys accepted at a nested location of the scenario schema ([] when unknown)."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = None
            for fname, finfo in current.model_fields.items():
                if part in (fname, finfo.alias):
                    field = finfo
                    break
            if field is None:
                return []
            current = field.annotation
        elif typing.get_origin(current) is dict:
            current = typing.get_args(current)[1]
        else:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [finfo.alias or fname for fname, finfo in current.model_fields.items()]
    return []


def _unwrap(tp: Any) -> Any:
    """Strip Optional[...] / Annotated[...] to the model or dict type inside."""
    while True:
        origin = typing.get_origin(tp)
        if origin is Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            tp = args[0] if len(args) == 1 else tp
            if len(args) != 1:
                return tp
        else:
            return tp
