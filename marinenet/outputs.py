"""Writers for the files of a run directory, and the directory's atomic replacement.

A run is written into a hidden staging folder beside the output directory and moved
into place only when every file is complete, so an interrupted or failed run never
leaves a half-written directory, and a previous run in the same place survives a failure.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr
import yaml

from .engine.base import STATUS_NAMES, Trajectories
from .rundir import check_output_dir, commit_dir, staging_dir

__all__ = [
    "trajectories_dataset",
    "write_trajectories",
    "write_netcdf",
    "write_json",
    "write_yaml",
    "write_csv",
    "staging_dir",
    "commit_dir",
    "check_output_dir",
]

#: the one description of ``coast_contacts`` (both trajectory writers use it)
COAST_CONTACTS_LONG_NAME = "steps the coast blocked the particle (random-walk part refused, or held/slid)"

def trajectories_dataset(
    traj: Trajectories, source: np.ndarray, release_time: np.datetime64 | np.ndarray, attrs: dict[str, Any]
) -> xr.Dataset:
    """CF discrete-sampling-geometry dataset (``featureType = trajectory``).

    Incomplete multidimensional representation: ``lon``, ``lat``, ``time`` on
    ``(trajectory, obs)``; positions after a particle stopped are missing.
    """
    n, n_obs = traj.lon.shape
    kept = np.arange(n) if traj.kept is None else np.asarray(traj.kept)
    total = traj.status.size
    source = np.asarray(source)[kept]
    release_time = np.broadcast_to(np.asarray(release_time, dtype="datetime64[ns]"), (total,))[kept]
    time2d = np.broadcast_to(traj.times, (n, n_obs)).copy()
    time2d[np.isnan(traj.lon)] = np.datetime64("NaT")
    codes = sorted(STATUS_NAMES)
    ds = xr.Dataset(
        {
            "trajectory": (
                "trajectory",
                kept.astype(np.int32),
                {"cf_role": "trajectory_id", "long_name": "particle number"},
            ),
            "time": (
                ("trajectory", "obs"),
                time2d,
                {"standard_name": "time", "long_name": "time of position"},
            ),
            "lon": (("trajectory", "obs"), traj.lon, {"standard_name": "longitude", "units": "degrees_east"}),
            "lat": (("trajectory", "obs"), traj.lat, {"standard_name": "latitude", "units": "degrees_north"}),
            "release_source": ("trajectory", source.astype(str), {"long_name": "release polygon or point"}),
            "release_time": (
                "trajectory",
                release_time.copy(),
                {"long_name": "release time"},
            ),
            "status": (
                "trajectory",
                traj.status[kept].astype(np.int8),
                {
                    "long_name": "final status of the particle",
                    "flag_values": np.array(codes, dtype=np.int8),
                    "flag_meanings": " ".join(STATUS_NAMES[c] for c in codes),
                },
            ),
            "end_lon": (
                "trajectory",
                traj.end_lon[kept],
                {"units": "degrees_east", "long_name": "last tracked longitude"},
            ),
            "end_lat": (
                "trajectory",
                traj.end_lat[kept],
                {"units": "degrees_north", "long_name": "last tracked latitude"},
            ),
            "end_time": ("trajectory", traj.end_time[kept], {"long_name": "time of last tracked position"}),
        },
        attrs={
            "Conventions": "CF-1.10",
            "featureType": "trajectory",
            "engine": traj.engine,
            "particles_total": int(total),
            "comment": "tracks of every particle"
            if traj.kept is None
            else f"tracks of {n} of the run's {total} particles (simulation.trajectories); "
            "the analyses used all of them",
            **attrs,
        },
    )
    if traj.depth is not None:
        ds["depth"] = (
            ("trajectory", "obs"),
            traj.depth,
            {"standard_name": "depth", "units": "m", "positive": "down"},
        )
        ds["depth"].encoding["_FillValue"] = np.nan
    if traj.weight is not None:
        ds["survival_weight"] = (
            "trajectory",
            traj.weight[kept],
            {"long_name": "survival weight (mortality as weights)"},
        )
    if traj.coast_contacts is not None:
        ds["coast_contacts"] = (
            "trajectory",
            np.asarray(traj.coast_contacts, dtype=np.int32)[kept],
            {"long_name": COAST_CONTACTS_LONG_NAME},
        )
    for name in ("time", "release_time", "end_time"):
        ds[name].encoding["units"] = "seconds since 1970-01-01 00:00:00"
    for name in ("lon", "lat", "end_lon", "end_lat"):
        ds[name].encoding["_FillValue"] = np.nan
    ds["lon"].attrs["coordinates"] = "time lat lon"
    return ds


#: values of a (trajectory, obs) variable written at a time: bounds the memory of writing tracks
_ROWS_VALUES = 1 << 22
_EPOCH = np.datetime64("1970-01-01T00:00:00", "ns")
_TIME_UNITS = "seconds since 1970-01-01 00:00:00"


def _seconds(t: np.ndarray) -> np.ndarray:
    """datetime64 → float seconds since 1970 (NaT → NaN): exact for whole seconds."""
    t = np.asarray(t, dtype="datetime64[ns]")
    out = (t - _EPOCH) / np.timedelta64(1, "s")
    out[np.isnat(t)] = np.nan
    return out


def write_trajectories(
    path: Path,
    traj: Trajectories,
    source: np.ndarray,
    release_time: np.datetime64 | np.ndarray,
    attrs: dict[str, Any],
) -> None:
    """Write the CF trajectory file of :func:`trajectories_dataset` to ``path``, a block of rows at a time.

    The same variables, attributes and values, written with netCDF4 in blocks of about 4 M values,
    so writing needs a few tens of MB beyond the tracks the engine holds, whatever their number.
    """
    import netCDF4

    n, n_obs = traj.lon.shape
    kept = np.arange(n) if traj.kept is None else np.asarray(traj.kept)
    total = traj.status.size
    rel = np.broadcast_to(np.asarray(release_time, dtype="datetime64[ns]"), (total,))
    codes = sorted(STATUS_NAMES)
    rows = max(1, _ROWS_VALUES // max(n_obs, 1))
    chunk2 = (max(1, min(n, (1 << 20) // max(n_obs, 1))), max(n_obs, 1))
    path.parent.mkdir(parents=True, exist_ok=True)
    with netCDF4.Dataset(path, "w", format="NETCDF4") as nc:
        nc.createDimension("trajectory", n if n else None)
        nc.createDimension("obs", n_obs)

        def var(name, dtype, dims, fill=None, **att):
            kw = {"chunksizes": chunk2} if len(dims) == 2 and n else {}
            v = nc.createVariable(name, dtype, dims, fill_value=fill, zlib=False, **kw)
            v.setncatts(att)
            return v

        two = ("trajectory", "obs")
        var("trajectory", "i4", ("trajectory",), cf_role="trajectory_id", long_name="particle number")
        var("time", "f8", two, np.nan, standard_name="time", long_name="time of position", units=_TIME_UNITS)
        deg = {"units": "degrees_east"}
        var("lon", "f8", two, np.nan, standard_name="longitude", coordinates="time lat lon", **deg)
        var("lat", "f8", two, np.nan, standard_name="latitude", units="degrees_north")
        var("release_source", str, ("trajectory",), long_name="release polygon or point")
        var("release_time", "f8", ("trajectory",), long_name="release time", units=_TIME_UNITS)
        var(
            "status",
            "i1",
            ("trajectory",),
            long_name="final status of the particle",
            flag_values=np.array(codes, dtype=np.int8),
            flag_meanings=" ".join(STATUS_NAMES[c] for c in codes),
        )
        one = ("trajectory",)
        var("end_lon", "f8", one, np.nan, **deg, long_name="last tracked longitude")
        var("end_lat", "f8", one, np.nan, units="degrees_north", long_name="last tracked latitude")
        var("end_time", "f8", one, np.nan, long_name="time of last tracked position", units=_TIME_UNITS)
        if traj.depth is not None:
            var("depth", "f8", two, np.nan, standard_name="depth", units="m", positive="down")
        if traj.weight is not None:
            var("survival_weight", "f8", ("trajectory",), long_name="survival weight (mortality as weights)")
        if traj.coast_contacts is not None:
            var(
                "coast_contacts",
                "i4",
                ("trajectory",),
                long_name=COAST_CONTACTS_LONG_NAME,
            )
        times = _seconds(traj.times)
        for a in range(0, n, rows):
            b = min(a + rows, n)
            k = kept[a:b]
            lon = traj.lon[a:b]
            nc["trajectory"][a:b] = k.astype(np.int32)
            t = np.broadcast_to(times, lon.shape).copy()
            t[np.isnan(lon)] = np.nan
            nc["time"][a:b] = t
            nc["lon"][a:b] = lon
            nc["lat"][a:b] = traj.lat[a:b]
            nc["release_source"][a:b] = np.asarray(source)[k].astype(str).astype(object)
            nc["release_time"][a:b] = _seconds(rel[k])
            nc["status"][a:b] = traj.status[k].astype(np.int8)
            nc["end_lon"][a:b] = traj.end_lon[k]
            nc["end_lat"][a:b] = traj.end_lat[k]
            nc["end_time"][a:b] = _seconds(traj.end_time[k])
            if traj.depth is not None:
                nc["depth"][a:b] = traj.depth[a:b]
            if traj.weight is not None:
                nc["survival_weight"][a:b] = traj.weight[k]
            if traj.coast_contacts is not None:
                nc["coast_contacts"][a:b] = np.asarray(traj.coast_contacts, dtype=np.int32)[k]
        comment = (
            "tracks of every particle"
            if traj.kept is None
            else f"tracks of {n} of the run's {total} particles (simulation.trajectories); "
            "the analyses used all of them"
        )
        glob = {
            "Conventions": "CF-1.10",
            "featureType": "trajectory",
            "engine": traj.engine,
            "particles_total": int(total),
            "comment": comment,
            **attrs,
        }
        nc.setncatts({k: (int(v) if isinstance(v, bool | np.bool_) else v) for k, v in glob.items()})


def write_netcdf(ds: xr.Dataset, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    ds.to_netcdf(path)


def write_json(data: Any, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")


def write_yaml(data: Any, path: Path, header: str = "") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, float_format="%.6g")
