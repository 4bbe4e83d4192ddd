"""Every table of a run against values that follow from geometry and closed forms, on both engines.

Two tiny scenarios built in code:

* ``drift``: a uniform eastward current U on the equator carries particles released at known
  points across boxes of an EEZ-like layer, an MPA and two EBSAs. A particle at latitude φ
  moves v = U / (R·cos φ) degrees per second along its parallel, so it is in a box
  [a, b] from t_a = (a − x0)/v to t_b = (b − x0)/v: arrivals, particle-days, protection
  shares and end-of-run indices follow. With ``mortality_mode: weights`` at rate m every
  quantity is weighted by survival: particle-days ∫ e^(−m t) dt = (e^(−m t_a) − e^(−m t_b))/m,
  an arrival counts e^(−m t_a).
* ``reef``: larvae in still water, some released over a reef covering part of zone A, the
  others away from it; competent from day 5, mortality 0.1/day as survival weights. The
  settled share is e^(−5m) on the reef and 0 elsewhere, so the settlement matrix and the
  recruitment indices are known exactly; unsettled larvae spend (1 − e^(−mT))/m
  survival-weighted days in their zone.

Tolerances are one time step per boundary crossing (arrivals and time in zone are counted at
every step), or the CSVs' 6 significant digits where nothing is sampled.
"""

import json

import numpy as np
import pandas as pd
import pytest
import xarray as xr
import yaml
from scipy import stats
from typer.testing import CliRunner

from marinenet.cli import app

from .conftest import DEG2M, write_boxes, write_cf_currents

U = 0.5  # m/s eastward
T_DAYS = 4.0
HOUR = 1 / 24
M_DRIFT = 0.1  # per day, weighted runs
EEZ = {"A": (0, -1, 1, 1), "B": (2, -1, 4, 1)}
MPA = {"M": (1.2, -1, 1.6, 1)}
EBSA = {"E1": (1.0, -1, 2.0, 1), "E2": (1.3, -0.2, 1.5, 0.2)}
POINTS = [(0.2, 0.0), (0.5, 0.5), (0.8, -0.5), (1.1, 0.0)]  # two particles each
PER_POINT = 2


def _run(d, sc) -> object:
    (d / "s.yaml").write_text(yaml.safe_dump(sc))
    res = CliRunner().invoke(app, ["run", str(d / "s.yaml"), "--quiet", "--no-maps"])
    assert res.exit_code == 0, res.output
    return d / "out"


def _grid_currents(d, lon, lat, u):
    times = np.array([np.datetime64("2021-01-01") + np.timedelta64(k, "D") for k in range(12)])
    write_cf_currents(
        d / "c.nc", lon, lat, times, lambda X, Y: np.full(X.shape, u), lambda X, Y: np.zeros(X.shape)
    )


@pytest.fixture(
    scope="module", params=[("fast", 0.0), ("parcels", 0.0), ("fast", M_DRIFT), ("parcels", M_DRIFT)]
)
def drift(request, tmp_path_factory):
    engine, m = request.param
    d = tmp_path_factory.mktemp(f"drift_{engine}_{m}")
    _grid_currents(d, np.arange(-1, 6.01, 0.25), np.arange(-2, 2.01, 0.25), U)
    for name, boxes in (("eez", EEZ), ("mpa", MPA), ("ebsa", EBSA)):
        write_boxes(d / f"{name}.geojson", boxes)
    behaviour = {"kind": "passive"}
    if m:
        behaviour = {
            "kind": "larva",
            "pld": f"{T_DAYS:g} days",
            "mortality": f"{m} per day",
            "mortality_mode": "weights",
        }
    sc = {
        "name": "drift",
        "seed": 1,
        "ocean": {"source": "c.nc"},
        "zones": {n: {"path": f"{n}.geojson", "id": "name", "role": n} for n in ("eez", "mpa", "ebsa")},
        "release": {
            "from": {"points": [list(p) for p in POINTS]},
            "particles": PER_POINT,
            "start": "2021-01-01T00:00",
        },
        "behaviour": behaviour,
        "simulation": {
            "duration": f"{T_DAYS:g} days",
            "dt": "1 hour",
            "output_every": "1 hour",
            "engine": engine,
        },
        "output": "out",
    }
    return _run(d, sc), m


