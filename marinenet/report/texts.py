"""The words of the report that depend on what the run is: description, fates, caveats, definitions."""

from __future__ import annotations

from pathlib import PurePath

import numpy as np

from .facts import OUTCOME_WORDS, RunFacts, pct

__all__ = ["describe_run", "fates_sentence", "caveats", "definitions", "source_name", "noun"]

_NOUN = {"passive": "particles", "larva": "larvae", "swimmer": "swimmers"}
_ONE = {"particles": "particle", "larvae": "larva", "swimmers": "swimmer"}


def noun(kind: str, n: float = 2) -> str:
    """'particles' / 'larvae' / 'swimmers' (singular for one)."""
    plural = _NOUN.get(kind, "particles")
    return _ONE[plural] if n == 1 else plural


def source_name(source) -> str:
    """A data source as the reader should see it: a file name, never a local folder path."""
    text = str(source)
    if "://" in text:
        return text
    return PurePath(text).name or text


def _when(times: list) -> str:
    fmt = [str(t)[:16].replace("T", " ").removesuffix(" 00:00") for t in times]
    if len(times) == 1:
        return f"on {fmt[0]}"
    steps = np.diff(np.array(times, dtype="datetime64[m]")).astype("timedelta64[m]").astype(float)
    if np.allclose(steps, steps[0]):
        step_days = steps[0] / 1440.0
        if step_days == 7:
            every = "weekly"
        elif step_days == 1:
            every = "daily"
        else:
            every = f"every {step_days:g} days"
        return f"in {len(times)} {every} releases from {fmt[0]} to {fmt[-1]}"
    return f"in {len(times)} releases between {fmt[0]} and {fmt[-1]}"


def _where(release: dict) -> str:
    frm = release.get("from") or {}
    if isinstance(frm, list):
        return f"{len(frm)} release areas"
    if frm.get("points"):
        k = len(frm["points"])
        return "one point" if k == 1 else f"{k} points"
    ids = frm.get("ids")
    if ids:
        return f"zone{'s' if len(ids) > 1 else ''} {', '.join(map(str, ids))} of layer '{frm.get('layer')}'"
    return f"every zone of layer '{frm.get('layer')}'"


def _days(duration) -> str:
    """A larval age as readers compare them: in days ('196 days', not '28 weeks'; '36 hours' stays)."""
    from ..units import parse_duration

    try:
        days = parse_duration(duration) / 86400.0
    except (TypeError, ValueError):
        return str(duration)
    return f"{days:g} day{'s' if days != 1 else ''}" if days >= 1 and days == round(days) else str(duration)


def _behaviour(f: RunFacts) -> str:
    b, kind = f.behaviour, f.kind
    if kind == "larva":
        text = f"Each larva drifted for at most its pelagic larval duration of {_days(b.get('pld'))}"
        if b.get("competency"):
            text += f", could settle between ages {_days(b['competency'][0])} and {_days(b['competency'][1])}"
        if (b.get("settle_in") or {}).get("layer"):
            text += f" in layer '{b['settle_in']['layer']}'"
        if b.get("mortality"):
            text += f", and died at a rate of {b['mortality']}"
        return text + "."
    sim = (f.scenario.get("simulation") or {}).get("duration", "")
    if kind == "swimmer":
        target = b.get("target") or {}
        ids = target.get("ids") or []
        where = (
            f"zone{'s' if len(ids) > 1 else ''} {', '.join(ids)} of layer '{target.get('layer')}'"
            if target.get("ids")
            else (f"layer '{target['layer']}'" if target.get("layer") else f"the point {target.get('point')}")
        )
        return f"Each swimmer swam at {b.get('speed')} m/s towards {where} for up to {sim}, carried by the currents."
    return f"Each particle drifted passively with the currents for {sim}."


def describe_run(f: RunFacts) -> str:
    frm = _where(f.scenario.get("release") or {})
    ocean = f.scenario.get("ocean") or {}
    currents = (
        "the synthetic demo currents"
        if f.synthetic or ocean.get("source") == "demo"
        else f"currents from {source_name(ocean.get('source'))}"
    )
    were = "was" if f.released == 1 else "were"
    text = f"{f.released:,} {noun(f.kind, f.released)} {were} released from {frm} {_when(f.release_times)}. "
    text += _behaviour(f)
    depth = (f.scenario.get("release") or {}).get("depth") or 0
    three_d = " in 3-D" if ocean.get("three_d") else ""
    level = f" from {depth:g} m depth" if depth else " at the surface"
    kh = float(f.behaviour.get("diffusion") or 0)
    turb = f", with sub-grid turbulence (Kh = {kh:g} m²/s)" if kh > 0 else ""
    return text + f" They were tracked{three_d}{level} in {currents}{turb}."


def _singular(words: str) -> str:
    return words.replace("were ", "was ", 1).replace("their ", "its ")


def fates_sentence(f: RunFacts) -> str:
    n = f.released
    parts = [
        f"{f.count(key):,} {_singular(words) if f.count(key) == 1 else words} ({pct(f.count(key) / n)})"
        for key, words in OUTCOME_WORDS.items()
        if f.count(key) > 0 and n > 0
    ]
    if not parts:
        return f"{n:,} {noun(f.kind, n)} released; none has a recorded fate."
    head = f"Of the {n:,} {noun(f.kind, n)} released, "
    body = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return head + body + "."


