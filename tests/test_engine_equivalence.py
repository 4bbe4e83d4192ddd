"""The fast engine gives Parcels' answers.

Passive RK4 without diffusion on identical inputs: both engines interpolate linearly in
time and space (Parcels' XLinear) on the same sphere, so after 48 hourly steps their
positions must agree to 1e-5° (≈1 m); fates (stranded, out of domain) must be the same.
Behaviours with random draws use different random streams, so they agree statistically.
"""

from __future__ import annotations

import numpy as np
import pytest

from marinenet.engine import STATUS, EngineRequest, run_engine

from .conftest import DEG2M, canonical

START = np.datetime64("2021-03-01T00:00")


def _eddy_field(lon, lat, times, drift=True):
    """A Gaussian eddy (0.6 m/s, 60 km) drifting west 5 km/day on a 0.2 m/s eastward current."""
    LON, LAT = np.meshgrid(lon, lat)
    u = np.empty((times.size, lat.size, lon.size))
    v = np.empty_like(u)
    for k, t in enumerate(times):
        days = (t - times[0]) / np.timedelta64(1, "D")
        cx = lon.mean() - (5.0 * days / 111.0 if drift else 0.0)
        cy = lat.mean()
        ex = (LON - cx) * DEG2M * np.cos(np.deg2rad(cy))
        ey = (LAT - cy) * DEG2M
        r2 = (ex**2 + ey**2) / 60e3**2
        amp = 0.6 * np.exp(-r2) * (1 + 0.3 * np.sin(days))
        u[k] = 0.2 - amp * ey / 60e3
        v[k] = amp * ex / 60e3
    return u, v


def _case(name):
    times = START + np.arange(4) * np.timedelta64(1, "D")
    if name == "steady":
        lon, lat = np.arange(-10, 10.01, 0.1), np.arange(30, 45.01, 0.1)
        u, v = _eddy_field(lon, lat, times, drift=False)
        u, v = u[:1].repeat(4, 0), v[:1].repeat(4, 0)
    elif name == "time-varying":
        lon, lat = np.arange(-10, 10.01, 0.1), np.arange(30, 45.01, 0.1)
        u, v = _eddy_field(lon, lat, times)
    elif name == "dateline":  # 170°E → 160°W, longitudes continuing past 180
        lon, lat = np.arange(170.0, 200.01, 0.125), np.arange(-20, -5.01, 0.125)
        u, v = _eddy_field(lon, lat, times)
        u = u + 0.5  # carries particles over 180°
    elif name == "coast":  # a coastline on the east: strandings must agree too
        lon, lat = np.arange(-10, 10.01, 0.1), np.arange(30, 45.01, 0.1)
        u, v = _eddy_field(lon, lat, times)
        u = u + 0.8
    land = np.zeros((lat.size, lon.size), bool)
    if name == "coast":
        land[:, lon > 2.0 + 0 * lon] = True
    return canonical(lon, lat, times, u, v, land=land)


@pytest.mark.parametrize("name", ["steady", "time-varying", "dateline", "coast"])
def test_fast_engine_matches_parcels(name):
    ocean = _case(name)
    rng = np.random.default_rng(5)
    lon = ocean.lon.values
    lat = ocean.lat.values
    n = 300
    # around the eddy (its core spins particles round; its edge shears them apart)
    x = rng.uniform(-1.5, 1.5, n) + (lon.mean() if name != "dateline" else 179.5)
    y = rng.uniform(-1.5, 1.5, n) + lat.mean()
    req = dict(
        ocean=ocean, lon=x, lat=y, start=START, duration=48 * 3600.0, dt=3600.0, output_every=6 * 3600.0
    )
    ref = run_engine("parcels", EngineRequest(**req))
    fast = run_engine("fast", EngineRequest(**req))
    assert fast.engine == "fast"
    np.testing.assert_array_equal(fast.status, ref.status)
    both = np.isfinite(ref.lon)
    np.testing.assert_array_equal(np.isfinite(fast.lon), both)
    assert np.max(np.abs(fast.lon[both] - ref.lon[both])) < 1e-5
    assert np.max(np.abs(fast.lat[both] - ref.lat[both])) < 1e-5
    assert np.max(np.abs(fast.end_lon - ref.end_lon)) < 1e-5
    assert np.max(np.abs(fast.end_lat - ref.end_lat)) < 1e-5
    np.testing.assert_array_equal(fast.end_time, ref.end_time)
    moved = np.abs(ref.end_lon - x) + np.abs(ref.end_lat - y)
    assert np.median(moved) > 0.3  # the test is not vacuous: particles travelled tens of km
    if name == "dateline":
        assert np.any(fast.end_lon > 180.0) and np.any(x < 180.0)
    if name == "coast":
        assert 0 < np.sum(ref.status == STATUS["stranded"]) < n


def test_fast_engine_release_times_and_threads_do_not_change_results():
    """Staggered releases, and one thread versus two: identical positions."""
    ocean = _case("time-varying")
    rng = np.random.default_rng(1)
    n = 200
    x, y = rng.uniform(-3, 3, n), rng.uniform(35, 40, n)
    rel = START + rng.integers(0, 24, n) * np.timedelta64(1, "h")
    base = dict(
        ocean=ocean, lon=x, lat=y, start=START, duration=24 * 3600.0, dt=3600.0, output_every=6 * 3600.0
    )
    ref = run_engine("parcels", EngineRequest(**base, release_time=rel))
    one = run_engine("fast", EngineRequest(**base, release_time=rel, threads=1))
    two = run_engine("fast", EngineRequest(**base, release_time=rel, threads=2))
    np.testing.assert_array_equal(one.lon, two.lon)
    both = np.isfinite(ref.lon)
    np.testing.assert_array_equal(np.isfinite(one.lon), both)
    assert np.max(np.abs(one.lon[both] - ref.lon[both])) < 1e-5
    np.testing.assert_array_equal(one.end_time, ref.end_time)


def test_counter_random_numbers_are_uniform_and_normal():
    """The fast engine's draws: uniform mean 1/2 and variance 1/12, normal mean 0 and variance 1
    (within 4 standard errors over 2·10^5 draws), and the same for a given (seed, particle, step)."""
    from numba import njit

    from marinenet.engine._fast_random import _normal, _uniform

    @njit
    def draws(seed, n):
        u = np.empty(n)
        z = np.empty(n)
        for p in range(n):
            u[p] = _uniform(seed, p, p % 7, 0)
            z[p] = _normal(seed, p, 3, 1)
        return u, z

    n = 200_000
    u, z = draws(5, n)
    assert abs(u.mean() - 0.5) < 4 * np.sqrt(1 / 12 / n) and abs(u.var() - 1 / 12) < 0.002
    assert abs(z.mean()) < 4 / np.sqrt(n) and abs(z.var() - 1) < 4 * np.sqrt(2 / n)
    assert np.all((u > 0) & (u < 1))
    u2, _ = draws(5, 10)
    u3, _ = draws(6, 10)
    np.testing.assert_array_equal(u2, u[:10])
    assert not np.allclose(u3, u2)
