"""What a run is and what its tables hold, in the terms the findings need (read-only, from the run's files)."""

from __future__ import annotations

import math
from functools import cached_property

import numpy as np
import pandas as pd

from ..behaviour.timing import SettlementWindow, settlement_window
from ..connectivity.uncertainty import jeffreys_interval
from ..summary import Summary
from ..units import parse_duration
from .i18n import Lang
from .i18n import get as get_language

__all__ = ["RunFacts", "OUTCOMES", "OUTCOME_KEYS", "interval", "pct"]

#: destinations that are outcomes, not places
OUTCOMES = {"stranded", "out_of_domain", "error", "dead", "unsettled", "land"}

#: summary.json keys of the outcomes, in the order a reader expects them (words: catalogue ``fate.<key>``)
OUTCOME_KEYS = (
    "settled",
    "arrived",
    "dead",
    "unsettled",
    "active_at_end",
    "stranded",
    "out_of_domain",
    "errors",
)


def interval(k: float, n: float) -> tuple[float, float]:
    """95 % interval of a share k/n: the same (Jeffreys) interval as the run's tables carry."""
    if n <= 0:
        return (math.nan, math.nan)
    lo, hi = jeffreys_interval(min(max(k, 0.0), n), n)
    return (float(lo), float(hi))


def pct(x: float) -> str:
    """A share as an English percentage with one decimal (the report uses its language's ``Lang.pct``)."""
    return f"{100 * x:.1f} %" if np.isfinite(x) else "n/a"


def recruitment_indices(run, layer: str | None) -> bool:
    """Whether ``indices/<layer>.csv`` of a larva run counts settlement (column ``basis``)."""
    idx = run.indices.get(layer) if layer else None
    if idx is not None and "basis" in idx and len(idx):
        return bool((idx["basis"] == "settlement").all())
    return (run.root / "indices" / f"{layer}.end.csv").exists()


