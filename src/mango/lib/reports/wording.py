"""The report's words in Dutch and English: headings, notes and default names for codes.

Reports are published in the research group's two languages; the web app translates its own
pages with gettext, but this module has no Django, so the report keeps its words here. Names
of codes (respondent types, settings, dimensions, exclusion reasons) can be passed in by the
caller; the defaults below cover the standard vocabularies and the Picker dimensions.
"""

from __future__ import annotations

LANGUAGES = ("nl", "en")

TEXT: dict[str, dict[str, str]] = {
    "report_title": {"nl": "Mangomomenten: analyse", "en": "Mangomoments: analysis"},
    "generated": {"nl": "Gemaakt op {date}", "en": "Generated on {date}"},
    "methods": {"nl": "Methode", "en": "Methods"},
    "results": {"nl": "Resultaten", "en": "Results"},
    "figures": {"nl": "Figuren", "en": "Figures"},
    "table": {"nl": "Tabel", "en": "Table"},
    "figure": {"nl": "Figuur", "en": "Figure"},
    "contents": {"nl": "Inhoud", "en": "Contents"},
    # Tables
    "t_respondents": {"nl": "Respondenten", "en": "Respondents"},
    "t_teller_role": {"nl": "Verteld door", "en": "Told by"},
    "t_setting": {"nl": "Zorgsetting", "en": "Care setting"},
    "t_oncological": {"nl": "Oncologische zorg", "en": "Oncological care"},
    "t_screening": {"nl": "Screening", "en": "Screening"},
    "t_dimensions": {
        "nl": "Dimensies van patiëntgerichte zorg per groep",
        "en": "Dimensions of patient-centred care by group",
    },
    "t_tests": {
        "nl": "Verschil tussen de groepen per dimensie",
        "en": "Difference between the groups per dimension",
    },
    "t_months": {"nl": "Verhalen per maand", "en": "Stories per month"},
    "t_units": {"nl": "Verhalen per afdeling", "en": "Stories per unit"},
    # Column headings
    "c_value": {"nl": "Categorie", "en": "Category"},
    "c_n": {"nl": "n", "en": "n"},
    "c_percent": {"nl": "%", "en": "%"},
    "c_reason": {"nl": "Reden van uitsluiting", "en": "Reason for exclusion"},
    "c_dimension": {"nl": "Dimensie", "en": "Dimension"},
    "c_test": {"nl": "Toets", "en": "Test"},
    "c_statistic": {"nl": "X²", "en": "X²"},
    "c_dof": {"nl": "df", "en": "df"},
    "c_p": {"nl": "p", "en": "p"},
    "c_p_holm": {"nl": "p (Holm)", "en": "p (Holm)"},
    "c_v": {"nl": "Cramér's V", "en": "Cramér's V"},
    "c_residual": {"nl": "residu {group}", "en": "residual {group}"},
    "c_month": {"nl": "Maand", "en": "Month"},
    "c_stories": {"nl": "Verhalen", "en": "Stories"},
    "c_total": {"nl": "Totaal", "en": "Total"},
    "c_unit": {"nl": "Afdeling", "en": "Unit"},
    "c_group": {"nl": "Groep", "en": "Group"},
    "r_stories": {"nl": "Verhalen (n)", "en": "Stories (n)"},
    "r_unlabelled": {"nl": "Zonder dimensie", "en": "Without a dimension"},
    "r_missing": {"nl": "Niet ingevuld", "en": "Not given"},
    "r_no_unit": {"nl": "Geen afdeling", "en": "No unit"},
    "r_included": {"nl": "Mangomoment (opgenomen)", "en": "Mangomoment (included)"},
    "r_excluded": {"nl": "Uitgesloten", "en": "Excluded"},
    "r_pending": {"nl": "Nog niet gescreend", "en": "Not screened yet"},
    "r_screened": {"nl": "Gescreend", "en": "Screened"},
    "r_share": {"nl": "Aandeel Mangomomenten", "en": "Share that are Mangomoments"},
    "cell": {"nl": "{n} ({pct})", "en": "{n} ({pct})"},
    # Tests
    "chi2": {"nl": "chi-kwadraat", "en": "chi-square"},
    "fisher": {"nl": "Fisher exact", "en": "Fisher's exact"},
    "monte_carlo": {"nl": "Monte Carlo", "en": "Monte Carlo"},
    "untested": {"nl": "niet getoetst", "en": "not tested"},
    # Notes
    "note_percent_all": {
        "nl": "Percentages van alle {n} geanalyseerde verhalen.",
        "en": "Percentages of all {n} stories analysed.",
    },
    "note_reasons": {
        "nl": "Percentages van de {n} uitgesloten verhalen.",
        "en": "Percentages of the {n} excluded stories.",
    },
    "note_column_percent": {
        "nl": "Aantal verhalen met de dimensie (kolompercentage van de verhalen van de groep).",
        "en": "Stories carrying the dimension (column percentage of the group's stories).",
    },
    "multi_label": {
        "nl": "Een verhaal kan meerdere dimensies hebben: het telt één keer in elke dimensie, "
        "dus de kolomtotalen zijn aantallen verhalen (geen coderingen) en de percentages van "
        "een groep kunnen samen meer dan 100% zijn.",
        "en": "A story may carry several dimensions: it counts once in each, so column totals "
        "are numbers of stories (not of codings) and a group's percentages can add up to "
        "more than 100%.",
    },
    "multi_label_none": {
        "nl": "In deze gegevens heeft geen enkel verhaal meer dan één dimensie.",
        "en": "In these data no story carries more than one dimension.",
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
    },
    "left_out_groups": {
        "nl": "{n} verhalen vallen buiten de vergeleken groepen en tellen hier niet mee.",
        "en": "{n} stories fall outside the groups compared and are not counted here.",
    },
    "no_dimensions": {
        "nl": "Nog geen opgenomen verhalen met definitieve codes: geen vergelijking mogelijk.",
        "en": "No included stories with final codes yet: nothing to compare.",
    },
    "too_few_groups": {
        "nl": "Vergelijken vraagt minstens twee groepen met verhalen.",
        "en": "A comparison needs at least two groups with stories.",
    },
    "units_note": {
        "nl": "Per afdeling: aantal verhalen en het aandeel met elke dimensie.",
        "en": "Per unit: stories and the share carrying each dimension.",
    },
    # Figures
    "f_dimensions": {
        "nl": "Dimensies per groep (% van de verhalen van de groep; aantallen achter de balken)",
        "en": "Dimensions by group (% of the group's stories; counts at the end of the bars)",
    },
    "f_months": {"nl": "Verhalen per maand", "en": "Stories per month"},
    "axis_percent": {"nl": "% van de verhalen", "en": "% of stories"},
    "axis_stories": {"nl": "Verhalen", "en": "Stories"},
    "empty_figure": {"nl": "Geen gegevens", "en": "No data"},
}

