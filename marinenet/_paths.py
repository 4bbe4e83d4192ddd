"""Paths and globs given by users."""

from __future__ import annotations

import glob
import os
from pathlib import Path

__all__ = ["source_files"]


def source_files(source: str) -> list[str]:
    """The files of a path or glob, sorted. A path that exists is taken literally, and so is the folder
    part of a glob when it exists (a folder named ``run[1]`` is no character class)."""
    if Path(source).is_file():
        return [source]
    found = sorted(glob.glob(source))
    folder, name = os.path.split(source)
    if not found and folder and Path(folder).is_dir():
        found = sorted(glob.glob(os.path.join(glob.escape(folder), name)))
    return found
