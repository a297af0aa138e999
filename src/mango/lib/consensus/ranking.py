"""Top-k ranking with Borda counts (a focus group's or meeting's top 5).

Each ballot lists up to ``top`` items, best first. An item gets ``top`` points for a first
place, ``top - 1`` for a second, ... and 1 for place ``top`` (5, 4, 3, 2, 1 for a top 5); an
item a ballot does not list gets nothing from it, and a ballot listing fewer items gives the
same points for the places it fills. A ballot that names an item twice or lists more than
``top`` items raises ``ValueError``.

Order and ties: by points (high first); equal points are broken by more first places, then
more second places, and so on down to place ``top``. Items still equal after that are tied:
they share the rank (standard competition ranking: 1, 2, 2, 4) and are listed by name;
``tied`` marks them. Items passed in ``items`` that no ballot names appear with 0 points.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class BordaRow:
    item: str
    points: int
    ballots: int  # ballots that name the item
    places: tuple[int, ...]  # how many ballots put it 1st, 2nd, ... top-th
    rank: int
    tied: bool


def borda(
    ballots: Iterable[Sequence[str]], top: int = 5, items: Iterable[str] = ()
) -> list[BordaRow]:
    """Borda counts for top-``top`` ballots, ranked (see the module's docstring for ties)."""
    if top < 1:
        raise ValueError("A ranking needs at least one place.")
    places: dict[str, list[int]] = {item: [0] * top for item in items}
    for number, ballot in enumerate(ballots, start=1):
        ballot = list(ballot)
        if len(ballot) > top:
            raise ValueError(f"Ballot {number} lists {len(ballot)} items; at most {top}.")
        if len(set(ballot)) != len(ballot):
            twice = sorted({i for i in ballot if ballot.count(i) > 1})
            raise ValueError(f"Ballot {number} names {', '.join(twice)} more than once.")
        for position, item in enumerate(ballot):
            places.setdefault(item, [0] * top)[position] += 1

    def points(counts: list[int]) -> int:
        return sum(count * (top - position) for position, count in enumerate(counts))

    def strength(item: str) -> tuple:
        return (points(places[item]), *places[item])

    ordered = sorted(places, key=lambda i: (tuple(-x for x in strength(i)), i))
    out = []
    for index, item in enumerate(ordered):
        key = strength(item)
        if index and key == strength(ordered[index - 1]):
            rank = out[-1].rank
        else:
            rank = index + 1
        tied = (index > 0 and key == strength(ordered[index - 1])) or (
            index + 1 < len(ordered) and key == strength(ordered[index + 1])
        )
        counts = places[item]
        out.append(BordaRow(item, key[0], sum(counts), tuple(counts), rank, tied))
    return out
