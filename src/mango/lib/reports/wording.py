"""The report's words in Dutch, French and English: headings, notes and default names for codes.

Reports are published in Dutch, French and English (French in the "vous" form, with the
terms of docs/glossary.md: "histoire" for story); the web app translates its own
pages with gettext, but this module has no Django, so the report keeps its words here. Names
of codes (respondent types, settings, dimensions, exclusion reasons) can be passed in by the
caller; the defaults below cover the standard vocabularies and the Picker dimensions.
"""

from __future__ import annotations

LANGUAGES = ("nl", "fr", "en")

TEXT: dict[str, dict[str, str]] = {
    "report_title": {
        "nl": "Mangomomenten: analyse",
        "en": "Mangomoments: analysis",
        "fr": "Analyse des moments Mango",
    },
    "generated": {"nl": "Gemaakt op {date}", "en": "Generated on {date}", "fr": "Généré le {date}"},
    "methods": {"nl": "Methode", "en": "Methods", "fr": "Méthode"},
    "results": {"nl": "Resultaten", "en": "Results", "fr": "Résultats"},
    "figures": {"nl": "Figuren", "en": "Figures", "fr": "Figures"},
    "table": {"nl": "Tabel", "en": "Table", "fr": "Tableau"},
    "figure": {"nl": "Figuur", "en": "Figure", "fr": "Figure"},
    "continued": {"nl": "vervolg", "en": "continued", "fr": "suite"},
    "contents": {"nl": "Inhoud", "en": "Contents", "fr": "Sommaire"},
    # Tables
    "t_respondents": {"nl": "Respondenten", "en": "Respondents", "fr": "Répondants"},
    "t_teller_role": {"nl": "Verteld door", "en": "Told by", "fr": "Racontée par"},
    "t_setting": {"nl": "Zorgsetting", "en": "Care setting", "fr": "Cadre de soins"},
    "t_oncological": {
        "nl": "Oncologische zorg",
        "en": "Oncological care",
        "fr": "Soins oncologiques",
    },
    "t_screening": {"nl": "Screening", "en": "Screening", "fr": "Sélection"},
    "t_dimensions": {
        "nl": "Dimensies van patiëntgerichte zorg per groep",
        "en": "Dimensions of patient-centred care by group",
        "fr": "Dimensions des soins centrés sur le patient par groupe",
    },
    "t_tests": {
        "nl": "Verschil tussen de groepen per dimensie",
        "en": "Difference between the groups per dimension",
        "fr": "Différence entre les groupes par dimension",
    },
    "t_months": {"nl": "Verhalen per maand", "en": "Stories per month", "fr": "Histoires par mois"},
    "t_units": {
        "nl": "Verhalen per afdeling",
        "en": "Stories per unit",
        "fr": "Histoires par unité",
    },
    # Column headings
    "c_value": {"nl": "Categorie", "en": "Category", "fr": "Catégorie"},
    "c_n": {"nl": "n", "en": "n", "fr": "n"},
    "c_percent": {"nl": "%", "en": "%", "fr": "%"},
    "c_reason": {
        "nl": "Reden van uitsluiting",
        "en": "Reason for exclusion",
        "fr": "Motif d’exclusion",
    },
    "c_dimension": {"nl": "Dimensie", "en": "Dimension", "fr": "Dimension"},
    "c_test": {"nl": "Toets", "en": "Test", "fr": "Test"},
    "c_statistic": {"nl": "X²", "en": "X²", "fr": "X²"},
    "c_dof": {"nl": "df", "en": "df", "fr": "ddl"},
    "c_p": {"nl": "p", "en": "p", "fr": "p"},
    "c_p_holm": {"nl": "p (Holm)", "en": "p (Holm)", "fr": "p (Holm)"},
    "c_v": {"nl": "Cramér's V", "en": "Cramér's V", "fr": "V de Cramér"},
    "c_residual": {"nl": "residu {group}", "en": "residual {group}", "fr": "résidu {group}"},
    "c_month": {"nl": "Maand", "en": "Month", "fr": "Mois"},
    "c_stories": {"nl": "Verhalen", "en": "Stories", "fr": "Histoires"},
    "c_total": {"nl": "Totaal", "en": "Total", "fr": "Total"},
    "c_unit": {"nl": "Afdeling", "en": "Unit", "fr": "Unité"},
    "c_group": {"nl": "Groep", "en": "Group", "fr": "Groupe"},
    "r_stories": {"nl": "Verhalen (n)", "en": "Stories (n)", "fr": "Histoires (n)"},
    "r_unlabelled": {"nl": "Zonder dimensie", "en": "Without a dimension", "fr": "Sans dimension"},
    "r_missing": {"nl": "Niet ingevuld", "en": "Not given", "fr": "Non renseigné"},
    "r_no_unit": {"nl": "Geen afdeling", "en": "No unit", "fr": "Aucune unité"},
    "r_included": {
        "nl": "Mangomoment (opgenomen)",
        "en": "Mangomoment (included)",
        "fr": "Moment Mango (retenu)",
    },
    "r_excluded": {"nl": "Uitgesloten", "en": "Excluded", "fr": "Exclu"},
    "r_pending": {
        "nl": "Nog niet gescreend",
        "en": "Not screened yet",
        "fr": "Pas encore sélectionnée",
    },
    "r_screened": {"nl": "Gescreend", "en": "Screened", "fr": "Sélectionnées"},
    "r_share": {
        "nl": "Aandeel Mangomomenten",
        "en": "Share that are Mangomoments",
        "fr": "Part de moments Mango",
    },
    "cell": {"nl": "{n} ({pct})", "en": "{n} ({pct})", "fr": "{n} ({pct})"},
    # Tests
    "chi2": {"nl": "chi-kwadraat", "en": "chi-square", "fr": "khi-deux"},
    "fisher": {"nl": "Fisher exact", "en": "Fisher's exact", "fr": "exact de Fisher"},
    "monte_carlo": {"nl": "Monte Carlo", "en": "Monte Carlo", "fr": "Monte-Carlo"},
    "untested": {"nl": "niet getoetst", "en": "not tested", "fr": "non testé"},
    # Notes
    "note_percent_all": {
        "nl": "Percentages van alle {n} geanalyseerde verhalen.",
        "en": "Percentages of all {n} stories analysed.",
        "fr": "Pourcentages de l’ensemble des {n} histoires analysées.",
    },
    "note_reasons": {
        "nl": "Percentages van de {n} uitgesloten verhalen.",
        "en": "Percentages of the {n} excluded stories.",
        "fr": "Pourcentages des {n} histoires exclues.",
    },
    "note_column_percent": {
        "nl": "Aantal verhalen met de dimensie (kolompercentage van de verhalen van de groep).",
        "en": "Stories carrying the dimension (column percentage of the group's stories).",
        "fr": "Histoires présentant la dimension (pourcentage en colonne des histoires du groupe).",
    },
    "multi_label": {
        "nl": "Een verhaal kan meerdere dimensies hebben: het telt één keer in elke dimensie, "
        "dus de kolomtotalen zijn aantallen verhalen (geen coderingen) en de percentages van "
        "een groep kunnen samen meer dan 100% zijn.",
        "en": "A story may carry several dimensions: it counts once in each, so column totals "
        "are numbers of stories (not of codings) and a group's percentages can add up to "
        "more than 100%.",
        "fr": "Une histoire peut présenter plusieurs dimensions : elle compte une fois dans "
        "chacune, de sorte que les totaux des colonnes sont des nombres d’histoires (et non de "
        "codages) et que les pourcentages d’un groupe peuvent dépasser 100 % au total.",
    },
    "multi_label_none": {
        "nl": "In deze gegevens heeft geen enkel verhaal meer dan één dimensie.",
        "en": "In these data no story carries more than one dimension.",
        "fr": "Dans ces données, aucune histoire ne présente plus d’une dimension.",
    },
    "method_note": {
        "nl": "Per dimensie een 2 x k-tabel (verhalen met / zonder de dimensie, per groep). "
        "Pearsons chi-kwadraattoets zonder continuïteitscorrectie wanneer geen verwachte "
        "frequentie onder 1 ligt en hoogstens 20% onder 5 (Cochran); anders Fishers exacte "
        "toets bij 2 groepen, of bij 3 of meer groepen een Monte-Carlotoets van de "
        "chi-kwadraatstatistiek met vaste randtotalen ({resamples} trekkingen, seed {seed}). "
        "X² is altijd Pearsons statistiek; Cramér's V = √(X² / n). p (Holm): aangepast over "
        "de getoetste dimensies. Residuen zijn aangepaste gestandaardiseerde residuen: "
        "boven +1,96 heeft een groep de dimensie vaker, onder -1,96 minder vaak dan bij "
        "onafhankelijkheid verwacht.",
        "en": "Per dimension a 2 x k table (stories with / without the dimension, by group). "
        "Pearson's chi-square test without continuity correction when no expected count is "
        "below 1 and at most 20% are below 5 (Cochran); otherwise Fisher's exact test for 2 "
        "groups, or for 3 or more a Monte Carlo test of the chi-square statistic with the "
        "margins fixed ({resamples} resamples, seed {seed}). X² is always Pearson's "
        "statistic; Cramér's V = √(X² / n). p (Holm): adjusted over the dimensions tested. "
        "Residuals are adjusted standardised residuals: above +1.96 a group carries the "
        "dimension more often, below -1.96 less often than independence predicts.",
        "fr": "Par dimension, un tableau 2 x k (histoires avec / sans la dimension, par groupe). "
        "Test du khi-deux de Pearson sans correction de continuité lorsqu’aucun effectif attendu "
        "n’est inférieur à 1 et qu’au plus 20 % sont inférieurs à 5 (Cochran) ; sinon test exact "
        "de Fisher pour 2 groupes, ou pour 3 groupes ou plus un test de Monte-Carlo de la "
        "statistique du khi-deux à marges fixées ({resamples} tirages, graine {seed}). X² est "
        "toujours la statistique de Pearson ; V de Cramér = √(X² / n). p (Holm) : ajusté sur les "
        "dimensions testées. Les résidus sont des résidus standardisés ajustés : au-dessus de "
        "+1,96, un groupe présente la dimension plus souvent, en dessous de -1,96 moins souvent "
        "que ne le prévoit l’indépendance.",
    },
    "left_out_groups": {
        "nl": "{n} verhalen vallen buiten de vergeleken groepen en tellen hier niet mee.",
        "en": "{n} stories fall outside the groups compared and are not counted here.",
        "fr": "{n} histoires n’appartiennent à aucun des groupes comparés et ne sont pas comptées "
        "ici.",
    },
    "no_dimensions": {
        "nl": "Nog geen opgenomen verhalen met definitieve codes: geen vergelijking mogelijk.",
        "en": "No included stories with final codes yet: nothing to compare.",
        "fr": "Aucune histoire retenue n’a encore de codes définitifs : rien à comparer.",
    },
    "too_few_groups": {
        "nl": "Vergelijken vraagt minstens twee groepen met verhalen.",
        "en": "A comparison needs at least two groups with stories.",
        "fr": "Une comparaison demande au moins deux groupes comptant des histoires.",
    },
    "units_note": {
        "nl": "Per afdeling: aantal verhalen en het aandeel met elke dimensie.",
        "en": "Per unit: stories and the share carrying each dimension.",
        "fr": "Par unité : nombre d’histoires et part présentant chaque dimension.",
    },
    # Figures
    "f_dimensions": {
        "nl": "Dimensies per groep (% van de verhalen van de groep; aantallen achter de balken)",
        "en": "Dimensions by group (% of the group's stories; counts at the end of the bars)",
        "fr": "Dimensions par groupe (% des histoires du groupe ; effectifs au bout des barres)",
    },
    "f_months": {"nl": "Verhalen per maand", "en": "Stories per month", "fr": "Histoires par mois"},
    "axis_percent": {"nl": "% van de verhalen", "en": "% of stories", "fr": "% des histoires"},
    "axis_stories": {"nl": "Verhalen", "en": "Stories", "fr": "Histoires"},
    "empty_figure": {"nl": "Geen gegevens", "en": "No data", "fr": "Aucune donnée"},
}

