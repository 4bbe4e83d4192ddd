"""Custom kernels (``behaviour.kernels``): Parcels v4 style, run by either engine.

A custom kernel is ``def K(particles, fieldset)`` acting on arrays (docs/extending.md). On the
Parcels engine it is a Parcels kernel, run right after the advection. On the fast engine each
step is split in two compiled halves (:mod:`~marinenet.engine._fast_compose`): age + RK4 for
every particle, then the custom kernels on arrays (:class:`KernelParticles`,
:class:`KernelFieldSet`), then the behaviours, the coast rule and the position update — the
order of the Parcels engine.

Particle variables: ``x``, ``y`` (degrees), ``z`` (m, positive down), ``dx``, ``dy`` (degrees
this step), ``dz`` (m), ``dt`` (s), ``t`` (s since the currents' first time), ``age`` (s, at
the step's end), ``particle_id``, and any variable a kernel declares as ``K.variables = {name:
initial}``. Fields by name: ``fieldset.UV[particles]`` (deg/s, as Parcels on a spherical mesh),
``fieldset.UVW`` (3-D with w; w in m/s, positive down), ``fieldset.U``/``V``/``W`` (m/s),
``fieldset.landmask``; also ``fieldset.UV[t, z, y, x]``.
"""

from __future__ import annotations

import importlib
import inspect
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from numba import njit

from ..errors import ScenarioError
from ._common import PARCELS_DEG2M
from ._fast_kernels import _find, _interp, _lonwrap, _time_index

__all__ = ["kernel_variables", "load_kernels", "check_kernel", "KernelParticles", "KernelFieldSet"]

#: variables every particle has (a kernel's own variables must not reuse them)
BUILTIN = ("x", "y", "z", "dx", "dy", "dz", "dt", "t", "age", "particle_id", "weight", "dev", "state")


def check_kernel(func: object, spec: str) -> str | None:
    """Why ``func`` is not a usable custom kernel (None: it is)."""
    if not callable(func):
        return f"{spec} is not a function"
    try:
        params = list(inspect.signature(func).parameters.values())
    except (TypeError, ValueError):
        return f"{spec}: its signature cannot be read"
    names = [p.name for p in params]
    if names != ["particles", "fieldset"]:
        return f"{spec} takes ({', '.join(names)}); a kernel is 'def {spec.rpartition(':')[2]}(particles, fieldset)'"
    variables = getattr(func, "variables", None)
    if variables is not None:
        if not isinstance(variables, dict) or not all(
            isinstance(k, str) and k.isidentifier() and isinstance(v, int | float)
            for k, v in variables.items()
        ):
            return f"{spec}.variables must be a dict {{name: initial number}}, got {variables!r}"
        clash = [k for k in variables if k in BUILTIN or k.startswith("mn_")]
        if clash:
            return f"{spec}.variables {clash} clash with built-in particle variables"
    return None


def load_kernels(specs: Sequence[str] | None, base: Path | None = None) -> list[Callable]:
    """Import ``'package.module:function'`` kernels (the scenario's folder importable) and check them."""
    out = []
    for spec in specs or []:
        module, _, name = spec.partition(":")
        added = base is not None and str(base) not in sys.path
        if added:
            sys.path.insert(0, str(base))
        try:
            func = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError, ValueError) as exc:
            raise ScenarioError(
                f"behaviour.kernels: cannot import {spec!r} (expected 'package.module:function', "
                f"importable or in the scenario's folder): {exc}"
            ) from None
        finally:
            if added:
                sys.path.remove(str(base))
        why = check_kernel(func, spec)
        if why:
            raise ScenarioError(f"behaviour.kernels: {why}")
        out.append(func)
    return out


def kernel_variables(kernels: Sequence[Callable]) -> dict[str, float]:
    """The custom particle variables the kernels declare (``K.variables = {name: initial}``)."""
    out: dict[str, float] = {}
    for k in kernels:
        for name, initial in (getattr(k, "variables", None) or {}).items():
            out[str(name)] = float(initial)
    return out


# ----------------------------------------------------------------------------- fast engine adapter
@njit(cache=True, error_model="numpy")
def _sample(F, times, toff, depth, lat, lon, axg, periodic, t, z, y, x, out):
    """Linear (XLinear) values of a (time, depth, lat, lon) field at points; NaN off the grid.
    ``F`` holds time slices ``toff..`` of ``times``."""
    at = (axg[0, 0], axg[0, 1], axg[0, 2])
    for n in range(t.size):
        ti, tau = _time_index(times, at, t[n])
        ti -= toff
        zi, fz = _find(depth, (axg[1, 0], axg[1, 1], axg[1, 2]), z[n])
        j, fy = _find(lat, (axg[2, 0], axg[2, 1], axg[2, 2]), y[n])
        i, fx = _find(lon, (axg[3, 0], axg[3, 1], axg[3, 2]), _lonwrap(x[n], lon, periodic))
        if zi < 0 or j < 0 or i < 0:
            out[n] = np.nan
        else:
            out[n] = _interp(F, ti, tau, zi, fz, j, fy, i, fx)


