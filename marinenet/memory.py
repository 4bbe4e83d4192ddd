"""What a run will hold in memory and how many steps it will take, said and checked before the work.

Three checks, each refusing with exit code 2 and advice rather than dying hours later:

* :func:`check_budget` before anything is loaded: the particles the scenario asks for (per
  event × events × points) and the steps per particle, against a lower bound of the memory
  they need — 10^9 particles are refused at once instead of after a minute and 6 GB;
* :func:`check_fits` before the currents are loaded (what is held at once must fit: the fast
  engine streams them, a few time slices at a time);
* :func:`run_estimate` before tracking: the peak of the whole run, from the memory the process
  holds now (measured) plus what tracking, the analyses and the report will add.

The per-particle figures are measured with ``scripts/bench_memory.py`` (peak RSS of the demo at
10^5, 10^6 and 10^7 particles under ``/usr/bin/time -v``; docs/benchmarks.md).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

from .errors import InputDataError, ScenarioError

__all__ = ["available_bytes", "check_budget", "check_fits", "human", "run_estimate", "Estimate"]

log = logging.getLogger(__name__)

#: tracking, per particle: engine state, per-output temporaries, the run's end arrays
ENGINE_BYTES = {"fast": 230, "parcels": 1100}
#: the fast engine streams the currents (marinenet.engine.forcing): it holds its window, the slices
#: read ahead and the window's copy for the stepper (time slices, at most), and one chunk of the
#: files being read (the reader's CHUNK_BYTES for each of u, v and the converted copy)
STREAM_SLICES = 12
STREAM_WINDOW_BYTES = 3 * 32e6  # small slices: the window, read-ahead and copy of forcing.WINDOW_BYTES
STREAM_CHUNK_BYTES = 4 * 16e6
#: the fast engine streams each extra field (wind, waves, temperature ...: marinenet.engine.extra_window)
#: through a window of WINDOW_SLICES slices or EXTRA_WINDOW_BYTES; it holds about EXTRA_COPIES windows'
#: worth: the window, the slices read ahead, the stepper's copy and the one it replaces, the reads'
#: temporaries (measured: scripts/bench_scale.py forcing --wind, tracemalloc of the windows)
EXTRA_WINDOW_SLICES = 4
EXTRA_WINDOW_BYTES = 8e6
EXTRA_COPIES = 6
#: and, when it streams a field, the buffers of reading it by time slices: the netCDF/HDF5 chunk
#: caches of its variables and dask's (measured: +170 MB of RSS beyond the windows for u10, v10)
EXTRA_READ_BYTES = 170e6
#: the Parcels engine holds its time levels as float64 u, v and the land mask broadcast over time
#: (Parcels' rolling window when the currents are streamed, all of them when they are small)
PARCELS_FORCING_FACTOR = 3.0
#: streamed analytics, per layer: each particle's zone and time there (STREAM_BYTES_PER_PARTICLE), and
#: per (particle, zone) cell visited a 16-byte hash-table slot at a load between 3/8 and 3/4, with the
#: sorted copy the tables read (STREAM_BYTES_PER_CELL); a particle is taken to visit
#: min(zones, VISITS_PER_PARTICLE) zones of each layer (not every zone: nothing is held per zone; the
#: 30-day demo visits 1.1–1.2 zones per particle and layer, a random walk over 0.1° cells ~5 in a day)
STREAM_BYTES_PER_PARTICLE = 8
STREAM_BYTES_PER_CELL = 48
VISITS_PER_PARTICLE = 2
#: the connectivity tables: per (source, destination) pair of a matrix (every pair has a row) the dense
#: count, the tidy row with its labels, its interval and their merge; a matrix of more pairs than the
#: scenario's ``outputs: all_pairs_limit`` holds its non-zero pairs only, at most one per particle
PAIR_BYTES = 400
#: stored tracks held by the engine: lon and lat (float64) per stored position (+ depth in 3-D); none when
#: the fast engine writes them to trajectories.nc as it runs (``tracks_written``): then, per stored track,
#: one output time's columns being written (lon, lat float64, their float32 copies, the NaN fill)
TRACK_BYTES_PER_POINT = 16
TRACK_WRITE_BYTES = 40
#: analyses after tracking: the libraries and buffers of the output writers (OUTPUT_BYTES), per
#: particle its status label and sources (ANALYSIS_BYTES), per matrix the weighted destination
#: rows, their joins and the bootstrap's sparse weights (MATRIX_BYTES), and per zone pair PAIR_BYTES
OUTPUT_BYTES = 190e6
ANALYSIS_BYTES = 45
MATRIX_BYTES = 80
#: drawing the maps and the report: the plotting libraries and figures (REPORT_BYTES), the tracks read
#: back from trajectories.nc — lon and lat float32 per stored position (REPORT_BYTES_PER_POINT), per track
#: its number, release and end times, status, last position and coast contacts (REPORT_BYTES_PER_TRACK)
#: and its release label, read as fixed-width text (4 bytes per character of the longest label); the
#: density maps count positions a block at a time (maps.HISTOGRAM_BLOCK: a few tens of MB)
REPORT_BYTES = 500e6
REPORT_BYTES_PER_POINT = 8
REPORT_BYTES_PER_TRACK = 4 + 8 + 1 + 8 + 8 + 8 + 4
#: steps one particle may take (duration / dt): beyond this a run cannot finish in any useful time
MAX_STEPS_PER_PARTICLE = 10**7
#: refuse when the estimate exceeds this share of the memory the machine has free
FRACTION = 0.9


def available_bytes() -> int | None:
    """Memory this machine can still give (``MemAvailable``), or None where unknown."""
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def resident_bytes() -> int:
    """Memory this process holds now (resident set size); 0 where unknown."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def peak_resident_bytes() -> int:
    """The most memory this process has held so far (peak resident set size); 0 where unknown."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def log_usage(stage: str) -> None:
    """Log (run.log) the memory held now and the peak so far, as the run enters ``stage``: the measured
    peak of each stage, to hold against :func:`run_estimate`'s parts."""
    now, peak = resident_bytes(), peak_resident_bytes()
    if now:
        log.info("memory in use: %s, peak so far %s; next: %s", human(now), human(peak), stage)