def _particles():
    """(x0, speed in degrees/day, latitude) of every released particle."""
    out = []
    for x0, lat in POINTS:
        v = U * 86400 / (DEG2M * np.cos(np.deg2rad(lat)))
        out += [(x0, v, lat)] * PER_POINT
    return out


def _span(x0, v, lat, box):
    """Times (days) the particle enters and leaves a box, or None if it never is inside."""
    a, s, b, n = box
    if not s <= lat <= n:
        return None
    t_in, t_out = max((a - x0) / v, 0.0), min((b - x0) / v, T_DAYS)
    return (t_in, t_out) if t_out > t_in else None


def _days(span, m):
    """Survival-weighted days over a span: ∫ e^(−m t) dt (plain days when m = 0)."""
    t0, t1 = span
    return t1 - t0 if m == 0 else (np.exp(-m * t0) - np.exp(-m * t1)) / m


def _source(x0, lat):
    return next((z for z, (a, s, b, n) in EEZ.items() if a <= x0 <= b and s <= lat <= n), "outside")


def test_exposure_is_particle_days_from_geometry(drift):
    out, m = drift
    table = pd.read_csv(out / "exposure" / "eez.csv").set_index(["source", "zone"])
    expected: dict = {}
    for x0, v, lat in _particles():
        s = _source(x0, lat)
        inside = 0.0
        for z, box in EEZ.items():
            span = _span(x0, v, lat, box)
            if span:
                expected[s, z] = expected.get((s, z), 0.0) + _days(span, m)
                inside += _days(span, m)
        rest = _days((0.0, T_DAYS), m) - inside
        expected[s, "outside"] = expected.get((s, "outside"), 0.0) + rest
    for key, days in expected.items():
        n_src = sum(_source(x, la) == key[0] for x, _, la in _particles())
        assert table.loc[key, "particle_days"] == pytest.approx(days, abs=2 * HOUR * n_src), key
    assert set(table.index) == set(expected)


def test_first_arrivals_from_geometry(drift):
    out, m = drift
    table = pd.read_csv(out / "arrivals" / "eez.csv").set_index(["source", "destination"])
    times: dict = {}
    for x0, v, lat in _particles():
        s = _source(x0, lat)
        for z, box in {**EEZ, "outside": None}.items():
            if z == s:
                continue
            if z == "outside":  # leaves its own box (A ends at x = 1) into no zone
                t = (EEZ[s][2] - x0) / v if s != "outside" else None
            else:
                span = _span(x0, v, lat, box)
                t = span[0] if span else None
            if t is not None and t <= T_DAYS:
                times.setdefault((s, z), []).append(t)
    assert set(table.index) == set(times)
    for key, t in times.items():
        t = np.array(t)
        w = np.exp(-m * t)
        row = table.loc[key]
        assert row["n"] == pytest.approx(w.sum(), rel=m * HOUR + 1e-12), key
        q = (
            np.percentile(t, [10, 50, 90])
            if m == 0
            else np.percentile(t, [10, 50, 90], weights=w, method="inverted_cdf")
        )
        got = row[["p10_days", "median_days", "p90_days"]].to_numpy(float)
        np.testing.assert_allclose(got, q, atol=HOUR + 1e-6)


