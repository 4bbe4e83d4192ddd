"""Start-up time: ``import marinenet`` and ``marinenet --help``, this checkout against an older one.

Each measurement is a fresh interpreter; the two versions alternate so that both see the same
machine load. ``import`` is the cumulative time ``python -X importtime`` reports for the
``marinenet`` package (what issue 17 measured); the wall times include the interpreter's start.

    python scripts/bench_startup.py --before e815707 --repeat 7

Appends one row per version to docs/benchmarks.md (``--no-doc`` to only print).
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _benchdoc import append_row, machine  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
HEADER = (
    "## Start-up (`python scripts/bench_startup.py`)\n\n"
    "Median of fresh interpreters, the two versions alternating (same load). import = cumulative "
    "`python -X importtime -c 'import marinenet'` of the package; wall = the whole command; CPU = its "
    "user + system time (what a busy or cold-cache machine inflates least). "
    "Targets: import < 0.5 s, `marinenet --help` < 1 s.\n\n"
    "| date | machine | version | import marinenet s | python -c 'import marinenet' wall / CPU s | "
    "marinenet --help wall / CPU s | runs |\n|---|---|---|---|---|---|---|\n"
)


def _source_of(rev: str, into: Path) -> Path:
    """The package tree of git revision ``rev`` of this checkout, extracted under ``into``."""
    blob = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev, "marinenet"], capture_output=True, check=True
    )
    tarfile.open(fileobj=BytesIO(blob.stdout)).extractall(into, filter="data")
    return into


def _env(src: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(src), "PYTHONSAFEPATH": "1"}


def _import_seconds(python: str, src: Path) -> float:
    proc = subprocess.run(
        [python, "-X", "importtime", "-c", "import marinenet"], capture_output=True, text=True, env=_env(src)
    )
    (line,) = [x for x in proc.stderr.splitlines() if re.search(r"\|\s*marinenet$", x)]
    return int(line.split("|")[1]) / 1e6


def _wall(python: str, src: Path, *args: str) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one command; CPU is what a busy machine does not inflate."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([python, *args], capture_output=True, env=_env(src), check=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(python: str, src: Path) -> tuple[float, ...]:
    marker = _import_seconds(python, src)
    wall_import, cpu_import = _wall(python, src, "-c", "import marinenet")
    wall_help, cpu_help = _wall(python, src, "-m", "marinenet.cli", "--help")
    return marker, wall_import, cpu_import, wall_help, cpu_help


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", help="git revision to compare with (e.g. the commit before a change)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--python", default=sys.executable, help="interpreter with the dependencies installed")
    ap.add_argument("--no-doc", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        versions = {"this checkout": ROOT}
        if args.before:
            versions = {f"{args.before} (before)": _source_of(args.before, Path(tmp)), **versions}
        runs: dict[str, list[tuple[float, float, float]]] = {k: [] for k in versions}
        for _ in range(args.repeat):
            for name, src in versions.items():
                runs[name].append(measure(args.python, src))
    today = datetime.date.today().isoformat()
    for name, rows in runs.items():
        med = [statistics.median(col) for col in zip(*rows, strict=True)]
        label = name if name != "this checkout" else f"{_head()} (after)"
        row = (
            f"| {today} | {machine()} | {label} | {med[0]:.3f} | {med[1]:.2f} / {med[2]:.2f} | "
            f"{med[3]:.2f} / {med[4]:.2f} | {len(rows)} |"
        )
        print(row)
        if not args.no_doc:
            append_row(HEADER, row)


def _head() -> str:
    proc = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    dirty = subprocess.run(["git", "-C", str(ROOT), "diff", "--quiet", "--", "marinenet"]).returncode != 0
    return proc.stdout.strip() + ("+changes" if dirty else "")


if __name__ == "__main__":
    main()
