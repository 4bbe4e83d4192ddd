"""What every map of real data stands on: the real coastline and the model domain.

* The coastline is Natural Earth 1:50m land (public domain), shipped with the package
  (``data/ne_50m_land.wkb.gz``, see its README): nothing is downloaded at run time.
* Both are drawn above zone fills (zorder 3: a derived high-seas polygon may span the whole
  lon/lat box) and below tracks, arrows and labels (zorder >= 4).
* Areas outside the model's domain (cells of a rotated or curvilinear grid that the model does
  not cover: ``outside`` in ``ocean_snapshot.nc``) are shaded grey and hatched, and the domain's
  edge is outlined, so they are never mistaken for sea.
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from importlib.resources import files

import matplotlib
import numpy as np
import shapely
import xarray as xr

__all__ = [
    "world_land",
    "draw_coastline",
    "draw_outside_domain",
    "OUTSIDE_COLOUR",
    "COAST_LAND_COLOUR",
]

#: fill of areas outside the model domain (the test reads it back from the PNG)
OUTSIDE_COLOUR = "#b4b4b4"
#: fill of Natural Earth land
COAST_LAND_COLOUR = "#d9cfb8"


@lru_cache(maxsize=1)
def world_land() -> shapely.MultiPolygon:
    """Natural Earth 1:50m land as one MultiPolygon (lon −180..180), read once from the package data."""
    raw = files("marinenet.report").joinpath("data/ne_50m_land.wkb.gz").read_bytes()
    land = shapely.from_wkb(gzip.decompress(raw))
    assert isinstance(land, shapely.MultiPolygon)  # scripts/make_land.py writes one MultiPolygon
    return land


def _shifted(s: float):
    """Coordinates moved ``s`` degrees east (for :func:`shapely.transform`)."""
    return lambda xy: xy + [s, 0.0]


def _land_in(extent: list[float], pad: float = 1.0) -> list:
    """Land polygons inside ``extent`` (lon0, lon1, lat0, lat1), shifted by 360° for extents beyond ±180."""
    lon0, lon1, lat0, lat1 = extent
    out = []
    for shift in (-360.0, 0.0, 360.0):
        if lon1 + pad < -180.0 + shift or lon0 - pad > 180.0 + shift:
            continue
        box = (lon0 - pad - shift, max(lat0 - pad, -90.0), lon1 + pad - shift, min(lat1 + pad, 90.0))
        part = shapely.clip_by_rect(world_land(), *box)
        if not part.is_empty:
            if shift:
                part = shapely.transform(part, _shifted(shift))
            out += [p for p in shapely.get_parts(part) if p.geom_type == "Polygon"]
    return out


def draw_coastline(ax, extent: list[float], crs, zorder: float = 3.5) -> int:
    """Fill Natural Earth land and draw its coastline; returns how many polygons were drawn."""
    polys = _land_in(extent)
    if polys:
        ax.add_geometries(
            polys, crs=crs, facecolor=COAST_LAND_COLOUR, edgecolor="#4d4535", linewidth=0.5, zorder=zorder
        )
    return len(polys)


_PAD = 4


def _padded(axis: np.ndarray, pad: int) -> np.ndarray:
    step = np.diff(axis[:2])[0] if axis.size > 1 else 1.0
    return np.concatenate(
        [axis[0] - step * np.arange(pad, 0, -1), axis, axis[-1] + step * np.arange(1, pad + 1)]
    )


def draw_outside_domain(ax, land: xr.DataArray, crs, zorder: float = 3.4) -> bool:
    """Shade and hatch the cells outside the model domain (``land.coords['outside']``), outline the edge.

    Returns whether anything was outside the domain.
    """
    outside = land.coords.get("outside")
    if outside is None or not bool(np.asarray(outside).any()) or land.lon.ndim != 1:
        return False
    # pad by a few cells on every side: a projected map shows corners beyond the lon/lat box too
    pad = max(_PAD, max(land.shape) // 4)
    mask = np.pad(np.asarray(outside, dtype=float), pad, constant_values=1.0)
    lon, lat = _padded(land.lon.values, pad), np.clip(_padded(land.lat.values, pad), -90.0, 90.0)
    with matplotlib.rc_context({"hatch.color": "#7a7a7a", "hatch.linewidth": 0.4}):
        ax.contourf(
            lon,
            lat,
            mask,
            levels=[0.5, 1.5],
            colors=[OUTSIDE_COLOUR],
            hatches=["xx"],
            transform=crs,
            zorder=zorder,
        )
    ax.contour(lon, lat, mask, levels=[0.5], colors=["#333333"], linewidths=0.9, transform=crs, zorder=zorder)
    return True
