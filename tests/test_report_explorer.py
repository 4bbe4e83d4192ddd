"""The connectivity explorer of report.html, driven in headless Chromium: what it shows is the CSV.

Choose a zone (list, click, keyboard) → the outgoing and incoming tables and the map's colours must
equal the rows of ``connectivity/<layer>.csv`` (``.settlement.csv`` for larvae) for that zone, formatted
here independently of the page's script. The whole page is also checked with axe-core (vendored under
tests/data/axe, MPL-2.0) when Chromium is present.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from marinenet.cli import app

from .conftest import write_boxes, write_cf_currents

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).parent / "data" / "axe" / "axe.min.js"
OUTCOMES = {"stranded", "out_of_domain", "error", "dead", "unsettled", "land"}

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="chromium is not installed (apt-get install chromium)"
)


def _run(d: Path, kind: str, language: str | None = None, particles: int = 150) -> Path:
    times = np.array([np.datetime64("2021-01-01") + np.timedelta64(k, "D") for k in range(8)])
    lon, lat = np.arange(0, 8.01, 0.25), np.arange(0, 4.01, 0.25)
    write_cf_currents(d / "c.nc", lon, lat, times, lambda X, Y: 0.15 + 0 * X, lambda X, Y: 0.02 + 0 * X)
    write_boxes(
        d / "z.geojson", {"Z0": (0.5, 0.5, 2.5, 3.5), "Z1": (3.0, 0.5, 5.0, 3.5), "Z2": (5.5, 0.5, 7.5, 3.5)}
    )
    sc = {
        "name": f"explorer-{kind}",
        "seed": 5,
        "ocean": {"source": "c.nc"},
        "zones": {"eez": {"path": "z.geojson", "id": "name", "outside": "ABNJ"}},
        "release": {"from": {"layer": "eez"}, "particles": particles, "start": "2021-01-01T00:00"},
        "simulation": {"duration": "5 days", "dt": "3 hours", "output_every": "1 day", "engine": "fast"},
        "output": "out",
    }
    if kind == "larva":
        sc["behaviour"] = {
            "kind": "larva",
            "pld": "5 days",
            "competency": ["1 days", "5 days"],
            "mortality": "0.1 per day",
            "settle_in": {"layer": "eez"},
        }
    if language:
        sc["report"] = {"language": language}
    (d / "s.yaml").write_text(yaml.safe_dump(sc))
    res = CliRunner().invoke(app, ["run", str(d / "s.yaml"), "--quiet"])
    assert res.exit_code == 0, res.output
    return d / "out"


@pytest.fixture(scope="module", params=["passive", "larva"])
def run(request, tmp_path_factory):
    d = tmp_path_factory.mktemp(f"explorer-{request.param}")
    out = _run(d, request.param)
    csv = out / "connectivity" / ("eez.settlement.csv" if request.param == "larva" else "eez.csv")
    return out, pd.read_csv(csv)


def _pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def _expected_out(table: pd.DataFrame, zone: str) -> list[list[str]]:
    rows = table[(table["source"] == zone) & (table["count"] > 0)]
    return sorted(
        [r.destination, f"{int(r.count):,}", _pct(r.fraction), f"{_pct(r.ci_low)} – {_pct(r.ci_high)}"]
        for r in rows.itertuples()
    )


def _expected_in(table: pd.DataFrame, zone: str) -> list[list[str]]:
    rows = table[(table["destination"] == zone) & (table["count"] > 0)]
    total = rows["count"].sum()
    return sorted(
        [
            r.source,
            f"{int(r.count):,}",
            _pct(r.count / total),
            _pct(r.fraction),
            f"{_pct(r.ci_low)} – {_pct(r.ci_high)}",
        ]
        for r in rows.itertuples()
    )


def _shown(page, table_id: str) -> list[list[str]]:
    cells = page.eval_on_selector_all(
        f"#{table_id} tbody tr", "rows => rows.map(r => [...r.cells].map(c => c.textContent))"
    )
    return sorted(c for c in cells if c != ["none"])


def _browser(p):
    return p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--headless", "--disable-gpu"])


def test_choosing_a_zone_shows_its_csv_rows(run):
    from playwright.sync_api import sync_playwright

    out, table = run
    errors: list[str] = []
    with sync_playwright() as p:
        browser = _browser(p)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((out / "report.html").as_uri())
        options = page.eval_on_selector_all("#xp-zone option", "o => o.map(x => x.value)")
        assert {"Z0", "Z1", "Z2", "ABNJ"} <= set(options)
        coloured = 0
        for zone in options:
            page.select_option("#xp-zone", zone)
            assert _shown(page, "xp-out") == _expected_out(table, zone), zone
            assert _shown(page, "xp-in") == _expected_in(table, zone), zone
            # the map: exactly the zones that received particles from this one are coloured, by fraction
            values = dict(
                page.eval_on_selector_all(
                    ".xp-zone", "ps => ps.map(p => [p.dataset.zone, parseFloat(p.dataset.value)])"
                )
            )
            rows = table[(table["source"] == zone) & ~table["destination"].isin(OUTCOMES)]
            want = {r.destination: r.fraction for r in rows.itertuples() if r.count > 0}
            assert {z for z, v in values.items() if v > 0} == set(want)
            coloured += len(want)
            for z, f in want.items():
                assert values[z] == pytest.approx(f, rel=1e-6)
            chosen = page.eval_on_selector_all(".xp-zone.xp-chosen", "ps => ps.map(p => p.dataset.zone)")
            assert chosen == [zone]
        browser.close()
    assert errors == [] and coloured >= 3


def test_click_keyboard_and_incoming_mode(run):
    from playwright.sync_api import sync_playwright

    out, table = run
    with sync_playwright() as p:
        browser = _browser(p)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto((out / "report.html").as_uri())
        page.click(".xp-zone[data-zone='Z1']")
        assert page.input_value("#xp-zone") == "Z1"
        assert _shown(page, "xp-out") == _expected_out(table, "Z1")
        page.focus(".xp-zone[data-zone='Z2']")
        page.keyboard.press("Enter")
        assert page.input_value("#xp-zone") == "Z2"
        assert page.get_attribute(".xp-zone[data-zone='Z2']", "aria-pressed") == "true"
        page.check("input[name=xp-mode][value=in]")  # colour by where Z2's arrivals came from
        values = dict(
            page.eval_on_selector_all(
                ".xp-zone", "ps => ps.map(p => [p.dataset.zone, parseFloat(p.dataset.value)])"
            )
        )
        rows = table[(table["destination"] == "Z2") & (table["count"] > 0)]
        for r in rows.itertuples():
            assert values[r.source] == pytest.approx(r.count / rows["count"].sum(), rel=1e-6)
        status = page.text_content("#xp-status")
        browser.close()
    released = table.loc[table["source"] == "Z2", "count"].sum()
    assert status.startswith(f"Z2: {int(released):,} released, {int(rows['count'].sum()):,} ")


NNBSP = "\u202f"


def _fr_count(n: float) -> str:
    """French: thousands grouped by a narrow no-break space from four digits (Imprimerie nationale)."""
    return f"{int(n):,}".replace(",", NNBSP)


def _fr_pct(x: float) -> str:
    """French: decimal comma, narrow no-break space before %."""
    return f"{100 * x:.1f}".replace(".", ",") + NNBSP + "%"


@pytest.fixture(scope="module")
def run_fr(tmp_path_factory):
    d = tmp_path_factory.mktemp("explorer-fr")
    out = _run(d, "passive", language="fr", particles=6000)  # enough for a count with a thousands group
    return out, pd.read_csv(out / "connectivity" / "eez.csv")


def test_french_explorer_formats_numbers_for_the_locale(run_fr):
    from playwright.sync_api import sync_playwright

    out, table = run_fr
    zone = table.groupby("source")["count"].sum().drop("ABNJ", errors="ignore").idxmax()
    rows = table[(table["source"] == zone) & (table["count"] > 0)]
    assert rows["count"].max() >= 1000  # the test needs a grouped count
    errors: list[str] = []
    with sync_playwright() as p:
        browser = _browser(p)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((out / "report.html").as_uri())
        assert page.get_attribute("html", "lang") == "fr"
        page.select_option("#xp-zone", zone)
        heads = page.eval_on_selector_all("#xp-out thead th", "hs => hs.map(h => h.textContent)")
        shown = page.eval_on_selector_all(
            "#xp-out tbody tr",
            "rs => rs.map(r => [r.dataset.destination, ...[...r.cells].map(c => c.textContent)])",
        )
        status = page.text_content("#xp-status")
        heading = page.text_content("#xp-h")
        browser.close()
    assert errors == []
    assert heading == "Explorer la connectivité"
    assert heads == ["Destination", "Nombre", "Part de l'origine", f"Intervalle à 95{NNBSP}%"]
    words = {"out_of_domain": "hors domaine", "stranded": "échouées", "ABNJ": "ABNJ"}
    want = sorted(
        [
            r.destination,
            words.get(r.destination, r.destination),
            _fr_count(r.count),
            _fr_pct(r.fraction),
            f"{_fr_pct(r.ci_low)} – {_fr_pct(r.ci_high)}",
        ]
        for r in rows.itertuples()
    )
    assert sorted(shown) == want
    released = int(rows["count"].sum())
    assert status.startswith(f"{zone}\u00a0: {_fr_count(released)} lâchées, ")


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not vendored under tests/data/axe")
def test_report_is_axe_clean(run):
    from playwright.sync_api import sync_playwright

    out, _ = run
    with sync_playwright() as p:
        browser = _browser(p)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto((out / "report.html").as_uri())
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(
            "async () => (await axe.run(document)).violations"
            ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))"
        )
        browser.close()
    assert violations == []
