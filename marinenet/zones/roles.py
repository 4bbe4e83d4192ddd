"""What a zone layer is to the analyses: its role (``eez``, ``ebsa``, ``mpa`` or none).

``zones.<name>.role`` in the scenario, else ``mpa`` for ``protected: true``, else by the layer's
type; nothing depends on a layer's name (a name that suggests a role only earns a warning).
"""

from __future__ import annotations

import logging

__all__ = ["ROLES", "default_role"]

#: the roles a zone layer can have for the analyses (``zones.<name>.role``)
ROLES = ("eez", "ebsa", "mpa")

log = logging.getLogger("marinenet.zones")


def default_role(name: str, cfg) -> str | None:
    """A layer's role: ``zones.<name>.role``, else ``mpa`` for ``protected: true``, else by its type.

    By type: demo layer, wdpa → mpa, ebsa → ebsa, marineregions → eez; a generic layer has none unless
    given (a warning says so when its name suggests one).

    Parameters
    ----------
    name
        The layer's key under ``zones``.
    cfg
        Its :class:`~marinenet.scenario.ZoneLayerConfig`.

    Returns
    -------
    str or None
        ``eez``, ``ebsa``, ``mpa`` or None.
    """
    role = getattr(cfg, "role", None)
    if role is not None:
        return role
    if getattr(cfg, "protected", None):  # a protected-area network (coherence) is a layer of MPAs
        return "mpa"
    if getattr(cfg, "source", None) == "demo":
        which = getattr(cfg, "layer", None) or name
        return which if which in ROLES else None
    by_format = {"wdpa": "mpa", "ebsa": "ebsa", "marineregions": "eez"}
    role = by_format.get(getattr(cfg, "format", None) or "")
    guess = next((r for r in ROLES if name.lower().startswith(r)), None)
    if role is None and guess is not None and getattr(cfg, "source", None) != "grid":
        log.warning(
            "zone layer %r has no role: it is analysed as a plain layer; add 'role: %s' to zones.%s if it "
            "holds %s",
            name,
            guess,
            name,
            {"eez": "jurisdictions", "ebsa": "EBSAs", "mpa": "protected areas"}[guess],
        )
    return role
