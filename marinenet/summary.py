"""``summary.json``: the headline numbers of a run, as one typed object written and read through it.

The JSON keys are a contract (the report, scripts and users read them): each field of
:class:`Summary` is one key, in the file's order. A summary written by an older version
reads with the missing keys at their defaults; keys this version does not know are kept
(:attr:`Summary.extra`) and written back unchanged.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Summary", "LayerSummary", "OUTCOME_KEYS"]

#: the high-seas labels of a summary.json written before layers carried their role
_HIGH_SEAS = ("ABNJ", "high_seas")

#: the keys of every particle outcome, in the order the end-of-run table lists them
OUTCOME_KEYS = (
    "active_at_end",
    "settled",
    "dead",
    "unsettled",
    "arrived",
    "stranded",
    "out_of_domain",
    "errors",
)


@dataclass
class LayerSummary:
    """One zone layer of the run: its number of zones, the label of positions outside them, its role."""

    zones: int = 0
    outside_label: str | None = None
    role: str | None = None  # eez | ebsa | mpa | None (a layer with no special meaning)
    high_seas: str | None = None  # the label of areas beyond national jurisdiction in it, if any

    def to_json(self) -> dict[str, Any]:
        return {
            "zones": self.zones,
            "outside_label": self.outside_label,
            "role": self.role,
            "high_seas": self.high_seas,
        }


def _layer(name: str, data: dict[str, Any]) -> LayerSummary:
    """A layer's entry; one written before layers carried their role gets the role its name implied
    then (``eez…``, ``ebsa…``, ``mpa…``) and no high-seas label (the report then looks for ABNJ/high_seas)."""
    lay = LayerSummary(**{k: v for k, v in data.items() if k in LayerSummary.__annotations__})
    if "role" not in data:
        lay.role = next((r for r in ("eez", "ebsa", "mpa") if name.startswith(r)), None)
    return lay


@dataclass
class Summary:
    """Every key of ``summary.json`` (see README, "Outputs")."""

    name: str = ""
    synthetic: bool = False
    engine: str = ""
    engine_reason: str = ""
    engine_notes: list[str] = field(default_factory=list)
    trajectories_stored: int | None = None  # None in a summary that predates the key: all stored
    particles_released: int = 0
    active_at_end: int = 0
    stranded: int = 0
    out_of_domain: int = 0
    settled: int = 0
    dead: int = 0
    unsettled: int = 0
    arrived: int = 0
    errors: int = 0
    particle_steps: int = 0
    engine_seconds: float = 0.0  # tracking only
    compile_seconds: float = 0.0  # the fast engine's one-off compile (0 when cached)
    particle_steps_per_second: int = 0
    start: str = ""
    end: str = ""
    direction: str = "forward"  # backward: time ran back from start (the end is before the start)
    seed: int = 0
    layers: dict[str, LayerSummary] = field(default_factory=dict)
    sampling: dict[str, str] = field(default_factory=dict)
    #: per matrix: "all pairs" (zero counts included) or "non-zero pairs only" (a missing pair: count 0)
    connectivity_rows: dict[str, str] = field(default_factory=dict)
    citations: list[str] = field(default_factory=list)  # English (scripts); ``credits``: the same as data
    credits: list[dict[str, Any]] = field(default_factory=list)  # rendered in the report's language
    under_sampled: list[str] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)
    outputs: list[str] | None = None  # set once every file is written
    wall_seconds: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # keys of other versions, kept as they were

    def outcome(self, key: str) -> int:
        """The count of one of :data:`OUTCOME_KEYS`."""
        if key not in OUTCOME_KEYS:
            raise KeyError(f"{key!r} is not an outcome; outcomes: {', '.join(OUTCOME_KEYS)}")
        return int(getattr(self, key) or 0)

    @property
    def stored_all_tracks(self) -> bool:
        return self.trajectories_stored is None or self.trajectories_stored >= self.particles_released

    @property
    def high_seas_labels(self) -> list[str]:
        """The labels of the areas beyond national jurisdiction in the run's layers (``ABNJ`` first)."""
        found = {lay.high_seas for lay in self.layers.values() if lay.high_seas}
        return sorted(found) if found else list(_HIGH_SEAS)

    def layers_with_role(self, role: str) -> list[str]:
        """Names of the layers of ``role`` (eez, ebsa, mpa), in the run's order."""
        return [n for n, lay in self.layers.items() if lay.role == role]

    def __getitem__(self, key: str) -> Any:
        """``summary["stranded"]``: the value of a summary.json key (as the file has it)."""
        data = self.to_json()
        if key not in data:
            raise KeyError(key)
        return data[key]

    def get(self, key: str, default: Any = None) -> Any:
        """``summary.get("stranded", 0)``: as :meth:`__getitem__`, ``default`` for a missing key."""
        try:
            return self[key]
        except KeyError:
            return default

    # ------------------------------------------------------------------ JSON
    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name == "extra" or (f.name in ("outputs", "wall_seconds") and value is None):
                continue
            if f.name == "layers":
                value = {n: lay.to_json() for n, lay in value.items()}
            out[f.name] = value
        if out["trajectories_stored"] is None:
            out.pop("trajectories_stored")
        return {**out, **self.extra}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Summary:
        known = {f.name for f in dataclasses.fields(cls)} - {"extra"}
        kw = {k: v for k, v in data.items() if k in known and v is not None}
        kw["layers"] = {n: _layer(n, lay or {}) for n, lay in (data.get("layers") or {}).items()}
        return cls(**kw, extra={k: v for k, v in data.items() if k not in known})

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), indent=2, default=str) + "\n", encoding="utf-8")

    @classmethod
    def read(cls, path: Path) -> Summary:
        return cls.from_json(json.loads(Path(path).read_text(encoding="utf-8")))


