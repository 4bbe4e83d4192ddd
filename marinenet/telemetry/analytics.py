"""Time in zone, zone-to-zone transitions and first entries of tracks (telemetry or simulated).

Between two fixes an animal is assumed to travel along the straight line in (unwrapped)
longitude/latitude — across the dateline, the short way. Each interval is cut into
sub-steps of at most ``step_km``; a sub-step counts for the zone of its midpoint, so time
is split between zones in proportion to the path inside each. Time in zone and first entry
are tallied by the one definition the simulations use
(:class:`~marinenet.connectivity.exposure.ZoneTally`): the sub-steps are its steps, each at
the zone of its midpoint, and a first entry is the start of the first sub-step in the zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyproj

from ..connectivity.exposure import ZoneTally

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


def _tally(subs: list[tuple[np.ndarray, np.ndarray, np.ndarray]], n_zones: int) -> ZoneTally:
    """Tally the steps ``(zone, days, seconds since the track's start)`` of every individual.

    Step k of an individual starts in zone k and ends in zone k + 1 (its start time: the
    arrival there); the last ends where it started. The steps are runs of sub-steps in one zone.
    """
    size = np.array([z.size for z, _, _ in subs])
    zone = np.zeros((len(subs), size.max() + 1), np.int64)
    days, start = np.zeros((len(subs), size.max())), np.zeros((len(subs), size.max() + 1))
    for i, (z, d, t) in enumerate(subs):
        zone[i, : z.size], zone[i, z.size :] = z, z[-1]  # after the last sub-step: where it ended
        days[i, : d.size], start[i, : t.size] = d, t
    tally = ZoneTally(len(subs), n_zones, np.float64)
    tally.start(np.arange(len(subs)), zone[:, 0])
    for k in range(size.max()):
        idx = np.flatnonzero(size > k)
        tally.step(idx, days[idx, k], zone[idx, k + 1], start[idx, k + 1])
    return tally


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
    names = np.array([*layer.ids, layer.outside], dtype=object)  # zone k of layer.classify; -1: outside
    trans: list[dict[str, Any]] = []
    first: dict[Any, list[dict[str, Any]]] = {}
    moved: list[tuple[Any, np.datetime64]] = []
    subs: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for ind, g in tracks.groupby("individual", sort=True):
        lon, lat, t = g["lon"].to_numpy(float), g["lat"].to_numpy(float), g["time"].to_numpy()
        first[ind] = []
        if lon.size < 2:
            first[ind].append({"individual": ind, "zone": names[layer.classify(lon, lat)[0]], "time": t[0]})
            continue
        mx, my, dt, start = _densify(lon, lat, t, step_km)
        code = np.asarray(layer.classify(mx, my)) % names.size
        zone = names[code]
        change = np.flatnonzero(zone[1:] != zone[:-1]) + 1
        trans.extend(
            {"individual": ind, "from": zone[c - 1], "to": zone[c], "time": start[c]} for c in change
        )
        moved.append((ind, start[0]))
        run = np.r_[0, change]  # consecutive sub-steps in one zone are one step of the tally
        subs.append((code[run], np.add.reduceat(dt, run), (start[run] - start[0]) / np.timedelta64(1, "s")))
    tiz = []
    if subs:
        v = _tally(subs, names.size).visits()
        cut = np.searchsorted(v.particle, np.arange(len(moved) + 1))
        for i, (ind, t0) in enumerate(moved):
            seen, at, days = (x[cut[i] : cut[i + 1]] for x in (v.zone, v.first, v.days))
            for k in np.argsort(names[seen]):
                tiz.append({"individual": ind, "zone": names[seen[k]], "days": float(days[k])})
            for k in np.argsort(at, kind="stable"):
                when = (t0 + np.timedelta64(int(round(at[k] * 1e9)), "ns")).astype(t0.dtype)
                first[ind].append({"individual": ind, "zone": names[seen[k]], "time": when})
    return TrackAnalytics(
        pd.DataFrame(tiz, columns=["individual", "zone", "days"]),
        pd.DataFrame(trans, columns=["individual", "from", "to", "time"]),
        pd.DataFrame([r for rows in first.values() for r in rows], columns=["individual", "zone", "time"]),
    )
