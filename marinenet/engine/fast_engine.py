"""The fast engine: compiled (numba) RK4 on regular lon/lat grids, 2-D or 3-D z-levels.

It gives Parcels' answers (same interpolation, metric, land and edge rules; see
:mod:`marinenet.engine._fast_kernels`) 25–50× faster, and adds what long runs need:
threads, per-particle random streams (identical results in any batching), and a state
that can be saved and resumed (:class:`FastState`).

Custom Parcels kernels and grids other than a regular lon/lat grid go to the Parcels
engine (:func:`fast_supported` says why).
"""

from __future__ import annotations

import time as _time
from dataclasses import dataclass

import numpy as np

from . import _fast_kernels as fk
from ._common import PARCELS_DEG2M, slip_fill, target_fields
from .base import EngineRequest, ProgressCallback, StepObserver, Trajectories
from .checkpoint import Checkpoint
from .stepping import handback_times, per_step, settling

#: dtype of the forcing arrays: float64 like Parcels, so both engines see the same numbers
FIELD_DTYPE = np.float64
#: the stepper's (unused) habitat argument: settlement is decided between steps (engine/stepping.py)
_NO_HABITAT = np.zeros((1, 1, 1), FIELD_DTYPE)

__all__ = ["run_fast", "fast_supported", "FastFields", "FastState", "fast_fields", "new_state"]


def fast_supported(request: EngineRequest) -> tuple[bool, str]:
    """Whether the fast engine can run ``request``, and if not, why."""
    if request.kernels:
        return False, "custom Parcels kernels in the scenario run on the Parcels engine"
    ds = request.ocean
    for name in ("lon", "lat"):
        if ds[name].ndim != 1:
            return False, f"the currents' {name} is not 1-D (curvilinear grid)"
        if not np.all(np.diff(ds[name].values) > 0):
            return False, f"the currents' {name} is not strictly increasing"
    return True, "regular lon/lat grid, built-in behaviours only"


@dataclass
class FastFields:
    """The forcing as the compiled stepper reads it (float32 fields, float64 axes)."""

    U: np.ndarray  # (time, depth, lat, lon)
    V: np.ndarray
    W: np.ndarray  # (1, 1, 1, 1) when there is no vertical velocity
    mask: np.ndarray  # (1|2, depth, lat, lon): land (1) / water (0), then any outside the model domain (1)
    targets: np.ndarray  # (6, lat, lon)
    times: np.ndarray  # seconds since ``origin``
    depth: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    origin: np.datetime64
    periodic: bool
    has_w: bool

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in (self.U, self.V, self.W, self.mask, self.targets))


def fast_fields(request: EngineRequest) -> FastFields:
    """Arrays for the stepper from the canonical Dataset (land velocities 0, or slip-filled)."""
    ds = request.ocean
    three = "depth" in ds.dims
    dims = ("time", "depth", "lat", "lon") if three else ("time", "lat", "lon")
    land = ds["land"].values.astype(bool)
    land_full = ds["land3d"].transpose("depth", "lat", "lon").values.astype(bool) if three else land[None]
    outside = ds["outside"].values.astype(bool) if "outside" in ds else np.zeros_like(land)

    def vel(name: str) -> np.ndarray:
        a = ds[name].transpose(*dims).values
        if request.coast == "slip" and name != "w":
            a = slip_fill(a, land)
        a = np.nan_to_num(a.astype(FIELD_DTYPE), nan=0.0)
        return a if three else a[:, None]

    U, V = vel("u"), vel("v")
    has_w = three and "w" in ds
    W = vel("w") if has_w else np.zeros((1, 1, 1, 1), FIELD_DTYPE)
    layers = [land_full] + ([np.broadcast_to(outside, land_full.shape)] if outside.any() else [])
    mask = np.stack(layers).astype(FIELD_DTYPE)
    ny, nx = land.shape
    targets = np.zeros((6, 1, 1), FIELD_DTYPE)
    if request.swimmer is not None:
        one = target_fields(ds, request.swimmer.get("target_mask"))
        two = target_fields(ds, request.swimmer.get("target2_mask"))
        targets = np.stack([one["tdx"], one["tdy"], one["tmask"], two["tdx"], two["tdy"], two["tmask"]])
        targets = np.broadcast_to(targets, (6, ny, nx)).astype(FIELD_DTYPE)
    lon = ds["lon"].values.astype(np.float64)
    periodic = bool(ds.attrs.get("zonal_periodic"))
    if periodic:  # one wrapped column closes the circle
        lon = np.append(lon, lon[0] + 360.0)

        def wrap(a: np.ndarray) -> np.ndarray:
            return np.ascontiguousarray(np.concatenate([a, a[..., :1]], axis=-1)) if a.shape[-1] == nx else a

        U, V, W, mask, targets = (wrap(a) for a in (U, V, W, mask, targets))
    origin = np.datetime64(ds["time"].values[0], "ns")
    times = (ds["time"].values - origin) / np.timedelta64(1, "s")
    depth = ds["depth"].values.astype(np.float64) if three else np.zeros(1)
    return FastFields(
        U=np.ascontiguousarray(U),
        V=np.ascontiguousarray(V),
        W=np.ascontiguousarray(W),
        mask=np.ascontiguousarray(mask),
        targets=np.ascontiguousarray(targets),
        times=np.asarray(times, np.float64),
        depth=depth,
        lat=ds["lat"].values.astype(np.float64),
        lon=lon,
        origin=origin,
        periodic=periodic,
        has_w=has_w,
    )


