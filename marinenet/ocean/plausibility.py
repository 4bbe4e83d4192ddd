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
from dataclasses import dataclass, field
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


#: bytes of velocity values checked at a time (the window is read block by block, never whole)
BLOCK_BYTES = 64e6


def time_blocks(ds: xr.Dataset, names: tuple[str, ...] = ("u", "v"), nbytes: float = BLOCK_BYTES):
    """``ds[names]`` in consecutive blocks of whole time slices, each in memory (float64)."""
    nt = ds.sizes.get("time", 1)
    per = max(sum(ds[n].size for n in names) // max(nt, 1), 1) * 8
    step = max(int(nbytes // per), 1)
    for a in range(0, nt, step):
        part = ds[list(names)].isel(time=slice(a, a + step)) if "time" in ds.dims else ds[list(names)]
        yield a, part.compute()
        if "time" not in ds.dims:
            return


@dataclass
class _Component:
    """What the rules need of one component, gathered block by block."""

    finite: int = 0
    fills: dict[float, list] = field(default_factory=dict)  # fill → [count, first value as written]
    fast: dict[float, int] = field(default_factory=dict)  # value faster than WARN_SPEED → count

    def add(self, values: np.ndarray, factor: float) -> None:
        vals = np.asarray(values, float).ravel()
        vals = vals[np.isfinite(vals)]
        self.finite += vals.size
        raw = vals / factor
        big = raw[np.abs(raw) >= 998.0]
        for fill in FILL_LIKE if big.size else ():
            hits = big[np.isclose(np.abs(big), fill, rtol=1e-6)]
            if hits.size:
                entry = self.fills.setdefault(fill, [0, float(hits[0])])
                entry[0] += hits.size
        values, counts = np.unique(vals[np.abs(vals) > WARN_SPEED], return_counts=True)
        for v, c in zip(values.tolist(), counts.tolist(), strict=True):
            self.fast[v] = self.fast.get(v, 0) + c


def _check_component(comp: _Component, source: str, name: str, factor: float) -> None:
    if comp.finite == 0:
        return
    if sum(c for c, _ in comp.fills.values()) >= 2:
        for fill in FILL_LIKE:
            count, value = comp.fills.get(fill, (0, 0.0))
            if count >= 2:
                _refuse_fill(source, name, value, count, comp.finite, value * factor)
    if not comp.fast:
        return
    values = np.array(sorted(comp.fast))
    counts = np.array([comp.fast[v] for v in values])
    n_fast = int(counts.sum())
    k = int(np.argmax(counts))
    if counts[k] >= max(2, 0.5 * n_fast, 0.01 * comp.finite):  # one value is most of the fast ones
        _refuse_fill(source, name, float(values[k] / factor), int(counts[k]), comp.finite, float(values[k]))
    if np.abs(values).max() > MAX_SPEED:
        top = float(values[np.argmax(np.abs(values))])
        raise InputDataError(
            f"ocean data {source!r}: variable {name!r} reaches {top:g} m/s (as written: {top / factor:g}) "
            f"at {int(counts[np.abs(values) > MAX_SPEED].sum())} points; no ocean current is faster than "
            f"about {MAX_SPEED:g} m/s. Check its 'units' attribute (values in cm/s must say 'cm s-1') and "
            "its fill values (land must be NaN, _FillValue or missing_value)"
        )


@dataclass
class _Fastest:
    """The fastest speed and where, and how many speeds exceed WARN_SPEED, block by block."""

    top: float = -np.inf
    where: str = ""
    above: int = 0

    def add(self, block: xr.Dataset, t0: int) -> None:
        speed = cast(xr.DataArray, np.hypot(block["u"], block["v"]))  # a ufunc of DataArrays: a DataArray
        vals = speed.values
        self.above += int(np.count_nonzero(vals > WARN_SPEED))
        if not np.isfinite(vals).any():
            return
        idx = np.unravel_index(int(np.nanargmax(vals)), vals.shape)
        if vals[idx] <= self.top:
            return
        at = {d: block[d].values[i] for d, i in zip(speed.dims, idx, strict=True) if d in block.coords}
        self.top = float(vals[idx])
        self.where = ", ".join(
            f"{d} {str(v)[:19] if d == 'time' else f'{float(v):.3f}'}" for d, v in at.items()
        )


def check_plausible(ds: xr.Dataset, source: str, names: dict[str, str], factors: dict[str, float]) -> None:
    """Refuse implausible currents (see the module's rules); warn about speeds above WARN_SPEED.

    ``ds`` holds ``u`` and ``v`` in m/s (in memory or lazy: read block by block, :func:`time_blocks`);
    ``names`` and ``factors`` give, for each, the file's variable name and the factor that converted
    it to m/s (to quote values as written).
    """
    comps = {"u": _Component(), "v": _Component()}
    fastest = _Fastest()
    for t0, block in time_blocks(ds):
        for comp in ("u", "v"):
            comps[comp].add(block[comp].values, factors[comp])
        fastest.add(block, t0)
    for comp in ("u", "v"):
        _check_component(comps[comp], source, names[comp], factors[comp])
    if comps["u"].finite == 0:
        return
    if fastest.top > WARN_SPEED:
        log.warning(
            "currents of %s reach %.3g m/s (at %s; %d values above %g m/s): faster than almost any ocean "
            "current. Check the units and fill values of %s and %s",
            source,
            fastest.top,
            fastest.where,
            fastest.above,
            WARN_SPEED,
            names["u"],
            names["v"],
        )
