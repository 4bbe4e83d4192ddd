"""Monitoring over time: Theil–Sen slopes and Mann–Kendall tests across ensemble members, the per-member
coherence and key flows, and the ensemble report.

The statistics are checked on series whose answers are worked out by hand here (pairwise slopes
enumerated, the S statistic and its tie-corrected variance counted, Sen's rank formula for the slope
interval), not with the functions under test. The end-to-end ensemble drifts particles east out of
box A (lon 1..2) for 2 days in a uniform current that is 0.05 m/s faster each year (0.05 m/s in 2015
to 0.25 m/s in 2019): a particle moves d = u·T/(1852·60·cos φ) degrees, so the share of A's particles
that ends in the adjacent box B (lon 2..3) is about d (0.078 to 0.39) and grows every year; the same
seed puts the particles at the same points in every member, so it grows strictly.
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
from datetime import datetime

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy import stats
from typer.testing import CliRunner

from marinenet.cli import app
from marinenet.ensemble_trends import decimal_year, mann_kendall, trend

from .conftest import DEG2M, write_boxes, write_cf_currents

NNBSP, NBSP = "\u202f", "\u00a0"


# ---------------------------------------------------------------- statistics by hand


def test_exact_linear_series_has_its_slope_tau_one_and_an_increasing_verdict():
    t = [2015.0, 2016.0, 2017.0, 2018.0, 2019.0]
    y = [3.0 + 0.5 * (x - 2015) for x in t]
    tr = trend(t, y)
    assert tr.slope_per_year == pytest.approx(0.5) and tr.slope_ci_low == pytest.approx(0.5)
    assert tr.slope_ci_high == pytest.approx(0.5)
    assert tr.intercept + tr.slope_per_year * 2017 == pytest.approx(4.0)
    # every pair rises: S = 10 pairs, Var S = 5·4·15/18, Z = (10 − 1)/√Var S
    assert tr.S == 10 and tr.var_S == pytest.approx(300 / 18) and tr.tau == 1.0
    assert tr.p_value == pytest.approx(math.erfc(9 / math.sqrt(300 / 18) / math.sqrt(2)))
    assert tr.p_value < 0.05 and tr.verdict == "increasing"


def test_mann_kendall_s_and_tie_corrected_variance_by_hand():
    # y = 1, 3, 2, 2, 5: signs from 1: + + + + (4); from 3: − − + (−1); from 2: 0 + (1); from 2: + (1) → S = 5
    # one pair of tied values (t_g = 2): Var S = (5·4·15 − 2·1·9)/18 = 282/18
    S, var, tau, p = mann_kendall([0, 1, 2, 3, 4], [1, 3, 2, 2, 5])
    assert S == 5 and var == pytest.approx(282 / 18)
    z = (5 - 1) / math.sqrt(282 / 18)
    assert p == pytest.approx(math.erfc(z / math.sqrt(2)))  # 2·(1 − Φ(z)), ≈ 0.312
    assert tau == pytest.approx(5 / math.sqrt(10 * 9))  # tau-b: 10 pairs, 1 tied in y
    assert tau == pytest.approx(stats.kendalltau([0, 1, 2, 3, 4], [1, 3, 2, 2, 5]).statistic)
    # the order of the members is their time, not the order given
    assert mann_kendall([4, 3, 2, 1, 0], [5, 2, 2, 3, 1])[0] == 5


def test_decreasing_series_with_noise():
    t = np.arange(2010, 2018, dtype=float)
    y = [9.0, 8.5, 8.7, 7.9, 7.0, 7.2, 6.1, 5.5]  # S = −(28 − 2·2) = −24: two rising pairs
    tr = trend(t, y)
    assert tr.S == -24 and tr.verdict == "decreasing" and tr.slope_per_year < 0


def test_theil_sen_interval_follows_sens_rank_formula():
    t = np.arange(10, dtype=float)
    y = np.array([0.0, 1.3, 1.1, 3.7, 3.2, 5.9, 5.1, 8.4, 7.3, 9.9])
    slopes = sorted((y[j] - y[i]) / (t[j] - t[i]) for i in range(10) for j in range(i + 1, 10))
    # N = 45 slopes; C = 1.96·√(10·9·25/18) = 21.91; lower rank (N − C)/2 = 11.5 → 12th, upper (N + C)/2 + 1 = 34.5 → 34th
    tr = trend(t, y)
    assert tr.slope_per_year == pytest.approx(slopes[22])  # the median of 45
    assert tr.slope_ci_low == pytest.approx(slopes[11]) and tr.slope_ci_high == pytest.approx(slopes[33])


def test_constant_series_has_no_trend():
    tr = trend([2015, 2016, 2017, 2018, 2019], [4.2] * 5)
    assert tr.slope_per_year == 0 and tr.S == 0 and tr.var_S == 0 and tr.p_value == 1.0
    assert tr.verdict == "no detectable trend"


def test_fewer_than_four_members_cannot_show_a_trend():
    tr = trend([2015, 2016, 2017], [1.0, 2.0, 3.0])
    assert tr.n_members == 3 and tr.slope_per_year == pytest.approx(1.0) and tr.verdict == "too few members"
    # an undefined value leaves its member out
    tr = trend([2015, 2016, 2017, 2018], [1.0, np.nan, 3.0, 4.0])
    assert tr.n_members == 3 and tr.verdict == "too few members"
    assert trend([2015], [1.0]).verdict == "too few members"


def test_decimal_year():
    assert decimal_year("2021-07-02T12:00") == pytest.approx(2021.5)  # 182.5 of 365 days
    assert decimal_year(datetime(2020, 1, 1)) == 2020.0
    assert decimal_year("2020-12-31") == pytest.approx(2020 + 365 / 366)


# ---------------------------------------------------------------- release dates of the members


def _scenario_file(d, **over):
    base = yaml.safe_load((d / "s.yaml").read_text())
    base.update(over)
    f = d / "s2.yaml"
    f.write_text(yaml.safe_dump(base))
    return f


def test_members_keep_the_release_pattern():
    from marinenet.ensemble import _members
    from marinenet.scenario import Scenario

    sc = Scenario.model_validate(
        {
            "name": "x",
            "ocean": {"source": "demo"},
            "zones": {"eez": {"source": "demo"}},
            "release": {
                "from": {"layer": "eez"},
                "particles": 5,
                "start": "2021-03-01",
                "every": "7 days",
                "until": "2021-03-15",
            },
            "simulation": {"duration": "1 day"},
        }
    )
    m = _members(sc, ["2022-03-01"])["2022-03-01T0000"]
    assert m.release.start == datetime(2022, 3, 1) and m.release.until == datetime(2022, 3, 15)


# ---------------------------------------------------------------- an ensemble over five years

U0, DU, T_DAYS, LAT = 0.05, 0.05, 2.0, 1.5
YEARS = list(range(2015, 2020))


def _share_to_b(year):
    """Share of A's particles ending in B: the drift in degrees of longitude (A is 1° wide)."""
    u = U0 + DU * (year - 2015)
    return u * T_DAYS * 86400 / (DEG2M * math.cos(math.radians(LAT)))


