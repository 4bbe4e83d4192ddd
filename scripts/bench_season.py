"""Benchmark: a release season vs one release, particles ordered in space or not, 1 and 2 threads.

The problem of scripts/bench_engine.py (200×200 grid, 0.1°, eddies, RK4, dt 1 h) over 93 daily
fields; every particle is tracked 24 h, output daily. ``single``: all released at the start;
``season``: 90 daily releases, in index order (the late ones last, as a scenario lists them). The
rate is particle-steps per second of ``Trajectories.engine_seconds`` (the whole output loop, compile
excluded), so a season's extra calls and records count.

Codes: ``space`` (particles moved in Morton order, only the moving ones), ``index`` (only the moving
ones, in index order: ``MARINENET_ORDER=index``), ``base`` (the code before, from a ``git worktree``
given by ``--base``, e.g. ``git worktree add --detach /tmp/par-base <commit>``: every particle in
index order, split between threads by index). Every case runs in its own process; cases alternate so
that a busy machine slows them alike.

Usage: python scripts/bench_season.py [--sizes 1e5 1e6] [--base /tmp/par-base] [--no-doc]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
RELEASES, HOURS = 90, 24


def one(release: str, n: int, threads: int) -> dict:
    """One case in this process: the fast engine's rate and steps."""
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_engine import START, ocean

    from marinenet.engine import EngineRequest
    from marinenet.engine.fast_engine import run_fast

    oc = ocean(RELEASES + 3)
    rng = np.random.default_rng(1)
    x, y = rng.uniform(-18, -2, n), rng.uniform(32, 48, n)
    rel = START + (np.arange(n) * RELEASES // n) * np.timedelta64(1, "D") if release == "season" else None
    run_fast(EngineRequest(oc, x[:10], y[:10], START, 2 * 3600.0, 3600.0, 3600.0, threads=threads))  # warm
    tr = run_fast(
        EngineRequest(oc, x, y, START, HOURS * 3600.0, 3600.0, 86400.0, release_time=rel, threads=threads)
    )
    import marinenet

    return {"steps": tr.particle_steps, "seconds": tr.engine_seconds, "code_at": marinenet.__file__}


def case(code: str, release: str, n: int, threads: int, base: Path | None) -> dict:
    env = dict(os.environ, MARINENET_ORDER="index" if code == "index" else "space")
    env["PYTHONPATH"] = str(base if code == "base" else ROOT)
    cmd = [sys.executable, __file__, "--one", release, str(n), str(threads)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, env=env)
    r = json.loads(out.stdout.strip().splitlines()[-1])
    return r | {
        "code": code,
        "release": release,
        "n": n,
        "threads": threads,
        "rate": r["steps"] / r["seconds"],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", nargs="+", type=float, default=[1e5, 1e6])
    ap.add_argument("--base", type=Path, help="a worktree of the code before (the 'base' rows)")
    ap.add_argument("--codes", nargs="+", default=["base", "index", "space"])
    ap.add_argument("--large", type=float, default=1e6, help="from this size on, only base and space")
    ap.add_argument("--one", nargs=3, help=argparse.SUPPRESS)
    ap.add_argument("--no-doc", action="store_true", help="print only; do not append to docs/benchmarks.md")
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(args.one[0], int(float(args.one[1])), int(args.one[2]))))
        return
    codes = [c for c in args.codes if c != "base" or args.base is not None]
    results = []
    for n in (int(s) for s in args.sizes):
        for threads in (1, 2):
            for release in ("single", "season"):
                for code in codes if n < args.large else [c for c in codes if c != "index"]:
                    r = case(code, release, n, threads, args.base)
                    results.append(r)
                    print(f"{code:6s} {release:7s} n={n:>9,d} threads={threads}  {r['rate'] / 1e6:6.2f} M steps/s "
                          f"{r['seconds']:7.2f} s", flush=True)  # fmt: skip
    if not args.no_doc:
        _doc(results)


def _doc(results: list[dict]) -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    from _benchdoc import append_row, machine

    header = (
        "## Release seasons, particle order and threads (`python scripts/bench_season.py --base /tmp/par-base`)"
        "\n\nThe bench_engine problem over 93 daily fields, each particle tracked 24 h (dt 1 h, daily output);"
        " single = one release, season = 90 daily releases. base = the code before (every particle, split"
        " between threads by index); index = only the moving particles, index order; space = only the moving"
        " particles, Morton order (the default). Rates from engine_seconds (output loop included, compile"
        " excluded). Ratios within one round: season/single at the same code and threads; 2 thr/1 thr.\n\n"
        "| date | machine | code | particles | threads | single M steps/s | season M steps/s | season/single |"
        " 2 thr/1 thr (single, season) |\n|---|---|---|---|---|---|---|---|---|\n"
    )
    rate = {(r["code"], r["release"], r["n"], r["threads"]): r["rate"] for r in results}
    today = time.strftime("%Y-%m-%d")
    for code, _, n, threads in sorted({k for k in rate if k[1] == "single"}):
        one_, season = (
            rate[(code, "single", n, threads)],
            rate.get((code, "season", n, threads), float("nan")),
        )
        scale = [rate.get((code, rel, n, threads), np.nan) / rate.get((code, rel, n, 1), np.nan)
                 for rel in ("single", "season")]  # fmt: skip
        append_row(
            header,
            f"| {today} | {machine()} (shared by ~8 workers) | {code} | {n:,} | {threads} | {one_ / 1e6:.2f} | "
            f"{season / 1e6:.2f} | {season / one_:.2f} | {scale[0]:.2f}, {scale[1]:.2f} |",
        )


if __name__ == "__main__":
    main()
