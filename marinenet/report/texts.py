"""The words of the report that depend on what the run is: description, fates, caveats, definitions."""

from __future__ import annotations

import re
from pathlib import PurePath

import numpy as np

from .facts import OUTCOME_KEYS, RunFacts
from .i18n import Lang

__all__ = [
    "describe_run",
    "fates_sentence",
    "caveats",
    "definitions",
    "source_name",
    "noun",
    "sampling_text",
    "window_text",
]


def noun(f: RunFacts, n: float = 2) -> str:
    """'particles' / 'larvae' / 'swimmers' in the report's language (singular for one)."""
    kind = f.kind if f.kind in ("passive", "larva", "swimmer") else "passive"
    return f.L.tn(f"noun.{kind}", n)


def source_name(source) -> str:
    """A data source as the reader should see it: a file name, never a local folder path."""
    text = str(source)
    if "://" in text:
        return text
    return PurePath(text).name or text


def _when(L: Lang, times: list) -> str:
    if len(times) == 1:
        return L.t("when.once", date=L.when(times[0]))
    first, last, n = L.when(times[0]), L.when(times[-1]), L.count(len(times))
    steps = np.diff(np.array(times, dtype="datetime64[m]")).astype("timedelta64[m]").astype(float)
    if np.allclose(steps, steps[0]):
        step_days = steps[0] / 1440.0
        if step_days in (1, 7):
            return L.t("when.daily" if step_days == 1 else "when.weekly", n=n, first=first, last=last)
        return L.t("when.every", n=n, days=L.sig(step_days), first=first, last=last)
    return L.t("when.between", n=n, first=first, last=last)


def _zones(L: Lang, ids: list, layer) -> str:
    return L.tn("where.zones", len(ids), ids=", ".join(map(str, ids)), layer=layer)


def _where(L: Lang, release: dict) -> str:
    frm = release.get("from") or {}
    if isinstance(frm, list):
        return L.t("where.areas", n=L.count(len(frm)))
    if frm.get("points"):
        k = len(frm["points"])
        return L.tn("where.points", k, n=L.count(k))
    ids = frm.get("ids")
    if ids:
        return _zones(L, ids, frm.get("layer"))
    return L.t("where.layer", layer=frm.get("layer"))


def _age(L: Lang, duration) -> str:
    """A larval age as readers compare them: in days ('196 days', not '28 weeks'; '36 hours' stays)."""
    from ..units import parse_duration

    try:
        days = parse_duration(duration) / 86400.0
    except (TypeError, ValueError):
        return str(duration)
    if days >= 1 and days == round(days):
        return L.tn("unit.day", days, n=L.count(days))
    return L.duration(duration)


def _behaviour(f: RunFacts) -> str:
    b, kind, L = f.behaviour, f.kind, f.L
    if kind == "larva":
        text = L.t("larva.pld", pld=_age(L, b.get("pld")))
        if b.get("competency"):
            text += L.t("larva.competency", a=_age(L, b["competency"][0]), b=_age(L, b["competency"][1]))
        if (b.get("settle_in") or {}).get("layer"):
            text += L.t("larva.settle_in", layer=b["settle_in"]["layer"])
        if b.get("mortality"):
            text += L.t("larva.mortality", rate=L.rate(b["mortality"]))
        return text + "."
    sim = (f.scenario.get("simulation") or {}).get("duration")
    sim = L.duration(sim) if sim else ""
    if kind == "swimmer":
        target = b.get("target") or {}
        ids = target.get("ids") or []
        if ids:
            where = _zones(L, ids, target.get("layer"))
        elif target.get("layer"):
            where = L.t("where.layer_only", layer=target["layer"])
        else:
            where = L.t("where.point", point=target.get("point"))
        return L.t("swimmer.behaviour", speed=L.sig(float(b.get("speed") or 0)), where=where, duration=sim)
    return L.t("passive.behaviour", duration=sim)


