"""The currents read for a run hold every longitude a particle could reach (issue 19 item 1).

Expected reach comes from a haversine distance to the release box, on the sphere Parcels
uses (1852 m per arc minute: the smallest radius in use, so the largest reach in degrees).
"""

import json
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
import yaml
from typer.testing import CliRunner

from marinenet.cli import app
from marinenet.engine import STATUS
from marinenet.ocean import WetTest
from marinenet.ocean.lonframe import wrap_into
from marinenet.ocean.reader import _regular, open_currents
from marinenet.prepare import MAX_DRIFT_SPEED, reach_region

from .conftest import DEG2M, write_cf_currents

T0 = np.datetime64("2021-01-01")
R_PARCELS = DEG2M * 180.0 / np.pi


def _file(path: Path, lon, lat, days=2, u=0.0, order=None) -> Path:
    times = np.array([T0 + np.timedelta64(k, "D") for k in range(days)])
    write_cf_currents(path, lon, lat, times, lambda X, Y: np.full(X.shape, u), lambda X, Y: 0.0 * X)
    if order is not None:  # stored in another longitude order (e.g. across the dateline)
        with xr.open_dataset(path) as ds:
            ds = ds.load().isel(longitude=order)
        ds.to_netcdf(path)
    return path


def _distance(lon, lat, box):
    """Distance (m) of each file node (lat, lon) to the box (haversine to a dense sampling of its
    edges; the nearest point of a box to an outside point lies on its edge)."""
    x0, y0, x1, y1 = box
    t = np.linspace(0, 1, 201)
    bx = np.r_[x0 + (x1 - x0) * t, np.full(t.size, x1), x1 - (x1 - x0) * t, np.full(t.size, x0)]
    by = np.r_[np.full(t.size, y0), y0 + (y1 - y0) * t, np.full(t.size, y1), y1 - (y1 - y0) * t]
    bx, by = np.deg2rad(bx), np.deg2rad(by)
    out = np.zeros((lat.size, lon.size))
    for j, phi in enumerate(np.deg2rad(lat)):
        lam = np.deg2rad(lon)[:, None]
        h = np.sin((phi - by) / 2) ** 2 + np.cos(phi) * np.cos(by) * np.sin((lam - bx) / 2) ** 2
        out[j] = (2 * R_PARCELS * np.arcsin(np.sqrt(np.clip(h, 0, 1)))).min(axis=1)
    return out


