"""The built wheel ships every data file the package reads at run time.

pytest imports the source tree, so a file left out of the wheel passes every other test; this one
builds the wheel and compares its contents with the files on disk.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _data_files() -> set[str]:
    pkg = ROOT / "marinenet"
    return {
        p.relative_to(ROOT).as_posix()
        for p in pkg.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in {".py", ".pyc"}
    }


@pytest.mark.slow
def test_wheel_contains_package_data(tmp_path):
    pytest.importorskip("setuptools")
    src = tmp_path / "src"  # a clean copy: a stale build/ folder in the checkout would hide a missing file
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".*", "build", "*.egg-info", "results", "ocean_data", "__pycache__"))
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(src)],
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    (wheel,) = tmp_path.glob("marinenet-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = _data_files()
    assert any(n.endswith(".yaml") for n in expected)  # the species profiles exist on disk
    assert expected <= names, f"missing from the wheel: {sorted(expected - names)}"
    assert any(n.endswith("LICENSE") for n in names)
