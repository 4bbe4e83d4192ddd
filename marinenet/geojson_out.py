"""Zone layers as RFC 7946 GeoJSON that stays valid after its coordinates are rounded.

Rounding coordinates (7 decimals ≈ 1 cm) can make a polygon cross itself where two of its
edges run closer than the rounding step. So geometries are snapped to the grid with GEOS's
validity-preserving precision reduction, written, read back and checked; a layer that still
comes back invalid is written with more digits. Rings follow the right-hand rule (exterior
counter-clockwise, holes clockwise); the file has no ``crs`` member (RFC 7946: WGS 84 lon/lat).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

__all__ = ["write_geojson", "geojson_problems"]

#: decimals tried in turn: 1 cm, 0.1 mm, then the full double precision
_DIGITS = (7, 9, 17)


def _rounded(obj: Any, digits: int) -> Any:
    if isinstance(obj, float | int) and not isinstance(obj, bool):
        return round(float(obj), digits)
    return [_rounded(x, digits) for x in obj]


def _features(frame: gpd.GeoDataFrame, digits: int) -> list[dict[str, Any]]:
    geoms = shapely.make_valid(np.asarray(frame.geometry.values, dtype=object))
    if digits < 17:
        geoms = shapely.set_precision(geoms, 10.0**-digits)  # snaps to the grid, output kept valid
    geoms = shapely.orient_polygons(geoms, exterior_cw=False)
    props = json.loads(frame.drop(columns=frame.geometry.name).to_json(orient="records"))
    out = []
    for g, p in zip(geoms, props, strict=True):
        geo = json.loads(shapely.to_geojson(g)) if g is not None and not g.is_empty else None
        if geo is not None:
            geo = _round_geometry(geo, digits)
        out.append({"type": "Feature", "properties": p, "geometry": geo})
    return out


def _round_geometry(geo: dict[str, Any], digits: int) -> dict[str, Any]:
    if geo["type"] == "GeometryCollection":
        return {**geo, "geometries": [_round_geometry(g, digits) for g in geo["geometries"]]}
    return {**geo, "coordinates": _rounded(geo["coordinates"], digits)}


def geojson_problems(path: Path) -> list[str]:
    """What makes the file at ``path`` invalid GeoJSON polygons (empty list: none).

    Checks each geometry as read back: OGC validity (no self-intersection), right-hand rule.
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    problems = []
    for i, feat in enumerate(data.get("features", [])):
        if feat.get("geometry") is None:
            continue
        g = shapely.geometry.shape(feat["geometry"])
        if not g.is_valid:
            problems.append(f"feature {i}: {shapely.is_valid_reason(g)}")
        polys = [p for p in getattr(g, "geoms", [g]) if p.geom_type == "Polygon"]
        for p in polys:
            if not p.exterior.is_ccw or any(r.is_ccw for r in p.interiors):
                problems.append(f"feature {i}: rings do not follow the right-hand rule")
    return problems


def write_geojson(frame: gpd.GeoDataFrame, path: Path) -> int:
    """Write ``frame`` (lon/lat) to ``path`` as RFC 7946 GeoJSON; returns the decimals kept.

    The coarsest of 7, 9 or 17 decimals whose file reads back valid.
    """
    if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
        frame = frame.to_crs("EPSG:4326")
    path.parent.mkdir(parents=True, exist_ok=True)
    for digits in _DIGITS:
        doc = {"type": "FeatureCollection", "features": _features(frame, digits)}
        path.write_text(json.dumps(doc, ensure_ascii=False, allow_nan=False), encoding="utf-8")
        if not geojson_problems(path):
            break
    return digits
