"""The synthetic demo seascape: EEZs drawn like real ones, currents that look like an ocean."""

import numpy as np
import pytest
import shapely
from shapely.geometry import box

from marinenet.demo.currents import demo_currents
from marinenet.demo.geography import DOMAIN, demo_land, demo_states
from marinenet.demo.zones import EEZ_LIMIT_M, coast_distance, demo_layer, derive_eez, eez_claims


@pytest.fixture(scope="module")
def eez():
    return demo_layer("eez")


@pytest.fixture(scope="module")
def currents():
    return demo_currents(np.datetime64("2021-03-01"), np.datetime64("2021-03-03"))


def test_the_shipped_eez_claims_equal_a_fresh_derivation_bit_for_bit():
    """marinenet/demo/data/eez_claims.wkb.gz is what derive_eez computes (else: scripts/make_demo_eez.py)."""
    shipped, derived = eez_claims(), derive_eez(demo_states(), DOMAIN)
    assert list(shipped) == [s.name for s in demo_states()] == list(derived)
    for name, geom in derived.items():
        assert shapely.to_wkb(shipped[name]) == shapely.to_wkb(geom), name


def _state(name):
    return next(s for s in demo_states() if s.name == name)


def _boundary_points(geom, n=400):
    line = (
        geom.boundary if not hasattr(geom, "geoms") else shapely.union_all([g.exterior for g in geom.geoms])
    )
    pts = shapely.line_interpolate_point(line, np.linspace(0, 1, n), normalized=True)
    return shapely.get_coordinates(pts)


def test_isolated_island_eez_ends_at_200_nautical_miles(eez):
    """Estrel is far from every other coast: its whole outer limit is 200 nm from its coast."""
    geom = eez.set_index("id").geometry["Estrel"]
    pts = _boundary_points(shapely.Polygon(max(geom.geoms, key=lambda g: g.area).exterior))
    d = coast_distance(_state("Estrel").land, pts[:, 0], pts[:, 1])
    np.testing.assert_allclose(d, EEZ_LIMIT_M, atol=1500)  # 370.4 km ± 1.5 km


def test_overlapping_claims_are_split_on_the_median_line(eez):
    """Delmar is 5° off Brevia: their shared boundary is equidistant from both coasts."""
    g = eez.set_index("id").geometry
    shared = g["Brevia"].boundary.intersection(g["Delmar"].boundary.buffer(1e-6))
    assert shared.length > 3.0  # degrees: a long median line, not a touching point
    pts = shapely.get_coordinates(shapely.segmentize(shared, 0.05))
    d_b = coast_distance(_state("Brevia").land, pts[:, 0], pts[:, 1])
    d_d = coast_distance(_state("Delmar").land, pts[:, 0], pts[:, 1])
    np.testing.assert_allclose(d_b, d_d, atol=2500)
    assert np.all(d_b < EEZ_LIMIT_M + 2500)


def test_zones_tile_the_basin_without_overlap(eez):
    geoms = list(eez.geometry.values)
    for i in range(len(geoms)):
        for j in range(i + 1, len(geoms)):
            assert geoms[i].intersection(geoms[j]).area < 1e-6, (eez.id[i], eez.id[j])
    ocean = box(*DOMAIN).difference(demo_land())
    union = shapely.union_all(geoms)
    assert abs(union.area - ocean.area) / ocean.area < 1e-4
    assert set(eez["kind"]) == {"eez", "high_seas"} and "ABNJ" in set(eez["id"])


def test_every_layer_is_labelled_synthetic():
    for name in ("eez", "ebsa", "mpa"):
        assert demo_layer(name)["synthetic"].all()


def test_currents_land_is_nan_and_water_is_finite(currents):
    land = currents["land"].values
    assert 0.2 < land.mean() < 0.5
    assert np.isnan(currents["u"].values[:, land]).all()
    assert np.isfinite(currents["u"].values[:, ~land]).all()
    assert currents.attrs["synthetic"] == 1


def test_gyre_has_a_fast_western_boundary_current_and_slow_interior(currents):
    v = currents["v"].isel(time=0).sel(lat=slice(25, 40))
    lon = currents["lon"].values
    from marinenet.demo.geography import east_coast_lon, west_coast_lon

    lat = v["lat"].values[:, None]
    xi = (lon[None, :] - west_coast_lon(lat)) / (east_coast_lon(lat) - west_coast_lon(lat))
    boundary = np.nanmean(np.where((xi > 0) & (xi < 0.06), v.values, np.nan))
    interior = np.nanmedian(np.where((xi > 0.3) & (xi < 0.9), v.values, np.nan))
    assert boundary > 0.4  # northward, strong (Gulf-Stream-like)
    assert -0.15 < interior < 0  # southward Sverdrup return flow, a few cm/s
    speed = np.hypot(currents["u"], currents["v"])
    assert 0.8 < float(speed.max()) < 2.5


