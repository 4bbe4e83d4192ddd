"""Scenario keys of the optional outputs (``outputs:``): Parquet tracks, the animation, ACDD metadata."""

from __future__ import annotations

import importlib.util

from pydantic import Field, field_validator

from ._schema import _Model
from .connectivity.sparse import ALL_PAIRS_LIMIT

__all__ = ["OutputsConfig", "MetadataConfig"]


class MetadataConfig(_Model):
    """Who made and publishes the outputs: ACDD-1.3 attributes of every netCDF file of the run."""

    creator_name: str | None = None
    creator_email: str | None = None
    creator_url: str | None = None
    creator_institution: str | None = None
    institution: str | None = None
    publisher_name: str | None = None
    publisher_email: str | None = None
    publisher_url: str | None = None
    project: str | None = None
    license: str | None = None
    acknowledgement: str | None = None
    references: str | None = None


class OutputsConfig(_Model):
    """Optional extra outputs and the files' discovery metadata."""

    parquet: bool = Field(
        False, description="Also write trajectories.parquet (GeoParquet: one point per stored position)."
    )
    animation: bool = Field(
        False, description="Also write animation.gif of the particles spreading (shown in report.html)."
    )
    metadata: MetadataConfig = Field(
        default_factory=MetadataConfig, description="creator_*, publisher_*, institution, license ..."
    )
    all_pairs_limit: int = Field(
        ALL_PAIRS_LIMIT,
        ge=0,
        description="Largest number of (source, destination) pairs of a connectivity matrix whose "
        "connectivity/<matrix>.csv lists every pair, zero counts included; a larger matrix (e.g. 20,000 "
        "zones) lists its non-zero pairs only and connectivity.nc holds it sparse (source, destination, "
        "count).",
    )

    @field_validator("parquet")
    @classmethod
    def _pyarrow_installed(cls, value: bool) -> bool:
        if value and importlib.util.find_spec("pyarrow") is None:
            raise ValueError("parquet: true needs the pyarrow package (pip install pyarrow)")
        return value
