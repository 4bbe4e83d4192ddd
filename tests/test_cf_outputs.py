"""The files of a run as the field's own tools read them: compliance-checker (CF 1.8 and 1.11), TrajAn,
GDAL/shapely for GeoJSON, Excel's UTF-8 convention for CSVs, networkx for GraphML.

Expected values come from the scenario (a uniform current, boxes) and from geometry, not from the writers.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
import shapely
import xarray as xr
import yaml
from shapely.geometry import Polygon, box
from typer.testing import CliRunner

from marinenet.cli import app

from .conftest import write_boxes, write_cf_currents

U, V = 0.3, 0.1  # m/s, the uniform current of the test scenario
SPEED = float(np.hypot(U, V))
ZONES = {"Réunion": (0, 0, 1, 1), "B": (5, 5, 6, 6), "C": (1.1, 0.3, 2.3, 1.5), "D": (6.1, 5.3, 7.3, 6.5)}


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Checking the files must never reach the network (compliance-checker could fetch a name table)."""

    def refuse(*args, **kwargs):
        raise OSError("network access in a test")

    monkeypatch.setattr(socket.socket, "connect", refuse)


def scenario(d: Path, **extra) -> Path:
    times = np.array([np.datetime64("2021-01-01") + np.timedelta64(k, "D") for k in range(10)])
    grid = np.arange(-2, 10.01, 0.25)
    write_cf_currents(d / "currents.nc", grid, grid, times, lambda X, Y: np.full(X.shape, U),
                      lambda X, Y: np.full(X.shape, V))  # fmt: skip
    write_boxes(d / "areas.geojson", ZONES)
    sc = {
        "name": "cf",
        "seed": 2,
        "ocean": {"source": "currents.nc"},
        "zones": {"areas": {"path": "areas.geojson", "id": "name"}},
        "release": {
            "from": {"layer": "areas", "ids": ["Réunion", "B"]},
            "particles": 60,
            "start": "2021-01-01T00:00",
            "every": "2 days",
            "until": "2021-01-03T00:00",  # two release events: tracks share the output times
        },
        "simulation": {"duration": "5 days", "dt": "1 hour", "output_every": "1 day", "engine": "fast"},
        "outputs": {"parquet": True, "metadata": {"creator_name": "Test Lab", "license": "CC-BY-4.0"}},
        "output": "out",
        **extra,
    }
    (d / "s.yaml").write_text(yaml.safe_dump(sc, allow_unicode=True), encoding="utf-8")
    return d / "s.yaml"


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("cf")
    res = CliRunner().invoke(app, ["run", str(scenario(d)), "--quiet", "--no-maps"])
    assert res.exit_code == 0, res.output
    return d / "out"


def _failures(path: Path, checker: str) -> dict[int, list[str]]:
    """compliance-checker's failed checks by priority (3 = high, an error; 2 = medium, a warning)."""
    from compliance_checker.runner import CheckSuite

    suite = CheckSuite()
    suite.load_all_available_checkers()
    groups, crashes = suite.run_all(suite.load_dataset(str(path)), [checker], skip_checks=[])[checker]
    assert not crashes, f"compliance-checker could not check {path.name}: {list(crashes)}"
    out: dict[int, list[str]] = {1: [], 2: [], 3: []}
    for r in groups:
        done, total = r.value if isinstance(r.value, tuple) else (int(bool(r.value)), 1)
        if done < total:
            out[r.weight] += [f"{r.name}: {m}" for m in r.msgs]
    return out


@pytest.mark.parametrize("checker", ["cf:1.8", "cf:1.11"])
def test_every_netcdf_passes_compliance_checker(run_dir, checker):
    files = sorted(run_dir.rglob("*.nc"))
    assert {f.name for f in files} >= {"trajectories.nc", "connectivity.nc", "ocean_snapshot.nc"}
    for f in files:
        fails = _failures(f, checker)
        assert fails[3] == [], f"{f.name} {checker}: {fails[3]}"


