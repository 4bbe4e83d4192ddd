"""Ensembles over release dates (seasons, years): one run per member, then the spread of every fraction.

``marinenet ensemble scenario.yaml --starts 2019-03-01,2020-03-01,2021-03-01`` (or ``--years
2019-2021``: the scenario's release day and time in each year) writes ``OUT/members/<date>/`` (a
full run each) and ``OUT/ensemble/<layer>.csv`` with, per (source, destination), the mean, standard
deviation, minimum and maximum of the fraction across members (a member where the pair does not
occur counts as 0). Each member keeps the scenario's release pattern: ``until`` and ``dates`` move
with ``start``.

Across members (:mod:`marinenet.ensemble_members`): the coherence of each network
(``coherence_members.csv``, with ``analysis: coherence``), the key flows (``flows_members.csv``),
the trend of each indicator (``trends.csv``: Theil–Sen slope, Mann–Kendall test,
:mod:`marinenet.ensemble_trends`) and ``ensemble/report.html`` with its figures
(:mod:`marinenet.report.ensemble_report`).

Every member's inputs are checked before the first member runs, and the ensemble folder is
written beside ``OUT`` and moved into place only when every member and table is complete
(:mod:`marinenet.rundir`): a failed member leaves no partial folder, and a previous ensemble
in ``OUT`` survives it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from .ensemble_members import MemberTables, member_tables
from .errors import MarinenetError, ScenarioError
from .outputs import write_csv, write_json
from .pipeline import check, run
from .rundir import RunDir
from .scenario import Scenario

__all__ = ["run_ensemble", "ensemble_spread", "starts_in_years", "rebuild_ensemble_report"]

log = logging.getLogger("marinenet")


def ensemble_spread(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Spread of ``fraction`` across members: ``source, destination, members, mean, sd, min, max``."""
    frames = []
    for member, t in tables.items():
        frames.append(t[["source", "destination", "fraction"]].assign(member=member))
    allf = pd.concat(frames, ignore_index=True)
    wide = allf.pivot_table(
        index=["source", "destination"], columns="member", values="fraction", fill_value=0.0
    )
    for member in tables:  # members where a pair never occurs count as 0
        if member not in wide.columns:
            wide[member] = 0.0
    values = wide[list(tables)].to_numpy()
    out = pd.DataFrame(
        {
            "members": values.shape[1],
            "mean": values.mean(axis=1),
            "sd": values.std(axis=1, ddof=1) if values.shape[1] > 1 else np.zeros(len(values)),
            "min": values.min(axis=1),
            "max": values.max(axis=1),
        },
        index=wide.index,
    ).reset_index()
    return out


def _member(scenario: Scenario, out: Path, maps: bool) -> dict[str, pd.DataFrame]:  # runs on a worker
    return run(scenario, out=out, maps=maps).connectivity


def run_ensemble(
    scenario: Scenario,
    starts: Sequence[str | datetime],
    out: str | Path,
    progress: Callable[[str, float, float], None] | None = None,
    maps: bool = False,
    client=None,
    language: str | None = None,
) -> dict[str, pd.DataFrame]:
    """Run ``scenario`` once per release date in ``starts`` and write the spread of its connectivity.

    With a ``distributed.Client`` the members run as tasks on its workers (each a whole run,
    written to its own folder); results are those of running them one after another.

    Parameters
    ----------
    scenario
        The scenario of every member; only ``release.start`` changes between members.
    starts
        At least two release dates (``"2021-03-01"`` or :class:`datetime.datetime`).
    out
        The ensemble folder: ``members/<date>/`` (a full run each) and ``ensemble/<layer>.csv``.
    progress
        Called as ``progress(member, done, total)``.
    maps
        Draw each member's PNG figures.
    client
        A ``distributed.Client`` to run the members on.
    language
        Language of ``ensemble/report.html`` (default: the scenario's ``report.language``).

    Returns
    -------
    dict of str to pandas.DataFrame
        Per zone layer: ``source, destination, members, mean, sd, min, max`` of the fraction.

    Raises
    ------
    MarinenetError
        Fewer than two dates, or a member whose inputs do not pass :func:`marinenet.check`
        (found before the first member runs; nothing is written then).
    """
    if len(starts) < 2:
        raise ScenarioError("an ensemble needs at least two release dates (--starts d1,d2,...)")
    out = Path(out).resolve()
    members = _members(scenario, starts)
    target = RunDir(out, kind="ensemble")
    try:
        for label, member in members.items():  # every member's inputs, before the first one runs
            try:
                check(member)
            except MarinenetError as exc:
                raise type(exc)(f"ensemble member {label}: {exc}") from None
        spread, connectivity = _run_members(members, target.stage, progress, maps, client, scenario.name)
        _across_members(target.stage, members, spread, connectivity, language or scenario.report.language)
        target.commit()
    finally:
        target.close()
    return spread


