"""Rating scales and their thirds.

A scale runs over the whole numbers ``low`` to ``high`` (1-9 by default). The consensus rules
speak of the *bottom*, *middle* and *top third* of the scale; on 1-9 these are 1-3, 4-6 and
7-9 (so ``pct_1_3`` and ``pct_7_9`` are the bottom and top third). On other scales each
extreme third holds ``(k + 1) // 3`` points, k being the number of points (the nearest whole
number to k / 3), and the middle holds the rest: 1-5 gives 1-2 / 3 / 4-5, 1-7 gives 1-2 / 3-5
/ 6-7, 0-10 gives 0-3 / 4-6 / 7-10, 1-4 gives 1 / 2-3 / 4. Both extremes are always the same
size, so a rule reads the same at either end. A scale can also name its bands explicitly
(``Scale(1, 5, width=1)``: 1 / 2-4 / 5).
"""

from __future__ import annotations

from dataclasses import dataclass

BANDS = ("bottom", "middle", "top")


@dataclass(frozen=True)
class Scale:
    low: int = 1
    high: int = 9
    width: int | None = None  # points in each extreme third; None: (k + 1) // 3

    def __post_init__(self):
        for name in ("low", "high"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"The scale's {name} end must be a whole number, not {value!r}.")
        if self.high - self.low < 2:
            raise ValueError(
                f"A scale needs at least 3 points to have thirds; {self.low}-{self.high} has "
                f"{self.high - self.low + 1}."
            )
        if self.width is not None and not (1 <= self.width <= self.points // 2):
            raise ValueError(
                f"Each extreme third of {self.low}-{self.high} holds 1 to {self.points // 2} "
                f"points, not {self.width}."
            )

    @property
    def points(self) -> int:
        return self.high - self.low + 1

    @property
    def band_width(self) -> int:
        return self.width if self.width is not None else (self.points + 1) // 3

    @property
    def bottom(self) -> tuple[int, int]:
        """The bottom third as (first, last) score, inclusive: (1, 3) on 1-9."""
        return self.low, self.low + self.band_width - 1

    @property
    def top(self) -> tuple[int, int]:
        """The top third as (first, last) score, inclusive: (7, 9) on 1-9."""
        return self.high - self.band_width + 1, self.high

    @property
    def middle(self) -> tuple[int, int]:
        return self.bottom[1] + 1, self.top[0] - 1

    def band(self, score: int) -> str:
        """'bottom', 'middle' or 'top' for a score on the scale."""
        if score <= self.bottom[1]:
            return "bottom"
        if score >= self.top[0]:
            return "top"
        return "middle"

    def label(self, band: str) -> str:
        """The band's scores as text: '1-3', '4-6', '7-9' on 1-9."""
        first, last = getattr(self, band)
        return str(first) if first == last else f"{first}-{last}"

    def contains(self, score: int) -> bool:
        return self.low <= score <= self.high

    def as_dict(self) -> dict:
        return {"low": self.low, "high": self.high, "width": self.width}

    @classmethod
    def from_dict(cls, data: dict) -> Scale:
        return cls(int(data["low"]), int(data["high"]), data.get("width"))

    def __str__(self) -> str:
        return f"{self.low}-{self.high}"


NINE_POINT = Scale(1, 9)
