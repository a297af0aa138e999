"""``mango.research.finals``: the API other apps read final codes and agreement through."""

import pytest

from mango.lifecycle import actions as lifecycle
from mango.research import actions, finals
from mango.research.models import Assignment, Code, Codebook
from mango.stories.models import Story
from tests.conftest import make_story, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def setup(org):
    lead = make_user("lead", "researcher", None)
    coders = [make_user("c1", "researcher", None), make_user("c2", "researcher", None)]
    stories = [make_story(org) for _ in range(4)]
    return lead, coders, stories


def _round(slug, lead, coders, stories):
    return actions.create_round(
        lead,
        name=slug,
        codebook=Codebook.objects.get(slug=slug),
        stories=stories,
        coders=coders,
        coders_per_story=2,
    )


def _code(round, coder, story, keys):
    a = Assignment.objects.get(round=round, coder=coder, story=story)
    for key in keys:
        actions.toggle_code(a, Code.objects.get(codebook=round.codebook, key=key))
    if not keys:
        actions.mark_done(a)


def test_final_codes_list_settled_stories_even_with_no_code(setup):
    lead, coders, stories = setup
    r = _round("dimensions", lead, coders, stories)
    for c in coders:
        _code(r, c, stories[0], ["family", "access"])
        _code(r, c, stories[1], [])
    _code(r, coders[0], stories[2], ["respect"])  # one coder only: not settled
    lifecycle.close_round(lead, r)
    result = finals.final_codes("dimensions")
    assert result == {stories[0].pk: frozenset({"family", "access"}), stories[1].pk: frozenset()}
    assert finals.final_codes("dimensions", [stories[1].pk]) == {stories[1].pk: frozenset()}
    only = Story.objects.filter(pk=stories[0].pk)
    assert list(finals.final_codes("dimensions", only)) == [stories[0].pk]
    assert finals.final_codes("screening") == {}


def test_screening_gives_the_exclusion_reason(setup):
    lead, coders, stories = setup
    r = _round("screening", lead, coders, stories)
    for c in coders:
        _code(r, c, stories[0], ["mangomoment"])
        _code(r, c, stories[1], ["celebrity_visit"])
    _code(r, coders[0], stories[2], ["mangomoment"])
    _code(r, coders[1], stories[2], ["ordinary_care"])
    lifecycle.close_round(lead, r)
    assert finals.screening() == {
        stories[0].pk: (True, None),
        stories[1].pk: (False, "celebrity_visit"),
    }
    lifecycle.adjudicate(lead, r, stories[2], ["ordinary_care"], "Expected care.")
    assert finals.screening()[stories[2].pk] == (False, "ordinary_care")


def test_a_later_round_does_not_overwrite_an_adjudication(setup):
    lead, coders, stories = setup
    first = _round("screening", lead, coders, stories[:1])
    _code(first, coders[0], stories[0], ["mangomoment"])
    _code(first, coders[1], stories[0], ["unclear"])
    lifecycle.close_round(lead, first)
    lifecycle.adjudicate(lead, first, stories[0], ["unclear"], "Too short to judge.")
    second = _round("screening", lead, coders, stories[:1])
    for c in coders:
        _code(second, c, stories[0], ["mangomoment"])
    lifecycle.close_round(lead, second)
    assert finals.screening()[stories[0].pk] == (False, "unclear")


def test_round_agreement_before_two_coders_finish_is_empty_not_an_error(setup):
    lead, coders, stories = setup
    r = _round("dimensions", lead, coders, stories)
    empty = finals.round_agreement(r)
    assert empty["units"] == 0 and empty["overall"] is None and empty["per_code"] == {}
    _code(r, coders[0], stories[0], ["respect"])
    one = finals.round_agreement(r)
    assert one["coders"] == 1 and one["overall"] is None


def test_round_agreement_matches_the_library_on_the_same_table(setup):
    from mango.lib import agreement

    lead, coders, stories = setup
    r = _round("dimensions", lead, coders, stories)
    plan = [["respect"], ["respect", "family"], [], ["access"]]
    other = [["respect"], ["respect"], ["family"], ["access"]]
    for story, mine, theirs in zip(stories, plan, other, strict=True):
        _code(r, coders[0], story, mine)
        _code(r, coders[1], story, theirs)
    result = finals.round_agreement(r, resamples=0)
    frame = finals.round_codings_frame(r)
    assert len(frame) == 4 * 2 * 8
    expected = agreement.round_agreement(frame, resamples=0, seed=r.pk).as_dict(digits=6)
    assert result["per_code"] == expected["per_code"]
    assert result["per_code"]["family"]["percent_agreement"]["value"] == 0.5
    assert "finished assignments" in result["method"]["input"]


def test_closing_twice_is_refused(setup):
    lead, coders, stories = setup
    r = _round("dimensions", lead, coders, stories)
    lifecycle.close_round(lead, r)
    with pytest.raises(actions.RoundClosed):
        lifecycle.close_round(lead, r)
    a = Assignment.objects.filter(round=r).first()
    with pytest.raises(actions.RoundClosed):
        actions.toggle_code(a, Code.objects.get(codebook=r.codebook, key="respect"))