# Default names of codes, by column.
CODES: dict[str, dict[str, dict[str, str]]] = {
    "teller_role": {
        "patient": {"nl": "Patiënt", "en": "Patient"},
        "resident": {"nl": "Bewoner", "en": "Resident"},
        "family": {"nl": "Familielid of mantelzorger", "en": "Family member or informal carer"},
        "professional": {"nl": "Zorgverlener", "en": "Healthcare professional"},
        "other": {"nl": "Andere", "en": "Other"},
    },
    "setting": {
        "hospital": {"nl": "Ziekenhuis", "en": "Hospital"},
        "rehabilitation": {"nl": "Revalidatiecentrum", "en": "Rehabilitation centre"},
        "residential": {"nl": "Woonzorgcentrum", "en": "Residential care centre"},
        "disability": {
            "nl": "Zorg voor personen met een handicap",
            "en": "Care for people with disabilities",
        },
        "primary": {"nl": "Eerstelijnszorg", "en": "Primary care"},
        "other": {"nl": "Andere", "en": "Other"},
    },
    "oncological": {
        "yes": {"nl": "Ja", "en": "Yes"},
        "no": {"nl": "Nee", "en": "No"},
        "unknown": {"nl": "Onbekend", "en": "Unknown"},
    },
    "respondent_group": {
        "professional": {"nl": "Zorgverleners", "en": "Healthcare professionals"},
        "oncological_patient_family": {
            "nl": "Oncologische patiënten en familie",
            "en": "Oncological patients & family",
        },
        "non_oncological_patient_family": {
            "nl": "Niet-oncologische patiënten en familie",
            "en": "Non-oncological patients & family",
        },
    },
    # The screening codebook's exclusion reasons (editable: other keys use their label).
    "exclusion_reason": {
        "organised_event": {
            "nl": "Georganiseerd evenement of programma",
            "en": "Organised event or programme",
        },
        "celebrity_visit": {"nl": "Bezoek van een bekend persoon", "en": "Celebrity visit"},
        "not_normal_care": {"nl": "Niet tijdens de gewone zorg", "en": "Not during normal care"},
        "substantial_resources": {
            "nl": "Vraagt veel tijd, geld of moeite",
            "en": "Needs substantial time, money or effort",
        },
        "ordinary_care": {"nl": "Gewone verwachte zorg", "en": "Ordinary expected care"},
        "no_identifiable_act": {
            "nl": "Geen aanwijsbaar gebaar (algemene lof, klacht, ander onderwerp)",
            "en": "No identifiable act (general praise, complaint, off-topic)",
        },
        "unclear": {"nl": "Onduidelijk", "en": "Unclear"},
    },
    # The Picker principles of patient-centred care (the campaign's coding frame).
    "dimension": {
        "respect": {
            "nl": "Respect voor waarden, voorkeuren en noden",
            "en": "Respect for values, preferences and needs",
        },
        "coordination": {
            "nl": "Coördinatie en integratie van zorg",
            "en": "Coordination and integration of care",
        },
        "information": {
            "nl": "Informatie, communicatie en educatie",
            "en": "Information, communication and education",
        },
        "physical_comfort": {"nl": "Fysiek comfort", "en": "Physical comfort"},
        "emotional_support": {
            "nl": "Emotionele steun en verlichting van angst",
            "en": "Emotional support and alleviation of fear",
        },
        "family": {
            "nl": "Betrekken van familie en vrienden",
            "en": "Involvement of family and friends",
        },
        "continuity": {"nl": "Continuïteit en transitie", "en": "Continuity and transition"},
        "access": {"nl": "Toegang tot zorg", "en": "Access to care"},
    },
}

