"""The ``release:`` keys of a scenario: where particles start (one source or a list of layer
sources), when (one event, a spawning season or a list of dates) and how many."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from pydantic import Discriminator, Field, Tag, field_validator, model_validator

from ._schema import Duration, _Model
from .limits import events_problem
from .release_sources import checked_sources

__all__ = ["ReleaseConfig", "ReleaseFrom"]


class ReleaseFrom(_Model):
    """Where particles start: the polygons of a layer, or explicit points."""

    layer: str | None = Field(None, description="Name of a layer under 'zones'.")
    ids: list[str] | None = Field(
        None, description="Zone ids of that layer to release from (all if omitted)."
    )
    points: list[tuple[float, float]] | None = Field(None, description="[[lon, lat], ...] release points.")

    @model_validator(mode="after")
    def _one_kind(self) -> ReleaseFrom:
        if (self.layer is None) == (self.points is None):
            raise ValueError(
                "give exactly one of 'layer: NAME' (with optional 'ids') or 'points: [[lon, lat], ...]'"
            )
        if self.ids is not None and not self.ids:
            raise ValueError("'ids' is empty: list the zones to release from, or leave 'ids' out for all")
        if self.ids is not None and len(set(self.ids)) < len(self.ids):
            twice = sorted({i for i in self.ids if self.ids.count(i) > 1})
            raise ValueError(f"'ids' names {', '.join(map(repr, twice))} more than once")
        if self.points is not None:
            if self.ids is not None:
                raise ValueError("'ids' goes with 'layer', not with 'points'")
            if not self.points:
                raise ValueError("'points' is empty")
            for lon, lat in self.points:
                if not (-90.0 <= lat <= 90.0) or not (-360.0 <= lon <= 360.0):
                    raise ValueError(f"point [{lon}, {lat}] is not a [longitude, latitude] pair in degrees")
        return self


class ReleaseConfig(_Model):
    """Seeding of particles: where, when (one event or a spawning season) and how many."""

    from_: Annotated[
        Annotated[ReleaseFrom, Tag("_one")] | Annotated[list[ReleaseFrom], Tag("_list")],
        Discriminator(lambda v: "_list" if isinstance(v, list) else "_one"),
    ] = Field(alias="from", description="Where particles start: one source, or a list of layer sources.")
    particles: int | None = Field(
        None, gt=0, description="Particles per release event: spread by area, or per point."
    )
    total: int | None = Field(None, gt=0, description="Or: a particle budget split evenly over the events.")
    start: datetime = Field(description="(First) release time (UTC), e.g. 2021-01-01T00:00.")
    every: Duration | None = Field(None, description="Repeat the release every ... (e.g. '7 days') ...")
    until: datetime | None = Field(None, description="... until this date (inclusive).")
    dates: list[datetime] | None = Field(None, description="Or: an explicit list of further release dates.")
    depth: float = Field(
        0.0, ge=0, description="Release depth in m (tracked in 3-D; only recorded with 2-D currents)."
    )
    weight: str | None = Field(
        None,
        description="Polygon attribute to split particles by (e.g. habitat area, egg production) instead of area.",
    )

    @field_validator("from_")
    @classmethod
    def _source_list(cls, value: ReleaseFrom | list[ReleaseFrom]) -> ReleaseFrom | list[ReleaseFrom]:
        return checked_sources(value)

    @property
    def sources(self) -> list[ReleaseFrom]:
        """Every source of the release (a list of one for a single source)."""
        return list(self.from_) if isinstance(self.from_, list) else [self.from_]

    @property
    def points(self) -> list[tuple[float, float]] | None:
        """The release points of a release from points (None for a release from polygons)."""
        return None if isinstance(self.from_, list) else self.from_.points

    @property
    def single_layer(self) -> str | None:
        """The layer of a release from the polygons of one layer (None otherwise)."""
        return None if isinstance(self.from_, list) else self.from_.layer

    @field_validator("start", "until")
    @classmethod
    def _naive_utc(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value

    @model_validator(mode="after")
    def _events(self) -> ReleaseConfig:
        if (self.particles is None) == (self.total is None):
            raise ValueError(
                "give exactly one of 'particles' (per event) or 'total' (budget over all events)"
            )
        if (self.every is None) != (self.until is None):
            raise ValueError("'every' and 'until' go together (e.g. every: 7 days, until: 2021-03-01)")
        if self.every is not None and self.dates is not None:
            raise ValueError("give either 'every'/'until' or 'dates', not both")
        if self.until is not None and self.until < self.start:
            raise ValueError(f"'until' ({self.until}) is before 'start' ({self.start})")
        if self.every is not None and self.until is not None:
            problem = events_problem(self.start, self.until, self.every)
            if problem:
                raise ValueError(problem)
        if self.total is not None and self.total < len(self.event_times()):
            raise ValueError(f"'total' ({self.total}) is smaller than the number of release events")
        return self

    def event_times(self) -> list[datetime]:
        """All release times, sorted."""
        times = [self.start]
        if self.every is not None and self.until is not None:
            step = timedelta(seconds=self.every)
            t = self.start + step
            while t <= self.until:
                times.append(t)
                t += step
        if self.dates:
            times += [d.astimezone(UTC).replace(tzinfo=None) if d.tzinfo else d for d in self.dates]
        return sorted(set(times))

    def per_event(self) -> int:
        """Particles released at each event (``particles``, or ``total`` split evenly over the events)."""
        if self.particles is not None:
            return self.particles
        assert self.total is not None  # the validator requires exactly one of particles / total
        return max(self.total // len(self.event_times()), 1)
