"""Windage + Stokes drift: marinenet (both engines) against OpenDrift's OceanDrift on the same inputs.

Two cases, 2 days, dt 1 hour, RK4 for the currents, windage 0.02 of the 10 m wind, surface Stokes drift:

* uniform: current (0.1, 0.05) m/s, wind (5, -3) m/s, Stokes drift (0.05, 0.02) m/s, each on its own grid;
* real: the MET Norway ROMS Arctic-20km surface currents of ../shared/data/ocean (regridded by
  marinenet to a regular lon/lat grid, and that same grid given to OpenDrift), with synthetic wind and
  Stokes drift that vary in space and time on their own 0.5° / 1° grids, 6-hourly and 3-hourly.

OpenDrift lives in its own virtual environment (it is no dependency of marinenet)::

    python3.11 -m venv /work/odvenv && /work/odvenv/bin/pip install opendrift
    PYTHONPATH=. .venv/bin/python scripts/validate_opendrift_windage.py --opendrift-python /work/odvenv/bin/python

The script writes the inputs (CF eastward/northward names for marinenet; OpenDrift's x_/y_ names, the same
numbers, for OpenDrift), runs marinenet's fast and Parcels engines, runs OceanDrift in the other
environment (this file with ``--worker``), and prints the distance between final positions (km).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

START = np.datetime64("2017-02-02T00:00")
DAYS = 2
WINDAGE = 0.02
ROMS = Path(__file__).resolve().parents[2] / "shared" / "data" / "ocean" / "roms_arctic20_2017-02_surface.nc"


def _cf(path: Path, lon, lat, times, u, v, names, std, units="m s-1") -> None:
    import xarray as xr

    ds = xr.Dataset(
        {names[0]: (("time", "lat", "lon"), u), names[1]: (("time", "lat", "lon"), v)},
        coords={
            "time": ("time", times, {"standard_name": "time"}),
            "lat": ("lat", lat, {"standard_name": "latitude", "units": "degrees_north"}),
            "lon": ("lon", lon, {"standard_name": "longitude", "units": "degrees_east"}),
        },
    )
    for n, s in zip(names, std, strict=True):
        ds[n].attrs.update(units=units, standard_name=s)
    ds.to_netcdf(path)


def _both(d: Path, stem: str, kind: str, lon, lat, times, u, v) -> None:
    """The same field twice: CF east/north names for marinenet, OpenDrift's names for OpenDrift."""
    cf = {
        "currents": ("eastward_sea_water_velocity", "northward_sea_water_velocity"),
        "wind": ("eastward_wind", "northward_wind"),
        "waves": ("sea_surface_wave_stokes_drift_x_velocity", "sea_surface_wave_stokes_drift_y_velocity"),
    }[kind]
    od = {
        "currents": ("x_sea_water_velocity", "y_sea_water_velocity"),
        "wind": ("x_wind", "y_wind"),
        "waves": cf,
    }[kind]
    _cf(d / f"{stem}.nc", lon, lat, times, u, v, ("u", "v"), cf)
    _cf(d / f"od_{stem}.nc", lon, lat, times, u, v, ("u", "v"), od)


def _grid_times(hours: int, step: int, first: np.datetime64) -> np.ndarray:
    return first + np.arange(0, hours + 1, step) * np.timedelta64(1, "h")


