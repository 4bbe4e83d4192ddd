"""Seawater properties for buoyant eggs: TEOS-10 density, dynamic viscosity, Stokes' terminal velocity.

* :func:`potential_density`: potential density referenced to the surface (kg/m³), the density
  the water would have if brought to surface pressure, from potential temperature (°C, CMEMS
  ``thetao``) and practical salinity (CMEMS ``so``) at a depth and position, by TEOS-10 (the
  ``gsw`` package: pressure from depth and latitude, Absolute Salinity from practical salinity at
  that pressure and position, Conservative Temperature from potential temperature, then
  ``gsw.rho(SA, CT, 0)``). An egg's density is given at surface pressure (as measured in
  density-gradient columns) and an egg compresses about as much as seawater, so this is the
  water density it is compared with (as OpenDrift's PelagicEggDrift, which uses density at one
  atmosphere). IOC, SCOR and IAPSO (2010) The international thermodynamic equation of seawater -
  2010. Manuals and Guides 56, UNESCO.
* :func:`viscosity`: dynamic viscosity (Pa s) of seawater, Sharqawy MH, Lienhard JH V, Zubair SM
  (2010) Thermophysical properties of seawater: a review of existing correlations and data.
  Desalination and Water Treatment 16: 354-380, eq. 22-23 (valid 0-180 °C, 0-150 g/kg, ±1.5 %):
  μ = μw (1 + A S + B S²), S in kg/kg, μw = 4.2844e-5 + 1 / (0.157 (T + 64.993)² - 91.296),
  A = 1.541 + 1.998e-2 T - 9.52e-5 T², B = 7.974 - 7.561e-2 T + 4.724e-4 T².
* :func:`terminal_velocity`: Stokes' law, w = g d² (ρw - ρegg) / (18 μ), upward positive
  (Sundby S (1983) A one-dimensional model for the vertical distribution of pelagic fish eggs in
  the mixed layer. Deep-Sea Research 30: 645-661). Stokes' law holds for Reynolds numbers
  below about 0.5 (:func:`reynolds`); larger, faster eggs rise slower than it says.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["G", "potential_density", "viscosity", "terminal_velocity", "reynolds"]

G = 9.81  # m/s², as OpenDrift's PelagicEggDrift


def potential_density(temp, salt, depth, lon, lat) -> np.ndarray:
    """Potential density (kg/m³, reference 0 dbar) by TEOS-10 of water at ``depth`` (m, down); broadcasts."""
    import gsw

    lat = np.asarray(lat, float)
    p = gsw.p_from_z(-np.asarray(depth, float), lat)
    sa = gsw.SA_from_SP(salt, p, lon, lat)
    ct = gsw.CT_from_pt(sa, temp)
    return np.asarray(gsw.rho(sa, ct, 0.0), float)


@njit(cache=True, error_model="numpy")
def viscosity(temp, salt):
    """Dynamic viscosity of seawater (Pa s) at ``temp`` °C and practical salinity ``salt`` (Sharqawy 2010)."""
    s = salt / 1000.0
    mu_w = 4.2844e-5 + 1.0 / (0.157 * (temp + 64.993) ** 2 - 91.296)
    a = 1.541 + 1.998e-2 * temp - 9.52e-5 * temp**2
    b = 7.974 - 7.561e-2 * temp + 4.724e-4 * temp**2
    return mu_w * (1.0 + a * s + b * s * s)


@njit(cache=True, error_model="numpy")
def terminal_velocity(rho_water, rho_egg, diameter, mu):
    """Stokes' terminal velocity (m/s, upward positive) of a sphere of ``diameter`` m."""
    return G * diameter * diameter * (rho_water - rho_egg) / (18.0 * mu)


def reynolds(w, diameter, rho_water, mu):
    """Reynolds number of a sphere moving at ``w`` m/s (Stokes' law needs it below ~0.5)."""
    return np.abs(w) * diameter * rho_water / mu
