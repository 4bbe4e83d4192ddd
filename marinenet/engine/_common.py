"""Helpers shared by the engines: field preparation that both must do identically."""

from __future__ import annotations

import numpy as np
import xarray as xr

#: metres per degree of latitude on Parcels' spherical mesh (1852 m × 60); both engines use it
PARCELS_DEG2M = 1852.0 * 60.0


def slip_fill(a: np.ndarray, land: np.ndarray, cells: int = 2) -> np.ndarray:
    """Give land cells within ``cells`` of water the velocity of the nearest water cell."""
    from scipy.ndimage import distance_transform_edt

    dist, (jj, ii) = distance_transform_edt(land, return_indices=True)
    near = land & (dist <= cells)
    out = a.copy()
    out[..., near] = a[..., jj[near], ii[near]]
    return out


def target_fields(ocean: xr.Dataset, mask: np.ndarray | None) -> dict[str, np.ndarray]:
    """Unit vectors down the distance to the target area (metric-aware), and the target mask."""
    shape = ocean["land"].shape
    if mask is None:
        z = np.zeros(shape)
        return {"tdx": z, "tdy": z, "tmask": z}
    from scipy.ndimage import distance_transform_edt

    lat = ocean["lat"].values
    dlat = float(np.median(np.diff(lat)))
    dlon = float(np.median(np.diff(ocean["lon"].values))) * np.cos(np.deg2rad(np.median(lat)))
    dist = distance_transform_edt(~mask, sampling=(dlat, dlon))
    gy, gx = np.gradient(dist, dlat, dlon)
    norm = np.hypot(gx, gy)
    norm[norm == 0] = 1.0
    return {"tdx": -gx / norm, "tdy": -gy / norm, "tmask": mask.astype(float)}
