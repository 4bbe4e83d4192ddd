"""Checkpoints of a fast-engine run: everything needed to finish it after a crash or ``kill -9``.

A checkpoint is one ``state.npz`` (particle state, stored tracks, streamed analytics and the
last output step done) written to a temporary name and renamed into place, so a checkpoint
on disk is always complete: an interrupted write leaves the previous one. Particles draw
their random numbers from counters (seed, particle, step), so a resumed run continues
exactly where the interrupted one stopped and its outputs equal an uninterrupted run's.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputDataError

__all__ = ["Checkpoint"]

log = logging.getLogger("marinenet")


class Checkpoint:
    """Save and load a run's state in ``folder`` every ``every`` output steps.

    ``extra`` is a pair ``(get, restore)`` for more arrays that belong to the state (the
    streamed analytics): ``get()`` returns a dict of arrays, ``restore(dict)`` puts them back.
    """

    def __init__(
        self,
        folder: str | Path,
        every: int = 1,
        extra: tuple[Callable[[], dict], Callable[[dict], None]] | None = None,
    ):
        self.folder = Path(folder)
        self.every = max(int(every), 1)
        self.extra = extra
        self.path = self.folder / "state.npz"

    def due(self, k: int, n_obs: int) -> bool:
        return k % self.every == 0 and k < n_obs - 1

    def save(self, k: int, arrays: dict[str, np.ndarray]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        data: dict[str, Any] = dict(arrays)
        if self.extra is not None:
            data.update(self.extra[0]())
        tmp = self.folder / "state.npz.partial"
        with open(tmp, "wb") as fh:
            np.savez(fh, k=np.int64(k), **data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)
        log.info("checkpoint: output step %d saved to %s", k, self.path)

    def load(self) -> tuple[int, dict[str, np.ndarray]] | None:
        if not self.path.is_file():
            return None
        with np.load(self.path) as z:
            data = {name: z[name] for name in z.files}
        k = int(data.pop("k"))
        if self.extra is not None:
            try:
                self.extra[1](data)
            except (ValueError, KeyError) as exc:  # arrays of another size: another run's checkpoint
                raise InputDataError(
                    f"the checkpoint in {self.folder} does not fit this run ({exc}): it was written by a run "
                    "with other particles or outputs; delete that folder to start afresh"
                ) from None
        log.info("resuming from the checkpoint of output step %d (%s)", k, self.path)
        return k, data
