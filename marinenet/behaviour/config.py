"""Behaviour settings of a scenario (passive drift, larvae) and the shipped species profiles."""

from __future__ import annotations

import difflib
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import Field, model_validator

from .._schema import Duration, Rate, _Model

__all__ = ["BehaviourConfig", "SettleIn", "Target", "Temperature", "Egg", "available_profiles", "PROFILE_DIR"]

PROFILE_DIR = Path(__file__).parent / "profiles"
#: km from a target point that counts as arrived (``arrive_within``), the one default
ARRIVE_WITHIN_KM = 1.0


def available_profiles() -> list[str]:
    return sorted(p.stem for p in PROFILE_DIR.glob("*.yaml"))


class SettleIn(_Model):
    layer: str = Field(description="Zone layer (habitat) where competent larvae settle.")
    radius: float = Field(
        0.0,
        ge=0,
        le=200,
        description="Sensory radius, km: a competent larva this close to the habitat settles on it.",
    )


class Target(_Model):
    point: tuple[float, float] | None = Field(None, description="[lon, lat] of the target.")
    layer: str | None = Field(None, description="Or: a zone layer whose polygons are the target area ...")
    ids: list[str] | None = Field(None, description="... (only these zones of it).")

    @model_validator(mode="after")
    def _one(self) -> Target:
        if (self.point is None) == (self.layer is None):
            raise ValueError("give exactly one of 'point: [lon, lat]' or 'layer: NAME'")
        return self


class DielMigration(_Model):
    day_depth: float = Field(
        ge=0, description="Preferred depth (m) between 06:00 and 18:00 local solar time."
    )
    night_depth: float = Field(ge=0, description="Preferred depth (m) at night.")
    speed: float = Field(0.01, gt=0, le=1, description="Vertical swimming speed, m/s.")


class OntogeneticDepth(_Model):
    ages: list[Duration] = Field(description="Ages at which each depth stage begins; the first is 0.")
    depths: list[float] = Field(description="Preferred depth (m) of each stage.")
    speed: float = Field(0.005, gt=0, le=1, description="Vertical swimming speed, m/s.")

    @model_validator(mode="after")
    def _stages(self) -> OntogeneticDepth:
        if not self.ages or len(self.ages) != len(self.depths):
            raise ValueError("give at least one stage: as many 'depths' as 'ages'")
        if self.ages[0] != 0 or any(b <= a for a, b in zip(self.ages, self.ages[1:], strict=False)):
            raise ValueError("'ages' must start at 0 and increase, e.g. [0 days, 10 days, 20 days]")
        if any(d < 0 for d in self.depths):
            raise ValueError("'depths' are metres below the surface (>= 0)")
        return self


# ---- temperature-dependent larvae and buoyant eggs (issue 18 items 3-4; marinenet.behaviour.temperature, .egg)
class Temperature(_Model):
    model: Literal["q10", "oconnor"] = Field(
        description="Development rate r(T): q10 (r = q10**((T - reference)/10)) or oconnor (O'Connor et al. "
        "2007 PNAS 104:1266, universal model)."
    )
    reference: float = Field(
        gt=-2, lt=40, description="degC at which the scenario's pld and competency ages hold (r = 1)."
    )
    q10: float | None = Field(None, gt=0, le=20, description="q10 model: rate factor per +10 degC.")
    lethal: tuple[float, float] | None = Field(
        None, description="[low, high] degC: a larva dies (status dead) below low or above high."
    )
    mortality_q10: float | None = Field(
        None, gt=0, le=20, description="The mortality rate scales by mortality_q10**((T - reference)/10)."
    )

    @model_validator(mode="after")
    def _complete(self) -> Temperature:
        if self.model == "q10" and self.q10 is None:
            raise ValueError("model q10 needs 'q10' (the rate factor per +10 degC), e.g. q10: 2.0")
        if self.model == "oconnor" and self.q10 is not None:
            raise ValueError("'q10' applies to model q10 only (oconnor has fixed coefficients)")
        if self.model == "oconnor" and self.reference <= 0:
            raise ValueError("model oconnor needs a reference above 0 degC (it uses ln(T/15))")
        if self.lethal is not None and not self.lethal[0] < self.lethal[1]:
            raise ValueError(f"lethal must be [low, high] with low < high (degC), got {list(self.lethal)}")
        return self


class Egg(_Model):
    # (optional in the schema: a profile may give them, e.g. profile: atlantic_cod_eggs)
    density: float | None = Field(
        None, ge=990, le=1100, description="Egg density at surface pressure (density-gradient column), kg/m3."
    )
    diameter: float | None = Field(None, gt=0, le=10, description="Egg diameter, mm.")
    hatch: Duration | None = Field(
        None, description="Age at hatching (then the egg stops rising or sinking)."
    )
    hatch_degree_days: float | None = Field(
        None, gt=0, description="Or: hatching when the sum of temperature (degC above 0) x days reaches this."
    )

    @model_validator(mode="after")
    def _one(self) -> Egg:
        if self.density is None or self.diameter is None:
            raise ValueError(
                "an egg needs 'density' (kg/m3) and 'diameter' (mm), or a profile that gives them"
            )
        if (self.hatch is None) == (self.hatch_degree_days is None):
            raise ValueError("give exactly one of 'hatch' (an age, e.g. 4 days) or 'hatch_degree_days'")
        if self.hatch is not None and self.hatch <= 0:
            raise ValueError("'hatch' must be a positive age, e.g. 4 days")
        return self


# ---- end of the temperature and egg keys


class TargetSwitch(Target):
    date: datetime = Field(description="From this date on, swim to this target instead (seasonal migration).")