def test_trajectories_layout_and_discovery_metadata(run_dir):
    with xr.open_dataset(run_dir / "trajectories.nc") as ds:
        assert ds["time"].dims == ("time",) and ds["lon"].dims == ("trajectory", "time")
        assert ds["lon"].encoding["dtype"] == np.float32 and ds["lon"].encoding["zlib"]
        a = ds.attrs
        assert a["Conventions"] == "CF-1.10, ACDD-1.3" and a["featureType"] == "trajectory"
        assert a["creator_name"] == "Test Lab" and a["license"] == "CC-BY-4.0"
        assert a["source"].startswith("marinenet ") and a["history"] and a["date_created"].endswith("Z")
        # the release boxes and the drift east/north-east bound the tracks
        assert 0 <= a["geospatial_lon_min"] < 0.1 and 6.0 < a["geospatial_lon_max"] < 8
        assert 0 <= a["geospatial_lat_min"] < 0.1 and 6.0 < a["geospatial_lat_max"] < 7
        # two events 2 days apart, 5 days each: 7 days of output times
        assert (a["time_coverage_start"], a["time_coverage_end"]) == (
            "2021-01-01T00:00:00Z",
            "2021-01-08T00:00:00Z",
        )
        assert ds.sizes["time"] == 8


def test_trajan_reads_the_tracks(run_dir):
    """gridtime, seltime and speed work on the file; speed is the uniform current's."""
    import trajan  # noqa: F401  (registers the .traj accessor)

    ds = xr.open_dataset(run_dir / "trajectories.nc")
    released = ds["release_time"].values
    # seltime: the days 2..4 of the run, every track kept
    sub = ds.traj.seltime("2021-01-03", "2021-01-05")
    assert sub.sizes["time"] == 3 and sub.sizes["trajectory"] == ds.sizes["trajectory"]
    # gridtime: 6-hourly positions; a track moves linearly between its daily positions in a uniform flow
    g = ds.traj.gridtime("6h")
    assert g.sizes["time"] == 7 * 4 + 1 and not np.isnat(g["time"].values).any()
    first = np.flatnonzero(released == released.min())[0]
    mid = g["lat"].isel(trajectory=first).sel(time="2021-01-01T12:00").item()
    day0, day1 = ds["lat"].isel(trajectory=first, time=[0, 1]).values
    assert mid == pytest.approx((day0 + day1) / 2, abs=1e-5)
    # speed: |(u, v)| = 0.316 m/s. TrajAn measures on the WGS84 ellipsoid, the engine moves on a sphere:
    # the two differ by up to 0.6 % at these latitudes (meridian degree 110.57 km vs 111.12 km)
    speed = ds.traj.speed().values
    moving = speed[np.isfinite(speed)]
    assert moving.size > 100
    np.testing.assert_allclose(moving, SPEED, rtol=0.008)


def test_connectivity_labels_are_auxiliary_coordinates(run_dir):
    from marinenet.outputs import read_connectivity

    raw = xr.open_dataset(run_dir / "connectivity.nc")
    m = raw["areas"]
    assert m.dims == ("areas_src", "areas_dst") and m.attrs["units"] == "1" and m.dtype == np.int32
    assert "areas_source" in m.coords and raw["areas_source"].dims == ("areas_src",)
    labelled = read_connectivity(run_dir / "connectivity.nc")["areas"]
    table = pd.read_csv(run_dir / "connectivity" / "areas.csv")
    for _, row in table.iterrows():  # the labels lead to the counts of the tidy table
        assert labelled.sel(areas_source=row.source, areas_destination=row.destination).item() == row["count"]
    # drift of 5 days in (U, V) carries Réunion's particles into C and B's into D
    assert (
        labelled.sel(areas_source="Réunion", areas_destination="C").item()
        == table[table.source == "Réunion"]["count"].sum()
    )


