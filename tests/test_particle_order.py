"""The fast engine visits particles in space order (engine/_order.py), split evenly between threads.

The order and the thread count must not change any result (each particle's random stream is keyed on
its id and step, not on where or when a thread moves it), and particles of a release season must not
move before their release.
"""

from __future__ import annotations

import numpy as np
import pytest

from marinenet.engine import EngineRequest, run_engine
from marinenet.engine._order import Order, morton

from .conftest import DEG2M, canonical

START = np.datetime64("2021-03-01T00:00")
DAY = 86400.0


def _ocean(days=8):
    """A sheared, time-varying flow with a coast in the east (so diffusion meets land too)."""
    lon, lat = np.arange(-6, 6.01, 0.1), np.arange(36, 44.01, 0.1)
    times = START + np.arange(days) * np.timedelta64(1, "D")
    LON, LAT = np.meshgrid(lon, lat)
    u = np.stack([0.3 * np.sin(np.deg2rad(LAT - 40) * 40 + k) + 0.1 for k in range(days)])
    v = np.stack([0.2 * np.cos(np.deg2rad(LON) * 30 - k) for k in range(days)])
    land = np.zeros((lat.size, lon.size), bool)
    land[:, lon > 4.5] = True
    return canonical(lon, lat, times, u, v, land=land)


