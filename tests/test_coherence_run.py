"""Coherence of a run: dispersal → p_ij → p* → PC / ECA / ProtConn on a uniform flow where p_ij follows
from geometry, on both engines; by jurisdiction; candidates, portfolio and edge lists; bad input.

A uniform eastward current U on the equator moves a particle v = U / R degrees per second along
the equator (Parcels' sphere: R·1° = 1852·60 m); after T days it is D = v·T further east. Particles
start at chosen points inside three protected boxes M1, M2, M3 and a candidate C (all on
the equator, latitude −0.5..0.5), so where each ends — and so every p_ij — is a known fraction:

* M1 (lon 0..1): points 0.1, 0.3, 0.5, 0.9 end at 1.655, 1.855, 2.055, 2.455 → 3/4 in M2 (1.6..2.2),
  1/4 in C (2.3..2.6);
* M2: points 1.7, 2.1 end at 3.255, 3.655 → 1/2 in M3 (3.2..3.5);
* M3: point 3.3 and C: point 2.4 end in no site.

Site areas are the exact WGS84 areas of the boxes (authalic-latitude formula).
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import yaml
from shapely.geometry import MultiPolygon, box
from typer.testing import CliRunner

from marinenet.cli import app

from .conftest import DEG2M, write_boxes, write_cf_currents
from .zone_fixtures import ellipsoid_box_area_km2

U = 0.5
T_DAYS = 4.0
MPA = {"M1": (0.0, -0.5, 1.0, 0.5), "M2": (1.6, -0.5, 2.2, 0.5), "M3": (3.2, -0.5, 3.5, 0.5)}
CAND = {"C": (2.3, -0.5, 2.6, 0.5)}
REGION = {"sea": (-1.0, -1.0, 6.0, 1.0)}
POINTS = [[0.1, 0.0], [0.3, 0.0], [0.5, 0.0], [0.9, 0.0], [1.7, 0.0], [2.1, 0.0], [3.3, 0.0], [2.4, 0.0]]


def _area(b):
    return ellipsoid_box_area_km2(*b)


def test_drift_distance_puts_the_points_where_the_docstring_says():
    d = U * 86400 * T_DAYS / DEG2M  # 1.555°
    ends = [x + d for x, _ in POINTS]
    assert [round(e, 3) for e in ends[:4]] == [1.655, 1.855, 2.055, 2.455]
    assert round(ends[4], 3) == 3.255 and round(ends[5], 3) == 3.655


def _scenario(d, engine, **coherence):
    times = np.array([np.datetime64("2021-01-01") + np.timedelta64(k, "D") for k in range(8)])
    lon, lat = np.arange(-1, 7.01, 0.25), np.arange(-2, 2.01, 0.25)
    write_cf_currents(d / "c.nc", lon, lat, times, lambda X, Y: np.full(X.shape, U), lambda X, Y: 0 * X)
    write_boxes(d / "mpa.geojson", MPA)
    write_boxes(d / "cand.geojson", CAND)
    write_boxes(d / "study.geojson", REGION)
    # state A: the waters of M1 and M3; M2 lies on the high seas between them; state B holds C
    eez = gpd.GeoDataFrame(
        {"name": ["A", "B"]},
        geometry=[MultiPolygon([box(-1, -1, 1.3, 1), box(3.0, -1, 6, 1)]), box(2.25, -1, 2.7, 1)],
        crs="EPSG:4326",
    )
    eez.to_file(d / "eez.geojson", driver="GeoJSON")
    return {
        "name": "coh",
        "seed": 3,
        "ocean": {"source": "c.nc"},
        "zones": {
            "mpa": {"path": "mpa.geojson", "id": "name", "protected": True},
            "cand": {"path": "cand.geojson", "id": "name"},
            "study": {"path": "study.geojson", "id": "name"},
            "eez": {"path": "eez.geojson", "id": "name", "outside": "high_seas"},
        },
        "release": {"from": {"points": POINTS}, "particles": 2, "start": "2021-01-01T00:00"},
        "simulation": {
            "duration": f"{T_DAYS:g} days",
            "dt": "1 hour",
            "output_every": "1 day",
            "engine": engine,
        },
        "analysis": {"coherence": {"network": "mpa", "region": "study", "candidates": "cand", **coherence}},
        "output": "out",
    }


def _run(d, sc, code=0):
    (d / "s.yaml").write_text(yaml.safe_dump(sc))
    res = CliRunner().invoke(app, ["run", str(d / "s.yaml"), "--quiet", "--no-maps"])
    assert res.exit_code == code, res.output
    return d / "out" / "coherence", res.output


@pytest.fixture(scope="module", params=["fast", "parcels"])
def coh(request, tmp_path_factory):
    d = tmp_path_factory.mktemp(f"coh_{request.param}")
    return _run(d, _scenario(d, request.param, target="14 %"))[0]


A1, A2, A3 = (_area(MPA[k]) for k in ("M1", "M2", "M3"))
AC = _area(CAND["C"])
A_L = _area(REGION["sea"])
# p12 = 3/4, p23 = 1/2, so p*13 = 3/8 through M2
S = A1**2 + A2**2 + A3**2 + A1 * A2 * 0.75 + A2 * A3 * 0.5 + A1 * A3 * 0.375


def test_summary_from_geometry(coh):
    row = pd.read_csv(coh / "summary.csv").iloc[0]
    assert row["network"] == "mpa" and row["region"] == "study"
    assert row["region_area_km2"] == pytest.approx(A_L, rel=1e-5)
    assert row["protected_km2"] == pytest.approx(A1 + A2 + A3, rel=1e-5)
    assert row["PC"] == pytest.approx(S / A_L**2, rel=1e-5)
    assert row["ECA_km2"] == pytest.approx(math.sqrt(S), rel=1e-5)
    assert row["ProtConn_percent"] == pytest.approx(100 * math.sqrt(S) / A_L, rel=1e-5)
    for key in ("PC", "ECA_km2", "ProtConn_percent"):
        assert row[f"{key}_ci_low"] <= row[key] * (1 + 1e-6) and row[key] <= row[f"{key}_ci_high"] * (
            1 + 1e-6
        )
    # only 8 particles from M1: the interval is wide (a resample may miss M2 altogether)
    assert row["ECA_km2_ci_low"] < row["ECA_km2"] * 0.999


def test_site_importance_from_geometry(coh):
    t = pd.read_csv(coh / "mpa.csv").set_index("zone")
    assert list(t.columns) == [
        "area_km2",
        "dPC",
        "dPC_intra",
        "dPC_flux",
        "dPC_connector",
        "percent",
        "released",
        "members",
    ]
    assert t["members"].to_dict() == {"M1": "M1", "M2": "M2", "M3": "M3"}  # no overlaps: each stands alone
    assert t["released"].to_dict() == {"M1": 8, "M2": 4, "M3": 2}
    m2 = t.loc["M2"]
    assert m2["dPC_intra"] == pytest.approx(100 * A2**2 / S, rel=1e-5)
    assert m2["dPC_flux"] == pytest.approx(100 * (A1 * A2 * 0.75 + A2 * A3 * 0.5) / S, rel=1e-5)
    assert m2["dPC_connector"] == pytest.approx(100 * A1 * A3 * 0.375 / S, rel=1e-5)
    assert t.loc["M1", "dPC_connector"] == pytest.approx(0, abs=1e-9)
    assert t.loc["M3", "percent"] == pytest.approx(100 * A3 / A_L, rel=1e-5)


def test_candidate_gain_from_geometry(coh):
    t = pd.read_csv(coh / "mpa.candidates.csv")
    assert list(t.columns[:3]) == ["zone", "area_km2", "delta_ECA_km2"] and "rank" in t.columns
    row = t.iloc[0]
    assert row["zone"] == "C" and row["rank"] == 1
    with_c = S + AC**2 + A1 * AC * 0.25
    assert row["delta_ECA_km2"] == pytest.approx(math.sqrt(with_c) - math.sqrt(S), rel=1e-5)
    assert row["delta_ECA_per_km2"] == pytest.approx(row["delta_ECA_km2"] / AC, rel=1e-5)


def test_jurisdictions_and_the_high_seas_stepping_stone(coh):
    t = pd.read_csv(coh / "mpa.jurisdictions.csv").set_index("jurisdiction")
    a_eez = _area((-1, -1, 1.3, 1)) + _area((3.0, -1, 6, 1))
    s_a = A1**2 + A3**2 + A1 * A3 * 0.375  # M1 → M3 only through M2, on the high seas
    assert t.loc["A", "region_area_km2"] == pytest.approx(a_eez, rel=1e-5)
    assert t.loc["A", "ProtConn_percent"] == pytest.approx(100 * math.sqrt(s_a) / a_eez, rel=1e-5)
    own = A1**2 + A3**2
    assert t.loc["A", "ProtConn_own_percent"] == pytest.approx(100 * math.sqrt(own) / a_eez, rel=1e-5)
    share = 100 * A1 * A3 * 0.375 / s_a
    assert t.loc["A", "via_others_percent"] == pytest.approx(share, rel=1e-5)
    assert t.loc["A", "via_high_seas_percent"] == pytest.approx(share, rel=1e-5)
    assert t.loc["B", "protected_km2"] == 0.0 and t.loc["B", "ProtConn_percent"] == 0.0


def test_portfolio_and_edge_lists(coh):
    port = pd.read_csv(coh / "mpa.portfolio.csv")
    conn = port[port["strategy"] == "connectivity"]
    assert list(conn["zone"].fillna("")) == ["", "C"]  # 14 % of the region is reached with C
    assert conn["coverage_percent"].iloc[-1] == pytest.approx(100 * (A1 + A2 + A3 + AC) / A_L, rel=1e-5)
    assert conn["jurisdictions"].iloc[-1] == "B"
    sites = pd.read_csv(coh / "mpa.sites.csv").set_index("zone")["id"]
    edges = pd.read_csv(coh / "mpa.marxan_connect.csv")
    got = {(int(r.id1), int(r.id2)): r.value for r in edges.itertuples()}
    assert got == pytest.approx(
        {(sites["M1"], sites["M2"]): 0.75, (sites["M2"], sites["M3"]): 0.5, (sites["M1"], sites["C"]): 0.25}
    )
    assert list(pd.read_csv(coh / "mpa.prioritizr.csv").columns) == ["id1", "id2", "boundary"]


# ------------------------------------------------------------------ bad input and release lists
def _validate(d, sc):
    (d / "s.yaml").write_text(yaml.safe_dump(sc))
    return CliRunner().invoke(app, ["validate", str(d / "s.yaml")])


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda sc: sc["analysis"]["coherence"].update(network="mpas"), ["network", "'mpas'", "mpa, study"]),
        (lambda sc: sc["analysis"]["coherence"].pop("region"), ["region is missing", "A_L"]),
        (lambda sc: sc["analysis"]["coherence"].update(candidates="nope"), ["candidates", "'nope'"]),
        (lambda sc: sc["analysis"]["coherence"].update(connection="settlement"), ["settlement", "passive"]),
        (lambda sc: sc["analysis"]["coherence"].update(target="130 %"), ["target"]),
        (lambda sc: sc["analysis"]["coherence"].update(target="30"), ["target", "'30 %'"]),
        (lambda sc: sc["release"].update({"points": None}), ["points"]),
        (lambda sc: sc["release"].update({"from": [{"layer": "mpa"}, {"layer": "mpa"}]}), ["listed twice"]),
        (
            lambda sc: sc["release"].update({"from": [{"layer": "mpa"}, {"points": [[0, 0]]}]}),
            ["list of sources"],
        ),
    ],
)
def test_bad_coherence_input_exits_2_naming_the_key(tmp_path, change, words):
    sc = _scenario(tmp_path, "fast")
    change(sc)
    res = _validate(tmp_path, sc)
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    for w in words:
        assert w in res.output, res.output


def test_release_from_a_list_of_layers(tmp_path):
    """release.from: [{layer: mpa}, {layer: cand}]: particles spread over both layers by area, every site
    sources particles, and the coherence analysis runs on the particles of both."""
    sc = _scenario(tmp_path, "fast", bootstrap=0)
    sc["release"] = {
        "from": [{"layer": "mpa"}, {"layer": "cand"}],
        "particles": 400,
        "start": "2021-01-01T00:00",
    }
    out, _ = _run(tmp_path, sc)
    traj = pd.read_csv(out.parent / "connectivity" / "mpa.csv")
    released = traj.groupby("source")["count"].sum()
    total = sum(_area(b) for b in [*MPA.values(), *CAND.values()])
    for k, b in MPA.items():  # by area: 400·a_k/Σa particles (largest remainder)
        assert abs(released[k] - 400 * _area(b) / total) <= 1
    cand = pd.read_csv(out.parent / "connectivity" / "cand.csv").groupby("source")["count"].sum()
    assert abs(cand["C"] - 400 * AC / total) <= 1
    row = pd.read_csv(out / "summary.csv").iloc[0]
    assert row["released"] == released[list(MPA)].sum()
    assert np.isnan(row["ECA_km2_ci_low"])  # bootstrap: 0 → no interval
    # M1 releases uniformly over lon 0..1: the share ending in M2 (1.6..2.2) is the share of
    # starting longitudes in 1.6 − D .. 2.2 − D = 0.045..0.645: 0.6 of the box (binomial spread)
    sites = pd.read_csv(out / "mpa.sites.csv").set_index("zone")["id"]
    edges = pd.read_csv(out / "mpa.marxan_connect.csv").set_index(["id1", "id2"])["value"]
    n1 = released["M1"]
    p12 = edges.get((sites["M1"], sites["M2"]), 0.0)
    assert abs(p12 - 0.6) < 4 * math.sqrt(0.6 * 0.4 / n1)


def test_visit_connection_counts_every_site_passed(tmp_path):
    """connection: visit — p_ij = share of particles from i that are in j at any step: every M1 point
    passes through M2 (1.6..2.2) on its way, every M2 point through M3 and C; only M1's 0.9 reaches C;
    C's point (2.4 → 3.955) passes through M3."""
    sc = _scenario(tmp_path, "fast", connection="visit", bootstrap=0)
    out, _ = _run(tmp_path, sc)
    sites = pd.read_csv(out / "mpa.sites.csv").set_index("zone")["id"]
    edges = pd.read_csv(out / "mpa.marxan_connect.csv")
    got = {(int(r.id1), int(r.id2)): r.value for r in edges.itertuples()}
    s = sites.to_dict()
    assert got == pytest.approx(
        {
            (s["M1"], s["M2"]): 1.0,
            (s["M2"], s["M3"]): 1.0,
            (s["M2"], s["C"]): 1.0,
            (s["M1"], s["C"]): 0.25,
            (s["C"], s["M3"]): 1.0,
        }
    )
    row = pd.read_csv(out / "summary.csv").iloc[0]
    s_visit = A1**2 + A2**2 + A3**2 + A1 * A2 + A2 * A3 + A1 * A3
    assert row["ECA_km2"] == pytest.approx(math.sqrt(s_visit), rel=1e-5)


