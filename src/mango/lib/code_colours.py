"""A stable colour and line style for each code of a codebook, for highlighting coded passages.

Colours come from the design system's chart palette (Okabe-Ito, ``--chart-1`` to ``--chart-8``
in mango.css, safe for colour-blind readers); the line style under a passage (solid, dashed,
dotted, double) is the second cue, so colour is never the only one. A code's place is its
position among all codes of its codebook in the order they were created (retired ones too), so
its colour does not change when codes are reordered, retired or added: the first
``len(PALETTE) * len(LINES)`` codes each get a combination of their own.

Highlighted text is ink on a tint of the colour: ``TINT`` of the colour over white, mixed per
sRGB channel as CSS ``color-mix(in srgb, ...)`` mixes them (transcript.css uses the same share).
"""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

# --chart-1 ... --chart-8 of mango.css, in that order.
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000")
LINES = ("solid", "dashed", "dotted", "double")
TINT = 0.30  # share of the colour in a highlight's background
INK = "#1d1d1b"  # --ink


@dataclass(frozen=True)
class CodeColour:
    colour: int  # 1..len(PALETTE): the n of --chart-n and of .code-colour-n
    line: int  # 1..len(LINES): the n of .code-line-n

    @property
    def classes(self) -> str:
        return f"code-colour-{self.colour} code-line-{self.line}"

    @property
    def line_style(self) -> str:
        return LINES[self.line - 1]


def colour_at(position: int) -> CodeColour:
    """The colour of the code at this position (0 = the codebook's first code)."""
    if position < 0:
        raise ValueError("A position counts from 0.")
    n = len(PALETTE)
    return CodeColour(colour=position % n + 1, line=(position // n) % len(LINES) + 1)


def assign(codes_in_creation_order: Iterable[Hashable]) -> dict[Hashable, CodeColour]:
    """Each code (any key: a primary key, a code's key) with its colour, by its position."""
    return {code: colour_at(i) for i, code in enumerate(codes_in_creation_order)}


def _channels(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def tint(hex_colour: str, share: float = TINT) -> str:
    """``share`` of the colour over white, per sRGB channel (CSS color-mix in srgb)."""
    mixed = (int(c * share + 255 * (1 - share) + 0.5) for c in _channels(hex_colour))
    return "#" + "".join(f"{c:02x}" for c in mixed)


def _luminance(hex_colour: str) -> float:
    def linear(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _channels(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