# Default names of codes, by column.
CODES: dict[str, dict[str, dict[str, str]]] = {
    "teller_role": {
        "patient": {"nl": "Patiënt", "en": "Patient", "fr": "Patient"},
        "resident": {"nl": "Bewoner", "en": "Resident", "fr": "Résident"},
        "family": {
            "nl": "Familielid of mantelzorger",
            "en": "Family member or informal carer",
            "fr": "Membre de la famille ou aidant proche",
        },
        "professional": {
            "nl": "Zorgverlener",
            "en": "Healthcare professional",
            "fr": "Professionnel de santé",
        },
        "other": {"nl": "Andere", "en": "Other", "fr": "Autre"},
    },
    "setting": {
        "hospital": {"nl": "Ziekenhuis", "en": "Hospital", "fr": "Hôpital"},
        "rehabilitation": {
            "nl": "Revalidatiecentrum",
            "en": "Rehabilitation centre",
            "fr": "Centre de revalidation",
        },
        "residential": {
            "nl": "Woonzorgcentrum",
            "en": "Residential care centre",
            "fr": "Maison de repos et de soins",
        },
        "disability": {
            "nl": "Zorg voor personen met een handicap",
            "en": "Care for people with disabilities",
            "fr": "Soins aux personnes en situation de handicap",
        },
        "primary": {"nl": "Eerstelijnszorg", "en": "Primary care", "fr": "Soins de première ligne"},
        "other": {"nl": "Andere", "en": "Other", "fr": "Autre"},
    },
    "oncological": {
        "yes": {"nl": "Ja", "en": "Yes", "fr": "Oui"},
        "no": {"nl": "Nee", "en": "No", "fr": "Non"},
        "unknown": {"nl": "Onbekend", "en": "Unknown", "fr": "Inconnu"},
    },
    "respondent_group": {
        "professional": {
            "nl": "Zorgverleners",
            "en": "Healthcare professionals",
            "fr": "Professionnels de santé",
        },
        "oncological_patient_family": {
            "nl": "Oncologische patiënten en familie",
            "en": "Oncological patients & family",
            "fr": "Patients oncologiques et famille",
        },
        "non_oncological_patient_family": {
            "nl": "Niet-oncologische patiënten en familie",
            "en": "Non-oncological patients & family",
            "fr": "Patients non oncologiques et famille",
        },
    },
    # The screening codebook's exclusion reasons (editable: other keys use their label).
    "exclusion_reason": {
        "organised_event": {
            "nl": "Georganiseerd evenement of programma",
            "en": "Organised event or programme",
            "fr": "Événement ou programme organisé",
        },
        "celebrity_visit": {
            "nl": "Bezoek van een bekend persoon",
            "en": "Celebrity visit",
            "fr": "Visite d’une personnalité",
        },
        "not_normal_care": {
            "nl": "Niet tijdens de gewone zorg",
            "en": "Not during normal care",
            "fr": "En dehors des soins habituels",
        },
        "substantial_resources": {
            "nl": "Vraagt veel tijd, geld of moeite",
            "en": "Needs substantial time, money or effort",
            "fr": "Demande beaucoup de temps, d’argent ou d’efforts",
        },
        "ordinary_care": {
            "nl": "Gewone verwachte zorg",
            "en": "Ordinary expected care",
            "fr": "Soins ordinaires attendus",
        },
        "no_identifiable_act": {
            "nl": "Geen aanwijsbaar gebaar (algemene lof, klacht, ander onderwerp)",
            "en": "No identifiable act (general praise, complaint, off-topic)",
            "fr": "Aucun geste identifiable (éloge général, plainte, hors sujet)",
        },
        "unclear": {"nl": "Onduidelijk", "en": "Unclear", "fr": "Pas clair"},
    },
    # The Picker principles of patient-centred care (the campaign's coding frame).
    "dimension": {
        "respect": {
            "nl": "Respect voor waarden, voorkeuren en noden",
            "en": "Respect for values, preferences and needs",
            "fr": "Respect des valeurs, des préférences et des besoins",
        },
        "coordination": {
            "nl": "Coördinatie en integratie van zorg",
            "en": "Coordination and integration of care",
            "fr": "Coordination et intégration des soins",
        },
        "information": {
            "nl": "Informatie, communicatie en educatie",
            "en": "Information, communication and education",
            "fr": "Information, communication et éducation",
        },
        "physical_comfort": {
            "nl": "Fysiek comfort",
            "en": "Physical comfort",
            "fr": "Confort physique",
        },
        "emotional_support": {
            "nl": "Emotionele steun en verlichting van angst",
            "en": "Emotional support and alleviation of fear",
            "fr": "Soutien émotionnel et apaisement des craintes",
        },
        "family": {
            "nl": "Betrekken van familie en vrienden",
            "en": "Involvement of family and friends",
            "fr": "Implication de la famille et des proches",
        },
        "continuity": {
            "nl": "Continuïteit en transitie",
            "en": "Continuity and transition",
            "fr": "Continuité et transition",
        },
        "access": {"nl": "Toegang tot zorg", "en": "Access to care", "fr": "Accès aux soins"},
    },
}

