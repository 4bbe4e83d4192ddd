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
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np

__all__ = ["available", "parts", "run"]

_pools: dict[int, ThreadPoolExecutor] = {}
_lock = threading.Lock()


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
    """``fn(*head, part, *tail)`` for each of ``threads`` parts of ``idx``, at the same time."""
    spans = parts(idx.size, threads)
    if len(spans) == 1:
        fn(*head, idx, *tail)
        return
    pool = _pool(len(spans) - 1)
    futures: list[Future] = [pool.submit(fn, *head, idx[a:b], *tail) for a, b in spans[1:]]
    try:
        a, b = spans[0]
        fn(*head, idx[a:b], *tail)
    finally:  # every part finished (or failed) before the call returns: none still writes the state
        for f in futures:
            f.exception()
    for f in futures:
        f.result()  # a worker's error, raised here


def _pool(workers: int) -> ThreadPoolExecutor:
    with _lock:
        pool = _pools.get(workers)
        if pool is None:
            pool = _pools[workers] = ThreadPoolExecutor(workers, thread_name_prefix="marinenet-fast")
        return pool


def _forget_pools() -> None:
    """In a forked child: the parent's workers do not exist there (new ones start when needed)."""
    global _lock
    _pools.clear()
    _lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pools)
