"""The one orchestrator: scenario → ocean + zones + release → engine → connectivity → outputs.

Everything the CLI does goes through :func:`run` (and :func:`check` for ``validate``), so a
modeller gets the same from Python::

    import marinenet
    result = marinenet.run(marinenet.load_scenario("scenarios/demo.yaml"), out="results/demo")
    result.connectivity["eez"]        # tidy pandas table
"""

from __future__ import annotations

import contextlib
import json
import logging
import platform
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from .analyses import analyse
from .behaviour.timing import larva_run_warning
from .connectivity import connectivity_matrix
from .engine import STATUS, STATUS_NAMES, EngineRequest, Trajectories, run_engine, select_engine
from .engine.checkpoint import Checkpoint
from .errors import ScenarioError
from .fingerprint import check_fingerprint, save_fingerprint
from .memory import run_estimate
from .outputs import write_json, write_netcdf, write_trajectories, write_yaml
from .prepare import Prepared, check, larva_parameters, prepare, settle_onto_habitat
from .report.credits import credit_text, run_credits
from .rundir import RunDir
from .scenario import Scenario
from .streaming import Streams, stored_particles, survival_for
from .zones import ZoneLayer

__all__ = ["run", "check", "prepare", "Prepared", "RunResult", "versions"]

log = logging.getLogger("marinenet")

_KEY_PACKAGES = ("marinenet", "parcels", "numpy", "xarray", "shapely", "pyproj", "geopandas", "cartopy")


def versions() -> dict[str, str]:
    """Versions of Python, marinenet and its key dependencies (recorded with every run)."""
    out = {"python": platform.python_version()}
    for pkg in _KEY_PACKAGES:
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = "not installed"
    return out


@dataclass
class RunResult:
    """What a run produced: where, the headline numbers, the tables and the tracks."""

    out_dir: Path
    summary: dict
    connectivity: dict[str, pd.DataFrame] = field(default_factory=dict)
    matrices: dict[str, xr.DataArray] = field(default_factory=dict)
    trajectories: Trajectories | None = None


