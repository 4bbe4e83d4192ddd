"""The report tells the truth about any run and never crashes: small random scenarios of every kind.

Each case draws a tiny scenario (passive / larva / swimmer; one zone or several; with and without
an ABNJ; everything leaving; nothing arriving; one particle) from a seeded generator, runs it through
the CLI and checks what a reader gets: exit 0, report.html and brief.pdf written, no ``nan``, no
traceback, and the numbers in the sentences equal the run's own tables (parsed back here).
"""

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

from marinenet.cli import app

from .conftest import write_boxes, write_cf_currents

T0 = np.datetime64("2021-01-01T00:00")
PDFTOTEXT = shutil.which("pdftotext")

#: (case, kind, zones, abnj, current) — the shapes the issue asks for; details drawn from a seeded rng
CASES = [
    ("many-zones-abnj", "passive", 3, True, "drift"),
    ("everything-leaves", "passive", 1, False, "fast"),
    ("one-particle", "passive", 2, True, "drift"),
    ("larvae-season", "larva", 2, True, "drift"),
    ("swimmers", "swimmer", 2, False, "still"),
    ("nothing-arrives", "passive", 2, True, "still"),
]


def _scenario(d: Path, seed: int, kind: str, n_zones: int, abnj: bool, current: str) -> Path:
    rng = np.random.default_rng(seed)
    days = int(rng.integers(3, 5))
    u = {"still": 0.0, "fast": 3.0, "drift": float(rng.uniform(0.1, 0.4))}[current]
    v = 0.0 if current == "still" else float(rng.uniform(-0.05, 0.05))
    times = np.array([T0 + np.timedelta64(k, "D") for k in range(days + 3)])
    axis_lon, axis_lat = np.arange(0, 8.01, 0.25), np.arange(0, 4.01, 0.25)
    write_cf_currents(
        d / "c.nc",
        axis_lon,
        axis_lat,
        times,
        lambda X, Y: np.full(X.shape, u),
        lambda X, Y: np.full(X.shape, v),
    )
    width = 6.5 / n_zones
    boxes = {f"Z{i}": (0.5 + i * width, 0.5, 0.5 + (i + 0.8) * width, 3.5) for i in range(n_zones)}
    write_boxes(d / "z.geojson", boxes)
    eez = {"path": "z.geojson", "id": "name"}
    if abnj:
        eez["outside"] = "ABNJ"
    sc = {
        "name": d.name,
        "seed": int(rng.integers(1, 1000)),
        "ocean": {"source": "c.nc"},
        "zones": {"eez": eez},
        "release": {
            "from": {"layer": "eez"},
            "particles": int(rng.integers(12, 40)),
            "start": "2021-01-01T00:00",
        },
        "simulation": {
            "duration": f"{days} days",
            "dt": "2 hours",
            "output_every": "12 hours",
            "engine": "fast",
        },
        "output": "out",
    }
    if d.name == "one-particle":
        sc["release"] = {"from": {"points": [[1.0, 2.0]]}, "particles": 1, "start": "2021-01-01T00:00"}
    if kind == "larva":
        sc["release"].update(every="1 days", until="2021-01-02T00:00")
        sc["behaviour"] = {
            "kind": "larva",
            "pld": f"{days} days",
            "competency": ["1 days", f"{days} days"],
            "mortality": "0.2 per day",
            "settle_in": {"layer": "eez"},
        }
    if kind == "swimmer":
        sc["behaviour"] = {
            "kind": "swimmer",
            "speed": 0.8,
            "target": {"layer": "eez", "ids": [f"Z{n_zones - 1}"]},
        }
        sc["release"]["from"] = {"layer": "eez", "ids": ["Z0"]}
    (d / "s.yaml").write_text(yaml.safe_dump(sc))
    return d / "s.yaml"


@pytest.fixture(scope="module", params=CASES, ids=[c[0] for c in CASES])
def case_run(request, tmp_path_factory):
    name, kind, n_zones, abnj, current = request.param
    d = tmp_path_factory.mktemp("any") / name
    d.mkdir()
    path = _scenario(d, CASES.index(request.param) + 11, kind, n_zones, abnj, current)
    res = CliRunner().invoke(app, ["run", str(path)])
    return d / "out", res, kind


def _html_text(path: Path) -> str:
    text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", path.read_text(encoding="utf-8"))
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))


