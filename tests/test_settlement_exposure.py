"""Exact habitats, per-step arrivals and exposure, and survival at settlement (issue 12, items 4, 5, 11).

Expectations come from geometry (box tests, pyproj's geodesic distance, crossing time =
distance / speed) and closed forms (survival exp(−m·t)), never from the code under test.
"""

import geopandas as gpd
import numpy as np
import pyproj
import pytest
from shapely.geometry import box

from marinenet.behaviour import larva as larva_behaviours
from marinenet.engine import ENGINES, STATUS, EngineRequest, run_engine
from marinenet.streaming import Streams
from marinenet.zones import layer_from_frame
from marinenet.zones.habitat import SettlementHabitat

from .conftest import DEG2M, canonical

T0 = np.datetime64("2021-01-01T00:00")
HOUR, DAY = 3600.0, 86400.0
KM = 1.0 / 111.32  # about a kilometre in degrees (only used to size the test reefs)

#: three reefs far apart: 1°, 5 km and 1 km wide
REEFS = {
    "big": (0.3, 0.3, 1.3, 1.3),
    "small": (2.0, 0.5, 2.0 + 5 * KM, 0.5 + 5 * KM),
    "tiny": (2.5, 1.5, 2.5 + KM, 1.5 + KM),
}


def _still(res, days, lon0=-1.0, lon1=4.0, lat0=-1.0, lat1=3.0):
    lon, lat = np.arange(lon0, lon1 + 1e-9, res), np.arange(lat0, lat1 + 1e-9, res)
    zero = lambda X, Y: np.zeros(X.shape)  # noqa: E731
    return canonical(lon, lat, days(6), zero, zero)


def _around(rng, bounds, margin, n):
    x0, y0, x1, y1 = bounds
    return rng.uniform(x0 - margin, x1 + margin, n), rng.uniform(y0 - margin, y1 + margin, n)


def _settle(ocean, lon, lat, habitat, engine, comp_min=2 * HOUR):
    larva = larva_behaviours(10 * HOUR, comp_min, 10 * HOUR, 0.0, 1, habitat=habitat)
    req = EngineRequest(ocean, lon, lat, T0, 4 * HOUR, HOUR, DAY, behaviours=larva)
    return run_engine(engine, req)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("res", [1.0, 0.25, 0.05])
def test_larvae_settle_exactly_on_the_reef_polygon_on_any_grid(days, engine, res):
    """Still water: a competent larva settles iff its position is inside the reef (1°, 5 km, 1 km reefs).

    Before: reefs widened by up to ~1.2 grid cells (×1.3, ×11, ×150 in area on a 0.1° grid).
    """
    rng = np.random.default_rng(3)
    pts = [_around(rng, b, 0.6 * (b[2] - b[0]) + 0.02, 150) for b in REEFS.values()]
    lon, lat = np.concatenate([p[0] for p in pts]), np.concatenate([p[1] for p in pts])
    habitat = SettlementHabitat([box(*b) for b in REEFS.values()])
    tr = _settle(_still(res, days), lon, lat, habitat, engine)
    inside = np.zeros(lon.size, bool)
    for x0, y0, x1, y1 in REEFS.values():
        inside |= (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1)
    assert 20 < inside.sum() < lon.size - 20
    np.testing.assert_array_equal(tr.status == STATUS["settled"], inside)
    # they settle at the first moment they are competent, where they are
    ages = (tr.end_time - T0) / np.timedelta64(1, "s")
    np.testing.assert_allclose(ages[inside], 2 * HOUR)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("res", [0.25, 0.05])
def test_sensory_radius_is_a_geodesic_buffer_on_any_grid(days, engine, res):
    """A 1 km reef at 60°N with ``radius: 5`` km: larvae within 5 km (WGS84 geodesic) settle, others not."""
    reef = (10.0, 60.0, 10.0 + 2 * KM, 60.0 + KM)  # about 1 km × 1 km at 60°N
    rng = np.random.default_rng(4)
    lon, lat = rng.uniform(9.8, 10.25, 600), rng.uniform(59.9, 60.1, 600)
    # distance to the box: to its nearest point (clamped coordinates; the box is ~1 km, so exact enough)
    geod = pyproj.Geod(ellps="WGS84")
    _, _, dist = geod.inv(lon, lat, np.clip(lon, reef[0], reef[2]), np.clip(lat, reef[1], reef[3]))
    clear = np.abs(dist - 5000.0) > 20.0  # the buffer's arcs are polygons (within ~2 m of 5 km)
    habitat = SettlementHabitat([box(*reef)], radius_km=5.0)
    ocean = _still(res, days, 9.0, 11.0, 59.0, 61.0)
    tr = _settle(ocean, lon, lat, habitat, engine)
    settled = tr.status == STATUS["settled"]
    assert 50 < (dist <= 5000).sum() < 550
    np.testing.assert_array_equal(settled[clear], dist[clear] <= 5000.0)


