"""Layers with more (source, destination) pairs than ``outputs: all_pairs_limit`` (issue 16 item 3): their
connectivity tables list the non-zero pairs only, connectivity.nc holds them sparse, summary.json says so.

The same small run is made twice: with the default limit (every pair, zero counts included) and forced
over a tiny limit; the sparse outputs must be the dense ones with the zero rows dropped.
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
from marinenet.connectivity.indices import transboundary_indices
from marinenet.connectivity.matrix import connectivity_matrix
from marinenet.connectivity.network import connectivity_graph, network_metrics
from marinenet.connectivity.sparse import SparseCounts
from marinenet.result import open_run

from .conftest import write_cf_currents

CELL = 1.0  # degrees: a 6 × 6 grid layer over the domain (36 zones + outside)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """(dense, sparse) output folders of one scenario: eastward drift with diffusion over 1° cells."""
    d = tmp_path_factory.mktemp("pairs")
    times = np.array([np.datetime64("2021-01-01") + np.timedelta64(k, "D") for k in range(5)])
    write_cf_currents(
        d / "currents.nc",
        np.arange(0, 6.01, 0.25),
        np.arange(0, 6.01, 0.25),
        times,
        lambda X, Y: np.full(X.shape, 0.15),
        lambda X, Y: np.full(X.shape, 0.02),
    )
    base = {
        "name": "pairs",
        "seed": 5,
        "ocean": {"source": "currents.nc"},
        "zones": {"cells": {"source": "grid", "cell": CELL}},
        "release": {
            "from": {"points": [[x + 0.5, y + 0.5] for x in range(1, 5) for y in range(1, 5)]},
            "particles": 40,
            "start": "2021-01-01T00:00",
        },
        "behaviour": {"diffusion": 5000},
        "simulation": {"duration": "3 days", "dt": "2 hours", "output_every": "1 day", "engine": "fast"},
    }
    out = {}
    for kind, extra, maps in (("dense", {}, ["--no-maps"]), ("sparse", {"all_pairs_limit": 10}, [])):
        f = d / f"{kind}.yaml"
        f.write_text(yaml.safe_dump({**base, "outputs": extra} if extra else base))
        res = CliRunner().invoke(app, ["run", str(f), "--out", str(d / kind), "-q", *maps])
        assert res.exit_code == 0, res.output
        out[kind] = d / kind
    return out["dense"], out["sparse"]


def _csv(path):
    return pd.read_csv(path, keep_default_na=False, na_values=[""])


def test_sparse_csv_is_the_dense_csv_without_its_zero_rows(runs):
    dense, sparse = runs
    names = sorted(p.name for p in (dense / "connectivity").glob("*.csv"))
    assert names == ["cells.csv", "points.csv"]
    for name in names:
        full, nonzero = _csv(dense / "connectivity" / name), _csv(sparse / "connectivity" / name)
        assert (full["count"] == 0).any() and not (nonzero["count"] == 0).any()
        pd.testing.assert_frame_equal(full[full["count"] != 0].reset_index(drop=True), nonzero)
    # the other tables never had zero rows: byte-identical
    for sub in ("arrivals", "exposure", "indices"):
        for p in (dense / sub).glob("*.csv"):
            assert p.read_bytes() == (sparse / sub / p.name).read_bytes(), p


def test_summary_says_which_tables_hold_every_pair(runs):
    dense, sparse = runs
    rows = [json.loads((d / "summary.json").read_text())["connectivity_rows"] for d in runs]
    assert rows[0] == {"cells": "all pairs", "points": "all pairs"}
    assert rows[1] == {"cells": "non-zero pairs only", "points": "non-zero pairs only"}
    # the sampling check counts the pairs left out as zero pairs: the same sentence
    said = [json.loads((d / "summary.json").read_text())["sampling"] for d in runs]
    assert said[0] == said[1]


def test_missing_pair_interval_is_the_zero_count_interval(runs):
    """<matrix>.unseen.csv: per source the pairs left out and their interval, which is the interval the
    dense table gives a zero count: 0 to the 97.5 % quantile of Beta(½, n + ½) (Jeffreys, 0 of n)."""
    dense, sparse = runs
    for name in ("cells", "points"):
        full = _csv(dense / "connectivity" / f"{name}.csv")
        unseen = _csv(sparse / "connectivity" / f"{name}.unseen.csv").set_index("source")
        zeros = full[full["count"] == 0]
        missing = zeros.groupby("source").size()
        assert unseen.loc[missing.index, "missing_pairs"].tolist() == missing.tolist()
        n = full.groupby("source")["count"].sum()
        closed = stats.beta.ppf(0.975, 0.5, n.loc[missing.index] + 0.5)
        np.testing.assert_allclose(unseen.loc[missing.index, "ci_high"], closed, rtol=1e-5)  # CSV: 6 digits
        assert (unseen.loc[missing.index, "ci_low"] == 0).all()
        for src, hi in zeros.groupby("source")["ci_high"]:  # every zero row of the dense table: that interval
            assert (hi == unseen.loc[src, "ci_high"]).all()


def test_connectivity_nc_round_trip(runs):
    dense, sparse = runs
    a, b = open_run(dense).matrices, open_run(sparse).matrices
    assert set(a) == set(b) == {"cells", "points"}
    for name in a:
        assert isinstance(b[name], SparseCounts) and not isinstance(a[name], SparseCounts)
        xr.testing.assert_identical(b[name].to_dense().drop_attrs(), a[name].drop_attrs().astype(np.int64))
        assert b[name].count.size == int((a[name] != 0).sum())  # only the non-zero pairs are stored
    with xr.open_dataset(sparse / "connectivity.nc") as raw:
        assert raw["cells"].dims == ("cells_pair",)
        assert raw["cells_pair"].attrs["compress"] == "cells_src cells_dst"


def test_forced_sparse_report_renders_with_the_missing_pair_note(runs):
    _, sparse = runs
    page = (sparse / "report.html").read_text(encoding="utf-8")
    assert "non-zero pairs" in page and "count of 0" in page
    assert (sparse / "maps" / "connectivity_cells.png").exists()


def _reference_indices(C: np.ndarray, src: list, dst: list, zones: list, hs: str | None) -> pd.DataFrame:
    """The indices by their definitions, one zone at a time (the few-line loop of the docstring)."""
    rows = []
    for z in zones:
        i, j = (src.index(z) if z in src else None), (dst.index(z) if z in dst else None)
        r = C[i].sum() if i is not None else 0.0
        a = C[:, j].sum() if j is not None else 0.0
        own = C[i, j] if i is not None and j is not None else 0.0
        other = sum(C[i, dst.index(y)] for y in zones if y in dst and y != z) if i is not None else 0.0
        h = C[src.index(hs), j] if hs in src and j is not None and z != hs else 0.0
        rows.append(
            {
                "zone": z,
                "released": r,
                "arrivals": a,
                "local_retention": own / r if r else np.nan,
                "self_recruitment": own / a if a else np.nan,
                "import_dependency": 1 - own / a if a else np.nan,
                "abnj_dependency": h / a if a else np.nan,
                "export_share": other / r if r else np.nan,
            }
        )
    return pd.DataFrame(rows)


@pytest.mark.parametrize("weighted", [False, True])
def test_sparse_indices_and_network_equal_the_dense_ones(weighted):
    rng = np.random.default_rng(7)
    zones = [f"z{k}" for k in range(15)] + ["ABNJ"]
    n = 600
    s = rng.choice(zones[:10] + ["ABNJ"], n).astype(object)
    d = rng.choice(zones + ["stranded"], n).astype(object)
    w = rng.uniform(0.2, 1.0, n) if weighted else None
    cols = zones + ["stranded", "out_of_domain"]
    dense = connectivity_matrix(s, d, zones, cols, weights=w)
    sparse = connectivity_matrix(s, d, zones, cols, weights=w, sparse=True)
    assert isinstance(sparse, SparseCounts)
    np.testing.assert_array_equal(sparse.to_dense().values, dense.values)
    ref = _reference_indices(dense.values.astype(float), zones, cols, zones, "ABNJ")
    pd.testing.assert_frame_equal(transboundary_indices(sparse, zones, "ABNJ"), ref, rtol=1e-12)
    pd.testing.assert_frame_equal(transboundary_indices(dense, zones, "ABNJ"), ref, rtol=1e-12)
    g_dense, g_sparse = connectivity_graph(dense, zones), connectivity_graph(sparse, zones)
    assert list(g_sparse.edges(data=True)) == list(g_dense.edges(data=True))


def test_large_network_samples_betweenness_and_uses_louvain(monkeypatch):
    """Above LARGE_NETWORK zones betweenness comes from sampled pivots (all of them when the network has
    fewer than PIVOTS zones: then it is the exact value) and communities from Louvain. A chain of two
    clusters joined by a stepping stone: the stone has the largest betweenness, the clusters are two
    communities."""
    import marinenet.connectivity.network as net

    zones = ["a1", "a2", "a3", "S", "b1", "b2", "b3"]
    C = np.zeros((7, 7), int)
    for grp in ([0, 1, 2], [4, 5, 6]):
        for i in grp:
            for j in grp:
                C[i, j] = 20 if i != j else 40
    C[2, 3] = C[3, 4] = C[4, 3] = C[3, 2] = 3
    C[3, 3] = 10
    m = xr.DataArray(C, dims=("source", "destination"), coords={"source": zones, "destination": zones})
    g = connectivity_graph(m, zones)
    exact = network_metrics(g).set_index("zone")
    monkeypatch.setattr(net, "LARGE_NETWORK", 3)
    large = network_metrics(g).set_index("zone")
    assert large["betweenness"].idxmax() == "S"
    np.testing.assert_allclose(large["betweenness"].loc[zones], exact["betweenness"].loc[zones], rtol=1e-12)
    assert large.loc["a1", "community"] == large.loc["a3", "community"] != large.loc["b2", "community"]


@pytest.mark.parametrize("weighted", [False, True])
def test_visit_tables_join_once_and_equal_the_two_tables(weighted):
    """analyses reads arrivals and exposure through visit_tables (one join of visits and sources): the
    same frames as arrival_table and exposure_table, split particles and survival weights included."""
    from marinenet.connectivity.exposure import ZoneTally, arrival_table, exposure_table, visit_tables
    from marinenet.streaming import Survival

    rng = np.random.default_rng(11)
    n, nz = 400, 9
    tally = ZoneTally(n, nz)
    tally.start(np.arange(n), rng.integers(0, nz, n))
    for k in range(12):
        idx = np.sort(rng.choice(n, n // 2, replace=False)).astype(np.int64)
        tally.step(
            idx, rng.uniform(0.01, 1.0, idx.size), rng.integers(0, nz, idx.size), np.full(idx.size, k + 1.0)
        )
    zones = [f"z{k}" for k in range(nz)]
    part = np.r_[np.arange(n), np.arange(0, n, 3)].astype(np.int64)
    lab = rng.choice(np.array(zones[:5] + ["other"], dtype=object), part.size)
    share = np.where(np.isin(part, np.arange(0, n, 3)), 0.5, 1.0) if weighted else np.ones(part.size)
    if not weighted:
        part, lab, share = part[:n], lab[:n], share[:n]
    survival = Survival(0.3, n) if weighted else None
    rows = (part, lab, share)
    arrivals, exposure = visit_tables(rows, tally.visits(), zones, survival)
    pd.testing.assert_frame_equal(arrivals, arrival_table(rows, tally.visits(), zones, survival))
    pd.testing.assert_frame_equal(exposure, exposure_table(rows, tally.visits(), zones, survival))
    assert len(arrivals) > 20 and len(exposure) > 20


def test_sparse_normalised_views_equal_the_dense_ones():
    from marinenet.connectivity.indices import column_normalised, row_normalised

    rng = np.random.default_rng(2)
    zones = [f"z{k}" for k in range(8)]
    s, d = rng.choice(zones[:5], 300).astype(object), rng.choice(zones, 300).astype(object)
    dense = connectivity_matrix(s, d, zones, zones + ["stranded"])
    sparse = connectivity_matrix(s, d, zones, zones + ["stranded"], sparse=True)
    C = dense.values.astype(float)
    with np.errstate(invalid="ignore"):  # by hand: rows and columns divided by their sums
        by_row = np.nan_to_num(C / C.sum(axis=1, keepdims=True))
        by_col = np.nan_to_num(C / C.sum(axis=0, keepdims=True))
    np.testing.assert_allclose(row_normalised(sparse).to_dense().values, by_row, rtol=1e-15)
    np.testing.assert_allclose(column_normalised(sparse).to_dense().values, by_col, rtol=1e-15)
    np.testing.assert_allclose(row_normalised(dense).values, by_row, rtol=1e-15)


def test_release_from_a_layer_of_many_zones_reads_its_ids_once(tmp_path, monkeypatch):
    """Releasing from every zone of a layer looked each zone up in a fresh list of all ids (zones² work:
    27 s CPU at 2,000 cells, hours at 20,000); the ids are now read once per layer. Counted, not timed."""
    from marinenet.prepare import prepare
    from marinenet.scenario import load_scenario
    from marinenet.zones import ZoneLayer

    times = np.array([np.datetime64("2021-01-01") + np.timedelta64(k, "D") for k in range(3)])
    flow = lambda X, Y: np.full(X.shape, 0.1)  # noqa: E731
    write_cf_currents(tmp_path / "c.nc", np.arange(0, 2.01, 0.1), np.arange(0, 2.01, 0.1), times, flow, flow)
    scenario = {
        "name": "many",
        "ocean": {"source": "c.nc"},
        "zones": {"cells": {"source": "grid", "cell": 0.1}},
        "release": {"from": {"layer": "cells"}, "particles": 2000, "start": "2021-01-01T00:00"},
        "simulation": {"duration": "1 day"},
    }
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(scenario))
    reads = []
    ids = ZoneLayer.ids.fget
    monkeypatch.setattr(ZoneLayer, "ids", property(lambda self: reads.append(1) or ids(self)))
    prep = prepare(load_scenario(tmp_path / "s.yaml"))
    zones = len(prep.layers["cells"].frame)
    assert zones >= 400 and len(prep.release) == 2000
    assert len(set(prep.release.source)) == zones  # every cell released
    assert len(reads) < 20  # not once or twice per zone (was 2 × zones + 1)
