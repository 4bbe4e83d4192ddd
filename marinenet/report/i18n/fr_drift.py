"""Textes français des lâchers à rebours et de la dérive due au vent et aux vagues (partie de ``fr.py``)."""

DRIFT = {
    "describe.backward": "Le temps a été remonté : chaque particule a été suivie à rebours sur {days} depuis son "
    "lâcher ; les résultats montrent d'où venait l'eau trouvée dans les zones de lâcher (en amont), et non où "
    "elle est allée.",
    "describe.windage": "Elles ont aussi dérivé avec {pct} du vent à 10 m{deflection}.",
    "describe.deflection": ", tourné de {deg}° vers la {side} du vent",
    "describe.side.right": "droite",
    "describe.side.left": "gauche",
    "describe.stokes": "Elles ont aussi dérivé avec la dérive de Stokes de surface des vagues.",
    "flow.back.one": "D'où venait l'eau trouvée dans {zone} : sur {n} {noun} trouvée là et suivie à rebours, "
    "{own} ({own_iv}) était déjà dans {zone} et {other} ({other_iv}) venait d'autres zones en amont",
    "flow.back.other": "D'où venait l'eau trouvée dans {zone} : sur les {n} {noun} trouvées là et suivies à "
    "rebours, {own} ({own_iv}) étaient déjà dans {zone} et {other} ({other_iv}) venaient d'autres zones en amont",
    "flow.back.most_from": ", surtout de {zone} : {pct} ({iv})",
    "flow.back.all_from": " (toutes de {zone})",
    "fig.matrix.caption.backward": "Suivi à rebours : fraction (et nombre) des particules trouvées dans chaque "
    "zone (lignes) qui venaient de chaque zone ou issue (colonnes) — d'où venait l'eau trouvée dans une zone.",
}
