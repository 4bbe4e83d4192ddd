"""Credit lines of the data a run shows, in any report language.

A credit is a small dict (JSON in ``summary.json`` → ``credits``) built where the data is read —
:func:`marinenet.ocean.credits.forcing_credit_parts` from a netCDF file's global attributes,
:func:`marinenet.zones.credits.layer_credit_parts` from a zone layer's format, scenario keys or file
metadata. Only marinenet's own words (headings, "licence:", "the file states no licence" …) come from
the language catalogue; what the data provider wrote (title, citation, licence text) is kept as written.

======== ==========================================================================================
kind     keys
======== ==========================================================================================
forcing  ``file``; ``parts``: ``[label, value]`` pairs (label ``null`` for a citation shown as
         written, else ``product``/``source``/``references``/``doi``); ``licence`` (or ``null``)
zones    ``layer``, ``file``, ``citation`` and ``licence`` (each may be ``null``)
demo     (the synthetic demo seascape)
======== ==========================================================================================
"""

from __future__ import annotations

from .i18n import Lang
from .i18n import get as get_language

__all__ = ["credit_text", "run_credits", "source_credits"]


def credit_text(credit: dict, L: Lang | None = None) -> str:
    """The credit line of ``credit`` in language ``L`` (English by default: ``summary.json`` citations)."""
    L = L or get_language("en")
    kind = credit.get("kind")
    if kind == "forcing":
        parts = [L.t(f"credit.{label}", value=v) if label else v for label, v in credit.get("parts") or []]
        licence = credit.get("licence")
        parts.append(L.t("credit.licence", value=licence) if licence else L.t("credit.no_licence"))
        return L.t("credit.forcing", file=credit["file"], parts=L.t("credit.sep").join(parts))
    if kind == "zones":
        head = L.t("credit.zones", layer=credit["layer"], file=credit["file"])
        cite, licence = credit.get("citation"), credit.get("licence")
        if not cite and not licence:
            return L.t("credit.zones_none", head=head)
        parts = [
            p.strip() for p in (cite, L.t("credit.zones_licence", value=licence) if licence else None) if p
        ]
        return L.t("credit.with", head=head, text=" ".join(p if p.endswith(".") else p + "." for p in parts))
    if kind == "text":  # a citation known only as text (e.g. from an older run)
        return str(credit.get("text", ""))
    return L.t("credit.demo")


def run_credits(ocean_credit: dict | None, layer_credits: list[dict], synthetic: bool) -> list[dict]:
    """The credits of a run, in the order the report lists them: forcing, zone layers (by text), demo."""
    out = [] if synthetic or not ocean_credit else [ocean_credit]
    unique = {credit_text(c): c for c in layer_credits if c}
    out += [unique[t] for t in sorted(unique)]
    return out + ([{"kind": "demo"}] if synthetic else [])


def source_credits(run, L: Lang) -> list[str]:
    """Credits of the data in the report's language: summary.json ``credits`` (a run older than them: its
    English ``citations``, and the snapshot's forcing credit for a run older than forcing credits)."""
    if run.summary.get("credits") is not None:
        cites = [credit_text(c, L) for c in run.summary["credits"]]
    else:
        cites = [str(c) for c in run.summary.get("citations") or []]
        credit = run.snapshot.attrs.get("credit") if not run.summary.get("synthetic") else None
        if credit and credit not in cites:
            cites.insert(0, str(credit))
    if not run.summary.get("synthetic"):
        cites.append(L.t("credit.coastline"))  # the maps draw the shipped Natural Earth coastline
    return cites
