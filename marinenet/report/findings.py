"""Headline findings in plain language, computed from a run's tables (for negotiators, not modellers)."""

from __future__ import annotations

import numpy as np

__all__ = ["headline_findings"]

_OUTCOMES = {"stranded", "out_of_domain", "error", "dead", "unsettled"}


def _pct(x: float) -> str:
    return f"{100 * x:.1f} %" if np.isfinite(x) else "n/a"


def headline_findings(run) -> list[str]:
    s = run.summary
    days = (np.datetime64(s["end"]) - np.datetime64(s["start"])) / np.timedelta64(1, "D")
    out = [
        f"{s['particles_released']:,} particles were released on {s['start'][:10]} and followed for {days:g} days: "
        f"{s['active_at_end']:,} were still drifting at the end, {s['stranded']:,} reached a coast and "
        f"{s['out_of_domain']:,} left the model domain."
    ]
    main = run.main_layer
    if main is None:
        return out
    idx = run.indices[main].set_index("zone")
    table = run.connectivity.get(main)
    hs = next((z for z in ("ABNJ", "high_seas") if z in idx.index), None)
    if hs is not None and table is not None:
        rows = table[(table["source"] == hs) & ~table["destination"].isin(_OUTCOMES | {hs})]
        rows = rows[rows["count"] > 0]  # every pair has a row; the unseen ones are no finding
        if len(rows):
            share = rows["fraction"].sum()
            top = rows.sort_values("fraction", ascending=False).iloc[0]
            out.append(
                f"Of the particles released on the high seas ({hs}), {_pct(share)} ended inside national waters after "
                f"{days:g} days; the largest share went to {top['destination']}: {_pct(top['fraction'])} "
                f"(95 % interval {_pct(top['ci_low'])} to {_pct(top['ci_high'])})."
            )
    if "abnj_arrival_median_days" in idx and idx["abnj_arrival_median_days"].notna().any():
        a = idx["abnj_arrival_median_days"].dropna()
        z = a.idxmin()
        r = idx.loc[z]
        out.append(
            f"High-seas water reached {z} fastest: median {r['abnj_arrival_median_days']:.1f} days "
            f"(10–90 % of particles: {r['abnj_arrival_p10_days']:.1f}–{r['abnj_arrival_p90_days']:.1f} days)."
        )
    coastal = idx.drop(index=[hs], errors="ignore")
    coastal = coastal[coastal["arrivals"] > 0]
    settled = "basis" in idx and (idx["basis"] == "settlement").all()  # larvae: recruitment indices
    ending, stayed = (
        ("larvae settling", "settled there")
        if settled
        else ("particles ending", "were still there at the end")
    )
    if len(coastal):
        z = coastal["import_dependency"].idxmax()
        r = coastal.loc[z]
        extra = (
            f", {_pct(r['abnj_dependency'])} from the high seas"
            if np.isfinite(r.get("abnj_dependency", np.nan))
            else ""
        )
        out.append(
            f"{z} depends most on others: {_pct(r['import_dependency'])} of the {ending} in its waters "
            f"were released elsewhere{extra}."
        )
        z = coastal["local_retention"].idxmax()
        out.append(
            f"{z} retains most of its own: {_pct(coastal.loc[z, 'local_retention'])} of the "
            f"{'larvae' if settled else 'particles'} released there {stayed}."
        )
    if "betweenness" in idx and idx["betweenness"].max() > 0:
        z = idx["betweenness"].idxmax()
        out.append(
            f"{z} is the main stepping stone of the connectivity network (betweenness "
            f"{idx.loc[z, 'betweenness']:.2f}): the most probable multi-step routes pass through it."
        )
    if run.protection is not None:
        for _, r in run.protection.iterrows():
            if r["metric"].startswith("share of particle-days outside MPAs (all"):
                out.append(
                    f"{_pct(r['value'])} of the time particles spent at sea was outside marine protected areas."
                )
    for name, msg in s.get("sampling", {}).items():
        if name == main:
            out.append(msg)
    return out
