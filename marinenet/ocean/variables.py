"""Which variables of a currents file are the eastward and northward velocities.

By CF ``standard_name`` (eastward/northward, then grid-relative x/y, which the reader rotates),
then by the names of common products; ``ocean.variables`` overrides the search.
"""

from __future__ import annotations

from typing import Literal

import xarray as xr

from ..errors import InputDataError

__all__ = ["VelocityNames", "find_velocity_names"]

#: names of the eastward (``"u"``) and northward (``"v"``) velocity variables (``ocean.variables``)
VelocityNames = dict[Literal["u", "v"], str]

_U_STANDARD_NAMES = (
    "eastward_sea_water_velocity",
    "surface_eastward_sea_water_velocity",
    "eastward_sea_water_velocity_assuming_no_tide",
    "surface_geostrophic_eastward_sea_water_velocity",
)
_V_STANDARD_NAMES = tuple(n.replace("eastward", "northward") for n in _U_STANDARD_NAMES)
_GRID_RELATIVE_PAIRS = (
    ("x_sea_water_velocity", "y_sea_water_velocity"),
    ("sea_water_x_velocity", "sea_water_y_velocity"),
    ("sea_water_x_velocity_at_u_location", "sea_water_y_velocity_at_v_location"),
)
_PRODUCT_NAMES = (
    ("uo", "vo"),
    ("water_u", "water_v"),
    ("u", "v"),
    ("U", "V"),
    ("ugos", "vgos"),
    ("vozocrtx", "vomecrty"),
)


def _describe_variables(ds: xr.Dataset) -> str:
    return ", ".join(
        f"{name} (standard_name={ds[name].attrs.get('standard_name', '-')})" for name in ds.data_vars
    )


def find_velocity_names(ds: xr.Dataset, override: VelocityNames | None = None) -> tuple[str, str]:
    """Names of the eastward and northward velocity variables of ``ds``.

    Found by CF ``standard_name`` (eastward/northward, then grid-relative x/y), then by the
    names of common products (``uo``/``vo``, ``u``/``v``, ``water_u``/``water_v`` ...).

    Parameters
    ----------
    ds
        The opened file(s).
    override
        ``{"u": name, "v": name}`` to use instead of the search (``ocean.variables``).

    Returns
    -------
    tuple of str
        ``(u_name, v_name)``.

    Raises
    ------
    InputDataError
        When ``override`` names variables ``ds`` does not have, or no pair is found; the message
        lists the file's variables.
    """
    if override:
        missing = [v for v in (override.get("u"), override.get("v")) if v is None or v not in ds.data_vars]
        if missing:
            raise InputDataError(
                f"ocean.variables names {missing} not found; the file has: {_describe_variables(ds)}"
            )
        return override["u"], override["v"]
    by_std = {ds[n].attrs.get("standard_name"): str(n) for n in ds.data_vars}
    for su, sv in zip(_U_STANDARD_NAMES, _V_STANDARD_NAMES, strict=True):
        if su in by_std and sv in by_std:
            return by_std[su], by_std[sv]
    for su, sv in _GRID_RELATIVE_PAIRS:  # rotated to east/north later, never taken as east/north
        if su in by_std and sv in by_std:
            return by_std[su], by_std[sv]
    for un, vn in _PRODUCT_NAMES:
        if un in ds.data_vars and vn in ds.data_vars:
            return un, vn
    raise InputDataError(
        "no velocity variables found: expected CF standard_name eastward_sea_water_velocity / "
        "northward_sea_water_velocity (or product names uo/vo, water_u/water_v, u/v). "
        f"The file has: {_describe_variables(ds)}. Name them with 'ocean: {{variables: {{u: NAME, v: NAME}}}}'."
    )
