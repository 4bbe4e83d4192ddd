"""The threads that move the fast engine's particles.

The stepper (:mod:`~marinenet.engine._fast_compose`) is a plain compiled function that releases the
GIL (``nogil``) and moves the particles of the index list it is given. :func:`run` splits the list
(:mod:`~marinenet.engine._order`: the moving particles, ordered in space) into equal contiguous
parts, one per thread: the calling thread moves the first, a persistent pool of ``threads - 1``
workers the others, and the call returns when every part is done. One thread is a direct call.

Numba's own parallel loops (``parallel=True``, ``prange``) would do the same, but they cost ~3 s of
the demo stepper's compile (~8 s of the stepper with every behaviour) and start numba's threading
layer. The parts are disjoint, each particle is moved by exactly one thread, and a particle's step
depends only on its own state: the results are the same bits on any number of threads.
"""

from __future__ import annotations

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


def parts(n: int, threads: int) -> list[tuple[int, int]]:
    """``threads`` contiguous parts of ``range(n)`` of equal sizes (±1; fewer when ``n`` is smaller)."""
    k = max(1, min(threads, n))
    return [(i * n // k, (i + 1) * n // k) for i in range(k)]


def run(fn: Callable, head: Sequence, idx: np.ndarray, tail: Sequence, threads: int) -> None:
    """``fn(*head, part, *tail)`` for each of ``threads`` parts of ``idx``, each part in its own thread
    (the calling thread moves the first); returns when every part is done."""
    spans = parts(idx.size, threads)
    if len(spans) == 1:
        fn(*head, idx, *tail)
        return
    if not _busy.acquire(blocking=False):  # the workers move another call's particles: no threads
        for a, b in spans:
            fn(*head, idx[a:b], *tail)
        return
    try:
        workers = _workers(len(spans) - 1)
        for w, (a, b) in zip(workers, spans[1:], strict=False):
            w.jobs.put((fn, (*head, idx[a:b], *tail)))
        errors = []
        try:
            a, b = spans[0]
            fn(*head, idx[a:b], *tail)
        finally:  # every part finished (or failed) before the call returns: none still writes the state
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
