"""English texts of the network-coherence findings (part of ``en.py``'s catalogue, kept apart so that each file
stays short)."""

COHERENCE = {
    "coh.sep": "; ",
    "coh.headline": "Network coherence: the protected areas of '{network}' cover {cover} of '{region}'; connected as the simulated dispersal connects them ({connection}), they are worth ProtConn {protconn}{interval} of it — one fully connected area of {eca} (ECA), from {released} particles released in them.",
    "coh.interval": " (95 % interval {low} to {high})",
    "coh.connection.settlement": "where larvae settled",
    "coh.connection.end": "where particles were at the end of the run",
    "coh.connection.visit": "every site particles passed through",
    "coh.empty": " {k} protected area(s) released no particle: their outgoing links are unknown and count as none, so these values are lower bounds.",
    "coh.unconnected": " No particle went from one protected area to another, so the network counts as unconnected (the interval cannot show links never seen: release more particles).",
    "coh.top": "Network coherence: {zone} matters most to the network's connectivity (dPC {dpc}: its own area {intra}, flows to and from it {flux}, as a stepping stone {connector}).",
    "coh.candidate": "{zone} +{gain}{interval}, {per_km2} per km² added",
    "coh.candidates": "Network coherence: the candidate sites that add the most connected area (ECA): {names}",
    "coh.candidates.too_few": "; too few particles from them to rank them.",
    "coh.candidates.overlap": "; too close to rank the first two: their 95 % intervals overlap.",
    "coh.candidates.end": ".",
    "coh.states": "Network coherence by jurisdiction (ProtConn of each one's protected areas in its own waters): {parts}.",
    "coh.states.none": "Network coherence by jurisdiction (ProtConn of each one's protected areas in its own waters): no jurisdiction holds protected areas.",
    "coh.states.through": " {state} depends most on stepping stones outside its waters: {via} of its connectivity runs through them ({high_seas} through the high seas).",
}
