"""Uncertainty of connectivity fractions: particle bootstrap and a sampling-convergence check."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["bootstrap_fractions", "convergence"]


def _per_particle(src, dst, w, n_particles, destinations):
    """Dense (particle × destination) weights from (particle, label, weight) rows."""
    col = {d: k for k, d in enumerate(destinations)}
    W = np.zeros((n_particles, len(destinations)))
    np.add.at(W, (src, np.fromiter((col[d] for d in dst), int, len(dst))), w)
    return W


def bootstrap_fractions(
    particle: np.ndarray,
    source: np.ndarray,
    destination: np.ndarray,
    weight: np.ndarray,
    destinations: list[str],
    rng: np.random.Generator,
    n_boot: int = 1000,
    level: float = 0.95,
) -> pd.DataFrame:
    """Percentile-bootstrap intervals of ``fraction`` (share of a source's particles ending in a destination).

    Particles are resampled with replacement within each source (sources are fixed by the
    design of the release), so the interval reflects the finite number of particles.

    Parameters
    ----------
    particle, destination, weight
        One row per (particle, destination) contribution (weights of a particle sum to 1).
    source
        Source label of each particle (indexed by particle number).
    """
    n = len(source)
    W = _per_particle(
        np.asarray(particle), np.asarray(destination, object), np.asarray(weight, float), n, destinations
    )
    src = np.asarray(source, dtype=object)
    lo_q, hi_q = (1 - level) / 2 * 100, (1 + level) / 2 * 100
    rows = []
    for s in sorted(set(src.tolist())):
        idx = np.flatnonzero(src == s)
        Ws = W[idx]
        est = Ws.sum(axis=0) / idx.size
        if np.all((Ws == 0) | (Ws == 1)):
            # whole particles: resampling them is drawing destination counts ~ Multinomial(n_s, est)
            frac = rng.multinomial(idx.size, est / est.sum(), size=n_boot) / idx.size  # B × n_dest
        else:  # weighted rows: resample particles (in blocks of draws: B × n_s can be large)
            block = max(1, int(2e7 // max(idx.size, 1)))
            p = np.full(idx.size, 1.0 / idx.size)
            frac = np.concatenate(
                [
                    rng.multinomial(idx.size, p, size=min(block, n_boot - b)) @ Ws / idx.size
                    for b in range(0, n_boot, block)
                ]
            )
        lo, hi = np.percentile(frac, [lo_q, hi_q], axis=0)
        for k, d in enumerate(destinations):
            if est[k] > 0 or hi[k] > 0:
                rows.append(
                    {
                        "source": s,
                        "destination": d,
                        "fraction": est[k],
                        "ci_low": lo[k],
                        "ci_high": hi[k],
                        "n_source": idx.size,
                    }
                )
    return pd.DataFrame(rows, columns=["source", "destination", "fraction", "ci_low", "ci_high", "n_source"])


def convergence(ci: pd.DataFrame, max_half_width: float = 0.1, min_particles: int = 100) -> dict:
    """Is the run sampled well enough? The widest interval and the smallest source decide.

    Returns a dict with ``ok`` (bool), ``max_half_width``, ``smallest_source`` and a
    plain-language ``message`` for the report.
    """
    if len(ci) == 0:
        return {"ok": False, "max_half_width": np.nan, "smallest_source": 0, "message": "no particles"}
    half = float(((ci["ci_high"] - ci["ci_low"]) / 2).max())
    smallest = int(ci.groupby("source")["n_source"].first().min())
    ok = half <= max_half_width and smallest >= min_particles
    if ok:
        msg = (
            f"Sampling is adequate: every reported fraction is known to within ±{half:.3f} "
            f"(95 % bootstrap interval); the smallest source released {smallest} particles."
        )
    else:
        msg = (
            f"UNDER-SAMPLED: some fractions are uncertain by up to ±{half:.3f} and the smallest source "
            f"released only {smallest} particles (targets: ±{max_half_width} and {min_particles}). "
            "Release more particles before drawing conclusions."
        )
    return {"ok": ok, "max_half_width": half, "smallest_source": smallest, "message": msg}
