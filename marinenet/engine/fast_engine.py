"""The fast engine: compiled (numba) RK4 on regular lon/lat grids, 2-D or 3-D z-levels.

It gives Parcels' answers (same interpolation, metric, land and edge rules; see
:mod:`marinenet.engine._fast_kernels`) 25–50× faster, and adds what long runs need:
threads, per-particle random streams (identical results in any batching), and a state
that can be saved and resumed (:class:`FastState`).

Behaviours are the registered plug-ins (:mod:`marinenet.behaviour.registry`), compiled into
the stepper (:mod:`~marinenet.engine._fast_compose`); custom kernels run in Python between the
compiled halves of every step (:mod:`~marinenet.engine.custom`). Grids other than a regular
lon/lat grid go to the Parcels engine (:func:`fast_supported` says why).
"""

from __future__ import annotations

import time as _time
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..behaviour import mortality, swim
from ..behaviour.registry import find, resolve, unsupported
from . import _fast_kernels as fk
from . import _threads
from ._common import PARCELS_DEG2M
from ._fast_compose import stepper
from ._order import Order
from .base import EngineRequest, ProgressCallback, Status, StepObserver, TrackSink, Trajectories
from .checkpoint import Checkpoint
from .fast_fields import FastFields, fast_fields, field_dtype  # noqa: F401 - re-exported
from .observing import Beside
from .stepping import handback_times, per_step, settling

__all__ = ["run_fast", "fast_supported", "FastFields", "FastState", "fast_fields", "new_state"]


def fast_supported(request: EngineRequest) -> tuple[bool, str]:
    """Whether the fast engine can run ``request``, and if not, why."""
    ds = request.ocean
    for name in ("lon", "lat"):
        if ds[name].ndim != 1:
            return False, f"the currents' {name} is not 1-D (curvilinear grid)"
        if not np.all(np.diff(ds[name].values) > 0):
            return False, f"the currents' {name} is not strictly increasing"
    why = unsupported("fast", ds, request.behaviours)
    if why:
        return False, why
    return True, "regular lon/lat grid"


@dataclass
class Compiled:
    """What the stepper takes besides the state: the run's core, the behaviours' compiled forms."""

    core: fk.Core
    behaviours: tuple  # compiled forms (fast_params) of the stepper's behaviours (:func:`_held`), in order
    dt: float
    max_age: float
    advance: Any  # the generated stepper (:mod:`~marinenet.engine._fast_compose`)
    own_state: tuple = ()  # (form index, field name, checkpoint key) of the behaviours' arrays (``fast_state``)
    threads: int = 1  # threads that move the particles (:mod:`~marinenet.engine._threads`)


def parameters(request: EngineRequest, ff: FastFields) -> Compiled:
    """The stepper's inputs for ``request`` on the fields ``ff``."""
    why = unsupported("fast", request.ocean, request.behaviours)
    if why:
        raise ValueError(why)
    three = ff.depth.size > 1
    step = min(float(np.min(np.diff(ff.lon))), float(np.min(np.diff(ff.lat))))
    axes = tuple(tuple(float(v) for v in fk._axis(a)) for a in (ff.times, ff.depth, ff.lat, ff.lon))
    core = fk.Core(
        deg2m=PARCELS_DEG2M, seed=np.int64(request.seed), periodic=ff.periodic, three=three,
        has_w=ff.has_w, top=float(ff.depth[0]), h=0.25 * step,
        count=request.coast != "stop" or request.diffusion > 0, has_out=ff.mask.shape[0] > 1,
        landm=ff.mask[0], outm=ff.mask[ff.mask.shape[0] - 1], depth=ff.depth, lat=ff.lat, lon=ff.lon,
        axes=axes,
    )  # fmt: skip
    forms: list = []
    steps: list = []
    own_state: list[tuple[int, str, str]] = []
    stepping = [(b, p) for b, p in resolve(request) if getattr(b, "fast_step", None) is not None]
    held = _held({b.NAME for b, p in stepping if p.on > 0})
    for at, (b, p) in enumerate(stepping):
        if held is not None and b.NAME not in held:
            continue
        own = getattr(b, "fast_params", None)
        form = own(p, ff) if own is not None and p.on > 0 else p
        per_particle = getattr(b, "fast_state", None)  # per-particle arrays of its own (e.g. development age)
        if per_particle is not None and p.on > 0:
            before, form = form, per_particle(form, request.lon.size)
            own_state += [  # keyed by the position among all steps: checkpoints keep their names
                (len(forms), f, f"b{at}_{f}")
                for f, a, o in zip(form._fields, form, before, strict=True)
                if a is not o
            ]
        forms.append(form)
        steps.append((b.Params, b.fast_step))
    return Compiled(
        core, tuple(forms), float(request.dt), float(request.duration), stepper(steps), tuple(own_state)
    )


