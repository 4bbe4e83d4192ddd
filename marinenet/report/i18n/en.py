"""English: the source catalogue of every text of report.html, brief.pdf and the maps.

Keys are grouped by where the text appears. ``{name}`` placeholders receive text that is already
formatted (numbers and dates by :class:`marinenet.report.i18n.Lang`). Keys ending in ``.one`` /
``.other`` are the singular and plural of one text. Every other language has exactly these keys
with exactly these placeholders (tests/test_report_languages.py checks it).
"""

from .en_coh import COHERENCE
from .en_drift import DRIFT
from .en_more import MORE

TEXTS = {
    # ---------------------------------------------------------------- formats
    "date": "{day} {month} {year}",
    "date.day1": "1",
    "date_time": "{date}, {time} UTC",
    "month.1": "January",
    "month.2": "February",
    "month.3": "March",
    "month.4": "April",
    "month.5": "May",
    "month.6": "June",
    "month.7": "July",
    "month.8": "August",
    "month.9": "September",
    "month.10": "October",
    "month.11": "November",
    "month.12": "December",
    "and": " and ",
    "unit.week.one": "{n} week",
    "unit.week.other": "{n} weeks",
    "unit.day.one": "{n} day",
    "unit.day.other": "{n} days",
    "unit.hour.one": "{n} hour",
    "unit.hour.other": "{n} hours",
    "unit.minute.one": "{n} minute",
    "unit.minute.other": "{n} minutes",
    "unit.second.one": "{n} second",
    "unit.second.other": "{n} seconds",
    "unit.d": "{x} d",
    "rate.per_day": "{x} per day",
    "interval": "95 % interval {low} to {high}",
    # ---------------------------------------------------------------- what was run
    "noun.passive.one": "particle",
    "noun.passive.other": "particles",
    "noun.larva.one": "larva",
    "noun.larva.other": "larvae",
    "noun.swimmer.one": "swimmer",
    "noun.swimmer.other": "swimmers",
    "when.once": "on {date}",
    "when.daily": "in {n} daily releases from {first} to {last}",
    "when.weekly": "in {n} weekly releases from {first} to {last}",
    "when.every": "in {n} releases every {days} days from {first} to {last}",
    "when.between": "in {n} releases between {first} and {last}",
    "where.areas": "{n} release areas",
    "where.points.one": "one point",
    "where.points.other": "{n} points",
    "where.zones.one": "zone {ids} of layer '{layer}'",
    "where.zones.other": "zones {ids} of layer '{layer}'",
    "where.layer": "every zone of layer '{layer}'",
    "where.layer_only": "layer '{layer}'",
    "where.point": "the point {point}",
    "larva.pld": "Each larva drifted for at most its pelagic larval duration of {pld}",
    "larva.competency": ", could settle between ages {a} and {b}",
    "larva.settle_in": " in layer '{layer}'",
    "larva.mortality": ", and died at a rate of {rate}",
    "swimmer.behaviour": "Each swimmer swam at {speed} m/s towards {where} for up to {duration}, carried by "
    "the currents.",
    "passive.behaviour": "Each particle drifted passively with the currents for {duration}.",
    "currents.demo": "the synthetic demo currents",
    "currents.file": "currents from {source}",
    "describe.released.one": "{n} {noun} was released from {where} {when}.",
    "describe.released.other": "{n} {noun} were released from {where} {when}.",
    "level.depth": "from {depth} m depth",
    "level.surface": "at the surface",
    "describe.turbulence": ", with sub-grid turbulence (Kh = {kh} m²/s)",
    "describe.tracked": "They were tracked {level} in {currents}{turbulence}.",
    "describe.tracked_3d": "They were tracked in 3-D {level} in {currents}{turbulence}.",
    # ---------------------------------------------------------------- fates
    "fate.settled.one": "{n} settled ({pct})",
    "fate.settled.other": "{n} settled ({pct})",
    "fate.arrived.one": "{n} reached its target ({pct})",
    "fate.arrived.other": "{n} reached their target ({pct})",
    "fate.dead.one": "{n} died ({pct})",
    "fate.dead.other": "{n} died ({pct})",
    "fate.unsettled.one": "{n} reached the end of its larval life without settling ({pct})",
    "fate.unsettled.other": "{n} reached the end of their larval life without settling ({pct})",
    "fate.active_at_end.one": "{n} was still drifting at the end ({pct})",
    "fate.active_at_end.other": "{n} were still drifting at the end ({pct})",
    "fate.stranded.one": "{n} was stranded on a coast ({pct})",
    "fate.stranded.other": "{n} were stranded on a coast ({pct})",
    "fate.out_of_domain.one": "{n} left the model domain ({pct})",
    "fate.out_of_domain.other": "{n} left the model domain ({pct})",
    "fate.errors.one": "{n} was lost to a numerical error ({pct})",
    "fate.errors.other": "{n} were lost to a numerical error ({pct})",
    "fates.none": "{n} {noun} released; none has a recorded fate.",
    "fates.head.one": "Of the {n} {noun} released, {parts}.",
    "fates.head.other": "Of the {n} {noun} released, {parts}.",
    # ---------------------------------------------------------------- findings
    "rank.too_few.zones": "too few particles to rank the zones",
    "rank.too_few.them": "too few particles to rank them",
    "rank.too_close.zones": "too close to rank the zones: the 95 % intervals of the largest overlap",
    "rank.too_close.them": "too close to rank them: the 95 % intervals of the largest overlap",
    "settle.total": "{k} of {n} larvae settled ({pct}, {iv}).",
    "settle.all_in": "All settlers settled in {zone}.",
    "settle.most_in": "Most settlers settled in {zone}: {pct} of {total} ({iv}).",
    "settle.by_zone": "Settlers by zone: {listed} (of {total}); {why}.",
    "swim.arrived": "{k} of {n} swimmers reached their target ({pct}, {iv}).",
    "swim.stored": " (from the {n} stored tracks that arrived)",
    "swim.time": "Those that arrived took a median of {median} days (10–90 % of them: {p10}–{p90} days){sample}.",
    "flow.end.one": "Of the {n} {noun} released in {zone}, {own} ({own_iv}) were in {zone} at the end and "
    "{other} ({other_iv}) in other zones",
    "flow.end.other": "Of the {n} {noun} released in {zone}, {own} ({own_iv}) were in {zone} at the end and "
    "{other} ({other_iv}) in other zones",
    "flow.settled.one": "Of the {n} {noun} released in {zone}, {own} ({own_iv}) settled in {zone} and "
    "{other} ({other_iv}) in other zones",
    "flow.settled.other": "Of the {n} {noun} released in {zone}, {own} ({own_iv}) settled in {zone} and "
    "{other} ({other_iv}) in other zones",
    "flow.most_in": ", most in {zone}: {pct} ({iv})",
    "flow.all_in": " (all in {zone})",
    "flow.unranked": " ({k} zones; {why})",
    "flow.smaller.one": "{k} smaller release zone: see the connectivity table.",
    "flow.smaller.other": "{k} smaller release zones: see the connectivity table.",
    "hs.end.one": "Of the {n} {noun} released on the high seas ({hs}), {pct} ({iv}) ended inside a zone "
    "of '{layer}'",
    "hs.end.other": "Of the {n} {noun} released on the high seas ({hs}), {pct} ({iv}) ended inside a zone "
    "of '{layer}'",
    "hs.settled.one": "Of the {n} {noun} released on the high seas ({hs}), {pct} ({iv}) settled inside a "
    "zone of '{layer}'",
    "hs.settled.other": "Of the {n} {noun} released on the high seas ({hs}), {pct} ({iv}) settled inside a "
    "zone of '{layer}'",
    "hs.all_in": " (all in {zone}).",
    "hs.largest": "; the largest share went to {zone}: {pct} ({iv}).",
    "hs.unranked": " (largest: {top}); {why}.",
    "arr.few.one": "{k} zone reached by fewer than {min} particles ({zones}) not compared.",
    "arr.few.other": "{k} zones reached by fewer than {min} particles ({zones}) not compared.",
    "arr.none": "Too few high-seas particles reached any zone to compare arrival times ({n} released).",
    "arr.desc": "{k} of {n} high-seas particles ({pct}) reached {zone}, after a median of {median} days "
    "(10–90 %: {p10}–{p90} days)",
    "arr.first": "High-seas water reached {zone} first: {desc}.",
    "arr.overlap": "{desc}; the arrival times of the {k} zones reached by {min} or more overlap too much "
    "to rank.",
    "index.import_dependency": "import dependency",
    "index.local_retention": "local retention",
    "index.zero": "{label} is 0 % in every zone ({meaning}).",
    "index.among": " of the {k} zones with {min} or more particles",
    "index.highest": "{zone} has the highest {label}{among}: {pct} ({iv}, n = {n}) — {meaning}.",
    "index.not_ranked.one": "{k} zone with fewer particles not ranked.",
    "index.not_ranked.other": "{k} zones with fewer particles not ranked.",
    "index.item": "{zone} {pct} (n = {n})",
    "index.more": " and {k} more",
    "index.list": "{label} ({meaning}): {listed}{more}; {why}.",
    "meaning.import_dependency.settlement": "the share of its settlers that came from other zones",
    "meaning.import_dependency.end": "the share of the particles ending there that were released elsewhere",
    "meaning.local_retention.settlement": "the share of its larvae that settled back in it",
    "meaning.local_retention.end": "the share of its particles in it at the end of the run",
    "network.stone": "{zone} lies on the most multi-step routes between zones (betweenness {value}, {n} "
    "particles arriving).",
    "network.high_seas": "The high seas ({hs}) are left out: as one node touching every zone they would lie "
    "on every route.",
    "mpa.outside": "{pct} of the particle-days at sea were spent outside marine protected areas",
    "mpa.baseline": "; MPAs cover {area} of the sea in the model domain, so particles spread evenly would "
    "spend {even} outside them",
    "sampling.under": "UNDER-SAMPLED: some fractions are uncertain by up to ±{half} and the smallest source "
    "released only {smallest} particles (targets: ±{target} and {target_n}). Release more particles before "
    "drawing conclusions.",
    "sampling.detail": "{rare} of {seen} observed connections are rare (their 95 % interval is wider than "
    "the fraction itself); {unseen} pair(s) had no particle, and each could still be as large as {upper} "
    "(95 % upper bound).",
    "warn.layer": "Layer '{layer}': {text}",
    "warn.settlement": "Layer '{layer}' (settlement): {text}",
    "fallback.description": "{n} particles were tracked.",
    "fallback.description_note": "The description of the run could not be written: {error}",
    "fallback.finding": "Finding '{name}' could not be made ({error}).",
    "fallback.caveats": "The caveats could not be listed ({error}).",
    "fallback.definitions": "The definitions could not be listed ({error}).",
    # ---------------------------------------------------------------- caveats
    "caveat.synthetic": "All inputs are synthetic (built-in demo seascape): no conclusion applies to real "
    "waters.",
    "caveat.real_currents": "Currents from {source}: eddies and fronts smaller than its grid are not "
    "resolved, and the results hold for the period of that data only.",
    "caveat.land_mask": "Land is drawn from the model's own land mask.",
    # (for maps that draw the shipped Natural Earth coastline: replaces caveat.land_mask there)
    "caveat.map_real": "On the maps, land and coastline are Natural Earth (1:50m); the model's own land "
    "cells, which particles cannot enter, are drawn in a paler shade, and areas outside the model domain "
    "are grey and cross-hatched (no currents there: not sea).",
    "caveat.passive": "Particles drift passively with the currents: they do not swim, die or settle.",
    "caveat.larva": "Larvae drift with the currents and have no swimming behaviour other than any vertical "
    "behaviour set in the scenario; mortality is one constant rate for all larvae.",
    "caveat.larva_end_indices": "The zone indices table of this larva run is counted from positions at the "
    "end of the run, not from settlement: it says where larvae were (alive or dead) at the end, not where "
    "they settled. The findings use the settlement table.",
    "caveat.swimmer": "Swimmers move at a fixed {speed} m/s towards their target (heading persistence "
    "{persistence}, turning noise {turn_sd}°) on top of the currents.",
    "caveat.no_diffusion": "No sub-grid turbulence is modelled (diffusion 0): particles follow the resolved "
    "currents only, which underestimates how far they spread.",
    "caveat.coast.stop": "A particle whose next step would reach land stops at its last wet position and is "
    "counted as stranded; it does not drift on.",
    "caveat.coast.previous": "A particle whose next step would reach land stays at its last wet position and "
    "drifts on.",
    "caveat.coast.slip": "At the coast particles stay in the water and feel the along-shore current (free "
    "slip).",
    "caveat.time_step": "Arrival times, time in zones and visits are checked at every time step ({dt}): "
    "arrivals are late by less than one step, and a zone crossed within a single step is missed.",
    "caveat.out_of_domain": "A particle that leaves the current grid is counted as 'out of domain'; where it "
    "went next is unknown.",
    "caveat.two_d": "Particles stay at one depth level (2-D): vertical currents and mixing are ignored.",
    "caveat.one_release": "One release date: connectivity changes with season and year; this is one sample "
    "of it.",
    "caveat.intervals": "The 95 % intervals reflect the number of particles only, not errors in the currents "
    "or in the zone boundaries.",
    "caveat.under_sampled": "Layer '{layer}' is under-sampled: release more particles before drawing "
    "conclusions.",
    # ---------------------------------------------------------------- definitions
    "def.local_retention.term": "Local retention",
    "def.local_retention.text": "of the particles released in a zone, the share that ended in that same "
    "zone at the end of the run.",
    "def.local_retention.settlement": "of the larvae released in a zone, the share that settled back in that "
    "zone (dead and lost larvae count in the total).",
    "def.self_recruitment.term": "Self-recruitment",
    "def.self_recruitment.text": "of the particles ending in a zone, the share that had been released in "
    "that zone.",
    "def.self_recruitment.settlement": "of the larvae settling in a zone, the share that had been released "
    "in that zone.",
    "def.import_dependency.term": "Import dependency",
    "def.import_dependency.text": "1 − self-recruitment: the share of a zone's arrivals that came from other "
    "zones. 0 = self-supplied, 1 = everything comes from elsewhere.",
    "def.import_dependency.settlement": "1 − self-recruitment: the share of a zone's settlers that came from "
    "other zones.",
    "def.abnj_dependency.term": "ABNJ dependency",
    "def.abnj_dependency.text": "the share of a zone's arrivals that were released on the high seas (areas "
    "beyond national jurisdiction, ABNJ).",
    "def.abnj_dependency.settlement": "the share of a zone's settlers that were released on the high seas "
    "(areas beyond national jurisdiction, ABNJ).",
    "def.export_share.term": "Export share",
    "def.export_share.text": "of the particles released in a zone, the share that ended in other zones.",
    "def.export_share.settlement": "of the larvae released in a zone, the share that settled in other zones.",
    "def.betweenness.term": "Betweenness",
    "def.betweenness.text": "how many of the most probable multi-step routes between zones pass through a "
    "zone (0–1): a high value marks a stepping stone.",
    "def.betweenness.settlement": "how many of the most probable multi-step routes between zones pass "
    "through a zone (0–1).",
    "def.interval.term": "95 % interval",
    "def.interval.text": "the range that holds the true share with 95 % probability given the number of "
    "particles released; narrow with many particles, wide with few.",
    "def.settled.term": "Settled",
    "def.settled.text": "a competent larva that reached its habitat and stopped there.",
    # ---------------------------------------------------------------- table columns (CSV names stay English)
    "col.zone": "zone",
    "col.source": "source",
    "col.destination": "destination",
    "col.count": "count",
    "col.fraction": "fraction",
    "col.ci_low": "95 % interval, low",
    "col.ci_high": "95 % interval, high",
    "col.released": "released",
    "col.arrivals": "arrivals",
    "col.settlers": "settlers",
    "col.local_retention": "local retention",
    "col.self_recruitment": "self-recruitment",
    "col.import_dependency": "import dependency",
    "col.abnj_dependency": "ABNJ dependency",
    "col.export_share": "export share",
    "col.betweenness": "betweenness",
    "col.in_strength": "in-strength",
    "col.out_strength": "out-strength",
    "col.abnj_arrival_median_days": "median days of arrival from ABNJ",
    "col.basis": "basis",
    "col.n": "n",
    "col.median_days": "median (days)",
    "col.p10_days": "10th percentile (days)",
    "col.p90_days": "90th percentile (days)",
    "col.min_days": "first (days)",
    "col.origin_share": "share of origin",
    "col.community": "community",
    "col.abnj_arrival_p10_days": "10th percentile of arrival from ABNJ (days)",
    "col.abnj_arrival_p90_days": "90th percentile of arrival from ABNJ (days)",
    "col.metric": "metric",
    "metric.outside_all": "share of particle-days outside MPAs (all particles)",
    "metric.outside_ebsa": "share of particle-days outside MPAs (particles released in EBSAs)",
    "metric.ebsa_covered": "share of EBSA '{name}' covered by MPAs",
    "col.value": "value",
    "outcome.stranded": "stranded",
    "outcome.out_of_domain": "out_of_domain",
    "outcome.error": "error",
    "outcome.dead": "dead",
    "outcome.unsettled": "unsettled",
    "outcome.land": "land",
    # ---------------------------------------------------------------- report.html
    "html.title": "marinenet report: {name}",
    "html.h1": "Marine connectivity report: {name}",
    "html.banner": "SYNTHETIC DEMO: the currents and the zones in this report are invented (the built-in "
    "demo seascape). The numbers illustrate the method; they describe no real place.",
    "meta.what": "What was run",
    "meta.tracked": "Tracked",
    "meta.tracked_value": "{start} to {end} (UTC)",
    "meta.engine": "Engine",
    "engine.requested": "requested in the scenario",
    "engine.auto_fast": "engine 'auto': the fast engine supports this run ({detail})",
    "engine.auto": "engine 'auto': {detail}",
    "meta.seed": "Random seed",
    "html.findings": "Headline findings",
    "html.under_sampled": "Under-sampled.",
    "html.sampling_ok": "Sampling is adequate for every layer by the check in summary.json.",
    "html.not_shown": "Not shown.",
    "html.maps": "Maps and figures",
    "html.tables": "Tables",
    "table.indices": "Indices per zone, layer '{layer}'",
    "table.connectivity": "Connectivity, layer '{layer}' (with 95 % intervals)",
    "table.settlement": "Settlement, layer '{layer}'",
    "table.arrivals": "First arrivals (days)",
    "table.protection": "Protection gaps",
    "table.more_rows": "{k} more rows in the CSV file.",
    "table.undefined": "– : undefined (no particles to compute it from).",
    "html.definitions": "Definitions",
    "html.caveats": "Caveats",
    "html.sources": "Data sources",
    "html.scenario": "Scenario",
    "html.scenario_summary": "The scenario as run (unset options left out; scenario.resolved.yaml has every "
    "default)",
    "html.files": "Files of this run",
    "html.files_intro": "In the run's folder, next to this page:",
    # ---------------------------------------------------------------- brief.pdf
    "pdf.title": "Marine connectivity brief: {name}",
    "pdf.title_synthetic": "{title} (SYNTHETIC demo)",
    "pdf.keywords": "connectivity; particle tracking; EEZ; ABNJ; marine protected areas",
    "pdf.synthetic": "SYNTHETIC DEMO: invented currents and zones; illustrates the method only, describes no "
    "real place.",
    "pdf.footer": "marinenet {version} · seed {seed} · full report: report.html",
    "pdf.page": "{footer} · page {page}",
    "pdf.findings": "Findings",
    "pdf.under_sampled": "Under-sampled: {text}",
    "pdf.also_under.one": "Also under-sampled: layer {layers} (details in report.html).",
    "pdf.also_under.other": "Also under-sampled: layers {layers} (details in report.html).",
    "pdf.not_shown": "Not shown: {text}",
    "pdf.index_foot": "– : undefined (no particles to compute it from). Definitions on the next page.",
    "pdf.more_zones": "{k} more zones in indices/{layer}.csv.",
    "pdf.failed": "brief.pdf could not be written ({error}).",
    # ---------------------------------------------------------------- figures: titles, captions, notes
    "note.not_drawn": "{title}: not drawn — {why}.",
    "note.failed": "{title}: could not be drawn ({error}); run 'marinenet report' to retry.",
    "fig.tracks": "Particle tracks",
    "fig.tracks.map": "{name}: particle tracks, {start} to {end}",
    "fig.tracks.caption": "A random sample of tracks ({shown} of {total} particles), coloured by release "
    "area; markers show how each shown particle ended (still drifting, stranded, out of the domain, settled, "
    "died, arrived).",
    "fig.density": "Particle density",
    "fig.density.map": "Where particles spent their time",
    "fig.density.caption": "Particle-days per map cell over the whole run, from the stored positions "
    "(logarithmic colours).",
    "fig.flows": "Flows between zones",
    "fig.flows.map_settled": "Settlement between zones of '{layer}'",
    "fig.flows.map_end": "Flows between zones of '{layer}' at the end of the run",
    "fig.flows.caption_settled": "Arrows from the zone where larvae were released to the zone where they "
    "settled; width proportional to their number (key in particles and percent of all released). Flows of "
    "fewer than 5 particles are not drawn.",
    "fig.flows.caption_end": "Arrows from the zone where particles were released to the zone where they were "
    "at the end of the run; width proportional to their number (key in particles and percent of all "
    "released). Flows of fewer than 5 particles are not drawn.",
    "fig.import": "Import dependency",
    "fig.import.map_settlers": "Import dependency: share of settlers from elsewhere",
    "fig.import.map_arrivals": "Import dependency: share of arrivals from elsewhere",
    "fig.import.label": "import dependency (0 = self-supplied, 1 = all imported)",
    "fig.import.caption_settlers": "For each zone, the share of settlers that were released in another "
    "zone, on a fixed 0–1 scale; n is the number of particles the share rests on. Hatched zones rest on "
    "fewer than 30 particles and are not coloured; grey zones received none.",
    "fig.import.caption_arrivals": "For each zone, the share of particles ending there that were released "
    "in another zone, on a fixed 0–1 scale; n is the number of particles the share rests on. Hatched zones "
    "rest on fewer than 30 particles and are not coloured; grey zones received none.",
    "fig.import.larva_end": "this larva run's indices table counts positions at the end of the run, not "
    "settlement, so it says nothing about where settlers came from",
    "fig.arrival": "Arrival time from the high seas",
    "fig.arrival.map": "How fast high-seas water arrives: median first-arrival time",
    "fig.arrival.label": "median days from release on the high seas",
    "fig.arrival.caption": "Median number of days for particles released on the high seas (ABNJ) to first "
    "reach each zone; n is how many arrived. Hatched zones rest on fewer than 30 particles and are not "
    "coloured.",
    "fig.protection": "Protection gaps",
    "fig.protection.map": "Protection gaps: time spent outside marine protected areas",
    "fig.protection.caption": "Particle-days spent outside every MPA (MPAs outlined): where connectivity "
    "runs through unprotected water.",
    "fig.currents": "Currents",
    "fig.currents.map": "Surface currents at {when}",
    "fig.currents.caption": "Speed (colours) and direction (white streamlines) of the currents at the "
    "release time.",
    "fig.matrix": "Connectivity matrix: {layer}",
    "fig.matrix.map": "Connectivity, layer '{layer}': where particles were after {days}",
    "fig.matrix.caption": "Fraction (and number) of the particles released in each zone (rows) that ended in "
    "each zone or outcome (columns).",
    "fig.matrix.empty": "no particles in this layer",
    # ---------------------------------------------------------------- inside the maps
    "map.synthetic": "SYNTHETIC DEMO SEASCAPE: not real data",
    "map.synthetic_short": "SYNTHETIC DEMO SEASCAPE",
    "map.status.active": "position at end",
    "map.status.stranded": "stranded on the coast",
    "map.status.out_of_domain": "left the model domain",
    "map.status.settled": "settled",
    "map.status.dead": "died",
    "map.status.unsettled": "end of larval life, not settled",
    "map.status.arrived": "reached the target",
    "map.from": "from {source}",
    "map.tracks_shown": "{k} of {n} trajectories shown",
    "map.speed": "current speed (m/s)",
    "map.matrix.x": "destination (zone at end of run, or outcome)",
    "map.matrix.y": "source (release zone)",
    "map.matrix.colour": "fraction of particles released from the source",
    "map.no_positions": "no particle positions to show",
    "map.particle_days": "particle-days per cell",
    "map.ebsa": "EBSA",
    "map.mpa": "MPA",
    "map.arrow_width": "arrow width",
    "map.arrow_key": "{k} particles ({pct} of all)",
    "map.flows_shown.one": "the only flow between zones with at least {min} particles",
    "map.flows_shown.other": "the {k} largest flows between zones with at least {min} particles",
    "map.no_flow": "no flow between two zones carried {min} or more particles",
    "map.no_value": "no zone has a value of {column}",
    "map.no_particles": "no particles",
    "map.undefined": "no particles: undefined",
    "map.too_few": "fewer than {min} particles: too uncertain to colour (value and n in the label)",
}
TEXTS.update(MORE)
TEXTS.update(DRIFT)
TEXTS.update(COHERENCE)
