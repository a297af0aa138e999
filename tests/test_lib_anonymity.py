"""The k-anonymity rule for pulse results: small teams hidden, and no combination of figures
over any filters gives a group of fewer than k people back."""

from itertools import chain, combinations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mango.lib import anonymity
from mango.lib.anonymity import effective_k, members, nested, plan, visible_total


def subsets(cells):
    cells = list(cells)
    return chain.from_iterable(combinations(cells, r) for r in range(len(cells) + 1))


def revealed_groups(counts, release):
    """Every group of cells whose answers can be computed from the figures of all possible
    filters (each figure: the sum over its members), by any linear combination of them."""
    cells = sorted(counts)
    index = {cell: i for i, cell in enumerate(cells)}
    rows = []
    for selection in subsets(cells):
        row = np.zeros(len(cells))
        for cell in members(release, selection):
            row[index[cell]] = 1
        rows.append(row)
    figures = np.array(rows)
    rank = np.linalg.matrix_rank(figures)
    found = []
    for group in subsets(cells):
        if not group:
            continue
        target = np.zeros(len(cells))
        for cell in group:
            target[index[cell]] = 1
        if np.linalg.matrix_rank(np.vstack([figures, target])) == rank:
            found.append(group)
    return found


def test_k_defaults_to_five_and_never_goes_below_three():
    assert effective_k(None) == 5
    assert effective_k(2) == 3
    assert effective_k(8) == 8
    with pytest.raises(TypeError):
        effective_k("5")


def test_a_team_with_four_answers_is_not_shown_and_cannot_be_computed_back():
    counts = {"team4": 4, "big1": 12, "big2": 9, "big3": 30}
    release = plan(counts, 5)
    assert not release.is_shown("team4")
    # Organisation total minus the other teams would give team4 back: the smallest other team
    # is suppressed with it (complementary suppression).
    assert not release.is_shown("big2")
    assert release.pools == (frozenset({"team4", "big2"}),)
    for group in revealed_groups(counts, release):
        assert sum(counts[c] for c in group) >= 5, group
        assert group != ("team4",)


def test_a_small_group_that_cannot_be_pooled_is_in_no_figure():
    release = plan({"a": 2, "b": 1}, 5)
    assert release.hidden == {"a", "b"}
    assert visible_total(release, {"a", "b"}) == 0


def test_two_small_teams_together_make_a_pool_shown_only_whole():
    release = plan({"a": 3, "b": 3, "c": 20}, 5)
    assert release.shown == {"c"} and release.pools == (frozenset({"a", "b"}),)
    assert members(release, {"a", "c"}) == {"c"}  # "oncological teams": a alone never counts
    assert members(release, {"a", "b", "c"}) == {"a", "b", "c"}
    assert visible_total(release, {"a", "b"}) == 6


def test_empty_cells_take_part_in_nothing():
    release = plan({"a": 0, "b": 7}, 5)
    assert release.shown == {"b"} and not release.pools and not release.hidden


def test_bad_counts_are_refused():
    with pytest.raises(ValueError, match="whole number"):
        plan({"a": -1})


def test_each_organisation_uses_its_own_k():
    counts = {("org1", "t1"): 6, ("org1", "t2"): 7, ("org2", "t3"): 6, ("org2", "t4"): 7}
    releases = nested(counts, {"org1": 5, "org2": 7})
    assert releases["org1"].shown == {"t1", "t2"}
    # With k = 7, t3 (6) is too small and takes t4 into its pool.
    assert releases["org2"].shown == frozenset()
    assert releases["org2"].pools == (frozenset({"t3", "t4"}),)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=5),
    st.integers(min_value=0, max_value=8),
)
def test_no_combination_of_filters_reveals_fewer_than_k(sizes, k):
    counts = {f"t{i}": n for i, n in enumerate(sizes)}
    release = plan(counts, k)
    k = effective_k(k)
    for atom in release.atoms():
        assert sum(counts[c] for c in atom) >= k
    for group in revealed_groups(counts, release):
        people = sum(counts[c] for c in group)
        assert people == 0 or people >= k, (counts, group)


def test_doctest_of_the_module():
    import doctest

    assert doctest.testmod(anonymity).failed == 0
