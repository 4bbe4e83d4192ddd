"""The site dossier (``marinenet dossier``) on a uniform flow where every share follows from geometry.

A uniform eastward current U on the equator moves a particle D = U·T / (1852·60 m) degrees in T days
(D = 1.555° for U = 0.5 m/s and 4 days). Along the equator, from west to east: state A's waters
(lon −1..−0.2), state D's (−0.2..1.0), the high seas with the protected site H (1.0..1.7), state B's
waters (2.2..3.0) and state C's (3.0..6.0), which hold the protected site M (3.05..3.35). Ten particles
start at each point:

* from H: 1.1, 1.2, 1.3 end at 2.655, 2.755, 2.855 (B); 1.55, 1.65 end at 3.105, 3.205 (C, in M) —
  so H sends 3/5 of its particles to B and 2/5 to C;
* from A: −0.4 ends at 1.155; from D: 0.0 and 0.05 end at 1.555 and 1.605 — all in H, so H's supply
  is 1/3 from A and 2/3 from D.

Expected intervals are Jeffreys intervals written out here with scipy's beta quantiles; numbers in the
dossier are formatted here by hand, not with the formatter under test.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import yaml
from scipy import stats
from shapely.geometry import box
from typer.testing import CliRunner

from marinenet.cli import app

from .conftest import DEG2M, write_boxes, write_cf_currents

U1, U2, T_DAYS = 0.5, 0.25, 4.0
N = 10  # particles per point
H_POINTS = [1.1, 1.2, 1.3, 1.55, 1.65]
POINTS = [[x, 0.0] for x in [*H_POINTS, -0.4, 0.0, 0.05]]
EEZ = {"A": (-1.0, -1, -0.2, 1), "D": (-0.2, -1, 1.0, 1), "B": (2.2, -1, 3.0, 1), "C": (3.0, -1, 6.0, 1)}
PDFTOTEXT = shutil.which("pdftotext")
#: words that betray an English sentence in a French or Spanish dossier
ENGLISH = re.compile(
    r"\b(the|of|were|was|released|and|particles|which|from|with|interval|share|reached|arrived|outside|"
    r"waters|site's|days after)\b",
    re.I,
)
#: titles of cited journals stay in English
JOURNALS = ("Landscape and Urban Planning", "Statistical Science", "Ecological Indicators")


def jeffreys(k: int, n: int) -> tuple[float, float]:
    lo = 0.0 if k == 0 else stats.beta.ppf(0.025, k + 0.5, n - k + 0.5)
    hi = 1.0 if k == n else stats.beta.ppf(0.975, k + 0.5, n - k + 0.5)
    return float(lo), float(hi)


def en_pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def test_drift_puts_the_points_where_the_docstring_says():
    d = U1 * 86400 * T_DAYS / DEG2M
    assert [round(x + d, 3) for x in H_POINTS] == [2.655, 2.755, 2.855, 3.105, 3.205]
    assert [round(x + d, 3) for x in (-0.4, 0.0, 0.05)] == [1.155, 1.555, 1.605]
    d2 = U2 * 86400 * T_DAYS / DEG2M  # the second ensemble member: slower
    assert [round(x + d2, 3) for x in H_POINTS] == [1.878, 1.978, 2.078, 2.328, 2.428]


def _scenario(d, engine="fast"):
    times = np.array([np.datetime64("2021-01-01") + np.timedelta64(k, "D") for k in range(16)])
    lon, lat = np.arange(-1, 7.01, 0.25), np.arange(-2, 2.01, 0.25)
    u = np.where(np.arange(16) < 8, U1, U2)[:, None, None] * np.ones((16, lat.size, lon.size))
    write_cf_currents(d / "c.nc", lon, lat, times, u, np.zeros_like(u))
    write_boxes(d / "mpa.geojson", {"H": (1.0, -0.5, 1.7, 0.5), "M": (3.05, -0.5, 3.35, 0.5)})
    write_boxes(d / "cand.geojson", {"K": (2.6, -0.5, 2.9, 0.5)})
    write_boxes(d / "study.geojson", {"sea": (-1.0, -1.0, 6.0, 1.0)})
    eez = gpd.GeoDataFrame({"name": list(EEZ)}, geometry=[box(*b) for b in EEZ.values()], crs="EPSG:4326")
    eez.to_file(d / "eez.geojson", driver="GeoJSON")
    return {
        "name": "dossier-test",
        "seed": 5,
        "ocean": {"source": "c.nc"},
        "zones": {
            "mpa": {"path": "mpa.geojson", "id": "name", "protected": True},
            "cand": {"path": "cand.geojson", "id": "name"},
            "study": {"path": "study.geojson", "id": "name"},
            "eez": {"path": "eez.geojson", "id": "name", "outside": "high_seas"},
        },
        "release": {"from": {"points": POINTS}, "particles": N, "start": "2021-01-01T00:00"},
        "simulation": {
            "duration": f"{T_DAYS:g} days",
            "dt": "1 hour",
            "output_every": "1 day",
            "engine": engine,
        },
        "analysis": {
            "coherence": {"network": "mpa", "region": "study", "candidates": "cand", "bootstrap": 20}
        },
        "output": "out",
    }


def _invoke(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    d = tmp_path_factory.mktemp("dossier")
    (d / "s.yaml").write_text(yaml.safe_dump(_scenario(d)))
    res = _invoke("run", d / "s.yaml", "--quiet", "--no-maps")
    assert res.exit_code == 0, res.output
    return d / "out"


def _states(out):
    t = pd.read_csv(out / "coherence" / "mpa.states.csv")
    return t[t["site"] == "H"].set_index(["direction", "jurisdiction"])


@pytest.mark.parametrize("engine", ["fast", "parcels"])
def test_states_table_from_geometry(engine, tmp_path):
    """coherence/mpa.states.csv: H sends 3/5 to B and 2/5 to C; A supplies 1/3 of H, D 2/3 (both engines)."""
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(_scenario(tmp_path, engine)))
    res = _invoke("run", tmp_path / "s.yaml", "--quiet", "--no-maps")
    assert res.exit_code == 0, res.output
    t = _states(tmp_path / "out")
    n = N * len(H_POINTS)
    for zone, k in (("B", 3 * N), ("C", 2 * N), ("A", 0), ("D", 0), ("high_seas", 0)):
        row = t.loc[("to", zone)]
        assert row["count"] == k and row["n_source"] == n
        assert row["fraction"] == pytest.approx(k / n)
        assert (row["ci_low"], row["ci_high"]) == pytest.approx(jeffreys(k, n), abs=1e-6)
    assert ("from", "B") not in t.index and ("from", "C") not in t.index  # no particle released there
    for zone, k in (("A", N), ("D", 2 * N)):
        row = t.loc[("from", zone)]
        assert row["count"] == k and row["share"] == pytest.approx(k / (3 * N))
        assert (row["share_ci_low"], row["share_ci_high"]) == pytest.approx(jeffreys(k, 3 * N), abs=1e-6)
    assert t.loc[("from", "A"), "fraction"] == 1.0  # every particle released in A's waters reached H
    # first arrival in B (every particle of H crosses it): the point 1.3 is the median and enters B (lon 2.2)
    # after 0.9° of drift, recorded at the end of the hourly step that ends inside
    assert t.loc[("to", "B"), "arrivals"] == n
    hours = 0.9 * DEG2M / U1 / 3600.0
    assert t.loc[("to", "B"), "median_days"] == pytest.approx(np.ceil(hours) / 24.0, abs=1e-5)


def _dossier(out, site="H", language="en"):
    res = _invoke("dossier", out, "--site", site, "--language", language)
    assert res.exit_code == 0, res.output
    name = site.lower()
    return (out / "dossier" / f"{name}.html").read_text(encoding="utf-8"), out / "dossier" / f"{name}.pdf"


def _pdf_text(path) -> str:
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", " ", text)


def _pages(path) -> int:
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        return int(re.search(r"Pages:\s+(\d+)", info).group(1))
    return len(re.findall(rb"/Type\s*/Page\b", path.read_bytes()))


@pytest.fixture(scope="module")
def english(run):
    """The English dossier of H (made once for the tests that read it)."""
    return _dossier(run)


def _expected(out) -> list[str]:
    """The shares and intervals of H, written from the run's CSV as the English dossier should write them."""
    t = _states(out)
    want = []
    for key in (("to", "B"), ("to", "C"), ("from", "A"), ("from", "D")):
        r = t.loc[key]
        want.append(
            f"{en_pct(r['share'])} (95 % interval {en_pct(r['share_ci_low'])} to {en_pct(r['share_ci_high'])})"
        )
    return want


