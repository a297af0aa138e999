"""The demo's consensus studies: a finished two-round Delphi with 40 panellists in five
stakeholder groups, and a consensus meeting with one live session; loading again replaces
them."""

import io

import pytest

from mango.consensus import demo, live, results
from mango.consensus.models import Decision, LiveRanking, LiveVote, Study
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_the_demo_holds_a_finished_delphi_and_a_live_session():
    make_user("researcher", "researcher", None)
    out = io.StringIO()
    demo.load(out)
    delphi = Study.objects.get(title=demo.DELPHI_TITLE)
    groups = list(delphi.panellists.values_list("group", flat=True))
    assert len(groups) == 40 and {g: groups.count(g) for g in set(groups)} == dict.fromkeys(
        demo.GROUPS, 8
    )
    rounds = list(delphi.rounds.order_by("number"))
    assert [(r.number, r.status) for r in rounds] == [(1, "closed"), (2, "closed")]
    assert delphi.rule_locked
    first = set(results.primary_status(rounds[0]).values())
    assert {"in", "out"} <= first  # a mix, so the demo shows what the rule does
    # Items in after round 1 were dropped; the proposal joined round 2.
    assert rounds[1].items.count() < rounds[0].items.count() + 1
    assert rounds[1].items.filter(proposed_by__isnull=False).exists()
    lost = {a.group: a.lost for a in results.attrition(delphi, rounds) if a.round == "2"}
    assert lost["patient"] == 2 and lost["family"] == 1 and lost[""] == 3

    meeting = Study.objects.get(title=demo.MEETING_TITLE)
    session = meeting.live_sessions.get()
    assert LiveVote.objects.filter(session=session, ballot=2).exists()  # a re-vote
    assert Decision.objects.filter(session=session).count() == meeting.items.count()
    assert LiveRanking.objects.filter(session=session).exists()
    assert live.matrix(session)
    assert "40 panellists" in out.getvalue()

    demo.load(io.StringIO())
    assert Study.objects.filter(title=demo.DELPHI_TITLE).count() == 1
    assert Study.objects.filter(title=demo.MEETING_TITLE).count() == 1
