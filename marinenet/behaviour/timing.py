"""Is a larva run long enough for its larvae to settle? One check for ``validate``, ``run`` and the report.

Every larva is tracked for the scenario's ``duration`` from its own release, so its age at the end
is at most that duration. If the run ends before competency starts, no larva can settle; if it ends
inside the competency window, settlement is undercounted; if it ends after competency but before
the pelagic larval duration (PLD), larvae still alive are 'still drifting', not 'unsettled'.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SettlementWindow", "settlement_window", "larva_run_warning", "TIMING_WORDS"]

_DAY = 86400.0

#: the sentences (user-visible, kept together so they can move into a language catalogue)
TIMING_WORDS = {
    "none": "the run lasted {run} days; larvae become able to settle from day {start}, so none could "
    "settle. Run for at least {start} days (the whole larval life: {pld} days) to see settlement",
    "cut": "the run lasted {run} days; larvae can settle from day {start} to day {end}, so larvae still "
    "drifting at the end might have settled later: settlement is undercounted",
    "pld": "the run lasted {run} days, less than the pelagic larval duration ({pld} days): larvae still "
    "alive at the end are counted as still drifting, not as having ended their larval life unsettled",
}


def _days(seconds: float) -> str:
    return f"{seconds / _DAY:.3g}" if seconds % _DAY else f"{seconds / _DAY:,.0f}"


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

    def message(self) -> str | None:
        """The sentence for this case (lower-case start, no final stop), or None when the run is long enough."""
        if self.case is None:
            return None
        return TIMING_WORDS[self.case].format(
            run=_days(self.run),
            start=_days(self.competent_from),
            end=_days(self.competent_until),
            pld=_days(self.pld),
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
