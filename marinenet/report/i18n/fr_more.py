"""Textes français de l'explorateur, des crédits des données, de la mise en garde sur la durée et de la
légende du fond de carte (partie du catalogue de ``fr.py``, qui leur applique sa typographie)."""

MORE = {
    # ---------------------------------------------------------------- durée d'une simulation de larves
    "timing.none": "la simulation a duré {run} jours ; les larves ne deviennent aptes à s'installer qu'à "
    "partir du jour {start}, si bien qu'aucune n'a pu s'installer. Prolonger la simulation à au moins "
    "{start} jours (toute la vie larvaire : {pld} jours) pour observer l'installation",
    "timing.cut": "la simulation a duré {run} jours ; les larves peuvent s'installer du jour {start} au jour "
    "{end}, si bien que celles qui dérivaient encore à la fin auraient pu s'installer plus tard : "
    "l'installation est sous-estimée",
    "timing.pld": "la simulation a duré {run} jours, moins que la durée de vie larvaire pélagique ({pld} "
    "jours) : les larves encore vivantes à la fin ne s'étaient pas installées et sont comptées comme non "
    "installées, bien que leur vie larvaire ne soit pas achevée",
    "caveat.run_length": "Durée de la simulation : {text}.",
    "settle.total_why": "Larves installées : {k} sur {n} ({pct}, {iv}) — {why}.",
    "fallback.explorer": "L'explorateur de connectivité n'a pas pu être produit ({error}).",
    "credit.coastline": "Trait de côte : Natural Earth, terres au 1:50m (domaine public), "
    "naturalearthdata.com ; fourni avec marinenet.",
    # ---------------------------------------------------------------- l'explorateur de connectivité
    "xp.heading": "Explorer la connectivité",
    "xp.intro.end": "Choisissez une zone dans la liste ou cliquez dessus sur la carte (on peut aussi "
    "atteindre une zone avec la touche Tab et appuyer sur Entrée). La carte et les tableaux indiquent où se "
    "trouvaient à la fin de la simulation les particules lâchées dans cette zone, et d'où venaient les "
    "particules qui y ont terminé. Les chiffres sont ceux de {file}.",
    "xp.intro.larva": "Choisissez une zone dans la liste ou cliquez dessus sur la carte (on peut aussi "
    "atteindre une zone avec la touche Tab et appuyer sur Entrée). La carte et les tableaux indiquent où se "
    "sont installées les larves lâchées dans cette zone, et d'où venaient les larves qui s'y sont "
    "installées. Les chiffres sont ceux de {file}.",
    "xp.zone": "Zone choisie",
    "xp.show": "Colorer la carte selon",
    "xp.out.end": "où se trouvaient ses particules à la fin de la simulation",
    "xp.out.larva": "où ses larves se sont installées",
    "xp.in.end": "d'où venaient les particules qui y sont arrivées",
    "xp.in.larva": "d'où venaient les larves qui s'y sont installées",
    "xp.map": "Carte des zones de la couche « {layer} » (contours simplifiés) ; la zone choisie est "
    "entourée de noir",
    "xp.out_caption.end": "Où se trouvaient à la fin de la simulation les particules lâchées dans {zone} "
    "({n} lâchées)",
    "xp.out_caption.larva": "Où se sont installées les larves lâchées dans {zone} ({n} lâchées)",
    "xp.in_caption.end": "D'où venaient les particules qui ont terminé dans {zone} ({n} arrivées)",
    "xp.in_caption.larva": "D'où venaient les larves qui se sont installées dans {zone} ({n} larves "
    "installées)",
    "xp.destination": "Destination",
    "xp.source": "Origine",
    "xp.count": "Nombre",
    "xp.fraction": "Part de l'origine",
    "xp.share_in": "Part des arrivées",
    "xp.interval": "Intervalle à 95 %",
    "xp.none": "aucune",
    "xp.legend.end": "Part (0–100 %) des particules de la zone choisie (sortantes) ou de ses arrivées "
    "(entrantes). Beige : terres.",
    "xp.legend.larva": "Part (0–100 %) des larves de la zone choisie (sortantes) ou des larves installées "
    "dans cette zone (entrantes). Beige : terres.",
    "xp.legend_outside": "Gris hachuré : hors du domaine du modèle (aucun courant à cet endroit).",
    "xp.status.end": "{zone} : {n_out} lâchées, {n_in} arrivées.",
    "xp.status.larva": "{zone} : {n_out} lâchées, {n_in} larves installées.",
    "xp.outcomes": "Les devenirs qui ne sont pas une zone (échouées, mortes, sorties du domaine…) figurent "
    "dans le premier tableau mais ne sont pas dessinés.",
    # ---------------------------------------------------------------- cartes de données réelles
    "map.basemap": "terres : Natural Earth 1:50m",
    "map.basemap_outside": "terres : Natural Earth 1:50m ; gris hachuré : hors du domaine du modèle",
    # ---------------------------------------------------------------- sources des données (mots de marinenet)
    "credit.forcing": "Courants océaniques (fichier {file}) : {parts}.",
    "credit.product": "produit {value}",
    "credit.source": "source : {value}",
    "credit.references": "références : {value}",
    "credit.doi": "DOI : {value}",
    "credit.licence": "licence : {value}",
    "credit.no_licence": "le fichier n'indique aucune licence : vérifier les conditions d'utilisation du "
    "fournisseur",
    "credit.zones": "Couche de zones « {layer} » ({file})",
    "credit.with": "{head} : {text}",
    "credit.zones_licence": "Licence : {value}.",
    "credit.zones_none": "{head} : aucune référence ni licence n'est indiquée ; ajouter « citation: » et « licence: » "
    "à cette couche dans le scénario.",
    "credit.demo": "Paysage marin synthétique de démonstration généré par marinenet (données fictives).",
    "credit.sep": " ; ",
    # ---------------------------------------------------------------- larves non installées
    "fate.not_settled.one": "{n} ne s'est pas installée ({pct}){detail}",
    "fate.not_settled.other": "{n} ne se sont pas installées ({pct}){detail}",
    "fate.not_settled.drifting_all": ", dérivant encore à la fin de la simulation",
    "fate.not_settled.drifting_some": ", dont {k} dérivaient encore à la fin de la simulation",
    # ---------------------------------------------------------------- base des indices, axes, moteur
    "basis.settlement": "installation",
    "basis.end_of_run": "fin de la simulation",
    "hemi.N": "N",
    "hemi.S": "S",
    "hemi.E": "E",
    "hemi.W": "O",
    "engine.why.regular": "grille lon/lat régulière",
    "engine.why.not_1d": "l'axe {axis} des courants n'est pas à une dimension (grille curviligne)",
    "engine.why.not_increasing": "l'axe {axis} des courants n'est pas strictement croissant",
    "engine.why.behaviour": "comportement {name} : {why}",
    "engine.why.needs_3d": "la migration verticale exige des courants en 3D",
    "fate.active_at_end.swimmer.one": "{n} nageait encore à la fin ({pct})",
    "fate.active_at_end.swimmer.other": "{n} nageaient encore à la fin ({pct})",
    # ---------------------------------------------------------------- couches au-delà de outputs: all_pairs_limit
    "table.nonzero_pairs": "Cette couche a plus de paires (source, destination) que outputs: all_pairs_limit : "
    "connectivity/{file}.csv ne liste que les paires non nulles. Une paire absente a un effectif de 0 ; son "
    "intervalle à 95 % va de 0 à la borne donnée par source dans connectivity/{file}.unseen.csv (particules "
    "entières : borne de Jeffreys de 0 sur n, le quantile 97,5 % de Beta(½, n + ½), n = particules lâchées depuis "
    "la source).",
    "fallback.explorer_large": "L'explorateur de connectivité a été omis : {rows} paires non nulles sont trop "
    "nombreuses pour la page (au plus {most}) ; connectivity/{file}.csv les contient toutes.",
}
