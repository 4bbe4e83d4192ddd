"""Sparse streamed analytics (issue 16 item 3): the (particle, zone) cells held, and the tables from them,
against hand counts, grid geometry and naive dense loops written here."""

import geopandas as gpd
import numpy as np
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from marinenet.connectivity import tidy_table
from marinenet.connectivity._tally_kernels import group_percentiles
from marinenet.connectivity.exposure import ZoneTally, arrival_table, exposure_table
from marinenet.connectivity.uncertainty import fraction_intervals
from marinenet.streaming import Streams, Survival
from marinenet.zones import layer_from_frame

DAY = 86400.0


# ------------------------------------------------------------------ naive references (dense loops)
def _naive_tally(n, nz, start, steps):
    """The definition, dense: a step's length counts (float32) where it started; the first step
    ending in a zone records its arrival; the zone of release is reached at 0."""
    first = np.full((n, nz), np.nan, np.float32)
    days = np.zeros((n, nz), np.float32)
    here = np.array(start)
    for p in range(n):
        first[p, here[p]] = 0.0
    for idx, length, zone, arrival in steps:
        for i, p in enumerate(idx):
            days[p, here[p]] += np.float32(length[i])
            if np.isnan(first[p, zone[i]]):
                first[p, zone[i]] = np.float32(arrival[i])
            here[p] = zone[i]
    return first, days


def _naive_tables(src_rows, first, days, zones, survival=None):
    """Arrival and exposure rows by loops over sources, zones and particles."""
    part, src, share = src_rows
    arrivals, exposure = [], []
    for s in sorted(set(src.tolist()), key=str):
        rows = [(p, w) for p, lab, w in zip(part, src, share, strict=True) if lab == s]
        for j, z in enumerate(zones):
            seen = [(p, w, float(first[p, j])) for p, w in rows if np.isfinite(first[p, j])]
            alive = [w * (survival.at(np.array([p]), d)[0] if survival else 1.0) for p, w, d in seen]
            pdays = sum(w * float(days[p, j]) for p, w in rows)
            if seen:
                exposure.append((s, z, pdays, sum(alive)))
            if seen and z != s and sum(alive) > 0:
                d = np.array([x[2] for x in seen])
                if all(a == 1.0 for a in alive):
                    q = np.percentile(d, [10, 50, 90])
                else:
                    q = np.percentile(d, [10, 50, 90], weights=np.array(alive), method="inverted_cdf")
                arrivals.append((s, z, sum(alive), q[1], q[0], q[2]))
    return arrivals, exposure


def _feed(tally, start, steps):
    tally.start(np.arange(len(start)), np.array(start))
    for idx, length, zone, arrival in steps:
        tally.step(np.array(idx, np.int64), np.array(length), np.array(zone), np.array(arrival))


# ------------------------------------------------------------------ hand counts
def _boxes(**zones):
    frame = gpd.GeoDataFrame({"id": list(zones)}, geometry=[box(*b) for b in zones.values()], crs="EPSG:4326")
    return layer_from_frame("z", frame, outside="out")


def test_a_particle_visiting_a_b_a_by_hand():
    """One particle, zones A, B, C (C never visited): A →(1 d) B →(1 d) A →(1 d) A.
    By hand: first arrival A 0 (release), B 1 d; days A 1 + 1 = 2, B 1; nothing for C or outside."""
    layer = _boxes(A=(0, -1, 1, 1), B=(2, -1, 3, 1), C=(4, -1, 5, 1))
    streams = Streams({"z": layer}, np.array([0.5]), np.zeros(1))
    streams.released(np.arange(1), np.array([0.5]), np.zeros(1))
    for k, x in enumerate([2.5, 0.5, 0.5], start=1):
        streams.stepped(np.arange(1), np.array([x]), np.zeros(1), np.array([DAY]), np.array([k * DAY]))
    ls = streams.layers["z"]
    assert ls.zones == ["A", "B", "C", "out"]
    v = ls.visits()
    assert v.particle.tolist() == [0, 0] and v.zone.tolist() == [0, 1]
    assert v.first.tolist() == [0.0, 1.0] and v.days.tolist() == [2.0, 1.0]
    src = np.array(["A"], object)
    exposure = exposure_table(src, v, ls.zones)
    assert exposure.to_dict("records") == [
        {"source": "A", "zone": "A", "particle_days": 2.0, "particles_visiting": 1},
        {"source": "A", "zone": "B", "particle_days": 1.0, "particles_visiting": 1},
    ]
    arrivals = arrival_table(src, v, ls.zones)
    assert arrivals.to_dict("records") == [
        {"source": "A", "destination": "B", "n": 1, "median_days": 1.0, "p10_days": 1.0, "p90_days": 1.0}
    ]


