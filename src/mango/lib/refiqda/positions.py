"""Which unit a file's selection positions count, and moving them to Mango's code points.

REFI-QDA 1.5 (section 10.2) counts ``startPosition``/``endPosition`` in Unicode characters
(code points), as a Python ``str`` indexes text. NVivo counts UTF-16 code units: every
character outside the Basic Multilingual Plane (emoji, some symbols, rare CJK) counts twice,
so each one before a coding shifts it by one more. Both readings agree on a text without
such characters.

For each source the two readings are compared on the selections where they differ:

1. the reading that puts fewer selections past the end of the text (or, for UTF-16, between
   the two halves of a character) wins;
2. then the one that puts more selection ends on word boundaries;
3. on a tie, the reading the file's other sources were found to use;
4. then the file's origin: NVivo (or a file that says it counts UTF-16) means UTF-16,
   anything else the standard.

A source is *doubtful* when even the chosen reading fits badly: a selection past the end,
or at least ``MIN_MISFITS`` selections (and more than ``MAX_MISFIT_SHARE`` of them) starting
or ending inside a word (not counted for Mango's own files, which state their unit).
Importers stop on a doubtful source unless the user accepts it.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass, field

from .model import RefiQdaError

CODE_POINTS = "codepoints"
UTF16 = "utf16"
READINGS = (CODE_POINTS, UTF16)
AUTO = "auto"
UNIT_NAMES = {CODE_POINTS: "Unicode characters (code points)", UTF16: "UTF-16 code units"}

MIN_MISFITS = 3
MAX_MISFIT_SHARE = 0.2
MAX_EXAMPLES = 3

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
# Scripts written without spaces between words: any character boundary may be a word's.
_UNSPACED = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0x20000, 0x3FFFF),  # CJK extensions B and later
)


def written_by_mango(origin: str) -> bool:
    """Mango's own files say in which unit they count: no need to doubt their selections
    for starting inside words (a coder may select half a word)."""
    return (origin or "").strip().startswith("Mango")


def counts_utf16(origin: str) -> bool:
    """Whether a file's ``origin`` names a tool known to count UTF-16 code units."""
    origin = (origin or "").casefold()
    return "nvivo" in origin or "utf-16" in origin


class Utf16Index:
    """Converts between code point and UTF-16 positions of one text, in O(log n)."""

    def __init__(self, text: str):
        self.length = len(text)
        # Code point index of every character outside the BMP, and where its two units start.
        self.astral = [m.start() for m in _ASTRAL.finditer(text)]
        self.units = [i + k for k, i in enumerate(self.astral)]
        self.utf16_length = self.length + len(self.astral)

    def to_code_point(self, unit: int) -> int | None:
        """The code point position of a UTF-16 position; None when it lies outside the text
        or between the two units of one character."""
        if not 0 <= unit <= self.utf16_length:
            return None
        before = bisect_left(self.units, unit)  # characters whose units start before ``unit``
        if before and self.units[before - 1] == unit - 1:
            return None
        return unit - before

    def to_utf16(self, position: int) -> int:
        return position + bisect_left(self.astral, position)

    def astral_before(self, position: int) -> int:
        return bisect_left(self.astral, position)


def _wordy(char: str) -> bool:
    return char.isalnum() or char == "_" or unicodedata.category(char)[0] == "M"


def _unspaced(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _UNSPACED)


def on_boundary(text: str, position: int) -> bool:
    """Whether ``position`` lies between words, not inside one (nor between a letter and
    its accent)."""
    if position <= 0 or position >= len(text):
        return True
    before, after = text[position - 1], text[position]
    if not (_wordy(before) and _wordy(after)):
        return True
    return _unspaced(before) or _unspaced(after)


@dataclass
class Fit:
    """How one reading places a source's selections."""

    reading: str
    on_words: int = 0  # selections with both ends on word boundaries
    inside_words: int = 0  # selections with an end inside a word
    outside: int = 0  # selections past the end (or splitting a character)
    boundary_ends: int = 0  # selection ends on word boundaries (0-2 per selection)
    examples: list[str] = field(default_factory=list)

    @property
    def selections(self) -> int:
        return self.on_words + self.inside_words + self.outside

    @property
    def share_on_words(self) -> float:
        return self.on_words / self.selections if self.selections else 1.0


