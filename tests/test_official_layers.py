"""A scenario with an official-format EEZ layer: connectivity at EEZ, territory and sovereign level."""

import numpy as np
import pandas as pd
import pytest
import shapely
import yaml
from typer.testing import CliRunner

from marinenet.cli import app

from .conftest import DEG2M, write_cf_currents
from .test_pipeline import _gudermann_inv
from .zone_fixtures import marineregions_frame

U, V = 0.3, 0.5  # m/s: north-east, out of New Caledonia towards Vanuatu, the shared zones and the high seas
DAYS = 10


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("official")
    marineregions_frame().to_file(d / "eez_v12.gpkg", driver="GPKG")
    times = np.array([np.datetime64("2021-01-01") + np.timedelta64(k, "D") for k in range(DAYS + 2)])
    write_cf_currents(
        d / "currents.nc",
        np.arange(155, 179.01, 0.25),
        np.arange(-30, -5.01, 0.25),
        times,
        lambda X, Y: np.full(X.shape, U),
        lambda X, Y: np.full(X.shape, V),
    )
    (d / "s.yaml").write_text(
        yaml.safe_dump(
            {
                "name": "official",
                "seed": 2,
                "ocean": {"source": "currents.nc"},
                "zones": {"eez": {"path": "eez_v12.gpkg", "format": "marineregions"}},
                "release": {
                    "from": {"layer": "eez", "ids": ["New Caledonian Exclusive Economic Zone"]},
                    "particles": 2000,
                    "start": "2021-01-01T00:00",
                },
                "simulation": {"duration": f"{DAYS} days"},
                "output": "out",
            }
        )
    )
    res = CliRunner().invoke(app, ["run", str(d / "s.yaml"), "--quiet"])
    assert res.exit_code == 0, res.output
    return d / "out"


def _expected_end(lon0, lat0):
    t = DAYS * 86400.0
    lat1 = lat0 + V * t / DEG2M
    return lon0 + (U / V) * np.rad2deg(_gudermann_inv(lat1) - _gudermann_inv(lat0)), lat1


def _expected_zone(lon, lat, level):
    """Hand-written truth from the fixture's boxes (see zone_fixtures.MR_ROWS)."""
    shared = {
        "territory": (
            "Joint regime area: Fiji / New Caledonia",
            "Overlapping claim: New Caledonia / Vanuatu",
        ),
        "sovereign": (
            "Joint regime area: Fiji / New Caledonia",
            "Overlapping claim: New Caledonia / Vanuatu",
        ),
    }[level]
    owner = {"territory": ("New Caledonia", "Vanuatu"), "sovereign": ("France", "Vanuatu")}[level]
    if 160 <= lon <= 170 and -25 <= lat <= -18:
        return owner[0]
    if 170 <= lon <= 174 and -25 <= lat <= -18:
        return shared[0]
    if 165 <= lon <= 170 and -18 <= lat <= -15:
        return shared[1]
    if 165 <= lon <= 171 and -15 <= lat <= -12:
        return owner[1]
    return "ABNJ"


@pytest.mark.parametrize("level", ["territory", "sovereign"])
def test_connectivity_at_each_level_matches_the_analytic_drift(run_dir, level):
    import xarray as xr

    tr = xr.open_dataset(run_dir / "trajectories.nc")
    lon1, lat1 = _expected_end(tr["lon"].isel(time=0).values, tr["lat"].isel(time=0).values)
    truth = pd.Series([_expected_zone(x, y, level) for x, y in zip(lon1, lat1, strict=True)]).value_counts()
    table = pd.read_csv(run_dir / "connectivity" / f"eez_{level}.csv")
    source = "New Caledonia" if level == "territory" else "France"
    assert set(table["source"]) == {source}
    got = table.set_index("destination")["count"]
    # particles within a hair of a box edge may go either way: allow a handful
    for zone in set(truth.index) | set(got.index):
        assert abs(got.get(zone, 0) - truth.get(zone, 0)) <= 3, zone
    assert got["ABNJ"] > 100 and got.sum() == 2000


def test_eez_level_table_and_abnj(run_dir):
    table = pd.read_csv(run_dir / "connectivity" / "eez.csv")
    assert set(table["source"]) == {"New Caledonian Exclusive Economic Zone"}
    assert {"ABNJ", "Vanuatu Exclusive Economic Zone", "Joint regime area: Fiji / New Caledonia"} <= set(
        table["destination"]
    )
    assert table["count"].sum() == 2000
    assert table["fraction"].sum() == pytest.approx(1.0)
    import geopandas as gpd

    zones = gpd.read_file(run_dir / "zones" / "eez_sovereign.geojson")
    abnj = zones.set_index("id").geometry["ABNJ"]  # derived: the forcing domain minus the EEZs
    assert abnj.contains(shapely.Point(172.0, -14.0)) and not abnj.contains(shapely.Point(165.0, -20.0))
    log = (run_dir / "run.log").read_text()
    assert "10.14284/632" in log  # the citation of the layer is recorded with the run
