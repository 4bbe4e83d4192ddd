"""Forcing fields besides the currents: a named vector or scalar field on its own grid and time axis.

:class:`ExtraField` is the one typed form in which every extra forcing reaches the engines: 10 m
wind and surface Stokes drift (:mod:`marinenet.ocean.forcing`), and any scalar a behaviour samples
along the track (temperature, salinity — on the currents' grid or not). Its components are lazy
``xarray.DataArray`` on ``(time, depth, lat, lon)`` (depth of size 1 for a surface field),
ascending coordinates in degrees and metres, SI units; :meth:`ExtraField.arrays` loads them once as
the :class:`FieldArrays` both engines sample with the same interpolation
(:mod:`marinenet.engine._extra_sample`: linear in time, depth, latitude and longitude, held at the
grid's edges and at the first and last times).

A behaviour that needs one carries its :class:`FieldArrays` in its compiled form (see
:mod:`marinenet.behaviour.windage`) and declares ``FORCING = ("wind",)``: the registry then passes
the run's fields to its ``from_scenario(scenario, ocean, layers, forcing)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import xarray as xr

__all__ = ["ExtraField", "FieldArrays", "field_on_currents_grid", "EPOCH", "held", "relative_params"]

#: absolute times of :class:`FieldArrays` are seconds since this date (float64: 0.1 µs resolution today)
EPOCH = np.datetime64("1970-01-01T00:00:00", "ns")
DIMS = ("time", "depth", "lat", "lon")


class FieldArrays(NamedTuple):
    """An extra field loaded for the engines (float64 throughout, as both engines read it).

    ``data`` is ``(component, time, depth, lat, lon)``; ``times`` seconds since :data:`EPOCH`
    (absolute: each engine takes its own time origin off); ``ax`` 12 numbers, the
    (first value, 1/spacing, evenly spaced) triples of time, depth, lat and lon as
    ``marinenet.engine._fast_kernels._axis`` makes them; ``periodic`` 1.0 when the longitudes go
    round the globe (the wrapped column is then included in ``lon`` and ``data``).
    """

    data: np.ndarray
    times: np.ndarray
    depth: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    ax: np.ndarray
    periodic: float

    @classmethod
    def empty(cls, components: int = 1) -> FieldArrays:
        """A no-op field of the right types (the compiled form of a behaviour that is off)."""
        one = np.zeros(1)
        return cls(
            np.zeros((components, 1, 1, 1, 1)), one, one.copy(), one.copy(), one.copy(), np.zeros(12), 0.0
        )

    def relative(self, origin: np.datetime64) -> FieldArrays:
        """The same field with ``times`` in seconds since ``origin`` (an engine's time origin)."""
        shift = (np.asarray(origin, "datetime64[ns]") - EPOCH) / np.timedelta64(1, "s")
        times = self.times - shift
        return self._replace(times=times, ax=_axes(times, self.depth, self.lat, self.lon))


def _axes(*coords: np.ndarray) -> np.ndarray:
    out = []
    for a in coords:
        n = a.size
        if n < 2:
            out += [float(a[0]) if n else 0.0, 0.0, 0.0]
            continue
        d = (a[-1] - a[0]) / (n - 1)
        even = float(np.all(np.abs(a - (a[0] + d * np.arange(n))) <= 1e-9 * abs(d)))
        out += [float(a[0]), float(1.0 / d), even]
    return np.asarray(out, np.float64)


@dataclass(frozen=True)
class ExtraField:
    """A named forcing field besides the currents (vector: east and north components; or scalar).

    Attributes
    ----------
    name
        What it is, e.g. ``"wind"``, ``"stokes"``, ``"thetao"``.
    components
        One lazy DataArray per component on ``(time, depth, lat, lon)``, SI units (m/s for velocities).
    source
        The file(s) it was read from (for messages and the run's provenance).
    periodic
        The longitudes go round the globe (the last column joins the first).
    velocity
        The components are a velocity (m/s): they change sign when time runs backward.
    """

    name: str
    components: tuple[xr.DataArray, ...]
    source: str
    periodic: bool = False
    velocity: bool = False

    @property
    def times(self) -> np.ndarray:
        return self.components[0]["time"].values

    def arrays(self) -> FieldArrays:
        """Load the field (its window and region only) for the engines."""
        first = self.components[0]
        data = np.stack([np.asarray(c.transpose(*DIMS).values, np.float64) for c in self.components])
        data = np.nan_to_num(data, nan=0.0)
        lon = first["lon"].values.astype(np.float64)
        if self.periodic:
            lon = np.append(lon, lon[0] + 360.0)
            data = np.concatenate([data, data[..., :1]], axis=-1)
        times = (first["time"].values.astype("datetime64[ns]") - EPOCH) / np.timedelta64(1, "s")
        depth = first["depth"].values.astype(np.float64)
        lat = first["lat"].values.astype(np.float64)
        return FieldArrays(
            np.ascontiguousarray(data),
            times,
            depth,
            lat,
            lon,
            _axes(times, depth, lat, lon),
            float(self.periodic),
        )

    def mirrored(self, pivot: np.datetime64) -> ExtraField:
        """The field with time running backward from ``pivot`` (t → 2·pivot − t), for backward runs;
        a velocity changes sign (a particle going back in time moves against it)."""
        comps = tuple(mirror_time(c, pivot, self.velocity) for c in self.components)
        return ExtraField(self.name, comps, self.source, self.periodic, self.velocity)


def mirror_time(obj, pivot: np.datetime64, negate: bool):
    """``obj`` (DataArray or Dataset with a ``time`` dimension) seen in mirrored time t' = 2·pivot − t,
    in ascending t' (lazy); its values negated when ``negate``."""
    p = np.asarray(pivot, "datetime64[ns]")
    t = obj["time"].values.astype("datetime64[ns]")
    out = obj.isel(time=slice(None, None, -1))
    out = out.assign_coords(time=(p + (p - t))[::-1])
    return -out if negate else out


def field_on_currents_grid(
    name: str, values: xr.DataArray, source: str, periodic: bool = False
) -> ExtraField:
    """A scalar on the currents' grid (e.g. ``thetao`` from the currents' files) as an :class:`ExtraField`:
    ``values`` on (time, [depth,] lat, lon)."""
    if "depth" not in values.dims:
        values = values.expand_dims(depth=[0.0])
    return ExtraField(name, (values.transpose(*[d for d in DIMS if d in values.dims]),), source, periodic)


def held(p) -> FieldArrays:
    """The :class:`FieldArrays` held in a behaviour's compiled parameters (fields ``data, times,
    depth, lat, lon, ax, periodic``)."""
    return FieldArrays(p.data, p.times, p.depth, p.lat, p.lon, p.ax, p.periodic)


def relative_params(p, origin: np.datetime64):
    """Compiled parameters ``p`` with their field's times in seconds since ``origin`` (an engine's
    time origin)."""
    fa = held(p).relative(origin)
    return p._replace(times=fa.times, ax=fa.ax)