def parameters(request: EngineRequest, ff: FastFields) -> np.ndarray:
    """The stepper's parameter vector (see the ``P_*`` indices)."""
    prm = np.zeros(fk.N_PARAMS)
    prm[fk.P_DT] = request.dt
    prm[fk.P_MAX_AGE] = request.duration
    prm[fk.P_DEG2M] = PARCELS_DEG2M
    prm[fk.P_COAST] = {"stop": 0, "previous": 1, "slip": 2}[request.coast]
    prm[fk.P_KH] = request.diffusion
    prm[fk.P_SEED] = request.seed
    prm[fk.P_PERIODIC] = float(ff.periodic)
    prm[fk.P_HAS_W] = float(ff.has_w)
    step = min(float(np.min(np.diff(ff.lon))), float(np.min(np.diff(ff.lat))))
    prm[fk.P_MASK_H] = 0.25 * step
    if request.larva is not None:
        lv = request.larva
        prm[fk.P_LARVA] = 1
        prm[fk.P_PLD], prm[fk.P_COMP_MIN], prm[fk.P_COMP_MAX] = lv["pld"], lv["comp_min"], lv["comp_max"]
        prm[fk.P_MORT], prm[fk.P_MORT_MODE] = lv["mortality"], lv["mortality_mode"]
    swim = request.swimmer
    if swim is not None:
        point, point2 = swim.get("target_point"), swim.get("target2_point")
        switch = swim.get("switch_time")
        has2 = switch is not None and (point2 is not None or swim.get("target2_mask") is not None)
        prm[fk.P_SWIM] = 1
        prm[fk.P_SWIM_SPEED] = swim["speed"]
        prm[fk.P_TMODE] = 0 if point is not None else 1
        prm[fk.P_TX], prm[fk.P_TY] = point if point is not None else (0.0, 0.0)
        prm[fk.P_ARRIVE] = swim.get("arrive_m", 1000.0)
        prm[fk.P_SWITCH_T] = (
            (np.datetime64(switch, "ns") - ff.origin) / np.timedelta64(1, "s") if has2 else 1e30
        )
        prm[fk.P_T2MODE] = 0 if (point2 is not None or not has2) else 1
        prm[fk.P_T2X], prm[fk.P_T2Y] = point2 if point2 is not None else (0.0, 0.0)
        prm[fk.P_PERSIST] = swim.get("persistence", 1.0)
        prm[fk.P_TURN_SD] = swim.get("turn_sd", 0.0)
    if request.migration is not None:
        if ff.depth.size < 2:
            raise ValueError("vertical migration needs 3-D currents")
        mig = request.migration
        prm[fk.P_VSPEED] = mig["speed"]
        if mig.get("mode") == "ontogeny":
            k = len(mig["ages"])
            prm[fk.P_ONTO] = k
            prm[fk.P_ONTO_AGE : fk.P_ONTO_AGE + k] = mig["ages"]
            prm[fk.P_ONTO_DEPTH : fk.P_ONTO_DEPTH + k] = mig["depths"]
            return prm
        left = ff.origin.astype("datetime64[s]")
        prm[fk.P_MIGR] = 1
        prm[fk.P_SOD0] = (left - left.astype("datetime64[D]")) / np.timedelta64(1, "s")
        prm[fk.P_DAY_DEPTH], prm[fk.P_NIGHT_DEPTH] = mig["day_depth"], mig["night_depth"]
        prm[fk.P_VSPEED] = mig["speed"]
    return prm


