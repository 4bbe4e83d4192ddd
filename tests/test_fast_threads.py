"""The threads of the fast engine (engine/_threads.py): every particle is moved by exactly one thread,
whatever the thread count, the particle count and whether the run goes step by step."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from marinenet.engine import EngineRequest, _threads, run_engine
from marinenet.engine import fast_engine as fe

from .test_particle_order import START, _ocean

HOUR = 3600.0


@pytest.mark.parametrize("threads", [1, 2, 3, 4])
@pytest.mark.parametrize("n", [1, 2, 5, 1001])
def test_each_particle_of_a_call_goes_to_exactly_one_thread(threads, n):
    """The chunks handed to the threads are contiguous slices of the call's list that cover it once, of
    equal sizes (±1), one per thread for short lists (fewer when there are fewer particles), moved by
    at most ``threads`` threads (which thread takes which chunk: test_a_thread_slowed_down_...)."""
    idx = np.random.default_rng(n).permutation(n).astype(np.int64)
    seen: list[tuple[int, np.ndarray, float]] = []

    def record(head, part, tail):
        seen.append((threading.get_ident(), part.copy(), tail))

    _threads.run(record, ("head",), idx, (0.5,), threads)
    parts = [p for _, p, _ in seen]
    assert len(parts) == min(threads, n)
    assert all(t == 0.5 for _, _, t in seen)
    np.testing.assert_array_equal(np.sort(np.concatenate(parts)), np.arange(n))
    sizes = sorted(p.size for p in parts)
    assert sizes[-1] - sizes[0] <= 1
    starts = sorted(int(np.flatnonzero(idx == p[0])[0]) for p in parts)
    for p, s in zip(sorted(parts, key=lambda p: int(np.flatnonzero(idx == p[0])[0])), starts, strict=True):
        np.testing.assert_array_equal(p, idx[s : s + p.size])  # a contiguous slice of the list
    assert len({who for who, _, _ in seen}) <= len(parts)


def test_an_error_in_a_worker_thread_is_raised_after_every_part_is_done():
    done = []

    def move(part):
        if part[0] != 0:
            raise ValueError("worker failed")
        threading.Event().wait(0.05)  # the caller's own part finishes last
        done.append(part[0])

    with pytest.raises(ValueError, match="worker failed"):
        _threads.run(move, (), np.arange(10), (), 2)
    assert done == [0]


def _state(n: int, threads: int):
    """``n`` particles released hourly in index order over 7 h on the test flow (no diffusion: the step
    count has a closed form), the stepper on ``threads`` threads."""
    rng = np.random.default_rng(3)
    x, y = rng.uniform(-5, 3.5, n), rng.uniform(37, 43, n)
    release = START + (np.arange(n) * 8 // n) * np.timedelta64(1, "h")
    req = EngineRequest(_ocean(3), x, y, START, 30 * HOUR, HOUR, 6 * HOUR, seed=2, release_time=release,
                        coast="previous")  # fmt: skip
    ff = fe.fast_fields(req)
    prm = fe.parameters(req, ff)
    prm.threads = threads
    return fe.new_state(req, ff), ff, prm, (release - START) / np.timedelta64(1, "s")


@pytest.mark.parametrize("n", [7, 1001])
def test_every_particle_makes_its_closed_form_steps_on_any_number_of_threads(n):
    """Each particle tracked 30 h from its release (hourly releases over 8 h) makes 30 steps of an hour and
    ends at release + 30 h, on 1, 2 and 3 threads, moved to the end at once or in one call per hour (as
    a run with an observer, the calls' lists growing with the releases): a part skipped would show in
    the counts or the times, and the positions are the same bits in every case."""
    ends, start = {}, None
    for threads in (1, 2, 3):
        for stepwise in (False, True):
            state, ff, prm, t0 = _state(n, threads)
            try:
                end = t0.max() + 30 * HOUR
                stops = np.arange(1, end // HOUR + 1) * HOUR if stepwise else [end]
                order = fe.Order(ff.lon, ff.lat, ff.periodic)
                start = state.x.copy()
                for t_end in stops:
                    fe.advance(state, ff, prm, float(t_end), order=order)
            finally:
                ff.close()
            np.testing.assert_array_equal(state.nstep, 30)
            np.testing.assert_array_equal(state.t, t0 + 30 * HOUR)
            np.testing.assert_array_equal(state.age, 30 * HOUR)
            assert np.isin(state.status, [0, fe.Status.FINISHED]).all()
            ends[threads, stepwise] = (state.x, state.y)
    first = ends[1, False]
    assert (first[0] != start).all()  # they moved
    for key, (x, y) in ends.items():
        np.testing.assert_array_equal(x, first[0], err_msg=str(key))
        np.testing.assert_array_equal(y, first[1], err_msg=str(key))


def test_the_note_names_the_threads_the_run_used():
    """``threads`` is kept within the cores numba sees (NUMBA_NUM_THREADS), and the note says what was used."""
    import numba

    rng = np.random.default_rng(1)
    base = dict(ocean=_ocean(2), lon=rng.uniform(-5, 3, 50), lat=rng.uniform(37, 43, 50), start=START,
                duration=3 * HOUR, dt=HOUR, output_every=HOUR)  # fmt: skip
    most = numba.config.NUMBA_NUM_THREADS
    for asked, used in ((1, 1), (None, most), (most + 5, most)):
        tr = run_engine("fast", EngineRequest(**base, threads=asked))
        assert f"fast engine: {used} thread(s)" in tr.notes


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_custom_kernels_between_the_compiled_halves_on_any_number_of_threads(threads, monkeypatch):
    """Python kernels run between the two compiled halves of every step (phases 1 and 2, each split
    between the threads): in a still ocean 0.01° east per step, 12 steps: x = x0 + 12 · 0.01 for each of
    7 particles, whatever the thread count (no particle skipped in either half)."""
    from . import custom_kernels as ck
    from .test_behaviour_plugins import T0, _still

    monkeypatch.setattr(fe, "PARTICLES_PER_THREAD", 1)  # the threads asked for, at any size
    monkeypatch.setattr(_threads, "available", lambda requested: requested)  # 3 threads on 2 cores too
    x0 = np.linspace(-1.0, 1.5, 7)
    req = EngineRequest(_still(), x0, np.zeros(7), T0, 12 * HOUR, HOUR, 4 * HOUR, threads=threads,
                        kernels=[ck.EastwardStep])  # fmt: skip
    tr = run_engine("fast", req)
    assert f"fast engine: {threads} thread(s)" in tr.notes
    np.testing.assert_allclose(tr.end_lon, x0 + 12 * ck.STEP_DEG, rtol=0, atol=1e-12)
    np.testing.assert_allclose(tr.lon[:, 1], x0 + 4 * ck.STEP_DEG, rtol=0, atol=1e-12)
    assert tr.particle_steps == 7 * 12


@pytest.mark.parametrize("threads, n", [(2, 100_000), (3, 50_001), (2, 9_000), (4, 4_095)])
def test_a_long_list_is_cut_into_chunks_that_cover_it_once_in_order(threads, n):
    """Chunks: contiguous, in order, equal (±1), together the whole list; several per thread where each
    keeps at least MIN_CHUNK particles, one per thread otherwise."""
    spans = _threads.parts(n, threads)
    assert spans[0][0] == 0 and spans[-1][1] == n
    assert all(b == c for (_, b), (c, _) in zip(spans, spans[1:], strict=False))
    sizes = [b - a for a, b in spans]
    assert max(sizes) - min(sizes) <= 1
    want = min(threads * _threads.CHUNKS_PER_THREAD, n // _threads.MIN_CHUNK)
    assert len(spans) == max(threads, want)


def test_a_thread_slowed_down_takes_fewer_chunks(monkeypatch):
    """The calling thread takes 30 ms a chunk, the worker 1 ms: the worker does most of the chunks
    (with one equal part per thread each would do half, and the call would take the slow thread's time)."""
    monkeypatch.setattr(_threads, "MIN_CHUNK", 1)
    main = threading.get_ident()
    done: dict[str, list[np.ndarray]] = {"main": [], "worker": []}

    def move(part):
        here = threading.get_ident() == main
        threading.Event().wait(0.03 if here else 0.001)
        done["main" if here else "worker"].append(part.copy())

    _threads.run(move, (), np.arange(160), (), 2)
    np.testing.assert_array_equal(np.sort(np.concatenate(done["main"] + done["worker"])), np.arange(160))
    assert len(done["main"]) + len(done["worker"]) == 2 * _threads.CHUNKS_PER_THREAD
    assert len(done["main"]) < len(done["worker"])
