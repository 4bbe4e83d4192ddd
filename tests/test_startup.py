"""Start-up stays light, and optional dependencies missing give a clear error (issue 17).

``import marinenet`` and ``marinenet --help`` must not import the numerical stack: the timings
(``scripts/bench_startup.py``, docs/benchmarks.md) follow from which modules load, which is
what these tests check, in a fresh interpreter each.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from .bad_input import (
    QUICK_BASE,
    assert_accepted,
    assert_refused,
    box,
    cli,
    currents,
    feature,
    geojson,
    mutated,
    write_yaml,
)

HEAVY = (
    "numpy", "pandas", "xarray", "scipy", "geopandas", "shapely", "pyproj", "matplotlib", "numba",
    "dask", "distributed", "cartopy", "parcels", "netCDF4", "pydantic", "networkx",
)  # fmt: skip

_REPORT = "import sys; print('LOADED:' + ','.join(sorted(m for m in {heavy!r} if m in sys.modules)))"


def _loaded_after(code: str) -> tuple[list[str], str]:
    """Heavy modules a fresh interpreter holds after ``code``; and what it printed before."""
    proc = subprocess.run(
        [sys.executable, "-c", code + "\n" + _REPORT.format(heavy=HEAVY)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    before, _, last = proc.stdout.rpartition("LOADED:")
    return [m for m in last.strip().split(",") if m], before


def test_import_marinenet_loads_no_numerical_stack():
    loaded, _ = _loaded_after("import marinenet; marinenet.__version__; marinenet.ScenarioError")
    assert loaded == []


def test_cli_help_loads_no_numerical_stack():
    code = (
        "import runpy, sys\nsys.argv = ['marinenet', '--help']\ntry:\n"
        "    runpy.run_module('marinenet.cli', run_name='__main__')\nexcept SystemExit as e:\n"
        "    assert e.code in (0, None), e.code"
    )
    loaded, shown = _loaded_after(code)
    assert loaded == []
    assert "Usage" in shown and "run" in shown


def test_public_names_load_on_first_use():
    import marinenet
    import marinenet.pipeline
    import marinenet.scenario

    assert marinenet.run is marinenet.pipeline.run
    assert marinenet.load_scenario is marinenet.scenario.load_scenario
    assert all(getattr(marinenet, name) is not None for name in marinenet.__all__)
    assert marinenet.zones.__name__ == "marinenet.zones"  # submodules too, as before
    assert set(marinenet.__all__) <= set(dir(marinenet))
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        marinenet.nope  # noqa: B018


def test_a_submodule_import_leaves_the_public_function():
    """``marinenet.prepare`` is the function, also once the submodule marinenet.prepare is imported."""
    code = (
        "import marinenet, marinenet.prepare, marinenet.pipeline\n"
        "from marinenet.prepare import Prepared\n"
        "assert marinenet.prepare is marinenet.pipeline.prepare, marinenet.prepare\n"
        "assert callable(marinenet.prepare) and Prepared.__module__ == 'marinenet.prepare'"
    )
    _loaded_after(code)  # asserts the interpreter exited 0


@pytest.fixture
def data(tmp_path):
    currents(tmp_path / "cur.nc")
    geojson(tmp_path / "zones.geojson", [feature("A", box(1, 1, 4, 4)), feature("B", box(6, 6, 9, 9))])
    return tmp_path


def _scenario(d, engine: str) -> str:
    sc = mutated(
        QUICK_BASE,
        {
            "ocean": {"source": str(d / "cur.nc")},
            "zones": {"zones": {"path": str(d / "zones.geojson"), "id": "name"}},
            "release.from": {"layer": "zones", "ids": ["A"]},
            "simulation.engine": engine,
            "output": str(d / "out"),
        },
    )
    return str(write_yaml(d / f"{engine}.yaml", sc))


def test_parcels_engine_without_parcels_is_refused_at_validate(data, monkeypatch):
    """Parcels is the [parcels] extra: asking for its engine without it names the install command."""
    monkeypatch.setitem(sys.modules, "parcels", None)  # as if not installed
    for res in (cli("validate", _scenario(data, "parcels")), cli("run", _scenario(data, "parcels"), "-q")):
        assert_refused(res, "Parcels is not installed", 'pip install "marinenet[parcels]"')
    assert not (data / "out").exists()  # nothing written
    assert_accepted(cli("validate", _scenario(data, "auto")))  # the default engine does not need it
    assert_accepted(cli("validate", _scenario(data, "fast")))


def test_workers_without_distributed_is_refused(data, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    res = cli("run", _scenario(data, "fast"), "-q", "--no-maps", "--workers", "1")
    assert_refused(res, "dask.distributed", 'pip install "marinenet[dask]"')
