"""marinenet: marine connectivity across jurisdictions.

The public API, by task (each name has a numpydoc docstring: ``help(marinenet.run)``).

Scenarios
    load_scenario(path)
        Read and validate a scenario YAML file → :class:`Scenario`.
    scenario_from_dict(data)
        The same from a dictionary (the YAML content).
    Scenario
        The validated scenario (pydantic model; its keys are the YAML keys).

Runs
    run(scenario, out)
        Run end to end and write the output folder → :class:`RunResult`.
    run_ensemble(scenario, starts, out)
        One run per release date, and the spread of each connectivity fraction.
    check(scenario)
        What ``marinenet validate`` does: load and check every input, run nothing.
    prepare(scenario)
        Load and check every input → the prepared inputs an engine runs on.
    RunResult
        What a run produced: folder, summary, connectivity tables, matrices, tracks.

Reports
    dossier(out, site, language=None)
        The connectivity dossier (HTML + PDF) of one protected site or candidate: its paths.

Errors (the CLI prints them without a traceback and exits with code 2)
    MarinenetError
        Base of every error a user can fix.
    ScenarioError
        The scenario is malformed: unknown key, wrong type or unit, missing file.
    InputDataError
        A data file (currents, zone layer) cannot be used as it is.

The stages have their own public functions (numpydoc-documented, see their ``__all__``):
:mod:`marinenet.ocean` (currents), :mod:`marinenet.zones` (zone layers), :mod:`marinenet.release`
(seeding), :mod:`marinenet.telemetry` (animal tracks), :mod:`marinenet.connectivity` (matrices).

Particle tracking through ocean currents, overlaid on EEZ, high-seas (ABNJ), EBSA and
MPA layers. The whole public API is on this page::

    import marinenet
    scenario = marinenet.load_scenario("scenarios/demo.yaml")
    result = marinenet.run(scenario, out="results/demo")
    result.connectivity["eez"]     # source, destination, count, fraction
    again = marinenet.open_run("results/demo")   # the same RunResult, from the saved files

``import marinenet`` is light (no numpy, xarray, geopandas, numba or Parcels): every name below
is imported on first use (PEP 562 module ``__getattr__``).
"""

from __future__ import annotations

import importlib
import sys
import types
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

from .errors import InputDataError, MarinenetError, ScenarioError

try:
    __version__ = version("marinenet")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0+unknown"

#: public name -> the module that defines it (imported when the name is first used)
_LAZY = {
    "load_scenario": ".scenario",
    "scenario_from_dict": ".scenario",
    "Scenario": ".scenario",
    "run": ".pipeline",
    "check": ".pipeline",
    "prepare": ".pipeline",
    "run_ensemble": ".ensemble",
    "RunResult": ".result",
    "open_run": ".result",
    "dossier": ".commands",
}

__all__ = [
    "__version__",
    "load_scenario",
    "scenario_from_dict",
    "Scenario",
    "run",
    "run_ensemble",
    "check",
    "prepare",
    "open_run",
    "dossier",
    "RunResult",
    "MarinenetError",
    "ScenarioError",
    "InputDataError",
]

if TYPE_CHECKING:  # for type checkers and IDEs: the names as if imported eagerly
    from .commands import dossier
    from .ensemble import run_ensemble
    from .pipeline import check, prepare, run
    from .result import RunResult, open_run
    from .scenario import Scenario, load_scenario, scenario_from_dict


def __getattr__(name: str):
    """Import a public name (or a submodule: ``marinenet.zones``) on first use."""
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
    else:
        try:
            value = importlib.import_module(f".{name}", __name__)
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(types.ModuleType):
    """``marinenet.prepare`` stays the function when the submodule ``marinenet.prepare`` is imported.

    Importing a submodule sets it as an attribute of its package; a public name that is also a
    submodule's name (``prepare``) would then be that module. The submodule itself stays
    importable (``from marinenet.prepare import ...``).
    """

    def __setattr__(self, name: str, value) -> None:
        if name in _LAZY and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