@pytest.fixture(scope="module")
def five_years(tmp_path_factory):
    d = tmp_path_factory.mktemp("years")
    times = np.arange(np.datetime64("2015-01-01"), np.datetime64("2020-01-01"), np.timedelta64(1, "D"))
    lon, lat = np.arange(0, 5.01, 0.5), np.arange(0, 3.01, 0.5)
    year = times.astype("datetime64[Y]").astype(int) + 1970
    u = np.broadcast_to((U0 + DU * (year - 2015))[:, None, None], (times.size, lat.size, lon.size)).copy()
    write_cf_currents(d / "c.nc", lon, lat, times, u, np.zeros_like(u))
    write_boxes(d / "mpa.geojson", {"A": (1, 1, 2, 2), "B": (2, 1, 3, 2)})
    write_boxes(d / "study.geojson", {"sea": (0, 0, 5, 3)})
    write_boxes(d / "eez.geojson", {"X": (0, 0, 3.5, 3), "Y": (3.5, 0, 5, 3)})  # X holds A and B, Y none
    sc = {
        "name": "years",
        "seed": 5,
        "ocean": {"source": "c.nc"},
        "zones": {
            "mpa": {"path": "mpa.geojson", "id": "name", "protected": True},
            "study": {"path": "study.geojson", "id": "name"},
            "eez": {"path": "eez.geojson", "id": "name", "outside": "high_seas"},
        },
        "release": {"from": {"layer": "mpa"}, "particles": 400, "start": "2015-03-01T00:00"},
        "simulation": {
            "duration": f"{T_DAYS:g} days",
            "dt": "1 hour",
            "output_every": "1 day",
            "engine": "fast",
        },
        "analysis": {
            "coherence": {"network": "mpa", "region": "study", "bootstrap": 40, "jurisdiction": "eez"}
        },
    }
    (d / "s.yaml").write_text(yaml.safe_dump(sc))
    res = CliRunner().invoke(
        app, ["ensemble", str(d / "s.yaml"), "--years", "2015-2019", "--out", str(d / "ens"), "-q"]
    )
    assert res.exit_code == 0, res.output
    return d


