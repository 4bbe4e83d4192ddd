"""The memory a run needs is said before the work starts; a subset that cannot fit is refused."""

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from marinenet import memory
from marinenet.cli import app
from marinenet.errors import InputDataError
from marinenet.ocean.reader import open_currents

from .test_ocean_layouts import _small_cmems


def test_run_estimate_adds_forcing_particles_and_tracks(monkeypatch):
    monkeypatch.setattr(memory, "available_bytes", lambda: 10**12)
    parts = memory.run_estimate(1e6, 10**6, "fast", 2, 1000, 11)
    assert parts["forcing"] == 2e6  # the fast engine holds its own float32 copy of the currents
    assert parts["particles"] == 10**6 * (50 + 2 * 40)
    assert parts["stored tracks"] == 1000 * 11 * 12
    assert parts["total"] == sum(v for k, v in parts.items() if k != "total")
    assert memory.run_estimate(1e6, 10**6, "parcels", 0, 0, 11)["particles"] == 10**6 * (900 + 40)


def test_currents_that_cannot_fit_are_refused_before_loading(tmp_path, monkeypatch):
    path = _small_cmems(tmp_path / "c.nc")
    t0 = np.datetime64("2021-01-01")
    monkeypatch.setattr(memory, "available_bytes", lambda: 100)  # 100 bytes free
    with pytest.raises(InputDataError, match=r"need .* in memory, more than this machine has free \(100 B\)"):
        open_currents(str(path), None, t0, t0 + np.timedelta64(2, "D"))
    monkeypatch.setattr(memory, "available_bytes", lambda: None)  # unknown: no check
    assert open_currents(str(path), None, t0, t0 + np.timedelta64(2, "D"))["u"].size > 0


def test_cli_refuses_with_exit_code_2_and_writes_nothing(tmp_path, monkeypatch):
    path = _small_cmems(tmp_path / "c.nc")
    sc = {
        "name": "m",
        "ocean": {"source": str(path)},
        "release": {"from": {"points": [[2.0, 2.0]]}, "particles": 1, "start": "2021-01-01T00:00"},
        "simulation": {"duration": "1 day"},
        "output": "out",
    }
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(sc))
    monkeypatch.setattr(memory, "available_bytes", lambda: 100)
    res = CliRunner().invoke(app, ["run", str(tmp_path / "s.yaml"), "--quiet", "--no-maps"])
    assert res.exit_code == 2 and "more than this machine has free" in res.output
    assert not (tmp_path / "out").exists()
