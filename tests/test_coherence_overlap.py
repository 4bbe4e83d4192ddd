"""Overlapping protected areas are one site of the network: their union, area counted once.

Areas are exact WGS84 areas of lon/lat boxes (authalic-latitude formula, tests/zone_fixtures.py):
the union of two overlapping boxes on the same latitudes is the box spanning both.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from marinenet.coherence_sites import Rows, _numbered, build_sites, overlap_groups
from marinenet.zones import ZoneLayer

from .conftest import write_boxes
from .test_coherence_run import A2, A3, A_L, MPA, _run, _scenario
from .zone_fixtures import ellipsoid_box_area_km2


def _layer(name, boxes):
    frame = gpd.GeoDataFrame({"id": list(boxes)}, geometry=[box(*b) for b in boxes.values()], crs="EPSG:4326")
    return ZoneLayer(name, frame)


BOXES = {
    "A": (0.0, -0.5, 1.0, 0.5),
    "B": (0.5, -0.5, 1.5, 0.5),  # overlaps A on 0.5..1.0
    "C": (3.0, -0.5, 3.5, 0.5),
    "D": (3.5, -0.5, 4.0, 0.5),  # touches C only: stays apart
    "F": (5.0, -0.5, 6.0, 0.5),
    "G": (5.2, -0.2, 5.4, 0.2),  # inside F
}


def test_overlapping_boxes_are_one_site_with_the_area_of_their_union():
    region = box(-1, -1, 7, 1)
    sites = build_sites(_layer("mpa", BOXES), None, region)
    assert sites.labels == ["A + B", "C", "D", "F + G"]
    assert sites.members == [["A", "B"], ["C"], ["D"], ["F", "G"]]
    expected = [
        ellipsoid_box_area_km2(0.0, -0.5, 1.5, 0.5),  # A ∪ B
        ellipsoid_box_area_km2(*BOXES["C"]),
        ellipsoid_box_area_km2(*BOXES["D"]),
        ellipsoid_box_area_km2(*BOXES["F"]),  # G adds nothing
    ]
    np.testing.assert_allclose(sites.area_km2, expected, rtol=1e-6)
    assert sites.node_of("mpa") == {"A": 0, "B": 0, "C": 1, "D": 2, "F": 3, "G": 3}
    assert sites.merged == [0, 3]


def test_a_chain_of_overlaps_is_one_group_and_slivers_are_not_overlaps():
    chain = [box(0, 0, 1, 1), box(0.9, 0, 2, 1), box(1.9, 0, 3, 1), box(3 - 1e-9, 0, 4, 1)]
    # the last shares 1e-9 deg² with the third: outline noise (less than a millionth of either)
    assert overlap_groups(chain) == [[0, 1, 2], [3]]


def test_a_particle_in_merged_sites_counts_once():
    """Shares of one particle in two merged sites add up (sum); visits of both are one visit (max)."""
    rows = Rows(np.array([0, 0, 1]), np.array(["A", "B", "C"], dtype=object), np.array([0.5, 0.5, 0.8]))
    index = {"A": 0, "B": 0, "C": 1}
    shares = _numbered(rows, index, "sum")
    assert shares.label.tolist() == [0, 1] and shares.weight.tolist() == [1.0, 0.8]
    visits = _numbered(Rows(rows.particle, rows.label, np.array([0.9, 0.7, 0.8])), index, "max")
    assert visits.weight.tolist() == [0.9, 0.8]


def test_run_with_overlapping_protected_areas(tmp_path):
    """A fourth protected area M1b (lon 0.5..1.2) overlaps M1 (0..1): one site 'M1 + M1b' of area
    box(0..1.2); its particles (M1's points) still send 3/4 to M2, so PC follows from geometry."""
    sc = _scenario(tmp_path, "fast", bootstrap=50)
    boxes = {**MPA, "M1b": (0.5, -0.5, 1.2, 0.5)}
    write_boxes(tmp_path / "mpa.geojson", boxes)  # replaces the three boxes _scenario wrote
    out, _ = _run(tmp_path, sc)
    a1 = ellipsoid_box_area_km2(0.0, -0.5, 1.2, 0.5)
    s = a1**2 + A2**2 + A3**2 + a1 * A2 * 0.75 + A2 * A3 * 0.5 + a1 * A3 * 0.375
    row = pd.read_csv(out / "summary.csv").iloc[0]
    assert row["protected_km2"] == pytest.approx(a1 + A2 + A3, rel=1e-5)
    assert row["ECA_km2"] == pytest.approx(math.sqrt(s), rel=1e-5)
    assert row["ProtConn_percent"] == pytest.approx(100 * math.sqrt(s) / A_L, rel=1e-5)
    assert row["overlapping_merged"] == 2
    assert row["ProtConn_percent_ci_low"] <= row["ProtConn_percent"] <= row["ProtConn_percent_ci_high"]
    sites = pd.read_csv(out / "mpa.csv").set_index("zone")
    assert sorted(sites.index) == ["M1 + M1b", "M2", "M3"]
    assert sites.loc["M1 + M1b", "members"] == "M1;M1b"
    assert sites.loc["M1 + M1b", "area_km2"] == pytest.approx(a1, rel=1e-6)
    assert sites.loc["M1 + M1b", "released"] == 8  # M1's four points, two particles each
    logged = (out.parent / "run.log").read_text()
    assert "1 group(s) of overlapping protected areas" in logged and "'M1 + M1b'" in logged
    assert (pd.read_csv(out / "mpa.sites.csv").set_index("zone").loc["M1 + M1b", "members"]) == "M1;M1b"
    from marinenet.report.build import RunFiles
    from marinenet.report.findings import make_findings

    texts = " ".join(f.text for f in make_findings(RunFiles.read(out.parent)).findings)
    assert "count as one site each" in texts and "M1 + M1b" in texts


def test_sites_split_at_the_antimeridian_keep_their_area_and_merge_across_it():
    """WDPA ships dateline sites as two parts (…180 and −180…): X spans 179.7..180.3, Y (−179.9..−179.5, i.e.
    180.1..180.5) overlaps X's eastern part; Z lies apart. X ∪ Y is the box 179.7..180.5 (0.8° wide)."""
    from shapely.geometry import MultiPolygon

    x = MultiPolygon([box(179.7, -9, 180, -8.4), box(-180, -9, -179.7, -8.4)])
    frame = gpd.GeoDataFrame(
        {"id": ["X", "Y", "Z"]},
        geometry=[x, box(-179.9, -9, -179.5, -8.4), box(170, -9, 170.6, -8.4)],
        crs="EPSG:4326",
    )
    region = MultiPolygon([box(166, -11, 180, 11), box(-180, -11, -166, 11)])
    sites = build_sites(ZoneLayer("mpa", frame), None, region)
    assert sites.labels == ["X + Y", "Z"]
    np.testing.assert_allclose(
        sites.area_km2,
        [ellipsoid_box_area_km2(0, -9, 0.8, -8.4), ellipsoid_box_area_km2(0, -9, 0.6, -8.4)],
        rtol=1e-6,
    )


def test_portfolio_counts_overlapping_candidates_once():
    """Candidates P (lon 2..3) and Q (2.5..3.5) overlap; with a target of the whole region both are added and
    the coverage reaches the network (A) plus P ∪ Q (2..3.5), not P + Q."""
    from marinenet.coherence_planning import portfolio_table

    net = _layer("mpa", {"A": (0.0, -0.5, 1.0, 0.5)})
    cand = _layer("cand", {"P": (2.0, -0.5, 3.0, 0.5), "Q": (2.5, -0.5, 3.5, 0.5)})
    region = box(-1, -1, 7, 1)
    sites = build_sites(net, cand, region)
    p = np.zeros((3, 3))
    a_l = ellipsoid_box_area_km2(-1, -1, 7, 1)
    t = portfolio_table(sites, p, a_l, 100.0, None)
    for strategy in ("connectivity", "area"):
        steps = t[t["strategy"] == strategy]
        assert sorted(steps["zone"].dropna()) == ["P", "Q"]
        union = ellipsoid_box_area_km2(0, -0.5, 1, 0.5) + ellipsoid_box_area_km2(2, -0.5, 3.5, 0.5)
        assert steps["coverage_percent"].iloc[-1] == pytest.approx(100 * union / a_l, rel=1e-6)
        assert steps["area_km2"].iloc[-1] == pytest.approx(
            ellipsoid_box_area_km2(0, -0.5, 0.5, 0.5), rel=1e-6
        )
