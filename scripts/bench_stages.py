"""Benchmark: wall and CPU seconds of every stage of `marinenet run scenarios/demo.yaml` (warm).

Usage: python scripts/bench_stages.py [--code DIR ...] [--repeat N] [--no-doc] [--out-json FILE]

Each run is the command line in a fresh interpreter (``marinenet.cli run``), with the stage functions
wrapped as their modules are imported (nothing is imported ahead of the run, so each stage pays the
imports it triggers). A stage's CPU is the process's own (all threads) plus that of the child
processes it waited for (the forked figure workers). ``start + imports`` runs from the launch of the
interpreter to the first stage (loading the scenario). With several ``--code`` checkouts the runs
alternate and go side by side (at the same time): compare their ratios on a busy machine, not the
seconds. The numba caches must be warm (run the demo once first).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _benchdoc import DOC, machine

REPO = Path(__file__).resolve().parents[1]

#: (label, "module:qualname", depth in the table); the order of the table
STAGES = [
    ("load scenario", "marinenet.scenario:load_scenario", 0),
    ("run()", "marinenet.pipeline:run", 0),
    ("prepare", "marinenet.prepare:prepare", 1),
    ("tracking", "marinenet.pipeline:_track", 1),
    ("write outputs", "marinenet.pipeline:_write_outputs", 1),
    ("trajectories.nc", "marinenet.outputs:write_trajectories", 2),
    ("fates (matrices)", "marinenet.pipeline:fates", 2),
    ("analyses", "marinenet.analyses:analyse", 2),
    ("coherence", "marinenet.coherence_stage:write_coherence", 2),
    ("connectivity.nc", "marinenet.outputs:write_connectivity", 2),
    ("zones/*.geojson", "marinenet.outputs:write_zone_layers", 2),
    ("summary", "marinenet.summary:run_summary", 2),
    ("ocean_snapshot.nc", "marinenet.outputs:write_ocean_snapshot", 2),
    ("report", "marinenet.pipeline:_report", 1),
    ("dossier", "marinenet.report.dossier:write_dossier", 2),
    ("build_report", "marinenet.report.build:build_report", 2),
    ("read run files", "marinenet.report.build:RunFiles.read", 3),
    ("figures", "marinenet.report.build:_figures", 3),
    ("findings", "marinenet.report.findings:make_findings", 3),
    ("brief.pdf", "marinenet.report.pdf:render_pdf", 3),
    ("report.html", "marinenet.report.html:render_html", 3),
]

_CHILD = r"""
import builtins, json, os, resource, sys, time
T0 = float(os.environ["BENCH_T0"])
SPEC = json.loads(os.environ["BENCH_STAGES"])
marks = {}
def cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + r.ru_utime + r.ru_stime
def wrap(label, f):
    def timed(*a, **k):
        w0, c0 = time.time(), cpu()
        try:
            return f(*a, **k)
        finally:
            m = marks.setdefault(label, [0.0, 0.0, w0 - T0])
            m[0] += time.time() - w0
            m[1] += cpu() - c0
    timed.__wrapped__ = f
    return timed
pending = {}
for label, where, _ in SPEC:
    mod, name = where.split(":")
    pending.setdefault(mod, []).append((label, name))
def patch(mod):
    for label, name in pending.pop(mod.__name__, []):
        owner, attr = mod, name
        if "." in name:
            cls, attr = name.split(".")
            owner = getattr(mod, cls)
            raw = owner.__dict__[attr]
            if isinstance(raw, classmethod):
                setattr(owner, attr, classmethod(wrap(label, raw.__func__)))
                continue
        if hasattr(owner, attr):
            setattr(owner, attr, wrap(label, getattr(owner, attr)))
def _ready(mod):
    return not getattr(getattr(mod, "__spec__", None), "_initializing", False)
real_import = builtins.__import__
def watching(*a, **k):
    m = real_import(*a, **k)
    if pending:
        for mod in [n for n in pending if n in sys.modules and _ready(sys.modules[n])]:
            patch(sys.modules[mod])
    return m
builtins.__import__ = watching
from marinenet.cli import app
try:
    app(sys.argv[1:], standalone_mode=False)
finally:
    marks["whole process"] = [time.time() - T0, cpu(), 0.0]
    with open(os.environ["BENCH_MARKS"], "w") as fh:
        json.dump(marks, fh)