def test_report_findings_say_protconn_candidates_and_states(coh):
    from marinenet.report.build import RunFiles
    from marinenet.report.findings import make_findings

    found = [f for f in make_findings(RunFiles.read(coh.parent)).findings if f.topic == "network coherence"]
    texts = " ".join(f.text for f in found)
    head = found[0]
    assert head.value == pytest.approx(math.sqrt(S) / A_L, rel=1e-5)  # ProtConn as a share
    assert f"ProtConn {100 * math.sqrt(S) / A_L:.2f} %" in texts
    assert head.low is not None and head.low <= head.value <= head.high
    # largest dPC (in units of A1²: M1 1 + .45 + .1125 against M2 .36 + .45 + .09 + .1125, as A2 ≈ .6 A1)
    assert "M1 matters most" in texts
    assert "C +" in texts and "too few particles from them to rank" in texts  # 2 particles from C
    s_a = A1**2 + A3**2 + A1 * A3 * 0.375
    assert (
        f"A depends most on stepping stones outside its waters: {100 * A1 * A3 * 0.375 / s_a:.1f} %" in texts
    )


def test_a_site_without_particles_is_named_and_the_values_are_lower_bounds(tmp_path):
    """No point in M3: validate accepts it, the run warns (naming M3 and what to do) and says PC is a lower bound."""
    sc = _scenario(tmp_path, "fast", bootstrap=0)
    sc["release"]["from"] = {"points": POINTS[:6]}
    res = _validate(tmp_path, sc)
    assert res.exit_code == 0, res.output
    out, _ = _run(tmp_path, sc)
    logged = (out.parent / "run.log").read_text()
    assert "'M3'" in logged and "lower bounds" in logged and "release.from" in logged
    row = pd.read_csv(out / "summary.csv").iloc[0]
    assert row["sites_without_particles"] == 1
    # M3 receives from M2 but sends nothing: S is unchanged (M3 sent nothing in the full run either)
    assert row["ECA_km2"] == pytest.approx(math.sqrt(S), rel=1e-5)
    from marinenet.report.build import RunFiles
    from marinenet.report.findings import make_findings

    texts = " ".join(f.text for f in make_findings(RunFiles.read(out.parent)).findings)
    assert "1 protected area(s) released no particle" in texts and "lower bounds" in texts