def make_inputs(d: Path) -> dict[str, dict]:
    """Write both cases' files; return their release points."""
    cases = {}
    # uniform
    t = _grid_times(96, 24, START - np.timedelta64(1, "D"))
    grid = np.arange(-2.0, 8.01, 0.25), np.arange(55.0, 65.01, 0.25)

    def const(val, lon, lat, times):
        return np.full((times.size, lat.size, lon.size), val)

    lon, lat = grid
    _both(d, "u_cur", "currents", lon, lat, t, const(0.1, lon, lat, t), const(0.05, lon, lat, t))
    wl, wa = np.arange(-10.0, 20.01, 1.0), np.arange(50.0, 70.01, 1.0)
    _both(d, "u_wind", "wind", wl, wa, t, const(5.0, wl, wa, t), const(-3.0, wl, wa, t))
    sl, sa = np.arange(-5.0, 12.01, 0.5), np.arange(52.0, 68.01, 0.5)
    _both(d, "u_waves", "waves", sl, sa, t, const(0.05, sl, sa, t), const(0.02, sl, sa, t))
    pts = [[x, y] for x in (0.0, 1.0, 2.0) for y in (58.0, 60.0, 62.0)]
    cases["uniform"] = {"points": pts, "currents": "u_cur", "wind": "u_wind", "waves": "u_waves"}
    # real currents (as marinenet reads them), synthetic wind and waves varying in space and time
    from marinenet.ocean import open_ocean

    oc = open_ocean(str(ROMS), START - np.timedelta64(1, "D"), START + np.timedelta64(DAYS + 1, "D"))
    u = np.where(oc["land"].values | oc["outside"].values, np.nan, oc["u"].values)
    v = np.where(oc["land"].values | oc["outside"].values, np.nan, oc["v"].values)
    _both(d, "r_cur", "currents", oc["lon"].values, oc["lat"].values, oc["time"].values, u, v)
    t6 = _grid_times(24 * (DAYS + 2), 6, START - np.timedelta64(1, "D"))
    h = ((t6 - t6[0]) / np.timedelta64(1, "h")).astype(float)[:, None, None]
    wl, wa = np.arange(-15.0, 25.01, 0.5), np.arange(45.0, 75.01, 0.5)
    X, Y = np.meshgrid(wl, wa)
    uw = 8.0 + 3.0 * np.sin(np.deg2rad(20 * Y))[None] + 0.05 * h
    vw = 4.0 * np.cos(np.deg2rad(15 * X))[None] - 0.04 * h
    _both(d, "r_wind", "wind", wl, wa, t6, uw, vw)
    t3 = _grid_times(24 * (DAYS + 2), 3, START - np.timedelta64(1, "D"))
    h3 = ((t3 - t3[0]) / np.timedelta64(1, "h")).astype(float)[:, None, None]
    sl, sa = np.arange(-15.0, 25.01, 1.0), np.arange(45.0, 75.01, 1.0)
    X, Y = np.meshgrid(sl, sa)
    us = 0.08 + 0.03 * np.cos(np.deg2rad(10 * X))[None] + 0.0005 * h3
    vs = 0.04 * np.sin(np.deg2rad(12 * Y))[None] + 0.0 * h3
    _both(d, "r_waves", "waves", sl, sa, t3, us, vs)
    pts = [[x, y] for x in (0.0, 1.0, 2.0, 3.0) for y in (62.5, 63.0, 63.5)]
    cases["real"] = {"points": pts, "currents": "r_cur", "wind": "r_wind", "waves": "r_waves"}
    return cases


def run_marinenet(d: Path, case: dict, engine: str, drift: bool = True) -> np.ndarray:
    from marinenet.engine import run_engine
    from marinenet.pipeline import engine_request
    from marinenet.prepare import prepare
    from marinenet.scenario import scenario_from_dict

    sc = scenario_from_dict(
        {
            "name": "odcmp",
            "ocean": {"source": f"{case['currents']}.nc", "coast": "previous",
                      **({"wind": f"{case['wind']}.nc", "waves": f"{case['waves']}.nc"} if drift else {})},
            "release": {"from": {"points": case["points"]}, "particles": 1, "start": str(START)},
            "behaviour": {"windage": WINDAGE, "stokes": True} if drift else {},
            "simulation": {"duration": f"{DAYS} days", "dt": "1 hour", "output_every": "1 day", "engine": engine},
        },
        base_dir=d,
    )  # fmt: skip
    tr = run_engine(engine, engine_request(prepare(sc)))
    return np.column_stack([tr.end_lon, tr.end_lat])


def worker(d: Path, name: str, drift: bool = True) -> None:
    """In OpenDrift's environment: OceanDrift with RK4, wind_drift_factor and Stokes drift (or neither)."""
    from datetime import datetime, timedelta

    from opendrift.models.oceandrift import OceanDrift
    from opendrift.readers import reader_constant, reader_netCDF_CF_generic

    case = json.loads((d / "cases.json").read_text())[name]
    o = OceanDrift(loglevel=50)
    readers = [
        reader_netCDF_CF_generic.Reader(str(d / f"od_{case[k]}.nc")) for k in ("currents", "wind", "waves")
    ]
    o.add_reader([*readers, reader_constant.Reader({"land_binary_mask": 0})])  # no land near the points
    o.set_config("general:use_auto_landmask", False)
    o.set_config("general:coastline_action", "previous")
    o.set_config("drift:advection_scheme", "runge-kutta4")
    o.set_config("drift:stokes_drift", drift)
    o.set_config("drift:vertical_mixing", False)
    for key in ("drift:wind_uncertainty", "drift:current_uncertainty"):
        o.set_config(key, 0)
    pts = np.asarray(case["points"], float)
    start = datetime.fromisoformat(str(START))
    o.seed_elements(
        lon=pts[:, 0], lat=pts[:, 1], time=start, z=0, wind_drift_factor=WINDAGE if drift else 0.0
    )
    o.run(duration=timedelta(days=DAYS), time_step=3600, time_step_output=86400)
    lon = np.asarray(o.result["lon"].values)[:, -1] if hasattr(o, "result") else o.history["lon"][:, -1]
    lat = np.asarray(o.result["lat"].values)[:, -1] if hasattr(o, "result") else o.history["lat"][:, -1]
    import opendrift

    out = {"lon": [float(x) for x in lon], "lat": [float(y) for y in lat], "version": opendrift.__version__}
    (d / f"od_{name}{'' if drift else '_currents'}.json").write_text(json.dumps(out))


