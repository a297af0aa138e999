"""The consensus rule engine (``mango.lib.consensus``) against hand-computed tables.

Each table row is a set of scores (``None``: "unable to judge") with the figures and status
worked out by hand, in the comment beside it: n counts only those who scored, percentages are
over n, quartiles are numpy's default linear percentiles (position (n - 1) x p / 100 in the
sorted scores, interpolated).
"""

import csv
import dataclasses
import io
import json
import random

import numpy as np
import pytest
from openpyxl import load_workbook

from mango.lib.consensus import (
    KINDS,
    QUADRANTS,
    Rating,
    RatingError,
    Rule,
    Scale,
    apply,
    attrition,
    borda,
    check_ratings,
    classify,
    combine,
    evaluate,
    parse_score,
    quadrant,
    rand_disagreement,
    ratings_from_rows,
    report,
    stability,
    summarise,
    summarise_scores,
    tabulate,
)

U = None  # unable to judge


def scores(**counts):
    """Scores from counts: scores(s7=3, s2=1) -> [2, 7, 7, 7]."""
    out = []
    for key, count in sorted(counts.items()):
        out += [int(key[1:])] * count
    return out


# --- scales and summaries -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("low", "high", "bottom", "middle", "top"),
    [
        (1, 9, (1, 3), (4, 6), (7, 9)),
        (1, 5, (1, 2), (3, 3), (4, 5)),
        (1, 7, (1, 2), (3, 5), (6, 7)),
        (0, 10, (0, 3), (4, 6), (7, 10)),
        (1, 4, (1, 1), (2, 3), (4, 4)),
    ],
)
def test_the_thirds_of_a_scale_have_extremes_of_equal_size(low, high, bottom, middle, top):
    scale = Scale(low, high)
    assert (scale.bottom, scale.middle, scale.top) == (bottom, middle, top)
    assert [scale.band(s) for s in (low, high)] == ["bottom", "top"]


def test_a_scale_can_name_the_width_of_its_thirds_and_refuses_too_few_points():
    assert Scale(1, 5, width=1).top == (5, 5)
    with pytest.raises(ValueError, match="at least 3 points"):
        Scale(1, 2)
    with pytest.raises(ValueError, match="1 to 2 points"):
        Scale(1, 5, width=3)


def test_percentages_and_quartiles_equal_a_hand_computation():
    # sorted 1 2 3 4 5 6 7 8 9 9, n = 10 (two "unable to judge" left out)
    # median: position 4.5 -> (5 + 6) / 2 = 5.5; q1: position 2.25 -> 3 + 0.25 = 3.25;
    # q3: position 6.75 -> 7 + 0.75 x (8 - 7) = 7.75; 7-9: 4 of 10; 1-3: 3 of 10.
    s = summarise_scores([9, 1, U, 2, 3, 4, 5, 6, 7, 8, 9, U])
    assert (s.n, s.unable, s.answered) == (10, 2, 12)
    assert (s.median, s.q1, s.q3, s.iqr) == (5.5, 3.25, 7.75, 4.5)
    assert (s.pct_7_9, s.pct_1_3, s.pct_middle) == (40.0, 30.0, 30.0)
    # 2 of 3: not rounded
    t = summarise_scores([7, 8, 2])
    assert t.pct_7_9 == 200 / 3 and t.pct_1_3 == 100 / 3
    assert t.as_dict()["counts"] == {str(k): int(k in (2, 7, 8)) for k in range(1, 10)}


def test_quartiles_equal_numpys_default_percentiles_on_random_panels():
    rng = random.Random(3)
    for _ in range(300):
        values = [rng.randint(1, 9) for _ in range(rng.randint(1, 40))]
        s = summarise_scores(values)
        expected = np.percentile(values, [25, 50, 75, 30, 70])
        got = [s.q1, s.median, s.q3, float(s.percentile(30)), float(s.percentile(70))]
        assert got == pytest.approx(list(expected), abs=1e-12)


def test_nobody_scored_gives_no_figures():
    s = summarise_scores([U, U])
    assert (s.n, s.unable) == (0, 2)
    assert [s.median, s.q1, s.q3, s.pct_7_9, s.pct_1_3] == [None] * 5
    for kind in KINDS:
        assert evaluate(Rule.make(kind), s).status == "undecided"


def test_a_score_off_the_scale_is_refused():
    with pytest.raises(ValueError, match="outside the scale 1-9"):
        summarise_scores([10])


# --- the rules, hand-computed -----------------------------------------------------------