def _request(season: bool, threads: int, n=300, diffusion=20.0) -> EngineRequest:
    rng = np.random.default_rng(7)
    x, y = rng.uniform(-5, 4.45, n), rng.uniform(37, 43, n)
    release = None
    if season:  # daily releases over 4 days, in index order (the late ones last)
        release = START + (np.arange(n) * 4 // n) * np.timedelta64(1, "D")
    return EngineRequest(
        _ocean(), x, y, START, 3 * DAY, 3600.0, 6 * 3600.0, seed=11, release_time=release,
        diffusion=diffusion, coast="previous", threads=threads,
    )  # fmt: skip


def _same(a, b) -> None:
    for name in ("lon", "lat", "status", "end_lon", "end_lat", "end_time", "coast_contacts"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    assert a.particle_steps == b.particle_steps


@pytest.mark.parametrize("season", [False, True], ids=["one-release", "season"])
def test_space_order_and_threads_give_bit_identical_outputs(season, monkeypatch):
    """Index order on one thread, space order on one and on two threads: the same bits, with diffusion
    (random draws) and coast contacts."""
    monkeypatch.setenv("MARINENET_ORDER", "index")
    ref = run_engine("fast", _request(season, threads=1))
    monkeypatch.setenv("MARINENET_ORDER", "space")
    one = run_engine("fast", _request(season, threads=1))
    two = run_engine("fast", _request(season, threads=2))
    _same(ref, one)
    _same(ref, two)
    assert np.ptp(np.nanmax(ref.lon, axis=1) - np.nanmin(ref.lon, axis=1)) > 0.1  # particles moved
    assert (ref.coast_contacts > 0).any()  # the coast rule acted


def test_without_diffusion_the_order_changes_nothing_either(monkeypatch):
    monkeypatch.setenv("MARINENET_ORDER", "index")
    ref = run_engine("fast", _request(True, threads=2, diffusion=0.0))
    monkeypatch.setenv("MARINENET_ORDER", "space")
    _same(ref, run_engine("fast", _request(True, threads=2, diffusion=0.0)))


class _Sums:
    """An observer (the engine hands back after every step): per-particle sums of what it is shown."""

    def __init__(self, n):
        self.x, self.steps = np.zeros(n), np.zeros(n, int)

    def released(self, idx, lon, lat):
        self.x[idx] += lon[idx]

    def stepped(self, idx, lon, lat, dt, age, weight):
        self.x[idx] += lon
        self.steps[idx] += 1


def test_stepwise_runs_with_hourly_releases_are_identical_in_any_order(monkeypatch):
    """Handing back every step (an observer) with a release every hour: particles released between two
    output times join the order as they come; the observer and the outputs see the same bits."""
    import dataclasses

    out = {}
    for mode in ("index", "space"):
        monkeypatch.setenv("MARINENET_ORDER", mode)
        req = _request(True, threads=2)
        rel = START + (np.arange(req.lon.size) % 30) * np.timedelta64(1, "h")
        sums = _Sums(req.lon.size)
        out[mode] = run_engine("fast", dataclasses.replace(req, release_time=rel), observer=sums), sums
    _same(out["index"][0], out["space"][0])
    np.testing.assert_array_equal(out["index"][1].x, out["space"][1].x)
    np.testing.assert_array_equal(out["index"][1].steps, out["space"][1].steps)
    tr, sums = out["space"]
    assert sums.steps.sum() == tr.particle_steps
    whole = tr.status == 0  # tracked to the end: 3 days of hourly steps each, late releases included
    assert whole.sum() > 0.9 * whole.size and (sums.steps[whole] == 72).all()


def test_morton_key_interleaves_the_cell_bits():
    """Z-order by hand: bits of x at even positions, of y at odd ones."""
    ix = np.array([0, 1, 0, 1, 2, 3, 65535])
    iy = np.array([0, 0, 1, 1, 0, 3, 0])
    expected = [0, 1, 2, 3, 4, 15, int("01" * 16, 2)]
    np.testing.assert_array_equal(morton(ix, iy), expected)


def test_order_sorts_moving_particles_by_cell_and_drops_the_waiting_ones():
    """Particles in four quadrants, listed shuffled: the order visits each quadrant's particles together
    (Z order: SW, SE, NW, NE); stopped particles and particles not yet released are not listed."""
    from types import SimpleNamespace

    lon, lat = np.arange(0.0, 16.0), np.arange(0.0, 16.0)
    x = np.array([12.2, 1.1, 9.0, 2.5, 14.0, 3.0, 10.5, 1.9])
    y = np.array([12.5, 2.0, 1.0, 13.0, 11.0, 1.5, 2.2, 14.0])
    quadrant = (x > 8).astype(int) + 2 * (y > 8)
    state = SimpleNamespace(x=x, y=y, status=np.zeros(8, np.int8), t=np.zeros(8))
    order = Order(lon, lat, periodic=False)
    seen = quadrant[order.moving(state, 3600.0)]
    np.testing.assert_array_equal(seen, np.sort(seen))
    state.status[1] = 3
    state.t[[2, 5]] = 7200.0  # released after this call's end
    got = order.moving(state, 3600.0)
    assert set(got) == {0, 3, 4, 6, 7}
    np.testing.assert_array_equal(
        Order(lon, lat, False, spatial=False).moving(state, 3600.0), [0, 3, 4, 6, 7]
    )
    state.t[[2, 5]] = 0.0  # released now, before the next sort: appended, in Z order among themselves
    got = order.moving(state, 3600.0)
    assert sorted(got[:5]) == [0, 3, 4, 6, 7] and np.all(np.diff(quadrant[got[:5]]) >= 0)
    assert list(got[5:]) == [5, 2]  # quadrant 0 (x 3.0, y 1.5), then quadrant 1 (x 9.0, y 1.0)


@pytest.mark.parametrize("engine", ["fast", "parcels"])
def test_a_late_release_does_not_move_before_its_release_time(engine):
    """Uniform eastward 0.2 m/s: a particle released on day 2 sits at its release point until then and is
    x0 + u·(t − release) / (deg2m·cos φ) after (RK4 is exact on a uniform flow); its end time is release +
    duration, and it made duration/dt steps."""
    lon, lat = np.arange(-5, 5.01, 0.1), np.arange(-2, 2.01, 0.1)
    times = START + np.arange(6) * np.timedelta64(1, "D")
    u = np.full((6, lat.size, lon.size), 0.2)
    ocean = canonical(lon, lat, times, u, np.zeros_like(u))
    n = 40
    release = START + np.repeat([0, 2], n // 2) * np.timedelta64(1, "D")
    y = np.linspace(-1, 1, n)
    req = EngineRequest(ocean, np.full(n, -4.0), y, START, 2 * DAY, 3600.0, 12 * 3600.0, release_time=release,
                        threads=2)  # fmt: skip
    tr = run_engine(engine, req)
    hours = (tr.times - START) / np.timedelta64(1, "h")
    late = slice(n // 2, n)
    assert np.isnan(tr.lon[late][:, hours < 48]).all()
    after = hours >= 48
    expected = -4.0 + 0.2 * (hours[after] - 48) * 3600.0 / (DEG2M * np.cos(np.deg2rad(y[late, None])))
    np.testing.assert_allclose(tr.lon[late][:, after], expected, atol=1e-9)
    np.testing.assert_array_equal(tr.end_time, release + np.timedelta64(2, "D"))
    if engine == "fast":
        assert tr.particle_steps == n * 48