def _pdf_pages(path: Path) -> list[str]:
    text = subprocess.run([PDFTOTEXT, "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return text.stdout.split("\f")[:-1]


def test_run_exits_0_and_writes_report_and_brief(case_run):
    out, res, _ = case_run
    assert res.exit_code == 0, res.output
    assert "Traceback" not in res.output and res.exception is None
    assert (out / "report.html").stat().st_size > 10_000 and (out / "brief.pdf").read_bytes().startswith(
        b"%PDF"
    )
    assert "Traceback" not in (out / "run.log").read_text()
    assert (out / "report.html").stat().st_mode & 0o777 == 0o644
    assert (out / "brief.pdf").stat().st_mode & 0o777 == 0o644


def test_no_nan_and_no_local_paths(case_run):
    out, _, _ = case_run
    text = _html_text(out / "report.html")
    assert not re.search(r"\bnan\b", text, re.I), re.findall(r".{60}\bnan\b.{20}", text, re.I)
    assert str(out.parent) not in text  # file names only, never the run's local folder
    if PDFTOTEXT:
        pdf = " ".join(_pdf_pages(out / "brief.pdf"))
        assert not re.search(r"\bnan\b", pdf, re.I)


def _num(s: str) -> float:
    return float(s.replace(",", ""))


def test_every_outcome_in_the_fates_sentence_matches_summary(case_run):
    out, res, kind = case_run
    s = json.loads((out / "summary.json").read_text())
    text = _html_text(out / "report.html")
    m = re.search(r"Of the ([\d,]+) (?:particles?|larvae|larva|swimmers?) released, (.+?)\. ", text)
    assert m, text[:2000]
    assert _num(m.group(1)) == s["particles_released"]
    said = sorted(_num(k) for k in re.findall(r"([\d,]+) [a-z][^(\d]*\(\d", m.group(2)))
    keys = ("active_at_end", "stranded", "out_of_domain", "settled", "dead", "unsettled", "arrived", "errors")
    expect = {k: s[k] for k in keys}
    if kind == "larva":  # larvae still drifting at the end did not settle: 'unsettled', as in the table
        expect["unsettled"] += expect.pop("active_at_end")
        table = pd.read_csv(out / "connectivity" / "eez.settlement.csv")
        assert table.loc[table["destination"] == "unsettled", "count"].sum() == expect["unsettled"]
        if expect["unsettled"]:
            assert re.search(rf"{expect['unsettled']:,} remained unsettled \(", m.group(2)), m.group(2)
        assert "still drifting at the end (" not in m.group(2)
    assert said == sorted(v for v in expect.values() if v > 0)
    assert sum(said) == s["particles_released"]
    # the terminal summary lists every outcome and where the report is
    for word in ("settled", "dead", "unsettled", "arrived", "stranded", "out of domain", "active at end"):
        assert word in res.output
    assert "report.html" in res.output


def test_flow_sentences_match_the_connectivity_table(case_run):
    out, _, kind = case_run
    text = _html_text(out / "report.html")
    larva = kind == "larva"
    table = pd.read_csv(out / "connectivity" / ("eez.settlement.csv" if larva else "eez.csv"))
    pattern = (
        r"Of the ([\d,]+) (?:particles?|larvae|larva|swimmers?) released in (\w+), ([\d.]+) % "
        r"\(95 % interval ([\d.]+) % to ([\d.]+) %\) (?:were|settled) in \2"
    )
    found = re.findall(pattern, text)
    sources = table.groupby("source")["count"].sum()
    zones = [z for z in sources.index if z.startswith("Z") and sources[z] > 0]
    assert {f[1] for f in found} == set(zones[:4])
    for n, src, share, low, high in found:
        rows = table[table["source"] == src]
        assert _num(n) == rows["count"].sum()
        own = rows.loc[rows["destination"] == src, "count"].sum() / rows["count"].sum()
        assert float(share) == pytest.approx(100 * own, abs=0.051)
        assert float(low) <= float(share) <= float(high) and float(high) > float(low)
        # the sentence's interval is the table's interval of that pair (one definition of each)
        own_row = rows[rows["destination"] == src].iloc[0]
        assert float(low) == pytest.approx(100 * own_row["ci_low"], abs=0.051)
        assert float(high) == pytest.approx(100 * own_row["ci_high"], abs=0.051)


def test_kind_specific_findings(case_run):
    out, _, kind = case_run
    s = json.loads((out / "summary.json").read_text())
    text = _html_text(out / "report.html")
    if kind == "larva":
        m = re.search(r"([\d,]+) of ([\d,]+) larvae settled", text)
        assert m and _num(m.group(1)) == s["settled"] and _num(m.group(2)) == s["particles_released"]
        assert "2 daily releases from 1 January 2021 to 2 January 2021" in text
        assert "no swimming, mortality or settlement" not in text and "drift passively" not in text
    elif kind == "swimmer":
        m = re.search(r"([\d,]+) of ([\d,]+) swimmers reached their target", text)
        assert m and _num(m.group(1)) == s["arrived"]
        assert "drift passively" not in text
    else:
        assert "drift passively with the currents: they do not swim, die or settle" in text


@pytest.mark.skipif(PDFTOTEXT is None, reason="poppler-utils (pdftotext) not installed")
def test_brief_pages_carry_metadata_and_caveats(case_run):
    out, _, _ = case_run
    pages = _pdf_pages(out / "brief.pdf")
    whole = " ".join(pages)
    assert "Caveats" in whole and "Definitions" in whole
    info = subprocess.run(["pdfinfo", str(out / "brief.pdf")], capture_output=True, text=True).stdout
    assert "Title:" in info and "Marine connectivity brief" in info and "Subject:" in info
