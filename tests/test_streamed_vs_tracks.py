"""The streamed analytics of a run (arrivals/, exposure/: accumulated at every engine step) equal the
same analytics computed here, in a few lines, from the stored tracks of trajectories.nc when every
step is stored (output_every = dt)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import marinenet

from .conftest import write_boxes, write_cf_currents

BOXES = {"A": (0.0, -1.0, 1.0, 1.0), "B": (1.0, -1.0, 2.0, 1.0), "C": (2.0, -1.0, 3.0, 1.0)}


def _zone(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """The box of each position (first in order), else 'outside': by inequalities, not the zone index."""
    out = np.full(lon.shape, "outside", dtype=object)
    for name, (x0, y0, x1, y1) in reversed(BOXES.items()):
        out[(lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1)] = name
    return out


def _from_tracks(tr: xr.Dataset) -> tuple[pd.DataFrame, pd.DataFrame]:
    """First arrival (days) and particle-days per (source, zone) from positions at every step."""
    lon, lat = tr["lon"].values, tr["lat"].values
    days = (tr["time"].values - tr["release_time"].values[:, None]) / np.timedelta64(1, "D")
    zone = _zone(lon, lat)
    rows = []
    for p in range(lon.shape[0]):
        ok = np.flatnonzero(np.isfinite(lon[p]))
        for z in [*BOXES, "outside"]:
            at = ok[zone[p, ok] == z]
            first = np.nan if at.size == 0 else days[p, at[0]]
            step = np.diff(days[p, ok])  # each step counts for the zone where it started
            stay = float(step[zone[p, ok[:-1]] == z].sum())
            rows.append(
                {"p": p, "source": tr["release_source"].values[p], "zone": z, "first": first, "days": stay}
            )
    t = pd.DataFrame(rows)
    arrivals = (
        t[np.isfinite(t["first"]) & (t["source"] != t["zone"])]
        .groupby(["source", "zone"])["first"]
        .agg(
            n="size",
            median_days="median",
            p10_days=lambda d: np.percentile(d, 10),
            p90_days=lambda d: np.percentile(d, 90),
        )
    )
    exposure = t.groupby(["source", "zone"]).agg(
        particle_days=("days", "sum"), particles_visiting=("first", lambda f: int(np.isfinite(f).sum()))
    )
    return arrivals, exposure[(exposure["particle_days"] > 0) | (exposure["particles_visiting"] > 0)]


@pytest.mark.parametrize("engine", ["fast", "parcels"])
def test_streamed_arrivals_and_exposure_equal_those_of_the_stored_tracks(tmp_path, engine):
    times = np.array([np.datetime64("2021-01-01") + np.timedelta64(k, "D") for k in range(5)])
    write_cf_currents(
        tmp_path / "c.nc",
        np.arange(-2, 6.01, 0.25),
        np.arange(-3, 3.01, 0.25),
        times,
        lambda X, Y: np.full(X.shape, 0.3),
        lambda X, Y: 0.1 * np.sin(X),
    )
    write_boxes(tmp_path / "areas.geojson", BOXES)
    sc = marinenet.scenario_from_dict(
        {
            "name": "streamed",
            "seed": 5,
            "ocean": {"source": str(tmp_path / "c.nc")},
            "zones": {"areas": {"path": str(tmp_path / "areas.geojson"), "id": "name"}},
            "release": {
                "from": {"layer": "areas", "ids": ["A", "B"]},
                "particles": 40,
                "start": "2021-01-01T00:00",
            },
            "behaviour": {"diffusion": 20.0},
            "simulation": {"duration": "3 days", "dt": "1 hour", "output_every": "1 hour", "engine": engine},
        },
        origin="test",
    )
    res = marinenet.run(sc, out=tmp_path / "out", maps=False)
    tr = xr.open_dataset(res.out_dir / "trajectories.nc")
    arrivals, exposure = _from_tracks(tr)
    got_a = pd.read_csv(res.out_dir / "arrivals" / "areas.csv").set_index(["source", "destination"])
    got_e = pd.read_csv(res.out_dir / "exposure" / "areas.csv").set_index(["source", "zone"])
    assert len(arrivals) >= 3 and set(got_a.index) == set(arrivals.index)
    got_a = got_a.loc[arrivals.index]
    np.testing.assert_array_equal(got_a["n"], arrivals["n"])
    for col in ("median_days", "p10_days", "p90_days"):
        np.testing.assert_allclose(got_a[col], arrivals[col], rtol=2e-5, atol=1e-5)
    assert set(got_e.index) == set(exposure.index)
    got_e = got_e.loc[exposure.index]
    np.testing.assert_allclose(got_e["particle_days"], exposure["particle_days"], rtol=2e-5)
    np.testing.assert_array_equal(got_e["particles_visiting"], exposure["particles_visiting"])
