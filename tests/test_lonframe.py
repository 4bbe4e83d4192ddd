"""Longitude frames: a grid crossing a frame boundary (0° or the dateline) stays one regular run.

Found by an independent check: a grid from -0.3° to 1.2° came back with its first longitude a whole
turn up (359.7°: (-0.3 % 360) - 360 is not -0.3 in floating point), so the fast engine saw one cell
from 1.2° to 359.7° and particles leaving the east edge kept moving instead of leaving the domain.
"""

from __future__ import annotations

import numpy as np
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

from marinenet.ocean.lonframe import frame_longitudes
from marinenet.ocean.reader import open_currents


@settings(max_examples=300, deadline=None)
@given(
    start=st.floats(-540.0, 540.0, allow_nan=False),
    step=st.sampled_from([0.01, 1 / 12, 0.05, 0.1, 0.25, 1.0]),
    n=st.integers(2, 300),
    float32=st.booleans(),
)
def test_a_grid_that_does_not_go_round_the_globe_stays_one_regular_ascending_run(start, step, n, float32):
    """Whatever the first longitude (any frame) and however it rounds, the framed longitudes of a
    grid spanning less than the circle are the file's own run: ascending, spaced by the step
    (expected from the arithmetic of the grid, not from the function)."""
    if n * step > 300.0:
        n = int(300.0 / step)
    lon = start + step * np.arange(n)
    if float32:
        lon = lon.astype(np.float32).astype(float)
    framed, whole = frame_longitudes(lon)
    assert not whole
    d = np.diff(framed)
    assert np.all(d > 0)
    np.testing.assert_allclose(d, np.diff(lon), atol=1e-4)
    assert -180.0 - 1e-9 <= framed[0] < 180.0  # the first longitude put in [-180, 180)
    np.testing.assert_allclose(framed - lon, np.round((framed[0] - lon[0]) / 360.0) * 360.0, atol=1e-9)


def test_currents_across_greenwich_open_as_the_files_own_longitudes(tmp_path):
    """-0.3°..1.2° every 0.05° (as np.arange makes it, with -0. and rounding) reads back unchanged."""
    lon = np.arange(-0.3, 1.2 + 1e-9, 0.05)
    lat = np.arange(-0.3, 0.4 + 1e-9, 0.05)
    times = np.datetime64("2021-01-01") + np.arange(3) * np.timedelta64(1, "D")
    shape = (times.size, lat.size, lon.size)
    ds = xr.Dataset(
        {"uo": (("time", "latitude", "longitude"), np.full(shape, 0.3)),
         "vo": (("time", "latitude", "longitude"), np.zeros(shape))},
        coords={"time": times, "latitude": lat, "longitude": lon},
    )  # fmt: skip
    ds.to_netcdf(tmp_path / "g.nc")
    out = open_currents(str(tmp_path / "g.nc"), start=times[0], end=times[-1])
    np.testing.assert_allclose(out["lon"].values, lon, atol=1e-9)
    assert not out.attrs.get("zonal_periodic")
