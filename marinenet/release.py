"""Seeding: where and when particles start.

Particles released "in a layer" are spread uniformly over the *water* of the chosen
polygons: each polygon gets a share of the particles proportional to its water area
(largest-remainder rounding, so the counts add up exactly), and positions inside a
polygon are drawn uniformly *on the sphere* (uniform in longitude and in sin(latitude)),
rejecting points outside it, or over land when an ``accept`` test is given. So the
density of particles per km² of water is the same in every polygon.

Water area = geodesic area of the polygon on the WGS84 ellipsoid, its edges densified to
0.1° (an edge in a GIS file is a straight line in longitude/latitude: a parallel stays a
parallel) × the share of the polygon that passes the ``accept`` test, measured on an
equal-area lattice (uniform steps in longitude and in sin(latitude)) of at least 64 × 64
points per polygon part.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from .errors import InputDataError
from .zones.geometry import geodesic_area_km2

__all__ = [
    "Release",
    "allocate",
    "water_area_km2",
    "water_areas",
    "WaterAreas",
    "sample_in_polygon",
    "release_from_polygons",
    "release_at_points",
    "combine",
]


def combine(events: list[Release]) -> Release:
    """One release of all particles of several events (each particle keeps its own time).

    Parameters
    ----------
    events
        The releases of each event (spawning dates), at least one.

    Returns
    -------
    Release
        All particles in event order; ``time`` is the first event's, ``times`` each particle's.
    """
    times = np.concatenate([np.full(len(e), e.time.astype("datetime64[s]")) for e in events])
    return Release(
        np.concatenate([e.lon for e in events]),
        np.concatenate([e.lat for e in events]),
        min(e.time for e in events).astype("datetime64[s]"),
        np.concatenate([e.source for e in events]),
        times,
        events[0].order,
    )


Accept = Callable[[np.ndarray, np.ndarray], np.ndarray]


@dataclass
class Release:
    """Initial positions of all particles of a run.

    Attributes
    ----------
    lon, lat
        Start positions in degrees.
    time
        The first release time (``datetime64[s]``).
    source
        Release polygon id or point label (``P1`` ...) of each particle.
    times
        Each particle's release time (``datetime64[s]``); None: all at ``time``.
    order
        The source labels in their order (points: ``P1, P2 ...``); None: sorted labels.
    """

    lon: np.ndarray
    lat: np.ndarray
    time: np.datetime64  # first release
    source: np.ndarray  # release polygon id or point label per particle
    times: np.ndarray | None = None  # per-particle release time (datetime64[s]); None = all at ``time``
    order: tuple[str, ...] | None = None  # the source labels in their order (points: P1, P2 ...)

    @property
    def labels(self) -> list[str]:
        """The source labels in their order (the points' order; else sorted)."""
        return list(self.order) if self.order is not None else sorted(set(self.source.tolist()))

    @property
    def release_times(self) -> np.ndarray:
        return np.full(self.lon.size, self.time) if self.times is None else self.times

    def __len__(self) -> int:
        return int(self.lon.size)


def allocate(weights: Sequence[float] | np.ndarray, total: int) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder method).

    Each share differs from its exact proportional value by less than one.

    Parameters
    ----------
    weights
        Non-negative weights with a positive sum.
    total
        The integer to split.

    Returns
    -------
    numpy.ndarray
        int64 shares summing to ``total``.

    Raises
    ------
    ValueError
        Empty, negative, non-finite or all-zero weights.
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


