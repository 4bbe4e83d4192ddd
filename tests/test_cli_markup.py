"""User text with square brackets reaches the user intact: rich would read ``[lon, lat]`` as markup and
delete it ("points: [, ...]"), and a folder named ``run[1]`` must not be read as a glob class."""

from __future__ import annotations

import logging

import numpy as np
import yaml
from typer.testing import CliRunner

from marinenet.cli import _setup_logging, app

from .conftest import write_boxes, write_cf_currents


def _invoke(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def _flat(text: str) -> str:
    return " ".join(text.split())  # the console wraps long lines


def _squash(text: str) -> str:
    return "".join(text.split())  # the console may also wrap a long path inside itself


def _folder(tmp_path, **over):
    d = tmp_path / "run[1]"
    d.mkdir()
    times = np.array([np.datetime64("2021-01-01") + np.timedelta64(k, "D") for k in range(3)])
    flow = lambda X, Y: np.full(X.shape, 0.1)  # noqa: E731
    write_cf_currents(d / "c.nc", np.arange(0, 5.01, 0.5), np.arange(0, 5.01, 0.5), times, flow, flow)
    write_boxes(d / "areas.geojson", {"A": (1, 1, 2, 2)})
    sc = {
        "name": "demo [v2]",
        "ocean": {"source": "c.nc"},
        "release": {"from": {"points": [[1.0, 1.0]]}, "particles": 2, "start": "2021-01-01T00:00"},
        "simulation": {"duration": "1 day"},
        "output": "out",
        **over,
    }
    (d / "s.yaml").write_text(yaml.safe_dump(sc))
    return d


def test_a_bracketed_folder_and_run_name_reach_the_user(tmp_path):
    d = _folder(tmp_path)
    ok = _invoke("validate", d / "s.yaml")
    assert ok.exit_code == 0, ok.output
    assert _squash(ok.output).startswith(_squash(f"ok: {d / 's.yaml'} — 2 particles"))
    ran = _invoke("run", d / "s.yaml", "--no-maps")
    assert ran.exit_code == 0, ran.output
    assert "marinenet run 'demo [v2]'" in ran.output
    assert _squash(f"outputs written to {d / 'out'}") in _squash(ran.output)


def test_release_points_on_land_are_named_with_their_brackets(tmp_path):
    release = {"from": {"points": [[1.0, 1.0], [30.0, 1.0]]}, "particles": 2, "start": "2021-01-01T00:00"}
    f = _folder(tmp_path, release=release) / "s.yaml"
    for cmd in (("validate", f), ("run", f, "--no-maps", "-q")):
        res = _invoke(*cmd)
        assert res.exit_code == 2
        assert "release.from.points [[30.0, 1.0]] are on land or outside the ocean data" in _flat(res.output)


def test_schema_messages_keep_their_bracketed_examples(tmp_path):
    both = {"from": {"layer": "areas", "points": [[1.0, 1.0]]}, "particles": 2, "start": "2021-01-01T00:00"}
    d = _folder(tmp_path, release=both, zones={"areas": {"path": "areas.geojson", "id": "name"}})
    res = _invoke("validate", d / "s.yaml")
    assert res.exit_code == 2
    assert "or 'points: [[lon, lat], ...]'" in _flat(res.output)
    sc = yaml.safe_load((d / "s.yaml").read_text())
    sc["release"]["from"].pop("layer")
    sc["behaviour"] = {"kind": "swimmer", "speed": 0.5}
    (d / "s.yaml").write_text(yaml.safe_dump(sc))
    res = _invoke("validate", d / "s.yaml")
    assert res.exit_code == 2
    assert "({point: [lon, lat]} or {layer: NAME})" in _flat(res.output)


def test_log_messages_keep_their_brackets(capsys):
    _setup_logging(quiet=False)
    logging.getLogger("marinenet").warning("points [lon, lat] and [bold]x[/bold] as written")
    assert "points [lon, lat] and [bold]x[/bold] as written" in capsys.readouterr().err