def _km(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    r = 6371.0
    la, lb = np.deg2rad(a[:, 1]), np.deg2rad(b[:, 1])
    dl = np.deg2rad(b[:, 0] - a[:, 0])
    c = np.sin(la) * np.sin(lb) + np.cos(la) * np.cos(lb) * np.cos(dl)
    return r * np.arccos(np.clip(c, -1, 1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--opendrift-python", default="/work/odvenv/bin/python")
    ap.add_argument("--worker", nargs=3, metavar=("DIR", "CASE", "DRIFT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(Path(args.worker[0]), args.worker[1], args.worker[2] == "1")
        return
    d = Path(tempfile.mkdtemp(prefix="odcmp_"))
    cases = make_inputs(d)
    (d / "cases.json").write_text(json.dumps(cases))
    rows, parts = [], []
    for name, case in cases.items():
        for flag in ("1", "0"):
            subprocess.run([args.opendrift_python, __file__, "--worker", str(d), name, flag], check=True)
        od = json.loads((d / f"od_{name}.json").read_text())
        od0 = json.loads((d / f"od_{name}_currents.json").read_text())
        ref = np.column_stack([od["lon"], od["lat"]])
        start = np.asarray(case["points"], float)
        fast, parcels = run_marinenet(d, case, "fast"), run_marinenet(d, case, "parcels")
        moved = _km(start, ref)
        for label, got in (("fast", fast), ("parcels", parcels)):
            km = _km(got, ref)
            rows.append((name, label, len(start), moved.mean(), np.median(km), km.max(), (km / moved).max()))
        km = _km(fast, parcels)
        rows.append(
            (name, "fast vs parcels", len(start), moved.mean(), np.median(km), km.max(), (km / moved).max())
        )
        # the wind + wave part alone (with minus without), in metres, each model in its own geometry
        mine = _metres(fast - run_marinenet(d, case, "fast", drift=False), fast[:, 1], sphere=True)
        theirs = _metres(ref - np.column_stack([od0["lon"], od0["lat"]]), ref[:, 1], sphere=False)
        gap = np.hypot(*(mine - theirs).T) / np.hypot(*theirs.T)
        parts.append(
            (name, np.hypot(*theirs.T).mean() / 1000, np.hypot(*(mine - theirs).T).max() / 1000, gap.max())
        )
    print(
        f"OpenDrift {od['version']} (OceanDrift, RK4, wind_drift_factor {WINDAGE}, Stokes drift); inputs in {d}"
    )
    print("| case | marinenet engine | particles | mean drift (km) | median distance to OpenDrift (km) "
          "| max distance (km) | max distance / drift |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    for name, label, n, moved_km, med, mx, rel in rows:
        print(f"| {name} | {label} | {n} | {moved_km:.1f} | {med:.3f} | {mx:.3f} | {100 * rel:.2f} % |")
    print(
        "\nThe wind + Stokes part of the drift (run with it minus run without), each model's own Earth metric:"
    )
    print(
        "| case | mean wind + Stokes displacement (km) | max difference fast vs OpenDrift (km) | max relative |"
    )
    print("|---|---|---|---|")
    for name, mean_km, diff_km, rel in parts:
        print(f"| {name} | {mean_km:.2f} | {diff_km:.4f} | {100 * rel:.3f} % |")


def _metres(dlonlat: np.ndarray, lat: np.ndarray, sphere: bool) -> np.ndarray:
    """Displacements in degrees → metres east/north: Parcels' sphere (1852 m per arc minute) or WGS84."""
    if sphere:
        return np.column_stack([dlonlat[:, 0] * 111120.0 * np.cos(np.deg2rad(lat)), dlonlat[:, 1] * 111120.0])
    a, e2 = 6378137.0, 0.00669437999014
    s2 = np.sin(np.deg2rad(lat)) ** 2
    n, m = a / np.sqrt(1 - e2 * s2), a * (1 - e2) / (1 - e2 * s2) ** 1.5
    k = np.pi / 180
    return np.column_stack([dlonlat[:, 0] * k * n * np.cos(np.deg2rad(lat)), dlonlat[:, 1] * k * m])


if __name__ == "__main__":
    sys.exit(main())
