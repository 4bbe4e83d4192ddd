"""What a checkpoint was made from, so that ``--resume`` continues only the same run.

Saved beside the checkpoint (``fingerprint.json``): every scenario value (exactly, as the
resolved scenario writes it), the number of particles released, and for every input file
(currents, grid, zone layers) its size, modification time and a SHA-256 of its first and
last MiB (where netCDF, HDF5 and GeoPackage keep their headers and coordinates). A resume
whose scenario or inputs differ is refused with what changed: mixing two runs' particles
would give a result that belongs to neither.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

from .errors import ScenarioError
from .scenario import Scenario

__all__ = ["fingerprint", "save_fingerprint", "check_fingerprint"]

NAME = "fingerprint.json"
_CHUNK = 1 << 20


def _file(path: str) -> dict[str, Any]:
    st = os.stat(path)
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        h.update(fh.read(_CHUNK))
        if st.st_size > 2 * _CHUNK:
            fh.seek(-_CHUNK, os.SEEK_END)
        h.update(fh.read(_CHUNK))
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256_head_tail": h.hexdigest()}


def _input_files(scenario: Scenario) -> list[str]:
    files = []
    src = scenario.ocean.source
    if src != "demo" and not re.match(r"^[a-z]+://", src):
        files += sorted(glob.glob(src))
    files += [scenario.ocean.grid] if scenario.ocean.grid else []
    for layer in scenario.zones.values():
        files += [p for p in (layer.path, layer.high_seas) if p]
    out = []
    for f in files:  # a shapefile is several files; a folder (zarr) is fingerprinted by its listing
        p = Path(f)
        if p.is_dir():
            out += sorted(str(q) for q in p.rglob("*") if q.is_file() and q.name.startswith((".z", "zarr")))
        elif p.suffix.lower() == ".shp":
            out += sorted(str(q) for q in p.parent.glob(glob.escape(p.stem) + ".*"))
        else:
            out.append(str(p))
    return out


def fingerprint(scenario: Scenario, particles: int) -> dict[str, Any]:
    """The scenario (without ``output``), the particle count, and every input file's fingerprint."""
    values = scenario.to_dict()
    values.pop("output", None)
    files = {}
    for f in _input_files(scenario):
        try:
            files[f] = _file(f)
        except OSError as exc:
            files[f] = {"error": exc.strerror or str(exc)}
    return {"scenario": values, "particles": int(particles), "files": files}


def save_fingerprint(folder: Path, scenario: Scenario, particles: int) -> None:
    (folder / NAME).write_text(json.dumps(fingerprint(scenario, particles), indent=1), encoding="utf-8")


def _flat(d: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(d, dict):
        out = {}
        for k, v in d.items():
            out.update(_flat(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    return {prefix: d}


def _differences(then: dict[str, Any], now: dict[str, Any]) -> list[str]:
    lines = []
    a, b = _flat(then["scenario"]), _flat(now["scenario"])
    for key in sorted(a.keys() | b.keys()):
        if a.get(key) != b.get(key):
            lines.append(f"scenario {key}: {a.get(key)!r} at the checkpoint, {b.get(key)!r} now")
    if then["particles"] != now["particles"]:
        lines.append(f"particles released: {then['particles']} at the checkpoint, {now['particles']} now")
    for f in sorted(then["files"].keys() | now["files"].keys()):
        x, y = then["files"].get(f), now["files"].get(f)
        if x is None or y is None:
            lines.append(f"input file {f}: {'new' if x is None else 'no longer used or found'}")
        elif x != y:
            what = [k for k in ("size", "mtime_ns", "sha256_head_tail", "error") if x.get(k) != y.get(k)]
            names = {"mtime_ns": "modification time", "sha256_head_tail": "content", "error": "readable"}
            lines.append(f"input file {f}: changed ({', '.join(names.get(w, w) for w in what)})")
    return lines


def check_fingerprint(folder: Path, scenario: Scenario, particles: int) -> None:
    """Refuse (ScenarioError) to resume the checkpoint in ``folder`` with other inputs than it was made from."""
    path = folder / NAME
    try:
        then = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ScenarioError(
            f"cannot resume: the checkpoint in {folder} has no readable {NAME} (made by an older marinenet, "
            "or damaged), so it cannot be checked against the scenario and inputs. Run again without --resume"
        ) from None
    diffs = _differences(then, fingerprint(scenario, particles))
    if diffs:
        shown = "\n  - ".join(diffs[:10]) + (f"\n  - and {len(diffs) - 10} more" if len(diffs) > 10 else "")
        raise ScenarioError(
            f"cannot resume into {folder.parent / folder.name.removeprefix('.').removesuffix('.checkpoint')}:"
            f" the scenario or its inputs changed since the checkpoint was made, and a resumed run would "
            f"mix the two:\n  - {shown}\nRun again without --resume to start over with the new inputs "
            "(or restore the old ones to finish the interrupted run)"
        )