# Names of the grouping columns, for headings such as "by group".
GROUPINGS: dict[str, dict[str, str]] = {
    "respondent_group": {
        "nl": "Respondentgroep",
        "en": "Respondent group",
        "fr": "Groupe de répondants",
    },
    "teller_role": {"nl": "Verteld door", "en": "Told by", "fr": "Racontée par"},
    "setting": {"nl": "Zorgsetting", "en": "Care setting", "fr": "Cadre de soins"},
    "oncological": {
        "nl": "Oncologische zorg",
        "en": "Oncological care",
        "fr": "Soins oncologiques",
    },
    "organisation": {"nl": "Organisatie", "en": "Organisation", "fr": "Organisation"},
    "unit": {"nl": "Afdeling", "en": "Unit", "fr": "Unité"},
    "campaign": {"nl": "Campagne", "en": "Campaign", "fr": "Campagne"},
    "period": {"nl": "Periode", "en": "Period", "fr": "Période"},
}


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        known = ", ".join(LANGUAGES[:-1]) + " or " + LANGUAGES[-1]
        raise ValueError(f"A report is in {known}, not {language!r}.")
    return language


def text(key: str, language: str, **values) -> str:
    """The sentence ``key`` in ``language``, with ``values`` filled in."""
    words = TEXT[key][language]
    return words.format(**values) if values else words


