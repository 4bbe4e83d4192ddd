"""Make marinenet/demo/data/eez_claims.wkb.gz: the demo states' EEZ claims (``derive_eez``).

    python scripts/make_demo_eez.py

Deriving the claims (geodesic coast distances on a 0.05° grid, median lines) takes seconds, so the
package ships them and the demo reads them (:func:`marinenet.demo.zones.eez_claims`). Run this after
changing the demo's geography or :func:`~marinenet.demo.zones.derive_eez`;
tests/test_demo_seascape.py checks that the shipped claims equal a fresh derivation exactly.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import shapely

from marinenet.demo.geography import DOMAIN, demo_states
from marinenet.demo.zones import derive_eez

OUT = Path(__file__).resolve().parents[1] / "marinenet" / "demo" / "data" / "eez_claims.wkb.gz"


def main() -> None:
    states = demo_states()
    claims = derive_eez(states, DOMAIN)
    collection = shapely.GeometryCollection([claims[s.name] for s in states])
    OUT.write_bytes(gzip.compress(shapely.to_wkb(collection), 9, mtime=0))
    print(f"{len(states)} claims, {OUT.stat().st_size / 1e3:.0f} kB -> {OUT}")


if __name__ == "__main__":
    main()
