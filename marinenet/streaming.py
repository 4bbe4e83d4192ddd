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

__all__ = ["Streams", "LayerStream", "Survival", "survival_for", "stored_particles"]


class Survival:
    """Survival weights of ``mortality_mode: weights``: exp(−m·age) for a constant rate m.

    ``rate`` is per day; ``release_days`` the release time of each particle in days after the
    first output time. A particle sampled at ``t`` (days) counts exp(−m·(t − release)); an
    interval of ``dt`` days starting at ``t`` counts the survival integrated over it,
    exp(−m·(t − release))·(1 − exp(−m·dt))/m, so particle-days are exact while a particle
    stays in one zone however coarse the sampling.
    """

    def __init__(self, rate: float, release_days: np.ndarray):
        self.rate = float(rate)
        self.release_days = np.asarray(release_days, float)

    def at(self, idx: np.ndarray, t_days) -> np.ndarray:
        return np.exp(-self.rate * np.maximum(np.asarray(t_days, float) - self.release_days[idx], 0.0))

    def over(self, idx: np.ndarray, t_days: float, dt_days: float) -> np.ndarray:
        mean = -np.expm1(-self.rate * dt_days) / self.rate if self.rate > 0 else dt_days
        return self.at(idx, t_days) * mean


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

    def update(
        self, k: int, idx: np.ndarray, lon: np.ndarray, lat: np.ndarray, survival: Survival | None = None
    ) -> None:
        if idx.size == 0:
            return
        c = self.codes(lon, lat)
        p = idx
        unseen = np.isnan(self.first[p, c])
        self.first[p[unseen], c[unseen]] = self.times_days[k]
        if k < self.times_days.size - 1:  # an interval is counted at its start
            dt = self.times_days[k + 1] - self.times_days[k]
            w = dt if survival is None else survival.over(p, self.times_days[k], dt)
            self.days[p, c] += np.float32(w)


class _ProtectionStream:
    """Particle-days at sea and inside MPAs (all particles, and those released in EBSAs)."""

    def __init__(self, mpa: ZoneLayer, from_ebsa: np.ndarray | None, times_days: np.ndarray):
        self.mpa, self.from_ebsa, self.times_days = mpa, from_ebsa, times_days
        self.sums = np.zeros(4)  # alive, inside, alive (EBSA-released), inside (EBSA-released)

    def update(
        self, k: int, idx: np.ndarray, lon: np.ndarray, lat: np.ndarray, survival: Survival | None = None
    ) -> None:
        """Particle-days at sea and inside MPAs over the interval starting at output ``k``."""
        if k >= self.times_days.size - 1 or idx.size == 0:
            return
        dt = self.times_days[k + 1] - self.times_days[k]
        w = np.full(idx.size, dt) if survival is None else survival.over(idx, self.times_days[k], dt)
        inside = self.mpa.classify(lon, lat) >= 0
        self.sums[0] += w.sum()
        self.sums[1] += w[inside].sum()
        if self.from_ebsa is not None:
            e = self.from_ebsa[idx]
            self.sums[2] += w[e].sum()
            self.sums[3] += w[inside & e].sum()


def survival_for(larva: dict | None, releases: np.ndarray, t0: np.datetime64) -> Survival | None:
    """The :class:`Survival` of a run whose larvae carry survival weights (else None).

    ``larva`` is the engines' parameter dict (mortality in 1/s, ``mortality_mode`` 0 for
    weights); ``releases`` the release times; ``t0`` the first output time.
    """
    if larva is None or larva["mortality_mode"] != 0 or not larva["mortality"]:
        return None
    release_days = (np.asarray(releases, "datetime64[ns]") - np.datetime64(t0, "ns")) / np.timedelta64(1, "D")
    return Survival(larva["mortality"] * 86400.0, release_days)


class Streams:
    """All streamed analytics of a run; call :meth:`update` at every output time."""

    def __init__(
        self,
        layers: dict[str, ZoneLayer],
        lon0: np.ndarray,
        lat0: np.ndarray,
        times: np.ndarray,
        survival: Survival | None = None,
    ):
        n = lon0.size
        self.survival = survival
        times_days = (times - times[0]) / np.timedelta64(1, "D")
        self.layers = {name: LayerStream(layer, n, times_days) for name, layer in layers.items()}
        mpa = next(
            (lay for nm, lay in layers.items() if nm.startswith("mpa") or lay.outside == "unprotected"), None
        )
        ebsa = next((lay for nm, lay in layers.items() if nm.startswith("ebsa")), None)
        self.protection = None
        if mpa is not None:
            from_ebsa = ebsa.classify(lon0, lat0) >= 0 if ebsa is not None else None
            self.protection = _ProtectionStream(mpa, from_ebsa, times_days)

    def update(self, k: int, idx: np.ndarray, lon: np.ndarray, lat: np.ndarray) -> None:
        """Positions ``lon``/``lat`` of particles ``idx`` (alive and released) at output ``k``."""
        for s in self.layers.values():
            s.update(k, idx, lon, lat, self.survival)
        if self.protection is not None:
            self.protection.update(k, idx, lon, lat, self.survival)

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
