"""Français : les textes du rapport, de la note de synthèse et des cartes (source : ``en.py``).

Terminologie des documents de la CMS et de la CDB : zone économique exclusive (ZEE), zones situées
au-delà de la juridiction nationale (ZADJN), aire marine protégée (AMP), zones d'importance écologique
ou biologique (EBSA/ZIEB). Les particules simulées sont toutes désignées par des noms féminins
(particules, larves, particules nageuses), ce qui règle l'accord des participes.
Typographie : l'espace fine insécable devant « % ; ! ? » et l'espace insécable devant « : » sont
posées en fin de fichier (les textes ci-dessous s'écrivent avec une espace ordinaire).
"""

from .fr_coh import COHERENCE
from .fr_drift import DRIFT
from .fr_more import MORE

_TEXTS = {
    # ---------------------------------------------------------------- formats
    "date": "{day} {month} {year}",
    "date.day1": "1er",
    "date_time": "{date} à {time} UTC",
    "month.1": "janvier",
    "month.2": "février",
    "month.3": "mars",
    "month.4": "avril",
    "month.5": "mai",
    "month.6": "juin",
    "month.7": "juillet",
    "month.8": "août",
    "month.9": "septembre",
    "month.10": "octobre",
    "month.11": "novembre",
    "month.12": "décembre",
    "and": " et ",
    "unit.week.one": "{n} semaine",
    "unit.week.other": "{n} semaines",
    "unit.day.one": "{n} jour",
    "unit.day.other": "{n} jours",
    "unit.hour.one": "{n} heure",
    "unit.hour.other": "{n} heures",
    "unit.minute.one": "{n} minute",
    "unit.minute.other": "{n} minutes",
    "unit.second.one": "{n} seconde",
    "unit.second.other": "{n} secondes",
    "unit.d": "{x} j",
    "rate.per_day": "{x} par jour",
    "interval": "intervalle à 95 % de {low} à {high}",
    # ---------------------------------------------------------------- ce qui a été simulé
    "noun.passive.one": "particule",
    "noun.passive.other": "particules",
    "noun.larva.one": "larve",
    "noun.larva.other": "larves",
    "noun.swimmer.one": "particule nageuse",
    "noun.swimmer.other": "particules nageuses",
    "when.once": "le {date}",
    "when.daily": "en {n} lâchers quotidiens, du {first} au {last}",
    "when.weekly": "en {n} lâchers hebdomadaires, du {first} au {last}",
    "when.every": "en {n} lâchers tous les {days} jours, du {first} au {last}",
    "when.between": "en {n} lâchers entre le {first} et le {last}",
    "where.areas": "{n} zones de lâcher",
    "where.points.one": "un point",
    "where.points.other": "{n} points",
    "where.zones.one": "la zone {ids} de la couche '{layer}'",
    "where.zones.other": "les zones {ids} de la couche '{layer}'",
    "where.layer": "chaque zone de la couche '{layer}'",
    "where.layer_only": "la couche '{layer}'",
    "where.point": "le point {point}",
    "larva.pld": "Chaque larve dérivait au plus pendant sa durée de vie larvaire pélagique ({pld})",
    "larva.competency": ", pouvait s'installer entre {a} et {b} d'âge",
    "larva.settle_in": " dans la couche '{layer}'",
    "larva.mortality": ", et mourait au taux de {rate}",
    "swimmer.behaviour": "Chaque particule nageuse nageait à {speed} m/s vers {where} pendant au plus "
    "{duration}, portée par les courants.",
    "passive.behaviour": "Chaque particule dérivait passivement avec les courants pendant {duration}.",
    "currents.demo": "les courants synthétiques de démonstration",
    "currents.file": "les courants de {source}",
    "describe.released.one": "{n} {noun} a été lâchée depuis {where} {when}.",
    "describe.released.other": "{n} {noun} ont été lâchées depuis {where} {when}.",
    "level.depth": "à {depth} m de profondeur",
    "level.surface": "en surface",
    "describe.turbulence": ", avec une turbulence sous-maille (Kh = {kh} m²/s)",
    "describe.tracked": "Elles ont été suivies {level} dans {currents}{turbulence}.",
    "describe.tracked_3d": "Elles ont été suivies en 3D {level} dans {currents}{turbulence}.",
    # ---------------------------------------------------------------- devenir
    "fate.settled.one": "{n} s'est installée ({pct})",
    "fate.settled.other": "{n} se sont installées ({pct})",
    "fate.arrived.one": "{n} a atteint sa cible ({pct})",
    "fate.arrived.other": "{n} ont atteint leur cible ({pct})",
    "fate.dead.one": "{n} est morte ({pct})",
    "fate.dead.other": "{n} sont mortes ({pct})",
    "fate.unsettled.one": "{n} a atteint la fin de sa vie larvaire sans s'installer ({pct})",
    "fate.unsettled.other": "{n} ont atteint la fin de leur vie larvaire sans s'installer ({pct})",
    "fate.active_at_end.one": "{n} dérivait encore à la fin ({pct})",
    "fate.active_at_end.other": "{n} dérivaient encore à la fin ({pct})",
    "fate.stranded.one": "{n} s'est échouée sur une côte ({pct})",
    "fate.stranded.other": "{n} se sont échouées sur une côte ({pct})",
    "fate.out_of_domain.one": "{n} a quitté le domaine du modèle ({pct})",
    "fate.out_of_domain.other": "{n} ont quitté le domaine du modèle ({pct})",
    "fate.errors.one": "{n} a été perdue à cause d'une erreur numérique ({pct})",
    "fate.errors.other": "{n} ont été perdues à cause d'une erreur numérique ({pct})",
    "fates.none": "Lâchers : {n} {noun} ; aucun devenir n'est enregistré.",
    "fates.head.one": "Sur {n} {noun} lâchée, {parts}.",
    "fates.head.other": "Sur les {n} {noun} lâchées, {parts}.",
    # ---------------------------------------------------------------- constats
    "rank.too_few.zones": "trop peu de particules pour classer les zones",
    "rank.too_few.them": "trop peu de particules pour les classer",
    "rank.too_close.zones": "écarts trop faibles pour classer les zones : les intervalles à 95 % des "
    "valeurs les plus élevées se chevauchent",
    "rank.too_close.them": "écarts trop faibles pour les classer : les intervalles à 95 % des valeurs les "
    "plus élevées se chevauchent",
    "settle.total": "Larves installées : {k} sur {n} ({pct}, {iv}).",
    "settle.all_in": "Toutes les larves installées l'ont été dans {zone}.",
    "settle.most_in": "La plupart des larves installées l'ont été dans {zone} : {pct} sur {total} ({iv}).",
    "settle.by_zone": "Larves installées par zone : {listed} (sur {total}) ; {why}.",
    "swim.arrived": "Particules nageuses ayant atteint leur cible : {k} sur {n} ({pct}, {iv}).",
    "swim.stored": " (d'après les {n} trajectoires enregistrées de particules arrivées)",
    "swim.time": "Les particules arrivées ont mis en médiane {median} jours (10–90 % d'entre elles : "
    "{p10}–{p90} jours){sample}.",
    "flow.end.one": "Sur {n} {noun} lâchée dans {zone}, {own} ({own_iv}) se trouvait dans {zone} à la fin "
    "et {other} ({other_iv}) dans d'autres zones",
    "flow.end.other": "Sur les {n} {noun} lâchées dans {zone}, {own} ({own_iv}) se trouvaient dans {zone} "
    "à la fin et {other} ({other_iv}) dans d'autres zones",
    "flow.settled.one": "Sur {n} {noun} lâchée dans {zone}, {own} ({own_iv}) s'est installée dans {zone} "
    "et {other} ({other_iv}) dans d'autres zones",
    "flow.settled.other": "Sur les {n} {noun} lâchées dans {zone}, {own} ({own_iv}) se sont installées "
    "dans {zone} et {other} ({other_iv}) dans d'autres zones",
    "flow.most_in": ", surtout dans {zone} : {pct} ({iv})",
    "flow.all_in": " (toutes dans {zone})",
    "flow.unranked": " ({k} zones ; {why})",
    "flow.smaller.one": "{k} zone de lâcher plus petite : voir le tableau de connectivité.",
    "flow.smaller.other": "{k} zones de lâcher plus petites : voir le tableau de connectivité.",
    "hs.end.one": "Sur {n} {noun} lâchée en haute mer ({hs}), {pct} ({iv}) se trouvait à la fin dans une "
    "zone de '{layer}'",
    "hs.end.other": "Sur les {n} {noun} lâchées en haute mer ({hs}), {pct} ({iv}) se trouvaient à la fin "
    "dans une zone de '{layer}'",
    "hs.settled.one": "Sur {n} {noun} lâchée en haute mer ({hs}), {pct} ({iv}) s'est installée dans une "
    "zone de '{layer}'",
    "hs.settled.other": "Sur les {n} {noun} lâchées en haute mer ({hs}), {pct} ({iv}) se sont installées "
    "dans une zone de '{layer}'",
    "hs.all_in": " (toutes dans {zone}).",
    "hs.largest": " ; la plus grande part est allée à {zone} : {pct} ({iv}).",
    "hs.unranked": " (parts les plus élevées : {top}) ; {why}.",
    "arr.few.one": "{k} zone atteinte par moins de {min} particules ({zones}) n'est pas comparée.",
    "arr.few.other": "{k} zones atteintes par moins de {min} particules ({zones}) ne sont pas comparées.",
    "arr.none": "Trop peu de particules lâchées en haute mer ont atteint une zone pour comparer les temps "
    "d'arrivée ({n} lâchées).",
    "arr.desc": "{k} des {n} particules lâchées en haute mer ({pct}) ont atteint {zone}, après une médiane "
    "de {median} jours (10–90 % : {p10}–{p90} jours)",
    "arr.first": "Les eaux de haute mer ont atteint {zone} en premier : {desc}.",
    "arr.overlap": "{desc} ; les temps d'arrivée des {k} zones atteintes par au moins {min} particules se "
    "chevauchent trop pour être classés.",
    "index.import_dependency": "dépendance aux apports extérieurs",
    "index.local_retention": "rétention locale",
    "index.zero": "{label} : 0 % dans toutes les zones ({meaning}).",
    "index.among": " parmi les {k} zones ayant au moins {min} particules",
    "index.highest": "{zone} présente la plus forte {label}{among} : {pct} ({iv}, n = {n}) — {meaning}.",
    "index.not_ranked.one": "{k} zone ayant moins de particules n'est pas classée.",
    "index.not_ranked.other": "{k} zones ayant moins de particules ne sont pas classées.",
    "index.item": "{zone} {pct} (n = {n})",
    "index.more": " et {k} autres",
    "index.list": "{label} ({meaning}) : {listed}{more} ; {why}.",
    "meaning.import_dependency.settlement": "part de ses larves installées venues d'autres zones",
    "meaning.import_dependency.end": "part des particules qui y terminent et qui ont été lâchées ailleurs",
    "meaning.local_retention.settlement": "part de ses larves qui se sont installées dans la zone même",
    "meaning.local_retention.end": "part de ses particules qui s'y trouvaient à la fin de la simulation",
    "network.stone": "{zone} se trouve sur le plus grand nombre d'itinéraires à plusieurs étapes entre "
    "zones (centralité d'intermédiarité {value}, {n} particules arrivées).",
    "network.high_seas": "La haute mer ({hs}) est exclue : nœud unique touchant toutes les zones, elle se "
    "trouverait sur tous les itinéraires.",
    "mpa.outside": "{pct} des particules-jours en mer ont été passés hors des aires marines protégées",
    "mpa.baseline": " ; les AMP couvrent {area} de la mer du domaine du modèle : des particules réparties "
    "uniformément passeraient {even} de leur temps hors de celles-ci",
    "sampling.under": "SOUS-ÉCHANTILLONNÉ : certaines fractions sont incertaines à ±{half} près et la plus "
    "petite source n'a lâché que {smallest} particules (objectifs : ±{target} et {target_n}). Lâchez "
    "davantage de particules avant de tirer des conclusions.",
    "sampling.detail": "{rare} des {seen} connexions observées sont rares (leur intervalle à 95 % est plus "
    "large que la fraction elle-même) ; {unseen} paire(s) n'ont reçu aucune particule, et chacune pourrait "
    "pourtant atteindre {upper} (borne supérieure à 95 %).",
    "warn.layer": "Couche '{layer}' : {text}",
    "warn.settlement": "Couche '{layer}' (installation) : {text}",
    "fallback.description": "Particules suivies : {n}.",
    "fallback.description_note": "La description de la simulation n'a pas pu être rédigée : {error}",
    "fallback.finding": "Le constat « {name} » n'a pas pu être établi ({error}).",
    "fallback.caveats": "Les mises en garde n'ont pas pu être dressées ({error}).",
    "fallback.definitions": "Les définitions n'ont pas pu être dressées ({error}).",
    # ---------------------------------------------------------------- mises en garde
    "caveat.synthetic": "Toutes les données d'entrée sont synthétiques (paysage marin de démonstration "
    "intégré) : aucune conclusion ne s'applique à des eaux réelles.",
    "caveat.real_currents": "Courants issus de {source} : les tourbillons et les fronts plus petits que sa "
    "maille ne sont pas résolus, et les résultats ne valent que pour la période couverte par ces données.",
    "caveat.land_mask": "Les terres sont tracées d'après le masque terre-mer du modèle lui-même.",
    "caveat.map_real": "Sur les cartes, les terres et le trait de côte proviennent de Natural Earth "
    "(1:50m) ; les cellules terrestres du modèle lui-même, où les particules ne peuvent pas entrer, sont "
    "dessinées dans une teinte plus pâle, et les zones situées hors du domaine du modèle sont grises et "
    "hachurées en croisillons (aucun courant à cet endroit : ce n'est pas de la mer).",
    "caveat.passive": "Les particules dérivent passivement avec les courants : elles ne nagent pas, ne "
    "meurent pas et ne s'installent pas.",
    "caveat.larva": "Les larves dérivent avec les courants et n'ont pas d'autre comportement natatoire que "
    "l'éventuel comportement vertical défini dans le scénario ; la mortalité est un taux constant, "
    "identique pour toutes les larves.",
    "caveat.larva_end_indices": "Le tableau des indices par zone de cette simulation de larves est calculé "
    "à partir des positions à la fin de la simulation, et non de l'installation : il indique où se "
    "trouvaient les larves (vivantes ou mortes) à la fin, et non où elles se sont installées. Les constats "
    "s'appuient sur le tableau d'installation.",
    "caveat.swimmer": "Les particules nageuses se déplacent à une vitesse fixe de {speed} m/s vers leur "
    "cible (persistance du cap {persistence}, bruit de virage {turn_sd}°), en plus des courants.",
    "caveat.no_diffusion": "Aucune turbulence sous-maille n'est modélisée (diffusion nulle) : les "
    "particules ne suivent que les courants résolus, ce qui sous-estime leur dispersion.",
    "caveat.coast.stop": "Une particule dont le pas suivant atteindrait la terre s'arrête à sa dernière "
    "position en mer et est comptée comme échouée ; elle ne dérive plus.",
    "caveat.coast.previous": "Une particule dont le pas suivant atteindrait la terre reste à sa dernière "
    "position en mer et continue de dériver.",
    "caveat.coast.slip": "À la côte, les particules restent dans l'eau et suivent le courant parallèle au "
    "rivage (glissement libre).",
    "caveat.time_step": "Les temps d'arrivée, le temps passé dans les zones et les passages sont vérifiés à "
    "chaque pas de temps ({dt}) : les arrivées sont enregistrées avec moins d'un pas de retard, et une zone "
    "traversée au cours d'un seul pas n'est pas détectée.",
    "caveat.out_of_domain": "Une particule qui quitte la grille des courants est comptée comme « hors "
    "domaine » ; sa trajectoire ultérieure est inconnue.",
    "caveat.two_d": "Les particules restent à un seul niveau de profondeur (2D) : les courants verticaux et "
    "le mélange sont ignorés.",
    "caveat.one_release": "Une seule date de lâcher : la connectivité varie selon la saison et l'année ; "
    "cette simulation n'en est qu'un échantillon.",
    "caveat.intervals": "Les intervalles à 95 % ne reflètent que le nombre de particules, et non les "
    "erreurs sur les courants ou sur les limites des zones.",
    "caveat.under_sampled": "La couche '{layer}' est sous-échantillonnée : lâchez davantage de particules "
    "avant de tirer des conclusions.",
    # ---------------------------------------------------------------- définitions
    "def.local_retention.term": "Rétention locale",
    "def.local_retention.text": "parmi les particules lâchées dans une zone, part de celles qui se "
    "trouvaient dans cette même zone à la fin de la simulation.",
    "def.local_retention.settlement": "parmi les larves lâchées dans une zone, part de celles qui se sont "
    "installées dans cette même zone (les larves mortes ou perdues comptent dans le total).",
    "def.self_recruitment.term": "Auto-recrutement",
    "def.self_recruitment.text": "parmi les particules qui terminent dans une zone, part de celles qui "
    "avaient été lâchées dans cette zone.",
    "def.self_recruitment.settlement": "parmi les larves qui s'installent dans une zone, part de celles qui "
    "avaient été lâchées dans cette zone.",
    "def.import_dependency.term": "Dépendance aux apports extérieurs",
    "def.import_dependency.text": "1 − auto-recrutement : part des arrivées dans une zone qui proviennent "
    "d'autres zones. 0 = zone autosuffisante, 1 = tout provient d'ailleurs.",
    "def.import_dependency.settlement": "1 − auto-recrutement : part des larves installées dans une zone "
    "qui proviennent d'autres zones.",
    "def.abnj_dependency.term": "Dépendance à la ZADJN",
    "def.abnj_dependency.text": "part des arrivées dans une zone qui avaient été lâchées en haute mer "
    "(zones situées au-delà de la juridiction nationale, ZADJN).",
    "def.abnj_dependency.settlement": "part des larves installées dans une zone qui avaient été lâchées en "
    "haute mer (zones situées au-delà de la juridiction nationale, ZADJN).",
    "def.export_share.term": "Part exportée",
    "def.export_share.text": "parmi les particules lâchées dans une zone, part de celles qui ont terminé "
    "dans d'autres zones.",
    "def.export_share.settlement": "parmi les larves lâchées dans une zone, part de celles qui se sont "
    "installées dans d'autres zones.",
    "def.betweenness.term": "Centralité d'intermédiarité",
    "def.betweenness.text": "proportion des itinéraires à plusieurs étapes les plus probables entre zones "
    "qui passent par une zone (0–1) : une valeur élevée signale une zone relais.",
    "def.betweenness.settlement": "proportion des itinéraires à plusieurs étapes les plus probables entre "
    "zones qui passent par une zone (0–1).",
    "def.interval.term": "Intervalle à 95 %",
    "def.interval.text": "plage qui contient la proportion réelle avec une probabilité de 95 %, compte tenu "
    "du nombre de particules lâchées ; étroite avec beaucoup de particules, large avec peu.",
    "def.settled.term": "Installée",
    "def.settled.text": "larve compétente ayant atteint son habitat et s'y étant fixée.",
    # ---------------------------------------------------------------- colonnes (les CSV gardent l'anglais)
    "col.zone": "zone",
    "col.source": "origine",
    "col.destination": "destination",
    "col.count": "effectif",
    "col.fraction": "fraction",
    "col.ci_low": "intervalle à 95 %, borne inférieure",
    "col.ci_high": "intervalle à 95 %, borne supérieure",
    "col.released": "lâchées",
    "col.arrivals": "arrivées",
    "col.settlers": "installées",
    "col.local_retention": "rétention locale",
    "col.self_recruitment": "auto-recrutement",
    "col.import_dependency": "dépendance aux apports extérieurs",
    "col.abnj_dependency": "dépendance à la ZADJN",
    "col.export_share": "part exportée",
    "col.betweenness": "intermédiarité",
    "col.in_strength": "force entrante",
    "col.out_strength": "force sortante",
    "col.abnj_arrival_median_days": "délai médian d'arrivée depuis la ZADJN (jours)",
    "col.basis": "base de calcul",
    "col.n": "n",
    "col.median_days": "médiane (jours)",
    "col.p10_days": "10e centile (jours)",
    "col.p90_days": "90e centile (jours)",
    "col.min_days": "première (jours)",
    "col.origin_share": "part de l'origine",
    "col.community": "communauté",
    "col.abnj_arrival_p10_days": "10e centile d'arrivée depuis la ZADJN (jours)",
    "col.abnj_arrival_p90_days": "90e centile d'arrivée depuis la ZADJN (jours)",
    "col.metric": "indicateur",
    "metric.outside_all": "part des particules-jours hors des AMP (toutes les particules)",
    "metric.outside_ebsa": "part des particules-jours hors des AMP (particules lâchées dans des ZIEB)",
    "metric.ebsa_covered": "part de la ZIEB '{name}' couverte par des AMP",
    "col.value": "valeur",
    "outcome.stranded": "échouées",
    "outcome.out_of_domain": "hors domaine",
    "outcome.error": "erreur",
    "outcome.dead": "mortes",
    "outcome.unsettled": "non installées",
    "outcome.land": "terre",
    # ---------------------------------------------------------------- report.html
    "html.title": "Rapport marinenet : {name}",
    "html.h1": "Rapport de connectivité marine : {name}",
    "html.banner": "DÉMONSTRATION SYNTHÉTIQUE : les courants et les zones de ce rapport sont fictifs "
    "(paysage marin de démonstration intégré). Les chiffres illustrent la méthode ; ils ne décrivent aucun "
    "lieu réel.",
    "meta.what": "Simulation effectuée",
    "meta.tracked": "Période de suivi",
    "meta.tracked_value": "du {start} au {end} (UTC)",
    "meta.engine": "Moteur",
    "engine.requested": "demandé dans le scénario",
    "engine.auto_fast": "moteur « auto » : le moteur rapide prend en charge cette simulation ({detail})",
    "engine.auto": "moteur « auto » : {detail}",
    "meta.seed": "Graine aléatoire",
    "html.findings": "Principaux constats",
    "html.under_sampled": "Sous-échantillonnage.",
    "html.sampling_ok": "L'échantillonnage est suffisant pour chaque couche selon le contrôle de "
    "summary.json.",
    "html.not_shown": "Non présenté.",
    "html.maps": "Cartes et figures",
    "html.tables": "Tableaux",
    "table.indices": "Indices par zone, couche '{layer}'",
    "table.connectivity": "Connectivité, couche '{layer}' (avec intervalles à 95 %)",
    "table.settlement": "Installation, couche '{layer}'",
    "table.arrivals": "Premières arrivées (jours)",
    "table.protection": "Lacunes de protection",
    "table.more_rows": "{k} lignes supplémentaires dans le fichier CSV.",
    "table.undefined": "– : non défini (aucune particule pour le calculer).",
    "html.definitions": "Définitions",
    "html.caveats": "Mises en garde",
    "html.sources": "Sources des données",
    "html.scenario": "Scénario",
    "html.scenario_summary": "Le scénario tel qu'il a été exécuté (options non renseignées omises ; "
    "scenario.resolved.yaml contient toutes les valeurs par défaut)",
    "html.files": "Fichiers de cette simulation",
    "html.files_intro": "Dans le dossier de la simulation, à côté de cette page :",
    # ---------------------------------------------------------------- brief.pdf
    "pdf.title": "Note de synthèse sur la connectivité marine : {name}",
    "pdf.title_synthetic": "{title} (démonstration SYNTHÉTIQUE)",
    "pdf.keywords": "connectivité ; suivi de particules ; ZEE ; ZADJN ; aires marines protégées",
    "pdf.synthetic": "DÉMONSTRATION SYNTHÉTIQUE : courants et zones fictifs ; illustre la méthode, ne décrit "
    "aucun lieu réel.",
    "pdf.footer": "marinenet {version} · graine {seed} · rapport complet : report.html",
    "pdf.page": "{footer} · page {page}",
    "pdf.findings": "Constats",
    "pdf.under_sampled": "Sous-échantillonnage : {text}",
    "pdf.also_under.one": "Également sous-échantillonnée : couche {layers} (détails dans report.html).",
    "pdf.also_under.other": "Également sous-échantillonnées : couches {layers} (détails dans report.html).",
    "pdf.not_shown": "Non présenté : {text}",
    "pdf.index_foot": "– : non défini (aucune particule pour le calculer). Définitions à la page suivante.",
    "pdf.more_zones": "{k} zones supplémentaires dans indices/{layer}.csv.",
    "pdf.failed": "brief.pdf n'a pas pu être écrit ({error}).",
    # ---------------------------------------------------------------- figures
    "note.not_drawn": "{title} : figure non tracée — {why}.",
    "note.failed": "{title} : la figure n'a pas pu être tracée ({error}) ; lancez « marinenet report » pour "
    "réessayer.",
    "fig.tracks": "Trajectoires des particules",
    "fig.tracks.map": "{name} : trajectoires des particules, du {start} au {end}",
    "fig.tracks.caption": "Échantillon aléatoire de trajectoires ({shown} particules sur {total}), colorées "
    "selon la zone de lâcher ; les symboles indiquent le devenir de chaque particule affichée (encore en "
    "dérive, échouée, sortie du domaine, installée, morte, arrivée).",
    "fig.density": "Densité de particules",
    "fig.density.map": "Où les particules ont passé leur temps",
    "fig.density.caption": "Particules-jours par cellule de la carte sur toute la simulation, d'après les "
    "positions enregistrées (couleurs en échelle logarithmique).",
    "fig.flows": "Flux entre zones",
    "fig.flows.map_settled": "Installation entre les zones de '{layer}'",
    "fig.flows.map_end": "Flux entre les zones de '{layer}' à la fin de la simulation",
    "fig.flows.caption_settled": "Flèches allant de la zone où les larves ont été lâchées à la zone où "
    "elles se sont installées ; largeur proportionnelle à leur nombre (légende en particules et en "
    "pourcentage du total lâché). Les flux de moins de 5 particules ne sont pas tracés.",
    "fig.flows.caption_end": "Flèches allant de la zone où les particules ont été lâchées à la zone où "
    "elles se trouvaient à la fin de la simulation ; largeur proportionnelle à leur nombre (légende en "
    "particules et en pourcentage du total lâché). Les flux de moins de 5 particules ne sont pas tracés.",
    "fig.import": "Dépendance aux apports extérieurs",
    "fig.import.map_settlers": "Dépendance aux apports extérieurs : part des larves installées venues "
    "d'ailleurs",
    "fig.import.map_arrivals": "Dépendance aux apports extérieurs : part des arrivées venues d'ailleurs",
    "fig.import.label": "dépendance aux apports extérieurs (0 = autosuffisante, 1 = entièrement importée)",
    "fig.import.caption_settlers": "Pour chaque zone, part des larves installées qui avaient été lâchées "
    "dans une autre zone, sur une échelle fixe de 0 à 1 ; n est le nombre de particules sur lequel repose "
    "cette part. Les zones hachurées reposent sur moins de 30 particules et ne sont pas colorées ; les "
    "zones grises n'en ont reçu aucune.",
    "fig.import.caption_arrivals": "Pour chaque zone, part des particules qui y terminent et qui avaient "
    "été lâchées dans une autre zone, sur une échelle fixe de 0 à 1 ; n est le nombre de particules sur "
    "lequel repose cette part. Les zones hachurées reposent sur moins de 30 particules et ne sont pas "
    "colorées ; les zones grises n'en ont reçu aucune.",
    "fig.import.larva_end": "le tableau des indices de cette simulation de larves compte les positions à "
    "la fin de la simulation, et non l'installation : il ne dit rien de l'origine des larves installées",
    "fig.arrival": "Temps d'arrivée depuis la haute mer",
    "fig.arrival.map": "Rapidité d'arrivée des eaux de haute mer : délai médian de première arrivée",
    "fig.arrival.label": "délai médian (jours) depuis le lâcher en haute mer",
    "fig.arrival.caption": "Nombre médian de jours mis par les particules lâchées en haute mer (ZADJN) pour "
    "atteindre chaque zone pour la première fois ; n est le nombre de particules arrivées. Les zones "
    "hachurées reposent sur moins de 30 particules et ne sont pas colorées.",
    "fig.protection": "Lacunes de protection",
    "fig.protection.map": "Lacunes de protection : temps passé hors des aires marines protégées",
    "fig.protection.caption": "Particules-jours passés hors de toute AMP (contours des AMP tracés) : là où "
    "la connectivité traverse des eaux non protégées.",
    "fig.currents": "Courants",
    "fig.currents.map": "Courants de surface le {when}",
    "fig.currents.caption": "Vitesse (couleurs) et direction (lignes de courant blanches) des courants au "
    "moment du lâcher.",
    "fig.matrix": "Matrice de connectivité : {layer}",
    "fig.matrix.map": "Connectivité, couche '{layer}' : position des particules après {days}",
    "fig.matrix.caption": "Fraction (et nombre) des particules lâchées dans chaque zone (lignes) qui ont "
    "terminé dans chaque zone ou devenir (colonnes).",
    "fig.matrix.empty": "aucune particule dans cette couche",
    # ---------------------------------------------------------------- dans les cartes
    "map.synthetic": "PAYSAGE MARIN SYNTHÉTIQUE DE DÉMONSTRATION : données fictives",
    "map.synthetic_short": "PAYSAGE MARIN SYNTHÉTIQUE DE DÉMONSTRATION",
    "map.status.active": "position à la fin",
    "map.status.stranded": "échouée sur la côte",
    "map.status.out_of_domain": "sortie du domaine du modèle",
    "map.status.settled": "installée",
    "map.status.dead": "morte",
    "map.status.unsettled": "fin de vie larvaire, non installée",
    "map.status.arrived": "cible atteinte",
    "map.from": "depuis {source}",
    "map.tracks_shown": "{k} trajectoires affichées sur {n}",
    "map.speed": "vitesse du courant (m/s)",
    "map.matrix.x": "destination (zone à la fin de la simulation, ou devenir)",
    "map.matrix.y": "origine (zone de lâcher)",
    "map.matrix.colour": "fraction des particules lâchées depuis l'origine",
    "map.no_positions": "aucune position de particule à afficher",
    "map.particle_days": "particules-jours par cellule",
    "map.ebsa": "ZIEB",
    "map.mpa": "AMP",
    "map.arrow_width": "largeur des flèches",
    "map.arrow_key": "{k} particules ({pct} du total)",
    "map.flows_shown.one": "le seul flux entre zones d'au moins {min} particules",
    "map.flows_shown.other": "les {k} plus grands flux entre zones d'au moins {min} particules",
    "map.no_flow": "aucun flux entre deux zones n'a compté {min} particules ou plus",
    "map.no_value": "aucune zone n'a de valeur pour « {column} »",
    "map.no_particles": "aucune particule",
    "map.undefined": "aucune particule : non défini",
    "map.too_few": "moins de {min} particules : trop incertain pour être coloré (valeur et n dans "
    "l'étiquette)",
}
_TEXTS.update(MORE)
_TEXTS.update(DRIFT)
_TEXTS.update(COHERENCE)

_NNBSP, _NBSP = "\u202f", "\u00a0"


def _typography(text: str) -> str:
    """French spacing: narrow no-break space before % ; ! ? and inside « », no-break space before :."""
    for mark in ("%", ";", "!", "?", "»"):
        text = text.replace(" " + mark, _NNBSP + mark)
    return text.replace("« ", "«" + _NNBSP).replace(" :", _NBSP + ":")


TEXTS = {key: _typography(text) for key, text in _TEXTS.items()}
