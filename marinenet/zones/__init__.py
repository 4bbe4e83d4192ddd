"""Zone layers (EEZ, ABNJ, EBSA, MPA, habitat ...) and point-in-zone classification.

A :class:`ZoneLayer` is a named set of polygons with one id each. ``classify`` maps
positions to the index of the zone containing them (``-1`` outside every zone). Where
polygons overlap, the first polygon in layer order wins (multi-membership comes with the
full zone index).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pyproj
import shapely

from ..errors import InputDataError

__all__ = ["ZoneLayer", "load_layer", "layer_from_frame"]

log = logging.getLogger(__name__)
_GEOD = pyproj.Geod(ellps="WGS84")


@dataclass
class ZoneLayer:
    """Polygons of one layer.

    Attributes
    ----------
    name
        Layer name as in the scenario (``eez``, ``mpa`` ...).
    frame
        GeoDataFrame in EPSG:4326 with an ``id`` column (str, unique) and ``geometry``.
    outside
        Label for positions outside every polygon (``high_seas`` for EEZ layers).
    synthetic
        True for layers of the built-in demo seascape.
    snap
        Degrees. A position outside every polygon but within ``snap`` of one is assigned
        to the nearest. Meant for layers that tile the ocean (EEZs + high seas), whose
        coastline is finer than the current grid: a particle that is wet on the model
        grid can sit a few km "inland" of the polygon coastline. 0 disables it.
    """

    name: str
    frame: gpd.GeoDataFrame
    outside: str = "outside"
    synthetic: bool = False
    snap: float = 0.0

    def __post_init__(self) -> None:
        self._tree = shapely.STRtree(self.frame.geometry.values)

    @property
    def ids(self) -> list[str]:
        return [str(i) for i in self.frame["id"]]

    def geometry(self, zone_id: str):
        return self.frame.geometry.values[self.ids.index(zone_id)]

    def classify(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Index (into :attr:`ids`) of the zone containing each position; -1 if none.

        Points on a shared boundary go to the first zone in layer order.
        """
        lon = np.asarray(lon, dtype=float).ravel()
        lat = np.asarray(lat, dtype=float).ravel()
        out = np.full(lon.size, -1, dtype=np.int64)
        ok = np.isfinite(lon) & np.isfinite(lat)
        if not ok.any():
            return out
        west, _, east, _ = self.frame.total_bounds
        x = lon[ok]
        if west >= -180.0 and east <= 180.0:
            x = ((x + 180.0) % 360.0) - 180.0
        pts = shapely.points(x, lat[ok])
        pi, zi = self._tree.query(pts, predicate="intersects")
        sub = np.full(pts.size, np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(sub, pi, zi)
        sub[sub == np.iinfo(np.int64).max] = -1
        if self.snap > 0 and np.any(sub < 0):
            miss = np.flatnonzero(sub < 0)
            pi, zi = self._tree.query_nearest(pts[miss], max_distance=self.snap, all_matches=False)
            sub[miss[pi]] = zi
        out[ok] = sub
        return out

    def labels(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Zone id of each position, or :attr:`outside`."""
        idx = self.classify(lon, lat)
        names = np.array([*self.ids, self.outside], dtype=object)
        return names[idx]  # -1 picks the last entry: the outside label

    def geodesic_area_km2(self) -> dict[str, float]:
        """Area of each zone on the WGS84 ellipsoid, km²."""
        return {
            zid: abs(_GEOD.geometry_area_perimeter(g)[0]) / 1e6
            for zid, g in zip(self.ids, self.frame.geometry.values, strict=True)
        }


def layer_from_frame(
    name: str,
    frame: gpd.GeoDataFrame,
    id_field: str = "id",
    outside: str | None = None,
    synthetic: bool = False,
    snap: float = 0.0,
) -> ZoneLayer:
    """Check and normalise a GeoDataFrame into a :class:`ZoneLayer`.

    Reprojects to EPSG:4326 when a CRS is declared; repairs invalid geometries (logging
    their ids); merges polygons sharing an id.
    """
    where = f"zone layer {name!r}"
    if len(frame) == 0:
        raise InputDataError(f"{where} is empty: it has no features")
    if id_field not in frame.columns:
        fields = ", ".join(c for c in frame.columns if c != frame.geometry.name)
        raise InputDataError(f"{where}: id field {id_field!r} not found; fields present: {fields}")
    if frame.crs is None:
        minx, miny, maxx, maxy = frame.total_bounds
        if minx < -540 or maxx > 540 or miny < -90.0001 or maxy > 90.0001:
            raise InputDataError(
                f"{where} has no CRS and its coordinates ({minx:.0f}..{maxx:.0f}, {miny:.0f}..{maxy:.0f}) "
                "are not longitude/latitude degrees; declare the CRS in the file"
            )
        frame = frame.set_crs("EPSG:4326")
    elif not frame.crs.equals(pyproj.CRS("EPSG:4326")):
        log.info("%s: reprojecting from %s to EPSG:4326", where, frame.crs.to_string())
        frame = frame.to_crs("EPSG:4326")
    geoms = frame.geometry.values
    kinds = set(shapely.get_type_id(geoms[~shapely.is_missing(geoms)]))
    if not kinds <= {3, 6}:  # Polygon, MultiPolygon
        found = sorted({g.geom_type for g in geoms if g is not None})
        raise InputDataError(f"{where}: expected Polygon/MultiPolygon features, found {', '.join(found)}")
    frame = frame[~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)].copy()
    invalid = ~shapely.is_valid(frame.geometry.values)
    if invalid.any():
        log.warning("%s: repaired invalid geometries of ids %s", where, list(frame.loc[invalid, id_field]))
        frame.loc[invalid, frame.geometry.name] = shapely.make_valid(frame.geometry.values[invalid])
    frame = frame.rename(columns={id_field: "id"}) if id_field != "id" else frame
    frame["id"] = frame["id"].astype(str)
    if frame["id"].duplicated().any():
        frame = frame.dissolve(by="id", as_index=False, sort=False)
    frame = frame.rename_geometry("geometry") if frame.geometry.name != "geometry" else frame
    return ZoneLayer(name, frame.reset_index(drop=True), outside or "outside", synthetic, snap)


def load_layer(
    name: str,
    source: str | None = None,
    layer: str | None = None,
    path: str | None = None,
    id_field: str | None = None,
    outside: str | None = None,
    snap: float | None = None,
) -> ZoneLayer:
    """Load one layer from the demo seascape or from a polygon file.

    Parameters mirror the scenario's ``zones.<name>`` keys.
    """
    if source == "demo":
        from ..demo.zones import demo_layer

        which = layer or name
        frame = demo_layer(which).copy()
        default_outside = "high_seas" if which == "eez" else "outside"
        # the demo EEZ layer tiles the basin; its coast is finer than the 0.1° currents grid
        default_snap = 0.15 if which == "eez" else 0.0
        return layer_from_frame(
            name, frame, "id", outside or default_outside, True, default_snap if snap is None else snap
        )
    if path is None:
        raise InputDataError(f"zone layer {name!r}: give 'source: demo' or 'path'")
    try:
        frame = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several types for unreadable files
        raise InputDataError(
            f"zone layer {name!r}: cannot read {path!r} as a polygon file (GeoJSON, GeoPackage, Shapefile): {exc}"
        ) from None
    return layer_from_frame(name, frame, id_field or "id", outside, False, snap or 0.0)
