"""Download official zone layers (the only place, with ocean fetches, where marinenet uses the network).

``marinenet fetch eez`` asks the Marine Regions web feature service for the World EEZ v12
layer (``--high-seas`` adds the High Seas layer) and stores it as GeoJSON in a cache
folder. A download goes to a temporary file, is checked to be a readable polygon layer
with the expected fields, and only then takes its final name, so a broken download never
looks like a cached layer.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd

from ..errors import InputDataError
from .formats import HIGHSEAS_CITATION, MARINEREGIONS_CITATION

__all__ = ["PRODUCTS", "Product", "fetch_layer", "default_cache_dir", "WFS_ENV"]

#: environment variable overriding the WFS base address (mirrors, tests)
WFS_ENV = "MARINENET_MARINEREGIONS_WFS"
_WFS = "https://geo.vliz.be/geoserver/MarineRegions/wfs"
LICENCE = "Creative Commons Attribution 4.0 International (CC BY 4.0); cite the dataset as below."


@dataclass(frozen=True)
class Product:
    type_name: str
    filename: str
    citation: str
    required_fields: tuple[str, ...]


PRODUCTS = {
    "eez": Product(
        "MarineRegions:eez",
        "marineregions_eez_v12.geojson",
        MARINEREGIONS_CITATION,
        ("geoname", "pol_type", "territory1", "sovereign1"),
    ),
    "high_seas": Product("MarineRegions:high_seas", "marineregions_high_seas.geojson", HIGHSEAS_CITATION, ()),
}


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "marinenet" / "zones"


def _url(product: Product, base: str | None) -> str:
    query = urllib.parse.urlencode(
        {
            "service": "WFS",
            "version": "1.0.0",
            "request": "GetFeature",
            "typeName": product.type_name,
            "outputFormat": "application/json",
        }
    )
    return f"{base or os.environ.get(WFS_ENV) or _WFS}?{query}"


def fetch_layer(
    name: str,
    dest: Path | None = None,
    base_url: str | None = None,
    force: bool = False,
    progress: Callable[[int, int | None], None] | None = None,
    timeout: float = 120.0,
) -> Path:
    """Download layer ``name`` (``eez`` or ``high_seas``) into ``dest``; return its path.

    An existing file is kept unless ``force``.

    Raises
    ------
    InputDataError
        When the service cannot be reached, answers with an error, or sends something
        that is not the expected polygon layer.
    """
    if name not in PRODUCTS:
        raise InputDataError(f"unknown layer {name!r} to fetch; available: {', '.join(PRODUCTS)}")
    product = PRODUCTS[name]
    dest = Path(dest) if dest else default_cache_dir()
    target = dest / product.filename
    if target.exists() and not force:
        return target
    dest.mkdir(parents=True, exist_ok=True)
    url = _url(product, base_url)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{product.filename}.", suffix=".part", dir=dest)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=timeout) as resp:  # noqa: S310
            total = resp.headers.get("Content-Length")
            total = int(total) if total and total.isdigit() else None
            done = 0
            while chunk := resp.read(1 << 20):
                out.write(chunk)
                done += len(chunk)
                if progress:
                    progress(done, total)
        _check(tmp, product, url)
        shutil.move(tmp, target)
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise InputDataError(f"could not download {name} from {url}: {exc}") from None
    finally:
        tmp.unlink(missing_ok=True)
    return target


def _check(path: Path, product: Product, url: str) -> None:
    head = path.read_bytes()[:200].lstrip()
    if head.startswith(b"<"):
        raise InputDataError(f"the service at {url} answered with an error page, not GeoJSON: {head[:120]!r}")
    try:
        frame = gpd.read_file(path)
    except Exception as exc:
        raise InputDataError(f"the download from {url} is not a readable layer: {exc}") from None
    if len(frame) == 0:
        raise InputDataError(f"the download from {url} has no features")
    fields = {c.lower() for c in frame.columns}
    missing = [f for f in product.required_fields if f not in fields]
    if missing:
        raise InputDataError(f"the download from {url} lacks the fields {missing}; got {sorted(fields)}")
