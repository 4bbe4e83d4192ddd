"""Benchmark: ZoneIndex vs the exact shapely test on 10^7 random ocean points.

Layer: Natural Earth 1:50m land from ../shared (1,420 polygons, ~60,000 vertices) as a
stand-in for a global EEZ layer. Points: uniform on the sphere, keeping those the exact
test puts in the ocean, until 10^7. Results are appended to docs/benchmarks.md.

Usage: python scripts/bench_zones.py [--points N] [--resolution DEG]
Target (issue 4): >= 5 million points/s on one core, zero disagreements.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import geopandas as gpd  # noqa: E402
import numpy as np  # noqa: E402
from _benchdoc import append_row, machine  # noqa: E402

from marinenet.zones import layer_from_frame  # noqa: E402
from marinenet.zones.index import exact_query  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
LAND = REPO.parent / "shared" / "data" / "geography" / "ne_50m_land.json"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--points", type=int, default=10_000_000)
    ap.add_argument("--resolution", type=float, default=None)
    args = ap.parse_args()
    frame = gpd.read_file(LAND)
    frame["id"] = np.arange(len(frame)).astype(str)
    layer = layer_from_frame("land", frame, "id", resolution=args.resolution)
    geoms = list(layer.frame.geometry.values)
    n_vertices = int(sum(len(np.asarray(g.exterior.coords)) for p in geoms for g in getattr(p, "geoms", [p])))

    rng = np.random.default_rng(42)
    lon = rng.uniform(-180, 180, int(args.points * 1.45))
    lat = np.rad2deg(np.arcsin(rng.uniform(-1, 1, lon.size)))
    t0 = time.perf_counter()
    p, z = exact_query(geoms, lon, lat)
    t_exact = time.perf_counter() - t0
    exact_first = np.full(lon.size, -1)
    exact_first[p[::-1]] = z[::-1]
    ocean = np.flatnonzero(exact_first < 0)[: args.points]
    lon_o, lat_o, ref = lon[ocean], lat[ocean], exact_first[ocean]

    t0 = time.perf_counter()
    index = layer.index
    t_build = time.perf_counter() - t0
    t0 = time.perf_counter()
    got = index.first(lon_o, lat_o)
    t_index = time.perf_counter() - t0
    disagree = int(np.sum(got != ref))
    exact_rate = lon.size / t_exact
    index_rate = lon_o.size / t_index
    row = (
        f"| {time.strftime('%Y-%m-%d')} | {machine(' (1 used)')} | {len(geoms)} polygons, {n_vertices:,} vertices | "
        f"{lon_o.size:,} | {index.res:.3f}° | {index.band_fraction:.3%} | {t_build:.1f} | "
        f"{index_rate / 1e6:.1f} M/s | {exact_rate / 1e6:.2f} M/s | {disagree} |"
    )
    print(row)
    header = (
        "## Zone index (`python scripts/bench_zones.py`)\n\n"
        "Natural Earth 1:50m land as the layer; 10^7 random ocean points (uniform on the sphere). "
        "Index = raster of zone sets + exact test in the boundary band; exact = shapely `intersects` on "
        "prepared polygons for every point (STRtree candidates). Target: >= 5 M points/s on one core, "
        "0 disagreements.\n\n"
        "| date | machine | layer | points | cell | band cells | build s | index | exact | disagreements |\n"
        "|---|---|---|---|---|---|---|---|---|---|\n"
    )
    append_row(header, row)


if __name__ == "__main__":
    main()
