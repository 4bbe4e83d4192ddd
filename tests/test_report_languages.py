"""The report, brief and maps in English, French and Spanish: catalogues, locale formats, whole runs.

Expected formats are written out here from the typographic rules (French: decimal comma, narrow
no-break space for thousands and before %; Spanish: decimal comma, a space for thousands from five
digits, no-break space before %), not computed with the formatter under test. The run tests read
numbers back from the sentences and compare them with the run's own CSV files and summary.json.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html import escape

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from marinenet.cli import app
from marinenet.report import i18n

from .test_report_any_run import _scenario

NNBSP, NBSP = "\u202f", "\u00a0"
PDFTOTEXT = shutil.which("pdftotext")
#: words that would betray an English sentence left in a French or Spanish finding
ENGLISH = re.compile(
    r"\b(the|of|were|was|released|and|particles|larvae|swimmers|settled|which|from|with|interval|"
    r"zones? of|high seas|share|most|too few|reached|arrived|median days|outside)\b",
    re.I,
)


# ---------------------------------------------------------------- catalogues and formats


def test_every_language_has_every_key_with_the_same_placeholders():
    source = i18n.get("en").texts
    assert len(source) > 250  # every text of the report, brief and maps
    for code in ("fr", "es"):
        texts = i18n.get(code).texts
        assert set(texts) == set(source), (code, set(source) ^ set(texts))
        wrong = [k for k in source if i18n.placeholders(texts[k]) != i18n.placeholders(source[k])]
        assert wrong == [], (code, wrong)
        words = {k: re.sub(r"{\w+}", "", v) for k, v in source.items()}  # placeholders are not words
        same = [k for k in source if texts[k] == source[k] and re.search(r"[a-z]{4}", words[k])]
        assert [k for k in same if not k.startswith(_SAME_PREFIXES) and k not in _SAME] == [], code


#: texts that may read the same in two languages (identifiers, "{n} points", "larva", "error", "page")
_SAME_PREFIXES = ("col.", "outcome.", "unit.minute")
_SAME = {"pdf.page", "index.item", "where.points.other", "noun.larva.one", "xp.destination"}


@pytest.mark.parametrize(
    ("code", "share", "count", "small", "date", "when"),
    [
        ("en", "12.5 %", "1,234,567", "1,234", "1 March 2021", "5 March 2021, 06:30 UTC"),
        (
            "fr",
            f"12,5{NNBSP}%",
            f"1{NNBSP}234{NNBSP}567",
            f"1{NNBSP}234",
            "1er mars 2021",
            "5 mars 2021 à 06:30 UTC",
        ),
        (
            "es",
            f"12,5{NBSP}%",
            f"1{NNBSP}234{NNBSP}567",
            "1234",
            "1 de marzo de 2021",
            "5 de marzo de 2021, a las 06:30 UTC",
        ),
    ],
)
def test_numbers_and_dates_follow_the_locale(code, share, count, small, date, when):
    L = i18n.get(code)
    assert L.pct(0.125) == share
    assert L.count(1234567) == count and L.count(1234) == small
    assert L.date("2021-03-01T00:00:00") == date and L.when("2021-03-05T06:30") == when
    dec = "." if code == "en" else ","
    assert L.num(-2.25, 1) in (f"-2{dec}2", f"-2{dec}3") and L.num(-0.001, 2) == f"0{dec}00"  # no "-0"
    assert L.sig(0.000123456) == f"0{dec}000123" and L.num(float("nan")) == "nan"
    assert L.duration("30 days") == {"en": "30 days", "fr": "30 jours", "es": "30 días"}[code]
    assert L.duration("1 day") == {"en": "1 day", "fr": "1 jour", "es": "1 día"}[code]
    assert L.rate("0.2 per day") == {"en": "0.2 per day", "fr": "0,2 par jour", "es": "0,2 por día"}[code]


def test_an_unknown_language_is_a_clear_error(tmp_path):
    with pytest.raises(
        Exception, match=r"unknown language 'de'.*en \(English\), fr \(français\), es \(español\)"
    ):
        i18n.get("de")


# ---------------------------------------------------------------- whole runs in every language


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """A small passive run with an ABNJ (scenario in English) and a larva run whose scenario asks for French;
    each report rebuilt in the other languages with ``marinenet report OUT --language``."""
    made = {}
    for name, seed, kind, zones, lang in (
        ("many-zones-abnj", 11, "passive", 3, None),
        ("larvae-season", 14, "larva", 2, "fr"),
    ):
        d = tmp_path_factory.mktemp("lang") / name
        d.mkdir()
        path = _scenario(d, seed, kind, zones, True, "drift")
        if lang:
            sc = yaml.safe_load(path.read_text())
            sc["report"] = {"language": lang}
            path.write_text(yaml.safe_dump(sc))
        res = CliRunner().invoke(app, ["run", str(path), "--quiet"])
        assert res.exit_code == 0, res.output
        made[(kind, lang or "en")] = d / "out"
        for other in {"en", "fr", "es"} - {lang or "en"}:
            copy = d / f"out-{other}"
            shutil.copytree(d / "out", copy)
            res = CliRunner().invoke(app, ["report", str(copy), "--language", other])
            assert res.exit_code == 0, res.output
            made[(kind, other)] = copy
    return made


def _text(html: str) -> str:
    html = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", html)
    html = re.sub(r"<pre>.*?</pre>", "", html, flags=re.S)  # the scenario YAML keeps its English keys
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)  # not text the reader sees
    # collapse ASCII white space only: the no-break spaces are part of the numbers' format
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#x27;", "'")


def _section(html: str, start: str, end: str) -> str:
    return _text(html.split(start, 1)[1].split(end, 1)[0])


CASES = [(k, c) for k in ("passive", "larva") for c in ("en", "fr", "es")]


@pytest.mark.parametrize(("kind", "code"), CASES, ids=[f"{k}-{c}" for k, c in CASES])
def test_report_and_brief_are_written_in_the_language(runs, kind, code):
    out = runs[(kind, code)]
    L = i18n.get(code)
    html = (out / "report.html").read_text(encoding="utf-8")
    text = _text(html)
    assert f"<html lang='{code}'>" in html
    assert L.t("html.h1", name=out.parent.name) in text and L.t("html.caveats") in text
    assert not re.search(r"\bnan\b", text, re.I)
    assert not re.search(r"\{[a-z_]+\}", text), re.findall(r".{40}\{[a-z_]+\}.{20}", text)
    pdf = (out / "brief.pdf").read_bytes()
    assert f"/Lang ({code})".encode() in pdf
    if PDFTOTEXT:
        brief = subprocess.run(
            ["pdftotext", str(out / "brief.pdf"), "-"], capture_output=True, text=True
        ).stdout
        brief = re.sub(r"[ \t\r\n]+", " ", brief)
        assert L.t("pdf.findings") in brief and L.t("html.definitions") in brief
        assert not re.search(r"\bnan\b", brief, re.I) and not re.search(r"\{[a-z_]+\}", brief)
        info = subprocess.run(["pdfinfo", str(out / "brief.pdf")], capture_output=True, text=True).stdout
        assert L.t("pdf.title", name=out.parent.name) in info
    if code != "en":  # findings, description, caveats and definitions hold no English sentence
        words = " ".join(
            [
                _section(html, "<section>", "</section>"),
                _section(html, L.t("html.definitions") + "</h2>", "</section>"),
                _section(html, L.t("html.caveats") + "</h2>", "</section>"),
            ]
        )
        words = re.sub(r"'[^']*'", "", words)  # layer names are identifiers
        assert not ENGLISH.search(words), ENGLISH.findall(words)
        assert not re.search(r"\d\.\d", words)  # decimal comma, never a point
        assert "(UTC)" in text and L.t("month.1") in text  # dates with the month's name


_FATES = {
    "en": r"Of the ([\d,]+) \w+ released, (.+?)\. ",
    "fr": r"Sur les ([\d\u202f]+) \w+ lâchées, (.+?)\. ",
    "es": r"De las ([\d\u202f]+) \w+ liberadas, (.+?)\. ",
}
_FLOWS = {
    "en": r"Of the ([\d,]+) \w+ released in (Z\d), ([\d.]+) % \(95 % interval ([\d.]+) % to ([\d.]+) %\)",
    "fr": r"Sur les ([\d\u202f]+) \w+ lâchées dans (Z\d), ([\d,]+)\u202f% \(intervalle à 95\u202f% de "
    r"([\d,]+)\u202f% à ([\d,]+)\u202f%\)",
    "es": r"De las ([\d\u202f]+) \w+ liberadas en (Z\d), el ([\d,]+)\u00a0% \(intervalo del 95\u00a0% de "
    r"([\d,]+)\u00a0% a ([\d,]+)\u00a0%\)",
}


def _num(text: str, code: str) -> float:
    """A number as the locale writes it, read back (written out here, not with the formatter)."""
    text = text.replace(NNBSP, "").replace(NBSP, "")
    return float(text.replace(",", "")) if code == "en" else float(text.replace(".", "").replace(",", "."))


def _fates_expected(out, s: dict, kind: str) -> list[int]:
    """The outcome counts a fates sentence must state: for larvae, those still drifting at the end are
    'unsettled' with those that reached their PLD, as in the settlement table (checked here too)."""
    keys = ("active_at_end", "stranded", "out_of_domain", "settled", "dead", "unsettled", "arrived", "errors")
    expect = {k: s[k] for k in keys}
    if kind == "larva":
        expect["unsettled"] += expect.pop("active_at_end")
        table = pd.read_csv(out / "connectivity" / "eez.settlement.csv")
        assert table.loc[table["destination"] == "unsettled", "count"].sum() == expect["unsettled"]
    return sorted(v for v in expect.values() if v > 0)


@pytest.mark.parametrize(("kind", "code"), CASES, ids=[f"{k}-{c}" for k, c in CASES])
def test_numbers_in_the_sentences_equal_the_tables(runs, kind, code):
    out = runs[(kind, code)]
    s = json.loads((out / "summary.json").read_text())
    text = _text((out / "report.html").read_text(encoding="utf-8"))
    m = re.search(_FATES[code], text)
    assert m, text[:1500]
    assert _num(m.group(1), code) == s["particles_released"]
    said = re.findall(r"([\d\u202f,.]+) [^\d(]*\(([\d,.]+)[\u202f\u00a0 ]%\)", m.group(2))
    assert sorted(_num(k, code) for k, _ in said) == _fates_expected(out, s, kind)
    for k, share in said:
        assert _num(share, code) == pytest.approx(100 * _num(k, code) / s["particles_released"], abs=0.051)
    table = pd.read_csv(out / "connectivity" / ("eez.settlement.csv" if kind == "larva" else "eez.csv"))
    found = re.findall(_FLOWS[code], text)
    assert found, text[:3000]
    for n, src, share, low, high in found:
        rows = table[table["source"] == src]
        assert _num(n, code) == rows["count"].sum()
        own = rows[rows["destination"] == src].iloc[0]
        assert _num(share, code) == pytest.approx(100 * own["count"] / rows["count"].sum(), abs=0.051)
        assert _num(low, code) == pytest.approx(100 * own["ci_low"], abs=0.051)
        assert _num(high, code) == pytest.approx(100 * own["ci_high"], abs=0.051)


def test_table_headings_are_translated_but_the_csv_columns_stay_english(runs):
    out = runs[("passive", "es")]
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<th>retención local</th>" in html and "<th>local retention</th>" not in html
    assert pd.read_csv(out / "indices" / "eez.csv").columns[0] == "zone"
    assert "local_retention" in pd.read_csv(out / "indices" / "eez.csv").columns
    summary = json.loads((out / "summary.json").read_text())
    assert "particles_released" in summary


def test_scenario_language_must_be_known_exit_2(tmp_path):
    path = _scenario(tmp_path, 3, "passive", 1, False, "drift")
    sc = yaml.safe_load(path.read_text())
    sc["report"] = {"language": "de"}
    path.write_text(yaml.safe_dump(sc))
    res = CliRunner().invoke(app, ["validate", str(path)])
    assert res.exit_code == 2, res.output
    assert "report.language" in res.output and "'en'" in res.output and "'fr'" in res.output
    assert "'es'" in res.output and "Traceback" not in res.output


def test_report_language_option_must_be_known_exit_2_and_touches_nothing(runs):
    out = runs[("passive", "en")]
    before = (out / "report.html").read_bytes()
    res = CliRunner().invoke(app, ["report", str(out), "--language", "pt"])
    assert res.exit_code == 2, res.output
    assert (
        "unknown language 'pt'" in res.output
        and "fr (français)" in res.output
        and "es (español)" in res.output
    )
    assert (out / "report.html").read_bytes() == before


@pytest.mark.parametrize("code", ["fr", "es"])
def test_the_under_sampling_verdict_is_translated_with_its_numbers(code):
    """summary.json keeps convergence()'s English message; the report says it in its language."""
    from marinenet.connectivity.uncertainty import convergence
    from marinenet.report.texts import sampling_text

    ci = pd.DataFrame(  # two sources of 13 and 40 particles; half-widths up to 0.25; one unseen pair
        {
            "source": ["A", "A", "B", "B"],
            "destination": ["A", "B", "A", "B"],
            "fraction": [0.5, 0.0, 0.25, 0.75],
            "ci_low": [0.25, 0.0, 0.1, 0.6],
            "ci_high": [0.75, 0.2, 0.35, 0.9],
            "n_source": [13, 13, 40, 40],
        }
    )
    verdict = convergence(ci)
    assert not verdict["ok"]
    text = sampling_text(i18n.get(code), verdict["message"])
    assert text != verdict["message"] and not ENGLISH.search(text), text
    assert (
        "±0,250" in text and " 13 " in text and "±0,1 " in text and " 100" in text
    )  # half-width, smallest, targets
    assert "0,200" in text  # the largest upper bound of a pair never seen


@pytest.mark.parametrize(
    ("kind", "code", "word", "english"),
    [
        ("larva", "fr", "installation", "settlement"),
        ("larva", "es", "asentamiento", "settlement"),
        ("passive", "fr", "fin de la simulation", "end_of_run"),
        ("passive", "es", "final de la simulación", "end_of_run"),
    ],
)
def test_the_index_basis_is_translated_but_the_csv_keeps_english(runs, kind, code, word, english):
    out = runs[(kind, code)]
    html = (out / "report.html").read_text(encoding="utf-8")
    title = escape(i18n.get(code).t("table.indices", layer="eez"))
    table = _section(html, f"<h3>{title}</h3>", "</table>")
    assert f" {word} " in table and english not in table, table
    assert set(pd.read_csv(out / "indices" / "eez.csv")["basis"]) == {english}
