"""Zone layers of the synthetic demo seascape: EEZs + high seas, EBSA-like areas, MPAs.

EEZs are derived the way real ones are drawn (UNCLOS art. 57 and 15/74 practice):

1. for every state, the geodesic distance (WGS84, :class:`pyproj.Geod`) from each point of
   a 0.05° grid to the nearest point of that state's coast;
2. a state claims the water within 200 nautical miles of its coast;
3. where claims overlap, the water goes to the nearer coast: the boundary is the median
   (equidistance) line ``d_A = d_B``;
4. the high seas (ABNJ) are what is left of the basin.

Steps 2–3 are one level set per state, ``g = max(d_s - 200 nm, d_s - min_{t≠s} d_t) < 0``,
traced with sub-grid (linear) accuracy by :mod:`contourpy`.

That derivation takes seconds, so the package ships its result (``data/eez_claims.wkb.gz``, made by
``scripts/make_demo_eez.py``; a test checks it equals :func:`derive_eez` exactly) and the demo
reads it (:func:`eez_claims`).
"""

from __future__ import annotations

import gzip
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any, cast

import contourpy
import geopandas as gpd
import numpy as np
import pyproj
import shapely
from scipy.spatial import cKDTree
from shapely.geometry import MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry

if TYPE_CHECKING:
    from contourpy._contourpy import FillReturn_OuterOffset

from .diskcache import disk_cached
from .geography import DOMAIN, ISLANDS, DemoState, demo_land, demo_states, west_coast_lon

__all__ = ["demo_layer", "derive_eez", "eez_claims", "coast_distance", "NAUTICAL_MILE", "EEZ_LIMIT_M"]

NAUTICAL_MILE = 1852.0
EEZ_LIMIT_M = 200 * NAUTICAL_MILE
_GEOD = pyproj.Geod(ellps="WGS84")


def _unit_vectors(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    lo, la = np.deg2rad(lon), np.deg2rad(lat)
    return np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])


