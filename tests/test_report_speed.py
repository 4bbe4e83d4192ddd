"""The cheaper paths of the report and the run after tracking give what the slower ones gave.

Each test compares a faster path with the one it replaced, computed here by other means
(PIL directly, scipy.stats), so a change that alters a figure's pixels or a number fails.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from PIL import Image  # noqa: E402

from marinenet.report.maps import DPI, _save  # noqa: E402


def _figure() -> Figure:
    rng = np.random.default_rng(3)
    fig = Figure(figsize=(4.0, 3.0))
    ax = fig.add_subplot(1, 1, 1)
    ax.pcolormesh(rng.random((20, 30)), cmap="viridis")
    ax.plot(rng.normal(size=80).cumsum(), color="white", lw=0.8)
    ax.text(3, 4, "zone A\n0.42", fontsize=7, bbox=dict(facecolor="white", alpha=0.7))
    ax.set_title("a map title far wider than the axes, cut by no tight box", fontsize=11)
    fig.colorbar(ax.collections[0], ax=ax, label="speed")
    return fig


def _former_save(fig: Figure) -> Image.Image:
    """The former path: matplotlib's tight PNG, read back, reduced to 256 colours."""
    png = io.BytesIO()
    fig.savefig(png, dpi=DPI, bbox_inches="tight")
    png.seek(0)
    with Image.open(png) as im:
        return im.convert("RGB").quantize(
            colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )


def _pixels(im: Image.Image) -> np.ndarray:
    return np.asarray(im.convert("RGB")).astype(int)


def test_saved_figure_is_the_tight_png_drawn_once_to_within_a_pixel_shift(tmp_path):
    before = _pixels(_former_save(_figure()))
    path = _save(_figure(), tmp_path / "sub" / "fig.png")
    with Image.open(path) as after:
        assert after.mode == "P"  # a palette PNG
        now = _pixels(after)
    assert now.shape == before.shape  # the same tight box
    diff = np.abs(now - before).max(axis=2)
    assert (diff == 0).mean() > 0.9  # anti-aliased edges only (a shift of under a pixel)
    assert np.abs(now - before).mean() < 2.0


def test_a_figure_reaching_beyond_its_page_is_rendered_as_matplotlib_renders_it_tight(tmp_path):
    def wide() -> Figure:
        fig = _figure()
        fig.axes[0].text(1.6, 0.5, "a note far right of the page", transform=fig.axes[0].transAxes)
        return fig

    before = _former_save(wide())
    with Image.open(_save(wide(), tmp_path / "fig.png")) as after:
        assert np.array_equal(_pixels(after), _pixels(before))


def test_jeffreys_bounds_are_the_scipy_stats_beta_quantiles_bit_for_bit():
    from scipy import stats

    from marinenet.connectivity.uncertainty import jeffreys_interval

    rng = np.random.default_rng(11)
    n = np.concatenate([rng.integers(1, 10**6, 3000), rng.integers(1, 40, 3000), [1, 2, 5]]).astype(float)
    x = np.floor(rng.random(n.size) * (n + 1))  # 0 .. n
    lo, hi = jeffreys_interval(x, n)
    a = (1 - 0.95) / 2  # the tail as the function computes it (not exactly 0.025)
    for bound, q, inner in ((lo, a, x > 0), (hi, 1 - a, x < n)):
        expect = stats.beta.ppf(q, x[inner] + 0.5, n[inner] - x[inner] + 0.5)
        assert np.array_equal(bound[inner], expect)
    inner_lo, inner_hi = x > 0, x < n
    assert np.all(lo[~inner_lo] == 0.0) and np.all(hi[~inner_hi] == 1.0)


def test_zones_drawn_in_map_coordinates_lie_where_cartopy_would_project_them():
    import cartopy.crs as ccrs
    import shapely
    from shapely.geometry import Point

    from marinenet.report.maps import add_geometries

    pc = ccrs.PlateCarree()
    fig = Figure(figsize=(9.0, 8.0))
    ax = fig.add_subplot(1, 1, 1, projection=ccrs.PlateCarree(central_longitude=-25.0))
    ax.set_extent([-42.0, -8.0, 18.0, 46.0], crs=pc)
    zone = Point(-30.0, 30.0).buffer(4.0, quad_segs=400)  # 1,600 vertices, closer than a pixel
    mine = add_geometries(ax, [zone], facecolor="none")
    (drawn,) = mine._feature.geometries()
    assert mine._feature.crs == ax.projection  # nothing left for cartopy to project
    # the map's x is longitude + 25; no vertex moved by more than a quarter of a pixel (34° / 1,800 px)
    expect = shapely.transform(zone, lambda xy: xy + [25.0, 0.0])
    assert shapely.hausdorff_distance(drawn, expect) <= 0.25 * 34.0 / 1800.0 + 1e-9
    assert shapely.get_num_coordinates(drawn) < 400  # thinned to the figure's resolution
    # a shape that would cross the map's edge (x = ±180) is left to cartopy, as given
    across = Point(150.0, 30.0).buffer(10.0)
    theirs = add_geometries(ax, [across], facecolor="none")
    assert theirs._feature.crs == pc and next(iter(theirs._feature.geometries())) is across


def test_explorer_land_from_runs_of_cells_covers_exactly_the_cells():
    import shapely
    import xarray as xr

    from marinenet.report.explorer import _cells

    rng = np.random.default_rng(5)
    mask = rng.random((30, 40)) < 0.4
    mask[:, -1] = True  # runs touching both edges
    mask[5, :] = True
    for lon in (np.arange(40) * 0.1 - 30.0, -(np.arange(40) * 0.1) + 5.0):  # ascending and descending
        lat = np.arange(30) * 0.1 + 10.0
        got = _cells(xr.DataArray(mask, coords={"lat": lat, "lon": lon}, dims=("lat", "lon")))
        jj, ii = np.nonzero(mask)
        cells = shapely.union_all(shapely.box(lon[ii] - 0.05, lat[jj] - 0.05, lon[ii] + 0.05, lat[jj] + 0.05))
        assert abs(got.area - mask.sum() * 0.01) < 1e-9
        assert shapely.symmetric_difference(got, cells).area < 1e-9


def test_a_brief_that_fails_in_its_own_process_is_a_note_in_report_html(tmp_path, caplog, monkeypatch):
    import logging
    import shutil

    import marinenet.report.build as build

    from .test_coherence_run import _run, _scenario

    run = _run(tmp_path, _scenario(tmp_path, "fast", bootstrap=0))[0].parent
    good = tmp_path / "good"
    shutil.copytree(run, good)
    build.build_report(good, language="en")
    assert (good / "brief.pdf").read_bytes().startswith(b"%PDF")
    assert "brief.pdf could not be written" not in (good / "report.html").read_text()

    def no_paper(*a, **k):
        raise RuntimeError("no paper")

    bad = tmp_path / "bad"
    shutil.copytree(run, bad)
    (bad / "brief.pdf").unlink(missing_ok=True)
    monkeypatch.setattr(build, "render_pdf", no_paper)
    with caplog.at_level(logging.WARNING, logger="marinenet"):
        build.build_report(bad, language="en")
    assert "brief.pdf could not be written (RuntimeError: no paper)" in (bad / "report.html").read_text()
    assert not (bad / "brief.pdf").exists()
    assert any(
        "brief.pdf could not be written: RuntimeError: no paper" in r.getMessage() for r in caplog.records
    )