def test_html_states_the_states_shares_and_intervals(run, english):
    html, _ = english
    text = re.sub(r"<[^>]+>", " ", html).replace("&#x27;", "'")
    text = re.sub(r"\s+", " ", text)
    want = _expected(run)
    assert want[0] == "60.0 % (95 % interval 46.2 % to 72.7 %)"  # Jeffreys(30, 50): 0.4617, 0.7270
    for w in want:
        assert w in text, w
    assert "ended in the waters of B" in text and "came from the waters of D" in text
    assert "lies 100.0 % in the high seas (high_seas)" in text
    assert "cannot show as a supply: B and C" in text
    dpc = pd.read_csv(run / "coherence" / "mpa.csv").set_index("zone").loc["H", "dPC"]
    assert f"holds {dpc:.1f} % of the network's connectivity" in text
    assert "Stability across years or seasons is NOT assessed" in text


@pytest.mark.skipif(PDFTOTEXT is None, reason="poppler-utils (pdftotext) not installed")
def test_pdf_states_the_same_and_has_two_to_four_pages(run, english):
    _, pdf = english
    text = _pdf_text(pdf)
    for w in _expected(run):
        assert w in text, w
    dpc = pd.read_csv(run / "coherence" / "mpa.csv").set_index("zone").loc["H", "dPC"]
    assert f"{dpc:.1f} %" in text
    assert 2 <= _pages(pdf) <= 4


