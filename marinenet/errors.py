"""Exceptions raised for problems a user can fix (bad scenario, bad data files).

Every error here is caught by the CLI, printed as a one-paragraph message without a
traceback, and turned into exit code 2. Programming errors are *not* wrapped: they
surface as ordinary Python exceptions.
"""

from __future__ import annotations

__all__ = ["MarinenetError", "ScenarioError", "InputDataError"]


class MarinenetError(Exception):
    """Base class of errors caused by user input (exit code 2 from the CLI)."""


class ScenarioError(MarinenetError):
    """The scenario file is malformed: unknown key, wrong type, wrong unit, missing file."""


class InputDataError(MarinenetError):
    """A data file (currents, zone layer) cannot be used as it is."""
