"""The network-coherence map of the report, on the run of tests/test_coherence_run.py (fast engine).

There, p(M1→M2) = 3/4, p(M2→M3) = 1/2 (both between protected areas) and p(M1→C) = 1/4 (to the
candidate): two links between protected areas, one of them below a minimum of 0.6.
"""

from __future__ import annotations

import html
import shutil

import cartopy.crs as ccrs
import numpy as np
import pandas as pd
import pytest
from matplotlib.patches import FancyArrowPatch

from marinenet.report import i18n
from marinenet.report.build import RunFiles, build_report
from marinenet.report.coherence_map import draw_coherence, network_graph

from .test_coherence_run import _run, _scenario


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("cohmap")
    return _run(d, _scenario(d, "fast", bootstrap=0))[0].parent


def _drawn(run, min_link=0.01):
    """(circle sizes in the order of coherence/mpa.csv, number of link arrows) as matplotlib draws them."""
    with i18n.use("en"):
        graph = network_graph(run.root / "coherence", run.zones, min_link=min_link)
        fig, ax = draw_coherence(graph, run.snapshot["land"], "t", True)
    sites = next(c for c in ax.collections if c.get_gid() == "coherence-sites")
    links = [p for p in ax.patches if isinstance(p, FancyArrowPatch) and p.get_gid() == "coherence-link"]
    return graph, sites.get_sizes(), len(links)


def test_circles_are_sized_by_dpc(run_dir):
    graph, sizes, _ = _drawn(RunFiles.read(run_dir))
    dpc = pd.read_csv(run_dir / "coherence" / "mpa.csv").set_index("zone")["dPC"]
    assert list(graph.sites["zone"]) == list(dpc.index) and len(sizes) == 3
    assert len(set(dpc.round(6))) == 3  # distinct, so the order is a real check
    assert list(np.argsort(sizes)) == list(np.argsort(dpc.values))
    # area proportional to dPC above the smallest marker: equal ratios of the increments
    inc = sizes - sizes.min()
    d = dpc.values - dpc.values.min()
    np.testing.assert_allclose(inc / inc.max(), d / d.max(), rtol=1e-9)


def test_links_below_the_minimum_are_not_drawn(run_dir):
    run = RunFiles.read(run_dir)
    graph, _, n = _drawn(run)
    assert n == 2 and set(zip(graph.links["source"], graph.links["destination"], strict=True)) == {
        ("M1", "M2"),
        ("M2", "M3"),
    }  # M1 → C (a candidate) is not a link of the network
    graph, _, n = _drawn(run, min_link=0.6)
    assert n == 1 and list(graph.links["p"]) == [pytest.approx(0.75)]


def test_report_has_the_figure_title_and_alt_text(run_dir):
    build_report(run_dir, language="en")
    assert (run_dir / "maps" / "coherence_mpa.png").stat().st_size > 10_000
    page = (run_dir / "report.html").read_text()
    assert "<h3>Network coherence</h3>" in page
    alt = html.escape("Network coherence. Each protected area of 'mpa' is a purple circle", quote=True)
    assert f'alt="{alt}' in page
    assert html.escape("shares below 0.01 are not drawn. 2 links drawn.", quote=True) in page
    assert "Candidate sites are filled by the connected area" in page


def test_unconnected_network_still_draws_its_sites(run_dir, tmp_path):
    copy = tmp_path / "run"
    shutil.copytree(run_dir, copy)
    edges = copy / "coherence" / "mpa.marxan_connect.csv"
    e = pd.read_csv(edges)
    e[e["id1"] > 3].to_csv(
        edges, index=False
    )  # only the candidate's links left: none between protected areas
    _, sizes, n = _drawn(RunFiles.read(copy))
    assert n == 0 and len(sizes) == 3
    build_report(copy, language="fr")
    page = (copy / "report.html").read_text()
    assert (copy / "maps" / "coherence_mpa.png").is_file()
    assert html.escape("Aucun lien entre aires protégées n'a été observé", quote=True) in page