# (scores, % 7-9, % 1-3, status) under comet: in when >= 70 % rate 7-9 and < 15 % rate 1-3,
# out when <= 50 % rate 7-9, otherwise undecided.
COMET = [
    (scores(s7=3, s8=2, s9=2, s1=1, s5=2), 70.0, 10.0, "in"),  # exactly 70 %: in
    (scores(s8=14, s2=3, s5=3), 70.0, 15.0, "undecided"),  # exactly 15 %: not fewer than 15
    (scores(s8=14, s2=2, s5=4), 70.0, 10.0, "in"),
    (scores(s9=15, s1=3, s5=2), 75.0, 15.0, "undecided"),  # 15 % of 20 = 3 panellists
    (scores(s7=5, s5=5), 50.0, 0.0, "out"),  # exactly 50 %: out
    (scores(s7=6, s5=4), 60.0, 0.0, "undecided"),
    (scores(s7=9, s4=4), 900 / 13, 0.0, "undecided"),  # 69.2 %: not yet in
    (scores(s7=10, s4=3), 1000 / 13, 0.0, "in"),  # 76.9 %
    (scores(s7=10, s4=3, s3=0), 1000 / 13, 0.0, "in"),
    (scores(s1=10), 0.0, 100.0, "out"),
    # "unable to judge" does not count: 7 of 10 scored 7-9 (70 %: in); counted as
    # panellists it would be 7 of 15 (46.7 %: out).
    (scores(s7=7, s5=3) + [U] * 5, 70.0, 0.0, "in"),
    ([U, U, U], None, None, "undecided"),
]


@pytest.mark.parametrize(("values", "pct_top", "pct_bottom", "status"), COMET)
def test_comet_gives_the_hand_computed_status_at_the_thresholds(
    values, pct_top, pct_bottom, status
):
    s = summarise_scores(values)
    assert s.pct_7_9 == pct_top and s.pct_1_3 == pct_bottom
    assert evaluate(Rule.make("comet"), s).status == status


def test_comets_thresholds_can_be_set_and_are_compared_exactly():
    rule = Rule.make("comet", in_top_at_least=80, in_bottom_below=10, out_top_at_most=40)
    assert evaluate(rule, summarise_scores(scores(s8=8, s1=1, s5=1))).status == "undecided"
    assert evaluate(rule, summarise_scores(scores(s8=8, s5=2))).status == "in"
    assert evaluate(rule, summarise_scores(scores(s8=2, s5=3))).status == "out"  # 40 %
    # 2 of 3 is 66.67 %: below a 66.7 % threshold, above 66.6 %
    two_of_three = summarise_scores([8, 8, 5])
    assert evaluate(Rule.make("comet", in_top_at_least=66.7), two_of_three).status != "in"
    assert evaluate(Rule.make("comet", in_top_at_least=66.6), two_of_three).status == "in"


# (scores, median, q1, q3, status) under median_iqr: consensus when q3 - q1 <= 1; then in
# when median >= 7, out when median <= 3.
MEDIAN_IQR = [
    ([7, 7, 8, 8], 7.5, 7.0, 8.0, "in"),  # q1: pos 0.75 -> 7; q3: pos 2.25 -> 8; IQR exactly 1
    ([6, 7, 8, 8], 7.5, 6.75, 8.0, "undecided"),  # IQR 1.25
    ([7, 7, 7, 7, 8], 7.0, 7.0, 7.0, "in"),  # median exactly 7
    ([2, 3, 3, 4], 3.0, 2.75, 3.25, "out"),  # median exactly 3
    ([5, 5, 6, 6], 5.5, 5.0, 6.0, "undecided"),  # consensus on the middle
    ([3, 4, 4, 4], 4.0, 3.75, 4.0, "undecided"),
    ([1, 9, 9, 9, 9, U, U], 9.0, 9.0, 9.0, "in"),
    ([1, 5, 9], 5.0, 3.0, 7.0, "undecided"),
]


@pytest.mark.parametrize(("values", "median", "q1", "q3", "status"), MEDIAN_IQR)
def test_median_and_iqr_gives_the_hand_computed_status(values, median, q1, q3, status):
    s = summarise_scores(values)
    assert (s.median, s.q1, s.q3) == (median, q1, q3)
    assert evaluate(Rule.make("median_iqr"), s).status == status


def test_median_and_iqr_takes_its_limits_from_the_rule():
    rule = Rule.make("median_iqr", max_iqr=1.25, in_median_at_least=7.5)
    assert evaluate(rule, summarise_scores([6, 7, 8, 8])).status == "in"
    assert evaluate(rule, summarise_scores([7, 7, 7, 8])).status == "undecided"  # median 7


# (scores, status) under percent_agreement at 75 %.
AGREEMENT_BOTH = [
    (scores(s8=15, s5=5), "in"),  # exactly 75 %
    (scores(s8=14, s5=6), "undecided"),  # 70 %
    (scores(s2=15, s5=5), "out"),
    (scores(s8=15, s5=5) + [U] * 10, "in"),
]


@pytest.mark.parametrize(("values", "status"), AGREEMENT_BOTH)
def test_percent_agreement_in_both_thirds(values, status):
    assert evaluate(Rule.make("percent_agreement"), summarise_scores(values)).status == status


