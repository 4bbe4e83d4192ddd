"""docs/tutorial.md runs as written: every ```python block, in order, in one namespace."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TUTORIAL = Path(__file__).resolve().parents[1] / "docs" / "tutorial.md"


def _blocks(text: str) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)


@pytest.mark.slow
def test_the_tutorial_runs(tmp_path, monkeypatch):
    blocks = _blocks(TUTORIAL.read_text(encoding="utf-8"))
    assert len(blocks) >= 8
    monkeypatch.chdir(tmp_path)  # its outputs (results/, the figures) land here
    monkeypatch.setenv("MPLBACKEND", "Agg")
    namespace: dict = {"__name__": "tutorial"}
    for i, code in enumerate(blocks, 1):
        try:
            exec(compile(code, f"{TUTORIAL.name} block {i}", "exec"), namespace)
        except Exception as exc:  # name the block that broke
            raise AssertionError(f"docs/tutorial.md block {i} failed: {exc!r}\n{code}") from exc
    assert (tmp_path / "tracks.png").stat().st_size > 1000
    assert (tmp_path / "import_dependency.png").stat().st_size > 1000
    assert repr(namespace["again"]).startswith("<marinenet.RunResult")