class _Field:
    """A field sampled by ``field[particles]`` or ``field[t, z, y, x(, particles)]``: ``names`` of the
    forcing's window (``-name``: its negative), or a static array."""

    def __init__(
        self, fs: KernelFieldSet, names: tuple[str, ...], kind: str, static: np.ndarray | None = None
    ):
        self._fs, self._names, self._kind, self._static = fs, names, kind, static

    def _arrays(self, t: np.ndarray) -> tuple[list[np.ndarray], np.ndarray, int]:
        if self._static is not None:
            return [self._static], np.zeros(1), 0
        ff = self._fs._ff
        view = ff.window.view(float(t.min()), float(t.max()), 0.0, reach=True) if t.size else None
        if view is None:
            return [], ff.times, 0
        arrays = [-view.fields[n[1:]] if n.startswith("-") else view.fields[n] for n in self._names]
        return arrays, ff.times, view.offset

    def __getitem__(self, key):
        if isinstance(key, KernelParticles):
            t, z, y, x = key.t, key.z, key.y, key.x
        else:
            t, z, y, x = key[:4]
        t, z, y, x = np.broadcast_arrays(*(np.atleast_1d(np.asarray(a, float)) for a in (t, z, y, x)))
        arrays, times, toff = self._arrays(t)
        vals = []
        fields: list[np.ndarray | None] = list(arrays) if arrays else [None] * len(self._names)
        for F in fields:
            out = np.empty(t.size)
            fs = self._fs
            if F is not None:
                _sample(F, times, toff, fs._ff.depth, fs._ff.lat, fs._ff.lon, fs._axg, fs._ff.periodic,
                        t.ravel(), z.ravel(), y.ravel(), x.ravel(), out)  # fmt: skip
            vals.append(out.reshape(t.shape))
        if self._kind == "vector":  # m/s → degrees/s on Parcels' sphere
            vals[0] = vals[0] / (PARCELS_DEG2M * np.cos(np.deg2rad(y)))
            vals[1] = vals[1] / PARCELS_DEG2M
            return tuple(vals)
        return vals[0]


class KernelFieldSet:
    """What a custom kernel's ``fieldset`` offers on the fast engine (fields by name, constants)."""

    def __init__(self, ff, core, seed: int):
        self._ff = ff
        self._axg = np.array(core.axes)
        self.U = _Field(self, ("u",), "scalar")
        self.V = _Field(self, ("v",), "scalar")
        self.UV = _Field(self, ("u", "v"), "vector")
        self.landmask = _Field(self, (), "scalar", static=np.ascontiguousarray(ff.mask[:1]))
        if ff.has_w:  # Parcels' W: positive down (the currents' w is upward)
            self.W = _Field(self, ("-w",), "scalar")
            self.UVW = _Field(self, ("u", "v", "-w"), "vector")
        self.deg2m = PARCELS_DEG2M
        self.rng = np.random.default_rng([seed, 20260102])


class KernelParticles:
    """The particles in the middle of a step, as arrays (see the module docstring)."""

    x: np.ndarray  # degrees east
    y: np.ndarray  # degrees north
    z: np.ndarray  # metres (depth)
    t: np.ndarray  # seconds since the forcing's first time

    def __init__(self, arrays: dict[str, np.ndarray]):
        self.__dict__.update(arrays)

    def arrays(self) -> dict[str, np.ndarray]:
        return dict(self.__dict__)


def run_kernels(kernels, fieldset: KernelFieldSet, state, scratch, variables: dict, t_end: float, dt0: float):
    """Run the custom kernels on the particles whose step is pending; write back what they changed."""
    idx = np.flatnonzero(scratch[3] & 4)
    if idx.size == 0:
        return
    sdx, sdy, sdz = scratch[0], scratch[1], scratch[2]
    three = state.z.size == state.x.size
    z = state.z[idx] if three else np.full(idx.size, float(fieldset._ff.depth[0]))
    arrays = {
        "x": state.x[idx], "y": state.y[idx], "z": z, "dx": sdx[idx], "dy": sdy[idx], "dz": sdz[idx],
        "dt": np.minimum(dt0, t_end - state.t[idx]), "t": state.t[idx], "age": state.age[idx],
        "particle_id": state.pid[idx],
    } | {name: arr[idx] for name, arr in variables.items()}  # fmt: skip
    particles = KernelParticles(arrays)
    for k in kernels:
        k(particles, fieldset)
    got = particles.arrays()
    state.x[idx], state.y[idx] = got["x"], got["y"]
    if three:
        state.z[idx] = got["z"]
    sdx[idx], sdy[idx], sdz[idx] = got["dx"], got["dy"], got["dz"]
    for name, arr in variables.items():
        arr[idx] = got[name]


def scratch(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The arrays that hold a step between its two compiled halves: dx, dy, dz, flags."""
    return np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n, np.int8)