def test_percent_agreement_in_one_third_only():
    bottom_heavy = summarise_scores(scores(s2=15, s5=5))
    top_heavy = summarise_scores(scores(s8=4, s5=1))  # 80 %
    assert evaluate(Rule.make("percent_agreement", band="top"), bottom_heavy).status == (
        "undecided"
    )
    assert evaluate(Rule.make("percent_agreement", band="bottom"), bottom_heavy).status == "out"
    assert evaluate(Rule.make("percent_agreement", band="bottom"), top_heavy).status == (
        "undecided"
    )
    assert evaluate(Rule.make("percent_agreement", threshold=80, band="top"), top_heavy).status == (
        "in"
    )
    assert evaluate(Rule.make("percent_agreement", threshold=81, band="top"), top_heavy).status == (
        "undecided"
    )


# (scores, needed in each extreme third or None for IPRAS, disagreement, RAND label)
RAND = [
    ([2, 2, 7, 7, 7, 7, 8, 8, 9], 3, False, "appropriate"),  # 9 panellists, only 2 in 1-3
    ([2, 2, 2, 7, 7, 7, 8, 8, 9], 3, True, "uncertain"),  # 3 and 6: disagreement
    ([1, 1, 1, 5, 5, 5, 9, 9, 9], 3, True, "uncertain"),
    ([1, 1, 2, 2, 2, 3, 3, 4, 7, 8], 3, False, "inappropriate"),  # median 2.5
    ([1, 1, 1, 7, 7, 7, 7, 7, 8, 8, 9], 4, False, "appropriate"),  # 11: 3 < 4
    ([1, 1, 1, 1, 7, 7, 7, 7, 8, 8, 9, 9], 4, True, "uncertain"),  # 12: 4 and 8
    ([1] * 4 + [8] * 9 + [5], 5, False, "appropriate"),  # 14: 4 < 5
    ([1] * 5 + [8] * 9, 5, True, "uncertain"),  # 14: 5 and 9
    ([1] * 5 + [8] * 11, 5, True, "uncertain"),  # 16: last size in the table
    # 17, outside the table: P30 pos 4.8 -> 1 + 0.8 x 7 = 6.6, P70 pos 11.2 -> 8,
    # IPR 1.4; AI |5 - 7.3| = 2.3; IPRAS 2.35 + 3.45 = 5.8; 1.4 <= 5.8: no disagreement
    ([1] * 5 + [8] * 12, None, False, "appropriate"),
    # 7, outside the table: P30 pos 1.8 -> 1; P70 pos 4.2 -> 8; IPR 7 > 2.35 + 1.5 x 0.5
    ([1, 1, 1, 8, 8, 8, 8], None, True, "uncertain"),
    # 5: P30 pos 1.2 -> 2 + 0.2 x 5 = 3; P70 pos 2.8 -> 7.8; IPR 4.8 > 2.35 + 1.5 x 0.4
    ([1, 2, 7, 8, 9], None, True, "uncertain"),
    # 5: P30 7.2, P70 8.8, IPR 1.6 <= 2.35 + 1.5 x 3 = 6.85
    ([7, 7, 8, 8, 9], None, False, "appropriate"),
    ([3] * 5 + [4] * 5, 3, False, "uncertain"),  # median 3.5
    ([6] * 5 + [7] * 5, 3, False, "uncertain"),  # median 6.5
    ([3] * 10 + [U] * 3, 3, False, "inappropriate"),  # n = 10 who scored, not 13
]


@pytest.mark.parametrize(("values", "needed", "disagreement", "label"), RAND)
def test_rand_ucla_by_panel_size_and_ipras(values, needed, disagreement, label):
    s = summarise_scores(values)
    verdict = evaluate(Rule.make("rand_ucla"), s)
    assert verdict.detail["disagreement"] is disagreement
    assert verdict.detail["label"] == label
    if needed is None:
        assert verdict.detail["disagreement_by"] == "ipras"
    else:
        assert verdict.detail["needed_in_each_extreme"] == needed
    assert Rule.make("rand_ucla").label(verdict.status) == label


def test_rand_ucla_ipras_values_and_the_ipras_only_variant():
    s = summarise_scores([1] * 5 + [8] * 12)
    disagreement, detail = rand_disagreement(s, "ipras")
    assert disagreement is False
    assert detail["ipr"] == pytest.approx(1.4) and detail["ipras"] == pytest.approx(5.8)
    # 14 panellists, 4 rating 1 and 8 rating 7-9: the table (5 needed) finds no disagreement;
    # IPRAS does: sorted 1 1 1 1 4 4 7 9 9 9 9 9 9 9, P30 pos 3.9 -> 1 + 0.9 x 3 = 3.7,
    # P70 pos 9.1 -> 9, IPR 5.3; centre 6.35, AI 1.35, IPRAS 2.35 + 2.025 = 4.375 < 5.3.
    panel = summarise_scores([1] * 4 + [4] * 2 + [7] + [9] * 7)
    assert panel.median == 8.0
    assert evaluate(Rule.make("rand_ucla"), panel).status == "in"
    verdict = evaluate(Rule.make("rand_ucla", disagreement="ipras"), panel)
    assert verdict.status == "undecided" and verdict.detail["label"] == "uncertain"
    assert verdict.detail["ipr"] == pytest.approx(5.3)
    assert verdict.detail["ipras"] == pytest.approx(4.375)


