"""Textos en español del dosier de un sitio (``marinenet dossier``; parte del catálogo de ``es.py``, aparte para
que cada archivo siga siendo corto)."""

DOSSIER = {
    "dos.title": "Dosier de conectividad: {site}",
    "dos.subtitle": "Pruebas sobre la conectividad de un sitio, para el criterio de conectividad de una propuesta "
    "de mecanismo de gestión basado en áreas (Acuerdo BBNJ, anexo I). Simulación «{name}», hecha con marinenet "
    "{version}.",
    "dos.synthetic": "DEMOSTRACIÓN SINTÉTICA: corrientes y zonas inventadas. Este dosier solo ilustra el método y "
    "no dice nada de ningún lugar real.",
    "dos.kind.network": "área protegida de la red «{network}»",
    "dos.kind.candidate": "sitio candidato (aún no protegido) del análisis de la red «{network}»",
    "dos.h.summary": "Puntos clave",
    "dos.h.to": "Adónde van las partículas del sitio",
    "dos.h.from": "De dónde vienen las partículas que llegan al sitio",
    "dos.h.arrival": "Cuánto duran los trayectos",
    "dos.h.importance": "Importancia del sitio en la red protegida",
    "dos.h.map": "Mapa",
    "dos.h.stability": "Estabilidad según la fecha de liberación",
    "dos.h.methods": "Datos y métodos",
    "dos.h.definitions": "Definiciones",
    "dos.h.caveats": "Límites de estas pruebas",
    "dos.h.sources": "Fuentes de datos",
    # ---------------------------------------------------------------- puntos clave
    "dos.where": "El sitio ({kind}) cubre {area}. Se encuentra en un {parts}.",
    "dos.where.part": "{share} en {zone}",
    "dos.where.unknown": "El sitio ({kind}): su polígono no está en la carpeta de la simulación.",
    "dos.hs": "alta mar ({zone})",
    "dos.waters": "las aguas de {zone}",
    "dos.released": "Se liberaron {n} partículas en el sitio {when} y cada una se siguió durante {duration}.",
    "dos.released.none": "No se liberó ninguna partícula en el sitio, así que se desconoce adónde van sus "
    "partículas: libere partículas en él (release.from: [..., {{layer: {layer}}}]) y vuelva a ejecutar.",
    "dos.to.key": "De estas {n} partículas, contadas {how}: {parts}.",
    "dos.to.key.part": "{share} ({iv}) terminaron en {place}",
    "dos.to.none": "Ninguna de estas {n} partículas terminó en aguas de un Estado ni en alta mar (contadas {how}).",
    "dos.from.key": "{k} partículas terminaron en el sitio (contadas {how}); de ellas, {parts}.",
    "dos.from.key.part": "{share} ({iv}) venían de {place}",
    "dos.from.none": "Ninguna partícula liberada en ningún lugar terminó en el sitio (contadas {how}): no se vio "
    "ningún aporte.",
    "dos.importance.key": "Importancia en la red: el sitio aporta {dpc} de la conectividad de la red (dPC; puesto "
    "{rank} de {of} áreas protegidas).",
    "dos.candidate.key": "Si se protegiera, el sitio añadiría {gain} de superficie conectada a la red (ganancia de "
    "ECA{iv}; puesto {rank} de {of} sitios candidatos).",
    "dos.single": "La estabilidad entre años o estaciones NO se evalúa: se trata de una sola simulación, liberada "
    "{when}. Las corrientes cambian entre estaciones y años; ejecute «marinenet ensemble» con varias fechas de "
    "liberación para ver si estos vínculos se mantienen.",
    "dos.few": "Solo se liberaron {n} partículas en el sitio (menos de {min}): los intervalos son amplios y ninguna "
    "clasificación es firme. Libere más partículas antes de fiarse de estas cifras.",
    "dos.how.settlement": "donde se asentaron las larvas",
    "dos.how.end": "donde estaban al final de la simulación",
    "dos.how.visit": "contando cada lugar por el que pasaron",
    # ---------------------------------------------------------------- hacia
    "dos.to.intro": "Base: las {n} partículas liberadas en el sitio. «Parte»: la fracción de ellas que terminó en "
    "las aguas de cada Estado (contadas {how}), con su intervalo del 95 %. Llegada: días entre la liberación y "
    "la primera entrada en esas aguas (mediana, y el rango que contiene el 80 % central de las llegadas), contando "
    "también las partículas que solo pasaron.",
    "dos.to.zero": "Ninguna partícula terminó en {zones}; cada parte podría aun así llegar a {upper} (extremo "
    "superior de su intervalo del 95 %).",
    "dos.to.fates": "Otros destinos de las partículas del sitio: {parts}.",
    "dos.to.fate": "{share} {fate} ({k} partículas)",
    "dos.retained": "Retención local: {share} ({iv}) de las partículas del sitio terminaron dentro del propio sitio.",
    "dos.more": "{k} más en coherence/{network}.states.csv.",
    "dos.home": " (el sitio está aquí)",
    "dos.col.place": "Aguas de",
    "dos.col.particles": "Partículas",
    "dos.col.share": "Parte de las partículas del sitio",
    "dos.col.interval": "Intervalo del 95 %",
    "dos.col.arrival": "Primera llegada, días: mediana (p10–p90)",
    "dos.col.released_there": "Partículas liberadas allí",
    "dos.col.reached": "Llegaron al sitio",
    "dos.col.supply": "Parte del aporte al sitio",
    "dos.col.chance": "Probabilidad por partícula liberada allí",
    "dos.col.member": "Fecha de liberación",
    "dos.col.range": "Mínimo–máximo",
    "dos.col.members_link": "Miembros con el vínculo",
    "dos.col.values": "Cada fecha de liberación",
    "dos.col.dpc": "dPC",
    "dos.col.rank": "Puesto",
    # ---------------------------------------------------------------- desde
    "dos.from.intro": "Base: las partículas que terminaron en el sitio (contadas {how}), {k} en total, según las "
    "aguas donde se liberaron. «Parte del aporte al sitio»: su fracción de todas las llegadas, con su intervalo "
    "del 95 %; «probabilidad por partícula»: la fracción de las partículas liberadas en esas aguas que llegó al "
    "sitio. La liberación repartió las partículas {release}, de modo que las partes del aporte ponderan las "
    "aguas de cada Estado por las partículas liberadas en ellas.",
    "dos.release.area": "uniformemente según la superficie de agua",
    "dos.release.other": "como indica la sección release del escenario",
    "dos.from.unsampled": "Las aguas donde no se liberó ninguna partícula no pueden aparecer como fuente: {zones}.",
    "dos.from.zero": "Ninguna partícula procedente de {zones} llegó al sitio.",
    # ---------------------------------------------------------------- llegadas
    "dos.arrival.intro": "Cada barra abarca el 80 % central de las primeras llegadas (del percentil 10 al 90, en "
    "días tras la liberación); el punto es la mediana; n es el número de partículas que llegaron, incluidas las "
    "que solo pasaron. No se cuentan "
    "las llegadas a las aguas donde partió cada partícula.",
    "dos.arrival.none": "Ninguna partícula viajó entre el sitio y las aguas de un Estado durante la simulación "
    "({duration}): no hay tiempos de llegada que mostrar.",
    "dos.fig.arrival": "Primera llegada (días tras la liberación)",
    "dos.fig.arrival.to": "Del sitio a las aguas de cada Estado",
    "dos.fig.arrival.from": "De las aguas de cada Estado al sitio",
    "dos.fig.arrival.x": "días tras la liberación",
    "dos.fig.arrival.n": "n = {n}",
    "dos.fig.arrival.empty": "ninguna llegada",
    # ---------------------------------------------------------------- importancia
    "dos.imp.network": "La red «{network}» vale un ProtConn de {protconn}{iv} de la región: la parte protegida de "
    "la superficie de la región, contada como conectada en la medida en que la dispersión simulada la conecta.",
    "dos.imp.dpc": "Sin este sitio la red perdería {dpc} de su conectividad (dPC), puesto {rank} de {of} áreas "
    "protegidas. De ese {dpc}: {intra} se debe a la superficie propia del sitio (intra), {flux} a los flujos de "
    "partículas hacia él y desde él (flujo), {connector} a su papel de escala en las rutas entre otras áreas "
    "protegidas (conector).",
    "dos.imp.unlinked": "Ninguna partícula circuló entre este sitio y otra área protegida: su importancia se debe "
    "solo a su superficie.",
    "dos.imp.candidate": "Añadir este sitio a la red aumentaría su superficie conectada (ECA) en {gain}{iv}, es "
    "decir {per_km2} por km² del sitio; puesto {rank} de {of} sitios candidatos.",
    "dos.imp.none": "La simulación no da ningún valor de importancia para este sitio.",
    "dos.iv.km2": " (intervalo del 95 %: {low} a {high})",
    "dos.iv.pct": " (intervalo del 95 %: {low} a {high})",
    # ---------------------------------------------------------------- mapa
    "dos.fig.map": "El sitio y las aguas de los Estados",
    "dos.fig.map.caption": "El sitio está contorneado en rojo. Las aguas de los Estados se sombrean según la parte "
    "de las partículas del sitio que terminó en ellas (contadas {how}); las aguas sin sombrear no recibieron "
    "ninguna.",
    "dos.fig.map.share": "Parte de las partículas del sitio",
    # ---------------------------------------------------------------- conjunto
    "dos.ens.intro": "Este dosier abarca {m} simulaciones que solo difieren en su fecha de liberación: {dates}. "
    "Para cada parte, la tabla da su valor en cada fecha, el mínimo y el máximo, y en cuántas de las {m} se vio "
    "el vínculo (al menos una partícula).",
    "dos.ens.key": "Según las {m} fechas de liberación ({dates}), los vínculos del sitio varían: {parts}.",
    "dos.ens.key.part": "entre {low} y {high} de sus partículas terminaron en {place} ({k} de {m} fechas)",
    "dos.ens.key.none": "En las {m} fechas de liberación ({dates}), ninguna partícula del sitio llegó a aguas de un "
    "Estado.",
    "dos.ens.dpc": "Importancia: dPC de {low} a {high}, puesto {ranks} según las {m} fechas.",
    "dos.ens.gain": "Ganancia de ECA de {low} a {high}, puesto {ranks} según las {m} fechas.",
    # ---------------------------------------------------------------- métodos
    "dos.methods": "{describe} Motor: {engine}, paso de tiempo {dt}. Capas de zonas: «{layer}» (el sitio) y "
    "«{juris}» (las aguas de los Estados). El destino de una partícula se cuenta {how}. Cada cifra de este "
    "dosier se lee de las tablas de la simulación (coherence/{network}.states.csv, coherence/{network}.csv, "
    "connectivity/), donde puede comprobarse.",
    "dos.methods.ensemble": "{m} simulaciones, una por fecha de liberación, cada una como sigue. ",
    "dos.def.share": "Parte (intervalo del 95 %)",
    "dos.def.share.text": "la fracción de un número dado de partículas, en porcentaje. El intervalo del 95 % es el "
    "rango que contiene la parte verdadera con un 95 % de probabilidad dado el número de partículas (intervalo "
    "de Jeffreys; Brown, Cai y DasGupta 2001, Statistical Science 16:101). Solo refleja el número de "
    "partículas, no los errores de las corrientes.",
    "dos.def.arrival": "Primera llegada",
    "dos.def.arrival.text": "días entre la liberación de una partícula y su primera entrada en un lugar, comprobada "
    "en cada paso de tiempo; p10 y p90 son los percentiles 10 y 90.",
    "dos.def.pc": "PC, ECA y ProtConn",
    "dos.def.pc.text": "el PC (probabilidad de conectividad) suma, para cada par de áreas protegidas, el producto "
    "de sus superficies y de la cadena más probable de trayectos de partículas entre ellas, dividido por el "
    "cuadrado de la superficie de la región. La ECA (superficie conectada equivalente, km²) es la superficie de "
    "una sola área protegida totalmente conectada que valdría lo mismo; el ProtConn es la ECA en porcentaje de "
    "la región (Saura y Pascual-Hortal 2007, Landscape and Urban Planning 83:91; Saura et al. 2017, Ecological "
    "Indicators 76:144).",
    "dos.def.dpc": "dPC",
    "dos.def.dpc.text": "el porcentaje del PC que se perdería sin el sitio, repartido entre su superficie propia "
    "(intra), los flujos de partículas hacia él y desde él (flujo) y su papel de escala entre otros sitios "
    "(conector) (Saura y Rubio 2010, Ecography 33:523).",
    "dos.def.gain": "Ganancia de ECA",
    "dos.def.gain.text": "la superficie conectada (km²) que ganaría la red si se le añadiera el sitio candidato.",
    "dos.def.hs": "Alta mar",
    "dos.def.hs.text": "las zonas situadas fuera de la jurisdicción nacional (ZFJN, ABNJ en inglés): el océano "
    "fuera de toda zona económica exclusiva (ZEE, hasta 200 millas marinas de la costa).",
    "dos.caveat.ensemble": "Son {m} fechas de liberación; otras estaciones o años pueden diferir.",
    "dos.pdf.footer": "marinenet {version} · dosier de conectividad · {site}",
}
