"""Analytics accumulated while particles are tracked, so trajectories need not be kept.

At every output time the engine hands over the positions of the particles alive then
(:meth:`Streams.update`); each zone layer keeps, per particle and zone, the first arrival
time and the days spent there (exactly what :mod:`marinenet.analyses` derives from full
trajectories), and the protection analysis keeps its particle-day sums. Memory: 8 bytes
per particle and zone (float32 pairs), nothing per output time.

Full trajectories are then optional (``simulation.trajectories: all | none | subsample N``)
and a 10^7-particle run needs memory for the forcing plus a few hundred bytes per particle.
"""

from __future__ import annotations

import numpy as np

from .zones import ZoneLayer

__all__ = ["Streams", "LayerStream", "stored_particles"]


def stored_particles(mode: str | int, n: int) -> np.ndarray | None:
    """Indices of the particles whose tracks are kept: None for all, evenly spaced for a subsample."""
    if mode == "all":
        return None
    if mode == "none":
        return np.zeros(0, dtype=np.int64)
    k = min(int(mode), n)
    return np.unique(np.linspace(0, n - 1, k).round().astype(np.int64)) if k else np.zeros(0, np.int64)


class LayerStream:
    """First arrival (days) and days in zone, per particle, for one zone layer."""

    def __init__(self, layer: ZoneLayer, n: int, times_days: np.ndarray):
        self.layer = layer
        self.zones = sorted({*layer.ids, layer.outside})
        index = {z: i for i, z in enumerate(self.zones)}
        # layer.classify gives a zone number (-1 outside); this maps it (last entry: outside) to ours
        self._code = np.array([index[z] for z in [*layer.ids, layer.outside]], dtype=np.int64)
        self.times_days = np.asarray(times_days, float)
        self.first = np.full((n, len(self.zones)), np.nan, np.float32)
        self.days = np.zeros((n, len(self.zones)), np.float32)

    def codes(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Our zone number of each position (the layer's first zone there, else its outside label)."""
        return self._code[self.layer.classify(lon, lat)]

    def update(self, k: int, idx: np.ndarray, lon: np.ndarray, lat: np.ndarray) -> None:
        if idx.size == 0:
            return
        c = self.codes(lon, lat)
        p = idx
        unseen = np.isnan(self.first[p, c])
        self.first[p[unseen], c[unseen]] = self.times_days[k]
        if k < self.times_days.size - 1:  # an interval is counted at its start
            self.days[p, c] += np.float32(self.times_days[k + 1] - self.times_days[k])


class _ProtectionStream:
    """Particle-output sums inside/outside MPAs (all particles, and those released in EBSAs)."""

    def __init__(self, mpa: ZoneLayer, from_ebsa: np.ndarray | None, n_obs: int):
        self.mpa, self.from_ebsa, self.n_obs = mpa, from_ebsa, n_obs
        self.sums = np.zeros(4)  # alive, inside, alive (EBSA-released), inside (EBSA-released)

    def update(self, k: int, idx: np.ndarray, lon: np.ndarray, lat: np.ndarray) -> None:
        if k >= self.n_obs - 1 or idx.size == 0:
            return
        inside = self.mpa.classify(lon, lat) >= 0
        self.sums[0] += idx.size
        self.sums[1] += inside.sum()
        if self.from_ebsa is not None:
            e = self.from_ebsa[idx]
            self.sums[2] += e.sum()
            self.sums[3] += (inside & e).sum()


class Streams:
    """All streamed analytics of a run; call :meth:`update` at every output time."""

    def __init__(self, layers: dict[str, ZoneLayer], lon0: np.ndarray, lat0: np.ndarray, times: np.ndarray):
        n = lon0.size
        times_days = (times - times[0]) / np.timedelta64(1, "D")
        self.layers = {name: LayerStream(layer, n, times_days) for name, layer in layers.items()}
        mpa = next(
            (lay for nm, lay in layers.items() if nm.startswith("mpa") or lay.outside == "unprotected"), None
        )
        ebsa = next((lay for nm, lay in layers.items() if nm.startswith("ebsa")), None)
        self.protection = None
        if mpa is not None:
            from_ebsa = ebsa.classify(lon0, lat0) >= 0 if ebsa is not None else None
            self.protection = _ProtectionStream(mpa, from_ebsa, times.size)

    def update(self, k: int, idx: np.ndarray, lon: np.ndarray, lat: np.ndarray) -> None:
        """Positions ``lon``/``lat`` of particles ``idx`` (alive and released) at output ``k``."""
        for s in self.layers.values():
            s.update(k, idx, lon, lat)
        if self.protection is not None:
            self.protection.update(k, idx, lon, lat)

    # checkpointing: the accumulators are part of a run's state
    def arrays(self) -> dict[str, np.ndarray]:
        out = {}
        for name, s in self.layers.items():
            out[f"stream_first_{name}"], out[f"stream_days_{name}"] = s.first, s.days
        if self.protection is not None:
            out["stream_protection"] = self.protection.sums
        return out

    def merge(self, idx: np.ndarray, arrays: dict[str, np.ndarray]) -> None:
        """Add the accumulators of a batch of particles ``idx`` (from :meth:`arrays` of its own streams)."""
        for name, s in self.layers.items():
            s.first[idx] = arrays[f"stream_first_{name}"]
            s.days[idx] = arrays[f"stream_days_{name}"]
        if self.protection is not None:
            self.protection.sums += arrays["stream_protection"]

    def restore(self, arrays: dict[str, np.ndarray]) -> None:
        for name, s in self.layers.items():
            s.first[...] = arrays[f"stream_first_{name}"]
            s.days[...] = arrays[f"stream_days_{name}"]
        if self.protection is not None:
            self.protection.sums[...] = arrays["stream_protection"]