def test_rand_ucla_is_only_for_the_nine_point_scale():
    with pytest.raises(ValueError, match="1-9 scale"):
        evaluate(Rule.make("rand_ucla"), summarise_scores([4, 5], Scale(1, 5)))


def test_rules_on_a_five_point_scale_use_its_thirds():
    s = summarise_scores([4, 5, 5, 3], Scale(1, 5))  # top third 4-5: 3 of 4
    assert s.pct_top == 75.0
    assert evaluate(Rule.make("comet"), s).status == "in"
    assert "rate it 4-5" in Rule.make("comet").describe(Scale(1, 5))


# --- rule specs -------------------------------------------------------------------------


def test_a_rule_is_frozen_hashable_and_round_trips_through_json():
    rule = Rule.make("percent_agreement", scope="both", threshold=80, band="top")
    assert rule.params == {"threshold": 80, "band": "top"}
    with pytest.raises(dataclasses.FrozenInstanceError):
        rule.scope = "panel"
    text = rule.to_json()
    assert json.loads(text) == {
        "kind": "percent_agreement",
        "params": {"band": "top", "threshold": 80},
        "scope": "both",
    }
    assert Rule.from_json(text) == rule and hash(Rule.from_json(text)) == hash(rule)
    assert Rule.from_dict({"kind": "comet"}).to_json() == Rule.make("comet").to_json()
    assert Rule.make("comet", in_top_at_least=70.0) == Rule.make("comet")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Rule.make("majority"), "Unknown rule 'majority'; the rules are: comet"),
        (lambda: Rule.make("comet", scope="teams"), "Unknown scope 'teams'"),
        (lambda: Rule.make("comet", threshold=3), "has no parameter threshold"),
        (lambda: Rule.make("comet", in_top_at_least=150), "from 0 to 100"),
        (lambda: Rule.make("comet", out_top_at_most=80), "could be in and out"),
        (lambda: Rule.make("percent_agreement", threshold=50), "over 50"),
        (lambda: Rule.make("percent_agreement", band="middle"), "top, bottom or both"),
        (lambda: Rule.make("median_iqr", max_iqr="one"), "must be a number"),
        (lambda: Rule.make("rand_ucla", disagreement="vote"), "auto or ipras"),
        (lambda: Rule.from_dict({"kind": "comet", "extra": 1}), "'kind'"),
    ],
)
def test_a_bad_rule_is_refused_with_a_clear_message(make, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        make()


def test_every_rule_states_itself_with_its_source():
    for kind in KINDS:
        for scope in ("panel", "groups", "both"):
            text = Rule.make(kind, scope).describe()
            assert "Source:" in text and "unable to judge" in text
    assert "at least 70% " in Rule.make("comet").describe()
    assert "fewer than 15%" in Rule.make("comet").describe()
    assert "within each stakeholder group" in Rule.make("comet", "groups").describe()


# --- scope ---------------------------------------------------------------------------------


def group_ratings(item, round, group_scores, start=0):
    out, number = [], start
    for group, values in group_scores.items():
        for value in values:
            number += 1
            out.append(Rating(item, f"p{number}", round, value, group))
    return out


IN = [8, 8, 8, 8]  # 100 % 7-9
OUT = [5, 5, 5, 5]  # 0 % 7-9
MIXED = [8, 8, 8, 5]  # 75 % 7-9, 0 % 1-3: in on its own


@pytest.mark.parametrize(
    ("groups", "panel", "in_groups", "in_both"),
    [
        ({"patient": IN, "professional": IN}, "in", "in", "in"),
        ({"patient": IN, "professional": OUT}, "out", "undecided", "undecided"),  # 50 %: out
        ({"patient": OUT, "professional": OUT}, "out", "out", "out"),
        ({"patient": IN, "professional": [U, U]}, "in", "in", "in"),  # a group without scores
        ({"patient": [U], "professional": [U]}, "undecided", "undecided", "undecided"),
        ({"patient": IN + IN + IN, "professional": [8, 5, 5, 5]}, "in", "undecided", "undecided"),
        ({"patient": MIXED, "professional": IN}, "in", "in", "in"),
    ],
)
def test_scope_combines_the_panel_and_each_group(groups, panel, in_groups, in_both):
    ratings = group_ratings("A", "1", groups)
    for scope, expected in (("panel", panel), ("groups", in_groups), ("both", in_both)):
        (result,) = summarise(ratings, Rule.make("comet", scope))
        assert result.status == expected, scope
        assert result.panel_verdict.status == panel


def test_with_scope_both_the_panel_must_agree_as_well():
    # patients 4 x 8 (in); professionals 7 x 8 + 3 x 5 (70 %, in); two ungrouped panellists
    # rate 1: panel 11 of 16 in 7-9 (68.75 %), so the panel is undecided.
    ratings = group_ratings("A", "1", {"patient": [8] * 4, "professional": [8] * 7 + [5] * 3})
    ratings += [Rating("A", "x1", "1", 1), Rating("A", "x2", "1", 1)]
    (groups_only,) = summarise(ratings, Rule.make("comet", "groups"))
    (both,) = summarise(ratings, Rule.make("comet", "both"))
    assert groups_only.status == "in" and both.status == "undecided"
    assert both.panel.n == 16 and both.groups["patient"].summary.n == 4


def test_combine():
    assert combine(["in", "in"]) == "in"
    assert combine(["out", "out"]) == "out"
    assert combine(["in", "out"]) == combine(["in", "undecided"]) == combine([]) == "undecided"


# --- ratings from rows -----------------------------------------------------------------------

HEADER = ["statement", "who", "round", "score", "group"]


def rows(*lines):
    return [dict(zip(HEADER, line, strict=True)) for line in lines]


def read(data, **kw):
    args = dict(item="statement", panellist="who", round="round", score="score", group="group")
    args.update(kw)
    return ratings_from_rows(data, columns=HEADER, **args)


def test_rows_become_ratings_with_empty_scores_as_unable_to_judge():
    got = read(
        rows(
            ("A", "p1", "1", "7", "patient"),
            ("A", "p2", "1", " ", ""),
            ("B", "p1", "1", "7.0", "patient"),
        )
    )
    assert got == [
        Rating("A", "p1", "1", 7, "patient"),
        Rating("A", "p2", "1", None, None),
        Rating("B", "p1", "1", 7, "patient"),
    ]


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("10", "Row 3: score '10' is outside the scale 1-9 (column 'score')."),
        ("0", "Row 3: score '0' is outside the scale 1-9"),
        ("7.5", "Row 3: score '7.5' is not a whole number from 1 to 9"),
        ("high", "Row 3: score 'high' is not a whole number"),
        ("nan", "Row 3: score 'nan' is not a whole number"),
    ],
)
def test_a_bad_score_is_refused_naming_the_row(cell, message):
    with pytest.raises(RatingError) as caught:
        read(rows(("A", "p1", "1", "7", "g"), ("A", "p2", "1", cell, "g")))
    assert message in str(caught.value)


