"""Failures of the machine rather than of the code: disk full, no permission, out of memory.

:func:`user_error` turns such an exception, wherever it was raised (numpy, netCDF, GDAL),
into a :class:`~marinenet.errors.MarinenetError` with a message that says what happened
and what to do; anything else (a bug) is left alone, so it still shows its traceback.
:func:`check_disk` refuses a run up front when its output folder's disk cannot hold it.
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from .errors import InputDataError, MarinenetError

__all__ = ["user_error", "check_disk", "check_writable", "DISK_FULL_ERRNOS"]

DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
_DISK_FULL_TEXT = ("no space left", "disk is full", "disk full", "quota exceeded", "file too large")
_DENIED_ERRNOS = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})
#: below this much free space, a failure while writing is taken for a full disk
NEARLY_FULL_BYTES = 64 * 2**20


def _chain(exc: BaseException | None) -> Iterator[BaseException]:
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def _free_bytes(path: Path | None) -> int | None:
    """Free space of the disk holding ``path`` (or its nearest existing parent)."""
    if path is None:
        return None
    path = Path(path).absolute()
    for folder in (path, *path.parents):
        if folder.exists():
            try:
                return shutil.disk_usage(folder).free
            except OSError:
                return None
    return None


def _disk_full(where: Path | str | None) -> InputDataError:
    place = f" writing {where}" if where else ""
    return InputDataError(
        f"disk full{place}: no output was written and any previous output there is untouched; "
        "free some space, or choose an output folder on another disk (--out)"
    )


def user_error(exc: BaseException, out: Path | None = None) -> MarinenetError | None:
    """A user-facing error for a machine failure in ``exc``; None when it looks like a bug.

    ``out`` is the output folder being written (for the disk-full diagnosis and the message).
    """
    for e in _chain(exc):
        if isinstance(e, MemoryError):
            return InputDataError(
                "out of memory: this run needs more memory than the machine has free. Release fewer "
                "particles, store fewer tracks (simulation.trajectories: none or a number), shrink the "
                "region or time span of the currents, or run particle batches on several processes "
                "(--workers N)"
            )
        if isinstance(e, OSError) and e.errno in DISK_FULL_ERRNOS:
            return _disk_full(e.filename or out)
        if any(t in str(e).lower() for t in _DISK_FULL_TEXT):
            return _disk_full(out)
    if isinstance(exc, OSError):
        name = exc.filename or out
        if exc.errno in _DENIED_ERRNOS:
            return InputDataError(
                f"cannot write or read {name}: {exc.strerror or 'permission denied'}; "
                "choose a folder you can write to (--out) or fix its permissions"
            )
        if exc.errno in (errno.ENOTDIR, errno.EEXIST) and exc.filename:
            return InputDataError(
                f"{exc.filename} is a file where a folder is needed (for the output {out}); "
                "choose another output folder (--out)"
            )
        return InputDataError(f"{name}: {exc.strerror or exc}")
    free = _free_bytes(out)
    if isinstance(exc, RuntimeError) and free is not None and free < NEARLY_FULL_BYTES:
        return _disk_full(out)  # netCDF ("HDF error") and GDAL say no more than that
    return None


def check_disk(out: Path, need_bytes: float) -> None:
    """Refuse a run whose outputs (about ``need_bytes``) cannot fit on the disk of ``out``."""
    free = _free_bytes(out)
    need = 1.2 * need_bytes
    if free is not None and free < need:
        raise InputDataError(
            f"not enough disk space for the outputs in {out}: about {need / 1e6:,.1f} MB needed, "
            f"{free / 1e6:,.1f} MB free; free some space, choose another disk (--out), or store fewer "
            "tracks (simulation.trajectories: none or a number)"
        )


def check_writable(out: Path) -> None:
    """Refuse an output folder that cannot be made: under a file, or where its parent is not writable."""
    out = Path(out).absolute()
    for folder in (out, *out.parents):
        if not folder.exists():
            continue
        if not folder.is_dir():
            raise InputDataError(
                f"the output {out} cannot be made: {folder} is a file; choose another output folder (--out)"
            )
        probe = out.parent if folder == out else folder  # a run is staged beside its folder
        if not os.access(probe, os.W_OK | os.X_OK):
            raise InputDataError(
                f"the output {out} cannot be written: no write permission in {probe}; "
                "choose a folder you can write to (--out)"
            )
        return
