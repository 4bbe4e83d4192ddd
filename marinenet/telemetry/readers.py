"""Read telemetry files into one table: ``individual, time, lon, lat`` (sorted), and clean them.

Formats (detected from the columns, or named):

* ``movebank``: ``timestamp, location-long, location-lat, individual-local-identifier``
  (rows with ``visible = false`` dropped);
* ``obis-seamap`` segments: ``series_id, longitude_begin, latitude_begin, longitude_end,
  latitude_end, datetime_begin, datetime_end`` (each segment gives its two end fixes);
* ``obis-seamap`` points: ``series_id`` (or ``id``), ``longitude``, ``latitude``,
  ``datetime`` (or ``datetime_utc``);
* ``generic``: columns ``id, time, lon, lat`` (names configurable).
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd
import pyproj

from ..errors import InputDataError

__all__ = ["read_tracks", "speed_filter", "detect_format"]

log = logging.getLogger(__name__)
_GEOD = pyproj.Geod(ellps="WGS84")

_MOVEBANK = ("timestamp", "location-long", "location-lat", "individual-local-identifier")
_SEAMAP_SEG = (
    "series_id",
    "longitude_begin",
    "latitude_begin",
    "longitude_end",
    "latitude_end",
    "datetime_begin",
    "datetime_end",
)


def detect_format(columns) -> str:
    cols = {c.lower() for c in columns}
    if set(_MOVEBANK) <= cols:
        return "movebank"
    if set(_SEAMAP_SEG) <= cols:
        return "obis-seamap-segments"
    if (
        {"longitude", "latitude"} <= cols
        and ({"series_id"} & cols or {"id"} & cols)
        and ({"datetime", "datetime_utc"} & cols)
    ):
        return "obis-seamap-points"
    return "generic"


def _tidy(ids, times, lon, lat, source: str) -> pd.DataFrame:
    t = pd.to_datetime(pd.Series(times), errors="coerce", utc=True).dt.tz_convert(None)
    df = pd.DataFrame(
        {
            "individual": pd.Series(ids).astype(str).to_numpy(),
            "time": t.to_numpy(),
            "lon": pd.to_numeric(pd.Series(lon), errors="coerce").to_numpy(),
            "lat": pd.to_numeric(pd.Series(lat), errors="coerce").to_numpy(),
        }
    )
    bad = df["time"].isna() | df["lon"].isna() | df["lat"].isna() | (df["lat"].abs() > 90)
    if bad.any():
        log.warning("%s: dropped %d rows without a valid time or position", source, int(bad.sum()))
    df = df[~bad]
    if len(df) == 0:
        raise InputDataError(f"{source}: no rows with a valid time, longitude and latitude")
    lon = df["lon"].to_numpy()
    out_of_range = (lon < -180.0) | (lon >= 180.0)
    df.loc[out_of_range, "lon"] = ((lon[out_of_range] + 180.0) % 360.0) - 180.0
    df = df.drop_duplicates(["individual", "time"]).sort_values(["individual", "time"], kind="stable")
    return df.reset_index(drop=True)


def read_tracks(
    path: str | Path,
    fmt: str | None = None,
    id_col: str = "id",
    time_col: str = "time",
    lon_col: str = "lon",
    lat_col: str = "lat",
) -> pd.DataFrame:
    """Read a telemetry CSV into ``individual, time (UTC), lon ([-180, 180)), lat``."""
    path = Path(path)
    if not path.is_file():
        raise InputDataError(f"track file {path} not found")
    try:
        raw = pd.read_csv(path)
    except Exception as exc:
        raise InputDataError(f"cannot read {path} as CSV: {exc}") from None
    raw.columns = [str(c) for c in raw.columns]
    lower = {c.lower(): c for c in raw.columns}
    fmt = fmt or detect_format(raw.columns)
    if fmt == "movebank":
        if "visible" in lower:
            raw = raw[raw[lower["visible"]].astype(str).str.lower() != "false"]
        return _tidy(
            raw[lower["individual-local-identifier"]],
            raw[lower["timestamp"]],
            raw[lower["location-long"]],
            raw[lower["location-lat"]],
            str(path),
        )
    if fmt == "obis-seamap-segments":
        c = lower
        ids = pd.concat([raw[c["series_id"]], raw[c["series_id"]]])
        times = pd.concat([raw[c["datetime_begin"]], raw[c["datetime_end"]]])
        lon = pd.concat([raw[c["longitude_begin"]], raw[c["longitude_end"]]])
        lat = pd.concat([raw[c["latitude_begin"]], raw[c["latitude_end"]]])
        return _tidy(ids, times, lon, lat, str(path))
    if fmt == "obis-seamap-points":
        c = lower
        idc = c.get("series_id") or c["id"]
        tc = c.get("datetime") or c["datetime_utc"]
        return _tidy(raw[idc], raw[tc], raw[c["longitude"]], raw[c["latitude"]], str(path))
    missing = [n for n in (id_col, time_col, lon_col, lat_col) if n not in raw.columns]
    if missing:
        raise InputDataError(
            f"{path}: not a Movebank or OBIS-SEAMAP file, and the generic columns {missing} are missing; "
            f"columns present: {', '.join(raw.columns)} (name them with --id/--time/--lon/--lat)"
        )
    return _tidy(raw[id_col], raw[time_col], raw[lon_col], raw[lat_col], str(path))


def speed_filter(tracks: pd.DataFrame, max_kmh: float) -> tuple[pd.DataFrame, int]:
    """Drop fixes that imply a speed above ``max_kmh`` from the previous kept fix of the same individual.

    Distances are geodesic (WGS84), so steps across the dateline are short, as they are
    at sea. Returns the kept fixes and the number dropped.
    """
    keep = np.ones(len(tracks), dtype=bool)
    for _, idx in tracks.groupby("individual", sort=False).indices.items():
        lon = tracks["lon"].to_numpy()[idx]
        lat = tracks["lat"].to_numpy()[idx]
        t = tracks["time"].to_numpy()[idx]
        last = 0
        for k in range(1, idx.size):
            hours = (t[k] - t[last]) / np.timedelta64(1, "h")
            dist = _GEOD.inv(lon[last], lat[last], lon[k], lat[k])[2] / 1000.0
            if hours <= 0 or dist / hours > max_kmh:
                keep[idx[k]] = False
            else:
                last = k
    return tracks[keep].reset_index(drop=True), int((~keep).sum())