def test_missing_columns_are_named_with_those_there_are():
    with pytest.raises(RatingError) as caught:
        read([], item="item", score="rating")
    text = str(caught.value)
    assert "'item' (--item), 'rating' (--score) not found" in text
    assert "the columns are: 'statement', 'who', 'round', 'score', 'group'" in text


def test_the_same_panellist_twice_for_an_item_and_round_is_refused():
    with pytest.raises(
        RatingError, match=r"'p1' rated item 'A' in round '1' twice \(rows 2 and 4\)"
    ):
        read(
            rows(("A", "p1", "1", "7", "g"), ("A", "p1", "2", "7", "g"), ("A", "p1", "1", "", "g"))
        )


def test_a_panellist_in_two_groups_and_empty_keys_are_refused():
    with pytest.raises(RatingError, match="in group 'g' .row 2. and in group 'h' .row 3."):
        read(rows(("A", "p1", "1", "7", "g"), ("B", "p1", "1", "7", "h")))
    with pytest.raises(RatingError, match=r"Row 2: the panellist \('who'\) is empty"):
        read(rows(("A", "", "1", "7", "g")))


def test_row_numbers_can_be_given_for_files_with_blank_lines():
    with pytest.raises(RatingError, match="Row 7:"):
        read(rows(("A", "p1", "1", "7", "g"), ("A", "p2", "1", "x", "g")), row_numbers=[2, 7])


def test_check_ratings_and_parse_score():
    assert parse_score(" 9 ") == 9 and parse_score("") is None and parse_score(None) is None
    with pytest.raises(RatingError, match="Rating 2 .p1, A, round 1.: score 11"):
        check_ratings([Rating("A", "p0", "1", 1), Rating("A", "p1", "1", 11)])
    with pytest.raises(RatingError, match="twice"):
        check_ratings([Rating("A", "p1", "1", 1), Rating("A", "p1", "1", 2)])


# --- the engine ---------------------------------------------------------------------------


