"""Analytics accumulated while particles are tracked, so trajectories need not be kept.

The engines hand over every particle at its release and after every step
(:meth:`Streams.released`, :meth:`Streams.stepped`; both engines alike, independent of
``output_every``). Each zone layer keeps, per particle and zone, the first arrival (days
after release: the end of the first step that ends in the zone; 0 for the zone of
release) and the days spent there (each step counts for the zone where it started), and
the protection analysis keeps its particle-day sums. Only the (particle, zone) cells a particle
has been in are held (:class:`~marinenet.connectivity.exposure.ZoneTally`): memory 8 bytes per
particle and layer plus 16–32 bytes per cell visited, whatever the number of zones, nothing per
output time or step.

Full trajectories are then optional (``simulation.trajectories: all | none | subsample N``)
and a 10^7-particle run needs memory for the forcing plus a few hundred bytes per particle.
"""

from __future__ import annotations

import numpy as np

from .connectivity.exposure import Visits, ZoneTally
from .zones import ZoneLayer

__all__ = ["Streams", "LayerStream", "Survival", "survival_for", "stored_particles"]


class Survival:
    """Survival weights of ``mortality_mode: weights``: exp(−m·age) for a constant rate m (per day).

    A particle of age ``a`` days counts exp(−m·a); a step of ``dt`` days ending at age ``a``
    counts the survival integrated over it, exp(−m·(a − dt))·(1 − exp(−m·dt))/m, so
    particle-days are exact however long the step.
    """

    def __init__(self, rate: float, n: int):
        self.rate = float(rate)
        self.release_days = np.zeros(n)  # ages are counted from each particle's release

    def at(self, idx: np.ndarray, age_days) -> np.ndarray:
        """Survival of particles ``idx`` at ages ``age_days``."""
        return np.exp(-self.rate * np.maximum(np.asarray(age_days, float) - self.release_days[idx], 0.0))

    def over_step(self, age_days: np.ndarray, dt_days: np.ndarray) -> np.ndarray:
        """Survival-weighted days of steps of ``dt_days`` ending at ages ``age_days``."""
        if self.rate <= 0:
            return dt_days
        return np.exp(-self.rate * (age_days - dt_days)) * (-np.expm1(-self.rate * dt_days)) / self.rate


def survival_for(larva, n: int) -> Survival | None:
    """The :class:`Survival` of a run of ``n`` particles whose larvae carry survival weights (else None).

    ``larva`` is the larval life's compiled form (:class:`marinenet.behaviour.mortality.Params`:
    mortality in 1/s, ``mortality_mode`` 0 for weights), or None.
    """
    if larva is None or larva.mortality_mode != 0 or not larva.mortality:
        return None
    return Survival(larva.mortality * 86400.0, n)


def stored_particles(mode: str | int, n: int) -> np.ndarray | None:
    """Indices of the particles whose tracks are kept: None for all, evenly spaced for a subsample."""
    if mode == "all":
        return None
    if mode == "none":
        return np.zeros(0, dtype=np.int64)
    k = min(int(mode), n)
    return np.unique(np.linspace(0, n - 1, k).round().astype(np.int64)) if k else np.zeros(0, np.int64)