def coast_distance(
    land: BaseGeometry,
    lon: np.ndarray,
    lat: np.ndarray,
    spacing_deg: float = 0.01,
    max_distance_m: float = 1.3 * EEZ_LIMIT_M,
) -> np.ndarray:
    """Geodesic (WGS84) distance in metres from points to the nearest point of ``land``'s coast.

    The coast is densified to ``spacing_deg``; the nearest vertex is found on the unit
    sphere (k-d tree on 3-D unit vectors) and its distance measured on the ellipsoid.
    Points on ``land`` get distance 0; points farther than ``max_distance_m`` get ``inf``
    (the search is pruned there, which makes it fast).
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    coast = shapely.segmentize(land.boundary, spacing_deg)
    pts = shapely.get_coordinates(coast)
    tree = cKDTree(_unit_vectors(pts[:, 0], pts[:, 1]))
    chord = 2 * np.sin(max_distance_m / 6_371_000.0 / 2)
    _, idx = tree.query(_unit_vectors(lon.ravel(), lat.ravel()), distance_upper_bound=chord)
    found = idx < len(pts)
    dist: np.ndarray = np.full(lon.size, np.inf)
    _, _, d = _GEOD.inv(lon.ravel()[found], lat.ravel()[found], pts[idx[found], 0], pts[idx[found], 1])
    dist[found] = d
    dist = dist.reshape(lon.shape)
    dist[shapely.contains_xy(land, lon, lat)] = 0.0
    return dist


def _filled_polygons(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> BaseGeometry:
    """Polygons where ``z < 0`` on a regular grid, with linearly interpolated edges."""
    gen = contourpy.contour_generator(x=x, y=y, z=z, fill_type=contourpy.FillType.OuterOffset)
    points, offsets = cast("FillReturn_OuterOffset", gen.filled(-np.inf, 0.0))  # as fill_type says
    polys = []
    for pts, offs in zip(points, offsets, strict=True):
        rings = [pts[offs[i] : offs[i + 1]] for i in range(len(offs) - 1)]
        rings = [r for r in rings if len(r) >= 4]
        if rings:
            polys.append(Polygon(rings[0], rings[1:]))
    return shapely.make_valid(shapely.union_all(polys)) if polys else Polygon()


def _polygonal(geom: BaseGeometry, min_area_deg2: float = 0.0) -> MultiPolygon:
    parts = [g for g in getattr(geom, "geoms", [geom]) if isinstance(g, Polygon) and g.area > min_area_deg2]
    return MultiPolygon(parts)


def derive_eez(
    states: tuple[DemoState, ...],
    domain: tuple[float, float, float, float],
    limit_m: float = EEZ_LIMIT_M,
    resolution: float = 0.05,
) -> dict[str, MultiPolygon]:
    """EEZ polygons of ``states`` inside ``domain`` by distance limit and median lines."""
    x = np.arange(domain[0], domain[2] + resolution / 2, resolution)
    y = np.arange(domain[1], domain[3] + resolution / 2, resolution)
    lon, lat = np.meshgrid(x, y)
    dist = np.stack([coast_distance(s.land, lon, lat) for s in states])
    land = shapely.union_all([s.land for s in states])
    frame = box(*domain)
    out: dict[str, MultiPolygon] = {}
    for k, state in enumerate(states):
        others = np.delete(dist, k, axis=0).min(axis=0) if len(states) > 1 else np.inf
        with np.errstate(invalid="ignore"):
            g = np.maximum(dist[k] - limit_m, dist[k] - others)
        g = np.where(np.isfinite(g), g, limit_m)  # far from every coast: unclaimed
        claim = _filled_polygons(x, y, g).intersection(frame).difference(land)
        # drop contouring crumbs (< ~1 km²)
        out[state.name] = _polygonal(shapely.make_valid(claim), min_area_deg2=1e-4)
    return out


def _ellipse(lon: float, lat: float, a: float, b: float, angle_deg: float = 0.0, n: int = 120) -> Polygon:
    """Ellipse with semi-axes a (east, degrees of latitude-equivalent) and b (north)."""
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    ex, ey = a * np.cos(t), b * np.sin(t)
    c, s = np.cos(np.deg2rad(angle_deg)), np.sin(np.deg2rad(angle_deg))
    dx, dy = c * ex - s * ey, s * ex + c * ey
    return Polygon(np.column_stack([lon + dx / np.cos(np.deg2rad(lat)), lat + dy]))


def _coastal_strip(lat0: float, lat1: float, near: float, far: float) -> Polygon:
    lat = np.linspace(lat0, lat1, 200)
    coast = west_coast_lon(lat)
    ring = np.concatenate([np.column_stack([coast + near, lat]), np.column_stack([coast + far, lat])[::-1]])
    return Polygon(ring)


def _area_km2(geom: BaseGeometry) -> float:
    return abs(_GEOD.geometry_area_perimeter(geom)[0]) / 1e6


def _frame(rows: list[dict]) -> gpd.GeoDataFrame:
    ocean = box(*DOMAIN).difference(demo_land())
    for row in rows:
        row["geometry"] = _polygonal(shapely.make_valid(row["geometry"].intersection(ocean)))
        row["area_km2"] = round(_area_km2(row["geometry"]), 1)
        row["synthetic"] = True
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


#: the shipped result of :func:`derive_eez` for the demo's states (see the module docstring)
EEZ_CLAIMS_FILE = "data/eez_claims.wkb.gz"


def eez_claims() -> dict[str, MultiPolygon]:
    """``derive_eez(demo_states(), DOMAIN)``, read from the package data: one gzip-compressed WKB
    GeometryCollection of the states' claims in :func:`demo_states` order (WKB keeps every
    coordinate's float64 bits)."""
    raw = files("marinenet.demo").joinpath(EEZ_CLAIMS_FILE).read_bytes()
    parts = shapely.get_parts(shapely.from_wkb(gzip.decompress(raw)))
    states = demo_states()
    if len(parts) != len(states):
        raise RuntimeError(f"{EEZ_CLAIMS_FILE} holds {len(parts)} claims for {len(states)} demo states")
    return {s.name: cast(MultiPolygon, g) for s, g in zip(states, parts, strict=True)}


