"""Benchmark: the tracking stage of a stepwise run (streamed analytics every step), split into stepper and analytics.

Usage: python scripts/bench_steploop.py [--particles 5000 1e6] [--days 30 2] [--threads 1 2] [--base DIR] [--no-doc]

The demo scenario (scenarios/demo.yaml: three zone layers, dt 1 h) tracked in this process as
``marinenet run`` does (the same request and :class:`~marinenet.streaming.Streams`), once to warm
up and then timed: the engine's wall seconds (``engine_seconds``), the process CPU seconds, and the
CPU seconds of the analytics alone (the observer's ``stepped`` calls, in whichever thread runs
them); stepper and loop = process CPU − analytics; and the wall seconds the engine waited for the
observer beside it (what of the analytics the stepper did not hide; "inline": all of it, before). ``--base`` names a source checkout of the code
before: each case then runs there and here alternately in fresh processes (A/B in one round: on a
busy machine compare the ratios, not the seconds).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from _benchdoc import append_row, machine

REPO = Path(__file__).resolve().parents[1]

_ONE = """
import json, sys, time
import numba
from marinenet import pipeline
from marinenet.engine import run_engine
from marinenet.scenario import load_scenario
from marinenet.streaming import Streams, stored_particles, survival_for

n, days, threads = int(float(sys.argv[1])), float(sys.argv[2]), sys.argv[3]
sc = load_scenario(sys.argv[4])
sc.release.particles = n
prep = pipeline.prepare(sc)
req = pipeline.engine_request(prep)
req.duration = days * 86400.0
req.keep = stored_particles(sc.simulation.trajectories, n)
if threads != "auto":
    req.threads = int(threads)
    import marinenet.engine.fast_engine as fe
    fe.PARTICLES_PER_THREAD = 1  # the threads asked for, whatever the run's size

class Timed(Streams):
    cpu = 0.0
    def stepped(self, *a):
        t0 = time.thread_time()
        super().stepped(*a)
        Timed.cpu += time.thread_time() - t0

waited = [0.0]
try:  # the engine's waits for the observer beside it (this branch; none before)
    from marinenet.engine import observing
    _wait = observing.Beside.wait
    def wait(self):
        t0 = time.perf_counter()
        _wait(self)
        waited[0] += time.perf_counter() - t0
    observing.Beside.wait = wait
except ImportError:
    waited = None

def once():
    if waited is not None:
        waited[0] = 0.0
    s = Timed(prep.layers, prep.release.lon, prep.release.lat, survival_for(req.larva, n))
    Timed.cpu = 0.0
    c0 = time.process_time()
    tr = run_engine("fast", req, observer=s)
    return tr, time.process_time() - c0, Timed.cpu

once()
tr, cpu, obs = once()
print(json.dumps({"engine": tr.engine_seconds, "cpu": cpu, "analytics": obs, "steps": tr.particle_steps,
                  "notes": tr.notes, "waited": None if waited is None else waited[0]}))
"""


def one(code: Path, n: float, days: float, threads: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(code)}
    scenario = str(REPO / "scenarios" / "demo.yaml")
    out = subprocess.run(
        [sys.executable, "-c", _ONE, str(n), str(days), threads, scenario],
        env=env, capture_output=True, text=True, check=True, cwd=code,  # (not this folder's marinenet)
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


HEADER = (
    "## Stepwise runs: stepper and streamed analytics (`python scripts/bench_steploop.py --base DIR`)\n\n"
    "Demo scenario (3 zone layers, dt 1 h), tracking stage in-process, warm. engine s: wall seconds of "
    "tracking; CPU s: the process; analytics CPU s: the observer's work (zone lookups, tallies) in "
    "whichever thread runs it. Code: base = before, new = this branch (run alternately).\n\n"
    "| date | machine | particles × days | threads | code | engine s | CPU s | analytics CPU s | "
    "engine waited for analytics s | µs/particle-step (wall) |\n|---|---|---|---|---|---|---|---|---|---|\n"
)


def _waited(r: dict) -> str:
    return "inline" if r.get("waited") is None else f"{r['waited']:.2f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--particles", nargs="+", type=float, default=[5000, 1e6])
    ap.add_argument("--days", nargs="+", type=float, default=[30, 2], help="one per --particles entry")
    ap.add_argument("--threads", nargs="+", default=["auto"], help="'auto': the engine's own choice")
    ap.add_argument("--base", type=Path, help="a source checkout of the code before (the 'base' rows)")
    ap.add_argument("--no-doc", action="store_true", help="print only; do not append to docs/benchmarks.md")
    args = ap.parse_args()
    codes = [("new", REPO)] + ([("base", args.base.resolve())] if args.base else [])
    for n, days in zip(args.particles, args.days, strict=True):
        for threads in args.threads:
            for label, code in codes:
                r = one(code, n, days, threads)
                us = r["engine"] / max(r["steps"], 1) * 1e6
                print(f"n={n:,.0f} days={days:g} threads={threads} {label}: engine {r['engine']:.2f} s, "
                      f"CPU {r['cpu']:.2f} s, analytics {r['analytics']:.2f} s, waited {_waited(r)}, {us:.3f} µs/step "
                      f"{r['notes']}",
                      flush=True)  # fmt: skip
                if not args.no_doc:
                    row = (
                        f"| {time.strftime('%Y-%m-%d')} | {machine()} | {n:,.0f} × {days:g} | {threads} "
                        f"({r['notes'][0].split(': ')[-1]}) | {label} | {r['engine']:.2f} | {r['cpu']:.2f} | "
                        f"{r['analytics']:.2f} | {_waited(r)} | {us:.3f} |"
                    )
                    append_row(HEADER, row)


if __name__ == "__main__":
    main()
