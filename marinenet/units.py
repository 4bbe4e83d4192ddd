"""Parsing of quantities written with units in scenario files ("30 days", "1 hour")."""

from __future__ import annotations

import re

import numpy as np

__all__ = ["parse_duration", "format_duration", "parse_rate", "format_rate", "DURATION_UNITS"]

#: seconds per unit; keys are every spelling accepted in a scenario
DURATION_UNITS: dict[str, float] = {}
for _names, _seconds in (
    (("s", "sec", "secs", "second", "seconds"), 1.0),
    (("min", "mins", "minute", "minutes"), 60.0),
    (("h", "hr", "hrs", "hour", "hours"), 3600.0),
    (("d", "day", "days"), 86400.0),
    (("w", "week", "weeks"), 7 * 86400.0),
):
    for _n in _names:
        DURATION_UNITS[_n] = _seconds

_DURATION_RE = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*([A-Za-z]+)\s*$")


def parse_duration(text: str | int | float | np.timedelta64) -> float:
    """Return a duration in seconds.

    Parameters
    ----------
    text
        A number followed by a unit: ``"30 days"``, ``"1 hour"``, ``"90 min"``, ``"6h"``.
        Bare numbers are refused: a duration without a unit is ambiguous.

    Returns
    -------
    float
        Seconds.

    Raises
    ------
    ValueError
        With a message naming what was received and the accepted units.

    Examples
    --------
    >>> parse_duration("1.5 days")
    129600.0
    """
    if isinstance(text, np.timedelta64):
        return float(text / np.timedelta64(1, "s"))
    if isinstance(text, bool) or isinstance(text, (int, float)):
        raise ValueError(
            f"got the bare number {text!r}; write a duration with its unit, e.g. '{text} days' or '{text} hours'"
        )
    match = _DURATION_RE.match(str(text))
    if not match:
        raise ValueError(
            f"could not read {text!r} as a duration; expected e.g. '30 days', '1 hour', '90 min'"
        )
    value, unit = float(match.group(1)), match.group(2).lower()
    if not np.isfinite(value):
        raise ValueError(f"the number in {text!r} is too large to be a duration")
    if unit not in DURATION_UNITS:
        raise ValueError(
            f"unknown time unit {match.group(2)!r} in {text!r}; use one of: seconds, minutes, hours, days, weeks"
        )
    return value * DURATION_UNITS[unit]


def format_duration(seconds: float) -> str:
    """Format seconds with the largest unit that divides them exactly ("1 day", "90 minutes").

    Parameters
    ----------
    seconds
        A duration in seconds.

    Returns
    -------
    str
        Text that :func:`parse_duration` reads back to the same number.
    """
    for name, size in (("week", 604800.0), ("day", 86400.0), ("hour", 3600.0), ("minute", 60.0)):
        if seconds >= size and np.isfinite(seconds) and round(seconds / size) * size == seconds:
            n = round(seconds / size)  # exactly: reading the text back gives the same number
            return f"{n} {name}{'s' if n != 1 else ''}"
    amount: float = seconds if seconds != int(seconds) else int(seconds)
    return f"{amount} second{'s' if amount != 1 else ''}"


def parse_rate(text: str | int | float) -> float:
    """Return a rate in 1/s from ``"0.1 per day"``, ``"0.02/h"`` or ``"half-life 80 days"``.

    Parameters
    ----------
    text
        A number per time unit, or a half-life with its unit; bare numbers are refused.

    Returns
    -------
    float
        The rate in 1/s.

    Raises
    ------
    ValueError
        With a message naming what was received and what is expected.

    Examples
    --------
    >>> round(parse_rate("half-life 1 day") * 86400, 6)
    0.693147
    """
    if isinstance(text, bool) or isinstance(text, (int, float)):
        raise ValueError(
            f"got the bare number {text!r}; write a rate like '{text} per day' or 'half-life 80 days'"
        )
    s = str(text).strip().lower()
    m = re.match(r"^half[- ]life\s+(.+)$", s)
    if m:
        seconds = parse_duration(m.group(1))
        if seconds <= 0:
            raise ValueError(f"half-life must be positive in {text!r}")
        return float(np.log(2.0) / seconds)
    m = re.match(r"^([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*(?:per|/)\s*([a-z]+)$", s)
    if not m:
        raise ValueError(
            f"could not read {text!r} as a rate; expected e.g. '0.1 per day' or 'half-life 80 days'"
        )
    unit = m.group(2)
    if unit not in DURATION_UNITS:
        raise ValueError(f"unknown time unit {unit!r} in {text!r}")
    return float(m.group(1)) / DURATION_UNITS[unit]


def format_rate(rate: float) -> str:
    """Write a rate in 1/s as text that :func:`parse_rate` reads back to the same float.

    Per day with the fewest digits that round-trip exactly ("0.1 per day"), else as a
    half-life ("half-life 80 days"), else per second with every digit (``repr``).

    Parameters
    ----------
    rate
        A rate in 1/s.

    Returns
    -------
    str
        The rate as text.
    """
    rate = float(rate)
    for digits in range(6, 18):
        number = f"{rate * 86400.0:.{digits}g}"
        if number.replace(".", "").isdigit() and parse_rate(f"{number} per day") == rate:
            return f"{number} per day"
    if rate > 0 and np.isfinite(rate):
        text = f"half-life {format_duration(float(np.log(2.0) / rate))}"
        if parse_rate(text) == rate:
            return text
    return f"{rate!r} per second"
