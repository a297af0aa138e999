"""The methods section in words: how the stories were collected, screened, coded and compared.

Every figure in these sentences is read off the report's own tables and the input's counts,
so the text cannot disagree with the tables.
"""

from __future__ import annotations

from . import wording

SENTENCES = {
    "campaign_dates": {
        "nl": "De verhalen werden verzameld in de campagne ‘{campaign}’, van {opens} tot {closes}.",
        "en": "Stories were collected in the campaign ‘{campaign}’, from {opens} to {closes}.",
        "fr": "Les histoires ont été recueillies dans la campagne « {campaign} », du {opens} au "
        "{closes}.",
    },
    "campaign_open": {
        "nl": "De verhalen werden verzameld in de campagne ‘{campaign}’, open sinds {opens}.",
        "en": "Stories were collected in the campaign ‘{campaign}’, open since {opens}.",
        "fr": "Les histoires ont été recueillies dans la campagne « {campaign} », ouverte depuis "
        "le {opens}.",
    },
    "no_campaign": {
        "nl": "Het rapport omvat de verhalen van alle campagnes.",
        "en": "The report covers the stories of all campaigns.",
        "fr": "Le rapport couvre les histoires de toutes les campagnes.",
    },
    "organisations": {
        "nl": "Deelnemende organisaties ({n}): {names}.",
        "en": "Participating organisations ({n}): {names}.",
        "fr": "Organisations participantes ({n}) : {names}.",
    },
    "organisation": {
        "nl": "Dit rapport beperkt zich tot de verhalen over {name}.",
        "en": "This report is limited to the stories about {name}.",
        "fr": "Ce rapport se limite aux histoires concernant {name}.",
    },
    "how": {
        "nl": "Vertellers schreven hun verhaal in het webformulier van Mango (via een QR-affiche "
        "of een link), of verhalen werden ingevoerd uit een bestand. Bij elk verhaal gaf de "
        "verteller aan wie vertelt, in welke zorgsetting het gebeurde en of het om "
        "oncologische zorg ging, en gaf afzonderlijk toestemming voor onderzoek en voor "
        "delen met de medewerkers.",
        "en": "Tellers wrote their story in Mango's web form (from a QR poster or a link), or "
        "stories were imported from a file. With each story the teller said who was telling, "
        "in which care setting it happened and whether the care was oncological, and gave "
        "separate consent for research and for sharing with staff.",
        "fr": "Les narrateurs ont écrit leur histoire dans le formulaire web de Mango (depuis une "
        "affiche avec code QR ou un lien), ou les histoires ont été importées depuis un fichier. "
        "Pour chaque histoire, le narrateur a indiqué qui racontait, dans quel cadre de soins "
        "cela s’est passé et s’il s’agissait de soins oncologiques, et a donné séparément son "
        "consentement pour la recherche et pour le partage avec le personnel.",
    },
    "sources": {
        "nl": "Herkomst van de geanalyseerde verhalen: {parts}.",
        "en": "Sources of the stories analysed: {parts}.",
        "fr": "Origine des histoires analysées : {parts}.",
    },
    "received": {
        "nl": "In totaal kwamen {received} verhalen binnen. Niet geanalyseerd: {no_consent} "
        "zonder (of met ingetrokken) toestemming voor onderzoek en {erased} die op vraag van de "
        "verteller gewist zijn. De analyse omvat {n} verhalen{span}.",
        "en": "In all, {received} stories were received. Not analysed: {no_consent} without "
        "(or with withdrawn) consent for research and {erased} erased at the teller's "
        "request. The analysis covers {n} stories{span}.",
        "fr": "Au total, {received} histoires ont été reçues. Non analysées : {no_consent} sans "
        "consentement pour la recherche (ou dont le consentement a été retiré) et {erased} "
        "effacées à la demande du narrateur. L’analyse porte sur {n} histoires{span}.",
    },
    "not_shared": {
        "nl": "Van de geanalyseerde verhalen deelde de verteller er {not_shared} niet met de "
        "medewerkers: ze staan in dit rapport, maar niet op het dashboard van "
        "organisatiebeheerders en ambassadeurs, dat enkel gedeelde verhalen telt.",
        "en": "Of the stories analysed, {not_shared} were not shared by their tellers with "
        "staff: they are in this report but not on the dashboard of organisation managers "
        "and ambassadors, which counts only shared stories.",
        "fr": "Parmi les histoires analysées, {not_shared} n’ont pas été partagées avec le "
        "personnel par leur narrateur : elles figurent dans ce rapport, mais pas dans le tableau "
        "de bord des responsables de l’organisation et des ambassadeurs, qui ne compte que les "
        "histoires partagées.",
    },
    "span": {
        "nl": ", verteld tussen {first} en {last}",
        "en": ", told between {first} and {last}",
        "fr": ", racontées entre le {first} et le {last}",
    },
    "screening": {
        "nl": "Elk verhaal werd gescreend op de definitie van een Mangomoment: een klein, "
        "onverwacht gebaar tijdens de gewone zorg dat weinig tijd, geld of energie kost "
        "(georganiseerde wensacties, bezoeken van bekende personen en gewone verwachte zorg "
        "vallen erbuiten). Van de {screened} gescreende verhalen waren er {included} ({share}) "
        "een Mangomoment en werden er {excluded} uitgesloten (redenen in de tabel "
        "Screening).",
        "en": "Each story was screened against the definition of a Mangomoment: a small, "
        "unexpected gesture during normal care that costs little time, money or energy "
        "(organised wish-granting, celebrity visits and ordinary expected care are not). Of "
        "the {screened} stories screened, {included} ({share}) were Mangomoments and "
        "{excluded} were excluded (reasons in the Screening table).",
        "fr": "Chaque histoire a été confrontée à la définition d’un moment Mango : un petit "
        "geste inattendu, posé pendant les soins habituels, qui demande peu de temps, d’argent ou "
        "d’énergie (les actions organisées pour réaliser un souhait, les visites de personnalités "
        "et les soins ordinaires attendus n’en sont pas). Sur les {screened} histoires "
        "sélectionnées, {included} ({share}) étaient des moments Mango et {excluded} ont été "
        "exclues (motifs dans le tableau Sélection).",
    },
    "pending": {
        "nl": "{pending} verhalen waren nog niet gescreend en tellen niet mee in de vergelijking.",
        "en": "{pending} stories were not screened yet and are not in the comparison.",
        "fr": "{pending} histoires n’étaient pas encore sélectionnées et ne figurent pas dans la "
        "comparaison.",
    },
    "coding": {
        "nl": "De Mangomomenten werden gecodeerd volgens de dimensies van patiëntgerichte zorg "
        "(de Picker-principes: {dims}). Een verhaal kon meerdere dimensies krijgen. {coded} "
        "opgenomen verhalen hebben definitieve codes.",
        "en": "The Mangomoments were coded by the dimensions of patient-centred care (the "
        "Picker principles: {dims}). A story could carry several dimensions. {coded} included "
        "stories have final codes.",
        "fr": "Les moments Mango ont été codés selon les dimensions des soins centrés sur le "
        "patient (les principes de Picker : {dims}). Une histoire pouvait présenter plusieurs "
        "dimensions. {coded} histoires retenues ont des codes définitifs.",
    },
    "agreement": {
        "nl": "In codeerronde ‘{round}’ codeerden {coders} codeurs {units} verhalen "
        "onafhankelijk en blind voor elkaars codes; verschillen werden beslecht door "
        "adjudicatie en de beslechte (definitieve) codes zijn geanalyseerd. Overeenstemming "
        "over alle dimensies: {stats}.",
        "en": "In coding round ‘{round}’, {coders} coders coded {units} stories independently "
        "and blind to each other's codes; disagreements were settled by adjudication and the "
        "adjudicated (final) codes are analysed. Agreement over all dimensions: {stats}.",
        "fr": "Dans la série de codage « {round} », {coders} codeurs ont codé {units} histoires "
        "de manière indépendante et sans voir les codes des autres ; les désaccords ont été "
        "tranchés par arbitrage et ce sont les codes arbitrés (définitifs) qui sont analysés. "
        "Accord sur l’ensemble des dimensions : {stats}.",
    },
    "no_agreement": {
        "nl": "Voor deze verhalen is geen dubbel gecodeerde ronde vastgelegd: de "
        "overeenstemming tussen codeurs kan niet gerapporteerd worden.",
        "en": "No double-coded round is recorded for these stories, so agreement between "
        "coders cannot be reported.",
        "fr": "Aucune série de double codage n’est enregistrée pour ces histoires : l’accord "
        "entre codeurs ne peut donc pas être rapporté.",
    },
    "groups_respondent": {
        "nl": "De groepen zijn zorgverleners, oncologische patiënten en familie (patiënten, "
        "bewoners en familieleden die over oncologische zorg vertellen) en niet-oncologische "
        "patiënten en familie. Verhalen van andere vertellers, of van patiënten en familie "
        "die niet wisten of het om oncologische zorg ging, zitten niet in de vergelijking.",
        "en": "The groups are healthcare professionals, oncological patients & family "
        "(patients, residents and family members telling of oncological care) and "
        "non-oncological patients & family. Stories by other tellers, or by patients and "
        "family who did not know whether the care was oncological, are not in the "
        "comparison.",
        "fr": "Les groupes sont les professionnels de santé, les patients oncologiques et leur "
        "famille (patients, résidents et membres de la famille qui racontent des soins "
        "oncologiques) et les patients non oncologiques et leur famille. Les histoires d’autres "
        "narrateurs, ou de patients et de proches qui ne savaient pas s’il s’agissait de soins "
        "oncologiques, ne figurent pas dans la comparaison.",
    },
    "groups_other": {
        "nl": "De groepen zijn de waarden van ‘{group}’: {names}.",
        "en": "The groups are the values of ‘{group}’: {names}.",
        "fr": "Les groupes sont les valeurs de « {group} » : {names}.",
    },
    "tests": {
        "nl": "Omdat een verhaal meerdere dimensies kan hebben, is één chi-kwadraattoets over "
        "alle dimensies niet geldig: elke dimensie werd afzonderlijk getoetst op een 2 x "
        "k-tabel (chi-kwadraat, of Fishers exacte toets of een Monte-Carlotoets bij kleine "
        "verwachte frequenties), met Cramér's V als effectgrootte, p-waarden aangepast met "
        "de methode van Holm en aangepaste gestandaardiseerde residuen die tonen welke groep "
        "verschilt.",
        "en": "Because a story may carry several dimensions, a single chi-square test over all "
        "dimensions is not valid: each dimension was tested on its own 2 x k table "
        "(chi-square, or Fisher's exact or a Monte Carlo test when expected counts are "
        "small), with Cramér's V as effect size, p-values adjusted with Holm's method and "
        "adjusted standardised residuals that show which group differs.",
        "fr": "Comme une histoire peut présenter plusieurs dimensions, un seul test du khi-deux "
        "sur l’ensemble des dimensions n’est pas valide : chaque dimension a été testée sur son "
        "propre tableau 2 x k (khi-deux, ou test exact de Fisher ou test de Monte-Carlo lorsque "
        "les effectifs attendus sont faibles), avec le V de Cramér comme taille d’effet, des "
        "valeurs p ajustées par la méthode de Holm et des résidus standardisés ajustés qui "
        "montrent quel groupe se distingue.",
    },
    "no_comparison": {
        "nl": "Er zijn nog te weinig groepen met gecodeerde verhalen om te vergelijken.",
        "en": "Too few groups have coded stories yet to compare them.",
        "fr": "Trop peu de groupes ont déjà des histoires codées pour les comparer.",
    },
}

