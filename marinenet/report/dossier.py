"""``marinenet dossier OUT --site NAME``: the connectivity annex of one site, as HTML and PDF.

The dossier of a protected site or a candidate of a run's coherence analysis says, for a proposal of
an area-based management tool (BBNJ Agreement, Annex I, connectivity criterion): which states' waters
receive the site's particles and which supply it (shares with 95 % intervals), how long the journeys
take, how much the site matters to the protected network (dPC) or would add to it (ECA gain), a map,
and the data and methods. ``OUT`` is a run folder, or an ensemble folder (``members/<date>/``): then
every number is given per release date, with its lowest and highest value and in how many members
the link exists. Everything is read from the run's tables (:mod:`marinenet.report.dossier_data`).
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import xarray as xr

from . import i18n
from .dossier_data import read_dossier, run_folders
from .dossier_figures import plot_arrivals, plot_site_map
from .dossier_render import render_dossier_html, render_dossier_pdf
from .dossier_text import dossier_text
from .maps import EmptyFigure

__all__ = ["write_dossier", "DossierResult", "slug"]


@dataclass(frozen=True)
class DossierResult:
    """The files of one dossier."""

    site: str
    language: str
    html: Path
    pdf: Path


def slug(name: str) -> str:
    """A file name for a site: ``Estrel Rise High Seas MPA`` → ``estrel-rise-high-seas-mpa``."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "site"


def _language(scenario: dict, language: str | None) -> str:
    chosen = language or ((scenario or {}).get("report") or {}).get("language") or "en"
    return i18n.check_language(chosen, "--language" if language else "report.language")


def _land(root: Path) -> xr.DataArray:
    snap = xr.load_dataset(root / "ocean_snapshot.nc")
    land = snap["land"]
    if "outside" in snap:
        land = land.assign_coords(outside=snap["outside"].astype(bool))
    return land


def write_dossier(out: str | Path, site: str, language: str | None = None) -> DossierResult:
    """Write ``OUT/dossier/<site-slug>.html`` and ``.pdf`` for ``site`` of the run (or ensemble) in ``out``.

    Parameters
    ----------
    out
        A finished run folder whose scenario has ``analysis: coherence`` (with a jurisdiction layer,
        ``eez`` by default), or an ensemble folder of such runs.
    site
        A protected site or candidate of the coherence analysis (its name as in ``coherence/<network>.csv``
        or ``<network>.candidates.csv``).
    language
        en, fr or es (default: the scenario's ``report.language``).

    Returns
    -------
    DossierResult
        The site, the language and the paths of the HTML page and the PDF.

    Raises
    ------
    ScenarioError
        An unknown site (the message lists the valid names) or language.
    InputDataError
        ``out`` lacks the outputs a dossier needs (the message says what to add to the scenario).
    """
    out = Path(out)
    data = read_dossier(out, site)
    code = _language(data.scenario, language)
    folder = out / "dossier"
    folder.mkdir(exist_ok=True)
    name = slug(site)
    first = run_folders(out)[0][1]
    with i18n.use(code) as L, tempfile.TemporaryDirectory(dir=folder) as tmp:
        text = dossier_text(data, L)
        figures = {}
        for key, draw in (
            ("arrival", lambda p: plot_arrivals(data, L, p)),
            ("map", lambda p: plot_site_map(data, L, _land(first), p)),
        ):
            try:
                figures[key] = draw(Path(tmp) / f"{key}.png")
            except EmptyFigure:
                continue
        html_path, pdf_path = folder / f"{name}.html", folder / f"{name}.pdf"
        html_path.write_text(render_dossier_html(text, figures), encoding="utf-8")
        render_dossier_pdf(text, figures, pdf_path)
    return DossierResult(site, code, html_path, pdf_path)
