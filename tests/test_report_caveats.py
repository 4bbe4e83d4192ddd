"""A larva run too short for its larvae to settle says so: in validate (a warning), the report and the brief."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from marinenet.behaviour.timing import settlement_window
from marinenet.cli import app

from .conftest import write_boxes, write_cf_currents

DAY = 86400.0
PDFTOTEXT = shutil.which("pdftotext")


@pytest.mark.parametrize(
    ("run", "pld", "comp", "case"),
    [
        (20, 196, (152, 196), "none"),  # spiny lobster profile, 20-day run
        (160, 196, (152, 196), "cut"),  # ends inside the competency window
        (190, 196, (152, 180), "pld"),  # after competency, before the PLD
        (196, 196, (152, 196), None),  # long enough
        (30, 30, None, None),  # no competency given: competent throughout the PLD
    ],
)
def test_settlement_window_cases(run, pld, comp, case):
    w = settlement_window(run * DAY, pld * DAY, None if comp is None else (comp[0] * DAY, comp[1] * DAY))
    assert w.case == case
    assert (w.message() is None) == (case is None)
    if case == "none":
        assert w.message().startswith("the run lasted 20 days; larvae become able to settle from day 152")


def test_settlement_window_message_in_french_and_spanish():
    from marinenet.report import i18n

    w = settlement_window(1500 * DAY, 2000 * DAY, (1200 * DAY, 2000 * DAY))  # > 1,000 days: grouped digits
    nnbsp = "\u202f"  # French: narrow no-break space in 1 500 and before ';'
    assert w.message(i18n.get("fr")).startswith(
        f"la simulation a duré 1{nnbsp}500 jours{nnbsp}; les larves peuvent s'installer du jour 1{nnbsp}200 "
        f"au jour 2{nnbsp}000, si bien que"
    )
    assert w.message(i18n.get("es")).startswith(  # Spanish: four digits are not grouped
        "la simulación duró 1500 días; las larvas pueden asentarse del día 1200 al día 2000, por lo que"
    )
    assert w.message().startswith("the run lasted 1,500 days; larvae can settle from day 1,200 to day 2,000")


def _scenario(d: Path, days: int, profile: str = "spiny_lobster") -> Path:
    times = np.array([np.datetime64("2021-01-01") + np.timedelta64(k, "D") for k in range(days + 2)])
    lon, lat = np.arange(0, 6.01, 0.5), np.arange(0, 4.01, 0.5)
    write_cf_currents(d / "c.nc", lon, lat, times, lambda X, Y: 0.02 + 0 * X, lambda X, Y: 0 * X)
    write_boxes(d / "z.geojson", {"A": (0.5, 0.5, 2.5, 3.5), "B": (3.0, 0.5, 5.5, 3.5)})
    sc = {
        "name": "short-larvae",
        "seed": 3,
        "ocean": {"source": "c.nc"},
        "zones": {"eez": {"path": "z.geojson", "id": "name"}},
        "release": {"from": {"layer": "eez"}, "particles": 20, "start": "2021-01-01T00:00"},
        "behaviour": {"kind": "larva", "profile": profile, "settle_in": {"layer": "eez"}},
        "simulation": {
            "duration": f"{days} days",
            "dt": "6 hours",
            "output_every": "1 day",
            "engine": "fast",
        },
        "output": "out",
    }
    (d / "s.yaml").write_text(yaml.safe_dump(sc))
    return d / "s.yaml"


def _text(path: Path) -> str:
    text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", path.read_text(encoding="utf-8"))
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))


WHY = "the run lasted 20 days; larvae become able to settle from day 152"


def test_validate_warns_but_accepts_a_run_ending_before_competency(tmp_path):
    path = _scenario(tmp_path, 20)
    res = CliRunner().invoke(app, ["validate", str(path)])
    assert res.exit_code == 0, res.output
    assert "warning" in res.output and "The run lasted 20 days" in res.output and "day 152" in res.output
    quick = CliRunner().invoke(app, ["validate", str(path), "--quick"])
    assert quick.exit_code == 0 and "day 152" in quick.output


def test_validate_says_nothing_when_the_run_covers_the_larval_life(tmp_path):
    path = _scenario(tmp_path, 30, profile="broadcast_coral")  # PLD 30 days, competency from day 4
    res = CliRunner().invoke(app, ["validate", str(path)])
    assert res.exit_code == 0 and "warning" not in res.output


def test_report_and_brief_say_why_nothing_settled(tmp_path):
    path = _scenario(tmp_path, 20)
    res = CliRunner().invoke(app, ["run", str(path), "--quiet"])
    assert res.exit_code == 0, res.output
    out = tmp_path / "out"
    assert json.loads((out / "summary.json").read_text())["settled"] == 0
    text = _text(out / "report.html")
    assert re.search(r"0 of 20 larvae settled \([^)]*\) — " + WHY, text)
    assert "Run length: " + WHY in text  # the caveat
    # ages in days, as the reader compares them with the run's length (not '28 weeks')
    assert "pelagic larval duration of 196 days, could settle between ages 152 days and 196 days" in text
    assert "The run lasted 20 days" in (out / "run.log").read_text()
    # larvae still drifting at the end did not settle: the words agree with the settlement table
    s = json.loads((out / "summary.json").read_text())
    table = pd.read_csv(out / "connectivity" / "eez.settlement.csv")
    unsettled = int(table.loc[table["destination"] == "unsettled", "count"].sum())
    assert unsettled == s["active_at_end"] + s["unsettled"] > 0 and s["active_at_end"] > 0
    fates = re.search(r"Of the 20 larvae released, (.+?)\. ", text)[1]
    assert f"{unsettled} remained unsettled (" in fates and "still drifting when the run ended" in fates
    assert "were still drifting at the end" not in fates
    if PDFTOTEXT:
        pdf = subprocess.run([PDFTOTEXT, str(out / "brief.pdf"), "-"], capture_output=True, text=True).stdout
        assert "day 152" in re.sub(r"\s+", " ", pdf)