def _pairs(src, dst) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Join weighted (particle, label, weight) memberships of sources and destinations."""
    sp, sl, sw = src
    dp, dl, dw = dst
    left = pd.DataFrame({"p": sp, "s": sl, "ws": sw})
    right = pd.DataFrame({"p": dp, "d": dl, "wd": dw})
    both = left.merge(right, on="p", how="inner")
    return both["s"].to_numpy(object), both["d"].to_numpy(object), (both["ws"] * both["wd"]).to_numpy()


def _survivors(p, d, w, weight: np.ndarray | None):
    """Scale destination rows by survival weights; the rest of each particle goes to ``dead``."""
    if weight is None:
        return p, d, w
    n = weight.size
    p, d, w = (
        np.r_[p, np.arange(n)],
        np.r_[d, np.full(n, "dead", dtype=object)],
        np.r_[w * weight[p], 1 - weight],
    )
    keep = w > 0
    return p[keep], d[keep], w[keep]


def _dest_rows(
    layer: ZoneLayer,
    traj: Trajectories,
    status_name: np.ndarray,
    in_zone: set[str],
    relabel: dict[str, str] | None = None,
):
    """Weighted (particle, destination, weight) rows: a zone for statuses in ``in_zone``, else the status."""
    placed = np.flatnonzero(np.isin(status_name, list(in_zone)))
    other = np.flatnonzero(~np.isin(status_name, list(in_zone)))
    labels = status_name[other].copy()
    if relabel:
        labels = np.array([relabel.get(x, x) for x in labels], dtype=object)
    ap, al, aw = layer.members(traj.end_lon[placed], traj.end_lat[placed])
    p = np.r_[placed[ap], other]
    d = np.r_[al, labels]
    w = np.r_[aw, np.ones(other.size)]
    return _survivors(p, d, w, traj.weight)


def _matrices(prep: Prepared, traj: Trajectories):
    """Count matrices per layer, plus what the analyses need: weighted destinations and sources.

    End of run: destination = the zone of the last position (drifting, settled or unsettled
    larvae) or the outcome (stranded, out_of_domain, dead). Larvae also get a settlement
    matrix ``<layer>.settlement``: the zone where a larva settled, else its fate.
    """
    rel = prep.release
    n = len(rel)
    larva = prep.scenario.behaviour.kind == "larva"
    status_name = np.array([STATUS_NAMES[int(s)] for s in traj.status], dtype=object)
    outcomes = ["stranded", "out_of_domain"] + (["dead"] if larva else [])
    outcomes += ["error"] if np.any(traj.status == STATUS["error"]) else []
    weighted_run = traj.weight is not None
    out, dests, firsts = {}, {}, {}  # firsts: the (particle, source, weight) rows each matrix counts
    for name, layer in prep.layers.items():
        if prep.scenario.release.from_.layer == name:
            src = (np.arange(n), np.asarray(rel.source, dtype=object), np.ones(n))
        else:
            src = layer.members(rel.lon, rel.lat)
        firsts[name] = src
        zones = [*layer.ids, layer.outside]
        weighted = layer.overlaps == "split" or weighted_run
        dst = _dest_rows(layer, traj, status_name, {"active", "settled", "unsettled", "arrived"})
        dests[name] = dst
        s, d, w = _pairs(src, dst)
        out[name] = connectivity_matrix(
            s, d, zones, zones + outcomes, name=name, weights=w if weighted else None
        )
        if larva:
            fates = ["unsettled", "dead", "stranded", "out_of_domain"] + (
                ["error"] if "error" in outcomes else []
            )
            sdst = _dest_rows(layer, traj, status_name, {"settled"}, relabel={"active": "unsettled"})
            key = f"{name}.settlement"
            dests[key], firsts[key] = sdst, firsts[name]
            s, d, w = _pairs(src, sdst)
            out[key] = connectivity_matrix(
                s, d, zones, zones + fates, name=key, weights=w if weighted else None
            )
    if not prep.layers or prep.scenario.release.from_.points is not None:
        # points: also a matrix by release point, destinations by the first layer (or outcome only)
        first = next(iter(prep.layers.values()), None)
        end = first.labels(traj.end_lon, traj.end_lat) if first else np.full(n, "ocean", dtype=object)
        placed = np.isin(status_name, ["active", "settled", "unsettled", "arrived"])
        dst_l = np.where(placed, end, status_name)
        cols = ([*first.ids, first.outside] if first else ["ocean"]) + outcomes
        rows = sorted(set(rel.source.tolist()), key=lambda s: int(s[1:]) if s[1:].isdigit() else 0)
        dests["points"] = _survivors(np.arange(n), dst_l, np.ones(n), traj.weight)
        firsts["points"] = (np.arange(n), np.asarray(rel.source, dtype=object), np.ones(n))
        s, d, w = _pairs(firsts["points"], dests["points"])
        cols += ["dead"] if traj.weight is not None and "dead" not in cols else []
        out["points"] = connectivity_matrix(
            s, d, rows, cols, name="points", weights=w if traj.weight is not None else None
        )
    return out, dests, firsts


@contextlib.contextmanager
def _run_log(path: Path) -> Iterator[None]:
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s"))
    handler.setLevel(logging.INFO)
    loggers = [logging.getLogger("marinenet"), logging.getLogger("parcels")]
    old = [(lg, lg.level) for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        if lg.level == logging.NOTSET or lg.level > logging.INFO:
            lg.setLevel(logging.INFO)
    try:
        yield
    finally:
        for lg, level in old:
            lg.removeHandler(handler)
            lg.setLevel(level)
        handler.close()


def _migration(scenario: Scenario) -> dict | None:
    """Vertical behaviour for the engines: diel (day/night depths) or ontogenetic (depth by age)."""
    beh = scenario.behaviour
    if beh.migration is not None:
        return {"mode": "diel", **beh.migration.model_dump()}
    if beh.ontogeny is not None:
        return {"mode": "ontogeny", **beh.ontogeny.model_dump()}
    return None


def checkpoint_dir(out: str | Path) -> Path:
    """Where a run writing to ``out`` keeps its checkpoints (a hidden folder beside it)."""
    out = Path(out).resolve()
    return out.parent / f".{out.name}.checkpoint"


def resume_scenario(out: str | Path) -> Scenario:
    """The scenario of the interrupted run that was writing to ``out``."""
    from .scenario import scenario_from_dict

    path = checkpoint_dir(out) / "scenario.json"
    if not path.is_file():
        raise ScenarioError(
            f"no checkpoint to resume for {out} (expected {path}); checkpoints are written when the "
            "scenario sets simulation.checkpoint_every and the fast engine runs"
        )
    return scenario_from_dict(json.loads(path.read_text()), origin=str(path))


def run(
    scenario: Scenario,
    out: str | Path | None = None,
    progress: Callable[[float, float], None] | None = None,
    maps: bool = True,
    resume: bool = False,
    client=None,
) -> RunResult:
    """Run a scenario end to end and write its output directory.

    Parameters
    ----------
    scenario
        From :func:`marinenet.load_scenario`.
    out
        Output directory (default: the scenario's ``output``, else ``results/<name>``).
        A previous run there is replaced only once the new run has completed.
    progress
        Called as ``progress(seconds_simulated, seconds_total)`` during tracking.
    maps
        Draw the PNG figures (the slowest part of writing outputs).
    resume
        Continue from the checkpoint of an interrupted run into the same ``out``.
    client
        A ``distributed.Client``: track particle batches on its workers (fast engine; the
        result is identical to one process).
    """
    wall0 = time.perf_counter()
    out_dir = (Path(out) if out is not None else scenario.output_dir()).resolve()
    target = RunDir(out_dir)  # lock, recover an interrupted commit, check the folder, make the stage
    stage = target.stage
    try:
        with _run_log(stage / "run.log"):
            log.info("marinenet run %r; versions: %s", scenario.name, versions())
            timing = larva_run_warning(scenario)
            if timing:
                log.warning("%s", timing)
            prep = prepare(scenario)
            request = EngineRequest(
                ocean=prep.ocean,
                lon=prep.release.lon,
                lat=prep.release.lat,
                start=prep.start,
                duration=scenario.simulation.duration,
                dt=scenario.simulation.dt,
                output_every=scenario.simulation.output_every,
                seed=scenario.seed,
                coast=scenario.ocean.coast,
                release_time=prep.release.release_times,
                diffusion=scenario.behaviour.diffusion,
                larva=larva_parameters(scenario),
                habitat=prep.habitat,
                kernels=prep.kernels,
                swimmer=prep.swimmer,
                depth=scenario.release.depth,
                migration=_migration(scenario),
            )
            engine, why = select_engine(scenario.simulation.engine, request)
            log.info("engine: %s (%s)", engine, why)
            request.keep = stored_particles(scenario.simulation.trajectories, len(prep.release))
            run_estimate(
                prep.ocean.nbytes,
                len(prep.release),
                engine,
                [len({*lay.ids, lay.outside}) for lay in prep.layers.values()],
                len(prep.release) if request.keep is None else len(request.keep),
                len(request.output_times),
                matrices=len(prep.layers) * (2 if scenario.behaviour.kind == "larva" else 1)
                + (1 if not prep.layers or scenario.release.from_.points is not None else 0),
                maps=maps,
                three_d=bool(scenario.ocean.three_d),
            )
            survival = survival_for(request.larva, len(prep.release))
            streams = Streams(prep.layers, prep.release.lon, prep.release.lat, survival)
            ckpt = _checkpoint(scenario, out_dir, engine, streams, resume, len(prep.release))
            if client is not None and engine == "fast":
                from .engine.distributed import run_batches

                traj = run_batches(request, client, progress=progress, streams=streams)
            else:
                traj = run_engine(engine, request, progress, observer=streams, checkpoint=ckpt)
            settle = scenario.behaviour.settle_in
            if settle is not None and scenario.behaviour.kind == "larva":
                on = traj.status == STATUS["settled"]
                traj.end_lon[on], traj.end_lat[on] = settle_onto_habitat(
                    prep.layers[settle.layer], traj.end_lon[on], traj.end_lat[on]
                )
            log.info("tracking done: %d particle-steps in %.1f s", traj.particle_steps, traj.engine_seconds)
            for note in traj.notes:
                log.info("%s", note)
            result = _write_outputs(stage, prep, traj, streams, engine, why)
            write_json(result.summary, stage / "summary.json")
            if maps:
                from .report.build import build_report

                log.info("drawing maps and writing report.html and brief.pdf")
                try:  # the report never takes a finished run down: its tables are already written
                    build_report(stage)
                except Exception as exc:  # noqa: BLE001
                    log.warning(
                        "report not written (%s: %s); 'marinenet report %s' retries it",
                        type(exc).__name__,
                        exc,
                        out_dir,
                    )
            result.summary["outputs"] = sorted(
                str(p.relative_to(stage))
                for p in stage.rglob("*")
                if p.is_file() and not p.name.startswith(".")
            )
            result.summary["wall_seconds"] = round(time.perf_counter() - wall0, 2)
            write_json(result.summary, stage / "summary.json")
            log.info("outputs complete; wall time %.1f s", result.summary["wall_seconds"])
        target.commit()
        shutil.rmtree(checkpoint_dir(out_dir), ignore_errors=True)
    finally:
        target.close()  # removes an uncommitted stage, releases the lock
    result.out_dir = out_dir
    return result


def _checkpoint(scenario: Scenario, out_dir: Path, engine: str, streams: Streams, resume: bool, n: int):
    """The run's :class:`Checkpoint` (None without ``checkpoint_every``); saves the scenario with it.

    A resume must have the scenario, the inputs and the particle count (``n``) of the checkpoint.
    """
    every = scenario.simulation.checkpoint_every
    folder = checkpoint_dir(out_dir)
    if resume and not (folder / "state.npz").is_file():
        raise ScenarioError(f"nothing to resume: no checkpoint in {folder}")
    if resume:
        check_fingerprint(folder, scenario, n)
    if every is None:
        return None
    if engine != "fast":
        log.warning(
            "checkpoint_every is ignored: checkpoints need the fast engine (this run uses %s)", engine
        )
        return None
    if not resume:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        write_json(scenario.to_dict(), folder / "scenario.json")
        save_fingerprint(folder, scenario, n)
    steps = max(int(round(every / scenario.simulation.output_every)), 1)
    return Checkpoint(folder, steps, extra=(streams.arrays, streams.restore))


def _credits(prep: Prepared, synthetic: bool) -> list[dict]:
    """The credits of the data of a run (forcing, zone layers; see :mod:`marinenet.report.credits`)."""
    ocean = prep.ocean.attrs.get("credit_parts")
    text = prep.ocean.attrs.get("credit")
    forcing = json.loads(ocean) if ocean else ({"kind": "text", "text": text} if text else None)
    layers = [
        lay.credit or ({"kind": "text", "text": lay.citation} if lay.citation else None)
        for lay in prep.layers.values()
    ]
    return run_credits(forcing, [c for c in layers if c], synthetic)


def _write_outputs(
    stage: Path, prep: Prepared, traj: Trajectories, streams: Streams, engine: str, why: str
) -> RunResult:
    sc = prep.scenario
    synthetic = sc.synthetic
    credits = _credits(prep, synthetic)
    attrs = {
        "title": f"marinenet trajectories: {sc.name}" + (" (SYNTHETIC demo seascape)" if synthetic else ""),
        "synthetic": int(synthetic),
        "ocean_source": sc.ocean.source,
        "marinenet_version": versions()["marinenet"],
        "seed": sc.seed,
    }
    rel = prep.release
    write_trajectories(stage / "trajectories.nc", traj, rel.source, rel.release_times, attrs)

    matrices, dests, firsts = _matrices(prep, traj)
    analyses = analyse(
        stage, prep.layers, matrices, dests, firsts, streams, np.random.default_rng([sc.seed, 1])
    )
    tables = analyses.tables
    nc = xr.Dataset(
        {
            name: m.rename({"source": f"{name}_source", "destination": f"{name}_destination"})
            for name, m in matrices.items()
        },
        attrs={
            "title": f"marinenet connectivity: {sc.name}",
            "comment": "counts of particles: rows = source (release zone), columns = destination "
            "(zone at end of run, or outcome); each row sums to the particles released there",
            "synthetic": int(synthetic),
        },
    )
    for name in matrices:
        nc[name].attrs.update(units="particles", long_name=f"connectivity counts, layer {name}")
    write_netcdf(nc, stage / "connectivity.nc")
    domain = (
        float(prep.ocean.lon.min()),
        float(prep.ocean.lat.min()),
        float(prep.ocean.lon.max()),
        float(prep.ocean.lat.max()),
    )
    for name, layer in prep.layers.items():
        (stage / "zones").mkdir(exist_ok=True)
        frame = layer.with_derived_high_seas(domain) if layer.outside == "ABNJ" else layer.frame
        frame.to_file(stage / "zones" / f"{name}.geojson", driver="GeoJSON")

    counts = traj.status_counts()
    summary = {
        "name": sc.name,
        "synthetic": synthetic,
        "engine": engine,
        "engine_reason": why,
        "engine_notes": list(traj.notes),
        "trajectories_stored": int(traj.lon.shape[0]),
        "particles_released": len(prep.release),
        "active_at_end": counts["active"],
        "stranded": counts["stranded"],
        "out_of_domain": counts["out_of_domain"],
        "settled": counts["settled"],
        "dead": counts["dead"],
        "unsettled": counts["unsettled"],
        "arrived": counts["arrived"],
        "errors": counts["error"],
        "particle_steps": traj.particle_steps,
        "engine_seconds": round(traj.engine_seconds, 3),
        "particle_steps_per_second": round(traj.particle_steps / max(traj.engine_seconds, 1e-9)),
        "start": str(prep.start),
        "end": str(prep.end),
        "seed": sc.seed,
        "layers": {
            n: {"zones": len(lay.ids), "outside_label": lay.outside} for n, lay in prep.layers.items()
        },
        "sampling": {n: c["message"] for n, c in analyses.convergence.items()},
        "citations": [credit_text(c) for c in credits],  # English; "credits": the same as data
        "credits": credits,
        "under_sampled": [n for n, c in analyses.convergence.items() if not c["ok"]],
        "versions": versions(),
    }
    resolved = sc.to_dict()
    resolved["versions"] = versions()
    write_yaml(
        resolved,
        stage / "scenario.resolved.yaml",
        header=f"# resolved scenario of run {sc.name!r}: every default filled in\n",
    )

    snap = prep.ocean[["u", "v", "land"] + (["outside"] if "outside" in prep.ocean else [])]
    if "depth" in snap.dims:
        snap = snap.isel(depth=0)
    snap = snap.sel(time=prep.start, method="nearest")
    snap.attrs = {
        "comment": "currents at the release time and the land mask, for the report",
        **prep.ocean.attrs,
    }
    write_netcdf(snap, stage / "ocean_snapshot.nc")
    return RunResult(stage, summary, tables, matrices, traj)
