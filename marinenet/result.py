"""What a run produced (:class:`RunResult`), returned by :func:`marinenet.run`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd
    import xarray as xr

    from .engine.base import Trajectories

__all__ = ["RunResult"]


@dataclass
class RunResult:
    """What a run produced: where, the headline numbers, the tables and the tracks."""

    out_dir: Path
    summary: dict
    connectivity: dict[str, pd.DataFrame] = field(default_factory=dict)
    matrices: dict[str, xr.DataArray] = field(default_factory=dict)
    trajectories: Trajectories | None = None