def test_no_particles_give_empty_tables_with_the_columns():
    tally = ZoneTally(0, 5)
    v = tally.visits()
    assert v.particle.size == 0
    assert list(exposure_table(np.array([], object), v, list("abcde")).columns) == [
        "source",
        "zone",
        "particle_days",
        "particles_visiting",
    ]
    assert len(arrival_table(np.array([], object), v, list("abcde"))) == 0


def test_a_grid_layer_of_hundreds_of_cells_follows_floor_of_the_position():
    """A 20 × 15 grid of 1° cells (300 zones): each position's zone is floor((lon − lon0)/dx) +
    20·floor((lat − lat0)/dy); the streamed first arrivals and days equal a dense count of those."""
    lon0, lat0, nx, ny = -10.0, 30.0, 20, 15
    cells = {
        f"c{j * nx + i:03d}": (lon0 + i, lat0 + j, lon0 + i + 1, lat0 + j + 1)
        for j in range(ny)
        for i in range(nx)
    }
    frame = gpd.GeoDataFrame({"id": list(cells)}, geometry=[box(*b) for b in cells.values()], crs=4326)
    layer = layer_from_frame("grid", frame, "id", outside="zz_out")
    rng = np.random.default_rng(7)
    n, steps = 400, 12
    ci, cj = rng.integers(0, nx, n), rng.integers(0, ny, n)
    path_i = np.clip(ci[:, None] + np.cumsum(rng.integers(-1, 2, (n, steps)), axis=1), 0, nx - 1)
    path_j = np.clip(cj[:, None] + np.cumsum(rng.integers(-1, 2, (n, steps)), axis=1), 0, ny - 1)
    off = lambda size: rng.uniform(0.05, 0.95, size)  # noqa: E731  (never on a cell edge)
    x0, y0 = lon0 + ci + off(n), lat0 + cj + off(n)
    xs, ys = lon0 + path_i + off((n, steps)), lat0 + path_j + off((n, steps))
    dt = rng.uniform(0.5, 1.5, steps) * DAY
    who = [np.flatnonzero(rng.random(n) < 0.9) for _ in range(steps)]  # some particles sit a step out
    streams = Streams({"grid": layer}, x0, y0)
    streams.released(np.arange(n), x0, y0)
    for k, idx in enumerate(who):
        age = np.full(idx.size, (k + 1) * DAY)
        streams.stepped(idx, xs[idx, k], ys[idx, k], np.full(idx.size, dt[k]), age)
    ls = streams.layers["grid"]
    assert len(ls.zones) == 301
    # the expectation: each position's zone from floor of the position, tallied densely

    def zone(x, y):
        return (np.floor((y - lat0) / 1.0) * nx + np.floor((x - lon0) / 1.0)).astype(int)

    plan = [
        (idx, np.full(idx.size, dt[k] / DAY), zone(xs[idx, k], ys[idx, k]), np.full(idx.size, k + 1.0))
        for k, idx in enumerate(who)
    ]
    first, days = _naive_tally(n, 301, zone(x0, y0), plan)
    got_first, got_days = ls.dense()
    np.testing.assert_array_equal(got_first, first)
    np.testing.assert_array_equal(got_days, days)


# ------------------------------------------------------------------ property: sparse == naive dense
@st.composite
def _paths(draw):
    n = draw(st.integers(1, 12))
    nz = draw(st.integers(1, 6))
    start = draw(st.lists(st.integers(0, nz - 1), min_size=n, max_size=n))
    steps = []
    for k in range(draw(st.integers(0, 8))):
        idx = sorted(draw(st.sets(st.integers(0, n - 1))))
        zone = draw(st.lists(st.integers(0, nz - 1), min_size=len(idx), max_size=len(idx)))
        length = draw(st.lists(st.floats(0.01, 3.0), min_size=len(idx), max_size=len(idx)))
        steps.append((idx, length, zone, [k + 1.0 + 0.1 * i for i in range(len(idx))]))
    return n, nz, start, steps


