"""What a zone layer must satisfy before it is used: ids, geometries, degrees, labels.

Each check names the layer, the offending features (by their position in the file,
counting from 1, and their id) and what to do. Nothing is dropped or moved silently.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..engine.base import STATUS
from ..errors import InputDataError

__all__ = ["check_ids", "check_geometries", "check_degrees", "check_labels", "RESERVED_LABELS"]

#: labels of particle outcomes in connectivity matrices: a zone may not be called so
RESERVED_LABELS = frozenset(STATUS)


def _features(mask: np.ndarray, ids=None, at_most: int = 5) -> tuple[str, str]:
    """("features 2 ('B'), 5 ('E') (counting from 1)", "have") for the rows in ``mask``."""
    where = np.flatnonzero(mask)
    shown = [f"{i + 1}" + (f" ({ids[i]!r})" if ids is not None else "") for i in where[:at_most]]
    more = f" and {where.size - at_most} more" if where.size > at_most else ""
    many = where.size > 1
    return (
        f"feature{'s' if many else ''} {', '.join(shown)}{more} (counting from 1)",
        "have" if many else "has",
    )


def check_ids(frame: gpd.GeoDataFrame, id_field: str, where: str) -> None:
    """Every feature has an id: not null, not empty or blank."""
    values = frame[id_field]
    blank = values.isna().to_numpy() | (values.astype(str).str.strip() == "").to_numpy()
    if blank.any():
        rows, verb = _features(blank)
        raise InputDataError(
            f"{where}: {rows} {verb} no {id_field!r} (null or empty); every zone needs a name"
        )


def check_geometries(frame: gpd.GeoDataFrame, id_field: str, where: str) -> None:
    """Every feature has a geometry, with finite coordinates."""
    geoms = frame.geometry.values
    ids = frame[id_field].astype(str).to_numpy()
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if missing.any():
        rows, verb = _features(missing, ids)
        raise InputDataError(
            f"{where}: {rows} {verb} no geometry (null or empty); remove the feature or give it its polygon"
        )
    coords, index = shapely.get_coordinates(geoms, return_index=True)
    bad = np.zeros(len(frame), dtype=bool)
    bad[index[~np.isfinite(coords).all(axis=1)]] = True
    if bad.any():
        rows, verb = _features(bad, ids)
        raise InputDataError(f"{where}: {rows} {verb} coordinates that are not numbers (NaN or infinite)")


def check_degrees(frame: gpd.GeoDataFrame, id_field: str, where: str) -> None:
    """Coordinates in EPSG:4326 are degrees: longitude in [-360, 360], latitude in [-90, 90].

    GeoJSON is always read as EPSG:4326 (RFC 7946 allows no other CRS), so a GeoJSON in
    metres is only recognisable by its numbers.
    """
    b = shapely.bounds(frame.geometry.values)
    bad = (b[:, 0] < -360.0) | (b[:, 2] > 360.0) | (b[:, 1] < -90.000001) | (b[:, 3] > 90.000001)
    if not bad.any():
        return
    minx, miny, maxx, maxy = b[bad, 0].min(), b[bad, 1].min(), b[bad, 2].max(), b[bad, 3].max()
    metres = max(abs(minx), abs(maxx), abs(miny), abs(maxy)) > 1000.0
    hint = (
        "they look like metres of a projected CRS: reproject the file to longitude/latitude "
        "(e.g. ogr2ogr -t_srs EPSG:4326 out.gpkg in.geojson), or declare its CRS in a GeoPackage/Shapefile"
        if metres
        else "longitudes must lie within -360..360 and latitudes within -90..90"
    )
    rows, verb = _features(bad, frame[id_field].astype(str).to_numpy())
    raise InputDataError(
        f"{where}: {rows} {verb} coordinates (longitude {minx:.6g}..{maxx:.6g}, latitude {miny:.6g}..{maxy:.6g}) "
        f"that are not degrees; {hint}"
    )


def check_labels(ids: pd.Series, outside: str, where: str) -> None:
    """No zone is called like a particle outcome or like the layer's label for 'outside every zone'."""
    if outside in RESERVED_LABELS:
        raise InputDataError(
            f"{where}: 'outside: {outside}' is the name of a particle outcome; choose another label"
        )
    taken = sorted({str(i) for i in ids} & (RESERVED_LABELS | {outside}))
    if taken:
        raise InputDataError(
            f"{where}: zone id{'s' if len(taken) > 1 else ''} {', '.join(repr(t) for t in taken)} "
            f"collide{'' if len(taken) > 1 else 's'} with the labels of the connectivity matrix "
            f"(particle outcomes: {', '.join(sorted(RESERVED_LABELS))}; positions outside every zone: "
            f"{outside!r}); rename the zone, or set the layer's 'outside' label to another name"
        )
