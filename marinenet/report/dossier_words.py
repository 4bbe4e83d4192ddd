"""Shared pieces of the dossier's words: its table and section types, and how places, shares and days read."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .dossier_data import DossierData, StateLink
from .i18n import Lang

__all__ = ["Table", "Section", "MAX_ROWS"]


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]


@dataclass
class Section:
    key: str
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    table: Table | None = None
    figure: str | None = None  # 'arrival' | 'map'
    bullets: bool = False
    after: list[str] = field(default_factory=list)  # paragraphs below the table


def _iv(L: Lang, low: float, high: float) -> str:
    return L.t("interval", low=L.pct(low), high=L.pct(high))


def _place(L: Lang, d: DossierData, zone: str) -> str:
    return L.t("dos.hs", zone=zone) if zone in d.high_seas else L.t("dos.waters", zone=zone)


def _name(L: Lang, d: DossierData, zone: str) -> str:
    """A jurisdiction as a list names it: the high seas in words, a state by its name."""
    return L.t("dos.hs", zone=zone) if zone in d.high_seas else zone


#: rows a table of the dossier shows (the rest: a line naming the CSV), so that it stays within 4 pages
MAX_ROWS = 12


def _capped(L: Lang, d: DossierData, sec: Section, rows: list[list[str]]) -> list[list[str]]:
    if len(rows) > MAX_ROWS:
        sec.after.insert(0, L.t("dos.more", k=L.count(len(rows) - MAX_ROWS), network=d.network))
    return rows[:MAX_ROWS]


def _how(L: Lang, d: DossierData) -> str:
    return L.t(f"dos.how.{d.connection}")


def _days(L: Lang, link: StateLink) -> str:
    if link.arrivals <= 0 or not math.isfinite(link.median_days):
        return "–"
    return f"{L.num(link.median_days)} ({L.num(link.p10_days)}–{L.num(link.p90_days)})"


def _km2(L: Lang, x: float) -> str:
    return L.count(x) + "\u00a0km²"


def _home(d: DossierData, L: Lang, zone: str) -> str:
    return zone + (L.t("dos.home") if zone in {z for z, _ in d.homes} else "")


def _share_iv(L: Lang, t: StateLink) -> str:
    """'60.0 % (46.2 % – 72.7 %)'; '–' where the share is undefined (nothing reached the site)."""
    if not math.isfinite(t.share):
        return "–"
    return f"{L.pct(t.share)} ({L.pct(t.low)} – {L.pct(t.high)})"