@dataclass
class FastState:
    """Every particle's state between steps: all a resumed run needs."""

    x: np.ndarray
    y: np.ndarray
    z: np.ndarray
    t: np.ndarray  # s since the forcing's first time
    age: np.ndarray
    status: np.ndarray  # int8; 0 moving, else a final code (9: tracked to the end)
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
        dev=np.zeros(n) if request.swimmer is not None else one.copy(),
        coast=np.zeros(n if request.coast != "stop" or request.diffusion > 0 else 1, np.int32),
        nstep=np.zeros(n, np.int32),
        pid=np.arange(n, dtype=np.int64) if pid is None else np.asarray(pid, np.int64),
    )


def advance(state: FastState, ff: FastFields, prm: np.ndarray, t_end: float, first: int = 0) -> None:
    """Move particles ``first..`` of ``state`` (all by default) to ``t_end`` (s since the forcing's first time)."""
    s = state
    part = slice(None) if first == 0 else slice(first, None)
    fk.advance(
        s.x[part], s.y[part], s.z[part], s.t[part], s.age[part], s.status[part], s.weight[part],
        s.dev[part], s.coast[part], s.nstep[part], s.pid[part],
        float(t_end), prm,
        ff.U, ff.V, ff.W, ff.mask, _NO_HABITAT, ff.targets,
        ff.times, ff.depth, ff.lat, ff.lon,
    )  # fmt: skip


def compile_stepper(state: FastState, ff: FastFields, prm: np.ndarray) -> float:
    """Compile the stepper for this run's argument types (or load it from numba's disk cache).

    Called with no particles, before tracking, so that the one-off compile is timed on its own
    (``Trajectories.compile_seconds``) and not counted as engine time. Returns the seconds spent.
    """
    from ..progress import COMPILING, phase

    if not fk.advance.signatures:  # not yet compiled in this process: announce the wait
        phase(COMPILING)
    t0 = _time.perf_counter()
    advance(state, ff, prm, 0.0, first=state.x.size)
    return _time.perf_counter() - t0


#: when the stepper hands back every step, at most one thread per this many particles: each call
#: waits for its slowest thread, which costs more than it gains on small runs (busy machines above all)
PARTICLES_PER_THREAD = 20_000