def starts_in_years(scenario: Scenario, years: str) -> list[datetime]:
    """The release dates of ``--years`` (``2015-2020``, ``2015,2017,2019`` or both mixed): the scenario's
    release month, day and time of day in each year."""
    s = scenario.release.start
    chosen: list[int] = []
    for part in (p.strip() for p in years.split(",") if p.strip()):
        first, _, last = part.partition("-")
        try:
            a, b = int(first), int(last or first)
        except ValueError:
            raise ScenarioError(
                f"--years: could not read {part!r} in {years!r}; expected years like 2015-2020 or 2015,2017"
            ) from None
        if b < a:
            raise ScenarioError(f"--years: {part!r} ends before it starts; expected e.g. 2015-2020")
        chosen.extend(y for y in range(a, b + 1) if y not in chosen)
    out = []
    for y in chosen:
        try:
            out.append(s.replace(year=y))
        except ValueError:
            raise ScenarioError(
                f"--years: release.start {s:%d %B} does not exist in {y}; choose another release day"
            ) from None
    return out


def _members(scenario: Scenario, starts: Sequence[str | datetime]) -> dict[str, Scenario]:
    members = {}
    for start in starts:
        when = np.datetime64(start, "s").astype(datetime) if not isinstance(start, datetime) else start
        member = scenario.model_copy(deep=True)
        shift = when - scenario.release.start  # the release pattern moves with its start
        member.release.start = when
        if member.release.until is not None:
            member.release.until = member.release.until + shift
        if member.release.dates is not None:
            member.release.dates = [d + shift for d in member.release.dates]
        label = str(np.datetime64(when, "m")).replace(":", "")
        if label in members:
            raise ScenarioError(f"ensemble: the release date {label} is given twice")
        members[label] = member
    return members


def _across_members(
    stage: Path,
    members: dict[str, Scenario],
    spread: dict[str, pd.DataFrame],
    connectivity: dict[str, dict[str, pd.DataFrame]],
    language: str,
) -> None:
    """The per-member tables, the trends and the ensemble report (from the members' folders)."""
    from .report.ensemble_report import write_ensemble_report

    starts = {label: m.release.start for label, m in members.items()}
    tables = member_tables(stage, starts, connectivity, spread)
    tables.write(stage / "ensemble")
    first = next(iter(members))
    member = json.loads((stage / "members" / first / "summary.json").read_text(encoding="utf-8-sig"))
    write_ensemble_report(stage / "ensemble", members[first].name, tables, language, member)


def _run_members(members: dict[str, Scenario], out: Path, progress, maps: bool, client, name: str):
    results: dict[str, dict[str, pd.DataFrame]] = {}
    pending = {}
    for label, member in members.items():
        log.info("ensemble member %s", label)
        if client is not None:
            pending[label] = client.submit(_member, member, out / "members" / label, maps, pure=False)
            continue
        cb = (lambda done, total, _l=label: progress(_l, done, total)) if progress else None
        results[label] = run(member, out=out / "members" / label, progress=cb, maps=maps).connectivity
    if pending:
        from distributed import as_completed

        futures = {f: lab for lab, f in pending.items()}
        for done, fut in enumerate(as_completed(futures), start=1):
            results[futures[fut]] = fut.result()
            log.info("ensemble member %s done (%d/%d)", futures[fut], done, len(futures))
            if progress is not None:
                progress(futures[fut], done, len(futures))
        results = {lab: results[lab] for lab in pending}  # in the order of the dates
    spread = {}
    for layer in results[next(iter(results))]:
        tables = {m: r[layer] for m, r in results.items() if layer in r}
        spread[layer] = ensemble_spread(tables)
        write_csv(spread[layer], out / "ensemble" / f"{layer}.csv")
    write_json(
        {
            "name": name,
            "members": list(results),
            "layers": list(spread),
            "comment": "spread of connectivity fractions across release dates (members)",
        },
        out / "ensemble" / "summary.json",
    )
    return spread, results


def is_ensemble(out: str | Path) -> bool:
    """Whether ``out`` is the folder of an ensemble (``ensemble/summary.json``, no run of its own)."""
    out = Path(out)
    return (out / "ensemble" / "summary.json").is_file() and not (out / "summary.json").exists()


def rebuild_ensemble_report(out: str | Path, language: str | None = None) -> tuple[Path, Path]:
    """Redraw ``ensemble/report.html``, ``brief.pdf`` and the figures of a saved ensemble from its
    tables (``marinenet report OUT`` on an ensemble folder; no member is run again).

    ``language``: en, fr or es (default: the scenario's ``report.language``). Returns the paths of
    the report and the brief.
    """
    import yaml

    from .report.ensemble_report import write_ensemble_report
    from .rundir import output_lock, record_files, recover

    out = Path(out).resolve()
    with output_lock(out):
        recover(out)
        folder = out / "ensemble"
        info = json.loads((folder / "summary.json").read_text(encoding="utf-8-sig"))
        first = out / "members" / info["members"][0]
        member = json.loads((first / "summary.json").read_text(encoding="utf-8-sig"))
        resolved = yaml.safe_load((first / "scenario.resolved.yaml").read_text(encoding="utf-8"))
        language = language or (resolved.get("report") or {}).get("language", "en")
        before = {p for p in out.rglob("*") if p.is_file()}
        tables = MemberTables.read(folder, info.get("layers"))
        html_path = write_ensemble_report(folder, info["name"], tables, language, member)
        new = {p for p in out.rglob("*") if p.is_file()} - before
        record_files(out, [str(p.relative_to(out)) for p in new])
    return html_path, folder / "brief.pdf"
