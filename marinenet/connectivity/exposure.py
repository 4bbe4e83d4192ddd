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

__all__ = ["Visits", "ZoneTally", "arrival_table", "exposure_table", "visit_tables"]


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
    it). Memory: 8 bytes per particle plus a 16-byte hash-table slot per cell visited at a load
    between 3/8 and 3/4 (21–43 bytes per cell), whatever the number of zones.
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

    def _room(self, more: int = 1) -> int:
        """New cells the table takes before it must grow (a load of at most 3/4); grown first (doubling)
        until ``more`` fit."""
        if self._count + more > (3 * self._keys.size) // 4:
            capacity = self._keys.size
            while self._count + more > (3 * capacity) // 4:
                capacity *= 2
            keys, first, days = self._cells()
            self._alloc(capacity)
            self._count = 0
            self._fill(keys, first, days)
        return (3 * self._keys.size) // 4 - self._count

    def _fill(self, keys: np.ndarray, first: np.ndarray, days: np.ndarray) -> None:
        k = 0
        while k < keys.size:
            room = self._room(keys.size - k)
            k, new = K.tally_put(self._keys, self._first, self._days, keys, first, days, self._shift, k, room)
            self._count += new

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
        zone = np.ascontiguousarray(np.broadcast_to(np.asarray(zone, np.int64), idx.shape))
        k = 0
        while k < idx.size:
            room = self._room(idx.size - k)  # (may grow the table: before its arrays are passed)
            k, new = K.tally_start(
                self._keys, self._first, self._days, self.here, self._run, idx, zone, self.n_zones,
                self._shift, k, room,
            )  # fmt: skip
            self._count += new

    def step(self, idx: np.ndarray, length: np.ndarray, zone: np.ndarray, arrival: np.ndarray) -> None:
        """Particles ``idx`` made a step of ``length`` (counted where it started) ending in ``zone``;
        ``arrival`` is what a first arrival there records (e.g. the age at the step's end)."""
        idx = np.asarray(idx, np.int64)
        shape = idx.shape
        length = np.ascontiguousarray(np.broadcast_to(np.asarray(length).astype(self.dtype), shape))
        arrival = np.ascontiguousarray(np.broadcast_to(np.asarray(arrival).astype(self.dtype), shape))
        zone = np.ascontiguousarray(np.broadcast_to(np.asarray(zone, np.int64), shape))
        k = 0
        while k < idx.size:
            room = self._room()  # (may grow the table: before its arrays are passed)
            k, new = K.tally_step(
                self._keys, self._first, self._days, self.here, self._run, idx, length, zone, arrival,
                self.n_zones, self._shift, k, room,
            )  # fmt: skip
            self._count += new

    def visits(self) -> Visits:
        """Every (particle, zone) cell visited: first arrival and time there, sorted by particle then zone."""
        keys, first, days = self._cells()
        return Visits(keys // self.n_zones, keys % self.n_zones, first, days)

    def load(self, particle: np.ndarray, visits: Visits, here: np.ndarray) -> None:
        """Set the cells of ``visits`` (their particles numbered by ``particle``) and where those
        particles are now (``here``, one per entry of ``particle``)."""
        particle = np.asarray(particle, np.int64)
        p = particle[np.asarray(visits.particle, np.int64)]
        self._fill(
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
    """Visits joined with the source rows of their particles (one entry per visit and source row)."""

    names: list[str]  # source labels, sorted
    source: np.ndarray  # source code of each entry
    zone: np.ndarray
    particle: np.ndarray
    share: np.ndarray  # the particle's share of the source
    first: np.ndarray
    days: np.ndarray


def _join(sources, visits: Visits) -> _Joined:
    """Each visit once per source row of its particle (a particle split among sources has several);
    particles without a source row are left out."""
    part, src, sw = _rows(sources)
    code, uniq = pd.factorize(pd.Series(src, dtype=object), sort=False)
    names = sorted(uniq, key=str)
    code = pd.Index(names, dtype=object).get_indexer(uniq)[code] if names else np.zeros(0, np.int64)
    vp = np.asarray(visits.particle, np.int64)
    size = int(max(part.max(initial=-1), vp.max(initial=-1))) + 1
    if np.bincount(part, minlength=1).max() <= 1:  # one source row per particle: index by particle
        row_of = np.full(size, -1, np.int64)
        row_of[part] = np.arange(part.size)
        v = np.flatnonzero(row_of[vp] >= 0)
        row = row_of[vp[v]]
    else:
        order = np.argsort(part, kind="stable")
        sp = part[order]
        lo, hi = np.searchsorted(sp, vp, "left"), np.searchsorted(sp, vp, "right")
        cnt = hi - lo
        v = np.repeat(np.arange(vp.size), cnt)
        row = order[np.repeat(lo, cnt) + (np.arange(v.size) - np.repeat(np.cumsum(cnt) - cnt, cnt))]
    first = np.asarray(visits.first)[v].astype(float)
    zone = np.asarray(visits.zone, np.int64)[v]
    return _Joined(names, code[row], zone, part[row], sw[row], first, np.asarray(visits.days)[v])


def _groups(j: _Joined, n_zones: int, keep: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Order of the entries (``keep`` of them) by (source, zone), and each group's start (plus the end)."""
    s, z = (j.source, j.zone) if keep is None else (j.source[keep], j.zone[keep])
    order, starts = K.group_order(s, z, len(j.names), n_zones)
    return (order if keep is None else keep[order]), starts


def _group_sum(x: np.ndarray, starts: np.ndarray) -> np.ndarray:
    return np.add.reduceat(x, starts[:-1]) if starts.size > 1 else np.zeros(0)


def _counts(w: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Per group: the number of entries where all weights are 1, else the weight sum (float column
    as soon as one group is weighted)."""
    whole = _group_sum((w != 1.0).astype(np.int64), starts) == 0
    n = np.diff(starts)
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
    return _arrivals(_join(sources, visits), zones, survival)


def _arrivals(j: _Joined, zones: list[str], survival) -> pd.DataFrame:
    label = np.asarray(zones, dtype=object)
    own_zone = pd.Index(label).get_indexer(np.asarray(j.names, dtype=object))  # source's own zone (−1: none)
    keep = np.flatnonzero(own_zone[j.source] != j.zone) if j.zone.size else np.zeros(0, np.int64)
    order, starts = _groups(j, len(zones), keep)
    order = K.sort_within(order, j.first, starts)  # by arrival within each group (ties: in order)
    s, z, d = j.source[order], j.zone[order], j.first[order]
    w = j.share[order] * (survival.at(j.particle[order], d) if survival is not None else 1.0)
    live = _group_sum(w, starts) > 0
    weighted = live & (_group_sum((w != 1.0).astype(np.int64), starts) > 0)
    q = K.group_percentiles(d, w, starts[:-1], starts[1:], np.array([10.0, 50.0, 90.0]) / 100, weighted)
    n, first = _counts(w, starts)[live], starts[:-1][live]
    return pd.DataFrame(
        {
            "source": np.asarray(j.names, dtype=object)[s[first]],
            "destination": label[z[first]],
            "n": n,
            "median_days": q[live, 1],
            "p10_days": q[live, 0],
            "p90_days": q[live, 2],
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
    return _exposure(_join(sources, visits), zones, survival)


def _exposure(j: _Joined, zones: list[str], survival) -> pd.DataFrame:
    order, starts = _groups(j, len(zones))
    share, first = j.share[order], starts[:-1]
    w = share * (survival.at(j.particle[order], j.first[order]) if survival is not None else 1.0)
    return pd.DataFrame(
        {
            "source": np.asarray(j.names, dtype=object)[j.source[order][first]],
            "zone": np.asarray(zones, dtype=object)[j.zone[order][first]],
            "particle_days": _group_sum(share * j.days[order], starts),
            "particles_visiting": _counts(w, starts),
        },
        columns=["source", "zone", "particle_days", "particles_visiting"],
    )


def visit_tables(
    sources, visits: Visits, zones: list[str], survival=None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`arrival_table` and :func:`exposure_table` of the same visits, joined with the sources once."""
    j = _join(sources, visits)
    return _arrivals(j, zones, survival), _exposure(j, zones, survival)
