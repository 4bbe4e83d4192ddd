"""Benchmark: wall time of the demo scenario end to end, written to docs/benchmarks.md.

Usage: python scripts/bench_demo.py [--particles N]

Target (issue 2): `marinenet run scenarios/demo.yaml` under 2 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from _benchdoc import append_row, machine

import marinenet

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--particles", type=int, default=None, help="override release.particles")
    args = ap.parse_args()
    sc = marinenet.load_scenario(REPO / "scenarios" / "demo.yaml")
    if args.particles:
        sc.release.particles = args.particles
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        result = marinenet.run(sc, out=Path(tmp) / "demo")
        wall = time.perf_counter() - t0
    s = result.summary
    row = (
        f"| {time.strftime('%Y-%m-%d')} | {machine()} | {s['particles_released']} | {s['particle_steps']:,} | "
        f"{s['engine_seconds']:.1f} | {s['particle_steps_per_second']:,} | {wall:.1f} |"
    )
    print(row)
    header = (
        "## Demo run end to end (`python scripts/bench_demo.py`)\n\n"
        "Target: under 120 s wall time on 2 cores. Wall time includes generating the synthetic seascape, "
        "tracking (Parcels 4.0.2, RK4, dt 1 h, 30 days), writing outputs and drawing the maps.\n\n"
        "| date | machine | particles | particle-steps | engine s | steps/s | wall s |\n"
        "|---|---|---|---|---|---|---|\n"
    )
    append_row(header, row)


if __name__ == "__main__":
    main()
