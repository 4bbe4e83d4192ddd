"""Timestamps of telemetry files, read without guessing the order of day and month.

``03/04/2021`` is 3 April in most of the world and March 4 in the USA; pandas reads it as
March 4. A file whose dates are written day/month/year or month/day/year is read in the
order its values prove (a first field above 12 is a day, a second field above 12 is a
day); when no value decides, the user must say which (``--dayfirst`` / ``--monthfirst``).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ..errors import InputDataError

__all__ = ["parse_times"]

#: day and month before the year: 3/4/2021, 03.04.21, 03-04-2021 10:00
_NUMERIC_DMY = r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?!\d)"


def _row(times: pd.Series, mask) -> str:
    """'data row N (value)' of the first True in ``mask`` (positional; the index holds the file's rows)."""
    pos = int(np.flatnonzero(np.asarray(mask))[0])
    return f"data row {times.index[pos] + 1} ({times.iloc[pos]!r})"


def day_first(times: pd.Series, dayfirst: bool | None, source: str) -> bool | None:
    """Whether the dates of ``times`` put the day first; None when no date is written day/month/year."""
    text = times[times.notna()].astype(str)
    parts = text.str.extract(_NUMERIC_DMY)
    written = parts[0].notna().to_numpy()
    if not written.any():
        return None
    text, parts = text[written], parts[written]
    first, second = parts[0].astype(int).to_numpy(), parts[1].astype(int).to_numpy()
    is_day_first, is_month_first = first > 12, second > 12
    if is_day_first.any() and is_month_first.any():
        raise InputDataError(
            f"{source}: dates mix day/month/year ({_row(text, is_day_first)}) and month/day/year "
            f"({_row(text, is_month_first)}); write them one way, preferably as ISO 8601 (2021-04-03T10:00)"
        )
    if dayfirst is None:
        if is_day_first.any():
            return True
        if is_month_first.any() or (first == second).all():
            return False
        raise InputDataError(
            f"{source}: dates like {text.iloc[0]!r} can be read day/month/year or month/day/year, and no "
            "date in the file decides; say which with --dayfirst or --monthfirst"
        )
    if dayfirst and is_month_first.any():
        raise InputDataError(f"{source}: --dayfirst, but {_row(text, is_month_first)} has a month above 12")
    if not dayfirst and is_day_first.any():
        raise InputDataError(f"{source}: --monthfirst, but {_row(text, is_day_first)} has a month above 12")
    return dayfirst


def parse_times(times: pd.Series, dayfirst: bool | None, source: str) -> np.ndarray:
    """UTC times (naive datetime64) of ``times``; NaT where empty. A value that is not a date is an error.

    ``times`` keeps the file's row numbers as its index, for the messages.
    """
    if pd.api.types.is_numeric_dtype(times) and times.notna().any():
        raise InputDataError(
            f"{source}: the time column holds numbers (first {times.dropna().iloc[0]!r}), not dates; pandas "
            "would read them as nanoseconds since 1970. Write times as ISO 8601 (2021-04-03T10:00:00Z)"
        )
    order = day_first(times, dayfirst, source)
    values = times.reset_index(drop=True)
    with warnings.catch_warnings():  # "could not infer format": each value is then read alone, as wanted
        warnings.simplefilter("ignore", UserWarning)
        if order is None:
            t = pd.to_datetime(values, errors="coerce", utc=True)
            retry = (t.isna() & values.notna()).to_numpy()
            if retry.any():  # another format than the first row's (e.g. a different UTC offset)
                t[retry] = pd.to_datetime(values[retry], errors="coerce", utc=True, format="mixed")
        else:
            t = pd.to_datetime(values, errors="coerce", utc=True, format="mixed", dayfirst=order)
    blank = (values.isna() | (values.astype(str).str.strip() == "")).to_numpy()
    bad = t.isna().to_numpy() & ~blank
    if bad.any():
        raise InputDataError(
            f"{source}: {int(bad.sum())} time value{'s' if bad.sum() > 1 else ''} could not be read as "
            f"dates, first at {_row(times, bad)}; write times as ISO 8601 (2021-04-03T10:00:00Z)"
        )
    return t.dt.tz_convert(None).to_numpy()