def colon(language: str) -> str:
    """ ": " joining a heading to what follows; French puts a no-break space before it."""
    return "\u00a0: " if language == "fr" else ": "


def code_name(column: str, code, language: str, names: dict | None = None) -> str:
    """A code's name: the translation here for the standard codes, else from ``names`` (the
    caller's, e.g. a codebook's labels), else the code itself; missing is "not given"."""
    if code is None or (isinstance(code, float) and code != code):
        return text("r_missing", language)
    known = CODES.get(column, {}).get(code)
    if known:
        return known[language]
    if names and code in names:
        return str(names[code])
    return str(code)


def number(value, language: str, digits: int = 0) -> str:
    """A number the way the language writes it: 1.234,5 in Dutch, 1 234,5 in French, 1,234.5
    in English."""
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    out = f"{value:,.{digits}f}"
    if language == "nl":
        out = out.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    elif language == "fr":  # 1 234,5: a narrow no-break space between thousands
        out = out.replace(",", "\u202f").replace(".", ",")
    return out


def percent(value, language: str, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    # French puts a (no-break) space before the sign: 12,5 %.
    return number(value, language, digits) + ("\u00a0%" if language == "fr" else "%")


def p_value(value, language: str) -> str:
    """p with three decimals, "< 0.001" below that (APA style)."""
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    if value < 0.001:
        return "< " + number(0.001, language, 3)
    return number(value, language, 3)
