"""Coast, open edge and model-domain edge: the rules both engines apply (README, "How land and
edges are handled").

* A step whose random-walk part would end on land keeps only its drift (the coast reflects
  diffusion); a particle is stranded only when its drift (advection, swimming) carries it
  onto land.
* A position is outside the model domain off the grid (any side) or where the interpolated
  "outside" field is >= 0.5 — tested apart from land, so leaving a model's area is never
  reported as stranding.

Expected values come from geometry (where the bilinear 0/1 land share is 0.5, how many whole
steps fit before an edge) and from the native files' own masks, not from the engines.
"""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr
from scipy import stats

from marinenet.engine import ENGINES, STATUS, EngineRequest, run_engine
from marinenet.ocean.reader import open_currents

from .conftest import DEG2M, SHARED_DATA, canonical

START = np.datetime64("2021-01-01T00:00")


def _days(n):
    return START + np.arange(n) * np.timedelta64(1, "D")


def _run(engine, ocean, x, y, days, dt=3600.0, **kw):
    req = EngineRequest(
        ocean, np.asarray(x, float), np.asarray(y, float), START, days * 86400.0, dt, 86400.0, **kw
    )
    return run_engine(engine, req)


# ------------------------------------------------------------------ item 9: open edges
EDGES = {"east": (0.5, 0.0), "west": (-0.5, 0.0), "north": (0.0, 0.5), "south": (0.0, -0.5)}


@pytest.mark.parametrize("edge", EDGES)
def test_uniform_flow_leaves_every_edge_out_of_domain_on_both_engines(edge):
    """Uniform 0.5 m/s flow towards one edge of a regular 0–2° grid at the equator.

    RK4 in uniform flow moves exactly s = 0.5·dt/DEG2M degrees a step; a step is refused as
    soon as it would end past the edge, so a particle starting at distance D from the edge
    stops after floor(D/s) steps, at D − floor(D/s)·s from it, reported out_of_domain.
    (Parcels 4.0.2 itself gives zero velocity beyond the west and south edges: particles
    used to freeze there, 'active'.)"""
    u, v = EDGES[edge]
    lon = lat = np.arange(0.0, 2.001, 0.1)
    ocean = canonical(lon, lat, _days(7), lambda X, Y: np.full(X.shape, u), lambda X, Y: np.full(X.shape, v))
    rng = np.random.default_rng(11)
    dt = 3600.0
    steps = rng.integers(20, 70, 12) + rng.uniform(0.2, 0.8, 12)  # distance to the edge, in steps
    k = np.floor(steps)  # whole steps that fit
    across = rng.uniform(0.4, 1.6, 12)  # the other coordinate
    lat_of = across if u else None
    s = 0.5 * dt / DEG2M  # degrees per step; along x at the particle's latitude (metric)
    if u:
        s = s / np.cos(np.deg2rad(lat_of))
    sign = 1.0 if (u > 0 or v > 0) else -1.0
    pos = (2.0 - steps * s) if sign > 0 else steps * s
    x, y = (pos, across) if u else (across, pos)
    runs = {eng: _run(eng, ocean, x, y, 6, dt) for eng in ENGINES}
    for tr in runs.values():
        assert np.all(tr.status == STATUS["out_of_domain"]), tr.status
        hours = (tr.end_time - START) / np.timedelta64(1, "h")
        np.testing.assert_array_equal(hours, k)
        end = tr.end_lon if u else tr.end_lat
        np.testing.assert_allclose(end, pos + sign * k * s, atol=1e-9)
        assert np.all((end >= 0.0) & (end <= 2.0))
    a, b = runs.values()
    np.testing.assert_array_equal(a.status, b.status)
    np.testing.assert_array_equal(a.end_time, b.end_time)
    assert np.max(np.abs(a.end_lon - b.end_lon)) < 1e-9 and np.max(np.abs(a.end_lat - b.end_lat)) < 1e-9


