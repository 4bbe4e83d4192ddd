"""Scenario keys of the optional analyses (``analysis:``): the coherence of protected-area networks.

```yaml
zones:
  mpa:   {path: mpas.gpkg, id: NAME, protected: true}
  study: {path: region.geojson, id: name}
  cand:  {path: candidates.geojson, id: name}
release:
  from: [{layer: mpa}, {layer: cand}]
analysis:
  coherence: {network: mpa, region: study, candidates: cand, connection: settlement, target: 30 %}
```
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BeforeValidator, Field, PlainSerializer

from ._schema import _Model

if TYPE_CHECKING:
    from .scenario import Scenario

__all__ = ["AnalysisConfig", "CoherenceConfig", "analysis_problem", "layer_names"]


def _percent(value: Any) -> Any:
    """``30 %``, ``"30%"`` or ``30`` → 30.0 (percent)."""
    if isinstance(value, str):
        text = value.strip()
        if not text.endswith("%"):
            raise ValueError(f"expected a percentage such as '30 %', got {value!r}")
        try:
            return float(text[:-1].strip())
        except ValueError:
            raise ValueError(f"expected a percentage such as '30 %', got {value!r}") from None
    return value


Percent = Annotated[
    float,
    BeforeValidator(_percent),
    Field(gt=0, le=100),
    PlainSerializer(lambda v: f"{v:g} %", return_type=str),
]


class CoherenceConfig(_Model):
    """PC / ECA / ProtConn of a protected network in a region, the importance of each site, what to add."""

    network: str | list[str] | None = Field(
        None, description="Layer(s) of protected areas (default: every layer marked 'protected: true')."
    )
    region: str | None = Field(
        None, description="Layer whose polygons (their union, geodesic area) make the region A_L."
    )
    candidates: str | None = Field(None, description="Layer of candidate sites to rank by ECA gain.")
    connection: Literal["settlement", "end", "visit"] | None = Field(
        None,
        description="p_ij from where particles settle (larvae), are at the end of the run, or visit at "
        "any time (default: settlement for larvae, end otherwise).",
    )
    jurisdiction: str | None = Field(
        None,
        description="EEZ-like layer: ProtConn of each state's protected areas in its own waters "
        "(default: the layer 'eez' when there is one).",
    )
    target: Percent = Field(30.0, description="Coverage of the region the greedy portfolio aims at.")
    bootstrap: int = Field(
        200, ge=0, le=10000, description="Bootstrap resamples of particles for the intervals (0: none)."
    )


class AnalysisConfig(_Model):
    """Optional analyses of a run."""

    coherence: CoherenceConfig | None = None


def layer_names(scenario: Scenario) -> list[str]:
    """Every layer name a scenario's zones give (Marine Regions files add ``_territory``/``_sovereign``)."""
    out = []
    for name, cfg in scenario.zones.items():
        out.append(name)
        if cfg.format == "marineregions":
            out += [f"{name}_{lv}" for lv in (cfg.levels or ["territory", "sovereign"]) if lv != "eez"]
    return out


def protected_layers(scenario: Scenario) -> list[str]:
    """Layers marked ``protected: true``; by default those whose role is ``mpa`` (WDPA layers, demo MPAs,
    ``role: mpa``), unless ``protected: false``."""
    from .zones import default_role

    return [
        n
        for n, c in scenario.zones.items()
        if c.protected or (c.protected is None and default_role(n, c) == "mpa")
    ]


def analysis_problem(scenario: Scenario) -> str | None:
    """What is wrong with ``analysis.coherence`` (None if nothing); fills in its defaults."""
    coh = scenario.analysis.coherence if scenario.analysis else None
    if coh is None:
        return None
    known = layer_names(scenario)
    defined = ", ".join(known) or "none"
    if coh.network is None:
        coh.network = protected_layers(scenario)
        if not coh.network:
            return (
                "analysis.coherence.network is not given and no layer under 'zones' is marked "
                "'protected: true': name the protected-area layer (e.g. network: mpa)"
            )
    networks = [coh.network] if isinstance(coh.network, str) else coh.network
    if not networks:
        return "analysis.coherence.network is empty: name the protected-area layer(s)"
    if coh.region is None:
        return (
            "analysis.coherence.region is missing: name the layer whose area is the region A_L "
            f"(ProtConn = 100·ECA/A_L), one of: {defined}"
        )
    if coh.jurisdiction is None and "eez" in known:
        coh.jurisdiction = "eez"
    for key, value in [*(("network", n) for n in networks), ("region", coh.region)] + [
        ("candidates", coh.candidates),
        ("jurisdiction", coh.jurisdiction),
    ]:
        if value is not None and value not in known:
            return f"analysis.coherence.{key} is {value!r}, not a layer under 'zones' (defined: {defined})"
    if coh.candidates in networks:
        return f"analysis.coherence.candidates {coh.candidates!r} is also the network: give another layer"
    larva = scenario.behaviour.kind == "larva"
    if coh.connection is None:
        coh.connection = "settlement" if larva else "end"
    if coh.connection == "settlement" and not larva:
        return (
            "analysis.coherence.connection is 'settlement' but behaviour.kind is "
            f"{scenario.behaviour.kind!r}: only larvae settle; use 'end' or 'visit'"
        )
    return None
