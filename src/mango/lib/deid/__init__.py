"""De-identification of a story before anyone but its moderator reads it.

``deidentify(text, language)`` returns the redacted text and the spans it found, with their
positions in the original text. Dutch goes through deduce (built for Dutch medical text) and
the rules; French and English through the rules alone. The rules (``rules.py``) run on every
story: Belgian hospitals, care organisations and municipalities from hand-made lists in
``data/``, dates without a year, phone numbers, e-mail and web addresses, street addresses,
ages (also in words: "achtentachtig", "quatre-vingt-huit", "ninety-three"), room numbers
(kind ``location``), national register numbers and IBANs (both checksum-validated), and names
found from a first-name list, from the word before them (a staff role, a title, a relative)
or from an apposition ("our cleaner, Rosalind,"). A name found once is then removed wherever
else it stands, with its short forms ("Alex" for "Alexandra") and the capitalised particles
before it ("De Clercq", "Van der Heyden").

Policy: a staff member's first name ("verpleegster Els", "Dr. Martine", "Ahmed van de
nachtdienst") is kind ``staff_first_name``; it stays in the text, with its original in the
span, only when the caller passes ``keep_staff_first_names=True`` (the teller consented to
sharing with staff and the organisation allows it). Every other name, a staff member's surname
included, is always replaced. No span but a kept staff first name carries its original text.

    >>> result = deidentify("Verpleegster Els belde mijn man Jef op 5 januari.", "nl")
    >>> result.text
    'Verpleegster [NAAM] belde mijn man [NAAM] op [DATUM].'

deduce loads in 5-15 s: call ``warm_up()`` once per process (at start-up, not per request).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from . import dutch, rules
from .rules import Candidate, valid_iban, valid_national_number

__all__ = [
    "KINDS",
    "Result",
    "Span",
    "deidentify",
    "redact",
    "replacement",
    "valid_iban",
    "valid_national_number",
    "warm_up",
]

KINDS = (
    "person",
    "staff_first_name",
    "date",
    "age",
    "phone",
    "email",
    "address",
    "location",
    "institution",
    "identifier",
    "url",
)

_TAGS = {
    "nl": {
        "person": "[NAAM]",
        "date": "[DATUM]",
        "age": "[LEEFTIJD]",
        "phone": "[TELEFOON]",
        "email": "[E-MAIL]",
        "address": "[ADRES]",
        "location": "[PLAATS]",
        "institution": "[INSTELLING]",
        "identifier": "[NUMMER]",
        "url": "[URL]",
    },
    "fr": {
        "person": "[NOM]",
        "date": "[DATE]",
        "age": "[ÂGE]",
        "phone": "[TÉLÉPHONE]",
        "email": "[E-MAIL]",
        "address": "[ADRESSE]",
        "location": "[LIEU]",
        "institution": "[ÉTABLISSEMENT]",
        "identifier": "[NUMÉRO]",
        "url": "[URL]",
    },
    "en": {
        "person": "[NAME]",
        "date": "[DATE]",
        "age": "[AGE]",
        "phone": "[PHONE]",
        "email": "[EMAIL]",
        "address": "[ADDRESS]",
        "location": "[PLACE]",
        "institution": "[INSTITUTION]",
        "identifier": "[NUMBER]",
        "url": "[URL]",
    },
}
for _tags in _TAGS.values():
    _tags["staff_first_name"] = _tags["person"]

# When spans of different kinds overlap, the union takes the first kind here; the rules'
# kinds come before deduce's.
_PRECEDENCE = (
    "identifier",
    "email",
    "url",
    "phone",
    "institution",
    "address",
    "date",
    "age",
    "person",
    "location",
)


@dataclass(frozen=True)
class Span:
    """``text[start:end]`` of the original text, to be replaced by ``replacement``.

    ``original`` is None unless policy allows keeping the words (a kept staff first name, whose
    replacement is then the original itself)."""

    kind: str
    start: int
    end: int
    replacement: str
    original: str | None = None


@dataclass(frozen=True)
class Result:
    text: str
    spans: list[Span]


def _language(language: str) -> str:
    code = (language or "").split("-")[0].split("_")[0].lower()
    if code not in _TAGS:
        raise ValueError(f"De-identification knows nl, fr and en, not {language!r}")
    return code


def replacement(kind: str, language: str) -> str:
    """The bracketed tag that replaces a span of ``kind`` in a text in ``language``."""
    if kind not in KINDS:
        raise ValueError(f"Unknown kind of span {kind!r}; one of {', '.join(KINDS)}")
    return _TAGS[_language(language)][kind]


def warm_up():
    """Load deduce now (once per process; later calls return the same instance)."""
    return dutch.get_deduce()


def deidentify(text: str, language: str, *, keep_staff_first_names: bool = False) -> Result:
    lang = _language(language)
    candidates = rules.find_all(text)
    common = None
    if lang == "nl":
        candidates += dutch.candidates(text)
        common = dutch.common_word
    candidates += rules.other_mentions(text, candidates, common or (lambda word: False))
    spans = []
    for start, end, kind in _merge(text, candidates):
        if kind == "staff_first_name" and keep_staff_first_names:
            spans.append(Span(kind, start, end, text[start:end], text[start:end]))
        else:
            spans.append(Span(kind, start, end, _TAGS[lang][kind]))
    return Result(redact(text, spans), spans)


def redact(text: str, spans: Iterable[Span]) -> str:
    """Apply spans (any order) to the original text. Raises ``ValueError`` when a span lies
    outside the text or two spans overlap, so a moderator's edit cannot garble a story."""
    ordered = sorted(spans, key=lambda s: (s.start, s.end))
    out, pos = [], 0
    for span in ordered:
        if not 0 <= span.start <= span.end <= len(text):
            raise ValueError(f"Span {span.start}-{span.end} lies outside a {len(text)}-char text")
        if span.start < pos:
            raise ValueError(f"Span {span.start}-{span.end} overlaps the span before it")
        out += [text[pos : span.start], span.replacement]
        pos = span.end
    out.append(text[pos:])
    return "".join(out)


