"""Scenario files: YAML in, validated pydantic models out.

A scenario is the whole description of one run (see ``scenarios/demo.yaml``). Loading it
checks every key, unit and file reference before any work starts; a problem raises
:class:`~marinenet.errors.ScenarioError` whose message names the file, the key, what was
found and what is expected (with a "did you mean" for mistyped keys).
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from ._schema import Duration, _Model, format_validation_error
from ._yaml import read_yaml
from .analysis_config import AnalysisConfig, analysis_problem
from .behaviour.config import BehaviourConfig, SettleIn, available_profiles
from .errors import ScenarioError
from .limits import check_limits, stepping_problem
from .outputs_config import MetadataConfig, OutputsConfig
from .release_config import ReleaseConfig, ReleaseFrom
from .scenario_drift import drift_problem
from .scenario_paths import resolve_paths
from .units import format_duration

__all__ = [
    "scenario_json_schema",
    "Scenario",
    "OceanConfig",
    "ZoneLayerConfig",
    "ReleaseConfig",
    "ReleaseFrom",
    "BehaviourConfig",
    "SettleIn",
    "available_profiles",
    "SimulationConfig",
    "OutputsConfig",
    "MetadataConfig",
    "ReportConfig",
    "load_scenario",
    "scenario_from_dict",
]

DEMO_LAYERS = ("eez", "ebsa", "mpa")
_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


class OceanConfig(_Model):
    """Where the currents come from."""

    source: str = Field(
        "demo",
        description="'demo' for the built-in synthetic seascape, or a path/glob of netCDF files "
        "(relative paths are relative to the scenario file).",
    )
    variables: dict[Literal["u", "v"], str] | None = Field(
        None,
        description="Names of the eastward (u) and northward (v) velocity variables, if discovery fails.",
    )
    grid: str | None = Field(None, description="Separate grid file (ROMS/CROCO *_grd.nc).")
    depth: float = Field(0.0, ge=0, description="Depth in m of the currents to use (0 = surface level).")
    time_origin: datetime | None = Field(
        None, description="Reference date of a time axis given as bare seconds/days (e.g. CROCO 'time')."
    )
    three_d: bool = Field(
        False,
        description="Track in 3-D on the file's z-levels (with w where present), or on z-levels interpolated "
        "from ROMS/CROCO s-levels (see levels); particles start at release.depth.",
    )
    levels: list[Annotated[float, Field(ge=0)]] | None = Field(
        None,
        min_length=2,
        description="3-D on ROMS/CROCO s-levels: the depths (m) to interpolate them to "
        "(default: the s-levels' own depths in the deepest column, and 0).",
    )
    zero_is_land: bool = Field(
        False, description="Points where u = v = 0 at every time are land (files that write land as 0)."
    )
    loop: Literal["none", "year"] = Field(
        "none", description="'year': repeat a climatological year of data to cover any simulation dates."
    )
    wind: str | None = Field(
        None,
        description="10 m wind for behaviour.windage: netCDF path or glob (CF eastward_wind/northward_wind or "
        "ERA5 u10/v10, m/s), on its own grid and time axis.",
    )
    waves: str | None = Field(
        None,
        description="Surface Stokes drift for behaviour.stokes: netCDF path or glob "
        "(sea_surface_wave_stokes_drift_x/y_velocity or CMEMS VSDX/VSDY, m/s), own grid and time axis.",
    )
    wind_variables: dict[Literal["u", "v"], str] | None = Field(
        None, description="Names of the eastward (u) and northward (v) wind variables, if discovery fails."
    )
    waves_variables: dict[Literal["u", "v"], str] | None = Field(
        None,
        description="Names of the eastward (u) and northward (v) Stokes drift variables, if discovery fails.",
    )
    coast: Literal["stop", "previous", "slip"] = Field(
        "stop",
        description="At the coast a particle is stranded (stop), stays at its last wet position and drifts on "
        "(previous), or also feels undamped along-shore flow (slip: free-slip land velocities).",
    )


class ZoneLayerConfig(_Model):
    """A named polygon layer (EEZs, EBSAs, MPAs, habitat ...)."""

    source: Literal["demo", "grid"] | None = Field(
        None, description="'demo' for a layer of the built-in seascape; 'grid' for regular lon/lat cells."
    )
    cell: float = Field(1.0, gt=0, le=30, description="grid: cell size in degrees.")
    layer: Literal["eez", "ebsa", "mpa"] | None = Field(
        None, description="Which demo layer (default: the layer's own name)."
    )
    path: str | None = Field(None, description="A polygon file: GeoJSON, GeoPackage or Shapefile.")
    format: Literal["generic", "marineregions", "ebsa", "wdpa"] = Field(
        "generic",
        description="Schema of the file: generic (any polygons + 'id'), marineregions (World EEZ v12), "
        "ebsa (CBD EBSA download), wdpa (Protected Planet WDPA).",
    )
    id: str | None = Field(None, description="Attribute holding each polygon's zone name (generic files).")
    outside: str | None = Field(
        None,
        description="Label of positions outside every polygon of the layer "
        "(default 'high_seas' for EEZ layers, 'ABNJ' for Marine Regions without a high-seas file, "
        "'unprotected' for WDPA, 'outside' otherwise).",
    )
    snap: float | None = Field(
        None,
        ge=0,
        le=5,
        description="Degrees: positions outside every polygon but this close to one count as in the nearest "
        "(for layers that tile the ocean; default 0, 0.15 for the demo EEZ layer).",
    )
    overlaps: Literal["first", "split"] | None = Field(
        None,
        description="Where polygons overlap, a position counts for the first polygon, or is split equally "
        "among all (default: split for ebsa/wdpa, first otherwise).",
    )
    levels: list[Literal["eez", "territory", "sovereign"]] | None = Field(
        None, description="marineregions: aggregation levels to report (default all three)."
    )
    shared: Literal["own", "split"] = Field(
        "own",
        description="marineregions: joint regimes and overlapping claims as zones of their own, or split "
        "among the parties at territory/sovereign level.",
    )
    high_seas: str | None = Field(
        None,
        description="marineregions: the Marine Regions high-seas file (default: ABNJ = outside the EEZs).",
    )
    resolution: float | None = Field(
        None, gt=0, le=1, description="Cell size (degrees) of the zone index (default automatic)."
    )
    protected: bool | None = Field(
        None,
        description="The layer is a protected-area network (coherence analysis); default true for "
        "layers whose role is mpa (format: wdpa, or role: mpa), false otherwise.",
    )
    role: Literal["eez", "ebsa", "mpa"] | None = Field(
        None,
        description="What the layer is to the analyses: eez (jurisdictions and the high seas), ebsa "
        "(ecologically significant areas: protection of the particles released there), mpa (protected "
        "areas: protection.csv). Default by type: the demo layers' own, wdpa → mpa, ebsa → ebsa, "
        "marineregions → eez; none for other layers.",
    )
    citation: str | None = Field(
        None, description="How to cite this layer (shown under 'Data sources' in the report and brief)."
    )
    licence: str | None = Field(None, description="The layer's licence or terms of use (e.g. 'CC BY 4.0').")

    @model_validator(mode="after")
    def _one_source(self) -> ZoneLayerConfig:
        if (self.source is None) == (self.path is None):
            raise ValueError("give exactly one of 'source: demo' or 'path: FILE'")
        if self.path is not None and self.format == "generic" and self.id is None:
            raise ValueError("a generic layer read from 'path' needs 'id': the attribute naming each polygon")
        if self.format != "marineregions" and (self.levels or self.high_seas or self.shared != "own"):
            raise ValueError("'levels', 'shared' and 'high_seas' apply to 'format: marineregions' only")
        return self


class SimulationConfig(_Model):
    """Time stepping and engine choice."""

    duration: Duration = Field(description="How long particles are tracked, e.g. '30 days'.")
    # defaults written with their unit (as the schema shows them); validate_default parses them to seconds
    dt: Duration = Field(  # type: ignore[assignment]
        "1 hour", description="Integration time step, e.g. '1 hour'."
    )
    output_every: Duration = Field(  # type: ignore[assignment]
        "1 day", description="Interval between stored positions, e.g. '1 day'."
    )
    engine: Literal["auto", "fast", "parcels"] = Field(
        "auto",
        description="auto (the fast engine when it supports the run, else Parcels) | fast | parcels",
    )
    direction: Literal["forward", "backward"] = Field(
        "forward",
        description="forward, or backward: time runs back from release.start (where the water found in the "
        "release area came from); the forcing must cover [start - duration, start].",
    )
    trajectories: Literal["all", "none"] | Annotated[int, Field(ge=0)] = Field(
        "all",
        description="Tracks to store in trajectories.nc: all | none | a number (that many particles, evenly "
        "spaced). Analyses always use every particle (streamed during the run).",
    )
    checkpoint_every: Duration | None = Field(
        None,
        description="Fast engine: save the run's state this often (simulated time, e.g. '5 days'); "
        "`marinenet run --resume OUT` finishes a run that was killed.",
    )

    @model_validator(mode="after")
    def _consistent_steps(self) -> SimulationConfig:
        for name in ("duration", "dt", "output_every"):
            if getattr(self, name) <= 0:
                raise ValueError(f"'{name}' must be positive")
        if self.dt > self.output_every:
            raise ValueError(
                f"dt ({format_duration(self.dt)}) is longer than output_every "
                f"({format_duration(self.output_every)}); dt must be at most output_every"
            )
        if self.checkpoint_every is not None and self.checkpoint_every < self.output_every:
            raise ValueError("checkpoint_every must be at least output_every")
        problem = stepping_problem(self.duration, self.dt, self.output_every, self.checkpoint_every)
        if problem:
            raise ValueError(problem)
        return self


class ReportConfig(_Model):
    """How the report, brief and maps are written (summary.json and the CSV columns stay English)."""

    language: Literal["en", "fr", "es"] = Field(
        "en",
        description="Language of report.html, brief.pdf and the maps: en (English), fr (français) or "
        "es (español); `marinenet report OUT --language` overrides it.",
    )
    dossiers: list[str] = Field(
        default_factory=list,
        description="Sites (protected areas or candidates of analysis.coherence) whose connectivity dossier "
        "(dossier/<site>.html and .pdf) the run writes with its report; `marinenet dossier OUT --site NAME` "
        "writes one later.",
    )


class Scenario(_Model):
    """A complete, validated scenario. Build it with :func:`load_scenario`.

    Attributes
    ----------
    name
        Short name of the run (titles, default output folder).
    seed
        Seed of every random draw of the run.
    ocean
        The currents: source, variables, grid, depth (:class:`OceanConfig`).
    zones
        Zone layers by name (``eez``, ``mpa`` ...): file, format, id column.
    release
        Where, when and how many particles start (:class:`ReleaseConfig`).
    behaviour
        Passive drift, larvae or swimmers (:class:`~marinenet.behaviour.BehaviourConfig`).
    simulation
        Duration, time step, output interval and engine (:class:`SimulationConfig`).
    outputs
        Optional output files and file metadata: GeoParquet tracks, the animation, ACDD creator and
        publisher attributes (:class:`~marinenet.outputs_config.OutputsConfig`).
    analysis
        Optional analyses: the coherence of a protected-area network
        (:class:`~marinenet.analysis_config.AnalysisConfig`).
    report
        The language of report.html, brief.pdf and the maps (``en``, ``fr``, ``es``).
    output
        Output directory (default ``results/<name>``).
    """

    name: str = Field(description="Short name of the run; used in titles and the default output folder.")
    seed: int = Field(0, ge=0, description="Seed of every random draw of the run.")
    ocean: OceanConfig = Field(default_factory=OceanConfig)
    zones: dict[str, ZoneLayerConfig] = Field(default_factory=dict)
    release: ReleaseConfig
    behaviour: BehaviourConfig = Field(default_factory=BehaviourConfig)
    simulation: SimulationConfig
    outputs: OutputsConfig = Field(default_factory=OutputsConfig)
    analysis: AnalysisConfig = Field(default_factory=AnalysisConfig, description="Optional analyses.")
    output: str | None = Field(None, description="Output directory (default results/<name>).")
    _base_dir: Path | None = PrivateAttr(None)  # the scenario file's folder (custom kernels import from it)
    report: ReportConfig = Field(default_factory=ReportConfig)

    @field_validator("name")
    @classmethod
    def _usable_name(cls, value: str) -> str:
        if not value.strip() or any(c in value for c in "/\\") or not value.isprintable():
            raise ValueError(
                f"name {value!r} must be a non-empty name without '/' or '\\' (it names the output folder)"
            )
        return value

    @field_validator("zones", mode="before")
    @classmethod
    def _no_zones(cls, value: Any) -> Any:
        return {} if value is None else value

    @field_validator("zones")
    @classmethod
    def _layer_names(cls, value: dict[str, ZoneLayerConfig]) -> dict[str, ZoneLayerConfig]:
        for name, layer in value.items():
            if not _NAME_RE.match(name):
                raise ValueError(
                    f"layer name {name!r} must start with a letter and contain only letters, digits, '_' or '-'"
                )
            if layer.source == "grid":
                continue
            if layer.source == "demo" and layer.layer is None:
                if name not in DEMO_LAYERS:
                    raise ValueError(
                        f"demo layer {name!r}: say which demo layer with 'layer:' (one of {', '.join(DEMO_LAYERS)})"
                    )
                layer.layer = name  # type: ignore[assignment]
        return value

    @model_validator(mode="after")
    def _release_layer_exists(self) -> Scenario:
        for key in ("migration", "ontogeny"):
            if getattr(self.behaviour, key) is not None and not self.ocean.three_d:
                raise ValueError(
                    f"behaviour.{key} (vertical migration) needs 3-D currents: set ocean.three_d: true"
                )
        if self.behaviour.egg is not None and not self.ocean.three_d:
            raise ValueError("behaviour.egg (eggs rising or sinking) needs 3-D currents: set ocean.three_d: true")
        if self.ocean.levels is not None and not self.ocean.three_d:
            raise ValueError("ocean.levels (z-levels for 3-D on s-levels) needs ocean.three_d: true")
        for key in ("target", "target_after"):
            target = getattr(self.behaviour, key)
            if target is not None and target.layer is not None and target.layer not in self.zones:
                raise ValueError(f"behaviour.{key}.layer is {target.layer!r}, not a layer under 'zones'")
        settle = self.behaviour.settle_in
        if settle is not None and settle.layer not in self.zones:
            known = ", ".join(self.zones) or "none"
            raise ValueError(
                f"behaviour.settle_in.layer is {settle.layer!r}, not a layer under 'zones' (defined: {known})"
            )
        for src in self.release.sources:
            if src.layer is not None and src.layer not in self.zones:
                known = ", ".join(self.zones) or "none"
                raise ValueError(
                    f"release.from.layer is {src.layer!r}, but no such layer is defined under 'zones' "
                    f"(defined: {known})"
                )
        problem = analysis_problem(self) or drift_problem(self)
        if problem:
            raise ValueError(problem)
        coh = self.analysis.coherence if self.analysis else None
        if self.report.dossiers and (coh is None or coh.jurisdiction is None):
            raise ValueError(
                "report.dossiers needs the coherence analysis with a jurisdiction layer: add 'analysis: "
                "{coherence: {network: <protected layer>, region: <region layer>, jurisdiction: <EEZ layer>}}' "
                "(jurisdiction defaults to the layer 'eez')"
            )
        return self

    # ------------------------------------------------------------------ helpers
    @property
    def synthetic(self) -> bool:
        """True when any input is the built-in synthetic demo seascape."""
        return self.ocean.source == "demo" or any(z.source == "demo" for z in self.zones.values())

    def source_dir(self) -> Path:
        """The folder of the scenario file (the current directory for a scenario given as a dict)."""
        return self._base_dir or Path.cwd()

    def output_dir(self) -> Path:
        return Path(self.output) if self.output else Path("results") / self.name

    def to_dict(self) -> dict[str, Any]:
        """Every key with its resolved value, in YAML-friendly types."""
        return self.model_dump(mode="json", by_alias=True)


# ---------------------------------------------------------------------- loading
def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario YAML file.

    Relative paths inside the file (ocean source, zone layers, output) are resolved
    against the file's folder, so a scenario runs the same from any working directory.

    Parameters
    ----------
    path
        The scenario file (YAML; its keys: README, "Writing a scenario").

    Returns
    -------
    Scenario
        The validated scenario, ready for :func:`marinenet.run` or :func:`marinenet.check`.

    Raises
    ------
    ScenarioError
        On unreadable YAML, unknown keys, wrong types or units, and missing input files.
    """
    path = Path(path)
    if not path.is_file():
        raise ScenarioError(f"{path}: scenario file not found")
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise ScenarioError(
            f"{path}: expected a mapping of keys (name, ocean, zones, ...), got {type(data).__name__}"
        )
    return scenario_from_dict(data, base_dir=path.resolve().parent, origin=str(path))


