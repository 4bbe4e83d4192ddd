"""The one orchestrator: prepare → capability check → engine → analytics → outputs → report.

Everything the CLI does goes through :func:`run` (and :func:`check` for ``validate``), so a
modeller gets the same from Python::

    import marinenet
    result = marinenet.run(marinenet.load_scenario("scenarios/demo.yaml"), out="results/demo")
    result.connectivity["eez"]        # tidy pandas table
"""

from __future__ import annotations

import contextlib
import logging
import platform
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np

from . import warmup
from .analyses import analyse
from .behaviour.timing import larva_run_warning
from .capabilities import Plan, plan
from .cfmeta import extent_attributes, run_attributes
from .connectivity.fates import EndState, Fates, ReleaseSites, connectivity_fates
from .engine import STATUS, STATUS_NAMES, EngineRequest, Trajectories, run_engine
from .errors import ScenarioError
from .memory import run_estimate
from .outputs import (
    TrackFile,
    write_connectivity,
    write_ocean_snapshot,
    write_resolved_scenario,
    write_trajectories,
    write_zone_layers,
)
from .parquet_out import write_parquet
from .prepare import Prepared, prepare, settle_onto_habitat
from .progress import phase
from .report import ahead as report_ahead
from .result import RunResult
from .resume import checkpoint_dir, resume_scenario, run_checkpoint  # noqa: F401 (resume_scenario: API)
from .rundir import RunDir
from .scenario import Scenario
from .streaming import Streams, stored_particles, survival_for
from .summary import run_summary

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


def engine_request(prep: Prepared) -> EngineRequest:
    """The tracking problem of a prepared run, as the engines take it (a backward run: the forward run
    in mirrored time, :mod:`marinenet.backward`)."""
    request = _request(prep)
    if prep.pivot is None:
        return request
    from .backward import mirrored_request

    return mirrored_request(request, prep.pivot)


def _request(prep: Prepared) -> EngineRequest:
    sc = prep.scenario
    return EngineRequest(
        ocean=prep.ocean,
        lon=prep.release.lon,
        lat=prep.release.lat,
        start=prep.start,
        duration=sc.simulation.duration,
        dt=sc.simulation.dt,
        output_every=sc.simulation.output_every,
        seed=sc.seed,
        coast=sc.ocean.coast,
        release_time=prep.release.release_times,
        diffusion=sc.behaviour.diffusion,
        behaviours=prep.behaviours,
        kernels=prep.kernels,
        depth=sc.release.depth,
    )


def check(scenario: Scenario, distributed: bool = False) -> Prepared:
    """What ``marinenet validate`` does: load and check every input and what the run asks of the
    engines (:func:`marinenet.capabilities.plan`, as :func:`run` does), track nothing.

    Parameters
    ----------
    scenario
        From :func:`marinenet.load_scenario`.
    distributed
        The run would track on dask workers (``--workers`` / ``--scheduler``): check that the engine
        can.

    Returns
    -------
    Prepared
        The loaded ocean, zones and release.

    Raises
    ------
    MarinenetError
        The first problem found (a scenario key, an input file, or a capability the engine lacks).
    """
    return check_plan(scenario, distributed)[0]


def check_plan(scenario: Scenario, distributed: bool = False) -> tuple[Prepared, Plan]:
    """:func:`check`, and the :class:`~marinenet.capabilities.Plan` a run would follow."""
    prep = prepare(scenario)
    return prep, plan(scenario, engine_request(prep), distributed)