def test_protection_shares_from_geometry(drift):
    out, m = drift
    table = pd.read_csv(out / "protection.csv").set_index("metric")["value"]
    parts = _particles()
    total = sum(_days((0.0, T_DAYS), m) for _ in parts)
    in_mpa = [(_days(sp, m) if (sp := _span(x0, v, la, MPA["M"])) else 0.0) for x0, v, la in parts]
    tol = 2 * HOUR / T_DAYS
    assert table["share of particle-days outside MPAs (all particles)"] == pytest.approx(
        1 - sum(in_mpa) / total, abs=tol
    )
    from_e = [
        k
        for k, (x0, _, la) in enumerate(parts)
        if any(a <= x0 <= b and s <= la <= n for a, s, b, n in EBSA.values())
    ]
    assert len(from_e) == PER_POINT  # the particles released at (1.1, 0), in E1
    share_e = 1 - sum(in_mpa[k] for k in from_e) / (len(from_e) * _days((0.0, T_DAYS), m))
    assert table["share of particle-days outside MPAs (particles released in EBSAs)"] == pytest.approx(
        share_e, abs=tol
    )
    # areas: boxes in one latitude band are in proportion to their longitude widths
    assert table["share of EBSA 'E1' covered by MPAs"] == pytest.approx(0.4, rel=1e-3)
    assert table["share of EBSA 'E2' covered by MPAs"] == pytest.approx(1.0, rel=1e-6)


def test_end_of_run_indices_and_every_pair_with_its_interval(drift):
    out, m = drift
    surv = np.exp(-m * T_DAYS)
    ends = {}
    for x0, v, lat in _particles():
        x1 = x0 + v * T_DAYS
        z = next((z for z, (a, s, b, n) in EEZ.items() if a <= x1 <= b and s <= lat <= n), "outside")
        ends.setdefault(_source(x0, lat), []).append(z)
    # A releases 6: 2 end outside (x = 1.76), 4 in B; B receives those 4 and the 2 from outside
    assert ends["A"].count("B") == 4 and ends["outside"] == ["B", "B"]
    name = "eez.end" if m else "eez"
    idx = pd.read_csv(out / "indices" / f"{name}.csv").set_index("zone")
    assert idx.loc["A", "released"] == 6 and idx.loc["A", "local_retention"] == 0
    assert idx.loc["A", "export_share"] == pytest.approx(4 * surv / 6)
    assert idx.loc["B", "self_recruitment"] == 0 and idx.loc["B", "import_dependency"] == 1
    assert np.isnan(idx.loc["A", "self_recruitment"])
    if m:  # larvae with no habitat settle nowhere: the recruitment indices say so
        rec = pd.read_csv(out / "indices" / "eez.csv").set_index("zone")
        assert (rec["basis"] == "settlement").all() and (rec["arrivals"] == 0).all()
        assert rec.loc["A", "local_retention"] == 0 and rec.loc["A", "export_share"] == 0
    table = pd.read_csv(out / "connectivity" / "eez.csv").set_index(["source", "destination"])
    dests = ["A", "B", "outside", "stranded", "out_of_domain"] + (["dead"] if m else [])
    assert set(table.index) == {(s, d) for s in ("A", "outside") for d in dests}  # zero counts included
    assert table.loc[("A", "B"), "count"] == pytest.approx(4 * surv)
    if m == 0:  # whole particles: the Jeffreys interval, Beta(x + ½, n − x + ½) quantiles
        lo, hi = stats.beta.ppf([0.025, 0.975], 4.5, 2.5)
        assert table.loc[("A", "B"), ["ci_low", "ci_high"]].tolist() == pytest.approx([lo, hi])
        assert table.loc[("A", "A"), "ci_low"] == 0
        assert table.loc[("A", "A"), "ci_high"] == pytest.approx(stats.beta.ppf(0.975, 0.5, 6.5))
    assert ((table["ci_low"] <= table["fraction"]) & (table["fraction"] <= table["ci_high"])).all()
    assert (table["ci_high"] > 0).all()


REEF = {"R": (0.2, -0.6, 1.0, 0.6)}
REEF_POINTS = [(0.6, 0.0), (0.6, 0.3), (1.6, 0.0), (1.6, 0.5), (1.5, -0.5), (4.0, 0.0), (4.0, 0.5)]
ZONES2 = {"A": (0, -1, 2, 1), "B": (3, -1, 5, 1)}
PER_REEF_POINT = 10
M_REEF, COMP, PLD = 0.1, 5.0, 8.0


