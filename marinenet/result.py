"""What a run produced (:class:`RunResult`): from :func:`marinenet.run`, or from a saved run with :func:`open_run`.

Both give the same object: the headline numbers, every analysis table as a DataFrame, the
count matrices, and — read from the files on first use — the trajectories (an
``xarray.Dataset``, opened lazily) and the zones (GeoDataFrames)::

    res = marinenet.open_run("results/demo")
    res                         # a short summary (a table in a notebook)
    res.connectivity["eez"]     # source, destination, count, fraction, origin_share, ci_low, ci_high
    res.indices["eez"]          # per-zone indices
    res.trajectories            # xarray.Dataset of trajectories.nc
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputDataError
from .summary import OUTCOME_KEYS, Summary

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd
    import xarray as xr

    from .connectivity.sparse import SparseCounts
    from .engine.base import Trajectories

__all__ = ["RunResult", "open_run"]

#: table columns that hold labels (zone ids, outcomes): read as text, so "NA" or "007" stay as written
_LABELS = ("source", "destination", "zone", "metric", "basis")


@dataclass(repr=False)
class RunResult:
    """What a run produced: where, the headline numbers, the tables and the tracks.

    ``connectivity``, ``indices``, ``arrivals`` and ``exposure`` are keyed like their files
    (``connectivity/eez.settlement.csv`` → ``connectivity["eez.settlement"]``).
    ``tracks`` is the engine's in-memory result (:func:`marinenet.run` only; None from
    :func:`open_run`): ``tracks.end_lon`` etc. hold every particle even when
    trajectories.nc stores a subsample; ``tracks.lon``/``tracks.lat`` are None when the engine
    wrote the tracks to trajectories.nc as it ran (read them from ``trajectories``).

    Attributes
    ----------
    out_dir
        The output folder (its files: README, "What you get").
    summary
        The headline numbers of ``summary.json`` (:class:`~marinenet.summary.Summary`).
    connectivity
        Per matrix, the table ``source, destination, count, fraction, origin_share, ci_low, ci_high``.
    matrices
        Per matrix, the counts as an :class:`xarray.DataArray` ``(source, destination)``; a matrix of
        more than ``outputs: all_pairs_limit`` pairs as its non-zero pairs
        (:class:`~marinenet.connectivity.sparse.SparseCounts`; ``.to_dense()`` when it fits).
    tracks
        The engine's arrays of every particle (from :func:`marinenet.run` only).
    indices, arrivals, exposure
        Per layer, the tables of ``indices/``, ``arrivals/`` and ``exposure/``.
    protection
        ``protection.csv`` (None without an MPA layer).
    """

    out_dir: Path
    summary: Summary
    connectivity: dict[str, pd.DataFrame] = field(default_factory=dict)
    matrices: dict[str, xr.DataArray | SparseCounts] = field(default_factory=dict)
    tracks: Trajectories | None = None
    indices: dict[str, pd.DataFrame] = field(default_factory=dict)
    arrivals: dict[str, pd.DataFrame] = field(default_factory=dict)
    exposure: dict[str, pd.DataFrame] = field(default_factory=dict)
    protection: pd.DataFrame | None = None
    _trajectories: xr.Dataset | None = field(default=None, init=False, compare=False)
    _zones: dict[str, gpd.GeoDataFrame] | None = field(default=None, init=False, compare=False)

    @property
    def trajectories(self) -> xr.Dataset:
        """``trajectories.nc``, opened lazily (values are read when used)."""
        if self._trajectories is None:
            import xarray as xr

            self._trajectories = xr.open_dataset(_need(self.out_dir, "trajectories.nc"))
        return self._trajectories

    @property
    def zones(self) -> dict[str, gpd.GeoDataFrame]:
        """The zone polygons of each layer as the run used them (``zones/<layer>.geojson``)."""
        if self._zones is None:
            import geopandas as gpd

            self._zones = {
                p.stem: gpd.read_file(p) for p in sorted((self.out_dir / "zones").glob("*.geojson"))
            }
        return self._zones

    @property
    def report(self) -> Path | None:
        """``report.html``, or None for a run without maps."""
        path = self.out_dir / "report.html"
        return path if path.is_file() else None

    def _lines(self) -> list[tuple[str, str]]:
        s = self.summary
        outcomes = OUTCOME_KEYS
        ended = ", ".join(f"{k.replace('_', ' ')} {s[k]:,}" for k in outcomes if s.get(k))
        layers = ", ".join(f"{n} ({v['zones']} zones)" for n, v in s.get("layers", {}).items()) or "none"
        shapes = ", ".join(
            f"{n} {m.sizes['source']}×{m.sizes['destination']}" for n, m in self.matrices.items()
        )
        return [
            ("run", f"{s.get('name')!r}" + (" (SYNTHETIC demo)" if s.get("synthetic") else "")),
            ("folder", str(self.out_dir)),
            (
                "particles",
                f"{s.get('particles_released', 0):,} released, {s.get('start', '')[:16]} .. {s.get('end', '')[:16]}",
            ),
            ("ended", ended or "—"),
            (
                "engine",
                f"{s.get('engine')}: {s.get('engine_seconds')} s tracking, {s.get('compile_seconds', 0)} s compile",
            ),
            ("layers", layers),
            ("connectivity", ", ".join(self.connectivity) or "—"),
            ("indices", ", ".join(self.indices) or "—"),
            ("matrices", shapes or "—"),
            ("under-sampled", ", ".join(s.get("under_sampled", [])) or "none"),
            ("report", str(self.report) if self.report else "none (run without maps)"),
        ]

    def __repr__(self) -> str:
        rows = self._lines()
        width = max(len(k) for k, _ in rows)
        body = "\n".join(f"  {k:<{width}}  {v}" for k, v in rows)
        return f"<marinenet.RunResult\n{body}\n  (.trajectories: xarray.Dataset, .zones: GeoDataFrames, opened on use)>"

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th><td style='text-align:left'>{html.escape(v)}</td></tr>"
            for k, v in self._lines()
        )
        head = ""
        main = next((n for n in self.indices if "." not in n), None)
        if main is not None:
            cols = [
                c
                for c in ("zone", "released", "arriving", "local_retention", "import_dependency")
                if c in self.indices[main]
            ]
            head = f"<p>indices[{html.escape(repr(main))}] (first rows)</p>" + self.indices[main][cols].head(
                8
            ).to_html(index=False, float_format=lambda x: f"{x:.3g}")
        return f"<div><strong>marinenet.RunResult</strong><table>{rows}</table>{head}</div>"


def _need(root: Path, name: str) -> Path:
    path = root / name
    if not path.exists():
        raise InputDataError(f"{root} is not a complete marinenet run: {name} is missing")
    return path


def _tables(root: Path, folder: str) -> dict[str, pd.DataFrame]:
    import pandas as pd

    out = {}
    for path in sorted((root / folder).glob("*.csv")):
        # utf-8-sig: also files written with a byte-order mark (for Excel); empty cells are NaN, text stays text
        labels = dict.fromkeys(_LABELS, str)
        frame = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False, na_values=[""], dtype=labels)
        out[path.name.removesuffix(".csv")] = frame
    return out


def _matrices(path: Path) -> dict[str, xr.DataArray | SparseCounts]:
    """Count matrices of connectivity.nc, as (source × destination) arrays labelled by zone / outcome."""
    from .outputs import is_sparse_matrix, read_connectivity, sparse_matrix

    ds = read_connectivity(path)
    return {
        str(name): sparse_matrix(ds, str(name))
        if is_sparse_matrix(ds, str(name))
        else m.rename({f"{name}_source": "source", f"{name}_destination": "destination"})
        for name, m in ds.data_vars.items()
    }


def open_run(out: str | Path) -> RunResult:
    """The :class:`RunResult` of a saved run, read from its output folder.

    Tables and matrices are read now (they are small); trajectories and zones when first used.

    Parameters
    ----------
    out
        The output folder of a finished run (``marinenet run ... --out OUT``).

    Returns
    -------
    RunResult
        The same object :func:`marinenet.run` returns, without ``tracks``.

    Raises
    ------
    InputDataError
        When ``out`` is not the output folder of a finished run.
    """
    root = Path(out).expanduser().resolve()
    summary = Summary.read(_need(root, "summary.json"))
    protection = root / "protection.csv"
    import pandas as pd

    return RunResult(
        out_dir=root,
        summary=summary,
        connectivity=_tables(root, "connectivity"),
        matrices=_matrices(_need(root, "connectivity.nc")),
        indices=_tables(root, "indices"),
        arrivals=_tables(root, "arrivals"),
        exposure=_tables(root, "exposure"),
        protection=pd.read_csv(protection, encoding="utf-8-sig") if protection.is_file() else None,
    )
