"""The time axis of a forcing file: decoding (calendars, numeric offsets), the run's window, looped years."""

from __future__ import annotations

import logging
from typing import Literal

import numpy as np
import xarray as xr

from ..errors import InputDataError

__all__ = ["_decode_time", "_time_dim", "_loop_years", "_window"]

log = logging.getLogger("marinenet.ocean.reader")


def _decode_time(ds: xr.Dataset, tdim: str, source: str, time_origin: str | None) -> xr.Dataset:
    """Make the time coordinate datetime64 (standard calendar)."""
    t = ds[tdim]
    if np.issubdtype(t.dtype, np.datetime64):
        return ds
    if t.dtype == object:  # cftime: noleap, 360_day, julian ...
        calendar = getattr(t.values[0], "calendar", "unknown")
        align: Literal["date", "year"] = "year" if calendar == "360_day" else "date"
        log.warning(
            "converting the %s calendar of %r to the standard calendar (align_on=%s)", calendar, tdim, align
        )
        return ds.convert_calendar("standard", dim=tdim, align_on=align, use_cftime=False)
    if np.issubdtype(t.dtype, np.number):
        units = str(t.attrs.get("units", "seconds")).lower()
        if time_origin is None:
            raise InputDataError(
                f"time coordinate {tdim!r} of {source!r} has no reference date (units {units!r}); "
                "give 'ocean: {time_origin: YYYY-MM-DD}' (the model's initialisation date)"
            )
        factor = {
            "s": 1,
            "second": 1,
            "seconds": 1,
            "sec": 1,
            "day": 86400,
            "days": 86400,
            "hour": 3600,
            "hours": 3600,
        }.get(units.split()[0], None)
        if factor is None:
            raise InputDataError(
                f"time coordinate {tdim!r} has units {units!r}; expected seconds, hours or days"
            )
        origin = np.datetime64(time_origin, "ns")
        times = origin + (t.values.astype(float) * factor * 1e9).astype("timedelta64[ns]")
        return ds.assign_coords({tdim: times})
    raise InputDataError(f"time coordinate {tdim!r} of {source!r} has an unreadable type {t.dtype}")


def _time_dim(da: xr.DataArray) -> str | None:
    for dim in da.dims:
        c = da[dim] if dim in da.coords else None
        if c is not None and (c.attrs.get("standard_name") == "time" or c.attrs.get("axis") == "T"):
            return str(dim)
    for dim in da.dims:
        if str(dim).lower() in ("time", "t", "time_counter", "ocean_time"):
            return str(dim)
    return None


def _loop_years(ds: xr.Dataset, tdim: str, start, end, source: str) -> xr.Dataset:
    """Repeat a climatological year (any year's dates) to cover ``[start, end]``."""
    import pandas as pd

    t = pd.DatetimeIndex(ds[tdim].values)
    if t[-1] - t[0] > pd.Timedelta(days=366):
        raise InputDataError(
            f"ocean.loop 'year' needs at most one year of data; {source!r} spans {t[0]} to {t[-1]}"
        )
    first = pd.Timestamp(start).year - t[0].year - 1
    last = pd.Timestamp(end).year - t[0].year + 1
    copies = []
    for k in range(first, last + 1):
        shifted = t + pd.DateOffset(years=k)
        copies.append(ds.assign_coords({tdim: shifted.values}))
    out = xr.concat(copies, dim=tdim)
    _, keep = np.unique(out[tdim].values, return_index=True)
    log.info("looping the climatological year of %s over %d years", source, last - first + 1)
    return out.isel({tdim: np.sort(keep)})


def _window(ds: xr.Dataset, tdim: str, start, end, source: str, loop: str = "none") -> xr.Dataset:
    if loop == "year" and start is not None:
        ds = _loop_years(ds, tdim, start, end, source)
    t = ds[tdim].values
    if np.unique(t).size != t.size:
        raise InputDataError(f"coordinate {tdim!r} of {source!r} has duplicated values")
    if t.size > 1 and np.any(np.diff(t) < np.timedelta64(0)):
        ds = ds.sortby(tdim)
        t = ds[tdim].values
    if start is None or end is None or t.size == 1:
        return ds
    if np.datetime64(start) < t[0] or np.datetime64(end) > t[-1]:
        raise InputDataError(
            f"ocean data {source!r} covers {t[0]} to {t[-1]}, but the simulation needs "
            f"{np.datetime64(start, 's')} to {np.datetime64(end, 's')}; change release.start or "
            "simulation.duration, or provide data for that period"
        )
    i0 = max(int(np.searchsorted(t, np.datetime64(start), side="right")) - 1, 0)
    i1 = min(int(np.searchsorted(t, np.datetime64(end), side="left")) + 1, t.size)
    return ds.isel({tdim: slice(i0, i1)})
