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
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .coherence_findings import coherence_findings
from .credits import source_credits
from .facts import OUTCOMES, RunFacts, interval
from .i18n import Lang
from .i18n import get as get_language
from .texts import caveats, definitions, describe_run, fates_sentence, noun, sampling_text, window_text

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
    language: str = "en"  # code of the language of every text (marinenet.report.i18n)
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


def _unranked(L: Lang, items: list[_Ranked], what: str = "zones") -> str:
    """Why ``items`` cannot be ranked, in words: too few particles, or intervals that overlap."""
    if not items or items[0].n < MIN_RANK:
        return L.t(f"rank.too_few.{what}")
    return L.t(f"rank.too_close.{what}")


def _iv(L: Lang, low: float, high: float) -> str:
    return L.t("interval", low=L.pct(low), high=L.pct(high))


# ---------------------------------------------------------------- individual findings


def _fates(f: RunFacts) -> list[Finding]:
    return [Finding("fates", fates_sentence(f), n=f.released)]


def _settlement(f: RunFacts) -> list[Finding]:
    if f.kind != "larva":
        return []
    L = f.L
    n, k = f.released, f.count("settled")
    lo, hi = interval(k, n)
    values = dict(k=L.count(k), n=L.count(n), pct=L.pct(k / n), iv=_iv(L, lo, hi))
    window = f.settlement_window
    if window is not None and window.case in ("none", "cut"):  # why nothing (or too little) settled
        text = L.t("settle.total_why", **values, why=window_text(L, window))
    else:
        text = L.t("settle.total", **values)
    out = [Finding("settlement", text, n=n, value=k / n, low=lo, high=hi)]
    table = f.settlement_table
    if table is None or k == 0:
        return out
    in_zones = table[~table["destination"].isin(OUTCOMES | f.outside_labels)]
    by_zone = in_zones.groupby("destination")["count"].sum().sort_values(ascending=False)
    by_zone = by_zone[by_zone > 0]
    if len(by_zone) == 0:
        return out
    total = float(by_zone.sum())
    items = [_Ranked(str(z), c / total, *interval(c, total), int(total)) for z, c in by_zone.items()]
    top = items[0]
    if len(items) == 1:
        out.append(Finding("settlement", L.t("settle.all_in", zone=top.name), n=int(total)))
    elif _decisive(items):
        text = L.t(
            "settle.most_in",
            zone=top.name,
            pct=L.pct(top.value),
            total=L.count(total),
            iv=_iv(L, top.low, top.high),
        )
        out.append(Finding("settlement", text, n=int(total), value=top.value, low=top.low, high=top.high))
    else:
        listed = ", ".join(f"{r.name} {L.count(r.value * total)}" for r in items[:5])
        text = L.t("settle.by_zone", listed=listed, total=L.count(total), why=_unranked(L, items))
        out.append(Finding("settlement", text, n=int(total)))
    return out


def _none_could_settle(f: RunFacts) -> bool:
    """A larva run that ended before competency: settlement findings per zone would only repeat 0 %."""
    return f.settlement_window is not None and f.settlement_window.none_can_settle


def _swimmers(f: RunFacts) -> list[Finding]:
    if f.kind != "swimmer":
        return []
    L = f.L
    n, k = f.released, f.count("arrived")
    lo, hi = interval(k, n)
    text = L.t("swim.arrived", k=L.count(k), n=L.count(n), pct=L.pct(k / n), iv=_iv(L, lo, hi))
    out = [Finding("arrival", text, n=n, value=k / n, low=lo, high=hi)]
    days = f.days_to_arrive()
    if days.size:
        p10, med, p90 = np.percentile(days, [10, 50, 90])
        sample = "" if f.all_tracks_stored else L.t("swim.stored", n=L.count(days.size))
        text = L.t("swim.time", median=L.num(med), p10=L.num(p10), p90=L.num(p90), sample=sample)
        out.append(Finding("arrival", text, n=int(days.size), value=float(med)))
    return out


def _flows(f: RunFacts, most: int = 4) -> list[Finding]:
    """Where the particles of the largest release zones went: stayed, other zones, the largest other zone."""
    L = f.L
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
        lo, hi = interval(own, n)
        text = L.tn(
            "flow.back" if f.backward else "flow.settled" if larva else "flow.end",
            n,
            n=L.count(n),
            noun=noun(f, n),
            zone=src,
            own=L.pct(own / n),
            own_iv=_iv(L, lo, hi),
            other=L.pct(k_other / n),
            other_iv=_iv(L, *interval(k_other, n)),
        )
        ranked = [  # ranked on the particles that reached other zones: n = their number
            _Ranked(r["destination"], r["count"] / n, *interval(r["count"], n), int(k_other))
            for _, r in other.iterrows()
        ]
        if len(ranked) > 1 and _decisive(ranked):
            t, key = ranked[0], "flow.back.most_from" if f.backward else "flow.most_in"
            text += L.t(key, zone=t.name, pct=L.pct(t.value), iv=_iv(L, t.low, t.high))
        elif len(ranked) == 1:
            text += L.t("flow.back.all_from" if f.backward else "flow.all_in", zone=ranked[0].name)
        elif len(ranked) > 1:
            text += L.t("flow.unranked", k=L.count(len(ranked)), why=_unranked(L, ranked, "them"))
        out.append(Finding("flows", text + ".", n=int(n), value=own / n, low=lo, high=hi))
    if len(sizes) > most:
        out.append(Finding("flows", L.tn("flow.smaller", len(sizes) - most, k=L.count(len(sizes) - most))))
    return out


