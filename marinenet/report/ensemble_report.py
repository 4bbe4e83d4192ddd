"""``ensemble/report.html``: the spread and trend of an ensemble's indicators, in the report's language.

Reads only the tables of :class:`~marinenet.ensemble_members.MemberTables` (the CSV files of
``ensemble/``). Writes ``report.html`` (self-contained: figures inline) and its figures as PNG in
``ensemble/figures/``: per network, ProtConn, ECA and PC per release date with their bootstrap
intervals and the Theil–Sen line; per connectivity table, the spread of the key flows. The summary
says in plain words, per indicator, the range across members and what the trend test finds
("Across 6 members, ProtConn of 'mpa' ranged from 12 % to 18 % (mean 15 %); the Mann–Kendall
test finds no trend (p = 0.46) ...").
"""

from __future__ import annotations

import base64
import html
import math
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from ..ensemble_members import KEY_FLOWS, MemberTables
from ..ensemble_trends import ALPHA, MIN_MEMBERS
from .ensemble_figures import date_ticks, flows_figure, indicator_figure
from .ensemble_pdf import Brief, render_ensemble_pdf
from .html import _CSS
from .i18n import Lang, use
from .i18n import get as get_language

__all__ = ["write_ensemble_report", "summary_sentences", "indicator_name", "place"]


@dataclass
class _Figure:
    path: Path
    title: str
    caption: str


# ---------------------------------------------------------------- numbers in words


def _decimals(*values: float, digits: int = 3) -> int:
    """Decimals that give the largest of ``values`` about ``digits`` significant digits (0 to 4)."""
    big = max((abs(v) for v in values if math.isfinite(v)), default=0.0)
    return 1 if big == 0 else min(max(digits - 1 - math.floor(math.log10(big)), 0), 4)


def _percentish(indicator: str) -> bool:
    return indicator in ("ProtConn_percent", "state_ProtConn_percent", "fraction", "exported_fraction")


def _in_percent(indicator: str, x: float) -> float:
    return 100.0 * x if indicator in ("fraction", "exported_fraction") else x


def _values(L: Lang, indicator: str, *xs: float) -> list[str]:
    """Values of one indicator written alike: percentages with the decimals of the largest, km² for ECA."""
    if _percentish(indicator):
        ys = [_in_percent(indicator, x) for x in xs]
        d = _decimals(*ys)
        return [L.pct(y / 100.0, d) if math.isfinite(y) else "–" for y in ys]
    if indicator == "ECA_km2":
        return [L.t("ens.unit.km2", x=L.sig(x, 3)) for x in xs]
    return [L.sig(x, 3) for x in xs]


def _slopes(L: Lang, indicator: str, *xs: float) -> list[str]:
    """Changes per year, signed, with the decimals of the largest (2 significant digits)."""
    ys = [_in_percent(indicator, x) for x in xs]
    d = _decimals(*ys, digits=2)
    if indicator == "PC":
        return [("+" if y > 0 else "") + L.sig(y, 2) if math.isfinite(y) else "–" for y in ys]
    return [("+" if y > 0 else "") + L.num(y, d) if math.isfinite(y) else "–" for y in ys]


def _with_unit(L: Lang, indicator: str, text: str) -> str:
    if _percentish(indicator):
        return L.t("ens.unit.pp", x=text)
    return L.t("ens.unit.km2", x=text) if indicator == "ECA_km2" else text


def _p(L: Lang, p: float) -> str:
    if not math.isfinite(p):
        return "–"
    return L.t("ens.p_small", x=L.num(0.001, 3)) if p < 0.001 else L.sig(p, 2)


def place(L: Lang, label: str) -> str:
    """A zone, outcome or the default outside label in the report's language."""
    return L.t("ens.outside") if label == "outside" else L.outcome(label)


def indicator_name(L: Lang, row: pd.Series) -> str:
    """The indicator of a trends.csv row in words."""
    kind = row["indicator"]
    if kind in ("ProtConn_percent", "ECA_km2", "PC"):
        return L.t(f"ens.indicator.{kind}", network=row["layer"])
    if kind == "state_ProtConn_percent":
        return L.t("ens.indicator.state", network=row["layer"], state=place(L, row["zone"]))
    if kind == "fraction":
        return L.t(
            "ens.indicator.flow",
            source=place(L, row["zone"]),
            destination=place(L, row["destination"]),
            layer=row["layer"],
        )
    return L.t("ens.indicator.exported", source=place(L, row["zone"]), layer=row["layer"])