def test_items_first_seen_rounds_in_natural_order_and_every_group_listed():
    ratings = [
        Rating("Z", "p1", "10", 7, "patient"),
        Rating("Z", "p1", "2", 8, "patient"),
        Rating("A", "p2", "2", U, "family"),
        Rating("A", "p1", "2", U, "patient"),
    ]
    table = tabulate(ratings)
    assert table.items == ["Z", "A"] and table.rounds == ["2", "10"]
    assert table.groups == ["patient", "family"]
    results = apply(table, Rule.make("comet"))
    assert [(r.item, r.round) for r in results] == [("Z", "2"), ("Z", "10"), ("A", "2")]
    empty = results[2]
    assert empty.panel.n == 0 and empty.panel.unable == 2 and empty.status == "undecided"
    assert empty.as_json() == {
        "item": "A",
        "round": "2",
        "n": 0,
        "median": None,
        "q1": None,
        "q3": None,
        "pct_7_9": None,
        "pct_1_3": None,
        "status": "undecided",
        "groups": {
            g: {
                "n": 0,
                "median": None,
                "q1": None,
                "q3": None,
                "pct_7_9": None,
                "pct_1_3": None,
                "status": "undecided",
            }
            for g in ("patient", "family")
        },
    }
    assert list(results[1].groups) == ["patient", "family"]
    assert results[1].groups["family"].summary.n == 0


def test_round_labels_without_numbers_keep_their_order():
    ratings = [Rating("A", "p", r, 5) for r in ("first", "second", "third")]
    assert tabulate(ratings).rounds == ["first", "second", "third"]
    ratings = [Rating("A", "p", r, 5) for r in ("R10", "R2", "R1")]
    assert tabulate(ratings).rounds == ["R1", "R2", "R10"]


# --- between rounds ------------------------------------------------------------------------


def test_stability_is_the_change_in_the_top_third_at_most_the_threshold():
    ratings = [Rating("A", f"p{i}", "1", 8 if i < 14 else 5) for i in range(20)]  # 70 %
    ratings += [Rating("A", f"p{i}", "2", 8 if i < 11 else 5) for i in range(20)]  # 55 %
    ratings += [Rating("A", f"p{i}", "3", 8 if i < 12 else 5) for i in range(22)]  # 54.5 %
    ratings += [Rating("B", "p1", "1", U), Rating("B", "p1", "2", 9)]
    changes = stability(tabulate(ratings).cells)
    first, second, b = changes
    assert (first.from_round, first.to_round, first.change, first.stable) == ("1", "2", -15.0, True)
    assert second.change == pytest.approx(1200 / 22 - 55) and second.stable is True
    assert (b.item, b.change, b.stable) == ("B", None, None)
    strict = stability(tabulate(ratings).cells, threshold=14.9)
    assert strict[0].stable is False


def test_stability_per_group():
    ratings = group_ratings("A", "1", {"patient": [8, 8], "family": [8, 5]})
    ratings += group_ratings("A", "2", {"patient": [8, 5], "family": [8, 5]})
    changes = stability(apply(tabulate(ratings), Rule.make("comet")), groups=True)
    by_group = {c.group: c for c in changes}
    assert by_group[""].change == -25.0 and by_group[""].stable is False
    assert by_group["patient"].change == -50.0 and by_group["family"].change == 0.0


def test_attrition_per_group_and_round():
    ratings = [
        Rating("A", "p1", "1", 7, "patient"),
        Rating("A", "p2", "1", 7, "patient"),
        Rating("A", "p3", "1", 7, "family"),
        Rating("A", "p1", "2", U, "patient"),  # unable to judge still answered
        Rating("A", "p3", "2", 8, "family"),
    ]
    got = {(a.group, a.round): a for a in attrition(ratings)}
    assert got[("patient", "2")].base == 2 and got[("patient", "2")].answered == 1
    assert got[("patient", "2")].pct_answered == 50.0 and got[("patient", "2")].lost == 1
    assert got[("family", "2")].lost == 0 and got[("", "2")].answered == 2
    invited = {"p1": "patient", "p2": "patient", "p3": "family", "p4": "family"}
    got = {(a.group, a.round): a for a in attrition(ratings, invited)}
    assert got[("family", "1")].base == 2 and got[("family", "1")].pct_answered == 50.0
    assert got[("", "1")].base == 4 and got[("", "1")].answered == 3


# --- Borda and the 2 x 2 ------------------------------------------------------------------


def test_borda_counts_with_ties_broken_by_first_places():
    ballots = [
        ["a", "b", "c"],  # a 5, b 4, c 3
        ["b", "a", "d"],  # b 5, a 4, d 3
        ["c", "d"],  # c 5, d 4
        ["e"],  # e 5
        ["f", "g", "e", "c", "d"],  # f 5, g 4, e 3, c 2, d 1
    ]
    # c 10; a 9 and b 9 with the same places (1 first, 1 second): a true tie, listed by name;
    # e 8 with a first place before d 8 without; f 5; g 4; h (named by no ballot) 0.
    got = borda(ballots, items=["h"])
    assert [(r.item, r.points, r.rank, r.tied) for r in got] == [
        ("c", 10, 1, False),
        ("a", 9, 2, True),
        ("b", 9, 2, True),
        ("e", 8, 4, False),
        ("d", 8, 5, False),
        ("f", 5, 6, False),
        ("g", 4, 7, False),
        ("h", 0, 8, False),
    ]
    rows = {r.item: r for r in got}
    assert rows["c"].places == (1, 0, 1, 1, 0) and rows["d"].places == (0, 1, 1, 0, 1)
    assert rows["c"].ballots == 3 and rows["h"].ballots == 0


