"""Small CF files with currents, temperature (thetao) and salinity (so) for the temperature and egg tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import xarray as xr

T0 = np.datetime64("2021-03-01")
DAY = 86400.0
LON = np.arange(-3.0, 3.01, 0.5)
LAT = np.arange(-3.0, 3.01, 0.5)


def write(
    path: Path,
    temp,
    salt=35.0,
    u: float = 0.0,
    depths=None,
    days: int = 30,
    names=("thetao", "so"),
) -> Path:
    """CF currents (uniform eastward ``u``) with ``thetao`` = ``temp`` and ``so`` = ``salt``.

    ``temp``/``salt``: a number, or a function of (t in days, depth, lat, lon) arrays broadcast
    to the grid. ``depths``: z-levels (m) for 3-D files; ``names``: which tracers to write.
    """
    times = T0 + (np.arange(days + 1) * DAY * 1e9).astype("timedelta64[ns]")
    t = np.arange(days + 1, dtype=float)
    z = np.zeros(1) if depths is None else np.asarray(depths, float)
    tt, zz, yy, xx = np.meshgrid(t, z, LAT, LON, indexing="ij")

    def field(v):
        a = v(tt, zz, yy, xx) if callable(v) else np.full(tt.shape, float(v))
        return a if depths is not None else a[:, 0]

    dims = (
        ("time", "depth", "latitude", "longitude")
        if depths is not None
        else ("time", "latitude", "longitude")
    )
    attrs = {
        "uo": {"units": "m s-1", "standard_name": "eastward_sea_water_velocity"},
        "vo": {"units": "m s-1", "standard_name": "northward_sea_water_velocity"},
        "thetao": {"units": "degrees_C", "standard_name": "sea_water_potential_temperature"},
        "so": {"units": "1e-3", "standard_name": "sea_water_salinity"},
    }
    values = {"uo": field(u), "vo": field(0.0), "thetao": field(temp), "so": field(salt)}
    data = {k: (dims, values[k], attrs[k]) for k in ("uo", "vo", *names)}
    coords = {"time": times, "latitude": LAT, "longitude": LON}
    if depths is not None:
        coords["depth"] = ("depth", z, {"positive": "down", "axis": "Z", "units": "m"})
    xr.Dataset(data, coords=coords).to_netcdf(path)
    return path
