"""The fast engine's generated stepper (engine/_fast_compose.py): it holds only the behaviours a run
uses, and it moves particles in blocks whose size and make-up change no result."""

from __future__ import annotations

import dataclasses

import numpy as np

from marinenet.behaviour import coast, diffusion, mortality
from marinenet.engine import EngineRequest, run_engine
from marinenet.engine import fast_engine as fe
from marinenet.engine._fast_compose import source

from .test_particle_order import START, _ocean, _request, _same


def _forms(req: EngineRequest) -> list[type]:
    ff = fe.fast_fields(req)
    try:
        return [type(f) for f in fe.parameters(req, ff).behaviours]
    finally:
        ff.close()


def test_runs_of_the_common_behaviours_get_a_stepper_of_those_only():
    """Passive, diffusing and larval runs (the demo, most studies) share one stepper of the random walk, the
    coast rule and the larval life, in the registry's order; a run with any other behaviour gets every
    registered one. Two steppers to compile at most, whatever the mix of runs."""
    from marinenet.behaviour import swim
    from marinenet.behaviour.registry import behaviours

    common = [diffusion.Params, coast.Params, mortality.Params]
    req = _request(False, threads=1, diffusion=0.0)
    assert _forms(req) == common
    assert _forms(dataclasses.replace(req, diffusion=5.0)) == common
    larva = dataclasses.replace(req, behaviours=(mortality.params(2 * 86400.0, 1e-6),))
    assert _forms(larva) == common
    swimmer = dataclasses.replace(req, behaviours=(swim.OFF._replace(on=1.0),))
    every = [b.Params for b in behaviours() if getattr(b, "fast_step", None) is not None]
    assert len(every) > 3 and _forms(swimmer) == every
    text = source([(coast.Params, coast.fast_step)])
    assert text.count("import fast_step as _step") == 1 and "_step1" not in text


def test_a_particle_steps_the_same_whatever_block_and_threads_move_it():
    """1,000 particles (blocks of several particles, the last one short) on one and two threads, handed
    back every step or not, against the first 300 alone (blocks of one): the same bits for each particle,
    with diffusion and coast contacts."""
    rng = np.random.default_rng(5)
    n = 1000
    x, y = rng.uniform(-5, 4.45, n), rng.uniform(37, 43, n)
    base = EngineRequest(_ocean(), x, y, START, 2 * 86400.0, 3600.0, 6 * 3600.0, seed=3, diffusion=20.0,
                         coast="previous", threads=1)  # fmt: skip
    alone = run_engine("fast", dataclasses.replace(base, lon=x[:300], lat=y[:300]))
    for threads in (1, 2):
        whole = run_engine("fast", dataclasses.replace(base, threads=threads))
        for name in ("lon", "lat", "status", "end_lon", "end_lat", "coast_contacts"):
            np.testing.assert_array_equal(getattr(whole, name)[:300], getattr(alone, name), err_msg=name)
        stepwise = run_engine("fast", dataclasses.replace(base, threads=threads), observer=_Count(n))
        _same(whole, stepwise)
    assert (alone.coast_contacts > 0).any() and np.ptp(alone.end_lon) > 1.0


class _Count:
    """An observer: makes the engine hand back after every step."""

    def __init__(self, n):
        self.steps = np.zeros(n, int)

    def released(self, idx, lon, lat):
        pass

    def stepped(self, idx, lon, lat, dt, age, weight):
        self.steps[idx] += 1
