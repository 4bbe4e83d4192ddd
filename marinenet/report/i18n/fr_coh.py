"""Textes français des constats de cohérence du réseau (partie du catalogue de ``fr.py``)."""

COHERENCE = {
    "coh.sep": " ; ",
    "coh.headline": "Cohérence du réseau : les aires protégées de « {network} » couvrent {cover} de « {region} » ; reliées comme la dispersion simulée les relie ({connection}), elles valent une ProtConn de {protconn}{interval} de cette région — l'équivalent d'une seule aire entièrement connectée de {eca} (ECA), d'après {released} particules lâchées dans ces aires.",
    "coh.interval": " (intervalle à 95 % : {low} à {high})",
    "coh.connection.settlement": "là où les larves se sont fixées",
    "coh.connection.end": "là où se trouvaient les particules à la fin de la simulation",
    "coh.connection.visit": "tous les sites traversés par les particules",
    "coh.empty": " {k} aire(s) protégée(s) n'ont lâché aucune particule : leurs liens sortants sont inconnus et comptés comme nuls, ces valeurs sont donc des bornes inférieures.",
    "coh.unconnected": " Aucune particule n'est allée d'une aire protégée à une autre : le réseau est considéré comme non connecté (l'intervalle ne peut pas montrer des liens jamais observés : lâchez plus de particules).",
    "coh.top": "Cohérence du réseau : {zone} est l'aire qui compte le plus pour la connectivité du réseau (dPC {dpc} : sa propre surface {intra}, les flux vers elle et depuis elle {flux}, comme relais {connector}).",
    "coh.candidate": "{zone} +{gain}{interval}, {per_km2} par km² ajouté",
    "coh.candidates": "Cohérence du réseau : les sites candidats qui ajoutent le plus d'aire connectée (ECA) : {names}",
    "coh.candidates.too_few": " ; trop peu de particules en proviennent pour les classer.",
    "coh.candidates.overlap": " ; trop proches pour classer les deux premiers : leurs intervalles à 95 % se chevauchent.",
    "coh.candidates.end": ".",
    "coh.states": "Cohérence du réseau par juridiction (ProtConn des aires protégées de chacune dans ses propres eaux) : {parts}.",
    "coh.states.none": "Cohérence du réseau par juridiction (ProtConn des aires protégées de chacune dans ses propres eaux) : aucune juridiction ne détient d'aire protégée.",
    "coh.states.through": " {state} dépend le plus de relais situés hors de ses eaux : {via} de sa connectivité passe par eux ({high_seas} par la haute mer).",
}
