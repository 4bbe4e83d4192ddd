"""The demo seascape kept on disk (marinenet.demo.diskcache): what is read back is what is computed."""

from __future__ import annotations

import numpy as np

from marinenet.demo import diskcache
from marinenet.demo.currents import demo_currents
from marinenet.demo.zones import demo_layer

START, END = np.datetime64("2021-03-01T00:00"), np.datetime64("2021-03-02T00:00")


def _compute_currents():
    return demo_currents.__wrapped__(START, END)  # the function itself, no cache


def test_cached_currents_are_the_computed_ones(tmp_path, monkeypatch):
    monkeypatch.setenv("MARINENET_DEMO_CACHE", str(tmp_path))
    first = demo_currents(START, END)
    assert len(list(tmp_path.glob("demo_currents-*.pkl"))) == 1
    again = demo_currents(START, END)  # from the file
    assert again.identical(_compute_currents()) and first.identical(again)
    assert again is not first  # a fresh copy: a caller changing it changes nothing for the next


def test_cached_layer_is_the_computed_one(tmp_path, monkeypatch):
    monkeypatch.setenv("MARINENET_DEMO_CACHE", str(tmp_path))
    uncached = demo_layer.__wrapped__.__wrapped__  # below functools.cache and the disk cache
    stored = demo_layer.__wrapped__("ebsa")  # computes and stores
    read = demo_layer.__wrapped__("ebsa")  # reads the file
    fresh = uncached("ebsa")
    assert read.drop(columns="geometry").equals(fresh.drop(columns="geometry"))
    assert read.geometry.to_wkb().equals(fresh.geometry.to_wkb())  # bit for bit
    assert stored.geometry.to_wkb().equals(read.geometry.to_wkb())


def test_a_damaged_cache_file_is_computed_again(tmp_path, monkeypatch):
    monkeypatch.setenv("MARINENET_DEMO_CACHE", str(tmp_path))
    demo_currents(START, END)
    (path,) = tmp_path.glob("demo_currents-*.pkl")
    path.write_bytes(b"not a pickle")
    assert demo_currents(START, END).identical(_compute_currents())
    assert path.read_bytes() != b"not a pickle"  # rewritten


def test_other_arguments_other_entries(tmp_path, monkeypatch):
    monkeypatch.setenv("MARINENET_DEMO_CACHE", str(tmp_path))
    a = demo_currents(START, END)
    b = demo_currents(START + np.timedelta64(1, "D"), END + np.timedelta64(1, "D"))
    assert len(list(tmp_path.glob("demo_currents-*.pkl"))) == 2
    assert not a["time"].equals(b["time"])


def test_an_unwritable_cache_is_ignored(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("MARINENET_DEMO_CACHE", str(blocker / "demo"))  # a folder that cannot be made
    assert demo_currents(START, END).identical(_compute_currents())
    assert diskcache.cache_dir() == blocker / "demo"
