"""Benchmark: Parcels vs the fast engine (1 and 2 threads) on one identical problem.

Problem (issue 7): 200×200 lon/lat grid (0.1°), 10 daily fields of a time-varying eddy
field, RK4, dt 1 h, 48 steps, particles spread over the water. Every (engine, size) runs in
its own fresh process, so peak memory is its own; timings exclude the one-off numba compile
(cached on disk after the first run) and building the fields.

Memory: ``traced`` is the peak of NumPy/Python allocations while tracking (tracemalloc),
i.e. what the run needs beyond the forcing; ``rss`` the rise of the process' peak resident
memory (VmHWM, reset before the run) for comparison.

Usage: python scripts/bench_engine.py [--sizes 1e4 1e5 1e6] [--engines parcels fast1 fast2]
Targets: fast ≥ 25× Parcels (1 thread) and ≥ 45× (2 threads) at 1e5 particles; < 100 B/particle.

``ref1`` / ``ref2``: the hand-written numba kernel of scripts/bench_reference.py on 1 / 2 threads (the per-thread
yardstick); ``fast-steps1``: the fast engine called once per step (as runs with an observer call it). Rates are
given per wall second and per CPU second (all threads): on a shared machine compare the CPU ones; ``--repeat N``
runs N rounds (every engine once per round) and keeps the best.

``parcels-kernel`` / ``fast-kernel``: the same problem with one custom kernel (:func:`Windage`,
Parcels v4 style, sampling the currents by name) on each engine; target: fast ≥ 5× Parcels.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

STEPS, DT = 48, 3600.0
START = np.datetime64("2021-01-01T00:00")


def ocean(days: int = 10):
    """The benchmark forcing: 0.1° grid 30–50°N, 20–0°W; eddies drifting west on a mean flow (daily)."""
    import xarray as xr

    lon = -20.0 + 0.1 * np.arange(200)
    lat = 30.0 + 0.1 * np.arange(200)
    times = START + np.arange(days) * np.timedelta64(1, "D")
    LON, LAT = np.meshgrid(lon, lat)
    rng = np.random.default_rng(0)
    cx, cy = rng.uniform(-19, -1, 12), rng.uniform(31, 49, 12)
    amp, rad = rng.uniform(0.2, 0.6, 12) * rng.choice([-1, 1], 12), rng.uniform(30e3, 80e3, 12)
    u = np.zeros((days, 200, 200))
    v = np.zeros_like(u)
    for k in range(days):
        u[k] = 0.1 * np.cos(np.deg2rad(LAT - 40) * 9)
        for i in range(12):
            ex = (LON - cx[i] + 0.05 * k) * 111_120.0 * np.cos(np.deg2rad(cy[i]))
            ey = (LAT - cy[i]) * 111_120.0
            g = amp[i] * np.exp(-(ex**2 + ey**2) / rad[i] ** 2)
            u[k] -= g * ey / rad[i]
            v[k] += g * ex / rad[i]
    land = np.zeros((200, 200), bool)
    return xr.Dataset(
        {"u": (("time", "lat", "lon"), u), "v": (("time", "lat", "lon"), v), "land": (("lat", "lon"), land)},
        coords={"time": times, "lat": lat, "lon": lon},
    )


def Windage(particles, fieldset):  # pragma: no cover - a custom kernel, run by either engine
    """A custom kernel: 3 % extra drift along the current (sampled by name) plus 2 cm/s east."""
    u, v = fieldset.UV[particles]
    particles.dx = (
        particles.dx
        + 0.03 * u * particles.dt
        + 0.02 * particles.dt / (1852.0 * 60.0 * np.cos(np.deg2rad(particles.y)))
    )
    particles.dy = particles.dy + 0.03 * v * particles.dt


def _rss() -> tuple[int, int]:
    status = Path("/proc/self/status").read_text().splitlines()
    get = {ln.split(":")[0]: int(ln.split()[1]) * 1024 for ln in status if ln.startswith(("VmRSS", "VmHWM"))}
    return get["VmRSS"], get["VmHWM"]


def one(engine: str, n: int) -> dict:
    """Run one engine at one size in this process; return its measurements."""
    import tracemalloc

    from marinenet.engine import EngineRequest

    oc = ocean()
    rng = np.random.default_rng(1)
    x, y = rng.uniform(-18, -2, n), rng.uniform(32, 48, n)
    req = EngineRequest(
        oc,
        x,
        y,
        START,
        STEPS * DT,
        DT,
        STEPS * DT,
        threads=int(engine[-1]) if engine[-1].isdigit() else None,
    )
    if engine == "parcels-bare":  # Parcels' own AdvectionRK4 only: no land, edge or age kernels
        import parcels
        from parcels._core.particle import get_default_particle

        from marinenet.engine.parcels_engine import _quiet_parcels, make_fieldset

        with _quiet_parcels():
            fs = make_fieldset(oc)
            pclass = get_default_particle(np.float64)

            def go(xx, yy, steps):
                pset = parcels.ParticleSet(
                    fs, pclass, x=xx, y=yy, t=np.full(xx.size, START, "datetime64[ns]")
                )
                end = START + np.timedelta64(int(steps * DT), "s")
                pset.execute(
                    parcels.kernels.AdvectionRK4,
                    dt=np.timedelta64(int(DT), "s"),
                    endtime=end,
                    verbose_progress=False,
                )

            go(x[:10], y[:10], 2)
            Path("/proc/self/clear_refs").write_text("5")
            rss0, _ = _rss()
            tracemalloc.start()
            t0, c0 = time.perf_counter(), time.process_time()
            go(x, y, STEPS)
            sec, cpu = time.perf_counter() - t0, time.process_time() - c0
        steps = n * STEPS
    elif engine.endswith("-kernel"):  # one custom kernel, on the whole engine
        from marinenet.engine import run_engine

        name = engine.split("-")[0]
        kw = {"kernels": [Windage], "threads": 1 if name == "fast" else None}
        run_engine(name, EngineRequest(oc, x[:10], y[:10], START, 2 * DT, DT, 2 * DT, **kw))  # warm-up
        Path("/proc/self/clear_refs").write_text("5")
        rss0, _ = _rss()
        tracemalloc.start()
        t0 = time.perf_counter()
        tr = run_engine(name, EngineRequest(oc, x, y, START, STEPS * DT, DT, STEPS * DT, **kw))
        sec = time.perf_counter() - t0
        steps = tr.particle_steps
    elif engine == "parcels":
        from marinenet.engine.parcels_engine import run_parcels

        run_parcels(EngineRequest(oc, x[:10], y[:10], START, 2 * DT, DT, 2 * DT))  # warm-up
        Path("/proc/self/clear_refs").write_text("5")
        rss0, _ = _rss()
        tracemalloc.start()
        t0 = time.perf_counter()
        tr = run_parcels(req)
        sec = time.perf_counter() - t0
        steps = tr.particle_steps
    elif engine.startswith("ref"):  # the hand-written kernel (scripts/bench_reference.py)
        import numba

        sys.path.insert(0, str(Path(__file__).parent))
        import bench_reference as ref

        numba.set_num_threads(int(engine[-1]))
        u, v, land, tg = ref.fields(oc)
        g = ref.grid(oc)
        ref.advance(
            x[:10].copy(), y[:10].copy(), np.zeros(10), np.zeros(10, np.int8), u, v, land, g, tg, DT, 2
        )
        Path("/proc/self/clear_refs").write_text("5")
        rss0, _ = _rss()
        tracemalloc.start()
        t0, c0 = time.perf_counter(), time.process_time()
        px, py, pt = x.copy(), y.copy(), np.zeros(n)
        ref.advance(px, py, pt, np.zeros(n, np.int8), u, v, land, g, tg, DT, STEPS)
        sec, cpu = time.perf_counter() - t0, time.process_time() - c0
        steps = int(np.round(pt / DT).sum())
    else:
        from marinenet.engine import fast_engine as fe

        ff = fe.fast_fields(req)
        prm = fe.parameters(req, ff)
        prm.threads = fe._threads.available(req.threads)
        warm = fe.new_state(EngineRequest(oc, x[:10], y[:10], START, 2 * DT, DT, 2 * DT), ff)
        fe.advance(warm, ff, prm, 2 * DT)  # compile (or load the cache)
        Path("/proc/self/clear_refs").write_text("5")
        rss0, _ = _rss()
        tracemalloc.start()
        t0, c0 = time.perf_counter(), time.process_time()
        state = fe.new_state(req, ff)
        if engine.startswith("fast-steps"):  # one call per step, as a run with an observer makes
            order = fe.Order(ff.lon, ff.lat, ff.periodic)
            for k in range(1, STEPS + 1):
                fe.advance(state, ff, prm, k * DT, order=order)
        else:
            fe.advance(state, ff, prm, STEPS * DT)
        sec, cpu = time.perf_counter() - t0, time.process_time() - c0
        steps = int(state.nstep.sum())
    cpu = locals().get("cpu", float("nan"))
    _, traced = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    _, hwm = _rss()
    return {
        "engine": engine,
        "n": n,
        "seconds": sec,
        "cpu": cpu,
        "steps": steps,
        "traced": traced,
        "rss": max(hwm - rss0, 0),
    }


def _ratios(best: dict[tuple[str, int], dict]) -> None:
    """Print fast / hand-written reference per thread count, 2 threads / 1 thread, fast / Parcels."""
    for (eng, n), r in sorted(best.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        line = []
        if eng.startswith("fast") and eng[-1].isdigit() and ("ref" + eng[-1], n) in best:
            ref = best["ref" + eng[-1], n]
            line.append(
                f"× ref{eng[-1]} {r['rate'] / ref['rate']:.2f} (CPU {r['cpu_rate'] / ref['cpu_rate']:.2f})"
            )
        if eng.endswith("2") and (eng[:-1] + "1", n) in best:
            line.append(f"2 thr / 1 thr {r['rate'] / best[eng[:-1] + '1', n]['rate']:.2f}")
        for base in ("parcels-bare", "parcels"):
            if (base, n) in best and eng != base:
                line.append(f"× {base} {r['rate'] / best[base, n]['rate']:.1f}")
        if line:
            print(f"best {eng:12s} n={n:>9,d}  {r['rate'] / 1e6:6.2f} M/s  " + "  ".join(line))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", nargs="+", type=float, default=[1e4, 1e5, 1e6])
    ap.add_argument("--engines", nargs="+", default=["parcels-bare", "parcels", "fast1", "fast2"])
    ap.add_argument("--one", nargs=2, help=argparse.SUPPRESS)
    ap.add_argument("--repeat", type=int, default=1, help="rounds; the best of each (engine, size) is kept")
    ap.add_argument("--no-doc", action="store_true", help="print only; do not append to docs/benchmarks.md")
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(args.one[0], int(float(args.one[1])))))
        return
    best: dict[tuple[str, int], dict] = {}
    for _ in range(args.repeat):  # rounds: every engine once per round, so that they share the load
        for n in (int(s) for s in args.sizes):
            for eng in args.engines:
                out = subprocess.run(
                    [sys.executable, __file__, "--one", eng, str(n)],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                r = json.loads(out.stdout.strip().splitlines()[-1])
                r["rate"] = r["steps"] / r["seconds"]
                r["cpu_rate"] = r["steps"] / r["cpu"] if r["cpu"] == r["cpu"] else float("nan")
                if (eng, n) not in best or r["rate"] > best[eng, n]["rate"]:
                    best[eng, n] = r | {"cpu_rate": max(r["cpu_rate"], best.get((eng, n), r)["cpu_rate"])}
                else:
                    best[eng, n]["cpu_rate"] = max(r["cpu_rate"], best[eng, n]["cpu_rate"])
                print(
                    f"{eng:12s} n={n:>9,d}  {r['rate'] / 1e6:7.2f} M particle-steps/s  {r['seconds']:7.2f} s  "
                    f"CPU {r['cpu']:7.2f} s ({r['cpu_rate'] / 1e6:6.2f} M/s of CPU)  "
                    f"traced {r['traced'] / n:6.1f} B/particle  rss +{r['rss'] / 2**20:7.1f} MiB",
                    flush=True,
                )
    results = list(best.values())
    _ratios(best)
    base = {r["n"]: r["rate"] for r in results if r["engine"] == "parcels-bare"}  # Parcels' own RK4
    kbase = {r["n"]: r["rate"] for r in results if r["engine"] == "parcels-kernel"}
    if args.no_doc:
        return
    sys.path.insert(0, str(Path(__file__).parent))
    from _benchdoc import append_row, machine

    header = (
        "## Engines side by side (`python scripts/bench_engine.py`)\n\n"
        "200×200 lon/lat grid (0.1°), 10 daily fields, RK4, dt 1 h, 48 steps; each (engine, size) in a fresh "
        "process; compile and field set-up excluded. Memory: tracemalloc peak during tracking (beyond the "
        "forcing) per particle, and the rise of peak RSS. × Parcels is relative to parcels-bare (Parcels' own "
        "AdvectionRK4, nothing else); `parcels` is marinenet's Parcels engine with its land, edge and age "
        "kernels. Targets at 10^5: fast ≥ 25× Parcels on 1 thread, "
        "≥ 45× on 2, < 100 B/particle. OpenDrift is not installed here (not measured).\n\n"
        "| date | machine | engine | particles | M steps/s | × Parcels | s | B/particle | peak RSS rise |\n"
        "|---|---|---|---|---|---|---|---|---|\n"
    )
    kheader = (
        "## Custom kernels on both engines (`python scripts/bench_engine.py --engines parcels-kernel "
        "fast-kernel`)\n\n"
        "The problem above plus one custom kernel (`Windage` in scripts/bench_engine.py: Parcels v4 style, "
        "samples `fieldset.UV` by name), run by the Parcels engine and by the fast engine (1 thread; compiled "
        "age + RK4, the kernel on arrays, compiled behaviours and coast, every step). × Parcels is relative to "
        "parcels-kernel. Target: fast-kernel ≥ 5× parcels-kernel.\n\n"
        "| date | machine | engine | particles | M steps/s | × Parcels | s | B/particle | peak RSS rise |\n"
        "|---|---|---|---|---|---|---|---|---|\n"
    )
    today = time.strftime("%Y-%m-%d")
    for r in results:
        kernel = r["engine"].endswith("-kernel")
        ref = kbase if kernel else base
        speedup = r["rate"] / ref[r["n"]] if r["n"] in ref else float("nan")
        append_row(
            kheader if kernel else header,
            f"| {today} | {machine()} | {r['engine']} | {r['n']:,} | {r['rate'] / 1e6:.2f} | {speedup:.1f} | "
            f"{r['seconds']:.2f} | {r['traced'] / r['n']:.0f} | {r['rss'] / 2**20:.0f} MiB |",
        )


if __name__ == "__main__":
    main()
