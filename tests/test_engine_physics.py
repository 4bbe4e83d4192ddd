"""Numerical truths the tracking must reproduce, on every engine.

Parcels' spherical mesh uses 1852 m per arc minute (R = 6366.7 km); expectations use the
same sphere so they are exact, not approximate.
"""

import numpy as np
import pytest

from marinenet.engine import ENGINES, STATUS, EngineRequest, run_engine

from .conftest import DEG2M, canonical

START = np.datetime64("2021-01-01T00:00")


def _run(engine, ocean, lon, lat, duration_s, dt_s=3600.0, every_s=86400.0):
    req = EngineRequest(
        ocean, np.asarray(lon, float), np.asarray(lat, float), START, duration_s, dt_s, every_s
    )
    return run_engine(engine, req)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("lat0", [0.0, 60.0])
def test_uniform_zonal_flow_gives_exact_displacement(engine, lat0, days):
    u = 0.5  # m/s eastward
    lon = np.arange(-5.0, 25.01, 0.25)
    lat = np.arange(lat0 - 5, lat0 + 5.01, 0.25)
    ocean = canonical(lon, lat, days(3), lambda X, Y: np.full(X.shape, u), lambda X, Y: np.zeros(X.shape))
    t = 2 * 86400.0
    x0 = np.array([0.0, 1.0, 2.0])
    tr = _run(engine, ocean, x0, np.full(3, lat0), t)
    expected = u * t / (DEG2M * np.cos(np.deg2rad(lat0)))  # degrees of longitude = u t / (R cos φ)
    assert np.all(tr.status == STATUS["active"])
    np.testing.assert_allclose(tr.end_lon - x0, expected, rtol=1e-9)
    np.testing.assert_allclose(tr.end_lat, lat0, atol=1e-12)
    # at 60°N the same speed covers twice the longitude it covers on the equator
    if lat0 == 60.0:
        assert (tr.end_lon - x0)[0] == pytest.approx(2 * u * t / DEG2M, rel=1e-9)


@pytest.mark.parametrize("engine", ENGINES)
def test_solid_body_rotation_keeps_the_radius(engine, days):
    """Rotation of the sphere about the axis through (0°E, 0°N): u = -ΩR sinφ cosλ, v = ΩR sinλ.

    Particles move on small circles around (0, 0): their angular distance to it is invariant.
    """
    R = DEG2M * 180 / np.pi
    omega = 2 * np.pi / (8 * 86400.0)
    lon = np.arange(-12.0, 12.01, 0.1)
    lat = np.arange(-12.0, 12.01, 0.1)
    ocean = canonical(
        lon,
        lat,
        days(9),
        lambda X, Y: -omega * R * np.sin(np.deg2rad(Y)) * np.cos(np.deg2rad(X)),
        lambda X, Y: omega * R * np.sin(np.deg2rad(X)),
    )
    ang = np.deg2rad([0, 45, 100, 200, 300])
    r0 = 6.0
    x0, y0 = r0 * np.cos(ang), r0 * np.sin(ang)

    def central_angle(x, y):
        return np.rad2deg(np.arccos(np.cos(np.deg2rad(y)) * np.cos(np.deg2rad(x))))

    tr = _run(engine, ocean, x0, y0, 8 * 86400.0, dt_s=1800.0)
    assert np.all(tr.status == STATUS["active"])
    radius0 = central_angle(x0, y0)
    for k in range(tr.lon.shape[1]):
        np.testing.assert_allclose(central_angle(tr.lon[:, k], tr.lat[:, k]), radius0, rtol=2e-4)
    # one full period brings every particle back to where it started
    np.testing.assert_allclose(tr.end_lon, x0, atol=0.02)
    np.testing.assert_allclose(tr.end_lat, y0, atol=0.02)
    # and halfway round it is on the opposite side of the circle
    half = tr.lon.shape[1] // 2
    assert np.all(np.hypot(tr.lon[:, half] - x0, tr.lat[:, half] - y0) > 1.5 * r0)


@pytest.mark.parametrize("engine", ENGINES)
def test_particles_reaching_land_are_stranded_not_stalled(engine, days):
    lon = np.arange(-3.0, 3.01, 0.1)
    lat = np.arange(-3.0, 3.01, 0.1)
    land = np.broadcast_to(lon >= 1.95, (lat.size, lon.size))  # coast between 1.9 and 2.0
    u_east = 0.5
    ocean = canonical(
        lon, lat, days(6), lambda X, Y: np.full(X.shape, u_east), lambda X, Y: np.zeros(X.shape), land
    )
    x0 = np.array([0.2, 0.5])  # 5 days at 0.5 m/s covers 1.94°: both reach the coast
    tr = _run(engine, ocean, x0, [0.0, 1.0], 5 * 86400.0)
    assert list(tr.status) == [STATUS["stranded"]] * 2
    step = u_east * 3600 / DEG2M
    # stopped at the last wet position: within one step of where the land mask reaches 0.5
    assert np.all(tr.end_lon < 1.95) and np.all(tr.end_lon >= 1.95 - step - 1e-9)
    # and at the time it got there: free flight at 0.5 m/s, plus at most ~1 h lost in the last
    # half cell, where the velocity interpolates towards the coast's zero (no-slip)
    hours = (tr.end_time - START) / np.timedelta64(1, "h")
    free_flight = (tr.end_lon - x0) * DEG2M / u_east / 3600
    assert np.all(hours >= free_flight) and np.all(hours <= free_flight + 1.5)
    # positions after stranding are missing, not repeated
    assert np.isnan(tr.lon[:, -1]).all()


@pytest.mark.parametrize("engine", ENGINES)
def test_flow_along_the_coast_is_not_slowed(engine, days):
    """Parcels fills land with 0; a particle one cell off the coast must still move at full speed."""
    lon = np.arange(-3.0, 3.01, 0.1)
    lat = np.arange(-3.0, 6.01, 0.1)
    land = np.broadcast_to(lon >= 1.95, (lat.size, lon.size))
    v = 0.3
    ocean = canonical(
        lon, lat, days(3), lambda X, Y: np.zeros(X.shape), lambda X, Y: np.full(X.shape, v), land
    )
    tr = _run(engine, ocean, [1.8], [0.0], 2 * 86400.0)
    assert tr.status[0] == STATUS["active"]
    assert tr.end_lat[0] == pytest.approx(v * 2 * 86400 / DEG2M, rel=1e-9)


@pytest.mark.parametrize("engine", ENGINES)
def test_particles_leaving_the_grid_are_out_of_domain(engine, days):
    lon = np.arange(0.0, 2.01, 0.1)
    lat = np.arange(0.0, 2.01, 0.1)
    ocean = canonical(lon, lat, days(4), lambda X, Y: np.full(X.shape, 1.0), lambda X, Y: np.zeros(X.shape))
    tr = _run(engine, ocean, [1.0, 0.1], [1.0, 1.0], 3 * 86400.0)
    assert list(tr.status) == [STATUS["out_of_domain"]] * 2
    assert np.all(tr.end_lon <= 2.0)
    assert np.all(tr.end_lon > 2.0 - 2 * 3600 / DEG2M)