class LayerStream:
    """First arrival (days after release) and days in zone, per particle, for one zone layer
    (a :class:`~marinenet.connectivity.exposure.ZoneTally` of the layer's zones, sorted by label)."""

    def __init__(self, layer: ZoneLayer, n: int):
        self.layer = layer
        self.zones = sorted({*layer.ids, layer.outside})
        index = {z: i for i, z in enumerate(self.zones)}
        # layer.classify gives a zone number (-1 outside); this maps it (last entry: outside) to ours
        self._code = np.array([index[z] for z in [*layer.ids, layer.outside]], dtype=np.int64)
        self.outside_code = int(self._code[-1])
        self.tally = ZoneTally(n, len(self.zones))

    def visits(self) -> Visits:
        """Every (particle, zone) cell visited: first arrival (days) and days there (sparse)."""
        return self.tally.visits()

    def dense(self) -> tuple[np.ndarray, np.ndarray]:
        """First arrival (days; NaN: never there) and days in zone as particle × zone arrays
        (:meth:`Visits.dense`: for small runs and checks)."""
        return self.visits().dense(self.here.size, len(self.zones))

    @property
    def here(self) -> np.ndarray:
        return self.tally.here

    def codes(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Our zone number of each position (the layer's first zone there, else its outside label)."""
        return self._code[self.layer.classify(lon, lat)]

    def released(self, idx: np.ndarray, lon: np.ndarray, lat: np.ndarray) -> None:
        self.tally.start(idx, self.codes(lon, lat))

    def stepped(
        self, idx: np.ndarray, lon: np.ndarray, lat: np.ndarray, step_days: np.ndarray, age: np.ndarray
    ) -> None:
        """A step (``step_days`` particle-days) counts for the zone at its start; arrival = age (s) at the
        first step end inside, recorded in days."""
        self.tally.step(idx, step_days, self.codes(lon, lat), age / 86400.0)


class _ProtectionStream:
    """Particle-days inside/outside MPAs (all particles, and those released in EBSAs)."""

    def __init__(self, mpa: LayerStream, from_ebsa: np.ndarray | None):
        self.stream, self.mpa, self.from_ebsa = mpa, mpa.layer, from_ebsa
        self.sums = np.zeros(4)  # alive, inside, alive (EBSA-released), inside (EBSA-released)

    def stepped(self, idx: np.ndarray, days: np.ndarray) -> None:
        """A step (``days`` particle-days) counts where it started: call before the MPA layer's stream moves on."""
        inside = self.stream.here[idx] != self.stream.outside_code
        self.sums[0] += days.sum()
        self.sums[1] += days[inside].sum()
        if self.from_ebsa is not None:
            e = self.from_ebsa[idx]
            self.sums[2] += days[e].sum()
            self.sums[3] += days[inside & e].sum()


class Streams:
    """All streamed analytics of a run; the engines' step observer (``engine.base.StepObserver``) and
    batch accumulator (``engine.base.BatchAccumulator``: :meth:`for_batch`, :meth:`arrays`, :meth:`merge`).

    The protection sums follow the layer of role ``mpa`` (and the particles released in the layer
    of role ``ebsa``), see :attr:`marinenet.zones.ZoneLayer.role`.
    """

    def __init__(
        self,
        layers: dict[str, ZoneLayer],
        lon0: np.ndarray,
        lat0: np.ndarray,
        survival: Survival | None = None,
    ):
        n = lon0.size
        self.survival = survival
        self._zone_layers = layers
        self.layers = {name: LayerStream(layer, n) for name, layer in layers.items()}
        mpa = next((nm for nm, lay in layers.items() if lay.role == "mpa"), None)
        ebsa = next((lay for lay in layers.values() if lay.role == "ebsa"), None)
        self.protection = None
        if mpa is not None:
            from_ebsa = ebsa.classify(lon0, lat0) >= 0 if ebsa is not None else None
            self.protection = _ProtectionStream(self.layers[mpa], from_ebsa)

    def for_batch(self, lon0: np.ndarray, lat0: np.ndarray) -> Streams:
        """Empty streams of the same analytics for a batch of particles released at ``lon0, lat0``
        (tracked elsewhere; :meth:`merge` adds its :meth:`arrays` back)."""
        survival = None if self.survival is None else Survival(self.survival.rate, lon0.size)
        return Streams(self._zone_layers, lon0, lat0, survival)

    def template(self) -> Streams:
        """These analytics for no particle: what a worker needs to make :meth:`for_batch` streams."""
        return self.for_batch(np.zeros(0), np.zeros(0))

    def released(self, idx: np.ndarray, lon: np.ndarray, lat: np.ndarray) -> None:
        """Release positions of particles ``idx``."""
        for s in self.layers.values():
            s.released(idx, lon, lat)

    def stepped(
        self,
        idx: np.ndarray,
        lon: np.ndarray,
        lat: np.ndarray,
        dt: np.ndarray,
        age: np.ndarray,
        weight: np.ndarray | None = None,
    ) -> None:
        """Particles ``idx`` after a step of ``dt`` s: their positions, ages (s) and survival weights.

        With survival weights (``mortality_mode: weights``) a step counts its survival-weighted
        particle-days (:meth:`Survival.over_step`); ``weight`` itself is not needed for that.
        """
        if idx.size == 0:
            return
        days = dt / 86400.0
        if self.survival is not None:
            days = self.survival.over_step(age / 86400.0, days)
        if self.protection is not None:
            self.protection.stepped(idx, days)
        for s in self.layers.values():
            s.stepped(idx, lon, lat, days, age)

    # checkpointing: the accumulators are part of a run's state
    def arrays(self) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for name, s in self.layers.items():
            v = s.visits()
            out[f"stream_particle_{name}"], out[f"stream_zone_{name}"] = v.particle, v.zone
            out[f"stream_first_{name}"], out[f"stream_days_{name}"] = v.first, v.days
            out[f"stream_here_{name}"] = s.here
        if self.protection is not None:
            out["stream_protection"] = self.protection.sums
        return out

    def _load(self, idx: np.ndarray, arrays: dict[str, np.ndarray]) -> None:
        for name, s in self.layers.items():
            here = arrays[f"stream_here_{name}"]
            if here.shape != idx.shape:
                raise ValueError(
                    f"{here.size} particles in the streamed analytics of layer {name!r}, not {idx.size}"
                )
            visits = Visits(*(arrays[f"stream_{k}_{name}"] for k in ("particle", "zone", "first", "days")))
            s.tally.load(idx, visits, here)

    def merge(self, idx: np.ndarray, arrays: dict[str, np.ndarray]) -> None:
        """Add the accumulators of a batch of particles ``idx`` (from :meth:`arrays` of its own streams)."""
        self._load(np.asarray(idx, np.int64), arrays)
        if self.protection is not None:
            self.protection.sums += arrays["stream_protection"]

    def restore(self, arrays: dict[str, np.ndarray]) -> None:
        n = next(iter(self.layers.values())).here.size if self.layers else 0
        self.layers = {name: LayerStream(s.layer, n) for name, s in self.layers.items()}
        if self.protection is not None:
            mpa = next(nm for nm, lay in self._zone_layers.items() if lay.role == "mpa")
            self.protection.stream = self.layers[mpa]
            self.protection.sums[...] = arrays["stream_protection"]
        self._load(np.arange(n), arrays)
