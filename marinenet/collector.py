"""Python's cyclic garbage collector in the command-line process (:mod:`marinenet.cli`).

A run imports ~2,000 modules; every full collection walks their objects again, and the interpreter's
teardown runs several (0.8–1.7 s after the last line of a warm demo). ``gc.freeze`` moves what exists to a
generation the collector leaves alone: no walk, and nothing of it is freed before the process ends.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["frozen", "before_exit"]


@contextlib.contextmanager
def frozen() -> Iterator[None]:
    """Leave what exists now (the imports) alone while the block runs; thawed after (for callers in the
    same process: tests, notebooks)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def before_exit() -> None:
    """The command is done, every output written and closed: spare the teardown its full collections
    (the OS takes the memory back)."""
    gc.freeze()