def run(
    scenario: Scenario,
    out: str | Path | None = None,
    progress: Callable[[float, float], None] | None = None,
    maps: bool = True,
    resume: bool = False,
    client=None,
    workers: int | None = None,
    scheduler: str | None = None,
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
    workers, scheduler
        Instead of ``client``: start a local dask cluster of ``workers`` processes, or connect to
        ``scheduler``, once the run is known to be possible (``marinenet run --workers``).

    Returns
    -------
    RunResult
        The output folder, the summary, the connectivity tables and matrices and the tracks.

    Raises
    ------
    MarinenetError
        A problem with the scenario or its input files (nothing is written then), a full disk
        or a folder that cannot be written.
    """
    wall0 = time.perf_counter()
    out_dir = (Path(out) if out is not None else scenario.output_dir()).resolve()
    distributed = client is not None or workers is not None or scheduler is not None
    if workers is not None and workers < 1:
        raise ScenarioError(f"--workers must be at least 1, got {workers}")
    target = RunDir(out_dir)  # lock, recover an interrupted commit, check the folder, make the stage
    stage = target.stage
    warm = ahead = None
    try:
        if maps:  # forked before any thread of the run starts: gets ready to draw while the run goes on
            ahead = report_ahead.start(_dossier_job)
        with _run_log(stage / "run.log"):
            log.info("marinenet run %r; versions: %s", scenario.name, versions())
            warm = warmup.start(scenario)  # compiles (first run) or loads the kernels while inputs load
            timing = larva_run_warning(scenario)
            if timing:
                log.warning("%s", timing)
            prep = prepare(scenario)
            timing = larva_run_warning(scenario)
            if timing:
                log.warning("%s", timing)
            request = engine_request(prep)
            how = plan(scenario, request, distributed)
            log.info("engine: %s (%s)", how.engine, how.why)
            for note in how.notes:
                log.warning("%s", note)
            request.keep = stored_particles(scenario.simulation.trajectories, len(prep.release))
            _estimate(prep, request, how, maps)
            survival = survival_for(request.larva, len(prep.release))
            streams = Streams(prep.layers, prep.release.lon, prep.release.lat, survival)
            ckpt = run_checkpoint(scenario, out_dir, how.engine, streams, resume, len(prep.release))
            # the first run: the stepper compiled in a child process, loaded from its cache
            waited = warm.ready() if how.engine != "parcels" else 0.0
            _write_inputs(stage, prep)  # (the report's early maps need them as soon as the tracks are done)
            phase(f"tracking {len(prep.release):,} particles ({how.engine} engine)")
            sink = _track_file(stage, request, how, ckpt)
            try:
                traj = _track(request, how, streams, ckpt, progress, client, workers, scheduler, sink)
            except BaseException:
                if sink is not None:
                    sink.close()
                raise
            traj.compile_seconds += waited  # (the run's wait for the compile is the compile's cost to it)
            if prep.pivot is not None:  # a backward run: the tracks' dates back to real time
                from .backward import restore

                traj = restore(traj, prep.pivot)
            _settle(prep, traj)
            log.info("tracking done: %d particle-steps in %.1f s", traj.particle_steps, traj.engine_seconds)
            for note in traj.notes:
                log.info("%s", note)
            phase("analyses: connectivity matrices, indices and their 95 % intervals")
            early = (lambda: ahead.early(stage)) if ahead is not None else None
            result = _write_outputs(stage, prep, traj, streams, how.engine, how.why, early)
            result.summary.write(stage / "summary.json")
            if maps:
                warm.wait(60)  # (done by now) no thread of ours runs while the figures fork
                _report(stage, out_dir, scenario.report.dossiers, ahead)
            result.summary.outputs = sorted(
                str(p.relative_to(stage))
                for p in stage.rglob("*")
                if p.is_file() and not p.name.startswith(".")
            )
            result.summary.wall_seconds = round(time.perf_counter() - wall0, 2)
            result.summary.write(stage / "summary.json")
            log.info("outputs complete; wall time %.1f s", result.summary.wall_seconds)
            log.debug("warm-up: %s; failed: %s", warm.done, warm.failed)
        target.commit()
        shutil.rmtree(checkpoint_dir(out_dir), ignore_errors=True)
    finally:
        if warm is not None:
            warm.stop()  # a run stopped early leaves no compile running behind it
        if ahead is not None:
            ahead.close()
        target.close()  # removes an uncommitted stage, releases the lock
    result.out_dir = out_dir
    return result


def _estimate(prep: Prepared, request: EngineRequest, how: Plan, maps: bool) -> None:
    """Refuse a run whose memory cannot fit (:func:`marinenet.memory.run_estimate`)."""
    from .ocean.extra import footprints

    sc = prep.scenario
    run_estimate(
        prep.ocean.nbytes,
        len(prep.release),
        how.engine,
        [len({*lay.ids, lay.outside}) for lay in prep.layers.values()],
        len(prep.release) if request.keep is None else len(request.keep),
        len(request.output_times),
        matrices=len(prep.layers) * (2 if sc.behaviour.kind == "larva" else 1)
        + (1 if not prep.layers or sc.release.points is not None else 0),
        maps=maps,
        three_d=bool(sc.ocean.three_d),
        forcing_slices=prep.ocean.sizes["time"],
        all_pairs_limit=sc.outputs.all_pairs_limit,
        extra_fields=footprints(request.behaviours),
        tracks_written=_tracks_written(how, sc.simulation.checkpoint_every is not None),
        label_chars=max((len(str(s)) for s in prep.release.labels), default=0),
    )


def _tracks_written(how: Plan, checkpointed: bool) -> bool:
    """Whether the engine writes trajectories.nc as it runs: the fast engine in this process, without
    checkpoints (a resumed run takes its tracks from the checkpoint); Parcels and batches return theirs
    in memory."""
    return how.engine == "fast" and not how.distributed and not checkpointed


def _track_file(stage: Path, request: EngineRequest, how: Plan, ckpt) -> TrackFile | None:
    """trajectories.nc, for the engine to write as it runs (:func:`_tracks_written`), or None."""
    if not _tracks_written(how, ckpt is not None):
        return None
    rows = request.lon.size if request.keep is None else request.keep.size
    three_d = "depth" in request.ocean.dims and request.ocean.sizes["depth"] > 1
    return TrackFile(stage / "trajectories.nc", rows, len(request.output_times), three_d)


def _track(
    request, how: Plan, streams: Streams, ckpt, progress, client, workers, scheduler, sink=None
) -> Trajectories:
    """Run the engine: in one process (the fast engine writing the tracks to ``sink`` as it goes), or in
    batches on dask workers (``client``, or one started for ``workers``/``scheduler``)."""
    if not how.distributed:
        return run_engine(how.engine, request, progress, observer=streams, checkpoint=ckpt, tracks=sink)
    from .engine.distributed import client_for, run_batches

    if client is not None:
        return run_batches(request, client, progress=progress, accumulator=streams)
    with client_for(workers, scheduler) as started:
        return run_batches(request, started, progress=progress, accumulator=streams)


def _settle(prep: Prepared, traj: Trajectories) -> None:
    """Settled larvae onto the habitat polygons they sensed (``settle_in`` with a radius)."""
    settle = prep.scenario.behaviour.settle_in
    if settle is not None and prep.scenario.behaviour.kind == "larva":
        on = traj.status == STATUS["settled"]
        traj.end_lon[on], traj.end_lat[on] = settle_onto_habitat(
            prep.layers[settle.layer], traj.end_lon[on], traj.end_lat[on]
        )


def _report(
    stage: Path, out_dir: Path, dossiers: Sequence[str] = (), ahead: report_ahead.Ahead | None = None
) -> None:
    """Maps, report.html, brief.pdf and the site dossiers (by ``ahead``'s processes where it can: this one
    then imports none of the drawing); the report never takes a finished run down."""
    jobs = [_dossier_job(stage, out_dir, site) for site in dossiers]
    for site in dossiers:
        phase(f"writing the connectivity dossier of {site}")
    log.info("drawing maps and writing report.html and brief.pdf")
    phase("drawing the maps and writing report.html and brief.pdf")
    try:
        if ahead is None or not ahead.build(stage, out_dir, dossiers):
            from .report.build import build_report

            build_report(stage, also=jobs)
    except Exception as exc:  # noqa: BLE001
        from .report.dossier import slug

        log.warning(
            "report not written (%s: %s); 'marinenet report %s' retries it", type(exc).__name__, exc, out_dir
        )
        for site, job in zip(dossiers, jobs, strict=True):  # a dossier does not need the report
            if not (stage / "dossier" / f"{slug(site)}.pdf").exists():
                job([])


def _dossier_job(stage: Path, out_dir: Path, site: str) -> Callable[[list[str]], None]:
    """Write the dossier of ``site``; a failure is logged with the command that retries it."""

    def job(_notes: list[str]) -> None:
        from .report.dossier import write_dossier

        try:
            write_dossier(stage, site)
        except Exception as exc:  # noqa: BLE001
            log.warning(
                "dossier of %r not written (%s: %s); 'marinenet dossier %s --site %r' retries it",
                site,
                type(exc).__name__,
                exc,
                out_dir,
                site,
            )

    return job


def fates(prep: Prepared, traj: Trajectories) -> Fates:
    """The run's connectivity matrices (:func:`marinenet.connectivity.fates.connectivity_fates`)."""
    rel = prep.release
    sites = ReleaseSites(rel.lon, rel.lat, rel.source, rel.labels, prep.scenario.release.single_layer)
    end = EndState.from_codes(traj.status, STATUS_NAMES, traj.end_lon, traj.end_lat, traj.weight)
    sc = prep.scenario
    return connectivity_fates(
        prep.layers, sites, end, sc.behaviour.kind == "larva", sc.outputs.all_pairs_limit
    )


def file_attributes(sc: Scenario) -> dict:
    """The CF/ACDD attributes every netCDF file of a run of ``sc`` shares (made once per run)."""
    return run_attributes(sc.name, sc.synthetic, sc.outputs.metadata.model_dump())


def _netcdf_attributes(prep: Prepared) -> dict[str, dict]:
    """Global attributes of trajectories.nc, connectivity.nc and ocean_snapshot.nc (CF + ACDD)."""
    sc = prep.scenario
    meta = file_attributes(sc)
    lon, lat = prep.ocean["lon"].values, prep.ocean["lat"].values
    extent = extent_attributes(
        (float(lon.min()), float(lon.max())),
        (float(lat.min()), float(lat.max())),
        tuple(sorted((np.datetime64(prep.start), np.datetime64(prep.end)))),  # type: ignore[arg-type]
    )
    synthetic = " (SYNTHETIC demo seascape)" if sc.synthetic else ""
    return {
        "trajectories": {
            **meta,
            "title": f"marinenet trajectories: {sc.name}{synthetic}",
            "summary": "Simulated tracks of particles released in the ocean currents, with each particle's "
            "release zone and fate (marinenet connectivity run).",
            "ocean_source": sc.ocean.source,
            "marinenet_version": versions()["marinenet"],
            "seed": sc.seed,
        },
        "connectivity": {
            **meta,
            "title": f"marinenet connectivity: {sc.name}",
            "summary": "Connectivity matrices: counts of particles, rows = source (release zone), columns = "
            "destination (zone at end of run, or outcome); each row sums to the particles released there.",
            **extent,
        },
        "snapshot": {
            **meta,
            "title": f"marinenet ocean snapshot: {sc.name}",
            "summary": "Currents at the release time and the land mask of the run, for the report.",
        },
    }


def _write_inputs(stage: Path, prep: Prepared) -> None:
    """The files of a run that need no tracking: its zones, its resolved scenario, the ocean snapshot."""
    sc = prep.scenario
    lon, lat = prep.ocean.lon, prep.ocean.lat
    domain = (float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max()))
    write_zone_layers(prep.layers, stage / "zones", domain)
    write_resolved_scenario(
        {**sc.to_dict(), "versions": versions()}, sc.name, stage / "scenario.resolved.yaml"
    )
    write_ocean_snapshot(
        prep.ocean, prep.start, stage / "ocean_snapshot.nc", _netcdf_attributes(prep)["snapshot"]
    )


