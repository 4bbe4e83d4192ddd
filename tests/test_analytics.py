"""Connectivity analytics on cases with known answers."""

import geopandas as gpd
import numpy as np
import pytest
import xarray as xr
from shapely.geometry import box

from marinenet.connectivity import connectivity_matrix
from marinenet.connectivity.exposure import arrival_table, first_arrivals, time_in_zones, zone_occupancy
from marinenet.connectivity.indices import column_normalised, row_normalised, transboundary_indices
from marinenet.connectivity.network import connectivity_graph, network_metrics
from marinenet.connectivity.uncertainty import bootstrap_fractions, convergence
from marinenet.engine import EngineRequest, run_engine
from marinenet.zones import layer_from_frame

from .conftest import DEG2M, canonical


def _matrix(rows, cols, values):
    return xr.DataArray(
        np.array(values, float), dims=("source", "destination"), coords={"source": rows, "destination": cols}
    )


M = _matrix(["A", "B", "ABNJ"], ["A", "B", "ABNJ", "stranded"], [[6, 2, 1, 1], [3, 5, 0, 2], [1, 3, 4, 2]])


def test_transboundary_indices_by_hand():
    t = transboundary_indices(M, ["A", "B", "ABNJ"], high_seas="ABNJ").set_index("zone")
    # A releases 10: 6 stay, 3 go to other zones (B, ABNJ), 1 strands; A receives 6 + 3 + 1 = 10
    assert t.loc["A", "local_retention"] == pytest.approx(0.6)
    assert t.loc["A", "self_recruitment"] == pytest.approx(0.6)
    assert t.loc["A", "import_dependency"] == pytest.approx(0.4)
    assert t.loc["A", "abnj_dependency"] == pytest.approx(0.1)
    assert t.loc["A", "export_share"] == pytest.approx(0.3)
    # B receives 2 + 5 + 3 = 10, of which 3 from the high seas
    assert t.loc["B", "self_recruitment"] == pytest.approx(0.5)
    assert t.loc["B", "abnj_dependency"] == pytest.approx(0.3)
    assert t.loc["B", "export_share"] == pytest.approx(0.3)
    # retention + export + outcomes = 1
    for z in "AB":
        r = t.loc[z]
        outcome = M.sel(source=z, destination="stranded").item() / r["released"]
        assert r["local_retention"] + r["export_share"] + outcome == pytest.approx(1.0)


def test_normalised_views():
    rn, cn = row_normalised(M), column_normalised(M)
    np.testing.assert_allclose(rn.sum("destination"), 1.0)
    np.testing.assert_allclose(cn.sum("source"), 1.0)
    assert cn.sel(source="ABNJ", destination="B").item() == pytest.approx(3 / 10)


def test_exposure_first_arrival_and_time_in_zone_by_hand():
    labels = np.array([["A", "A", "out", "B", "B"], ["B", "out", "A", None, None]], dtype=object)
    codes, zones = zone_occupancy(labels, "out")
    assert zones == ["A", "B"]
    arr = first_arrivals(codes, np.array([0.0, 1, 2, 3, 4]), len(zones))
    np.testing.assert_array_equal(arr, [[0, 3], [2, 0]])
    days = time_in_zones(codes, 1.0, len(zones))
    np.testing.assert_array_equal(days, [[2, 1], [1, 1]])  # intervals counted at their start
    table = arrival_table(np.array(["A", "B"], object), arr, zones)
    assert table.to_dict("records") == [
        {"source": "A", "destination": "B", "n": 1, "median_days": 3.0, "p10_days": 3.0, "p90_days": 3.0},
        {"source": "B", "destination": "A", "n": 1, "median_days": 2.0, "p10_days": 2.0, "p90_days": 2.0},
    ]


