"""The dashboard's database aggregation gives the numbers lib.analysis gives on the frame of
the same stories, for every grouping."""

import numpy as np
import pytest

from mango.analysis import aggregate, data
from mango.lib import analysis
from tests.test_analysis_data import DIMENSIONS, build_coded_campaign

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def coded(org, other_org):
    return build_coded_campaign(org, other_org, n=120, seed=11)


def frame_and_parts(coded, group, organisation=None, **kwargs):
    frame = data.story_frame(data.facts_of(coded.campaign, organisation), DIMENSIONS)
    selection = aggregate.Selection(
        campaign=coded.campaign.pk, organisation=organisation.pk if organisation else None
    )
    parts, names = aggregate.parts(
        selection,
        group=group,
        dimensions=DIMENSIONS,
        reasons=[],
        units_of_organisation=kwargs.get("units", False),
        language="en",
    )
    return frame, parts, names


def test_respondents_and_screening_equal_lib_analysis(coded):
    frame, parts, _ = frame_and_parts(coded, "respondent_group")
    assert parts.stories == len(frame) == len(coded.analysed)
    for column, expected in analysis.respondents(frame).items():
        got = parts.respondents[column].table
        assert got["value"].tolist() == expected.table["value"].tolist()
        assert got["n"].tolist() == expected.table["n"].tolist()
        np.testing.assert_allclose(got["percent"], expected.table["percent"], rtol=1e-12)
    expected = analysis.screening(frame)
    got = parts.screening
    assert (got.included, got.excluded, got.pending) == (
        expected.included,
        expected.excluded,
        expected.pending,
    )
    assert dict(zip(got.reasons["reason"], got.reasons["n"], strict=True)) == dict(
        zip(expected.reasons["reason"], expected.reasons["n"], strict=True)
    )


@pytest.mark.parametrize("group", ["respondent_group", "setting", "teller_role", "organisation"])
def test_dimension_by_group_equals_lib_analysis(coded, group):
    frame, parts, names = frame_and_parts(coded, group)
    base = frame[(frame["screening"] == "included") & frame["coded"]]
    if group == "respondent_group":
        base = base.assign(respondent_group=analysis.respondent_group(base))
    if group == "organisation":
        base = base.assign(organisation=base["organisation_id"])
    got = parts.comparison
    expected = analysis.dimension_by_group(base, group, DIMENSIONS, groups=got.groups)
    assert got.counts.equals(expected.counts)
    assert got.totals.tolist() == expected.totals.tolist()
    assert got.unlabelled.tolist() == expected.unlabelled.tolist()
    assert got.multi_label == expected.multi_label
    for a, b in zip(got.tests, expected.tests, strict=True):
        assert a.test == b.test
        for field in ("statistic", "p", "p_holm", "cramers_v"):
            x, y = getattr(a, field), getattr(b, field)
            assert (x is None and y is None) or x == pytest.approx(y, abs=1e-12)
    np.testing.assert_allclose(got.residuals, expected.residuals, atol=1e-12)
    if group == "organisation":
        assert set(names.values()) == {coded.org.name, coded.other_org.name}


def test_months_and_units_equal_lib_analysis(coded):
    frame, parts, _ = frame_and_parts(coded, "respondent_group", coded.org, units=True)
    groups = parts.comparison.groups
    expected = analysis.by_month(
        frame.assign(g=analysis.respondent_group(frame)),
        "submitted_at",
        "g",
        groups=groups,
        tz="Europe/Brussels",
    )
    assert parts.months.counts.to_numpy().tolist() == expected.counts.to_numpy().tolist()
    assert list(parts.months.counts.index) == list(expected.counts.index)
    base = frame[(frame["screening"] == "included") & frame["coded"]]
    units = analysis.by_unit(base, "unit", DIMENSIONS)
    got = parts.units.table.set_index("unit")
    want = units.table.set_index("unit")
    assert got["stories"].to_dict() == want["stories"].to_dict()
    for key in DIMENSIONS:
        assert got[key].to_dict() == want[key].to_dict()


def test_a_period_filter_and_quarters(coded):
    frame, parts, _ = frame_and_parts(coded, "period")
    base = frame[(frame["screening"] == "included") & frame["coded"]]
    quarters = analysis.period(base, unit="quarter", tz="Europe/Brussels")
    assert parts.comparison.totals.to_dict() == quarters.value_counts().sort_index().to_dict()
