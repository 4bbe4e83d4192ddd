"""The Python functions behind ``tracks``, ``info`` and ``report``: the CLI prints what they return."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from marinenet.cli import app
from marinenet.commands import describe_currents, track_analytics

from .conftest import write_boxes, write_cf_currents


def test_describe_currents_gives_the_rows_info_prints(tmp_path):
    times = np.array([np.datetime64("2021-01-01") + np.timedelta64(k, "D") for k in range(3)])
    write_cf_currents(
        tmp_path / "c.nc",
        np.arange(0, 5.01, 0.25),
        np.arange(10, 12.01, 0.5),
        times,
        lambda X, Y: np.full(X.shape, 0.3),
        lambda X, Y: np.full(X.shape, 0.4),
    )
    rows = dict(describe_currents(str(tmp_path / "c.nc")))
    assert rows["canonical grid"] == "21 x 5 (lon x lat)"
    assert rows["latitude"] == "10.000 .. 12.000"
    assert rows["speed over water"] == "median 0.500, max 0.500 m/s"  # hypot(0.3, 0.4)
    table = CliRunner().invoke(app, ["info", str(tmp_path / "c.nc")]).output
    printed = " ".join(table.replace("│", " ").split())
    assert "canonical grid 21 x 5 (lon x lat)" in printed and "median 0.500, max 0.500 m/s" in printed


def test_track_analytics_writes_what_the_tracks_command_writes(tmp_path):
    """One animal on the equator from 0° to 4°E in 4 days; zone A = [0, 1]°E, B = [1, 3]°E."""
    pd.DataFrame(
        {
            "id": ["x", "x"],
            "time": ["2020-01-01T00:00", "2020-01-05T00:00"],
            "lon": [0.0, 4.0],
            "lat": [0.0, 0.0],
        }
    ).to_csv(tmp_path / "t.csv", index=False)
    write_boxes(tmp_path / "z.geojson", {"A": (0, -1, 1, 1), "B": (1, -1, 3, 1)})
    res = track_analytics(
        tmp_path / "t.csv", {"path": str(tmp_path / "z.geojson"), "id": "name"}, tmp_path / "py"
    )
    assert (res.individuals, res.fixes, res.dropped, res.layers) == (1, 2, 0, ["zones"])
    days = pd.read_csv(res.out_dir / "time_in_zone.csv").set_index("zone")["days"]
    half_step = 2.5 / 111.2  # days: sub-steps of 5 km at 111 km a day, each counted at its midpoint
    assert days["A"] == pytest.approx(1.0, abs=half_step) and days["B"] == pytest.approx(2.0, abs=half_step)
    first = pd.read_csv(res.out_dir / "first_entry.csv")
    assert list(first["zone"]) == ["A", "B", "outside"]  # in the order the animal entered them
    entry_b = np.datetime64(first.loc[first["zone"] == "B", "time"].iloc[0])
    assert abs((entry_b - np.datetime64("2020-01-02T00:00")) / np.timedelta64(1, "D")) < 2 * half_step
    cli = CliRunner().invoke(
        app,
        ["tracks", str(tmp_path / "t.csv"), "--zones", str(tmp_path / "z.geojson"), "--id", "name"]
        + ["--out", str(tmp_path / "cli")],
    )
    assert cli.exit_code == 0, cli.output
    for name in ("time_in_zone.csv", "transitions.csv", "first_entry.csv", "tracks_clean.csv"):
        assert (tmp_path / "cli" / name).read_text() == (res.out_dir / name).read_text()
