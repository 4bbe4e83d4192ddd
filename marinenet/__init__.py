"""marinenet: marine connectivity across jurisdictions.

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
