"""Geometry helpers: antimeridian normalisation and geodesic areas."""

from __future__ import annotations

import warnings

import antimeridian
import numpy as np
import pyproj
import shapely
from shapely.affinity import translate
from shapely.geometry import MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry

__all__ = ["normalise_antimeridian", "geodesic_area_km2", "polygon_parts"]

_GEOD = pyproj.Geod(ellps="WGS84")
_WORLD = box(-180.0, -90.0, 180.0, 90.0)


def polygon_parts(geom: BaseGeometry) -> MultiPolygon:
    """The polygonal parts of any geometry as a MultiPolygon (lines and points dropped)."""
    parts = [g for g in shapely.get_parts(geom) if isinstance(g, Polygon) and not g.is_empty]
    out = []
    for g in parts:
        out.extend(shapely.get_parts(g) if not isinstance(g, Polygon) else [g])
    return MultiPolygon(out)


def _has_jump(geom: BaseGeometry) -> bool:
    for ring in shapely.get_rings(shapely.get_parts(geom)):
        x = shapely.get_coordinates(ring)[:, 0]
        if x.size > 1 and np.any(np.abs(np.diff(x)) > 180.0):
            return True
    return False


def normalise_antimeridian(geom: BaseGeometry) -> MultiPolygon:
    """Split a polygon crossing the antimeridian into parts within [-180, 180].

    Handles the two ways files carry such polygons: continuous longitudes beyond ±180
    (e.g. 170..190 for Fiji) and rings that jump from +179 to -179 between vertices.
    Polygons already split at ±180 (Marine Regions) are returned unchanged.
    """
    if geom.is_empty:
        return MultiPolygon()
    if _has_jump(geom):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", antimeridian.FixWindingWarning)
            fixed = [
                antimeridian.fix_polygon(p, great_circle=False, fix_winding=True)
                for p in shapely.get_parts(geom)
            ]
        geom = shapely.union_all(fixed)
    x0, _, x1, _ = geom.bounds
    if x0 < -180.0 or x1 > 180.0:
        pieces = [geom.intersection(_WORLD)]
        for shift in (-360.0, 360.0, -720.0, 720.0):
            part = translate(geom, xoff=shift).intersection(_WORLD)
            if not part.is_empty:
                pieces.append(part)
        geom = shapely.union_all(pieces)
    return polygon_parts(shapely.make_valid(geom))


def geodesic_area_km2(geom: BaseGeometry, max_segment_deg: float = 0.1) -> float:
    """Area on the WGS84 ellipsoid in km².

    Edges are first densified to ``max_segment_deg``: in GIS files an edge is a straight
    line in longitude/latitude (a parallel stays a parallel), not a geodesic, and long
    edges would otherwise bulge poleward.
    """
    dense = shapely.segmentize(geom, max_segment_deg)
    return abs(_GEOD.geometry_area_perimeter(dense)[0]) / 1e6