"""


def _start(code: Path, tmp: Path) -> subprocess.Popen:
    out = tmp / "out"
    env = {
        **os.environ,
        "PYTHONPATH": str(code),
        "BENCH_STAGES": json.dumps(STAGES),
        "BENCH_MARKS": str(tmp / "marks.json"),
        "BENCH_T0": repr(time.time()),
    }
    cmd = [sys.executable, "-c", _CHILD, "run", str(code / "scenarios" / "demo.yaml"), "--out", str(out)]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=open(tmp / "err", "w"))


def _derived(m: dict) -> dict:
    """The gaps between the wrapped stages: start-up + imports, and what run() does beyond them."""
    d = dict(m)
    first = m["load scenario"][2]
    d["start + imports"] = [first, float("nan"), 0.0]
    if "run()" in m:
        inner = [m[k] for k in ("prepare", "tracking", "write outputs", "report") if k in m]
        d["run() other"] = [m["run()"][i] - sum(x[i] for x in inner) for i in (0, 1)] + [0.0]
    return d


def one_round(codes: list[Path]) -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        procs = []
        for i, code in enumerate(codes):
            (Path(tmp) / str(i)).mkdir()
            procs.append(_start(code, Path(tmp) / str(i)))
        for i, p in enumerate(procs):
            if p.wait() != 0:
                err = (Path(tmp) / str(i) / "err").read_text()[-3000:]
                raise SystemExit(f"the run of {codes[i]} failed (exit code {p.returncode}):\n{err}")
        return [
            _derived(json.loads((Path(tmp) / str(i) / "marks.json").read_text())) for i in range(len(codes))
        ]


_ORDER = ["whole process", "start + imports"] + [s[0] for s in STAGES[:2]] + ["run() other"]
_ORDER += [s[0] for s in STAGES[2:]]
_DEPTH = {s[0]: s[2] for s in STAGES} | {"run() other": 1}


def table(codes: list[Path], rounds: list[list[dict]]) -> str:
    head = "| stage | " + " | ".join(f"{c.name} wall / CPU s" for c in codes) + " |"
    lines = [head, "|---|" + "---|" * len(codes)]
    for label in _ORDER:
        cells = []
        for i in range(len(codes)):
            vals = [r[i][label] for r in rounds if label in r[i]]
            if not vals:
                cells.append("–")
                continue
            w = statistics.median(v[0] for v in vals)
            c = statistics.median(v[1] for v in vals)
            cells.append(f"{w:.2f} / {c:.2f}" if c == c else f"{w:.2f} / –")
        lines.append(f"| {'&nbsp;' * 2 * _DEPTH.get(label, 0)}{label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


_HEADER = (
    "## Demo run stage by stage (`python scripts/bench_stages.py --code BEFORE AFTER`)\n\n"
    "Warm `marinenet run scenarios/demo.yaml` from the command line; medians of alternating rounds, the "
    "versions side by side (same load). CPU includes the forked figure workers. Targets (issue 16): "
    "everything after tracking < 3 s wall on 2 cores; start + scenario + prepare < 2 s.\n\n"
)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--code", type=Path, nargs="*", default=[REPO], help="source checkouts to compare")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-doc", action="store_true", help="print, do not add to docs/benchmarks.md")
    ap.add_argument("--out-json", type=Path, help="also save every round's raw marks here")
    args = ap.parse_args()
    codes = [c.resolve() for c in args.code]
    rounds = []
    for k in range(args.repeat):
        order = codes if k % 2 == 0 else codes[::-1]
        got = one_round(order)
        rounds.append(got if k % 2 == 0 else got[::-1])
    text = table(codes, rounds)
    load = os.getloadavg()[0]
    note = f"{time.strftime('%Y-%m-%d')}, {machine()}, load {load:.1f}, {args.repeat} rounds"
    print(note)
    print(text)
    if args.out_json:
        args.out_json.write_text(json.dumps({"codes": [str(c) for c in codes], "rounds": rounds}))
    if not args.no_doc:  # each measurement: its own table, under the section's heading
        doc = DOC.read_text()
        head = "" if _HEADER in doc else "\n" + _HEADER
        DOC.write_text(doc.rstrip("\n") + "\n" + head + f"\n{note}:\n\n{text}\n")


if __name__ == "__main__":
    main()