def _high_seas(f: RunFacts) -> list[Finding]:
    L = f.L
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
    text = L.tn(
        "hs.settled" if larva else "hs.end",
        n,
        n=L.count(n),
        noun=noun(f, n),
        hs=hs,
        pct=L.pct(k / n),
        iv=_iv(L, lo, hi),
        layer=f.main,
    )
    ranked = [  # ranked on the particles that reached a zone: n = their number
        _Ranked(r["destination"], r["count"] / n, *interval(r["count"], n), int(k))
        for _, r in zones.sort_values("count", ascending=False).iterrows()
        if r["count"] > 0
    ]
    if len(ranked) == 1:
        text += L.t("hs.all_in", zone=ranked[0].name)
    elif ranked and _decisive(ranked):
        t = ranked[0]
        text += L.t("hs.largest", zone=t.name, pct=L.pct(t.value), iv=_iv(L, t.low, t.high))
    elif len(ranked) > 1:
        top3 = ", ".join(f"{r.name} {L.pct(r.value)}" for r in ranked[:3])
        text += L.t("hs.unranked", top=top3, why=_unranked(L, ranked))
    else:
        text += "."
    return [Finding("high seas", text, n=n, value=k / n, low=lo, high=hi)]


def _arrival_from_high_seas(f: RunFacts) -> list[Finding]:
    """How soon high-seas water reaches zones: compared only among zones reached by >= MIN_RANK particles."""
    L = f.L
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
        " "
        + L.tn(
            "arr.few",
            len(few),
            k=L.count(len(few)),
            min=MIN_RANK,
            zones=", ".join(map(str, few["destination"][:4])) + (" …" if len(few) > 4 else ""),
        )
        if len(few)
        else ""
    )
    if len(rows) == 0:
        return [Finding("arrival", L.t("arr.none", n=L.count(n_hs)) + left, n=n_hs)]
    top = rows.iloc[0]
    desc = L.t(
        "arr.desc",
        k=L.count(top["n"]),
        n=L.count(n_hs),
        pct=L.pct(top["n"] / n_hs),
        zone=top["destination"],
        median=L.num(top["median_days"]),
        p10=L.num(top["p10_days"]),
        p90=L.num(top["p90_days"]),
    )
    if len(rows) > 1 and top["p90_days"] < rows.iloc[1]["median_days"]:
        text = L.t("arr.first", zone=top["destination"], desc=desc)
    elif len(rows) > 1:
        text = L.t("arr.overlap", desc=desc, k=L.count(len(rows)), min=MIN_RANK)
    else:
        text = desc + "."
    return [Finding("arrival", text + left, n=int(top["n"]), value=float(top["median_days"]))]


def _zone_index(f: RunFacts, column: str, base: str, meaning: str, flip: bool) -> list[Finding]:
    """Which zone has the largest ``column`` (a share of ``base`` particles), if that can be said."""
    L = f.L
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
    label = L.t(f"index.{column}")
    if top.value <= 0:
        text = L.t("index.zero", label=label[:1].upper() + label[1:], meaning=meaning)
        return [Finding("indices", text, n=sum(r.n for r in items))]
    sampled = [r for r in items if r.n >= MIN_RANK]  # only zones with enough particles are ranked
    if len(sampled) >= 2 and _decisive(sampled):
        best = sampled[0]
        left = len(items) - len(sampled)
        among = L.t("index.among", k=L.count(len(sampled)), min=MIN_RANK) if left else ""
        text = L.t(
            "index.highest",
            zone=best.name,
            label=label,
            among=among,
            pct=L.pct(best.value),
            iv=_iv(L, best.low, best.high),
            n=L.count(best.n),
            meaning=meaning,
        )
        if left:
            text += " " + L.tn("index.not_ranked", left, k=L.count(left))
        return [Finding("indices", text, n=best.n, value=best.value, low=best.low, high=best.high)]
    listed = "; ".join(L.t("index.item", zone=r.name, pct=L.pct(r.value), n=L.count(r.n)) for r in items[:4])
    more = L.t("index.more", k=L.count(len(items) - 4)) if len(items) > 4 else ""
    text = L.t(
        "index.list",
        label=label[:1].upper() + label[1:],
        meaning=meaning,
        listed=listed,
        more=more,
        why=_unranked(L, sampled or items),
    )
    return [Finding("indices", text, n=top.n)]


