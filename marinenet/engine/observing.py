"""The step observer's work beside the stepper: step k observed while step k + 1 is computed.

In a stepwise run (:mod:`~marinenet.engine.stepping`) the fast engine shows every step to the
observer (the streamed analytics: a zone lookup per layer and the tallies, most of it compiled
without the GIL). :class:`Beside` hands each :meth:`~marinenet.engine.base.StepObserver.stepped`
call to one worker thread and returns at once, so the stepper (compiled, without the GIL) moves
the next step meanwhile, on another core.

What stays exact: the calls reach the observer one at a time and in step order, with arrays
made for them (copies of the moved particles' positions, ages, weights), so it computes what it
would have computed inline, bit for bit. What the engine does between steps that changes the
particles (settlement, which stops larvae) stays in the engine's thread, before the next step.
At most one call waits or runs at a time (:meth:`Beside.stepped` first waits for the one
before); :meth:`Beside.wait` lets it finish, e.g. before the observer's state is saved in a
checkpoint, and an error raised by the observer comes back to the engine there or at the next call.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np

from .base import StepObserver

__all__ = ["Beside"]


class Beside:
    """``observer``'s :meth:`stepped` calls run in one worker thread, in order, one at a time."""

    def __init__(self, observer: StepObserver):
        self.observer = observer
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="marinenet-observer")
        self._pending: Future | None = None

    def released(self, idx: np.ndarray, lon: np.ndarray, lat: np.ndarray) -> None:
        """Release positions: seen by the observer in this thread, after every step queued."""
        self.wait()
        self.observer.released(idx, lon, lat)

    def stepped(
        self,
        idx: np.ndarray,
        lon: np.ndarray,
        lat: np.ndarray,
        dt: np.ndarray,
        age: np.ndarray,
        weight: np.ndarray | None,
    ) -> None:
        """Queue a step for the observer (the arrays are the observer's from now on: not to be changed)."""
        self.wait()
        self._pending = self._pool.submit(self.observer.stepped, idx, lon, lat, dt, age, weight)

    def wait(self) -> None:
        """Until the observer has seen every step queued; raises what it raised."""
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()

    def close(self, finish: bool = True) -> None:
        """Stop the worker: after the last step is observed (``finish``), or as soon as it may (a run
        that failed: an observer's error is then not raised over the run's own)."""
        try:
            if finish:
                self.wait()
        finally:
            self._pending = None
            self._pool.shutdown(wait=True)
