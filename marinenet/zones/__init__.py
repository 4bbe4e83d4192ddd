"""Zone layers (EEZ, ABNJ, EBSA, MPA, habitat ...) and point-in-zone classification.

A :class:`ZoneLayer` is a named set of polygons with one id each. Positions are
classified with a :class:`~marinenet.zones.index.ZoneIndex` (fast, and identical to the
exact shapely test, which stays available as ``classify_exact``). Where polygons overlap,
``overlaps`` decides how a position counts: ``first`` (the first polygon in layer order)
or ``split`` (shared equally among all polygons covering it, so connectivity rows still
sum to the particles released).
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from ..errors import InputDataError
from .checks import check_degrees, check_geometries, check_ids, check_labels
from .credits import layer_credit, layer_credit_parts
from .geometry import geodesic_area_km2, normalise_antimeridian
from .index import ZoneIndex, exact_query
from .roles import ROLES, default_role

__all__ = [
    "ZoneLayer",
    "load_layer",
    "load_layers",
    "layer_from_frame",
    "ZoneIndex",
    "grid_layer",
    "ROLES",
    "default_role",
]


log = logging.getLogger(__name__)


@dataclass
class ZoneLayer:
    """Polygons of one layer.

    Attributes
    ----------
    name
        Layer name as used in outputs (``eez``, ``eez_sovereign``, ``mpa`` ...).
    frame
        GeoDataFrame in EPSG:4326 with an ``id`` column (str, unique) and ``geometry``.
    outside
        Label for positions outside every polygon (``high_seas`` for EEZ layers).
    synthetic
        True for layers of the built-in demo seascape.
    snap
        Degrees. A position outside every polygon but within ``snap`` of one is assigned
        to the nearest (of equally near ones, the first in layer order). Meant for layers
        that tile the ocean (EEZs + high seas), whose coastline is finer than the current
        grid. 0 disables it.
    overlaps
        ``first`` or ``split`` (see the module docstring).
    resolution
        Cell size of the zone index in degrees (default: automatic).
    role
        What the layer is to the analyses (:data:`ROLES`): ``eez`` (jurisdictions, with a high-seas
        zone), ``ebsa`` (ecologically significant areas), ``mpa`` (protected areas), or None.
    citation
        How to cite the layer's data (official layers: Marine Regions), shown in the report.
    credit
        The same citation and licence as data (:mod:`marinenet.report.credits`), so that the report
        renders them in its language.
    """

    name: str
    frame: gpd.GeoDataFrame
    outside: str = "outside"
    synthetic: bool = False
    snap: float = 0.0
    overlaps: str = "first"
    resolution: float | None = None
    citation: str = ""
    role: str | None = None
    credit: dict | None = None  # the citation as data (marinenet.report.credits), for any report language
    _index: ZoneIndex | None = field(default=None, init=False, repr=False)

    @property
    def high_seas(self) -> str | None:
        """The label of the areas beyond national jurisdiction in this layer: ``ABNJ`` (a zone, or the
        outside of an EEZ layer without a high-seas file) or ``high_seas``; None if it has neither."""
        for candidate in ("ABNJ", "high_seas"):
            if candidate in self.ids or candidate == self.outside:
                return candidate
        return None

    @property
    def derives_high_seas(self) -> bool:
        """Whether the high seas are the layer's outside (EEZs without a high-seas file): drawn as
        the domain minus the zones (:meth:`with_derived_high_seas`)."""
        return self.outside == "ABNJ"

    @property
    def ids(self) -> list[str]:
        return self.frame["id"].astype(str).tolist()  # vectorised: iterating an Arrow column is slow

    @property
    def index(self) -> ZoneIndex:
        if self._index is None:
            self._index = ZoneIndex(list(self.frame.geometry.values), self.resolution)
        return self._index

    def geometry(self, zone_id: str):
        return self.frame.geometry.values[self.ids.index(zone_id)]

    # ------------------------------------------------------------ classification
    def classify(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Index (into :attr:`ids`) of the first zone covering each position; -1 if none."""
        lon = np.asarray(lon, dtype=float).ravel()
        lat = np.asarray(lat, dtype=float).ravel()
        out = self.index.first(lon, lat)
        return self._snap(out, lon, lat)

    def classify_exact(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Reference for :meth:`classify`: shapely's exact test on every point (slow)."""
        lon = np.asarray(lon, dtype=float).ravel()
        lat = np.asarray(lat, dtype=float).ravel()
        p, z = exact_query(list(self.frame.geometry.values), lon, lat)
        out = np.full(lon.size, -1, dtype=np.int64)
        out[p[::-1]] = z[::-1]  # the smallest zone index of each point wins
        return self._snap(out, lon, lat)

    def _snap(self, out: np.ndarray, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        if self.snap > 0 and np.any(out < 0):
            miss = np.flatnonzero((out < 0) & np.isfinite(lon) & np.isfinite(lat))
            pi, zi = self.index.nearest(lon[miss], lat[miss], self.snap)
            out[miss[pi]] = zi
        return out

    def labels(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Zone id of each position (first zone), or :attr:`outside`."""
        names = np.array([*self.ids, self.outside], dtype=object)
        return names[self.classify(lon, lat)]  # -1 picks the last entry: the outside label

    def members(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Weighted zone membership: ``(point, label, weight)`` rows, weights summing to 1 per point.

        With ``overlaps='first'`` each point has one row; with ``'split'`` a point covered
        by k zones has k rows of weight 1/k. Points in no zone get :attr:`outside`.
        """
        lon = np.asarray(lon, dtype=float).ravel()
        lat = np.asarray(lat, dtype=float).ravel()
        names = np.array([*self.ids, self.outside], dtype=object)
        if self.overlaps != "split":
            return np.arange(lon.size), names[self.classify(lon, lat)], np.ones(lon.size)
        p, z = self.index.query(lon, lat)
        counts = np.bincount(p, minlength=lon.size)
        none = np.flatnonzero(counts == 0)
        snapped = self._snap(np.full(none.size, -1, dtype=np.int64), lon[none], lat[none])
        p = np.r_[p, none]
        z = np.r_[z, snapped]
        w = np.r_[1.0 / counts[p[: p.size - none.size]], np.ones(none.size)]
        order = np.argsort(p, kind="stable")
        return p[order], names[z[order]], w[order]

    def with_derived_high_seas(self, bounds: tuple[float, float, float, float]) -> gpd.GeoDataFrame:
        """The layer's frame plus its derived high seas inside ``bounds`` (the forcing domain).

        For EEZ layers without a published high-seas layer, the high seas are the domain
        minus the union of the zones, labelled with :attr:`outside` (``ABNJ``).
        """
        if self.outside in self.ids:
            return self.frame
        rest = shapely.box(*bounds).difference(shapely.union_all(self.frame.geometry.values))
        extra = gpd.GeoDataFrame(
            {"id": [self.outside], "kind": ["high_seas (derived)"]}, geometry=[rest], crs=self.frame.crs
        )
        return pd.concat([self.frame, extra], ignore_index=True)

    def geodesic_area_km2(self) -> dict[str, float]:
        """Area of each zone on the WGS84 ellipsoid, km² (edges densified to 0.1°)."""
        return {z: geodesic_area_km2(g) for z, g in zip(self.ids, self.frame.geometry.values, strict=True)}

    def representative_points(self) -> dict[str, tuple[float, float]]:
        """A (lon, lat) inside each zone (GEOS point-on-surface: inside even for a C-shaped zone)."""
        pts = shapely.point_on_surface(np.asarray(self.frame.geometry.values, dtype=object))
        return {z: (float(p.x), float(p.y)) for z, p in zip(self.ids, pts, strict=True) if not p.is_empty}


# ---------------------------------------------------------------------- building
def layer_from_frame(
    name: str,
    frame: gpd.GeoDataFrame,
    id_field: str = "id",
    outside: str | None = None,
    synthetic: bool = False,
    snap: float = 0.0,
    overlaps: str = "first",
    resolution: float | None = None,
) -> ZoneLayer:
    """Check and normalise a GeoDataFrame into a :class:`ZoneLayer`.

    Refuses features without an id or a geometry, coordinates that are not degrees after
    reprojection to EPSG:4326 (a GeoJSON in metres), and ids equal to an outcome label
    (:mod:`.checks`); keeps polygons only; repairs invalid geometries and logs their ids;
    splits polygons at the antimeridian; merges polygons sharing an id.

    Parameters
    ----------
    name
        Layer name used in the outputs.
    frame
        Polygons, reprojected to EPSG:4326 (without a CRS they must be in degrees).
    id_field
        Column holding each polygon's zone name.
    outside, synthetic, snap, overlaps, resolution
        As the :class:`ZoneLayer` attributes of the same names (``outside`` default: ``"outside"``).

    Returns
    -------
    ZoneLayer
        The checked layer, ids as text.

    Raises
    ------
    InputDataError
        An empty layer, a missing id field or id, a missing geometry or one that is not a
        polygon, coordinates that are not degrees, or an id equal to an outcome label; the
        message names the layer and the features.
    """
    where = f"zone layer {name!r}"
    if len(frame) == 0:
        raise InputDataError(f"{where} is empty: it has no features")
    if id_field not in frame.columns:
        fields = ", ".join(str(c) for c in frame.columns if c != frame.geometry.name)
        raise InputDataError(f"{where}: id field {id_field!r} not found; fields present: {fields}")
    check_ids(frame, id_field, where)
    check_geometries(frame, id_field, where)
    if frame.crs is None:
        frame = frame.set_crs("EPSG:4326")  # check_degrees refuses it unless it is degrees
    elif not frame.crs.equals(pyproj.CRS("EPSG:4326")):
        log.info("%s: reprojecting from %s to EPSG:4326", where, frame.crs.to_string())
        frame = frame.to_crs("EPSG:4326")
    check_degrees(frame, id_field, where)
    check_labels(frame[id_field], outside or "outside", where)
    geoms = frame.geometry.values
    kinds = set(shapely.get_type_id(geoms))
    if not kinds <= {3, 6}:  # Polygon, MultiPolygon
        found = sorted({g.geom_type for g in geoms})
        raise InputDataError(f"{where}: expected Polygon/MultiPolygon features, found {', '.join(found)}")
    frame = frame.copy()
    invalid = ~shapely.is_valid(frame.geometry.values)
    if invalid.any():
        log.warning("%s: repaired invalid geometries of ids %s", where, list(frame.loc[invalid, id_field]))
        frame.loc[invalid, frame.geometry.name] = shapely.make_valid(frame.geometry.values[invalid])
    frame[frame.geometry.name] = [normalise_antimeridian(g) for g in frame.geometry.values]
    frame = frame.rename(columns={id_field: "id"}) if id_field != "id" else frame
    frame["id"] = frame["id"].astype(str)
    if frame["id"].duplicated().any():
        frame = frame.dissolve(by="id", as_index=False, sort=False, aggfunc="first")
    if frame.geometry.name != "geometry":
        frame = frame.rename_geometry("geometry")
    return ZoneLayer(
        name, frame.reset_index(drop=True), outside or "outside", synthetic, snap, overlaps, resolution
    )


def _read(name: str, path: str) -> gpd.GeoDataFrame:
    try:
        with warnings.catch_warnings():  # NaN coordinates: refused by name in check_geometries
            warnings.simplefilter("ignore", RuntimeWarning)
            return gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several types for unreadable files
        raise InputDataError(
            f"zone layer {name!r}: cannot read {path!r} as a polygon file (GeoJSON, GeoPackage, Shapefile): {exc}"
        ) from None


def load_layers(name: str, cfg) -> dict[str, ZoneLayer]:
    """Layers defined by one ``zones.<name>`` scenario entry (see :func:`_load_layers`), with their credit.

    A problem with a layer file is reported with the file's path.

    Parameters
    ----------
    name
        The entry's key under ``zones`` (the layer name in the outputs).
    cfg
        The entry (:class:`~marinenet.scenario.ZoneLayerConfig`): demo, grid or file, format, id.

    Returns
    -------
    dict of str to ZoneLayer
        One layer, or for a Marine Regions EEZ file three: ``<name>``, ``<name>_territory``
        and ``<name>_sovereign``.

    Raises
    ------
    InputDataError
        A layer file that cannot be used as it is (the message starts with its path).
    """
    try:
        layers = _load_layers(name, cfg)
    except InputDataError as exc:
        path = getattr(cfg, "path", None)
        if path and str(path) not in str(exc):
            raise InputDataError(f"{path}: {exc}") from None
        raise
    role = default_role(name, cfg)
    for layer in layers.values():
        layer.role = role
        layer.credit = layer_credit_parts(name, cfg, layer.citation)  # the publisher's words, or the scenario's
        layer.citation = layer_credit(name, cfg, layer.citation)
    return layers


def _load_layers(name: str, cfg) -> dict[str, ZoneLayer]:
    """Layers defined by one ``zones.<name>`` scenario entry.

    A Marine Regions EEZ file gives one layer per aggregation level: ``<name>`` (EEZ
    polygons), ``<name>_territory`` and ``<name>_sovereign``; the high seas are the
    published high-seas layer when ``high_seas`` is given, else everything outside the
    EEZs (label ``ABNJ``).
    """
    from .formats import (
        HIGHSEAS_CITATION,
        MARINEREGIONS_CITATION,
        ebsa_frame,
        high_seas_frame,
        marineregions_levels,
        wdpa_frame,
    )

    if cfg.source == "demo":
        return {name: load_layer(name, "demo", cfg.layer, outside=cfg.outside, snap=cfg.snap)}
    if cfg.source == "grid":
        return {}  # built by grid_layer() once the currents' domain is known
    raw = _read(name, cfg.path)
    fmt = cfg.format
    opts = dict(snap=cfg.snap or 0.0, resolution=cfg.resolution)
    if fmt == "generic":
        return {
            name: layer_from_frame(name, raw, cfg.id, cfg.outside, overlaps=cfg.overlaps or "first", **opts)
        }
    if fmt == "ebsa":
        return {
            name: layer_from_frame(
                name, ebsa_frame(raw, name), "id", cfg.outside, overlaps=cfg.overlaps or "split", **opts
            )
        }
    if fmt == "wdpa":
        return {
            name: layer_from_frame(
                name,
                wdpa_frame(raw, name),
                "id",
                cfg.outside or "unprotected",
                overlaps=cfg.overlaps or "split",
                **opts,
            )
        }
    # marineregions
    levels = cfg.levels or ["eez", "territory", "sovereign"]
    frames = marineregions_levels(raw, name, levels, cfg.shared)
    high = high_seas_frame(_read(name, cfg.high_seas)) if cfg.high_seas else None
    out = {}
    for level, (frame, overlaps) in frames.items():
        lname = name if level == "eez" else f"{name}_{level}"
        if high is not None:
            frame = pd.concat([frame, high.to_crs(frame.crs) if frame.crs else high], ignore_index=True)
            frame = gpd.GeoDataFrame(frame, geometry="geometry", crs=frame.crs or "EPSG:4326")
        layer = layer_from_frame(
            lname,
            frame,
            "id",
            cfg.outside or ("high_seas" if high is not None else "ABNJ"),
            overlaps=overlaps,
            **opts,
        )
        layer.citation = MARINEREGIONS_CITATION + (f" {HIGHSEAS_CITATION}" if high is not None else "")
        out[lname] = layer
    return out


def load_layer(
    name: str,
    source: str | None = None,
    layer: str | None = None,
    path: str | None = None,
    id_field: str | None = None,
    outside: str | None = None,
    snap: float | None = None,
) -> ZoneLayer:
    """Load one generic layer from the demo seascape or from a polygon file.

    Parameters
    ----------
    name
        Layer name used in the outputs.
    source
        ``"demo"`` for a layer of the built-in seascape; else ``path`` is read.
    layer
        Which demo layer (``eez``, ``ebsa``, ``mpa``; default: ``name``).
    path
        A polygon file: GeoJSON, GeoPackage or Shapefile.
    id_field
        Attribute holding each polygon's zone name (default ``id``).
    outside
        Label of positions outside every polygon (demo EEZs: ``high_seas``; else ``outside``).
    snap
        Degrees within which a position outside every polygon is given to the nearest one
        (demo EEZs: 0.15; else 0).

    Returns
    -------
    ZoneLayer
        The checked layer (see :func:`layer_from_frame`).

    Raises
    ------
    InputDataError
        Neither ``source: demo`` nor ``path``, or a file that cannot be used as it is.
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
    return layer_from_frame(name, _read(name, path), id_field or "id", outside, False, snap or 0.0)


def grid_layer(name: str, ocean, cell: float) -> ZoneLayer:
    """Regular lon/lat cells of ``cell`` degrees over the currents' domain, ids like ``"10.0E_35.0N"``.

    Cells with no water in the currents (all land) are left out.

    Parameters
    ----------
    name
        Layer name used in the outputs.
    ocean
        Canonical currents (``lon``, ``lat``, ``land``) whose domain the cells cover.
    cell
        Cell size in degrees.

    Returns
    -------
    ZoneLayer
        One square polygon per cell; positions in no cell are ``outside``.
    """
    lon = ocean["lon"].values
    lat = ocean["lat"].values
    x0 = np.floor(lon.min() / cell) * cell
    y0 = np.floor(lat.min() / cell) * cell
    xs = np.arange(x0, lon.max(), cell)
    ys = np.arange(y0, lat.max(), cell)
    water = ~ocean["land"].values
    ids, geoms = [], []
    for y in ys:
        rows = (lat >= y) & (lat <= y + cell)
        for x in xs:
            cols = (lon >= x) & (lon <= x + cell)
            if rows.any() and cols.any() and not water[np.ix_(rows, cols)].any():
                continue
            xw = ((x + 180.0) % 360.0) - 180.0
            ids.append(f"{abs(xw):g}{'E' if xw >= 0 else 'W'}_{abs(y):g}{'N' if y >= 0 else 'S'}")
            geoms.append(shapely.box(x, y, x + cell, y + cell))
    frame = gpd.GeoDataFrame({"id": ids, "kind": "grid"}, geometry=geoms, crs="EPSG:4326")
    return layer_from_frame(name, frame, "id", "outside")
