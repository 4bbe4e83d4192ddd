"""The threads that move the fast engine's particles.

The stepper (:mod:`~marinenet.engine._fast_compose`) is a plain compiled function that releases the
GIL (``nogil``) and moves the particles of the index list it is given. :func:`run` cuts the list
(:mod:`~marinenet.engine._order`: the moving particles, ordered in space) into contiguous chunks
(:func:`parts`: up to :data:`CHUNKS_PER_THREAD` per thread, of at least :data:`MIN_CHUNK` particles);
the calling thread and a persistent pool of ``threads - 1`` workers each take the next chunk as they
finish one, and the call returns when every chunk is done. A thread that gets less of a core (the
step observer's thread beside it, another process) or costlier particles (near a coast) thus does
fewer chunks instead of holding up the call. One thread, or one chunk, is a direct call.

Numba's own parallel loops (``parallel=True``, ``prange``) would do the same, but they cost ~3 s of
the demo stepper's compile (~8 s of the stepper with every behaviour) and start numba's threading
layer. The chunks are disjoint, each particle is moved by exactly one thread, and a particle's step
depends only on its own state: the results are the same bits on any number of threads.
"""

from __future__ import annotations

import collections
import os
import queue
import threading
from collections.abc import Callable, Sequence

import numpy as np

__all__ = ["available", "parts", "run"]


def available(requested: int | None) -> int:
    """The threads a run uses: ``requested`` (None: all) within 1 .. the cores numba sees
    (``NUMBA_NUM_THREADS``, the number of cores unless set)."""
    import numba

    most = numba.config.NUMBA_NUM_THREADS
    return max(1, min(int(requested or most), most))


#: chunks per thread that a call's list is cut into (fewer where they would be under MIN_CHUNK particles)
CHUNKS_PER_THREAD = 8
#: the fewest particles in a chunk: a chunk costs a few microseconds of Python to hand out
MIN_CHUNK = 4096


def parts(n: int, threads: int) -> list[tuple[int, int]]:
    """Contiguous chunks of ``range(n)`` of equal sizes (±1): ``threads`` × :data:`CHUNKS_PER_THREAD`,
    fewer where chunks would hold under :data:`MIN_CHUNK` particles, at least one per thread (up to
    ``n``)."""
    k = max(1, min(n, max(threads, min(threads * CHUNKS_PER_THREAD, n // MIN_CHUNK))))
    return [(i * n // k, (i + 1) * n // k) for i in range(k)]


def run(fn: Callable, head: Sequence, idx: np.ndarray, tail: Sequence, threads: int) -> None:
    """``fn(*head, chunk, *tail)`` for each chunk (:func:`parts`) of ``idx``, on ``threads`` threads (the
    calling thread one of them), each taking the next chunk as it finishes one; returns when every
    chunk is done, raising the first error (the chunks not yet started are then left)."""
    spans = parts(idx.size, threads) if threads > 1 else [(0, idx.size)]
    if len(spans) == 1:
        fn(*head, idx, *tail)
        return
    todo = collections.deque(spans)  # (popleft is atomic: each chunk goes to one thread)

    def work() -> None:
        while True:
            try:
                a, b = todo.popleft()
            except IndexError:
                return
            try:
                fn(*head, idx[a:b], *tail)
            except BaseException:
                todo.clear()  # the other threads stop after their chunk
                raise

    if not _busy.acquire(blocking=False):  # the workers move another call's particles: no threads
        work()
        return
    try:
        workers = _workers(min(threads, len(spans)) - 1)
        for w in workers:
            w.jobs.put((work, ()))
        errors = []
        try:
            work()
        finally:  # every chunk finished (or failed) before the call returns: none still writes the state
            errors = [e for e in (w.done.get() for w in workers) if e is not None]
        if errors:
            raise errors[0]
    finally:
        _busy.release()


class _Worker:
    """A daemon thread that runs the jobs put in its queue, one at a time (None, or the error, in ``done``)."""

    def __init__(self, number: int):
        self.jobs: queue.SimpleQueue = queue.SimpleQueue()
        self.done: queue.SimpleQueue = queue.SimpleQueue()
        threading.Thread(target=self._loop, name=f"marinenet-fast-{number}", daemon=True).start()

    def _loop(self) -> None:
        while True:
            fn, args = self.jobs.get()
            try:
                fn(*args)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller, which raises it
                self.done.put(exc)
            else:
                self.done.put(None)


_pool: list[_Worker] = []
_busy = threading.Lock()  # held by the call whose particles the workers move


def _workers(k: int) -> list[_Worker]:
    """The first ``k`` workers of the pool (started when first needed, then kept for the process)."""
    while len(_pool) < k:
        _pool.append(_Worker(len(_pool) + 1))
    return _pool[:k]


def _forget_pool() -> None:
    """In a forked child: the parent's workers do not exist there (new ones start when needed)."""
    global _busy
    _pool.clear()
    _busy = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool)