#: how maps of real data are drawn (one sentence of the caveats)
_MAP_WORDS = (
    "On the maps, land and coastline are Natural Earth (1:50m); the model's own land cells, which "
    "particles cannot enter, are drawn in a paler shade, and areas outside the model domain are "
    "grey and cross-hatched (no currents there: not sea)."
)

_COAST = {
    "stop": "A particle whose next step would reach land stops at its last wet position and is counted as "
    "stranded; it does not drift on.",
    "previous": "A particle whose next step would reach land stays at its last wet position and drifts on.",
    "slip": "At the coast particles stay in the water and feel the along-shore current (free slip).",
}


def caveats(f: RunFacts) -> list[str]:
    b, ocean = f.behaviour, f.scenario.get("ocean") or {}
    out = []
    if f.synthetic:
        out.append("All inputs are synthetic (built-in demo seascape): no conclusion applies to real waters.")
    else:
        out.append(
            f"Currents from {source_name(ocean.get('source'))}: eddies and fronts smaller than its grid "
            "are not resolved, and the results hold for the period of that data only. " + _MAP_WORDS
        )
    window = f.settlement_window
    if window is not None and window.message():
        text = window.message()
        out.append(f"Run length: {text}.")
    if f.kind == "passive":
        out.append("Particles drift passively with the currents: they do not swim, die or settle.")
    elif f.kind == "larva":
        out.append(
            "Larvae drift with the currents and have no swimming behaviour other than any vertical "
            "behaviour set in the scenario; mortality is one constant rate for all larvae."
        )
        if f.indices_basis != "recruitment":
            out.append(
                f"The zone indices table of this larva run is {f.indices_basis}: it says where larvae were "
                "(alive or dead) at the end, not where they settled. The findings use the settlement table."
            )
    elif f.kind == "swimmer":
        out.append(
            f"Swimmers move at a fixed {b.get('speed')} m/s towards their target (heading persistence "
            f"{b.get('persistence')}, turning noise {b.get('turn_sd')}°) on top of the currents."
        )
    kh = float(b.get("diffusion") or 0)
    if kh <= 0:
        out.append(
            "No sub-grid turbulence is modelled (diffusion 0): particles follow the resolved currents only, "
            "which underestimates how far they spread."
        )
    out.append(_COAST.get(ocean.get("coast", "stop"), _COAST["stop"]))
    dt = (f.scenario.get("simulation") or {}).get("dt")
    if dt:
        out.append(
            f"Arrival times, time in zones and visits are checked at every time step ({dt}): arrivals are "
            "late by less than one step, and a zone crossed within a single step is missed."
        )
    out.append(
        "A particle that leaves the current grid is counted as 'out of domain'; where it went next is unknown."
    )
    if not ocean.get("three_d"):
        out.append("Particles stay at one depth level (2-D): vertical currents and mixing are ignored.")
    if len(f.release_times) == 1:
        out.append("One release date: connectivity changes with season and year; this is one sample of it.")
    out.append(
        "The 95 % intervals reflect the number of particles only, not errors in the currents or in the "
        "zone boundaries."
    )
    out += [
        f"Layer '{k}' is under-sampled: release more particles before drawing conclusions."
        for k in f.under_sampled
    ]
    return out


_DEFINITIONS = {
    "local_retention": (
        "Local retention",
        "of the particles released in a zone, the share that ended in that same zone at the end of the run.",
        "of the larvae released in a zone, the share that settled back in that zone (dead and lost larvae "
        "count in the total).",
    ),
    "self_recruitment": (
        "Self-recruitment",
        "of the particles ending in a zone, the share that had been released in that zone.",
        "of the larvae settling in a zone, the share that had been released in that zone.",
    ),
    "import_dependency": (
        "Import dependency",
        "1 − self-recruitment: the share of a zone's arrivals that came from other zones. 0 = self-supplied, "
        "1 = everything comes from elsewhere.",
        "1 − self-recruitment: the share of a zone's settlers that came from other zones.",
    ),
    "abnj_dependency": (
        "ABNJ dependency",
        "the share of a zone's arrivals that were released on the high seas (areas beyond national "
        "jurisdiction).",
        "the share of a zone's settlers that were released on the high seas.",
    ),
    "export_share": (
        "Export share",
        "of the particles released in a zone, the share that ended in other zones.",
        "of the larvae released in a zone, the share that settled in other zones.",
    ),
    "betweenness": (
        "Betweenness",
        "how many of the most probable multi-step routes between zones pass through a zone (0–1): a "
        "high value marks a stepping stone.",
        "how many of the most probable multi-step routes between zones pass through a zone (0–1).",
    ),
}


def definitions(f: RunFacts) -> list[tuple[str, str]]:
    idx = f.run.indices.get(f.main) if f.main else None
    cols = set(idx.columns) if idx is not None else set()
    rec = f.indices_basis == "recruitment"
    out = [
        (term, rec_text if rec else text)
        for col, (term, text, rec_text) in _DEFINITIONS.items()
        if col in cols
    ]
    out.append(
        (
            "95 % interval",
            "the range that holds the true share with 95 % probability given the number of particles "
            "released; narrow with many particles, wide with few.",
        )
    )
    if f.kind == "larva":
        out.append(("Settled", "a competent larva that reached its habitat and stopped there."))
    return out
