"""The background compile (marinenet.warmup): it compiles what the run then uses, and a failed
warm-up loses nothing (the run compiles for itself)."""

from __future__ import annotations

import threading

import numba
import pytest

import marinenet
from marinenet import warmup
from marinenet.engine import fast_engine

from .bad_input import box, currents, feature, geojson


@pytest.fixture
def scenario(tmp_path):
    currents(tmp_path / "cur.nc", u=0.2)
    geojson(tmp_path / "eez.geojson", [feature("A", box(1, 1, 4, 4)), feature("B", box(4, 1, 8, 4))])
    return marinenet.scenario_from_dict(
        {
            "name": "warm",
            "seed": 2,
            "ocean": {"source": str(tmp_path / "cur.nc")},
            "zones": {"eez": {"path": str(tmp_path / "eez.geojson"), "id": "name"}},
            "release": {"from": {"layer": "eez"}, "particles": 40, "start": "2021-03-01T00:00"},
            "simulation": {"duration": "2 days", "dt": "1 hour", "output_every": "1 day", "engine": "fast"},
        }
    )


def test_warmup_compiles_the_signature_the_run_uses(scenario, tmp_path, monkeypatch):
    seen: dict[str, set] = {}
    real = fast_engine.compile_stepper

    def recording(state, ff, prm):  # the numba types of every argument the stepper is called with
        inner = prm.advance

        def record(*args):
            who = threading.current_thread().name
            seen.setdefault(who, set()).add(tuple(numba.typeof(a) for a in args))
            return inner(*args)

        prm.advance = record
        try:
            return real(state, ff, prm)
        finally:
            prm.advance = inner

    monkeypatch.setattr(fast_engine, "compile_stepper", recording)
    marinenet.run(scenario, out=tmp_path / "out", maps=False)
    assert set(seen) == {"marinenet-warmup", threading.main_thread().name}
    # one signature, the same in both: the run reuses the stepper the warm-up compiled
    assert len(seen["marinenet-warmup"]) == 1
    assert seen["marinenet-warmup"] == seen[threading.main_thread().name]


def test_a_failed_warmup_is_only_noted(scenario, monkeypatch):
    def broken(request):
        raise RuntimeError("no fields here")

    monkeypatch.setattr(fast_engine, "fast_fields", broken)
    w = warmup.start(scenario).wait(600)
    assert w.failed == ["fast engine: RuntimeError: no fields here"]
    assert w.done == ["zone lookup", "analytics"]  # the other kernels were still warmed


def test_parcels_runs_warm_no_fast_engine(scenario):
    sc = scenario.model_copy(
        update={"simulation": scenario.simulation.model_copy(update={"engine": "parcels"})}
    )
    w = warmup.start(sc).wait(600)
    assert w.done == ["zone lookup", "analytics"]


def test_the_registry_and_shared_packages_are_loaded_before_the_thread_starts(scenario, monkeypatch):
    """Two threads importing dask at once met a partially initialised module (ImportError in a run
    that opened its files while the warm-up imported), and the registry was marked loaded before
    its modules were in it: both are done in the calling thread before the warm-up thread starts."""
    import sys

    from marinenet.behaviour import registry

    started = []
    real_start = threading.Thread.start

    def spy(self):
        started.append((registry._loaded, len(registry.REGISTRY), "dask.array" in sys.modules))
        return real_start(self)

    monkeypatch.setattr(threading.Thread, "start", spy)
    warmup.start(scenario).wait()
    loaded, n, dask_in = started[0]
    assert loaded and n >= len(registry.BUILTIN) and dask_in