# Names of the grouping columns, for headings such as "by group".
GROUPINGS: dict[str, dict[str, str]] = {
    "respondent_group": {"nl": "Respondentgroep", "en": "Respondent group"},
    "teller_role": {"nl": "Verteld door", "en": "Told by"},
    "setting": {"nl": "Zorgsetting", "en": "Care setting"},
    "oncological": {"nl": "Oncologische zorg", "en": "Oncological care"},
    "organisation": {"nl": "Organisatie", "en": "Organisation"},
    "unit": {"nl": "Afdeling", "en": "Unit"},
    "campaign": {"nl": "Campagne", "en": "Campaign"},
    "period": {"nl": "Periode", "en": "Period"},
}


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"A report is in {' or '.join(LANGUAGES)}, not {language!r}.")
    return language


def text(key: str, language: str, **values) -> str:
    """The sentence ``key`` in ``language``, with ``values`` filled in."""
    words = TEXT[key][language]
    return words.format(**values) if values else words


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
    """A number the way the language writes it: 1.234,5 in Dutch, 1,234.5 in English."""
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    out = f"{value:,.{digits}f}"
    if language == "nl":
        out = out.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return out


def percent(value, language: str, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    return number(value, language, digits) + "%"


def p_value(value, language: str) -> str:
    """p with three decimals, "< 0.001" below that (APA style)."""
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    if value < 0.001:
        return "< " + number(0.001, language, 3)
    return number(value, language, 3)
