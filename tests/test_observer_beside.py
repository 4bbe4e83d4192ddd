"""The fast engine shows each step to the observer in a worker thread while it moves the next one
(engine/observing.py): the observer must see exactly what it saw inline, in order, with arrays that
the engine does not change afterwards; its errors must reach the caller."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import marinenet.engine.fast_engine as fe
from marinenet.engine import run_engine
from marinenet.engine.observing import Beside

from .test_particle_order import _request


class _Recorder:
    """Keeps every array it is shown as given (no copy: an array the engine later reused would show)."""

    def __init__(self):
        self.calls, self.threads = [], set()

    def released(self, idx, lon, lat):
        self.calls.append(("released", idx.copy(), lon.copy(), lat.copy()))

    def stepped(self, idx, lon, lat, dt, age, weight):
        self.threads.add(threading.get_ident())
        self.calls.append(("stepped", idx, lon, lat, dt, age, weight))


class _Inline:
    """What the engine did before: the observer called in the engine's thread."""

    def __init__(self, observer):
        self.stepped = observer.stepped

    def wait(self):
        pass

    def close(self, finish=True):
        pass


def _same_calls(a, b):
    assert len(a) == len(b)
    for ca, cb in zip(a, b, strict=True):
        assert ca[0] == cb[0]
        for x, y in zip(ca[1:], cb[1:], strict=True):
            if x is None or y is None:
                assert x is None and y is None
            else:
                np.testing.assert_array_equal(x, y)
                assert x.dtype == y.dtype


@pytest.mark.parametrize("threads", [1, 2])
def test_observer_beside_the_stepper_sees_what_it_saw_inline(monkeypatch, threads):
    req = _request(True, threads=threads)
    beside = _Recorder()
    tr = run_engine("fast", req, observer=beside)
    assert beside.threads and threading.get_ident() not in beside.threads  # observed in the worker
    monkeypatch.setattr(fe, "Beside", _Inline)
    inline = _Recorder()
    tr_inline = run_engine("fast", req, observer=inline)
    assert inline.threads == {threading.get_ident()}
    _same_calls(beside.calls, inline.calls)
    np.testing.assert_array_equal(tr.lon, tr_inline.lon)
    np.testing.assert_array_equal(tr.status, tr_inline.status)
    # every step seen once, in step order: the particles' step counts and their ages rise by dt
    steps = np.zeros(req.lon.size, int)
    last_age = np.zeros(req.lon.size)
    for call in beside.calls[1:]:
        idx, dt, age = call[1], call[4], call[5]
        steps[idx] += 1
        np.testing.assert_allclose(age - last_age[idx], dt, atol=1e-6)
        last_age[idx] = age
    assert steps.sum() == tr.particle_steps


class _Failing(_Recorder):
    def stepped(self, idx, lon, lat, dt, age, weight):
        super().stepped(idx, lon, lat, dt, age, weight)
        if len(self.calls) == 5:
            raise RuntimeError("observer failed at its 4th step")


def test_an_observer_error_stops_the_run_with_that_error():
    obs = _Failing()
    with pytest.raises(RuntimeError, match="4th step"):
        run_engine("fast", _request(False, threads=1), observer=obs)
    assert len(obs.calls) == 5  # no step after the failing one was shown to it
    assert not [t for t in threading.enumerate() if t.name.startswith("marinenet-observer")]


def test_beside_runs_calls_in_order_one_at_a_time_and_waits_for_them():
    seen, running = [], []

    class Slow:
        def stepped(self, idx, *rest):
            running.append(1)
            assert len(running) == 1  # never two at once
            threading.Event().wait(0.01)
            seen.append(int(idx[0]))
            running.pop()

    b = Beside(Slow())
    for k in range(6):
        b.stepped(np.array([k]), *(np.zeros(1),) * 4, None)
    b.wait()
    assert seen == list(range(6))
    b.close()