@pytest.fixture(scope="module", params=["fast", "parcels"])
def reef(request, tmp_path_factory):
    d = tmp_path_factory.mktemp(f"reef_{request.param}")
    _grid_currents(d, np.arange(-1, 6.01, 0.25), np.arange(-2, 2.01, 0.25), 0.0)
    write_boxes(d / "eez.geojson", ZONES2)
    write_boxes(d / "reefs.geojson", REEF)
    sc = {
        "name": "reef",
        "seed": 2,
        "ocean": {"source": "c.nc"},
        "zones": {n: {"path": f"{n}.geojson", "id": "name"} for n in ("eez", "reefs")},
        "release": {
            "from": {"points": [list(p) for p in REEF_POINTS]},
            "particles": PER_REEF_POINT,
            "start": "2021-01-01T00:00",
        },
        "behaviour": {
            "kind": "larva",
            "pld": f"{PLD:g} days",
            "competency": [f"{COMP:g} days", f"{PLD:g} days"],
            "mortality": f"{M_REEF} per day",
            "mortality_mode": "weights",
            "settle_in": {"layer": "reefs"},
        },
        "simulation": {
            "duration": f"{PLD:g} days",
            "dt": "1 hour",
            "output_every": "1 day",
            "engine": request.param,
        },
        "output": "out",
    }
    return _run(d, sc)


# survival of a larva settling at the start of competency / reaching its PLD: exactly e^(−m·age)
# (no extra step of mortality, issue 12 item 11)
SETTLED = np.exp(-M_REEF * COMP)
UNSETTLED = np.exp(-M_REEF * PLD)
REL = 1e-5  # the CSVs carry 6 significant digits


def test_settlement_matrix_is_exact(reef):
    t = pd.read_csv(reef / "connectivity" / "eez.settlement.csv").set_index(["source", "destination"])
    fates = ["A", "B", "outside", "unsettled", "dead", "stranded", "out_of_domain"]
    assert set(t.index) == {(s, d) for s in ("A", "B") for d in fates}  # zero counts included
    on_reef, off_reef, in_b = 20, 30, 20
    assert t.loc[("A", "A"), "count"] == pytest.approx(on_reef * SETTLED, rel=REL)
    assert t.loc[("A", "unsettled"), "count"] == pytest.approx(off_reef * UNSETTLED, rel=REL)
    assert t.loc[("A", "dead"), "count"] == pytest.approx(
        50 - on_reef * SETTLED - off_reef * UNSETTLED, abs=(on_reef * SETTLED + off_reef * UNSETTLED) * REL
    )
    assert t.loc[("B", "unsettled"), "count"] == pytest.approx(in_b * UNSETTLED, rel=REL)
    for key in [("A", "B"), ("B", "A"), ("B", "B"), ("A", "outside"), ("A", "stranded")]:
        assert t.loc[key, "count"] == 0 and t.loc[key, "ci_low"] == 0 and t.loc[key, "ci_high"] > 0
    assert ((t["ci_low"] <= t["fraction"]) & (t["fraction"] <= t["ci_high"])).all()


def test_larval_indices_come_from_recruitment(reef):
    """Issue 12 item 1: 40 % of zone A's larvae are released over the reef: LR_A = 0.4·e^(−5m)."""
    idx = pd.read_csv(reef / "indices" / "eez.csv").set_index("zone")
    assert (idx["basis"] == "settlement").all()
    assert idx.loc["A", "local_retention"] == pytest.approx(0.4 * SETTLED, rel=REL)
    assert idx.loc["A", "self_recruitment"] == 1 and idx.loc["A", "import_dependency"] == 0
    assert idx.loc["A", "export_share"] == 0
    assert idx.loc["B", "local_retention"] == 0 and np.isnan(idx.loc["B", "self_recruitment"])
    end = pd.read_csv(reef / "indices" / "eez.end.csv").set_index("zone")
    assert end.loc["A", "local_retention"] == pytest.approx(0.4 * SETTLED + 0.6 * UNSETTLED, rel=REL)
    assert end.loc["B", "local_retention"] == pytest.approx(UNSETTLED, rel=REL)


