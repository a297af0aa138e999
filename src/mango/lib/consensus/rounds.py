"""Between rounds: stability of each item's share rating 7-9, and attrition per group.

``stability(cells, threshold=15)``: for every item, between each round and the item's next
round, the change in the share of panellists who scored it in the top third (7-9), in
percentage points; *stable* when the absolute change is at most ``threshold`` points (compared
exactly: 70 % -> 55 % is a change of exactly 15 points, stable). With ``groups=True`` the same
per stakeholder group. A round where nobody scored the item gives ``change`` and ``stable``
None. ``cells`` are ``engine.Cell`` or ``engine.ItemRound`` objects.

``attrition(ratings, panellists=None)``: per stakeholder group (and the whole panel, group
``""``) and round, how many panellists answered (at least one rating, "unable to judge"
included), out of a base: the panellists invited (``panellists``: panellist -> group, when
given) or else those who answered the first round; ``lost`` counts those who answered the
previous round but not this one. Panellists without a group count in the panel only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from .engine import order_rounds
from .ratings import Rating
from .summary import Summary

PANEL = ""


@dataclass(frozen=True)
class Change:
    item: str
    group: str  # "" for the whole panel
    from_round: str
    to_round: str
    pct_before: float | None
    pct_after: float | None
    change: float | None  # percentage points, after - before
    stable: bool | None


def _top_share(summary: Summary) -> Fraction | None:
    return None if summary.n == 0 else Fraction(100 * summary.top, summary.n)


def _summaries(cell, groups: bool) -> dict[str, Summary]:
    out = {PANEL: cell.panel}
    if groups:
        for name, value in cell.groups.items():
            out[name] = getattr(value, "summary", value)
    return out


def stability(cells: Iterable, threshold: float = 15, *, groups: bool = False) -> list[Change]:
    """Change in the share rating in the top third between an item's consecutive rounds."""
    limit = Fraction(str(threshold))
    by_item: dict[str, list] = {}
    for cell in cells:
        by_item.setdefault(cell.item, []).append(cell)
    out = []
    for item, item_cells in by_item.items():
        order = order_rounds(c.round for c in item_cells)
        item_cells = sorted(item_cells, key=lambda c: order.index(c.round))
        for before, after in zip(item_cells, item_cells[1:], strict=False):
            a, b = _summaries(before, groups), _summaries(after, groups)
            for name in a:
                if name not in b:
                    continue
                share_a, share_b = _top_share(a[name]), _top_share(b[name])
                if share_a is None or share_b is None:
                    change = stable = None
                else:
                    change = share_b - share_a
                    stable = abs(change) <= limit
                out.append(
                    Change(
                        item,
                        name,
                        before.round,
                        after.round,
                        None if share_a is None else float(share_a),
                        None if share_b is None else float(share_b),
                        None if change is None else float(change),
                        stable,
                    )
                )
    return out


@dataclass(frozen=True)
class Attrition:
    group: str  # "" for the whole panel
    round: str
    base: int  # invited, or answered the first round
    answered: int
    pct_answered: float | None  # 0-100 of base
    lost: int  # answered the previous round, not this one (0 in the first round)


def attrition(
    ratings: Iterable[Rating], panellists: Mapping[str, str | None] | None = None
) -> list[Attrition]:
    """Panellists answering per group and round, against the invited or first-round base."""
    group_of: dict[str, str | None] = dict(panellists or {})
    answered: dict[str, set[str]] = {}
    for r in ratings:
        answered.setdefault(r.round, set()).add(r.panellist)
        if panellists is None or r.panellist not in group_of:
            group_of.setdefault(r.panellist, r.group)
    rounds = order_rounds(answered)
    groups = [PANEL, *dict.fromkeys(g for g in group_of.values() if g is not None)]

    def members(group: str, people: Iterable[str]) -> set[str]:
        return {p for p in people if group == PANEL or group_of.get(p) == group}

    out = []
    for group in groups:
        if panellists is not None:
            base = members(group, panellists)
        else:
            base = members(group, answered[rounds[0]]) if rounds else set()
        previous: set[str] | None = None
        for round in rounds:
            now = members(group, answered[round])
            out.append(
                Attrition(
                    group,
                    round,
                    len(base),
                    len(now),
                    100 * len(now) / len(base) if base else None,
                    len(previous - now) if previous is not None else 0,
                )
            )
            previous = now
    return out
