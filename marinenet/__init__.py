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
"""

from importlib.metadata import PackageNotFoundError, version

from .ensemble import run_ensemble
from .errors import InputDataError, MarinenetError, ScenarioError
from .pipeline import RunResult, check, prepare, run
from .scenario import Scenario, load_scenario, scenario_from_dict

try:
    __version__ = version("marinenet")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0+unknown"

__all__ = [
    "__version__",
    "load_scenario",
    "scenario_from_dict",
    "Scenario",
    "run",
    "run_ensemble",
    "check",
    "prepare",
    "RunResult",
    "MarinenetError",
    "ScenarioError",
    "InputDataError",
]
