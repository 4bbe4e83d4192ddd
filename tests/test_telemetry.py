"""Telemetry: real tracks through the same zone analytics as simulated particles."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import MultiPolygon, box
from typer.testing import CliRunner

from marinenet.cli import app
from marinenet.errors import InputDataError
from marinenet.telemetry import analyse_tracks, read_tracks, speed_filter
from marinenet.zones import layer_from_frame

from .conftest import SHARED_DATA

TRACKING = SHARED_DATA / "tracking"


def _layer(boxes):
    geoms = [
        MultiPolygon([box(*b) for b in bs]) if isinstance(bs, list) else box(*bs) for bs in boxes.values()
    ]
    return layer_from_frame("z", gpd.GeoDataFrame({"id": list(boxes)}, geometry=geoms, crs="EPSG:4326"))


def test_time_in_zone_transitions_and_first_entry_by_hand(tmp_path):
    # one animal on the equator from 0° to 4°E in 4 days at constant speed; zone A = [0, 1]°, B = [1, 3]°
    f = tmp_path / "t.csv"
    pd.DataFrame(
        {
            "id": ["x", "x"],
            "time": ["2020-01-01T00:00", "2020-01-05T00:00"],
            "lon": [0.0, 4.0],
            "lat": [0.0, 0.0],
        }
    ).to_csv(f, index=False)
    tracks = read_tracks(f)
    res = analyse_tracks(tracks, _layer({"A": (0, -1, 1, 1), "B": (1, -1, 3, 1)}), step_km=1.0)
    days = res.time_in_zone.set_index("zone")["days"]
    assert days["A"] == pytest.approx(1.0, abs=0.01) and days["B"] == pytest.approx(2.0, abs=0.01)
    assert days["outside"] == pytest.approx(1.0, abs=0.01) and days.sum() == pytest.approx(4.0)
    tr = res.transitions
    assert list(zip(tr["from"], tr["to"], strict=True)) == [("A", "B"), ("B", "outside")]
    entry_b = tr.loc[tr["to"] == "B", "time"].iloc[0]
    assert abs((entry_b - np.datetime64("2020-01-02T00:00")) / np.timedelta64(1, "h")) < 1.0


def test_speed_filter_removes_a_spike(tmp_path):
    f = tmp_path / "t.csv"
    pd.DataFrame(
        {
            "id": ["x"] * 4,
            "time": pd.date_range("2020-01-01", periods=4, freq="6h").astype(str),
            "lon": [0.0, 0.1, 5.0, 0.2],
            "lat": [0.0, 0.0, 0.0, 0.0],
        }
    ).to_csv(f, index=False)
    clean, dropped = speed_filter(read_tracks(f), 15.0)
    assert dropped == 1 and clean["lon"].tolist() == [0.0, 0.1, 0.2]


def test_dateline_crossing_is_a_short_hop(tmp_path):
    f = tmp_path / "t.csv"
    pd.DataFrame(
        {"id": ["x", "x"], "time": ["2020-01-01", "2020-01-03"], "lon": [179.0, -179.0], "lat": [30.0, 30.0]}
    ).to_csv(f, index=False)
    tracks = read_tracks(f)
    clean, dropped = speed_filter(tracks, 15.0)  # 193 km in 48 h: plausible
    assert dropped == 0
    layer = _layer({"W": (178, 29, 180, 31), "E": (-180, 29, -178, 31), "far": (0, 29, 10, 31)})
    res = analyse_tracks(clean, layer, step_km=1.0)
    days = res.time_in_zone.set_index("zone")["days"]
    assert days["W"] == pytest.approx(1.0, abs=0.02) and days["E"] == pytest.approx(1.0, abs=0.02)
    assert "far" not in days  # never the long way round


def test_loggerheads_cross_the_dateline_and_keep_their_time():
    path = TRACKING / "loggerhead_obis_seamap_758_segments.csv"
    if not path.exists():
        pytest.skip("../shared/data is not present")
    with pytest.raises(InputDataError, match="two positions at the same time, e.g. '16129_03'"):
        read_tracks(path)  # six segment ends disagree with the next segment's start (by 1 to 30 km)
    tracks = read_tracks(path, conflicts="drop")
    assert tracks.attrs["conflicting_fixes_dropped"] == 12
    assert tracks["individual"].nunique() == 17 and tracks["lon"].min() < -179 and tracks["lon"].max() > 179
    clean, dropped = speed_filter(tracks, 15.0)
    assert 0 < dropped < 0.15 * len(tracks)
    layer = _layer({"Dateline": [(170, 20, 180, 45), (-180, 20, -170, 45)], "Hawaii": (-165, 15, -150, 30)})
    res = analyse_tracks(clean, layer)
    # every day of every track is attributed to exactly one zone (or outside)
    span = clean.groupby("individual")["time"].agg(lambda t: (t.max() - t.min()) / np.timedelta64(1, "D"))
    total = res.time_in_zone.groupby("individual")["days"].sum()
    np.testing.assert_allclose(total.sort_index(), span.sort_index(), rtol=1e-9)
    crossed = res.transitions[(res.transitions["to"] == "Dateline")]["individual"].nunique()
    assert crossed >= 3 and res.time_in_zone.query("zone == 'Dateline'")["days"].sum() > 100


def test_tracks_command_on_the_grey_seal(tmp_path):
    path = TRACKING / "grey_seal_movebank_mcconnell.csv"
    if not path.exists():
        pytest.skip("../shared/data is not present")
    zones = tmp_path / "z.geojson"
    gpd.GeoDataFrame(
        {"name": ["Firth of Forth", "Outer North Sea"]},
        geometry=[box(-3.5, 55.9, -2.0, 56.6), box(-2.0, 54.0, 5.0, 60.0)],
        crs="EPSG:4326",
    ).to_file(zones)
    res = CliRunner().invoke(
        app, ["tracks", str(path), "--zones", str(zones), "--id", "name", "--out", str(tmp_path / "out")]
    )
    assert res.exit_code == 0, res.output
    tiz = pd.read_csv(tmp_path / "out" / "time_in_zone.csv")
    assert set(tiz.columns) == {"individual", "zone", "days"} and tiz["days"].sum() > 1
    assert {"Firth of Forth", "Outer North Sea"} <= set(tiz["zone"])
    tr = pd.read_csv(tmp_path / "out" / "transitions.csv")
    assert list(tr.columns) == ["individual", "from", "to", "time"] and len(tr) > 0
    bad = CliRunner().invoke(
        app, ["tracks", str(path), "--zones", str(zones), "--id", "nope", "--out", str(tmp_path / "o2")]
    )
    assert bad.exit_code == 2 and "id field 'nope' not found" in bad.output
