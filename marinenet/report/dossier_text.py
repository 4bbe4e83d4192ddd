"""The words and tables of a site dossier, in one language: what both the HTML and the PDF show.

Built from :class:`~marinenet.report.dossier_data.DossierData` (numbers read from the run's tables);
every text comes from the catalogue (keys ``dos.*``) and every number through the language's
formatter. A share is always written with what it is a share of and its 95 % interval.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import xarray as xr

from .dossier_data import DossierData, SiteRun
from .dossier_ensemble import ensemble_key, ensemble_table, stability_section
from .dossier_words import Section, Table, _capped, _days, _home, _how, _iv, _km2, _name, _place, _share_iv
from .facts import RunFacts
from .findings import MIN_RANK
from .i18n import Lang
from .texts import _when, caveats, describe_run

__all__ = ["Table", "Section", "DossierText", "dossier_text"]


@dataclass
class DossierText:
    language: str
    title: str
    subtitle: str
    synthetic: str | None
    sections: list[Section]
    captions: dict[str, tuple[str, str]]  # figure key -> (title, caption)
    footer: str


@dataclass
class _Shim:
    """The little of :class:`~marinenet.report.build.RunFiles` the run description and caveats read."""

    root: object
    summary: object
    scenario: dict
    trajectories: xr.Dataset
    main_layer: str | None
    indices: dict = field(default_factory=dict)
    connectivity: dict = field(default_factory=dict)
    arrivals: dict = field(default_factory=dict)


def _facts(d: DossierData, L: Lang) -> RunFacts:
    root = d.root / "members" / d.runs[0].label if d.runs[0].label else d.root
    path = root / "trajectories.nc"
    tracks = xr.open_dataset(path)[["release_time"]] if path.is_file() else xr.Dataset()
    return RunFacts(_Shim(root, d.summary, d.scenario, tracks, d.layer), L)


def dossier_text(d: DossierData, L: Lang) -> DossierText:
    """Every word of the dossier of ``d`` in language ``L``."""
    facts = _facts(d, L)
    run = d.runs[0]
    s = d.summary
    sections = [_key_points(d, L, facts), _to_section(d, L, run), _from_section(d, L, run)]
    sections.append(_arrival_section(d, L))
    sections.append(_importance_section(d, L))
    sections.append(Section("map", L.t("dos.h.map"), figure="map"))
    if d.ensemble:
        sections.append(stability_section(d, L))
    sections += _methods(d, L, facts)
    captions = {
        "arrival": (L.t("dos.fig.arrival"), L.t("dos.arrival.intro")),
        "map": (L.t("dos.fig.map"), L.t("dos.fig.map.caption", how=_how(L, d))),
    }
    version = s.get("versions", {}).get("marinenet", "")
    return DossierText(
        language=L.code,
        title=L.t("dos.title", site=d.site),
        subtitle=L.t("dos.subtitle", name=s.name, version=version),
        synthetic=L.t("dos.synthetic") if s.synthetic else None,
        sections=sections,
        captions=captions,
        footer=L.t("dos.pdf.footer", version=version, site=d.site),
    )


def _kind(d: DossierData, L: Lang) -> str:
    return L.t("dos.kind.candidate" if d.candidate else "dos.kind.network", network=d.network)


def _key_points(d: DossierData, L: Lang, facts: RunFacts) -> Section:
    run = d.runs[0]
    out = []
    if d.homes:
        parts = [L.t("dos.where.part", share=L.pct(sh), zone=_place(L, d, z)) for z, sh in d.homes]
        area = L.count(d.area_km2) + "\u00a0km²"
        out.append(L.t("dos.where", kind=_kind(d, L), area=area, parts=L.join(parts)))
    else:
        out.append(L.t("dos.where.unknown", kind=_kind(d, L)))
    duration = L.duration((d.scenario.get("simulation") or {}).get("duration"))
    if run.released <= 0:
        out.append(L.t("dos.released.none", layer=d.layer))
    else:
        when = _when(L, facts.release_times)
        out.append(L.t("dos.released", n=L.count(run.released), when=when, duration=duration))
        out.append(_to_key(d, L, run))
    out.append(_from_key(d, L, run))
    imp = run.importance
    if imp is not None and imp.candidate:
        iv = L.t("dos.iv.km2", low=_km2(L, imp.gain_low), high=_km2(L, imp.gain_high))
        iv = iv if math.isfinite(imp.gain_low) else ""
        rank = dict(rank=L.count(imp.rank), of=L.count(imp.of))
        out.append(L.t("dos.candidate.key", gain=_km2(L, imp.gain_km2), iv=iv, **rank))
    elif imp is not None:
        out.append(
            L.t("dos.importance.key", dpc=L.pct(imp.dPC / 100), rank=L.count(imp.rank), of=L.count(imp.of))
        )
    if d.ensemble:
        out.append(ensemble_key(d, L))
    else:
        out.append(L.t("dos.single", when=_when(L, facts.release_times)))
    if 0 < run.released < MIN_RANK:
        out.append(L.t("dos.few", n=L.count(run.released), min=L.count(MIN_RANK)))
    return Section("summary", L.t("dos.h.summary"), out, bullets=True)


def _to_key(d: DossierData, L: Lang, run: SiteRun) -> str:
    seen = [t for t in run.to if t.count > 0]
    if not seen:
        return L.t("dos.to.none", n=L.count(run.released), how=_how(L, d))
    parts = [
        L.t(
            "dos.to.key.part",
            share=L.pct(t.share),
            iv=_iv(L, t.low, t.high),
            place=_place(L, d, t.jurisdiction),
        )
        for t in seen[:4]
    ]
    return L.t("dos.to.key", n=L.count(run.released), parts=L.join(parts), how=_how(L, d))


def _from_key(d: DossierData, L: Lang, run: SiteRun) -> str:
    seen = [t for t in run.supply if t.count > 0]
    if not seen:
        return L.t("dos.from.none", how=_how(L, d))
    parts = [
        L.t(
            "dos.from.key.part",
            share=L.pct(t.share),
            iv=_iv(L, t.low, t.high),
            place=_place(L, d, t.jurisdiction),
        )
        for t in seen[:4]
    ]
    return L.t("dos.from.key", k=L.count(run.arrived), parts=L.join(parts), how=_how(L, d))


def _to_section(d: DossierData, L: Lang, run: SiteRun) -> Section:
    sec = Section("to", L.t("dos.h.to"))
    if run.released <= 0:
        sec.paragraphs.append(L.t("dos.released.none", layer=d.layer))
        return sec
    sec.paragraphs.append(L.t("dos.to.intro", n=L.count(run.released), how=_how(L, d)))
    seen = [t for t in run.to if t.count > 0]
    if d.ensemble:
        sec.table = ensemble_table(d, L, "to")
    elif seen:
        header = [L.t(k) for k in ("dos.col.place", "dos.col.particles", "dos.col.share", "dos.col.interval")]
        header.append(L.t("dos.col.arrival"))
        rows = [
            [
                _home(d, L, t.jurisdiction),
                L.count(t.count),
                L.pct(t.share),
                f"{L.pct(t.low)} – {L.pct(t.high)}",
                _days(L, t),
            ]
            for t in seen
        ]
        sec.table = Table(header, _capped(L, d, sec, rows))
    else:
        sec.paragraphs.append(L.t("dos.to.none", n=L.count(run.released), how=_how(L, d)))
    zero = [t for t in run.to if t.count <= 0 and t.jurisdiction in d.zone_ids]
    if zero and not d.ensemble:
        upper = max(t.high for t in zero)
        names = L.join([_name(L, d, t.jurisdiction) for t in zero])
        sec.after.append(L.t("dos.to.zero", zones=names, upper=L.pct(upper)))
    if run.fates and not d.ensemble:
        parts = [
            L.t("dos.to.fate", share=L.pct(f.share), fate=L.outcome(f.jurisdiction), k=L.count(f.count))
            for f in run.fates
        ]
        sec.after.append(L.t("dos.to.fates", parts=L.join(parts)))
    if run.retained is not None and not d.ensemble:
        r = run.retained
        sec.after.append(L.t("dos.retained", share=L.pct(r.share), iv=_iv(L, r.low, r.high)))
    return sec


def _release_kind(d: DossierData) -> str:
    frm = (d.scenario.get("release") or {}).get("from")
    first = frm[0] if isinstance(frm, list) and len(frm) == 1 else frm
    whole = isinstance(first, dict) and first.get("layer") == d.jurisdiction and not first.get("ids")
    return "dos.release.area" if whole else "dos.release.other"


def _from_section(d: DossierData, L: Lang, run: SiteRun) -> Section:
    sec = Section("from", L.t("dos.h.from"))
    seen = [t for t in run.supply if t.count > 0]
    intro = L.t("dos.from.intro", how=_how(L, d), k=L.count(run.arrived), release=L.t(_release_kind(d)))
    sec.paragraphs.append(intro)
    if d.ensemble:
        sec.table = ensemble_table(d, L, "from")
        return sec
    if not seen:
        sec.paragraphs.append(L.t("dos.from.none", how=_how(L, d)))
    else:
        keys = (
            "dos.col.place",
            "dos.col.released_there",
            "dos.col.reached",
            "dos.col.supply",
            "dos.col.chance",
        )
        header = [L.t(k) for k in keys] + [L.t("dos.col.arrival")]
        rows = [
            [
                _home(d, L, t.jurisdiction),
                L.count(t.n_source),
                L.count(t.count),
                _share_iv(L, t),
                f"{L.pct(t.fraction, 2)} ({L.pct(t.f_low, 2)} – {L.pct(t.f_high, 2)})",
                _days(L, t),
            ]
            for t in seen
        ]
        sec.table = Table(header, _capped(L, d, sec, rows))
    unsampled = [z for z in run.unsampled if z in d.zone_ids]
    if unsampled:
        sec.after.append(L.t("dos.from.unsampled", zones=L.join(unsampled)))
    zero = [_name(L, d, t.jurisdiction) for t in run.supply if t.count <= 0 and t.n_source > 0]
    if zero and seen:
        sec.after.append(L.t("dos.from.zero", zones=L.join(zero)))
    return sec


def _any_arrivals(d: DossierData) -> bool:
    return any(t.arrivals > 0 for r in d.runs for t in [*r.to, *r.supply])


def _arrival_section(d: DossierData, L: Lang) -> Section:
    sec = Section("arrival", L.t("dos.h.arrival"))
    if _any_arrivals(d):
        sec.figure = "arrival"
    else:
        duration = L.duration((d.scenario.get("simulation") or {}).get("duration"))
        sec.paragraphs.append(L.t("dos.arrival.none", duration=duration))
    return sec


def _importance_section(d: DossierData, L: Lang) -> Section:
    run = d.runs[0]
    sec = Section("importance", L.t("dos.h.importance"))
    if math.isfinite(run.protconn):
        iv = ""
        if math.isfinite(run.protconn_low) and run.protconn_high > run.protconn_low:
            iv = L.t(
                "dos.iv.pct", low=L.pct(run.protconn_low / 100, 2), high=L.pct(run.protconn_high / 100, 2)
            )
        sec.paragraphs.append(
            L.t("dos.imp.network", network=d.network, protconn=L.pct(run.protconn / 100, 2), iv=iv)
        )
    imp = run.importance
    if imp is None:
        sec.paragraphs.append(L.t("dos.imp.none"))
    elif imp.candidate:
        iv = L.t("dos.iv.km2", low=_km2(L, imp.gain_low), high=_km2(L, imp.gain_high))
        sec.paragraphs.append(
            L.t(
                "dos.imp.candidate",
                gain=_km2(L, imp.gain_km2),
                iv=iv if math.isfinite(imp.gain_low) else "",
                per_km2=L.num(imp.per_km2, 2),
                rank=L.count(imp.rank),
                of=L.count(imp.of),
            )
        )
    else:
        sec.paragraphs.append(
            L.t(
                "dos.imp.dpc",
                dpc=L.pct(imp.dPC / 100),
                rank=L.count(imp.rank),
                of=L.count(imp.of),
                intra=L.pct(imp.intra / 100),
                flux=L.pct(imp.flux / 100),
                connector=L.pct(imp.connector / 100),
            )
        )
        if imp.flux <= 0 and imp.connector <= 0:
            sec.paragraphs.append(L.t("dos.imp.unlinked"))
    return sec


def _methods(d: DossierData, L: Lang, facts: RunFacts) -> list[Section]:
    sim = d.scenario.get("simulation") or {}
    text = L.t(
        "dos.methods",
        describe=describe_run(facts),
        engine=str(d.summary.engine),
        dt=L.duration(sim.get("dt")) if sim.get("dt") else "–",
        layer=d.layer,
        juris=d.jurisdiction,
        how=_how(L, d),
        network=d.network,
    )
    if d.ensemble:
        text = L.t("dos.methods.ensemble", m=L.count(len(d.runs))) + text
    defs = ["share", "arrival", "pc", "gain" if d.candidate else "dpc", "hs"]
    definitions = [f"{L.t(f'dos.def.{k}')}: {L.t(f'dos.def.{k}.text')}" for k in defs]
    notes = caveats(facts)
    if d.ensemble:
        notes = [c for c in notes if c != L.t("caveat.one_release")]
        notes.append(L.t("dos.caveat.ensemble", m=L.count(len(d.runs))))
    from .credits import credit_text

    sources = [credit_text(c, L) for c in d.summary.get("credits") or []]
    out = [
        Section("methods", L.t("dos.h.methods"), [text]),
        Section("definitions", L.t("dos.h.definitions"), definitions, bullets=True),
        Section("caveats", L.t("dos.h.caveats"), notes, bullets=True),
    ]
    if sources:
        out.append(Section("sources", L.t("dos.h.sources"), sources, bullets=True))
    return out
