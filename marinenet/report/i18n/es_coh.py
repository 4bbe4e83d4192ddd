"""Textos en español de las conclusiones sobre la coherencia de la red (parte del catálogo de ``es.py``)."""

COHERENCE = {
    "coh.sep": "; ",
    "coh.headline": "Coherencia de la red: las áreas protegidas de «{network}» cubren el {cover} de «{region}»; conectadas como las conecta la dispersión simulada ({connection}), equivalen a una ProtConn del {protconn}{interval} de esa región: una única área totalmente conectada de {eca} (ECA), según {released} partículas liberadas en ellas.",
    "coh.interval": " (intervalo del 95 %: {low} a {high})",
    "coh.connection.settlement": "donde se asentaron las larvas",
    "coh.connection.end": "donde estaban las partículas al final de la simulación",
    "coh.connection.visit": "todos los sitios por los que pasaron las partículas",
    "coh.empty": " {k} área(s) protegida(s) no liberaron ninguna partícula: sus enlaces salientes son desconocidos y cuentan como nulos, por lo que estos valores son cotas inferiores.",
    "coh.unconnected": " Ninguna partícula fue de un área protegida a otra, por lo que la red se considera no conectada (el intervalo no puede mostrar enlaces nunca observados: libere más partículas).",
    "coh.top": "Coherencia de la red: {zone} es el área que más importa para la conectividad de la red (dPC {dpc}: su propia superficie {intra}, los flujos hacia ella y desde ella {flux}, como escalón {connector}).",
    "coh.candidate": "{zone} +{gain}{interval}, {per_km2} por km² añadido",
    "coh.candidates": "Coherencia de la red: los sitios candidatos que más área conectada (ECA) añaden: {names}",
    "coh.candidates.too_few": "; proceden de ellos muy pocas partículas para clasificarlos.",
    "coh.candidates.overlap": "; demasiado próximos para clasificar los dos primeros: sus intervalos del 95 % se solapan.",
    "coh.candidates.end": ".",
    "coh.states": "Coherencia de la red por jurisdicción (ProtConn de las áreas protegidas de cada una en sus propias aguas): {parts}.",
    "coh.states.none": "Coherencia de la red por jurisdicción (ProtConn de las áreas protegidas de cada una en sus propias aguas): ninguna jurisdicción tiene áreas protegidas.",
    "coh.states.through": " {state} es la que más depende de escalones fuera de sus aguas: el {via} de su conectividad pasa por ellos ({high_seas} por alta mar).",
}
