"""Shared helpers: tiny synthetic current fields and zone files made in code."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import xarray as xr
from hypothesis import settings
from shapely.geometry import box

# property tests draw the same cases on every run (reproducible, and no surprise shrinking in CI)
settings.register_profile("marinenet", derandomize=True)
settings.load_profile("marinenet")

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
#: metres per degree of latitude on Parcels' sphere (1852 m per arc minute)
DEG2M = 1852.0 * 60.0


def canonical(lon, lat, times, u, v, land=None) -> xr.Dataset:
    """Canonical currents (what ``marinenet.ocean`` hands the engines) from arrays or callables.

    ``u``/``v`` are arrays (time, lat, lon) or functions ``f(LON, LAT) -> 2-D array`` (steady).
    """
    lon, lat = np.asarray(lon, float), np.asarray(lat, float)
    times = np.asarray(times, dtype="datetime64[ns]")
    LON, LAT = np.meshgrid(lon, lat)
    if callable(u):
        u = np.broadcast_to(u(LON, LAT), (times.size, lat.size, lon.size)).copy()
    if callable(v):
        v = np.broadcast_to(v(LON, LAT), (times.size, lat.size, lon.size)).copy()
    land = np.zeros(LON.shape, bool) if land is None else land
    u = np.where(land, np.nan, u)
    v = np.where(land, np.nan, v)
    return xr.Dataset(
        {
            "u": (("time", "lat", "lon"), u),
            "v": (("time", "lat", "lon"), v),
            "land": (("lat", "lon"), land),
        },
        coords={"time": times, "lat": lat, "lon": lon},
    )


def write_cf_currents(path: Path, lon, lat, times, u, v, names=("uo", "vo"), units="m s-1", std=True) -> Path:
    """A netCDF file the way a product would ship it: CF standard names, lon/lat/time axes."""
    ds = canonical(lon, lat, times, u, v)
    out = xr.Dataset(
        {
            names[0]: (("time", "latitude", "longitude"), ds["u"].values.astype("float32")),
            names[1]: (("time", "latitude", "longitude"), ds["v"].values.astype("float32")),
        },
        coords={
            "time": ("time", ds["time"].values, {"standard_name": "time", "axis": "T"}),
            "latitude": (
                "latitude",
                ds["lat"].values,
                {"standard_name": "latitude", "units": "degrees_north"},
            ),
            "longitude": (
                "longitude",
                ds["lon"].values,
                {"standard_name": "longitude", "units": "degrees_east"},
            ),
        },
    )
    for n, s in zip(names, ("eastward", "northward"), strict=True):
        out[n].attrs["units"] = units
        if std:
            out[n].attrs["standard_name"] = f"{s}_sea_water_velocity"
    out.to_netcdf(path)
    return path


def write_boxes(
    path: Path, boxes: dict[str, tuple[float, float, float, float]], id_field: str = "name"
) -> Path:
    gdf = gpd.GeoDataFrame(
        {id_field: list(boxes), "geometry": [box(*b) for b in boxes.values()]}, crs="EPSG:4326"
    )
    gdf.to_file(path, driver="GeoJSON")
    return path


@pytest.fixture
def days():
    def _days(n: float) -> np.ndarray:
        return np.array(
            [np.datetime64("2021-01-01") + np.timedelta64(int(d), "D") for d in range(int(n) + 1)]
        )

    return _days
