"""Benchmark: `marinenet run scenarios/demo.yaml` from the command line, warm and first-after-install.

Usage: python scripts/bench_whole_run.py [--code DIR ...] [--fresh] [--no-doc]

Runs the command line as a user would (imports, compile or cache load, tracking, outputs, maps,
report) and measures the wall time and the CPU time of the run and every process it starts.
``--fresh`` gives each run empty numba and demo caches (the first run after an install).
``--code`` names source checkouts to compare (default: this one); with several, the runs go side
by side (at the same time), so a busy machine slows each alike: compare their ratio, not the
seconds. Targets (issue 16): warm under 10 s, first run after install under 20 s.
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

from _benchdoc import append_row, machine

REPO = Path(__file__).resolve().parents[1]


def _start(code: Path, tmp: Path, fresh: bool) -> tuple[subprocess.Popen, float]:
    env = {**os.environ, "PYTHONPATH": str(code)}
    if fresh:
        for var in ("NUMBA_CACHE_DIR", "MARINENET_KERNEL_DIR", "MARINENET_DEMO_CACHE"):
            env[var] = str(tmp / var.lower())
    cmd = [sys.executable, "-m", "marinenet.cli", "run", str(code / "scenarios" / "demo.yaml")]
    cmd += ["--out", str(tmp / "out")]
    # /usr/bin/time-like: the child's own CPU, and its children's (the figure workers)
    wrapped = [sys.executable, "-c", _TIMER, *cmd]
    return subprocess.Popen(wrapped, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL), time.time()


_TIMER = """
import json, resource, subprocess, sys, time
t0 = time.perf_counter()
rc = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": rc, "wall": time.perf_counter() - t0, "cpu": r.ru_utime + r.ru_stime}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--code", type=Path, nargs="*", default=[REPO], help="source checkouts to compare")
    ap.add_argument("--fresh", action="store_true", help="empty caches: the first run after an install")
    ap.add_argument("--no-doc", action="store_true", help="print, do not add to docs/benchmarks.md")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        runs = []
        for i, code in enumerate(args.code):
            (Path(tmp) / str(i)).mkdir()
            runs.append((code, *_start(code.resolve(), Path(tmp) / str(i), args.fresh)))
        results = []
        for i, (code, proc, _) in enumerate(runs):
            out, _ = proc.communicate()
            r = json.loads(out.decode().strip().splitlines()[-1])
            if r["rc"] != 0:
                raise SystemExit(f"run of {code} failed (exit code {r['rc']})")
            summary = json.loads((Path(tmp) / str(i) / "out" / "summary.json").read_text())
            results.append((code, r, summary))
    load = os.getloadavg()[0]
    for code, r, s in results:
        kind = "first run after install" if args.fresh else "warm"
        row = (
            f"| {time.strftime('%Y-%m-%d')} | {machine()}, load {load:.1f} | {code.name} | {kind} | "
            f"{len(results)} | {r['wall']:.1f} | {r['cpu']:.1f} | {s['engine_seconds']:.1f} | "
            f"{s['compile_seconds']:.1f} |"
        )
        print(row)
        if not args.no_doc:
            append_row(_HEADER, row)


_HEADER = (
    "## Whole demo run from the command line (`python scripts/bench_whole_run.py [--fresh]`)\n\n"
    "`marinenet run scenarios/demo.yaml` (5,000 particles, 30 days, fast engine, maps and report) as a "
    "user runs it: imports, compile or cache load, tracking, outputs, figures (drawn in parallel "
    "processes), report.html and brief.pdf. CPU s counts every process of the run. `side by side`: "
    "how many runs went at the same time (compare their ratio on a busy machine, not the seconds). "
    "Targets (issue 16): warm under 10 s, first run after install under 20 s.\n\n"
    "| date | machine | code | caches | side by side | wall s | CPU s | engine s | compile s |\n"
    "|---|---|---|---|---|---|---|---|---|\n"
)


if __name__ == "__main__":
    main()