def _trend_words(L: Lang, row: pd.Series) -> str:
    kind = row["indicator"]
    slope, low, high = _slopes(L, kind, row["slope_per_year"], row["slope_ci_low"], row["slope_ci_high"])
    if row["verdict"] == "too few members":
        return L.t(
            "ens.trend.few",
            n=L.count(row["n_members"]),
            min=L.count(MIN_MEMBERS),
            slope=_with_unit(L, kind, slope),
        )
    key = {"increasing": "increasing", "decreasing": "decreasing"}.get(row["verdict"], "none")
    return L.t(
        f"ens.trend.{key}", p=_p(L, row["p_value"]), slope=_with_unit(L, kind, slope), low=low, high=high
    )


def _spread(L: Lang, row: pd.Series) -> dict:
    low, high, mean = _values(L, row["indicator"], row["min"], row["max"], row["mean"])
    return {
        "n": L.count(row["n_members"]),
        "min": low,
        "max": high,
        "mean": mean,
        "trend": _trend_words(L, row),
    }


def _constant(row: pd.Series) -> bool:
    return row["n_members"] > 0 and math.isclose(row["min"], row["max"], rel_tol=1e-12, abs_tol=1e-15)


def _range(L: Lang, row: pd.Series) -> str:
    name = indicator_name(L, row)
    if _constant(row):
        value = _values(L, row["indicator"], row["min"])[0]
        return L.t("ens.same", n=L.count(row["n_members"]), indicator=name, value=value)
    return L.t("ens.range", indicator=name, **_spread(L, row))


#: states whose ProtConn varies that each get a sentence; beyond, only those with a trend
STATE_SENTENCES = 6


def _states(L: Lang, rows: list[pd.Series]) -> list[str]:
    """One sentence per state whose ProtConn varies (beyond :data:`STATE_SENTENCES` of them, only those
    with a trend, the others counted); those that do not vary, in one sentence per network."""
    varying = [r for r in rows if not _constant(r)]
    if len(varying) > STATE_SENTENCES:
        told = [r for r in varying if r["verdict"] in ("increasing", "decreasing")]
        out = [_range(L, r) for r in told]
        out.append(L.tn("ens.states.more", len(varying) - len(told), k=L.count(len(varying) - len(told))))
    else:
        out = [_range(L, r) for r in varying]
    same: dict[str, list[str]] = {}
    for r in rows:
        if _constant(r):
            value = _values(L, r["indicator"], r["min"])[0]
            same.setdefault(r["layer"], []).append(f"{place(L, r['zone'])} {value}")
    for network, parts in same.items():
        out.append(L.t("ens.states.same", network=network, parts=", ".join(parts)))
    return out


def _flow_sentences(L: Lang, layer: str, flow: pd.Series | None, export: pd.Series | None) -> list[str]:
    if flow is None and export is None:
        return [L.t("ens.flows.none", layer=layer)]
    out = []
    if flow is not None:
        names = {
            "layer": layer,
            "source": place(L, flow["zone"]),
            "destination": place(L, flow["destination"]),
        }
        if _constant(flow):
            out.append(L.t("ens.flow.same", value=_values(L, "fraction", flow["min"])[0], **names))
        else:
            out.append(L.t("ens.flow", **names, **_spread(L, flow)))
    if export is not None and flow is not None and export["zone"] == flow["zone"]:
        if math.isclose(export["mean"], flow["mean"], rel_tol=1e-9):
            export = None  # its only export is the largest flow: said already
    if export is not None:
        names = {"layer": layer, "source": place(L, export["zone"])}
        if _constant(export):
            out.append(L.t("ens.export.same", value=_values(L, "fraction", export["min"])[0], **names))
        else:
            out.append(L.t("ens.export", **names, **_spread(L, export)))
    return out


def summary_sentences(L: Lang, trends: pd.DataFrame, flow_layers: list[str]) -> list[str]:
    """The plain-language summary: per network its ProtConn and ECA, each state's ProtConn, and per
    connectivity table its largest flow and its largest exporter (or that nothing moved)."""
    rows = [r for _, r in trends.iterrows()] if len(trends) else []
    out = [
        _range(L, r) for r in rows if r["indicator"] in ("ProtConn_percent", "ECA_km2") and r["n_members"] > 0
    ]
    out += _states(L, [r for r in rows if r["indicator"] == "state_ProtConn_percent" and r["n_members"] > 0])
    for layer in flow_layers:
        mine = [r for r in rows if r["layer"] == layer]
        flow = next((r for r in mine if r["indicator"] == "fraction"), None)
        export = next((r for r in mine if r["indicator"] == "exported_fraction"), None)
        out += _flow_sentences(L, layer, flow, export)
    return out


