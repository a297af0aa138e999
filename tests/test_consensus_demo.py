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


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_every_page_of_the_demo_studies_renders(client, language):
    from django.urls import reverse
    from django.utils import translation

    from mango.consensus.access import panellist_token

    researcher = make_user("researcher", "researcher", None)
    admin = make_user("boss", is_superuser=True, is_staff=True)
    demo.load(io.StringIO())
    delphi = Study.objects.get(title=demo.DELPHI_TITLE)
    meeting = Study.objects.get(title=demo.MEETING_TITLE)
    session = meeting.live_sessions.get()
    item = delphi.items.first()
    panellist = delphi.panellists.first()
    with translation.override(language):
        staff = [
            reverse("consensus:studies"),
            reverse("consensus:study_create"),
            reverse("consensus:study", args=[delphi.pk]),
            reverse("consensus:study_edit", args=[delphi.pk]),
            reverse("consensus:item_create", args=[delphi.pk]),
            reverse("consensus:item", args=[delphi.pk, item.pk]),
            reverse("consensus:item_edit", args=[delphi.pk, item.pk]),
            reverse("consensus:rule", args=[delphi.pk]),
            reverse("consensus:panel", args=[delphi.pk]),
            reverse("consensus:round", args=[delphi.pk, 1]),
            reverse("consensus:round", args=[delphi.pk, 2]),
            reverse("consensus:results", args=[delphi.pk]),
            reverse("consensus:results", args=[meeting.pk]),
            reverse("consensus:codebook", args=[delphi.pk]),
            reverse("consensus:live", args=[meeting.pk, session.pk]),
            reverse("consensus:live_screen", args=[meeting.pk, session.pk]),
        ] + [reverse("consensus:export", args=[delphi.pk, f]) for f in ("csv", "xlsx", "html")]
        public = [
            reverse("consensus:panel_home", args=[panellist_token(panellist)]),
            reverse("consensus:room_join"),
            reverse("consensus:room", args=[session.code]),
        ]
    for user in (researcher, admin):
        client.force_login(user)
        for url in staff:
            assert client.get(url).status_code == 200, url
    client.logout()
    for url in public:
        assert client.get(url).status_code == 200, url
    for url in staff[:3]:
        assert client.get(url).status_code == 302, url  # to the sign-in page
