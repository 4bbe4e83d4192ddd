"""``marinenet warmup``: compile the fast engine and the analysis kernels ahead of a first run.

numba keeps what it compiles in its disk cache, so the first ``marinenet run`` after this
loads them instead of compiling (e.g. run it when building a container image, or once on a
cluster's login node before a batch of jobs).
"""

from __future__ import annotations

import time
from pathlib import Path

import typer

__all__ = ["warmup"]

#: the kernels of the demo scenario (a passive drift with every analysis) when none is named
_DEMO = {
    "name": "warm-up",
    "ocean": {"source": "demo"},
    "zones": {"eez": {"source": "demo"}},
    "release": {"from": {"layer": "eez"}, "particles": 10, "start": "2021-03-01T00:00"},
    "simulation": {"duration": "1 day", "dt": "1 hour", "output_every": "1 day", "engine": "fast"},
}


def warmup(
    scenarios: list[Path] = typer.Argument(  # noqa: B008 - typer's way
        None, help="Scenario YAML files whose runs to prepare (default: a passive drift, as the demo)."
    ),
) -> None:
    """Compile the fast engine and analysis kernels now, so that the first run does not wait for them."""
    from . import warmup as w
    from .cli import _user_errors, out
    from .scenario import load_scenario, scenario_from_dict

    with _user_errors():
        loaded = [load_scenario(s) for s in scenarios or []] or [scenario_from_dict(_DEMO)]
        for sc in loaded:
            t0 = time.perf_counter()
            names = w.compile_all(sc)
            out.print(
                f"{sc.name}: {', '.join(names)} ready ({time.perf_counter() - t0:.1f} s)", highlight=False
            )
