"""Benchmark: the fast engine with and without streamed analytics (handed back every step).

Problem: the forcing of bench_engine.py (200×200, 0.1°), 48 hourly steps, one thread; two zone
layers (25 boxes of 4°, 10 circular MPAs). Times are CPU seconds (``time.process_time``), best of
three, so a busy machine distorts them less than wall time.

Usage: python scripts/bench_steps.py [N]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

sys.path.insert(0, str(Path(__file__).parent))
from bench_engine import DT, START, ocean  # noqa: E402

from marinenet.engine import EngineRequest, run_engine  # noqa: E402
from marinenet.streaming import Streams  # noqa: E402
from marinenet.zones import layer_from_frame  # noqa: E402


def layers(rng: np.random.Generator) -> dict:
    cells = [
        shapely.box(-20 + 4 * i, 30 + 4 * j, -16 + 4 * i, 34 + 4 * j) for i in range(5) for j in range(5)
    ]
    circles = [
        shapely.Point(rng.uniform(-18, -2), rng.uniform(32, 48)).buffer(0.7, quad_segs=32) for _ in range(10)
    ]

    def layer(name, geoms, outside):
        frame = gpd.GeoDataFrame({"id": [f"{name}{k}" for k in range(len(geoms))]}, geometry=geoms, crs=4326)
        return layer_from_frame(name, frame, "id", outside=outside)

    return {"eez": layer("eez", cells, "ABNJ"), "mpa": layer("mpa", circles, "unprotected")}


def main() -> None:
    n = int(float(sys.argv[1])) if len(sys.argv) > 1 else 50_000
    steps = 48
    oc = ocean()
    rng = np.random.default_rng(1)
    x, y = rng.uniform(-18, -2, n), rng.uniform(32, 48, n)
    zones = layers(rng)
    run_engine("fast", EngineRequest(oc, x[:10], y[:10], START, 2 * DT, DT, 2 * DT, threads=1))  # compile
    for label in ("no analytics", "streamed analytics"):
        best = np.inf
        for _ in range(3):
            req = EngineRequest(oc, x, y, START, steps * DT, DT, 24 * DT, threads=1)
            observer = Streams(zones, x, y) if label != "no analytics" else None
            t0 = time.process_time()
            run_engine("fast", req, observer=observer)
            best = min(best, time.process_time() - t0)
        print(f"n={n:,} {label}: {best:.3f} s CPU ({n * steps / best / 1e6:.2f} M particle-steps/s)")


if __name__ == "__main__":
    main()
