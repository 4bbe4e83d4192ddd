"""The findings of a run, typed: what both ``report.html`` and ``brief.pdf`` say, made in one place.

:func:`make_findings` reads a run's tables (via :class:`~marinenet.report.build.RunFiles`) and
returns a :class:`Findings`: a paragraph saying what was run, plain-language findings that each
carry their sample size and 95 % interval, the caveats that apply to this scenario, the
definitions of the indices shown, and notes about anything that could not be made. Rules:

* a value that is undefined (no particles) is left out, never printed as ``nan``;
* no superlative ("most", "fastest") rests on fewer than :data:`MIN_RANK` particles or on an
  interval that overlaps the runner-up's — the finding then says "too few particles to rank" (or
  "too close to rank" when the intervals overlap);
* the high seas as one node touching every zone is never called a stepping stone.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .facts import OUTCOMES, RunFacts, interval, pct
from .texts import caveats, definitions, describe_run, fates_sentence, noun

__all__ = ["Finding", "Findings", "make_findings", "MIN_RANK", "headline_findings"]

log = logging.getLogger("marinenet")

#: fewest particles a ranking or superlative may rest on
MIN_RANK = 30


@dataclass(frozen=True)
class Finding:
    """One statement, with the numbers it rests on."""

    topic: str
    text: str
    n: int | None = None  # particles the main number rests on
    value: float | None = None
    low: float | None = None  # 95 % interval of ``value``
    high: float | None = None


@dataclass
class Findings:
    """Everything the report and the brief say in words about one run."""

    kind: str  # passive | larva | swimmer
    synthetic: bool
    description: str  # what was run, one paragraph
    findings: list[Finding] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # under-sampling
    caveats: list[str] = field(default_factory=list)
    definitions: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what could not be made, and why
    sources: list[str] = field(default_factory=list)  # credits of the data shown (forcing, zones)

    def texts(self) -> list[str]:
        return [f.text for f in self.findings]


@dataclass(frozen=True)
class _Ranked:
    name: str
    value: float
    low: float
    high: float
    n: int


def _decisive(items: list[_Ranked], largest: bool = True) -> bool:
    """The first item may be called the largest (smallest): enough particles, no overlap with the next."""
    if not items or items[0].n < MIN_RANK:
        return False
    if len(items) == 1:
        return True
    top, second = items[0], items[1]
    return top.low > second.high if largest else top.high < second.low


def _unranked(items: list[_Ranked], what: str = "the zones") -> str:
    """Why ``items`` cannot be ranked, in words: too few particles, or intervals that overlap."""
    if not items or items[0].n < MIN_RANK:
        return f"too few particles to rank {what}"
    return f"too close to rank {what}: the 95 % intervals of the largest overlap"


def _iv(low: float, high: float) -> str:
    return f"95 % interval {pct(low)} to {pct(high)}"


# ---------------------------------------------------------------- individual findings


def _fates(f: RunFacts) -> list[Finding]:
    return [Finding("fates", fates_sentence(f), n=f.released)]


def _settlement(f: RunFacts) -> list[Finding]:
    if f.kind != "larva":
        return []
    n, k = f.released, f.count("settled")
    lo, hi = interval(k, n)
    window = f.settlement_window
    why = f" — {window.message()}" if window is not None and window.case in ("none", "cut") else ""
    out = [
        Finding(
            "settlement",
            f"{k:,} of {n:,} larvae settled ({pct(k / n)}, {_iv(lo, hi)}){why}.",
            n=n,
            value=k / n,
            low=lo,
            high=hi,
        )
    ]
    table = f.settlement_table
    if table is None or k == 0:
        return out
    by_zone = table[~table["destination"].isin(OUTCOMES | f.outside_labels)]
    by_zone = by_zone.groupby("destination")["count"].sum().sort_values(ascending=False)
    by_zone = by_zone[by_zone > 0]
    if len(by_zone) == 0:
        return out
    total = float(by_zone.sum())
    items = [_Ranked(z, c / total, *interval(c, total), int(total)) for z, c in by_zone.items()]
    top = items[0]
    if len(items) == 1:
        out.append(Finding("settlement", f"All settlers settled in {top.name}.", n=int(total)))
    elif _decisive(items):
        out.append(
            Finding(
                "settlement",
                f"Most settlers settled in {top.name}: {pct(top.value)} of {int(total):,} "
                f"({_iv(top.low, top.high)}).",
                n=int(total),
                value=top.value,
                low=top.low,
                high=top.high,
            )
        )
    else:
        listed = ", ".join(f"{r.name} {int(round(r.value * total)):,}" for r in items[:5])
        out.append(
            Finding(
                "settlement",
                f"Settlers by zone: {listed} (of {int(total):,}); {_unranked(items)}.",
                n=int(total),
            )
        )
    return out


def _none_could_settle(f: RunFacts) -> bool:
    """A larva run that ended before competency: settlement findings per zone would only repeat 0 %."""
    return f.settlement_window is not None and f.settlement_window.none_can_settle


def _swimmers(f: RunFacts) -> list[Finding]:
    if f.kind != "swimmer":
        return []
    n, k = f.released, f.count("arrived")
    lo, hi = interval(k, n)
    out = [
        Finding(
            "arrival",
            f"{k:,} of {n:,} swimmers reached their target ({pct(k / n)}, {_iv(lo, hi)}).",
            n=n,
            value=k / n,
            low=lo,
            high=hi,
        )
    ]
    days = f.days_to_arrive()
    if days.size:
        p10, med, p90 = np.percentile(days, [10, 50, 90])
        sample = "" if f.all_tracks_stored else f" (from the {days.size:,} stored tracks that arrived)"
        out.append(
            Finding(
                "arrival",
                f"Those that arrived took a median of {med:.1f} days (10–90 % of them: {p10:.1f}–{p90:.1f} "
                f"days){sample}.",
                n=int(days.size),
                value=float(med),
            )
        )
    return out


def _flows(f: RunFacts, most: int = 4) -> list[Finding]:
    """Where the particles of the largest release zones went: stayed, other zones, the largest other zone."""
    larva = f.kind == "larva" and f.settlement_table is not None
    table = f.settlement_table if larva else f.connectivity
    if table is None or (larva and _none_could_settle(f)):
        return []
    places = OUTCOMES | f.outside_labels | {f.high_seas}
    sizes = table.groupby("source")["count"].sum().sort_values(ascending=False)
    sizes = sizes[(sizes > 0) & ~sizes.index.isin(places)]
    out = []
    for src, n in sizes.head(most).items():
        rows = table[(table["source"] == src) & ~table["destination"].isin(places)]
        own = float(rows.loc[rows["destination"] == src, "count"].sum())
        other = rows[(rows["destination"] != src) & (rows["count"] > 0)].sort_values("count", ascending=False)
        k_other = float(other["count"].sum())
        verb = "settled" if larva else "were"
        where = "" if larva else " at the end"
        lo, hi = interval(own, n)
        text = (
            f"Of the {int(n):,} {noun(f.kind, n)} released in {src}, {pct(own / n)} "
            f"({_iv(lo, hi)}) {verb} in {src}{where} and {pct(k_other / n)} "
            f"({_iv(*interval(k_other, n))}) in other zones"
        )
        ranked = [  # ranked on the particles that reached other zones: n = their number
            _Ranked(r["destination"], r["count"] / n, *interval(r["count"], n), int(k_other))
            for _, r in other.iterrows()
        ]
        if len(ranked) > 1 and _decisive(ranked):
            t = ranked[0]
            text += f", most in {t.name}: {pct(t.value)} ({_iv(t.low, t.high)})"
        elif len(ranked) == 1:
            text += f" (all in {ranked[0].name})"
        elif len(ranked) > 1:
            text += f" ({len(ranked)} zones; {_unranked(ranked, 'them')})"
        out.append(Finding("flows", text + ".", n=int(n), value=own / n, low=lo, high=hi))
    if len(sizes) > most:
        out.append(
            Finding("flows", f"{len(sizes) - most} smaller release zones: see the connectivity table.")
        )
    return out


def _high_seas(f: RunFacts) -> list[Finding]:
    larva = f.kind == "larva" and f.settlement_table is not None
    hs, table = f.high_seas, (f.settlement_table if larva else f.connectivity)
    if hs is None or table is None:
        return []
    rows = table[table["source"] == hs]
    n = int(round(rows["count"].sum()))
    if n == 0:
        return []
    zones = rows[~rows["destination"].isin(OUTCOMES | f.outside_labels | {hs})]
    k = float(zones["count"].sum())
    lo, hi = interval(k, n)
    text = (
        f"Of the {n:,} {noun(f.kind, n)} released on the high seas ({hs}), {pct(k / n)} ({_iv(lo, hi)}) "
        f"{'settled' if larva else f.end_verb} inside a zone of '{f.main}'"
    )
    ranked = [  # ranked on the particles that reached a zone: n = their number
        _Ranked(r["destination"], r["count"] / n, *interval(r["count"], n), int(k))
        for _, r in zones.sort_values("count", ascending=False).iterrows()
        if r["count"] > 0
    ]
    if len(ranked) == 1:
        text += f" (all in {ranked[0].name})."
    elif ranked and _decisive(ranked):
        t = ranked[0]
        text += f"; the largest share went to {t.name}: {pct(t.value)} ({_iv(t.low, t.high)})."
    elif len(ranked) > 1:
        top3 = ", ".join(f"{r.name} {pct(r.value)}" for r in ranked[:3])
        text += f" (largest: {top3}); {_unranked(ranked)}."
    else:
        text += "."
    return [Finding("high seas", text, n=n, value=k / n, low=lo, high=hi)]


def _arrival_from_high_seas(f: RunFacts) -> list[Finding]:
    """How soon high-seas water reaches zones: compared only among zones reached by >= MIN_RANK particles."""
    hs, arr = f.high_seas, f.arrivals
    if hs is None or arr is None or f.released_from(hs) == 0:
        return []
    rows = arr[(arr["source"] == hs) & (arr["destination"] != hs) & (arr["n"] > 0)]
    rows = rows[~rows["destination"].isin(OUTCOMES | f.outside_labels)].sort_values("median_days")
    rows = rows[np.isfinite(rows["median_days"])]
    if len(rows) == 0:
        return []
    n_hs = f.released_from(hs)
    few = rows[rows["n"] < MIN_RANK]
    rows = rows[rows["n"] >= MIN_RANK]
    left = (
        f" {len(few)} zone{'s' if len(few) > 1 else ''} reached by fewer than {MIN_RANK} particles "
        f"({', '.join(map(str, few['destination'][:4]))}{' …' if len(few) > 4 else ''}) not compared."
        if len(few)
        else ""
    )
    if len(rows) == 0:
        text = f"Too few high-seas particles reached any zone to compare arrival times ({n_hs:,} released)."
        return [Finding("arrival", text + left, n=n_hs)]
    top = rows.iloc[0]
    desc = (
        f"{int(top['n']):,} of {n_hs:,} high-seas particles ({pct(top['n'] / n_hs)}) reached "
        f"{top['destination']}, after a median of {top['median_days']:.1f} days (10–90 %: "
        f"{top['p10_days']:.1f}–{top['p90_days']:.1f} days)"
    )
    if len(rows) > 1 and top["p90_days"] < rows.iloc[1]["median_days"]:
        text = f"High-seas water reached {top['destination']} first: " + desc + "."
    elif len(rows) > 1:
        text = (
            desc
            + f"; the arrival times of the {len(rows)} zones reached by {MIN_RANK} or more overlap too much to rank."
        )
    else:
        text = desc + "."
    return [Finding("arrival", text + left, n=int(top["n"]), value=float(top["median_days"]))]


def _zone_index(f: RunFacts, column: str, base: str, label: str, meaning: str, flip: bool) -> list[Finding]:
    """Which zone has the largest ``column`` (a share of ``base`` particles), if that can be said."""
    idx = f.zone_indices()
    if idx is None or column not in idx or base not in idx or _none_could_settle(f):
        return []
    ok = idx[(idx[base] > 0) & np.isfinite(idx[column])]
    if len(ok) < 2:
        return []
    items = []
    for zone, r in ok.iterrows():
        n = float(r[base])
        k = (1.0 - r[column]) * n if flip else r[column] * n
        lo, hi = interval(n - k, n) if flip else interval(k, n)
        items.append(_Ranked(str(zone), float(r[column]), lo, hi, int(round(n))))
    items.sort(key=lambda r: -r.value)
    top = items[0]
    if top.value <= 0:
        return [
            Finding(
                "indices",
                f"{label.capitalize()} is 0 % in every zone ({meaning}).",
                n=sum(r.n for r in items),
            )
        ]
    sampled = [r for r in items if r.n >= MIN_RANK]  # only zones with enough particles are ranked
    if len(sampled) >= 2 and _decisive(sampled):
        best = sampled[0]
        left = len(items) - len(sampled)
        among = f" of the {len(sampled)} zones with {MIN_RANK} or more particles" if left else ""
        text = (
            f"{best.name} has the highest {label}{among}: {pct(best.value)} ({_iv(best.low, best.high)}, "
            f"n = {best.n:,}) — {meaning}."
        )
        if left:
            text += f" {left} zone{'s' if left > 1 else ''} with fewer particles not ranked."
        return [Finding("indices", text, n=best.n, value=best.value, low=best.low, high=best.high)]
    listed = "; ".join(f"{r.name} {pct(r.value)} (n = {r.n:,})" for r in items[:4])
    more = f" and {len(items) - 4} more" if len(items) > 4 else ""
    return [
        Finding(
            "indices",
            f"{label.capitalize()} ({meaning}): {listed}{more}; {_unranked(sampled or items)}.",
            n=top.n,
        )
    ]


def _import_dependency(f: RunFacts) -> list[Finding]:
    if f.kind == "larva" and f.indices_basis != "recruitment":
        return []  # end-of-run positions of larvae say nothing about supply (the caveats say so)
    base = "arrivals" if f.indices_basis != "recruitment" else _first(f, ("settlers", "arrivals"))
    meaning = (
        "the share of its settlers that came from other zones"
        if f.indices_basis == "recruitment"
        else "the share of the particles ending there that were released elsewhere"
    )
    return _zone_index(f, "import_dependency", base, "import dependency", meaning, flip=True)


def _local_retention(f: RunFacts) -> list[Finding]:
    if f.kind == "larva" and f.indices_basis != "recruitment":
        return []
    meaning = (
        "the share of its larvae that settled back in it"
        if f.indices_basis == "recruitment"
        else "the share of its particles in it at the end of the run"
        + ("" if f.indices_basis == "end of run" else ", not from settlement")
    )
    return _zone_index(f, "local_retention", "released", "local retention", meaning, flip=False)


def _first(f: RunFacts, names: tuple[str, ...]) -> str:
    idx = f.zone_indices()
    return next((c for c in names if idx is not None and c in idx), names[-1])


def _stepping_stone(f: RunFacts) -> list[Finding]:
    idx = f.zone_indices()
    if idx is None or "betweenness" not in idx:
        return []
    ok = idx[np.isfinite(idx["betweenness"]) & (idx["betweenness"] > 0)].sort_values(
        "betweenness", ascending=False
    )
    if len(ok) == 0:
        return []
    z = ok.index[0]
    strength = float(ok.iloc[0].get("in_strength", 0) or 0)
    if strength < MIN_RANK:
        return []
    hs = (
        f" The high seas ({f.high_seas}) are left out: as one node touching every zone they "
        "would lie on every route."
        if f.high_seas
        else ""
    )
    return [
        Finding(
            "network",
            f"{z} lies on the most multi-step routes between zones (betweenness "
            f"{ok.iloc[0]['betweenness']:.2f}, {strength:,.0f} particles arriving).{hs}",
            n=int(strength),
            value=float(ok.iloc[0]["betweenness"]),
        )
    ]


def _protection(f: RunFacts) -> list[Finding]:
    share = f.outside_mpa_share()
    if share is None:
        return []
    text = f"{pct(share)} of the particle-days at sea were spent outside marine protected areas"
    area = f.mpa_area_share()
    if area is not None:
        text += (
            f"; MPAs cover {pct(area)} of the sea in the model domain, so particles spread evenly would "
            f"spend {pct(1 - area)} outside them"
        )
    return [Finding("protection", text + ".", value=share)]


_MAKERS: list[tuple[str, Callable[[RunFacts], list[Finding]]]] = [
    ("fates", _fates),
    ("settlement", _settlement),
    ("swimmers", _swimmers),
    ("flows", _flows),
    ("high-seas share", _high_seas),
    ("arrival from the high seas", _arrival_from_high_seas),
    ("import dependency", _import_dependency),
    ("local retention", _local_retention),
    ("stepping stones", _stepping_stone),
    ("protection", _protection),
]


def _clean(finding: Finding) -> bool:
    """A finding with an undefined number in its text is dropped."""
    return "nan" not in finding.text.lower().replace("nano", "") and "inf %" not in finding.text


def make_findings(run) -> Findings:
    """The findings of ``run``; a finding that cannot be made is skipped and noted, never raised."""
    facts = RunFacts(run)
    out = Findings(kind=facts.kind, synthetic=facts.synthetic, description="")
    try:
        out.description = describe_run(facts)
    except Exception as exc:  # noqa: BLE001 - the report must never take a run down
        log.warning("report: the run description could not be written (%s)", exc)
        out.description = f"{facts.released:,} particles were tracked."
        out.notes.append(f"The description of the run could not be written: {exc}")
    for name, make in _MAKERS:
        try:
            made = make(facts)
        except Exception as exc:  # noqa: BLE001
            log.warning("report: finding '%s' skipped: %s", name, exc)
            out.notes.append(f"Finding '{name}' could not be made ({type(exc).__name__}: {exc}).")
            continue
        out.findings += [m for m in made if _clean(m)]
    for maker, target in ((caveats, out.caveats), (definitions, out.definitions)):
        try:
            target += maker(facts)
        except Exception as exc:  # noqa: BLE001
            log.warning("report: %s skipped: %s", maker.__name__, exc)
            out.notes.append(f"The {maker.__name__} could not be listed ({exc}).")
    out.sources = _sources(run)
    out.warnings = [
        f"Layer '{k.replace('.settlement', '')}'{' (settlement)' if k.endswith('.settlement') else ''}: {v}"
        for k, v in facts.sampling.items()
        if k in facts.under_sampled
    ]
    return out


def _sources(run) -> list[str]:
    """Credits of the data: summary.json ``citations`` (a run older than forcing credits: the snapshot's)."""
    cites = [str(c) for c in run.summary.get("citations") or []]
    credit = run.snapshot.attrs.get("credit") if not run.summary.get("synthetic") else None
    if credit and credit not in cites:
        cites.insert(0, str(credit))
    if not run.summary.get("synthetic"):
        from .basemap import BASEMAP_WORDS

        cites.append(BASEMAP_WORDS["credit"])  # the maps draw the shipped Natural Earth coastline
    return cites


def headline_findings(run) -> list[str]:
    """The findings' sentences (kept for callers of the old API)."""
    return make_findings(run).texts()


def _finite(x) -> bool:
    try:
        return math.isfinite(float(x))
    except (TypeError, ValueError):
        return False
