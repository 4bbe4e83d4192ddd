"""Limits checked when a scenario is read, before any data is opened.

A scenario can be well-formed key by key and still describe a run that never ends
(``dt: 1e-6 seconds``), that overflows the engines' counters, or whose dates cannot be
represented. :func:`check_limits` refuses those with the numbers and what to change.
"""

from __future__ import annotations

from datetime import datetime

from .errors import ScenarioError
from .units import format_duration

__all__ = [
    "check_limits",
    "stepping_problem",
    "events_problem",
    "particle_count",
    "output_bytes",
    "MAX_STEPS_PER_PARTICLE",
    "MAX_PARTICLE_STEPS",
    "MAX_PARTICLES",
    "FAST_STEPS_PER_SECOND",
]

#: time steps one particle may take (the engines count them in 32-bit integers; 10^7 steps of
#: 1 s are 116 days: no ocean current needs a finer step than that)
MAX_STEPS_PER_PARTICLE = 10_000_000
#: particle-steps of one run: about a day of the fast engine on two cores
MAX_PARTICLE_STEPS = 10**12
#: particles of one run (particle numbers are stored as 32-bit integers)
MAX_PARTICLES = 2**31 - 1
#: fast-engine throughput on two cores (docs/benchmarks.md), for the time estimate in messages
FAST_STEPS_PER_SECOND = 1e7
#: release events of one scenario (every/until)
MAX_EVENTS = 100_000
#: the dates numpy holds in nanoseconds, which the engines and outputs use
FIRST_DATE = datetime(1678, 1, 1)
LAST_DATE = datetime(2262, 1, 1)


def stepping_problem(duration: float, dt: float, output_every: float, checkpoint_every: float | None) -> str:
    """What is wrong with a time stepping that would track particles for the wrong time ('' if nothing).

    A run steps each particle by ``dt`` and stops it at ``duration``; when ``duration`` or the
    output interval is not a whole number of steps, particles are tracked up to a step too long.
    """
    if dt > duration or output_every > duration:
        which, value = ("dt", dt) if dt > duration else ("output_every", output_every)
        return (
            f"{which} ({format_duration(value)}) is longer than the duration ({format_duration(duration)}): "
            "the run would end before its first " + ("step" if which == "dt" else "output")
        )
    for name, amount, unit, size in (
        ("output_every", output_every, "dt", dt),
        ("duration", duration, "dt", dt),
        ("checkpoint_every", checkpoint_every, "output_every", output_every),
    ):
        if amount is None:
            continue
        ratio = amount / size
        if abs(ratio - round(ratio)) > 1e-9 * max(ratio, 1.0):
            return (
                f"{name} ({format_duration(amount)}) must be a whole number of {unit} ({format_duration(size)}), "
                "so every particle is tracked for exactly the same time"
            )
    return ""


def events_problem(start: datetime, until: datetime, every: float) -> str:
    """What is wrong with a release every ``every`` seconds from ``start`` to ``until`` ('' if nothing)."""
    if every <= 0:
        return f"'every' must be positive, got {format_duration(every)}"
    count = (until - start).total_seconds() // every + 1
    if count > MAX_EVENTS:
        return (
            f"every {format_duration(every)} from {start} until {until} is {count:,.0f} release events, "
            f"more than {MAX_EVENTS:,}; release less often"
        )
    return ""


def particle_count(scenario) -> int:
    """Particles the scenario releases over all events (known before any data is opened)."""
    rel = scenario.release
    events = len(rel.event_times())
    points = len(rel.points) if rel.points is not None else 1
    return rel.per_event() * events * points


#: bytes per stored track point in trajectories.nc: lon, lat as float32 (an upper bound: they are
#: zlib-compressed; the time axis is shared by all tracks)
TRACK_FILE_BYTES_PER_POINT = 8
#: tables, maps, report and the currents snapshot of a run, besides the tracks
OUTPUT_BASE_BYTES = 5e6


def output_bytes(scenario) -> float:
    """About how much disk a run's outputs take: its stored tracks plus tables, maps and report."""
    sim = scenario.simulation
    events = scenario.release.event_times()
    span = (events[-1] - events[0]).total_seconds() + sim.duration
    n = particle_count(scenario)
    mode = sim.trajectories
    stored = n if mode == "all" else 0 if mode == "none" else min(int(mode), n)
    return stored * (span / sim.output_every + 1) * TRACK_FILE_BYTES_PER_POINT + OUTPUT_BASE_BYTES


def _hours(seconds: float) -> str:
    if seconds < 3600:
        return f"{seconds / 60:.0f} minutes"
    if seconds < 3 * 86400:
        return f"{seconds / 3600:.0f} hours"
    return f"{seconds / 86400:.0f} days"


def check_limits(scenario, origin: str = "scenario") -> None:
    """Refuse a scenario whose run cannot be done: too many steps or particles, dates out of range.

    Raises
    ------
    ScenarioError
        Naming the numbers found, the limit, and what to change.
    """
    sim, rel = scenario.simulation, scenario.release
    events = rel.event_times()
    first, last = events[0], events[-1]
    if first < FIRST_DATE:
        raise ScenarioError(
            f"{origin}: release.start {first} is before {FIRST_DATE:%Y}, too early to represent"
        )
    end_s = (last - FIRST_DATE).total_seconds() + sim.duration
    if end_s > (LAST_DATE - FIRST_DATE).total_seconds():
        raise ScenarioError(
            f"{origin}: the run ends after {LAST_DATE:%Y} (last release {last} + simulation.duration "
            f"{format_duration(sim.duration)}), beyond the dates marinenet can represent"
        )
    for t in events[1:]:
        ratio = (t - first).total_seconds() / sim.dt
        if abs(ratio - round(ratio)) > 1e-9 * max(ratio, 1.0):
            raise ScenarioError(
                f"{origin}: release at {t} is {format_duration((t - first).total_seconds())} after the first "
                f"release ({first}), not a whole number of time steps dt ({format_duration(sim.dt)}); "
                "particles released between steps would be tracked for longer than simulation.duration. "
                "Move the release dates onto the dt grid, or choose a dt that divides the gaps"
            )
    n = particle_count(scenario)
    if n > MAX_PARTICLES:
        raise ScenarioError(
            f"{origin}: the scenario releases {n:,} particles, more than one run can hold ({MAX_PARTICLES:,}); "
            "run fewer particles per event, or split the release dates over an ensemble (marinenet ensemble)"
        )
    steps = sim.duration / sim.dt
    if steps > MAX_STEPS_PER_PARTICLE:
        raise ScenarioError(
            f"{origin}: simulation.duration {format_duration(sim.duration)} with dt {format_duration(sim.dt)} "
            f"is {steps:,.0f} time steps per particle, more than {MAX_STEPS_PER_PARTICLE:,}; a dt of "
            "10 minutes to 1 hour suits most ocean currents (a step should move a particle less than a grid cell)"
        )
    total = steps * n
    if total > MAX_PARTICLE_STEPS:
        raise ScenarioError(
            f"{origin}: {n:,} particles × {steps:,.0f} steps = {total:.3g} particle-steps, more than "
            f"{MAX_PARTICLE_STEPS:.0e} (about {_hours(total / FAST_STEPS_PER_SECOND)} of tracking at "
            f"{FAST_STEPS_PER_SECOND:.0e} steps/s); release fewer particles, use a longer dt, or a shorter duration"
        )
