"""Writers for the files of a run directory, and the directory's atomic replacement.

A run is written into a hidden staging folder beside the output directory and moved
into place only when every file is complete, so an interrupted or failed run never
leaves a half-written directory, and a previous run in the same place survives a failure.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr
import yaml

from .engine.base import STATUS_NAMES, Trajectories
from .errors import ScenarioError

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

RUN_MARKERS = ("summary.json", "scenario.resolved.yaml")


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
            {"long_name": "steps the coast blocked the particle (random-walk part refused, or held/slid)"},
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


def check_output_dir(out: Path) -> None:
    """Refuse to replace a folder that is not empty and not a previous marinenet run."""
    if out.exists():
        if not out.is_dir():
            raise ScenarioError(f"output {out} exists and is a file; choose another output directory")
        contents = list(out.iterdir())
        if contents and not any((out / m).exists() for m in RUN_MARKERS):
            raise ScenarioError(
                f"output directory {out} is not empty and does not hold a previous marinenet run; "
                "choose another directory (--out) or empty it"
            )


def staging_dir(out: Path) -> Path:
    """A fresh hidden folder beside ``out`` to write a run into."""
    out.parent.mkdir(parents=True, exist_ok=True)
    for stale in out.parent.glob(f".{out.name}.partial-*"):  # left by a killed run
        pid = stale.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            shutil.rmtree(stale, ignore_errors=True)
    stage = out.parent / f".{out.name}.partial-{os.getpid()}"
    if stage.exists():
        shutil.rmtree(stage)
    stage.mkdir()
    return stage


def commit_dir(stage: Path, out: Path) -> None:
    """Move a finished staging folder to ``out``, replacing a previous run there."""
    old = None
    if out.exists():
        old = out.parent / f".{out.name}.old-{os.getpid()}"
        out.rename(old)
    stage.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
