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
from .timestamps import parse_times

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


def _numbers(values: pd.Series, what: str, source: str) -> np.ndarray:
    """Floats of a coordinate column: NaN where empty; text that is not a number is an error."""
    out = pd.to_numeric(values, errors="coerce")
    bad = (out.isna() & values.notna() & (values.astype(str).str.strip() != "")).to_numpy()
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        raise InputDataError(
            f"{source}: {int(bad.sum())} {what} value(s) are not numbers, first at data row "
            f"{values.index[pos] + 1} ({values.iloc[pos]!r})"
        )
    return out.to_numpy(float)


def _out_of_range(df: pd.DataFrame, source: str) -> None:
    """Longitudes beyond ±360° or latitudes beyond ±90° are errors, not places."""
    bad = ((df["lat"].abs() > 90) | (df["lon"].abs() > 360)).to_numpy()
    if bad.any():
        rows = df[bad].head(3)
        shown = "; ".join(f"data row {r.row} ({r.lon:g}, {r.lat:g})" for r in rows.itertuples())
        raise InputDataError(
            f"{source}: {int(bad.sum())} fix(es) with coordinates that are not degrees (longitude within "
            f"-360..360, latitude within -90..90): {shown}; check the file's columns and units"
        )


def _same_time(df: pd.DataFrame, source: str, conflicts: str) -> pd.DataFrame:
    """Exact repeats are dropped; two positions of one individual at one time are an error (or dropped)."""
    df = df.drop_duplicates(["individual", "time", "lon", "lat"])
    clash = df.duplicated(["individual", "time"], keep=False).to_numpy()
    if not clash.any():
        return df
    if conflicts == "drop":
        log.warning(
            "%s: dropped %d fixes that share an individual and a time with a different position",
            source,
            int(clash.sum()),
        )
        df = df[~clash]
        df.attrs["conflicting_fixes_dropped"] = int(clash.sum())
        return df
    first = df[clash].sort_values(["individual", "time"]).head(2)
    shown = " and ".join(f"data row {r.row} ({r.lon:g}, {r.lat:g})" for r in first.itertuples())
    raise InputDataError(
        f"{source}: {int(clash.sum())} fixes give one individual two positions at the same time, e.g. "
        f"{first['individual'].iloc[0]!r} at {first['time'].iloc[0]}: {shown}; fix the file, or drop "
        "all such fixes with --conflicting-fixes drop"
    )


def _tidy(
    ids, times, lon, lat, source: str, dayfirst: bool | None = None, conflicts: str = "error"
) -> pd.DataFrame:
    ids, times, lon, lat = (pd.Series(x) for x in (ids, times, lon, lat))
    no_id = (ids.isna() | (ids.astype(str).str.strip() == "")).to_numpy()
    if no_id.any():
        pos = int(np.flatnonzero(no_id)[0])
        raise InputDataError(
            f"{source}: {int(no_id.sum())} row(s) have no individual id, first at data row {ids.index[pos] + 1}"
        )
    df = pd.DataFrame(
        {
            "individual": ids.astype(str).to_numpy(),
            "time": parse_times(times, dayfirst, source),
            "lon": _numbers(lon, "longitude", source),
            "lat": _numbers(lat, "latitude", source),
            "row": ids.index.to_numpy() + 1,
        }
    )
    bad = df["time"].isna() | df["lon"].isna() | df["lat"].isna()
    if bad.any():
        log.warning("%s: dropped %d rows without a time or position", source, int(bad.sum()))
    df = df[~bad]
    if len(df) == 0:
        raise InputDataError(f"{source}: no rows with a valid time, longitude and latitude")
    _out_of_range(df, source)
    df = _same_time(df, source, conflicts)
    lon = df["lon"].to_numpy()
    out_of_range = (lon < -180.0) | (lon >= 180.0)
    df.loc[out_of_range, "lon"] = ((lon[out_of_range] + 180.0) % 360.0) - 180.0
    attrs = dict(df.attrs)
    df = df.sort_values(["individual", "time"], kind="stable").drop(columns="row").reset_index(drop=True)
    df.attrs.update(attrs)
    return df


