"""English texts of backward runs and of wind and wave drift (part of ``en.py``'s catalogue, kept apart)."""

DRIFT = {
    "describe.backward": "Time ran backward: each particle was tracked back {days} from its release, so the "
    "results show where the water found in the release zones came from (upstream), not where it went.",
    "describe.windage": "They also drifted with {pct} of the 10 m wind{deflection}.",
    "describe.deflection": ", turned {deg}° to the {side} of the wind",
    "describe.side.right": "right",
    "describe.side.left": "left",
    "describe.stokes": "They also drifted with the surface Stokes drift of the waves.",
    "flow.back.one": "Where the water found in {zone} came from: of the {n} {noun} found there and tracked "
    "back, {own} ({own_iv}) were already in {zone} and {other} ({other_iv}) came from other zones upstream",
    "flow.back.other": "Where the water found in {zone} came from: of the {n} {noun} found there and tracked "
    "back, {own} ({own_iv}) were already in {zone} and {other} ({other_iv}) came from other zones upstream",
    "flow.back.most_from": ", most from {zone}: {pct} ({iv})",
    "flow.back.all_from": " (all from {zone})",
    "fig.matrix.caption.backward": "Backward run: fraction (and number) of the particles found in each zone "
    "(rows) that came from each zone or outcome (columns) — where the water found in a zone came from.",
}