STATISTIC_NAMES = {
    "percent_agreement": {
        "nl": "procentuele overeenstemming",
        "en": "percent agreement",
        "fr": "pourcentage d’accord",
    },
    "cohen_kappa": {"nl": "Cohens κ", "en": "Cohen's κ", "fr": "κ de Cohen"},
    "fleiss_kappa": {"nl": "Fleiss' κ", "en": "Fleiss' κ", "fr": "κ de Fleiss"},
    "krippendorff_alpha": {
        "nl": "Krippendorffs α",
        "en": "Krippendorff's α",
        "fr": "α de Krippendorff",
    },
}
CI = {"nl": "95%-BI", "en": "95% CI", "fr": "IC à 95 %"}
SOURCE_NAMES = {
    "form": {"nl": "webformulier", "en": "web form", "fr": "formulaire web"},
    "api": {"nl": "API", "en": "API", "fr": "API"},
    "import": {"nl": "import", "en": "import", "fr": "importation"},
    "demo": {"nl": "demo (illustratief)", "en": "demo (illustrative)", "fr": "démo (exemple)"},
}


def say(key: str, language: str, **values) -> str:
    return SENTENCES[key][language].format(**values)


def _date(value) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def agreement_text(agreement: dict, language: str) -> str:
    """ "Cohen's κ 0.81 (95% CI 0.74–0.87), ..." from ``mango agreement``'s overall figures."""
    parts = []
    for name, words in STATISTIC_NAMES.items():
        estimate = (agreement.get("overall") or {}).get(name) or {}
        value = estimate.get("value")
        if value is None:
            continue
        digits = 1 if name == "percent_agreement" else 2
        shown = (
            wording.percent(100 * value, language, digits)
            if name == "percent_agreement"
            else wording.number(value, language, digits)
        )
        ci = estimate.get("ci95")
        if ci and ci[0] is not None and ci[1] is not None:
            if name == "percent_agreement":
                low, high = (wording.percent(100 * x, language, digits) for x in ci)
            else:
                low, high = (wording.number(x, language, digits) for x in ci)
            shown += f" ({CI[language]} {low}–{high})"
        parts.append(f"{words[language]} {shown}")
    return "; ".join(parts) or "–"


