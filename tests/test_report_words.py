"""Words of the report that stayed English (or wrong) in French and Spanish: the engine choice's detail,
the map's hemisphere letters, and what swimmers still out at the end were doing (swimming, not drifting).

Expected texts are written out here (French and Spanish write west as O: ouest, oeste), not computed
with the formatter under test.
"""

from __future__ import annotations

import json
import re
import shutil
from html import escape
from types import SimpleNamespace

import numpy as np
import pytest
import xarray as xr
import yaml
from cartopy.mpl.gridliner import Gridliner
from matplotlib.backends.backend_agg import FigureCanvasAgg
from typer.testing import CliRunner

from marinenet.cli import app
from marinenet.engine.fast_engine import fast_supported
from marinenet.report import i18n
from marinenet.report.html import _engine_reason
from marinenet.report.maps import _base_axes, _degree_format

from .test_report_any_run import _scenario
from .test_report_languages import _fates_expected, _num, _text

#: English words of the engine reasons (select_engine, fast_supported, behaviours' supports)
ENGLISH = re.compile(
    r"\b(engine|the|fast engine|supports|this|run|regular lon|grid|currents|is|not|strictly|increasing|"
    r"curvilinear|behaviour|vertical migration|needs|requested|scenario)\b"
)


# ---------------------------------------------------------------- engine choice


def _reasons() -> list[str]:
    """Engine reasons as select_engine writes them, from the engine's own checks where possible."""
    lon, lat = np.arange(0.0, 3.0), np.arange(0.0, 2.0)
    regular = xr.Dataset(coords={"lon": lon, "lat": lat})
    curvilinear = xr.Dataset(coords={"lon": (("y", "x"), np.tile(lon, (2, 1))), "lat": lat})
    decreasing = xr.Dataset(coords={"lon": lon[::-1], "lat": lat})
    out = []
    for ds in (regular, curvilinear, decreasing):
        ok, why = fast_supported(SimpleNamespace(ocean=ds, behaviours=()))
        out.append(
            f"engine 'auto': the fast engine supports this run ({why})" if ok else f"engine 'auto': {why}"
        )
    out.append("engine 'auto': behaviour 'diel': vertical migration needs 3-D currents")
    return out + ["requested in the scenario"]


@pytest.mark.parametrize("code", ["fr", "es"])
def test_every_known_engine_reason_is_written_in_the_language(code):
    L = i18n.get(code)
    for reason in _reasons():
        said = _engine_reason(L, reason)
        assert not ENGLISH.search(said), (reason, said)
    assert "'lon'" not in said and "lon" in _engine_reason(L, _reasons()[1])  # the axis is named


def test_an_unknown_engine_reason_is_shown_as_it_is():
    said = _engine_reason(i18n.get("fr"), "engine 'auto': a new reason")
    assert said.startswith("moteur") and said.endswith(": a new reason")
    assert _engine_reason(i18n.get("es"), "something else") == "something else"


# ---------------------------------------------------------------- map ticks

TICKS = {  # (longitude -7.5, -5, 0, 5, 190; latitude -10, 10)
    "en": ["7.5°W", "5°W", "0°", "5°E", "170°W", "10°S", "10°N"],
    "fr": ["7,5°O", "5°O", "0°", "5°E", "170°O", "10°S", "10°N"],
    "es": ["7,5°O", "5°O", "0°", "5°E", "170°O", "10°S", "10°N"],
}


@pytest.mark.parametrize("code", sorted(TICKS))
def test_map_axis_ticks_use_the_language_s_hemisphere_letters(code):
    with i18n.use(code):
        lon, lat = _degree_format("lon"), _degree_format("lat")
    said = [lon(x, 0) for x in (-7.5, -5, 0, 5, 190)] + [lat(y, 0) for y in (-10, 10)]
    assert said == TICKS[code]


