"""Map labels that do not cover each other: each label takes the first free place around its point.

A label is tried to the right of its point, then left, above, below and on the diagonals, just
clear of the marker drawn there, then the same a little further out; a place is free when the label's box stays inside the axes and
overlaps neither a label placed before it, a text already on the axes, nor a marker (``obstacles``). Where no place is free the
label goes where it overlaps least. Sizes are measured on the figure's renderer in display units,
so the layout holds at any saving resolution.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from matplotlib.transforms import Bbox

__all__ = ["Label", "place_labels", "marker_box", "prepare"]

#: (dx, dy, ha, va) directions tried in order: right, left, above, below, then the diagonals
_PLACES = (
    (1, 0, "left", "center"),
    (-1, 0, "right", "center"),
    (0, 1, "center", "bottom"),
    (0, -1, "center", "top"),
    (1, 1, "left", "bottom"),
    (-1, 1, "right", "bottom"),
    (1, -1, "left", "top"),
    (-1, -1, "right", "top"),
)

#: extra distances (points) tried when every place next to the point is taken
_RINGS = (0.0, 8.0, 16.0)


@dataclass
class Label:
    """A text to put near ``(x, y)`` (the axes' data coordinates), ``gap`` points clear of the point."""

    x: float
    y: float
    text: str
    gap: float = 3.0
    style: dict = field(default_factory=dict)
    centred: bool = False  # try on the point itself first (a name inside its polygon)


def _overlap(box: Bbox, others: list[Bbox]) -> float:
    total = 0.0
    for o in others:
        w = min(box.x1, o.x1) - max(box.x0, o.x0)
        h = min(box.y1, o.y1) - max(box.y0, o.y0)
        if w > 0 and h > 0:
            total += w * h
    return total


def _outside(box: Bbox, frame: Bbox) -> float:
    inside = Bbox.intersection(box, frame)
    return box.width * box.height - (0.0 if inside is None else inside.width * inside.height)


def prepare(ax):
    """The renderer that measures texts, with the axes in their final place (a map keeps its aspect)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if not hasattr(ax.figure.canvas, "get_renderer"):
        FigureCanvasAgg(ax.figure)
    ax.apply_aspect()
    return ax.figure.canvas.get_renderer()


def place_labels(ax, labels: list[Label], obstacles: list[Bbox] | None = None) -> list:
    """Draw ``labels`` (in order of priority) where they overlap nothing; returns their matplotlib texts."""
    renderer = prepare(ax)
    frame = ax.get_window_extent(renderer)
    taken = list(obstacles or []) + [t.get_window_extent(renderer) for t in ax.texts if t.get_visible()]
    texts = []
    for lab in labels:
        best = None
        places = [(0.0, 0, 0, "center", "center")] if lab.centred else []
        places += [(lab.gap + ring, *p) for ring in _RINGS for p in _PLACES]
        for gap, dx, dy, ha, va in places:
            norm = max(np.hypot(dx, dy), 1.0)
            t = ax.annotate(
                lab.text,
                (lab.x, lab.y),
                xycoords="data",
                xytext=(dx * gap / norm, dy * gap / norm),
                textcoords="offset points",
                ha=ha,
                va=va,
                annotation_clip=False,
                **lab.style,
            )
            box = t.get_window_extent(renderer)
            cost = _overlap(box, taken) + 10 * _outside(box, frame)
            if best is None or cost < best[0]:
                if best is not None:
                    best[1].remove()
                best = (cost, t, box)
            else:
                t.remove()
            if cost == 0:
                break
        assert best is not None
        taken.append(best[2])
        texts.append(best[1])
    return texts


def marker_box(ax, x: float, y: float, area_pt2: float) -> Bbox:
    """Display box of a circle marker of ``area_pt2`` points² at data ``(x, y)`` (after :func:`prepare`)."""
    cx, cy = ax.transData.transform((x, y))
    r = np.sqrt(area_pt2) / 2 * ax.figure.dpi / 72
    return Bbox([[cx - r, cy - r], [cx + r, cy + r]])