def test_no_coherence_output_no_figure(run_dir, tmp_path):
    copy = tmp_path / "run"
    shutil.copytree(run_dir, copy)
    shutil.rmtree(copy / "coherence")
    shutil.rmtree(copy / "maps", ignore_errors=True)
    build_report(copy, language="en")
    assert not (copy / "maps" / "coherence_mpa.png").exists()
    assert "<h3>Network coherence</h3>" not in (copy / "report.html").read_text()
    (copy / "coherence").mkdir()  # a folder without its tables: a note says why there is no map
    build_report(copy, language="en")
    assert not (copy / "maps" / "coherence_mpa.png").exists()
    assert "no network-coherence analysis in this run" in (copy / "report.html").read_text()


def test_every_network_gets_its_map_and_merged_sites_are_drawn(tmp_path):
    """Two protected networks: one map each (titled by network). In 'mpa2', N1 and N1b overlap and are one
    site 'N1 + N1b', drawn at a point of their union."""
    from .conftest import write_boxes
    from .test_coherence_run import MPA

    sc = _scenario(tmp_path, "fast", bootstrap=0)
    write_boxes(tmp_path / "mpa2.geojson", {"N1": MPA["M1"], "N1b": (0.5, -0.5, 1.2, 0.5), "N3": MPA["M3"]})
    sc["zones"]["mpa2"] = {"path": "mpa2.geojson", "id": "name", "protected": True}
    sc["analysis"]["coherence"]["network"] = ["mpa", "mpa2"]
    run_dir = _run(tmp_path, sc)[0].parent
    run = RunFiles.read(run_dir)
    with i18n.use("en"):
        graph = network_graph(run.root / "coherence", run.zones, network="mpa2")
    sites = graph.sites.set_index("zone")
    assert list(sites.index) == ["N1 + N1b", "N3"]
    x, y = sites.loc["N1 + N1b", ["x", "y"]]
    assert 0.0 < x < 1.2 and -0.5 < y < 0.5
    build_report(run_dir, language="en")
    for name in ("mpa", "mpa2"):
        assert (run_dir / "maps" / f"coherence_{name}.png").stat().st_size > 10_000
    page = (run_dir / "report.html").read_text()
    assert "<h3>Network coherence — mpa</h3>" in page and "<h3>Network coherence — mpa2</h3>" in page


def test_labels_cover_neither_each_other_nor_the_circles(run_dir):
    """M2, C and M3 lie within 2° on the equator: their names (and C's gain) are placed apart, clear of the circles."""
    from marinenet.report.labels import marker_box

    run = RunFiles.read(run_dir)
    with i18n.use("en"):
        graph = network_graph(run.root / "coherence", run.zones)
        fig, ax = draw_coherence(graph, run.snapshot["land"], "t", True)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    labels = [t for t in ax.texts if t.get_gid() == "coherence-label"]
    assert sorted(t.get_text().split("\n")[0] for t in labels) == ["C", "M1", "M2", "M3"]
    boxes = [t.get_window_extent(renderer) for t in labels]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b), (a, b)
    for (_, r), size in zip(graph.sites.iterrows(), graph.size(graph.sites["dPC"]), strict=True):
        x, y = ax.projection.transform_point(r["x"], r["y"], ccrs.PlateCarree())
        circle = marker_box(ax, x, y, size)
        assert not any(circle.overlaps(b) for b in boxes)


def test_scale_bar_stays_next_to_its_start_across_the_dateline():
    """A grid 165..195°E (continuing past 180): the 500 km bar spans about 4.5° of longitude, not the globe."""
    import xarray as xr
    from matplotlib.lines import Line2D

    from marinenet.report.maps import _base_axes

    lon, lat = np.arange(165, 195.01, 0.5), np.arange(-12, 12.01, 0.5)
    land = xr.DataArray(
        np.zeros((lat.size, lon.size), bool), coords={"lat": lat, "lon": lon}, dims=("lat", "lon")
    )
    with i18n.use("en"):
        fig, ax = _base_axes(land, "t", True)
    bar = next(a for a in ax.lines if isinstance(a, Line2D) and a.get_linewidth() == 3)
    x = np.asarray(bar.get_xdata(), float)
    # 500 km at 11°S: 500 / (111.32 · cos 11°) ≈ 4.6° of longitude
    assert abs(x[1] - x[0]) == pytest.approx(500 / (111.32 * np.cos(np.radians(10.56))), rel=0.02)
    label = next(t for t in ax.texts if t.get_text().endswith("km"))
    assert min(x) < label.get_position()[0] < max(x)
