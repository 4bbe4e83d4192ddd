"""Who made the forcing data: a credit line from a netCDF file's global attributes (CF, ACDD, Copernicus).

The report cites every real data source it shows. The words come from the file itself —
``title``, ``institution``, ``source``, ``references``, ``license``/``licence``, and the
ACDD / Copernicus Marine attributes (``creator_name``, ``publisher_name``, ``product_id``,
``citation``, ``credit``, ``doi`` …) — so a file that says nothing is credited by its name and
the reader is told that the file states no licence.
"""

from __future__ import annotations

from pathlib import PurePath

__all__ = ["forcing_credit", "CREDIT_WORDS"]

#: user-visible words (kept together so they can move into a language catalogue)
CREDIT_WORDS = {
    "lead": "Ocean currents",
    "file": "file {name}",
    "source": "source: {value}",
    "references": "references: {value}",
    "product": "product {value}",
    "doi": "doi: {value}",
    "licence": "licence: {value}",
    "no_licence": "the file states no licence: check the provider's terms of use",
}

# attribute names in order of preference for each part of the credit (first found wins)
_WHO = ("institution", "creator_institution", "creator_name", "publisher_name", "producer", "contact")
_TITLE = ("title", "product_title", "dataset_title")
_PRODUCT = ("product_id", "copernicusmarine_product_id", "product", "dataset_id", "id")
_LICENCE = ("license", "licence", "license_url", "licence_url", "use_limitation", "Licence", "License")
_CITATION = ("citation", "credit", "acknowledgement", "acknowledgment")
_DOI = ("doi", "product_doi", "DOI")


def _first(attrs: dict, names: tuple[str, ...]) -> str | None:
    for n in names:
        value = attrs.get(n)
        if value is not None and str(value).strip():
            return " ".join(str(value).split())
    return None


def forcing_credit(attrs: dict, source: str, lead: str | None = None) -> str:
    """One sentence crediting a forcing file from its global ``attrs`` (``source`` = its path or URL)."""
    w = CREDIT_WORDS
    name = source if "://" in str(source) else PurePath(str(source)).name
    parts = [p for p in (_first(attrs, _TITLE), _first(attrs, _WHO)) if p]
    product = _first(attrs, _PRODUCT)
    if product and product not in parts:
        parts.append(w["product"].format(value=product))
    origin = attrs.get("source")
    if origin and str(origin).strip() and str(origin).strip() not in parts:
        parts.append(w["source"].format(value=" ".join(str(origin).split())))
    for names, key in ((_CITATION, None), (("references",), "references"), (_DOI, "doi")):
        value = _first(attrs, names)
        if value:
            parts.append(w[key].format(value=value) if key else value)
    licence = _first(attrs, _LICENCE)
    parts.append(w["licence"].format(value=licence) if licence else w["no_licence"])
    head = f"{lead or w['lead']} ({w['file'].format(name=name)})"
    return f"{head}: " + "; ".join(parts) + "."
