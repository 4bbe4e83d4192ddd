"""Bad-input corpus, part 3: track CSVs, command-line arguments, output folders, machine failures.

Track cases go through ``marinenet tracks`` with a two-zone layer; run cases use a tiny
scenario (20 particles, 2 days) so each run takes a second or two once compiled.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import xarray as xr

from .bad_input import (
    QUICK_BASE,
    assert_accepted,
    assert_refused,
    box,
    cli,
    currents,
    feature,
    geojson,
    mutated,
    write_yaml,
)

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli")
    currents(d / "cur.nc", land_east_of=6.0)
    geojson(d / "zones.geojson", [feature("A", box(-10, -10, 4, 10)), feature("B", box(4, -10, 20, 10))])
    scenario = mutated(
        QUICK_BASE,
        {
            "ocean": {"source": str(d / "cur.nc")},
            "zones": {"zones": {"path": str(d / "zones.geojson"), "id": "name"}},
            "release.from": {"layer": "zones", "ids": ["A"]},
            "release.particles": 20,
        },
    )
    write_yaml(d / "s.yaml", scenario)
    return d


# ------------------------------------------------------------------ track CSVs
def _tracks(tmp_path, data, rows, *options, columns=("id", "time", "lon", "lat")):
    f = tmp_path / "t.csv"
    pd.DataFrame(rows, columns=list(columns)).to_csv(f, index=False)
    out = tmp_path / "out"
    return cli("tracks", f, "--zones", data / "zones.geojson", "--id", "name", "--out", out, *options), f, out


def _days(out: Path) -> float:
    return float(pd.read_csv(out / "time_in_zone.csv")["days"].sum())


def test_day_first_dates_proven_by_the_file_give_the_right_duration(tmp_path, data):
    """30/03 can only be day/month: a 2.25-day track (before: read month-first, 59 days)."""
    rows = [("x", "30/03/2021 00:00", 1.0, 1.0), ("x", "01/04/2021 06:00", 2.0, 1.0)]
    res, _, out = _tracks(tmp_path, data, rows)
    assert_accepted(res)
    assert _days(out) == pytest.approx(2.25)


@pytest.mark.parametrize(("option", "days"), [("--dayfirst", 2.25), ("--monthfirst", 59.25)])
def test_ambiguous_dates_are_read_as_told(tmp_path, data, option, days):
    rows = [("x", "01/04/2021 00:00", 1.0, 1.0), ("x", "03/04/2021 06:00", 2.0, 1.0)]
    res, _, out = _tracks(tmp_path, data, rows, option, "--max-speed", "1000")
    assert_accepted(res)
    assert _days(out) == pytest.approx(days)


TRACKS = [
    (
        [("x", "01/04/2021", 1, 1), ("x", "03/04/2021", 2, 1)],
        (),
        ["--dayfirst or --monthfirst", "'01/04/2021'"],
    ),
    ([("x", "25/04/2021", 1, 1), ("x", "04/26/2021", 2, 1)], (), ["mix day/month/year", "data row 2"]),
    ([("x", "01/04/2021", 1, 1), ("x", "04/26/2021", 2, 1)], ("--dayfirst",), ["--dayfirst, but data row 2"]),
    ([("x", "25/04/2021", 1, 1)], ("--monthfirst",), ["--monthfirst, but data row 1"]),
    (
        [("x", "2021-04-01", 1, 1), ("x", "next tuesday", 2, 1)],
        (),
        ["could not be read as dates", "'next tuesday'"],
    ),
    ([("x", "2021-04-01", 1, 1), ("x", "2021-04-02", 500, 1)], (), ["not degrees", "data row 2 (500, 1)"]),
    ([("x", "2021-04-01", 1, 1), ("x", "2021-04-02", 1, 100)], (), ["not degrees", "data row 2 (1, 100)"]),
    (
        [("x", "2021-04-01", 1, 1), ("x", "2021-04-02", "east", 1)],
        (),
        ["longitude value(s) are not numbers", "'east'"],
    ),
    (
        [("x", "2021-04-01", 1, 1), ("x", "2021-04-01", 2, 1)],
        (),
        ["two positions at the same time", "'x'", "--conflicting-fixes drop"],
    ),
    ([(None, "2021-04-01", 1, 1), ("x", "2021-04-02", 1, 1)], (), ["no individual id", "data row 1"]),
    ([("x", 1617235200, 1, 1), ("x", 1617321600, 2, 1)], (), ["time column holds numbers", "1617235200"]),
    ([("x", None, None, None)], (), ["no rows with a valid time"]),
    ([("x", "2021-04-01", 1, 1)], ("--max-speed", "-5"), ["--max-speed must be a positive speed", "-5"]),
    ([("x", "2021-04-01", 1, 1)], ("--max-speed", "0"), ["--max-speed must be a positive speed"]),
    ([("x", "2021-04-01", 1, 1)], ("--max-speed", "nan"), ["--max-speed must be a positive speed"]),
    ([("x", "2021-04-01", 1, 1)], ("--conflicting-fixes", "merge"), ["--conflicting-fixes must be"]),
    ([("x", "2021-04-01", 1, 1)], ("--format", "kml"), ["format"]),
]


@pytest.mark.parametrize(("rows", "options", "needles"), TRACKS, ids=[n[0] for _, _, n in TRACKS])
def test_bad_track_files(tmp_path, data, rows, options, needles):
    res, f, out = _tracks(tmp_path, data, rows, *options)
    assert_refused(res, *needles)
    assert not out.exists()


def test_conflicting_fixes_dropped_when_asked_and_exact_repeats_kept_once(tmp_path, data):
    rows = [("x", "2021-04-01", 1, 1), ("x", "2021-04-01", 1, 1), ("x", "2021-04-02", 2, 1)]
    res, _, out = _tracks(tmp_path, data, rows, "--max-speed", "100")
    assert_accepted(res)
    assert len(pd.read_csv(out / "tracks_clean.csv")) == 2
    rows = [
        ("x", "2021-04-01", 1, 1),
        ("x", "2021-04-01", 1.5, 1),
        ("x", "2021-04-02", 2, 1),
        ("x", "2021-04-03", 3, 1),
    ]
    res, _, out = _tracks(tmp_path, data, rows, "--conflicting-fixes", "drop", "--max-speed", "100")
    assert_accepted(res)
    assert len(pd.read_csv(out / "tracks_clean.csv")) == 2


def test_unreadable_track_files(tmp_path, data):
    zones = ["--zones", data / "zones.geojson", "--id", "name", "--out", tmp_path / "o"]
    assert_refused(cli("tracks", tmp_path / "none.csv", *zones), "none.csv not found")
    for name, content in (
        ("empty.csv", b""),
        ("bin.csv", bytes(range(256))),
        ("latin.csv", "id,time\nç,1".encode("latin-1")),
    ):
        (tmp_path / name).write_bytes(content)
        assert_refused(cli("tracks", tmp_path / name, *zones), name)
    (tmp_path / "cols.csv").write_text("who,when,x,y\na,2021-01-01,1,1\n")
    assert_refused(cli("tracks", tmp_path / "cols.csv", *zones), "generic columns", "--time-column")
    (tmp_path / "head.csv").write_text("id,time,lon,lat\n")
    assert_refused(cli("tracks", tmp_path / "head.csv", *zones), "no rows with a valid time")


@pytest.mark.parametrize(
    ("ring", "needle"), [(box(500, 0, 504, 4), "longitude 500..504"), (box(1000, 0, 1004, 4), "not degrees")]
)
def test_tracks_refuse_zones_beyond_degrees(tmp_path, data, ring, needle):
    """Before: a polygon at lon 500 was moved to 140°E, one at 1000 dropped, without a word."""
    z = geojson(tmp_path / "far.geojson", [feature("A", box(0, 0, 4, 4)), feature("F", ring)])
    (tmp_path / "t.csv").write_text("id,time,lon,lat\nx,2021-01-01,1,1\nx,2021-01-02,1.1,1\n")
    res = cli("tracks", tmp_path / "t.csv", "--zones", z, "--id", "name", "--out", tmp_path / "o")
    assert_refused(res, str(z), needle)


def test_tracks_from_0_360_longitudes_are_wrapped(tmp_path, data):
    """Valid unusual input: 358°E is 2°W (zone A), 2°E stays in A, 5°E is in B."""
    rows = [("x", "2021-04-01", 358.0, 1.0), ("x", "2021-04-02", 2.0, 1.0), ("x", "2021-04-03", 5.0, 1.0)]
    res, _, out = _tracks(tmp_path, data, rows, "--max-speed", "100")
    assert_accepted(res)
    first = pd.read_csv(out / "first_entry.csv")
    assert first["zone"].tolist() == ["A", "B"]


# ------------------------------------------------------------------ command-line arguments and output folders
def test_bad_command_lines(tmp_path, data):
    s = data / "s.yaml"
    assert_refused(cli("run"), "give a scenario file, or --resume")
    assert_refused(cli("run", s, "--resume", tmp_path), "not both")
    assert_refused(cli("run", s, "--workers", "0", "--out", tmp_path / "w"), "--workers must be at least 1")
    assert_refused(cli("run", "--resume", tmp_path / "never"), "no checkpoint to resume")
    assert_refused(
        cli("ensemble", s, "--starts", "spring,autumn", "--out", tmp_path / "e"), "--starts", "spring"
    )
    assert_refused(cli("report", tmp_path), str(tmp_path))
    (tmp_path / "x.txt").write_text("hello")
    assert_refused(cli("info", tmp_path / "x.txt"), "cannot read ocean data", "x.txt")
    assert_refused(cli("validate", s, "--no-such-option"))
    assert_refused(cli("fetch", "cmems"), "needs --product")


def test_output_folder_problems(tmp_path, data):
    s = data / "s.yaml"
    (tmp_path / "afile").write_text("mine")
    assert_refused(cli("run", "-q", "--no-maps", s, "--out", tmp_path / "afile"), "afile is a file")
    assert_refused(
        cli("run", "-q", "--no-maps", s, "--out", tmp_path / "afile" / "sub"), "afile", "is a file"
    )
    (tmp_path / "thesis").mkdir()
    (tmp_path / "thesis" / "thesis.docx").write_text("years of work")
    assert_refused(cli("run", "-q", "--no-maps", s, "--out", tmp_path / "thesis"), "not empty")
    assert (tmp_path / "thesis" / "thesis.docx").read_text() == "years of work"
    assert (tmp_path / "afile").read_text() == "mine"


def test_an_output_under_a_file_is_refused_at_validate(tmp_path, data):
    (tmp_path / "afile").write_text("mine")
    s = write_yaml(
        tmp_path / "s.yaml", mutated(write_yaml_data(data), {"output": str(tmp_path / "afile" / "run")})
    )
    assert_refused(cli("validate", s), "cannot be made", "afile is a file")
    assert (tmp_path / "afile").read_text() == "mine"


def test_unwritable_output_folder(tmp_path, data, monkeypatch):
    """Running as root, permissions cannot be taken away here: the first folder made is refused instead."""

    def denied(self, *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "mkdir", denied)
    res = cli("run", "-q", "--no-maps", data / "s.yaml", "--out", tmp_path / "locked" / "out")
    assert_refused(res, "Permission denied", "locked")


def test_disk_full_while_writing_keeps_the_previous_output(tmp_path, data, monkeypatch):
    out = tmp_path / "out"
    assert_accepted(cli("run", "-q", "--no-maps", data / "s.yaml", "--out", out))
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def full(self, path=None, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(xr.Dataset, "to_netcdf", full)
    res = cli("run", "-q", "--no-maps", data / "s.yaml", "--out", out)
    assert_refused(res, "disk full", "previous output there is untouched")
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no staging folder left behind


def test_too_little_disk_is_refused_before_tracking(tmp_path, data, monkeypatch):
    import shutil
    from collections import namedtuple

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda p: usage(10**9, 10**9 - 5 * 10**6, 5 * 10**6))
    res = cli("run", "-q", "--no-maps", data / "s.yaml", "--out", tmp_path / "o")
    assert_refused(res, "not enough disk space", "5.0 MB free")
    assert not (tmp_path / "o").exists()


@pytest.mark.skipif(os.geteuid() != 0 or sys.platform != "linux", reason="mounting a small disk needs root")
def test_a_really_full_disk(tmp_path, data):
    """A 120 kB tmpfs. The CLI refuses before tracking (too little disk); a run forced through the
    Python API fails writing its outputs with the libraries' own errors (ENOSPC, GDAL, netCDF), which
    :func:`user_error` reports as a full disk; nothing is left on the disk either way."""
    import marinenet
    from marinenet.failures import user_error

    small = tmp_path / "small"
    small.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=120k", "tmpfs", str(small)]).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        res = cli("run", "-q", data / "s.yaml", "--out", small / "o")
        assert_refused(res, "not enough disk space for the outputs", "0.1 MB free")
        sc = marinenet.load_scenario(data / "s.yaml")
        with pytest.raises(Exception) as failure:
            marinenet.run(sc, out=small / "o", maps=False)
        translated = user_error(failure.value, small / "o")
        assert translated is not None and "disk full" in str(translated), repr(failure.value)
        assert list(small.iterdir()) == []
    finally:
        subprocess.run(["umount", str(small)])


def test_out_of_memory_is_a_message(tmp_path, data):
    """A real MemoryError: 5·10^7 particles (they would fit in the machine, so the up-front estimate lets them through) in a process limited to 2.5 GB of address space."""
    s = write_yaml(tmp_path / "big.yaml", mutated(write_yaml_data(data), {"release.particles": 50_000_000}))
    code = (
        "import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (2_500_000_000, resource.RLIM_INFINITY));"
        f"sys.argv = ['marinenet', 'validate', {str(s)!r}]; from marinenet.cli import main; main()"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr and "out of memory" in proc.stderr and "--workers" in proc.stderr


def write_yaml_data(data: Path) -> dict:
    import yaml

    return yaml.safe_load((data / "s.yaml").read_text())


def test_resume_with_a_checkpoint_of_another_particle_count(tmp_path, data):
    import json

    import marinenet

    sc = marinenet.scenario_from_dict(
        mutated(
            write_yaml_data(data),
            {"simulation.checkpoint_every": "1 day", "simulation.output_every": "1 day"},
        )
    )
    out = tmp_path / "out"

    def stop(done, total):
        if done >= 86400:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        marinenet.run(sc, out=out, progress=stop, maps=False)
    saved = next(tmp_path.glob(".out.checkpoint")) / "scenario.json"
    edited = json.loads(saved.read_text())
    edited["release"]["particles"] = 30
    saved.write_text(json.dumps(edited))
    res = cli("run", "-q", "--no-maps", "--resume", out)
    assert_refused(res, "cannot resume", "particles released: 20 at the checkpoint, 30 now")


# ------------------------------------------------------------------ messages keep their brackets
def test_bracketed_values_survive_in_messages(tmp_path, data):
    """Before: rich markup ate '[8.0, 2.0]' and '[, ...]' from messages."""
    s = write_yaml(
        tmp_path / "p.yaml", mutated(write_yaml_data(data), {"release.from": {"points": [[8.0, 2.0]]}})
    )
    assert_refused(cli("validate", s), "release.from.points [[8.0, 2.0]] are on land")
    f = write_yaml(tmp_path / "q.yaml", mutated(QUICK_BASE, {"release.from": {}}))
    assert_refused(cli("validate", "--quick", f), "'points: [[lon, lat], ...]'")


def test_a_folder_without_write_permission_is_refused_before_the_run(tmp_path, data, monkeypatch):
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != tmp_path)
    res = cli("run", "-q", "--no-maps", data / "s.yaml", "--out", tmp_path / "out")
    assert_refused(res, "no write permission in", str(tmp_path))
    assert not (tmp_path / "out").exists()
