"""Ocean currents → one canonical :class:`xarray.Dataset`.

Canonical form: ``u`` (eastward) and ``v`` (northward) in m/s on ``(time, lat, lon)``,
ascending coordinates in degrees, NaN on land, plus a ``land`` mask ``(lat, lon)``.
Attributes record the source, original variable names and unit conversions.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from ..errors import InputDataError
from .lonframe import wrap_into
from .reader import VelocityNames, find_velocity_names, open_currents

__all__ = ["open_ocean", "open_currents", "find_velocity_names", "WetTest"]


def open_ocean(
    source: str,
    start: np.datetime64,
    end: np.datetime64,
    variables: VelocityNames | None = None,
    *,
    depth: float = 0.0,
    grid: str | None = None,
    time_origin: str | None = None,
    region: tuple[float, float, float, float] | None = None,
    loop: str = "none",
    three_d: bool = False,
    levels: list[float] | None = None,
    zero_is_land: bool = False,
    tracers: tuple[str, ...] = (),
) -> xr.Dataset:
    """The canonical currents for the window ``[start, end]`` (and ``region`` where given).

    ``source`` is ``"demo"`` for the built-in synthetic seascape, else a netCDF path/glob
    or an OPeNDAP address.

    Parameters
    ----------
    source
        ``"demo"``, a netCDF path or glob, or an OPeNDAP address (``ocean.source``).
    start, end
        The time window the run needs (first release to end of the last release's tracking).
    variables
        Names of the eastward (``"u"``) and northward (``"v"``) velocities, if discovery fails.
    depth, grid, time_origin, region, loop, three_d, levels, zero_is_land, tracers
        As for :func:`open_currents` (the ``ocean`` keys of the same names).

    Returns
    -------
    xarray.Dataset
        The canonical currents (see :func:`open_currents`).

    Raises
    ------
    InputDataError
        When the data cannot be used as they are, or the demo currents do not cover the window.
    """
    if source == "demo":
        from ..demo.currents import DEMO_PERIOD, demo_currents

        if np.datetime64(start) < DEMO_PERIOD[0] or np.datetime64(end) > DEMO_PERIOD[1]:
            raise InputDataError(
                f"the demo currents cover {DEMO_PERIOD[0]} to {DEMO_PERIOD[1]}; the simulation needs "
                f"{start.astype('datetime64[s]')} to {end.astype('datetime64[s]')}: change release.start or simulation.duration"
            )
        if tracers:
            raise InputDataError(
                f"the demo currents have no {' or '.join(tracers)} (temperature/salinity) for the behaviour: "
                "give an ocean.source with them"
            )
        return demo_currents(start, end)
    return open_currents(
        source,
        variables,
        start,
        end,
        depth=depth,
        grid=grid,
        time_origin=time_origin,
        region=region,
        loop=loop,
        three_d=three_d,
        levels=levels,
        zero_is_land=zero_is_land,
        tracers=tracers,
    )


class WetTest:
    """Is a position over water? The test the engines use to strand particles.

    A position is wet when it lies inside the grid and both the land mask and the
    outside-the-model-domain mask, each bilinearly interpolated from the four surrounding
    grid points, are below 0.5 (the two are tested apart, as by the engines). Longitudes are
    taken in the grid's own frame (any whole turn of 360° is the same place), and on a grid
    that goes round the globe (``zonal_periodic``) the last column is joined to the first,
    as the engines do.

    Parameters
    ----------
    ocean
        Canonical currents (from :func:`open_ocean`): ``lon``, ``lat``, ``land`` and, where the
        model domain does not fill the grid, ``outside``.
    """

    def __init__(self, ocean: xr.Dataset):
        self.lon = ocean["lon"].values.astype(float)
        self.lat = ocean["lat"].values.astype(float)
        self.land = ocean["land"].values.astype(float)
        self.outside = ocean["outside"].values.astype(float) if "outside" in ocean else None
        self.periodic = bool(ocean.attrs.get("zonal_periodic"))
        if self.periodic:  # one wrapped column closes the circle
            self.lon = np.append(self.lon, self.lon[0] + 360.0)
            self.land = np.concatenate([self.land, self.land[:, :1]], axis=1)
            if self.outside is not None:
                self.outside = np.concatenate([self.outside, self.outside[:, :1]], axis=1)

    def frame(self, lon: np.ndarray) -> np.ndarray:
        """Longitudes in the grid's frame ``[lon[0], lon[0] + 360)``."""
        return wrap_into(lon, float(self.lon[0]))

    def land_fraction(self, lon: np.ndarray, lat: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
        """Interpolated land mask (or ``mask``) at the positions (NaN outside the grid)."""
        lon, lat = self.frame(lon), np.asarray(lat, float)
        out = np.full(lon.shape, np.nan)
        inside = (lon >= self.lon[0]) & (lon <= self.lon[-1]) & (lat >= self.lat[0]) & (lat <= self.lat[-1])
        i = np.clip(np.searchsorted(self.lon, lon[inside], side="right") - 1, 0, self.lon.size - 2)
        j = np.clip(np.searchsorted(self.lat, lat[inside], side="right") - 1, 0, self.lat.size - 2)
        fx = (lon[inside] - self.lon[i]) / (self.lon[i + 1] - self.lon[i])
        fy = (lat[inside] - self.lat[j]) / (self.lat[j + 1] - self.lat[j])
        m = self.land if mask is None else mask
        out[inside] = (
            m[j, i] * (1 - fx) * (1 - fy)
            + m[j, i + 1] * fx * (1 - fy)
            + m[j + 1, i] * (1 - fx) * fy
            + m[j + 1, i + 1] * fx * fy
        )
        return out

    def __call__(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        frac = self.land_fraction(lon, lat)
        wet = np.isfinite(frac) & (frac < 0.5)
        if self.outside is not None:
            wet &= self.land_fraction(lon, lat, self.outside) < 0.5
        return wet