@dataclass
class Reading:
    """The reading chosen for one source's positions, and why."""

    source: str  # the source's GUID
    name: str
    reading: str  # CODE_POINTS or UTF16
    basis: str  # "agree", "positions", "file", "origin" or "forced"
    fits: dict[str, Fit]
    doubtful: bool = False
    accepted: bool = False  # doubtful, and imported because the user said so

    @property
    def fit(self) -> Fit:
        return self.fits[self.reading]

    @property
    def selections(self) -> int:
        return self.fit.selections

    def describe(self) -> str:
        """One line in English for the command line and the lib's messages."""
        fit = self.fit
        unit = UNIT_NAMES[self.reading]
        why = {
            "agree": "both readings agree (no character outside the BMP before a selection)",
            "positions": "decided by the positions",
            "file": "as the file's other sources",
            "origin": "as the file's origin suggests",
            "forced": "as asked",
        }[self.basis]
        line = (
            f"{self.name}: {unit}, {why}; {fit.on_words} of {fit.selections} selections on "
            "word boundaries"
        )
        other = self.fits.get(UTF16 if self.reading == CODE_POINTS else CODE_POINTS)
        if self.basis == "positions" and other is not None:
            line += f" (read as {UNIT_NAMES[other.reading]}: {other.on_words}"
            if other.outside:
                line += f", {other.outside} outside the text"
            line += ")"
        if fit.outside:
            line += f"; {fit.outside} outside the text, cut at its end"
        if self.accepted:
            line += "; imported although the positions fit badly"
        return line

    def as_dict(self) -> dict:
        """Counts only, no text: fit for an audit record."""
        fit = self.fit
        return {
            "reading": self.reading,
            "basis": self.basis,
            "selections": fit.selections,
            "on_words": fit.on_words,
            "inside_words": fit.inside_words,
            "outside": fit.outside,
            "accepted": self.accepted,
        }


def _snippet(text: str, start: int, end: int) -> str:
    piece = text[max(start, 0) : min(end, len(text))]
    if len(piece) > 30:
        piece = piece[:30] + "…"
    return piece.replace("\n", " ")


def _code_points(spans, reading: str, index: Utf16Index):
    """Each span in code points, or None where the reading puts it outside the text."""
    if reading == CODE_POINTS:
        return [(s, e) if 0 <= s <= e <= index.length else None for s, e in spans]
    converted = []
    for s, e in spans:
        start, end = index.to_code_point(s), index.to_code_point(e)
        converted.append((start, end) if start is not None and end is not None else None)
    return converted


def fit(text: str, spans, reading: str, index: Utf16Index | None = None) -> Fit:
    """How ``reading`` places ``spans`` (raw (start, end) pairs) on ``text``."""
    index = index or Utf16Index(text)
    result = Fit(reading)
    size = index.length if reading == CODE_POINTS else index.utf16_length
    unit = "characters" if reading == CODE_POINTS else "UTF-16 units"
    for (raw_start, raw_end), span in zip(spans, _code_points(spans, reading, index), strict=True):
        if span is None:
            result.outside += 1
            if len(result.examples) < MAX_EXAMPLES:
                if raw_end > size:
                    why = f"lies outside the text, which has {size} {unit}"
                else:
                    why = "cuts a character outside the BMP in two"
                result.examples.append(f"the selection {raw_start}–{raw_end} {why}")
            continue
        start, end = span
        ends = on_boundary(text, start) + on_boundary(text, end)
        result.boundary_ends += ends
        if ends == 2:
            result.on_words += 1
            continue
        result.inside_words += 1
        if len(result.examples) < MAX_EXAMPLES:
            result.examples.append(
                f"the selection {raw_start}–{raw_end} “{_snippet(text, start, end)}” "
                "starts or ends inside a word"
            )
    return result


def doubtful(result: Fit) -> bool:
    if result.outside:
        return True
    return (
        result.inside_words >= MIN_MISFITS
        and result.inside_words > MAX_MISFIT_SHARE * result.selections
    )


