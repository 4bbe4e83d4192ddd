"""Surface currents of the synthetic demo seascape.

The flow derives from a streamfunction ψ (m²/s) on the sphere,
``u = -(1/R) ∂ψ/∂φ``, ``v = (1/(R cos φ)) ∂ψ/∂λ``, so it is non-divergent by construction:

* **Wind-driven gyre** (Stommel 1948): ``ψ_g = Ψ0(t) sin(πη) f(ξ)`` with
  ``f(ξ) = 1 - ξ - e^{-ξ/δ} + ξ e^{-1/δ}``, where ``ξ`` runs 0→1 from the west coast to the
  east coast *at each latitude* and ``η`` 0→1 from 14°N to 50°N. ``f`` vanishes on both
  coasts, so the flow runs along them, and the boundary layer of width ``δ`` gives a
  narrow, fast (≈1.1 m/s) western boundary current and a slow (≈5 cm/s) interior return
  flow. The gyre extends beyond the basin's 18°N/46°N edges, which are open.
  ``Ψ0`` has a ±20 % seasonal cycle (strongest in spring).
* **Mesoscale eddies**: Gaussian vortices (radius 45–80 km, 0.15–0.35 m/s) that are born,
  drift westward at first-mode Rossby-wave speeds (2.5–5 km/day) and decay within
  90–180 days; they are tapered to zero at the coasts.
* **Islands**: ψ is blended to a constant over each island, so streamlines wrap around it.

Land is NaN. The field is generated on demand for the requested time window only.
"""

from __future__ import annotations

import numpy as np
import shapely
import xarray as xr

from .diskcache import disk_cached
from .geography import DOMAIN, ISLANDS, demo_land, east_coast_lon, west_coast_lon

__all__ = ["demo_currents", "DEMO_PERIOD", "streamfunction"]

#: first and last instant covered by the demo currents
DEMO_PERIOD = (np.datetime64("2020-01-01T00:00"), np.datetime64("2025-12-31T00:00"))
EARTH_RADIUS_M = 6_371_008.8

_PSI0 = 1.0e5  # m²/s, gyre strength
_DELTA = 0.04  # western boundary layer width (fraction of basin width)
_GYRE_LAT = (14.0, 50.0)
_N_EDDIES = 30
_EDDY_SEED = 20210101  # fixed: the seascape is part of the product, not of a run


def _eddy_parameters() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(_EDDY_SEED)
    n = _N_EDDIES
    return {
        "life": rng.uniform(90.0, 180.0, n),  # days
        "offset": rng.uniform(0.0, 1.0, n),
        "speed": rng.uniform(2.5, 5.0, n),  # km/day westward
        "radius": rng.uniform(45.0, 80.0, n) * 1e3,  # m
        "vmax": rng.uniform(0.15, 0.35, n) * rng.choice([-1.0, 1.0], n),  # m/s, sign = sense of rotation
    }


def _eddy_birth(k: int, cycle: int) -> tuple[float, float]:
    """Birth place (ξ, lat) of eddy ``k`` in its ``cycle``-th life."""
    rng = np.random.default_rng([_EDDY_SEED, k, cycle + 10_000])
    return float(rng.uniform(0.2, 0.95)), float(rng.uniform(DOMAIN[1] + 1.0, DOMAIN[3] - 1.0))


