"""Credits of zone layers: the published citation and licence of official layers, or the scenario's own.

Official formats carry their publisher's citation and terms (Marine Regions EEZ and high seas:
CC BY 4.0; WDPA: the Protected Planet terms of use; CBD EBSAs: the CBD's terms). A user layer is
credited with its ``citation`` / ``licence`` keys from the scenario, else with what the file states
(GeoPackage metadata, GeoJSON top-level ``citation``/``license`` …), or the report says none was given.
"""

from __future__ import annotations

from pathlib import PurePath

__all__ = ["layer_credit", "layer_credit_parts", "file_metadata", "FORMAT_CREDITS"]

_CITE_KEYS = ("citation", "cite_as", "attribution", "credit", "source")
_LICENCE_KEYS = ("licence", "license", "license_url", "rights", "copyright")
#: largest GeoJSON file whose top level is read for metadata (bytes)
_GEOJSON_META_MAX = 20_000_000

#: format -> (citation, licence) of the official layers marinenet reads
FORMAT_CREDITS = {
    "marineregions": (None, "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)"),
    "wdpa": (
        "UNEP-WCMC and IUCN (year and month of the version used), Protected Planet: The World Database on "
        "Protected Areas (WDPA), Cambridge, UK: UNEP-WCMC and IUCN. Available at www.protectedplanet.net.",
        "WDPA terms of use (https://www.protectedplanet.net/en/legal): no commercial use and no "
        "redistribution of the data without permission",
    ),
    "ebsa": (
        "Secretariat of the Convention on Biological Diversity: Ecologically or Biologically Significant "
        "Marine Areas (EBSAs), https://www.cbd.int/ebsa/.",
        "terms of use of the CBD Secretariat (https://www.cbd.int/terms/)",
    ),
}


def layer_credit_parts(name: str, cfg, citation: str = "") -> dict | None:
    """The credit of scenario zone entry ``name`` (``cfg``: its ZoneLayerConfig) as a
    :mod:`marinenet.report.credits` dict; None for built-in layers (demo or grid: nothing to credit).

    ``citation`` is one the reader already set (e.g. Marine Regions with its high-seas file).
    """
    if getattr(cfg, "path", None) is None:
        return None
    default_cite, default_licence = FORMAT_CREDITS.get(cfg.format, (None, None))
    meta_cite, meta_licence = file_metadata(str(cfg.path))
    return {
        "kind": "zones",
        "layer": name,
        "file": PurePath(str(cfg.path)).name,
        "citation": getattr(cfg, "citation", None) or citation or default_cite or meta_cite,
        "licence": getattr(cfg, "licence", None) or default_licence or meta_licence,
    }


def layer_credit(name: str, cfg, citation: str = "") -> str:
    """The credit line (English) of scenario zone entry ``name``; '' for built-in layers."""
    from ..report.credits import credit_text

    credit = layer_credit_parts(name, cfg, citation)
    return credit_text(credit) if credit else ""


def _pick(meta: dict, keys: tuple[str, ...]) -> str | None:
    low = {str(k).lower(): v for k, v in meta.items()}
    return next((" ".join(str(low[k]).split()) for k in keys if low.get(k) and str(low[k]).strip()), None)


def file_metadata(path: str) -> tuple[str | None, str | None]:
    """(citation, licence) stated in a zone file itself: GeoPackage / GDAL metadata, or GeoJSON top-level keys."""
    meta: dict = {}
    try:
        import pyogrio  # type: ignore[import-untyped]  # no stubs; installed with geopandas

        info = pyogrio.read_info(path)
        meta.update(info.get("dataset_metadata") or {})
        meta.update(info.get("layer_metadata") or {})
    except Exception:  # noqa: BLE001 - metadata is optional: the layer itself was read already
        pass
    if path.lower().endswith((".geojson", ".json")):
        try:
            from pathlib import Path

            if Path(path).stat().st_size <= _GEOJSON_META_MAX:
                import json

                top = json.loads(Path(path).read_text(encoding="utf-8"))
                meta.update({k: v for k, v in top.items() if isinstance(v, str)})
        except (OSError, ValueError):
            pass
    return _pick(meta, _CITE_KEYS), _pick(meta, _LICENCE_KEYS)
