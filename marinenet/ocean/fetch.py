"""``marinenet fetch cmems``: a thin wrapper over the official Copernicus Marine toolbox.

Credentials come from the toolbox itself (``copernicusmarine login`` or its environment
variables); marinenet never stores them. The toolbox is imported only here, when asked.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputDataError

__all__ = ["fetch_cmems"]


def fetch_cmems(
    product: str,
    bbox: tuple[float, float, float, float],
    start: str,
    end: str,
    dest: Path,
    variables: tuple[str, ...] = ("uo", "vo"),
    depth: tuple[float, float] | None = (0.0, 1.0),
) -> Path:
    """Download a subset of a CMEMS dataset (``product`` = its dataset id) into ``dest``."""
    try:
        import copernicusmarine
    except ImportError:
        raise InputDataError(
            'the Copernicus Marine toolbox is not installed: pip install "marinenet[cmems]", then '
            "run 'copernicusmarine login' once"
        ) from None
    west, south, east, north = bbox
    if not (west < east and south < north and -90 <= south and north <= 90):
        raise InputDataError(f"--bbox must be WEST SOUTH EAST NORTH in degrees, got {bbox}")
    dest.mkdir(parents=True, exist_ok=True)
    name = f"cmems_{product}_{start[:10]}_{end[:10]}.nc".replace("/", "_")
    kwargs = dict(
        dataset_id=product,
        variables=list(variables),
        minimum_longitude=west,
        maximum_longitude=east,
        minimum_latitude=south,
        maximum_latitude=north,
        start_datetime=start,
        end_datetime=end,
        output_directory=str(dest),
        output_filename=name,
    )
    if depth is not None:
        kwargs.update(minimum_depth=depth[0], maximum_depth=depth[1])
    try:
        copernicusmarine.subset(**kwargs)
    except Exception as exc:  # the toolbox raises its own types for auth/network/product errors
        raise InputDataError(f"the Copernicus Marine toolbox failed: {exc}") from None
    path = dest / name
    if not path.exists():
        raise InputDataError(f"the toolbox reported success but {path} was not written")
    return path