@settings(max_examples=150, deadline=None)
@given(_paths(), st.integers(0, 2**31 - 1))
def test_sparse_tally_and_tables_equal_a_naive_dense_loop(case, seed):
    n, nz, start, steps = case
    tally = ZoneTally(n, nz)
    _feed(tally, start, steps)
    first, days = _naive_tally(n, nz, start, steps)
    got_first, got_days = tally.visits().dense(n, nz)
    np.testing.assert_array_equal(got_first, first)
    np.testing.assert_array_equal(got_days, days)
    # tables, with particles split among sources and survival weights
    rng = np.random.default_rng(seed)
    zones = [f"z{k}" for k in range(nz)]
    labels = np.array(zones[: max(1, nz - 1)] + ["other"], dtype=object)
    part = np.r_[np.arange(n), rng.choice(n, n // 2, replace=False)].astype(np.int64)
    lab = rng.choice(labels, part.size)
    share = np.where(np.isin(part, part[n:]), 0.5, 1.0)
    survival = Survival(0.3, n) if seed % 2 else None
    arr, exp = _naive_tables((part, lab, share), first, days, zones, survival)
    got_arr = arrival_table((part, lab, share), tally.visits(), zones, survival)
    got_exp = exposure_table((part, lab, share), tally.visits(), zones, survival)
    assert list(zip(got_exp["source"], got_exp["zone"], strict=True)) == [e[:2] for e in exp]
    np.testing.assert_allclose(got_exp["particle_days"], [e[2] for e in exp], rtol=1e-12)
    np.testing.assert_allclose(got_exp["particles_visiting"], [e[3] for e in exp], rtol=1e-12)
    assert list(zip(got_arr["source"], got_arr["destination"], strict=True)) == [a[:2] for a in arr]
    np.testing.assert_allclose(
        got_arr[["n", "median_days", "p10_days", "p90_days"]].to_numpy(float).reshape(-1, 4),
        np.array([a[2:] for a in arr], float).reshape(-1, 4),
        rtol=1e-12,
    )


def test_batches_merged_and_a_checkpoint_restored_equal_one_stream():
    """Particles tallied in two batches (``for_batch`` / ``arrays`` / ``merge``) and a stream restored from
    its ``arrays`` mid-run hold the same cells as one stream of all particles."""
    layer = _boxes(A=(0, -1, 1, 1), B=(2, -1, 3, 1), C=(4, -1, 5, 1))
    rng = np.random.default_rng(3)
    n = 60
    x0 = rng.choice([0.5, 2.5, 4.5, 6.0], n)
    path = rng.choice([0.5, 2.5, 4.5, 6.0], (n, 6))
    whole = Streams({"z": layer}, x0, np.zeros(n))
    whole.released(np.arange(n), x0, np.zeros(n))
    halves = [np.arange(0, n, 2), np.arange(1, n, 2)]
    parts = [whole.for_batch(x0[h], np.zeros(h.size)) for h in halves]
    for h, s in zip(halves, parts, strict=True):
        s.released(np.arange(h.size), x0[h], np.zeros(h.size))
    for k in range(6):
        step = (np.full(n, DAY), np.full(n, (k + 1) * DAY))
        whole.stepped(np.arange(n), path[:, k], np.zeros(n), *step)
        for h, s in zip(halves, parts, strict=True):
            s.stepped(np.arange(h.size), path[h, k], np.zeros(h.size), step[0][h], step[1][h])
        if k == 2:  # a checkpoint: restore into fresh streams and go on with those
            saved = whole.arrays()
            whole = Streams({"z": layer}, x0, np.zeros(n))
            whole.restore(saved)
    merged = Streams({"z": layer}, x0, np.zeros(n))
    for h, s in zip(halves, parts, strict=True):
        merged.merge(h, s.arrays())
    for a, b in zip(merged.layers["z"].dense(), whole.layers["z"].dense(), strict=True):
        np.testing.assert_array_equal(a, b)
    assert np.isfinite(whole.layers["z"].dense()[0]).sum() > n  # particles moved between zones


# ------------------------------------------------------------------ tables and percentiles
def _naive_tidy(m: xr.DataArray, keep_zeros: bool):
    rows = []
    released, received = m.sum("destination"), m.sum("source")
    for s in m["source"].values:
        total = float(released.sel(source=s))
        for d in m["destination"].values:
            c = m.sel(source=s, destination=d).item()
            c = int(c) if np.issubdtype(m.dtype, np.integer) else round(float(c), 9)
            if total and (c or keep_zeros):
                arrived = float(received.sel(destination=d))
                rows.append((s, d, c, c / total, c / arrived if arrived else 0.0))
    return rows


@pytest.mark.parametrize("dtype", [np.int64, np.float64])
@pytest.mark.parametrize("keep_zeros", [False, True])
def test_tidy_table_equals_one_row_per_cell(dtype, keep_zeros):
    rng = np.random.default_rng(1)
    vals = rng.poisson(0.7, (7, 9)).astype(dtype) * (rng.random((7, 9)) if dtype is np.float64 else 1)
    vals[2] = 0  # a source that released nothing
    m = xr.DataArray(
        vals,
        dims=("source", "destination"),
        coords={"source": [f"s{i}" for i in range(7)][::-1], "destination": [f"d{j}" for j in range(9)]},
    )
    got = tidy_table(m, keep_zeros=keep_zeros)
    want = _naive_tidy(m, keep_zeros)
    assert [tuple(r) for r in got[["source", "destination"]].itertuples(index=False)] == [r[:2] for r in want]
    assert got["count"].dtype == dtype
    np.testing.assert_array_equal(
        got[["count", "fraction", "origin_share"]].to_numpy(float),
        np.array([r[2:] for r in want], float).reshape(-1, 3),
    )


def test_grouped_percentiles_equal_numpy_bit_for_bit():
    rng = np.random.default_rng(11)
    sizes = rng.integers(1, 40, 300)
    d = np.concatenate([np.sort(rng.choice(rng.uniform(0, 30, 8), k)) for k in sizes])  # ties included
    w = rng.uniform(0, 1, d.size) * (rng.random(d.size) > 0.1)
    stops = np.cumsum(sizes)
    starts = stops - sizes
    weighted = (rng.random(sizes.size) < 0.5) & np.array(
        [w[a:b].sum() > 0 for a, b in zip(starts, stops, strict=True)]
    )
    q = np.array([10.0, 50.0, 90.0]) / 100
    got = group_percentiles(d, w, starts, stops, q, weighted)
    for g, (a, b) in enumerate(zip(starts, stops, strict=True)):
        if weighted[g]:
            want = np.percentile(d[a:b], [10, 50, 90], weights=w[a:b], method="inverted_cdf")
        else:
            want = np.percentile(d[a:b], [10, 50, 90])
        np.testing.assert_array_equal(got[g], want)


def test_bootstrap_intervals_equal_the_dense_computation_with_the_same_draws():
    """Split particles: the sparse bootstrap draws the same Gamma variates in the same order as a dense
    particles × destinations product written here, so the intervals agree to rounding."""
    rng = np.random.default_rng(5)
    n, cols = 300, ["a", "b", "c", "d", "e", "dead"]
    src = (np.arange(n), rng.choice(np.array(["A", "B"], object), n), np.ones(n))
    d1 = rng.choice(np.array(cols[:3], object), n)
    d2 = rng.choice(np.array(cols[1:4], object), n)
    dst = (np.r_[np.arange(n), np.arange(n)], np.r_[d1, d2], np.full(2 * n, 0.5))
    got = fraction_intervals(src, dst, cols, np.random.default_rng(9), n_draws=400)
    g_rng = np.random.default_rng(9)
    for s in ["A", "B"]:
        p = np.flatnonzero(src[1] == s)
        Y = np.zeros((p.size, len(cols)))
        row = {q: i for i, q in enumerate(p)}
        for q, lab, w in zip(*dst, strict=True):
            if q in row:
                Y[row[q], cols.index(lab)] += w
        g = g_rng.gamma(1.0, size=(400, p.size))
        g1, g0 = g_rng.gamma(0.5, size=400), g_rng.gamma(0.5, size=400)
        means = (g @ Y + g1[:, None]) / (g.sum(axis=1) + g1 + g0)[:, None]
        lo, hi = np.percentile(means, [2.5, 97.5], axis=0)
        lo = np.where(np.all(Y == 0, axis=0), 0.0, lo)
        rows = got[got["source"] == s]
        np.testing.assert_allclose(rows["ci_low"], lo, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(rows["ci_high"], hi, rtol=1e-12)
        np.testing.assert_allclose(rows["fraction"], Y.mean(axis=0), rtol=1e-12)
        assert rows["ci_high"].iloc[4] == rows["ci_high"].iloc[5] > 0  # unreached: the pseudo-particle alone


def test_zone_index_on_a_grid_of_shared_edges_equals_the_exact_test():
    """The band's exact test over each point's candidate zones only: on a 20 × 15 grid of 0.1° boxes
    (every cell edge shared, corners shared by four) points on edges, corners and anywhere get the
    same zones as shapely's ``intersects`` on every polygon."""
    from marinenet.zones.index import ZoneIndex, exact_query

    geoms = [box(0.1 * i, 0.1 * j, 0.1 * (i + 1), 0.1 * (j + 1)) for j in range(15) for i in range(20)]
    index = ZoneIndex(geoms)
    rng = np.random.default_rng(4)
    gx, gy = np.meshgrid(np.arange(21) * 0.1, np.arange(16) * 0.1)  # every corner
    lon = np.r_[gx.ravel(), rng.integers(0, 21, 500) * 0.1, rng.uniform(-0.2, 2.2, 5000)]
    lat = np.r_[gy.ravel(), rng.uniform(-0.1, 1.6, 500), rng.uniform(-0.2, 1.7, 5000)]
    p, z = index.query(lon, lat)
    p_ref, z_ref = exact_query(geoms, lon, lat)
    np.testing.assert_array_equal(p, p_ref)
    np.testing.assert_array_equal(z, z_ref)
    first = np.full(lon.size, -1)
    first[p_ref[::-1]] = z_ref[::-1]
    np.testing.assert_array_equal(index.first(lon, lat), first)
    assert np.bincount(p_ref).max() == 4  # corners inside the grid are in four zones