# ------------------------------------------------------------------ item 7: coast and diffusion
def _closed_channel():
    """Still water over water nodes lon 0–2, lat 0–0.2 (0.05° cells), land all round.

    The bilinear land share reaches 0.5 half a cell beyond the last water node: the wet band
    is −0.025 < lat < 0.225."""
    lon = np.arange(-0.1, 2.1001, 0.05)
    lat = np.arange(-0.1, 0.3001, 0.05)
    LON, LAT = np.meshgrid(lon, lat)
    land = ~((LON > -0.001) & (LON < 2.001) & (LAT > -0.001) & (LAT < 0.2001))
    zero = lambda X, Y: np.zeros(X.shape)  # noqa: E731
    return canonical(lon, lat, _days(12), zero, zero, land)


@pytest.mark.parametrize("engine", ENGINES)
def test_well_mixed_channel_stays_uniform(engine):
    """Well-mixed condition: particles spread uniformly across a closed channel of still water
    stay uniform under diffusion. With Kh = 100 m²/s for 10 days (RMS spread 13 km in a 28 km
    wide channel, 1.2 km per 2-hour step) each particle meets the banks many times; none may
    strand, and the cross-channel distribution must stay uniform (Kolmogorov–Smirnov)."""
    ocean = _closed_channel()
    lo, hi = -0.025, 0.225
    rng = np.random.default_rng(2)
    n = 1500
    x, y = rng.uniform(0.6, 1.4, n), rng.uniform(lo, hi, n)  # the ends (0.6° away) are out of reach
    tr = _run(engine, ocean, x, y, 10, 7200.0, diffusion=100.0, seed=4)
    assert np.all(tr.status == STATUS["active"])
    assert np.all((tr.end_lat > lo) & (tr.end_lat < hi))
    assert tr.coast_contacts.sum() > 0.2 * n  # the banks were met (the test is not vacuous)
    assert np.abs(tr.end_lat - y).mean() > 0.05  # particles moved across the channel
    p = stats.kstest((tr.end_lat - lo) / (hi - lo), "uniform").pvalue
    assert p > 0.01, p
    # the share within 1 km of a bank is that of a uniform spread (not piled up, not depleted)
    near = np.mean(np.minimum(tr.end_lat - lo, hi - tr.end_lat) < 1000 / DEG2M)
    expected = 2 * 1000 / DEG2M / (hi - lo)
    assert abs(near - expected) < 4 * np.sqrt(expected * (1 - expected) / n)


def _straight_coast(u, v):
    """Land east of lon 0.24 (0.02° cells): the coastline (land share 0.5) is at lon 0.23."""
    lon = np.arange(-1.0, 0.5001, 0.02)
    lat = np.arange(-1.0, 1.0001, 0.02)
    land = np.broadcast_to(lon >= 0.2399, (lat.size, lon.size))
    return canonical(
        lon, lat, _days(12), lambda X, Y: np.full(X.shape, u), lambda X, Y: np.full(X.shape, v), land
    )


@pytest.mark.parametrize("engine", ENGINES)
def test_diffusion_alone_strands_no_one_at_any_dt(engine):
    """The issue's case: released 2.2 km off a straight coast, Kh = 10 m²/s, here for 4 days with
    a 5 cm/s along-shore current. Before, every random-walk contact stranded (57–58 % in 10
    days). Drift never reaches the coast, so no one strands, at any dt, and all stay on the
    wet side of the coastline."""
    ocean = _straight_coast(0.0, 0.05)
    n = 100
    x0, y0 = np.full(n, 0.23 - 2200 / DEG2M), np.linspace(-0.9, -0.5, n)
    for dt in (1800.0, 7200.0):
        tr = _run(engine, ocean, x0, y0, 4, dt, diffusion=10.0, seed=8)
        assert np.all(tr.status == STATUS["active"]), (dt, np.bincount(tr.status))
        assert np.all(tr.end_lon < 0.23)
        assert tr.coast_contacts.sum() > 0  # the random walk did reach the coast
        # the along-shore drift is kept (only the random part of a step is refused at the coast);
        # the no-slip velocity is lower in the last cell before the coast, hence not exactly v·t
        drift = np.mean(tr.end_lat - y0) / (0.05 * 4 * 86400 / DEG2M)
        assert 0.9 < drift <= 1.0 + 1e-9, drift


