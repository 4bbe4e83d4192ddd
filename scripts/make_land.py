"""Make marinenet/report/data/ne_50m_land.wkb.gz from Natural Earth 1:50m land (public domain).

    python scripts/make_land.py ../shared/data/geography/ne_50m_land.json

Polygons are snapped to a 0.01° grid (about 1 km: finer than any current grid the report draws)
and written as one gzip-compressed WKB MultiPolygon. Run at development time only; the package
ships the result so that maps of real data have a coastline without any download.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import shapely
from shapely.geometry import shape

OUT = Path(__file__).resolve().parents[1] / "marinenet" / "report" / "data" / "ne_50m_land.wkb.gz"


def main(src: str) -> None:
    features = json.loads(Path(src).read_text())["features"]
    polys = []
    for f in features:
        g = shapely.make_valid(shapely.set_precision(shape(f["geometry"]), 0.01))
        polys += [p for p in shapely.get_parts(g) if p.geom_type == "Polygon" and not p.is_empty]
    OUT.write_bytes(gzip.compress(shapely.to_wkb(shapely.MultiPolygon(polys)), 9, mtime=0))
    print(f"{len(polys)} polygons, {OUT.stat().st_size / 1e3:.0f} kB -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