def _band_layer(a, w):
    frame = gpd.GeoDataFrame({"id": ["band"]}, geometry=[box(a, -5.0, a + w, 5.0)], crs=4326)
    return layer_from_frame("zones", frame, "id", outside="elsewhere")


@pytest.mark.parametrize("engine", ENGINES)
def test_arrivals_and_time_in_zone_are_counted_at_every_step(days, engine):
    """Uniform flow east at 0.5 m/s across a zone 4.8 h wide, 48 particles, dt 1 h.

    Every particle is recorded; first arrival = the geometric crossing time (within one dt),
    time in zone = width / speed (within one dt); output_every 1 day and 1 hour give the
    same numbers. Before: at 1-day outputs 39 of 48 were never recorded and arrivals were late
    by up to a day.
    """
    u, dt = 0.5, HOUR
    lon = np.arange(-1.0, 3.01, 0.25)
    lat = np.arange(-1.0, 2.01, 0.25)
    ocean = canonical(lon, lat, days(3), lambda X, Y: np.full(X.shape, u), lambda X, Y: np.zeros(X.shape))
    n = 48
    rng = np.random.default_rng(5)
    x0, y0 = rng.uniform(0.0, 0.3, n), rng.uniform(0.0, 1.0, n)
    a = 0.5
    w_m = u * 4.8 * HOUR  # zone width in metres along each particle's parallel
    w_deg = w_m / DEG2M  # at the equator; particles at other latitudes see it cos(lat) narrower
    layer = _band_layer(a, w_deg)
    metres = DEG2M * np.cos(np.deg2rad(y0))  # per degree of longitude on each particle's parallel
    expected_arrival = (a - x0) * metres / u
    expected_days = w_deg * metres / u / DAY
    got = {}
    for every in (DAY, HOUR):
        streams = Streams({"zones": layer}, x0, y0)
        req = EngineRequest(ocean, x0, y0, T0, 2 * DAY, dt, every)
        run_engine(engine, req, observer=streams)
        ls = streams.layers["zones"]
        band = ls.zones.index("band")
        first, in_days = ls.dense()
        got[every] = (first[:, band] * DAY, in_days[:, band])
    arrival, in_zone = got[DAY]
    assert np.all(np.isfinite(arrival))  # every particle recorded
    assert np.all(arrival >= expected_arrival - 1e-3) and np.all(arrival < expected_arrival + dt)
    np.testing.assert_allclose(in_zone, expected_days, atol=dt / DAY)
    np.testing.assert_array_equal(got[HOUR][0], arrival)
    np.testing.assert_array_equal(got[HOUR][1], in_zone)


@pytest.mark.parametrize("engine", ENGINES)
def test_arrival_days_count_from_each_particles_release(days, engine):
    """Two release events a day apart cross the same zone: each arrives the same time after its release."""
    u = 0.5
    lon, lat = np.arange(-1.0, 6.01, 0.25), np.arange(-1.0, 1.01, 0.25)
    ocean = canonical(lon, lat, days(4), lambda X, Y: np.full(X.shape, u), lambda X, Y: np.zeros(X.shape))
    x0, y0 = np.zeros(2), np.zeros(2)
    layer = _band_layer(0.5, 0.05)
    streams = Streams({"zones": layer}, x0, y0)
    rel = np.array([T0, T0 + np.timedelta64(1, "D")], dtype="datetime64[ns]")
    req = EngineRequest(ocean, x0, y0, T0, 2 * DAY, HOUR, DAY, release_time=rel)
    run_engine(engine, req, observer=streams)
    ls = streams.layers["zones"]
    first = ls.dense()[0][:, ls.zones.index("band")] * DAY
    crossing = 0.5 * DEG2M / u
    assert np.all(first >= crossing) and np.all(first < crossing + HOUR)
    assert first[0] == first[1]


