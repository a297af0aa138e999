"""Rule- and lexicon-based detectors, run on every story whatever its language.

Each detector returns ``Candidate`` spans; ``deid.deidentify`` merges them with deduce's for
Dutch. The detectors aim at recall: a span they find too much costs a word of the story, a span
they miss can name someone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import lexicon as lx
from .lexicon import Token


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    kind: str
    source: str = "rules"


def find_all(text: str) -> list[Candidate]:
    tokens = lx.tokenize(text)
    out: list[Candidate] = []
    for detector in (
        emails,
        urls,
        identifiers,
        phones,
        dates,
        ages,
        rooms,
    ):
        out += detector(text)
    out += addresses(text, tokens)
    out += institutions(text, tokens)
    out += places(text, tokens)
    out += names(text, tokens)
    return out


def _spans(pattern: re.Pattern, text: str, kind: str, group: int | str = 0) -> list[Candidate]:
    return [Candidate(m.start(group), m.end(group), kind) for m in pattern.finditer(text)]


# --- e-mail, web addresses --------------------------------------------------------------------

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"'()]*[^\s<>\"'().,;:!?]", re.IGNORECASE)
_DOMAIN = re.compile(
    r"(?<![\w@.-])(?:[a-z0-9-]+\.)+(?:be|com|org|net|eu|fr|nl|uk|info|io|vlaanderen|brussels)"
    r"(?:/[^\s<>\"']*[^\s<>\"'.,;:!?)])?(?![\w@-])"
)


def emails(text: str) -> list[Candidate]:
    return _spans(_EMAIL, text, "email")


def urls(text: str) -> list[Candidate]:
    return _spans(_URL, text, "url") + _spans(_DOMAIN, text, "url")


# --- numbers: national register number, IBAN, patient and file numbers ----------------------

_NRN = re.compile(
    r"(?<![\d.,/-])(\d{2})[. ]?(\d{2})[. ]?(\d{2})[-. ]?(\d{3})[. ]?(\d{2})(?![\d]|[.,/-]\d)"
)
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b")
_ID_CONTEXT = re.compile(
    r"(?i:\b(?:pati[eë]nt(?:en)?nummer|pati[eë]ntnr\.?|dossiernummer|dossiernr\.?"
    r"|rijksregisternummer|rijksregisternr\.?|insz(?:-nummer)?|identificatienummer"
    r"|num[ée]ro\s+(?:de\s+(?:dossier|patient|registre\s+national)|national)"
    r"|registre\s+national|n°\s*(?:de\s+)?dossier|patient\s+(?:number|no\.?|id)"
    r"|hospital\s+number|nhs\s+number|national\s+(?:register|insurance)\s+number|mrn))"
    r"\s*(?::|#|nr\.?|n°|no\.?|is|was|est|was)?\s*"
    r"(?P<id>[A-Z0-9](?:[A-Z0-9./-]*[A-Z0-9])?)"
)
_LONG_NUMBER = re.compile(r"(?<![\w.,/+-])\d{7,}(?![\w/-]|[.,]\d)")


def valid_national_number(digits: str) -> bool:
    """The Belgian national register number's check: 97 minus the first nine digits modulo 97
    equals the last two; for people born from 2000, a 2 is put in front of the nine digits."""
    if len(digits) != 11 or not digits.isdigit():
        return False
    base, check = int(digits[:9]), int(digits[9:])
    return check in (97 - base % 97, 97 - (2_000_000_000 + base) % 97)


def valid_iban(iban: str) -> bool:
    """ISO 13616: move the first four characters to the end, letters to numbers (A=10), and
    the number modulo 97 is 1. A Belgian IBAN is BE plus 14 digits."""
    s = iban.replace(" ", "").upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{8,30}", s):
        return False
    if s.startswith("BE") and not re.fullmatch(r"BE\d{14}", s):
        return False
    number = "".join(str(int(c, 36)) for c in s[4:] + s[:4])
    return int(number) % 97 == 1


def identifiers(text: str) -> list[Candidate]:
    out = []
    for m in _NRN.finditer(text):
        if valid_national_number("".join(m.groups())):
            out.append(Candidate(m.start(), m.end(), "identifier"))
    for m in _IBAN.finditer(text):
        if valid_iban(m.group()):
            out.append(Candidate(m.start(), m.end(), "identifier"))
    for m in _ID_CONTEXT.finditer(text):
        if sum(c.isdigit() for c in m.group("id")) >= 3:
            out.append(Candidate(m.start("id"), m.end("id"), "identifier"))
    out += _spans(_LONG_NUMBER, text, "identifier")
    return out


# --- phone numbers ----------------------------------------------------------------------------

_SEP = r"[ \t./-]"
_INTL_PHONE = re.compile(
    rf"(?<![\w+])(?:\+|00)(?:32|33|31|44|49|352|353|41|39|34|212|90)(?:{_SEP}?\(0\))?"
    rf"(?:{_SEP}?\d){{7,11}}(?!\d)"
)
_NATIONAL_PHONE = re.compile(
    rf"(?<![\w/.,+-])(?:\(0\d{{1,4}}\)[ ]?\d|0\d)(?:{_SEP}?\d){{6,9}}(?![\d])"
)
_DATE_LIKE = re.compile(r"\d{1,2}([./-])\d{1,2}\1\d{2,4}$")


def phones(text: str) -> list[Candidate]:
    out = []
    for m in _INTL_PHONE.finditer(text):
        out.append(Candidate(m.start(), m.end(), "phone"))
    for m in _NATIONAL_PHONE.finditer(text):
        raw = m.group()
        digits = sum(c.isdigit() for c in raw)
        # 9 (Belgian landline), 10 (Belgian mobile, French), 11 (British) digits; a date
        # such as 04/12/2020 has 8 and two slashes.
        if 9 <= digits <= 11 and raw.count("/") <= 1 and not _DATE_LIKE.match(raw):
            out.append(Candidate(m.start(), m.end(), "phone"))
    return out


# --- dates ------------------------------------------------------------------------------------

_MONTHS_NL_FR = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
    "|janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre"
    "|d[ée]cembre"
)
_MONTH_ABBR_NL_FR = (
    r"jan|febr?|mrt|apr|jun|jul|aug|sept?|okt|oct|nov|dec|janv|f[ée]vr?|avr|juil|déc"
)
_MONTHS_EN = "January|February|March|April|May|June|July|August|September|October|November|December"
_MONTH_ABBR_EN = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec"
_MONTH = (
    rf"(?:(?i:{_MONTHS_NL_FR})|(?:{_MONTH_ABBR_NL_FR})\.?|(?:{_MONTHS_EN})"
    rf"|(?:{_MONTH_ABBR_EN})\.?(?!\w))"
)
_WEEKDAY = (
    "(?i:maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|lundi|mardi|mercredi|jeudi"
    "|vendredi|samedi|dimanche)|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
)
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_ORDINAL = r"(?:st|nd|rd|th|ste|de|e|er|ère|eme|ème)?"
_YEAR = r"(?:\d{4}|'\d{2})"
_MONTH_NUM = r"(?:0?[1-9]|1[0-2])"
_DATES = [
    # 5 januari (2021), le 3 mars, 1er mai, 5th of May, maandag 5 januari
    re.compile(
        rf"(?:\b(?:{_WEEKDAY}),?\s+(?:(?:de|le|the)\s+)?)?(?<![\d/.-])\b{_DAY}{_ORDINAL}\.?"
        rf"\s+(?:of\s+)?{_MONTH}(?![\w])(?:,?\s+{_YEAR}\b)?"
    ),
    # March 5th (, 2021), Monday, May 5
    re.compile(
        rf"(?:\b(?:{_WEEKDAY}),?\s+)?\b(?:{_MONTHS_EN}|{_MONTH_ABBR_EN})\.?\s+{_DAY}"
        rf"(?:st|nd|rd|th)?\b(?!:)(?:,?\s+\d{{4}}\b)?"
    ),
    # maart 2021, March 2021
    re.compile(rf"(?<![\w])(?:(?i:{_MONTHS_NL_FR})|{_MONTHS_EN})\s+\d{{4}}\b"),
    # 12/03/2021, 12-03-21, 12.03.2021
    re.compile(
        rf"(?:\b(?:{_WEEKDAY}),?\s+)?(?<![\d/.-])\b{_DAY}([./-]){_MONTH_NUM}\1(?:\d{{4}}|\d{{2}})"
        rf"(?![\d]|[./-]\d)"
    ),
    # 2021-03-12
    re.compile(r"(?<![\d-])\b\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])\b(?!-\d)"),
]
# 14/02, 5/03 without a year; not 24/7, not 1/2 (a fraction).
_DAY_MONTH = re.compile(
    rf"(?:\b(?:{_WEEKDAY}),?\s+)?(?<![\d/.,-])\b({_DAY})/({_MONTH_NUM})(?![\d]|/\d|[.,]\d)"
)


# Words after which "3/4" is a date, not a fraction: "op 3/4", "le 3/4", "since 3/4".
_DATE_CUE_BEFORE = re.compile(
    r"(?i:\b(?:op|sinds|vanaf|tot|tegen|van|na|voor|le|du|au|depuis|dès|jusqu['’]au|on|since"
    r"|from|until|till|by|before|after|dated|datum|date|"
    rf"{_WEEKDAY}))[ \t]+$"
)
# ... and what makes it a fraction after all: "3/4 van de", "3/4 of the", "3/4 l".
_FRACTION_AFTER = re.compile(
    r"[ \t]*(?:van\b|of\b|de\b|d['’]|des\b|du\b|liter|litre|l\b|cl\b|ml\b|kg\b|%|past\b)",
    re.I,
)


# "4-5 weeks", "2-3 dagen", "3/4 uur": a range or a fraction of something, not a date.
_RANGE_UNIT = (
    r"[ \t]*(?i:%|kg|uur|u\b|h\b|hours?|heures?|min|minutes?|minuten|dagen|days?|jours?|weken"
    r"|weeks?|semaines?|maanden|months?|mois|jaar|years?|ans|keer|times|fois|x\b|km|liter)"
)
# "sinds 14-2", "vanaf 3.5", "le 3.4": day and month with a dash or a dot, after a date word
# only (otherwise a score, a version, a decimal).
_DAY_MONTH_DASH = re.compile(
    rf"(?<![\d/.,-])\b({_DAY})[.-]({_MONTH_NUM})(?![\d]|[./-]\d|,\d|{_RANGE_UNIT})"
)


def dates(text: str) -> list[Candidate]:
    out = []
    for pattern in _DATES:
        out += _spans(pattern, text, "date")
    for m in _DAY_MONTH_DASH.finditer(text):
        if _DATE_CUE_BEFORE.search(text, max(0, m.start() - 30), m.start()):
            out.append(Candidate(m.start(), m.end(), "date"))
    for m in _DAY_MONTH.finditer(text):
        day, month = m.group(1), m.group(2)
        if (day, month) in {("24", "7"), ("7", "7")}:
            continue
        if len(day) == 1 and len(month) == 1:
            cue = _DATE_CUE_BEFORE.search(text, max(0, m.start() - 30), m.start())
            if (
                not (m.group().strip()[0].isalpha() or cue)
                or _FRACTION_AFTER.match(text, m.end())
                or re.match(_RANGE_UNIT, text[m.end() :])
            ):
                continue
        out.append(Candidate(m.start(), m.end(), "date"))
    return out


# --- ages -------------------------------------------------------------------------------------

_NOT_AGE_UNITS = (
    r"(?!\s*(?:%|kg|g\b|cm|m\b|km|uur|u\b|minuten|min|seconden|dagen|dag|weken|week|maanden|"
    r"maand|keer|euro|€|°|graden|jaar\s+geleden|minutes?|hours?|days?|weeks?|months?|times|"
    r"o'clock|am\b|pm\b|a\.m\.|p\.m\.|heures?|h\b|jours?|semaines?|mois|fois|ans\s+plus\s+tôt|"
    r"years?\s+ago|[:.,/]\d|\d))"
)
_AGES = [
    # nl
    re.compile(r"\b\d{1,3}[- ]?jarige?\b"),
    re.compile(
        r"(?<!\bal )(?<!\bsinds )(?<!\bna )(?<!\bom de )(?<!\belke )(?<!\bper )(?<!\bbinnen )"
        r"(?<!\bgedurende )(?<![\d,.])\b\d{1,3}\s+jaar(?:\s+oud)?\b"
        r"(?!\s+(?:geleden|lang|getrouwd|samen|in\s+dienst|later|eerder|werk|ervaring))"
    ),
    re.compile(
        r"(?i:\b(?:ik\s+ben|hij\s+is|zij\s+is|ze\s+is|hij\s+was|zij\s+was|ze\s+was|ik\s+was"
        r"|werd|wordt|word|leeftijd\s+van|i'm|i\s+am|he's|he\s+is|she's|she\s+is|he\s+was"
        r"|she\s+was|i\s+was|who\s+is|who\s+was|turned|turns|turning|aged|age|age\s+of"
        r"|âgée?s?\s+de|j'ai|il\s+a|qui\s+a"
        r"|elle\s+a|avait|fête\s+ses|fêtait\s+ses|vierde\s+haar|vierde\s+zijn))\s+"
        rf"(?P<n>\d{{1,3}}){_NOT_AGE_UNITS}(?:\s+(?:jaar|ans|years?)(?:\s+old)?)?"
    ),
    re.compile(
        r"(?i:\b(?:man|vrouw|meneer|mevrouw|dame|heer|pati[eë]nte?|bewoner|bewoonster|jongen"
        r"|meisje|kind|zoon|dochter|vader|moeder)\s+van)\s+(?P<n>\d{1,3})"
        rf"{_NOT_AGE_UNITS}(?:\s+jaar)?"
    ),
    # "Katrien ... was 45.", "hij was 80 en ..."
    re.compile(
        r"\b(?:was|is|werd|est|était)\s+(?P<n>\d{1,3})"
        r"(?=\s*[.,;!?)](?!\d)|\s+(?:and|en|et|when|toen|quand|years?|jaar|ans)\b)"
    ),
    # "werd mijn vader 90", "wordt oma morgen 100 jaar"
    re.compile(
        r"\b(?:werd|wordt)\s+(?:[^\W\d_]+\s+){1,3}?(?P<n>\d{1,3})"
        r"(?=\s*[.,;!?)](?!\d)|\s+(?:en|jaar)\b)"
    ),
    # fr
    re.compile(
        r"(?<![Dd]epuis )(?<![Pp]endant )(?<![Dd]urant )(?<!\by a )(?<![Dd]ans )(?<![Aa]pr[eè]s )"
        r"(?<![\d,.])\b\d{1,3}\s+ans\b(?!\s+(?:de\s|d['’]|plus\s+t[oô]t|apr[eè]s|auparavant))"
    ),
    # en
    re.compile(r"\b\d{1,3}[- ]years?[- ]old\b"),
    re.compile(r"\b\d{1,3}-year-old\b"),
    # "Jan Peeters (72)"
    re.compile(r"(?<=[^\W\d_])\s\((?P<n>\d{1,3}(?:\s*(?:jaar|j\.?|ans|years?|yrs?))?)(?=\))"),
]


# "is 84 geworden", "is mijn moeder 91 geworden".
_AGES.append(re.compile(r"\b(?P<n>\d{1,3})(?:\s+jaar)?(?=\s+(?:geworden|worden)\b)"))
# "haar 95ste verjaardag", "son 90e anniversaire", "his 90th birthday", "celebrated his 85th".
_AGES.append(
    re.compile(
        r"(?i:\b\d{1,3}(?:ste|de|e|ème|eme|th|st|nd|rd)[ \t]+(?:verjaardag|anniversaire"
        r"|birthday|verjaardagsfeest))\b"
    )
)
_AGES.append(
    re.compile(
        r"(?i:\b(?:celebrated|vierde|fêté|fêtait|fête)[ \t]+(?:his|her|their|zijn|haar|son|ses"
        r"|sa)[ \t]+)(?P<n>\d{1,3}(?:ste|de|e|ème|th|st|nd|rd))\b"
    )
)


def _number_words() -> dict[str, int]:
    """Numbers 13 to 110 written out in Dutch, French (also Belgian: septante, nonante) and
    English, in the spellings people use: "achtentachtig", "tweeënnegentig",
    "quatre-vingt-huit", "septante-neuf", "ninety-three", "ninety three"."""
    out: dict[str, int] = {}
    nl_units = "een twee drie vier vijf zes zeven acht negen".split()
    nl_teens = "dertien veertien vijftien zestien zeventien achttien negentien".split()
    nl_tens = "twintig dertig veertig vijftig zestig zeventig tachtig negentig".split()
    for n, w in enumerate(nl_teens, 13):
        out[w] = n
    for t, tens in enumerate(nl_tens, 2):
        out[tens] = 10 * t
        for u, unit in enumerate(nl_units, 1):
            joins = ("ën", "en") if unit.endswith("e") else ("en",)
            for join in joins:
                out[f"{unit}{join}{tens}"] = 10 * t + u
    out["honderd"] = 100
    for u, unit in enumerate(nl_units + ["tien"], 1):
        out[f"honderd{unit}"] = out[f"honderd en {unit}"] = 100 + u

    fr_units = "un deux trois quatre cinq six sept huit neuf".split()
    fr_teens = {13: "treize", 14: "quatorze", 15: "quinze", 16: "seize", 17: "dix-sept"}
    fr_teens |= {18: "dix-huit", 19: "dix-neuf", 11: "onze", 12: "douze"}
    fr_tens = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}
    fr_tens |= {7: "septante", 8: "quatre-vingt", 9: "nonante"}
    for n, w in fr_teens.items():
        if n >= 13:
            out[w] = n
    for t, tens in fr_tens.items():
        out[tens + ("s" if t == 8 else "")] = 10 * t
        for u, unit in enumerate(fr_units, 1):
            if u == 1 and t != 8:
                for form in (f"{tens} et un", f"{tens}-et-un"):
                    out[form] = 10 * t + 1
            else:
                out[f"{tens}-{unit}"] = 10 * t + u
    out["octante"], out["huitante"] = 80, 80
    for u, unit in enumerate(fr_units, 1):
        out[f"octante-{unit}"] = out[f"huitante-{unit}"] = 80 + u
    for t, tens in ((6, "soixante"), (8, "quatre-vingt")):  # 70-79 and 90-99 in France
        out[f"{tens}-dix"] = 10 * t + 10
        for n in range(11, 20):
            word = fr_teens.get(n) or {11: "onze", 12: "douze"}.get(n)
            out[f"{tens}-{word}"] = 10 * t + n
        if t == 6:
            out["soixante et onze"] = out["soixante-et-onze"] = 71
    out["cent"] = 100
    for u, unit in enumerate(fr_units, 1):
        out[f"cent {unit}"] = out[f"cent-{unit}"] = 100 + u

    en_units = "one two three four five six seven eight nine".split()
    en_teens = "thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
    en_tens = "twenty thirty forty fifty sixty seventy eighty ninety".split()
    for n, w in enumerate(en_teens, 13):
        out[w] = n
    for t, tens in enumerate(en_tens, 2):
        out[tens] = 10 * t
        for u, unit in enumerate(en_units, 1):
            out[f"{tens}-{unit}"] = out[f"{tens} {unit}"] = 10 * t + u
    for lead in ("a hundred", "one hundred", "hundred"):
        out[lead] = 100
        for u, unit in enumerate(en_units, 1):
            out[f"{lead} and {unit}"] = 100 + u
    return out


NUMBER_WORDS = _number_words()


def _alternation(words) -> str:
    return "|".join(
        re.escape(w).replace("\\ ", r"[ \t]+").replace("\\-", "[-‐ ]")
        for w in sorted(words, key=len, reverse=True)
    )


_NUM_ALL = _alternation(NUMBER_WORDS)
_NUM_OLD = _alternation(w for w, n in NUMBER_WORDS.items() if n >= 40)
# A number in words is an age when it says so ("achtentachtig jaar oud", "eighty-year-old",
# "quatre-vingt-huit ans"), or after a verb of age ("is tweeënnegentig", "turned
# eighty-seven", "vient de fêter ses septante-neuf ans"). "Twintig jaar" alone is more often
# a duration ("twintig jaar gewerkt"): a bare "N jaar/ans/years" counts only from forty on,
# and never before "geleden", "ago", "de mariage"... (the same exceptions as in digits).
_AGE_UNIT_WORDS = r"(?:[ \t]+(?i:jaar|ans|years?)(?:[ \t]+(?i:oud|old))?)?"
# ... and the clause ends there: not "was veertig jaar postbode" (a duration).
_CLAUSE_END = (
    r"(?=[ \t]*(?:[.,;!?)]|$)|[ \t]+(?i:en|and|et|geworden|toen|when|quand|maar|but|mais"
    r"|oud|old)\b)"
)
_AGE_WORDS = [
    re.compile(
        rf"(?i:(?<![\w-])(?:{_NUM_ALL})(?:[ \t]+|-)(?:jaar[ \t]+oud|years?[ \t-]+old"
        r"|year-old|jarige?)\b)"
    ),
    # "tachtig jaar, en ...", "quatre-vingt-huit ans,": a bare "N jaar" only from forty on and
    # where the clause ends.
    re.compile(
        r"(?i:(?<!sinds )(?<!\bal )(?<!\bna )(?<!elke )(?<!depuis )(?<!pendant )(?<!\by a )"
        r"(?<!\bfor )(?<!\bafter )(?<!\bdans )"
        rf"(?<![\w-])(?:{_NUM_OLD})[ \t]+(?:jaar|ans|years)\b)" + _CLAUSE_END
    ),
    # Verbs that say an age: "turned eighty-seven", "vient d'avoir nonante ans", "werd negentig".
    re.compile(
        r"(?i:\b(?:werd|wordt|turned|turns|turning|aged|age\s+of|âgée?s?\s+de|a\s+eu"
        r"|vient\s+d['’]avoir|venait\s+d['’]avoir|f[êe]t(?:e|er|é|ait)\s+ses|vierde\s+haar"
        r"|vierde\s+zijn|celebrated\s+(?:his|her))\s+)"
        rf"(?P<n>(?i:{_NUM_ALL})){_AGE_UNIT_WORDS}"
    ),
    # ... and weaker ones, where the clause must end: "is tweeënnegentig en", "was ninety."
    re.compile(
        r"(?i:\b(?:ik\s+ben|hij\s+is|zij\s+is|ze\s+is|hij\s+was|zij\s+was|ze\s+was|i'm"
        r"|i\s+am|he's|he\s+is|she's|she\s+is|he\s+was|she\s+was|who\s+is|who\s+was|avait"
        r"|avoir|heeft|is|was|est|était|a)\s+)"
        rf"(?P<n>(?i:{_NUM_ALL})){_AGE_UNIT_WORDS}" + _CLAUSE_END
    ),
    re.compile(rf"(?i:(?<![\w-])(?P<n>{_NUM_ALL})(?:[ \t]+jaar)?(?=[ \t]+geworden\b))"),
]


# The words that only a number of 13 and more is written with ("tachtig", "vingt",
# "ninety", "achtentachtig"): the patterns for numbers in words run only when one is there.
_SMALL = set(
    "un une deux trois quatre cinq six sept huit neuf et a and one two three four five".split()
)
_SMALL |= set(
    "six seven eight nine een twee drie vier vijf zes zeven acht negen en tien dix".split()
)
_SMALL |= {"onze", "douze"}  # Dutch "onze" (our); both also inside longer French numbers
_NUMBER_ATOMS = frozenset(
    atom for word in NUMBER_WORDS for atom in re.split(r"[ -]", word) if atom not in _SMALL
)
_WORDS_LOWER = re.compile(r"[^\W\d_]+")


def ages(text: str) -> list[Candidate]:
    out = []
    patterns = _AGES
    if any(w in _NUMBER_ATOMS for w in _WORDS_LOWER.findall(text.lower())):
        patterns = _AGES + _AGE_WORDS
    for pattern in patterns:
        group = "n" if "n" in pattern.groupindex else 0
        out += [Candidate(m.start(group), m.end(), "age") for m in pattern.finditer(text)]
    return out


# --- room numbers -------------------------------------------------------------------------------

# "kamer 312", "chambre 12", "room 4B", "kamer nr. 7": with a ward and a date, a room names the
# patient. The whole phrase goes (kind "location"): "in [PLAATS]".
_ROOM = re.compile(
    r"(?i:\b(?:kamer|kamernummer|kamernr\.?|chambre|room|box)"
    r"(?:[ \t]+(?:n[°ºo]\.?|nr\.?|nummer|num[ée]ro|number|no\.?))?)[ \t]*(?:n°[ \t]*)?"
    r"\d{1,4}(?:[.-]\d{1,3})?[A-Za-z]?"
    r"(?![\w]|[.,]\d|[ \t]*(?:%|uur|h\b|heures?|o['’]clock|am\b|pm\b))"
)


def rooms(text: str) -> list[Candidate]:
    return _spans(_ROOM, text, "location")


# --- street addresses -------------------------------------------------------------------------

_STRONG_STREET = (
    "straat", "laan", "steenweg", "dreef", "lei", "plein", "kaai", "singel", "vest", "dijk",
    "boulevard", "avenue", "chaussée",
)  # fmt: skip
_WEAK_STREET = (
    "weg", "baan", "markt", "pad", "hof", "berg", "veld", "park", "ring", "plaats", "gracht",
    "kade", "wegel", "heide", "dam", "hoek", "dries", "meers", "kouter", "akker",
)  # fmt: skip
# Squares and streets named without a number: only these endings ("Vrijdagmarkt",
# "Groenplaats", "Muinkkouter"); "Stadspark" or "Zeedijk" alone may be a walk, not an address.
_SQUARE_WORDS = ("markt", "plaats", "kouter", "dries", "meers")
_EVENT_PREFIXES = (
    "kerst", "paas", "jaar", "week", "rommel", "vlooien", "boeren", "zondag", "avond", "nacht",
    "bloemen", "kermis", "winter", "zomer", "super", "hyper", "vis", "groente",
)  # fmt: skip
_HOUSE_NUMBER = re.compile(
    r"[ \t]*,?[ \t]+\d{1,3}(?:[ ]?[a-zA-Z](?![\w]))?(?![\d])"
    r"(?:[ \t]*(?:bus|bte|boîte|/)[ \t]*\d{1,4}[a-zA-Z]?)?"
)
_FR_PARTICLE = r"(?:(?:de\s+la|de\s+l['’]|des|du|de|d['’]|la|le|les|l['’]|aux|au|et)\s*)?"
_FR_NAME = r"[A-ZÀ-Ý][\w'’-]*"
_FR_STREET = re.compile(
    r"(?:\b\d{1,4}(?:\s?(?:bis|ter|[a-z]))?,?\s+)?"
    r"(?<![\w-])(?P<kw>(?i:rue|avenue|av\.|chauss[ée]e|boulevard|bd|place|quai|chemin|all[ée]e|impasse"
    r"|square|route|dr[èe]ve|clos|sentier|rempart|galerie|parvis|passage))\s+"
    rf"{_FR_PARTICLE}{_FR_NAME}(?:\s+{_FR_PARTICLE}{_FR_NAME}){{0,3}}"
    r"(?P<num>,?\s+\d{1,4}(?:\s?[a-zA-Z](?!\w))?(?:\s*(?:bte|boîte|bus|/)\s*\d+)?)?"
)
_FR_WEAK = {"place", "route", "chemin", "square", "clos", "sentier", "galerie", "parvis", "passage"}
_EN_STREET_WORDS = (
    r"Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Close|Way|Court|Ct|Place|Crescent|Terrace"
    r"|Gardens|Square|Grove|Row|Hill|Walk|Mews|Parade|Boulevard"
)
_EN_STREET = re.compile(
    rf"\b\d{{1,4}}[A-Za-z]?,?\s+(?:[A-Z][\w'’-]*\s+){{1,3}}(?:{_EN_STREET_WORDS})\b\.?"
)
_EN_NAMED_STREET = re.compile(
    r"\b(?P<name>(?:[A-Z][\w'’-]*\s+){1,3})(?:Street|Road|Avenue|Lane|Crescent|Terrace|Boulevard)\b"
)
_UK_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b")


def addresses(text: str, tokens: list[Token]) -> list[Candidate]:
    out = []
    for i, tok in enumerate(tokens):
        low = tok.text.lower()
        if not lx.is_capitalised(tok.text) or not low.endswith(_STRONG_STREET + _WEAK_STREET):
            continue
        start = tok.start
        k = i
        while k > 0 and i - k < 3 and _gap(text, tokens[k - 1], tokens[k]).isspace():
            prev = tokens[k - 1].text
            if not lx.is_capitalised(prev) or prev in lx.STOP_CAPS or lx.is_staff_role(prev):
                break
            k -= 1
            start = tokens[k].start
        number = _HOUSE_NUMBER.match(text, tok.end)
        strong = low.endswith(_STRONG_STREET) and (len(low) > 8 or k < i)
        suffix = next((w for w in _SQUARE_WORDS if low.endswith(w)), "")
        if low.startswith(_EVENT_PREFIXES):
            suffix = ""  # "op de Kerstmarkt", "naar de Jaarmarkt": an event
        # "over de Vrijdagmarkt", "op de Groenplaats": a compound square or street name after
        # a locative and an article (not "de Markt", not a word the lists keep).
        weak_named = (
            len(low) >= len(suffix) + 3
            and tok.text not in lx.KEEP_WORDS
            and k >= 2
            and tokens[k - 1].text.lower() in _LOCATIVE_ARTICLE
            and tokens[k - 2].text.lower() in _LOCATIVE | {"over", "langs", "rond", "van"}
        )
        if number:
            out.append(Candidate(start, number.end(), "address"))
        elif (strong and low not in {"straat", "laan", "plein", "boulevard", "avenue"}) or (
            suffix and weak_named
        ):
            out.append(Candidate(start, tok.end, "address"))
    for m in _FR_STREET.finditer(text):
        if m.group("kw").lower() in _FR_WEAK and not (m.group("num") or m.group()[0].isdigit()):
            continue
        out.append(Candidate(m.start(), m.end(), "address"))
    out += _spans(_EN_STREET, text, "address")
    for m in _EN_NAMED_STREET.finditer(text):
        words = m.group("name").split()
        if words[0] in lx.STOP_CAPS:
            continue
        out.append(Candidate(m.start(), m.end(), "address"))
    out += _spans(_UK_POSTCODE, text, "address")
    out += _spans(_STEENWEG_OP, text, "address")
    out += _named_places_with_number(text, tokens)
    return out


# "Steenweg op Mol 8", "Zandvoordestraat"... a Flemish road named after the town it leads to.
_STEENWEG_OP = re.compile(
    r"\b(?:[A-Z][\w-]*[Ss]teenweg|Steenweg|Baan|Weg|Chaussée)[ \t]+(?:op|naar|de|d['’])[ \t]*"
    r"[A-Z][\w'’-]+(?:[ \t]*,?[ \t]+\d{1,4}(?:[ ]?[a-zA-Z](?!\w))?(?!\d))?"
)
# A street or square whose name has no street word ("Meir 45", "Kouter 12", "Dorp 14",
# "Grote Markt 1"), after a word that says where: "op de", "aan de", "in", "naar", "at"...
_LOCATIVE = frozenset(
    "op aan in naar bij te nabij richting via from at to on in au à habite habitait woont "
    "woonde wonen woonden wonend vanuit".split()
)
_LOCATIVE_ARTICLE = frozenset("de het den la le l' the".split())
# Capitalised words that take a number and are no street: rooms, wards, buses, numbered things.
_NOT_STREET = frozenset(
    "Kamer Chambre Room Bed Lit Box Blok Bloc Block Verdieping Etage Étage Niveau Floor Level "
    "Zaal Salle Ward Bay Unit Eenheid Afdeling Service Route Lijn Ligne Line Bus Tram Trein "
    "Train Gate Poort Porte Fase Phase Stage Stadium Graad Grade Type Covid COVID Corona "
    "Hoofdstuk Chapitre Chapter Psalm Artikel Article Nummer Numéro Number Nr No Seizoen Season "
    "Week Semaine Dag Jour Day Jaar Année Year Versie Version Campus Site Kanaal Channel "
    "Windows iPhone iPad Galaxy Android Schema Protocol Cycle Cyclus Kuur Cure Dosis Dose "
    "Omloop Ronde Tour Sprint Hal Halle Gebouw Building Bâtiment Pavillon Paviljoen Vleugel "
    "Wing Aile Lokaal Local Tafel Table Stoel Zetel Fauteuil Plaats Place Spot".split()
)
_UNIT_AFTER = re.compile(
    r"\s*(?:%|kg|g\b|cm|mm|m\b|km|l\b|ml|uur|u\b|h\b|min|sec|jaar|ans?\b|years?|dagen|days|"
    r"jours|weken|weeks|semaines|maanden|months|mois|keer|fois|times|euro|€|°|graden|punten|"
    r"points|[:.,/]\d|x\b|keer)",
    re.I,
)


def _named_places_with_number(text: str, tokens: list[Token]) -> list[Candidate]:
    out = []
    for i, tok in enumerate(tokens):
        number = _HOUSE_NUMBER.match(text, tok.end)
        if not number or _UNIT_AFTER.match(text, number.end()) or not lx.is_capitalised(tok.text):
            continue
        if number.group().lstrip()[:1] == ",":  # "in Gent, 3 weken": a list, not a number
            continue
        end = number.end()
        letter = re.search(r"\d[ \t]+([^\W\d_])$", number.group())
        if letter and letter.group(1) in "aAàIiyeEoOu":  # "on Rowan 1 a long time"
            end = number.start() + letter.start() + 1
        # The name: this word and up to two capitalised words before it ("Grote Markt").
        start = i
        while (
            start > 0
            and i - start < 2
            and _is_space(_gap(text, tokens[start - 1], tokens[start]))
            and lx.is_capitalised(tokens[start - 1].text)
            and not lx.blocks_name(tokens[start - 1].text)
        ):
            start -= 1
        words = [t.text for t in tokens[start : i + 1]]
        if any(
            w in _NOT_STREET or w in lx.STOP_CAPS or w in lx.KEEP_WORDS or lx.is_staff_role(w)
            for w in words[-1:]
        ) or any(w in lx.STOP_CAPS or w in lx.KEEP_WORDS for w in words):
            continue
        # What comes before: a locative word, perhaps with an article.
        k = start - 1
        if k >= 0 and tokens[k].text.lower() in _LOCATIVE_ARTICLE:
            k -= 1
        if k < 0 or tokens[k].text.lower() not in _LOCATIVE:
            continue
        out.append(Candidate(tokens[start].start, end, "address"))
    return out


# --- hospitals and care organisations ---------------------------------------------------------

# Keywords that are part of the name ("AZ Groeninge", "Clinique Saint-Jean").
_INST_LEAD = frozenset(
    "AZ UZ UZA ZNA GZA ZOL WZC CHU CHR CHC CHIREC PZ PC OPZ RZ ASZ RVT MRS MRPA Ziekenhuis "
    "Kliniek Clinique Cliniques Hôpital Hôpitaux Hospital Hospitaal Woonzorgcentrum Rusthuis "
    "Revalidatiecentrum Revalidatieziekenhuis Zorgcentrum Dienstencentrum Residentie Résidence "
    "Hospice Infirmary Clinic Kinderziekenhuis Zorggroep Zorgnetwerk Dagcentrum Campus "
    # home care, care homes, health insurers: "Thuiszorg Vleminckx", "Home Les Lilas"
    "Thuiszorg Thuisverpleging Home Huize Seniorie Serviceflats Assistentiewoningen "
    "Mutualité Mutualiteit Ziekenfonds Maison Centre Hôpitaux Groupe Institut Instituut".split()
)
# Keywords that end a name ("Jessa Ziekenhuis", "St Mary's Hospital").
_INST_TAIL = frozenset(
    "Ziekenhuis Kliniek Hospital Hospice Infirmary Clinic Kinderziekenhuis Hospitaal "
    "Ziekenhuizen Clinique".split()
)
_INST_COMPOUND = ("ziekenhuis", "kliniek", "hospitaal", "zorgcentrum", "revalidatiecentrum")
# Common nouns after which a capitalised name is an institution's: only the name goes.
_INST_NOUNS = frozenset(
    "ziekenhuis kliniek woonzorgcentrum wzc rusthuis revalidatiecentrum zorgcentrum "
    "dienstencentrum hospitaal residentie campus woongroep leefgroep dagcentrum clinique "
    "hôpital résidence hospital hospice clinic home".split()
)
_INST_TWO_WORD_NOUNS = {
    ("maison", "de repos"),
    ("maison", "de soins"),
    ("centre", "hospitalier"),
    ("care", "home"),
    ("nursing", "home"),
    ("psychiatrisch", "centrum"),
    ("psychiatrisch", "ziekenhuis"),
}
_INST_PARTICLES = frozenset(
    "de du des la le l' van ter ten 't het den der of the et en De Het La Le Les The Ter Ten Den "
    "Du Des Van Sint Saint Sainte St".split()
)
_INST_ADJECTIVES = frozenset(
    "universitaire universitaires universitair psychiatrique psychiatrisch général générale "
    "régional régionale algemeen stedelijk hospitalier".split()
)


def _gap(text: str, a: Token, b: Token) -> str:
    return text[a.end : b.start]


def _is_space(gap: str) -> bool:
    return gap != "" and gap.strip(" \t\u00a0") == ""


def _name_after(text: str, tokens: list[Token], j: int, adjectives: bool) -> int | None:
    """Index of the last token of an institution name starting at token ``j``."""
    last, k = None, j
    while k < len(tokens) and k - j < 7:
        if k > j and not _is_space(_gap(text, tokens[k - 1], tokens[k])):
            break
        word = tokens[k].text
        bare = lx.elided(word)
        if word in _INST_PARTICLES or (adjectives and word in _INST_ADJECTIVES):
            pass
        elif (lx.is_capitalised(bare) or (word.isupper() and len(word) > 1)) and not (
            word in lx.STOP_CAPS or word in lx.KEEP_WORDS
        ):
            last = k
        elif re.fullmatch(r"[A-Z]?\d{1,2}[A-Z]?", word):
            last = k
        else:
            break
        k += 1
    return last


def institutions(text: str, tokens: list[Token]) -> list[Candidate]:
    out = [
        Candidate(tokens[a].start, tokens[b].end, "institution")
        for a, b in lx.institutions().find(text, tokens)
    ]
    for i, tok in enumerate(tokens):
        word = lx.elided(tok.text)
        low = word.lower()
        if word != tok.text:  # "l'Hôpital Erasme": the name starts after the elision
            tok = Token(tok.end - len(word), tok.end, word)
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        # "maison de repos Les Tilleuls", "nursing home Oakwood": skip the noun, keep the name.
        two = next(
            (
                n
                for first, rest in _INST_TWO_WORD_NOUNS
                if low == first
                and (n := _match_words(text, tokens, i + 1, rest.split())) is not None
            ),
            None,
        )
        if two is not None:
            end = _name_after(text, tokens, two + 1, adjectives=False)
            if end is not None and _is_space(_gap(text, tokens[two], tokens[two + 1])):
                start = tok.start if word[0].isupper() else tokens[two + 1].start
                out.append(Candidate(start, tokens[end].end, "institution"))
            continue
        if word in _INST_LEAD and nxt and _is_space(_gap(text, tok, nxt)):
            end = _name_after(text, tokens, i + 1, adjectives=True)
            if end is not None:
                out.append(Candidate(tok.start, tokens[end].end, "institution"))
                continue
        if word in {"Ter", "Huize", "Hof"} and nxt and _is_space(_gap(text, tok, nxt)):
            # "Ter Biest", "Huize Sint-Jozef", "Hof ter Beke": a care home's name.
            k = i + 1
            if word == "Hof" and nxt.text in {"ter", "ten", "van"} and k + 1 < len(tokens):
                k += 1
            if lx.is_capitalised(tokens[k].text) and not lx.blocks_name(tokens[k].text):
                if _is_space(_gap(text, tokens[k - 1], tokens[k])):
                    out.append(Candidate(tok.start, tokens[k].end, "institution"))
                    continue
        if low in _INST_NOUNS and word == low and nxt and _is_space(_gap(text, tok, nxt)):
            end = _name_after(text, tokens, i + 1, adjectives=False)
            if end is not None:
                out.append(Candidate(nxt.start, tokens[end].end, "institution"))
                continue
        compound = (
            lx.is_capitalised(word)
            and low.endswith(_INST_COMPOUND)
            and ("-" in word or low not in _INST_NOUNS)
        )
        if word in _INST_TAIL or compound:
            start = i
            while start > 0 and _is_space(_gap(text, tokens[start - 1], tokens[start])):
                prev = tokens[start - 1].text
                if (
                    prev in lx.STOP_CAPS
                    and prev not in _INST_PARTICLES
                    or not (lx.is_capitalised(prev) or prev in {"St", "Sint", "Saint"})
                ):
                    break
                if prev in {"De", "Het", "The", "Le", "La", "Les"}:
                    break
                start -= 1
            end = _name_after(text, tokens, i + 1, adjectives=False) if nxt else None
            if end is not None and not _is_space(_gap(text, tok, tokens[i + 1])):
                end = None
            if start < i or end is not None or ("-" in word and compound):
                last = tokens[end].end if end is not None else tok.end
                out.append(Candidate(tokens[start].start, last, "institution"))
    return out


def _match_words(text: str, tokens: list[Token], i: int, words: list[str]) -> int | None:
    """Index of the last token when tokens from ``i`` spell ``words`` (any case)."""
    for n, w in enumerate(words):
        k = i + n
        if k >= len(tokens) or tokens[k].text.lower() != w:
            return None
        if not _is_space(_gap(text, tokens[k - 1], tokens[k])):
            return None
    return i + len(words) - 1


# --- municipalities ---------------------------------------------------------------------------

_POSTCODE_BEFORE = re.compile(r"(?:\b(?:B|BE)-)?(?<![\d-])\b[1-9]\d{3}[ \t]+$")


def places(text: str, tokens: list[Token]) -> list[Candidate]:
    out = []
    for a, b in lx.municipalities().find(text, tokens):
        start, end = tokens[a].start, tokens[b].end
        if a == b and tokens[a].text in lx.PLACES_ALSO_WORDS and lx.is_sentence_start(text, start):
            continue
        postcode = _POSTCODE_BEFORE.search(text, max(0, start - 12), start)
        if postcode:
            out.append(Candidate(postcode.start(), end, "address"))
        else:
            out.append(Candidate(start, end, "location"))
    return out


# --- names ------------------------------------------------------------------------------------

_SHIFT_AFTER = re.compile(
    r"[ \t]+(?:(?i:van\s+de|uit\s+de)\s+(?:\w*dienst|\w*ploeg|nacht|keuken|onthaal|kin[eé]|spoed"
    r"|equipe|[ée]quipe|team)\b"
    r"|(?i:from|on)\s+(?:the\s+)?(?:(?:night|day|late|early|weekend|evening)\s+)?"
    r"(?:shift|shifts|nights|team|ward|staff)\b"
    r"|(?i:de\s+(?:l['’][ée]quipe\s+de\s+nuit|garde|nuit)|du\s+service|de\s+l['’][ée]quipe)\b)"
)
_APPOSITION_DETERMINERS = frozenset(
    "een onze mijn de het one our my a an the une un notre ma mon la le l' ons".split()
)


def _adjacent_before(text: str, tokens: list[Token], i: int, dot: bool = False) -> str | None:
    """The word right before token ``i`` (only spaces, or an abbreviation's full stop, between)."""
    if i == 0:
        return None
    gap = _gap(text, tokens[i - 1], tokens[i])
    if _is_space(gap):
        return tokens[i - 1].text
    if dot and gap.startswith(".") and _is_space(gap[1:]):
        return tokens[i - 1].text + "."
    return None


def _staff_context_after(text: str, tokens: list[Token], i: int, end: int) -> bool:
    """ "Marleen, een collega ...", "Katrien, one of our nurses", "Ahmed van de nachtdienst"."""
    if _SHIFT_AFTER.match(text, end):
        return True
    if i + 1 >= len(tokens) or not re.fullmatch(r"\s*,\s*", _gap(text, tokens[i], tokens[i + 1])):
        return False
    if tokens[i + 1].text.lower() not in _APPOSITION_DETERMINERS and not lx.is_staff_role(
        tokens[i + 1].text
    ):
        return False
    for k in range(i + 1, min(i + 7, len(tokens))):
        if k > i + 1 and not _is_space(_gap(text, tokens[k - 1], tokens[k])):
            return False
        if lx.is_staff_role(tokens[k].text):
            return True
    return False


_LOWER_PARTICLES = frozenset(
    "van vande vanden vander de den der ter ten le la du des da di".split()
)


def _apposition_after(text: str, tokens: list[Token], i: int) -> str | None:
    """ "staff" or "kin" when token ``i`` is followed by ", (determiner) role/relative"."""
    if i + 1 >= len(tokens) or not re.fullmatch(
        r"[ \t]*,[ \t]*", _gap(text, tokens[i], tokens[i + 1])
    ):
        return None
    k = i + 1
    if tokens[k].text.lower() in _APPOSITION_DETERMINERS | lx.POSSESSIVES:
        k += 1
    for n in range(k, min(k + 2, len(tokens))):
        if n > i + 1 and not _is_space(_gap(text, tokens[n - 1], tokens[n])):
            return None
        if lx.is_staff_role(tokens[n].text):
            return "staff"
        if lx.is_kin(tokens[n].text) and k > i + 1:  # "Eleanor, my sister-in-law"
            return "kin"
    return None


def _surname_after_particle(text: str, tokens: list[Token], i: int) -> int | None:
    """Index of the last token of a surname opened by the particle at ``i`` ("Van der
    Heyden", "De Clercq", "Vanden Abeele"), or None when no capitalised name follows."""
    k = i + 1
    while (
        k < len(tokens)
        and k - i < 3
        and tokens[k].text in lx.PARTICLE_INNER
        and _is_space(_gap(text, tokens[k - 1], tokens[k]))
    ):
        k += 1
    last = None
    while k < len(tokens) and _is_space(_gap(text, tokens[k - 1], tokens[k])):
        word = lx.base_word(tokens[k].text)
        if not _name_word(word) or word in lx.SURNAME_PARTICLES:
            break
        last, k = k, k + 1
        if last - i >= 4:
            break
    return last


def _name_word(word: str) -> bool:
    return lx.is_capitalised(word) and not lx.blocks_name(word)


def names(text: str, tokens: list[Token]) -> list[Candidate]:
    firsts = lx.first_names()
    out: list[Candidate] = []
    taken = -1  # index of the last token already used by a name
    for i, tok in enumerate(tokens):
        if i <= taken:
            continue
        word = lx.base_word(tok.text)
        if word in _LOWER_PARTICLES:
            # "mevrouw van den Bossche", "madame de Villers": after a title, a lowercase
            # particle opens the surname.
            title = _adjacent_before(text, tokens, i, dot=True)
            last = _surname_after_particle(text, tokens, i)
            if title is not None and title.rstrip(".") in lx.PERSON_TITLES and last is not None:
                end = tokens[last].start + len(lx.base_word(tokens[last].text))
                out.append(Candidate(tok.start, end, "person"))
                taken = last
            continue
        if not lx.is_capitalised(word) or word in lx.NEVER_NAMES:
            continue
        if word.rstrip(".") in lx.PERSON_TITLES:
            continue  # "Mme Renard": the title stays, the name after it goes
        before = _adjacent_before(text, tokens, i, dot=True)
        before_comma = None
        if i > 0 and re.fullmatch(r"\s*,\s*", _gap(text, tokens[i - 1], tokens[i])):
            before_comma = tokens[i - 1].text
        prev2 = tokens[i - 2].text.lower() if i >= 2 else ""
        after_role = before is not None and (
            lx.is_staff_role(before.rstrip(".")) or before in lx.STAFF_TITLES
        )
        if (
            after_role
            and before.lower().rstrip(".") in {"zuster", "sister"}
            and (prev2 in lx.POSSESSIVES)
        ):
            after_role = False  # "mijn zuster Anna", "my sister Anna": family
        # "Our cleaner, Rosalind, ...", "Notre aide-soignante, Fatoumata, ...": a role, a
        # comma, and a capitalised word closed by a comma or the sentence's end.
        if (
            not after_role
            and before_comma is not None
            and (
                lx.is_staff_role(before_comma)
                or (
                    i >= 2
                    and lx.is_staff_role(tokens[i - 2].text)
                    and _is_space(_gap(text, tokens[i - 2], tokens[i - 1]))
                    and tokens[i - 1].text.islower()
                )
            )
            and re.match(r"[ \t]*(?:[,;:.!?)]|$|[ \t]+[-–—])", text[tok.start + len(word) :])
            and not lx.blocks_name(word)
        ):
            after_role = True  # "Mon infirmière préférée, Ségolène, ..." too
        after_title = before is not None and before.rstrip(".") in lx.PERSON_TITLES
        kin_word = before or before_comma
        after_kin = kin_word is not None and lx.is_kin(kin_word)
        after_naming = before is not None and lx.elided(before).lower() in lx.NAMING_WORDS
        known = word in firsts and not (
            word in lx.NAMES_ALSO_WORDS and lx.is_sentence_start(text, tok.start)
        )
        # "dokter Van Damme", "mevrouw De Wilde", "monsieur Le Bihan": a capitalised particle
        # after a role, title or relative opens a surname.
        particle_start = (
            word in lx.SURNAME_PARTICLES
            and (after_role or after_title or after_kin or after_naming)
            and _surname_after_particle(text, tokens, i) is not None
        )
        if particle_start:
            last = _surname_after_particle(text, tokens, i)
            end = tokens[last].start + len(lx.base_word(tokens[last].text))
            out.append(Candidate(tok.start, end, "person"))
            taken = last
            continue
        if lx.blocks_name(word) and not (known and (after_role or after_kin)):
            continue
        # "We belden Gwendolien, onze thuisverpleegster, ...", "Eleanor, my sister-in-law,":
        # inside a sentence, a capitalised word followed by an apposition that says who.
        appositive = None
        if not (after_role or after_title or after_kin or after_naming or known):
            if (
                not lx.is_sentence_start(text, tok.start)
                and not lx.blocks_name(word)
                and word not in lx.municipalities()  # "in Leuven, my husband ...": a place
            ):
                appositive = _apposition_after(text, tokens, i)
            if appositive is None:
                continue
        # The name runs on over surnames: "Jan Peeters", "Sofie Van den Bossche".
        last, k = i, i + 1
        while k < len(tokens) and k - i < 5 and _is_space(_gap(text, tokens[k - 1], tokens[k])):
            nxt = lx.base_word(tokens[k].text)
            if nxt in lx.PARTICLES:
                k += 1
                continue
            if not _name_word(nxt) or nxt in lx.PLACES_ALSO_WORDS and nxt not in firsts:
                break
            last, k = k, k + 1
        name_end = tok.start + len(word)
        end = tokens[last].start + len(lx.base_word(tokens[last].text))
        staff = word in firsts and (
            after_role
            or (not (after_title or after_kin) and _staff_context_after(text, tokens, i, name_end))
        )
        if staff:
            out.append(Candidate(tok.start, name_end, "staff_first_name"))
            if last > i:
                out.append(Candidate(tokens[i + 1].start, end, "person"))
        else:
            out.append(Candidate(tok.start, end, "person"))
        taken = last
    return out


# --- names: the other mentions of a name found once --------------------------------------------

_DIMINUTIVE = ("tje", "je", "ke", "ie", "y", "ou", "ette", "tte")
_NOT_A_MENTION = frozenset("Sint Saint Sainte St Ste".split())


def _name_parts(word: str) -> list[str]:
    parts = [word]
    if "-" in word:
        parts += [p for p in word.split("-") if len(p) >= 3]
    return parts


def other_mentions(
    text: str, candidates: list[Candidate], common_word=lambda word: False
) -> list[Candidate]:
    """What a name found once says about the rest of the text:

    - a capitalised particle right before a found surname belongs to it ("De [NAAM]" ->
      "[NAAM]"): De, Van, Van der, Vanden, Le, Du...;
    - every other mention of a found name's words is a name too ("Lemaire" alone at the
      start of a sentence, after a comma, after "Sans"), with the same kind (a staff first
      name stays one);
    - a short form or nickname of a found name, inside a sentence: "Alex" for "Alexandra",
      "Chris" for "Christopher", "Fientje" for "Josefien"; at the start of a sentence only
      from four letters on and when ``common_word`` (the language's list) does not know it.
    """
    tokens = lx.tokenize(text)
    if not tokens:
        return []
    by_start = {t.start: n for n, t in enumerate(tokens)}
    names = [c for c in candidates if c.kind in ("person", "staff_first_name")]
    out: list[Candidate] = []

    for c in names:
        n = by_start.get(c.start)
        if n is None or c.kind != "person":
            continue
        k = n
        while (
            k > 0
            and n - k < 3
            and tokens[k - 1].text in lx.PARTICLE_INNER
            and _is_space(_gap(text, tokens[k - 1], tokens[k]))
        ):
            k -= 1
        if k == 0 or not _is_space(_gap(text, tokens[k - 1], tokens[k])):
            continue
        head = tokens[k - 1].text
        if head not in lx.SURNAME_PARTICLES or any(
            o.kind not in ("person", "staff_first_name") and o.start <= c.start < o.end
            for o in candidates
        ):
            continue  # "het Jessa": deduce's person is an institution's name
        if tokens[n].text in lx.first_names() and lx.is_sentence_start(text, tokens[k - 1].start):
            continue  # "Van Jan kreeg ik bloemen": a preposition
        out.append(Candidate(tokens[k - 1].start, c.end, "person"))

    kinds: dict[str, str] = {}
    for c in names:
        for tok in lx.tokenize(text[c.start : c.end]):
            word = lx.base_word(tok.text)
            if (
                len(word) < 2
                or word in lx.PARTICLES
                or word in lx.SURNAME_PARTICLES
                or word in _NOT_A_MENTION
                or word.rstrip(".") in lx.PERSON_TITLES
                or not lx.is_capitalised(word)
                or lx.blocks_name(word)
            ):
                continue
            for part in _name_parts(word):
                if kinds.get(part) != "person":
                    kinds[part] = c.kind
    if not kinds:
        return out

    covered = set()
    for c in candidates:
        covered.update(range(c.start, c.end))
    long_names = [w for w in kinds if len(w) >= 5]
    for tok in tokens:
        if tok.start in covered:
            continue
        word = lx.base_word(tok.text)
        if not lx.is_capitalised(word) or lx.blocks_name(word) or word in _NOT_A_MENTION:
            continue
        start_of_sentence = lx.is_sentence_start(text, tok.start)
        kind = kinds.get(word)
        if kind is not None:
            if start_of_sentence and word in lx.NAMES_ALSO_WORDS:
                continue
            out.append(Candidate(tok.start, tok.start + len(word), kind))
            continue
        if len(word) < 3 or "-" in word:
            continue
        if start_of_sentence and (
            len(word) < 4 or word in lx.NAMES_ALSO_WORDS or common_word(word)
        ):
            continue
        low = word.lower()
        stem = next((low[: -len(s)] for s in _DIMINUTIVE if low.endswith(s)), None)
        for full in long_names:
            f = full.lower()
            short = f.startswith(low) and len(low) <= len(f) - 2
            nick = stem is not None and len(stem) >= 3 and (f.endswith(stem) or f.startswith(stem))
            if short or nick:
                out.append(Candidate(tok.start, tok.start + len(word), kinds[full]))
                break
    return out
