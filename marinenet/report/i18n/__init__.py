"""The report's languages: one catalogue of texts per language and the locale's number and date formats.

Catalogues are Python modules (``en.py`` — the source —, ``fr.py``, ``es.py``) each holding one dict
``TEXTS`` from a key to a text with named placeholders (``"{n} of {total}"``). Numbers are formatted
*before* they go into a text, by the one formatter of :class:`Lang` (``num``, ``count``, ``pct``,
``date``), so every number of the report, brief and maps follows the locale:

========  ===========  ==========================  ==========================
language  decimal      thousands                   percent
========  ===========  ==========================  ==========================
en        ``12.5``     ``1,234``                   ``12.5 %``
fr        ``12,5``     ``1 234`` (narrow nbsp)     ``12,5 %`` (narrow nbsp)
es        ``12,5``     ``12 345`` (from 5 digits)  ``12,5 %`` (nbsp)
========  ===========  ==========================  ==========================

French follows the Imprimerie nationale rules; Spanish the RAE *Ortografía* (2010) and CLDR: a space,
not a point, groups thousands, and only from five digits (``1234``, ``12 345``).

Maps are drawn by functions that do not take a language; :func:`use` sets the language of the figures
being drawn and :func:`current` reads it (a :class:`contextvars.ContextVar`, English by default).
"""

from __future__ import annotations

import contextlib
import contextvars
import importlib
import math
import re
from collections.abc import Iterator
from datetime import datetime
from functools import cache
from typing import SupportsFloat

import numpy as np

from ...errors import ScenarioError

__all__ = ["LANGUAGES", "Lang", "get", "current", "use", "check_language", "placeholders"]

#: the CMS working languages, English first (the source of every text)
LANGUAGES = ("en", "fr", "es")
NAMES = {"en": "English", "fr": "français", "es": "español"}

_NNBSP, _NBSP = "\u202f", "\u00a0"
_FORMAT = {  # decimal mark, thousands separator, fewest digits grouped, space before %
    "en": (".", ",", 4, " "),
    "fr": (",", _NNBSP, 4, _NNBSP),
    "es": (",", _NNBSP, 5, _NBSP),
}
_FIELD = re.compile(r"{(\w+)}")


def placeholders(text: str) -> set[str]:
    """The named placeholders of a catalogue text."""
    return set(_FIELD.findall(text))


def check_language(code: str, where: str = "report.language") -> str:
    """``code`` if it is a known language, else a :class:`ScenarioError` listing the known ones."""
    if code not in LANGUAGES:
        known = ", ".join(f"{c} ({NAMES[c]})" for c in LANGUAGES)
        raise ScenarioError(f"{where}: unknown language {code!r}; expected one of {known}")
    return code


