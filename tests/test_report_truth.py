"""The report's findings, maps and files: the two known crashes, ranking rules, baselines, notes."""

from __future__ import annotations

import json
import logging
import math
import re
import shutil
from types import SimpleNamespace

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import xarray as xr
import yaml
from shapely.geometry import box
from typer.testing import CliRunner

from marinenet.cli import app
from marinenet.report.findings import make_findings
from marinenet.summary import Summary

from .conftest import write_boxes, write_cf_currents

T0 = np.datetime64("2021-01-01T00:00")


def _jeffreys(k: float, n: float) -> tuple[float, float]:
    """Jeffreys 95 % interval written out here: Beta(k + ½, n − k + ½) quantiles, open at 0 and n."""
    from scipy.stats import beta

    lo = 0.0 if k == 0 else beta.ppf(0.025, k + 0.5, n - k + 0.5)
    hi = 1.0 if k == n else beta.ppf(0.975, k + 0.5, n - k + 0.5)
    return lo, hi


# ---------------------------------------------------------------- the two known crashes, as runs and figures


@pytest.fixture(scope="module")
def carried_away(tmp_path_factory):
    """Particles released in A only, a uniform eastward current carries all of them out of A (none retained)."""
    d = tmp_path_factory.mktemp("carried")
    times = np.array([T0 + np.timedelta64(k, "D") for k in range(7)])
    write_cf_currents(
        d / "c.nc",
        np.arange(0, 6.01, 0.25),
        np.arange(0, 4.01, 0.25),
        times,
        lambda X, Y: np.full(X.shape, 0.6),
        lambda X, Y: np.zeros(X.shape),
    )
    write_boxes(d / "z.geojson", {"A": (0.5, 0.5, 2, 3.5), "B": (2.5, 0.5, 4, 3.5)})
    sc = {
        "name": "carried",
        "seed": 1,
        "ocean": {"source": "c.nc"},
        "zones": {"eez": {"path": "z.geojson", "id": "name", "outside": "ABNJ"}},
        "release": {"from": {"layer": "eez", "ids": ["A"]}, "particles": 20, "start": "2021-01-01T00:00"},
        "simulation": {"duration": "4 days", "output_every": "12 hours", "engine": "fast"},
        "output": "out",
    }
    (d / "s.yaml").write_text(yaml.safe_dump(sc))
    res = CliRunner().invoke(app, ["run", str(d / "s.yaml"), "--quiet"])
    return d, res


def test_particles_carried_out_of_their_zone_do_not_crash_the_report(carried_away):
    """Before: headline_findings took idxmax of an all-NaN local retention; the run exited 1, nothing kept."""
    d, res = carried_away
    assert res.exit_code == 0, res.output
    idx = pd.read_csv(d / "out" / "indices" / "eez.csv").set_index("zone")
    assert idx.loc["A", "local_retention"] == 0 and math.isnan(idx.loc["B", "local_retention"])
    html = (d / "out" / "report.html").read_text()
    assert "Of the 20 particles released in A, 0.0 %" in html


def test_density_map_survives_a_first_particle_that_dies_before_the_second_output(tmp_path):
    """Before: the output step was read from particle 0 (NaT) -> LogNorm(1, nan) -> 'inverse' ValueError."""
    from marinenet.report.maps import output_interval_days, plot_density

    t = np.array([[T0 + np.timedelta64(12 * j, "h") for j in range(4)]] * 3, dtype="datetime64[ns]")
    lon = np.tile(1.0 + 0.1 * np.arange(4), (3, 1))
    lat = np.full((3, 4), 2.0)
    t[0, 1:], lon[0, 1:], lat[0, 1:] = np.datetime64("NaT"), np.nan, np.nan
    traj = xr.Dataset({v: (("trajectory", "obs"), a) for v, a in (("lon", lon), ("lat", lat), ("time", t))})
    lo, la = np.arange(0, 5.01, 0.25), np.arange(0, 4.01, 0.25)
    land = xr.DataArray(
        np.zeros((la.size, lo.size), bool), coords={"lat": la, "lon": lo}, dims=("lat", "lon")
    )
    assert output_interval_days(traj) == 0.5
    assert plot_density(traj, land, None, tmp_path / "d.png", "t").stat().st_size > 1000