# --- merging ----------------------------------------------------------------------------------

_EDGE = " \t\n\u00a0.,;:!?()[]{}\"'“”‘’«»-–—/"


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return start, end


def _rank(c: Candidate) -> tuple[int, int]:
    return (0 if c.source == "rules" else 1, _PRECEDENCE.index(c.kind))


def _merge(text: str, candidates: list[Candidate]) -> list[tuple[int, int, str]]:
    """Sorted, non-overlapping (start, end, kind): staff first names as found, every other
    span cut around them, overlapping spans joined, neighbouring names joined."""
    fixed: list[Candidate] = []
    for c in sorted(
        (c for c in candidates if c.kind == "staff_first_name"), key=lambda c: (c.start, -c.end)
    ):
        if not fixed or c.start >= fixed[-1].end:
            fixed.append(c)

    pieces: list[Candidate] = []
    for c in candidates:
        if c.kind == "staff_first_name":
            continue
        parts, start = [], c.start
        for f in fixed:
            if f.end <= start or f.start >= c.end:
                continue
            parts.append((start, f.start))
            start = max(start, f.end)
        parts.append((start, c.end))
        for a, b in parts:
            if a > b:
                continue
            a, b = _trim(text, a, b) if (a, b) != (c.start, c.end) else (a, b)
            if any(ch.isalnum() for ch in text[a:b]):
                pieces.append(Candidate(a, b, c.kind, c.source))

    groups: list[list[Candidate]] = []
    for p in sorted(pieces, key=lambda p: (p.start, -p.end)):
        if groups and p.start < max(q.end for q in groups[-1]):
            groups[-1].append(p)
        else:
            groups.append([p])
    merged = [
        [min(q.start for q in g), max(q.end for q in g), min(g, key=_rank).kind] for g in groups
    ]
    merged += [[f.start, f.end, f.kind] for f in fixed]
    merged.sort()

    out: list[list] = []
    for span in merged:
        if out:
            prev = out[-1]
            gap = text[prev[1] : span[0]]
            same_name = prev[2] == span[2] == "person" and (gap == "" or gap.isspace())
            address = prev[2] == "address" and span[2] in {"address", "location"}
            if same_name or (address and gap.strip(" ,") == "" and "\n" not in gap):
                prev[1] = span[1]
                continue
        out.append(span)
    return [tuple(s) for s in out]
