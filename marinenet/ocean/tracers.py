"""Scalar fields read with the currents (temperature, salinity): discovery, units, canonical names.

A behaviour that needs a scalar field of the ocean source (``tracers`` of a behaviour plug-in,
e.g. ``behaviour.temperature`` needs ``thetao``) gets it in the canonical Dataset under its
canonical name, on the currents' own grid, times and levels (the same window, region and level
choice as ``u``, ``v``). Found by CF ``standard_name``, then by the names of common products.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr

from ..errors import InputDataError

__all__ = ["Tracer", "TRACERS", "find_tracer", "to_canonical_units", "fill_from_water"]


@dataclass(frozen=True)
class Tracer:
    """A scalar field: its canonical name, CF standard names, product names and accepted units."""

    name: str
    standard_names: tuple[str, ...]
    product_names: tuple[str, ...]
    units: dict[str, tuple[float, float]]  # units spelling -> (factor, offset) to the canonical unit
    canonical_units: str
    what: str


_DEGC = {
    u: (1.0, 0.0)
    for u in (
        "degC",
        "degree_C",
        "degrees_C",
        "degree_Celsius",
        "degrees_Celsius",
        "celsius",
        "Celsius",
        "°C",
        "C",
    )
}
_KELVIN = {u: (1.0, -273.15) for u in ("K", "kelvin", "degK", "degrees_K")}
_PSU = {u: (1.0, 0.0) for u in ("1e-3", "0.001", "psu", "PSU", "1", "pss-78", "PSS-78", "g/kg", "g kg-1")}

#: canonical name -> definition (thetao: potential temperature, °C; so: practical salinity)
TRACERS = {
    "thetao": Tracer(
        "thetao",
        ("sea_water_potential_temperature", "sea_water_conservative_temperature"),
        ("thetao", "votemper", "temp", "temperature", "water_temp", "TEMP"),
        _DEGC | _KELVIN,
        "degC",
        "sea water potential temperature (CF sea_water_potential_temperature, CMEMS thetao)",
    ),
    "so": Tracer(
        "so",
        ("sea_water_salinity", "sea_water_practical_salinity"),
        ("so", "vosaline", "salt", "salinity", "SALT", "PSAL"),
        _PSU,
        "1e-3",
        "sea water salinity (CF sea_water_salinity, CMEMS so)",
    ),
}


def find_tracer(ds: xr.Dataset, name: str, source: str) -> str:
    """The variable of ``ds`` holding the canonical tracer ``name`` (``thetao`` or ``so``)."""
    tr = TRACERS[name]
    by_std = {ds[n].attrs.get("standard_name"): str(n) for n in ds.data_vars}
    for std in tr.standard_names:
        if std in by_std:
            return by_std[std]
    for n in tr.product_names:
        if n in ds.data_vars:
            return n
    raise InputDataError(
        f"ocean data {source!r} has no {tr.what}: expected a variable with standard_name "
        f"{tr.standard_names[0]!r} or named {tr.product_names[0]!r}; the file has: "
        f"{', '.join(str(v) for v in ds.data_vars)}"
    )


def to_canonical_units(da: xr.DataArray, name: str, var: str) -> xr.DataArray:
    """``da`` in the canonical unit of tracer ``name`` (°C; practical salinity), attributes set."""
    tr = TRACERS[name]
    units = str(da.attrs.get("units", tr.canonical_units)).strip()
    if units not in tr.units:
        raise InputDataError(
            f"{tr.what.split(' (')[0]} variable {var!r} has units {units!r}; expected one of "
            f"{', '.join(sorted(tr.units))}"
        )
    factor, offset = tr.units[units]
    out = da * factor + offset if (factor, offset) != (1.0, 0.0) else da
    out.attrs = {"standard_name": tr.standard_names[0], "units": tr.canonical_units}
    return out


def fill_from_water(da: xr.DataArray) -> xr.DataArray:
    """``da`` (time, [depth,] lat, lon) with NaN points (land, below the sea floor) given the value of the
    nearest point with data on the same level (a level without any: the level above), so that values
    interpolated next to the coast are those of the water, not of a fill value. Where the points are
    is decided on the first time slice. A lazy (dask) ``da`` stays lazy, in its own dtype (each time
    slice filled as it is read: a run holds a window of it); one in memory is filled now in float64."""
    first = np.asarray(da.isel(time=0).values, np.float64)
    plan = _fill_plan(first if first.ndim == 3 else first[None])
    if da.chunks is None:
        a = np.array(da.values, dtype=np.float64)
        return da.copy(data=_apply_fill(a, plan))
    whole = da.chunk({d: -1 for d in da.dims if d != "time"})
    data = whole.data.map_blocks(_apply_fill, plan, dtype=whole.dtype)
    return whole.copy(data=data)


def _fill_plan(first: np.ndarray) -> list:
    """Per level of ``first`` (depth, lat, lon): None (no gap), "zero", "above", or the (jj, ii) of the
    nearest point with data for every point."""
    from scipy.ndimage import distance_transform_edt

    plan: list = []
    for k in range(first.shape[0]):
        gap = np.isnan(first[k])
        if not gap.any():
            plan.append(None)
        elif gap.all():
            plan.append("above" if k > 0 else "zero")
        else:
            plan.append(distance_transform_edt(gap, return_indices=True)[1])
    return plan


def _apply_fill(a: np.ndarray, plan: list) -> np.ndarray:
    """``a`` (time, [depth,] lat, lon) filled by ``plan`` (:func:`_fill_plan`), level after level."""
    a = np.array(a)
    v = a if a.ndim == 4 else a[:, None]
    for k, step in enumerate(plan):
        if step is None:
            continue
        if isinstance(step, str):
            v[:, k] = v[:, k - 1] if step == "above" else 0.0
            continue
        jj, ii = step
        v[:, k] = v[:, k][:, jj, ii]
    return a
