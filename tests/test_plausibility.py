"""Implausible currents are refused or warned about (issue 19 item 3): land written as a number
without a fill attribute, impossible speeds, units off by 100; real files and the demo pass."""

import json
import logging

import numpy as np
import pytest
import xarray as xr
import yaml
from typer.testing import CliRunner

from marinenet.cli import app
from marinenet.ocean import open_ocean
from marinenet.ocean.plausibility import check_plausible
from marinenet.ocean.reader import open_currents

from .conftest import SHARED_DATA

T0 = np.datetime64("2021-01-01")
LON, LAT = np.arange(0, 5.01, 0.25), np.arange(0, 5.01, 0.25)
LAND = np.broadcast_to(LON >= 4, (LAT.size, LON.size))  # a coast at 4°E, eastward flow onto it


def _write(path, u, v, land_value=None, units="m s-1", fill_attr=None):
    times = np.array([T0 + np.timedelta64(k, "D") for k in range(4)])
    shape = (times.size, LAT.size, LON.size)
    uu, vv = np.broadcast_to(u, shape).astype("f4").copy(), np.broadcast_to(v, shape).astype("f4").copy()
    uu[:, LAND] = np.nan if land_value is None else land_value
    vv[:, LAND] = np.nan if land_value is None else land_value
    std = {"uo": "eastward", "vo": "northward"}
    ds = xr.Dataset(
        {n: (("time", "latitude", "longitude"), a) for n, a in (("uo", uu), ("vo", vv))},
        coords={"time": times, "latitude": LAT, "longitude": LON},
    )
    for n in ds.data_vars:
        ds[n].attrs = {"units": units, "standard_name": f"{std[n]}_sea_water_velocity"}
    enc = {n: {"_FillValue": fill_attr if fill_attr is not None else None} for n in ds.data_vars}
    ds.to_netcdf(path, encoding=enc)
    return path


def _run(tmp_path):
    sc = {
        "name": "plaus",
        "seed": 1,
        "ocean": {"source": "c.nc"},
        "release": {
            "from": {"points": [[3.0, 2.5], [3.5, 2.0]]},
            "particles": 20,
            "start": "2021-01-01T00:00",
        },
        "simulation": {"duration": "3 days", "dt": "1 hour", "engine": "fast"},
        "output": "out",
    }
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(sc))
    return CliRunner().invoke(app, ["run", str(tmp_path / "s.yaml"), "--no-maps", "-q"])


@pytest.mark.parametrize("fill", [-999.0, 9999.0, 1e20, -32767.0])
def test_land_written_as_a_number_is_refused_by_name(tmp_path, fill):
    """Before (-999): the run succeeded and all 40 particles ended out_of_domain, none stranded."""
    _write(tmp_path / "c.nc", 0.5, 0.0, land_value=fill)
    res = _run(tmp_path)
    assert res.exit_code == 2, res.output
    text = " ".join(res.output.split())
    assert "c.nc" in text and "'uo'" in text and f"{fill:g}" in text and "_FillValue" in text
    assert "Traceback" not in res.output


def test_the_advised_fix_makes_land_strand(tmp_path):
    """The same file with _FillValue = -999 declared: particles reach the coast and strand."""
    _write(tmp_path / "c.nc", 0.5, 0.0, land_value=None, fill_attr=-999.0)
    with xr.open_dataset(tmp_path / "c.nc", mask_and_scale=False) as raw:
        assert float(raw["uo"].values[0, 0, -1]) == -999.0  # -999 written on land, and declared
    res = _run(tmp_path)
    assert res.exit_code == 0, res.output
    s = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert s["stranded"] == 40 and s["out_of_domain"] == 0  # 0.5 m/s × 3 days = 1.2° > 0.875° to the coast


@pytest.mark.parametrize(
    ("u", "units", "words"),
    [
        (500.0, "m s-1", ["500", "units"]),  # before: every particle left after one step
        (np.linspace(20, 60, LON.size), "m s-1", ["reaches 50 m/s", "cm s-1"]),  # cm/s labelled m/s
        (999.0, "cm s-1", ["999", "_FillValue"]),  # 9.99 m/s: a fill value, whatever its units
    ],
)
def test_impossible_speeds_are_refused(tmp_path, u, units, words):
    _write(tmp_path / "c.nc", u, 0.0, units=units)
    with pytest.raises(Exception) as err:
        open_currents(str(tmp_path / "c.nc"), None, T0, T0 + np.timedelta64(2, "D"))
    assert type(err.value).__name__ == "InputDataError"
    for w in words:
        assert w in str(err.value), str(err.value)


def test_fast_but_possible_currents_get_a_warning(tmp_path, caplog):
    _write(tmp_path / "c.nc", np.linspace(0.5, 6.0, LON.size), 0.0)
    with caplog.at_level(logging.WARNING, logger="marinenet"):
        ds = open_currents(str(tmp_path / "c.nc"), None, T0, T0 + np.timedelta64(2, "D"))
    assert float(ds.u.max()) == pytest.approx(0.5 + 15 * 5.5 / 20, rel=1e-6)  # the last water column
    assert "reach 4.62 m/s" in caplog.text and "faster than almost any ocean current" in caplog.text


REAL = [  # file, extra keys, window (None: every time step of the file)
    ("roms_arctic20_2017-02_surface.nc", {}, ("2017-02-01", "2017-02-02")),  # hourly: one day
    ("roms_arctic20_2016-02_3d.nc", {"three_d": True}, None),
    ("roms_nordic4km_2016-02_sigma.nc", {"three_d": True}, None),
    ("croco_benguela_his.nc", {"grid": "croco_benguela_grd.nc", "time_origin": "2008-01-01"}, None),
]


@pytest.mark.parametrize(("name", "extra", "window"), REAL, ids=[r[0][:20] for r in REAL])
def test_real_files_pass_without_a_plausibility_warning(name, extra, window, caplog):
    ocean = SHARED_DATA / "ocean"
    if not (ocean / name).exists():
        pytest.skip("../shared/data is not present")
    kw = {k: (str(ocean / v) if k == "grid" else v) for k, v in extra.items()}
    t0, t1 = (np.datetime64(w) for w in window) if window else (None, None)
    with caplog.at_level(logging.WARNING, logger="marinenet"):
        open_currents(str(ocean / name), None, t0, t1, **kw)
    assert "faster than almost any" not in caplog.text


def test_demo_currents_pass(caplog):
    ds = open_ocean("demo", np.datetime64("2021-03-01"), np.datetime64("2021-04-15"))
    with caplog.at_level(logging.WARNING, logger="marinenet"):
        check_plausible(ds, "demo", {"u": "u", "v": "v"}, {"u": 1.0, "v": 1.0})
    assert caplog.text == ""
