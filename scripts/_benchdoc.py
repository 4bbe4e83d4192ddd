"""Append a result row to a section's table in docs/benchmarks.md (creating the section once)."""

from __future__ import annotations

import os
import platform
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"


def machine(threads: str = "") -> str:
    cpu = platform.processor() or platform.machine()
    return f"{cpu}, {os.cpu_count()} cores{threads}, Python {platform.python_version()}"


def append_row(header: str, row: str, doc: Path = DOC) -> None:
    """Add ``row`` at the end of the table that follows ``header`` (a section title + table head)."""
    text = doc.read_text() if doc.exists() else "# Benchmarks\n"
    if header not in text:
        doc.write_text(text.rstrip() + "\n\n" + header + row + "\n")
        return
    head, tail = text.split(header, 1)
    end = tail.find("\n\n")
    rows, rest = (tail, "") if end < 0 else (tail[:end], tail[end:])
    body = head + header + rows.rstrip("\n") + "\n" + row + "\n"
    doc.write_text(body + ("\n" + rest.lstrip("\n") if rest.strip() else ""))
