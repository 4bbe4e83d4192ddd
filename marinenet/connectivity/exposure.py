"""Exposure connectivity: which zones particles pass through, when they first arrive, how long they stay.

:class:`ZoneTally` is the one definition of first arrival and time in zone, fed step by step:
by the engines while they track (:mod:`marinenet.streaming`, every engine step) and by the
telemetry analytics over the sub-steps of animal tracks (:mod:`marinenet.telemetry.analytics`).
A step counts for the zone where it started; the first arrival in a zone is the end of the
first step that ends there (the zone of release: arrival 0). :func:`arrival_table` and
:func:`exposure_table` tabulate a run's tallies per source.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["ZoneTally", "arrival_table", "exposure_table"]


class ZoneTally:
    """First arrival and time per particle and zone (zones numbered 0 .. n_zones − 1).

    ``first`` holds the arrival value the caller gives (days or seconds after release; NaN:
    never there), ``days`` the step lengths summed per zone, ``here`` each particle's zone at
    its last step (or release; −1 before it).
    """

    def __init__(self, n: int, n_zones: int, dtype=np.float32):
        self.first = np.full((n, n_zones), np.nan, dtype)
        self.days = np.zeros((n, n_zones), dtype)
        self.here = np.full(n, -1, np.int32)

    def start(self, idx: np.ndarray, zone: np.ndarray) -> None:
        """Particles ``idx`` are released in ``zone``: there from arrival 0."""
        self.here[idx] = zone
        self.first[idx, zone] = 0.0

    def step(self, idx: np.ndarray, length: np.ndarray, zone: np.ndarray, arrival: np.ndarray) -> None:
        """Particles ``idx`` made a step of ``length`` (counted where it started) ending in ``zone``;
        ``arrival`` is what a first arrival there records (e.g. the age at the step's end)."""
        nz = self.first.shape[1]  # flat (particle, zone) cells: cheaper than 2-D fancy indexing
        days, first = self.days.reshape(-1), self.first.reshape(-1)
        days[idx * nz + self.here[idx]] += np.asarray(length).astype(days.dtype)
        cell = idx * nz + zone
        unseen = np.isnan(first[cell])
        first[cell[unseen]] = np.broadcast_to(arrival, cell.shape)[unseen]
        self.here[idx] = zone


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
