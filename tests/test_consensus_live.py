"""Live sessions: participants join with the room code, vote from their phones, the screen
shows the live distribution, re-votes are new ballots, top-5 rankings give Borda counts,
importance against feasibility falls in the 2 x 2 picture, and decisions are recorded."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from mango.audit.models import AuditEvent
from mango.consensus import actions, live
from mango.consensus.models import Decision, LiveVote

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def session(researcher):
    study = actions.create_study(
        researcher,
        title="Consensus meeting",
        kind="meeting",
        question={"nl": "Wat is belangrijk?"},
        criteria=[
            {"key": "importance", "label": {"nl": "Belang"}},
            {"key": "feasibility", "label": {"nl": "Haalbaarheid"}},
        ],
    )
    for n in range(1, 7):
        actions.add_item(researcher, study, text={"nl": f"Uitspraak {n}"}, key=f"S{n}")
    actions.set_rule(researcher, study, {"kind": "comet"})
    return actions.create_live_session(researcher, study, name="Zaal 1")


def join(session, group="patient") -> Client:
    phone = Client()
    url = reverse("consensus:room", args=[session.code])
    assert phone.get(url).status_code == 200  # asks the group
    response = phone.post(url, {"group": group})
    assert response.status_code == 302
    return phone


def test_phones_vote_and_the_screen_shows_the_distribution(client, researcher, session):
    study = session.study
    s1 = study.items.get(key="S1")
    importance, feasibility = study.criteria.all()
    client.force_login(researcher)
    live_url = reverse("consensus:live", args=[study.pk, session.pk])
    page = client.get(live_url).content.decode()
    assert session.code in page and "data:image/svg+xml;base64," in page  # room code and QR
    client.post(
        reverse("consensus:live_control", args=[study.pk, session.pk]),
        {"action": "show", "item": s1.pk},
    )
    phones = [join(session, g) for g in ("patient", "patient", "professional")]
    vote = reverse("consensus:room_vote", args=[session.code])
    for phone, score in zip(phones, ["8", "9", "3"], strict=True):
        page = phone.get(reverse("consensus:room", args=[session.code])).content.decode()
        assert "Uitspraak 1" in page
        phone.post(vote, {f"score-{importance.pk}": score, f"score-{feasibility.pk}": "7"})
    # Voting again on the same ballot changes the vote, it does not add one.
    phones[2].post(vote, {f"score-{importance.pk}": "4"})
    assert LiveVote.objects.filter(session=session, criterion=importance).count() == 3

    screen = client.get(reverse("consensus:live_screen", args=[study.pk, session.pk]))
    text = screen.content.decode()
    assert "3 van 3 stemden" in text
    assert re.search(r"4: 1, 5: 0, 6: 0, 7: 0, 8: 1, 9: 1", text)
    assert "mediaan 8" in text.lower()

    # A re-vote starts a new ballot: the screen starts empty, the earlier votes stay.
    client.post(
        reverse("consensus:live_control", args=[study.pk, session.pk]), {"action": "revote"}
    )
    session.refresh_from_db()
    assert session.ballot == 2
    assert (
        "0 van 3 stemden"
        in client.get(
            reverse("consensus:live_screen", args=[study.pk, session.pk])
        ).content.decode()
    )
    assert live.state(session) == f"rating:{s1.pk}:2"
    state = phones[0].get(reverse("consensus:room", args=[session.code]) + "?state=1")
    assert state.content.decode() == live.state(session)

    # The decision and its rationale, audited.
    client.post(
        reverse("consensus:live_decide", args=[study.pk, session.pk]),
        {"item": s1.pk, "decision": "in", "rationale": "Breed gedragen."},
    )
    decision = Decision.objects.get(session=session, item=s1)
    assert (decision.decision, decision.rationale) == ("in", "Breed gedragen.")
    assert AuditEvent.objects.filter(action="consensus.decided").exists()


def test_top_5_rankings_give_borda_counts(client, researcher, session):
    study = session.study
    items = {i.key: i for i in study.items.all()}
    actions.live_show(researcher, session, item=None, mode="ranking")
    ballots = [
        ["S1", "S2", "S3", "S4", "S5"],
        ["S2", "S1", "S3"],
        ["S2", "S3"],
    ]
    rank_url = reverse("consensus:room_rank", args=[session.code])
    for ballot in ballots:
        phone = join(session)
        phone.post(rank_url, {f"rank-{n}": items[k].pk for n, k in enumerate(ballot, 1)})
    rows = {r["item"].key: r["row"] for r in live.ranking(session)}
    # S2: 4 + 5 + 5 = 14; S1: 5 + 4 = 9; S3: 3 + 3 + 4 = 10; S4: 2; S5: 1.
    assert {k: r.points for k, r in rows.items()} == {"S2": 14, "S3": 10, "S1": 9, "S4": 2, "S5": 1}
    assert [r.item for r in sorted(rows.values(), key=lambda r: r.rank)][:1] == [
        str(items["S2"].pk)
    ]
    client.force_login(researcher)
    text = client.get(reverse("consensus:live_screen", args=[study.pk, session.pk])).content
    assert b"14" in text
    # The same statement twice is refused.
    phone = join(session)
    phone.post(rank_url, {"rank-1": items["S1"].pk, "rank-2": items["S1"].pk})
    assert len(live.ranking(session)) == 5


def test_importance_against_feasibility(researcher, session):
    study = session.study
    importance, feasibility = study.criteria.all()
    phones = [actions.live_join(session, "patient") for _ in range(3)]
    plan = {"S1": (8, 8), "S2": (8, 3), "S3": (3, 8), "S4": (2, 2)}
    for key, (imp, feas) in plan.items():
        actions.live_show(researcher, session, item=study.items.get(key=key))
        for p in phones:
            actions.live_vote(p, importance, imp)
            actions.live_vote(p, feasibility, feas)
    placed = {m["item"].key: m["placed"].quadrant for m in live.matrix(session)}
    assert placed == {
        "S1": "important_feasible",
        "S2": "important_not_feasible",
        "S3": "feasible_not_important",
        "S4": "neither",
    }


def test_participants_reach_only_their_room(client, researcher, session, other_org):
    study = session.study
    phone = join(session)
    assert phone.get(reverse("consensus:live", args=[study.pk, session.pk])).status_code == 302
    outsider = Client()
    assert outsider.get(reverse("consensus:room", args=["NOPE00"])).status_code == 404
    # A vote without having joined goes back to the group choice.
    response = outsider.post(reverse("consensus:room_vote", args=[session.code]), {})
    assert response.status_code == 302
    assert not LiveVote.objects.exists()
    # Closed: the room is gone.
    actions.live_show(researcher, session, item=None, mode="closed")
    assert phone.get(reverse("consensus:room", args=[session.code])).status_code == 404
