"""A figure as the report's PNG: drawn once at the report's resolution, cut to its content, 256 colours."""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib
import numpy as np

__all__ = ["save_png", "DPI"]

#: resolution of the PNG figures (the brief embeds them unresampled: >= 200 ppi on paper)
DPI = 200


def save_png(fig, path: Path) -> Path:
    """Render ``fig`` once and write it, cut to its content (as ``bbox_inches="tight"``), as a 256-colour
    palette PNG (a third of the size of a full-colour one; the report embeds every figure)."""
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    rgba = _tight_render(fig)
    if rgba is None:  # content beyond the page: matplotlib's own tight render (a second drawing)
        raw = io.BytesIO()
        fig.savefig(raw, format="png", dpi=DPI, bbox_inches="tight", pil_kwargs={"compress_level": 0})
        raw.seek(0)
        with Image.open(raw) as im:
            small = _palette(im)
    else:
        small = _palette(Image.fromarray(rgba))
    small.save(path, compress_level=6)
    return path


def _tight_render(fig) -> np.ndarray | None:
    """The figure drawn once at :data:`DPI` and cut to its tight box (padded as ``savefig`` pads it), as
    RGBA pixels; None where that box reaches beyond the page (only a second drawing shows all of it).

    ``savefig(bbox_inches="tight")`` draws the figure twice: once to measure, once to render. The cut
    differs from its render by a shift of less than a pixel (anti-aliased edges only).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    fig.set_dpi(DPI)
    canvas.draw()
    box = fig.get_tightbbox(canvas.get_renderer()).padded(matplotlib.rcParams["savefig.pad_inches"])
    width, height = canvas.get_width_height()
    w, h = int(box.width * DPI), int(box.height * DPI)  # the size of savefig's image (Agg truncates)
    x0, y0 = round(box.x0 * DPI), round(box.y0 * DPI)
    if x0 < 0 or y0 < 0 or x0 + w > width or y0 + h > height:
        return None
    return np.ascontiguousarray(np.asarray(canvas.buffer_rgba())[height - y0 - h : height - y0, x0 : x0 + w])


def _palette(im):
    """The 256-colour palette image of a rendered figure (median cut, no dithering: flat fills stay flat)."""
    from PIL import Image

    return im.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