def test_a_site_that_released_nothing_says_so(run):
    html, pdf = _dossier(run, "M")
    assert "No particle was released in the site" in html
    assert "Share of the site&#x27;s particles" not in html  # no empty table of where they go
    assert 2 <= _pages(pdf) <= 4


def test_a_candidate_gives_its_eca_gain(run):
    html, _ = _dossier(run, "K")
    gain = pd.read_csv(run / "coherence" / "mpa.candidates.csv").set_index("zone").loc["K", "delta_ECA_km2"]
    assert f"add {round(gain):,}\u00a0km² of connected area" in html


@pytest.mark.skipif(PDFTOTEXT is None, reason="poppler-utils (pdftotext) not installed")
@pytest.mark.parametrize("language", ["fr", "es"])
def test_french_and_spanish_carry_no_english(run, language):
    html, pdf = _dossier(run, "H", language)
    for text in (re.sub(r"<[^>]+>", " ", html), _pdf_text(pdf)):
        body = text.split("</style>")[-1]
        for journal in JOURNALS:
            body = body.replace(journal, "")
        body = body.replace("High Seas", "")  # (site names stay as given)
        assert ENGLISH.findall(body) == [], language
    assert f'lang="{language}"' in html


def test_unknown_site_exits_2_with_the_valid_names(run):
    res = _invoke("dossier", run, "--site", "h ")
    assert res.exit_code == 2
    assert "Traceback" not in res.output
    assert "'H'" in res.output and "'M'" in res.output and "'K'" in res.output
    assert "Did you mean 'H'?" in res.output


def test_run_without_coherence_exits_2_saying_what_to_add(tmp_path):
    sc = _scenario(tmp_path)
    del sc["analysis"]
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(sc))
    assert _invoke("run", tmp_path / "s.yaml", "--quiet", "--no-maps").exit_code == 0
    res = _invoke("dossier", tmp_path / "out", "--site", "H")
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert "analysis: {coherence:" in res.output
    res = _invoke("dossier", tmp_path / "nowhere", "--site", "H")
    assert res.exit_code == 2 and "no such folder" in res.output


def test_report_dossiers_key_is_checked_before_tracking(tmp_path):
    sc = _scenario(tmp_path)
    sc["report"] = {"dossiers": ["Hx"]}
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(sc))
    res = _invoke("run", tmp_path / "s.yaml", "--quiet", "--no-maps")
    assert res.exit_code == 2 and "report.dossiers" in res.output and "'H'" in res.output
    assert not (tmp_path / "out").exists()


def test_ensemble_dossier_gives_each_member_and_the_spread(tmp_path):
    """Member 1 (U = 0.5 m/s): 3/5 to B; member 2 (0.25 m/s): 2/5 to B, nothing to C, no supply."""
    import marinenet

    sc = marinenet.scenario_from_dict(_scenario(tmp_path), base_dir=tmp_path)
    marinenet.run_ensemble(sc, ["2021-01-01", "2021-01-09"], tmp_path / "ens")
    res = marinenet.dossier(tmp_path / "ens", "H")
    html = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", res.html.read_text(encoding="utf-8")))
    b2 = jeffreys(2 * N, 5 * N)
    assert (
        "1 January 2021: 60.0 % (46.2 % – 72.7 %) 9 January 2021: "
        + f"40.0 % ({en_pct(b2[0])} – {en_pct(b2[1])})"
        in html
    )
    assert "40.0 % – 60.0 %" in html and "2 / 2" in html  # B: lowest–highest, members with the link
    assert "0.0 % – 40.0 %" in html and "1 / 2" in html  # C: only in member 1
    assert "NOT assessed" not in html
    assert "2 simulations" in html and "1 January 2021 and 9 January 2021" in html
    assert 2 <= _pages(res.pdf) <= 4


def test_release_zones_are_left_out_of_the_first_arrivals():
    """The cells (particle, zone it was released in) are left out of the sparse first arrivals; every
    other cell is kept and the run's own cells are not changed."""
    from types import SimpleNamespace

    from marinenet.coherence_states import _without_start
    from marinenet.connectivity.exposure import Visits
    from marinenet.connectivity.fates import Rows

    # particle 0: A at 0 (its release zone), B at 2.5; particle 1: A at 1.5, B at 0 (release); 2: A at 0
    visits = Visits(
        np.array([0, 0, 1, 1, 2]), np.array([0, 1, 0, 1, 0]), np.array([0.0, 2.5, 1.5, 0.0, 0.0]), np.ones(5)
    )
    streams = SimpleNamespace(layers={"eez": SimpleNamespace(visits=lambda: visits, zones=["A", "B"])})
    start = Rows(np.array([0, 1, 2]), np.array(["A", "B", "A"], dtype=object), np.ones(3))
    kept, zones = _without_start(streams, SimpleNamespace(name="eez"), start)
    assert zones == ["A", "B"]
    assert list(zip(kept.particle, kept.zone, kept.first, strict=True)) == [(0, 1, 2.5), (1, 0, 1.5)]
    assert visits.particle.size == 5  # the run's cells untouched