def describe_run(f: RunFacts) -> str:
    L = f.L
    ocean = f.scenario.get("ocean") or {}
    currents = (
        L.t("currents.demo")
        if f.synthetic or ocean.get("source") == "demo"
        else L.t("currents.file", source=source_name(ocean.get("source")))
    )
    text = L.tn(
        "describe.released",
        f.released,
        n=L.count(f.released),
        noun=noun(f, f.released),
        where=_where(L, f.scenario.get("release") or {}),
        when=_when(L, f.release_times),
    )
    text += " " + _behaviour(f)
    depth = (f.scenario.get("release") or {}).get("depth") or 0
    level = L.t("level.depth", depth=L.sig(depth)) if depth else L.t("level.surface")
    kh = float(f.behaviour.get("diffusion") or 0)
    turb = L.t("describe.turbulence", kh=L.sig(kh)) if kh > 0 else ""
    key = "describe.tracked_3d" if ocean.get("three_d") else "describe.tracked"
    return text + " " + L.t(key, level=level, currents=currents, turbulence=turb) + _drift(f)


def _drift(f: RunFacts) -> str:
    """Wind and wave drift, and a backward run's direction, in words (empty when none applies)."""
    L, b, out = f.L, f.behaviour, []
    if b.get("windage"):
        deg = float(b.get("windage_deflection") or 0)
        side = L.t("describe.side.right" if deg > 0 else "describe.side.left")
        turn = L.t("describe.deflection", deg=L.sig(abs(deg)), side=side) if deg else ""
        out.append(L.t("describe.windage", pct=L.pct(float(b["windage"]), 2), deflection=turn))
    if b.get("stokes"):
        out.append(L.t("describe.stokes"))
    if f.backward:
        sim = f.scenario.get("simulation") or {}
        out.append(L.t("describe.backward", days=L.duration(sim.get("duration", 0))))
    return "".join(" " + t for t in out)


def _not_settled(f: RunFacts) -> str | None:
    """Larvae that did not settle, as the settlement table counts them ('unsettled'): those at the end of
    their larval life and those still drifting when the run ended, one number and how many drift."""
    L, n = f.L, f.released
    ended, drifting = f.count("unsettled"), f.count("active_at_end")
    total = ended + drifting
    if total == 0 or n == 0:
        return None
    detail = ""
    if drifting:
        detail = L.t("fate.not_settled.drifting_some", k=L.count(drifting)) if ended else ""
        detail = detail or L.t("fate.not_settled.drifting_all")
    return L.tn("fate.not_settled", total, n=L.count(total), pct=L.pct(total / n), detail=detail)


def fates_sentence(f: RunFacts) -> str:
    """How every particle ended; for larvae, 'unsettled' as in the settlement table (drifting ones too)."""
    n, L = f.released, f.L
    larva = f.kind == "larva"
    parts = []
    for key in OUTCOME_KEYS:
        if larva and key in ("unsettled", "active_at_end"):
            part = _not_settled(f) if key == "unsettled" else None
            parts += [part] if part else []
        elif f.count(key) > 0 and n > 0:
            # swimmers still out at the end were swimming, not drifting
            name = f"fate.{key}.swimmer" if key == "active_at_end" and f.kind == "swimmer" else f"fate.{key}"
            parts.append(L.tn(name, f.count(key), n=L.count(f.count(key)), pct=L.pct(f.count(key) / n)))
    if not parts:
        return L.t("fates.none", n=L.count(n), noun=noun(f, n))
    return L.tn("fates.head", n, n=L.count(n), noun=noun(f, n), parts=L.join(parts))


def window_text(L: Lang, window) -> str:
    """Why a larva run's length limits settlement (a :class:`~marinenet.behaviour.timing.SettlementWindow`
    whose ``case`` is not None), in the report's language: lower-case start, no final stop."""
    return window.message(L)