CASES = {
    # name: (file longitudes, latitudes, release box, storage order of the longitudes)
    "20deg": (np.arange(10, 30.01, 0.5), np.arange(30, 50.01, 0.5), (15, 38, 17, 40), None),
    "global_0_360": (np.arange(0, 360, 3.0), np.arange(-78, 78.1, 6.0), (100, 40, 102, 42), None),
    "global_seam": (np.arange(0, 360, 3.0), np.arange(-78, 78.1, 6.0), (-3, -62, 3, -60), None),
    "dateline": (np.arange(170, 190.01, 0.5), np.arange(-50, -29.99, 0.5), (-179, -42, -177, -40), "split"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_cropped_currents_hold_every_reachable_longitude(tmp_path, case):
    lon, lat, box, order = CASES[case]
    stored = ((lon + 180) % 360) - 180 if order == "split" else lon
    path = _file(tmp_path / "c.nc", stored, lat, order=np.argsort(stored) if order else None)
    circle = lon.max() - lon.min() + (lon[1] - lon[0]) >= 360.0
    with xr.open_dataset(path) as raw:  # the reader's crop on the file read once (fast); open_currents below
        raw = raw.load()
    dist = _distance(lon, lat, box)
    for days in range(1, 61):
        distance = MAX_DRIFT_SPEED * days * 86400.0
        region = reach_region(box, distance)
        ds = _regular(raw, "uo", "vo", "longitude", "latitude", "time", 0.0, region, "c.nc")
        need = dist <= distance
        got_lon = np.round(ds.lon.values % 360.0, 6)
        got_lat = np.round(ds.lat.values, 6)
        need_lon = np.round(lon[need.any(axis=0)] % 360.0, 6)
        need_lat = np.round(lat[need.any(axis=1)], 6)
        assert np.isin(need_lon, got_lon).all(), (days, sorted(set(need_lon) - set(got_lon))[:5])
        assert np.isin(need_lat, got_lat).all(), days
        assert np.all(np.diff(ds.lon.values) > 0), days  # one continuous ascending frame
        if circle and ds.sizes["lon"] == lon.size:
            assert ds.attrs.get("zonal_periodic") == 1, days
        if not circle:  # a regional file is never joined end to end
            assert "zonal_periodic" not in ds.attrs, days
        assert not bool(np.isnan(ds.u).any()), days  # no gap of missing columns


def test_whole_file_kept_once_the_reach_exceeds_it(tmp_path):
    """At 23 and 37 days the old longitude reach passed 360° and part of a 20°-wide file was cut."""
    lon, lat, box, _ = CASES["20deg"]
    path = _file(tmp_path / "c.nc", lon, lat)
    for days in (20, 23, 37, 46):
        region = reach_region(box, MAX_DRIFT_SPEED * days * 86400.0)
        ds = open_currents(str(path), None, None, None, region=region)
        np.testing.assert_array_equal(ds.lon.values, lon)
    for case in ("global_seam", "dateline"):  # through open_currents too
        lon, lat, box, order = CASES[case]
        stored = ((lon + 180) % 360) - 180 if order == "split" else lon
        path = _file(tmp_path / f"{case}.nc", stored, lat, order=np.argsort(stored) if order else None)
        ds = open_currents(str(path), None, None, None, region=reach_region(box, 30 * 86400.0))
        assert np.all(np.diff(ds.lon.values) > 0) and not bool(np.isnan(ds.u).any())
        for x in (box[0] - 1, box[2] + 1):  # the box and a margin, in the data's own frame
            assert ds.lon.values[0] <= wrap_into(x, ds.lon.values[0]) <= ds.lon.values[-1], (case, x)


def _run(tmp_path, days, box, lon, lat, u):
    _file(tmp_path / "c.nc", lon, lat, days=days + 2, u=u)
    (tmp_path / "a.geojson").write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"A"},'
        f'"geometry":{{"type":"Polygon","coordinates":[[[{box[0]},{box[1]}],[{box[2]},{box[1]}],'
        f"[{box[2]},{box[3]}],[{box[0]},{box[3]}],[{box[0]},{box[1]}]]]}}}}]}}"
    )
    sc = {
        "name": "reach",
        "seed": 1,
        "ocean": {"source": "c.nc"},
        "zones": {"a": {"path": "a.geojson", "id": "id"}},
        "release": {"from": {"layer": "a"}, "particles": 100, "start": "2021-01-01T00:00"},
        "simulation": {
            "duration": f"{days} days",
            "dt": "6 hours",
            "output_every": "1 day",
            "engine": "fast",
        },
        "output": "out",
    }
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(sc))
    return CliRunner().invoke(app, ["run", str(tmp_path / "s.yaml"), "--no-maps", "-q"])


@pytest.mark.parametrize("days", [20, 23])
def test_multi_week_run_keeps_its_particles_in_the_file(tmp_path, days):
    """0.25 m/s eastward for 23 days moves a particle 6.4° at 45-47°N: from 20-22°E none may leave a
    file reaching 30°E. (Before: only 10..26.75°E was read at 23 days, 10..23.75°E at 20 days.)"""
    box = (20, 45, 22, 47)
    res = _run(tmp_path, days, box, np.arange(10, 30.01, 0.25), np.arange(30, 50.01, 0.25), u=0.25)
    assert res.exit_code == 0, res.output
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["particles_released"] == 100
    assert summary["out_of_domain"] == 0 and summary["active_at_end"] == 100