def test_years_give_one_member_per_year_on_the_release_day(five_years):
    members = sorted(p.name for p in (five_years / "ens" / "members").iterdir())
    assert members == [f"{y}-03-01T0000" for y in YEARS]
    coh = pd.read_csv(five_years / "ens" / "ensemble" / "coherence_members.csv")
    assert list(coh["member"]) == members and (coh["network"] == "mpa").all()
    for col in ("PC", "ECA_km2", "ProtConn_percent", "ProtConn_percent_ci_low", "ProtConn_percent_ci_high"):
        assert coh[col].notna().all(), col
    assert coh["t_year"].tolist() == pytest.approx([y + 59 / 365 for y in YEARS])


def test_key_flow_follows_the_current_and_trends_up(five_years):
    ens = five_years / "ens" / "ensemble"
    flows = pd.read_csv(ens / "flows_members.csv", keep_default_na=False, na_values=[""])
    ab = flows[
        (flows["layer"] == "mpa")
        & (flows["kind"] == "flow")
        & (flows["source"] == "A")
        & (flows["destination"] == "B")
    ].sort_values("t_year")
    assert len(ab) == 5
    assert ab["fraction"].tolist() == pytest.approx([_share_to_b(y) for y in YEARS], abs=0.06)
    assert (np.diff(ab["fraction"]) > 0).all()
    trends = pd.read_csv(ens / "trends.csv", keep_default_na=False, na_values=[""])
    row = trends[
        (trends["indicator"] == "fraction")
        & (trends["zone"] == "A")
        & (trends["destination"] == "B")
        & (trends["layer"] == "mpa")
    ].iloc[0]
    assert row["verdict"] == "increasing" and row["tau"] == 1.0 and row["n_members"] == 5
    expected_slope = _share_to_b(2016) - _share_to_b(2015)  # 0.078 a year
    assert row["slope_per_year"] == pytest.approx(expected_slope, rel=0.35)
    for key in ("ProtConn_percent", "ECA_km2", "PC"):
        r = trends[trends["indicator"] == key].iloc[0]
        assert r["verdict"] == "increasing" and r["slope_per_year"] > 0 and r["slope_ci_low"] > 0, key


def test_each_states_own_protconn_is_followed(five_years):
    ens = five_years / "ens" / "ensemble"
    juris = pd.read_csv(ens / "coherence_jurisdictions_members.csv", keep_default_na=False, na_values=[""])
    assert sorted(juris["jurisdiction"].unique()) == ["X", "Y"] and len(juris) == 10
    trends = pd.read_csv(ens / "trends.csv", keep_default_na=False, na_values=[""])
    states = trends[trends["indicator"] == "state_ProtConn_percent"]
    assert states["zone"].tolist() == ["X"]  # Y has no protected area: no trend to follow
    assert states.iloc[0]["verdict"] == "increasing"
    html = (ens / "report.html").read_text()
    assert "ProtConn of &#x27;mpa&#x27; in the waters of X ranged from" in html


def _sentence(text: str, start: str) -> str:
    return next(s for s in re.findall(r"<li>(.*?)</li>", text) if s.startswith(start))


def _numbers(s: str, decimal: str) -> list[float]:
    found = re.findall(r"-?\d[\d\u202f\u00a0,]*(?:[.,]\d+)?", s)
    if decimal == ",":
        return [float(x.replace(NNBSP, "").replace(NBSP, "").replace(",", ".")) for x in found]
    return [float(x.replace(",", "")) for x in found]


