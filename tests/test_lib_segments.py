"""Character-level agreement between two coders' segments."""

import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from mango.lib.segments import from_utf16, pooled_segment_agreement, segment_agreement


def test_a_hand_worked_example():
    # 20 characters. Coder A marks "x" on 0-8, coder B on 2-10 (end exclusive):
    #   both 2-8 (6), only A 0-2 (2), only B 8-10 (2), neither 10-20 (10).
    #   percent agreement (6 + 10) / 20 = 0.8
    #   chance: A marks 8/20 = .4, B .4 -> .4 x .4 + .6 x .6 = .52
    #   kappa (.8 - .52) / (1 - .52) = .28 / .48 = 0.58333
    #   IoU 6 / 10 = 0.6; Dice 2 x 6 / (8 + 8) = 0.75
    result = segment_agreement(20, [(0, 8, "x")], [(2, 10, "x")])
    x = result["x"]
    assert (x.characters, x.coded_a, x.coded_b, x.coded_both) == (20, 8, 8, 6)
    assert x.percent_agreement == pytest.approx(0.8)
    assert x.cohen_kappa == pytest.approx(0.28 / 0.48)
    assert x.iou == pytest.approx(0.6)
    assert x.dice == pytest.approx(0.75)
    assert x.reason is None


def test_kappa_equals_sklearn_on_the_characters():
    a, b = [(0, 8, "x"), (12, 15, "x")], [(2, 10, "x"), (14, 19, "x")]
    in_a, in_b = np.zeros(20, int), np.zeros(20, int)
    for start, end, _ in a:
        in_a[start:end] = 1
    for start, end, _ in b:
        in_b[start:end] = 1
    result = segment_agreement(20, a, b)["x"]
    assert result.cohen_kappa == pytest.approx(cohen_kappa_score(in_a, in_b))
    assert result.percent_agreement == pytest.approx((in_a == in_b).mean())


def test_overlapping_segments_of_one_code_merge():
    merged = segment_agreement(20, [(0, 5, "x"), (3, 8, "x"), (4, 6, "x")], [(2, 10, "x")])
    single = segment_agreement(20, [(0, 8, "x")], [(2, 10, "x")])
    assert merged == single


def test_codes_are_compared_separately_even_where_they_overlap():
    result = segment_agreement(
        10, [(0, 10, "respect"), (2, 4, "emotional")], [(0, 10, "respect"), (2, 5, "emotional")]
    )
    assert set(result) == {"respect", "emotional"}
    assert result["emotional"].coded_both == 2
    assert result["emotional"].percent_agreement == pytest.approx(0.9)


def test_everything_coded_by_both_leaves_kappa_undefined_with_a_reason():
    result = segment_agreement(10, [(0, 10, "x")], [(0, 10, "x")])["x"]
    assert result.percent_agreement == 1.0
    assert result.cohen_kappa is None
    assert result.reason == "no variation: all codings are the same category"
    assert result.iou == 1.0


def test_a_code_used_by_one_coder_only():
    result = segment_agreement(10, [(0, 4, "x")], [])["x"]
    assert result.coded_b == 0
    assert result.cohen_kappa == 0.0
    assert result.iou == 0.0 and result.dice == 0.0
    assert result.percent_agreement == pytest.approx(0.6)


def test_positions_count_python_characters_not_bytes_or_utf16_units():
    # "😀" is one Python character (4 bytes in UTF-8, 2 units in UTF-16); a decomposed "é"
    # (e + U+0301) is two.
    text = "Ze zei: 😀 dank je, e\u0301cht!"
    assert len(text) == 25
    assert text.index("dank") == 10  # 8 characters, the emoji, a space
    a = [(10, 17, "thanks"), (8, 9, "emoji"), (19, 23, "really")]
    b = [(10, 14, "thanks"), (8, 9, "emoji"), (19, 21, "really")]
    assert [text[s:e] for s, e, _ in a] == ["dank je", "😀", "e\u0301ch"]
    result = segment_agreement(text, a, b)
    assert result["thanks"].characters == 25
    assert (result["thanks"].coded_a, result["thanks"].coded_b) == (7, 4)
    assert result["emoji"].iou == 1.0
    assert result["really"].coded_both == 2  # "e" and the combining accent


def test_from_utf16_turns_browser_offsets_into_python_positions():
    text = "a😀b"
    assert [from_utf16(text, o) for o in (0, 1, 3, 4)] == [0, 1, 2, 3]
    with pytest.raises(ValueError, match="inside the character"):
        from_utf16(text, 2)
    with pytest.raises(ValueError, match="outside the text"):
        from_utf16(text, 5)
    # In a browser "😀 dank".indexOf("dank") is 3; in Python it is 2.
    assert from_utf16("😀 dank", 3) == "😀 dank".index("dank")


def test_pooling_documents_is_like_concatenating_them():
    pooled = pooled_segment_agreement(
        [
            (10, [(0, 4, "x")], [(1, 5, "x")]),
            (8, [(2, 6, "y")], [(2, 6, "y"), (0, 1, "x")]),
        ]
    )
    joined = segment_agreement(
        18, [(0, 4, "x"), (12, 16, "y")], [(1, 5, "x"), (12, 16, "y"), (10, 11, "x")]
    )
    assert pooled == joined
    assert pooled["y"].characters == 18  # the first document counts as agreed "absent"


def test_bad_segments_are_clear_errors():
    with pytest.raises(ValueError, match="Coder A: segment \\(5, 25, 'x'\\) is outside"):
        segment_agreement(20, [(5, 25, "x")], [])
    with pytest.raises(ValueError, match="Coder B: segment \\(6, 5, 'x'\\)"):
        segment_agreement(20, [], [(6, 5, "x")])
    with pytest.raises(ValueError, match="whole-number positions"):
        segment_agreement(20, [(1.5, 4, "x")], [])
    with pytest.raises(ValueError, match="not a \\(start, end, code\\) segment"):
        segment_agreement(20, [(1, 4)], [])
    with pytest.raises(ValueError, match="text or its length"):
        segment_agreement(None, [], [])


def test_empty_segments_and_unused_codes_are_left_out():
    assert segment_agreement("", [], []) == {}
    assert segment_agreement(5, [(2, 2, "x")], []) == {}
