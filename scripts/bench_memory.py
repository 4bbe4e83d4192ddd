"""Benchmark: the memory estimate said before tracking against the measured peak RSS of the whole run.

Usage: python scripts/bench_memory.py [--particles 1e5,1e6] [--trajectories all|none|N] [--no-maps]
       python scripts/bench_memory.py --demo --particles 1e7 [--duration "6 hours" --output-every "6 hours"]

``--demo``: ``scenarios/demo.yaml`` as shipped (30 days, every track stored, maps, coherence, dossier)
with only the particles (and ``--duration``, ``--output-every``) changed, output under /tmp; the row also gives the
measured peak of each stage (run.log's "memory in use" lines: peak so far when tracking, the analyses
and the report begin) and the CPU seconds. The 10^7 demo of issue 16 ("every output inside 24 GiB"):
``python scripts/bench_memory.py --demo --particles 1e7`` (estimated 8.7 GB; over an hour of
tracking on 2 shared cores).

Runs ``marinenet run scenarios/templates/demo_10_million.yaml`` (demo seascape, 3 zone layers,
5 days, dt 1 h, daily output) with the particle counts given, each in a fresh process under
``/usr/bin/time -v``, reads the estimate from the run's ``run.log`` ("memory needed: about X at
the peak") and the peak from "Maximum resident set size", and appends a row per run to
docs/benchmarks.md. Target (issue 19): the estimate within 30 % of the measured peak.
10^7 particles take about 8 GB and minutes: run that size alone.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from _benchdoc import append_row, machine

REPO = Path(__file__).resolve().parents[1]
TEMPLATE = REPO / "scenarios" / "templates" / "demo_10_million.yaml"
DEMO = REPO / "scenarios" / "demo.yaml"
UNITS = {"B": 1, "kB": 1e3, "MB": 1e6, "GB": 1e9}
HEADER = (
    "## Memory: estimate before tracking vs measured peak (`python scripts/bench_memory.py`)\n\n"
    "`marinenet run` of `scenarios/templates/demo_10_million.yaml` with the particles changed (demo "
    "seascape, eez/ebsa/mpa layers, 5 days, dt 1 h, daily output, fast engine), one fresh process per "
    "row under `/usr/bin/time -v`. Estimate: the peak that `marinenet/memory.py` logs before tracking "
    '(the memory in use then, measured, plus tracking, analyses, report). Peak: "Maximum resident '
    'set size". Target: within 30 %.\n\n'
    "| date | machine | particles | tracks stored | maps | estimate | peak RSS | estimate / peak | wall s |\n"
    "|---|---|---|---|---|---|---|---|---|\n"
)


DEMO_HEADER = (
    "## Memory of the whole demo (`python scripts/bench_memory.py --demo`)\n\n"
    "`marinenet run` of `scenarios/demo.yaml` as shipped (30 days, dt 1 h, daily output, every track stored, "
    "maps, coherence, dossier) with the particles (and where said the duration) changed, one fresh process per "
    'row under `/usr/bin/time -v`. Estimate: what `marinenet/memory.py` logs before tracking. Peak: "Maximum '
    'resident set size"; the stage peaks are run.log\'s "peak so far" as the analyses and the report begin '
    "(tracking: the peak before the analyses). CPU: user + sys seconds.\n\n"
    "| date | machine | code | particles | duration | estimate | peak RSS | estimate / peak "
    "| peak to end of tracking | to end of analyses | CPU s |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|\n"
)


def stage_peaks(log: str) -> tuple[float, float]:
    """Peak RSS so far when the analyses begin and when the report (or dossier) begins, from run.log."""
    found = {}
    for value, unit, stage in re.findall(r"peak so far ([\d.]+) (\w+); next: (.*)", log):
        key = (
            "analyses"
            if stage.startswith("analyses")
            else "report"
            if stage.startswith(("drawing", "writing"))
            else ""
        )
        if key and key not in found:
            found[key] = float(value) * UNITS[unit]
    return found.get("analyses", float("nan")), found.get("report", float("nan"))


def one(
    n: int, trajectories: str, maps: bool, tmp: Path, demo: bool = False, duration: str | None = None,
    output_every: str | None = None,
) -> dict:  # fmt: skip
    sc = yaml.safe_load((DEMO if demo else TEMPLATE).read_text())
    sc["release"]["particles"] = n
    if duration:
        sc["simulation"]["duration"] = duration
    if output_every:
        sc["simulation"]["output_every"] = output_every
    if not demo:
        sc["simulation"]["trajectories"] = (
            trajectories if trajectories in ("all", "none") else int(trajectories)
        )
    sc["simulation"].pop("checkpoint_every", None)
    out = tmp / f"run_{n}"
    sc["output"] = str(out)
    path = tmp / f"s_{n}.yaml"
    path.write_text(yaml.safe_dump(sc))
    cmd = ["/usr/bin/time", "-v", sys.executable, "-m", "marinenet.cli", "run", str(path), "--quiet"]
    cmd += [] if maps else ["--no-maps"]
    env = os.environ | {"PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"run of {n} particles failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr).group(1)) * 1024
    log = (out / "run.log").read_text()
    value, unit = re.search(r"memory needed: about ([\d.]+) (\w+) at the peak", log).groups()
    cpu = sum(float(x) for x in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", proc.stderr))
    print(re.search(r"memory needed: .*", log).group(0), flush=True)
    tracked, analysed = stage_peaks(log)
    return {"estimate": float(value) * UNITS[unit], "peak": peak, "wall": wall, "cpu": cpu,
            "tracked": tracked, "analysed": analysed}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--particles", default="1e5,1e6", help="comma-separated particle counts")
    ap.add_argument("--trajectories", default="1000", help="simulation.trajectories: all | none | N")
    ap.add_argument("--no-maps", action="store_true", help="skip the maps and report")
    ap.add_argument("--no-doc", action="store_true", help="print the rows only")
    ap.add_argument("--demo", action="store_true", help="scenarios/demo.yaml as shipped, particles changed")
    ap.add_argument("--duration", help="simulation.duration instead of the scenario's (e.g. '2 days')")
    ap.add_argument("--output-every", help="simulation.output_every instead of the scenario's")
    ap.add_argument("--code", default="", help="a word for the code measured (e.g. a commit), in the row")
    args = ap.parse_args()
    for n in (int(float(x)) for x in args.particles.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            r = one(
                n, args.trajectories, not args.no_maps, Path(tmp), args.demo, args.duration, args.output_every
            )
        ratio = r["estimate"] / r["peak"]
        if args.demo:
            row = (
                f"| {time.strftime('%Y-%m-%d')} | {machine()} | {args.code} | {n:,} | {args.duration or '30 days'} "
                f"| {r['estimate'] / 1e9:.2f} GB | {r['peak'] / 1e9:.2f} GB | {ratio:.2f} | "
                f"{r['tracked'] / 1e9:.2f} GB | {r['analysed'] / 1e9:.2f} GB | {r['cpu']:.0f} |"
            )
            print(row, flush=True)
            if not args.no_doc:
                append_row(DEMO_HEADER, row)
            continue
        row = (
            f"| {time.strftime('%Y-%m-%d')} | {machine()} | {n:,} | {args.trajectories} | "
            f"{'no' if args.no_maps else 'yes'} | {r['estimate'] / 1e9:.2f} GB | {r['peak'] / 1e9:.2f} GB | "
            f"{ratio:.2f} | {r['wall']:.0f} |"
        )
        print(row, flush=True)
        if not args.no_doc:
            append_row(HEADER, row)


if __name__ == "__main__":
    main()
