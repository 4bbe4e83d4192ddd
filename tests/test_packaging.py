"""The built wheel ships every data file the package reads at run time.

pytest imports the source tree, so a file left out of the wheel passes every other test; this one
builds the wheel and compares its contents with the files on disk.
"""

from __future__ import annotations

import os
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
    shutil.copytree(
        ROOT,
        src,
        ignore=shutil.ignore_patterns(".*", "build", "*.egg-info", "results", "ocean_data", "__pycache__"),
    )
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(src),
        ],
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
    meta = _metadata(wheel)
    requires = meta.get_all("Requires-Dist")
    # the default install is the fast engine: Parcels (and its ~500 MB of dependencies) is an extra
    assert not [r for r in requires if r.startswith("parcels") and "extra ==" not in r]
    assert any(r.startswith("parcels") and 'extra == "parcels"' in r for r in requires)
    assert {"parcels", "dask", "cmems", "animation", "test", "dev"} <= set(meta.get_all("Provides-Extra"))
    assert "Topic :: Scientific/Engineering :: Oceanography" in meta.get_all("Classifier")
    assert meta["License-Expression"] == "MIT"


def _metadata(wheel: Path):
    from email.parser import Parser

    with zipfile.ZipFile(wheel) as zf:
        (name,) = [n for n in zf.namelist() if n.endswith(".dist-info/METADATA")]
        return Parser().parsestr(zf.read(name).decode())


def _site_packages(path: str) -> bool:
    """An installed copy (CI's venv may live inside the checkout), not the source tree's marinenet/."""
    where = Path(path).resolve()
    installed = "site-packages" in where.parts or "dist-packages" in where.parts
    return installed and not where.is_relative_to(ROOT / "marinenet")


@pytest.mark.skipif(os.environ.get("CI") != "true", reason="CI only: developers test their checkout")
def test_ci_tests_the_installed_package():
    """In CI the tests import the installed wheel: a data file left out of it fails the tests using it."""
    import marinenet

    assert _site_packages(marinenet.__file__), (
        f"tests imported {marinenet.__file__}, not the installed package"
    )
    # the commands the tests start (python -c, python -m marinenet.cli) see the same package
    child = subprocess.run(
        [sys.executable, "-c", "import marinenet; print(marinenet.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert _site_packages(child.stdout.strip()), f"a subprocess imported {child.stdout.strip()}"
    profiles = Path(marinenet.__file__).parent / "behaviour" / "profiles"
    assert sorted(p.name for p in profiles.glob("*.yaml")) == sorted(
        p.name for p in (ROOT / "marinenet" / "behaviour" / "profiles").glob("*.yaml")
    )
