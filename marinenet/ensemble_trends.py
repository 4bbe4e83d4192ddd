"""Trends across ensemble members: a Theil–Sen slope per year and a Mann–Kendall test per indicator.

The time of a member is its release start in decimal years (``2021-07-02`` → 2021.5), so members may
be years, seasons or any dates. For the values ``y`` of one indicator at times ``t`` (members whose
value is undefined are left out; ``n`` counts the others):

* **Theil–Sen slope** (Sen 1968): the median of the slopes ``(y_j − y_i)/(t_j − t_i)`` over all pairs,
  with its 95 % interval from the ranks of those slopes (:func:`scipy.stats.theilslopes`, which follows
  Sen's rank formula; the interval is wide for a few members: with five it is the smallest to the
  largest pairwise slope).
* **Mann–Kendall test** (Mann 1945, Kendall 1975; as in Gilbert 1987, §16.4): ``S = Σ_{i<j}
  sign(y_j − y_i)`` over members in time order; ``Var S = [n(n−1)(2n+5) − Σ_g t_g(t_g−1)(2t_g+5)]/18``
  with ``t_g`` the size of each group of tied values (tie correction); ``Z = (S − 1)/√Var S`` for
  ``S > 0``, ``(S + 1)/√Var S`` for ``S < 0`` (continuity correction), 0 otherwise; two-sided
  ``p = 2·(1 − Φ(|Z|))``. ``tau`` is Kendall's tau-b of the values against time (the member times
  are distinct), ``S/√(N·(N − Σ_g t_g(t_g−1)/2))`` with ``N = n(n−1)/2``.
* **Verdict**: ``increasing`` / ``decreasing`` when ``p < alpha`` (0.05) with that sign of ``S``;
  ``no detectable trend`` otherwise (a constant series has ``Var S = 0``: p = 1); ``too few members``
  below :data:`MIN_MEMBERS` (with four members the smallest possible p is 0.09: no trend can be
  detected at 0.05; the slope is still given).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from datetime import datetime

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

__all__ = [
    "Trend",
    "trend",
    "mann_kendall",
    "theil_sen",
    "decimal_year",
    "MIN_MEMBERS",
    "ALPHA",
    "VERDICTS",
    "TEST",
]

#: fewer members than this get the verdict "too few members"
MIN_MEMBERS = 4
#: the test's level
ALPHA = 0.05
VERDICTS = ("increasing", "decreasing", "no detectable trend", "too few members")
#: what the ``test`` column of trends.csv names
TEST = "Mann-Kendall (tie-corrected variance, continuity correction, normal approximation)"


@dataclass(frozen=True)
class Trend:
    """The trend of one indicator across members (see the module docstring)."""

    n_members: int
    slope_per_year: float
    slope_ci_low: float
    slope_ci_high: float
    intercept: float
    S: float
    var_S: float
    tau: float
    p_value: float
    verdict: str

    def as_row(self) -> dict:
        return asdict(self)


def decimal_year(when: datetime | np.datetime64 | str) -> float:
    """``when`` in decimal years: the year plus the elapsed share of that (365- or 366-day) year."""
    d = when if isinstance(when, datetime) else datetime.fromisoformat(str(np.datetime64(str(when), "s")))
    start, end = datetime(d.year, 1, 1), datetime(d.year + 1, 1, 1)
    return d.year + (d - start).total_seconds() / (end - start).total_seconds()


def mann_kendall(t: ArrayLike, y: ArrayLike) -> tuple[float, float, float, float]:
    """``(S, Var S, tau, p)`` of the Mann–Kendall test of ``y`` against the distinct times ``t``."""
    times, values = np.asarray(t, float), np.asarray(y, float)
    y = values[np.argsort(times, kind="stable")]
    n = y.size
    i, j = np.triu_indices(n, k=1)
    S = float(np.sign(y[j] - y[i]).sum())
    _, groups = np.unique(y, return_counts=True)
    var = (n * (n - 1) * (2 * n + 5) - float(np.sum(groups * (groups - 1) * (2 * groups + 5)))) / 18.0
    pairs = n * (n - 1) / 2
    tied = float(np.sum(groups * (groups - 1) / 2))
    tau = S / math.sqrt(pairs * (pairs - tied)) if pairs > tied else math.nan
    if var <= 0:
        return S, var, tau, 1.0
    z = (S - np.sign(S)) / math.sqrt(var)
    return S, var, tau, float(2.0 * stats.norm.sf(abs(z)))


def theil_sen(t: ArrayLike, y: ArrayLike, level: float = 0.95) -> tuple[float, float, float, float]:
    """``(slope, intercept, low, high)``: the Theil–Sen slope and its ``level`` interval (scipy)."""
    res = stats.theilslopes(np.asarray(y, float), np.asarray(t, float), alpha=level)
    return float(res.slope), float(res.intercept), float(res.low_slope), float(res.high_slope)


def trend(t: ArrayLike, y: ArrayLike, alpha: float = ALPHA) -> Trend:
    """The :class:`Trend` of ``y`` at times ``t`` (decimal years); undefined values are left out."""
    times, values = np.asarray(t, float), np.asarray(y, float)
    keep = np.isfinite(times) & np.isfinite(values)
    times, values = times[keep], values[keep]
    n = int(values.size)
    if n < 2:
        nan = math.nan
        return Trend(n, nan, nan, nan, nan, nan, nan, nan, nan, VERDICTS[3])
    slope, intercept, low, high = theil_sen(times, values)
    S, var, tau, p = mann_kendall(times, values)
    if n < MIN_MEMBERS:
        verdict = VERDICTS[3]
    elif p < alpha and S != 0:
        verdict = VERDICTS[0] if S > 0 else VERDICTS[1]
    else:
        verdict = VERDICTS[2]
    return Trend(n, slope, low, high, intercept, S, var, tau, p, verdict)
