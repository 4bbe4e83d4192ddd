"""Forcing fields besides the currents: a named vector or scalar field on its own grid and time axis.

:class:`ExtraField` is the one typed form in which every extra forcing reaches the engines: 10 m
wind and surface Stokes drift (:mod:`marinenet.ocean.forcing`), and any scalar a behaviour samples
along the track (temperature, salinity — on the currents' grid or not). Its components are lazy
``xarray.DataArray`` on ``(time, depth, lat, lon)`` (depth of size 1 for a surface field),
ascending coordinates in degrees and metres, SI units; :meth:`ExtraField.arrays` loads them once as
the :class:`FieldArrays` both engines sample with the same interpolation
(:mod:`marinenet.engine._extra_sample`: linear in time, depth, latitude and longitude, held at the
grid's edges and at the first and last times).

Nothing of a field's values is read before the run: :meth:`ExtraField.streamed` gives the
:class:`FieldArrays` whose ``data`` is a :class:`LazyData` (the axes are read, the values not),
and each engine holds a time window of it (the fast engine:
:class:`marinenet.engine.extra_window.ExtraWindows`, float32 for float32 files, read ahead in a
background thread; ``ax[12]`` then says which slice of ``times`` the window's first one is).
:meth:`ExtraField.arrays` loads the whole field in float64 (the in-memory reference).

A behaviour that needs one carries its :class:`FieldArrays` in its compiled form (see
:mod:`marinenet.behaviour.windage`) and declares ``FORCING = ("wind",)``: the registry then passes
the run's fields to its ``from_scenario(scenario, ocean, layers, forcing)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import xarray as xr

__all__ = [
    "ExtraField",
    "FieldArrays",
    "LazyData",
    "field_on_currents_grid",
    "EPOCH",
    "held",
    "relative_params",
    "footprints",
]

#: absolute times of :class:`FieldArrays` are seconds since this date (float64: 0.1 µs resolution today)
EPOCH = np.datetime64("1970-01-01T00:00:00", "ns")
DIMS = ("time", "depth", "lat", "lon")


class FieldArrays(NamedTuple):
    """An extra field for the engines (float64 when loaded whole; float32 windows of float32 files).

    ``data`` is ``(component, time, depth, lat, lon)``; ``times`` seconds since :data:`EPOCH`
    (absolute: each engine takes its own time origin off); ``ax`` 13 numbers, the
    (first value, 1/spacing, evenly spaced) triples of time, depth, lat and lon as
    ``marinenet.engine._fast_kernels._axis`` makes them, then the slice of ``times`` that
    ``data``'s first time slice is (0 for the whole field; a window's first slice when streamed);
    ``periodic`` 1.0 when the longitudes go round the globe (the wrapped column is then included
    in ``lon`` and ``data``). ``data`` is a :class:`LazyData` until an engine reads it.
    """

    data: np.ndarray | LazyData
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
            np.zeros((components, 1, 1, 1, 1)), one, one.copy(), one.copy(), one.copy(), np.zeros(13), 0.0
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
    return np.asarray(out + [0.0], np.float64)  # (+ the first time slice held: all of them)


Transform = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class LazyData:
    """The values of a field not read yet: ``(component, time, depth, lat, lon)`` read a run of time
    slices at a time (:meth:`read`) exactly as :meth:`ExtraField.arrays` would give them.

    ``transform`` (optional) maps the float64 values of some time slices, ``(component, k, depth,
    lat, lon)``, to what is sampled (e.g. eggs: temperature and salinity to density and viscosity);
    it must act on each time slice on its own. Values are held as float32 when the files hold
    float32 and there is no transform (exact: the samplers' arithmetic is float64), else float64.
    """

    components: tuple[xr.DataArray, ...]  # lazy, on (time, depth, lat, lon)
    periodic: bool
    transform: Transform | None = None
    out_components: int = 0  # components after the transform (0: as many as ``components``)

    @property
    def dtype(self) -> np.dtype:
        narrow = all(np.dtype(c.dtype).itemsize <= 4 for c in self.components) and self.transform is None
        return np.dtype(np.float32 if narrow else np.float64)

    @property
    def shape(self) -> tuple[int, ...]:
        c = self.components[0]
        nx = c.sizes["lon"] + (1 if self.periodic else 0)
        n = self.out_components or len(self.components)
        return (n, c.sizes["time"], c.sizes["depth"], c.sizes["lat"], nx)

    @property
    def slice_bytes(self) -> int:
        """Bytes of one time slice of every component as held."""
        n, _, *grid = self.shape
        return int(n * np.prod(grid) * self.dtype.itemsize)

    def read(self, lo: int, hi: int) -> np.ndarray:
        """Time slices ``lo..hi-1``, C-contiguous, as held (see the class)."""
        parts = [np.asarray(c.isel(time=slice(lo, hi)).transpose(*DIMS).values) for c in self.components]
        return np.ascontiguousarray(self._prepare(np.stack(parts)), dtype=self.dtype)

    def load(self) -> np.ndarray:
        """Every time slice in float64 (:meth:`ExtraField.arrays`' values)."""
        return np.ascontiguousarray(self.read(0, self.shape[1]), dtype=np.float64)

    def _prepare(self, data: np.ndarray) -> np.ndarray:
        data = np.nan_to_num(data, nan=0.0)
        if self.periodic:
            data = np.concatenate([data, data[..., :1]], axis=-1)
        if self.transform is not None:
            data = self.transform(np.asarray(data, np.float64))
        return data

    def then(self, transform: Transform, components: int) -> LazyData:
        """These values mapped by ``transform`` (after any transform already there) to ``components``."""
        first = self.transform
        both = transform if first is None else _Chain(first, transform)
        return LazyData(self.components, self.periodic, both, components)


@dataclass(frozen=True)
class _Chain:
    first: Transform
    second: Transform

    def __call__(self, a: np.ndarray) -> np.ndarray:
        return self.second(self.first(a))


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

    def streamed(self) -> FieldArrays:
        """The field for the engines, its values not read (:class:`LazyData`): each engine holds a
        time window of them as it steps (the axes are read now)."""
        first = self.components[0]
        lon = first["lon"].values.astype(np.float64)
        if self.periodic:
            lon = np.append(lon, lon[0] + 360.0)
        times = (first["time"].values.astype("datetime64[ns]") - EPOCH) / np.timedelta64(1, "s")
        depth = first["depth"].values.astype(np.float64)
        lat = first["lat"].values.astype(np.float64)
        comps = tuple(c.transpose(*DIMS) for c in self.components)
        data = LazyData(comps, self.periodic)
        return FieldArrays(data, times, depth, lat, lon, _axes(times, depth, lat, lon), float(self.periodic))

    def arrays(self) -> FieldArrays:
        """Load the whole field (its window and region only) in float64: the in-memory form."""
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


def footprints(forms) -> list[tuple[float, int, int]]:
    """The streamed extra fields of compiled forms ``forms``, for the memory estimate
    (:func:`marinenet.memory.run_estimate`): (bytes in float64, time slices, bytes per value held) each."""
    out = []
    for form in forms:
        data = getattr(form, "data", None)
        if isinstance(data, LazyData):
            n = int(np.prod(data.shape))
            out.append((8.0 * n, data.shape[1], data.dtype.itemsize))
    return out
