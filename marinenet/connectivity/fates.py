"""End-of-run connectivity: count matrices from where particles were released and how they ended.

Destination of a particle = the zone of its last position (drifting, settled, unsettled or
arrived particles) or its outcome (``stranded``, ``out_of_domain``, ``dead``, ``error``).
Larvae also get a settlement matrix ``<layer>.settlement``: the zone where a larva settled,
else its fate. Releases at points get a matrix ``points`` (rows: the points in their order,
destinations by the first layer). With survival weights each particle's row is scaled by
its weight and the rest goes to ``dead``.

Every matrix keeps the weighted ``(particle, label, weight)`` rows it was counted from
(:class:`Rows`), so the intervals, arrivals and exposure use the same assignment.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

import numpy as np
import xarray as xr

from .matrix import connectivity_matrix
from .sparse import ALL_PAIRS_LIMIT, SparseCounts, pair_count

__all__ = ["Rows", "Fates", "EndState", "ReleaseSites", "connectivity_fates", "PLACED"]

#: statuses whose particles are somewhere in the sea at the end (their zone is the destination)
PLACED = ("active", "settled", "unsettled", "arrived")


class Rows(NamedTuple):
    """Weighted memberships: particle ``p`` has ``label`` with ``weight`` (a particle's weights sum to 1)."""

    particle: np.ndarray
    label: np.ndarray
    weight: np.ndarray


class Layer(Protocol):  # what this module needs of a zone layer (marinenet.zones.ZoneLayer)
    @property
    def ids(self) -> list[str]: ...

    @property
    def outside(self) -> str: ...

    @property
    def overlaps(self) -> str: ...

    def members(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]: ...

    def labels(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray: ...


@dataclass
class EndState:
    """How each particle ended: its status name, last position and survival weight (None: all 1)."""

    status: np.ndarray  # status names (object array)
    lon: np.ndarray
    lat: np.ndarray
    weight: np.ndarray | None = None

    @classmethod
    def from_codes(
        cls, codes: np.ndarray, names: Mapping[int, str], lon: np.ndarray, lat: np.ndarray, weight=None
    ) -> EndState:
        """From status codes and the name of each code."""
        return cls(np.array([names[int(c)] for c in codes], dtype=object), lon, lat, weight)


@dataclass
class ReleaseSites:
    """Where each particle was released: position, source label, and the source labels in their order.

    ``layer`` names the zone layer the release polygons came from (None for points).
    """

    lon: np.ndarray
    lat: np.ndarray
    source: np.ndarray
    labels: Sequence[str]
    layer: str | None = None

    @property
    def own_rows(self) -> Rows:
        n = self.source.size
        return Rows(np.arange(n), np.asarray(self.source, dtype=object), np.ones(n))


@dataclass
class Fates:
    """Count matrices, and per matrix the destination and source rows it was counted from."""

    matrices: dict[str, xr.DataArray | SparseCounts] = field(default_factory=dict)
    destinations: dict[str, Rows] = field(default_factory=dict)
    sources: dict[str, Rows] = field(default_factory=dict)
    #: matrices with more (source, destination) pairs are held as their non-zero pairs
    all_pairs_limit: int = ALL_PAIRS_LIMIT

    def add(self, name: str, src: Rows, dst: Rows, rows: list[str], cols: list[str], weighted: bool) -> None:
        s, d, w = _pairs(src, dst)
        self.matrices[name] = connectivity_matrix(
            s,
            d,
            rows,
            cols,
            name=name,
            weights=w if weighted else None,
            sparse=pair_count(len(rows), len(cols)) > self.all_pairs_limit,
        )
        self.destinations[name], self.sources[name] = dst, src


def _pairs(src: Rows, dst: Rows) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Join source and destination rows on the particle: (source, destination, weight) per pair, in the
    order of the source rows (each one's destinations in their order), as an inner merge would."""
    sp, dp = np.asarray(src.particle, np.int64), np.asarray(dst.particle, np.int64)
    order = np.argsort(dp, kind="stable")
    lo = np.searchsorted(dp[order], sp, "left")
    cnt = np.searchsorted(dp[order], sp, "right") - lo
    left = np.repeat(np.arange(sp.size), cnt)
    right = order[np.repeat(lo, cnt) + (np.arange(left.size) - np.repeat(np.cumsum(cnt) - cnt, cnt))]
    labels = np.asarray(src.label, dtype=object)[left], np.asarray(dst.label, dtype=object)[right]
    return *labels, np.asarray(src.weight, float)[left] * np.asarray(dst.weight, float)[right]


def _survivors(p: np.ndarray, d: np.ndarray, w: np.ndarray, weight: np.ndarray | None) -> Rows:
    """Scale destination rows by survival weights; the rest of each particle goes to ``dead``."""
    if weight is None:
        return Rows(p, d, w)
    n = weight.size
    p, d, w = (
        np.r_[p, np.arange(n)],
        np.r_[d, np.full(n, "dead", dtype=object)],
        np.r_[w * weight[p], 1 - weight],
    )
    keep = w > 0
    return Rows(p[keep], d[keep], w[keep])


def _destinations(
    layer: Layer, end: EndState, in_zone: set[str], relabel: Mapping[str, str] | None = None
) -> Rows:
    """Destination rows: a zone for statuses in ``in_zone``, else the status (renamed by ``relabel``)."""
    placed = np.flatnonzero(np.isin(end.status, list(in_zone)))
    other = np.flatnonzero(~np.isin(end.status, list(in_zone)))
    labels = np.array([(relabel or {}).get(x, x) for x in end.status[other]], dtype=object)
    ap, al, aw = layer.members(end.lon[placed], end.lat[placed])
    return _survivors(np.r_[placed[ap], other], np.r_[al, labels], np.r_[aw, np.ones(other.size)], end.weight)


def connectivity_fates(
    layers: Mapping[str, Layer],
    release: ReleaseSites,
    end: EndState,
    larva: bool,
    all_pairs_limit: int = ALL_PAIRS_LIMIT,
) -> Fates:
    """Every connectivity matrix of a run (see the module docstring); a matrix of more than
    ``all_pairs_limit`` (source, destination) pairs is held as its non-zero pairs
    (:class:`~marinenet.connectivity.sparse.SparseCounts`)."""
    n = release.source.size
    error = bool(np.any(end.status == "error"))
    outcomes = ["stranded", "out_of_domain"] + (["dead"] if larva else []) + (["error"] if error else [])
    fates = ["unsettled", "dead", "stranded", "out_of_domain"] + (["error"] if error else [])
    weighted_run = end.weight is not None
    out = Fates(all_pairs_limit=all_pairs_limit)
    for name, layer in layers.items():
        src = release.own_rows if release.layer == name else Rows(*layer.members(release.lon, release.lat))
        zones = [*layer.ids, layer.outside]
        weighted = layer.overlaps == "split" or weighted_run
        out.add(name, src, _destinations(layer, end, set(PLACED)), zones, zones + outcomes, weighted)
        if larva:
            dst = _destinations(layer, end, {"settled"}, relabel={"active": "unsettled"})
            out.add(f"{name}.settlement", src, dst, zones, zones + fates, weighted)
    if not layers or release.layer is None:
        first = next(iter(layers.values()), None)
        where = first.labels(end.lon, end.lat) if first else np.full(n, "ocean", dtype=object)
        dst = _survivors(
            np.arange(n), np.where(np.isin(end.status, PLACED), where, end.status), np.ones(n), end.weight
        )
        cols = ([*first.ids, first.outside] if first else ["ocean"]) + outcomes
        cols += ["dead"] if weighted_run and "dead" not in cols else []
        out.add("points", release.own_rows, dst, list(release.labels), cols, weighted_run)
    return out