def data_credits(prep, synthetic: bool) -> list[dict]:
    """The credits of the data of a run (forcing, zone layers; see :mod:`marinenet.report.credits`)."""
    from .report.credits import run_credits

    ocean = prep.ocean.attrs.get("credit_parts")
    text = prep.ocean.attrs.get("credit")
    forcing = json.loads(ocean) if ocean else ({"kind": "text", "text": text} if text else None)
    layers = [
        lay.credit or ({"kind": "text", "text": lay.citation} if lay.citation else None)
        for lay in prep.layers.values()
    ]
    return run_credits(forcing, [c for c in layers if c], synthetic)


def run_summary(prep, traj, engine: str, why: str, convergence: dict, versions: dict[str, str]) -> Summary:
    """The summary of a finished tracking: ``prep`` (:class:`~marinenet.prepare.Prepared`), ``traj``
    (:class:`~marinenet.engine.Trajectories`) and the sampling check of each matrix."""
    sc, counts = prep.scenario, traj.status_counts()
    synthetic = sc.synthetic
    from .report.credits import credit_text

    credits = data_credits(prep, synthetic)
    return Summary(
        name=sc.name,
        synthetic=synthetic,
        engine=engine,
        engine_reason=why,
        engine_notes=list(traj.notes),
        trajectories_stored=traj.stored,
        particles_released=len(prep.release),
        active_at_end=counts["active"],
        stranded=counts["stranded"],
        out_of_domain=counts["out_of_domain"],
        settled=counts["settled"],
        dead=counts["dead"],
        unsettled=counts["unsettled"],
        arrived=counts["arrived"],
        errors=counts["error"],
        particle_steps=traj.particle_steps,
        engine_seconds=round(traj.engine_seconds, 3),
        compile_seconds=round(traj.compile_seconds, 3),
        particle_steps_per_second=round(traj.particle_steps / max(traj.engine_seconds, 1e-9)),
        start=str(prep.start),
        end=str(prep.end),
        direction=sc.simulation.direction,
        seed=sc.seed,
        layers={
            n: LayerSummary(len(lay.ids), lay.outside, lay.role, lay.high_seas)
            for n, lay in prep.layers.items()
        },
        sampling={n: c["message"] for n, c in convergence.items()},
        connectivity_rows={n: c.get("rows", "all pairs") for n, c in convergence.items()},
        citations=[credit_text(c) for c in credits],  # English; "credits": the same as data
        credits=credits,
        under_sampled=[n for n, c in convergence.items() if not c["ok"]],
        versions=versions,
    )
