"""The forcing as the fast engine's compiled stepper reads it (:class:`FastFields`): the velocities
streamed through a time window, the static land/outside masks and the float64 axes."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from . import forcing
from ._common import slip_fill
from .base import EngineRequest
from .extra_window import ExtraWindows
from .forcing import DatasetSource, TimeWindow

__all__ = ["FastFields", "fast_fields", "field_dtype"]


def field_dtype(ds) -> type:
    """The dtype the forcing is held in: float32 for float32 data (the stepper's arithmetic is float64,
    and a float32 value read into float64 is exact, so the results equal a float64 copy's bit for
    bit), float64 for anything wider."""
    wide = any(np.dtype(ds[n].dtype).itemsize > 4 for n in ("u", "v", "w") if n in ds)
    return np.float64 if wide else np.float32


@dataclass
class FastFields:
    """The forcing as the compiled stepper reads it: the velocities streamed through a time window
    (:class:`~marinenet.engine.forcing.TimeWindow`, float32), the static masks and float64 axes."""

    window: TimeWindow  # fields "u", "v" (and "w"), each (slices, depth, lat, lon)
    mask: np.ndarray  # (1|2, depth, lat, lon): land (1) / water (0), then any outside the model domain (1)
    times: np.ndarray  # seconds since ``origin`` (the whole run's axis; the window holds a part)
    depth: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    origin: np.datetime64
    periodic: bool
    has_w: bool
    #: the behaviours' extra fields (wind, waves, temperature ...), each in a time window of its own
    extra: ExtraWindows = field(default_factory=ExtraWindows)

    def wrap(self, a: np.ndarray) -> np.ndarray:
        """A (..., lat, lon) field of the currents' grid as the stepper reads it (periodic: the
        wrapped column added)."""
        a = np.asarray(a, np.float64)
        if self.periodic and a.shape[-1] == self.lon.size - 1:
            a = np.concatenate([a, a[..., :1]], axis=-1)
        return np.ascontiguousarray(a)

    def close(self) -> None:
        self.window.close()
        self.extra.close()


def fast_fields(request: EngineRequest, window: int | None = None, prefetch: bool = True) -> FastFields:
    """The stepper's view of the canonical Dataset: velocities streamed (land velocities 0, or
    slip-filled), ``window`` time slices at a time (more when one step spans more), read ahead in a
    background thread with ``prefetch``; ``window`` None: :data:`forcing.WINDOW_SLICES`, or as many
    as :data:`forcing.WINDOW_BYTES` holds. One code path whatever the size: a window as long as the
    forcing holds all of it."""
    ds = request.ocean
    window = forcing.WINDOW_SLICES if window is None else window
    three = "depth" in ds.dims
    land = ds["land"].values.astype(bool)
    land_full = ds["land3d"].transpose("depth", "lat", "lon").values.astype(bool) if three else land[None]
    outside = ds["outside"].values.astype(bool) if "outside" in ds else np.zeros_like(land)
    periodic = bool(ds.attrs.get("zonal_periodic"))
    nx = land.shape[1]

    def wrap(a: np.ndarray) -> np.ndarray:  # periodic: one wrapped column closes the circle
        return np.concatenate([a, a[..., :1]], axis=-1) if periodic and a.shape[-1] == nx else a

    def prepare(name: str, a: np.ndarray) -> np.ndarray:
        if request.coast == "slip" and name != "w":
            a = slip_fill(a, land)
        return wrap(np.nan_to_num(a.astype(dtype), nan=0.0))

    has_w = three and "w" in ds
    dtype = field_dtype(ds)
    origin = np.datetime64(ds["time"].values[0], "ns")
    source = DatasetSource(ds, ("u", "v", "w") if has_w else ("u", "v"), origin, prepare, dtype)
    step = abs(request.dt)
    spacing = float(np.min(np.diff(source.times))) if source.times.size > 1 else math.inf
    per_slice = sum(np.dtype(dtype).itemsize * ds[n].size // max(ds.sizes["time"], 1) for n in source.names)
    by_bytes = int(forcing.WINDOW_BYTES // max(per_slice, 1)) if window == forcing.WINDOW_SLICES else 0
    size = max(window, by_bytes, int(math.ceil(step / spacing)) + 3 if spacing > 0 else window)
    layers = [land_full] + ([np.broadcast_to(outside, land_full.shape)] if outside.any() else [])
    lon = ds["lon"].values.astype(np.float64)
    return FastFields(
        window=TimeWindow(source, size, prefetch),
        mask=np.ascontiguousarray(wrap(np.stack(layers).astype(np.float64))),
        times=source.times,
        depth=ds["depth"].values.astype(np.float64) if three else np.zeros(1),
        lat=ds["lat"].values.astype(np.float64),
        lon=np.append(lon, lon[0] + 360.0) if periodic else lon,
        origin=origin,
        periodic=periodic,
        has_w=has_w,
        extra=ExtraWindows(prefetch),
    )