def caveats(f: RunFacts) -> list[str]:
    b, ocean, L = f.behaviour, f.scenario.get("ocean") or {}, f.L
    out = []
    if f.synthetic:
        out.append(L.t("caveat.synthetic"))
    else:
        real = L.t("caveat.real_currents", source=source_name(ocean.get("source")))
        # real data: the maps draw the shipped Natural Earth coastline, not the model's land mask
        out.append(real + " " + L.t("caveat.map_real"))
    window = f.settlement_window
    if window is not None and window.case is not None:
        out.append(L.t("caveat.run_length", text=window_text(L, window)))
    if f.kind == "passive":
        out.append(L.t("caveat.passive"))
    elif f.kind == "larva":
        out.append(L.t("caveat.larva"))
        if f.indices_basis != "recruitment":
            out.append(L.t("caveat.larva_end_indices"))
    elif f.kind == "swimmer":
        out.append(
            L.t(
                "caveat.swimmer",
                speed=L.sig(float(b.get("speed") or 0)),
                persistence=L.sig(float(b.get("persistence") or 0)),
                turn_sd=L.sig(float(b.get("turn_sd") or 0)),
            )
        )
    if float(b.get("diffusion") or 0) <= 0:
        out.append(L.t("caveat.no_diffusion"))
    coast = ocean.get("coast", "stop")
    out.append(L.t(f"caveat.coast.{coast if coast in ('stop', 'previous', 'slip') else 'stop'}"))
    dt = (f.scenario.get("simulation") or {}).get("dt")
    if dt:
        out.append(L.t("caveat.time_step", dt=L.duration(dt)))
    out.append(L.t("caveat.out_of_domain"))
    if not ocean.get("three_d"):
        out.append(L.t("caveat.two_d"))
    if len(f.release_times) == 1:
        out.append(L.t("caveat.one_release"))
    out.append(L.t("caveat.intervals"))
    out += [L.t("caveat.under_sampled", layer=k) for k in f.under_sampled]
    return out


#: index columns with a definition (catalogue ``def.<column>.term`` / ``.text`` / ``.settlement``)
_DEFINED = (
    "local_retention",
    "self_recruitment",
    "import_dependency",
    "abnj_dependency",
    "export_share",
    "betweenness",
)


def definitions(f: RunFacts) -> list[tuple[str, str]]:
    idx = f.run.indices.get(f.main) if f.main else None
    cols = set(idx.columns) if idx is not None else set()
    rec = f.indices_basis == "recruitment"
    L = f.L
    out = [
        (L.t(f"def.{col}.term"), L.t(f"def.{col}.{'settlement' if rec else 'text'}"))
        for col in _DEFINED
        if col in cols
    ]
    out.append((L.t("def.interval.term"), L.t("def.interval.text")))
    if f.kind == "larva":
        out.append((L.t("def.settled.term"), L.t("def.settled.text")))
    return out


_UNDER = re.compile(
    r"UNDER-SAMPLED: some fractions are uncertain by up to ±(?P<half>[\d.]+) and the smallest source released "
    r"only (?P<smallest>[\d.e+]+) particles \(targets: ±(?P<target>[\d.]+) and (?P<target_n>\d+)\)\."
)
_DETAIL = re.compile(
    r"(?P<rare>\d+) of (?P<seen>\d+) observed connections are rare .*?; (?P<unseen>\d+) pair\(s\) had no "
    r"particle, and each could still be as large as (?P<upper>[\d.]+)"
)


def sampling_text(L: Lang, message: str) -> str:
    """summary.json's (English) sampling verdict of a layer, in the report's language."""
    m = _UNDER.search(message)
    if L.code == "en" or m is None:
        return message
    text = L.t(
        "sampling.under",
        half=L.num(float(m["half"]), 3),
        smallest=L.count(float(m["smallest"])),
        target=L.sig(float(m["target"])),
        target_n=L.count(int(m["target_n"])),
    )
    d = _DETAIL.search(message)
    if d is not None:
        text += " " + L.t(
            "sampling.detail",
            rare=L.count(int(d["rare"])),
            seen=L.count(int(d["seen"])),
            unseen=L.count(int(d["unseen"])),
            upper=L.num(float(d["upper"]), 3),
        )
    return text
