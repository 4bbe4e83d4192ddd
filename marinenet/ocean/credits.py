"""Who made the forcing data: a credit line from a netCDF file's global attributes (CF, ACDD, Copernicus).

The report cites every real data source it shows. The words come from the file itself —
``title``, ``institution``, ``source``, ``references``, ``license``/``licence``, and the
ACDD / Copernicus Marine attributes (``creator_name``, ``publisher_name``, ``product_id``,
``citation``, ``credit``, ``doi`` …) — so a file that says nothing is credited by its name and
the reader is told that the file states no licence.
"""

from __future__ import annotations

from pathlib import PurePath

__all__ = ["forcing_credit", "forcing_credit_parts"]

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


def forcing_credit_parts(attrs: dict, source: str) -> dict:
    """The credit of a forcing file from its global ``attrs`` (``source`` = its path or URL), as a
    :mod:`marinenet.report.credits` dict: the file's own words, labelled, never translated."""
    name = source if "://" in str(source) else PurePath(str(source)).name
    parts: list[list] = [[None, p] for p in (_first(attrs, _TITLE), _first(attrs, _WHO)) if p]
    said = {p for _, p in parts}
    product = _first(attrs, _PRODUCT)
    if product and product not in said:
        parts.append(["product", product])
    origin = attrs.get("source")
    if origin and str(origin).strip() and str(origin).strip() not in said:
        parts.append(["source", " ".join(str(origin).split())])
    for names, key in ((_CITATION, None), (("references",), "references"), (_DOI, "doi")):
        value = _first(attrs, names)
        if value:
            parts.append([key, value])
    return {"kind": "forcing", "file": name, "parts": parts, "licence": _first(attrs, _LICENCE)}


def forcing_credit(attrs: dict, source: str) -> str:
    """One sentence (English) crediting a forcing file from its global ``attrs``."""
    from ..report.credits import credit_text

    return credit_text(forcing_credit_parts(attrs, source))