def test_report_sentences_carry_the_csv_numbers(five_years):
    ens = five_years / "ens" / "ensemble"
    trends = pd.read_csv(ens / "trends.csv", keep_default_na=False, na_values=[""])
    html = (ens / "report.html").read_text()
    r = trends[trends["indicator"] == "ProtConn_percent"].iloc[0]
    s = _sentence(html, "Across 5 members, ProtConn of &#x27;mpa&#x27; ranged from")
    lo, hi, mean = _numbers(s.split("ranged from")[1], ".")[:3]
    assert lo == pytest.approx(r["min"], rel=5e-3) and hi == pytest.approx(r["max"], rel=5e-3)
    assert mean == pytest.approx(r["mean"], rel=5e-3)
    assert "Mann–Kendall test finds an increasing trend" in s
    f = trends[(trends["indicator"] == "fraction") & (trends["layer"] == "mpa")]
    f = f.loc[f["mean"].idxmax()]  # B → outside: B's particles leave east as A's enter B
    assert (f["zone"], f["destination"]) == ("B", "outside")
    flow = _sentence(html, "In layer &#x27;mpa&#x27;, the largest flow, B → outside every zone, carried")
    lo, hi = _numbers(flow.split("carried")[1], ".")[:2]
    assert lo == pytest.approx(100 * f["min"], rel=5e-3) and hi == pytest.approx(100 * f["max"], rel=5e-3)
    figures = sorted(p.name for p in (ens / "figures").iterdir())
    assert "mpa.ProtConn_percent.png" in figures and "flows.mpa.png" in figures
    assert html.count("data:image/png;base64,") == len(figures)
    assert "SYNTHETIC" not in html  # real (if hand-made) forcing: no demo banner


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler) not installed")
def test_brief_pdf_has_the_summary(five_years):
    pdf = five_years / "ens" / "ensemble" / "brief.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Ensemble of 'years': 5 release dates" in text
    assert "Across 5 members, ProtConn of 'mpa' ranged from" in " ".join(text.split())


ENGLISH = re.compile(
    r"\b(the|of|were|was|released|and|particles|which|from|with|interval|members?|ranged|trend|share|"
    r"increasing|per year|mean|largest|flow)\b",
    re.I,
)


@pytest.mark.parametrize(
    ("code", "start", "decimal"), [("fr", "Sur 5 membres", ","), ("es", "En 5 miembros", ",")]
)
def test_report_in_french_and_spanish(five_years, tmp_path, code, start, decimal):
    """``marinenet report ENS --language fr`` redraws the ensemble report from its tables."""
    ens = tmp_path / "ens"
    shutil.copytree(five_years / "ens", ens)
    res = CliRunner().invoke(app, ["report", str(ens), "--language", code])
    assert res.exit_code == 0, res.output
    html = (ens / "ensemble" / "report.html").read_text()
    assert f'<html lang="{code}">' in html
    items = re.findall(r"<li>(.*?)</li>", html)
    assert len(items) >= 4 and all(
        not ENGLISH.search(re.sub(r"&#x27;\w+&#x27;|«\w+»|« \w+ »", "", s)) for s in items
    ), items
    s = _sentence(html, start)
    trends = pd.read_csv(ens / "ensemble" / "trends.csv", keep_default_na=False, na_values=[""])
    r = trends[trends["indicator"] == "ProtConn_percent"].iloc[0]
    assert f"{NNBSP if code == 'fr' else NBSP}%" in s and "." not in s.split("(")[0].replace("». ", "")
    lo, hi = _numbers(s.split("ProtConn")[1].split("»", 1)[1], decimal)[:2]
    assert lo == pytest.approx(r["min"], rel=5e-3) and hi == pytest.approx(r["max"], rel=5e-3)
    assert "X" in html.split("</ul>")[0]  # the state's own ProtConn is summarised too


# ---------------------------------------------------------------- without coherence; bad dates


def test_without_coherence_the_report_summarises_the_key_flows(five_years):
    f = _scenario_file(
        five_years,
        analysis={},
        release={"from": {"layer": "mpa"}, "particles": 40, "start": "2015-03-01T00:00"},
    )
    out = five_years / "nocoh"
    res = CliRunner().invoke(
        app, ["ensemble", str(f), "--starts", "2016-03-01,2018-03-01", "--out", str(out), "-q"]
    )
    assert res.exit_code == 0, res.output
    assert not (out / "ensemble" / "coherence_members.csv").exists()
    html = (out / "ensemble" / "report.html").read_text()
    assert "no network-coherence analysis" in html
    trends = pd.read_csv(out / "ensemble" / "trends.csv", keep_default_na=False, na_values=[""])
    f = trends[trends["indicator"] == "fraction"]
    f = f.loc[f["mean"].idxmax()]
    to = "outside every zone" if f["destination"] == "outside" else f["destination"]
    s = _sentence(html, f"In layer &#x27;mpa&#x27;, the largest flow, {f['zone']} → {to}, carried")
    assert "with 2 members no trend can be tested (at least 4 are needed)" in s