def test_greedy_portfolio_by_gain_per_km2_against_by_area():
    """Network: site 0 (1 km²). Candidate 1 (1 km²) exchanges everything with 0: ECA √(1+1+2) = 2, gain 1
    per km². Candidate 2 (3 km²) is isolated: ECA √(1+9), gain (√10 − 1)/3 ≈ 0.72 per km². Region 20 km²,
    target 10 % = 2 km²: one more site reaches it."""
    from marinenet.coherence_planning import portfolio_table
    from marinenet.coherence_sites import Sites

    sites = Sites(
        ["N", "C1", "C2"],
        ["mpa", "cand", "cand"],
        [None] * 3,
        np.array([1.0, 1.0, 3.0]),
        np.array([True, False, False]),
    )
    p = np.array([[0, 1.0, 0], [1.0, 0, 0], [0, 0, 0]])
    t = portfolio_table(sites, p, 20.0, 10.0, None)
    conn, area = t[t["strategy"] == "connectivity"], t[t["strategy"] == "area"]
    assert list(conn["zone"].fillna("")) == ["", "C1"] and list(area["zone"].fillna("")) == ["", "C2"]
    assert conn["ECA_km2"].tolist() == pytest.approx([1.0, 2.0])
    assert area["ECA_km2"].tolist() == pytest.approx([1.0, math.sqrt(10.0)])
    assert conn["coverage_percent"].iloc[-1] == pytest.approx(10.0)
    assert area["coverage_percent"].iloc[-1] == pytest.approx(20.0)


