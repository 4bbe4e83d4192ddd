"""The report a negotiator opens: self-contained HTML, a PDF brief, rebuilt from a saved run."""

import re
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from marinenet.cli import app

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    d = tmp_path_factory.mktemp("report")
    sc = yaml.safe_load((REPO / "scenarios" / "demo.yaml").read_text())
    sc["release"]["particles"] = 400
    sc["simulation"]["duration"] = "6 days"
    sc["output"] = str(d / "demo")
    (d / "demo.yaml").write_text(yaml.safe_dump(sc))
    res = CliRunner().invoke(app, ["run", str(d / "demo.yaml"), "--quiet"])
    assert res.exit_code == 0, res.output
    return d / "demo"


def test_report_and_brief_are_written_and_self_contained(demo_run):
    html = (demo_run / "report.html").read_text()
    assert "SYNTHETIC DEMO" in html and "Headline findings" in html
    assert "400 particles were released from every zone of layer &#x27;eez&#x27; on 1 March 2021" in html
    assert "drifted passively with the currents for 6 days" in html
    # nothing is fetched from elsewhere: no http(s) sources, no external stylesheets or scripts
    assert not re.search(r"""(src|href)=["']https?://""", html)
    assert html.count("data:image/png;base64,") >= 8
    pdf = (demo_run / "brief.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 4


def test_report_command_rebuilds_from_the_saved_run(demo_run, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(demo_run, copy)
    (copy / "report.html").unlink()
    (copy / "brief.pdf").unlink()
    shutil.rmtree(copy / "maps")
    res = CliRunner().invoke(app, ["report", str(copy)])
    assert res.exit_code == 0, res.output
    assert (copy / "report.html").read_text().count("data:image/png;base64,") >= 8
    assert (copy / "maps" / "trajectories.png").exists()
    html = (copy / "report.html").read_text()  # the flows map, or the reason it is not drawn
    assert (copy / "maps" / "flows_eez.png").exists() or "Flows between zones: not drawn" in html
    bad = CliRunner().invoke(app, ["report", str(tmp_path)])
    assert bad.exit_code == 2 and "not a complete marinenet run directory" in bad.output


@pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="chromium is not installed (apt-get install chromium)"
)
def test_report_renders_in_headless_chromium(demo_run, tmp_path):
    from playwright.sync_api import sync_playwright

    errors = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--headless",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((demo_run / "report.html").as_uri())
        page.wait_for_load_state("load")
        sizes = page.eval_on_selector_all("img", "imgs => imgs.map(i => [i.complete, i.naturalWidth])")
        title = page.text_content("h1")
        wide = page.evaluate("document.documentElement.scrollWidth")  # no sideways scroll at 1280 px
        shot = tmp_path / "report.png"
        page.screenshot(path=str(shot), full_page=False)
        browser.close()
    assert title.startswith("Marine connectivity report")
    assert len(sizes) >= 8 and all(done and width > 100 for done, width in sizes)
    assert errors == []
    assert wide <= 1280
    assert shot.stat().st_size > 50_000


def test_the_demo_writes_the_dossier_of_its_high_seas_mpa(demo_run):
    """scenarios/demo.yaml names its high-seas MPA under report.dossiers: the run writes its dossier."""
    html = (demo_run / "dossier" / "estrel-rise-high-seas-mpa.html").read_text(encoding="utf-8")
    assert "Connectivity dossier: Estrel Rise High Seas MPA" in html and "SYNTHETIC DEMO" in html
    assert "lies 100.0 % in the high seas (ABNJ)" in html
    assert (demo_run / "dossier" / "estrel-rise-high-seas-mpa.pdf").read_bytes().startswith(b"%PDF")
