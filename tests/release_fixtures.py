"""Closed forms for release tests: areas of longitude/latitude boxes on the WGS84 ellipsoid."""

import numpy as np

A_WGS84 = 6378137.0
F_WGS84 = 1 / 298.257223563


def zone_area_m2(lat_deg: float) -> float:
    """Area (m²) of the WGS84 ellipsoid between the equator and ``lat_deg``, all longitudes.

    The authalic closed form: 2πb² [sinφ / (2(1 − e² sin²φ)) + ln((1 + e sinφ)/(1 − e sinφ)) / (4e)].
    """
    e2 = F_WGS84 * (2 - F_WGS84)
    e = np.sqrt(e2)
    b = A_WGS84 * (1 - F_WGS84)
    s = np.sin(np.deg2rad(lat_deg))
    return 2 * np.pi * b * b * (s / (2 * (1 - e2 * s * s)) + np.log((1 + e * s) / (1 - e * s)) / (4 * e))


def ellipsoid_box_area_km2(x0: float, y0: float, x1: float, y1: float) -> float:
    """A box bounded by two meridians and two parallels (a band when x1 − x0 = 360)."""
    return (x1 - x0) / 360.0 * (zone_area_m2(y1) - zone_area_m2(y0)) / 1e6