#: the behaviours of most runs (passive particles, larvae, a random walk; the coast rule is always on)
COMMON = frozenset({"diffusion", "coast", "mortality"})


def _held(active: set[str]) -> frozenset[str] | None:
    """The behaviours the run's stepper holds: :data:`COMMON` when the run uses none other (a stepper with
    less to compile: half the compile of the passive demo), else every registered one (None). Two
    steppers at most per registry, however many mixes of behaviours a process or a test suite runs:
    each compiles once (a stepper per mix would compile each mix; a behaviour that is off costs no
    measurable speed, only compile time)."""
    return COMMON if active <= COMMON else None


@dataclass
class FastState:
    """Every particle's state between steps: all a resumed run needs."""

    x: np.ndarray
    y: np.ndarray
    z: np.ndarray
    t: np.ndarray  # s since the forcing's first time
    age: np.ndarray
    status: np.ndarray  # int8; 0 moving, else a final Status (FINISHED: tracked to the end)
    weight: np.ndarray
    dev: np.ndarray
    coast: np.ndarray
    nstep: np.ndarray
    pid: np.ndarray

    def arrays(self) -> dict[str, np.ndarray]:
        return {
            k: getattr(self, k)
            for k in ("x", "y", "z", "t", "age", "status", "weight", "dev", "coast", "nstep", "pid")
        }


def new_state(request: EngineRequest, ff: FastFields, pid: np.ndarray | None = None) -> FastState:
    """Particles at their release positions and times (only the arrays a run uses are full size)."""
    n = request.lon.size
    one = np.zeros(1)
    three = ff.depth.size > 1
    return FastState(
        x=np.asarray(request.lon, np.float64).copy(),
        y=np.asarray(request.lat, np.float64).copy(),
        z=np.full(n, np.clip(request.depth, ff.depth[0], ff.depth[-1])) if three else one.copy(),
        t=(request.releases - ff.origin) / np.timedelta64(1, "s"),
        age=np.zeros(n),
        status=np.zeros(n, np.int8),
        weight=np.ones(n) if request.larva is not None else np.ones(1),
        dev=np.zeros(n) if find(request.behaviours, swim.Params) is not None else one.copy(),
        coast=np.zeros(n if request.coast != "stop" or request.diffusion > 0 else 1, np.int32),
        nstep=np.zeros(n, np.int32),
        pid=np.arange(n, dtype=np.int64) if pid is None else np.asarray(pid, np.int64),
    )


def advance(
    state: FastState,
    ff: FastFields,
    prm: Compiled,
    t_end: float,
    phase: int = 0,
    scratch=None,
    first: int = 0,
    order: Order | None = None,
) -> None:
    """Move particles ``first..`` of ``state`` (all by default) to ``t_end`` (seconds since the
    forcing's first time), the forcing's window sliding on as they go (:meth:`TimeWindow.view`),
    visiting them in ``order`` (:class:`~marinenet.engine._order.Order`; None: ordered now).

    ``phase`` 1 and 2 split one step around Python kernels (see :mod:`~marinenet.engine._fast_compose`);
    ``scratch`` holds the step between them (:func:`~marinenet.engine.custom.scratch`): such a call
    holds the whole step in one view.
    """
    s = state
    sc = scratch if scratch is not None else _NO_SCRATCH
    order = Order(ff.lon, ff.lat, ff.periodic) if order is None else order
    while True:
        idx = order.moving(s, t_end, first)
        if idx.size == 0:
            return
        t_min = float(s.t[idx].min())
        view = ff.window.view(t_min, t_end, prm.dt, reach=phase != 0)
        forms, extra_hold = ff.extra.forms(prm.behaviours, t_min, t_end, prm.dt, phase != 0)
        hold = min(view.hold, extra_hold)  # the currents' and the extra fields' windows
        u, v = view.fields["u"], view.fields["v"]
        w = view.fields.get("w", _no_w(u.dtype))
        tail = (
            float(t_end), prm.dt, prm.max_age, u, v, w, ff.times, view.offset, hold, phase, *sc,
            *prm.core[:-1], np.array(prm.core.axes), *(f for form in forms for f in form),
        )  # fmt: skip
        _threads.run(prm.advance, tuple(s.arrays().values()), idx, tail, prm.threads)
        if hold >= t_end or phase != 0:
            return