def paragraphs(report, data, stories, base) -> list[str]:
    """The methods section, one string per paragraph."""
    lang = report.language
    n = lambda value: wording.number(value, lang)  # noqa: E731
    c = data.collection
    out = []

    first = []
    if c.campaign:
        if c.closes_on:
            first.append(
                say(
                    "campaign_dates",
                    lang,
                    campaign=c.campaign,
                    opens=_date(c.opens_on),
                    closes=_date(c.closes_on),
                )
            )
        else:
            first.append(say("campaign_open", lang, campaign=c.campaign, opens=_date(c.opens_on)))
    else:
        first.append(say("no_campaign", lang))
    if c.organisation:
        first.append(say("organisation", lang, name=c.organisation))
    elif c.organisations:
        first.append(
            say("organisations", lang, n=len(c.organisations), names=", ".join(c.organisations))
        )
    first.append(say("how", lang))
    if c.sources:
        parts = [
            f"{SOURCE_NAMES.get(k, {}).get(lang, k)} {n(v)}" for k, v in c.sources.items() if v
        ]
        first.append(say("sources", lang, parts=", ".join(parts)))
    span = ""
    dates = stories["submitted_at"].dropna() if len(stories) else []
    if len(dates):
        span = say("span", lang, first=_day(dates.min()), last=_day(dates.max()))
    first.append(
        say(
            "received",
            lang,
            received=n(c.received),
            no_consent=n(c.no_research_consent),
            erased=n(c.erased),
            n=n(len(stories)),
            span=span,
        )
    )
    if c.not_shared:
        first.append(say("not_shared", lang, not_shared=n(c.not_shared)))
    out.append(" ".join(first))

    s = report.screening
    second = [
        say(
            "screening",
            lang,
            screened=n(s.screened),
            included=n(s.included),
            excluded=n(s.excluded),
            share=wording.percent(100 * s.share, lang) if s.share is not None else "–",
        )
    ]
    if s.pending:
        second.append(say("pending", lang, pending=n(s.pending)))
    out.append(" ".join(second))

    third = [
        say("coding", lang, dims="; ".join(report.dimension_names.values()), coded=n(len(base)))
    ]
    a = data.agreement
    if a and a.get("units"):
        third.append(
            say(
                "agreement",
                lang,
                round=a.get("round") or "–",
                coders=n(a.get("coders") or 0),
                units=n(a["units"]),
                stats=agreement_text(a, lang),
            )
        )
    else:
        third.append(say("no_agreement", lang))
    out.append(" ".join(third))

    fourth = []
    if data.group == "respondent_group":
        fourth.append(say("groups_respondent", lang))
    elif report.comparison is not None:
        names = ", ".join(report.group_names.get(g, str(g)) for g in report.comparison.groups)
        fourth.append(say("groups_other", lang, group=report.group_title, names=names))
    if report.comparison is not None:
        fourth.append(say("tests", lang))
    else:
        fourth.append(say("no_comparison", lang))
    out.append(" ".join(fourth))
    return out


def _day(value) -> str:
    return value.strftime("%Y-%m-%d") if hasattr(value, "strftime") else str(value)[:10]
