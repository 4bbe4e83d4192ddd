"""Exposure connectivity: which zones particles pass through, when they first arrive, how long they stay.

A run's ``arrivals/`` and ``exposure/`` come from every engine step (:mod:`marinenet.streaming`;
:func:`arrival_table` tabulates them). The other helpers here work on stored positions (e.g.
animal tracks), at their own resolution: a particle
is "in" a zone at an output time when the zone covers its position. First arrival is
the first output time in the zone (the release time counts, so a particle released in a
zone arrives there at day 0); time in zone counts output intervals spent there.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["zone_occupancy", "first_arrivals", "arrival_table", "time_in_zones"]


def zone_occupancy(labels: np.ndarray, outside: str) -> tuple[np.ndarray, list[str]]:
    """Integer codes of a ``(particle, obs)`` label array (NaN positions → -1) and the zone list.

    ``labels`` holds zone ids, the layer's ``outside`` label, or ``None`` where a particle
    was no longer tracked; the outside label and ``None`` are coded -1.
    """
    flat = labels.ravel()
    zones = sorted({z for z in flat.tolist() if z is not None and z != outside})
    index = {z: i for i, z in enumerate(zones)}
    codes = np.fromiter((index.get(z, -1) if z is not None else -1 for z in flat), np.int64, flat.size)
    return codes.reshape(labels.shape), zones


def first_arrivals(codes: np.ndarray, times_days: np.ndarray, n_zones: int) -> np.ndarray:
    """Days to the first output time each particle is in each zone: ``(particle, zone)``, NaN if never."""
    n, n_obs = codes.shape
    out = np.full((n, n_zones), np.nan)
    for k in range(n_obs - 1, -1, -1):  # backwards: earlier times overwrite later ones
        p = np.flatnonzero(codes[:, k] >= 0)
        out[p, codes[p, k]] = times_days[k]
    return out


def time_in_zones(codes: np.ndarray, interval_days: float, n_zones: int) -> np.ndarray:
    """Days each particle spends in each zone (output intervals counted at their start)."""
    n = codes.shape[0]
    out = np.zeros((n, n_zones))
    occ = codes[:, :-1]  # the state at the start of each interval
    p, k = np.nonzero(occ >= 0)
    np.add.at(out, (p, occ[p, k]), interval_days)
    return out


def arrival_table(source: np.ndarray, arrivals: np.ndarray, zones: list[str]) -> pd.DataFrame:
    """``source, destination, n, median_days, p10_days, p90_days`` of first arrivals.

    Arrivals into the particle's own source zone are left out (it starts there).
    """
    rows = []
    src = np.asarray(source, dtype=object)
    for s in sorted(set(src.tolist())):
        sel = src == s
        for j, z in enumerate(zones):
            if z == s:
                continue
            d = arrivals[sel, j]
            d = d[np.isfinite(d)]
            if d.size:
                p10, med, p90 = np.percentile(d, [10, 50, 90])
                rows.append(
                    {
                        "source": s,
                        "destination": z,
                        "n": int(d.size),
                        "median_days": med,
                        "p10_days": p10,
                        "p90_days": p90,
                    }
                )
    return pd.DataFrame(rows, columns=["source", "destination", "n", "median_days", "p10_days", "p90_days"])