def test_borda_refuses_bad_ballots():
    with pytest.raises(ValueError, match="Ballot 2 names a more than once"):
        borda([["a"], ["a", "a"]])
    with pytest.raises(ValueError, match="Ballot 1 lists 6 items; at most 5"):
        borda([list("abcdef")])
    assert [r.points for r in borda([["x", "y"]], top=3)] == [3, 2]


def test_importance_against_feasibility_at_the_cut_off():
    importance = {"a": summarise_scores([7, 7]), "b": 8.0, "c": 6.5, "d": 2, "e": None}
    feasibility = {"a": 9, "b": summarise_scores([6, 8]), "c": 7, "d": 3, "e": 8}
    placed = {p.item: p for p in classify(importance, feasibility)}
    assert {i: p.quadrant for i, p in placed.items()} == {
        "a": "important_feasible",  # exactly 7 is high
        "b": "important_feasible",
        "c": "feasible_not_important",
        "d": "neither",
        "e": "unknown",
    }
    assert placed["a"].importance == 7.0 and placed["b"].feasibility == 7.0
    assert quadrant(8, 6.5) == "important_not_feasible"
    assert quadrant(6, 6, cutoff=6) == "important_feasible"
    assert set(QUADRANTS) >= {p.quadrant for p in placed.values()}


# --- reports ------------------------------------------------------------------------------


def study():
    ratings = group_ratings("=SUM(A1)", "1", {"patient": [8, 8, 9], "<b>pro</b>": [2, 5, U]})
    ratings += group_ratings("B", "1", {"patient": [8], "<b>pro</b>": [8]}, start=10)
    return ratings


def test_result_rows_hold_the_panel_and_each_group():
    rule = Rule.make("comet")
    rows = report.result_rows(summarise(study(), rule), rule)
    assert [(r["item"], r["group"]) for r in rows] == [
        ("=SUM(A1)", ""),
        ("=SUM(A1)", "patient"),
        ("=SUM(A1)", "<b>pro</b>"),
        ("B", ""),
        ("B", "patient"),
        ("B", "<b>pro</b>"),
    ]
    panel = rows[0]
    # 2 5 8 8 9: median 8, q1 5, q3 8; 7-9: 3 of 5; 1-3: 1 of 5; one unable
    assert (panel["n"], panel["unable"], panel["median"], panel["q1"], panel["q3"]) == (
        5,
        1,
        8,
        5,
        8,
    )
    assert (panel["pct_bottom"], panel["pct_middle"], panel["pct_top"]) == (20.0, 20.0, 60.0)
    assert panel["status"] == "undecided" and rows[1]["status"] == "in"
    # RAND/UCLA in its own words: 5 panellists, IPRAS: P30 5.6, P70 8, IPR 2.4 <= 5.05;
    # median 8: appropriate. The 'pro' group (2 and 5): median 3.5, uncertain.
    rand = Rule.make("rand_ucla")
    rand_rows = report.result_rows(summarise(study(), rand), rand)
    assert [r["status"] for r in rand_rows[:3]] == ["appropriate", "appropriate", "uncertain"]


def test_csv_and_xlsx_hold_the_figures_and_never_a_formula(tmp_path):
    rule = Rule.make("comet")
    rows = report.result_rows(summarise(study(), rule), rule)
    out = io.StringIO()
    report.write_csv(rows, out)
    lines = list(csv.reader(io.StringIO(out.getvalue())))
    assert lines[0] == [
        "Item",
        "Round",
        "Group",
        "n",
        "Unable to judge",
        "Median",
        "Q1",
        "Q3",
        "% 1-3",
        "% 4-6",
        "% 7-9",
        "Status",
    ]
    assert lines[1] == [
        "'=SUM(A1)",
        "1",
        "whole panel",
        "5",
        "1",
        "8.0",
        "5.0",
        "8.0",
        "20.0",
        "20.0",
        "60.0",
        "undecided",
    ]
    path = tmp_path / "results.xlsx"
    report.write_xlsx(rows, path, rule_text=rule.describe())
    book = load_workbook(path)
    sheet = book["Results"]
    assert sheet["A2"].value == "=SUM(A1)" and sheet["A2"].data_type == "s"
    assert sheet["F2"].value == 8 and sheet["K2"].value == 60
    assert sheet.max_row == 7
    assert "at least 70%" in book["Rule"]["A1"].value


