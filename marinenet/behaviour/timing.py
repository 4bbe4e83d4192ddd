"""Is a larva run long enough for its larvae to settle? One check for ``validate``, ``run`` and the report.

Every larva is tracked for the scenario's ``duration`` from its own release, so its age at the end
is at most that duration. If the run ends before competency starts, no larva can settle; if it ends
inside the competency window, settlement is undercounted; if it ends after competency but before
the pelagic larval duration (PLD), larvae still alive at the end have not settled: the settlement
table counts them as ``unsettled`` (with those that reached their PLD), and the report says so.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SettlementWindow", "settlement_window", "larva_run_warning"]

_DAY = 86400.0

# the sentences are catalogue texts ``timing.<case>`` (marinenet/report/i18n), placeholders in days


def _days(L, seconds: float) -> str:
    """A number of days in ``L``'s number format: whole days as a count, else 3 significant digits."""
    return L.sig(seconds / _DAY, 3) if seconds % _DAY else L.count(seconds / _DAY)


@dataclass(frozen=True)
class SettlementWindow:
    """A larva run's duration against its competency window and PLD (all in seconds)."""

    run: float
    competent_from: float
    competent_until: float
    pld: float

    @property
    def case(self) -> str | None:
        """'none' (ends before competency), 'cut' (inside it), 'pld' (before the PLD) or None (long enough)."""
        if self.run < self.competent_from:
            return "none"
        if self.run < self.competent_until:
            return "cut"
        if self.run < self.pld:
            return "pld"
        return None

    @property
    def none_can_settle(self) -> bool:
        return self.case == "none"

    def message(self, lang=None) -> str | None:
        """The sentence for this case (lower-case start, no final stop), or None when the run is long enough.

        ``lang``: a :class:`marinenet.report.i18n.Lang` (English by default: the CLI and run.log).
        """
        if self.case is None:
            return None
        if lang is None:
            from ..report.i18n import get

            lang = get("en")
        return lang.t(
            f"timing.{self.case}",
            run=_days(lang, self.run),
            start=_days(lang, self.competent_from),
            end=_days(lang, self.competent_until),
            pld=_days(lang, self.pld),
        )


def settlement_window(
    duration: float, pld: float | None, competency: tuple[float, float] | None
) -> SettlementWindow | None:
    """The :class:`SettlementWindow` of a larva run (durations in seconds); None without a PLD."""
    if pld is None:
        return None
    lo, hi = competency if competency is not None else (0.0, pld)
    return SettlementWindow(float(duration), float(lo), float(min(hi, pld)), float(pld))


def larva_run_warning(scenario) -> str | None:
    """The warning for a :class:`~marinenet.scenario.Scenario` whose larvae cannot all settle in time."""
    b = scenario.behaviour
    if b.kind != "larva":
        return None
    window = settlement_window(scenario.simulation.duration, b.pld, b.competency)
    text = window.message() if window is not None else None
    return f"{text[0].upper()}{text[1:]}." if text else None
