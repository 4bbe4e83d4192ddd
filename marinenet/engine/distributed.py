"""Particle batches as dask.distributed tasks.

A run's particles are split into batches; each batch is tracked by the fast engine on a
worker and the batches' results are joined in particle order. Every particle keeps its
global id, and its random numbers are keyed by (seed, id, step), so the joined result is
identical to tracking all particles in one process.

``client`` is any :class:`distributed.Client`: a ``LocalCluster`` (``marinenet run
--workers N``), or a scheduler of an HPC cluster (``--scheduler tcp://host:8786``; start
one with dask-jobqueue's ``SLURMCluster``/``PBSCluster``, see docs/scaling.md).
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
from collections.abc import Iterator
from typing import cast

import numpy as np

from .base import BatchAccumulator, EngineRequest, ProgressCallback, Trajectories

__all__ = ["run_batches", "client_for", "batches", "BATCH_SIZE"]

#: particles per task when a run is split into batches
BATCH_SIZE = 100_000

log = logging.getLogger("marinenet")


def batches(n: int, size: int) -> list[np.ndarray]:
    """Particle indices of consecutive batches of at most ``size``."""
    size = max(int(size), 1)
    return [np.arange(a, min(a + size, n)) for a in range(0, n, size)]


def _subset(request: EngineRequest, idx: np.ndarray) -> EngineRequest:
    rel = request.releases[idx]
    keep = None
    if request.keep is not None:  # the run's stored tracks that fall in this batch, as batch rows
        keep = np.flatnonzero(np.isin(idx, request.keep))
    return dataclasses.replace(
        request,
        lon=np.asarray(request.lon)[idx],
        lat=np.asarray(request.lat)[idx],
        release_time=rel,
        pid=idx if request.pid is None else np.asarray(request.pid)[idx],
        keep=keep,
        threads=1,
        span_s=request.span,
    )


def _track_batch(
    request: EngineRequest, template: BatchAccumulator | None
) -> tuple[Trajectories, dict | None]:
    """Track one batch (on a worker); with an accumulator ``template``, accumulate its steps there and
    return the accumulator's arrays."""
    from .fast_engine import run_fast

    if template is None:
        return run_fast(request), None
    acc = template.for_batch(request.lon, request.lat)
    return run_fast(request, observer=acc), acc.arrays()


def _join(parts: list[Trajectories], request: EngineRequest, seconds: float) -> Trajectories:
    cat = np.concatenate
    first = parts[0]
    return Trajectories(
        times=first.times,
        lon=cat([p.lon for p in parts]),
        lat=cat([p.lat for p in parts]),
        status=cat([p.status for p in parts]),
        end_lon=cat([p.end_lon for p in parts]),
        end_lat=cat([p.end_lat for p in parts]),
        end_time=cat([p.end_time for p in parts]),
        engine="fast",
        particle_steps=sum(p.particle_steps for p in parts),
        engine_seconds=seconds,  # wall time of the batches on the cluster
        compile_seconds=max(p.compile_seconds for p in parts),  # the workers compile side by side
        coast_contacts=cat([p.coast_contacts for p in parts]),
        weight=None if first.weight is None else cat([p.weight for p in parts]),
        release_time=request.releases,
        depth=None if first.depth is None else cat([p.depth for p in parts]),
        notes=[f"fast engine on dask.distributed: {len(parts)} batches"],
    )


def run_batches(
    request: EngineRequest,
    client,
    batch_size: int | None = None,
    progress: ProgressCallback | None = None,
    accumulator: BatchAccumulator | None = None,
) -> Trajectories:
    """Track ``request`` in batches on ``client``'s workers; same result as one process.

    With an ``accumulator`` (:class:`~marinenet.engine.base.BatchAccumulator`, e.g. the run's
    streamed analytics) each batch accumulates its steps on its worker and only those arrays, the
    particles' fates and the tracks of ``request.keep`` come back, so the client never holds
    every track. ``progress(done, total)`` is called in
    simulated seconds scaled by the share of batches finished.
    """
    import time

    from distributed import as_completed

    parts = batches(request.lon.size, batch_size or BATCH_SIZE)
    t0 = time.perf_counter()
    ocean = client.scatter(request.ocean, broadcast=True)  # ship the forcing once per worker
    template = None
    if accumulator is not None:
        template = client.scatter(accumulator.template(), broadcast=True)
    futures = {}
    for i, idx in enumerate(parts):
        sub = _subset(request, idx)
        sub.ocean = None  # type: ignore[assignment]  # shipped once per worker; _with_ocean puts it back
        futures[client.submit(_with_ocean, sub, ocean, template, pure=False)] = i
    results: list[Trajectories | None] = [None] * len(parts)
    for done, fut in enumerate(as_completed(futures), start=1):
        i = futures[fut]
        results[i], arrays = fut.result()
        if accumulator is not None:
            accumulator.merge(parts[i], arrays)
        if progress is not None:
            progress(request.span * done / len(parts), request.span)
    traj = _join(cast(list[Trajectories], results), request, time.perf_counter() - t0)  # all batches done
    traj.kept = request.keep
    return traj


def _with_ocean(sub: EngineRequest, ocean, template) -> tuple[Trajectories, dict | None]:
    sub.ocean = ocean
    return _track_batch(sub, template)


@contextlib.contextmanager
def client_for(workers: int | None = None, scheduler: str | None = None) -> Iterator:
    """A ``distributed.Client``: on ``scheduler`` if given, else a ``LocalCluster`` of ``workers``."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        from ..errors import ScenarioError

        raise ScenarioError(
            '--workers / --scheduler run on dask.distributed, which is not installed: pip install "marinenet[dask]"'
        ) from None

    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    with (
        LocalCluster(
            n_workers=workers or 1, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cl,
        Client(cl) as client,
    ):
        yield client
