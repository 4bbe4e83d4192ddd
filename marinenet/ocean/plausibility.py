"""Are the currents plausible? Refuse fill values read as velocities and impossible speeds.

A file that writes land as -999 (or 9999, 1e20, 32767 ...) without a ``_FillValue`` or
``missing_value`` attribute gives the reader numbers, not NaN: particles near land would
move at -999 m/s instead of stranding. Currents in cm/s labelled m/s are 100 times too fast.
Neither may pass silently.

Rules, on the velocities in m/s after unit conversion (NaN = land, ignored):

* any component faster than :data:`MAX_SPEED` is refused (the fastest tidal races reach
  about 10 m/s); the message says whether one repeated value makes up most of them (a fill
  value) or the speeds are scattered (units?);
* a value of the list :data:`FILL_LIKE` (as written in the file) at two or more points is
  refused whatever speed it stands for (999 cm/s is "only" 9.99 m/s);
* one value faster than :data:`WARN_SPEED` that makes up at least half of the values faster
  than that and 1 % or more of all values (a constant extreme) is refused;
* otherwise a speed above :data:`WARN_SPEED` gets a warning naming where.
"""

from __future__ import annotations

import logging
from typing import cast

import numpy as np
import xarray as xr

from ..errors import InputDataError

__all__ = ["check_plausible", "MAX_SPEED", "WARN_SPEED", "FILL_LIKE"]

log = logging.getLogger(__name__)

#: m/s: no ocean current is faster (Saltstraumen, the fastest tidal current, ~ 10 m/s)
MAX_SPEED = 12.0
#: m/s: faster than almost any ocean current outside tidal races (Gulf Stream core ~ 2.5 m/s)
WARN_SPEED = 4.0
#: numbers files use for "no data" (as written in the file, before unit conversion)
FILL_LIKE = (999.0, 999.9, 9999.0, 99999.0, 32767.0, 32768.0, 65535.0, 1e20, 1e30, 9.969209968386869e36)


def _fix(name: str, raw: float) -> str:
    return (
        f"If {raw:g} marks land or missing data, say so in the file: "
        f"'ncatted -a _FillValue,{name},o,f,{raw:g} FILE' (NCO), or in Python "
        f"ds[{name!r}].attrs['_FillValue'] = {raw:g} before saving; then land is NaN and particles strand there"
    )


def _refuse_fill(source: str, name: str, raw: float, count: int, size: int, speed: float) -> None:
    raise InputDataError(
        f"ocean data {source!r}: variable {name!r} holds the value {raw:g} at {count} points "
        f"({100 * count / size:.3g} % of its values), which as a velocity is {speed:g} m/s: "
        f"a fill value read as a current, or wrong units? {_fix(name, raw)}. Otherwise check its "
        "'units' attribute (values in cm/s must say 'cm s-1')"
    )


def _check_component(da: xr.DataArray, source: str, name: str, factor: float) -> None:
    vals = np.asarray(da.values, float).ravel()
    vals = vals[np.isfinite(vals)]
    if vals.size == 0:
        return
    raw = vals / factor
    big = np.abs(raw) >= 998.0
    if np.count_nonzero(big) >= 2:
        for fill in FILL_LIKE:
            hits = np.isclose(np.abs(raw[big]), fill, rtol=1e-6)
            if np.count_nonzero(hits) >= 2:
                value = float(raw[big][hits][0])
                _refuse_fill(source, name, value, int(hits.sum()), vals.size, value * factor)
    fast = vals[np.abs(vals) > WARN_SPEED]
    if fast.size == 0:
        return
    values, counts = np.unique(fast, return_counts=True)
    k = int(np.argmax(counts))
    if counts[k] >= max(2, 0.5 * fast.size, 0.01 * vals.size):  # one value is most of the fast ones
        _refuse_fill(source, name, float(values[k] / factor), int(counts[k]), vals.size, float(values[k]))
    if np.abs(fast).max() > MAX_SPEED:
        top = float(fast[np.argmax(np.abs(fast))])
        raise InputDataError(
            f"ocean data {source!r}: variable {name!r} reaches {top:g} m/s (as written: {top / factor:g}) "
            f"at {int(np.sum(np.abs(fast) > MAX_SPEED))} points; no ocean current is faster than about "
            f"{MAX_SPEED:g} m/s. Check its 'units' attribute (values in cm/s must say 'cm s-1') and its "
            "fill values (land must be NaN, _FillValue or missing_value)"
        )


def _where_fastest(ds: xr.Dataset) -> tuple[float, str]:
    speed = cast(xr.DataArray, np.hypot(ds["u"], ds["v"]))  # a ufunc of DataArrays gives a DataArray
    idx = np.unravel_index(int(np.nanargmax(speed.values)), speed.shape)
    at = {d: ds[d].values[i] for d, i in zip(speed.dims, idx, strict=True) if d in ds.coords}
    where = ", ".join(f"{d} {str(v)[:19] if d == 'time' else f'{float(v):.3f}'}" for d, v in at.items())
    return float(speed.values[idx]), where


def check_plausible(ds: xr.Dataset, source: str, names: dict[str, str], factors: dict[str, float]) -> None:
    """Refuse implausible currents (see the module's rules); warn about speeds above WARN_SPEED.

    ``ds`` holds ``u`` and ``v`` in m/s; ``names`` and ``factors`` give, for each, the file's
    variable name and the factor that converted it to m/s (to quote values as written).
    """
    for comp in ("u", "v"):
        _check_component(ds[comp], source, names[comp], factors[comp])
    if not bool(np.isfinite(ds["u"]).any()):
        return
    top, where = _where_fastest(ds)
    if top > WARN_SPEED:
        n = int((np.hypot(ds["u"], ds["v"]) > WARN_SPEED).sum())
        log.warning(
            "currents of %s reach %.3g m/s (at %s; %d values above %g m/s): faster than almost any ocean "
            "current. Check the units and fill values of %s and %s",
            source,
            top,
            where,
            n,
            WARN_SPEED,
            names["u"],
            names["v"],
        )