@pytest.mark.parametrize("engine", ENGINES)
def test_drift_onto_the_coast_still_strands_with_or_without_diffusion(engine):
    """Onshore drift of u = 0.3 m/s from 10–30 km off the coast: every particle strands, with
    Kh = 0 or 10 m²/s and at two dt, at its last wet position, when its drift reaches the
    coastline. Arrival there: free flight to the last water node (1.1 km before the
    coastline), then (2.2 km/u)·ln 2 across the half cell where the no-slip velocity falls
    linearly from u to u/2. Without diffusion the particle stops at the start of the step
    that would cross (within one dt before arrival); diffusion spreads arrivals by
    sqrt(2·Kh·t)/u (1σ)."""
    u = 0.3
    ocean = _straight_coast(u, 0.0)
    n = 60
    d = np.linspace(10e3, 30e3, n)  # metres from the coastline (lon 0.23)
    x0, y0 = 0.23 - d / DEG2M, np.linspace(-0.5, 0.5, n)
    cell = 0.02 * DEG2M
    arrive = ((d - cell / 2) / u + cell / u * np.log(2.0)) / 3600  # hours
    for kh, dt in ((0.0, 3600.0), (10.0, 1200.0), (10.0, 3600.0)):
        tr = _run(engine, ocean, x0, y0, 2, dt, diffusion=kh, seed=5)
        assert np.all(tr.status == STATUS["stranded"]), (kh, dt)
        assert np.all(tr.end_lon < 0.23)
        hours = (tr.end_time - START) / np.timedelta64(1, "h")
        spread = 4 * np.sqrt(2 * kh * arrive * 3600) / u / 3600
        assert np.all(hours <= arrive + spread + 0.01), (kh, dt)
        assert np.all(hours >= arrive - dt / 3600 - spread - 0.01), (kh, dt)


@pytest.mark.parametrize("engine", ENGINES)
def test_stranded_share_under_drift_and_diffusion_does_not_depend_on_dt(engine):
    """Onshore drift of u = 0.2 m/s for 1 day (17.28 km) plus Kh = 10 m²/s, particles released
    uniformly 2–32 km off the coast: those within the drift's reach strand. The share must be
    the same at dt = 15 min and 2 h (within binomial noise), and near its geometric value:
    reach = 17.28 km, less 0.4 km lost in the no-slip half cell ((2.2 km/u)·ln 2 instead of
    1.1 km/u) and ~0.2 km of wait in the diffusive layer at the coast (Kh/u_c², u_c = u/2),
    so share ≈ (16.7 − 2)/30 = 0.49 (diffusion spreads the threshold symmetrically)."""
    ocean = _straight_coast(0.2, 0.0)
    n = 400
    rng = np.random.default_rng(21)
    d = rng.uniform(2e3, 32e3, n)
    x0, y0 = 0.23 - d / DEG2M, rng.uniform(-0.8, 0.8, n)
    share = {}
    for dt in (900.0, 7200.0):
        tr = _run(engine, ocean, x0, y0, 1, dt, diffusion=10.0, seed=9)
        share[dt] = np.mean(tr.status == STATUS["stranded"])
        assert set(np.unique(tr.status)) <= {STATUS["stranded"], STATUS["active"]}
    noise = np.sqrt(2 * 0.25 / n)
    assert abs(share[900.0] - share[7200.0]) < 3 * noise, share
    for value in share.values():
        assert abs(value - 0.49) < 0.06, share


