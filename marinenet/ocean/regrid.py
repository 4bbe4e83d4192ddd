"""Regridding of model output on curvilinear/projected/staggered grids to a regular lon/lat grid.

Each source field lives on its own 2-D set of points (ROMS ``u`` on u-points, ``v`` on
v-points, tracers on rho-points). Targets are located in a Delaunay triangulation of the
source points (built in a local azimuthal-equidistant plane, so the dateline and the
pole are no special cases) and get barycentric weights, computed once and applied to
every time step.

Land is handled so that no water point receives a spurious zero: weights of land
(masked/NaN) source points are dropped and the rest renormalised; a target is land when
the interpolated land fraction is at least one half. Targets outside the source hull are
flagged ``outside`` (the model domain's edge), which is not land.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyproj
from scipy.spatial import Delaunay

__all__ = ["Regridder", "target_grid", "local_projection"]


def local_projection(lon: np.ndarray, lat: np.ndarray) -> pyproj.Transformer:
    """Lon/lat → metres in an azimuthal equidistant plane centred on the points."""
    lat0 = float(np.nanmean(lat))
    # circular mean of longitude: robust across the dateline
    lon0 = float(
        np.rad2deg(np.arctan2(np.nanmean(np.sin(np.deg2rad(lon))), np.nanmean(np.cos(np.deg2rad(lon)))))
    )
    crs = pyproj.CRS.from_proj4(f"+proj=aeqd +lat_0={lat0} +lon_0={lon0} +R=6371000 +units=m")
    return pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)


def target_grid(lon2d: np.ndarray, lat2d: np.ndarray, spacing_km: float | None = None):
    """Regular lon/lat axes covering the source points at about their native spacing.

    Longitudes are continuous (they may run past 180 for a dateline-spanning domain).
    """
    lon = np.asarray(lon2d, float)
    lat = np.asarray(lat2d, float)
    if spacing_km is None:
        dy = np.hypot(np.diff(lat, axis=0), np.diff(lon, axis=0) * np.cos(np.deg2rad(lat[1:])))
        spacing_km = float(np.nanmedian(dy)) * 111.2 if dy.size else 10.0
        dx = np.hypot(np.diff(lat, axis=1), np.diff(lon, axis=1) * np.cos(np.deg2rad(lat[:, 1:])))
        spacing_km = min(spacing_km, float(np.nanmedian(dx)) * 111.2) if dx.size else spacing_km
    dlat = spacing_km / 111.2
    cos_mid = np.cos(np.deg2rad(np.clip(np.nanmedian(lat), -85, 85)))
    dlon = dlat / max(cos_mid, 0.05)
    # unwrap longitudes around their circular mean so the axis is continuous
    mean = np.rad2deg(np.arctan2(np.nanmean(np.sin(np.deg2rad(lon))), np.nanmean(np.cos(np.deg2rad(lon)))))
    lon_u = mean + ((lon - mean + 180.0) % 360.0 - 180.0)
    x = np.arange(np.floor(np.nanmin(lon_u) / dlon) * dlon, np.nanmax(lon_u) + dlon / 2, dlon)
    y = np.arange(np.floor(np.nanmin(lat) / dlat) * dlat, min(np.nanmax(lat) + dlat / 2, 90.0), dlat)
    return np.round(x, 6), np.round(y, 6)


@dataclass
class Regridder:
    """Barycentric weights from source points to the nodes of a regular lon/lat grid."""

    vertices: np.ndarray  # (n_target, 3) source point indices
    weights: np.ndarray  # (n_target, 3)
    inside: np.ndarray  # (n_target,) bool, target inside the source hull
    shape: tuple[int, int]  # (n_lat, n_lon)

    @classmethod
    def build(cls, src_lon: np.ndarray, src_lat: np.ndarray, lon: np.ndarray, lat: np.ndarray) -> Regridder:
        src_lon = np.asarray(src_lon, float).ravel()
        src_lat = np.asarray(src_lat, float).ravel()
        ok = np.isfinite(src_lon) & np.isfinite(src_lat)
        proj = local_projection(src_lon[ok], src_lat[ok])
        sx, sy = proj.transform(src_lon, src_lat)
        LON, LAT = np.meshgrid(lon, lat)
        tx, ty = proj.transform(LON.ravel(), LAT.ravel())
        pts = np.column_stack([sx, sy])
        pts[~ok] = np.nan
        valid = np.flatnonzero(ok)
        tri = Delaunay(pts[valid])
        simplex = tri.find_simplex(np.column_stack([tx, ty]))
        inside = simplex >= 0
        s = np.where(inside, simplex, 0)
        T = tri.transform[s]  # (n, 3, 2)
        delta = np.column_stack([tx, ty]) - T[:, 2]
        b = np.einsum("nij,nj->ni", T[:, :2], delta)
        w = np.column_stack([b, 1.0 - b.sum(axis=1)])
        verts = valid[tri.simplices[s]]
        w[~inside] = 0.0
        return cls(verts, w, inside, (lat.size, lon.size))

    def water_fraction(self, water: np.ndarray) -> np.ndarray:
        """Interpolated share of water (1) vs land (0) at each target; NaN outside the hull."""
        wf = (self.weights * np.asarray(water, float).ravel()[self.vertices]).sum(axis=1)
        wf[~self.inside] = np.nan
        return wf.reshape(self.shape)

    def __call__(self, field: np.ndarray) -> np.ndarray:
        """Regrid ``field`` (..., *source_shape); NaN source points count as land."""
        field = np.asarray(field, float)
        lead = field.shape[: field.ndim - 2] if field.ndim > 2 else ()
        flat = field.reshape((*lead, -1)) if lead else field.reshape(1, -1)
        vals = flat[..., self.vertices]  # (*lead, n, 3)
        wet = np.isfinite(vals)
        w = np.where(wet, self.weights, 0.0)
        norm = w.sum(axis=-1)
        total = (np.where(wet, vals, 0.0) * w).sum(axis=-1)
        out = np.where(norm > 0, total / np.where(norm > 0, norm, 1), np.nan)
        out[..., ~self.inside] = np.nan
        return out.reshape((*lead, *self.shape)) if lead else out.reshape(self.shape)
