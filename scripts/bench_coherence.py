"""Benchmark of the coherence analysis: 1,000 sites and 10^6 particles (target: under a minute on 2 cores).

Sites lie on a 40 × 25 lattice (one every 0.5°); each site releases 1,000 particles (10^6 in all)
that end at a site displaced by a random number of lattice steps (mostly eastward drift, some
spread; a third end at no site). This is the part of a run the coherence analysis adds: particles
→ p_ij → PC / ECA / ProtConn with bootstrap intervals (200 resamples), dPC of every site with its
connector part, and the ECA gain of 100 candidate sites (the 10 largest with their intervals), as
``marinenet.coherence_stage`` does. Wall and CPU seconds (CPU of all threads: on a shared machine
the wall time grows with the load, the CPU time much less).

    python scripts/bench_coherence.py [--sites 1000] [--particles 1000000] [--bootstrap 200]
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np

from marinenet.coherence_stage import CANDIDATE_INTERVALS
from marinenet.connectivity.coherence import coherence, eca_gain, importance, resampled_values
from marinenet.connectivity.coherence_flows import bootstrap, flows_from_rows


def synthetic_rows(n_sites: int, n_particles: int, rng: np.random.Generator):
    nx = int(np.ceil(np.sqrt(n_sites * 1.6)))
    ny = int(np.ceil(n_sites / nx))
    site = np.repeat(np.arange(n_sites), n_particles // n_sites)
    n = site.size
    x, y = site % nx, site // nx
    dx = np.rint(rng.normal(2.0, 1.5, n)).astype(int)  # eastward drift of about 2 sites
    dy = np.rint(rng.normal(0.0, 1.0, n)).astype(int)
    x2, y2 = x + dx, y + dy
    dest = np.where((x2 >= 0) & (x2 < nx) & (y2 >= 0) & (y2 < ny), y2 * nx + x2, -1)
    dest[(dest >= n_sites) | (rng.random(n) < 0.3)] = -1  # lost, dead, or between sites
    particle = np.arange(n)
    return (particle, site, np.ones(n)), (particle, dest, np.ones(n)), n


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sites", type=int, default=1000)
    ap.add_argument("--particles", type=int, default=1_000_000)
    ap.add_argument("--bootstrap", type=int, default=200)
    ap.add_argument("--candidates", type=int, default=100)
    args = ap.parse_args()
    rng = np.random.default_rng(1)
    src, dst, n = synthetic_rows(args.sites, args.particles, rng)
    area = rng.uniform(50.0, 500.0, args.sites)
    region = 50.0 * area.sum()
    cand = np.arange(args.sites - args.candidates, args.sites)
    net = np.setdiff1d(np.arange(args.sites), cand)
    times: dict[str, tuple[float, float]] = {}
    clock = [time.perf_counter(), time.process_time()]

    def lap(name: str) -> None:
        now = [time.perf_counter(), time.process_time()]
        times[name] = (now[0] - clock[0], now[1] - clock[1])
        clock[:] = now

    start = list(clock)
    flows = flows_from_rows(args.sites, src, dst, n)
    p = flows.probabilities()
    lap("p_ij")
    c = coherence(area[net], p[np.ix_(net, net)], region)
    lap("PC/ECA/ProtConn")
    imp = importance(area[net], p[np.ix_(net, net)])
    lap("dPC")
    gain = eca_gain(area, p, net, cand)
    lap("candidates")
    top = cand[np.argsort(-gain, kind="stable")[:CANDIDATE_INTERVALS]]
    draws = bootstrap(flows, lambda pb: resampled_values(area, pb, net, top, region), args.bootstrap, rng)
    lap(f"bootstrap x{args.bootstrap}")
    total = (time.perf_counter() - start[0], time.process_time() - start[1])
    lo, hi = np.percentile(draws[:, 2], [2.5, 97.5])
    links = int((p > 0).sum() - np.count_nonzero(np.diag(p)))
    print(
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, load {os.getloadavg()}"
    )
    print(
        f"sites {args.sites}, particles {n:,}, links {links:,}, intermediates with connector > 0: "
        f"{int((imp.connector > 0).sum())}"
    )
    print(f"ProtConn {c.ProtConn_percent:.6f} % (95 % interval {lo:.6f} to {hi:.6f})")
    print(f"{'':>20}  wall s   CPU s")
    for k, (w, cpu) in times.items():
        print(f"  {k:>18}: {w:7.2f} {cpu:7.2f}")
    print(f"  {'total':>18}: {total[0]:7.2f} {total[1]:7.2f}")


if __name__ == "__main__":
    main()
