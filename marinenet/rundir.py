"""The output directory of a run: marker, lock, atomic commit and recovery of an interrupted commit.

* A run directory is recognised by its marker ``.marinenet-run`` (a run id and the list of
  files marinenet wrote), never by a file name a user could also have. A non-empty folder
  without the marker, or one holding files marinenet did not write, is refused: marinenet
  never deletes a file it did not write.
* One run at a time per output directory: a lock file ``.<name>.lock`` beside it is held
  (``flock``) for the whole run; a second run is refused with the holder's process id. The
  lock dies with its process, so a killed run leaves no lock that blocks the next one.
* The run is written into ``.<name>.partial-<tag>`` and committed by two renames
  (``<name>`` → ``.<name>.old-<tag>``, staging → ``<name>``). The marker is written into the
  staging folder just before, so a later start (``run``, ``ensemble``, ``tracks``, ``report``)
  can tell a commit cut between the renames and finish it (the new run was complete) — or
  put the previous run back when the new one was not — and removes what a killed run left.
"""

from __future__ import annotations

import glob
import json
import logging
import os
import shutil
import socket
import time
import uuid
from pathlib import Path

from .errors import ScenarioError

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: O_EXCL lock file with the holder's pid
    fcntl = None  # type: ignore[assignment]  # the module or None: callers test `fcntl is not None`

__all__ = ["MARKER", "RunDir", "check_output_dir", "commit_dir", "output_lock", "recover", "staging_dir"]

log = logging.getLogger("marinenet")

MARKER = ".marinenet-run"
#: files an operating system drops into folders it shows; not a user's work
_JUNK = {".DS_Store", "Thumbs.db", "desktop.ini"}


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() or p.is_symlink())


def read_marker(out: Path) -> dict | None:
    """The marker of the run in ``out`` (None when ``out`` holds no marinenet run)."""
    try:
        data = json.loads((Path(out) / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("files"), list) else None


def write_marker(stage: Path, kind: str = "run") -> dict:
    """Write the marker of a finished run folder: run id and every file in it (fsynced)."""
    data = {
        "run_id": uuid.uuid4().hex,
        "kind": kind,
        "written": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "files": [f for f in _files(stage) if f != MARKER],
    }
    tmp = stage / (MARKER + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=1)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, stage / MARKER)
    return data


def record_files(out: Path, new: list[str]) -> None:
    """Add files marinenet wrote later into a run folder (``marinenet report``) to its marker."""
    data = read_marker(out)
    if data is None or not new:
        return
    data["files"] = sorted(set(data["files"]) | set(new))
    tmp = out / (MARKER + ".tmp")
    tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
    os.replace(tmp, out / MARKER)


def foreign_files(out: Path) -> list[str]:
    """Files in the run folder ``out`` that marinenet did not write (all of them without a marker)."""
    data = read_marker(out)
    ours = set(data["files"]) if data else set()
    mine = ours | {MARKER, MARKER + ".tmp"}
    return [f for f in _files(out) if f not in mine and Path(f).name not in _JUNK]


def check_output_dir(out: Path) -> None:
    """Refuse (ScenarioError) a path that is a file, or a folder holding anything but a marinenet run."""
    out = Path(out)
    if out.is_symlink() and not out.exists():
        raise ScenarioError(f"output {out} is a broken symbolic link; choose another output directory")
    if not out.exists():
        return
    if not out.is_dir():
        raise ScenarioError(f"output {out} exists and is a file; choose another output directory")
    contents = [p for p in out.iterdir() if p.name not in _JUNK]
    if not contents:
        return
    if read_marker(out) is None:
        raise ScenarioError(
            f"output directory {out} is not empty and does not hold a marinenet run (no {MARKER} marker): "
            "marinenet replaces only folders it wrote. Choose another directory (--out) or empty it"
        )
    foreign = foreign_files(out)
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise ScenarioError(
            f"output directory {out} holds a previous marinenet run and {len(foreign)} file(s) marinenet "
            f"did not write ({shown}); a new run would replace the folder. Move those files out, or "
            "choose another directory (--out)"
        )


# ------------------------------------------------------------------------- lock
def _lock_path(out: Path) -> Path:
    return out.parent / f".{out.name}.lock"


def _holder(path: Path) -> str:
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
        return f"process {info['pid']} on {info['host']}, started {info['started']}"
    except (OSError, ValueError, KeyError, TypeError):
        return "another process"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


