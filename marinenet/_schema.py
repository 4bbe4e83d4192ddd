"""Building blocks shared by the scenario models: strict base model, quantities with units, error messages."""

from __future__ import annotations

import difflib
import re
import types
import typing
from datetime import datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainSerializer,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)

from .units import DURATION_UNITS, format_duration, format_rate, parse_duration, parse_rate

__all__ = ["_Model", "Duration", "Rate", "format_validation_error", "DURATION_PATTERN", "RATE_PATTERN"]


def _any_case(word: str) -> str:
    """A regular expression matching ``word`` in any letter case (JSON Schema patterns have no flags)."""
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in word)


_NUMBER = r"[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?"
_UNIT = "(" + "|".join(_any_case(u) for u in sorted(DURATION_UNITS, key=len, reverse=True)) + ")"
#: what :func:`~marinenet.units.parse_duration` reads, as a JSON Schema pattern ("30 days", "12h")
DURATION_PATTERN = rf"^\s*{_NUMBER}\s*{_UNIT}\s*$"
#: what :func:`~marinenet.units.parse_rate` reads ("0.1 per day", "0.02/h", "half-life 80 days")
RATE_PATTERN = (
    rf"^\s*({_any_case('half')}[- ]{_any_case('life')}\s+{_NUMBER}\s*{_UNIT}"
    rf"|{_NUMBER}\s*({_any_case('per')}|/)\s*{_UNIT})\s*$"
)

#: longest duration a scenario may hold: the span of dates numpy represents in nanoseconds (1678..2262)
MAX_DURATION_S = 584 * 365.25 * 86400.0


def _within_dates(seconds: float) -> float:
    if abs(seconds) > MAX_DURATION_S:
        raise ValueError(
            f"{seconds / 86400 / 365.25:.3g} years is longer than the 584 years of dates marinenet can "
            "represent (1678..2262)"
        )
    return seconds


Duration = Annotated[
    float,
    BeforeValidator(parse_duration),
    AfterValidator(_within_dates),
    PlainSerializer(format_duration, return_type=str),
    WithJsonSchema({"type": "string", "pattern": DURATION_PATTERN, "examples": ["30 days", "12h", "90 min"]}),
]
"""A duration in seconds, written in YAML with a unit ("30 days")."""

Rate = Annotated[
    float,
    BeforeValidator(parse_rate),
    PlainSerializer(format_rate, return_type=str),
    WithJsonSchema(
        {"type": "string", "pattern": RATE_PATTERN, "examples": ["0.1 per day", "half-life 80 days"]}
    ),
]
"""A rate in 1/s, written with a unit ("0.1 per day", "half-life 80 days"); written back exactly."""


class _Model(BaseModel):
    """Strict about what YAML makes easy to get wrong: unknown keys, NaN/inf, and true/false for numbers."""

    model_config = ConfigDict(
        extra="forbid", populate_by_name=True, validate_default=True, allow_inf_nan=False
    )

    @field_validator("*", mode="before")
    @classmethod
    def _booleans_only_where_meant(cls, value: Any, info: ValidationInfo) -> Any:
        """``particles: true`` is not 1, and ``three_d: 1`` or ``three_d: "yes"`` is not true."""
        assert info.field_name is not None  # a field validator always runs on a named field
        annotation = cls.model_fields[info.field_name].annotation
        if _mentions(annotation, datetime) and _holds_number(value):
            raise ValueError("write dates as text like 2021-03-01T00:00, not as a number")
        if annotation is bool or (annotation == bool | None and value is not None):
            if not isinstance(value, bool):
                raise ValueError("expected true or false")
        elif _holds_bool(value):
            raise ValueError(
                f"{_yaml_text(value)} holds a true/false value where a number or text is expected "
                "(YAML reads true/false/yes/no/on/off as booleans; quote them to mean text)"
            )
        return value


def format_validation_error(exc: ValidationError, origin: str, model: type[BaseModel]) -> str:
    """One readable message for every problem in ``exc``: where, what, and for unknown keys the allowed ones."""
    lines = [
        f"{origin}: invalid scenario ({exc.error_count()} problem{'s' if exc.error_count() > 1 else ''})"
    ]
    for err in exc.errors():
        loc = [str(p) for p in err["loc"] if not str(p).startswith("_")]  # "_..." = tags of a union
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


def _holds_bool(value: Any) -> bool:
    """A boolean, or a list/tuple holding one at any depth (nested mappings check themselves)."""
    if isinstance(value, bool):
        return True
    return isinstance(value, list | tuple) and any(_holds_bool(v) for v in value)


def _holds_number(value: Any) -> bool:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return True
    return isinstance(value, list | tuple) and any(_holds_number(v) for v in value)


def _mentions(tp: Any, target: type) -> bool:
    """Whether the type ``tp`` is or contains ``target`` (in Optional, list, Annotated ...)."""
    return tp is target or any(_mentions(a, target) for a in typing.get_args(tp))


def _yaml_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return (
        "[" + ", ".join(_yaml_text(v) for v in value) + "]"
        if isinstance(value, list | tuple)
        else repr(value)
    )


def _allowed_keys(model: Any, loc: list[str]) -> list[str]:
    """Keys accepted at a nested location of the scenario schema ([] when unknown)."""
    current: Any = model
    for part in loc:
        current = _unwrap(current, list_item=part.isdigit())
        if part.isdigit() and typing.get_origin(current) is list:
            current = typing.get_args(current)[0]
            continue
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


def _unwrap(tp: Any, list_item: bool = False) -> Any:
    """Strip Optional[...] / Annotated[...] to the model or dict type inside; of a union of a model and
    a list of models (``release.from``), the list where ``list_item`` (the next key is an index)."""
    while True:
        origin = typing.get_origin(tp)
        if origin is Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [_unwrap(a) for a in typing.get_args(tp) if a is not type(None)]
            lists = [a for a in args if typing.get_origin(a) is list]
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            if len(args) == 1:
                tp = args[0]
            elif list_item and lists:
                return lists[0]
            else:
                return models[0] if models else tp
        else:
            return tp
