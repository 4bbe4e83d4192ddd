"""Textes français du dossier de site (``marinenet dossier`` ; partie du catalogue de ``fr.py``, à part pour que
chaque fichier reste court)."""

DOSSIER = {
    "dos.title": "Dossier de connectivité : {site}",
    "dos.subtitle": "Éléments sur la connectivité d'un site, pour le critère de connectivité d'une proposition "
    "d'outil de gestion par zone (Accord BBNJ, annexe I). Simulation « {name} », réalisée avec marinenet {version}.",
    "dos.synthetic": "DÉMONSTRATION SYNTHÉTIQUE : courants et zones inventés. Ce dossier illustre la méthode "
    "seulement et ne dit rien d'aucun lieu réel.",
    "dos.kind.network": "aire protégée du réseau « {network} »",
    "dos.kind.candidate": "site candidat (pas encore protégé) de l'analyse du réseau « {network} »",
    "dos.h.summary": "Points clés",
    "dos.h.to": "Où vont les particules du site",
    "dos.h.from": "D'où viennent les particules qui atteignent le site",
    "dos.h.arrival": "Durée des trajets",
    "dos.h.importance": "Importance du site dans le réseau protégé",
    "dos.h.map": "Carte",
    "dos.h.stability": "Stabilité selon la date de lâcher",
    "dos.h.methods": "Données et méthodes",
    "dos.h.definitions": "Définitions",
    "dos.h.caveats": "Limites de ces éléments",
    "dos.h.sources": "Sources des données",
    # ---------------------------------------------------------------- points clés
    "dos.where": "Le site ({kind}) couvre {area}. Il se trouve à {parts}.",
    "dos.where.part": "{share} dans {zone}",
    "dos.where.unknown": "Le site ({kind}) : son polygone ne figure pas dans le dossier de la simulation.",
    "dos.hs": "la haute mer ({zone})",
    "dos.waters": "les eaux de {zone}",
    "dos.released": "{n} particules ont été lâchées dans le site {when} et chacune a été suivie pendant {duration}.",
    "dos.released.none": "Aucune particule n'a été lâchée dans le site : on ne sait donc pas où vont ses "
    "particules. Lâchez-en dans le site (release.from: [..., {{layer: {layer}}}]) et relancez la simulation.",
    "dos.to.key": "Sur ces {n} particules, comptées {how} : {parts}.",
    "dos.to.key.part": "{share} ({iv}) ont fini dans {place}",
    "dos.to.none": "Aucune de ces {n} particules n'a fini dans les eaux d'un État ni en haute mer (comptées {how}).",
    "dos.from.key": "{k} particules ont fini dans le site (comptées {how}) ; parmi elles, {parts}.",
    "dos.from.key.part": "{share} ({iv}) venaient de {place}",
    "dos.from.none": "Aucune particule lâchée où que ce soit n'a fini dans le site (comptées {how}) : aucun apport "
    "n'a été observé.",
    "dos.importance.key": "Importance dans le réseau : le site porte {dpc} de la connectivité du réseau (dPC ; "
    "rang {rank} sur {of} aires protégées).",
    "dos.candidate.key": "S'il était protégé, le site ajouterait {gain} de surface connectée au réseau (gain "
    "d'ECA{iv} ; rang {rank} sur {of} sites candidats).",
    "dos.single": "La stabilité d'une année ou d'une saison à l'autre n'est PAS évaluée : il s'agit d'une seule "
    "simulation, lâchée {when}. Les courants changent selon les saisons et les années ; lancez « marinenet "
    "ensemble » sur plusieurs dates de lâcher pour voir si ces liens se maintiennent.",
    "dos.few": "Seules {n} particules ont été lâchées dans le site (moins de {min}) : les intervalles sont larges "
    "et aucun classement n'est sûr. Lâchez davantage de particules avant de vous fier à ces nombres.",
    "dos.how.settlement": "là où les larves se sont fixées",
    "dos.how.end": "là où elles se trouvaient à la fin de la simulation",
    "dos.how.visit": "en comptant chaque lieu traversé",
    # ---------------------------------------------------------------- vers
    "dos.to.intro": "Base : les {n} particules lâchées dans le site. « Part » : la fraction d'entre elles qui a "
    "fini dans les eaux de chaque État (comptées {how}), avec son intervalle à 95 %. Arrivée : jours entre le "
    "lâcher et la première entrée dans ces eaux (médiane, et l'étendue qui contient les 80 % centraux des "
    "arrivées), en comptant aussi les particules qui n'ont fait que passer.",
    "dos.to.zero": "Aucune particule n'a fini dans {zones} ; chaque part pourrait pourtant atteindre {upper} "
    "(borne haute de son intervalle à 95 %).",
    "dos.to.fates": "Autres devenirs des particules du site : {parts}.",
    "dos.to.fate": "{share} {fate} ({k} particules)",
    "dos.retained": "Rétention locale : {share} ({iv}) des particules du site ont fini dans le site lui-même.",
    "dos.more": "{k} de plus dans coherence/{network}.states.csv.",
    "dos.home": " (le site s'y trouve)",
    "dos.col.place": "Eaux de",
    "dos.col.particles": "Particules",
    "dos.col.share": "Part des particules du site",
    "dos.col.interval": "Intervalle à 95 %",
    "dos.col.arrival": "Première arrivée, jours : médiane (p10–p90)",
    "dos.col.released_there": "Particules lâchées là",
    "dos.col.reached": "Ont atteint le site",
    "dos.col.supply": "Part de l'apport du site",
    "dos.col.chance": "Probabilité par particule lâchée là",
    "dos.col.member": "Date de lâcher",
    "dos.col.range": "Plus basse – plus haute",
    "dos.col.members_link": "Membres avec le lien",
    "dos.col.values": "Chaque date de lâcher",
    "dos.col.dpc": "dPC",
    "dos.col.rank": "Rang",
    # ---------------------------------------------------------------- depuis
    "dos.from.intro": "Base : les particules qui ont fini dans le site (comptées {how}), {k} au total, selon les "
    "eaux où elles avaient été lâchées. « Part de l'apport du site » : leur fraction de toutes les arrivées, "
    "avec son intervalle à 95 % ; « probabilité par particule » : la fraction des particules lâchées dans ces "
    "eaux qui a atteint le site. Le lâcher a réparti les particules {release} : les parts de l'apport pèsent "
    "donc les eaux de chaque État selon les particules qui y ont été lâchées.",
    "dos.release.area": "uniformément selon la surface d'eau",
    "dos.release.other": "comme l'indique la section release du scénario",
    "dos.from.unsampled": "Des eaux où aucune particule n'a été lâchée ne peuvent pas apparaître comme source : "
    "{zones}.",
    "dos.from.zero": "Aucune particule venue de {zones} n'a atteint le site.",
    # ---------------------------------------------------------------- arrivées
    "dos.arrival.intro": "Chaque barre couvre les 80 % centraux des premières arrivées (du 10e au 90e centile, en "
    "jours après le lâcher) ; le point marque la médiane ; n est le nombre de particules arrivées, y compris "
    "celles qui n'ont fait que passer. Les "
    "arrivées dans les eaux où une particule est partie ne sont pas comptées.",
    "dos.arrival.none": "Aucune particule n'a voyagé entre le site et les eaux d'un État pendant la simulation "
    "({duration}) : il n'y a pas de durée de trajet à montrer.",
    "dos.fig.arrival": "Première arrivée (jours après le lâcher)",
    "dos.fig.arrival.to": "Du site vers les eaux de chaque État",
    "dos.fig.arrival.from": "Des eaux de chaque État vers le site",
    "dos.fig.arrival.x": "jours après le lâcher",
    "dos.fig.arrival.n": "n = {n}",
    "dos.fig.arrival.empty": "aucune arrivée",
    # ---------------------------------------------------------------- importance
    "dos.imp.network": "Le réseau « {network} » vaut un ProtConn de {protconn}{iv} de la région : la part protégée "
    "de la surface de la région, comptée comme connectée autant que la dispersion simulée la connecte.",
    "dos.imp.dpc": "Sans ce site, le réseau perdrait {dpc} de sa connectivité (dPC), rang {rank} sur {of} aires "
    "protégées. Sur ces {dpc} : {intra} tiennent à la surface propre du site (intra), {flux} aux flux de "
    "particules vers lui et depuis lui (flux), {connector} à son rôle de relais sur les trajets entre d'autres "
    "aires protégées (connecteur).",
    "dos.imp.unlinked": "Aucune particule n'a circulé entre ce site et une autre aire protégée : son importance "
    "vient de sa seule surface.",
    "dos.imp.candidate": "Ajouter ce site au réseau augmenterait sa surface connectée (ECA) de {gain}{iv}, soit "
    "{per_km2} par km² du site ; rang {rank} sur {of} sites candidats.",
    "dos.imp.none": "La simulation ne donne pas de valeur d'importance pour ce site.",
    "dos.iv.km2": " (intervalle à 95 % : {low} à {high})",
    "dos.iv.pct": " (intervalle à 95 % : {low} à {high})",
    # ---------------------------------------------------------------- carte
    "dos.fig.map": "Le site et les eaux des États",
    "dos.fig.map.caption": "Le site est entouré de rouge. Les eaux des États sont teintées selon la part des "
    "particules du site qui y ont fini (comptées {how}) ; les eaux non teintées n'en ont reçu aucune.",
    "dos.fig.map.share": "Part des particules du site",
    # ---------------------------------------------------------------- ensemble
    "dos.ens.intro": "Ce dossier couvre {m} simulations qui ne diffèrent que par leur date de lâcher : {dates}. "
    "Pour chaque part, le tableau donne sa valeur à chaque date, la plus basse et la plus haute, et dans "
    "combien des {m} le lien a été vu (au moins une particule).",
    "dos.ens.key": "Selon les {m} dates de lâcher ({dates}), les liens du site varient : {parts}.",
    "dos.ens.key.part": "de {low} à {high} de ses particules ont fini dans {place} ({k} dates sur {m})",
    "dos.ens.key.none": "Aux {m} dates de lâcher ({dates}), aucune particule du site n'a atteint les eaux d'un État.",
    "dos.ens.dpc": "Importance : dPC de {low} à {high}, rang {ranks} selon les {m} dates.",
    "dos.ens.gain": "Gain d'ECA de {low} à {high}, rang {ranks} selon les {m} dates.",
    # ---------------------------------------------------------------- méthodes
    "dos.methods": "{describe} Moteur : {engine}, pas de temps {dt}. Couches de zones : « {layer} » (le site) et "
    "« {juris} » (les eaux des États). Le point d'arrivée d'une particule est compté {how}. Chaque nombre de ce "
    "dossier est lu dans les tables de la simulation (coherence/{network}.states.csv, coherence/{network}.csv, "
    "connectivity/), où il peut être vérifié.",
    "dos.methods.ensemble": "{m} simulations, une par date de lâcher, chacune comme suit. ",
    "dos.def.share": "Part (intervalle à 95 %)",
    "dos.def.share.text": "la fraction d'un nombre donné de particules, en pour cent. L'intervalle à 95 % est "
    "l'étendue qui contient la vraie part avec une probabilité de 95 % compte tenu du nombre de particules "
    "(intervalle de Jeffreys ; Brown, Cai & DasGupta 2001, Statistical Science 16:101). Il ne reflète que le "
    "nombre de particules, pas les erreurs des courants.",
    "dos.def.arrival": "Première arrivée",
    "dos.def.arrival.text": "jours entre le lâcher d'une particule et sa première entrée dans un lieu, vérifiée à "
    "chaque pas de temps ; p10 et p90 sont les 10e et 90e centiles.",
    "dos.def.pc": "PC, ECA et ProtConn",
    "dos.def.pc.text": "le PC (probabilité de connectivité) additionne, sur chaque paire d'aires protégées, le "
    "produit de leurs surfaces et de la chaîne la plus probable de trajets de particules entre elles, divisé "
    "par le carré de la surface de la région. L'ECA (surface connectée équivalente, km²) est la surface d'une "
    "seule aire protégée entièrement connectée qui vaudrait autant ; le ProtConn est l'ECA en pour cent de la "
    "région (Saura & Pascual-Hortal 2007, Landscape and Urban Planning 83:91 ; Saura et al. 2017, Ecological "
    "Indicators 76:144).",
    "dos.def.dpc": "dPC",
    "dos.def.dpc.text": "le pourcentage du PC perdu si le site était retiré, réparti entre sa surface propre "
    "(intra), les flux de particules vers lui et depuis lui (flux) et son rôle de relais entre d'autres sites "
    "(connecteur) (Saura & Rubio 2010, Ecography 33:523).",
    "dos.def.gain": "Gain d'ECA",
    "dos.def.gain.text": "la surface connectée (km²) que gagnerait le réseau si le site candidat y était ajouté.",
    "dos.def.hs": "Haute mer",
    "dos.def.hs.text": "les zones situées au-delà de la juridiction nationale (ZADJN, ABNJ en anglais) : l'océan "
    "hors de toute zone économique exclusive (ZEE, jusqu'à 200 milles marins des côtes).",
    "dos.caveat.ensemble": "Il s'agit de {m} dates de lâcher ; d'autres saisons ou années peuvent différer.",
    "dos.pdf.footer": "marinenet {version} · dossier de connectivité · {site}",
}