def _xi(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    west, east = west_coast_lon(lat), east_coast_lon(lat)
    return (lon - west) / (east - west)


def streamfunction(lon: np.ndarray, lat: np.ndarray, days: float) -> np.ndarray:
    """Streamfunction ψ (m²/s) at ``days`` since :data:`DEMO_PERIOD` start."""
    return _Basin(lon, lat).psi(days)


class _Basin:
    """ψ on fixed points: what does not change with time (gyre shape, coast taper, island masks) is
    computed once, each time only the seasonal strength and the eddies; every value is the same
    expression, evaluated in the same order, as in one call per time."""

    def __init__(self, lon: np.ndarray, lat: np.ndarray) -> None:
        self.lon, self.lat = lon, lat
        xi = _xi(lon, lat)
        eta = (lat - _GYRE_LAT[0]) / (_GYRE_LAT[1] - _GYRE_LAT[0])
        self.sin_eta = np.sin(np.pi * eta)
        self.f = 1.0 - xi - np.exp(-np.clip(xi, 0, None) / _DELTA) + xi * np.exp(-1.0 / _DELTA)
        self.coslat = np.cos(np.deg2rad(lat))
        self.taper = np.clip(np.tanh(xi / 0.03) * np.tanh((1.0 - xi) / 0.03), 0.0, None)
        self.islands = []  # (mask, sin of the island's gyre latitude, its gyre shape)
        for islands in ISLANDS.values():
            for isl in islands:
                rho = isl.relative_radius(lon, lat)
                m = np.exp(-(np.clip(rho - 1.0, 0, None) ** 2) / (2 * 0.35**2))
                sin_lat = np.sin(np.pi * (isl.lat - _GYRE_LAT[0]) / (_GYRE_LAT[1] - _GYRE_LAT[0]))
                shape = float(
                    1.0
                    - _xi(np.array(isl.lon), np.array(isl.lat))
                    - np.exp(-_xi(np.array(isl.lon), np.array(isl.lat)) / _DELTA)
                )
                self.islands.append((m, sin_lat, shape))
        # rows of one latitude each (a grid): an eddy is evaluated on the rows it can reach only
        rows = lat.ndim == 2 and bool((lat == lat[:, :1]).all())
        self.row_lat = lat[:, 0] if rows else None

    def _rows(self, lat0: float, radius: float) -> slice:
        """Rows holding every point with ``r2 < 12`` of an eddy at ``lat0`` (all rows but a grid's)."""
        if self.row_lat is None:
            return slice(None)
        dy = (self.row_lat - lat0) * np.deg2rad(1.0) * EARTH_RADIUS_M
        near = np.flatnonzero(dy**2 / (2 * radius**2) < 12.0)  # (r2 >= this: dx**2 >= 0)
        return slice(near[0], near[-1] + 1) if near.size else slice(0, 0)

    def psi(self, days: float) -> np.ndarray:
        lon, lat = self.lon, self.lat
        season = 1.0 + 0.2 * np.sin(2 * np.pi * (days - 20.0) / 365.25)
        gyre = _PSI0 * season * self.sin_eta * self.f

        eddies = np.zeros_like(lon)
        par = _eddy_parameters()
        for k in range(_N_EDDIES):
            age = days / par["life"][k] + par["offset"][k]
            cycle, phase = int(np.floor(age)), age - np.floor(age)
            xi0, lat0 = _eddy_birth(k, cycle)
            lon0 = west_coast_lon(lat0) + xi0 * (east_coast_lon(lat0) - west_coast_lon(lat0))
            lon_k = lon0 - par["speed"][k] * phase * par["life"][k] / (111.32 * np.cos(np.deg2rad(lat0)))
            w = self._rows(lat0, par["radius"][k])
            dx = (lon[w] - lon_k) * self.coslat[w] * np.deg2rad(1.0) * EARTH_RADIUS_M
            dy = (lat[w] - lat0) * np.deg2rad(1.0) * EARTH_RADIUS_M
            r2 = (dx**2 + dy**2) / (2 * par["radius"][k] ** 2)
            near = r2 < 12.0
            amp = par["vmax"][k] * par["radius"][k] * np.exp(0.5) * np.sin(np.pi * phase) ** 2
            eddies[w][near] += amp * np.exp(-r2[near])
        psi = gyre + eddies * self.taper

        for m, sin_lat, shape in self.islands:
            centre = _PSI0 * season * sin_lat * shape
            psi = psi * (1.0 - m) + centre * m
        return psi


@disk_cached
def demo_currents(
    start: np.datetime64 | None = None,
    end: np.datetime64 | None = None,
    resolution: float = 0.1,
    step: np.timedelta64 = np.timedelta64(1, "D"),
) -> xr.Dataset:
    """Demo currents in the canonical form, covering ``[start, end]`` (daily snapshots).

    Velocities are centred differences of ψ over one grid cell, evaluated on the cell
    corners, so the discrete field is as non-divergent as the grid allows.

    Returns
    -------
    xarray.Dataset
        ``u``, ``v`` (time, lat, lon) in m/s, NaN on land; ``land`` (lat, lon) mask.
    """
    start = DEMO_PERIOD[0] if start is None else start.astype("datetime64[s]")
    end = start + np.timedelta64(30, "D") if end is None else end.astype("datetime64[s]")
    t0 = max(DEMO_PERIOD[0], (start - step).astype("datetime64[D]"))
    t1 = min(DEMO_PERIOD[1], (end + 2 * step).astype("datetime64[D]"))
    times = np.arange(
        t0.astype("datetime64[s]"), t1.astype("datetime64[s]") + 1, step.astype("timedelta64[s]")
    )

    lon = np.round(np.arange(DOMAIN[0], DOMAIN[2] + resolution / 2, resolution), 6)
    lat = np.round(np.arange(DOMAIN[1], DOMAIN[3] + resolution / 2, resolution), 6)
    half = resolution / 2
    clon = np.append(lon - half, lon[-1] + half)
    clat = np.append(lat - half, lat[-1] + half)
    CLON, CLAT = np.meshgrid(clon, clat)
    land = shapely.contains_xy(_prepared_land(), *np.meshgrid(lon, lat))
    dtheta = np.deg2rad(resolution)
    coslat = np.cos(np.deg2rad(lat))[:, None]

    u = np.empty((times.size, lat.size, lon.size), dtype=np.float32)
    v = np.empty_like(u)
    basin = _Basin(CLON, CLAT)
    for i, t in enumerate(times):
        days = float((t - DEMO_PERIOD[0]) / np.timedelta64(1, "D"))
        psi = basin.psi(days)
        dpsi_dlat = 0.5 * ((psi[1:, 1:] - psi[:-1, 1:]) + (psi[1:, :-1] - psi[:-1, :-1])) / dtheta
        dpsi_dlon = 0.5 * ((psi[1:, 1:] - psi[1:, :-1]) + (psi[:-1, 1:] - psi[:-1, :-1])) / dtheta
        u[i] = np.where(land, np.nan, -dpsi_dlat / EARTH_RADIUS_M)
        v[i] = np.where(land, np.nan, dpsi_dlon / (EARTH_RADIUS_M * coslat))

    ds = xr.Dataset(
        {
            "u": (
                ("time", "lat", "lon"),
                u,
                {"standard_name": "eastward_sea_water_velocity", "units": "m s-1"},
            ),
            "v": (
                ("time", "lat", "lon"),
                v,
                {"standard_name": "northward_sea_water_velocity", "units": "m s-1"},
            ),
            "land": (("lat", "lon"), land, {"long_name": "land mask (True = land)"}),
        },
        coords={
            "time": ("time", times.astype("datetime64[ns]"), {"standard_name": "time", "axis": "T"}),
            "lat": ("lat", lat, {"standard_name": "latitude", "units": "degrees_north", "axis": "Y"}),
            "lon": ("lon", lon, {"standard_name": "longitude", "units": "degrees_east", "axis": "X"}),
        },
        attrs={
            "title": "marinenet demo seascape: SYNTHETIC wind-driven gyre with mesoscale eddies",
            "source": "demo",
            "synthetic": 1,
            "comment": "Generated by marinenet.demo.currents; not real ocean data.",
        },
    )
    return ds


def _prepared_land():
    land = demo_land()
    shapely.prepare(land)
    return land
