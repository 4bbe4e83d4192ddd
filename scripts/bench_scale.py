"""Benchmark: real-size studies (issue 16). Sweeps, each a function; rows go to docs/benchmarks.md.

Usage::

    python scripts/bench_scale.py forcing [--sizes 720x480x30,720x480x90] [--particles 1e5] [--dt-hours 6]
    python scripts/bench_scale.py forcing --sizes 720x480x365 --particles 1e6   # the issue's case, ~1 GB

Forcing-size sweep (:func:`forcing_sweep`): a daily float32 netCDF of ``nx × ny`` cells × ``days`` (an
analytic but eddying, time-varying North Atlantic-sized flow, 1/12° for 720 × 480) is written into
/tmp, then the fast engine tracks ``particles`` over it (``marinenet.ocean.reader.open_currents`` +
``run_engine('fast')``, 1,000 tracks stored, output every 10 days) in a fresh process under
``/usr/bin/time -v``; the row gives the memory estimate before tracking (``marinenet/memory.py``)
and the measured peak RSS. The forcing is streamed (``marinenet.engine.forcing``), so the peak
should not grow with ``days``.

Zone-count and particle-count sweeps of the analytics (``zones``, ``particles``) live in
``scripts/bench_scale_zones.py`` and are run through this script too::

    python scripts/bench_scale.py zones [--particles 1e6] [--zones 300,1200,5000,20000]
    python scripts/bench_scale.py particles [--zones 300] [--particles 1e5,1e6]

The release-season sweep is ``scripts/bench_season.py``.

With ``--wind`` the particles also drift with 3 % of an hourly 10 m wind on a 0.25° grid over the
same region (written by :func:`make_wind`, u10/v10 float32, ERA5-like): the extra fields are
streamed through time windows of their own (``marinenet.engine.extra_window``), so the peak should
not grow with the wind's duration either; ``--code`` another checkout measures the 'before'::

    python scripts/bench_scale.py forcing --sizes 720x480x92 --particles 1e5 --dt-hours 3 --wind
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from _benchdoc import append_row, machine

REPO = Path(__file__).resolve().parents[1]
START = np.datetime64("2021-01-01T00:00", "ns")
FORCING_HEADER = (
    "## Streamed forcing: peak memory vs forcing size (`python scripts/bench_scale.py forcing`)\n\n"
    "A daily float32 netCDF of nx × ny cells × days (analytic eddying currents, written by the script), "
    "read with `open_currents` and tracked by the fast engine (1,000 tracks stored, output every 10 "
    "days), one fresh process per row under `/usr/bin/time -v`. Estimate: `marinenet/memory.py` "
    "`run_estimate` before tracking (`now` measured + forcing held + tracking). Target (issue 16): "
    "peak < 3 GB for 720×480×365 with 10^6 particles, flat in days. Machine shared by 8 workers on "
    "2 cores: wall times are indicative.\n\n"
    "| date | machine | grid × days | file | particles | dt | estimate | peak RSS | wall s | tracking s |\n"
    "|---|---|---|---|---|---|---|---|---|---|\n"
)
WIND_HEADER = (
    "## Streamed extra fields: currents + hourly wind (`python scripts/bench_scale.py forcing --wind`)\n\n"
    "As the forcing sweep, with windage (3 % of the wind) from an hourly 0.25° float32 10 m wind over "
    "the same region (u10, v10; written by the script; the file column adds both files). One fresh "
    "process per row under `/usr/bin/time -v`. Estimate: `run_estimate` before tracking (now + "
    "currents and extra fields held + tracking). Target (issue 16): the peak does not grow with the "
    "wind's duration.\n\n"
    "| date | machine | grid × days | files | particles | dt | estimate | peak RSS | wall s | tracking s |\n"
    "|---|---|---|---|---|---|---|---|---|---|\n"
)


# ----------------------------------------------------------------------------- forcing sweep
def make_forcing(path: Path, nx: int, ny: int, days: int) -> Path:
    """Write a daily 1/12°-like float32 forcing slice by slice (never the whole in memory)."""
    import netCDF4

    if path.exists():
        return path
    lon = -70.0 + np.arange(nx) / 12.0
    lat = 10.0 + np.arange(ny) / 12.0
    X, Y = np.meshgrid(np.deg2rad(lon), np.deg2rad(lat))
    tmp = path.with_suffix(".part")
    with netCDF4.Dataset(tmp, "w") as nc:
        nc.createDimension("time", None)
        nc.createDimension("lat", ny)
        nc.createDimension("lon", nx)
        t = nc.createVariable("time", "f8", ("time",))
        t.units, t.calendar = "days since 2021-01-01 00:00:00", "standard"
        for name, values, units in (("lat", lat, "degrees_north"), ("lon", lon, "degrees_east")):
            v = nc.createVariable(name, "f8", (name,))
            v[:], v.units = values, units
        u = nc.createVariable("uo", "f4", ("time", "lat", "lon"), chunksizes=(1, ny, nx))
        v = nc.createVariable("vo", "f4", ("time", "lat", "lon"), chunksizes=(1, ny, nx))
        u.standard_name, u.units = "eastward_sea_water_velocity", "m s-1"
        v.standard_name, v.units = "northward_sea_water_velocity", "m s-1"
        for k in range(days):
            ph = 2 * np.pi * k / 37.0
            gyre = np.sin(3 * (Y - 0.17)) * np.cos(2 * (X + 1.2) + 0.3 * np.sin(ph))
            eddy = np.sin(40 * X + ph) * np.cos(35 * Y - 0.7 * ph)
            u[k] = (0.25 * gyre + 0.15 * eddy * np.cos(ph)).astype(np.float32)
            v[k] = (0.2 * np.cos(3 * (Y - 0.17)) * np.sin(2 * (X + 1.2)) + 0.15 * eddy * np.sin(ph)).astype(
                np.float32
            )
            t[k] = float(k)
    os.replace(tmp, path)
    return path


def make_wind(path: Path, nx: int, ny: int, days: int) -> Path:
    """Write an hourly 0.25° float32 10 m wind (u10, v10) over the region of :func:`make_forcing`'s
    ``nx × ny`` 1/12° cells (and one cell more each side), ``days + 1`` days, slice by slice."""
    import netCDF4

    if path.exists():
        return path
    lon = -70.25 + 0.25 * np.arange(int(np.ceil(nx / 3)) + 3)
    lat = 9.75 + 0.25 * np.arange(int(np.ceil(ny / 3)) + 3)
    X, Y = np.meshgrid(np.deg2rad(lon), np.deg2rad(lat))
    tmp = path.with_suffix(".part")
    with netCDF4.Dataset(tmp, "w") as nc:
        nc.createDimension("time", None)
        nc.createDimension("latitude", lat.size)
        nc.createDimension("longitude", lon.size)
        t = nc.createVariable("time", "f8", ("time",))
        t.units, t.calendar = "hours since 2021-01-01 00:00:00", "standard"
        for name, values, units in (("latitude", lat, "degrees_north"), ("longitude", lon, "degrees_east")):
            v = nc.createVariable(name, "f8", (name,))
            v[:], v.units = values, units
        dims = ("time", "latitude", "longitude")
        u = nc.createVariable("u10", "f4", dims, chunksizes=(1, lat.size, lon.size))
        v = nc.createVariable("v10", "f4", dims, chunksizes=(1, lat.size, lon.size))
        u.units = v.units = "m s-1"
        for k in range(24 * (days + 1)):
            ph = 2 * np.pi * k / 61.0  # a weather system passing every ~2.5 days
            u[k] = (7.0 * np.cos(4 * X - ph) * np.cos(3 * Y) + 3.0).astype(np.float32)
            v[k] = (6.0 * np.sin(5 * Y + ph) * np.sin(2 * X)).astype(np.float32)
            t[k] = float(k)
    os.replace(tmp, path)
    return path


def _windage(wind_path: str, ocean, end):
    """The windage compiled form (3 % of the wind) over the currents' region, as this version makes it."""
    from marinenet.behaviour import windage
    from marinenet.ocean.forcing import WIND, open_forcing

    lon, lat = ocean["lon"].values, ocean["lat"].values
    bounds = (float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max()))
    field = open_forcing(WIND, wind_path, START, end, bounds)
    return windage._params(1.0, 0.03, 0.0, getattr(field, "streamed", field.arrays)())