def _lattice(part: Polygon, points: int) -> tuple[np.ndarray, np.ndarray]:
    """Centres of an equal-area lattice (uniform in longitude and sin(latitude)) over ``part``'s bounds."""
    west, south, east, north = part.bounds
    s0, s1 = np.sin(np.deg2rad(south)), np.sin(np.deg2rad(north))
    aspect = max(east - west, 1e-9) * np.cos(np.deg2rad(0.5 * (south + north))) / max(north - south, 1e-9)
    nx = int(np.clip(np.sqrt(points * aspect), 64, points // 64))
    ny = max(points // nx, 64)
    lon = west + (np.arange(nx) + 0.5) * (east - west) / nx
    lat = np.rad2deg(np.arcsin(s0 + (np.arange(ny) + 0.5) * (s1 - s0) / ny))
    LON, LAT = np.meshgrid(lon, lat)
    return LON.ravel(), LAT.ravel()


def _wet_share(part: Polygon, accept: Accept, points: int) -> float:
    """Share of ``part``'s area that passes ``accept``, on an equal-area lattice."""
    shapely.prepare(part)
    for k in (1, 16):  # a sliver may hold (almost) no lattice point: refine once
        lon, lat = _lattice(part, points * k)
        inside = shapely.contains_xy(part, lon, lat)
        if inside.sum() >= 64:
            break
    if not inside.any():
        p = part.representative_point()
        return float(accept(np.array([p.x]), np.array([p.y]))[0])
    return float(np.mean(accept(lon[inside], lat[inside])))


def _parts(geom: BaseGeometry) -> list[Polygon]:
    return [p for p in shapely.get_parts(geom) if isinstance(p, Polygon) and not p.is_empty]


def water_area_km2(
    geom: BaseGeometry, accept: Accept | None = None, points: int = 262_144
) -> tuple[float, float]:
    """``(area, water area)`` of ``geom`` in km².

    The geodesic area on the WGS84 ellipsoid with edges densified to 0.1°, and the part of it
    that passes ``accept`` (all of it without one), measured on a lattice of about ``points``
    points over each part's bounds.

    Parameters
    ----------
    geom
        A polygon or multipolygon in lon/lat degrees.
    accept
        ``accept(lon, lat) -> bool array``: which positions are water (e.g. a
        :class:`~marinenet.ocean.WetTest`); None: all.
    points
        Lattice points per polygon part.

    Returns
    -------
    tuple of float
        ``(area, water_area)`` in km².
    """
    area, water = _part_areas(_parts(geom), accept, points)
    return float(area.sum()), float(water.sum())


def _part_areas(parts: list[Polygon], accept: Accept | None, points: int) -> tuple[np.ndarray, np.ndarray]:
    area = np.array([geodesic_area_km2(p) for p in parts], float)
    if accept is None:
        return area, area.copy()
    return area, area * np.array([_wet_share(p, accept, points) for p in parts], float)


@dataclass
class WaterAreas:
    """Areas (km²) of release polygons and of their water, per polygon and per polygon part.

    Attributes
    ----------
    area, water
        Per polygon: its area and its water area.
    parts
        Per polygon: its parts (split at the antimeridian, or of a multipolygon).
    part_water
        Per polygon: the water area of each of its parts.
    """

    area: np.ndarray
    water: np.ndarray
    parts: list[list[Polygon]]
    part_water: list[np.ndarray]


def water_areas(geoms: Sequence[BaseGeometry], accept: Accept | None) -> WaterAreas:
    """:func:`water_area_km2` of each of ``geoms``.

    About 4 million lattice points in all (at least 4096 and at most 262144 per polygon).

    Parameters
    ----------
    geoms
        Release polygons in lon/lat degrees.
    accept
        Which positions are water (see :func:`water_area_km2`); None: all.

    Returns
    -------
    WaterAreas
        Areas per polygon and per part.
    """
    points = int(np.clip(2**22 // max(len(geoms), 1), 4096, 262_144))
    parts = [_parts(g) for g in geoms]
    pairs = [_part_areas(p, accept, points) for p in parts]
    return WaterAreas(
        np.array([a.sum() for a, _ in pairs], float),
        np.array([w.sum() for _, w in pairs], float),
        parts,
        [w for _, w in pairs],
    )


def sample_in_polygon(
    geom: BaseGeometry, n: int, rng: np.random.Generator, accept: Accept | None = None, max_tries: int = 200
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points uniformly distributed on the sphere inside ``geom`` (lon/lat degrees).

    Parameters
    ----------
    geom
        Polygon or multipolygon in lon/lat degrees.
    n
        Number of points.
    rng
        The run's random generator (seeded by the scenario).
    accept
        Keep only points that pass it (water); None: all points inside ``geom``.
    max_tries
        Batches of candidate points drawn before giving up.

    Returns
    -------
    tuple of numpy.ndarray
        ``(lon, lat)``, ``n`` each.

    Raises
    ------
    InputDataError
        When ``n`` points cannot be placed: the polygon has (almost) no water.
    """
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
    weights: Sequence[float] | np.ndarray | None = None,
    areas: WaterAreas | None = None,
) -> Release:
    """Spread ``n`` particles over ``geoms``: by water area, or in proportion to ``weights``.

    Without ``weights``, the shares follow each polygon's water area (:func:`water_areas` with
    ``accept``; pass ``areas`` to reuse them). Within each polygon positions are uniform over
    its water: a polygon of several parts (split at the dateline) shares its particles among
    them by water area, then each part is sampled on its own.

    Parameters
    ----------
    ids
        Zone id of each polygon (the particles' ``source``).
    geoms
        Release polygons in lon/lat degrees.
    n
        Particles in all.
    start
        Release time.
    rng
        The run's random generator (seeded by the scenario).
    accept
        Which positions are water (e.g. a :class:`~marinenet.ocean.WetTest`); None: all.
    weights
        Share of each polygon (e.g. habitat area, egg production) instead of its water area.
    areas
        Water areas already measured with the same ``accept``.

    Returns
    -------
    Release
        ``n`` particles, grouped by polygon.

    Raises
    ------
    InputDataError
        A polygon that should release particles has no water covered by the ocean data.
    """
    areas = water_areas(geoms, accept) if areas is None else areas
    counts = allocate(areas.water if weights is None else weights, n)
    lon, lat, src = [], [], []
    for zid, geom, k, parts, water in zip(ids, geoms, counts, areas.parts, areas.part_water, strict=True):
        if k > 0 and water.sum() <= 0:
            raise InputDataError(
                f"release polygon {zid!r} (bounds {tuple(round(b, 3) for b in geom.bounds)}) should release "
                f"{k} particles but has no water covered by the ocean data"
            )
        split = allocate(water, int(k)) if k > 0 else np.zeros(len(parts), int)
        for part, kp in zip(parts, split, strict=True):
            x, y = sample_in_polygon(part, int(kp), rng, accept)
            lon.append(x)
            lat.append(y)
        src.append(np.full(int(k), zid, dtype=object))
    when = start.astype("datetime64[s]")
    return Release(np.concatenate(lon), np.concatenate(lat), when, np.concatenate(src))


def release_at_points(points: Sequence[tuple[float, float]], n: int, start: np.datetime64) -> Release:
    """``n`` particles at each point; sources are labelled ``P1``, ``P2`` ...

    Parameters
    ----------
    points
        ``(lon, lat)`` in degrees.
    n
        Particles per point.
    start
        Release time.

    Returns
    -------
    Release
        ``n`` particles at each point, in the order of ``points``.
    """
    pts = np.asarray(points, dtype=float)
    lon = np.repeat(pts[:, 0], n)
    lat = np.repeat(pts[:, 1], n)
    labels = tuple(f"P{i + 1}" for i in range(len(pts)))
    src = np.repeat(np.array(labels, dtype=object), n)
    return Release(lon, lat, start.astype("datetime64[s]"), src, order=labels)
