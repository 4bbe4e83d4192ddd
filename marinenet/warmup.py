"""Compile the run's numba kernels in a background thread while the run loads its inputs.

The first run after an install compiles the fast engine's stepper, the zone lookup and the
coherence kernels (numba; cached on disk afterwards). :func:`start` does that on a tiny problem
of the same types as the run's, in a thread, while the zones and currents load: when the run
reaches tracking the stepper is ready (or the run waits for the rest, under the
:data:`~marinenet.progress.COMPILING` message). numba compiles each signature once per
process under its own lock, so the run reuses what the warm-up compiled and the results are
those of a run without it. A warm-up that fails only says so in the debug log: the run's own
compile of the same kernel then raises the error where it always did.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field

import numpy as np

__all__ = ["Warmup", "start"]

log = logging.getLogger("marinenet")


@dataclass
class Warmup:
    """The background compile of one run: its thread, what it compiled, how long it took."""

    thread: threading.Thread | None = None
    done: list[str] = field(default_factory=list)  # kernels compiled or loaded, in order
    failed: list[str] = field(default_factory=list)  # 'kernel: error' of each that failed
    seconds: float = 0.0

    def wait(self, timeout: float | None = None) -> Warmup:
        """Block until the warm-up has finished (tests, benchmarks); the run itself never needs to."""
        if self.thread is not None:
            self.thread.join(timeout)
        return self


def start(scenario) -> Warmup:
    """Start compiling what a run of ``scenario`` will need (a daemon thread: never delays an exit)."""
    w = Warmup()
    _import_first(coherence=scenario.analysis is not None and scenario.analysis.coherence is not None)
    jobs = [("zone lookup", _zone_lookup)]
    if scenario.simulation.engine != "parcels":
        jobs.append(("fast engine", lambda: _stepper(scenario)))
    if scenario.analysis is not None and scenario.analysis.coherence is not None:
        jobs.append(("coherence", _coherence))
    w.thread = threading.Thread(target=_run, args=(w, jobs), name="marinenet-warmup", daemon=True)
    w.thread.start()
    return w


def _import_first(coherence: bool) -> None:
    """Import here, in the calling thread, what the warm-up and the run both import: two threads
    importing the same package at once can meet a partially initialised module (dask's circular
    imports raise ImportError), and the behaviour registry is loaded once, before either uses it."""
    import dask.array  # noqa: F401 - xarray imports it lazily when the run opens its files
    import geopandas  # noqa: F401
    import xarray  # noqa: F401

    from .behaviour.registry import behaviours
    from .engine import base, fast_engine  # noqa: F401
    from .zones import index  # noqa: F401

    behaviours()
    if coherence:
        from .connectivity import coherence as _  # noqa: F401


def _run(w: Warmup, jobs) -> None:
    t0 = time.perf_counter()
    for name, job in jobs:
        try:
            job()
            w.done.append(name)
        except Exception as exc:  # noqa: BLE001 - the run's own compile reports it
            w.failed.append(f"{name}: {type(exc).__name__}: {exc}")
            log.debug("warm-up of the %s failed (the run compiles it itself): %s", name, exc)
    w.seconds = time.perf_counter() - t0
    log.debug("warm-up: %s in %.1f s", ", ".join(w.done) or "nothing", w.seconds)


def _zone_lookup() -> None:
    from shapely.geometry import box

    from .zones.index import ZoneIndex

    ZoneIndex([box(0.0, 0.0, 1.0, 1.0)], 0.25).first(np.array([0.5, 0.1]), np.array([0.5, 0.99]))


def _coherence() -> None:
    from .connectivity.coherence import importance

    importance(np.array([1.0, 2.0, 1.0]), np.array([[0.0, 0.5, 0.0], [0.2, 0.0, 0.3], [0.0, 0.1, 0.0]]))


def tiny_ocean():
    """A 2-day, 4×4-cell 2-D ocean of the same types as every canonical Dataset the fast engine takes."""
    import xarray as xr

    time_ = np.array(["2000-01-01", "2000-01-02"], "datetime64[ns]")
    lat, lon = np.arange(4, dtype=np.float64), np.arange(4, dtype=np.float64)
    zero = np.zeros((2, 4, 4), np.float32)
    return xr.Dataset(
        {
            "u": (("time", "lat", "lon"), zero + 0.1),
            "v": (("time", "lat", "lon"), zero.copy()),
            "land": (("lat", "lon"), np.zeros((4, 4), bool)),
        },
        coords={"time": time_, "lat": lat, "lon": lon},
    )


class _AnyLayer(dict):
    """Zone layers for :func:`_stepper`: whatever layer a behaviour asks for, one box on the tiny ocean."""

    def __missing__(self, name: str):
        import geopandas as gpd
        from shapely.geometry import box

        from .zones import ZoneLayer

        frame = gpd.GeoDataFrame({"id": ["a"]}, geometry=[box(0.0, 0.0, 3.0, 3.0)], crs="EPSG:4326")
        self[name] = ZoneLayer(name, frame)
        return self[name]


def _stepper(scenario) -> None:
    """The fast engine's stepper for the scenario's behaviours, on :func:`tiny_ocean` (no particles)."""
    from .behaviour.registry import from_scenario
    from .engine.base import EngineRequest
    from .engine.fast_engine import compile_stepper, fast_fields, new_state, parameters

    ocean = tiny_ocean()
    sim = scenario.simulation
    request = EngineRequest(
        ocean=ocean,
        lon=np.array([1.5]),
        lat=np.array([1.5]),
        start=ocean["time"].values[0],
        duration=float(sim.duration),
        dt=float(sim.dt),
        output_every=float(sim.output_every),
        seed=scenario.seed,
        coast=scenario.ocean.coast,
        diffusion=scenario.behaviour.diffusion,
        behaviours=from_scenario(scenario, ocean, _AnyLayer()),
    )
    ff = fast_fields(request)
    compile_stepper(new_state(request, ff), ff, parameters(request, ff))
