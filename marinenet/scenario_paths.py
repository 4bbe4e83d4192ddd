"""Input paths of a scenario: resolved against the scenario file's folder and checked to exist."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from ._paths import source_files
from .errors import ScenarioError

if TYPE_CHECKING:
    from .scenario import Scenario

__all__ = ["resolve_paths"]


def resolve_paths(scenario: Scenario, base: Path, origin: str) -> None:
    """Every input path of ``scenario`` made absolute against ``base`` (its file's folder), and checked."""
    if scenario.ocean.grid is not None:
        g = (
            Path(scenario.ocean.grid)
            if Path(scenario.ocean.grid).is_absolute()
            else base / scenario.ocean.grid
        )
        if not g.exists():
            raise ScenarioError(f"{origin}: ocean.grid {scenario.ocean.grid!r} not found (looked for {g})")
        scenario.ocean.grid = str(g)
    src = scenario.ocean.source
    if src != "demo" and not re.match(r"^[a-z]+://", src):
        pattern = src if Path(src).is_absolute() else str(base / src)
        matches = source_files(pattern)
        if not matches:
            raise ScenarioError(
                f"{origin}: ocean.source {src!r} matches no file (looked for {pattern}); "
                "give a netCDF path or glob, or 'demo'"
            )
        scenario.ocean.source = pattern
    for key in ("wind", "waves"):
        given = getattr(scenario.ocean, key)
        if given is None:
            continue
        pattern = given if Path(given).is_absolute() else str(base / given)
        if not source_files(pattern):
            raise ScenarioError(
                f"{origin}: ocean.{key} {given!r} matches no file (looked for {pattern}); give a netCDF path or glob"
            )
        setattr(scenario.ocean, key, pattern)
    for name, layer in scenario.zones.items():
        if layer.path is not None:
            p = Path(layer.path) if Path(layer.path).is_absolute() else base / layer.path
            if not p.exists():
                raise ScenarioError(f"{origin}: zones.{name}.path {layer.path!r} not found (looked for {p})")
            layer.path = str(p)
    if scenario.output is not None and not Path(scenario.output).is_absolute():
        scenario.output = str(base / scenario.output)
    for name, layer in scenario.zones.items():
        if layer.high_seas is not None:
            p = Path(layer.high_seas) if Path(layer.high_seas).is_absolute() else base / layer.high_seas
            if not p.exists():
                raise ScenarioError(
                    f"{origin}: zones.{name}.high_seas {layer.high_seas!r} not found (looked for {p})"
                )
            layer.high_seas = str(p)
