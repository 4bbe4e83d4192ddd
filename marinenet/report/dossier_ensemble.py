"""The dossier's words for an ensemble folder: each share per release date, lowest–highest, members with the link."""

from __future__ import annotations

import math

from .dossier_data import DossierData, StateLink
from .dossier_words import MAX_ROWS, Section, Table, _home, _km2, _place, _share_iv
from .i18n import Lang

__all__ = ["ensemble_table", "ensemble_key", "stability_section"]


def _dates(L: Lang, d: DossierData) -> str:
    return L.join([L.date(r.start) for r in d.runs])


def _links(d: DossierData, direction: str) -> dict[str, list[StateLink | None]]:
    """Per jurisdiction, its link in each member (None where the member has no row)."""
    out: dict[str, list[StateLink | None]] = {}
    for k, r in enumerate(d.runs):
        for t in r.to if direction == "to" else r.supply:
            out.setdefault(t.jurisdiction, [None] * len(d.runs))[k] = t
    return out


def ensemble_table(d: DossierData, L: Lang, direction: str) -> Table:
    m = len(d.runs)
    header = [L.t(k) for k in ("dos.col.place", "dos.col.values", "dos.col.range", "dos.col.members_link")]
    rows = []
    for zone, links in _links(d, direction).items():
        shares = [t.share if t is not None and math.isfinite(t.share) else 0.0 for t in links]
        seen = sum(1 for t in links if t is not None and t.count > 0)
        if seen == 0:
            continue
        values = "\n".join(
            f"{L.date(r.start)}: " + (_share_iv(L, t) if t is not None else "–")
            for r, t in zip(d.runs, links, strict=True)
        )
        rows.append(
            (
                -max(shares),
                [
                    _home(d, L, zone),
                    values,
                    f"{L.pct(min(shares))} – {L.pct(max(shares))}",
                    f"{L.count(seen)} / {L.count(m)}",
                ],
            )
        )
    ordered = [r for _, r in sorted(rows, key=lambda x: x[0])]
    if len(ordered) > MAX_ROWS:
        ordered = ordered[:MAX_ROWS] + [
            [L.t("dos.more", k=L.count(len(ordered) - MAX_ROWS), network=d.network), "", "", ""]
        ]
    return Table(header, ordered)


def ensemble_key(d: DossierData, L: Lang) -> str:
    m = len(d.runs)
    parts = []
    for zone, links in _links(d, "to").items():
        seen = sum(1 for t in links if t is not None and t.count > 0)
        if seen == 0:
            continue
        shares = [t.share if t is not None else 0.0 for t in links]
        parts.append(
            (
                -max(shares),
                L.t(
                    "dos.ens.key.part",
                    place=_place(L, d, zone),
                    low=L.pct(min(shares)),
                    high=L.pct(max(shares)),
                    k=L.count(seen),
                    m=L.count(m),
                ),
            )
        )
    if not parts:
        return L.t("dos.ens.key.none", m=L.count(m), dates=_dates(L, d))
    top = [p for _, p in sorted(parts, key=lambda x: x[0])[:4]]
    return L.t("dos.ens.key", m=L.count(m), dates=_dates(L, d), parts=L.join(top))


def stability_section(d: DossierData, L: Lang) -> Section:
    m = len(d.runs)
    sec = Section("stability", L.t("dos.h.stability"))
    sec.paragraphs.append(L.t("dos.ens.intro", m=L.count(m), dates=_dates(L, d)))
    imps = [r.importance for r in d.runs if r.importance is not None]
    if imps:
        ranks = L.join(sorted({L.count(i.rank) for i in imps}))
        if imps[0].candidate:
            g = [i.gain_km2 for i in imps]
            text = L.t("dos.ens.gain", low=_km2(L, min(g)), high=_km2(L, max(g)), ranks=ranks, m=L.count(m))
        else:
            v = [i.dPC / 100 for i in imps]
            text = L.t("dos.ens.dpc", low=L.pct(min(v)), high=L.pct(max(v)), ranks=ranks, m=L.count(m))
        sec.paragraphs.append(text)
    value_col = L.t("dos.def.gain") if d.candidate else L.t("dos.col.dpc")
    header = [L.t("dos.col.member"), L.t("dos.col.particles"), value_col, L.t("dos.col.rank")]
    rows = []
    for r in d.runs:
        i = r.importance
        value = "–" if i is None else (_km2(L, i.gain_km2) if i.candidate else L.pct(i.dPC / 100))
        rank = "–" if i is None else f"{L.count(i.rank)} / {L.count(i.of)}"
        rows.append([L.date(r.start), L.count(r.released), value, rank])
    sec.table = Table(header, rows)
    return sec
