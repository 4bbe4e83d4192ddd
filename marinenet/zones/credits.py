"""Credits of zone layers: the published citation and licence of official layers, or the scenario's own.

Official formats carry their publisher's citation and terms (Marine Regions EEZ and high seas:
CC BY 4.0; WDPA: the Protected Planet terms of use; CBD EBSAs: the CBD's terms). A user layer is
credited with its ``citation`` / ``licence`` keys from the scenario, or the report says none was given.
"""

from __future__ import annotations

from pathlib import PurePath

__all__ = ["layer_credit", "FORMAT_CREDITS", "ZONE_CREDIT_WORDS"]

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

#: user-visible words (kept together so they can move into a language catalogue)
ZONE_CREDIT_WORDS = {
    "head": "Zone layer '{name}' ({file})",
    "licence": "Licence: {value}.",
    "none": "no citation or licence given: add 'citation:' and 'licence:' to this layer in the scenario.",
}


def layer_credit(name: str, cfg, citation: str = "") -> str:
    """The credit line of scenario zone entry ``name`` (``cfg``: its ZoneLayerConfig); '' for built-in layers.

    ``citation`` is one the reader already set (e.g. Marine Regions with its high-seas file).
    """
    if getattr(cfg, "path", None) is None:
        return ""  # demo or grid layers: made by marinenet, nothing to credit
    default_cite, default_licence = FORMAT_CREDITS.get(cfg.format, (None, None))
    cite = getattr(cfg, "citation", None) or citation or default_cite
    licence = getattr(cfg, "licence", None) or default_licence
    w = ZONE_CREDIT_WORDS
    head = w["head"].format(name=name, file=PurePath(str(cfg.path)).name)
    if not cite and not licence:
        return f"{head}: {w['none']}"
    parts = [p.strip() for p in (cite, w["licence"].format(value=licence) if licence else None) if p]
    return f"{head}: " + " ".join(p if p.endswith(".") else p + "." for p in parts)