def _step_threads(requested: int | None, n: int) -> int:
    import numba

    return max(1, min(requested or numba.config.NUMBA_NUM_THREADS, n // PARTICLES_PER_THREAD))


def _threads(n: int | None):
    """Use ``n`` threads (None: all), whatever an earlier run in this process used."""
    import numba

    most = numba.config.NUMBA_NUM_THREADS
    numba.set_num_threads(max(1, min(int(n or most), most)))
    return numba.get_num_threads()


def run_fast(
    request: EngineRequest,
    progress: ProgressCallback | None = None,
    observer: StepObserver | None = None,
    checkpoint: Checkpoint | None = None,
) -> Trajectories:
    """Track particles with the compiled engine; output like :func:`~.parcels_engine.run_parcels`.

    Only the tracks of ``request.keep`` are stored (all when None). With an ``observer``, or
    larvae that settle, the stepper hands control back after every step
    (:mod:`~marinenet.engine.stepping`). With a ``checkpoint`` the state is saved as the run
    goes, and a run that finds one resumes it.
    """
    ff = fast_fields(request)
    prm = parameters(request, ff)
    state = new_state(request, ff, request.pid)
    n = request.lon.size
    stepwise = per_step(request, observer)
    threads = _threads(_step_threads(request.threads, n) if stepwise else request.threads)
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
    lon_out = np.full((rows, n_obs), np.nan)
    lat_out = np.full((rows, n_obs), np.nan)
    z_out = np.full((rows, n_obs), np.nan) if three else None
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
        lon_out[r[sel], k], lat_out[r[sel], k] = x[sel], state.y[live][sel]
        if z_out is not None:
            z_out[r[sel], k] = state.z[live][sel]

    saved = checkpoint.load() if checkpoint is not None else None
    if saved is None:
        _begin(request, state, observer)
        record(0)
        i0 = 1
    else:
        k_done, arrays = saved
        for name, arr in state.arrays().items():
            arr[...] = arrays[name]
        lon_out[...], lat_out[...] = arrays["lon_out"], arrays["lat_out"]
        if z_out is not None:
            z_out[...] = arrays["z_out"]
        i0 = out_at[k_done] + 1
    compile_seconds = compile_stepper(state, ff, prm)
    t0 = _time.perf_counter()
    for i in range(i0, stops.size):
        before = state.t.copy() if stepwise else None
        advance(state, ff, prm, stops[i])
        if before is not None:  # stepwise
            _after_step(request, state, before, observer)
        k = output_of[i]
        if k < 0:
            continue
        record(k)
        if checkpoint is not None and checkpoint.due(k, n_obs):
            stored: dict[str, np.ndarray] = {"lon_out": lon_out, "lat_out": lat_out}
            if z_out is not None:
                stored["z_out"] = z_out
            checkpoint.save(k, state.arrays() | stored)
        if progress is not None:
            progress(float(stops[i] - stops[0]), request.span)
    engine_seconds = _time.perf_counter() - t0
    traj = finish(request, ff, state, out_times, lon_out, lat_out, z_out, engine_seconds, threads)
    traj.kept = keep
    traj.compile_seconds = compile_seconds
    return traj


def _begin(request: EngineRequest, state: FastState, observer: StepObserver | None) -> None:
    """At the release: the observer sees every particle; larvae competent at age 0 settle where released."""
    everyone = np.arange(state.x.size)
    if observer is not None:
        observer.released(everyone, state.x, state.y)
    settled = settling(request, state.x, state.y, state.age)
    state.status[settled] = fk.ST_SETTLED


def _after_step(
    request: EngineRequest, state: FastState, before: np.ndarray, observer: StepObserver | None
) -> None:
    """The particles that just made a step: shown to the observer, then the competent larvae settle."""
    moved = np.flatnonzero(state.t > before)
    if moved.size == 0:
        return
    x, y, age = state.x[moved], state.y[moved], state.age[moved]
    if observer is not None:
        weighted = request.larva is not None and request.larva["mortality_mode"] == 0
        weight = state.weight[moved] if weighted else None
        observer.stepped(moved, x, y, state.t[moved] - before[moved], age, weight)
    settled = settling(request, x, y, age)
    state.status[moved[settled]] = fk.ST_SETTLED


def finish(
    request: EngineRequest,
    ff: FastFields,
    state: FastState,
    out_times: np.ndarray,
    lon_out: np.ndarray,
    lat_out: np.ndarray,
    z_out: np.ndarray | None,
    engine_seconds: float,
    threads: int,
) -> Trajectories:
    """Final statuses, end positions and times from a state at the end of the run."""
    releases = request.releases
    status = state.status.copy()
    stopped = status != 0
    end_time = releases + np.timedelta64(int(round(request.duration * 1e9)), "ns")
    end_time[stopped] = ff.origin + (state.t[stopped] * 1e9).astype("timedelta64[ns]")
    status[status == fk.ST_FINISHED] = 0
    if request.larva is not None:  # at the PLD exactly when the run ends: unsettled
        at_pld = (status == 0) & (state.age >= request.larva["pld"] - 1e-6)
        status[at_pld] = fk.ST_UNSETTLED
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
        weight=state.weight.copy()
        if request.larva is not None and request.larva["mortality_mode"] == 0
        else None,
        release_time=releases,
        depth=z_out,
        particle_steps=int(state.nstep.sum(dtype=np.int64)),
        engine_seconds=engine_seconds,
        notes=[f"fast engine: {threads} thread(s)"],
    )
