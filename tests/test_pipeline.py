"""End to end: scenario files in, run directory out, through the CLI as a user would."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr
import yaml
from typer.testing import CliRunner

from marinenet.cli import app

from .conftest import DEG2M, write_boxes, write_cf_currents

REPO = Path(__file__).resolve().parents[1]
U, V = 0.3, 0.1  # m/s


def _invoke(*args):
    return CliRunner().invoke(app, list(map(str, args)))


@pytest.fixture(scope="module")
def contract_run(tmp_path_factory):
    """A scenario written only from ARCHITECTURE.md: own CF netCDF, own GeoJSON layer, two release polygons."""
    d = tmp_path_factory.mktemp("contract")
    times = np.array([np.datetime64("2021-01-01") + np.timedelta64(k, "D") for k in range(8)])
    write_cf_currents(
        d / "currents.nc",
        np.arange(-2, 10.01, 0.25),
        np.arange(-2, 10.01, 0.25),
        times,
        lambda X, Y: np.full(X.shape, U),
        lambda X, Y: np.full(X.shape, V),
    )
    write_boxes(
        d / "areas.geojson",
        {
            "A": (0, 0, 1, 1),
            "B": (5, 5, 6, 6),  # release areas
            "C": (1.1, 0.3, 2.3, 1.5),
            "D": (6.1, 5.3, 7.3, 6.5),  # where 5 days of drift take them
        },
    )
    (d / "s.yaml").write_text(
        yaml.safe_dump(
            {
                "name": "contract",
                "seed": 3,
                "ocean": {"source": "currents.nc"},
                "zones": {"areas": {"path": "areas.geojson", "id": "name"}},
                "release": {
                    "from": {"layer": "areas", "ids": ["A", "B"]},
                    "particles": 400,
                    "start": "2021-01-01T00:00",
                },
                "simulation": {"duration": "5 days", "dt": "1 hour", "output_every": "1 day"},
                "output": "out",
            }
        )
    )
    res = _invoke("run", d / "s.yaml", "--no-maps", "--quiet")
    assert res.exit_code == 0, res.output
    return d / "out"


def _gudermann_inv(lat_deg):
    return np.log(np.tan(np.pi / 4 + np.deg2rad(lat_deg) / 2))


def test_contract_displacements_are_exact(contract_run):
    """Constant (u, v) on the sphere: φ grows linearly, λ follows the loxodrome
    Δλ = (u/v)·(180/π)·[gd⁻¹(φ1) − gd⁻¹(φ0)]. Required within 0.2 %."""
    tr = xr.open_dataset(contract_run / "trajectories.nc")
    assert tr.attrs["featureType"] == "trajectory" and tr["trajectory"].attrs["cf_role"] == "trajectory_id"
    # float64 for the closed form (positions are stored as float32, ~1 m)
    lat0, lon0 = tr["lat"].isel(time=0).values.astype(float), tr["lon"].isel(time=0).values.astype(float)
    t = 5 * 86400.0
    dlat = V * t / DEG2M
    np.testing.assert_allclose(tr["end_lat"].values - lat0, dlat, rtol=2e-3)
    dlon = (U / V) * np.rad2deg(_gudermann_inv(lat0 + dlat) - _gudermann_inv(lat0))
    np.testing.assert_allclose(tr["end_lon"].values - lon0, dlon, rtol=2e-3)
    # and in fact to round-off: RK4 integrates this smooth flow essentially exactly
    np.testing.assert_allclose(tr["end_lon"].values - lon0, dlon, rtol=1e-6)


def test_contract_connectivity(contract_run):
    every = pd.read_csv(contract_run / "connectivity" / "areas.csv")
    assert len(every) == 2 * 7  # every (source, zone or outcome) pair has a row, zero counts included
    table = every[every["count"] > 0].reset_index(drop=True)
    assert set(map(tuple, table[["source", "destination"]].values)) == {("A", "C"), ("B", "D")}
    assert table["fraction"].tolist() == [1.0, 1.0]
    n = dict(zip(table.source, table["count"], strict=True))
    assert n["A"] + n["B"] == 400
    # uniform by area: B (5–6°N) is smaller than A (0–1°N) by the cosine of latitude
    area_ratio = (np.sin(np.deg2rad(6)) - np.sin(np.deg2rad(5))) / np.sin(np.deg2rad(1))
    assert abs(n["B"] - 400 * area_ratio / (1 + area_ratio)) < 1
    nc = xr.open_dataset(contract_run / "connectivity.nc")
    m = nc["areas"]
    assert int(m.sel(areas_source="A", areas_destination="C")) == n["A"]
    assert list(m["areas_destination"].values[-3:]) == ["outside", "stranded", "out_of_domain"]


def test_contract_outputs_and_summary(contract_run):
    for f in (
        "scenario.resolved.yaml",
        "summary.json",
        "trajectories.nc",
        "connectivity.nc",
        "run.log",
        "connectivity/areas.csv",
        "zones/areas.geojson",
    ):
        assert (contract_run / f).is_file(), f
    s = json.loads((contract_run / "summary.json").read_text())
    assert s["particles_released"] == 400 and s["engine"] == "fast" and s["synthetic"] is False
    assert s["active_at_end"] + s["stranded"] + s["out_of_domain"] + s["errors"] == 400
    assert s["particle_steps"] == 400 * 120
    resolved = yaml.safe_load((contract_run / "scenario.resolved.yaml").read_text())
    assert resolved["versions"]["parcels"] == "4.0.2"
    assert resolved["simulation"]["dt"] == "1 hour"


@pytest.mark.slow
def test_demo_runs_end_to_end(tmp_path):
    sc = yaml.safe_load((REPO / "scenarios" / "demo.yaml").read_text())
    sc["release"]["particles"] = 300
    sc["simulation"]["duration"] = "4 days"
    sc["output"] = str(tmp_path / "demo")
    (tmp_path / "demo.yaml").write_text(yaml.safe_dump(sc))
    res = _invoke("run", tmp_path / "demo.yaml")
    assert res.exit_code == 0, res.output
    out = tmp_path / "demo"
    s = json.loads((out / "summary.json").read_text())
    assert s["synthetic"] is True and s["particles_released"] == 300
    for layer in ("eez", "ebsa", "mpa"):
        t = pd.read_csv(out / "connectivity" / f"{layer}.csv")
        assert t["count"].sum() == 300
        assert np.allclose(t.groupby("source")["fraction"].sum(), 1.0)
        assert (out / "maps" / f"connectivity_{layer}.png").stat().st_size > 10_000
    eez = pd.read_csv(out / "connectivity" / "eez.csv")
    released = eez.groupby("source")["count"].sum()
    assert set(released.index) == {"Aldoria", "Brevia", "Corvania", "Delmar", "Estrel", "Faro", "ABNJ"}
    for png in ("trajectories.png", "currents.png"):
        assert (out / "maps" / png).stat().st_size > 50_000
    tr = xr.open_dataset(out / "trajectories.nc")
    assert "SYNTHETIC" in tr.attrs["title"] and tr.sizes["time"] == 5
    assert "tracking done" in (out / "run.log").read_text()


# ---------------------------------------------------------------- bad input
def _scenario(tmp_path, **over):
    base = {
        "name": "bad",
        "ocean": {"source": "currents.nc"},
        "zones": {"areas": {"path": "areas.geojson", "id": "name"}},
        "release": {"from": {"layer": "areas"}, "particles": 20, "start": "2021-01-01T00:00"},
        "simulation": {"duration": "2 days"},
    }
    base.update(over)
    f = tmp_path / "s.yaml"
    f.write_text(yaml.safe_dump(base))
    return f


@pytest.fixture
def inputs(tmp_path):
    times = np.array([np.datetime64("2021-01-01") + np.timedelta64(k, "D") for k in range(4)])
    write_cf_currents(
        tmp_path / "currents.nc",
        np.arange(0, 5.01, 0.5),
        np.arange(0, 5.01, 0.5),
        times,
        lambda X, Y: np.full(X.shape, 0.1),
        lambda X, Y: np.zeros(X.shape),
    )
    write_boxes(tmp_path / "areas.geojson", {"A": (1, 1, 2, 2)})
    return tmp_path


def test_failed_run_keeps_the_previous_output(inputs):
    out = inputs / "out"
    assert _invoke("run", _scenario(inputs), "--out", out, "--no-maps", "-q").exit_code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    bad = _scenario(
        inputs, release={"from": {"layer": "areas"}, "particles": 20, "start": "2021-01-03T00:00"}
    )
    res = _invoke("run", bad, "--out", out, "--no-maps", "-q")
    assert res.exit_code == 2
    assert "covers 2021-01-01" in res.output and "simulation needs" in res.output
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in inputs.iterdir() if p.name.startswith(".")) == []  # no staging left


def test_output_into_a_foreign_folder_is_refused(inputs):
    foreign = inputs / "mydocs"
    foreign.mkdir()
    (foreign / "thesis.tex").write_text("precious")
    res = _invoke("run", _scenario(inputs), "--out", foreign, "-q")
    assert res.exit_code == 2 and "not empty" in res.output
    assert (foreign / "thesis.tex").read_text() == "precious"


def _still_water(d, **kwargs):
    """A 3×3 still-water currents file with the given writer options (names, units ...)."""
    times = np.array(["2021-01-01", "2021-01-05"], dtype="datetime64[ns]")
    zero = lambda X, Y: X * 0  # noqa: E731
    return write_cf_currents(d / "currents.nc", [0, 1, 2], [0, 1, 2], times, zero, zero, **kwargs)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: _still_water(d, names=("a", "b"), std=False), "no velocity variables found"),
        (lambda d: _still_water(d, units="knots"), "has units 'knots'; expected m/s"),
        (
            lambda d: write_boxes(d / "areas.geojson", {"A": (1, 1, 2, 2)}, id_field="zone"),
            "id field 'name' not found; fields present: zone",
        ),
        (lambda d: write_boxes(d / "areas.geojson", {"A": (50, 50, 51, 51)}), "lies outside the ocean data"),
    ],
)
def test_bad_data_files_exit_2_with_a_useful_message(inputs, make, message):
    make(inputs)
    res = _invoke("run", _scenario(inputs), "--out", inputs / "o", "-q")
    assert res.exit_code == 2, res.output
    assert message in res.output and "Traceback" not in res.output
    assert not (inputs / "o").exists()


def test_unknown_release_id_lists_the_ids(inputs):
    f = _scenario(
        inputs,
        release={"from": {"layer": "areas", "ids": ["Z"]}, "particles": 5, "start": "2021-01-01T00:00"},
    )
    res = _invoke("validate", f)
    assert res.exit_code == 2 and "['Z'] not in layer 'areas'; its ids are: A" in res.output


def test_python_api_matches_the_cli(inputs):
    import marinenet

    sc = marinenet.load_scenario(_scenario(inputs))
    result = marinenet.run(sc, out=inputs / "api", maps=False)
    assert result.connectivity["areas"]["count"].sum() == 20
    assert (inputs / "api" / "summary.json").is_file()


def test_regular_grid_layer(inputs):
    """Connectivity between 1° cells: 0.1 m/s eastward for 2 days moves 0.16°, so the cell 1E_1N feeds itself
    and 2E_1N (from its eastern 0.16°)."""
    f = _scenario(
        inputs,
        zones={"cells": {"source": "grid", "cell": 1.0}},
        release={"from": {"points": [[1.5, 1.5], [1.95, 1.5]]}, "particles": 3, "start": "2021-01-01T00:00"},
    )
    res = _invoke("run", f, "--out", inputs / "g", "--no-maps", "-q")
    assert res.exit_code == 0, res.output
    t = pd.read_csv(inputs / "g" / "connectivity" / "cells.csv")
    t = t[t["count"] > 0]
    assert set(map(tuple, t[["source", "destination"]].values)) == {("1E_1N", "1E_1N"), ("1E_1N", "2E_1N")}
    assert t["count"].sum() == 6 and t.set_index("destination").loc["2E_1N", "origin_share"] == 1.0


def test_ensemble_over_release_dates(inputs):
    f = _scenario(inputs, simulation={"duration": "1 day"})
    res = _invoke("ensemble", f, "--starts", "2021-01-01,2021-01-02", "--out", inputs / "ens")
    assert res.exit_code == 0, res.output
    spread = pd.read_csv(inputs / "ens" / "ensemble" / "areas.csv")
    assert (spread["members"] == 2).all() and (spread["sd"] >= 0).all()
    assert (inputs / "ens" / "members" / "2021-01-02T0000" / "summary.json").exists()
    bad = _invoke("ensemble", f, "--starts", "2021-01-01", "--out", inputs / "ens2")
    assert bad.exit_code == 2 and "at least two release dates" in bad.output
