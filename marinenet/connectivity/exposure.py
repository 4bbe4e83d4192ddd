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

__all__ = ["zone_occupancy", "first_arrivals", "arrival_table", "exposure_table", "time_in_zones"]


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


def _rows(sources) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(particle, source, weight) rows from such rows or from one source label per particle."""
    if isinstance(sources, tuple):
        p, s, w = sources
        return np.asarray(p), np.asarray(s, dtype=object), np.asarray(w, float)
    s = np.asarray(sources, dtype=object)
    return np.arange(s.size), s, np.ones(s.size)


def _quantiles(d: np.ndarray, w: np.ndarray) -> np.ndarray:
    """10th, 50th and 90th percentiles (weighted: inverted CDF of the weights)."""
    if np.all(w == 1.0):
        return np.percentile(d, [10, 50, 90])
    return np.percentile(d, [10, 50, 90], weights=w, method="inverted_cdf")


def _alive(ws: np.ndarray, p: np.ndarray, d: np.ndarray, survival) -> tuple[np.ndarray, float | int]:
    """Weights of particles ``p`` (shares ``ws``) at arrival ages ``d``, and their count (whole or weighted)."""
    w = ws * (survival.at(p, d) if survival is not None else 1.0)
    return w, (int(w.size) if np.all(w == 1.0) else float(w.sum()))


def arrival_table(sources, arrivals: np.ndarray, zones: list[str], survival=None) -> pd.DataFrame:
    """``source, destination, n, median_days, p10_days, p90_days`` of first arrivals.

    ``sources`` is one source label per particle, or weighted ``(particle, source, weight)``
    rows (a particle shared among overlapping source zones). With ``survival`` (a
    :class:`~marinenet.streaming.Survival`) each arrival counts the particle's survival
    weight at its arrival time: ``n`` is then the expected number of live arrivals and the
    percentiles are weighted. Arrivals into the particle's own source zone are left out.
    """
    part, src, sw = _rows(sources)
    rows = []
    for s in sorted(set(src.tolist()), key=str):
        on = src == s
        p, ws = part[on], sw[on]
        for j, z in enumerate(zones):
            if z == s:
                continue
            d = arrivals[p, j].astype(float)
            ok = np.isfinite(d)
            w, n = _alive(ws[ok], p[ok], d[ok], survival)
            if w.sum() > 0:
                p10, med, p90 = _quantiles(d[ok], w)
                rows.append(
                    {
                        "source": s,
                        "destination": z,
                        "n": n,
                        "median_days": med,
                        "p10_days": p10,
                        "p90_days": p90,
                    }
                )
    return pd.DataFrame(rows, columns=["source", "destination", "n", "median_days", "p10_days", "p90_days"])


def exposure_table(sources, days: np.ndarray, arrivals: np.ndarray, zones: list[str], survival=None):
    """``source, zone, particle_days, particles_visiting`` from streamed days and first arrivals.

    ``days`` (particle × zone) are particle-days (survival-weighted when the run's mortality
    is by weights); ``particles_visiting`` counts the particles that were ever in the zone,
    each by its share of the source and, with ``survival``, its survival at first arrival.
    """
    part, src, sw = _rows(sources)
    rows = []
    for s in sorted(set(src.tolist()), key=str):
        on = src == s
        p, ws = part[on], sw[on]
        for j, z in enumerate(zones):
            pd_ = float(ws @ days[p, j])
            seen = np.isfinite(arrivals[p, j])
            if pd_ > 0 or seen.any():
                _, visiting = _alive(ws[seen], p[seen], arrivals[p[seen], j], survival)
                rows.append({"source": s, "zone": z, "particle_days": pd_, "particles_visiting": visiting})
    return pd.DataFrame(rows, columns=["source", "zone", "particle_days", "particles_visiting"])