class Lang:
    """The texts and number formats of one language.

    ``t(key, **values)`` is the text of ``key`` with its placeholders filled; ``tn`` picks the
    singular or plural form (keys ``<key>.one`` / ``<key>.other``) by a count.
    """

    def __init__(self, code: str, texts: dict[str, str]) -> None:
        self.code = code
        self.texts = texts
        self._decimal, self._group, self._min_group, self._pct_space = _FORMAT[code]

    def __repr__(self) -> str:
        return f"Lang({self.code!r}, {len(self.texts)} texts)"

    # ------------------------------------------------------------------ texts
    def t(self, key: str, /, **values) -> str:
        """The text of ``key`` with ``values`` in its placeholders (a missing key is a bug: KeyError)."""
        text = self.texts[key]
        return text.format(**values) if values else text

    def plural(self, n: float) -> bool:
        """Whether ``n`` takes the plural (French: 0 and 1 are singular)."""
        return not (n < 2 if self.code == "fr" else n == 1)

    def tn(self, key: str, count: float, /, **values) -> str:
        """The singular (``key.one``) or plural (``key.other``) text of ``key`` for ``count``."""
        return self.t(f"{key}.{'other' if self.plural(count) else 'one'}", **values)

    def join(self, items: list[str]) -> str:
        """'a, b and c' in this language."""
        if len(items) < 2:
            return "".join(items)
        return ", ".join(items[:-1]) + self.t("and") + items[-1]

    def outcome(self, name: str) -> str:
        """An outcome standing where a zone would (``dead``, ``stranded``...); zone names pass unchanged."""
        return self.texts.get(f"outcome.{name}", str(name))

    def basis(self, name: str) -> str:
        """An index table's ``basis`` value (``settlement``, ``end_of_run``); the CSV keeps the English one."""
        return self.texts.get(f"basis.{name}", str(name))

    def degrees(self, x: SupportsFloat, axis: str) -> str:
        """A map axis tick: ``5°W`` / ``5°O`` (``axis`` 'lon' or 'lat'); 0° and 180° take no letter."""
        x = float(x)
        if axis == "lon":
            x = (x + 180.0) % 360.0 - 180.0 if abs(x) != 180.0 else 180.0
        letters = ("hemi.W", "hemi.E") if axis == "lon" else ("hemi.S", "hemi.N")
        letter = "" if x == 0 or abs(x) == 180.0 else self.t(letters[x > 0])
        return f"{self.sig(abs(x), 6)}°{letter}"

    def column(self, name: str) -> str:
        """A table column heading (the CSV keeps its English name; unknown columns get spaces)."""
        return self.texts.get(f"col.{name}", str(name).replace("_", " "))

    # ------------------------------------------------------------------ numbers
    def num(self, x: SupportsFloat, decimals: int = 1) -> str:
        """``x`` with ``decimals`` decimals, the locale's decimal mark and thousands separator.

        An undefined value is written ``nan`` / ``inf`` so that the findings can drop a sentence that
        holds one (tables write ``–`` for it before calling this).
        """
        if not math.isfinite(float(x)):
            return str(float(x))
        text = f"{abs(float(x)):.{decimals}f}"
        whole, _, frac = text.partition(".")
        if len(whole) >= self._min_group:
            groups: list[str] = []
            while len(whole) > 3:
                whole, tail = whole[:-3], whole[-3:]
                groups.insert(0, tail)
            whole = self._group.join([whole, *groups])
        sign = "-" if float(x) < 0 and float(text) != 0 else ""
        return sign + whole + (self._decimal + frac if frac else "")

    def number_format(self) -> dict:
        """The number format as data (for the explorer's script, which formats as :meth:`num` does)."""
        return {
            "decimal": self._decimal,
            "group": self._group,
            "min_group": self._min_group,
            "pct_space": self._pct_space,
        }

    def count(self, n: SupportsFloat) -> str:
        """A whole number of particles, zones, days: ``1,234`` / ``1 234``."""
        return self.num(round(float(n)), 0)

    def sig(self, x: SupportsFloat, digits: int = 3) -> str:
        """``x`` to ``digits`` significant digits (a table cell)."""
        x = float(x)
        if not math.isfinite(x):
            return str(x)
        if x == 0:
            return "0"
        decimals = max(digits - 1 - int(math.floor(math.log10(abs(x)))), 0)
        text = self.num(x, decimals)
        if self._decimal in text:
            text = text.rstrip("0").rstrip(self._decimal)
        return text

    def pct(self, share: SupportsFloat, decimals: int = 1) -> str:
        """A share (0–1) as a percentage: ``12.5 %`` / ``12,5 %``."""
        return self.num(100 * float(share), decimals) + self._pct_space + "%"

    def duration(self, value) -> str:
        """A scenario duration ('30 days', 86400) in the largest whole unit: ``30 days`` / ``30 jours``."""
        from ...units import parse_duration

        seconds = parse_duration(value)
        for unit, size in (("week", 604800.0), ("day", 86400.0), ("hour", 3600.0), ("minute", 60.0)):
            if seconds >= size and round(seconds / size) * size == seconds:
                n = round(seconds / size)
                return self.tn(f"unit.{unit}", n, n=self.count(n))
        return self.tn("unit.second", seconds, n=self.sig(seconds))

    def days(self, x: SupportsFloat, decimals: int = 1) -> str:
        """A number of days: ``4.5 days`` / ``4,5 jours``."""
        return self.tn("unit.day", float(x), n=self.num(x, decimals))

    def rate(self, value) -> str:
        """A mortality rate ('0.2 per day', 'half-life 3 days') per day: ``0.2 per day`` / ``0,2 par jour``."""
        from ...units import parse_rate

        return self.t("rate.per_day", x=self.sig(parse_rate(value) * 86400.0, 3))

    # ------------------------------------------------------------------ dates
    def date(self, when) -> str:
        """A day with the month's name: ``1 March 2021`` / ``1 mars 2021`` / ``1 de marzo de 2021``."""
        d = _as_datetime(when)
        month = self.texts[f"month.{d.month}"]
        day = self.t("date.day1") if d.day == 1 else str(d.day)
        return self.t("date", day=day, month=month, year=d.year)

    def when(self, when) -> str:
        """A day, with the time of day (UTC) unless it is midnight."""
        d = _as_datetime(when)
        if d.hour == 0 and d.minute == 0:
            return self.date(d)
        return self.t("date_time", date=self.date(d), time=f"{d.hour:02d}:{d.minute:02d}")


def _as_datetime(when) -> datetime:
    if isinstance(when, datetime):
        return when
    stamp = when if isinstance(when, np.datetime64) else np.datetime64(str(when)[:19])
    return datetime.fromisoformat(str(stamp.astype("datetime64[m]")))


@cache
def get(code: str = "en") -> Lang:
    """The :class:`Lang` of ``code`` (one of :data:`LANGUAGES`; an unknown code is a ScenarioError)."""
    check_language(code)
    module = importlib.import_module(f"{__name__}.{code}")
    return Lang(code, module.TEXTS)


_CURRENT: contextvars.ContextVar[str] = contextvars.ContextVar("marinenet_report_language", default="en")


def current() -> Lang:
    """The language of the figures being drawn (set by :func:`use`; English by default)."""
    return get(_CURRENT.get())


@contextlib.contextmanager
def use(code: str) -> Iterator[Lang]:
    """Draw in language ``code`` inside the ``with`` block."""
    token = _CURRENT.set(check_language(code))
    try:
        yield get(code)
    finally:
        _CURRENT.reset(token)
