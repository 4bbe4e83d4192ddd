"""Time in zone, zone-to-zone transitions and first entries of tracks (telemetry or simulated).

Between two fixes an animal is assumed to travel along the straight line in (unwrapped)
longitude/latitude — across the dateline, the short way. Each interval is cut into
sub-steps of at most ``step_km``; a sub-step counts for the zone of its midpoint, so time
is split between zones in proportion to the path inside each.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyproj

__all__ = ["analyse_tracks", "TrackAnalytics"]

_GEOD = pyproj.Geod(ellps="WGS84")


@dataclass
class TrackAnalytics:
    """Jurisdiction analytics of tracks (see :func:`analyse_tracks`).

    Attributes
    ----------
    time_in_zone
        ``individual, zone, days``.
    transitions
        ``individual, from, to, time``: each change of zone.
    first_entry
        ``individual, zone, time``: when each individual first entered each zone.
    """

    time_in_zone: pd.DataFrame  # individual, zone, days
    transitions: pd.DataFrame  # individual, from, to, time
    first_entry: pd.DataFrame  # individual, zone, time


def _densify(lon, lat, t, step_km):
    """Sub-step midpoints (lon, lat), their durations (days) and start times for one individual."""
    lon_u = np.rad2deg(np.unwrap(np.deg2rad(lon)))  # continuous across the dateline
    dist = _GEOD.inv(lon[:-1], lat[:-1], lon[1:], lat[1:])[2] / 1000.0
    n = np.maximum(np.ceil(dist / step_km).astype(int), 1)
    seg = np.repeat(np.arange(lon.size - 1), n)
    k = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
    frac_mid = (k + 0.5) / np.repeat(n, n)
    frac_start = k / np.repeat(n, n)
    mx = lon_u[seg] + frac_mid * (lon_u[seg + 1] - lon_u[seg])
    my = lat[seg] + frac_mid * (lat[seg + 1] - lat[seg])
    dt = (t[seg + 1] - t[seg]) / np.timedelta64(1, "D") / np.repeat(n, n)
    start = t[seg] + (frac_start * ((t[seg + 1] - t[seg]) / np.timedelta64(1, "s"))).astype("timedelta64[s]")
    return ((mx + 180.0) % 360.0) - 180.0, my, dt, start


def analyse_tracks(tracks: pd.DataFrame, layer, step_km: float = 5.0) -> TrackAnalytics:
    """Jurisdiction analytics of ``tracks`` (individual, time, lon, lat) against a zone layer.

    Each step between two fixes is followed along the geodesic in sub-steps of at most
    ``step_km``; each sub-step counts for its zone at its midpoint.

    Parameters
    ----------
    tracks
        From :func:`~marinenet.telemetry.read_tracks` (and :func:`~marinenet.telemetry.speed_filter`).
    layer
        A :class:`~marinenet.zones.ZoneLayer`.
    step_km
        Longest sub-step in km.

    Returns
    -------
    TrackAnalytics
        Time in zone, transitions and first entries.
    """
    tiz: list[dict[str, Any]] = []
    trans: list[dict[str, Any]] = []
    first: list[dict[str, Any]] = []
    for ind, g in tracks.groupby("individual", sort=True):
        lon, lat, t = g["lon"].to_numpy(float), g["lat"].to_numpy(float), g["time"].to_numpy()
        if lon.size < 2:
            z0 = layer.labels(lon, lat)[0]
            first.append({"individual": ind, "zone": z0, "time": t[0]})
            continue
        mx, my, dt, start = _densify(lon, lat, t, step_km)
        zone = np.asarray(layer.labels(mx, my), dtype=object)
        days = pd.Series(dt).groupby(zone).sum()
        tiz.extend({"individual": ind, "zone": z, "days": float(d)} for z, d in days.items())
        change = np.flatnonzero(zone[1:] != zone[:-1]) + 1
        trans.extend(
            {"individual": ind, "from": zone[c - 1], "to": zone[c], "time": start[c]} for c in change
        )
        seen: dict[str, np.datetime64] = {}
        for z, s in zip(zone, start, strict=True):
            seen.setdefault(z, s)
        first.extend({"individual": ind, "zone": z, "time": s} for z, s in seen.items())
    return TrackAnalytics(
        pd.DataFrame(tiz, columns=["individual", "zone", "days"]),
        pd.DataFrame(trans, columns=["individual", "from", "to", "time"]),
        pd.DataFrame(first, columns=["individual", "zone", "time"]),
    )