def read_tracks(
    path: str | Path,
    fmt: str | None = None,
    id_col: str = "id",
    time_col: str = "time",
    lon_col: str = "lon",
    lat_col: str = "lat",
    dayfirst: bool | None = None,
    conflicts: str = "error",
) -> pd.DataFrame:
    """Read a telemetry CSV into ``individual, time (UTC), lon ([-180, 180)), lat``.

    Parameters
    ----------
    path
        The CSV file: a Movebank export, an OBIS-SEAMAP points or segments download, or any
        CSV with id, time, lon and lat columns.
    fmt
        ``movebank``, ``obis-seamap-points``, ``obis-seamap-segments`` or ``generic``; default:
        detected from the columns.
    id_col, time_col, lon_col, lat_col
        Column names of a generic file.
    dayfirst
        How dates written with day and month before the year are read: True for day/month,
        False for month/day, None to take the order the file's values prove (an error when
        none does). ISO 8601 times need neither.
    conflicts
        ``error``: two different positions of one individual at one time are refused;
        ``drop``: such fixes are all dropped (counted in ``attrs['conflicting_fixes_dropped']``).

    Returns
    -------
    pandas.DataFrame
        ``individual, time, lon, lat``, sorted by individual and time.

    Raises
    ------
    InputDataError
        A missing or unreadable file, missing columns (the message lists those present), rows
        without an id, values that are not numbers, dates whose day/month order the file does
        not prove, coordinates that are not degrees, or conflicting fixes; rows without a time
        or position are dropped with a warning.
    """
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
            dayfirst,
            conflicts,
        )
    if fmt == "obis-seamap-segments":
        c = lower
        ids = pd.concat([raw[c["series_id"]], raw[c["series_id"]]])
        times = pd.concat([raw[c["datetime_begin"]], raw[c["datetime_end"]]])
        lon = pd.concat([raw[c["longitude_begin"]], raw[c["longitude_end"]]])
        lat = pd.concat([raw[c["latitude_begin"]], raw[c["latitude_end"]]])
        return _tidy(ids, times, lon, lat, str(path), dayfirst, conflicts)
    if fmt == "obis-seamap-points":
        c = lower
        idc = c.get("series_id") or c["id"]
        tc = c.get("datetime") or c["datetime_utc"]
        return _tidy(
            raw[idc], raw[tc], raw[c["longitude"]], raw[c["latitude"]], str(path), dayfirst, conflicts
        )
    missing = [n for n in (id_col, time_col, lon_col, lat_col) if n not in raw.columns]
    if missing:
        raise InputDataError(
            f"{path}: not a Movebank or OBIS-SEAMAP file, and the generic columns {missing} are missing; "
            f"columns present: {', '.join(raw.columns)} (name them with --id-column, --time-column, --lon-column, --lat-column)"
        )
    return _tidy(raw[id_col], raw[time_col], raw[lon_col], raw[lat_col], str(path), dayfirst, conflicts)


def speed_filter(tracks: pd.DataFrame, max_kmh: float) -> tuple[pd.DataFrame, int]:
    """Drop fixes that imply a speed above ``max_kmh`` from the previous kept fix of the same individual.

    Distances are geodesic (WGS84), so steps across the dateline are short, as they are
    at sea.

    Parameters
    ----------
    tracks
        From :func:`read_tracks`.
    max_kmh
        The highest plausible speed in km/h.

    Returns
    -------
    tuple of (pandas.DataFrame, int)
        The kept fixes and the number dropped.

    Raises
    ------
    InputDataError
        ``max_kmh`` is not a positive number.
    """
    if not (isinstance(max_kmh, int | float) and np.isfinite(max_kmh) and max_kmh > 0):
        raise InputDataError(f"--max-speed must be a positive speed in km/h, got {max_kmh!r}")
    keep = np.ones(len(tracks), dtype=bool)
    for _, idx in tracks.groupby("individual", sort=False).indices.items():
        lon = tracks["lon"].to_numpy()[idx]
        lat = tracks["lat"].to_numpy()[idx]
        t = tracks["time"].to_numpy()[idx]
        last = 0
        for k in range(1, len(idx)):
            hours = (t[k] - t[last]) / np.timedelta64(1, "h")
            dist = _GEOD.inv(lon[last], lat[last], lon[k], lat[k])[2] / 1000.0
            if hours <= 0 or dist / hours > max_kmh:
                keep[idx[k]] = False
            else:
                last = k
    return tracks[keep].reset_index(drop=True), int((~keep).sum())