def test_a_failing_figure_is_a_note_and_a_failing_report_keeps_the_run(
    carried_away, tmp_path, monkeypatch, caplog
):
    d, _ = carried_away
    copy = tmp_path / "copy"
    shutil.copytree(d / "out", copy)
    import marinenet.report.build as build

    def broken(*a, **k):
        raise RuntimeError("boom")

    monkeypatch.setattr(build, "plot_currents", broken)
    with caplog.at_level(logging.WARNING, logger="marinenet"):
        res = CliRunner().invoke(app, ["report", str(copy)])
    assert res.exit_code == 0, res.output
    html = (copy / "report.html").read_text()
    assert "Currents: could not be drawn (RuntimeError: boom)" in html
    assert any("figure 'Currents' skipped" in r.getMessage() for r in caplog.records)
    # the whole report failing: the run still exits 0 with every table, and says so
    monkeypatch.setattr(build, "build_report", broken)
    sc = yaml.safe_load((d / "s.yaml").read_text())
    sc["output"] = str(tmp_path / "again")
    (d / "s2.yaml").write_text(yaml.safe_dump(sc))
    res = CliRunner().invoke(app, ["run", str(d / "s2.yaml")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "again" / "connectivity" / "eez.csv").exists()
    assert "no report" in res.output and "report not written" in (tmp_path / "again" / "run.log").read_text()


def test_report_page_lists_files_without_local_paths_and_scenario_without_nulls(carried_away):
    d, _ = carried_away
    html = (d / "out" / "report.html").read_text()
    files = re.search(r"Files of this run</h2>(.*?)</ul>", html, re.S).group(1)
    for name in ("summary.json", "connectivity/eez.csv", "report.html", "brief.pdf", "trajectories.nc"):
        assert f"<a href='{name}'>{name}</a>" in files
    assert str(d) not in html and "null" not in html.split("<h2>Scenario")[1]
    assert "<details>" in html.split("<h2>Scenario")[1]
    scenario = html.split("<h2>Scenario")[1].split("</details>")[0]
    assert "persistence" not in scenario and "kind: passive" in scenario  # no swimmer keys for drifters
    alts = re.findall(r'<img alt="([^"]*)"', html)
    assert alts and all(len(a) > 40 for a in alts)  # a sentence, not a file stem


# ---------------------------------------------------------------- findings rules on hand-made tables


def _fake_run(
    tmp_path, indices, connectivity=None, arrivals=None, protection=None, zones=None, snapshot=None
):
    summary = {
        "name": "t",
        "particles_released": int(connectivity["count"].sum()) if connectivity is not None else 0,
        "start": "2021-01-01T00:00:00",
        "end": "2021-01-31T00:00:00",
        "active_at_end": 0,
        "layers": {
            "eez": {"zones": 2, "outside_label": "ABNJ", "role": "eez", "high_seas": "ABNJ"},
            **{n: {"zones": len(g), "outside_label": "outside", "role": n} for n, g in (zones or {}).items()},
        },
        "trajectories_stored": 0,
    }
    traj = xr.Dataset({"release_time": ("trajectory", np.array([], "datetime64[ns]"))})
    land = (
        snapshot
        if snapshot is not None
        else xr.DataArray(
            np.zeros((2, 2), bool), dims=("lat", "lon"), coords={"lat": [0.0, 1.0], "lon": [0.0, 1.0]}
        )
    )
    return SimpleNamespace(
        root=tmp_path,
        summary=Summary.from_json(summary),
        scenario={"release": {"from": {"layer": "eez"}}},
        main_layer="eez",
        indices={"eez": pd.DataFrame(indices)},
        connectivity={"eez": connectivity} if connectivity is not None else {},
        arrivals={"eez": arrivals} if arrivals is not None else {},
        protection=protection,
        zones=zones or {},
        snapshot=xr.Dataset({"land": land}),
        trajectories=traj,
    )


def test_no_superlative_from_seven_high_seas_particles(tmp_path):
    """The issue's case: 'reached Aldoria fastest' rested on 7 of 1,934 high-seas particles."""
    conn = pd.DataFrame(
        {
            "source": ["ABNJ"] * 4,
            "destination": ["Aldoria", "Borea", "ABNJ", "out_of_domain"],
            "count": [7, 5, 1900, 22],
        }
    )
    arr = pd.DataFrame(
        {
            "source": ["ABNJ", "ABNJ"],
            "destination": ["Aldoria", "Borea"],
            "n": [7, 5],
            "median_days": [4.0, 9.0],
            "p10_days": [3.0, 6.0],
            "p90_days": [5.0, 12.0],
        }
    )
    idx = {"zone": ["Aldoria", "Borea", "ABNJ"], "released": [0, 0, 1934], "arrivals": [7, 5, 1900]}
    text = " ".join(make_findings(_fake_run(tmp_path, idx, conn, arr)).texts())
    assert "fastest" not in text and "reached Aldoria first" not in text
    assert "Too few high-seas particles reached any zone to compare arrival times (1,934 released)" in text
    assert "2 zones reached by fewer than 30 particles (Aldoria, Borea) not compared" in text
    # 12 of 1934 = 0.62 %
    lo, hi = _jeffreys(12, 1934)
    assert f"0.6 % (95 % interval {100 * lo:.1f} % to {100 * hi:.1f} %)" in text


def test_ranking_needs_30_particles_and_separated_intervals(tmp_path):
    # import dependency 0.8 of 200 vs 0.2 of 200: intervals far apart -> ranked
    idx = {
        "zone": ["A", "B", "C"],
        "released": [200, 200, 200],
        "arrivals": [200, 200, 10],
        "local_retention": [0.2, 0.8, 0.5],
        "import_dependency": [0.8, 0.2, 0.9],
    }
    text = " ".join(make_findings(_fake_run(tmp_path, idx)).texts())
    lo, hi = _jeffreys(160, 200)
    assert (
        f"A has the highest import dependency of the 2 zones with 30 or more particles: 80.0 % (95 % interval {100 * lo:.1f} % to {100 * hi:.1f} %"
        in text
    )  # C (0.9) rests on 10 particles only, so it is not the top
    # 0.55 vs 0.45 of 40 each: intervals overlap -> not ranked
    idx = {"zone": ["A", "B"], "released": [40, 40], "arrivals": [40, 40], "import_dependency": [0.55, 0.45]}
    text = " ".join(make_findings(_fake_run(tmp_path, idx)).texts())
    assert "highest" not in text and "Import dependency" in text
    assert "too close to rank the zones: the 95 % intervals of the largest overlap" in text
    # 0.9 vs 0.1 of 20 each: far apart, but too few particles
    idx = {"zone": ["A", "B"], "released": [20, 20], "arrivals": [20, 20], "import_dependency": [0.9, 0.1]}
    text = " ".join(make_findings(_fake_run(tmp_path, idx)).texts())
    assert "highest" not in text and "too few particles to rank the zones" in text


def test_the_high_seas_are_never_the_main_stepping_stone(tmp_path):
    idx = {
        "zone": ["A", "B", "ABNJ"],
        "released": [50, 50, 50],
        "arrivals": [50, 50, 50],
        "betweenness": [0.1, 0.0, 0.77],
        "in_strength": [60, 50, 400],
    }
    text = " ".join(make_findings(_fake_run(tmp_path, idx)).texts())
    assert "ABNJ lies" not in text and "stepping stone" not in text
    assert "A lies on the most multi-step routes" in text and "high seas (ABNJ) are left out" in text


def test_time_outside_mpas_has_its_area_baseline(tmp_path):
    lon = np.arange(0.05, 10.0, 0.1)
    lat = np.arange(0.05, 10.0, 0.1)
    land = xr.DataArray(
        np.zeros((lat.size, lon.size), bool), coords={"lat": lat, "lon": lon}, dims=("lat", "lon")
    )
    mpa = gpd.GeoDataFrame({"id": ["M"], "geometry": [box(0, 0, 1, 1)]}, crs="EPSG:4326")
    prot = pd.DataFrame({"metric": ["share of particle-days outside MPAs (all particles)"], "value": [0.981]})
    idx = {"zone": ["A"], "released": [10], "arrivals": [10]}
    text = " ".join(
        make_findings(_fake_run(tmp_path, idx, protection=prot, zones={"mpa": mpa}, snapshot=land)).texts()
    )
    # spherical boxes: area ∝ Δλ (sin φ2 − sin φ1)
    share = (1 * math.sin(math.radians(1))) / (10 * math.sin(math.radians(10)))
    assert "98.1 % of the particle-days at sea were spent outside marine protected areas" in text
    got = float(re.search(r"MPAs cover ([\d.]+) %", text).group(1))
    assert got == pytest.approx(100 * share, abs=0.06)


def test_undefined_values_are_left_out(tmp_path):
    idx = {
        "zone": ["A", "B"],
        "released": [0, 0],
        "arrivals": [0, 0],
        "local_retention": [np.nan, np.nan],
        "import_dependency": [np.nan, np.nan],
    }
    found = make_findings(_fake_run(tmp_path, idx))
    assert not any("nan" in t.lower() for t in found.texts())
    assert found.notes == []


def test_summary_json_is_not_rewritten_by_the_report(carried_away):
    d, _ = carried_away
    s = json.loads((d / "out" / "summary.json").read_text())
    assert "report.html" in s["outputs"] and "brief.pdf" in s["outputs"]


def test_largest_share_rests_on_the_particles_that_arrived_not_on_those_released(tmp_path):
    """2,000 released on the high seas but only 22 reached a zone: no 'largest share' from 22 particles."""
    conn = pd.DataFrame({"source": ["ABNJ"] * 3, "destination": ["A", "B", "ABNJ"], "count": [20, 2, 1978]})
    idx = {"zone": ["A", "B", "ABNJ"], "released": [0, 0, 2000], "arrivals": [20, 2, 1978]}
    text = " ".join(make_findings(_fake_run(tmp_path, idx, conn)).texts())
    assert "largest share" not in text and "too few particles to rank the zones" in text
    assert "Of the 2,000 particles released on the high seas (ABNJ), 1.1 %" in text
    conn = pd.DataFrame({"source": ["ABNJ"] * 2, "destination": ["A", "ABNJ"], "count": [2, 1998]})
    text = " ".join(make_findings(_fake_run(tmp_path, idx, conn)).texts())
    assert "largest share" not in text and "(all in A)" in text


def test_first_arrival_compared_among_well_sampled_zones_only(tmp_path):
    conn = pd.DataFrame(
        {"source": ["ABNJ"] * 4, "destination": ["A", "B", "C", "ABNJ"], "count": [7, 60, 80, 853]}
    )
    arr = pd.DataFrame(
        {
            "source": ["ABNJ"] * 3,
            "destination": ["A", "B", "C"],
            "n": [7, 60, 80],
            "median_days": [2.0, 5.0, 12.0],
            "p10_days": [1.0, 3.0, 8.0],
            "p90_days": [3.0, 9.0, 20.0],
        }
    )
    idx = {"zone": ["A", "B", "C", "ABNJ"], "released": [0, 0, 0, 1000], "arrivals": [7, 60, 80, 853]}
    text = " ".join(make_findings(_fake_run(tmp_path, idx, conn, arr)).texts())
    # B's 90th percentile (9 d) is before C's median (12 d): B first; A (7 particles) is not compared
    assert "High-seas water reached B first: 60 of 1,000 high-seas particles (6.0 %) reached B" in text
    assert "1 zone reached by fewer than 30 particles (A) not compared" in text


@pytest.mark.parametrize("basis", ["settlement", "end_of_run"])
def test_larva_indices_are_described_by_what_they_count(tmp_path, basis):
    idx = {
        "zone": ["A", "B"],
        "released": [200, 200],
        "arrivals": [100, 40],
        "basis": [basis] * 2,
        "local_retention": [0.45, 0.1],
        "import_dependency": [0.1, 0.5],
    }
    run = _fake_run(tmp_path, idx)
    run.scenario["behaviour"] = {"kind": "larva", "pld": "30 days"}
    found = make_findings(run)
    text = " ".join(found.texts())
    if basis == "settlement":
        assert "A has the highest local retention: 45.0 %" in text
        assert "the share of its larvae that settled back in it" in text
        assert any(t == "Local retention" and "settled back" in d for t, d in found.definitions)
    else:  # end-of-run positions of larvae (alive or dead) are no recruitment: no index finding
        assert "local retention" not in text.lower() and "import dependency" not in text.lower()
        assert any("not where they settled" in c for c in found.caveats)