# ---------------------------------------------------------------- figures


def _verdict(L: Lang, v: str) -> str:
    return L.t(f"ens.verdict.{v}")


def _figures(folder: Path, L: Lang, tables: MemberTables) -> tuple[list[_Figure], list[_Figure]]:
    trends = tables.trends
    coherence, flows = [], []
    for _, r in trends[trends["indicator"].isin(["ProtConn_percent", "ECA_km2", "PC"])].iterrows():
        values = tables.coherence[tables.coherence["network"] == r["layer"]]
        name = _capital(indicator_name(L, r))
        title = _capital(L.t("ens.fig.indicator", indicator=name))
        ylabel = {"ProtConn_percent": "ProtConn (%)", "ECA_km2": "ECA (km²)"}.get(r["indicator"], "PC")
        path = indicator_figure(
            L, values, r["indicator"], r, title, ylabel, folder / f"{r['layer']}.{r['indicator']}.png"
        )
        bars = f"{r['indicator']}_ci_low" in values and values[f"{r['indicator']}_ci_low"].notna().any()
        caption = L.t(
            "ens.fig.indicator.caption" if bars else "ens.fig.indicator.caption_nobars",
            verdict=_verdict(L, r["verdict"]),
            p=_p(L, r["p_value"]),
        )
        coherence.append(_Figure(path, title, caption))
    for layer, f in tables.flows.groupby("layer", sort=False) if len(tables.flows) else []:
        labels = _flow_rows(f)
        title = L.t("ens.fig.flows", layer=layer)
        path = flows_figure(L, f, labels, title, folder / f"flows.{layer}.png")
        flows.append(_Figure(path, title, L.t("ens.fig.flows.caption", k=L.count(KEY_FLOWS))))
    return coherence, flows


def _capital(text: str) -> str:
    """A title starting with a capital ('la ProtConn de ...' → 'La ProtConn de ...')."""
    return text[:1].upper() + text[1:]


def _flow_rows(f: pd.DataFrame) -> list[tuple[str, str, str]]:
    """The rows of a key-flow figure: the flows (largest mean first), then the exports (largest mean
    first) except those that are one of the flows (a source whose particles leave by one flow only)."""
    mean = f.groupby(["kind", "source", "destination"], sort=False)["fraction"].mean()
    flows = [k for k in mean.index if k[0] == "flow"]
    series = {
        k: tuple(
            f[(f["kind"] == k[0]) & (f["source"] == k[1]) & (f["destination"] == k[2])].sort_values("t_year")[
                "fraction"
            ]
        )
        for k in mean.index
    }
    repeated = {series[k] for k in flows}
    exports = [
        k
        for k in mean[mean.index.get_level_values(0) == "exported"].sort_values(ascending=False).index
        if series[k] not in repeated
    ]
    return flows + exports


# ---------------------------------------------------------------- page


_MORE_CSS = """
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(440px,1fr));gap:0 1.2em}
.grid figure{margin:.6em 0}
table.trends td:first-child{white-space:normal;min-width:12em}
figure.flows img{max-width:820px}
"""


def _img(fig: _Figure, css: str = "") -> str:
    data = base64.b64encode(fig.path.read_bytes()).decode("ascii")
    alt = html.escape(f"{fig.title}. {fig.caption}", quote=True)
    return (
        f'<figure{css}><img alt="{alt}" src="data:image/png;base64,{data}">'
        f"<figcaption>{html.escape(fig.caption)}</figcaption></figure>"
    )


def _trend_table(L: Lang, trends: pd.DataFrame) -> str:
    heads = ["indicator", "n", "min", "max", "mean", "slope", "slope_ci", "tau", "p", "verdict"]
    head = "".join(f"<th>{html.escape(L.t('ens.col.' + h))}</th>" for h in heads)
    body = []
    for _, r in trends.iterrows():
        k = r["indicator"]
        slope, low, high = _slopes(L, k, r["slope_per_year"], r["slope_ci_low"], r["slope_ci_high"])
        cells = [
            indicator_name(L, r),
            L.count(r["n_members"]),
            *_values(L, k, r["min"], r["max"], r["mean"]),
            slope,
            f"{low} … {high}",
            L.num(r["tau"], 2) if math.isfinite(r["tau"]) else "–",
            _p(L, r["p_value"]),
            _verdict(L, r["verdict"]),
        ]
        body.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    return f'<div class="scroll"><table class="trends"><tr>{head}</tr>{"".join(body)}</table></div>'


