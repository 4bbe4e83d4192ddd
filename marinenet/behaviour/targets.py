"""Swimming targets on the currents grid (the cells of a zone layer's polygons)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import xarray as xr

from ..errors import ScenarioError
from ..zones import ZoneLayer

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry


def target_cells(target, layers: dict[str, ZoneLayer], ocean: xr.Dataset, key: str) -> np.ndarray:
    """A target's polygons (``target.layer``, only ``target.ids`` if given) on the currents grid:
    water cells at least half a cell diagonal inside them, so a swimmer that "arrives" on the
    grid is inside the polygon (cells whose centre they cover when they are smaller than that)."""
    import shapely

    layer = layers[target.layer]
    if target.ids:
        unknown = [i for i in target.ids if i not in layer.ids]
        if unknown:
            raise ScenarioError(f"{key}.ids: {unknown} not in layer {layer.name!r}")
        layer = ZoneLayer(layer.name, layer.frame[layer.frame["id"].isin(target.ids)].reset_index(drop=True))
    lon, lat = ocean["lon"].values, ocean["lat"].values
    half = 0.5 * np.hypot(np.median(np.diff(lon)), np.median(np.diff(lat)))
    union = shapely.union_all(layer.frame.geometry.values)
    area: BaseGeometry = union.buffer(-half)
    if area.is_empty:
        area = union
    shapely.prepare(area)
    LON, LAT = np.meshgrid(lon, lat)
    return shapely.contains_xy(area, LON, LAT) & ~ocean["land"].values
