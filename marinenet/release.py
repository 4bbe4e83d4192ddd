"""Seeding: where and when particles start.

Particles released "in a layer" are spread uniformly by area over the chosen polygons:
each polygon gets a share of the particles proportional to its geodesic (WGS84) area
(largest-remainder rounding, so the counts add up exactly), and positions inside a
polygon are drawn uniformly *on the sphere* (uniform in longitude and in sin(latitude)),
rejecting points outside it, or over land when an ``accept`` test is given.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

from .errors import InputDataError

__all__ = [
    "Release",
    "allocate",
    "sample_in_polygon",
    "release_from_polygons",
    "release_at_points",
    "combine",
]


def combine(events: list[Release]) -> Release:
    """One release of all particles of several events (each particle keeps its own time)."""
    times = np.concatenate([np.full(len(e), np.datetime64(e.time, "s")) for e in events])
    return Release(
        np.concatenate([e.lon for e in events]),
        np.concatenate([e.lat for e in events]),
        np.datetime64(min(e.time for e in events), "s"),
        np.concatenate([e.source for e in events]),
        times,
    )


_GEOD = pyproj.Geod(ellps="WGS84")
Accept = Callable[[np.ndarray, np.ndarray], np.ndarray]


@dataclass
class Release:
    """Initial positions of all particles of a run."""

    lon: np.ndarray
    lat: np.ndarray
    time: np.datetime64  # first release
    source: np.ndarray  # release polygon id or point label per particle
    times: np.ndarray | None = None  # per-particle release time (datetime64[s]); None = all at ``time``

    @property
    def release_times(self) -> np.ndarray:
        return np.full(self.lon.size, self.time) if self.times is None else self.times

    def __len__(self) -> int:
        return int(self.lon.size)


def allocate(weights: Sequence[float], total: int) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder method).

    Each share differs from its exact proportional value by less than one.
    """
    w = np.asarray(weights, dtype=float)
    if w.size == 0 or not np.all(np.isfinite(w)) or np.any(w < 0) or w.sum() <= 0:
        raise ValueError(f"weights must be non-negative with a positive sum, got {list(w)}")
    exact = total * w / w.sum()
    counts = np.floor(exact).astype(np.int64)
    short = total - int(counts.sum())
    order = np.argsort(-(exact - counts), kind="stable")
    counts[order[:short]] += 1
    return counts


def sample_in_polygon(
    geom: BaseGeometry, n: int, rng: np.random.Generator, accept: Accept | None = None, max_tries: int = 200
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points uniformly distributed on the sphere inside ``geom`` (lon/lat degrees)."""
    if n == 0:
        return np.empty(0), np.empty(0)
    shapely.prepare(geom)
    west, south, east, north = geom.bounds
    s0, s1 = np.sin(np.deg2rad(south)), np.sin(np.deg2rad(north))
    lons: list[np.ndarray] = []
    lats: list[np.ndarray] = []
    have = 0
    batch = max(64, 2 * n)
    for _ in range(max_tries):
        lon = rng.uniform(west, east, batch)
        lat = np.rad2deg(np.arcsin(rng.uniform(s0, s1, batch)))
        ok = shapely.contains_xy(geom, lon, lat)
        if accept is not None and ok.any():
            ok[ok] = accept(lon[ok], lat[ok])
        lons.append(lon[ok])
        lats.append(lat[ok])
        have += int(ok.sum())
        if have >= n:
            return np.concatenate(lons)[:n], np.concatenate(lats)[:n]
        rate = max(have, 1) / (batch * (len(lons)))
        batch = int(min(max(64, 1.5 * (n - have) / rate), 5_000_000))
    raise InputDataError(
        f"could not place {n} release points inside a polygon (bounds {geom.bounds}): "
        "it has (almost) no water covered by the ocean data"
    )


def release_from_polygons(
    ids: Sequence[str],
    geoms: Sequence[BaseGeometry],
    n: int,
    start: np.datetime64,
    rng: np.random.Generator,
    accept: Accept | None = None,
    weights: Sequence[float] | None = None,
) -> Release:
    """Spread ``n`` particles over ``geoms``: by (geodesic) area, or in proportion to ``weights``.

    Within each polygon positions are uniform by area.
    """
    if weights is None:
        weights = [abs(_GEOD.geometry_area_perimeter(g)[0]) for g in geoms]
    counts = allocate(weights, n)
    lon, lat, src = [], [], []
    for zid, geom, k in zip(ids, geoms, counts, strict=True):
        x, y = sample_in_polygon(geom, int(k), rng, accept)
        lon.append(x)
        lat.append(y)
        src.append(np.full(int(k), zid, dtype=object))
    return Release(np.concatenate(lon), np.concatenate(lat), np.datetime64(start, "s"), np.concatenate(src))


def release_at_points(points: Sequence[tuple[float, float]], n: int, start: np.datetime64) -> Release:
    """``n`` particles at each point; sources are labelled ``P1``, ``P2`` ..."""
    pts = np.asarray(points, dtype=float)
    lon = np.repeat(pts[:, 0], n)
    lat = np.repeat(pts[:, 1], n)
    src = np.repeat(np.array([f"P{i + 1}" for i in range(len(pts))], dtype=object), n)
    return Release(lon, lat, np.datetime64(start, "s"), src)