def _brief(L: Lang, name: str, tables: MemberTables, figs, member: dict) -> Brief:
    """The texts of the page and the brief (``member``: the first member's summary.json)."""
    starts = sorted({s for t in (tables.flows, tables.coherence) if len(t) for s in t["start"]})
    first, last = datetime.fromisoformat(starts[0]), datetime.fromisoformat(starts[-1])
    layers = tables.layers or (list(dict.fromkeys(tables.flows["layer"])) if len(tables.flows) else [])
    method = L.t("ens.method", alpha=L.num(ALPHA, 2), min=L.count(MIN_MEMBERS))
    version = member.get("versions", {}).get("marinenet", "")
    return Brief(
        title=L.t("ens.title", name=name, n=L.count(len(starts))),
        intro=L.t(
            "ens.intro", first=L.date(first), last=L.date(last), dates=", ".join(date_ticks(L, starts))
        ),
        sentences=summary_sentences(L, tables.trends, layers),
        figures=[*figs[0], *figs[1]],
        method=[L.t("ens.defs"), method],
        synthetic=bool(member.get("synthetic", False)),
        footer=L.t("ens.footer", version=version, seed=member.get("seed", "")),
    )


def _page(L: Lang, b: Brief, tables: MemberTables, figs, files: list[str]) -> str:
    e = html.escape
    parts = [f"<h1>{e(b.title)}</h1>"]
    if b.synthetic:
        parts.append(f"<p class='banner'>{e(L.t('html.banner'))}</p>")
    parts += [f"<p>{e(b.intro)}</p>", f"<h2>{e(L.t('ens.h.summary'))}</h2>"]
    parts.append('<ul class="findings">' + "".join(f"<li>{e(s)}</li>" for s in b.sentences) + "</ul>")
    if figs[0]:
        grid = '<div class="grid">' + "".join(_img(f) for f in figs[0]) + "</div>"
        parts.append(f"<h2>{e(L.t('ens.h.coherence'))}</h2>" + grid)
    else:
        parts.append(f'<p class="note">{e(L.t("ens.no_coherence"))}</p>')
    parts.append(f"<h2>{e(L.t('ens.h.flows'))}</h2><p>{e(L.t('ens.key_flows', k=L.count(KEY_FLOWS)))}</p>")
    parts.extend(_img(f, ' class="flows"') for f in figs[1])
    if len(tables.trends):
        parts.append(f"<h2>{e(L.t('ens.h.trends'))}</h2>" + _trend_table(L, tables.trends))
    parts.append(f"<h2>{e(L.t('ens.h.method'))}</h2>" + "".join(f"<p>{e(t)}</p>" for t in b.method))
    parts.append(f"<h2>{e(L.t('ens.h.files'))}</h2><p>{e(L.t('ens.files', files=', '.join(files)))}</p>")
    return (
        f'<!DOCTYPE html>\n<html lang="{L.code}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(b.title)}</title><style>{_CSS}{_MORE_CSS}</style></head><body>\n"
        + "\n".join(parts)
        + "\n</body></html>\n"
    )


def _filled(tables: MemberTables) -> MemberTables:
    """The tables with empty labels as '' (a CSV read back gives NaN for the empty destination of exports)."""

    def fill(t: pd.DataFrame) -> pd.DataFrame:
        cols = [c for c in ("zone", "source", "destination") if c in t]
        return t.assign(**{c: t[c].fillna("") for c in cols}) if len(t) else t

    return MemberTables(
        tables.coherence, tables.jurisdictions, fill(tables.flows), fill(tables.trends), tables.layers
    )


def write_ensemble_report(
    folder: Path, name: str, tables: MemberTables, language: str = "en", member: dict | None = None
) -> Path:
    """Write ``folder/report.html``, ``folder/brief.pdf`` and ``folder/figures/*.png`` for ``tables``.

    ``member``: a member's summary.json (its ``synthetic`` flag, ``seed`` and ``versions``)."""
    L = get_language(language)
    tables = _filled(tables)
    with use(language):
        figs = _figures(folder / "figures", L, tables)
    brief = _brief(L, name, tables, figs, member or {})
    files = sorted({p.name for p in folder.glob("*.csv")} | {"brief.pdf"})
    path = folder / "report.html"
    path.write_text(_page(L, brief, tables, figs, files), encoding="utf-8")
    render_ensemble_pdf(L, brief, folder / "brief.pdf")
    return path