# ------------------------------------------------------------------ item 8: model-domain edge
def _rotated_roms(path, land_from_xi=None, n=31, spacing_km=5.0, angle_deg=30.0, speed=0.5):
    """A ROMS-like grid at the equator rotated by ``angle_deg``, uniform flow along its xi axis.

    ``land_from_xi``: xi index from which mask_rho is land (a coast across the flow); None:
    all water, the grid's edge is open sea."""
    a = np.deg2rad(angle_deg)
    i, j = np.meshgrid(np.arange(n) - n // 2, np.arange(n) - n // 2)
    x = (i * np.cos(a) - j * np.sin(a)) * spacing_km * 1e3
    y = (i * np.sin(a) + j * np.cos(a)) * spacing_km * 1e3
    lon, lat = x / DEG2M, y / DEG2M
    water = np.ones(lon.shape)
    if land_from_xi is not None:
        water[:, land_from_xi:] = 0.0
    times = np.array(["2021-01-01", "2021-01-08"], dtype="datetime64[ns]")
    u = np.where(water > 0, speed, np.nan)  # grid-relative: all along xi
    dims = ("ocean_time", "eta_rho", "xi_rho")
    ds = xr.Dataset(
        {
            "u": (dims, np.broadcast_to(u, (2, n, n)).astype("f8"), {"units": "m s-1"}),
            "v": (dims, np.broadcast_to(0.0 * u, (2, n, n)).astype("f8"), {"units": "m s-1"}),
            "angle": (("eta_rho", "xi_rho"), np.full(lon.shape, a), {"units": "radians"}),
            "mask_rho": (("eta_rho", "xi_rho"), water),
        },
        coords={
            "ocean_time": times,
            **{f"lon_{p}": (("eta_rho", "xi_rho"), lon) for p in ("rho", "u", "v")},
            **{f"lat_{p}": (("eta_rho", "xi_rho"), lat) for p in ("rho", "u", "v")},
        },
    )
    ds.to_netcdf(path)
    return lon, lat, water


def _km_to_nearest(lon, lat, plon, plat):
    """Distance (km, equatorial plane: 1° = DEG2M m) from each (lon, lat) to the nearest point."""
    d = np.hypot(lon[:, None] - plon[None, :], lat[:, None] - plat[None, :])
    return d.min(axis=1) * DEG2M / 1e3


@pytest.mark.parametrize("engine", ENGINES)
def test_leaving_a_rotated_model_grid_over_open_sea_is_out_of_domain(tmp_path, engine):
    """A rotated curvilinear grid, all water: particles carried over its edge leave the model's
    domain; none may be reported stranded (before: the 0/1/3 mask crossed the 'land' band on
    the way from water to outside, so all were). With a coast across the flow, they strand,
    next to that coast."""
    lon, lat, _ = _rotated_roms(tmp_path / "open.nc")
    ocean = open_currents(str(tmp_path / "open.nc"), None, START, START + np.timedelta64(3, "D"))
    assert ocean["outside"].values.any() and not ocean["land"].values.any()
    x0 = np.linspace(-0.15, 0.15, 15)
    y0 = np.linspace(-0.1, 0.1, 15)
    tr = _run(engine, ocean, x0, y0, 3, 3600.0)
    assert np.all(tr.status == STATUS["out_of_domain"]), np.bincount(tr.status)
    # they stop at the model's edge: within one cell (5 km) of its outermost points, inside it
    ring = np.zeros(lon.shape, bool)
    ring[[0, -1], :] = ring[:, [0, -1]] = True
    assert np.all(_km_to_nearest(tr.end_lon, tr.end_lat, lon[ring], lat[ring]) < 5.0)

    lon, lat, water = _rotated_roms(tmp_path / "coast.nc", land_from_xi=24)
    ocean = open_currents(str(tmp_path / "coast.nc"), None, START, START + np.timedelta64(3, "D"))
    tr = _run(engine, ocean, x0, y0, 3, 3600.0)
    assert np.all(tr.status == STATUS["stranded"]), np.bincount(tr.status)
    km = _km_to_nearest(tr.end_lon, tr.end_lat, lon[water == 0], lat[water == 0])
    assert np.all(km < 5.0), km  # within one native cell of a land point


def test_real_roms_strandings_are_at_the_coast_and_exits_at_the_edge():
    """MET Norway ROMS Nordic-4km (Lofoten; curvilinear, with its own mask_rho): particles over
    all its water for 1.9 days. Stranded ones must end within about one native cell of a land
    point of the file's own mask; out-of-domain ones next to the grid's outer rows. Before,
    337 of ~980 were 'stranded', 171 of them more than two cells from any land, and none left
    the domain. Both engines give the same fates."""
    path = SHARED_DATA / "ocean" / "roms_nordic4km_2016-02_sigma.nc"
    if not path.exists():
        pytest.skip("../shared/data is not present")
    t0 = np.datetime64("2016-02-02T12:00")
    ocean = open_currents(str(path), None, t0, t0 + np.timedelta64(46, "h"))
    native = xr.open_dataset(path)
    nlon, nlat = native["lon_rho"].values, native["lat_rho"].values
    mask = native["mask_rho"].values
    wet = ~ocean["land"].values & ~ocean["outside"].values
    jj, ii = np.nonzero(wet)
    rng = np.random.default_rng(0)
    k = rng.choice(jj.size, 300)
    x, y = ocean.lon.values[ii[k]], ocean.lat.values[jj[k]]
    runs = {}
    for engine in ENGINES:
        req = EngineRequest(ocean, x, y, t0, 1.9 * 86400.0, 1800.0, 6 * 3600.0)
        runs[engine] = tr = run_engine(engine, req)
        stranded, out = tr.status == STATUS["stranded"], tr.status == STATUS["out_of_domain"]
        assert stranded.sum() > 10 and out.sum() > 10, np.bincount(tr.status)

        def km(sel, points, tr=tr):
            lo, la = tr.end_lon[sel], tr.end_lat[sel]
            # local metric at the domain's latitude (the domain spans ~1.5° of latitude)
            c = np.cos(np.deg2rad(np.mean(nlat)))
            d = np.hypot((lo[:, None] - nlon[points][None]) * c, la[:, None] - nlat[points][None])
            return d.min(axis=1) * 111.2

        cell = 4.0
        assert np.all(km(stranded, mask == 0) < 1.5 * cell)
        ring = np.zeros(mask.shape, bool)
        ring[[0, -1], :] = ring[:, [0, -1]] = True
        assert np.all(km(out, ring) < 1.5 * cell)
    a, b = runs.values()
    np.testing.assert_array_equal(a.status, b.status)


def test_land_and_outside_are_classified_apart_as_release_and_engines_do():
    """Where land and outside-the-domain cells meet, a position is out of the domain when the
    bilinear outside share is >= 0.5, else on land when the land share is >= 0.5, else wet
    (shares from scipy's linear interpolator). Particles placed everywhere in still water
    take one step: out_of_domain, stranded or active accordingly on both engines, and the
    release test (WetTest) calls exactly the active ones wet."""
    from scipy.interpolate import RegularGridInterpolator

    from marinenet.ocean import WetTest

    lon = lat = np.arange(0.0, 1.0001, 0.1)
    LON, LAT = np.meshgrid(lon, lat)
    land = (LON > 0.55) & (LAT < 0.45)
    outside = (LAT > 0.65) | ((LON > 0.75) & ~land)
    zero = lambda X, Y: np.zeros(X.shape)  # noqa: E731
    ocean = canonical(lon, lat, _days(3), zero, zero, land | outside)
    ocean["land"] = (("lat", "lon"), land)
    ocean["outside"] = (("lat", "lon"), outside)
    rng = np.random.default_rng(3)
    x, y = rng.uniform(0.0, 1.0, 3000), rng.uniform(0.0, 1.0, 3000)
    share = {
        k: RegularGridInterpolator((lat, lon), m.astype(float))(np.column_stack([y, x]))
        for k, m in (("land", land), ("outside", outside))
    }
    expect = np.where(
        share["outside"] >= 0.5,
        STATUS["out_of_domain"],
        np.where(share["land"] >= 0.5, STATUS["stranded"], STATUS["active"]),
    )
    # the old single 0/1/3 code would call many of these land: make sure the case is there
    mixed = (share["outside"] > 0.1) & (share["outside"] < 0.5) & (share["land"] < 0.5)
    assert np.sum(mixed & (share["land"] + 3 * share["outside"] >= 0.5)) > 50
    for engine in ENGINES:
        tr = _run(engine, ocean, x, y, 1 / 24)
        np.testing.assert_array_equal(tr.status, expect)
    np.testing.assert_array_equal(WetTest(ocean)(x, y), expect == STATUS["active"])
