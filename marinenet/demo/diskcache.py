"""The demo seascape, computed once per install: its zones and currents kept on disk.

The demo's layers and currents are deterministic functions of the code in ``marinenet/demo`` and of
the libraries that compute them, and take seconds to make (EEZ median lines, the streamfunction).
:func:`disk_cached` keeps each result in ``$MARINENET_DEMO_CACHE`` (default
``~/.cache/marinenet/demo``) under a key made of the call's arguments, the source of every module
of ``marinenet/demo``, its data files and the versions of the libraries; a changed module, data
file or library makes a new key, so a stale result is never read. A cache that cannot be read or written is ignored (the
result is computed as without it).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import pickle
import sys
import tempfile
from pathlib import Path

__all__ = ["disk_cached", "cache_dir"]

log = logging.getLogger("marinenet")

_LIBRARIES = ("numpy", "shapely", "geopandas", "pyproj", "scipy", "contourpy", "xarray", "pandas")


def cache_dir() -> Path:
    env = os.environ.get("MARINENET_DEMO_CACHE")
    if env:
        return Path(env)
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "marinenet" / "demo"


@functools.cache
def _code_key() -> str:
    """A digest of the demo package's sources and data and the library versions that compute the demo."""
    import shapely

    h = hashlib.sha256()
    here = Path(__file__).parent
    for path in sorted([*here.glob("*.py"), *here.glob("data/*.gz")]):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    versions = [sys.version, shapely.geos_version_string]
    for name in _LIBRARIES:
        module = __import__(name)
        versions.append(f"{name}={getattr(module, '__version__', '?')}")
    h.update(repr(versions).encode())
    return h.hexdigest()


def disk_cached(fn):
    """``fn``'s result for these arguments from the disk cache, computed (and stored) if not there."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        call = repr((fn.__module__, fn.__qualname__, args, sorted(kwargs.items())))
        key = hashlib.sha256((_code_key() + call).encode()).hexdigest()[:24]
        path = cache_dir() / f"{fn.__name__}-{key}.pkl"
        try:
            with open(path, "rb") as f:
                return pickle.load(f)
        except FileNotFoundError:
            pass
        except Exception as exc:  # noqa: BLE001 - a damaged cache file: compute again, overwrite it
            log.debug("demo cache %s unreadable (%s): computing again", path, exc)
        out = fn(*args, **kwargs)
        _store(path, out)
        return out

    return wrapper


def _store(path: Path, value) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)  # atomic: a reader sees the whole file or none
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError as exc:  # a read-only or full disk: run without the cache
        log.debug("demo cache not written to %s: %s", path, exc)
