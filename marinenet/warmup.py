"""Compile the run's numba kernels in the background while the run loads its inputs.

The first run after an install compiles the fast engine's stepper, the zone lookup, the
streamed tallies, the arrival tables and the coherence kernels (numba; cached on disk
afterwards). :func:`start` does that on tiny problems of the same types as the run's, in a
thread, while the zones and currents load. When the stepper is not yet in numba's disk cache
(the first run), it says so on the console (:data:`~marinenet.progress.COMPILING`, with the
time it takes) and compiles the stepper in a child process instead: numba holds the GIL for
much of a compile, so a thread would mostly take turns with the run's own loading, while a
process compiles on another core; the child fills the disk cache, the run waits for it before
tracking (:meth:`Warmup.ready`) and then loads the stepper from there. numba compiles each
signature once per process under its own lock, so the run reuses what the warm-up compiled and
the results are those of a run without it. A warm-up that fails only says so in the debug log:
the run's own compile of the same kernel then raises the error where it always did.

``python -m marinenet.warmup`` is that child (a pickled scenario on its standard input);
``marinenet warmup`` runs the same for given scenarios ahead of time (e.g. in an image build).
"""

from __future__ import annotations

import logging
import os
import pickle
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

__all__ = ["Warmup", "start", "compile_all"]

log = logging.getLogger("marinenet")

#: seconds the child compiling the fast engine's stepper takes, from its start (imports included) to
#: the stepper in the disk cache: a fixed part and one per behaviour composed into it (the "about
#: N s" of the message). Measured on a quiet 2-core x86_64 machine, the run loading on the other
#: core: the demo's stepper (3 behaviours) 8.9 s wall (1.6 s of imports and arguments, 6.8 s of
#: compile); a stepper of every behaviour 13.5 s of compile (docs/benchmarks.md, "First run after
#: an install")
STEPPER_SECONDS = (6.5, 0.75)


def compile_estimate(n_behaviours: int) -> int:
    """About how many seconds the first compile of a stepper with ``n_behaviours`` steps takes."""
    base, each = STEPPER_SECONDS
    return round(base + each * n_behaviours)


@dataclass
class Warmup:
    """The background compile of one run: its thread, what it compiled, how long it took."""

    thread: threading.Thread | None = None
    done: list[str] = field(default_factory=list)  # kernels compiled or loaded, in order
    failed: list[str] = field(default_factory=list)  # 'kernel: error' of each that failed
    seconds: float = 0.0
    child: subprocess.Popen | None = None  # the process compiling the stepper (first run only)
    decided: threading.Event = field(default_factory=threading.Event)  # child started, or not needed
    estimate: int = 0  # about how many seconds the child's compile takes
    started: float = field(default_factory=time.perf_counter)

    def wait(self, timeout: float | None = None) -> Warmup:
        """Block until the warm-up has finished (tests, benchmarks); the run itself never needs to."""
        if self.thread is not None:
            self.thread.join(timeout)
        return self

    def ready(self, timeout: float = 3600.0) -> float:
        """Before tracking: wait for the child compiling the stepper, if any (saying so on the status
        line), so that the run loads the stepper from the disk cache instead of compiling it again.
        Returns the seconds waited for the child."""
        from .progress import COMPILING, phase

        self.decided.wait(timeout)
        child = self.child
        if child is None or not self.estimate or child.poll() is not None:
            return 0.0  # (no child, or one started early for a stepper that was in the disk cache)
        t0 = time.perf_counter()
        left = max(1, round(self.estimate - (t0 - self.started)))
        phase(f"{COMPILING} about {left} s left")
        try:
            child.wait(timeout)
        except subprocess.TimeoutExpired:
            pass
        waited = time.perf_counter() - t0
        log.info("waited %.1f s for the fast engine's first compile", waited)
        return waited

    def stop(self) -> None:
        """End the child compile if it still runs (a run that stopped early)."""
        if self.child is not None and self.child.poll() is None:
            self.child.kill()
            self.child.wait()


def start(scenario) -> Warmup:
    """Start compiling what a run of ``scenario`` will need (a daemon thread: never delays an exit)."""
    w = Warmup()
    if scenario.simulation.engine != "parcels" and not _any_stepper_compiled():
        _start_child(scenario, w)  # the first run after an install: the child imports on another core
    coherence = scenario.analysis is not None and scenario.analysis.coherence is not None
    _import_first(coherence=coherence)
    jobs = _jobs(scenario, w)
    if scenario.simulation.engine == "parcels":
        w.decided.set()
    w.thread = threading.Thread(target=_run, args=(w, jobs), name="marinenet-warmup", daemon=True)
    w.thread.start()
    return w


def _jobs(scenario, w: Warmup | None) -> list:
    """(name, job) of every kernel group a run of ``scenario`` uses; the stepper first (with ``w``:
    compiled in a child process when it is not yet in the disk cache)."""
    jobs = []
    if scenario.simulation.engine != "parcels":
        jobs.append(("fast engine", lambda: _stepper(scenario, w)))
    jobs += [("zone lookup", _zone_lookup), ("analytics", _analytics)]
    if scenario.analysis is not None and scenario.analysis.coherence is not None:
        jobs.append(("coherence", _coherence))
    return jobs


def compile_all(scenario) -> list[str]:
    """Compile (or load) in this thread every kernel a run of ``scenario`` uses; their names."""
    _import_first(coherence=True)
    names = []
    for name, job in _jobs(scenario, None):
        job()
        names.append(name)
    return names


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
    later = []  # (name, the rest of a job): what waits for the child compile, done last
    for name, job in jobs:
        try:
            rest = job()
            if callable(rest):
                later.append((name, rest))
            else:
                w.done.append(name)
        except Exception as exc:  # noqa: BLE001 - the run's own compile reports it
            _failed(w, name, exc)
        finally:
            w.decided.set()
    for name, rest in later:
        try:
            rest()
            w.done.append(name)
        except Exception as exc:  # noqa: BLE001
            _failed(w, name, exc)
    w.seconds = time.perf_counter() - t0
    log.debug("warm-up: %s in %.1f s", ", ".join(w.done) or "nothing", w.seconds)