def test_the_html_fragment_is_escaped_and_labels_statuses():
    rule = Rule.make("comet")
    rows = report.result_rows(summarise(study(), rule), rule)
    html = report.html_table(rows, caption="Round 1 & 2", status_labels={"in": "opgenomen"})
    assert "<b>pro</b>" not in html and "&lt;b&gt;pro&lt;/b&gt;" in html
    assert "<caption>Round 1 &amp; 2</caption>" in html
    assert '<td class="status-in">opgenomen</td>' in html
    assert '<td class="status-undecided">undecided</td>' in html
    assert html.count('<tr class="group-row">') == 4 and "style=" not in html
    panel_row = html.split("<tr>")[2].split("</tr>")[0]  # the first item's panel row
    assert "<td>whole panel</td>" in panel_row
    figures = [c.split(">")[1] for c in panel_row.split("<td")[1:] if 'class="num"' in c]
    assert [f.split("<")[0] for f in figures] == ["5", "1", "8", "5", "8", "20", "20", "60"]


class Lazy:
    """Stands in for a lazily translated string: not a str until asked."""

    def __init__(self, text):
        self.text = text

    def __str__(self):
        return self.text


def test_writers_take_translated_titles_and_rand_words_keep_their_status_class(tmp_path):
    rule = Rule.make("rand_ucla")
    rows = report.result_rows(summarise(study(), rule), rule)
    assert [r["status_code"] for r in rows[:3]] == ["in", "in", "undecided"]
    titles = {"item": Lazy("Stelling"), "_panel": Lazy("Hele panel")}
    html = report.html_table(rows, titles, status_labels={"uncertain": Lazy("onzeker")})
    assert '<th scope="col">Stelling</th>' in html and "<td>Hele panel</td>" in html
    assert '<th scope="col">Round</th>' in html  # missing titles fall back to English
    assert '<td class="status-in">appropriate</td>' in html
    assert '<td class="status-undecided">onzeker</td>' in html
    path = tmp_path / "r.xlsx"
    report.write_xlsx(rows, path, titles=titles, sheet_title=Lazy("Resultaten"))
    sheet = load_workbook(path)["Resultaten"]
    assert sheet["A1"].value == "Stelling" and sheet["C2"].value == "Hele panel"
    out = io.StringIO()
    report.write_csv(rows, out, titles)
    assert out.getvalue().splitlines()[0].startswith("Stelling,Round,Group,n,")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "at most 1.5; with consensus an item is in when its median is at least 4"),
        ("nl", "hoogstens 1,5 is; bij consensus is een item in wanneer de mediaan minstens 4"),
        (
            "fr",
            "d'au plus 1,5 ; avec consensus, un item est retenu lorsque sa médiane est d'au "
            "moins 4",
        ),
        ("nl-be", "hoogstens 1,5 is"),
        ("de", "at most 1.5;"),
    ],
)
def test_a_rule_states_itself_in_english_dutch_and_french(language, expected):
    rule = Rule.make("median_iqr", scope="groups", max_iqr=1.5)
    text = rule.describe(Scale(1, 5), language)
    assert expected in text
    assert "von der Gracht" in text


def test_every_rule_has_its_words_in_every_language():
    for language in ("en", "nl", "fr"):
        seen = set()
        for kind in KINDS:
            for scope in ("panel", "groups", "both"):
                for band in ("top", "bottom", "both") if kind == "percent_agreement" else (None,):
                    params = {"band": band} if band else {}
                    seen.add(Rule.make(kind, scope, **params).describe(language=language))
        assert len(seen) == 4 * 3 + 2 * 3  # every kind, scope and band reads differently


def test_comet_and_median_iqr_equal_their_definitions_on_random_panels():
    """An independent reading of each definition (fractions of counts, numpy quartiles) agrees
    with the engine on panels small enough to hit the thresholds often."""
    from fractions import Fraction

    rng = random.Random(11)
    for _ in range(2000):
        n = rng.randint(1, 21)
        values = [rng.choice([1, 2, 3, 5, 7, 8, 9]) for _ in range(n)]
        top = Fraction(sum(v >= 7 for v in values), n)
        bottom = Fraction(sum(v <= 3 for v in values), n)
        if top >= Fraction(70, 100) and bottom < Fraction(15, 100):
            expected = "in"
        elif top <= Fraction(50, 100):
            expected = "out"
        else:
            expected = "undecided"
        s = summarise_scores(values)
        assert evaluate(Rule.make("comet"), s).status == expected, values
        q1, median, q3 = np.percentile(values, [25, 50, 75])  # exact: multiples of 1/4
        if q3 - q1 <= 1 and median >= 7:
            expected = "in"
        elif q3 - q1 <= 1 and median <= 3:
            expected = "out"
        else:
            expected = "undecided"
        assert evaluate(Rule.make("median_iqr"), s).status == expected, values
