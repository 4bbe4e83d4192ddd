"""A site dossier as one self-contained HTML page and as an A4 PDF (the same words, tables and figures)."""

from __future__ import annotations

import base64
import html
import textwrap
from pathlib import Path

import matplotlib.image as mpimg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.transforms import Bbox

from .dossier_text import DossierText, Section, Table
from .html import _CSS
from .pdf import _BLUE, _Pages, _set_language

__all__ = ["render_dossier_html", "render_dossier_pdf"]

_EXTRA_CSS = """
.lead{color:#44586a}.key li{margin:.35em 0}
table.dossier td{white-space:normal}table.dossier td:not(:first-child){text-align:right}
"""


def _table_html(t: Table) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in t.header)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c).replace(chr(10), '<br>')}</td>" for c in row) + "</tr>"
        for row in t.rows
    )
    return f'<div class="scroll"><table class="dossier"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _figure_html(text: DossierText, key: str, figures: dict[str, Path]) -> str:
    path = figures.get(key)
    if path is None:
        return ""
    title, caption = text.captions[key]
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    alt = html.escape(f"{title}. {caption}", quote=True)
    return (
        f'<figure><img alt="{alt}" src="data:image/png;base64,{data}">'
        f"<figcaption><b>{html.escape(title)}.</b> {html.escape(caption)}</figcaption></figure>"
    )


def _section_html(text: DossierText, s: Section, figures: dict[str, Path]) -> str:
    out = [f"<h2>{html.escape(s.heading)}</h2>"]
    if s.bullets:
        cls = ' class="key"' if s.key == "summary" else ""
        out.append(f"<ul{cls}>" + "".join(f"<li>{html.escape(p)}</li>" for p in s.paragraphs) + "</ul>")
    else:
        out += [f"<p>{html.escape(p)}</p>" for p in s.paragraphs]
    if s.table is not None:
        out.append(_table_html(s.table))
    out += [f"<p>{html.escape(p)}</p>" for p in s.after]
    if s.figure:
        out.append(_figure_html(text, s.figure, figures))
    return "\n".join(out)


def render_dossier_html(text: DossierText, figures: dict[str, Path]) -> str:
    """The dossier as one page: images inline, no external resource."""
    banner = f'<p class="banner">{html.escape(text.synthetic)}</p>' if text.synthetic else ""
    body = "\n".join(_section_html(text, s, figures) for s in text.sections)
    return (
        f'<!DOCTYPE html>\n<html lang="{text.language}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(text.title)}</title><style>{_CSS}{_EXTRA_CSS}</style></head><body>"
        f'{banner}<h1>{html.escape(text.title)}</h1><p class="lead">{html.escape(text.subtitle)}</p>'
        f'{body}<hr><p class="lead">{html.escape(text.footer)}</p></body></html>\n'
    )


# ---------------------------------------------------------------- PDF


def _wrap(cell: str, width: int) -> str:
    """``cell`` wrapped to ``width`` characters, each of its own lines apart."""
    return "\n".join(w for line in cell.split("\n") for w in (textwrap.wrap(line, width) or [line]))


