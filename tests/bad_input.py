"""Helpers of the bad-input corpus: run the CLI in-process and check how it refused."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import xarray as xr
import yaml
from typer.testing import CliRunner

from marinenet.cli import app


class _Delete:
    def __repr__(self) -> str:  # the same in every process: test ids must not hold an address
        return "<delete>"


DELETE = _Delete()
"""A value that removes the key (see :func:`mutated`)."""

#: a small valid scenario that ``validate --quick`` accepts without opening any data
QUICK_BASE = {
    "name": "t",
    "ocean": {"source": "demo"},
    "zones": {"eez": {"source": "demo"}},
    "release": {"from": {"layer": "eez", "ids": ["Estrel"]}, "particles": 10, "start": "2021-03-01T00:00"},
    "simulation": {"duration": "2 days", "dt": "1 hour", "output_every": "1 day"},
}


def mutated(base: dict, changes: dict) -> dict:
    """A deep copy of ``base`` with ``{"a.b.c": value}`` set (``DELETE`` removes the key)."""
    data = copy.deepcopy(base)
    for dotted, value in changes.items():
        node = data
        *path, last = dotted.split(".")
        for part in path:
            node = node.setdefault(part, {})
        if value is DELETE:
            node.pop(last, None)
        else:
            node[last] = value
    return data


def cli(*args: str):
    """Run ``marinenet ARGS`` in this process; the result has ``exit_code``, ``output`` and ``exception``."""
    return CliRunner().invoke(app, [str(a) for a in args])


def assert_refused(res, *needles: str) -> None:
    """Exit code 2, no traceback, and every needle in the message."""
    assert res.exit_code == 2, f"exit {res.exit_code}, exception {res.exception!r}\n{res.output}"
    assert "Traceback" not in res.output, res.output
    assert isinstance(res.exception, SystemExit | None), repr(res.exception)
    for needle in needles:
        assert needle in res.output, f"{needle!r} not in:\n{res.output}"


def assert_accepted(res) -> None:
    assert res.exit_code == 0, f"exit {res.exit_code}, exception {res.exception!r}\n{res.output}"


def write_yaml(path: Path, data) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def currents(path: Path, u: float = 0.1, land_east_of: float | None = None, **change) -> Path:
    """CF currents on 0..10°E, 0..10°N (0.5°), daily 2021-03-01..05: uniform eastward ``u`` m/s.

    ``land_east_of``: NaN (land) east of that longitude. ``change``: attributes or renames for
    variants (``units``, ``names``).
    """
    lon = np.arange(0.0, 10.01, 0.5)
    lat = np.arange(0.0, 10.01, 0.5)
    time = np.arange("2021-03-01", "2021-03-06", dtype="datetime64[D]").astype("datetime64[ns]")
    uu = np.full((time.size, lat.size, lon.size), u, dtype=np.float32)
    if land_east_of is not None:
        uu[:, :, lon > land_east_of] = np.nan
    vv = np.where(np.isnan(uu), np.nan, 0.0).astype(np.float32)
    names = change.get("names", ("uo", "vo"))
    units = change.get("units", "m s-1")
    ds = xr.Dataset(
        {
            names[0]: (("time", "latitude", "longitude"), uu, {"units": units}),
            names[1]: (("time", "latitude", "longitude"), vv, {"units": units}),
        },
        coords={
            "time": ("time", time, {"standard_name": "time", "axis": "T"}),
            "latitude": ("latitude", lat, {"standard_name": "latitude", "units": "degrees_north"}),
            "longitude": ("longitude", lon, {"standard_name": "longitude", "units": "degrees_east"}),
        },
    )
    if change.get("standard_names", True):
        ds[names[0]].attrs["standard_name"] = "eastward_sea_water_velocity"
        ds[names[1]].attrs["standard_name"] = "northward_sea_water_velocity"
    ds.to_netcdf(path)
    return path


def box(x0: float, y0: float, x1: float, y1: float) -> list:
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]


def feature(name, ring, key: str = "name") -> dict:
    geometry = None if ring is None else {"type": "Polygon", "coordinates": [ring]}
    return {"type": "Feature", "properties": {key: name}, "geometry": geometry}


def geojson(path: Path, features: list[dict]) -> Path:
    import json

    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path