def track_forcing(path: str, particles: int, days: float, dt_hours: float, wind: str | None = None) -> None:
    """In the measured process: open, estimate, track; print what the row needs."""
    from marinenet import memory
    from marinenet.engine import EngineRequest, run_engine
    from marinenet.ocean.reader import open_currents

    t0 = time.perf_counter()
    end = START + np.timedelta64(int(days * 86400), "s")
    ocean = open_currents(path, None, START, end)
    rng = np.random.default_rng(1)
    n = int(particles)
    lon = rng.uniform(float(ocean.lon[10]), float(ocean.lon[-10]), n)
    lat = rng.uniform(float(ocean.lat[10]), float(ocean.lat[-10]), n)
    keep = np.arange(min(n, 1000))
    forms = (_windage(wind, ocean, end),) if wind else ()
    req = EngineRequest(ocean, lon, lat, START, days * 86400.0, dt_hours * 3600.0, 10 * 86400.0, keep=keep,
                        behaviours=forms)  # fmt: skip
    args = (ocean[["u", "v"]].nbytes, n, "fast", [], keep.size, len(req.output_times))
    kw: dict = {"maps": False, "refuse": False, "forcing_slices": ocean.sizes["time"]}
    try:
        from marinenet.ocean.extra import footprints

        est = memory.run_estimate(*args, **kw, extra_fields=footprints(forms))
    except (TypeError, ImportError):  # a version before streamed extra fields / forcing ('before')
        try:
            est = memory.run_estimate(*args, **kw)
        except TypeError:
            est = memory.run_estimate(*args, maps=False, refuse=False)
    tr = run_engine("fast", req)
    p = est.parts  # this process tracks only (no analyses, no report): what is held + tracking
    held = p.get("forcing held by the engine", p.get("engine copy of the currents", 0.0))
    held += p.get("extra fields held by the engine", 0.0)
    print(f"ESTIMATE {est.now + held + p['stored tracks'] + p['tracking']:.0f}")
    print(f"END {float(np.nanmean(tr.end_lon)):.12f} {float(np.nanmean(tr.end_lat)):.12f}")
    print(f"TRACKING {tr.engine_seconds:.1f} STEPS {tr.particle_steps} WALL {time.perf_counter() - t0:.1f}")


