"""Benchmark: what the first run after an install compiles, and whether compiling overlaps the run.

Usage:
    python scripts/bench_first_run.py kernels [SCENARIO]   # CPU s of every numba compile
    python scripts/bench_first_run.py overlap [SCENARIO]   # loading the inputs while the stepper compiles

Each measurement is a fresh interpreter with empty numba and kernel caches (``NUMBA_CACHE_DIR``,
``MARINENET_KERNEL_DIR`` in a temporary folder; the demo seascape's cache is kept, so the input
loading is the warm run's). ``kernels`` compiles what a run of the scenario uses
(:func:`marinenet.warmup.compile_all`) and lists the CPU seconds of each compiled function
(numba's compile events, the function's own time without the functions it compiles in turn).
``overlap`` loads the scenario's inputs (``prepare``) while the stepper compiles: after it
(``none``), in a thread of the same process (``thread``) or in a child process (``child``, what
a first run does now); wall = until both are done, CPU = the process and its children.
Appends rows to docs/benchmarks.md (``--no-doc`` to only print).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _benchdoc import append_row, machine  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "scenarios" / "demo.yaml"

_KERNELS = r"""
import json, sys, threading, time
from numba.core import event
import marinenet
from marinenet import warmup

own = {}
stack = threading.local()

class Timer(event.Listener):
    def on_start(self, ev):
        if not hasattr(stack, "s"):
            stack.s = []
        stack.s.append([time.thread_time(), 0.0])

    def on_end(self, ev):
        t0, inner = stack.s.pop()
        dt = time.thread_time() - t0
        if stack.s:
            stack.s[-1][1] += dt
        f = ev.data["dispatcher"].py_func
        name = f"{f.__module__}.{f.__qualname__}"
        if name.startswith("marinenet_generated_track"):
            name = "generated stepper." + f.__qualname__
        own[name] = own.get(name, 0.0) + dt - inner

event.register("numba:compile", Timer())
sc = marinenet.load_scenario(sys.argv[1])
warmup._import_first(coherence=True)
c0 = time.process_time()
for name, job in warmup._jobs(sc, None):
    t = time.process_time()
    job()
    own["job: " + name] = time.process_time() - t
own["total CPU"] = time.process_time() - c0
print(json.dumps(own))
"""

_OVERLAP = r"""
import json, os, subprocess, sys, threading, time, resource, pickle
import marinenet
from marinenet import warmup
from marinenet.prepare import prepare

mode, path = sys.argv[1], sys.argv[2]
sc = marinenet.load_scenario(path)
warmup._import_first(coherence=False)
t0 = time.perf_counter()
compile_ = lambda: warmup._stepper(sc, None)
if mode == "thread":
    th = threading.Thread(target=compile_)
    th.start()
elif mode == "child":
    child = subprocess.Popen([sys.executable, "-m", "marinenet.warmup"], stdin=subprocess.PIPE)
    child.stdin.write(pickle.dumps(sc))
    child.stdin.close()
prepare(sc)
loaded = time.perf_counter() - t0
if mode == "none":
    compile_()
elif mode == "thread":
    th.join()
else:
    child.wait()
    compile_()  # the run then loads the stepper from the disk cache
wall = time.perf_counter() - t0
cpu = sum(getattr(resource.getrusage(w), k) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
          for k in ("ru_utime", "ru_stime"))
print(json.dumps({"loaded": loaded, "wall": wall, "cpu": cpu}))
"""


def _fresh(code: str, *args: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        env["NUMBA_CACHE_DIR"], env["MARINENET_KERNEL_DIR"] = f"{tmp}/numba", f"{tmp}/kernels"
        proc = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            raise SystemExit(proc.stderr)
        return json.loads(proc.stdout.strip().splitlines()[-1])


_K_HEADER = (
    "## First run: what compiles (`python scripts/bench_first_run.py kernels`)\n\n"
    "CPU seconds of numba compiles with empty caches, for what a run of the scenario uses "
    "(`marinenet.warmup.compile_all`), one fresh process; each function's own time (not the functions "
    "it compiles in turn; inlined ones count in their caller). Kernels under 0.3 s are summed in `rest`.\n\n"
    "| date | machine | code | scenario | total CPU s | stepper job s | zone lookup s | analytics s | "
    "coherence s | largest compiles (s) |\n|---|---|---|---|---|---|---|---|---|---|\n"
)
_O_HEADER = (
    "## First run: does compiling overlap the loading? (`python scripts/bench_first_run.py overlap`)\n\n"
    "Fresh process, empty numba and kernel caches: the scenario's inputs load (`prepare`, demo "
    "seascape from its disk cache) while the fast engine's stepper compiles after it (none), in a "
    "thread or in a child process. wall: until both are done; loading: the inputs' own wall time.\n\n"
    "| date | machine | code | mode | loading wall s | wall s | CPU s |\n|---|---|---|---|---|---|---|\n"
)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("what", choices=["kernels", "overlap"])
    ap.add_argument("scenario", nargs="?", type=Path, default=DEMO)
    ap.add_argument("--code", default="this checkout", help="what to call this code in the table")
    ap.add_argument("--no-doc", action="store_true")
    args = ap.parse_args()
    day = time.strftime("%Y-%m-%d")
    if args.what == "kernels":
        r = _fresh(_KERNELS, str(args.scenario))
        jobs = {k[5:]: v for k, v in r.items() if k.startswith("job: ")}
        funcs = {k: v for k, v in r.items() if not k.startswith("job: ") and k != "total CPU"}
        big = sorted(((v, k) for k, v in funcs.items() if v >= 0.3), reverse=True)
        rest = sum(v for v in funcs.values() if v < 0.3)
        names = "; ".join(
            f"{k.split('.', 1)[-1] if k.startswith('marinenet.') else k} {v:.1f}" for v, k in big
        )
        rows = [
            f"| {day} | {machine()}, load {os.getloadavg()[0]:.1f} | {args.code} | {args.scenario.name} | "
            f"{r['total CPU']:.1f} | {jobs.get('fast engine', 0):.1f} | {jobs.get('zone lookup', 0):.1f} | "
            f"{jobs.get('analytics', 0):.1f} | {jobs.get('coherence', 0):.1f} | {names}; rest {rest:.1f} |"
        ]
        header = _K_HEADER
    else:
        rows, header = [], _O_HEADER
        for mode in ("none", "thread", "child"):
            r = _fresh(_OVERLAP, mode, str(args.scenario))
            rows.append(
                f"| {day} | {machine()}, load {os.getloadavg()[0]:.1f} | {args.code} | {mode} | "
                f"{r['loaded']:.1f} | {r['wall']:.1f} | {r['cpu']:.1f} |"
            )
    for row in rows:
        print(row)
        if not args.no_doc:
            append_row(header, row)


if __name__ == "__main__":
    main()
