"""``report.html``: one self-contained page (images and CSS inline; opens offline, no CDN)."""

from __future__ import annotations

import base64
import html

import pandas as pd
import yaml

__all__ = ["render_html"]

_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;
color:#1b2a38;line-height:1.45}
h1{color:#0b3d5c}h2{color:#0b3d5c;border-bottom:2px solid #d6e4ef;padding-bottom:.2em;margin-top:1.6em}
.banner{background:#8b0000;color:#fff;padding:.6em 1em;font-weight:bold;border-radius:4px}
.warn{background:#fff3cd;border-left:5px solid #e0a800;padding:.6em 1em}
.ok{background:#e8f5e9;border-left:5px solid #2e7d32;padding:.6em 1em}
ul.findings li{margin:.4em 0}
figure{margin:1.2em 0}figure img{max-width:100%;border:1px solid #d6e4ef}figcaption{font-size:.9em;color:#44586a}
table{border-collapse:collapse;font-size:.85em;margin:.6em 0}th,td{border:1px solid #c9d6e2;padding:.25em .5em;
text-align:right}th{background:#eef4f9}td:first-child,th:first-child{text-align:left}
pre{background:#f5f7f9;padding:.8em;overflow-x:auto;font-size:.8em}
.meta td{text-align:left}
"""


def _img(path) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<img alt="{html.escape(path.stem)}" src="data:image/png;base64,{data}">'


def _table(frame: pd.DataFrame, max_rows: int = 40) -> str:
    shown = frame.head(max_rows)
    text = shown.to_html(index=False, float_format=lambda x: f"{x:.3g}", na_rep="–", border=0, escape=True)
    if len(frame) > max_rows:
        text += f"<p><em>{len(frame) - max_rows} more rows in the CSV file.</em></p>"
    return text


def render_html(run, findings: list[str], figures: list) -> str:
    s = run.summary
    synthetic = bool(s.get("synthetic"))
    main = run.main_layer
    parts = [
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>marinenet report: "
        f"{html.escape(s['name'])}</title><style>{_CSS}</style></head><body>"
    ]
    parts.append(f"<h1>Marine connectivity report: {html.escape(s['name'])}</h1>")
    if synthetic:
        parts.append(
            "<p class='banner'>SYNTHETIC DEMO: the currents and the zones in this report are invented "
            "(the built-in demo seascape). The numbers illustrate the method; they describe no real place.</p>"
        )
    meta = [
        ("Release", f"{s['particles_released']:,} particles on {s['start'][:16]}"),
        ("Tracked until", s["end"][:16]),
        ("Engine", f"{s['engine']} ({s['engine_reason']})"),
        ("Random seed", str(s.get("seed"))),
        ("Currents", html.escape(str(run.scenario.get("ocean", {}).get("source")))),
        ("marinenet", s.get("versions", {}).get("marinenet", "?")),
    ]
    parts.append(
        "<table class='meta'>"
        + "".join(f"<tr><th>{k}</th><td>{html.escape(v)}</td></tr>" for k, v in meta)
        + "</table>"
    )
    parts.append(
        "<h2>Headline findings</h2><ul class='findings'>"
        + "".join(f"<li>{html.escape(f)}</li>" for f in findings)
        + "</ul>"
    )
    under = s.get("under_sampled") or []
    sampling = s.get("sampling", {})
    if sampling:
        cls = "warn" if under else "ok"
        parts.append(
            f"<div class='{cls}'>"
            + "<br>".join(f"<b>{html.escape(k)}</b>: {html.escape(v)}" for k, v in sampling.items())
            + "</div>"
        )
    parts.append("<h2>Maps and figures</h2>")
    for title, path, caption in figures:
        parts.append(
            f"<figure><h3>{html.escape(title)}</h3>{_img(path)}<figcaption>{html.escape(caption)}"
            "</figcaption></figure>"
        )
    parts.append("<h2>Tables</h2>")
    if main is not None:
        parts.append(
            f"<h3>Transboundary indices, layer '{html.escape(main)}'</h3>"
            "<p>Local retention: share of a zone's particles that stayed; self-recruitment: share of "
            "arrivals that came from the zone itself; import dependency = 1 − self-recruitment; ABNJ "
            "dependency: share of arrivals released on the high seas; export share: share of a zone's "
            "particles that ended in other zones."
            + (
                " For larvae these are recruitment indices: they count where larvae settled (the dead and "
                "the unsettled stay in each zone's releases), not where they drifted to."
                if "basis" in run.indices[main] and (run.indices[main]["basis"] == "settlement").all()
                else ""
            )
            + "</p>"
            + _table(run.indices[main])
        )
        if main in run.connectivity:
            parts.append(
                f"<h3>Connectivity, layer '{html.escape(main)}' (with 95 % intervals)</h3>"
                + _table(run.connectivity[main].sort_values("count", ascending=False))
            )
        if main in run.arrivals:
            parts.append("<h3>First arrivals (days)</h3>" + _table(run.arrivals[main]))
    if run.protection is not None:
        parts.append("<h3>Protection gaps</h3>" + _table(run.protection))
    parts.append("<h2>Caveats</h2><ul>")
    caveats = [
        "Particles drift passively with the surface currents (no swimming, mortality or settlement).",
        "Arrival times are resolved to the output interval; positions between outputs are not used for zones.",
        "A particle whose next step would reach land is stopped at its last wet position ('stranded'); one "
        "that leaves the current grid is 'out of domain'. Both are explicit columns of every matrix.",
        "Fractions carry 95 % intervals (Jeffreys; Bayesian bootstrap for split or weighted particles) that "
        "reflect the number of particles only, not errors in "
        "the currents or the boundaries.",
    ]
    if synthetic:
        caveats.insert(
            0, "All inputs are synthetic (built-in demo seascape): no conclusion applies to real waters."
        )
    parts.append("".join(f"<li>{html.escape(c)}</li>" for c in caveats) + "</ul>")
    cites = s.get("citations") or []
    if cites:
        parts.append(
            "<h2>Data sources</h2><ul>" + "".join(f"<li>{html.escape(c)}</li>" for c in cites) + "</ul>"
        )
    parts.append(
        "<h2>Scenario</h2><pre>" + html.escape(yaml.safe_dump(run.scenario, sort_keys=False)) + "</pre>"
    )
    parts.append(
        "<h2>Files of this run</h2><ul>"
        + "".join(f"<li>{html.escape(f)}</li>" for f in s.get("outputs", []))
        + "</ul></body></html>"
    )
    return "\n".join(parts)