@pytest.mark.parametrize(
    ("years", "message"),
    [
        ("2014-2016", "ensemble member 2014-03-01T0000"),
        ("2019-2016", "ends before it starts"),
        ("20x5", "could not read '20x5'"),
    ],
)
def test_bad_years_exit_2_and_write_nothing(five_years, years, message):
    out = five_years / f"bad{abs(hash(years))}"
    res = CliRunner().invoke(
        app, ["ensemble", str(five_years / "s.yaml"), "--years", years, "--out", str(out)]
    )
    assert res.exit_code == 2, res.output
    assert message in res.output and "Traceback" not in res.output
    assert not out.exists()


def test_starts_or_years_but_not_both(five_years):
    res = CliRunner().invoke(app, ["ensemble", str(five_years / "s.yaml"), "--out", str(five_years / "x")])
    assert res.exit_code == 2 and "--years 2015-2020" in res.output


def test_a_failing_report_keeps_the_previous_ensemble(five_years, monkeypatch):
    """The trends and the report are written before the ensemble is committed: if they fail, the
    previous ensemble in OUT stays as it was."""
    import marinenet.report.ensemble_report as rep

    f = _scenario_file(
        five_years,
        analysis={},
        release={"from": {"layer": "mpa"}, "particles": 20, "start": "2015-03-01T00:00"},
    )
    out = five_years / "keep"
    args = ["ensemble", str(f), "--starts", "2016-03-01,2017-03-01", "--out", str(out), "-q"]
    assert CliRunner().invoke(app, args).exit_code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def broken(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(rep, "write_ensemble_report", broken)
    res = CliRunner().invoke(app, [*args[:4], "2018-03-01,2019-03-01", *args[5:]])
    assert res.exit_code == 2 and "Traceback" not in res.output, res.output
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in five_years.iterdir() if p.name.startswith(".")) == []


def _state_row(k, low, high, verdict="no detectable trend"):
    return {
        "indicator": "state_ProtConn_percent", "layer": "mpa", "zone": f"S{k}", "destination": "",
        "min": low, "max": high, "mean": (low + high) / 2, "n_members": 5, "slope_per_year": 0.1,
        "slope_ci_low": 0.0, "slope_ci_high": 0.2, "tau": 0.5, "verdict": verdict,
        "p_value": 0.01 if verdict == "increasing" else 0.5,
    }  # fmt: skip


def test_many_states_are_summarised_not_listed():
    from marinenet.report.ensemble_report import summary_sentences
    from marinenet.report.i18n import get

    rows = [_state_row(0, 1.0, 2.0, "increasing")] + [_state_row(k, 1.0, 3.0) for k in range(1, 9)]
    rows += [_state_row(9, 4.25, 4.25), _state_row(10, 0.5, 0.5)]  # the same in every member
    out = summary_sentences(get("en"), pd.DataFrame(rows), [])
    assert out == [
        "Across 5 members, ProtConn of 'mpa' in the waters of S0 ranged from 1.00 % to 2.00 % (mean 1.50 %); "
        "the Mann–Kendall test finds an increasing trend (p = 0.01): +0.10 percentage points per year "
        "(95 % interval 0.00 to +0.20).",
        "8 other states' own ProtConn varied between members without a detectable trend "
        "(see the table of every indicator).",
        "Each state's own ProtConn of 'mpa' was the same in every member: S9 4.25 %, S10 0.500 %.",
    ]


def test_years_keep_the_release_day_and_time():
    from marinenet.ensemble import starts_in_years
    from marinenet.errors import ScenarioError
    from marinenet.scenario import Scenario

    def scenario(start):
        return Scenario.model_validate(
            {
                "name": "x",
                "ocean": {"source": "demo"},
                "zones": {"eez": {"source": "demo"}},
                "release": {"from": {"layer": "eez"}, "particles": 5, "start": start},
                "simulation": {"duration": "1 day"},
            }
        )

    got = starts_in_years(scenario("2021-07-15T06:30"), "2018-2019, 2022,2019")
    assert got == [datetime(2018, 7, 15, 6, 30), datetime(2019, 7, 15, 6, 30), datetime(2022, 7, 15, 6, 30)]
    with pytest.raises(ScenarioError, match="29 February does not exist in 2021"):
        starts_in_years(scenario("2020-02-29T00:00"), "2020-2021")
