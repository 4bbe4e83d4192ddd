"""Writers for the files of a run directory, and the directory's atomic replacement.

A run is written into a hidden staging folder beside the output directory and moved
into place only when every file is complete, so an interrupted or failed run never
leaves a half-written directory, and a previous run in the same place survives a failure.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr
import yaml

from .cfmeta import CONVENTIONS, extent_attributes, netcdf_attrs
from .connectivity.sparse import SparseCounts
from .engine.base import STATUS_NAMES, Trajectories
from .rundir import check_output_dir, commit_dir, staging_dir

# fmt: off
__all__ = [
    "trajectories_dataset", "write_trajectories", "TrackFile", "write_netcdf", "connectivity_dataset",
    "read_connectivity", "write_connectivity", "snapshot_dataset", "write_json", "write_yaml", "write_csv",
    "staging_dir", "commit_dir", "check_output_dir",
]
# fmt: on

#: the one description of ``coast_contacts`` (both trajectory writers use it)
COAST_CONTACTS_LONG_NAME = "steps the coast blocked the particle (random-walk part refused, or held/slid)"

#: values of a (trajectory, time) variable written at a time: bounds the memory of writing tracks
_ROWS_VALUES = 1 << 22
#: tracks per chunk of the (trajectory, time) variables, one output time each (256 kB of float32): the
#: file is written an output time at a time as the run goes (:class:`TrackFile`)
_CHUNK_ROWS = 1 << 16
_EPOCH = np.datetime64("1970-01-01T00:00:00", "ns")
_TIME_UNITS = "seconds since 1970-01-01 00:00:00"
#: zlib level of the (trajectory, time) variables (with shuffle: 3.5x smaller than raw float64 on the demo)
_COMPLEVEL = 4
#: CF-1.11 units_metadata: the seconds count no leap seconds (what numpy's datetime64 does)
_TIME = {"units": _TIME_UNITS, "calendar": "standard", "units_metadata": "leap_seconds: none"}


def _seconds(t: np.ndarray) -> np.ndarray:
    """datetime64 → float seconds since 1970 (NaT → NaN): exact for whole seconds."""
    t = np.asarray(t, dtype="datetime64[ns]")
    out = np.asarray((t - _EPOCH) / np.timedelta64(1, "s"), dtype=float)
    out[np.isnat(t)] = np.nan
    return out


#: ACDD coverage_content_type of the variables that are not model results
_CONTENT = {"trajectory": "coordinate", "release_source": "auxiliaryInformation",
            "release_time": "auxiliaryInformation"}  # fmt: skip
_TIME_COORD = {"standard_name": "time", "long_name": "time of the stored positions", "axis": "T",
               "coverage_content_type": "coordinate", **_TIME}  # fmt: skip


@dataclass(frozen=True)
class _Var:
    """One variable of trajectories.nc: its on-disk form and how to get the values of particles a:b."""

    name: str
    dims: tuple[str, ...]
    dtype: str  # netCDF type: f4, f8, i4, i1 or str
    attrs: dict[str, Any]
    rows: Callable[[int, int], np.ndarray]
    fill: float | None = None


def _layout(traj: Trajectories, source: np.ndarray, release_time) -> list[_Var]:
    """The variables of trajectories.nc, in order (one definition for both writers).

    Orthogonal multidimensional layout (CF §H.4.1 and TrajAn's ``Orthogonal``): every stored
    track shares the run's output times, so ``time`` is one coordinate variable ``time(time)``
    and positions are ``(trajectory, time)``, missing (NaN) before a particle's release and after
    it stopped.
    """
    n = traj.stored
    kept = np.arange(n) if traj.kept is None else np.asarray(traj.kept)
    total = traj.status.size
    rel = np.broadcast_to(np.asarray(release_time, dtype="datetime64[ns]"), (total,))
    source = np.asarray(source)
    codes = sorted(STATUS_NAMES)
    two, one = ("trajectory", "time"), ("trajectory",)
    lon_att = {"standard_name": "longitude", "units": "degrees_east"}
    lat_att = {"standard_name": "latitude", "units": "degrees_north"}
    out = [
        _Var("trajectory", one, "i4", {"cf_role": "trajectory_id", "long_name": "particle number"},
             lambda a, b: kept[a:b].astype(np.int32)),
        _Var("lon", two, "f4", {**lon_att, "long_name": "longitude of the particle"},
             lambda a, b: _held(traj.lon)[a:b], np.nan),
        _Var("lat", two, "f4", {**lat_att, "long_name": "latitude of the particle"},
             lambda a, b: _held(traj.lat)[a:b], np.nan),
        _Var("release_source", one, "str", {"long_name": "release polygon or point"},
             lambda a, b: source[kept[a:b]].astype(str).astype(object)),
        _Var("release_time", one, "f8", {"long_name": "release time", **_TIME},
             lambda a, b: _seconds(rel[kept[a:b]]), np.nan),
        _Var("status", one, "i1",
             {"long_name": "final status of the particle", "flag_values": np.array(codes, dtype=np.int8),
              "flag_meanings": " ".join(STATUS_NAMES[c] for c in codes)},
             lambda a, b: traj.status[kept[a:b]].astype(np.int8)),
        _Var("end_lon", one, "f8", {**lon_att, "long_name": "last tracked longitude"},
             lambda a, b: traj.end_lon[kept[a:b]], np.nan),
        _Var("end_lat", one, "f8", {**lat_att, "long_name": "last tracked latitude"},
             lambda a, b: traj.end_lat[kept[a:b]], np.nan),
        _Var("end_time", one, "f8", {"long_name": "time of last tracked position", **_TIME},
             lambda a, b: _seconds(traj.end_time[kept[a:b]]), np.nan),
    ]  # fmt: skip
    if traj.depth is not None or (traj.written is not None and getattr(traj.written, "three_d", False)):
        depth = traj.depth
        depth_att = {"standard_name": "depth", "units": "m", "positive": "down"}
        out.append(_Var("depth", two, "f4", depth_att, lambda a, b: _held(depth)[a:b], np.nan))
    if traj.weight is not None:
        weight = traj.weight
        att = {"long_name": "survival weight (mortality as weights)", "units": "1"}
        out.append(_Var("survival_weight", one, "f8", att, lambda a, b: weight[kept[a:b]]))
    if traj.coast_contacts is not None:
        cc = np.asarray(traj.coast_contacts, dtype=np.int32)
        att = {"long_name": COAST_CONTACTS_LONG_NAME, "units": "1"}
        out.append(_Var("coast_contacts", one, "i4", att, lambda a, b: cc[kept[a:b]]))
    return [replace(v, attrs={**v.attrs, "coverage_content_type": _CONTENT.get(v.name, "modelResult")})
            for v in out]  # fmt: skip


def _held(tracks: np.ndarray | None) -> np.ndarray:
    """Stored positions held in memory (not those the engine wrote to the file as it ran)."""
    if tracks is None:
        raise ValueError("the tracks were written to trajectories.nc during the run: read them there")
    return tracks


def _global_attrs(traj: Trajectories, attrs: dict[str, Any], lon_range, lat_range) -> dict[str, Any]:
    n, total = traj.stored, traj.status.size
    times = np.asarray(traj.times, dtype="datetime64[ns]")
    span = (times.min(), times.max()) if times.size else None
    comment = (
        "tracks of every particle"
        if traj.kept is None
        else f"tracks of {n} of the run's {total} particles (simulation.trajectories); "
        "the analyses used all of them"
    )
    glob = {
        "Conventions": CONVENTIONS,
        "featureType": "trajectory",
        "cdm_data_type": "Trajectory",
        "engine": traj.engine,
        "particles_total": int(total),
        "comment": comment,
        **extent_attributes(lon_range, lat_range, span),
        **attrs,
    }
    if "comment" in attrs:
        glob["comment"] = f"{attrs['comment']}; {comment}"
    return netcdf_attrs(glob)


def _range(lo_hi: tuple[float, float], values: np.ndarray) -> tuple[float, float]:
    if values.size == 0:
        return lo_hi
    flat = values.ravel()  # fmin/fmax skip NaN without copying the block
    return (float(np.fmin(lo_hi[0], np.fmin.reduce(flat))), float(np.fmax(lo_hi[1], np.fmax.reduce(flat))))


def _extent(traj: Trajectories) -> tuple[tuple[float, float], tuple[float, float]]:
    """(lon, lat) ranges of the stored positions and of every particle's last position."""
    lon, lat = (np.nan, np.nan), (np.nan, np.nan)
    if traj.lon is not None and traj.lat is not None:
        rows = max(1, _ROWS_VALUES // max(traj.lon.shape[1], 1))
        for a in range(0, traj.lon.shape[0], rows):
            lon, lat = _range(lon, traj.lon[a : a + rows]), _range(lat, traj.lat[a : a + rows])
    return _range(lon, traj.end_lon), _range(lat, traj.end_lat)


def trajectories_dataset(
    traj: Trajectories, source: np.ndarray, release_time: np.datetime64 | np.ndarray, attrs: dict[str, Any]
) -> xr.Dataset:
    """CF discrete-sampling-geometry dataset (``featureType = trajectory``) of :func:`write_trajectories`.

    The same variables, attributes and encoding, built in memory (small runs, tests).
    """
    n = traj.stored
    raw = xr.Dataset({"time": ("time", _seconds(traj.times), _TIME_COORD)})
    for v in _layout(traj, source, release_time):
        values = v.rows(0, n)
        raw[v.name] = (v.dims, values.astype(np.float32) if v.dtype == "f4" else values, v.attrs)
        raw[v.name].encoding.update(_FillValue=v.fill if v.fill is not None else None)
        if len(v.dims) == 2:
            raw[v.name].encoding.update(zlib=True, complevel=_COMPLEVEL, shuffle=True)
    raw.attrs = _global_attrs(traj, attrs, *_extent(traj))
    return xr.decode_cf(raw)


class TrackFile:
    """``trajectories.nc`` written as the run goes: the engine hands it the stored tracks' positions one
    output time at a time (:class:`marinenet.engine.base.TrackSink`), so they are never all in memory;
    :func:`write_trajectories` then adds the time axis, each particle's release and fate, and the
    attributes. Positions are float32 (about 1 m), zlib-compressed, in chunks of
    :data:`_CHUNK_ROWS` tracks × one output time.
    """

    def __init__(self, path: Path, rows: int, n_obs: int, three_d: bool = False):
        import netCDF4

        path.parent.mkdir(parents=True, exist_ok=True)
        self.path, self.rows, self.three_d = path, int(rows), bool(three_d)
        self.lon_range, self.lat_range = (np.nan, np.nan), (np.nan, np.nan)
        self.nc = netCDF4.Dataset(path, "w", format="NETCDF4")
        self.nc.createDimension("trajectory", self.rows if self.rows else None)
        self.nc.createDimension("time", n_obs)
        chunks = (max(1, min(self.rows, _CHUNK_ROWS)), 1)
        packed = {"zlib": True, "complevel": _COMPLEVEL, "shuffle": True, "chunksizes": chunks}
        for name in ("lon", "lat", "depth") if self.three_d else ("lon", "lat"):
            kw: dict[str, Any] = packed if self.rows and n_obs else {}
            self.nc.createVariable(name, "f4", ("trajectory", "time"), fill_value=np.nan, **kw)

    def put(self, k: int, lon: np.ndarray, lat: np.ndarray, depth: np.ndarray | None = None) -> None:
        """Positions of every stored track at output time ``k`` (NaN: not released yet, or stopped)."""
        if not self.rows:
            return
        self.lon_range, self.lat_range = _range(self.lon_range, lon), _range(self.lat_range, lat)
        self.nc["lon"][:, k] = np.asarray(lon, dtype=np.float32)
        self.nc["lat"][:, k] = np.asarray(lat, dtype=np.float32)
        if self.three_d and depth is not None:
            self.nc["depth"][:, k] = np.asarray(depth, dtype=np.float32)

    def close(self) -> None:
        if self.nc.isopen():
            self.nc.close()


def write_trajectories(
    path: Path,
    traj: Trajectories,
    source: np.ndarray,
    release_time: np.datetime64 | np.ndarray,
    attrs: dict[str, Any],
) -> None:
    """Write ``trajectories.nc``: a CF-1.10 trajectory file (see :func:`_layout`).

    The positions go in one output time at a time (:class:`TrackFile`): from the engine as it ran
    (``traj.written``, a :class:`TrackFile` for ``path``: only the rest is added now), or else from
    ``traj.lon``/``traj.lat``; the per-particle variables go in a block of rows at a time. Writing needs
    a few tens of MB beyond what the engine holds, whatever the number of tracks. ``attrs`` (title,
    summary, run attributes of :func:`marinenet.cfmeta.run_attributes`) are added to the file's own
    (featureType, extent, time coverage).
    """
    out = traj.written if isinstance(traj.written, TrackFile) else None
    if out is None:
        out = TrackFile(path, traj.stored, len(traj.times), traj.depth is not None)
        for k in range(len(traj.times)):
            assert traj.lon is not None and traj.lat is not None
            out.put(k, traj.lon[:, k], traj.lat[:, k], None if traj.depth is None else traj.depth[:, k])
    elif out.path != path:
        raise ValueError(f"the tracks were written to {out.path}, not {path}")
    try:
        _finish(out, traj, source, release_time, attrs)
    finally:
        out.close()


def _finish(out: TrackFile, traj: Trajectories, source, release_time, attrs: dict[str, Any]) -> None:
    """Add the time axis, the per-particle variables and the attributes to a :class:`TrackFile`."""
    nc, n = out.nc, out.rows
    t = nc.createVariable("time", "f8", ("time",))
    t.setncatts(_TIME_COORD)
    t[:] = _seconds(traj.times)
    layout = _layout(traj, source, release_time)
    for v in layout:
        if v.name in nc.variables:  # the positions, written already
            nc[v.name].setncatts(v.attrs)
        else:
            dtype: Any = str if v.dtype == "str" else v.dtype
            nc.createVariable(v.name, dtype, v.dims, fill_value=v.fill).setncatts(v.attrs)
    rows = max(1, _ROWS_VALUES // 8)
    for a in range(0, n, rows):
        b = min(a + rows, n)
        for v in layout:
            if len(v.dims) == 1:
                nc[v.name][a:b] = v.rows(a, b)
    lon = _range(out.lon_range, traj.end_lon)
    lat = _range(out.lat_range, traj.end_lat)
    nc.setncatts(_global_attrs(traj, attrs, lon, lat))


def write_netcdf(ds: xr.Dataset, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    ds.to_netcdf(path)


def _nc_name(name: str) -> str:
    """A CF-valid variable name for a matrix ('eez.settlement' → 'eez_settlement')."""
    return name.replace(".", "_")


def connectivity_dataset(
    matrices: dict[str, xr.DataArray | SparseCounts], attrs: dict[str, Any]
) -> xr.Dataset:
    """The matrices of a run as a CF dataset: ``<m>(<m>_src, <m>_dst)`` counts per matrix ``m``.

    Zone labels are string auxiliary coordinates ``<m>_source(<m>_src)`` and
    ``<m>_destination(<m>_dst)`` on integer index dimensions (string dimension coordinates are not
    CF); :func:`read_connectivity` gives back label-indexed matrices. A matrix held by its non-zero
    pairs (:class:`~marinenet.connectivity.sparse.SparseCounts`) is stored compressed by gathering
    (CF 8.2): ``<m>(<m>_pair)`` counts, the list variable ``<m>_pair`` = source index × number of
    destinations + destination index (attribute ``compress = "<m>_src <m>_dst"``); every pair not
    listed has a count of 0.
    """
    out = xr.Dataset(attrs=netcdf_attrs(attrs))
    for name, m in matrices.items():
        var = _nc_name(name)
        src, dst = f"{var}_source", f"{var}_destination"
        sparse = isinstance(m, SparseCounts)
        if isinstance(m, SparseCounts):
            values, labels = m.count, (m.sources, m.destinations)
        else:
            values, labels = m.values, (m["source"].values, m["destination"].values)
        weighted = not np.all(values == np.round(values))
        coords: dict[str, Any] = {
            src: (
                f"{var}_src",
                np.asarray(labels[0]).astype(str),
                {"long_name": f"source zone (row) of {name}"},
            ),
            dst: (
                f"{var}_dst",
                np.asarray(labels[1]).astype(str),
                {"long_name": f"destination zone or outcome (column) of {name}"},
            ),
        }
        dims: tuple[str, ...] = (f"{var}_src", f"{var}_dst")
        if isinstance(m, SparseCounts):
            dims = (f"{var}_pair",)
            pair = m.row.astype(np.int64) * len(m.destinations) + m.col
            coords[f"{var}_pair"] = (
                dims,
                pair,
                {"compress": f"{var}_src {var}_dst", "long_name": f"(source, destination) pair of {name}"},
            )
        if sparse:  # the labels on their own dims, beside the pairs
            out = out.assign_coords({k: coords.pop(k) for k in (src, dst)})
        out[var] = xr.DataArray(
            values.astype(np.float64 if weighted else np.int32),
            dims=dims,
            coords=coords,
            attrs={
                "long_name": f"particles released in the source zone that ended in the destination, {name}"
                + (" (survival- or overlap-weighted)" if weighted else "")
                + (" (non-zero pairs only: every pair not listed has a count of 0)" if sparse else ""),
                "units": "1",
                "matrix": name,
            },
        )
        out[var].encoding["_FillValue"] = None
    return out


def read_connectivity(path: Path) -> xr.Dataset:
    """``connectivity.nc`` as label-indexed matrices: ``ds[m]`` on dims ``<m>_source``, ``<m>_destination``.

    ``m`` is the matrix name of the tables (``eez``, ``eez.settlement``…), as the run produced them.
    A matrix stored by its non-zero pairs stays so: ``ds[m]`` on dim ``<m>_pair`` (see
    :func:`sparse_matrix`, which makes it a :class:`~marinenet.connectivity.sparse.SparseCounts`).
    """
    with xr.open_dataset(path) as raw:
        ds = raw.load()
    out, labels = {}, {}
    for var in ds.data_vars:
        name = ds[var].attrs.get("matrix", var)
        m = ds[var]
        if f"{var}_pair" in m.dims:  # the labels stay on their own dims, beside the pairs
            for side, dim in (("source", "src"), ("destination", "dst")):
                labels[f"{name}_{side}"] = (f"{name}_{dim}", ds[f"{var}_{side}"].values)
            out[name] = m.rename({f"{var}_pair": f"{name}_pair"}).rename(name)
            continue
        if f"{var}_src" in m.dims:
            m = m.swap_dims({f"{var}_src": f"{var}_source", f"{var}_dst": f"{var}_destination"})
        m = m.rename({f"{var}_source": f"{name}_source", f"{var}_destination": f"{name}_destination"})
        out[name] = m.rename(name)
    return xr.Dataset(out, attrs=ds.attrs).assign_coords(labels)


def is_sparse_matrix(ds: xr.Dataset, name: str) -> bool:
    """Is matrix ``name`` of :func:`read_connectivity`'s dataset stored by its non-zero pairs?"""
    return f"{name}_pair" in ds[name].dims


def sparse_matrix(ds: xr.Dataset, name: str) -> SparseCounts:
    """Matrix ``name`` of :func:`read_connectivity`'s dataset stored by its non-zero pairs, as counts."""
    m = ds[name]
    n_dst = ds[f"{name}_destination"].size
    pair = m[f"{name}_pair"].values.astype(np.int64)
    values = m.values
    return SparseCounts(
        name,
        ds[f"{name}_source"].values.astype(object),
        ds[f"{name}_destination"].values.astype(object),
        pair // n_dst,
        pair % n_dst,
        values.astype(np.int64) if np.issubdtype(values.dtype, np.integer) else values.astype(float),
    )


def write_connectivity(
    matrices: dict[str, xr.DataArray | SparseCounts], path: Path, attrs: dict[str, Any]
) -> None:
    write_netcdf(connectivity_dataset(matrices, attrs), path)


#: global attributes of the currents that the snapshot's own (ACDD) attributes would overwrite
_OWN = ("title", "summary", "comment", "source", "history", "date_created", "keywords")


def snapshot_dataset(ocean: xr.Dataset, when: np.datetime64, attrs: dict[str, Any]) -> xr.Dataset:
    """Currents at ``when`` (surface level) and the land/outside masks, as a CF grid file."""
    snap = ocean[["u", "v", "land"] + (["outside"] if "outside" in ocean else [])]
    if "depth" in snap.dims:
        snap = snap.isel(depth=0)
    snap = snap.sel(time=when, method="nearest").load()
    masks = {
        "land": ("land mask", "water land"),
        "outside": ("outside the currents' model domain", "inside_model_domain outside_model_domain"),
    }
    for name, (long_name, what) in masks.items():
        if name in snap:
            snap[name].attrs = {
                "long_name": long_name,
                "flag_values": np.array([0, 1], np.int8),
                "flag_meanings": what,
            }
    snap["lon"].attrs = {"standard_name": "longitude", "units": "degrees_east", "axis": "X"}
    snap["lat"].attrs = {"standard_name": "latitude", "units": "degrees_north", "axis": "Y"}
    snap["time"].attrs = {"standard_name": "time", "axis": "T", "units_metadata": _TIME["units_metadata"]}
    for name, direction in (("u", "eastward"), ("v", "northward")):
        snap[name].attrs.update(standard_name=f"{direction}_sea_water_velocity", units="m s-1")
    for name in ("lon", "lat"):
        snap[name].encoding["_FillValue"] = None  # coordinates have no missing values (CF §2.5.1)
    snap["time"].encoding.update(units=_TIME_UNITS, calendar="standard", dtype="f8")
    lon, lat = snap["lon"].values, snap["lat"].values
    snap.attrs = netcdf_attrs(
        {
            **{(f"ocean_{k}" if k in _OWN else k): v for k, v in ocean.attrs.items() if k != "Conventions"},
            **attrs,
            **extent_attributes((lon.min(), lon.max()), (lat.min(), lat.max()), (when, when)),
        }
    )
    return snap


def write_json(data: Any, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")


def write_yaml(data: Any, path: Path, header: str = "") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """UTF-8 with a byte-order mark, so that Excel shows accented names ("Réunion") intact.

    pandas (``read_csv``), Python's csv module with ``encoding="utf-8-sig"``, R and GIS tools read it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, float_format="%.6g", encoding="utf-8-sig")


# ---------------------------------------------------------------- the other files of a run directory
def write_zone_layers(layers: dict, folder: Path, domain: tuple[float, float, float, float]) -> None:
    """``zones/<layer>.geojson`` of every zone layer (RFC 7946); derived high seas drawn inside ``domain``."""
    from .geojson_out import write_geojson

    for name, layer in layers.items():
        folder.mkdir(parents=True, exist_ok=True)
        frame = layer.with_derived_high_seas(domain) if layer.derives_high_seas else layer.frame
        write_geojson(frame, folder / f"{name}.geojson")


def write_ocean_snapshot(ocean: xr.Dataset, at: np.datetime64, path: Path, attrs: dict[str, Any]) -> None:
    """``ocean_snapshot.nc``: surface currents at ``at`` and the land mask, for the report."""
    write_netcdf(snapshot_dataset(ocean, at, attrs), path)


def write_resolved_scenario(resolved: dict[str, Any], name: str, path: Path) -> None:
    """``scenario.resolved.yaml``: the scenario with every default filled in (and the versions)."""
    write_yaml(resolved, path, header=f"# resolved scenario of run {name!r}: every default filled in\n")
