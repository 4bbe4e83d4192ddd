"""Español: los textos del informe, de la nota informativa y de los mapas (fuente: ``en.py``).

Terminología de los documentos de la CMS y del CDB: zona económica exclusiva (ZEE), zonas fuera de la
jurisdicción nacional (ZFJN), área marina protegida (AMP), áreas marinas de importancia ecológica o
biológica (AIEB). Las partículas simuladas se designan siempre con nombres femeninos (partículas,
larvas, partículas nadadoras), lo que resuelve la concordancia. El signo % va separado por un espacio
de no separación (RAE, *Ortografía* 2010), que se añade al final del archivo.
"""

from .es_coh import COHERENCE
from .es_drift import DRIFT
from .es_more import MORE

_TEXTS = {
    # ---------------------------------------------------------------- formatos
    "date": "{day} de {month} de {year}",
    "date.day1": "1",
    "date_time": "{date}, a las {time} UTC",
    "month.1": "enero",
    "month.2": "febrero",
    "month.3": "marzo",
    "month.4": "abril",
    "month.5": "mayo",
    "month.6": "junio",
    "month.7": "julio",
    "month.8": "agosto",
    "month.9": "septiembre",
    "month.10": "octubre",
    "month.11": "noviembre",
    "month.12": "diciembre",
    "and": " y ",
    "unit.week.one": "{n} semana",
    "unit.week.other": "{n} semanas",
    "unit.day.one": "{n} día",
    "unit.day.other": "{n} días",
    "unit.hour.one": "{n} hora",
    "unit.hour.other": "{n} horas",
    "unit.minute.one": "{n} minuto",
    "unit.minute.other": "{n} minutos",
    "unit.second.one": "{n} segundo",
    "unit.second.other": "{n} segundos",
    "unit.d": "{x} d",
    "rate.per_day": "{x} por día",
    "interval": "intervalo del 95 % de {low} a {high}",
    # ---------------------------------------------------------------- qué se simuló
    "noun.passive.one": "partícula",
    "noun.passive.other": "partículas",
    "noun.larva.one": "larva",
    "noun.larva.other": "larvas",
    "noun.swimmer.one": "partícula nadadora",
    "noun.swimmer.other": "partículas nadadoras",
    "when.once": "el {date}",
    "when.daily": "en {n} liberaciones diarias, del {first} al {last}",
    "when.weekly": "en {n} liberaciones semanales, del {first} al {last}",
    "when.every": "en {n} liberaciones cada {days} días, del {first} al {last}",
    "when.between": "en {n} liberaciones entre el {first} y el {last}",
    "where.areas": "{n} zonas de liberación",
    "where.points.one": "un punto",
    "where.points.other": "{n} puntos",
    "where.zones.one": "la zona {ids} de la capa '{layer}'",
    "where.zones.other": "las zonas {ids} de la capa '{layer}'",
    "where.layer": "cada zona de la capa '{layer}'",
    "where.layer_only": "la capa '{layer}'",
    "where.point": "el punto {point}",
    "larva.pld": "Cada larva derivaba como máximo durante su duración larval pelágica ({pld})",
    "larva.competency": ", podía asentarse entre los {a} y los {b} de edad",
    "larva.settle_in": " en la capa '{layer}'",
    "larva.mortality": ", y moría a una tasa de {rate}",
    "swimmer.behaviour": "Cada partícula nadadora nadaba a {speed} m/s hacia {where} durante un máximo de "
    "{duration}, arrastrada por las corrientes.",
    "passive.behaviour": "Cada partícula derivaba pasivamente con las corrientes durante {duration}.",
    "currents.demo": "las corrientes sintéticas de demostración",
    "currents.file": "las corrientes de {source}",
    "describe.released.one": "{n} {noun} fue liberada desde {where} {when}.",
    "describe.released.other": "{n} {noun} fueron liberadas desde {where} {when}.",
    "level.depth": "a {depth} m de profundidad",
    "level.surface": "en superficie",
    "describe.turbulence": ", con turbulencia de submalla (Kh = {kh} m²/s)",
    "describe.tracked": "Se siguieron {level} en {currents}{turbulence}.",
    "describe.tracked_3d": "Se siguieron en 3D {level} en {currents}{turbulence}.",
    # ---------------------------------------------------------------- destino final
    "fate.settled.one": "{n} se asentó ({pct})",
    "fate.settled.other": "{n} se asentaron ({pct})",
    "fate.arrived.one": "{n} alcanzó su objetivo ({pct})",
    "fate.arrived.other": "{n} alcanzaron su objetivo ({pct})",
    "fate.dead.one": "{n} murió ({pct})",
    "fate.dead.other": "{n} murieron ({pct})",
    "fate.unsettled.one": "{n} llegó al final de su vida larval sin asentarse ({pct})",
    "fate.unsettled.other": "{n} llegaron al final de su vida larval sin asentarse ({pct})",
    "fate.active_at_end.one": "{n} seguía a la deriva al final ({pct})",
    "fate.active_at_end.other": "{n} seguían a la deriva al final ({pct})",
    "fate.stranded.one": "{n} quedó varada en una costa ({pct})",
    "fate.stranded.other": "{n} quedaron varadas en una costa ({pct})",
    "fate.out_of_domain.one": "{n} salió del dominio del modelo ({pct})",
    "fate.out_of_domain.other": "{n} salieron del dominio del modelo ({pct})",
    "fate.errors.one": "{n} se perdió por un error numérico ({pct})",
    "fate.errors.other": "{n} se perdieron por un error numérico ({pct})",
    "fates.none": "Liberadas: {n} {noun}; no hay ningún destino final registrado.",
    "fates.head.one": "De {n} {noun} liberada, {parts}.",
    "fates.head.other": "De las {n} {noun} liberadas, {parts}.",
    # ---------------------------------------------------------------- conclusiones
    "rank.too_few.zones": "demasiado pocas partículas para ordenar las zonas",
    "rank.too_few.them": "demasiado pocas partículas para ordenarlas",
    "rank.too_close.zones": "diferencias demasiado pequeñas para ordenar las zonas: los intervalos del "
    "95 % de los valores más altos se solapan",
    "rank.too_close.them": "diferencias demasiado pequeñas para ordenarlas: los intervalos del 95 % de los "
    "valores más altos se solapan",
    "settle.total": "Larvas asentadas: {k} de {n} ({pct}, {iv}).",
    "settle.all_in": "Todas las larvas asentadas lo hicieron en {zone}.",
    "settle.most_in": "La mayoría de las larvas asentadas lo hicieron en {zone}: {pct} de {total} ({iv}).",
    "settle.by_zone": "Larvas asentadas por zona: {listed} (de {total}); {why}.",
    "swim.arrived": "Partículas nadadoras que alcanzaron su objetivo: {k} de {n} ({pct}, {iv}).",
    "swim.stored": " (según las {n} trayectorias almacenadas de partículas que llegaron)",
    "swim.time": "Las partículas que llegaron tardaron una mediana de {median} días (el 10–90 % de ellas: "
    "{p10}–{p90} días){sample}.",
    "flow.end.one": "De {n} {noun} liberada en {zone}, el {own} ({own_iv}) estaba en {zone} al final y el "
    "{other} ({other_iv}) en otras zonas",
    "flow.end.other": "De las {n} {noun} liberadas en {zone}, el {own} ({own_iv}) estaba en {zone} al final "
    "y el {other} ({other_iv}) en otras zonas",
    "flow.settled.one": "De {n} {noun} liberada en {zone}, el {own} ({own_iv}) se asentó en {zone} y el "
    "{other} ({other_iv}) en otras zonas",
    "flow.settled.other": "De las {n} {noun} liberadas en {zone}, el {own} ({own_iv}) se asentó en {zone} "
    "y el {other} ({other_iv}) en otras zonas",
    "flow.most_in": ", sobre todo en {zone}: el {pct} ({iv})",
    "flow.all_in": " (todas en {zone})",
    "flow.unranked": " ({k} zonas; {why})",
    "flow.smaller.one": "{k} zona de liberación más pequeña: véase la tabla de conectividad.",
    "flow.smaller.other": "{k} zonas de liberación más pequeñas: véase la tabla de conectividad.",
    "hs.end.one": "De {n} {noun} liberada en alta mar ({hs}), el {pct} ({iv}) terminó dentro de una zona de "
    "'{layer}'",
    "hs.end.other": "De las {n} {noun} liberadas en alta mar ({hs}), el {pct} ({iv}) terminó dentro de una "
    "zona de '{layer}'",
    "hs.settled.one": "De {n} {noun} liberada en alta mar ({hs}), el {pct} ({iv}) se asentó dentro de una "
    "zona de '{layer}'",
    "hs.settled.other": "De las {n} {noun} liberadas en alta mar ({hs}), el {pct} ({iv}) se asentó dentro "
    "de una zona de '{layer}'",
    "hs.all_in": " (todas en {zone}).",
    "hs.largest": "; la mayor proporción fue a {zone}: el {pct} ({iv}).",
    "hs.unranked": " (proporciones más altas: {top}); {why}.",
    "arr.few.one": "{k} zona alcanzada por menos de {min} partículas ({zones}) no se compara.",
    "arr.few.other": "{k} zonas alcanzadas por menos de {min} partículas ({zones}) no se comparan.",
    "arr.none": "Demasiado pocas partículas liberadas en alta mar alcanzaron alguna zona para comparar los "
    "tiempos de llegada ({n} liberadas).",
    "arr.desc": "{k} de las {n} partículas liberadas en alta mar ({pct}) alcanzaron {zone}, tras una "
    "mediana de {median} días (10–90 %: {p10}–{p90} días)",
    "arr.first": "Las aguas de alta mar alcanzaron primero {zone}: {desc}.",
    "arr.overlap": "{desc}; los tiempos de llegada de las {k} zonas alcanzadas por {min} partículas o más "
    "se solapan demasiado para ordenarlas.",
    "index.import_dependency": "dependencia de aportes externos",
    "index.local_retention": "retención local",
    "index.zero": "{label}: 0 % en todas las zonas ({meaning}).",
    "index.among": " entre las {k} zonas con {min} partículas o más",
    "index.highest": "{zone} presenta la mayor {label}{among}: {pct} ({iv}, n = {n}) — {meaning}.",
    "index.not_ranked.one": "{k} zona con menos partículas no se clasifica.",
    "index.not_ranked.other": "{k} zonas con menos partículas no se clasifican.",
    "index.item": "{zone} {pct} (n = {n})",
    "index.more": " y {k} más",
    "index.list": "{label} ({meaning}): {listed}{more}; {why}.",
    "meaning.import_dependency.settlement": "proporción de sus larvas asentadas procedentes de otras zonas",
    "meaning.import_dependency.end": "proporción de las partículas que terminan en ella y que fueron "
    "liberadas en otro lugar",
    "meaning.local_retention.settlement": "proporción de sus larvas que se asentaron en la propia zona",
    "meaning.local_retention.end": "proporción de sus partículas que estaban en ella al final de la "
    "simulación",
    "network.stone": "{zone} se encuentra en el mayor número de rutas de varias etapas entre zonas "
    "(centralidad de intermediación {value}, {n} partículas llegadas).",
    "network.high_seas": "Se excluye la alta mar ({hs}): al ser un único nodo en contacto con todas las "
    "zonas, estaría en todas las rutas.",
    "mpa.outside": "El {pct} de las partículas-día en el mar transcurrió fuera de las áreas marinas "
    "protegidas",
    "mpa.baseline": "; las AMP cubren el {area} del mar del dominio del modelo, por lo que unas partículas "
    "repartidas uniformemente pasarían el {even} de su tiempo fuera de ellas",
    "sampling.under": "SUBMUESTREADO: algunas fracciones tienen una incertidumbre de hasta ±{half} y la "
    "fuente más pequeña solo liberó {smallest} partículas (objetivos: ±{target} y {target_n}). Libere más "
    "partículas antes de sacar conclusiones.",
    "sampling.detail": "{rare} de las {seen} conexiones observadas son raras (su intervalo del 95 % es más "
    "ancho que la propia fracción); {unseen} par(es) no recibieron ninguna partícula, y cada uno podría aun "
    "así alcanzar {upper} (límite superior del 95 %).",
    "warn.layer": "Capa '{layer}': {text}",
    "warn.settlement": "Capa '{layer}' (asentamiento): {text}",
    "fallback.description": "Partículas seguidas: {n}.",
    "fallback.description_note": "No se pudo redactar la descripción de la simulación: {error}",
    "fallback.finding": "No se pudo elaborar la conclusión «{name}» ({error}).",
    "fallback.caveats": "No se pudieron enumerar las advertencias ({error}).",
    "fallback.definitions": "No se pudieron enumerar las definiciones ({error}).",
    # ---------------------------------------------------------------- advertencias
    "caveat.synthetic": "Todos los datos de entrada son sintéticos (paisaje marino de demostración "
    "integrado): ninguna conclusión se aplica a aguas reales.",
    "caveat.real_currents": "Corrientes de {source}: los remolinos y frentes más pequeños que su malla no "
    "se resuelven, y los resultados solo son válidos para el período de esos datos.",
    "caveat.land_mask": "La tierra se dibuja a partir de la máscara tierra-mar del propio modelo.",
    "caveat.map_real": "En los mapas, la tierra y la línea de costa proceden de Natural Earth (1:50m); las "
    "celdas de tierra del propio modelo, en las que las partículas no pueden entrar, se dibujan en un tono "
    "más claro, y las zonas fuera del dominio del modelo aparecen en gris con rayado cruzado (sin "
    "corrientes: no es mar).",
    "caveat.passive": "Las partículas derivan pasivamente con las corrientes: no nadan, no mueren ni se "
    "asientan.",
    "caveat.larva": "Las larvas derivan con las corrientes y no tienen otro comportamiento natatorio que el "
    "comportamiento vertical que defina el escenario; la mortalidad es una tasa constante, igual para todas "
    "las larvas.",
    "caveat.larva_end_indices": "La tabla de índices por zona de esta simulación de larvas se calcula a "
    "partir de las posiciones al final de la simulación, no del asentamiento: indica dónde estaban las "
    "larvas (vivas o muertas) al final, no dónde se asentaron. Las conclusiones se basan en la tabla de "
    "asentamiento.",
    "caveat.swimmer": "Las partículas nadadoras se desplazan a una velocidad fija de {speed} m/s hacia su "
    "objetivo (persistencia del rumbo {persistence}, ruido de giro {turn_sd}°), además de las corrientes.",
    "caveat.no_diffusion": "No se modela la turbulencia de submalla (difusión nula): las partículas solo "
    "siguen las corrientes resueltas, lo que subestima su dispersión.",
    "caveat.coast.stop": "Una partícula cuyo siguiente paso alcanzaría tierra se detiene en su última "
    "posición en el agua y se cuenta como varada; ya no sigue derivando.",
    "caveat.coast.previous": "Una partícula cuyo siguiente paso alcanzaría tierra permanece en su última "
    "posición en el agua y sigue derivando.",
    "caveat.coast.slip": "En la costa, las partículas permanecen en el agua y siguen la corriente paralela "
    "a la costa (deslizamiento libre).",
    "caveat.time_step": "Los tiempos de llegada, el tiempo en las zonas y las visitas se comprueban en cada "
    "paso de tiempo ({dt}): las llegadas se registran con un retraso inferior a un paso, y una zona "
    "atravesada en un solo paso no se detecta.",
    "caveat.out_of_domain": "Una partícula que sale de la malla de corrientes se cuenta como «fuera del "
    "dominio»; se desconoce adónde fue después.",
    "caveat.two_d": "Las partículas permanecen en un solo nivel de profundidad (2D): se ignoran las "
    "corrientes verticales y la mezcla.",
    "caveat.one_release": "Una sola fecha de liberación: la conectividad cambia con la estación y el año; "
    "esta simulación es solo una muestra.",
    "caveat.intervals": "Los intervalos del 95 % reflejan únicamente el número de partículas, no los "
    "errores en las corrientes ni en los límites de las zonas.",
    "caveat.under_sampled": "La capa '{layer}' está submuestreada: libere más partículas antes de sacar "
    "conclusiones.",
    # ---------------------------------------------------------------- definiciones
    "def.local_retention.term": "Retención local",
    "def.local_retention.text": "de las partículas liberadas en una zona, la proporción que se encontraba "
    "en esa misma zona al final de la simulación.",
    "def.local_retention.settlement": "de las larvas liberadas en una zona, la proporción que se asentó en "
    "esa misma zona (las larvas muertas o perdidas cuentan en el total).",
    "def.self_recruitment.term": "Autorreclutamiento",
    "def.self_recruitment.text": "de las partículas que terminan en una zona, la proporción que había sido "
    "liberada en esa zona.",
    "def.self_recruitment.settlement": "de las larvas que se asientan en una zona, la proporción que había "
    "sido liberada en esa zona.",
    "def.import_dependency.term": "Dependencia de aportes externos",
    "def.import_dependency.text": "1 − autorreclutamiento: la proporción de las llegadas a una zona que "
    "procede de otras zonas. 0 = zona autosuficiente, 1 = todo procede de otras zonas.",
    "def.import_dependency.settlement": "1 − autorreclutamiento: la proporción de las larvas asentadas en "
    "una zona que procede de otras zonas.",
    "def.abnj_dependency.term": "Dependencia de las ZFJN",
    "def.abnj_dependency.text": "la proporción de las llegadas a una zona que fue liberada en alta mar "
    "(zonas fuera de la jurisdicción nacional, ZFJN).",
    "def.abnj_dependency.settlement": "la proporción de las larvas asentadas en una zona que fue liberada "
    "en alta mar (zonas fuera de la jurisdicción nacional, ZFJN).",
    "def.export_share.term": "Proporción exportada",
    "def.export_share.text": "de las partículas liberadas en una zona, la proporción que terminó en otras "
    "zonas.",
    "def.export_share.settlement": "de las larvas liberadas en una zona, la proporción que se asentó en "
    "otras zonas.",
    "def.betweenness.term": "Centralidad de intermediación",
    "def.betweenness.text": "cuántas de las rutas de varias etapas más probables entre zonas pasan por una "
    "zona (0–1): un valor alto señala una zona puente.",
    "def.betweenness.settlement": "cuántas de las rutas de varias etapas más probables entre zonas pasan "
    "por una zona (0–1).",
    "def.interval.term": "Intervalo del 95 %",
    "def.interval.text": "el rango que contiene la proporción real con una probabilidad del 95 %, dado el "
    "número de partículas liberadas; estrecho con muchas partículas, amplio con pocas.",
    "def.settled.term": "Asentada",
    "def.settled.text": "larva competente que alcanzó su hábitat y se fijó en él.",
    # ---------------------------------------------------------------- columnas (los CSV conservan el inglés)
    "col.zone": "zona",
    "col.source": "origen",
    "col.destination": "destino",
    "col.count": "recuento",
    "col.fraction": "fracción",
    "col.ci_low": "intervalo del 95 %, límite inferior",
    "col.ci_high": "intervalo del 95 %, límite superior",
    "col.released": "liberadas",
    "col.arrivals": "llegadas",
    "col.settlers": "asentadas",
    "col.local_retention": "retención local",
    "col.self_recruitment": "autorreclutamiento",
    "col.import_dependency": "dependencia de aportes externos",
    "col.abnj_dependency": "dependencia de las ZFJN",
    "col.export_share": "proporción exportada",
    "col.betweenness": "intermediación",
    "col.in_strength": "fuerza de entrada",
    "col.out_strength": "fuerza de salida",
    "col.abnj_arrival_median_days": "mediana de llegada desde las ZFJN (días)",
    "col.basis": "base de cálculo",
    "col.n": "n",
    "col.median_days": "mediana (días)",
    "col.p10_days": "percentil 10 (días)",
    "col.p90_days": "percentil 90 (días)",
    "col.min_days": "primera (días)",
    "col.origin_share": "proporción del origen",
    "col.community": "comunidad",
    "col.abnj_arrival_p10_days": "percentil 10 de llegada desde las ZFJN (días)",
    "col.abnj_arrival_p90_days": "percentil 90 de llegada desde las ZFJN (días)",
    "col.metric": "indicador",
    "metric.outside_all": "proporción de partículas-día fuera de las AMP (todas las partículas)",
    "metric.outside_ebsa": "proporción de partículas-día fuera de las AMP (partículas liberadas en AIEB)",
    "metric.ebsa_covered": "proporción del AIEB '{name}' cubierta por AMP",
    "col.value": "valor",
    "outcome.stranded": "varadas",
    "outcome.out_of_domain": "fuera del dominio",
    "outcome.error": "error",
    "outcome.dead": "muertas",
    "outcome.unsettled": "no asentadas",
    "outcome.land": "tierra",
    # ---------------------------------------------------------------- report.html
    "html.title": "Informe de marinenet: {name}",
    "html.h1": "Informe de conectividad marina: {name}",
    "html.banner": "DEMOSTRACIÓN SINTÉTICA: las corrientes y las zonas de este informe son ficticias "
    "(paisaje marino de demostración integrado). Las cifras ilustran el método; no describen ningún lugar "
    "real.",
    "meta.what": "Simulación realizada",
    "meta.tracked": "Período de seguimiento",
    "meta.tracked_value": "del {start} al {end} (UTC)",
    "meta.engine": "Motor",
    "engine.requested": "solicitado en el escenario",
    "engine.auto_fast": "motor «auto»: el motor rápido admite esta simulación ({detail})",
    "engine.auto": "motor «auto»: {detail}",
    "meta.seed": "Semilla aleatoria",
    "html.findings": "Principales conclusiones",
    "html.under_sampled": "Submuestreo.",
    "html.sampling_ok": "El muestreo es suficiente en todas las capas según la comprobación de summary.json.",
    "html.not_shown": "No se muestra.",
    "html.maps": "Mapas y figuras",
    "html.tables": "Tablas",
    "table.indices": "Índices por zona, capa '{layer}'",
    "table.connectivity": "Conectividad, capa '{layer}' (con intervalos del 95 %)",
    "table.settlement": "Asentamiento, capa '{layer}'",
    "table.arrivals": "Primeras llegadas (días)",
    "table.protection": "Lagunas de protección",
    "table.more_rows": "{k} filas más en el archivo CSV.",
    "table.undefined": "– : no definido (no hay partículas para calcularlo).",
    "html.definitions": "Definiciones",
    "html.caveats": "Advertencias",
    "html.sources": "Fuentes de datos",
    "html.scenario": "Escenario",
    "html.scenario_summary": "El escenario tal como se ejecutó (se omiten las opciones no definidas; "
    "scenario.resolved.yaml contiene todos los valores por defecto)",
    "html.files": "Archivos de esta simulación",
    "html.files_intro": "En la carpeta de la simulación, junto a esta página:",
    # ---------------------------------------------------------------- brief.pdf
    "pdf.title": "Nota informativa sobre conectividad marina: {name}",
    "pdf.title_synthetic": "{title} (demostración SINTÉTICA)",
    "pdf.keywords": "conectividad; seguimiento de partículas; ZEE; ZFJN; áreas marinas protegidas",
    "pdf.synthetic": "DEMOSTRACIÓN SINTÉTICA: corrientes y zonas ficticias; solo ilustra el método, no "
    "describe ningún lugar real.",
    "pdf.footer": "marinenet {version} · semilla {seed} · informe completo: report.html",
    "pdf.page": "{footer} · página {page}",
    "pdf.findings": "Conclusiones",
    "pdf.under_sampled": "Submuestreo: {text}",
    "pdf.also_under.one": "También submuestreada: capa {layers} (detalles en report.html).",
    "pdf.also_under.other": "También submuestreadas: capas {layers} (detalles en report.html).",
    "pdf.not_shown": "No se muestra: {text}",
    "pdf.index_foot": "– : no definido (no hay partículas para calcularlo). Definiciones en la página "
    "siguiente.",
    "pdf.more_zones": "{k} zonas más en indices/{layer}.csv.",
    "pdf.failed": "No se pudo escribir brief.pdf ({error}).",
    # ---------------------------------------------------------------- figuras
    "note.not_drawn": "{title}: figura no dibujada — {why}.",
    "note.failed": "{title}: no se pudo dibujar la figura ({error}); ejecute «marinenet report» para "
    "reintentarlo.",
    "fig.tracks": "Trayectorias de las partículas",
    "fig.tracks.map": "{name}: trayectorias de las partículas, del {start} al {end}",
    "fig.tracks.caption": "Muestra aleatoria de trayectorias ({shown} de {total} partículas), coloreadas "
    "según la zona de liberación; los símbolos indican el destino final de cada partícula mostrada (aún a "
    "la deriva, varada, fuera del dominio, asentada, muerta, llegada).",
    "fig.density": "Densidad de partículas",
    "fig.density.map": "Dónde pasaron su tiempo las partículas",
    "fig.density.caption": "Partículas-día por celda del mapa durante toda la simulación, a partir de las "
    "posiciones almacenadas (colores en escala logarítmica).",
    "fig.flows": "Flujos entre zonas",
    "fig.flows.map_settled": "Asentamiento entre las zonas de '{layer}'",
    "fig.flows.map_end": "Flujos entre las zonas de '{layer}' al final de la simulación",
    "fig.flows.caption_settled": "Flechas desde la zona donde se liberaron las larvas hasta la zona donde "
    "se asentaron; ancho proporcional a su número (leyenda en partículas y en porcentaje del total "
    "liberado). No se dibujan los flujos de menos de 5 partículas.",
    "fig.flows.caption_end": "Flechas desde la zona donde se liberaron las partículas hasta la zona donde "
    "se encontraban al final de la simulación; ancho proporcional a su número (leyenda en partículas y en "
    "porcentaje del total liberado). No se dibujan los flujos de menos de 5 partículas.",
    "fig.import": "Dependencia de aportes externos",
    "fig.import.map_settlers": "Dependencia de aportes externos: proporción de larvas asentadas procedentes "
    "de otras zonas",
    "fig.import.map_arrivals": "Dependencia de aportes externos: proporción de llegadas procedentes de "
    "otras zonas",
    "fig.import.label": "dependencia de aportes externos (0 = autosuficiente, 1 = todo importado)",
    "fig.import.caption_settlers": "Para cada zona, la proporción de larvas asentadas que se liberaron en "
    "otra zona, en una escala fija de 0 a 1; n es el número de partículas en que se basa la proporción. "
    "Las zonas rayadas se basan en menos de 30 partículas y no se colorean; las zonas grises no recibieron "
    "ninguna.",
    "fig.import.caption_arrivals": "Para cada zona, la proporción de partículas que terminan en ella y que "
    "se liberaron en otra zona, en una escala fija de 0 a 1; n es el número de partículas en que se basa la "
    "proporción. Las zonas rayadas se basan en menos de 30 partículas y no se colorean; las zonas grises no "
    "recibieron ninguna.",
    "fig.import.larva_end": "la tabla de índices de esta simulación de larvas cuenta las posiciones al "
    "final de la simulación, no el asentamiento, por lo que no indica de dónde proceden las larvas "
    "asentadas",
    "fig.arrival": "Tiempo de llegada desde alta mar",
    "fig.arrival.map": "Rapidez de llegada de las aguas de alta mar: mediana del tiempo de primera llegada",
    "fig.arrival.label": "mediana de días desde la liberación en alta mar",
    "fig.arrival.caption": "Mediana del número de días que tardan las partículas liberadas en alta mar "
    "(ZFJN) en alcanzar por primera vez cada zona; n es cuántas llegaron. Las zonas rayadas se basan en "
    "menos de 30 partículas y no se colorean.",
    "fig.protection": "Lagunas de protección",
    "fig.protection.map": "Lagunas de protección: tiempo pasado fuera de las áreas marinas protegidas",
    "fig.protection.caption": "Partículas-día pasadas fuera de toda AMP (contornos de las AMP dibujados): "
    "dónde la conectividad atraviesa aguas no protegidas.",
    "fig.currents": "Corrientes",
    "fig.currents.map": "Corrientes superficiales el {when}",
    "fig.currents.caption": "Velocidad (colores) y dirección (líneas de corriente blancas) de las "
    "corrientes en el momento de la liberación.",
    "fig.matrix": "Matriz de conectividad: {layer}",
    "fig.matrix.map": "Conectividad, capa '{layer}': dónde estaban las partículas tras {days}",
    "fig.matrix.caption": "Fracción (y número) de las partículas liberadas en cada zona (filas) que "
    "terminaron en cada zona o destino final (columnas).",
    "fig.matrix.empty": "no hay partículas en esta capa",
    # ---------------------------------------------------------------- dentro de los mapas
    "map.synthetic": "PAISAJE MARINO SINTÉTICO DE DEMOSTRACIÓN: datos no reales",
    "map.synthetic_short": "PAISAJE MARINO SINTÉTICO DE DEMOSTRACIÓN",
    "map.status.active": "posición al final",
    "map.status.stranded": "varada en la costa",
    "map.status.out_of_domain": "salió del dominio del modelo",
    "map.status.settled": "asentada",
    "map.status.dead": "muerta",
    "map.status.unsettled": "fin de la vida larval, no asentada",
    "map.status.arrived": "alcanzó el objetivo",
    "map.from": "desde {source}",
    "map.tracks_shown": "{k} de {n} trayectorias mostradas",
    "map.speed": "velocidad de la corriente (m/s)",
    "map.matrix.x": "destino (zona al final de la simulación, o destino final)",
    "map.matrix.y": "origen (zona de liberación)",
    "map.matrix.colour": "fracción de las partículas liberadas desde el origen",
    "map.no_positions": "no hay posiciones de partículas que mostrar",
    "map.particle_days": "partículas-día por celda",
    "map.ebsa": "AIEB",
    "map.mpa": "AMP",
    "map.arrow_width": "ancho de las flechas",
    "map.arrow_key": "{k} partículas ({pct} del total)",
    "map.flows_shown.one": "el único flujo entre zonas con al menos {min} partículas",
    "map.flows_shown.other": "los {k} mayores flujos entre zonas con al menos {min} partículas",
    "map.no_flow": "ningún flujo entre dos zonas transportó {min} partículas o más",
    "map.no_value": "ninguna zona tiene un valor de «{column}»",
    "map.no_particles": "sin partículas",
    "map.undefined": "sin partículas: no definido",
    "map.too_few": "menos de {min} partículas: demasiado incierto para colorear (valor y n en la etiqueta)",
}
_TEXTS.update(MORE)
_TEXTS.update(DRIFT)
_TEXTS.update(COHERENCE)

TEXTS = {key: text.replace(" %", "\u00a0%") for key, text in _TEXTS.items()}