def test_currents_are_nearly_non_divergent(currents):
    """Derived from a streamfunction: divergence is tiny next to vorticity."""
    u = currents["u"].isel(time=0).values
    v = currents["v"].isel(time=0).values
    lat = np.deg2rad(currents["lat"].values)[:, None]
    d = np.deg2rad(0.1)
    div = np.gradient(u, d, axis=1) / np.cos(lat) + np.gradient(v * np.cos(lat), d, axis=0) / np.cos(lat)
    vort = np.gradient(v, d, axis=1) / np.cos(lat) - np.gradient(u * np.cos(lat), d, axis=0) / np.cos(lat)
    from scipy.ndimage import binary_dilation

    # away from the coasts (>= 0.5°), where 0.1° finite differences resolve the flow
    offshore = ~binary_dilation(currents["land"].values, iterations=5)
    wet = np.isfinite(div) & np.isfinite(vort) & offshore
    assert np.sqrt(np.mean(div[wet] ** 2)) < 0.05 * np.sqrt(np.mean(vort[wet] ** 2))


def test_currents_are_deterministic_and_vary_in_time(currents):
    again = demo_currents(np.datetime64("2021-03-01"), np.datetime64("2021-03-03"))
    np.testing.assert_array_equal(currents["u"].values, again["u"].values)
    change = np.nanmax(np.abs(currents["u"].isel(time=-1) - currents["u"].isel(time=0)))
    assert change > 0.01  # eddies move


def test_the_high_seas_mpa_lies_on_the_high_seas(eez):
    """The demo's high-seas MPA (the site of the demo dossier) lies wholly beyond every EEZ."""
    mpa = demo_layer("mpa").set_index("id").geometry["Estrel Rise High Seas MPA"]
    high_seas = eez.set_index("id").geometry["ABNJ"]
    assert mpa.intersection(high_seas).area / mpa.area > 0.999


def _psi_reference(lon, lat, days):
    """ψ as marinenet computed it before the basin's fixed parts were kept between times (one call per
    time, every eddy on every point): the faster form must give the same bits."""
    from marinenet.demo import currents as c
    from marinenet.demo.geography import ISLANDS, east_coast_lon, west_coast_lon

    xi = c._xi(lon, lat)
    eta = (lat - c._GYRE_LAT[0]) / (c._GYRE_LAT[1] - c._GYRE_LAT[0])
    season = 1.0 + 0.2 * np.sin(2 * np.pi * (days - 20.0) / 365.25)
    f = 1.0 - xi - np.exp(-np.clip(xi, 0, None) / c._DELTA) + xi * np.exp(-1.0 / c._DELTA)
    psi = c._PSI0 * season * np.sin(np.pi * eta) * f
    eddies, par, coslat = np.zeros_like(lon), c._eddy_parameters(), np.cos(np.deg2rad(lat))
    for k in range(c._N_EDDIES):
        age = days / par["life"][k] + par["offset"][k]
        cycle, phase = int(np.floor(age)), age - np.floor(age)
        xi0, lat0 = c._eddy_birth(k, cycle)
        lon0 = west_coast_lon(lat0) + xi0 * (east_coast_lon(lat0) - west_coast_lon(lat0))
        lon_k = lon0 - par["speed"][k] * phase * par["life"][k] / (111.32 * np.cos(np.deg2rad(lat0)))
        dx = (lon - lon_k) * coslat * np.deg2rad(1.0) * c.EARTH_RADIUS_M
        dy = (lat - lat0) * np.deg2rad(1.0) * c.EARTH_RADIUS_M
        r2 = (dx**2 + dy**2) / (2 * par["radius"][k] ** 2)
        near = r2 < 12.0
        amp = par["vmax"][k] * par["radius"][k] * np.exp(0.5) * np.sin(np.pi * phase) ** 2
        eddies[near] += amp * np.exp(-r2[near])
    psi = psi + eddies * np.clip(np.tanh(xi / 0.03) * np.tanh((1.0 - xi) / 0.03), 0.0, None)
    for isl in [i for islands in ISLANDS.values() for i in islands]:
        m = np.exp(-(np.clip(isl.relative_radius(lon, lat) - 1.0, 0, None) ** 2) / (2 * 0.35**2))
        x = c._xi(np.array(isl.lon), np.array(isl.lat))
        lat_isl = np.sin(np.pi * (isl.lat - c._GYRE_LAT[0]) / (c._GYRE_LAT[1] - c._GYRE_LAT[0]))
        psi = psi * (1.0 - m) + c._PSI0 * season * lat_isl * float(1.0 - x - np.exp(-x / c._DELTA)) * m
    return psi


def test_the_streamfunction_on_the_demo_grid_equals_one_evaluation_per_time_bit_for_bit():
    from marinenet.demo.currents import _Basin, streamfunction

    x = np.arange(DOMAIN[0] - 0.05, DOMAIN[2] + 0.1, 0.1)
    y = np.arange(DOMAIN[1] - 0.05, DOMAIN[3] + 0.1, 0.1)
    lon, lat = np.meshgrid(x, y)
    basin = _Basin(lon, lat)
    for days in (0.0, 425.0, 1687.5):  # eddies in different lives
        np.testing.assert_array_equal(basin.psi(days), _psi_reference(lon, lat, days))
    pts = np.random.default_rng(3).uniform([DOMAIN[0], DOMAIN[1]], [DOMAIN[2], DOMAIN[3]], (300, 2))
    np.testing.assert_array_equal(streamfunction(*pts.T, 99.0), _psi_reference(*pts.T, 99.0))