def human(nbytes: float) -> str:
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if nbytes >= size:
            return f"{nbytes / size:.1f} {unit}"
    return f"{nbytes:.0f} B"


def check_fits(nbytes: float, what: str, advice: str, fraction: float = 0.8) -> None:
    """Log the size about to be loaded; refuse (InputDataError) when it exceeds ``fraction`` of free memory."""
    free = available_bytes()
    log.info("%s: %s to load%s", what, human(nbytes), f" ({human(free)} free)" if free else "")
    if free is not None and nbytes > fraction * free:
        raise InputDataError(
            f"{what} need {human(nbytes)} in memory, more than this machine has free ({human(free)}); {advice}"
        )


def _advice(n: int, parts: dict[str, float]) -> str:
    tips = {
        "stored tracks": "store fewer tracks (simulation.trajectories: 1000 — every table still uses all "
        "particles)",
        "tracking": "track the particles in batches on several processes (--workers N, or --scheduler)",
        "analyses": f"release fewer particles (release.particles; {n:,} now)",
        "streamed analytics": "use fewer or coarser zone layers, or fewer particles",
        "report": "skip the maps (--no-maps) and store fewer tracks",
    }
    ranked = sorted((k for k in parts if k in tips), key=lambda k: -parts[k])
    return "; or ".join(dict.fromkeys([tips[k] for k in ranked[:2]] + [tips["analyses"]]))


def check_budget(particles: int, steps: int, engine_hint: str = "fast") -> None:
    """Refuse a run whose particles or steps cannot fit or finish, before anything is loaded.

    ``particles`` is the total the scenario asks for; the bound uses the smallest memory a
    particle can take (fast engine, no zone layers, no tracks stored).
    """
    if steps > MAX_STEPS_PER_PARTICLE:
        raise ScenarioError(
            f"simulation: duration / dt gives {steps:,} time steps per particle (more than "
            f"{MAX_STEPS_PER_PARTICLE:,}); such a run would not finish. Use a longer dt (e.g. '1 hour')"
        )
    least = particles * max(ENGINE_BYTES["fast"], ANALYSIS_BYTES + MATRIX_BYTES)
    free = available_bytes()
    if free is not None and least > FRACTION * free:
        raise ScenarioError(
            f"release: {particles:,} particles need at least {human(least)} of memory, more than this "
            f"machine has free ({human(free)}); release fewer particles (release.particles), or run "
            "the release dates as an ensemble of smaller runs (marinenet ensemble)"
        )


@dataclass
class Estimate:
    """The peak memory of a run, in parts (bytes), and the memory free when it was made."""

    parts: dict[str, float]
    now: float
    free: int | None

    @property
    def peak(self) -> float:
        p = self.parts
        shared = self.now + p["forcing held by the engine"] + p["streamed analytics"] + p["stored tracks"]
        shared += p.get("extra fields held by the engine", 0.0)
        return shared + max(p["tracking"], p["analyses"], p["report"])


def _forcing_held(forcing_bytes: float, slices: int, engine: str) -> float:
    """What the engine holds of the currents: a window of slices (fast), all of them (Parcels)."""
    per_slice = float(forcing_bytes) / max(int(slices), 1)
    window = min(
        float(forcing_bytes), max(per_slice * STREAM_SLICES, STREAM_WINDOW_BYTES) + STREAM_CHUNK_BYTES
    )
    return window if engine == "fast" else PARCELS_FORCING_FACTOR * window


def _pairs_held(zones: int, particles: int, all_pairs_limit: int | None) -> int:
    """(source, destination) pairs a matrix of a layer of ``zones`` labels holds: every pair of the
    sources that can release × zones and outcomes, or its non-zero pairs above the limit."""
    every = min(zones, particles) * (zones + 4)
    if all_pairs_limit is not None and zones * (zones + 2) > all_pairs_limit:  # + stranded, out_of_domain
        return min(every, particles)
    return every