def test_snapshot_coordinates_have_no_fill_value(run_dir):
    import netCDF4

    with netCDF4.Dataset(run_dir / "ocean_snapshot.nc") as nc:
        for name in ("lon", "lat"):
            assert "_FillValue" not in nc[name].ncattrs()
        assert nc["time"].dtype == np.float64


def test_csvs_open_in_excel_with_accents(run_dir):
    raw = (run_dir / "connectivity" / "areas.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with the byte-order mark
    assert "Réunion" in raw.decode("utf-8-sig")
    table = pd.read_csv(run_dir / "connectivity" / "areas.csv")  # pandas strips the mark
    assert table.columns[0] == "source" and "Réunion" in set(table["source"])
    for csv in run_dir.rglob("*.csv"):
        assert csv.read_bytes().startswith(b"\xef\xbb\xbf"), csv


def test_graphml_nodes_carry_positions_inside_their_zone(run_dir):
    g = nx.read_graphml(run_dir / "network" / "areas.graphml")
    for zone, bounds in ZONES.items():
        node = g.nodes[zone]
        assert shapely.contains_xy(box(*bounds), node["lon"], node["lat"]), zone


def test_parquet_points_match_the_netcdf(run_dir):
    pts = gpd.read_parquet(run_dir / "trajectories.parquet")
    with xr.open_dataset(run_dir / "trajectories.nc") as ds:
        assert len(pts) == int(np.isfinite(ds["lon"].values).sum())
        row = pts.iloc[len(pts) // 2]
        lon = ds["lon"].sel(trajectory=row["trajectory"], time=row["time"]).item()
    assert row["lon"] == lon and row.geometry.x == pytest.approx(lon)
    assert pts.crs is not None and pts.crs.equals("OGC:CRS84")


def test_zone_files_are_valid_rfc7946(run_dir):
    from marinenet.geojson_out import geojson_problems

    for f in (run_dir / "zones").glob("*.geojson"):
        doc = json.loads(f.read_text(encoding="utf-8"))
        assert "crs" not in doc and geojson_problems(f) == []


def test_rounding_cannot_make_a_zone_self_intersect(tmp_path):
    """A vertex 4e-8° above the opposite edge: rounded naively to 7 decimals it lands on that edge."""
    from marinenet.geojson_out import geojson_problems, write_geojson

    ring = [(0, 0), (0, 1), (0.50000004, 0.00000004), (1, 1), (1, 0)]  # clockwise, as files often are
    poly = Polygon(ring)
    assert poly.is_valid and not poly.exterior.is_ccw
    naive = Polygon([(round(x, 7), round(y, 7)) for x, y in ring])
    assert not naive.is_valid  # what plain rounding would write
    frame = gpd.GeoDataFrame({"id": ["spike"]}, geometry=[poly], crs="EPSG:4326")
    write_geojson(frame, tmp_path / "z.geojson")
    assert geojson_problems(tmp_path / "z.geojson") == []
    back = gpd.read_file(tmp_path / "z.geojson")
    assert back.geometry[0].area == pytest.approx(poly.area, rel=1e-6)


@pytest.fixture(scope="module", params=["fast", "parcels"])
def larva_dir(request, tmp_path_factory) -> Path:
    """Larvae with survival weights and settlement: weighted and ``<layer>.settlement`` matrices, both engines."""
    d = tmp_path_factory.mktemp(f"cf_larva_{request.param}")
    larva = {
        "kind": "larva",
        "pld": "5 days",
        "competency": ["2 days", "5 days"],
        "mortality": "0.1 per day",
        "mortality_mode": "weights",
        "settle_in": {"layer": "areas"},
    }
    sim = {"duration": "5 days", "dt": "1 hour", "output_every": "1 day", "engine": request.param}
    release = {"from": {"layer": "areas", "ids": ["Réunion", "B"]}, "particles": 40, "start": "2021-01-01"}
    path = scenario(d, behaviour=larva, simulation=sim, release=release, outputs={})
    res = CliRunner().invoke(app, ["run", str(path), "--quiet", "--no-maps"])
    assert res.exit_code == 0, res.output
    return d / "out"


def test_larva_run_files_pass_the_checkers_and_trajan(larva_dir):
    import trajan  # noqa: F401

    from marinenet.outputs import read_connectivity

    for f in sorted(larva_dir.rglob("*.nc")):
        for checker in ("cf:1.8", "cf:1.11"):
            assert _failures(f, checker)[3] == [], (f.name, checker)
    raw = xr.open_dataset(larva_dir / "connectivity.nc")
    assert "areas_settlement" in raw and raw["areas_settlement"].attrs["matrix"] == "areas.settlement"
    m = read_connectivity(larva_dir / "connectivity.nc")["areas.settlement"]
    table = pd.read_csv(larva_dir / "connectivity" / "areas.settlement.csv")
    for _, row in table.iterrows():  # weighted counts: the CSV's 6 significant digits
        got = m.sel({"areas.settlement_source": row.source, "areas.settlement_destination": row.destination})
        assert got.item() == pytest.approx(row["count"], rel=1e-5, abs=1e-9)
    ds = xr.open_dataset(larva_dir / "trajectories.nc")
    assert ds["survival_weight"].attrs["units"] == "1"
    speed = ds.traj.speed().values
    moving = speed[np.isfinite(speed) & (speed > 0)]
    assert moving.size > 20
    np.testing.assert_allclose(moving, SPEED, rtol=0.008)


def _tracks(n_kept: int, total: int = 30, n_obs: int = 6):
    from marinenet.engine.base import Trajectories

    rng = np.random.default_rng(0)
    times = np.datetime64("2021-01-01", "ns") + np.arange(n_obs) * np.timedelta64(86400, "s")
    lon = rng.uniform(0, 5, (n_kept, n_obs))
    lon[:, -2:] = np.nan  # stopped before the end
    return Trajectories(
        times=times, lon=lon, lat=lon / 2, status=rng.integers(0, 3, total).astype(np.int8),
        end_lon=rng.uniform(0, 5, total), end_lat=rng.uniform(0, 2, total),
        end_time=np.full(total, times[-3]), engine="fast", particle_steps=1, engine_seconds=0.1,
        coast_contacts=rng.integers(0, 3, total), weight=rng.uniform(0, 1, total),
        depth=np.full((n_kept, n_obs), 10.0), kept=np.linspace(0, total - 1, n_kept).astype(int),
    )  # fmt: skip


@pytest.mark.parametrize("n_kept", [0, 7], ids=["no tracks stored", "3-D subset"])
def test_every_optional_variable_passes_the_checkers(tmp_path, n_kept):
    """3-D depths, survival weights, coast contacts, a stored subset, and a run that stores no tracks."""
    from marinenet.cfmeta import run_attributes
    from marinenet.outputs import write_trajectories

    traj = _tracks(n_kept)
    source = np.array([f"Z{i % 3}" for i in range(30)], dtype=object)
    attrs = {**run_attributes("t", False), "title": "t", "summary": "s"}
    write_trajectories(tmp_path / "t.nc", traj, source, traj.times[0], attrs)
    for checker in ("cf:1.8", "cf:1.11"):
        assert _failures(tmp_path / "t.nc", checker)[3] == [], checker
    with xr.open_dataset(tmp_path / "t.nc") as ds:
        assert ds.sizes["trajectory"] == n_kept and ds["depth"].dims == ("trajectory", "time")
        assert ds.attrs["geospatial_lon_max"] <= 5  # end positions of every particle count


def test_parquet_without_pyarrow_is_refused_before_the_run(tmp_path, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "pyarrow" else real(name, *a)
    )
    res = CliRunner().invoke(app, ["validate", str(scenario(tmp_path)), "--quick"])
    assert res.exit_code == 2 and "outputs.parquet" in res.output and "pip install pyarrow" in res.output