def _no_w(dtype) -> np.ndarray:
    return np.zeros((1, 1, 1, 1), dtype)


_NO_SCRATCH = (np.zeros(1), np.zeros(1), np.zeros(1), np.zeros(1, np.int8))


def compile_stepper(state: FastState, ff: FastFields, prm: Compiled) -> float:
    """Compile the stepper for this run's argument types (or load it from numba's disk cache).

    Called with no particles, before tracking, so that the one-off compile is timed on its own
    (``Trajectories.compile_seconds``) and not counted as engine time. Returns the seconds spent.
    """
    from ..progress import COMPILING, phase

    if not getattr(prm.advance, "signatures", None):  # not yet compiled in this process: say so
        phase(COMPILING)
    t0 = _time.perf_counter()
    view = ff.window.view(ff.times[0], ff.times[0], prm.dt)
    forms, _ = ff.extra.forms(prm.behaviours, ff.times[0], ff.times[0], prm.dt, False)
    u = view.fields["u"]
    prm.advance(
        *(a[:0] for a in state.arrays().values()), np.zeros(0, np.int64), 0.0, prm.dt, prm.max_age,
        u, view.fields["v"], view.fields.get("w", _no_w(u.dtype)), ff.times, view.offset, view.hold, 0,
        *_NO_SCRATCH, *prm.core[:-1], np.array(prm.core.axes), *(f for form in forms for f in form),
    )  # fmt: skip
    return _time.perf_counter() - t0


#: when the stepper hands back every step, at most one thread per this many particles: each call
#: waits for its slowest thread, which costs more than it gains on small runs (busy machines above all)
PARTICLES_PER_THREAD = 20_000


