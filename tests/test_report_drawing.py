"""The report's figures drawn in worker processes: same files, same notes, same order as one by one."""

from __future__ import annotations

import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from marinenet.report.drawing import default_workers, draw_figures  # noqa: E402


def _png(path, seed):
    def job(notes):
        rng = np.random.default_rng(seed)
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.plot(rng.normal(size=50).cumsum())
        ax.set_title(f"figure {seed}")
        fig.savefig(path, dpi=60)
        plt.close(fig)
        notes.append(f"pid {os.getpid()}")
        return path

    return job


def _failing(notes):
    notes.append("not drawn: nothing to show")
    return None


def test_parallel_figures_are_the_files_sequential_drawing_makes(tmp_path):
    (tmp_path / "seq").mkdir()
    (tmp_path / "par").mkdir()
    seq = draw_figures([_png(tmp_path / "seq" / f"{i}.png", i) for i in range(3)] + [_failing], workers=1)
    par = draw_figures([_png(tmp_path / "par" / f"{i}.png", i) for i in range(3)] + [_failing], workers=2)
    for i in range(3):
        assert (tmp_path / "seq" / f"{i}.png").read_bytes() == (tmp_path / "par" / f"{i}.png").read_bytes()
    assert [p.name if p else None for p, _ in par] == ["0.png", "1.png", "2.png", None]
    assert par[3][1] == seq[3][1] == ["not drawn: nothing to show"]
    # one by one: in this process; in parallel: in other processes
    assert {n for _, notes in seq[:3] for n in notes} == {f"pid {os.getpid()}"}
    assert f"pid {os.getpid()}" not in {n for _, notes in par[:3] for n in notes}


def test_default_workers_never_more_than_figures_or_cpus():
    assert default_workers(1) == 1
    assert 1 <= default_workers(50) <= min(4, os.cpu_count() or 1)


def test_meanwhile_runs_in_this_process_and_its_error_comes_once_the_figures_are_drawn(tmp_path):
    import pytest

    for workers in (1, 2):
        seen: list[int] = []
        out = tmp_path / str(workers)
        out.mkdir()
        done = draw_figures(
            [_png(out / f"{i}.png", i) for i in range(2)],
            workers=workers,
            meanwhile=lambda seen=seen: seen.append(os.getpid()),
        )
        assert seen == [os.getpid()] and [p.name for p, _ in done] == ["0.png", "1.png"]

        def boom():
            raise ValueError("findings failed")

        with pytest.raises(ValueError, match="findings failed"):
            draw_figures([_png(out / f"late{i}.png", i) for i in range(2)], workers=workers, meanwhile=boom)
        assert (out / "late0.png").exists() and (out / "late1.png").exists()  # drawn all the same, once
