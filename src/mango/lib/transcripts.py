"""Interview and focus-group transcripts: reading files, speaker turns, coded segments.

Text is what the coding screen shows and what segment positions index: a Python ``str``
normalised to NFC, with ``\\n`` line ends and no byte-order mark. Positions count code points
and ``end`` is exclusive, as in ``lib/segments.py`` (which computes coder agreement).

A coded segment here is anything with ``document``, ``start``, ``end`` and ``code``
attributes (a model instance, a ``Coded`` tuple): the functions read nothing else.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from . import zips

MAX_CHARACTERS = 2_000_000  # about 300,000 words: far beyond any interview
# A .docx of MAX_CHARACTERS is some 30 MB of XML once unpacked.
DOCX_MAX_UNPACKED = 64 * 2**20
TOO_LARGE_DOCX = (
    "The document unpacks to far more than a transcript can hold; Mango does not read it."
)
KINDS = (".txt", ".docx")


class TranscriptError(ValueError):
    """A file that cannot be read as a transcript; the message says why, for the user."""


def unify_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def clean_text(text: str) -> str:
    """The one form of transcript text: no BOM, ``\\n`` line ends, NFC, no NUL characters."""
    text = unicodedata.normalize("NFC", unify_newlines(text.removeprefix("\ufeff")))
    if "\x00" in text:
        raise TranscriptError("The file holds binary data, not text.")
    return text


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else UTF-16 with a BOM, else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise TranscriptError("The file says it is UTF-16 but is not.") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # Word on Windows saves "plain text" as Windows-1252 by default.
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise TranscriptError(
            "The text is neither UTF-8 nor Windows-1252: save it as UTF-8 and try again."
        ) from None


def read_txt(data: bytes) -> str:
    return clean_text(decode_text(data))


def read_docx(data: bytes) -> str:
    """The paragraphs of a Word document, one per line (tables row by row, cells tab-separated)."""
    import docx  # python-docx; imported here so the rest of the module stays light
    from docx.oxml.ns import qn

    try:
        # A .docx is a zip: refuse one that unpacks to far more than a transcript can be
        # before python-docx parses it (a small file can hold a worker for minutes).
        zips.check_bytes(data, max_total=DOCX_MAX_UNPACKED)
    except zips.ArchiveTooLarge:
        raise TranscriptError(TOO_LARGE_DOCX) from None
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as err:
        raise TranscriptError(
            "This is not a Word (.docx) document; older .doc files must be saved as .docx first."
        ) from err
    lines = []
    # Walk the body in order so tables stay where they were between paragraphs.
    for block in document.element.body.iterchildren():
        if block.tag == qn("w:p"):
            lines.append("".join(t.text or "" for t in block.iter(qn("w:t"))))
        elif block.tag == qn("w:tbl"):
            for row in block.iter(qn("w:tr")):
                cells = [
                    "".join(t.text or "" for t in cell.iter(qn("w:t")))
                    for cell in row.iter(qn("w:tc"))
                ]
                lines.append("\t".join(cells))
    return clean_text("\n".join(lines))


def read_transcript(filename: str, data: bytes) -> str:
    """The text of an uploaded ``.txt`` or ``.docx`` transcript, or a ``TranscriptError``."""
    name = (filename or "").lower()
    if name.endswith(".txt"):
        text = read_txt(data)
    elif name.endswith(".docx"):
        text = read_docx(data)
    else:
        raise TranscriptError("Upload a .txt or .docx file.")
    if not text.strip():
        raise TranscriptError("The file holds no text.")
    if len(text) > MAX_CHARACTERS:
        raise TranscriptError(
            f"The transcript has {len(text):,} characters; the most is {MAX_CHARACTERS:,}."
        )
    return text


# --- Speaker turns ----------------------------------------------------------------------------

# A turn starts a line with a short label and a colon: "Interviewer:", "P1:", "R:",
# "Participant 3:", "[Verpleegkundige]:". The label starts with a letter (so "10:30" is not
# a speaker) and has at most three words and 30 characters.
_TURN = re.compile(
    r"^[ \t]*\[?(?P<speaker>[^\W\d_][\w.'’-]*(?:[ \t][\w.'’-]+){0,2})\]?[ \t]*:[ \t]*",
    re.MULTILINE,
)
MAX_LABEL = 30


@dataclass(frozen=True)
class Turn:
    speaker: str | None  # None for text before the first labelled turn
    start: int  # the turn's first character (its label included)
    end: int  # exclusive: where the next turn starts, or the end of the text
    text_start: int  # where the words after "Speaker:" begin


def speaker_turns(text: str) -> list[Turn]:
    """The text cut into turns at lines that start with a speaker label.

    Lines without a label belong to the turn above them; text before the first label is a
    turn without a speaker (only when it is not blank).
    """
    found = [m for m in _TURN.finditer(text) if len(m["speaker"].strip()) <= MAX_LABEL]
    # A label of several words ("Dat was moeilijk:") may be a sentence with a colon: it counts
    # as a speaker only when it starts a line more than once. One-word labels always count.
    uses = defaultdict(int)
    for m in found:
        uses[m["speaker"].strip()] += 1
    marks = [m for m in found if len(m["speaker"].split()) == 1 or uses[m["speaker"].strip()] > 1]
    turns = []
    first = marks[0].start() if marks else len(text)
    if text[:first].strip():
        turns.append(Turn(None, 0, first, 0))
    for i, mark in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        turns.append(Turn(mark["speaker"].strip(), mark.start(), end, mark.end()))
    return turns


def speakers(text: str) -> list[str]:
    """The speaker labels in order of first appearance."""
    seen = dict.fromkeys(t.speaker for t in speaker_turns(text) if t.speaker)
    return list(seen)


# --- Coded segments ---------------------------------------------------------------------------


class Coded(NamedTuple):
    document: Hashable
    start: int
    end: int
    code: Hashable


def check_segment(text: str, start: int, end: int) -> None:
    """Raise ``TranscriptError`` unless ``text[start:end]`` is a non-empty span of the text."""
    if any(isinstance(x, bool) or not isinstance(x, int) for x in (start, end)):
        raise TranscriptError("A segment needs whole-number positions.")
    if not 0 <= start < end <= len(text):
        raise TranscriptError(
            f"The segment {start}–{end} is not inside the text (0–{len(text)}) or is empty."
        )


@dataclass(frozen=True)
class Cooccurrence:
    """How often codes mark overlapping text.

    ``counts[(a, b)]`` (with ``a != b``, stored both ways) is the number of pairs of a segment
    coded ``a`` and a segment coded ``b`` in the same document that share at least one
    character; ``counts[(a, a)]`` is the number of segments coded ``a``. Segments that only
    touch (one ends where the other starts) do not overlap.
    """

    codes: list
    counts: dict

    def get(self, a, b) -> int:
        return self.counts.get((a, b), 0)

    def rows(self) -> list[tuple]:
        """``(code, [count with each code, in the order of codes])`` per code."""
        return [(a, [self.get(a, b) for b in self.codes]) for a in self.codes]


def cooccurrence(segments: Iterable, codes: Iterable | None = None) -> Cooccurrence:
    """The co-occurrence table of ``segments``; ``codes`` fixes the rows (and their order).

    Sweeps each document's segments by start position, so the cost is the number of
    overlapping pairs, not the square of the number of segments.
    """
    by_document = defaultdict(list)
    for seg in segments:
        by_document[seg.document].append((seg.start, seg.end, seg.code))
    counts: dict = defaultdict(int)
    seen = {}
    for spans in by_document.values():
        spans.sort(key=lambda s: (s[0], s[1]))
        open_spans: list = []
        for start, end, code in spans:
            seen.setdefault(code, None)
            counts[(code, code)] += 1
            open_spans = [s for s in open_spans if s[1] > start]
            for _, _, other in open_spans:
                if other != code:
                    counts[(code, other)] += 1
                    counts[(other, code)] += 1
            open_spans.append((start, end, code))
    order = list(codes) if codes is not None else list(seen)
    return Cooccurrence(order, dict(counts))


@dataclass(frozen=True)
class Retrieved:
    segment: object
    text: str  # the coded characters
    before: str  # a little context on each side, for reading the quote in place
    after: str


def retrieve(segments: Iterable, codes, texts: dict, context: int = 80) -> list[Retrieved]:
    """The segments coded with any of ``codes`` (one code or a collection, e.g. a code and its
    children), each with its text, ordered as the documents in ``texts`` (which maps a
    document to its text) and by position within each."""
    wanted = set(codes) if isinstance(codes, (set, frozenset, list, tuple)) else {codes}
    order = {document: i for i, document in enumerate(texts)}
    found = [s for s in segments if s.code in wanted]
    found.sort(key=lambda s: (order[s.document], s.start, s.end))
    result = []
    for seg in found:
        text = texts[seg.document]
        result.append(
            Retrieved(
                segment=seg,
                text=text[seg.start : seg.end],
                before=text[max(0, seg.start - context) : seg.start],
                after=text[seg.end : seg.end + context],
            )
        )
    return result
