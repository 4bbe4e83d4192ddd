"""Map labels that do not cover each other: each label takes the first free place around its point.

A label is tried to the right of its point, then left, above, below and on the diagonals, just
clear of the marker drawn there, then the same a little further out; a place is free when the
label's box stays inside the axes and overlaps neither a label placed before it, a text already
on the axes, nor a marker (``obstacles``). Where no place is free the label is left out (the
first ones go where they overlap least): a crowded map names its most important sites. Sizes are
measured on the figure's renderer in display units, so the layout holds at any saving
resolution.
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


def _overlap(box: np.ndarray, others: np.ndarray) -> float:
    """Area shared by ``box`` (x0, y0, x1, y1) with the rows of ``others``."""
    if not len(others):
        return 0.0
    w = np.minimum(box[2], others[:, 2]) - np.maximum(box[0], others[:, 0])
    h = np.minimum(box[3], others[:, 3]) - np.maximum(box[1], others[:, 1])
    return float(np.sum(np.clip(w, 0, None) * np.clip(h, 0, None)))


def _outside(box: np.ndarray, frame: np.ndarray) -> float:
    w = max(min(box[2], frame[2]) - max(box[0], frame[0]), 0.0)
    h = max(min(box[3], frame[3]) - max(box[1], frame[1]), 0.0)
    return (box[2] - box[0]) * (box[3] - box[1]) - w * h


_SHIFT = {"left": 0.0, "center": 0.5, "right": 1.0, "bottom": 0.0, "top": 1.0}


def prepare(ax):
    """The renderer that measures texts, with the axes in their final place (a map keeps its aspect)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if not hasattr(ax.figure.canvas, "get_renderer"):
        FigureCanvasAgg(ax.figure)
    ax.apply_aspect()
    return ax.figure.canvas.get_renderer()


def place_labels(ax, labels: list[Label], obstacles: list[Bbox] | None = None, keep: int = 1) -> list:
    """Draw ``labels`` (in order of priority) where they overlap nothing; returns their matplotlib texts.

    Each text is measured once; its box at every place follows by shifting (offsets in points).
    Beyond the first ``keep`` labels, one that finds no free place is left out (a crowded map
    names its most important sites only).
    """
    renderer = prepare(ax)
    frame = ax.get_window_extent(renderer).extents
    boxes: list[np.ndarray] = [np.asarray(b.extents) for b in obstacles or []]
    boxes += [np.asarray(t.get_window_extent(renderer).extents) for t in ax.texts if t.get_visible()]
    per_point = ax.figure.dpi / 72
    texts: list = []
    for lab in labels:
        t = ax.annotate(
            lab.text,
            (lab.x, lab.y),
            xycoords="data",
            xytext=(0, 0),
            textcoords="offset points",
            ha="left",
            va="bottom",
            annotation_clip=False,
            **lab.style,
        )
        x0, y0, x1, y1 = t.get_window_extent(renderer).extents
        w, h = x1 - x0, y1 - y0
        taken = np.asarray(boxes).reshape(-1, 4)
        places = [(0.0, 0, 0, "center", "center")] if lab.centred else []
        places += [(lab.gap + ring, *p) for ring in _RINGS for p in _PLACES]
        best = None
        for gap, dx, dy, ha, va in places:
            norm = max(np.hypot(dx, dy), 1.0)
            off = (dx * gap / norm, dy * gap / norm)
            bx = x0 + off[0] * per_point - _SHIFT[ha] * w
            by = y0 + off[1] * per_point - _SHIFT[va] * h
            box = np.array([bx, by, bx + w, by + h])
            cost = _overlap(box, taken) + 10 * _outside(box, frame)
            if best is None or cost < best[0]:
                best = (cost, off, ha, va, box)
            if cost == 0:
                break
        assert best is not None
        cost, off, ha, va, box = best
        if cost > 0 and len(texts) >= keep:
            t.remove()
            continue
        t.xyann = off
        t.set_ha(ha)
        t.set_va(va)
        boxes.append(box)
        texts.append(t)
    return texts


def marker_box(ax, x: float, y: float, area_pt2: float) -> Bbox:
    """Display box of a circle marker of ``area_pt2`` points² at data ``(x, y)`` (after :func:`prepare`)."""
    cx, cy = ax.transData.transform((x, y))
    r = np.sqrt(area_pt2) / 2 * ax.figure.dpi / 72
    return Bbox([[cx - r, cy - r], [cx + r, cy + r]])
