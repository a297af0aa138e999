"""Character-level agreement between two coders' segments of the same transcript.

A segment is ``(start, end, code)``: the characters ``text[start:end]`` of a Python ``str``,
end exclusive. Positions count code points, as Python indexes: a precomposed "é" is one
character and "😀" is one. A browser's JavaScript counts UTF-16 units, in which "😀" is two:
turn such offsets into Python ones with ``from_utf16`` before comparing. A decomposed "é"
(e + combining accent) is two code points, so both coders' offsets must refer to the same
normalisation of the text (the intake stores NFC).

Per code, each character position is a unit that each coder marked present (inside one of
their segments of that code) or absent. Overlapping segments of the same code by one coder
are merged (a character is either marked or not); segments of different codes may overlap.
From the 2 x 2 table of positions: percent agreement, Cohen's kappa (statsmodels) and two
overlap figures on the characters coded, intersection over union (IoU, Jaccard) and Dice
(2 |A and B| / (|A| + |B|)). There is no confidence interval: neighbouring characters are not
independent, so an interval that counted each as a unit would be far too narrow.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

import numpy as np
from statsmodels.stats.inter_rater import cohens_kappa

from .agreement import NO_VARIATION

Span = tuple[int, int, str]


@dataclass(frozen=True)
class SegmentAgreement:
    code: str
    characters: int  # positions compared: the document's length (summed when pooled)
    coded_a: int  # characters coder A marked with this code
    coded_b: int
    coded_both: int
    percent_agreement: float
    cohen_kappa: float | None
    iou: float  # |A and B| / |A or B|
    dice: float  # 2 |A and B| / (|A| + |B|)
    reason: str | None = None  # why cohen_kappa is None

    def as_dict(self) -> dict:
        return asdict(self)


def from_utf16(text: str, offset: int) -> int:
    """The Python index of a UTF-16 offset (what JavaScript's ``String`` positions count)."""
    if not 0 <= offset <= len(text.encode("utf-16-le")) // 2:
        raise ValueError(f"UTF-16 offset {offset} is outside the text.")
    units = 0
    for index, char in enumerate(text):
        if units >= offset:
            if units > offset:
                raise ValueError(f"UTF-16 offset {offset} falls inside the character {char!r}.")
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    if units > offset:
        raise ValueError(f"UTF-16 offset {offset} falls inside the last character.")
    return len(text)


def _length(document) -> int:
    if isinstance(document, str):
        return len(document)
    if isinstance(document, bool) or not isinstance(document, (int, np.integer)):
        raise ValueError("Give the document's text or its length in characters.")
    if document < 0:
        raise ValueError("A document's length cannot be negative.")
    return int(document)


def _masks(length: int, spans: Iterable[Span], coder: str) -> dict[str, np.ndarray]:
    """Per code, which positions the coder marked; overlapping segments simply merge."""
    masks: dict[str, np.ndarray] = {}
    for span in spans:
        try:
            start, end, code = span
        except (TypeError, ValueError):
            raise ValueError(
                f"Coder {coder}: {span!r} is not a (start, end, code) segment."
            ) from None
        if any(isinstance(x, bool) or not isinstance(x, (int, np.integer)) for x in (start, end)):
            raise ValueError(f"Coder {coder}: segment {span!r} needs whole-number positions.")
        if not 0 <= start <= end <= length:
            raise ValueError(
                f"Coder {coder}: segment {span!r} is outside the document (0 to {length}) "
                "or ends before it starts."
            )
        if start < end:
            masks.setdefault(code, np.zeros(length, dtype=bool))[start:end] = True
    return masks


def _tables(document, spans_a, spans_b) -> dict[str, np.ndarray]:
    """Per code, the 2 x 2 table of positions: rows coder A present/absent, columns coder B."""
    length = _length(document)
    a, b = _masks(length, spans_a, "A"), _masks(length, spans_b, "B")
    empty = np.zeros(length, dtype=bool)
    tables = {}
    for code in list(a) + [c for c in b if c not in a]:
        in_a, in_b = a.get(code, empty), b.get(code, empty)
        both = int((in_a & in_b).sum())
        only_a, only_b = int(in_a.sum()) - both, int(in_b.sum()) - both
        tables[code] = np.array([[both, only_a], [only_b, length - both - only_a - only_b]])
    return tables


def _figures(code: str, table: np.ndarray) -> SegmentAgreement:
    total = int(table.sum())
    both, only_a, only_b = int(table[0, 0]), int(table[0, 1]), int(table[1, 0])
    coded_a, coded_b = both + only_a, both + only_b
    kappa, reason = None, None
    # Chance agreement is 1 only when both coders marked every position (or none): 0/0.
    if coded_a == coded_b and coded_a in (0, total):
        reason = NO_VARIATION
    else:
        kappa = float(cohens_kappa(table, return_results=False))
    return SegmentAgreement(
        code=code,
        characters=total,
        coded_a=coded_a,
        coded_b=coded_b,
        coded_both=both,
        percent_agreement=(both + int(table[1, 1])) / total,
        cohen_kappa=kappa,
        iou=both / (coded_a + coded_b - both),
        dice=2 * both / (coded_a + coded_b),
        reason=reason,
    )


def segment_agreement(document, spans_a: Iterable[Span], spans_b: Iterable[Span]):
    """Per code used by either coder, their agreement over the characters of one document.

    ``document`` is the text (its length is used) or the length in characters; ``spans_a``
    and ``spans_b`` are each coder's ``(start, end, code)`` segments. Returns
    ``{code: SegmentAgreement}``; a code neither coder used does not appear.
    """
    return pooled_segment_agreement([(document, spans_a, spans_b)])


def pooled_segment_agreement(documents: Iterable[tuple]) -> dict[str, SegmentAgreement]:
    """Like ``segment_agreement`` over several ``(document, spans_a, spans_b)``: the
    positions of all documents are pooled (their tables added), so long ones weigh more."""
    totals: dict[str, np.ndarray] = {}
    characters = 0
    for document, spans_a, spans_b in documents:
        characters += _length(document)
        for code, table in _tables(document, spans_a, spans_b).items():
            totals[code] = totals.get(code, np.zeros((2, 2), dtype=np.int64)) + table
    result = {}
    for code, table in totals.items():
        # A code absent from a document still agrees there on every position: both "absent".
        table = table.copy()
        table[1, 1] += characters - int(table.sum())
        result[code] = _figures(code, table)
    return result