def _step_threads(requested: int | None, n: int) -> int:
    import numba

    return max(1, min(requested or numba.config.NUMBA_NUM_THREADS, n // PARTICLES_PER_THREAD))


def run_fast(
    request: EngineRequest,
    progress: ProgressCallback | None = None,
    observer: StepObserver | None = None,
    checkpoint: Checkpoint | None = None,
    tracks: TrackSink | None = None,
) -> Trajectories:
    """Track particles with the compiled engine; output like :func:`~.parcels_engine.run_parcels`.

    Only the tracks of ``request.keep`` are stored (all when None): in memory, or handed to ``tracks``
    at every output time (a file written as the run goes; not with a ``checkpoint``). With an ``observer``, or
    larvae that settle, the stepper hands control back after every step
    (:mod:`~marinenet.engine.stepping`). With a ``checkpoint`` the state is saved as the run
    goes, and a run that finds one resumes it. The forcing is streamed through a time window
    (:mod:`~marinenet.engine.forcing`): memory holds a few time slices, whatever the duration.
    """
    ff = fast_fields(request)
    try:
        return _run(request, ff, progress, observer, checkpoint, tracks)
    finally:
        ff.close()


def _run(
    request: EngineRequest,
    ff: FastFields,
    progress: ProgressCallback | None,
    observer: StepObserver | None,
    checkpoint: Checkpoint | None,
    tracks: TrackSink | None = None,
) -> Trajectories:
    prm = parameters(request, ff)
    state = new_state(request, ff, request.pid)
    n = request.lon.size
    stepwise = per_step(request, observer) or bool(request.kernels)  # kernels run inside every step
    threads = _threads.available(_step_threads(request.threads, n) if stepwise else request.threads)
    prm.threads = threads
    out_times = request.output_times
    n_obs = out_times.size
    releases = request.releases
    three = ff.depth.size > 1
    keep = request.keep
    rows = n if keep is None else keep.size
    row_of = None
    if keep is not None:
        row_of = np.full(n, -1, np.int64)
        row_of[keep] = np.arange(keep.size)
    written, held = tracks, None
    if tracks is None:
        held = tracks = _HeldTracks(rows, n_obs, three)
    elif checkpoint is not None:
        raise ValueError("tracks handed to a sink as the run goes cannot be checkpointed")
    stops, out_at = handback_times(request, stepwise)
    stops = stops + (request.start.astype("datetime64[ns]") - ff.origin) / np.timedelta64(1, "s")
    output_of = np.full(stops.size, -1, np.int64)
    output_of[out_at] = np.arange(n_obs)

    def record(k: int) -> None:
        live = np.flatnonzero((state.status == 0) & (releases <= out_times[k]))
        x = state.x[live]
        if ff.periodic:
            x = (x - ff.lon[0]) % 360.0 + ff.lon[0]
        r, sel = (live, slice(None)) if row_of is None else (row_of[live], row_of[live] >= 0)
        z = state.z[live][sel] if three else None
        tracks.put(k, *_columns(rows, r[sel], x[sel], state.y[live][sel], z))

    saved = checkpoint.load() if checkpoint is not None else None
    if saved is None:
        _begin(request, state, observer)
        record(0)
        i0 = 1
    else:
        k_done, arrays = saved
        for name, arr in (state.arrays() | behaviour_state(prm)).items():
            arr[...] = arrays[name]
        assert held is not None
        held.lon[...], held.lat[...] = arrays["lon_out"], arrays["lat_out"]
        if held.z is not None:
            held.z[...] = arrays["z_out"]
        i0 = out_at[k_done] + 1
    compile_seconds = compile_stepper(state, ff, prm)
    custom = _Custom(request, ff, prm) if request.kernels else None
    order = Order(ff.lon, ff.lat, ff.periodic)  # particles ordered in space, again at every output
    # the observer sees step k in its own thread while the stepper moves step k + 1 (engine/observing.py)
    beside = Beside(observer) if observer is not None and stepwise else None
    t0 = _time.perf_counter()
    try:
        for i in range(i0, stops.size):
            before = state.t.copy() if stepwise else None
            if custom is not None:
                custom.step(state, stops[i], order)
            else:
                advance(state, ff, prm, stops[i], order=order)
            if before is not None:  # stepwise
                _after_step(request, state, before, beside or observer, prm)
            k = output_of[i]
            if k < 0:
                continue
            record(k)
            order.refresh()
            if checkpoint is not None and held is not None and checkpoint.due(k, n_obs):
                if beside is not None:
                    beside.wait()  # the streams saved with the state have seen every step so far
                stored: dict[str, np.ndarray] = {"lon_out": held.lon, "lat_out": held.lat}
                if held.z is not None:
                    stored["z_out"] = held.z
                checkpoint.save(k, state.arrays() | behaviour_state(prm) | stored)
            if progress is not None:
                progress(float(stops[i] - stops[0]), request.span)
    except BaseException:
        if beside is not None:
            beside.close(finish=False)
        raise
    if beside is not None:
        beside.close()  # every step observed
    engine_seconds = _time.perf_counter() - t0
    lon_out, lat_out, z_out = (held.lon, held.lat, held.z) if held is not None else (None, None, None)
    traj = finish(request, ff, state, out_times, lon_out, lat_out, z_out, engine_seconds, threads, prm)
    traj.kept, traj.written = keep, written
    traj.compile_seconds = compile_seconds
    return traj


class _HeldTracks:
    """The stored tracks held in memory, ``(row, output)`` float64 (NaN where a particle is not tracked)."""

    def __init__(self, rows: int, n_obs: int, three: bool):
        self.rows = rows
        self.lon = np.full((rows, n_obs), np.nan)
        self.lat = np.full((rows, n_obs), np.nan)
        self.z = np.full((rows, n_obs), np.nan) if three else None

    def put(self, k: int, lon: np.ndarray, lat: np.ndarray, depth: np.ndarray | None) -> None:
        self.lon[:, k], self.lat[:, k] = lon, lat
        if self.z is not None and depth is not None:
            self.z[:, k] = depth


def _columns(
    rows: int, at: np.ndarray, lon: np.ndarray, lat: np.ndarray, z: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Full columns of ``rows`` stored tracks: the positions at rows ``at``, NaN elsewhere."""

    def column(values: np.ndarray) -> np.ndarray:
        out = np.full(rows, np.nan)
        out[at] = values
        return out

    return column(lon), column(lat), None if z is None else column(z)


class _Custom:
    """Custom kernels inside every step: compiled age + RK4, the kernels on arrays, compiled rest."""

    def __init__(self, request: EngineRequest, ff: FastFields, prm: Compiled):
        from .custom import KernelFieldSet, kernel_variables, scratch

        n = request.lon.size
        self.kernels, self.ff, self.prm = request.kernels, ff, prm
        self.fieldset = KernelFieldSet(ff, prm.core, request.seed)
        self.variables = {k: np.full(n, v) for k, v in kernel_variables(request.kernels).items()}
        self.scratch = scratch(n)

    def step(self, state: FastState, t_end: float, order: Order) -> None:
        from .custom import run_kernels

        advance(state, self.ff, self.prm, t_end, phase=1, scratch=self.scratch, order=order)
        run_kernels(self.kernels, self.fieldset, state, self.scratch, self.variables, t_end, self.prm.dt)
        advance(state, self.ff, self.prm, t_end, phase=2, scratch=self.scratch, order=order)


def _begin(request: EngineRequest, state: FastState, observer: StepObserver | None) -> None:
    """At the release: the observer sees every particle; larvae competent at age 0 settle where released."""
    everyone = np.arange(state.x.size)
    if observer is not None:
        observer.released(everyone, state.x, state.y)
    settled = settling(request, state.x, state.y, state.age)
    state.status[settled] = Status.SETTLED


def _clock(prm: Compiled, age: np.ndarray, rows) -> np.ndarray:
    """The age that counts for the PLD and competency (the development age of temperature-dependent larvae)."""
    life = find(prm.behaviours, mortality.Params)
    return mortality.clock(life, age, life.devel[rows] if mortality.thermal(life) else None)


def behaviour_state(prm: Compiled) -> dict[str, np.ndarray]:
    """The behaviours' own per-particle arrays (kept in checkpoints with the state)."""
    return {key: getattr(prm.behaviours[i], name) for i, name, key in prm.own_state}


def _after_step(
    request: EngineRequest,
    state: FastState,
    before: np.ndarray,
    observer: StepObserver | None,
    prm: Compiled | None = None,
) -> None:
    """The particles that just made a step: shown to the observer, then the competent larvae settle."""
    moved = np.flatnonzero(state.t > before)
    if moved.size == 0:
        return
    x, y, age = state.x[moved], state.y[moved], state.age[moved]
    if observer is not None:
        weighted = mortality.weighted(request.larva)
        weight = state.weight[moved] if weighted else None
        observer.stepped(moved, x, y, state.t[moved] - before[moved], age, weight)
    settled = settling(request, x, y, age if prm is None else _clock(prm, age, moved))
    state.status[moved[settled]] = Status.SETTLED


def finish(
    request: EngineRequest,
    ff: FastFields,
    state: FastState,
    out_times: np.ndarray,
    lon_out: np.ndarray | None,
    lat_out: np.ndarray | None,
    z_out: np.ndarray | None,
    engine_seconds: float,
    threads: int,
    prm: Compiled,
) -> Trajectories:
    """Final statuses, end positions and times from a state at the end of the run."""
    releases = request.releases
    status = state.status.copy()
    stopped = status != 0
    end_time = releases + np.timedelta64(int(round(request.duration * 1e9)), "ns")
    end_time[stopped] = ff.origin + (state.t[stopped] * 1e9).astype("timedelta64[ns]")
    status[status == Status.FINISHED] = 0
    if request.larva is not None:  # at the PLD exactly when the run ends: unsettled
        at_pld = (status == 0) & (_clock(prm, state.age, slice(None)) >= request.larva.pld - 1e-6)
        status[at_pld] = Status.UNSETTLED
    end_lon = state.x.copy()
    if ff.periodic:
        end_lon = (end_lon - ff.lon[0]) % 360.0 + ff.lon[0]
    n = status.size
    return Trajectories(
        times=out_times,
        lon=lon_out,
        lat=lat_out,
        status=status,
        end_lon=end_lon,
        end_lat=state.y.copy(),
        end_time=end_time,
        engine="fast",
        coast_contacts=state.coast.copy() if state.coast.size == n else np.zeros(n, np.int32),
        weight=state.weight.copy() if mortality.weighted(request.larva) else None,
        release_time=releases,
        depth=z_out,
        particle_steps=int(state.nstep.sum(dtype=np.int64)),
        engine_seconds=engine_seconds,
        notes=[f"fast engine: {threads} thread(s)"],
    )