@dataclass
class SourceSpans:
    """What a reader found in one source: its text and raw selection positions."""

    guid: str
    name: str
    text: str
    spans: list[tuple[int, int]]


def _better(a: Fit, b: Fit) -> int:
    """1 when ``a`` places the selections better than ``b``, -1 when worse, 0 on a tie."""
    key_a, key_b = (-a.outside, a.boundary_ends), (-b.outside, b.boundary_ends)
    return (key_a > key_b) - (key_a < key_b)


def choose(sources: list[SourceSpans], origin: str, forced: str = AUTO) -> list[Reading]:
    """The reading of each source's positions (see the module's description)."""
    if forced not in (AUTO, *READINGS):
        raise ValueError(f"Unknown reading of positions: {forced!r}")
    readings: list[Reading] = []
    undecided: list[int] = []
    for source in sources:
        index = Utf16Index(source.text)
        top = max((e for _, e in source.spans), default=0)
        # The readings differ only from the first character outside the BMP on.
        agree = not index.astral or index.astral[0] >= top
        fits = {CODE_POINTS: fit(source.text, source.spans, CODE_POINTS, index)}
        if not agree or forced == UTF16:
            fits[UTF16] = fit(source.text, source.spans, UTF16, index)
        if forced != AUTO:
            chosen, basis = forced, "forced"
        elif agree:
            chosen, basis = CODE_POINTS, "agree"
        else:
            verdict = _better(fits[CODE_POINTS], fits[UTF16])
            chosen, basis = {1: CODE_POINTS, -1: UTF16, 0: None}[verdict], "positions"
            if chosen is None:
                undecided.append(len(readings))
        readings.append(Reading(source.guid, source.name, chosen, basis, fits))
    decided = [r.reading for r in readings if r.basis == "positions" and r.reading]
    if decided and decided.count(UTF16) != decided.count(CODE_POINTS):
        majority, basis = max(READINGS, key=decided.count), "file"
    else:
        majority, basis = (UTF16 if counts_utf16(origin) else CODE_POINTS), "origin"
    for i in undecided:
        readings[i].reading, readings[i].basis = majority, basis
    trusted = written_by_mango(origin)
    for reading in readings:
        reading.doubtful = reading.fit.outside > 0 if trusted else doubtful(reading.fit)
    return readings


def convert(text: str, spans, reading: str) -> list[tuple[int, int]]:
    """``spans`` in code points of ``text``; positions past the end are cut at the end, and
    a position inside a character's two UTF-16 units moves to that character's start."""
    index = Utf16Index(text)
    out = []
    for start, end in spans:
        out.append((_clip(start, reading, index), _clip(end, reading, index)))
    return out


def _clip(position: int, reading: str, index: Utf16Index) -> int:
    if reading == CODE_POINTS:
        return min(max(position, 0), index.length)
    position = min(max(position, 0), index.utf16_length)
    found = index.to_code_point(position)
    return found if found is not None else index.to_code_point(position - 1)


def to_utf16(text: str, spans) -> list[tuple[int, int]]:
    """Code point ``spans`` of ``text`` as UTF-16 positions (for tools that count them)."""
    index = Utf16Index(text)
    return [(index.to_utf16(s), index.to_utf16(e)) for s, e in spans]


class PositionsDoubtful(RefiQdaError):
    """Some source's positions fit neither reading; ``readings`` says which and how."""

    def __init__(self, readings: list[Reading]):
        super().__init__(doubt_message(readings))
        self.readings = readings


def doubt_message(readings: list[Reading]) -> str:
    """Why an import stops: the doubtful sources, each with examples (English)."""
    parts = []
    for reading in readings:
        if not reading.doubtful:
            continue
        fit = reading.fit
        counted = []
        if fit.outside:
            counted.append(f"{fit.outside} past the end of the text")
        if fit.inside_words:
            counted.append(f"{fit.inside_words} starting or ending inside a word")
        parts.append(
            f"The positions of the source {reading.name!r} fit neither Unicode characters "
            f"(the standard) nor UTF-16 units (NVivo): of {fit.selections} selections, "
            + " and ".join(counted)
            + ". For example: "
            + "; ".join(fit.examples)
            + "."
        )
    return " ".join(parts)