def _write_outputs(
    stage: Path,
    prep: Prepared,
    traj: Trajectories,
    streams: Streams,
    engine: str,
    why: str,
    early: Callable[[], None] | None = None,
) -> RunResult:
    """Analytics (connectivity, then the analyses' tables) and every output file of the run; ``early`` is
    called once the files that need no analysis are written (the report's early maps: :mod:`.report.early`).
    """
    from .coherence_stage import write_coherence  # analysis: coherence (coherence/)

    sc, rel = prep.scenario, prep.release
    attrs = _netcdf_attributes(prep)
    write_trajectories(stage / "trajectories.nc", traj, rel.source, rel.release_times, attrs["trajectories"])
    if early is not None:  # (summary.json without the sampling checks: written again below)
        run_summary(prep, traj, engine, why, {}, versions()).write(stage / "summary.json")
        early()
    if sc.outputs.parquet:
        write_parquet(stage / "trajectories.parquet", stage / "trajectories.nc")
    f = fates(prep, traj)
    rng = np.random.default_rng([sc.seed, 1])
    analyses = analyse(stage, prep.layers, f.matrices, f.destinations, f.sources, streams, rng)
    write_coherence(
        stage,
        sc,
        prep.layers,
        f.destinations,
        f.sources,
        streams,
        len(rel),
        np.random.default_rng([sc.seed, 2]),
    )
    write_connectivity(f.matrices, stage / "connectivity.nc", attrs["connectivity"])
    summary = run_summary(prep, traj, engine, why, analyses.convergence, versions())
    return RunResult(
        stage,
        summary,
        analyses.tables,
        f.matrices,
        traj,
        indices=analyses.indices,
        arrivals=analyses.arrivals,
        exposure=analyses.exposure,
        protection=analyses.protection,
    )