def forcing_case(
    nx: int, ny: int, days: int, particles: int, dt_hours: float, code: Path = REPO, wind: bool = False
) -> dict:
    """One row: the forcing file made (cached in /tmp), tracked in a fresh process under time -v with
    the marinenet of ``code`` (another checkout: the 'before' of a change); with ``wind`` an hourly
    0.25° wind too (:func:`make_wind`)."""
    path = make_forcing(Path(f"/tmp/marinenet_bench_forcing_{nx}x{ny}x{days}.nc"), nx, ny, days)
    cmd = ["/usr/bin/time", "-v", sys.executable, __file__, "_track", str(path), str(particles)]
    cmd += [str(days - 2), str(dt_hours)]
    wind_file = (
        make_wind(Path(f"/tmp/marinenet_bench_wind_{nx}x{ny}x{days}.nc"), nx, ny, days) if wind else None
    )
    cmd += [str(wind_file)] if wind_file else []
    env = os.environ | {"PYTHONPATH": str(code) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{nx}x{ny}x{days} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr).group(1)) * 1024
    est = float(re.search(r"ESTIMATE (\S+)", proc.stdout).group(1))
    tracking = float(re.search(r"TRACKING (\S+)", proc.stdout).group(1))
    print(proc.stdout.strip(), flush=True)
    size = path.stat().st_size + (wind_file.stat().st_size if wind_file else 0)
    return {"nx": nx, "ny": ny, "days": days, "file": size, "particles": particles,
            "dt": dt_hours, "estimate": est, "peak": peak, "wall": wall, "tracking": tracking}  # fmt: skip


def forcing_sweep(
    sizes: list[tuple[int, int, int]],
    particles: int,
    dt_hours: float,
    write: bool,
    code: Path = REPO,
    wind: bool = False,
) -> None:
    from marinenet.memory import human

    label = "" if code == REPO else f" ({code.name})"
    for nx, ny, days in sizes:
        r = forcing_case(nx, ny, days, particles, dt_hours, code, wind)
        grid = f"{nx}×{ny}×{days}" + (" + hourly wind 0.25°" if wind else "")
        row = (
            f"| {time.strftime('%Y-%m-%d')} | {machine()}{label} | {grid} | {human(r['file'])} | "
            f"{particles:,} | {dt_hours:g} h | {human(r['estimate'])} | {human(r['peak'])} | "
            f"{r['wall']:.0f} | {r['tracking']:.0f} |"
        )
        print(row, flush=True)
        if write:
            append_row(WIND_HEADER if wind else FORCING_HEADER, row)


def _sizes(text: str) -> list[tuple[int, int, int]]:
    return [tuple(int(v) for v in s.split("x")) for s in text.split(",")]  # type: ignore[misc]


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] in ("zones", "particles", "one"):
        import bench_scale_zones

        bench_scale_zones.main()
        return
    if len(sys.argv) > 1 and sys.argv[1] == "_track":
        wind = sys.argv[6] if len(sys.argv) > 6 else None
        track_forcing(sys.argv[2], int(float(sys.argv[3])), float(sys.argv[4]), float(sys.argv[5]), wind)
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="sweep", required=True)
    f = sub.add_parser("forcing", help="peak memory vs forcing size (streamed forcing)")
    f.add_argument("--sizes", default="720x480x30,720x480x90,720x480x180")
    f.add_argument("--particles", default="1e5")
    f.add_argument("--dt-hours", type=float, default=6.0)
    f.add_argument("--no-write", action="store_true", help="print the rows, do not add them to the docs")
    f.add_argument(
        "--code", type=Path, default=REPO, help="the marinenet checkout to measure (default: this)"
    )
    f.add_argument("--wind", action="store_true", help="windage with an hourly 0.25° wind (made too)")
    args = ap.parse_args()
    if args.sweep == "forcing":
        forcing_sweep(
            _sizes(args.sizes),
            int(float(args.particles)),
            args.dt_hours,
            not args.no_write,
            args.code,
            args.wind,
        )


if __name__ == "__main__":
    main()
