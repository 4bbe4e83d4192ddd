"""Benchmark: real-size studies (issue 16 item 6). This part: the analytics at scale — a zone-count sweep
and a particle-count sweep of the streamed accumulators and the tables built from them.

The case: a grid layer of nx × ny square cells of 0.1° (the zones; an outside label around
them), particles released uniformly over the grid and a 5 % margin outside it, then moved by a
seeded random walk (0.03° per step and axis) for ``--steps`` steps, handed to
:class:`marinenet.streaming.Streams` as the engines hand them (no tracking: the engine is not
timed here). Then the tables of a run: the connectivity matrix (release cell → end cell), its
tidy table with every pair, the intervals, arrivals and exposure. Each case runs in a fresh
process; peak RSS is that process's maximum resident set.

``--before PATH`` runs the same cases with the package found at PATH (a checkout of an older
version, e.g. ``git worktree add /tmp/before <commit>``) for a before/after comparison.

Usage: python scripts/bench_scale.py zones [--particles N] [--zones 300,1200,5000,20000]
       python scripts/bench_scale.py particles [--zones 300] [--particles 1e5,1e6]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
#: an older version (--before) without sparse tables: above this many (source, destination) pairs the
#: tidy table with every zero pair and its intervals are not built (20,000² = 4·10^8 rows)
MAX_PAIRS = 5e7


def _grid(nx: int, ny: int):
    import geopandas as gpd
    from shapely.geometry import box

    from marinenet.zones import layer_from_frame

    ids = [f"c{k:06d}" for k in range(nx * ny)]
    geoms = [box(0.1 * i, 0.1 * j, 0.1 * (i + 1), 0.1 * (j + 1)) for j in range(ny) for i in range(nx)]
    return layer_from_frame(
        "grid", gpd.GeoDataFrame({"id": ids}, geometry=geoms, crs=4326), "id", outside="out"
    )


def _rss() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024.0


def measure(n: int, nx: int, ny: int, steps: int, seed: int = 1) -> dict:
    """Times (s) of each analytics stage and the peak RSS (bytes) of one case, in this process."""
    import numpy as np

    from marinenet.connectivity import tidy_table
    from marinenet.connectivity.exposure import arrival_table, exposure_table
    from marinenet.connectivity.fates import EndState, ReleaseSites, connectivity_fates
    from marinenet.connectivity.uncertainty import fraction_intervals
    from marinenet.streaming import Streams

    t0 = time.perf_counter()
    layer = _grid(nx, ny)
    warm = Streams({"grid": layer}, np.zeros(2), np.zeros(2))  # build the index, compile: not timed
    warm.released(np.arange(2), np.zeros(2), np.zeros(2))
    warm.stepped(np.arange(2), np.ones(2), np.ones(2), np.ones(2), np.ones(2))
    wl = warm.layers["grid"]
    if hasattr(wl, "visits"):  # compile the table kernels too
        arrival_table(np.array(["a", "b"], object), wl.visits(), wl.zones, None)
        exposure_table(np.array(["a", "b"], object), wl.visits(), wl.zones, None)
    out = {"particles": n, "zones": nx * ny, "steps": steps, "layer_s": time.perf_counter() - t0}
    out["load"] = os.getloadavg()[0]
    rng = np.random.default_rng(seed)
    w, h = 0.1 * nx, 0.1 * ny
    x = rng.uniform(-0.05 * w, 1.05 * w, n)
    y = rng.uniform(-0.05 * h, 1.05 * h, n)
    x0, y0 = x.copy(), y.copy()
    streams = Streams({"grid": layer}, x0, y0)
    everyone = np.arange(n)
    dt = np.full(n, 3600.0)
    t_stream = 0.0
    t = time.perf_counter()
    streams.released(everyone, x, y)
    t_stream += time.perf_counter() - t
    for k in range(steps):
        x += rng.normal(0, 0.03, n)
        y += rng.normal(0, 0.03, n)
        t = time.perf_counter()
        streams.stepped(everyone, x, y, dt, np.full(n, (k + 1) * 3600.0))
        t_stream += time.perf_counter() - t
    out["stream_s"], out["stream_ms_per_step"] = t_stream, 1e3 * t_stream / max(steps, 1)
    out["rss_after_stream"] = _rss()
    ls = streams.layers["grid"]

    cpu = time.process_time()
    t = time.perf_counter()
    labels = layer.labels(x0, y0)
    release = ReleaseSites(x0, y0, labels, [*layer.ids, layer.outside], "grid")
    end = EndState(np.full(n, "active", dtype=object), x, y)
    fates = connectivity_fates({"grid": layer}, release, end, larva=False)
    out["matrix_s"] = time.perf_counter() - t
    m = fates.matrices["grid"]
    sparse = getattr(fates, "all_pairs_limit", None) is not None and not hasattr(m, "dims")
    out["rows"] = "non-zero" if sparse else "all"
    pairs = m.sizes["source"] * m.sizes["destination"]
    out["pairs"] = pairs
    if sparse or pairs <= MAX_PAIRS:
        t = time.perf_counter()
        dests = [str(d) for d in (m.destinations if sparse else m["destination"].values)]
        if sparse:
            from marinenet.connectivity.uncertainty import nonzero_intervals

            ci, _ = nonzero_intervals(fates.sources["grid"], fates.destinations["grid"], dests, rng)
        else:
            ci = fraction_intervals(fates.sources["grid"], fates.destinations["grid"], dests, rng)
        out["intervals_s"] = time.perf_counter() - t
        t = time.perf_counter()
        table = tidy_table(m) if sparse else tidy_table(m, keep_zeros=True)
        table = table.merge(
            ci[["source", "destination", "ci_low", "ci_high"]], on=["source", "destination"], how="left"
        )
        out["tidy_s"], out["table_rows"] = time.perf_counter() - t, len(table)
    sources = fates.sources["grid"]
    t = time.perf_counter()
    if hasattr(ls, "visits"):  # this version: the sparse cells
        visits = ls.visits()
        out["cells"] = int(visits.particle.size)
        arrivals = arrival_table(sources, visits, ls.zones, None)
        out["arrivals_s"] = time.perf_counter() - t
        t = time.perf_counter()
        exposure_table(sources, visits, ls.zones, None)
    else:  # before: dense particle × zone arrays
        out["cells"] = int(np.isfinite(ls.first).sum())
        arrivals = arrival_table(sources, ls.first, ls.zones, None)
        out["arrivals_s"] = time.perf_counter() - t
        t = time.perf_counter()
        exposure_table(sources, ls.days, ls.first, ls.zones, None)
    out["exposure_s"] = time.perf_counter() - t
    out["arrival_rows"] = len(arrivals)
    out["tables_s"] = sum(
        out.get(k, 0.0) for k in ("matrix_s", "intervals_s", "tidy_s", "arrivals_s", "exposure_s")
    )
    out["tables_cpu_s"] = time.process_time() - cpu
    from marinenet.connectivity.indices import transboundary_indices
    from marinenet.connectivity.network import connectivity_graph, network_metrics

    t, cpu = time.perf_counter(), time.process_time()
    zones = [*layer.ids]
    transboundary_indices(m, zones, None)
    network_metrics(connectivity_graph(m, zones))
    out["indices_s"], out["indices_cpu_s"] = time.perf_counter() - t, time.process_time() - cpu
    out["peak_rss"] = _rss()
    return out


def _fresh(n: int, nx: int, ny: int, steps: int, code: Path) -> dict:
    """:func:`measure` in a fresh interpreter with the package at ``code``."""
    env = dict(os.environ, PYTHONPATH=str(code), OMP_NUM_THREADS="1", NUMBA_NUM_THREADS="1")
    cmd = [sys.executable, __file__, "one", str(n), str(nx), str(ny), str(steps)]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        return {"particles": n, "zones": nx * ny, "error": (done.stderr or done.stdout).strip()[-300:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _shape(zones: int) -> tuple[int, int]:
    ny = max(1, int(round((zones / 2) ** 0.5)))
    return zones // ny, ny


HEADER = (
    "## Analytics at scale, tables of non-zero pairs above `outputs: all_pairs_limit` "
    "(`python scripts/bench_scale.py zones|particles`)\n\n"
    "Grid layer of 0.1° cells (the zones), particles released uniformly over it (and a 5 % margin "
    "outside), a seeded random walk of 0.03° per step and axis, handed to the streamed analytics as the "
    "engines hand them (the engine is not timed); then the run's tables. stream = release + every step "
    "(zone lookup and accumulators); tables = connectivity matrix, intervals, tidy table merged with the "
    "intervals (every pair up to 10^6 pairs, the non-zero pairs above), arrivals, exposure; tables CPU = "
    "their CPU seconds (process time); indices = transboundary indices + network graph and metrics. One "
    "fresh process per row (1 thread). Target (issue 16): 300 zones × 10^6 particles, all analytics under "
    "10 s; 20,000 zones × 10^6 completes.\n\n"
    "| date | machine | load | zones | particles | steps | stream ms/step | matrix s | intervals s "
    "| tidy s | arrivals s | exposure s | tables s | tables CPU s | table rows | indices s (CPU s) | peak RSS |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
)


def _row(r: dict, version: str) -> str:
    from _benchdoc import machine

    def f(key: str, fmt: str = "{:.2f}") -> str:
        return fmt.format(r[key]) if key in r else "–"

    if "error" in r:
        return f"| {time.strftime('%Y-%m-%d')} | {machine()} | {version} | {r['zones']:,} | {r['particles']:,} | failed: {r['error'][-120:]} |"
    return (
        f"| {time.strftime('%Y-%m-%d')} | {machine(' (1 used)')} | {f('load', '{:.1f}')} | {r['zones']:,} "
        f"| {r['particles']:,} | {r['steps']} | {f('stream_ms_per_step', '{:.0f}')} | {f('matrix_s')} "
        f"| {f('intervals_s')} | {f('tidy_s')} | {f('arrivals_s')} | {f('exposure_s')} | {f('tables_s')} "
        f"| {f('tables_cpu_s')} | {f('table_rows', '{:,}')} ({r.get('rows', '?')}) | {f('indices_s')} ({f('indices_cpu_s')}) "
        f"| {r['peak_rss'] / 1e9:.2f} GB |"
    )


def _sweep(cases: list[tuple[int, int]], steps: int, before: Path | None, write: bool) -> None:
    from _benchdoc import append_row

    for n, zones in cases:
        nx, ny = _shape(zones)
        runs = [("before", before)] if before else []
        for version, code in runs + [("after", REPO)]:
            r = _fresh(n, nx, ny, steps, code)
            row = _row(r, version)
            print(row, flush=True)
            if write:
                append_row(HEADER, row)


def zone_sweep(particles: int, zones: list[int], steps: int, before: Path | None, write: bool = True) -> None:
    """Zone-count sweep at a fixed particle count."""
    _sweep([(particles, z) for z in zones], steps, before, write)


def particle_sweep(
    zones: int, particles: list[int], steps: int, before: Path | None, write: bool = True
) -> None:
    """Particle-count sweep at a fixed zone count."""
    _sweep([(n, zones) for n in particles], steps, before, write)


def _ints(text: str) -> list[int]:
    return [int(float(x)) for x in text.split(",")]


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "one":
        n, nx, ny, steps = (int(a) for a in sys.argv[2:6])
        print(json.dumps(measure(n, nx, ny, steps)))
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sweep", choices=["zones", "particles"])
    ap.add_argument("--particles", default=None, help="comma-separated counts (e.g. 1e5,1e6)")
    ap.add_argument("--zones", default=None, help="comma-separated zone counts")
    ap.add_argument("--steps", type=int, default=72)
    ap.add_argument("--before", type=Path, default=None, help="path of an older checkout to compare with")
    ap.add_argument("--no-write", action="store_true", help="print the rows only")
    a = ap.parse_args()
    if a.sweep == "zones":
        zone_sweep(
            _ints(a.particles or "1e6")[0],
            _ints(a.zones or "300,1200,5000,20000"),
            a.steps,
            a.before,
            not a.no_write,
        )
    else:
        particle_sweep(
            _ints(a.zones or "300")[0], _ints(a.particles or "1e5,1e6"), a.steps, a.before, not a.no_write
        )


if __name__ == "__main__":
    main()
