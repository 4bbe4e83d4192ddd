"""Behaviours on a zonally periodic (global) grid: larvae on both engines, swimmers on the fast engine
(the Parcels engine refuses them: see test_capabilities). Expectations are closed forms of uniform flow
on the sphere."""

from __future__ import annotations

import numpy as np
import pytest

from marinenet.behaviour import larva as larva_behaviours
from marinenet.behaviour.swim import params as swimmer
from marinenet.capabilities import behaviour_supports
from marinenet.engine import STATUS, EngineRequest, run_engine

from .conftest import DEG2M, canonical

T0 = np.datetime64("2021-01-01")
DAY = 86400.0
U = 2.0  # m/s eastward everywhere


def _global(days=12):
    lon, lat = np.arange(0, 360, 2.0), np.arange(-30, 30.1, 2.0)
    times = np.array([T0 + np.timedelta64(k, "D") for k in range(days)])
    ds = canonical(lon, lat, times, lambda X, Y: np.full(X.shape, U), lambda X, Y: np.zeros(X.shape))
    ds.attrs["zonal_periodic"] = 1
    return ds


@pytest.mark.parametrize("engine", ["parcels", "fast"])
def test_larvae_cross_the_seam_of_a_global_grid(engine):
    """Larvae released at 350°E and 355°E drift eastward over 0°/360° until their PLD (8 days) ends."""
    ocean = _global()
    x0, y0 = np.array([350.0, 355.0]), np.array([0.0, 10.0])
    larva = larva_behaviours(8 * DAY, 2 * DAY, 8 * DAY, mortality=0.0, mortality_mode=0)
    tr = run_engine(engine, EngineRequest(ocean, x0, y0, T0, 10 * DAY, 3600.0, DAY, behaviours=larva))
    assert list(tr.status) == [STATUS["unsettled"]] * 2  # no habitat: unsettled at the end of the PLD
    assert np.all(tr.end_time == T0 + np.timedelta64(8, "D"))
    travelled = U * 8 * DAY / (DEG2M * np.cos(np.deg2rad(y0)))
    expected = (x0 + travelled) % 360.0  # stored in the grid's own 0..360 frame
    assert np.all(expected < 30.0)  # both crossed the seam
    np.testing.assert_allclose(tr.end_lon, expected, atol=1e-6)
    np.testing.assert_allclose(tr.end_lat, y0, atol=1e-9)


def test_swimmer_crosses_the_seam_to_its_target_on_the_fast_engine():
    """From 356°E toward a target at 2°E: the short way is east, across the seam (6° of the equator),
    swimming 0.5 m/s with the 2 m/s current; it arrives within 1 km of the target."""
    ocean = _global()
    swim = swimmer(ocean, 0.5, target_point=(2.0, 0.0), persistence=1.0, turn_sd=0.0, arrive_m=1000.0)
    dt = 1800.0
    req = EngineRequest(ocean, np.array([356.0]), np.array([0.0]), T0, 10 * DAY, dt, DAY, behaviours=(swim,))
    tr = run_engine("fast", req)
    assert tr.status[0] == STATUS["arrived"]
    seconds = (tr.end_time[0] - T0) / np.timedelta64(1, "s")
    closest = (6.0 * DEG2M - 1000.0) / (U + 0.5)  # when it comes within 1 km, going straight east
    assert closest <= seconds <= closest + dt + 1e-6
    assert abs(tr.end_lat[0]) < 1e-9 and tr.end_lon[0] == pytest.approx(2.0, abs=1000.0 / DEG2M + 1e-6)


def test_parcels_swimmers_on_a_global_grid_are_refused_by_the_capability_check():
    def request(periodic: bool) -> EngineRequest:
        ocean = _global()
        if not periodic:
            ocean = ocean.isel(lon=slice(0, 10))
            ocean.attrs.pop("zonal_periodic")
        swim = swimmer(ocean, 0.5, target_point=(2.0, 0.0))
        return EngineRequest(ocean, np.array([1.0]), np.array([0.0]), T0, DAY, 3600.0, DAY, behaviours=(swim,))

    assert "not supported on the Parcels engine" in behaviour_supports(request(True), "parcels")
    assert behaviour_supports(request(True), "fast") is None
    assert behaviour_supports(request(False), "parcels") is None
