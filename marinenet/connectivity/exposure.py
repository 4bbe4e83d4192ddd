"""Exposure connectivity: which zones particles pass through, when they first arrive, how long they stay.

:class:`ZoneTally` is the one definition of first arrival and time in zone, fed step by step:
by the engines while they track (:mod:`marinenet.streaming`, every engine step) and by the
telemetry analytics over the sub-steps of animal tracks (:mod:`marinenet.telemetry.analytics`).
A step counts for the zone where it started; the first arrival in a zone is the end of the
first step that ends there (the zone of release: arrival 0). :func:`arrival_table` and
:func:`exposure_table` tabulate a run's tallies per source.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from . import _tally_kernels as K

__all__ = ["Visits", "ZoneTally", "arrival_table", "exposure_table"]


class Visits(NamedTuple):
    """The (particle, zone) cells of a :class:`ZoneTally`, sorted by particle then zone (sparse COO)."""

    particle: np.ndarray  # int64
    zone: np.ndarray  # int64
    first: np.ndarray  # first arrival there
    days: np.ndarray  # time spent there

    def dense(self, n: int, n_zones: int) -> tuple[np.ndarray, np.ndarray]:
        """``(first, days)`` as particle × zone arrays (NaN and 0 where never there): n × n_zones
        memory, for small runs and checks."""
        first, days = np.full((n, n_zones), np.nan), np.zeros((n, n_zones))
        first[self.particle, self.zone], days[self.particle, self.zone] = self.first, self.days
        return first, days


class ZoneTally:
    """First arrival and time per particle and zone (zones numbered 0 .. n_zones − 1), sparse.

    Only the (particle, zone) cells a particle has been in are held (:meth:`visits`): the
    arrival value the caller gives (days or seconds after release) and the step lengths
    summed there; ``here`` is each particle's zone at its last step (or release; −1 before
    it). Memory: 8 bytes per particle plus 16–32 per cell visited, whatever the number of zones.
    """

    def __init__(self, n: int, n_zones: int, dtype=np.float32):
        self.n_zones, self.dtype = int(n_zones), np.dtype(dtype)
        self.here = np.full(n, -1, np.int32)
        self._run = np.zeros(n, self.dtype)  # time in the current zone (its cell's value)
        self._count = 0
        self._alloc(16)

    def _alloc(self, capacity: int) -> None:
        self._keys = np.full(capacity, K.EMPTY, np.int64)
        self._first = np.zeros(capacity, self.dtype)
        self._days = np.zeros(capacity, self.dtype)
        self._shift = 64 - (capacity.bit_length() - 1)

    def _reserve(self, more: int) -> None:
        """Room for ``more`` new cells at a load of at most one half."""
        need = 2 * (self._count + more)
        if need <= self._keys.size:
            return
        keys, first, days = self._cells()
        self._alloc(1 << max(need - 1, 15).bit_length())
        self._count = 0
        self._put(keys, first, days)

    def _put(self, keys: np.ndarray, first: np.ndarray, days: np.ndarray) -> None:
        self._count += K.tally_put(self._keys, self._first, self._days, keys, first, days, self._shift)

    def _cells(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        K.tally_flush(
            self._keys,
            self._days,
            self.here,
            self._run,
            np.flatnonzero(self.here >= 0),
            self.n_zones,
            self._shift,
        )
        used = np.flatnonzero(self._keys != K.EMPTY)
        order = used[np.argsort(self._keys[used], kind="stable")]
        return self._keys[order], self._first[order], self._days[order]

    def start(self, idx: np.ndarray, zone: np.ndarray) -> None:
        """Particles ``idx`` are released in ``zone``: there from arrival 0."""
        idx = np.asarray(idx, np.int64)
        self._reserve(idx.size)
        zone = np.ascontiguousarray(np.broadcast_to(np.asarray(zone, np.int64), idx.shape))
        self._count += K.tally_start(
            self._keys, self._first, self._days, self.here, self._run, idx, zone, self.n_zones, self._shift
        )

    def step(self, idx: np.ndarray, length: np.ndarray, zone: np.ndarray, arrival: np.ndarray) -> None:
        """Particles ``idx`` made a step of ``length`` (counted where it started) ending in ``zone``;
        ``arrival`` is what a first arrival there records (e.g. the age at the step's end)."""
        idx = np.asarray(idx, np.int64)
        self._reserve(idx.size)
        shape = idx.shape
        length = np.broadcast_to(np.asarray(length).astype(self.dtype), shape)
        arrival = np.broadcast_to(np.asarray(arrival).astype(self.dtype), shape)
        zone = np.broadcast_to(np.asarray(zone, np.int64), shape)
        self._count += K.tally_step(
            self._keys,
            self._first,
            self._days,
            self.here,
            self._run,
            idx,
            np.ascontiguousarray(length),
            np.ascontiguousarray(zone),
            np.ascontiguousarray(arrival),
            self.n_zones,
            self._shift,
        )

    def visits(self) -> Visits:
        """Every (particle, zone) cell visited: first arrival and time there, sorted by particle then zone."""
        keys, first, days = self._cells()
        return Visits(keys // self.n_zones, keys % self.n_zones, first, days)

    def load(self, particle: np.ndarray, visits: Visits, here: np.ndarray) -> None:
        """Set the cells of ``visits`` (their particles numbered by ``particle``) and where those
        particles are now (``here``, one per entry of ``particle``)."""
        particle = np.asarray(particle, np.int64)
        p = particle[np.asarray(visits.particle, np.int64)]
        self._reserve(p.size)
        self._put(
            p * self.n_zones + np.asarray(visits.zone, np.int64),
            np.asarray(visits.first, self.dtype),
            np.asarray(visits.days, self.dtype),
        )
        self.here[particle] = here
        K.tally_load_run(self._keys, self._days, self.here, self._run, particle, self.n_zones, self._shift)


def _rows(sources) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(particle, source, weight) rows from such rows or from one source label per particle."""
    if isinstance(sources, tuple):
        p, s, w = sources
        return np.asarray(p, np.int64), np.asarray(s, dtype=object), np.asarray(w, float)
    s = np.asarray(sources, dtype=object)
    return np.arange(s.size), s, np.ones(s.size)


class _Joined(NamedTuple):
    """Visits joined with the source rows of their particles, sorted by (source, zone, source row)."""

    names: list[str]  # source labels, sorted
    source: np.ndarray  # source code of each entry
    zone: np.ndarray
    particle: np.ndarray
    share: np.ndarray  # the particle's share of the source
    first: np.ndarray
    days: np.ndarray
    starts: np.ndarray  # first entry of each (source, zone) group
    stops: np.ndarray


def _join(sources, visits: Visits) -> _Joined:
    """Each visit once per source row of its particle (a particle split among sources has several)."""
    part, src, sw = _rows(sources)
    names = sorted(set(src.tolist()), key=str)
    code = pd.Index(names, dtype=object).get_indexer(src).astype(np.int64)
    order = np.argsort(part, kind="stable")
    sp = part[order]
    vp = np.asarray(visits.particle, np.int64)
    lo, hi = np.searchsorted(sp, vp, "left"), np.searchsorted(sp, vp, "right")
    cnt = hi - lo
    v = np.repeat(np.arange(vp.size), cnt)
    within = np.arange(v.size) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    row = order[np.repeat(lo, cnt) + within]  # the source row of each entry
    zone = np.asarray(visits.zone, np.int64)[v]
    key = np.lexsort((row, zone[:], code[row]))
    row, v, zone = row[key], v[key], zone[key]
    s = code[row]
    edge = np.flatnonzero((np.diff(s) != 0) | (np.diff(zone) != 0)) + 1
    starts = np.r_[0, edge] if v.size else np.zeros(0, np.int64)
    stops = np.r_[edge, v.size] if v.size else np.zeros(0, np.int64)
    first = np.asarray(visits.first)[v].astype(float)
    return _Joined(names, s, zone, part[row], sw[row], first, np.asarray(visits.days)[v], starts, stops)


def _group_sum(x: np.ndarray, starts: np.ndarray) -> np.ndarray:
    return np.add.reduceat(x, starts) if starts.size else np.zeros(0)


def _counts(w: np.ndarray, starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """Per group: the number of entries where all weights are 1, else the weight sum (float column
    as soon as one group is weighted)."""
    whole = _group_sum((w != 1.0).astype(np.int64), starts) == 0
    n = stops - starts
    return n if whole.all() else np.where(whole, n.astype(float), _group_sum(w, starts))


def arrival_table(sources, visits: Visits, zones: list[str], survival=None) -> pd.DataFrame:
    """``source, destination, n, median_days, p10_days, p90_days`` of first arrivals.

    ``sources`` is one source label per particle, or weighted ``(particle, source, weight)``
    rows (a particle shared among overlapping source zones); ``visits`` the cells of the
    layer's :class:`ZoneTally` (first arrivals in days). With ``survival`` (a
    :class:`~marinenet.streaming.Survival`) each arrival counts the particle's survival
    weight at its arrival time: ``n`` is then the expected number of live arrivals and the
    percentiles are weighted. Arrivals into the particle's own source zone are left out.
    """
    j = _join(sources, visits)
    label = np.asarray(zones, dtype=object)
    own = np.asarray(j.names, dtype=object)[j.source] == label[j.zone] if j.zone.size else np.zeros(0, bool)
    keep = np.flatnonzero(~own)
    w = j.share[keep] * (survival.at(j.particle[keep], j.first[keep]) if survival is not None else 1.0)
    s, z, d, p = j.source[keep], j.zone[keep], j.first[keep], np.arange(keep.size)
    # regroup without the own-zone entries; within a group, sort by arrival (ties: source-row order)
    key = np.lexsort((p, d, z, s))
    s, z, d, w = s[key], z[key], d[key], w[key]
    edge = np.flatnonzero((np.diff(s) != 0) | (np.diff(z) != 0)) + 1
    starts, stops = (np.r_[0, edge], np.r_[edge, s.size]) if s.size else (np.zeros(0, int),) * 2
    total = _group_sum(w, starts)
    live = total > 0
    starts, stops = starts[live], stops[live]
    weighted = _group_sum((w != 1.0).astype(np.int64), starts) > 0
    q = K.group_percentiles(d, w, starts, stops, np.array([10.0, 50.0, 90.0]) / 100, weighted)
    n = _counts(w, starts, stops)
    return pd.DataFrame(
        {
            "source": np.asarray(j.names, dtype=object)[s[starts]],
            "destination": label[z[starts]],
            "n": n,
            "median_days": q[:, 1],
            "p10_days": q[:, 0],
            "p90_days": q[:, 2],
        },
        columns=["source", "destination", "n", "median_days", "p10_days", "p90_days"],
    )


def exposure_table(sources, visits: Visits, zones: list[str], survival=None) -> pd.DataFrame:
    """``source, zone, particle_days, particles_visiting`` from the cells of a layer's :class:`ZoneTally`.

    Their time (particle-days; survival-weighted when the run's mortality is by weights) is
    summed per source, each particle by its share; ``particles_visiting`` counts the particles
    that were ever in the zone, each by its share of the source and, with ``survival``, its
    survival at first arrival.
    """
    j = _join(sources, visits)
    w = j.share * (survival.at(j.particle, j.first) if survival is not None else 1.0)
    return pd.DataFrame(
        {
            "source": np.asarray(j.names, dtype=object)[j.source[j.starts]],
            "zone": np.asarray(zones, dtype=object)[j.zone[j.starts]],
            "particle_days": _group_sum(j.share * j.days, j.starts),
            "particles_visiting": _counts(w, j.starts, j.stops),
        },
        columns=["source", "zone", "particle_days", "particles_visiting"],
    )
