"""Which groups of pulse answers may be shown, so that no figure reveals fewer than *k* people.

A pulse answer belongs to one *cell*: a team in a period. A team's results for a period are
shown only when at least ``k`` people answered (``k`` defaults to 5 and is never below 3). Hiding
the small cells is not enough: an organisation's total minus the visible teams would give the
hidden team's figures back, and two overlapping filters (pilot teams, oncological teams) can be
subtracted from each other in the same way.

So every figure is built from *atoms* that each hold at least ``k`` answers, and nothing else:

- a cell with at least ``k`` answers is an atom of its own (shown on its own);
- the cells under ``k`` are pooled into one atom when together they reach ``k`` (complementary
  suppression: when they do not, the smallest shown cells join the pool until it does); a pool
  is shown only as a part of a figure that covers all of its cells, never on its own;
- whatever cannot be pooled (the whole group is under ``k``) is in no figure at all.

Any figure for a selection of cells (``members``) then sums whole atoms. Subtracting or
combining figures can at best give an atom back, and every atom holds at least ``k`` people:
no combination of filters isolates a smaller group. Free-text answers follow the same rule.

    >>> release = plan({"a": 12, "b": 4, "c": 7}, k=5)
    >>> sorted(release.shown), [sorted(p) for p in release.pools], sorted(release.hidden)
    (['a'], [['b', 'c']], [])
    >>> sorted(members(release, {"a", "b", "c"})), sorted(members(release, {"a", "b"}))
    (['a', 'b', 'c'], ['a'])
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

DEFAULT_K = 5
MIN_K = 3


def effective_k(k: int | None) -> int:
    """The threshold in force: the default when unset, never below ``MIN_K``."""
    if k is None:
        return DEFAULT_K
    if isinstance(k, bool) or not isinstance(k, int):
        raise TypeError(f"k must be a whole number, not {k!r}")
    return max(k, MIN_K)


@dataclass(frozen=True)
class Release:
    """What may be shown of a set of cells (see the module's docstring)."""

    k: int
    counts: Mapping = field(default_factory=dict)
    shown: frozenset = frozenset()
    pools: tuple = ()
    hidden: frozenset = frozenset()

    def is_shown(self, cell: Hashable) -> bool:
        """Whether the cell's own results may be shown (not only as part of a pool)."""
        return cell in self.shown

    def atoms(self) -> list[frozenset]:
        return [frozenset([cell]) for cell in self.shown] + list(self.pools)


def plan(counts: Mapping[Hashable, int], k: int | None = DEFAULT_K) -> Release:
    """Split cells (``{cell: number of people who answered}``) into shown cells, pools and
    hidden cells. Cells with no answers take part in nothing."""
    k = effective_k(k)
    for cell, n in counts.items():
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValueError(f"The count of {cell!r} must be a whole number >= 0, not {n!r}")
    present = {cell: n for cell, n in counts.items() if n > 0}
    shown = {cell for cell, n in present.items() if n >= k}
    small = {cell for cell, n in present.items() if n < k}
    pooled = sum(present[cell] for cell in small)
    if 0 < pooled < k:
        # Complementary suppression: the hidden remainder could be computed from a total, so
        # the smallest shown cells join it until the pool itself holds k people.
        for cell in sorted(shown, key=lambda c: (present[c], repr(c))):
            shown.discard(cell)
            small.add(cell)
            pooled += present[cell]
            if pooled >= k:
                break
    if 0 < pooled < k:
        return Release(k, dict(counts), frozenset(shown), (), frozenset(small))
    pools = (frozenset(small),) if small else ()
    return Release(k, dict(counts), frozenset(shown), pools, frozenset())


def members(release: Release, selected: Iterable[Hashable]) -> frozenset:
    """The cells whose answers a figure over ``selected`` may use: the selected shown cells,
    and each pool only when every one of its cells is selected."""
    chosen = set(selected)
    out = {cell for cell in release.shown if cell in chosen}
    for pool in release.pools:
        if pool <= chosen:
            out |= pool
    return frozenset(out)


def nested(
    counts: Mapping[tuple[Hashable, Hashable], int], k_of: Mapping[Hashable, int | None]
) -> dict[Hashable, Release]:
    """One release per group (an organisation) of ``(group, cell)`` counts, each with the
    group's own ``k`` (``k_of``; the default where missing). A figure above the groups (the
    network) combines the groups' ``members``; a cell hidden in its group is hidden there too."""
    by_group: dict[Hashable, dict] = {}
    for (group, cell), n in counts.items():
        by_group.setdefault(group, {})[cell] = n
    return {group: plan(cells, k_of.get(group)) for group, cells in by_group.items()}


def visible_total(release: Release, selected: Iterable[Hashable]) -> int:
    """How many answers a figure over ``selected`` counts (0: the figure is not shown)."""
    return sum(release.counts[cell] for cell in members(release, selected))