def _extra_held(fields: list[tuple[float, int, int]], engine: str) -> float:
    """What the engine holds of the extra fields (wind, waves, temperature ...), each given as (bytes
    in float64, time slices, bytes per value as the fast engine holds it): a window of each on the fast
    engine (:mod:`marinenet.engine.extra_window`, as the currents); on Parcels the window spans the
    particles' times (a release season), bounded by twice the whole field as held (slices and view)."""
    if engine != "fast":
        return float(sum(2.0 * b * size / 8.0 for b, _, size in fields))
    held = 0.0
    for f64, slices, size in fields:
        whole = f64 * size / 8.0
        window = max(whole / max(int(slices), 1) * EXTRA_WINDOW_SLICES, EXTRA_WINDOW_BYTES)
        held += whole if whole <= EXTRA_COPIES * window else EXTRA_COPIES * window + EXTRA_READ_BYTES
    return held


def run_estimate(
    forcing_bytes: float,
    particles: int,
    engine: str,
    zones: list[int],
    stored: int,
    outputs: int,
    matrices: int | None = None,
    maps: bool = True,
    three_d: bool = False,
    refuse: bool = True,
    forcing_slices: int = 1,
    all_pairs_limit: int | None = None,
    extra_fields: list[tuple[float, int, int]] | None = None,
    tracks_written: bool = False,
    label_chars: int = 16,
) -> Estimate:
    """The peak memory of a run about to be tracked; InputDataError when it cannot fit.

    Parameters
    ----------
    forcing_bytes, forcing_slices
        The currents of the run's window (as in the files) and their time slices: the fast engine
        holds a few slices (:data:`STREAM_SLICES`), the Parcels engine all of them.
    zones
        Per zone layer, its number of zones including the outside label.
    matrices
        Connectivity matrices the analyses build (default one per layer).
    all_pairs_limit
        ``outputs: all_pairs_limit``: a layer's matrices of more pairs hold their non-zero pairs only
        (at most one per particle); None: every pair of every matrix.
    extra_fields
        The behaviours' extra fields (:func:`marinenet.ocean.extra.footprints`): (bytes in float64,
        time slices, bytes per value held) each; the fast engine holds a window of each.
    tracks_written
        The engine writes the stored tracks to trajectories.nc as it runs (the fast engine in this
        process without checkpoints) instead of holding them until the end.
    label_chars
        The longest release label (read back as fixed-width text for the report).
    """
    n = int(particles)
    point = TRACK_BYTES_PER_POINT + (8 if three_d else 0)
    read_point = REPORT_BYTES_PER_POINT + (4 if three_d else 0)
    read_track = REPORT_BYTES_PER_TRACK + 4 * label_chars
    n_mat = len(zones) if matrices is None else matrices
    cells = sum(min(z, VISITS_PER_PARTICLE) for z in zones)  # per particle
    # every (source, destination) pair of each layer's matrices: sources that can release × zones and outcomes
    pairs = sum(_pairs_held(z, n, all_pairs_limit) for z in zones) * max(n_mat, 1) / max(len(zones), 1)
    parts = {
        "forcing held by the engine": _forcing_held(forcing_bytes, forcing_slices, engine),
        "extra fields held by the engine": _extra_held(extra_fields or [], engine),
        "streamed analytics": float(
            n * (STREAM_BYTES_PER_PARTICLE * len(zones) + STREAM_BYTES_PER_CELL * cells)
        ),
        "stored tracks": 0.0 if tracks_written else float(stored) * outputs * point,
        "tracking": float(n * ENGINE_BYTES.get(engine, ENGINE_BYTES["parcels"]))
        + (float(stored) * TRACK_WRITE_BYTES if tracks_written else 0.0),
        "analyses": OUTPUT_BYTES + n * (ANALYSIS_BYTES + MATRIX_BYTES * max(n_mat, 1)) + PAIR_BYTES * pairs,
        "report": (REPORT_BYTES + float(stored) * (outputs * read_point + read_track)) if maps else 0.0,
    }
    est = Estimate(parts, float(resident_bytes()), available_bytes())
    detail = ", ".join(f"{k} {human(v)}" for k, v in parts.items() if v)
    free = f"; {human(est.free)} free" if est.free is not None else ""
    now = human(est.now)
    log.info("memory needed: about %s at the peak (%s in use now; %s)%s", human(est.peak), now, detail, free)
    extra = est.peak - est.now
    if refuse and est.free is not None and extra > FRACTION * est.free:
        raise InputDataError(
            f"this run needs about {human(est.peak)} of memory at its peak ({detail}), {human(extra)} more "
            f"than this process holds now, and this machine has {human(est.free)} free. Nothing was "
            f"tracked. To make it fit: {_advice(n, parts)}"
        )
    return est
