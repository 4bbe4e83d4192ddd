"""English texts of the site dossier (``marinenet dossier``; part of ``en.py``'s catalogue, kept apart so that
each file stays short). Written for negotiators: every term is defined where it first appears, every number
has its unit and says what it is a share of."""

DOSSIER = {
    "dos.title": "Connectivity dossier: {site}",
    "dos.subtitle": "Evidence on the connectivity of one site, for the connectivity criterion of a proposal for "
    "an area-based management tool (BBNJ Agreement, Annex I). Simulation '{name}', made with marinenet {version}.",
    "dos.synthetic": "SYNTHETIC DEMO: invented currents and zones. This dossier illustrates the method only and "
    "says nothing about any real place.",
    "dos.kind.network": "protected area of the network '{network}'",
    "dos.kind.candidate": "candidate site (not yet protected) of the analysis of the network '{network}'",
    "dos.h.summary": "Key points",
    "dos.h.to": "Where the site's particles go",
    "dos.h.from": "Where the particles reaching the site come from",
    "dos.h.arrival": "How long the journeys take",
    "dos.h.importance": "Importance of the site in the protected network",
    "dos.h.map": "Map",
    "dos.h.stability": "Stability across release dates",
    "dos.h.methods": "Data and methods",
    "dos.h.definitions": "Definitions",
    "dos.h.caveats": "Limits of this evidence",
    "dos.h.sources": "Data sources",
    # ---------------------------------------------------------------- key points
    "dos.where": "The site ({kind}) covers {area}. It lies {parts}.",
    "dos.where.part": "{share} in {zone}",
    "dos.where.unknown": "The site ({kind}): its polygon is not in the run folder.",
    "dos.hs": "the high seas ({zone})",
    "dos.waters": "the waters of {zone}",
    "dos.released": "{n} particles were released in the site {when} and each was followed for {duration}.",
    "dos.released.none": "No particle was released in the site, so where its particles go is unknown: release "
    "particles in it (release.from: [..., {{layer: {layer}}}]) and run again.",
    "dos.to.key": "Of these {n} particles, counted {how}: {parts}.",
    "dos.to.key.part": "{share} ({iv}) ended in {place}",
    "dos.to.none": "None of these {n} particles ended in any state's waters or on the high seas (counted {how}).",
    "dos.from.key": "{k} particles ended in the site (counted {how}); of them, {parts}.",
    "dos.from.key.part": "{share} ({iv}) came from {place}",
    "dos.from.none": "No particle released anywhere ended in the site (counted {how}): no supply to it was seen.",
    "dos.importance.key": "Importance in the network: the site holds {dpc} of the network's connectivity (dPC; "
    "rank {rank} of {of} protected areas).",
    "dos.candidate.key": "If protected, the site would add {gain} of connected area to the network (ECA gain{iv}; "
    "rank {rank} of {of} candidate sites).",
    "dos.single": "Stability across years or seasons is NOT assessed: this is one simulation, released {when}. "
    "Currents change between seasons and years; run 'marinenet ensemble' over several release dates to see "
    "whether these links hold.",
    "dos.few": "Only {n} particles were released in the site (fewer than {min}): the intervals are wide and no "
    "ranking is firm. Release more particles before relying on these numbers.",
    "dos.how.settlement": "where larvae settled",
    "dos.how.end": "where they were at the end of the simulation",
    "dos.how.visit": "counting every place they passed through",
    # ---------------------------------------------------------------- to
    "dos.to.intro": "Basis: the {n} particles released in the site. 'Share' is the part of them that ended in each "
    "state's waters (counted {how}), with its 95 % interval. Arrival: days from release to the first entry into those "
    "waters (median, and the range holding the middle 80 % of arrivals), counting the particles that only passed "
    "through too.",
    "dos.to.zero": "No particle ended in {zones}; each share could still be up to {upper} (upper end of its 95 % "
    "interval).",
    "dos.to.fates": "Other fates of the site's particles: {parts}.",
    "dos.to.fate": "{share} {fate} ({k} particles)",
    "dos.retained": "Local retention: {share} ({iv}) of the site's particles ended inside the site itself.",
    "dos.more": "{k} more in coherence/{network}.states.csv.",
    "dos.home": " (the site lies here)",
    "dos.col.place": "Waters of",
    "dos.col.particles": "Particles",
    "dos.col.share": "Share of the site's particles",
    "dos.col.interval": "95 % interval",
    "dos.col.arrival": "First arrival, days: median (p10–p90)",
    "dos.col.released_there": "Particles released there",
    "dos.col.reached": "Reached the site",
    "dos.col.supply": "Share of the site's supply",
    "dos.col.chance": "Chance per particle released there",
    "dos.col.member": "Release date",
    "dos.col.range": "Lowest–highest",
    "dos.col.members_link": "Members with the link",
    "dos.col.values": "Each release date",
    "dos.col.dpc": "dPC",
    "dos.col.rank": "Rank",
    # ---------------------------------------------------------------- from
    "dos.from.intro": "Basis: the particles that ended in the site (counted {how}), {k} in all, by the waters where they were "
    "released. 'Share of the site's supply' is their part of all arrivals, with its 95 % interval; 'chance per "
    "particle' is the part of the particles released in those waters that reached the site. The release spread "
    "particles {release}, so the supply shares weigh each state's waters by the particles released there.",
    "dos.release.area": "evenly by water area",
    "dos.release.other": "as the scenario's release section says",
    "dos.from.unsampled": "Waters where no particle was released cannot show as a supply: {zones}.",
    "dos.from.zero": "No particle from {zones} reached the site.",
    # ---------------------------------------------------------------- arrivals
    "dos.arrival.intro": "Each bar spans the middle 80 % of first arrivals (10th to 90th percentile, days after "
    "release); the dot is the median; n is the number of particles that arrived, those that only passed through "
    "included. Arrivals into the waters a "
    "particle started in are left out.",
    "dos.arrival.none": "No particle made a journey between the site and any state's waters during the simulation "
    "({duration}), so there are no arrival times to show.",
    "dos.fig.arrival": "First arrival (days after release)",
    "dos.fig.arrival.to": "From the site to each state's waters",
    "dos.fig.arrival.from": "From each state's waters to the site",
    "dos.fig.arrival.x": "days after release",
    "dos.fig.arrival.n": "n = {n}",
    "dos.fig.arrival.empty": "no arrivals",
    # ---------------------------------------------------------------- importance
    "dos.imp.network": "The network '{network}' is worth ProtConn {protconn}{iv} of the region: the protected "
    "share of the region's area, counted as connected as the simulated dispersal connects it.",
    "dos.imp.dpc": "Without this site the network would lose {dpc} of its connectivity (dPC), rank {rank} of {of} "
    "protected areas. Of these {dpc}: {intra} because of the site's own area (intra), {flux} because of the "
    "flows of particles to and from it (flux), {connector} because it is a stepping stone on routes between "
    "other protected areas (connector).",
    "dos.imp.unlinked": "No particle went between this site and another protected area, so its importance comes "
    "from its area alone.",
    "dos.imp.candidate": "Adding this site to the network would raise its connected area (ECA) by {gain}{iv}, "
    "{per_km2} per km² of the site; rank {rank} of {of} candidate sites.",
    "dos.imp.none": "The run has no importance value for this site.",
    "dos.iv.km2": " (95 % interval {low} to {high})",
    "dos.iv.pct": " (95 % interval {low} to {high})",
    # ---------------------------------------------------------------- map
    "dos.fig.map": "The site and the states' waters",
    "dos.fig.map.caption": "The site is outlined in red. States' waters are shaded by the share of the site's "
    "particles that ended there (counted {how}); unshaded waters received none.",
    "dos.fig.map.share": "Share of the site's particles",
    # ---------------------------------------------------------------- ensemble
    "dos.ens.intro": "This dossier covers {m} simulations that differ only in their release date: {dates}. For each "
    "share, the table gives its value for each date, the lowest and highest, and in how many of the {m} the "
    "link was seen at all (at least one particle).",
    "dos.ens.key": "Across the {m} release dates ({dates}) the site's links change: {parts}.",
    "dos.ens.key.part": "{place} received {low}–{high} of its particles ({k} of {m} dates)",
    "dos.ens.key.none": "Across the {m} release dates ({dates}) none of the site's particles reached any state's "
    "waters.",
    "dos.ens.dpc": "Importance: dPC {low}–{high}, rank {ranks} across the {m} dates.",
    "dos.ens.gain": "ECA gain {low}–{high}, rank {ranks} across the {m} dates.",
    # ---------------------------------------------------------------- methods
    "dos.methods": "{describe} Engine: {engine}, time step {dt}. Zone layers: '{layer}' (the site) and '{juris}' "
    "(the states' waters). Where a particle ended is counted {how}. Every number of this dossier is read "
    "from the run's tables (coherence/{network}.states.csv, coherence/{network}.csv, connectivity/), where it can "
    "be checked.",
    "dos.methods.ensemble": "{m} simulations, one per release date, each as follows. ",
    "dos.def.share": "Share (95 % interval)",
    "dos.def.share.text": "the part of a stated number of particles, in percent. The 95 % interval is the range "
    "that holds the true share with 95 % probability given the number of particles (Jeffreys interval; Brown, "
    "Cai & DasGupta 2001, Statistical Science 16:101). It reflects the number of particles only, not errors in "
    "the currents.",
    "dos.def.arrival": "First arrival",
    "dos.def.arrival.text": "days from a particle's release to its first entry into a place, checked at every time "
    "step; p10 and p90 are the 10th and 90th percentiles.",
    "dos.def.pc": "PC, ECA and ProtConn",
    "dos.def.pc.text": "PC (probability of connectivity) adds up, over every pair of protected areas, the product "
    "of their areas and the most probable chain of particle journeys between them, divided by the region's "
    "area squared. ECA (equivalent connected area, km²) is the area of one single fully connected protected "
    "area worth the same; ProtConn is ECA as a percent of the region (Saura & Pascual-Hortal 2007, Landscape "
    "and Urban Planning 83:91; Saura et al. 2017, Ecological Indicators 76:144).",
    "dos.def.dpc": "dPC",
    "dos.def.dpc.text": "the percent of PC lost if the site were removed, split into its own area (intra), the "
    "particle flows to and from it (flux) and its role as a stepping stone between other sites (connector) "
    "(Saura & Rubio 2010, Ecography 33:523).",
    "dos.def.gain": "ECA gain",
    "dos.def.gain.text": "the connected area (km²) the network would gain if the candidate site were added to it.",
    "dos.def.hs": "High seas",
    "dos.def.hs.text": "the areas beyond national jurisdiction (ABNJ): the ocean outside every state's exclusive "
    "economic zone (EEZ, up to 200 nautical miles from the coast).",
    "dos.caveat.ensemble": "These are {m} release dates; other seasons or years may differ.",
    "dos.pdf.footer": "marinenet {version} · connectivity dossier · {site}",
}