def _pdf_table(pages: _Pages, t: Table) -> None:
    """A table flowed at the current position (onto a new page when it does not fit)."""
    n = len(t.header)
    first = 30 if n <= 4 else 22
    widths = [first] + [max(10, (96 - first) // max(n - 1, 1) - 1)] * (n - 1)
    if n == 4 and any("\n" in r[1] for r in t.rows):  # an ensemble: one line per release date
        widths = [24, 40, 18, 14]
    header = [_wrap(h, w) for h, w in zip(t.header, widths, strict=True)]
    rows = [[_wrap(c, w) for c, w in zip(r, widths, strict=True)] for r in t.rows]
    lines = [max(c.count("\n") + 1 for c in r) for r in [header, *rows]]
    height = 0.0145 * sum(lines) + 0.006 * len(lines)
    fig = pages.fig
    if fig is None or pages.y - height < 0.07:
        fig = pages.new()
    ax = fig.add_axes((0.07, pages.y - height, 0.86, height))
    ax.set_axis_off()
    table = ax.table(
        cellText=rows or [[""] * n],
        colLabels=header,
        loc="upper left",
        bbox=Bbox.from_bounds(0, 0, 1, 1),
        colWidths=[w / sum(widths) for w in widths],
    )
    table.auto_set_font_size(False)
    table.set_fontsize(7.5)
    total = sum(lines)
    for (row, _col), cell in table.get_celld().items():
        cell.set_height(lines[row] / total)
        cell.set_edgecolor("#c9d6e2")
        if row == 0:
            cell.set_facecolor("#eef4f9")
        text = cell.get_text()
        text.set_horizontalalignment("left" if _col == 0 else "right")
        text.set_x(0.02 if _col == 0 else 0.98)
    pages.y -= height + 0.015


def _height(text: str, size: float, width: int) -> float:
    """The page fraction :meth:`_Pages.text` takes for ``text`` (the same wrapping rule)."""
    return 0.0165 * size / 9.5 * len(textwrap.wrap(text, width) or [""])


def _figure_size(path: Path, caption: str) -> tuple[float, float, float]:
    """(width, height, room needed) of a figure and its caption, in page fractions."""
    img = mpimg.imread(path)
    width = 0.80
    height = min(width * (img.shape[0] / img.shape[1]) * (8.27 / 11.69), 0.36)
    if height == 0.36:
        width = 0.36 * (img.shape[1] / img.shape[0]) * (11.69 / 8.27)
    return width, height, height + 0.03 + 0.013 * len(textwrap.wrap(caption, 115))


def _pdf_figure(pages: _Pages, text: DossierText, key: str, path: Path) -> None:
    img = mpimg.imread(path)
    caption = text.captions[key][1]
    cap = textwrap.wrap(caption, 115)
    width, height, need = _figure_size(path, caption)
    if pages.fig is None or pages.y - need < 0.06:
        pages.new()
    fig = pages.fig
    assert fig is not None
    ax = fig.add_axes((0.5 - width / 2, pages.y - 0.01 - height, width, height))  # titled by its section
    ax.imshow(img, interpolation="none")
    ax.set_axis_off()
    fig.text(0.07, pages.y - 0.015 - height, "\n".join(cap), fontsize=7.5, va="top")
    pages.y -= need + 0.01


def render_dossier_pdf(text: DossierText, figures: dict[str, Path], path: Path) -> None:
    """The dossier on A4 pages: key points first, then the tables, figures, methods and definitions."""
    from .i18n import get as get_language

    L = get_language(text.language)
    meta = {"Title": text.title, "Subject": text.subtitle[:400], "Author": "marinenet"}
    with PdfPages(path, metadata=meta) as pdf:
        _set_language(pdf, text.language)
        pages = _Pages(pdf, bool(text.synthetic), text.footer, L)  # a synthetic run: labelled on every page
        pages.new()
        pages.text(text.title, size=15, weight="bold", color=_BLUE, gap=0.012, width=90)
        pages.text(text.subtitle, size=8.5, color="#44586a", gap=0.018, width=110)
        for s in text.sections:
            if s.key == "map" and "map" not in figures:
                continue
            size = 8 if s.key in ("definitions", "caveats", "sources") else 9
            width = 108 if size == 8 else 100
            items = [("• " if s.bullets else "") + p for p in s.paragraphs]
            keep = _height(items[0], size, width) + 0.01 if items else 0.06  # never a heading alone
            if s.figure in figures and not s.paragraphs:  # the heading goes with its figure
                keep = _figure_size(figures[s.figure], text.captions[s.figure][1])[2] + 0.01
            pages.text(s.heading, size=11.5, weight="bold", color=_BLUE, keep=keep, gap=0.008)
            for item in items:
                pages.text(item, size=size, width=width, gap=0.006)
            if s.table is not None:
                _pdf_table(pages, s.table)
            for p in s.after:
                pages.text(p, size=9, width=100, gap=0.006)
            if s.figure and s.figure in figures:
                _pdf_figure(pages, text, s.figure, figures[s.figure])
        pages.flush()