def test_survival_weighted_particle_days_in_still_water(reef):
    """Issue 12 item 6: a larva alive until T in its zone spends (1 − e^(−mT))/m weighted days there."""
    ex = pd.read_csv(reef / "exposure" / "eez.csv").set_index(["source", "zone"])
    per = (1 - np.exp(-M_REEF * PLD)) / M_REEF  # 5.51 days, not 8
    assert ex.loc[("B", "B"), "particle_days"] == pytest.approx(20 * per, rel=1e-5)
    assert ex.loc[("B", "B"), "particles_visiting"] == pytest.approx(20.0)
    settling = 20 * (1 - SETTLED) / M_REEF  # on the reef: alive in the water until day 5
    got = ex.loc[("A", "A"), "particle_days"] - 30 * per
    assert got == pytest.approx(settling, rel=1e-5)  # every step counted: exact up to float32 sums


def test_points_matrix_counts_the_dead_by_survival_weight(reef):
    """Issue 12 item 6: points.csv shows the deaths of a weighted run."""
    pts = pd.read_csv(reef / "connectivity" / "points.csv").set_index(["source", "destination"])
    assert pts.loc[("P1", "dead"), "count"] == pytest.approx(10 * (1 - SETTLED), abs=10 * SETTLED * REL)
    assert pts.loc[("P6", "dead"), "count"] == pytest.approx(10 * (1 - UNSETTLED), abs=10 * UNSETTLED * REL)
    assert pts.loc[("P6", "B"), "count"] == pytest.approx(10 * UNSETTLED, rel=REL)
    s = json.loads((reef / "summary.json").read_text())
    assert s["particles_released"] == 70


def test_split_layer_intervals_use_the_matrix_source_assignment(tmp_path):
    """Issue 12 item 3: an ``overlaps: split`` layer that is not the release layer. A particle released
    where E1 and E2 overlap is half a source of each, in the matrix and in its interval alike."""
    _grid_currents(tmp_path, np.arange(-1, 8.01, 0.25), np.arange(-2, 2.01, 0.25), U)
    write_boxes(tmp_path / "eez.geojson", {"R": (0, -1, 3, 1)})
    write_boxes(tmp_path / "ebsa.geojson", {"E1": (0, -1, 2, 1), "E2": (1, -1, 3, 1), "E3": (3.5, -1, 5, 1)})
    sc = {
        "name": "split",
        "seed": 4,
        "ocean": {"source": "c.nc"},
        "zones": {
            "eez": {"path": "eez.geojson", "id": "name"},
            "ebsa": {"path": "ebsa.geojson", "id": "name", "overlaps": "split"},
        },
        "release": {"from": {"layer": "eez"}, "particles": 300, "start": "2021-01-01T00:00"},
        "simulation": {
            "duration": f"{T_DAYS:g} days",
            "dt": "1 hour",
            "output_every": "6 hours",
            "engine": "fast",
        },
        "output": "out",
    }
    out = _run(tmp_path, sc)
    tr = xr.open_dataset(out / "trajectories.nc")
    x0 = tr["lon"].isel(time=0).values
    share_e1 = np.where(x0 < 1, 1.0, np.where(x0 <= 2, 0.5, 0.0))  # geometry of the release positions
    t = pd.read_csv(out / "connectivity" / "ebsa.csv")
    released = t.groupby("source")["count"].sum()
    assert released["E1"] == pytest.approx(share_e1.sum(), abs=1e-6)
    assert released["E2"] == pytest.approx(300 - share_e1.sum(), abs=1e-6)
    assert t[["ci_low", "ci_high"]].notna().all().all()
    assert ((t["ci_low"] <= t["fraction"] + 1e-12) & (t["fraction"] <= t["ci_high"] + 1e-12)).all()
    assert set(t["destination"]) >= {"E1", "E2", "E3", "outside", "stranded", "out_of_domain"}
    assert len(t) == 2 * t["destination"].nunique()  # every pair of the two sources, zero counts included
    ex = pd.read_csv(out / "exposure" / "ebsa.csv")  # the same half-particles as sources
    assert ex.groupby("source")["particle_days"].sum()["E1"] == pytest.approx(
        share_e1.sum() * T_DAYS, rel=1e-5
    )
