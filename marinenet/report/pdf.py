"""``brief.pdf``: the headline findings and the key maps, a few pages for a negotiating table."""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib.image as mpimg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

__all__ = ["render_pdf"]

_KEY = ("Flows between zones", "Import dependency", "Arrival time from the high seas", "Protection gaps")


def render_pdf(run, findings: list[str], figures: list, path: Path) -> None:
    s = run.summary
    with PdfPages(path) as pdf:
        fig = Figure(figsize=(8.27, 11.69))
        fig.text(
            0.08, 0.95, f"Marine connectivity brief: {s['name']}", fontsize=16, weight="bold", color="#0b3d5c"
        )
        y = 0.91
        if s.get("synthetic"):
            fig.text(
                0.08,
                y,
                "SYNTHETIC DEMO: invented currents and zones; illustrates the method only.",
                fontsize=10,
                color="#8b0000",
                weight="bold",
            )
            y -= 0.04
        for f in findings:
            lines = textwrap.wrap(f, 95)
            fig.text(0.08, y, "• " + "\n  ".join(lines), fontsize=9.5, va="top")
            y -= 0.022 * len(lines) + 0.012
        fig.text(
            0.08,
            0.04,
            f"marinenet {s.get('versions', {}).get('marinenet', '')} · seed {s.get('seed')} · "
            "full report and data: report.html and the CSV/netCDF files of the run",
            fontsize=7,
            color="grey",
        )
        pdf.savefig(fig)
        for title, png, caption in figures:
            if title not in _KEY:
                continue
            fig = Figure(figsize=(8.27, 11.69))
            ax = fig.add_axes((0.05, 0.12, 0.9, 0.8))
            ax.imshow(mpimg.imread(png))
            ax.set_axis_off()
            fig.text(0.5, 0.95, title, ha="center", fontsize=14, weight="bold", color="#0b3d5c")
            fig.text(0.08, 0.08, "\n".join(textwrap.wrap(caption, 100)), fontsize=9, va="top")
            pdf.savefig(fig)
        main = run.main_layer
        if main is not None:
            idx = run.indices[main]
            cols = [
                c
                for c in (
                    "zone",
                    "local_retention",
                    "self_recruitment",
                    "import_dependency",
                    "abnj_dependency",
                    "export_share",
                    "abnj_arrival_median_days",
                )
                if c in idx
            ]
            fig = Figure(figsize=(11.69, 8.27))
            ax = fig.add_axes((0.03, 0.05, 0.94, 0.8))
            ax.set_axis_off()
            cells = [
                [f"{v:.2f}" if isinstance(v, float) else str(v) for v in row] for row in idx[cols].values[:30]
            ]
            tab = ax.table(cellText=cells, colLabels=[c.replace("_", " ") for c in cols], loc="upper center")
            tab.auto_set_font_size(False)
            tab.set_fontsize(8)
            tab.scale(1, 1.3)
            fig.text(
                0.5,
                0.93,
                f"Transboundary indices, layer '{main}'",
                ha="center",
                fontsize=14,
                weight="bold",
                color="#0b3d5c",
            )
            pdf.savefig(fig)
