"""``release.from`` as a list of sources (``[{layer: mpa}, {layer: cand}]``): the checks of the list."""

from __future__ import annotations

from typing import Any

__all__ = ["checked_sources"]


def checked_sources(value: Any) -> Any:
    """A list of release sources: layers only, none twice; a list of one is that source."""
    if not isinstance(value, list):
        return value
    if not value:
        raise ValueError("the list of sources is empty: give at least one {layer: NAME}")
    if any(src.points is not None for src in value):
        raise ValueError("a list of sources takes layers ({layer: NAME}); give points in one 'points:' entry")
    seen: set[tuple[str | None, str | None]] = set()
    for src in value:
        keys = {(src.layer, i) for i in src.ids} if src.ids else {(src.layer, None)}
        layer_twice = any(k[0] == src.layer and (k[1] is None or not src.ids) for k in seen)
        if keys & seen or layer_twice:
            raise ValueError(f"layer {src.layer!r} is listed twice (its polygons would release twice)")
        seen |= keys
    return value[0] if len(value) == 1 else value
