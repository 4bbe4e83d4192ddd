"""``brief.pdf``: findings, key maps, the index table, definitions and caveats, for a negotiating table.

Pages (A4): 1 — what was run and the findings (with under-sampling warnings and what is not shown);
then the key maps two per page; then the index table; then definitions and caveats. Text that does
not fit flows onto a further page. A synthetic run carries its label as text on every page.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib.image as mpimg
import numpy as np
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from .i18n import Lang
from .i18n import get as get_language

__all__ = ["render_pdf", "KEY_FIGURES"]

#: figures the brief shows, in this order (those the run has): keys of :class:`~marinenet.report.build.Figure`
KEY_FIGURES = ("flows", "import", "arrival", "protection", "coherence")
_INDEX_COLUMNS = (
    "zone",
    "released",
    "arrivals",
    "settlers",
    "local_retention",
    "self_recruitment",
    "import_dependency",
    "abnj_dependency",
    "export_share",
    "abnj_arrival_median_days",
)
_BLUE = "#0b3d5c"


class _Pages:
    """A4 pages with flowing text; each page carries the synthetic label (if any) and a footer."""

    def __init__(self, pdf: PdfPages, synthetic: bool, footer: str, lang: Lang) -> None:
        self.pdf, self.synthetic, self.footer, self.L = pdf, synthetic, footer, lang
        self.fig: Figure | None = None
        self.y = 0.0
        self.page = 0

    def new(self, landscape: bool = False) -> Figure:
        self.flush()
        self.page += 1
        self.fig = Figure(figsize=(11.69, 8.27) if landscape else (8.27, 11.69))
        if self.synthetic:
            label = self.L.t("pdf.synthetic")
            self.fig.text(0.06, 0.975, label, fontsize=8.5, color="#8b0000", weight="bold", va="top")
        footer = self.L.t("pdf.page", footer=self.footer, page=self.page)
        self.fig.text(0.06, 0.02, footer, fontsize=7, color="grey")
        self.y = 0.94
        return self.fig

    def flush(self) -> None:
        if self.fig is not None:
            self.pdf.savefig(self.fig)
            self.fig = None

    def text(
        self, text: str, size: float = 9.5, width: int = 98, gap: float = 0.01, keep: float = 0.0, **kw
    ) -> None:
        """Flow ``text`` down the page; ``keep``: room (page fraction) to leave below it, so that a heading
        is never the last line of a page."""
        chars = width if size <= 9.5 else int(width * 8.7 / size)  # large (bold) type: fewer per line
        lines = textwrap.wrap(text, chars) or [""]
        height = 0.0165 * size / 9.5 * len(lines)
        fig = self.new() if self.fig is None or self.y - height - keep < 0.06 else self.fig
        fig.text(0.07, self.y, "\n".join(lines), fontsize=size, va="top", linespacing=1.25, **kw)
        self.y -= height + gap


def _cell(L: Lang, v, column: str) -> str:
    """Counts as whole numbers, days with one decimal, shares with two; undefined as '–'."""
    if not isinstance(v, float | int | np.number):
        return str(v)
    if not np.isfinite(v):
        return "–"
    if column in ("released", "arrivals", "settlers"):
        return L.count(v)
    return L.num(v, 1) if column.endswith("_days") else L.num(v, 2)


def _index_page(pages: _Pages, run) -> None:
    main = run.main_layer
    if main is None or main not in run.indices or len(run.indices[main]) == 0:
        return
    idx = run.indices[main]
    cols = [c for c in _INDEX_COLUMNS if c in idx]
    fig = pages.new(landscape=True)
    L = pages.L
    title = L.t("table.indices", layer=main)
    fig.text(0.5, 0.92, title, ha="center", fontsize=14, weight="bold", color=_BLUE)
    ax = fig.add_axes((0.03, 0.12, 0.94, 0.76))
    ax.set_axis_off()
    cells = [[_cell(L, v, c) for v, c in zip(row, cols, strict=True)] for row in idx[cols].values[:28]]
    labels = ["\n".join(textwrap.wrap(L.column(c), 13)) for c in cols]
    tab = ax.table(cellText=cells, colLabels=labels, loc="upper center")
    tab.auto_set_font_size(False)
    tab.set_fontsize(8)
    tab.scale(1, 1.35)
    for (row, _), cell in tab.get_celld().items():
        if row == 0:  # two-line column labels need a taller header row
            cell.set_height(cell.get_height() * 1.9)
    foot = L.t("pdf.index_foot")
    if len(idx) > 28:
        foot += " " + L.t("pdf.more_zones", k=L.count(len(idx) - 28), layer=main)
    fig.text(0.03, 0.07, foot, fontsize=8)


def _map_pages(pages: _Pages, figures: list) -> None:
    key = [f for k in KEY_FIGURES for f in figures if f.key == k]
    for pair in (key[i : i + 2] for i in range(0, len(key), 2)):
        fig = pages.new()
        for k, item in enumerate(pair):
            top = 0.93 - 0.46 * k
            fig.text(0.5, top, item.title, ha="center", fontsize=12, weight="bold", color=_BLUE, va="top")
            ax = fig.add_axes((0.06, top - 0.365, 0.88, 0.34))
            ax.imshow(mpimg.imread(item.path), interpolation="none")  # embedded unresampled (200 ppi PNG)
            ax.set_axis_off()
            fig.text(0.07, top - 0.375, "\n".join(textwrap.wrap(item.caption, 110)), fontsize=7.5, va="top")


def render_pdf(run, findings, figures: list, path: Path) -> None:
    """Write the brief of ``run`` (a :class:`~marinenet.report.findings.Findings` and its figures)."""
    L = get_language(findings.language)
    s = run.summary
    title = L.t("pdf.title", name=s["name"])
    meta = {
        "Title": L.t("pdf.title_synthetic", title=title) if findings.synthetic else title,
        "Subject": findings.description[:400],
        "Author": "marinenet",
        "Keywords": L.t("pdf.keywords"),
    }
    footer = L.t("pdf.footer", version=s.get("versions", {}).get("marinenet", ""), seed=s.get("seed"))
    with PdfPages(path, metadata=meta) as pdf:
        _set_language(pdf, L.code)
        pages = _Pages(pdf, findings.synthetic, footer, L)
        pages.new()
        pages.text(title, size=16, weight="bold", color=_BLUE, gap=0.02)
        pages.text(findings.description, size=9.5, gap=0.02)
        pages.text(L.t("pdf.findings"), size=12, weight="bold", color=_BLUE)
        for f in findings.findings:
            pages.text("• " + f.text, width=96)
        main = run.main_layer
        mine = {L.t("warn.layer", layer=main, text=""), L.t("warn.settlement", layer=main, text="")}
        others = []
        for w in findings.warnings:  # the main layer in full, the others named (report.html has them all)
            if any(w.startswith(m) for m in mine):
                pages.text(L.t("pdf.under_sampled", text=w), width=88, color="#8a5a00", weight="bold")
            elif w.split("'")[1] not in others:
                others.append(w.split("'")[1])
        if others:
            pages.text(
                L.tn("pdf.also_under", len(others), layers=", ".join(sorted(others))),
                width=88,
                color="#8a5a00",
                weight="bold",
            )
        for n in findings.notes:
            pages.text(L.t("pdf.not_shown", text=n), size=8.5, color="#555555")
        _map_pages(pages, figures)
        _index_page(pages, run)
        pages.new()
        pages.text(L.t("html.definitions"), size=12, weight="bold", color=_BLUE)
        for term, text in findings.definitions:
            pages.text(f"{term} : {text}" if L.code == "fr" else f"{term}: {text}", width=100)
        pages.text("", gap=0.01)
        pages.text(L.t("html.caveats"), size=12, weight="bold", color=_BLUE, keep=0.05)
        for c in findings.caveats:
            pages.text("• " + c, width=100)
        if findings.sources:
            pages.text("", gap=0.01)
            pages.text(L.t("html.sources"), size=12, weight="bold", color=_BLUE, keep=0.05)
            for c in findings.sources:
                pages.text("• " + c, width=100)
        pages.flush()


def _set_language(pdf: PdfPages, code: str) -> None:
    """Declare the document's natural language: /Lang of the PDF catalogue (read by screen readers).

    matplotlib writes the catalogue when the file opens and offers no key for it; writing the object
    again records the new copy in the cross-reference table, which is what readers follow.
    """
    from matplotlib.backends.backend_pdf import Name

    out = pdf._ensure_file()  # noqa: SLF001 - no public access to the catalogue
    out.writeObject(out.rootObject, {"Type": Name("Catalog"), "Pages": out.pagesObject, "Lang": code})