def test_a_french_map_is_drawn_with_o_for_west():
    land = xr.DataArray(
        np.zeros((9, 21), bool),
        coords={"lat": np.linspace(-2.0, 6.0, 9), "lon": np.linspace(-10.0, 10.0, 21)},
        dims=("lat", "lon"),
    )
    with i18n.use("fr"):
        fig, ax = _base_axes(land, "carte", True)
        FigureCanvasAgg(fig).draw()
    (gl,) = [a for a in ax.artists if isinstance(a, Gridliner)]
    assert gl.xformatter(-5.0, 0) == "5°O" and gl.yformatter(5.0, 0) == "5°N"
    labels = [label.artist.get_text() for label in gl._labels if label.artist.get_visible()]
    assert "5°O" in labels and "5°N" in labels and not [t for t in labels if "°W" in t], labels


# ---------------------------------------------------------------- a swimmer run, engine 'auto'


@pytest.fixture(scope="module")
def swimmers(tmp_path_factory):
    """Slow swimmers (2 cm/s) in still water, far from their target: most are still swimming at the end.
    Engine 'auto', scenario in Spanish; the report rebuilt in French and English."""
    d = tmp_path_factory.mktemp("words") / "slow-swimmers"
    d.mkdir()
    path = _scenario(d, 21, "swimmer", 2, True, "still")
    sc = yaml.safe_load(path.read_text())
    sc["behaviour"]["speed"] = 0.02
    sc["simulation"]["engine"] = "auto"
    sc["report"] = {"language": "es"}
    path.write_text(yaml.safe_dump(sc))
    res = CliRunner().invoke(app, ["run", str(path), "--quiet"])
    assert res.exit_code == 0, res.output
    made = {"es": d / "out"}
    for code in ("fr", "en"):
        shutil.copytree(d / "out", d / f"out-{code}")
        res = CliRunner().invoke(app, ["report", str(d / f"out-{code}"), "--language", code])
        assert res.exit_code == 0, res.output
        made[code] = d / f"out-{code}"
    return made


_FATES = {
    "en": r"Of the ([\d,]+) swimmers released, (.+?)\. ",
    "fr": r"Sur les ([\d\u202f]+) particules nageuses lâchées, (.+?)\. ",
    "es": r"De las ([\d\u202f]+) partículas nadadoras liberadas, (.+?)\. ",
}
_STILL = {  # what swimmers still out at the end were doing, and the drifting words that are wrong for them
    "en": (r"([\d,]+) were still swimming at the end", "drifting"),
    "fr": (r"([\d\u202f]+) nageaient encore à la fin", "dériv"),
    "es": (r"([\d\u202f]+) seguían nadando al final", "deriva"),
}


@pytest.mark.parametrize("code", ["en", "fr", "es"])
def test_swimmers_still_out_at_the_end_were_swimming(swimmers, code):
    out = swimmers[code]
    s = json.loads((out / "summary.json").read_text())
    assert s["active_at_end"] >= 2  # the sentence takes the plural form
    text = _text((out / "report.html").read_text(encoding="utf-8"))
    m = re.search(_FATES[code], text)
    assert m, text[:1500]
    pattern, wrong = _STILL[code]
    still = re.search(pattern, m.group(2))
    assert still and _num(still.group(1), code) == s["active_at_end"], m.group(2)
    assert wrong not in m.group(2)
    said = re.findall(r"([\d\u202f,.]+) [^\d(]*\(([\d,.]+)[\u202f\u00a0 ]%\)", m.group(2))
    assert sorted(_num(k, code) for k, _ in said) == _fates_expected(out, s, "swimmer")


@pytest.mark.parametrize("code", ["fr", "es"])
def test_the_engine_line_of_an_auto_run_has_no_english(swimmers, code):
    out = swimmers[code]
    s = json.loads((out / "summary.json").read_text())
    assert s["engine_reason"].startswith("engine 'auto': the fast engine supports this run")  # English
    html = (out / "report.html").read_text(encoding="utf-8")
    row = html.split(f"<th scope='row'>{escape(i18n.get(code).t('meta.engine'))}</th>", 1)[1]
    line = _text(row.split("</tr>", 1)[0]).split("(", 1)[1]  # after the engine's name, an identifier
    assert "auto" in line and not ENGLISH.search(line), line
