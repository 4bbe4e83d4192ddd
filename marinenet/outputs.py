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
    "write_netcdf",
    "write_json",
    "write_yaml",
    "write_csv",
    "staging_dir",
    "commit_dir",
    "check_output_dir",
]

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
            {"long_name": "time steps the particle was held at the coast (coast: previous or slip)"},
        )
    for name in ("time", "release_time", "end_time"):
        ds[name].encoding["units"] = "seconds since 1970-01-01 00:00:00"
    for name in ("lon", "lat", "end_lon", "end_lat"):
        ds[name].encoding["_FillValue"] = np.nan
    ds["lon"].attrs["coordinates"] = "time lat lon"
    return ds


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
