"""``mango demo load`` leaves two closed, double-coded, adjudicated rounds."""

import io

import pytest
from django.core.management import call_command

from mango.research import finals
from mango.research.models import Coding, CodingRound, Decision

pytestmark = pytest.mark.django_db


def test_the_demo_has_closed_double_coded_adjudicated_rounds():
    call_command("demo_load", stdout=io.StringIO())
    rounds = CodingRound.objects.filter(selection__demo=True)
    assert {r.codebook.slug for r in rounds} == {"screening", "dimensions"}
    for r in rounds:
        assert r.status == "closed"
        assert set(r.round_coders.values_list("user__username", flat=True)) == {"coder1", "coder2"}
        assert Coding.objects.filter(round=r).values("coder").distinct().count() == 2
        methods = set(Decision.objects.filter(round=r).values_list("method", flat=True))
        assert methods == {"agreed", "adjudicated"}  # some disagreements, all settled
    dims = rounds.get(codebook__slug="dimensions")
    result = finals.round_agreement(dims)
    assert 0.5 < result["overall"]["cohen_kappa"]["value"] < 0.99
    screened = finals.screening()
    assert screened and any(not ok for ok, _ in screened.values())
    assert all(reason for ok, reason in screened.values() if not ok)
    # Loading again replaces the demo rounds instead of piling them up.
    call_command("demo_load", stdout=io.StringIO())
    assert CodingRound.objects.filter(selection__demo=True).count() == 2
    assert (
        len(finals.final_codes("dimensions"))
        == Decision.objects.filter(codebook__slug="dimensions").count()
    )
