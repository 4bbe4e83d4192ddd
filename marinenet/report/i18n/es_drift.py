"""Textos en español del seguimiento hacia atrás y de la deriva por viento y oleaje (parte de ``es.py``)."""

DRIFT = {
    "describe.backward": "El tiempo corrió hacia atrás: cada partícula se siguió {days} hacia atrás desde su "
    "liberación, así que los resultados muestran de dónde vino el agua encontrada en las zonas de liberación "
    "(aguas arriba), no adónde fue.",
    "describe.windage": "También derivaron con el {pct} del viento a 10 m{deflection}.",
    "describe.deflection": ", girado {deg}° a la {side} del viento",
    "describe.side.right": "derecha",
    "describe.side.left": "izquierda",
    "describe.stokes": "También derivaron con la deriva de Stokes superficial del oleaje.",
    "flow.back.one": "De dónde vino el agua encontrada en {zone}: de {n} {noun} encontrada allí y seguida hacia "
    "atrás, el {own} ({own_iv}) ya estaba en {zone} y el {other} ({other_iv}) vino de otras zonas aguas arriba",
    "flow.back.other": "De dónde vino el agua encontrada en {zone}: de las {n} {noun} encontradas allí y seguidas "
    "hacia atrás, el {own} ({own_iv}) ya estaba en {zone} y el {other} ({other_iv}) vino de otras zonas aguas "
    "arriba",
    "flow.back.most_from": ", sobre todo de {zone}: el {pct} ({iv})",
    "flow.back.all_from": " (todas de {zone})",
    "fig.matrix.caption.backward": "Seguimiento hacia atrás: fracción (y número) de las partículas encontradas "
    "en cada zona (filas) que vinieron de cada zona o resultado (columnas): de dónde vino el agua encontrada "
    "en una zona.",
}
