"""The hand-written reference kernel of the engine benchmark (scripts/bench_reference.py) solves the fast
engine's problem: same positions, bit for bit, and the same stops at land and at the grid's edge. Without
this, "fast / reference" in docs/benchmarks.md would compare two different computations."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

import bench_engine as be  # noqa: E402
import bench_reference as ref  # noqa: E402

from marinenet.engine import EngineRequest, Status  # noqa: E402
from marinenet.engine import fast_engine as fe  # noqa: E402


def test_reference_kernel_gives_the_fast_engines_positions_and_stops():
    oc = be.ocean(days=4)
    land = np.zeros(oc["land"].shape)
    land[80:100, 90:110] = 1.0  # a block of land at 38-40°N, 11-9°W
    oc["land"] = (("lat", "lon"), land.astype(bool))
    for name in ("u", "v"):
        oc[name] = oc[name].where(~oc["land"], 0.0) * 40.0  # fast enough to cross land and edges
    rng = np.random.default_rng(3)
    x, y = rng.uniform(-20, -0.1, 3000), rng.uniform(30, 49.9, 3000)
    wet = land[((y - 30) * 10).astype(int), ((x + 20) * 10).astype(int)] == 0
    x, y = x[wet], y[wet]
    steps, dt = 30, 3600.0
    req = EngineRequest(oc, x, y, be.START, steps * dt, dt, steps * dt, threads=1)
    ff = fe.fast_fields(req)
    state = fe.new_state(req, ff)
    fe.advance(state, ff, fe.parameters(req, ff), steps * dt)
    ff.close()
    u, v, mask, tg = ref.fields(oc)
    px, py, pt, st = x.copy(), y.copy(), np.zeros(x.size), np.zeros(x.size, np.int8)
    ref.advance(px, py, pt, st, u, v, mask, ref.grid(oc), tg, dt, steps)
    codes = {0: 0, 1: int(Status.OUT_OF_DOMAIN), 2: int(Status.STRANDED)}
    assert np.count_nonzero(st == 1) > 50 and np.count_nonzero(st == 2) > 50  # both stops are tested
    np.testing.assert_array_equal(np.vectorize(codes.get)(st), state.status)
    np.testing.assert_array_equal(px, state.x)
    np.testing.assert_array_equal(py, state.y)