@pytest.mark.parametrize("engine", ENGINES)
def test_survival_at_settlement_and_at_the_pld_is_exactly_exp_minus_m_t(days, engine):
    """Survival weights: settled at age 2 d → exp(−2m); unsettled at a PLD of 3 d (tracked 5 d) → exp(−3m).

    Before: one step of mortality too many, exp(−m·(t + dt)).
    """
    m, dt = 0.2 / DAY, 6 * HOUR
    ocean = _still(0.25, days)
    larva = {"pld": 3 * DAY, "comp_min": 2 * DAY, "comp_max": 3 * DAY, "mortality": m, "mortality_mode": 0}
    everywhere = SettlementHabitat([box(-180, -90, 180, 90)])
    for habitat, status, age in ((everywhere, "settled", 2 * DAY), (None, "unsettled", 3 * DAY)):
        req = EngineRequest(
            ocean, np.zeros(5), np.zeros(5), T0, 5 * DAY, dt, DAY,
            behaviours=larva_behaviours(**larva, habitat=habitat),
        )  # fmt: skip
        tr = run_engine(engine, req)
        assert np.all(tr.status == STATUS[status])
        np.testing.assert_allclose(tr.weight, np.exp(-m * age), rtol=1e-12)


@pytest.mark.parametrize("engine", ENGINES)
def test_stochastic_settled_share_is_exp_minus_m_t_settle(days, engine):
    """Stochastic mortality, dt 12 h: the share settling at age 2 d is exp(−2m) = 0.670 (before: 0.607)."""
    m, n = 0.2 / DAY, 2000
    larva = {"pld": 3 * DAY, "comp_min": 2 * DAY, "comp_max": 3 * DAY, "mortality": m, "mortality_mode": 1}
    everywhere = SettlementHabitat([box(-180, -90, 180, 90)])
    req = EngineRequest(
        _still(0.5, days), np.zeros(n), np.zeros(n), T0, 3 * DAY, 12 * HOUR, DAY, seed=2,
        behaviours=larva_behaviours(**larva, habitat=everywhere),
    )  # fmt: skip
    tr = run_engine(engine, req)
    share = np.mean(tr.status == STATUS["settled"])
    expected = np.exp(-m * 2 * DAY)
    assert abs(share - expected) < 3.5 * np.sqrt(expected * (1 - expected) / n), (share, expected)
    assert np.all(np.isin(tr.status, [STATUS["settled"], STATUS["dead"]]))


def test_arrivals_and_exposure_tables_of_a_run_match_geometry(tmp_path):
    """A scenario run end to end (daily output): arrivals/ and exposure/ from the crossing geometry.

    Uniform flow east at 0.5 m/s; release box A (0–0.2°E); zone B a band 4.8 h wide at 0.5°E.
    Each particle reaches B (0.5° − x0)·(metres per degree at its latitude)/u after release
    and stays 4.8 h·cos(lat) there; the tables must give these within one dt (1 h).
    """
    import pandas as pd
    import xarray as xr
    import yaml
    from typer.testing import CliRunner

    from marinenet.cli import app

    from .conftest import write_boxes, write_cf_currents

    u = 0.5
    width = u * 4.8 * HOUR / DEG2M
    times = np.array([np.datetime64("2021-01-01") + np.timedelta64(k, "D") for k in range(4)])
    zero = lambda X, Y: np.zeros(X.shape)  # noqa: E731
    write_cf_currents(
        tmp_path / "c.nc", np.arange(-1, 3.01, 0.25), np.arange(-1, 2.01, 0.25), times,
        lambda X, Y: np.full(X.shape, u), zero,
    )  # fmt: skip
    write_boxes(tmp_path / "z.geojson", {"A": (0.0, 0.0, 0.2, 1.0), "B": (0.5, -0.5, 0.5 + width, 1.5)})
    scenario = {
        "name": "crossing",
        "seed": 1,
        "ocean": {"source": "c.nc"},
        "zones": {"z": {"path": "z.geojson", "id": "name"}},
        "release": {"from": {"layer": "z", "ids": ["A"]}, "particles": 200, "start": "2021-01-01T00:00"},
        "simulation": {"duration": "2 days", "dt": "1 hour", "output_every": "1 day", "engine": "fast"},
        "output": "out",
    }
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(scenario))
    res = CliRunner().invoke(app, ["run", str(tmp_path / "s.yaml"), "--no-maps", "--quiet"])
    assert res.exit_code == 0, res.output
    out = tmp_path / "out"
    tr = xr.open_dataset(out / "trajectories.nc")
    x0, y0 = tr["lon"].isel(time=0).values, tr["lat"].isel(time=0).values
    metres = DEG2M * np.cos(np.deg2rad(y0))
    arrive = (0.5 - x0) * metres / u / DAY  # days
    stay = width * metres / u / DAY
    tol = HOUR / DAY
    arr = pd.read_csv(out / "arrivals" / "z.csv").set_index(["source", "destination"]).loc[("A", "B")]
    assert arr["n"] == x0.size  # every particle recorded although outputs are a day apart
    for col, q in (("median_days", 50), ("p10_days", 10), ("p90_days", 90)):
        assert np.percentile(arrive, q) - 1e-6 <= arr[col] <= np.percentile(arrive, q) + tol, col
    exp = pd.read_csv(out / "exposure" / "z.csv").set_index(["source", "zone"]).loc[("A", "B")]
    assert exp["particles_visiting"] == x0.size
    assert abs(exp["particle_days"] / x0.size - stay.mean()) <= tol


