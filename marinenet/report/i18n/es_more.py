"""Textos en español del explorador, de los créditos de los datos, de la advertencia sobre la duración y
de la leyenda del mapa base (parte del catálogo de ``es.py``, que les aplica su tipografía)."""

MORE = {
    # ---------------------------------------------------------------- duración de una simulación de larvas
    "timing.none": "la simulación duró {run} días; las larvas solo pueden asentarse a partir del día "
    "{start}, por lo que ninguna pudo asentarse. Simule al menos {start} días (toda la vida larval: {pld} "
    "días) para observar el asentamiento",
    "timing.cut": "la simulación duró {run} días; las larvas pueden asentarse del día {start} al día {end}, "
    "por lo que las que seguían a la deriva al final podrían haberse asentado después: el asentamiento "
    "está subestimado",
    "timing.pld": "la simulación duró {run} días, menos que la duración larval pelágica ({pld} días): las "
    "larvas aún vivas al final no se habían asentado y se cuentan como no asentadas, aunque su vida larval "
    "no había terminado",
    "caveat.run_length": "Duración de la simulación: {text}.",
    "settle.total_why": "Larvas asentadas: {k} de {n} ({pct}, {iv}) — {why}.",
    "fallback.explorer": "No se pudo generar el explorador de conectividad ({error}).",
    "credit.coastline": "Línea de costa: Natural Earth, tierras a 1:50m (dominio público), "
    "naturalearthdata.com; incluida en marinenet.",
    # ---------------------------------------------------------------- el explorador de conectividad
    "xp.heading": "Explorar la conectividad",
    "xp.intro.end": "Elija una zona en la lista o haga clic en ella en el mapa (también puede llegar a una "
    "zona con la tecla Tab y pulsar Intro). El mapa y las tablas muestran dónde estaban al final de la "
    "simulación las partículas liberadas en esa zona, y de dónde procedían las partículas que terminaron en "
    "ella. Las cifras son las de {file}.",
    "xp.intro.larva": "Elija una zona en la lista o haga clic en ella en el mapa (también puede llegar a una "
    "zona con la tecla Tab y pulsar Intro). El mapa y las tablas muestran dónde se asentaron las larvas "
    "liberadas en esa zona, y de dónde procedían las larvas que se asentaron en ella. Las cifras son las de "
    "{file}.",
    "xp.zone": "Zona",
    "xp.show": "Colorear el mapa según",
    "xp.out.end": "dónde estaban sus partículas al final de la simulación",
    "xp.out.larva": "dónde se asentaron sus larvas",
    "xp.in.end": "de dónde procedían las partículas que llegaron a ella",
    "xp.in.larva": "de dónde procedían las larvas que se asentaron en ella",
    "xp.map": "Mapa de las zonas de la capa «{layer}» (contornos simplificados); la zona elegida aparece "
    "contorneada en negro",
    "xp.out_caption.end": "Dónde estaban al final de la simulación las partículas liberadas en {zone} ({n} "
    "liberadas)",
    "xp.out_caption.larva": "Dónde se asentaron las larvas liberadas en {zone} ({n} liberadas)",
    "xp.in_caption.end": "De dónde procedían las partículas que terminaron en {zone} ({n} llegadas)",
    "xp.in_caption.larva": "De dónde procedían las larvas que se asentaron en {zone} ({n} larvas asentadas)",
    "xp.destination": "Destino",
    "xp.source": "Origen",
    "xp.count": "Número",
    "xp.fraction": "Fracción del origen",
    "xp.share_in": "Proporción de las llegadas",
    "xp.interval": "Intervalo del 95 %",
    "xp.none": "ninguna",
    "xp.legend.end": "Fracción (0–100 %) de las partículas de la zona elegida (salientes) o de sus llegadas "
    "(entrantes). Beis: tierra.",
    "xp.legend.larva": "Fracción (0–100 %) de las larvas de la zona elegida (salientes) o de las larvas "
    "asentadas en ella (entrantes). Beis: tierra.",
    "xp.legend_outside": "Gris con trama: fuera del dominio del modelo (sin corrientes).",
    "xp.status.end": "{zone}: {n_out} liberadas, {n_in} llegadas.",
    "xp.status.larva": "{zone}: {n_out} liberadas, {n_in} larvas asentadas.",
    "xp.outcomes": "Los destinos que no son una zona (varadas, muertas, fuera del dominio…) figuran en la "
    "primera tabla, pero no se dibujan en el mapa.",
    # ---------------------------------------------------------------- mapas de datos reales
    "map.basemap": "tierra: Natural Earth 1:50m",
    "map.basemap_outside": "tierra: Natural Earth 1:50m; gris con trama: fuera del dominio del modelo",
    # ---------------------------------------------------------------- fuentes de datos (palabras de marinenet)
    "credit.forcing": "Corrientes oceánicas (archivo {file}): {parts}.",
    "credit.product": "producto {value}",
    "credit.source": "fuente: {value}",
    "credit.references": "referencias: {value}",
    "credit.doi": "DOI: {value}",
    "credit.licence": "licencia: {value}",
    "credit.no_licence": "el archivo no indica ninguna licencia: consulte las condiciones de uso del "
    "proveedor",
    "credit.zones": "Capa de zonas «{layer}» ({file})",
    "credit.with": "{head}: {text}",
    "credit.zones_licence": "Licencia: {value}.",
    "credit.zones_none": "{head}: no se indica cita ni licencia; añada «citation:» y «licence:» a esta capa "
    "en el escenario.",
    "credit.demo": "Paisaje marino sintético de demostración generado por marinenet (datos no reales).",
    "credit.sep": "; ",
    # ---------------------------------------------------------------- larvas no asentadas
    "fate.not_settled.one": "{n} no se asentó ({pct}){detail}",
    "fate.not_settled.other": "{n} no se asentaron ({pct}){detail}",
    "fate.not_settled.drifting_all": ", aún a la deriva al terminar la simulación",
    "fate.not_settled.drifting_some": ", {k} de ellas aún a la deriva al terminar la simulación",
    # ---------------------------------------------------------------- base de los índices, ejes, motor
    "basis.settlement": "asentamiento",
    "basis.end_of_run": "final de la simulación",
    "hemi.N": "N",
    "hemi.S": "S",
    "hemi.E": "E",
    "hemi.W": "O",
    "engine.why.regular": "malla lon/lat regular",
    "engine.why.not_1d": "el eje {axis} de las corrientes no es unidimensional (malla curvilínea)",
    "engine.why.not_increasing": "el eje {axis} de las corrientes no es estrictamente creciente",
    "engine.why.behaviour": "comportamiento {name}: {why}",
    "engine.why.needs_3d": "la migración vertical requiere corrientes en 3D",
    "fate.active_at_end.swimmer.one": "{n} seguía nadando al final ({pct})",
    "fate.active_at_end.swimmer.other": "{n} seguían nadando al final ({pct})",
    # ---------------------------------------------------------------- capas por encima de outputs: all_pairs_limit
    "table.nonzero_pairs": "Esta capa tiene más pares (origen, destino) que outputs: all_pairs_limit, así que "
    "connectivity/{file}.csv solo lista los pares no nulos. Un par ausente tiene un recuento de 0; su intervalo "
    "del 95 % va de 0 a la cota dada por origen en connectivity/{file}.unseen.csv (partículas enteras: la cota de "
    "Jeffreys de 0 de n, el cuantil 97,5 % de Beta(½, n + ½), n = partículas liberadas en el origen).",
    "fallback.explorer_large": "Se omitió el explorador de conectividad: {rows} pares no nulos son demasiados "
    "para la página (como máximo {most}); connectivity/{file}.csv los contiene todos.",
}
