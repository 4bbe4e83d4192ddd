"""The shipped surface-drifting turtle profile (issue 18 item 5): cited parameters, and it runs on both engines.

Expectation from outside the code: in uniform fields (current 0.1 m/s east, 10 m wind (5, -3) m/s, Stokes
(0.05, 0.06) m/s, the files of test_windage_stokes) a particle moves at 0.1 + 0.01·5 + 0.05 = 0.2 m/s east
and 0.01·(-3) + 0.06 = 0.03 m/s north: latitude linear in time, longitude by the loxodrome closed form.
"""

from __future__ import annotations

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from marinenet.behaviour.config import PROFILE_DIR, BehaviourConfig, available_profiles
from marinenet.cli import app
from marinenet.engine import ENGINES

from .conftest import DEG2M
from .test_windage_stokes import DAY, LAT0, LON0, _ends, _scenario, files  # noqa: F401 (fixture)

NAME = "cold_stunned_kemps_ridley"


def test_turtle_profile_loads_with_each_parameter_cited():
    assert NAME in available_profiles()
    cfg = BehaviourConfig(profile=NAME)
    assert cfg.kind == "passive" and cfg.windage == pytest.approx(0.01) and cfg.stokes is True
    preset = yaml.safe_load((PROFILE_DIR / f"{NAME}.yaml").read_text())
    params = set(preset) - {"description", "sources"}
    assert params <= set(cfg.sources), params - set(cfg.sources)
    for key in params:
        assert "Manral" in cfg.sources[key] and "2024" in cfg.sources[key]
    assert "0.001, 0.01, 0.02 or 0.03" in cfg.sources["windage"]  # the settings the source tested


def test_profiles_command_lists_the_turtle():
    res = CliRunner().invoke(app, ["profiles"])
    assert res.exit_code == 0, res.output
    assert f"{NAME} (passive)" in res.output and "Manral" in res.output


def test_turtle_profile_needs_wind_and_waves(files):  # noqa: F811
    path = _scenario(files, "turtle_nowind", {"profile": NAME}, {})
    res = CliRunner().invoke(app, ["validate", str(path)])
    assert res.exit_code == 2, res.output
    assert "give ocean.wind" in " ".join(res.output.split()), res.output


@pytest.mark.parametrize("engine", ENGINES)
def test_turtle_profile_drifts_with_current_windage_and_stokes(files, engine):  # noqa: F811
    path = _scenario(files, f"turtle_{engine}", {"profile": NAME},
                     {"wind": "wind_2021.nc", "waves": "waves.nc"}, engine)  # fmt: skip
    assert CliRunner().invoke(app, ["validate", str(path)]).exit_code == 0
    tr = _ends(path, engine)
    u, v = 0.1 + 0.01 * 5.0 + 0.05, 0.01 * -3.0 + 0.06
    lat_end = LAT0 + v * 2 * DAY / DEG2M
    np.testing.assert_allclose(tr.end_lat, lat_end, atol=1e-7)  # Stokes 0.06 is float32 in the file

    def gd_inv(lat):
        return np.log(np.tan(np.pi / 4 + np.deg2rad(lat) / 2))

    expected = LON0 + (u / v) * np.rad2deg(gd_inv(lat_end) - gd_inv(LAT0))
    np.testing.assert_allclose(tr.end_lon, expected, atol=1e-6)