class OutputLock:
    """An exclusive lock on the output directory ``out`` (the file ``.<name>.lock`` beside it)."""

    def __init__(self, out: Path):
        self.out = Path(out)
        self.path = _lock_path(self.out)
        self.fd: int | None = None

    def acquire(self) -> OutputLock:
        try:
            self.out.parent.mkdir(parents=True, exist_ok=True)
            self.fd = self._flock() if fcntl is not None else self._exclusive()
        except OSError as exc:
            where = exc.filename or self.out
            raise ScenarioError(
                f"cannot write the output directory {self.out}: {exc.strerror or exc} ({where})"
            ) from None
        now = time.strftime("%Y-%m-%d %H:%M:%S")
        info = {"pid": os.getpid(), "host": socket.gethostname(), "started": now}
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, json.dumps(info).encode(), 0)
        return self

    def _busy(self) -> ScenarioError:
        return ScenarioError(
            f"output directory {self.out} is in use by another marinenet run ({_holder(self.path)}; lock "
            f"{self.path}). Wait for it to finish, or choose another directory (--out)"
        )

    def _flock(self) -> int:
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                raise self._busy() from None
            try:
                same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:  # not a file the previous holder removed while we opened it
                return fd
            os.close(fd)

    def _exclusive(self) -> int:  # pragma: no cover - exercised only where fcntl is missing
        while True:
            try:
                return os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                try:
                    pid = int(json.loads(self.path.read_text())["pid"])
                except (OSError, ValueError, KeyError, TypeError):
                    pid = None
                if pid is not None and _pid_alive(pid):
                    raise self._busy() from None
                log.warning("removing the stale lock %s of a process that no longer runs", self.path)
                self.path.unlink(missing_ok=True)

    def release(self) -> None:
        if self.fd is None:
            return
        try:
            self.path.unlink(missing_ok=True)
        finally:
            os.close(self.fd)  # closing releases the flock
            self.fd = None

    def __enter__(self) -> OutputLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def output_lock(out: str | Path) -> OutputLock:
    """``with output_lock(out):`` — hold the output directory's lock (ScenarioError when it is held)."""
    return OutputLock(Path(out))


# ---------------------------------------------------------------- commit, recovery
def _leftovers(out: Path, kind: str) -> list[Path]:
    return sorted(out.parent.glob(f".{glob.escape(out.name)}.{kind}-*"))


def recover(out: Path) -> list[str]:
    """Finish or roll back a commit into ``out`` cut by a kill, and remove what killed runs left.

    Call with the lock held (then no other run writes into ``out``). Returns what was done.
    """
    out = Path(out)
    done = []
    olds = _leftovers(out, "old")
    if olds and not out.exists() and not out.is_symlink():
        pairs = [(o, out.parent / f".{out.name}.partial-{o.name.rsplit('-', 1)[-1]}") for o in olds]
        complete = [new for _, new in pairs if (new / MARKER).is_file()]
        if complete:  # the new run was complete (marked) when its commit was cut: finish the commit
            complete[-1].rename(out)
            done.append(f"finished the commit of a run into {out} that was interrupted between its renames")
        else:  # the most recent intact previous run goes back into place
            intact = [o for o in olds if (o / MARKER).is_file()] or olds
            max(intact, key=lambda o: o.stat().st_mtime_ns).rename(out)
            done.append(
                f"put back the previous run in {out}: a commit was cut before the new run was complete"
            )
    for path in _leftovers(out, "old") + _leftovers(out, "partial"):
        shutil.rmtree(path, ignore_errors=True)
        if not path.exists():
            done.append(f"removed {path.name}, left by an interrupted run")
    for line in done:
        log.warning("%s", line)
    return done


def staging_dir(out: Path) -> Path:
    """A fresh hidden folder beside ``out`` to write a run into."""
    out.parent.mkdir(parents=True, exist_ok=True)
    for stale in _leftovers(out, "partial"):  # left by a killed run (its pid is gone)
        pid = stale.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not _pid_alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)
    stage = out.parent / f".{out.name}.partial-{os.getpid()}"
    if stage.exists():
        shutil.rmtree(stage)
    stage.mkdir()
    return stage


def commit_dir(stage: Path, out: Path, kind: str = "run") -> None:
    """Mark ``stage`` complete and move it to ``out``, replacing a previous run there."""
    write_marker(stage, kind)
    tag = stage.name.rsplit("-", 1)[-1]
    old = None
    if out.exists():
        old = out.parent / f".{out.name}.old-{tag}"
        os.rename(out, old)
    try:
        os.rename(stage, out)
    except BaseException:
        if old is not None and not out.exists():
            os.rename(old, out)  # put the previous run back
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


class RunDir:
    """An output directory being written: lock held, interrupted commit recovered, folder checked, stage made.

    ``commit()`` moves the finished stage into place; ``close()`` (always call it) removes an
    uncommitted stage and releases the lock.
    """

    def __init__(self, out: str | Path, kind: str = "run"):
        self.out = Path(out)
        self.kind = kind
        self.lock = OutputLock(self.out).acquire()
        try:
            recover(self.out)
            check_output_dir(self.out)
            self.stage = staging_dir(self.out)
        except BaseException:
            self.lock.release()
            raise
        self.committed = False

    def commit(self) -> None:
        commit_dir(self.stage, self.out, self.kind)
        self.committed = True

    def close(self) -> None:
        try:
            if not self.committed:
                shutil.rmtree(self.stage, ignore_errors=True)
        finally:
            self.lock.release()
