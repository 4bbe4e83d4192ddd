"""What a run is doing right now, for whoever shows it (the command line's status line).

The stages of a run announce themselves with :func:`phase`; a display subscribes for the
duration of a run with :func:`phases`. Without a subscriber an announcement only goes to the
debug log, so the library stays silent for Python users.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from contextvars import ContextVar

__all__ = ["phase", "phases", "COMPILING"]

log = logging.getLogger("marinenet")

#: the announcement of the fast engine's one-off compile (numba; cached on disk afterwards), shown
#: while the run waits for it (it starts in the background while the inputs load: marinenet.warmup)
COMPILING = "compiling the fast engine (first run only) …"

_listener: ContextVar[Callable[[str], None] | None] = ContextVar("marinenet_phase", default=None)


def phase(text: str) -> None:
    """Announce the stage the run enters, e.g. ``"reading the currents"``."""
    log.debug("phase: %s", text)
    from .memory import log_usage

    log_usage(text)
    listener = _listener.get()
    if listener is not None:
        listener(text)


@contextlib.contextmanager
def phases(listener: Callable[[str], None]) -> Iterator[None]:
    """Send every :func:`phase` of the code run inside this block to ``listener``."""
    token = _listener.set(listener)
    try:
        yield
    finally:
        _listener.reset(token)
