"""``marinenet animate``: frames, size, where a particle is drawn, and the error for a folder that is not a run.

Where particles must be drawn comes from the closed form of a uniform current on the sphere (loxodrome),
and the map's pixel↔lon/lat relation is measured on the first frame from the three known release
points; nothing is taken from the animation code.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
import numpy as np
import pytest
import xarray as xr
import yaml
from PIL import Image
from typer.testing import CliRunner

from marinenet.cli import app

from .conftest import DEG2M, write_cf_currents

U, V = 0.3, 0.1  # m/s
POINTS = [(1.0, 1.0), (1.0, 6.0), (6.0, 1.0)]  # not collinear: they fix the map's affine pixel frame
DAYS = 5


def _gd_inv(lat_deg):
    return np.log(np.tan(np.pi / 4 + np.deg2rad(lat_deg) / 2))


def _expected_end(lon0: float, lat0: float) -> tuple[float, float]:
    lat1 = lat0 + V * DAYS * 86400 / DEG2M
    return lon0 + (U / V) * np.rad2deg(_gd_inv(lat1) - _gd_inv(lat0)), lat1


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    """A run with the scenario's animation option: the report embeds the animation."""
    d = tmp_path_factory.mktemp("anim")
    times = np.array([np.datetime64("2021-01-01") + np.timedelta64(k, "D") for k in range(DAYS + 2)])
    grid = np.arange(-2, 10.01, 0.25)
    write_cf_currents(d / "cur.nc", grid, grid, times, lambda X, Y: np.full(X.shape, U),
                      lambda X, Y: np.full(X.shape, V))  # fmt: skip
    sc = {
        "name": "anim",
        "ocean": {"source": "cur.nc"},
        "release": {"from": {"points": [list(p) for p in POINTS]}, "particles": 3, "start": "2021-01-01"},
        "simulation": {"duration": f"{DAYS} days", "dt": "1 hour", "output_every": "1 day", "engine": "fast"},
        "outputs": {"animation": True},
        "output": "out",
    }
    (d / "s.yaml").write_text(yaml.safe_dump(sc))
    res = CliRunner().invoke(app, ["run", str(d / "s.yaml"), "--quiet"])
    assert res.exit_code == 0, res.output
    return d / "out"


def _frames(path: Path) -> list[np.ndarray]:
    with Image.open(path) as im:
        out = []
        for k in range(im.n_frames):
            im.seek(k)
            out.append(np.asarray(im.convert("RGB")).astype(int))
    return out


def _source_colours(run_dir: Path) -> dict[tuple[float, float], np.ndarray]:
    """Release point → RGB of its particles: tab10 by sorted source name (the report's track colours)."""
    with xr.open_dataset(run_dir / "trajectories.nc") as tr:
        sources = tr["release_source"].values.astype(str)
        start = np.c_[tr["lon"].isel(time=0).values, tr["lat"].isel(time=0).values]
    names = sorted(set(sources.tolist()))
    tab = matplotlib.colormaps["tab10"]
    out = {}
    for p in POINTS:
        i = int(np.argmin(np.hypot(*(start - p).T)))
        out[p] = np.array(tab(names.index(sources[i]))[:3]) * 255
    return out


def _where(frame: np.ndarray, rgb: np.ndarray, static: np.ndarray) -> np.ndarray:
    """Centroid (x, y pixels) of the moving pixels of colour ``rgb`` (legend markers are static)."""
    mask = (np.abs(frame - rgb).sum(axis=2) < 30) & ~static
    ys, xs = np.nonzero(mask)
    assert xs.size, f"no particle of colour {rgb} in the frame"
    return np.array([xs.mean(), ys.mean()])


def test_animation_frames_and_final_positions(run_dir):
    gif = run_dir / "animation.gif"
    frames = _frames(gif)
    assert len(frames) == DAYS + 1  # one frame per stored output time
    assert gif.stat().st_size < 10_000_000
    colours = _source_colours(run_dir)
    first, last = frames[0], frames[-1]
    pix0, pix1 = {}, {}
    for p, rgb in colours.items():
        static = (np.abs(first - rgb).sum(axis=2) < 30) & (np.abs(last - rgb).sum(axis=2) < 30)
        pix0[p], pix1[p] = _where(first, rgb, static), _where(last, rgb, static)
    # the affine map lon/lat → pixel from the three release points in the first frame
    src = np.array([[lon, lat, 1.0] for lon, lat in POINTS])
    A = np.linalg.solve(src, np.array([pix0[p] for p in POINTS]))
    deg_per_px = 1 / np.abs(A[0, 0])
    for p in POINTS:
        lon, lat = np.linalg.solve(A[:2].T, pix1[p] - A[2])
        lon1, lat1 = _expected_end(*p)
        assert np.hypot(lon - lon1, lat - lat1) < 2.5 * deg_per_px, (p, (lon, lat), (lon1, lat1))
        assert np.hypot(lon1 - p[0], lat1 - p[1]) > 20 * deg_per_px  # the drift is far larger than a pixel


def test_report_embeds_the_animation(run_dir):
    page = (run_dir / "report.html").read_text(encoding="utf-8")
    assert page.count("data:image/gif;base64,") == 1 and "Particles spreading" in page


def test_size_limit_redraws_smaller(run_dir, tmp_path):
    from marinenet.report.animate import animate

    full = animate(run_dir, tmp_path / "full.gif")
    limit = int(full.stat().st_size * 0.6)
    small = animate(run_dir, tmp_path / "small.gif", max_bytes=limit)
    assert small.stat().st_size <= limit
    assert len(_frames(small)) < len(_frames(full))
    assert _frames(small)[-1].shape[:2] <= _frames(full)[-1].shape[:2]


def test_cli_writes_gif_and_refuses_a_folder_that_is_not_a_run(run_dir, tmp_path):
    res = CliRunner().invoke(
        app, ["animate", str(run_dir), "--to", str(tmp_path / "a.gif"), "--particles", "5"]
    )
    assert res.exit_code == 0, res.output
    assert (tmp_path / "a.gif").stat().st_size > 0
    (tmp_path / "empty").mkdir()
    res = CliRunner().invoke(app, ["animate", str(tmp_path / "empty")])
    assert res.exit_code == 2 and "not a complete marinenet run directory" in res.output
    assert "Traceback" not in res.output
    res = CliRunner().invoke(app, ["animate", str(run_dir), "--to", str(tmp_path / "a.avi")])
    assert res.exit_code == 2 and ".gif or .mp4" in res.output