class RunFacts:
    """Derived facts of one run (a :class:`~marinenet.report.build.RunFiles`)."""

    def __init__(self, run, lang: Lang | None = None) -> None:
        self.run = run
        self.L: Lang = lang or get_language("en")  # the report's language: texts and number formats
        self.summary: Summary = run.summary
        self.scenario: dict = run.scenario or {}
        self.main: str | None = run.main_layer
        self.kind: str = (self.scenario.get("behaviour") or {}).get("kind") or "passive"
        self.synthetic: bool = self.summary.synthetic
        self.released: int = self.summary.particles_released
        self.sampling: dict = self.summary.sampling
        self.under_sampled: list = self.summary.under_sampled

    def count(self, key: str) -> int:
        return self.summary.outcome(key)

    @property
    def backward(self) -> bool:
        """Time ran backward (``simulation.direction: backward``): the matrices say where water came from."""
        return self.summary.direction == "backward"

    @property
    def behaviour(self) -> dict:
        return self.scenario.get("behaviour") or {}

    @cached_property
    def settlement_window(self) -> SettlementWindow | None:
        """A larva run's duration against its competency window and PLD (None for other kinds)."""
        b = self.behaviour
        duration = (self.scenario.get("simulation") or {}).get("duration")
        if self.kind != "larva" or not b.get("pld") or not duration:
            return None
        comp = b.get("competency")
        return settlement_window(
            parse_duration(duration),
            parse_duration(b["pld"]),
            (parse_duration(comp[0]), parse_duration(comp[1])) if comp else None,
        )

    @property
    def outside_labels(self) -> set[str]:
        return {str(v.outside_label) for v in self.summary.layers.values() if v.outside_label}

    @property
    def connectivity(self) -> pd.DataFrame | None:
        return self.run.connectivity.get(self.main) if self.main else None

    @property
    def settlement_table(self) -> pd.DataFrame | None:
        return self.run.connectivity.get(f"{self.main}.settlement") if self.main else None

    @property
    def arrivals(self) -> pd.DataFrame | None:
        return self.run.arrivals.get(self.main) if self.main else None

    @cached_property
    def high_seas(self) -> str | None:
        idx = self.run.indices.get(self.main) if self.main else None
        zones = set(idx["zone"].astype(str)) if idx is not None and "zone" in idx else set()
        return next((z for z in self.summary.high_seas_labels if z in zones), None)

    @property
    def indices_basis(self) -> str:
        """How the main layer's indices were counted: 'recruitment' (settlement), 'larva end' (end-of-run
        positions of larvae, not settlement) or 'end of run'."""
        if recruitment_indices(self.run, self.main):
            return "recruitment"
        if self.kind == "larva":
            return "larva end"
        return "end of run"

    def zone_indices(self) -> pd.DataFrame | None:
        """The main layer's indices per zone (high seas and outside labels left out), indexed by zone."""
        idx = self.run.indices.get(self.main) if self.main else None
        if idx is None or "zone" not in idx:
            return None
        idx = idx.assign(zone=idx["zone"].astype(str)).set_index("zone")
        drop = self.outside_labels | {self.high_seas} | OUTCOMES
        return idx.drop(index=[z for z in drop if z in idx.index])

    def released_from(self, zone: str) -> int:
        table = self.connectivity
        if table is None:
            return 0
        return int(round(table.loc[table["source"] == zone, "count"].sum()))

    @property
    def all_tracks_stored(self) -> bool:
        return self.summary.stored_all_tracks

    def days_to_arrive(self) -> np.ndarray:
        """Days from release to arrival of every stored swimmer that arrived."""
        tr = self.run.trajectories
        meanings = tr["status"].attrs.get("flag_meanings", "").split()
        if "arrived" not in meanings:
            return np.array([])
        code = list(tr["status"].attrs["flag_values"])[meanings.index("arrived")]
        sel = tr["status"].values == code
        days = (tr["end_time"].values[sel] - tr["release_time"].values[sel]) / np.timedelta64(1, "D")
        return np.asarray(days, float)

    @cached_property
    def release_times(self) -> list[np.datetime64]:
        """The release events (from the stored tracks, or else the scenario's start)."""
        tr = self.run.trajectories
        if "release_time" in tr and tr.sizes.get("trajectory", 0):
            return sorted(set(tr["release_time"].values.astype("datetime64[m]").tolist()))
        return [np.datetime64(self.summary.start[:16])]

    def outside_mpa_share(self) -> float | None:
        prot = self.run.protection
        if prot is None or "metric" not in prot:
            return None
        rows = prot[prot["metric"].astype(str).str.startswith("share of particle-days outside MPAs (all")]
        value = float(rows["value"].iloc[0]) if len(rows) else math.nan
        return value if math.isfinite(value) else None

    def mpa_area_share(self) -> float | None:
        """Share of the model domain's sea (water cells) covered by MPAs (None if it cannot be measured)."""
        mpas = [self.run.zones[n] for n in self.summary.layers_with_role("mpa") if n in self.run.zones]
        mpa = mpas[0] if mpas else None
        land = self.run.snapshot.get("land")
        if mpa is None or len(mpa) == 0 or land is None or land.ndim != 2 or land.lon.ndim != 1:
            return None
        import shapely
        from pyproj import Geod

        lon, lat = land.lon.values.astype(float), land.lat.values.astype(float)
        if lon.size < 2 or lat.size < 2:
            return None
        dlon, dlat = abs(lon[1] - lon[0]), abs(lat[1] - lat[0])
        r = 6371.0088
        band = np.abs(np.sin(np.radians(lat + dlat / 2)) - np.sin(np.radians(lat - dlat / 2)))
        cell = r * r * np.radians(dlon) * band  # km² per cell of each row
        water = float(((~land.values.astype(bool)) * cell[:, None]).sum())
        domain = shapely.box(
            lon.min() - dlon / 2, lat.min() - dlat / 2, lon.max() + dlon / 2, lat.max() + dlat / 2
        )
        inside = shapely.union_all(mpa.geometry.values).intersection(domain)
        area = abs(Geod(ellps="WGS84").geometry_area_perimeter(inside)[0]) / 1e6
        return min(area / water, 1.0) if water > 0 else None