def test_abnj_to_eez_arrival_time_in_uniform_flow(days):
    """0.5 m/s eastward on the equator from the high seas (x < 5°) into an EEZ (x >= 5°)."""
    u = 0.5
    ocean = canonical(
        np.arange(-1, 12.01, 0.1),
        np.arange(-2, 2.01, 0.1),
        days(15),
        lambda X, Y: np.full(X.shape, u),
        lambda X, Y: np.zeros(X.shape),
    )
    x0 = np.linspace(0.2, 4.8, 40)
    t0 = np.datetime64("2021-01-01")
    tr = run_engine("parcels", EngineRequest(ocean, x0, np.zeros(40), t0, 14 * 86400.0, 1800.0, 3 * 3600.0))
    layer = layer_from_frame(
        "eez",
        gpd.GeoDataFrame(
            {"id": ["ABNJ", "EEZ"]}, geometry=[box(-1, -2, 5, 2), box(5, -2, 12, 2)], crs="EPSG:4326"
        ),
    )
    labels = np.array(layer.labels(tr.lon.ravel(), tr.lat.ravel()), dtype=object).reshape(tr.lon.shape)
    labels[np.isnan(tr.lon)] = None
    codes, zones = zone_occupancy(labels, layer.outside)
    t_days = (tr.times - tr.times[0]) / np.timedelta64(1, "D")
    arr = first_arrivals(codes, t_days, len(zones))[:, zones.index("EEZ")]
    exact = (5.0 - x0) * DEG2M / u / 86400  # days to cross into the EEZ
    step = 3 / 24
    # first output time at or after the crossing (a point on the boundary is in both: it counts)
    np.testing.assert_allclose(arr, np.ceil(exact / step - 1e-9) * step, atol=1e-9)
    table = arrival_table(np.full(40, "ABNJ", object), first_arrivals(codes, t_days, len(zones)), zones)
    row = table.set_index("destination").loc["EEZ"]
    assert row["n"] == 40 and row["median_days"] == pytest.approx(
        np.median(np.ceil(exact / step - 1e-9) * step)
    )


def test_bootstrap_intervals_cover_the_true_fraction_at_the_nominal_rate():
    rng = np.random.default_rng(11)
    p = np.array([0.3, 0.5, 0.2])
    dests = ["A", "B", "C"]
    n, trials, hits = 200, 300, np.zeros(3)
    for _ in range(trials):
        dest = rng.choice(3, size=n, p=p)
        ci = bootstrap_fractions(
            np.arange(n),
            np.full(n, "S", object),
            np.array(dests, object)[dest],
            np.ones(n),
            dests,
            rng,
            n_boot=400,
        ).set_index("destination")
        hits += [(ci.loc[d, "ci_low"] <= p[k] <= ci.loc[d, "ci_high"]) for k, d in enumerate(dests)]
    coverage = hits / trials
    assert np.all((coverage > 0.90) & (coverage < 0.99)), coverage  # nominal 95 %


def test_convergence_flags_under_sampling():
    rng = np.random.default_rng(0)
    small = bootstrap_fractions(
        np.arange(20),
        np.full(20, "S", object),
        np.array(["A", "B"] * 10, object),
        np.ones(20),
        ["A", "B"],
        rng,
    )
    big = bootstrap_fractions(
        np.arange(4000),
        np.full(4000, "S", object),
        np.array(["A", "B"] * 2000, object),
        np.ones(4000),
        ["A", "B"],
        rng,
    )
    assert not convergence(small)["ok"] and "UNDER-SAMPLED" in convergence(small)["message"]
    assert convergence(big)["ok"]


def test_stepping_stone_has_the_highest_betweenness():
    m = _matrix(["A", "B", "C"], ["A", "B", "C"], [[5, 5, 0], [0, 5, 5], [0, 0, 10]])
    g = connectivity_graph(m, ["A", "B", "C"])
    metrics = network_metrics(g).set_index("zone")
    assert metrics["betweenness"].idxmax() == "B"
    assert metrics.loc["A", "out_strength"] == 5 and metrics.loc["C", "in_strength"] == 5
    assert g["A"]["B"]["probability"] == pytest.approx(0.5)


def test_weighted_matrix_and_bootstrap_agree():
    # particle 0 split between A and B, particle 1 entirely in B
    part, dest, w = np.array([0, 0, 1]), np.array(["A", "B", "B"], object), np.array([0.5, 0.5, 1.0])
    m = connectivity_matrix(np.array(["S", "S", "S"], object), dest, ["S"], ["A", "B"], weights=w)
    ci = bootstrap_fractions(
        part, np.array(["S", "S"], object), dest, w, ["A", "B"], np.random.default_rng(1)
    )
    assert m.sel(source="S", destination="B").item() == pytest.approx(1.5)
    assert ci.set_index("destination").loc["B", "fraction"] == pytest.approx(0.75)


def test_ensemble_spread_by_hand():
    import pandas as pd

    from marinenet.ensemble import ensemble_spread

    a = pd.DataFrame({"source": ["S", "S"], "destination": ["A", "B"], "fraction": [0.2, 0.8]})
    b = pd.DataFrame({"source": ["S"], "destination": ["A"], "fraction": [0.6]})
    s = ensemble_spread({"m1": a, "m2": b}).set_index("destination")
    assert s.loc["A", "mean"] == pytest.approx(0.4) and s.loc["A", "sd"] == pytest.approx(
        np.std([0.2, 0.6], ddof=1)
    )
    assert s.loc["B", "mean"] == pytest.approx(0.4) and s.loc["B", "min"] == 0.0  # absent in m2 counts as 0