def test_wet_test_is_periodic_on_a_global_grid_and_framed_on_a_dateline_grid():
    from .conftest import canonical

    times = np.array([T0, T0 + np.timedelta64(1, "D")])
    zero = lambda X, Y: 0.0 * X  # noqa: E731
    glob = canonical(np.arange(-180, 180, 1.0), np.arange(-10, 10.1, 1.0), times, zero, zero)
    glob.attrs["zonal_periodic"] = 1
    wet = WetTest(glob)
    assert wet(np.array([179.5, 179.99, -180.0, 539.5]), np.zeros(4)).all()
    line = canonical(np.arange(170, 190.01, 0.5), np.arange(-10, 10.1, 1.0), times, zero, zero)
    wet = WetTest(line)
    assert wet(np.array([-178.0, 182.0, 175.0]), np.zeros(3)).all()
    assert not wet(np.array([-165.0, 160.0]), np.zeros(2)).any()


@pytest.mark.parametrize("engine", ["fast", "parcels"])
def test_a_file_across_the_dateline_is_one_regional_grid(tmp_path, engine):
    """A 170°E..170°W file stored as 170..180, -180..-170; release polygon west of the dateline
    (-174..-172); 0.5 m/s east for 5 days. Particles whose exact track (Δλ = u·t / (R cos φ))
    passes 190°E leave the grid (out_of_domain); the others end on it. Before: the file was taken
    for a global grid and joined end to end, so leavers came back in at 170°E."""
    lon = np.arange(170, 190.01, 0.5)
    stored = (lon + 180) % 360 - 180
    _file(tmp_path / "c.nc", stored, np.arange(-50, -29.99, 0.5), days=7, u=0.5, order=np.argsort(stored))
    res = _run_box(tmp_path, (-174, -41, -172, -40), engine)
    assert res.exit_code == 0, res.output
    tr = xr.open_dataset(tmp_path / "out" / "trajectories.nc")
    lon0, lat0 = tr["lon"].isel(time=0).values, tr["lat"].isel(time=0).values
    assert np.all((lon0 % 360 >= 186) & (lon0 % 360 <= 188))  # released where the polygon is
    expected = lon0 % 360 + 0.5 * 5 * 86400 / (DEG2M * np.cos(np.deg2rad(lat0)))
    gone = tr["status"].values == STATUS["out_of_domain"]
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    clear_out, clear_in = expected > 190.1, expected < 189.9
    assert clear_out.sum() > 5 and clear_in.sum() > 5
    assert summary["out_of_domain"] >= clear_out.sum() and summary["active_at_end"] >= clear_in.sum()
    assert gone[clear_out].all() and not gone[clear_in].any()
    end = tr["end_lon"].values % 360
    np.testing.assert_allclose(end[clear_in], expected[clear_in], atol=1e-3)


def _run_box(tmp_path, box, engine):
    (tmp_path / "a.geojson").write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"A"},'
        f'"geometry":{{"type":"Polygon","coordinates":[[[{box[0]},{box[1]}],[{box[2]},{box[1]}],'
        f"[{box[2]},{box[3]}],[{box[0]},{box[3]}],[{box[0]},{box[1]}]]]}}}}]}}"
    )
    sc = {
        "name": "dateline",
        "seed": 2,
        "ocean": {"source": "c.nc"},
        "zones": {"a": {"path": "a.geojson", "id": "id"}},
        "release": {"from": {"layer": "a"}, "particles": 60, "start": "2021-01-01T00:00"},
        "simulation": {"duration": "5 days", "dt": "1 hour", "output_every": "1 day", "engine": engine},
        "output": "out",
    }
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(sc))
    return CliRunner().invoke(app, ["run", str(tmp_path / "s.yaml"), "--no-maps", "-q"])
