"""Checkpoints of a run and resuming an interrupted one (``simulation.checkpoint_every``, ``--resume``)."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

from .engine.checkpoint import Checkpoint
from .errors import ScenarioError
from .fingerprint import check_fingerprint, save_fingerprint
from .outputs import write_json
from .scenario import Scenario

__all__ = ["checkpoint_dir", "resume_scenario", "run_checkpoint"]

log = logging.getLogger("marinenet")


def checkpoint_dir(out: str | Path) -> Path:
    """Where a run writing to ``out`` keeps its checkpoints (a hidden folder beside it)."""
    out = Path(out).resolve()
    return out.parent / f".{out.name}.checkpoint"


def resume_scenario(out: str | Path) -> Scenario:
    """The scenario of the interrupted run that was writing to ``out``."""
    from .scenario import scenario_from_dict

    path = checkpoint_dir(out) / "scenario.json"
    if not path.is_file():
        raise ScenarioError(
            f"no checkpoint to resume for {out} (expected {path}); checkpoints are written when the "
            "scenario sets simulation.checkpoint_every and the fast engine runs"
        )
    return scenario_from_dict(json.loads(path.read_text()), origin=str(path))


def run_checkpoint(scenario: Scenario, out_dir: Path, engine: str, streams, resume: bool, n: int):
    """The run's :class:`Checkpoint` (None without ``checkpoint_every``); saves the scenario with it.

    A resume must have the scenario, the inputs and the particle count (``n``) of the checkpoint.
    """
    every = scenario.simulation.checkpoint_every
    folder = checkpoint_dir(out_dir)
    if resume and not (folder / "state.npz").is_file():
        raise ScenarioError(f"nothing to resume: no checkpoint in {folder}")
    if resume:
        check_fingerprint(folder, scenario, n)
    if every is None:
        return None
    if engine != "fast":  # said by capabilities.plan (a note of validate and run)
        return None
    if not resume:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        write_json(scenario.to_dict(), folder / "scenario.json")
        save_fingerprint(folder, scenario, n)
    steps = max(int(round(every / scenario.simulation.output_every)), 1)
    return Checkpoint(folder, steps, extra=(streams.arrays, streams.restore))