class BehaviourConfig(_Model):
    """What particles do besides drifting: passive, or larvae with a life history."""

    kind: Literal["passive", "larva", "swimmer"] = Field("passive", description="passive | larva | swimmer")
    profile: str | None = Field(None, description="A shipped species preset; keys given here override it.")
    pld: Duration | None = Field(None, description="larva: pelagic larval duration (maximum age).")
    competency: tuple[Duration, Duration] | None = Field(
        None, description="larva: [from, to] ages when it can settle."
    )
    mortality: Rate | None = Field(
        None, description="larva: constant rate, e.g. '0.1 per day' or 'half-life 80 days'."
    )
    mortality_mode: Literal["weights", "stochastic"] = Field(
        "stochastic", description="stochastic removal (seeded) or deterministic survival weights."
    )
    settle_in: SettleIn | None = Field(
        None, description="larva: habitat layer where competent larvae settle."
    )
    diffusion: float = Field(
        0.0, ge=0, description="Horizontal diffusivity Kh in m²/s (random walk, seeded)."
    )
    kernels: list[str] | None = Field(
        None,
        description="Custom kernels 'module:function' (Parcels v4 style, either engine; the scenario's "
        "folder is importable); see docs/extending.md.",
    )
    speed: float | None = Field(
        None, gt=0, le=10, description="swimmer: swimming speed in m/s (adds to the current)."
    )
    target: Target | None = Field(None, description="swimmer: where it swims to (point or zone layer).")
    ontogeny: OntogeneticDepth | None = Field(
        None,
        description="Depth preference changing with age {ages, depths, speed} (ontogenetic vertical "
        "migration); needs ocean.three_d.",
    )
    migration: DielMigration | None = Field(
        None, description="Diel vertical migration {day_depth, night_depth, speed}; needs ocean.three_d."
    )
    target_after: TargetSwitch | None = Field(
        None,
        description="swimmer: {date, point | layer} — the target from that date on (e.g. feeding to breeding).",
    )
    persistence: float = Field(
        1.0, ge=0, le=1, description="swimmer: heading persistence of the correlated random walk."
    )
    turn_sd: float = Field(
        0.0, ge=0, le=180, description="swimmer: heading noise, degrees (0 = straight to target)."
    )
    arrive_within: float = Field(
        ARRIVE_WITHIN_KM, gt=0, description="swimmer: km from a target point that counts as arrived."
    )
    # --- temperature-dependent larvae and eggs (issue 18 items 3-4)
    temperature: Temperature | None = Field(
        None,
        description="larva: development, mortality and survival depend on sea_water_potential_temperature "
        "(thetao) along the track {model, reference, q10, lethal, mortality_q10}.",
    )
    egg: Egg | None = Field(
        None,
        description="Pelagic eggs rising or sinking by Stokes' law {density, diameter, hatch | "
        "hatch_degree_days}; needs ocean.three_d and thetao, so in the ocean files.",
    )
    # --- end of temperature and eggs
    # --- wind and waves (issue 18: windage, Stokes drift; the fields come from ocean.wind / ocean.waves)
    windage: float | None = Field(
        None,
        ge=0,
        le=0.2,
        description="Fraction of the 10 m wind (ocean.wind) added to the particle velocity, e.g. 0.02.",
    )
    windage_deflection: float = Field(
        0.0,
        ge=-180,
        le=180,
        description="Degrees: turns the wind-driven drift clockwise (to the right of the wind) when positive.",
    )
    stokes: bool = Field(False, description="Add the surface Stokes drift of the waves (ocean.waves).")
    # --- end of wind and waves
    sources: dict[str, str] | None = Field(None, description="Publications behind the profile's parameters.")

    @model_validator(mode="before")
    @classmethod
    def _apply_profile(cls, data: Any) -> Any:
        if not isinstance(data, dict) or not data.get("profile"):
            return data
        name = data["profile"]
        path = PROFILE_DIR / f"{name}.yaml"
        if not path.exists():
            close = difflib.get_close_matches(str(name), available_profiles(), n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise ValueError(f"unknown profile {name!r}.{hint} Available: {', '.join(available_profiles())}")
        preset = yaml.safe_load(path.read_text())
        preset.pop("description", None)
        merged = {**preset, **data}
        # a group given in the scenario adds to the profile's (egg: {hatch: ...})
        for key, value in preset.items():
            if key != "sources" and isinstance(value, dict) and isinstance(data.get(key), dict):
                merged[key] = {**value, **data[key]}
        return merged

    @model_validator(mode="after")
    def _complete(self) -> BehaviourConfig:
        if self.ontogeny is not None and self.migration is not None:
            raise ValueError("give either 'migration' (diel) or 'ontogeny' (depth by age), not both")
        if self.kind == "swimmer":
            if self.speed is None or self.target is None:
                raise ValueError(
                    "a swimmer needs 'speed' (m/s) and 'target' ({point: [lon, lat]} or {layer: NAME})"
                )
        elif self.speed is not None or self.target is not None:
            raise ValueError("speed and target apply to 'kind: swimmer' only")
        if self.kind == "larva":
            if self.pld is None:
                raise ValueError("a larva needs 'pld' (pelagic larval duration), e.g. pld: 30 days")
            if self.competency is None:
                self.competency = (0.0, self.pld)
            lo, hi = self.competency
            if not (0 <= lo <= hi):
                raise ValueError(
                    f"competency must be [from, to] with from <= to, got {list(self.competency)}"
                )
        elif any(v is not None for v in (self.pld, self.competency, self.mortality, self.settle_in)):
            raise ValueError("pld, competency, mortality and settle_in apply to 'kind: larva' only")
        if self.temperature is not None and self.kind != "larva":
            raise ValueError(
                "temperature (development, mortality and lethal limits) applies to 'kind: larva' only"
            )
        return self
