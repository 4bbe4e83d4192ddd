"""``ensemble/brief.pdf``: the ensemble report on A4 pages, with the page machinery of :mod:`.pdf`.

Page 1: title, what was run and the plain-language summary; then the figures two per page; then
the definitions and how spread and trend are measured. A synthetic ensemble (the demo seascape)
carries its label on every page.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

import matplotlib.image as mpimg
from matplotlib.backends.backend_pdf import PdfPages

from .i18n import Lang
from .pdf import _BLUE, _Pages, _set_language

__all__ = ["Brief", "render_ensemble_pdf"]


@dataclass
class Brief:
    """What the brief says: title, intro, summary sentences, figures (path, title, caption), method texts."""

    title: str
    intro: str
    sentences: list[str]
    figures: list  # objects with .path, .title, .caption
    method: list[str]
    synthetic: bool
    footer: str


def _figure_pages(pages: _Pages, figures: list) -> None:
    for pair in (figures[i : i + 2] for i in range(0, len(figures), 2)):
        fig = pages.new()
        for k, item in enumerate(pair):
            top = 0.94 - 0.46 * k  # the figure carries its own title
            ax = fig.add_axes((0.07, top - 0.37, 0.86, 0.37))
            ax.imshow(mpimg.imread(item.path), interpolation="none")
            ax.set_axis_off()
            fig.text(0.07, top - 0.38, "\n".join(textwrap.wrap(item.caption, 110)), fontsize=7.5, va="top")


def render_ensemble_pdf(L: Lang, brief: Brief, path: Path) -> Path:
    """Write ``brief`` as a PDF at ``path``."""
    meta = {
        "Title": L.t("pdf.title_synthetic", title=brief.title) if brief.synthetic else brief.title,
        "Subject": brief.intro[:400],
        "Author": "marinenet",
        "Keywords": L.t("pdf.keywords"),
    }
    with PdfPages(path, metadata=meta) as pdf:
        _set_language(pdf, L.code)
        pages = _Pages(pdf, brief.synthetic, brief.footer, L)
        pages.new()
        pages.text(brief.title, size=16, weight="bold", color=_BLUE, gap=0.02)
        pages.text(brief.intro, size=9.5, gap=0.02)
        pages.text(L.t("ens.h.summary"), size=12, weight="bold", color=_BLUE)
        for s in brief.sentences:
            pages.text("• " + s, width=96)
        _figure_pages(pages, brief.figures)
        pages.new()
        pages.text(L.t("ens.h.method"), size=12, weight="bold", color=_BLUE)
        for text in brief.method:
            pages.text(text, width=100, gap=0.015)
        pages.flush()
    return path
