"""``report.html``: one self-contained page (images and CSS inline; opens offline, no CDN)."""

from __future__ import annotations

import base64
import html
import logging
import re

import numpy as np
import pandas as pd
import yaml

from .explorer import CSS as _XP_CSS
from .i18n import Lang
from .i18n import get as get_language
from .texts import source_name

__all__ = ["render_html", "strip_nulls"]

log = logging.getLogger("marinenet")

_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;
color:#1b2a38;line-height:1.45}
h1{color:#0b3d5c}h2{color:#0b3d5c;border-bottom:2px solid #d6e4ef;padding-bottom:.2em;margin-top:1.6em}
.banner{background:#8b0000;color:#fff;padding:.6em 1em;font-weight:bold;border-radius:4px}
.warn{background:#fff3cd;border-left:5px solid #e0a800;padding:.6em 1em;margin:.6em 0}
.note{background:#f3f3f3;border-left:5px solid #888;padding:.6em 1em;margin:.6em 0}
.ok{background:#e8f5e9;border-left:5px solid #2e7d32;padding:.6em 1em}
ul.findings li{margin:.4em 0}
figure{margin:1.2em 0}figure img{max-width:100%;height:auto;border:1px solid #d6e4ef}
figcaption{font-size:.9em;color:#44586a}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;font-size:.85em;margin:.6em 0}th,td{border:1px solid #c9d6e2;padding:.25em .5em;
text-align:right;white-space:nowrap}th{background:#eef4f9;white-space:normal}
td:first-child,th:first-child,table.two td:nth-child(2),table.two th:nth-child(2){text-align:left}
ul.files{columns:3 16em;font-size:.9em}
pre{background:#f5f7f9;padding:.8em;overflow-x:auto;font-size:.8em;white-space:pre-wrap}
dl dt{font-weight:bold;margin-top:.5em}dl dd{margin-left:1.2em}
.meta td{text-align:left;white-space:normal}
"""


def _img(fig) -> str:
    data = base64.b64encode(fig.path.read_bytes()).decode("ascii")
    alt = html.escape(f"{fig.title}. {fig.caption}", quote=True)
    return f'<img alt="{alt}" src="data:image/png;base64,{data}">'


def _cell(L: Lang, x) -> str:
    """A table value in the report's language: 3 significant digits, counts grouped, undefined as '–'."""
    if isinstance(x, bool | np.bool_):
        return str(x)
    if isinstance(x, float | np.floating):
        if not np.isfinite(x):
            return "–"
        return L.count(x) if float(x).is_integer() and abs(float(x)) >= 1000 else L.sig(x, 3)
    if isinstance(x, int | np.integer):
        return L.count(x)
    return str(x)


def _table(L: Lang, frame: pd.DataFrame, caption: str, max_rows: int = 40) -> str:
    """A table in its own horizontally scrolling box; undefined values as '–' (never 'nan')."""
    shown = frame.head(max_rows).copy()
    for col in ("source", "destination"):  # outcomes (dead, stranded...) in the report's language
        if col in shown:
            shown[col] = shown[col].map(L.outcome)
    if "basis" in shown:  # settlement / end_of_run: the CSV keeps the English value
        shown["basis"] = shown["basis"].map(L.basis)
    shown.columns = [L.column(str(c)) for c in shown.columns]
    two = len(frame.columns) > 1 and frame[frame.columns[1]].dtype == object  # e.g. source, destination
    text = shown.to_html(
        index=False,
        formatters={c: (lambda x: _cell(L, x)) for c in shown.columns},
        na_rep="–",
        border=0,
        escape=True,
        classes="two" if two else None,
    )
    text = text.replace("<table", f"<table aria-label='{html.escape(caption, quote=True)}'", 1)
    out = f"<div class='scroll' role='region' tabindex='0' aria-label='{html.escape(caption, quote=True)}'>{text}</div>"
    if len(frame) > max_rows:
        out += f"<p><em>{html.escape(L.t('table.more_rows', k=L.count(len(frame) - max_rows)))}</em></p>"
    if frame.isna().any().any():
        out += f"<p><small>{html.escape(L.t('table.undefined'))}</small></p>"
    return out


def strip_nulls(value):
    """The scenario without its unset (null) keys: what the reader needs, not every default."""
    if isinstance(value, dict):
        return {k: strip_nulls(v) for k, v in value.items() if v is not None and strip_nulls(v) != {}}
    if isinstance(value, list):
        return [strip_nulls(v) for v in value]
    return value


#: behaviour keys that mean something for each kind (the resolved scenario fills in all of them)
_BEHAVIOUR_KEYS = {
    "passive": {"kind", "profile", "diffusion", "kernels"},
    "larva": {
        "kind",
        "profile",
        "diffusion",
        "kernels",
        "pld",
        "competency",
        "mortality",
        "mortality_mode",
        "settle_in",
        "ontogeny",
        "migration",
        "sources",
    },
    "swimmer": {
        "kind",
        "profile",
        "diffusion",
        "kernels",
        "speed",
        "target",
        "target_after",
        "persistence",
        "turn_sd",
        "arrive_within",
        "migration",
        "sources",
    },
}


def _shown_scenario(scenario: dict) -> dict:
    """Resolved scenario without nulls, without the other kinds' behaviour keys, without local folders."""
    sc = strip_nulls(scenario)
    b = sc.get("behaviour")
    if isinstance(b, dict) and b.get("kind") in _BEHAVIOUR_KEYS:
        sc["behaviour"] = {k: v for k, v in b.items() if k in _BEHAVIOUR_KEYS[b["kind"]]}

    def names(v, key=""):
        if isinstance(v, dict):
            return {k: names(x, k) for k, x in v.items()}
        if isinstance(v, list):
            return [names(x, key) for x in v]
        if isinstance(v, str) and key in {"source", "path", "grid", "output", "high_seas", "wind", "waves"}:
            return source_name(v)
        return v

    return names(sc)


#: the (English) reasons of :func:`marinenet.engine.select_engine` and of the ``supports`` checks it
#: quotes, each with its catalogue key; an unknown reason is shown as it is
_WHY = (
    (r"regular lon/lat grid", "engine.why.regular"),
    (r"the currents' (?P<axis>\w+) is not 1-D \(curvilinear grid\)", "engine.why.not_1d"),
    (r"the currents' (?P<axis>\w+) is not strictly increasing", "engine.why.not_increasing"),
    (r"vertical migration needs 3-D currents", "engine.why.needs_3d"),
)


def _why(L: Lang, why: str) -> str:
    """The detail of an engine choice in the report's language (the raw text if it is not a known one)."""
    behaviour = re.fullmatch(r"behaviour ('[^']*'): (.*)", why)
    if behaviour:
        return L.t("engine.why.behaviour", name=behaviour[1], why=_why(L, behaviour[2]))
    for pattern, key in _WHY:
        m = re.fullmatch(pattern, why)
        if m:
            return L.t(key, **m.groupdict())
    return why


def _engine_reason(L: Lang, reason: str) -> str:
    """summary.json's (English) reason for the engine choice, in the report's language."""
    if reason == "requested in the scenario":
        return L.t("engine.requested")
    fast = re.fullmatch(r"engine 'auto': the fast engine supports this run \((.*)\)", reason)
    if fast:
        return L.t("engine.auto_fast", detail=_why(L, fast[1]))
    auto = re.fullmatch(r"engine 'auto': (.*)", reason)
    return L.t("engine.auto", detail=_why(L, auto[1])) if auto else reason


def _header(L: Lang, run, findings) -> list[str]:
    s = run.summary
    parts = [
        f"<!DOCTYPE html><html lang='{L.code}'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{html.escape(L.t('html.title', name=s['name']))}</title><style>{_CSS}{_XP_CSS}</style>"
        "</head><body>",
        f"<header><h1>{html.escape(L.t('html.h1', name=s['name']))}</h1>",
    ]
    if findings.synthetic:
        parts.append(f"<p class='banner'>{html.escape(L.t('html.banner'))}</p>")
    parts.append("</header><main>")
    meta = [
        (L.t("meta.what"), findings.description),
        (L.t("meta.tracked"), L.t("meta.tracked_value", start=L.when(s["start"]), end=L.when(s["end"]))),
        (L.t("meta.engine"), f"{s['engine']} ({_engine_reason(L, s.get('engine_reason') or '')})"),
        (L.t("meta.seed"), str(s.get("seed"))),
        ("marinenet", str(s.get("versions", {}).get("marinenet", "?"))),
    ]
    parts.append(
        "<table class='meta'>"
        + "".join(f"<tr><th scope='row'>{k}</th><td>{html.escape(v)}</td></tr>" for k, v in meta)
        + "</table>"
    )
    return parts


def _explorer(L: Lang, run, findings) -> str:
    """The interactive explorer of the main layer, or a note why there is none (never an error)."""
    from .explorer import explorer_section
    from .facts import OUTCOMES, RunFacts

    try:
        f = RunFacts(run, L)
        larva = f.kind == "larva" and f.settlement_table is not None
        table = f.settlement_table if larva else f.connectivity
        if table is None or len(table) == 0 or f.main is None:
            return ""
        rows = int((table["count"] != 0).sum())
        if rows > EXPLORER_MAX_PAIRS:  # e.g. 20,000 zones: megabytes of JSON and SVG in one page
            file = f"{f.main}.settlement" if larva else f.main
            findings.notes.append(
                L.t(
                    "fallback.explorer_large", rows=L.count(rows), most=L.count(EXPLORER_MAX_PAIRS), file=file
                )
            )
            return ""
        return explorer_section(L, run, f.main, table, larva, OUTCOMES | f.outside_labels)
    except Exception as exc:  # noqa: BLE001 - the explorer must never take the report down
        log.warning("report: the connectivity explorer was left out: %s: %s", type(exc).__name__, exc)
        findings.notes.append(L.t("fallback.explorer", error=f"{type(exc).__name__}: {exc}"))
        return ""


#: largest number of non-zero (source, destination) pairs the connectivity explorer embeds in the page
EXPLORER_MAX_PAIRS = 50_000


def _nonzero_note(L: Lang, run, matrix: str) -> str:
    """For a table of the non-zero pairs only: what a missing pair means and its interval."""
    if run.summary.connectivity_rows.get(matrix) != "non-zero pairs only":
        return ""
    return f"<p><small>{html.escape(L.t('table.nonzero_pairs', file=matrix))}</small></p>"


def _tables(L: Lang, run) -> list[str]:
    main = run.main_layer
    parts = [f"</section><section><h2>{L.t('html.tables')}</h2>"]

    def titled(key: str, frame: pd.DataFrame, **values) -> str:
        title = L.t(key, **values)
        return f"<h3>{html.escape(title)}</h3>" + _table(L, frame, title)

    if main is not None and main in run.indices:
        parts.append(titled("table.indices", run.indices[main], layer=main))
        if main in run.connectivity:
            frame = run.connectivity[main].sort_values("count", ascending=False)
            parts.append(titled("table.connectivity", frame, layer=main) + _nonzero_note(L, run, main))
        if f"{main}.settlement" in run.connectivity:
            frame = run.connectivity[f"{main}.settlement"].sort_values("count", ascending=False)
            parts.append(
                titled("table.settlement", frame, layer=main) + _nonzero_note(L, run, f"{main}.settlement")
            )
        if main in run.arrivals:
            parts.append(titled("table.arrivals", run.arrivals[main]))
    if run.protection is not None:
        parts.append(titled("table.protection", _metrics(L, run.protection)))
    return parts


_METRICS = {
    "share of particle-days outside MPAs (all particles)": "metric.outside_all",
    "share of particle-days outside MPAs (particles released in EBSAs)": "metric.outside_ebsa",
}


def _metrics(L: Lang, frame: pd.DataFrame) -> pd.DataFrame:
    """protection.csv with its (English) metric names in the report's language."""

    def name(text: str) -> str:
        m = re.fullmatch(r"share of EBSA '(.*)' covered by MPAs", str(text))
        if m:
            return L.t("metric.ebsa_covered", name=m[1])
        return L.t(_METRICS[text]) if text in _METRICS else str(text)

    return frame.assign(metric=frame["metric"].map(name)) if "metric" in frame else frame


def render_html(run, findings, figures: list, files: list[str]) -> str:
    """The report page of ``run`` from its :class:`~marinenet.report.findings.Findings` and figures."""
    from .animate import animation_section  # here: animate imports build, which imports this module

    L = get_language(findings.language)
    explorer = _explorer(L, run, findings)  # first: a note about it belongs with the others
    parts = _header(L, run, findings)
    parts.append(
        f"<section><h2>{L.t('html.findings')}</h2><ul class='findings'>"
        + "".join(f"<li>{html.escape(f.text)}</li>" for f in findings.findings)
        + "</ul>"
    )
    for w in findings.warnings:
        parts.append(f"<p class='warn'><b>{L.t('html.under_sampled')}</b> {html.escape(w)}</p>")
    if not findings.warnings and run.summary.get("sampling"):
        parts.append(f"<p class='ok'>{html.escape(L.t('html.sampling_ok'))}</p>")
    for n in findings.notes:
        parts.append(f"<p class='note'><b>{L.t('html.not_shown')}</b> {html.escape(n)}</p>")
    parts.append("</section>")
    parts.append(explorer)
    parts.append(f"<section><h2>{L.t('html.maps')}</h2>")
    for fig in figures:
        parts.append(
            f"<figure><h3>{html.escape(fig.title)}</h3>{_img(fig)}<figcaption>{html.escape(fig.caption)}"
            "</figcaption></figure>"
        )
    parts.append(animation_section(run.root))  # '' unless the run has animation.gif
    parts += _tables(L, run)
    parts.append(f"</section><section><h2>{L.t('html.definitions')}</h2><dl>")
    parts += [
        f"<dt>{html.escape(t)}</dt><dd>{html.escape(d[:1].upper() + d[1:])}</dd>"
        for t, d in findings.definitions
    ]
    parts.append(f"</dl></section><section><h2>{L.t('html.caveats')}</h2><ul>")
    parts += [f"<li>{html.escape(c)}</li>" for c in findings.caveats]
    parts.append("</ul></section>")
    cites = findings.sources
    if cites:
        parts.append(
            f"<section><h2>{L.t('html.sources')}</h2><ul>"
            + "".join(f"<li>{html.escape(c)}</li>" for c in cites)
            + "</ul></section>"
        )
    text = yaml.safe_dump(_shown_scenario(run.scenario), sort_keys=False, allow_unicode=True)
    parts.append(
        f"<section><h2>{L.t('html.scenario')}</h2><details><summary>"
        f"{html.escape(L.t('html.scenario_summary'))}</summary><pre>"
        + html.escape(text)
        + "</pre></details></section>"
    )
    parts.append(
        f"<section><h2>{L.t('html.files')}</h2><p>{html.escape(L.t('html.files_intro'))}</p><ul class='files'>"
        + "".join(f"<li><a href='{html.escape(f, quote=True)}'>{html.escape(f)}</a></li>" for f in files)
        + "</ul></section></main></body></html>"
    )
    return "\n".join(parts)