@pytest.mark.parametrize("engine", ["fast", "parcels"])
def test_settlement_connection_for_larvae(tmp_path, engine):
    """Larvae (PLD 4 days, competent from day 1.5) settle in the first protected area they are in once
    competent. At day 1.5 the M1 larvae are at 0.683, 0.883 (still in M1: settle there), 1.083, 1.483
    (between M1 and M2: settle on entering M2 at 1.6); both M2 larvae have left M2 (2.283, 2.683) and
    enter M3 at 3.2 before day 4; C's larva too. So p12 = 1/2, p23 = 1, p13 = 0 (p*13 = 1/2 via M2)."""
    sc = _scenario(tmp_path, engine, bootstrap=0)
    sc["behaviour"] = {
        "kind": "larva",
        "pld": "4 days",
        "competency": ["1.5 days", "4 days"],
        "settle_in": {"layer": "mpa"},
    }
    out, _ = _run(tmp_path, sc)
    row = pd.read_csv(out / "summary.csv").iloc[0]
    assert row["connection"] == "settlement"
    s_settle = A1**2 + A2**2 + A3**2 + A1 * A2 * 0.5 + A2 * A3 * 1.0 + A1 * A3 * 0.5
    assert row["ECA_km2"] == pytest.approx(math.sqrt(s_settle), rel=1e-5)
    cand = pd.read_csv(out / "mpa.candidates.csv").iloc[0]
    # C is not habitat, so nothing settles in it; its larva settles in M3 (p_C3 = 1)
    with_c = s_settle + AC**2 + AC * A3 * 1.0
    assert cand["delta_ECA_km2"] == pytest.approx(math.sqrt(with_c) - math.sqrt(s_settle), rel=1e-5)


@pytest.mark.parametrize(("code", "head"), [("fr", "Cohérence du réseau"), ("es", "Coherencia de la red")])
def test_coherence_findings_are_written_in_the_report_language(coh, code, head):
    """The coherence sentences come from the catalogues: no English left, numbers with a decimal comma."""
    from marinenet.report.build import RunFiles
    from marinenet.report.findings import make_findings

    found = [f for f in make_findings(RunFiles.read(coh.parent), code).findings if f.topic == "network coherence"]
    texts = " ".join(f.text for f in found)
    assert texts.startswith(head) and "Network coherence" not in texts and "matters most" not in texts
    protconn = f"{100 * math.sqrt(S) / A_L:.2f}".replace(".", ",")
    assert f"ProtConn {'de' if code == 'fr' else 'del'} {protconn}" in texts