@cache
@disk_cached
def demo_layer(name: str) -> gpd.GeoDataFrame:
    """One layer of the demo seascape: ``"eez"``, ``"ebsa"`` or ``"mpa"``.

    Columns: ``id`` (zone name), ``kind``, layer-specific attributes, ``area_km2``
    (geodesic) and ``synthetic`` (always True). The EEZ layer includes the high seas
    as a zone with id ``ABNJ``.
    """
    if name == "eez":
        states = demo_states()
        eez = eez_claims()  # = derive_eez(states, DOMAIN)
        rows: list[dict[str, Any]] = [
            {
                "id": s.name,
                "kind": "eez",
                "sovereign": s.sovereign,
                "pol_type": "200NM",
                "geometry": eez[s.name],
            }
            for s in states
        ]
        claimed = shapely.union_all([r["geometry"] for r in rows])
        rest = _polygonal(box(*DOMAIN).difference(demo_land()).difference(claimed))
        high_seas = []
        for part in rest.geoms:
            if part.area >= 0.01:
                high_seas.append(part)
                continue
            # a sliver between neighbouring EEZs is contour round-off, not high seas:
            # give it to the EEZ it shares the longest boundary with
            edge = part.boundary.buffer(1e-6)
            best = max(rows, key=lambda r: r["geometry"].boundary.intersection(edge).length)
            best["geometry"] = shapely.union_all([best["geometry"], part])
        rows.append(
            {
                "id": "ABNJ",
                "kind": "high_seas",
                "sovereign": "",
                "pol_type": "High Seas",
                "geometry": MultiPolygon(high_seas),
            }
        )
        return _frame(rows)
    if name == "ebsa":
        rows = [
            {"id": "Delmar Seamount Chain", "kind": "ebsa", "geometry": _ellipse(-29.6, 28.6, 2.2, 0.9, 30)},
            {
                "id": "Western Boundary Front",
                "kind": "ebsa",
                "geometry": _coastal_strip(24.0, 38.0, 0.3, 2.0),
            },
            {"id": "Estrel Rise", "kind": "ebsa", "geometry": _ellipse(-23.6, 37.4, 2.4, 1.4, -15)},
        ]
        return _frame(rows)
    if name == "mpa":
        faro = ISLANDS["Faro"][0]
        rows = [
            {
                "id": "Delmar Marine Park",
                "kind": "mpa",
                "no_take": False,
                "geometry": _ellipse(-30.6, 27.1, 0.9, 0.7),
            },
            {
                "id": "Aldoria Coastal Reserve",
                "kind": "mpa",
                "no_take": False,
                "geometry": _coastal_strip(36.0, 39.0, 0.0, 0.8),
            },
            {
                "id": "Corvania Banks",
                "kind": "mpa",
                "no_take": False,
                "geometry": _ellipse(-15.9, 30.0, 0.6, 1.2),
            },
            {
                "id": "Faro No-Take Zone",
                "kind": "mpa",
                "no_take": True,
                "geometry": _ellipse(faro.lon, faro.lat, 0.8, 0.8),
            },
            {
                "id": "Estrel Rise High Seas MPA",
                "kind": "mpa",
                "no_take": False,
                "geometry": _ellipse(-22.6, 40.8, 1.1, 0.7),  # wholly beyond Estrel's 200 nm
            },
        ]
        return _frame(rows)
    raise ValueError(f"unknown demo layer {name!r}; expected one of eez, ebsa, mpa")