def scenario_from_dict(
    data: dict[str, Any], *, base_dir: Path | None = None, origin: str = "scenario"
) -> Scenario:
    """Validate a scenario given as a dictionary (the YAML content).

    Parameters
    ----------
    data
        The scenario keys.
    base_dir
        Folder against which relative paths are resolved (default: current directory).
    origin
        Name used in error messages (usually the file path).

    Returns
    -------
    Scenario
        The validated scenario, its relative paths resolved against ``base_dir``.

    Raises
    ------
    ScenarioError
        On unknown keys, wrong types or units, values out of range and missing input files.
    """
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(format_validation_error(exc, origin, Scenario)) from None
    check_limits(scenario, origin)
    resolve_paths(scenario, Path(base_dir) if base_dir else Path.cwd(), origin)
    scenario._base_dir = Path(base_dir).resolve() if base_dir else None
    return scenario


#: dates as a scenario writes them: a day, optionally a time (seconds, fraction, Z or offset optional)
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$"


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of a scenario file, for editors (``marinenet schema``).

    Durations and rates are text with a unit ("30 days", "half-life 80 days"); dates may omit the
    seconds ("2021-03-01T00:00"), which JSON Schema's ``date-time`` format would refuse.
    """
    schema = Scenario.model_json_schema(by_alias=True)

    def fix(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("format") == "date-time":
                del node["format"]
                node["pattern"] = DATE_PATTERN
            for value in node.values():
                fix(value)
        elif isinstance(node, list):
            for value in node:
                fix(value)

    fix(schema)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "marinenet scenario",
        **{k: v for k, v in schema.items() if k != "title"},
    }