def _import_dependency(f: RunFacts) -> list[Finding]:
    if f.kind == "larva" and f.indices_basis != "recruitment":
        return []  # end-of-run positions of larvae say nothing about supply (the caveats say so)
    rec = f.indices_basis == "recruitment"
    base = _first(f, ("settlers", "arrivals")) if rec else "arrivals"
    meaning = f.L.t("meaning.import_dependency." + ("settlement" if rec else "end"))
    return _zone_index(f, "import_dependency", base, meaning, flip=True)


def _local_retention(f: RunFacts) -> list[Finding]:
    if f.kind == "larva" and f.indices_basis != "recruitment":
        return []
    rec = f.indices_basis == "recruitment"
    meaning = f.L.t("meaning.local_retention." + ("settlement" if rec else "end"))
    return _zone_index(f, "local_retention", "released", meaning, flip=False)


def _first(f: RunFacts, names: tuple[str, ...]) -> str:
    idx = f.zone_indices()
    return next((c for c in names if idx is not None and c in idx), names[-1])


def _stepping_stone(f: RunFacts) -> list[Finding]:
    L = f.L
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
    value = float(ok.iloc[0]["betweenness"])
    text = L.t("network.stone", zone=z, value=L.num(value, 2), n=L.count(strength))
    if f.high_seas:
        text += " " + L.t("network.high_seas", hs=f.high_seas)
    return [Finding("network", text, n=int(strength), value=value)]


def _protection(f: RunFacts) -> list[Finding]:
    L = f.L
    share = f.outside_mpa_share()
    if share is None:
        return []
    text = L.t("mpa.outside", pct=L.pct(share))
    area = f.mpa_area_share()
    if area is not None:
        text += L.t("mpa.baseline", area=L.pct(area), even=L.pct(1 - area))
    return [Finding("protection", text + ".", value=share)]


#: the findings in order; the zone indices (import dependency, local retention, stepping stones) say where
#: particles went, so a backward run (its matrices say where water came from) leaves them out
_MAKERS: list[tuple[str, Callable[[RunFacts], list[Finding]]]] = [
    ("fates", _fates),
    ("settlement", _settlement),
    ("swimmers", _swimmers),
    ("flows", _flows),
    ("high-seas share", _high_seas),
    ("arrival from the high seas", _arrival_from_high_seas),
    ("import dependency", lambda f: [] if f.backward else _import_dependency(f)),
    ("local retention", lambda f: [] if f.backward else _local_retention(f)),
    ("stepping stones", lambda f: [] if f.backward else _stepping_stone(f)),
    ("protection", _protection),
    ("network coherence", coherence_findings),
]


def _clean(finding: Finding) -> bool:
    """A finding with an undefined number in its text is dropped."""
    return not re.search(r"\b(nan|inf)\b", finding.text.lower())


def make_findings(run, language: str = "en") -> Findings:
    """The findings of ``run`` in ``language``; a finding that cannot be made is skipped and noted, never raised."""
    L = get_language(language)
    facts = RunFacts(run, L)
    out = Findings(kind=facts.kind, synthetic=facts.synthetic, description="", language=L.code)
    try:
        out.description = describe_run(facts)
    except Exception as exc:  # noqa: BLE001 - the report must never take a run down
        log.warning("report: the run description could not be written (%s)", exc)
        out.description = L.t("fallback.description", n=L.count(facts.released))
        out.notes.append(L.t("fallback.description_note", error=exc))
    for name, make in _MAKERS:
        try:
            made = make(facts)
        except Exception as exc:  # noqa: BLE001
            log.warning("report: finding '%s' skipped: %s", name, exc)
            out.notes.append(L.t("fallback.finding", name=name, error=f"{type(exc).__name__}: {exc}"))
            continue
        out.findings += [m for m in made if _clean(m)]
    lists: tuple[tuple[Callable[[RunFacts], list[Any]], list[Any]], ...] = (
        (caveats, out.caveats),
        (definitions, out.definitions),
    )
    for maker, target in lists:
        try:
            target += maker(facts)
        except Exception as exc:  # noqa: BLE001
            log.warning("report: %s skipped: %s", maker.__name__, exc)
            out.notes.append(L.t(f"fallback.{maker.__name__}", error=exc))
    out.sources = source_credits(run, L)
    out.warnings = [
        L.t(
            "warn.settlement" if k.endswith(".settlement") else "warn.layer",
            layer=k.removesuffix(".settlement"),
            text=sampling_text(L, v),
        )
        for k, v in facts.sampling.items()
        if k in facts.under_sampled
    ]
    return out


def headline_findings(run) -> list[str]:
    """The findings' sentences (kept for callers of the old API)."""
    return make_findings(run).texts()


def _finite(x) -> bool:
    try:
        return math.isfinite(float(x))
    except (TypeError, ValueError):
        return False