def _failed(w: Warmup, name: str, exc: Exception) -> None:
    w.failed.append(f"{name}: {type(exc).__name__}: {exc}")
    log.debug("warm-up of the %s failed (the run compiles it itself): %s", name, exc)


def _zone_lookup() -> None:
    from shapely.geometry import box

    from .zones.index import ZoneIndex

    ZoneIndex([box(0.0, 0.0, 1.0, 1.0)], 0.25).first(np.array([0.5, 0.1]), np.array([0.5, 0.99]))


def _analytics() -> None:
    """The streamed zone tallies (a table that grows) and the arrival and exposure tables."""
    from .connectivity.exposure import arrival_table, exposure_table
    from .streaming import Streams, Survival

    layer = _AnyLayer()["warm-up"]
    n = 20  # more cells than the tally's first table holds: it grows once
    lon0, lat0 = np.linspace(0.5, 5.0, n), np.linspace(0.5, 2.5, n)
    for survival in (None, Survival(1e-6, n)):
        streams = Streams({"a": layer}, lon0, lat0, survival)
        idx = np.arange(n)
        streams.released(idx, lon0, lat0)
        streams.stepped(idx, lon0[::-1].copy(), lat0, np.full(n, 3600.0), np.full(n, 3600.0))
        ls = streams.layers["a"]
        visits = ls.visits()
        sources = ["a" if i % 2 else "out" for i in range(n)]
        arrival_table(sources, visits, ls.zones, survival)
        exposure_table(sources, visits, ls.zones, survival)


def _coherence() -> None:
    from .connectivity.coherence import importance, resampled_values

    a = np.array([1.0, 2.0, 1.0])
    p = np.array([[0.0, 0.5, 0.0], [0.2, 0.0, 0.3], [0.0, 0.1, 0.0]])
    importance(a, p)
    resampled_values(a, p, np.array([0, 1]), np.array([2]), 10.0)


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


def _stepper(scenario, w: Warmup | None):
    """The fast engine's stepper for the scenario's behaviours, on :func:`tiny_ocean` (no particles).

    With ``w``, a stepper not yet in numba's disk cache is compiled in a child process (the first
    run after an install, or new behaviours): this returns what loads it once the child is done.
    """
    from .engine.fast_engine import compile_stepper

    state, ff, prm = _stepper_args(scenario)
    if w is not None and not _in_disk_cache(prm.advance):
        w.estimate = compile_estimate(len(prm.behaviours))
    if w is not None and w.estimate and (w.child is not None or _start_child(scenario, w)):
        log.info(first_run_message(w.estimate))

        def load() -> None:
            assert w.child is not None
            if w.child.wait() != 0:  # the run's own compile (here) then reports what went wrong
                log.debug("the child compile of the fast engine exited with %s", w.child.returncode)
            compile_stepper(state, ff, prm)

        return load
    compile_stepper(state, ff, prm)
    return None


def _in_disk_cache(dispatcher) -> bool:
    """Whether numba's disk cache holds a compiled version of ``dispatcher`` (any signature; True
    where that cannot be told: then the warm-up thread compiles as before)."""
    try:
        return bool(dispatcher._cache._cache_file._load_index())
    except Exception:  # noqa: BLE001 - no disk cache, or another numba
        return True


def _any_stepper_compiled() -> bool:
    """Whether the kernel cache holds any generated stepper: if not (the first run after an install),
    the stepper is compiled in a child started before the run's imports (:func:`start`)."""
    import tempfile

    from .engine._fast_compose import kernel_dir

    folders = [kernel_dir(), Path(tempfile.gettempdir()) / f"marinenet-kernels-{os.getuid()}"]
    try:
        return any(next(f.glob("track_*.py"), None) is not None for f in folders if f.is_dir())
    except OSError:
        return True  # (then the child starts once the stepper is known not to be in the disk cache)


def _start_child(scenario, w: Warmup) -> bool:
    """Start ``python -m marinenet.warmup`` on ``scenario``'s stepper; False if it cannot start."""
    import marinenet

    try:
        data = pickle.dumps(scenario)
        here = os.path.dirname(os.path.dirname(os.path.abspath(marinenet.__file__)))
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [here, os.environ.get("PYTHONPATH")])),
        }
        child = subprocess.Popen(
            [sys.executable, "-m", "marinenet.warmup"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        assert child.stdin is not None
        child.stdin.write(data)
        child.stdin.close()
    except Exception as exc:  # noqa: BLE001 - then the thread compiles it, as before
        log.debug("no child compile (%s): the warm-up thread compiles the stepper", exc)
        return False
    w.child = child
    return True


def first_run_message(seconds: int) -> str:
    return (
        f"compiling the fast engine (first run only, about {seconds} s; numba keeps it in its disk "
        "cache) while the inputs load …"
    )


def _stepper_args(scenario):
    """(state, fields, parameters) of the scenario's stepper on :func:`tiny_ocean` (no particles)."""
    from .behaviour.registry import from_scenario
    from .engine.base import EngineRequest
    from .engine.fast_engine import fast_fields, new_state, parameters

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
    return new_state(request, ff), ff, parameters(request, ff)


if __name__ == "__main__":  # the child compile: the scenario, pickled, on standard input
    _stepper(pickle.load(sys.stdin.buffer), None)  # (one thread: no shared imports to load first)