@pytest.mark.parametrize("n", [30, 60_000])  # the small-query path (numpy boxes) and the tree path
def test_exact_zone_query_equals_shapely_point_by_point(n):
    """The zone index's exact test (boundary cells, at every step) against shapely, point by point."""
    import shapely
    from shapely.geometry import MultiPolygon, Point, Polygon

    from marinenet.zones.index import exact_query

    polys = [
        box(-10, -10, 10, 10).difference(box(-3, -3, 3, 3)),
        box(0, 0, 20, 20),
        MultiPolygon([box(175, -20, 180, -10), box(-180, -20, -172, -10)]),
        Polygon([(30, 30), (60, 35), (50, 60), (40, 45), (32, 55)]),
    ]
    rng = np.random.default_rng(7)
    lon, lat = rng.uniform(-180, 180, n), rng.uniform(-30, 65, n)
    lon[:4], lat[:4] = [10.0, 3.0, 180.0, 0.0], [10.0, 0.0, -15.0, 0.0]  # corners and edges count
    p, z = exact_query(polys, lon, lat)
    expected = [(i, k) for i in range(n) for k, g in enumerate(polys) if g.intersects(Point(lon[i], lat[i]))]
    assert list(zip(p.tolist(), z.tolist(), strict=True)) == expected
    assert shapely.intersects(polys[0], Point(10, 10))


def test_handing_back_every_step_changes_no_track_and_engines_agree_on_the_streams():
    """Time-varying eddy, staggered releases, a coast: with a step observer, tracks and fates are those
    of a run without one (both engines), and the two engines' arrivals and days in zones agree."""
    from .test_engine_equivalence import START as T1
    from .test_engine_equivalence import _case

    ocean = _case("coast")
    rng = np.random.default_rng(2)
    n = 150
    x, y = rng.uniform(-1.5, 1.5, n), rng.uniform(36, 39, n)
    rel = T1 + rng.integers(0, 12, n) * np.timedelta64(1, "h")
    cells = {f"c{i}{j}": (-2 + i, 36 + j, -1 + i, 37 + j) for i in range(5) for j in range(3)}
    frame = gpd.GeoDataFrame({"id": list(cells)}, geometry=[box(*b) for b in cells.values()], crs=4326)
    layer = layer_from_frame("cells", frame, "id", outside="elsewhere")
    base = dict(ocean=ocean, lon=x, lat=y, start=T1, duration=36 * HOUR, dt=HOUR, output_every=12 * HOUR)
    streamed = {}
    for engine in ENGINES:
        plain = run_engine(engine, EngineRequest(**base, release_time=rel))
        streams = Streams({"cells": layer}, x, y)
        seen = run_engine(engine, EngineRequest(**base, release_time=rel), observer=streams)
        np.testing.assert_array_equal(seen.status, plain.status)
        np.testing.assert_array_equal(seen.end_time, plain.end_time)
        np.testing.assert_allclose(seen.lon, plain.lon, atol=1e-9)
        np.testing.assert_allclose(seen.end_lat, plain.end_lat, atol=1e-9)
        streamed[engine] = streams.layers["cells"].dense()
    (fast_first, fast_days), (ref_first, ref_days) = streamed["fast"], streamed["parcels"]
    assert np.sum(np.isfinite(ref_first)) > 2 * n  # particles crossed cells
    np.testing.assert_array_equal(np.isfinite(fast_first), np.isfinite(ref_first))
    np.testing.assert_allclose(fast_first, ref_first, atol=1e-6, equal_nan=True)
    np.testing.assert_allclose(fast_days, ref_days, atol=1e-6)
