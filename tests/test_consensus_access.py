"""Every consensus page, asked by each kind of user, built from the app's URL configuration: a
new route fails here until someone decides how to build its arguments and what each user gets.

The study belongs to one organisation and was made by that organisation's researcher ("lead",
who is not among the users asked). Its panellists' names, e-mail addresses, comments and
proposals carry canaries. Following ``mango.consensus.access``:

- anonymous visitors are sent to sign in on every staff page;
- the organisation's manager and team member (members without research rights) get 403;
- a researcher of another organisation gets 404 for the study (its own, empty, list is 200);
- a network-wide researcher manages every study (``can_manage``), including one they did not
  create, and so does an administrator;
- panellist pages open only with the panellist's own, current signed link: a forged, tampered,
  wrongly salted, replaced or revoked link is 404 for everyone, and the right link never shows
  another panellist's name, address, comment, proposal or link;
- live rooms open with their room code only; a wrong or closed room is 404.

Nobody but the study's managers sees a panellist's name or address, nobody at all sees a
panellist's link on a staff page, and a refused request changes nothing.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import translation

from mango.audit.models import AuditEvent
from mango.consensus import actions
from mango.consensus.access import LINK_SALT, panellist_token
from mango.consensus.models import (
    Comment,
    Criterion,
    Decision,
    Item,
    LiveParticipant,
    LiveSession,
    Panellist,
    Proposal,
    Rating,
    Round,
    Study,
    Submission,
)
from mango.consensus.urls import urlpatterns
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

LOGIN = "302 to the sign-in page"
OK = "200 or 302 (allowed)"
# In the order they are asked: the refused first, so that an allowed user's change (a closed
# round, a revoked link) cannot hide a refused user's.
USERS = ("anonymous", "manager", "member", "other_researcher", "network_researcher", "admin")
MANAGERS = {"network_researcher", "admin"}
PANELLIST_PAGES = {
    f"consensus:{n}" for n in ("panel_home", "panel_item", "panel_submit", "panel_propose")
}
PANEL_LINK = re.compile(r"/consensus/p/([^/\"'\s<>]+)/")


def staff_page(ok=200):
    """A page of the study: managers only; members of its organisation 403, others 404."""
    return {
        "anonymous": LOGIN,
        "manager": 403,
        "member": 403,
        "other_researcher": 404,
        "network_researcher": ok,
        "admin": ok,
    }


def researchers(ok=200):
    """A page of no study in particular: every researcher, for their own scope."""
    return {**staff_page(ok), "other_researcher": ok}


def everyone(status):
    return dict.fromkeys(USERS, status)


@dataclass
class Variant:
    label: str
    path: str
    expect: dict
    method: str = "GET"
    data: dict = field(default_factory=dict)
    # What the users allowed on this page must still not see (besides panellist links).
    hidden_from_managers: tuple = ()
    # Panellist pages: the only panellist link the page may hold.
    own_token: str | None = None
    # Users answered 200 (a form with its error) whose request must still change nothing.
    unchanged: tuple = ()


@dataclass
class World:
    study: Study
    item: Item
    round: Round
    a: Panellist  # active; has answered with a comment
    b: Panellist  # active; has answered, commented and proposed; link reissued
    c: Panellist  # revoked
    token_a: str
    token_b: str  # b's current link
    token_b_old: str  # b's link before it was reissued
    token_c: str  # c's link, revoked
    session: LiveSession
    closed_session: LiveSession
    users: dict
    names: list  # the panellists' names and addresses
    answers: list  # their comments and proposals
    title: str
    # The other organisation's researcher's own study, with a live session: this study's
    # objects asked under that study's URL must be 404 for everyone.
    far_study: Study | None = None
    far_session: LiveSession | None = None
    network_study: Study | None = None  # network-wide, made by another network researcher

    def everything(self) -> list[str]:
        return [self.title, *self.names, *self.answers]

    def of(self, panellist) -> list[str]:
        """One panellist's name, address, comment and proposal."""
        uid = panellist.name.rsplit("-", 1)[-1]
        return [s for s in [*self.names, *self.answers] if uid in s]


def canary() -> str:
    return uuid.uuid4().hex[:12]


@pytest.fixture
def world(org, other_org):
    lead = make_user("lead", "researcher", org)
    title = f"CONSENSUS-STUDY-{canary()}"
    study = actions.create_study(lead, title=title, organisation=org, question={"en": "Q?"})
    for n in range(3):
        actions.add_item(lead, study, text={"nl": f"Uitspraak {n}", "en": f"Statement {n}"})
    actions.set_rule(lead, study, {"kind": "comet", "scope": "panel"})
    uids = {key: canary() for key in "abc"}
    rows = [
        {
            "email": f"panellist-{uid}@example.org",
            "name": f"PANELLIST-NAME-{uid}",
            "group": "patient" if key != "b" else "professional",
            "language": "en",
        }
        for key, uid in uids.items()
    ]
    a, b, c = actions.add_panellists(lead, study, rows)
    round = actions.open_round(lead, study)
    item = round.items.order_by("order", "id").first()
    criterion = Criterion.objects.get(study=study)
    answers = []
    for p, uid in ((a, uids["a"]), (b, uids["b"])):
        text = f"PANELLIST-COMMENT-{uid}"
        actions.save_answer(p, round, item, {criterion.pk: 7}, comment=text)
        answers.append(text)
    proposal = f"PANELLIST-PROPOSAL-{uids['b']}"
    actions.propose(b, round, proposal)
    answers.append(proposal)
    token_b_old = panellist_token(b)
    b = actions.revoke_link(lead, b, reissue=True)
    token_c = panellist_token(c)
    c = actions.revoke_link(lead, c)
    session = actions.create_live_session(lead, study, name="Live")
    closed = actions.create_live_session(lead, study, name="Closed")
    actions.live_show(lead, closed, item=None, mode="closed")
    far = make_user("far-researcher", "researcher", other_org)
    far_study = actions.create_study(far, title="Far", organisation=other_org, question={"en": "Q"})
    actions.add_item(far, far_study, text={"en": "Far statement"})
    far_session = actions.create_live_session(far, far_study, name="Far live")
    network_study = actions.create_study(
        make_user("net-lead", "researcher", None), title=title + "-NETWORK", question={"en": "Q"}
    )
    users = {
        "anonymous": None,
        "manager": make_user("org-manager", "manager", org),
        "member": make_user("org-member", "team_member", org),
        "other_researcher": far,
        "network_researcher": make_user("net-researcher", "researcher", None),
        "admin": make_user("admin", is_superuser=True, is_staff=True),
        "lead": lead,
    }
    return World(
        study=study,
        item=item,
        round=round,
        a=a,
        b=b,
        c=c,
        token_a=panellist_token(a),
        token_b=panellist_token(b),
        token_b_old=token_b_old,
        token_c=token_c,
        session=session,
        closed_session=closed,
        users=users,
        names=[*(r["name"] for r in rows), *(r["email"] for r in rows)],
        answers=answers,
        title=title,
        far_study=far_study,
        far_session=far_session,
        network_study=network_study,
    )


def url(name, *args) -> str:
    with translation.override("en"):
        return reverse(f"consensus:{name}", args=args)


def tampered(token: str) -> str:
    last = "A" if token[-1] != "A" else "B"
    return token[:-1] + last


def bad_links(w: World) -> dict[str, str]:
    """Links that must open nothing, for anybody."""
    return {
        "forged": "forged:token",
        "tampered": tampered(w.token_a),
        "other salt": signing.dumps({"p": w.a.pk, "n": w.a.nonce}, salt="mango.other"),
        "replaced": w.token_b_old,
        "revoked": w.token_c,
        "guessed nonce": signing.dumps({"p": w.a.pk, "n": "0" * 32}, salt=LINK_SALT),
    }


def _panellist_page(w, name, *extra, ok=200, method="GET", data=None):
    out = [
        Variant(
            "own link",
            url(name, w.token_a, *extra),
            everyone(ok),
            method=method,
            data=data or {},
            own_token=w.token_a,
        )
    ]
    for label, token in bad_links(w).items():
        out.append(
            Variant(label, url(name, token, *extra), everyone(404), method=method, data=data or {})
        )
    return out


def _room_page(w, name, method="GET", ok=200):
    return [
        Variant("open room", url(name, w.session.code), everyone(ok), method=method),
        Variant("wrong code", url(name, "NOPE0000"), everyone(404), method=method),
        Variant("closed room", url(name, w.closed_session.code), everyone(404), method=method),
    ]


def _study(w, name, *extra, ok=200, method="GET", data=None, hidden=()):
    return Variant(
        method,
        url(name, w.study.pk, *extra),
        staff_page(ok),
        method=method,
        data=data or {},
        hidden_from_managers=hidden,
    )


# This study's objects asked under the other organisation's study (whose researcher manages
# it): 404 for everyone signed in, whoever manages which study.
CROSS = {**everyone(404), "anonymous": LOGIN}


def _cross(w, name, *args, method="GET", data=None):
    return Variant(
        "this study's object under the far study",
        url(name, w.far_study.pk, *args),
        CROSS,
        method=method,
        data=data or {},
    )


SPECS = {
    "consensus:studies": lambda w: [Variant("GET", url("studies"), researchers())],
    "consensus:study_create": lambda w: [
        Variant("GET", url("study_create"), researchers()),
        # Another organisation's researcher cannot make a study for this organisation: the
        # form offers only their own (200 with the error), nothing is made.
        Variant(
            "POST for the organisation",
            url("study_create"),
            {**researchers(302), "other_researcher": 200},
            method="POST",
            unchanged=("other_researcher",),
            data={
                "title": "x",
                "kind": "delphi",
                "organisation": w.study.organisation_id,
                "question_en": "Q?",
            },
        ),
    ],
    "consensus:study": lambda w: [
        _study(w, "study"),
        # A network-wide study: researchers bound to an organisation 403 (they are
        # researchers, not of this study), everyone else without the right 404.
        Variant(
            "network-wide study",
            url("study", w.network_study.pk),
            {**staff_page(200), "manager": 404, "member": 404, "other_researcher": 403},
        ),
    ],
    "consensus:study_edit": lambda w: [
        _study(w, "study_edit"),
        _study(w, "study_edit", method="POST", ok=(200, 302), data={"title": "stolen"}),
    ],
    "consensus:criterion_add": lambda w: [
        _study(w, "criterion_add", method="POST", ok=302, data={"key": "k"})
    ],
    "consensus:section_add": lambda w: [
        _study(w, "section_add", method="POST", ok=302, data={"title_en": "S"})
    ],
    "consensus:item_create": lambda w: [_study(w, "item_create")],
    "consensus:item": lambda w: [_study(w, "item", w.item.pk), _cross(w, "item", w.item.pk)],
    "consensus:item_edit": lambda w: [
        _study(w, "item_edit", w.item.pk),
        _cross(w, "item_edit", w.item.pk, method="POST", data={"text_en": "overwritten"}),
    ],
    "consensus:rule": lambda w: [_study(w, "rule")],
    # The panel page shows its managers names and addresses (audited), never the links.
    "consensus:panel": lambda w: [_study(w, "panel")],
    "consensus:panel_send": lambda w: [_study(w, "panel_send", method="POST", ok=302)],
    "consensus:panellist_revoke": lambda w: [
        _study(w, "panellist_revoke", w.a.pk, method="POST", ok=302),
        _study(w, "panellist_revoke", w.b.pk, method="POST", ok=302, data={"forget": "1"}),
        _cross(w, "panellist_revoke", w.a.pk, method="POST", data={"forget": "1"}),
    ],
    "consensus:round_open": lambda w: [_study(w, "round_open", method="POST", ok=302)],
    "consensus:round": lambda w: [
        _study(w, "round", 1),
        _study(w, "round", 1, method="POST", ok=302, data={"drop": [w.item.pk]}),
    ],
    "consensus:round_close": lambda w: [_study(w, "round_close", 1, method="POST", ok=302)],
    "consensus:results": lambda w: [_study(w, "results")],
    # Exports are anonymous: not even the study's managers find a name or address in them.
    "consensus:export": lambda w: [
        _study(w, "export", "csv", hidden=tuple(w.names)),
        _study(w, "export", "html", hidden=tuple(w.names)),
        _study(w, "export", "exe", ok=404),
    ],
    "consensus:codebook": lambda w: [_study(w, "codebook")],
    "consensus:live_create": lambda w: [
        _study(w, "live_create", method="POST", ok=302, data={"name": "x"})
    ],
    "consensus:live": lambda w: [_study(w, "live", w.session.pk), _cross(w, "live", w.session.pk)],
    "consensus:live_screen": lambda w: [
        _study(w, "live_screen", w.session.pk),
        _cross(w, "live_screen", w.session.pk),
    ],
    "consensus:live_control": lambda w: [
        _study(w, "live_control", w.session.pk, method="POST", ok=302, data={"action": "ranking"}),
        _cross(w, "live_control", w.session.pk, method="POST", data={"action": "closed"}),
        # The far session, showing this study's item: refused (404) for its own researcher too.
        Variant(
            "this study's item in the far session",
            url("live_control", w.far_study.pk, w.far_session.pk),
            CROSS,
            method="POST",
            data={"action": "show", "item": w.item.pk},
        ),
    ],
    "consensus:live_decide": lambda w: [
        _study(
            w,
            "live_decide",
            w.session.pk,
            method="POST",
            ok=302,
            data={"item": w.item.pk, "decision": "in", "rationale": "r"},
        ),
        Variant(
            "this study's item decided in the far session",
            url("live_decide", w.far_study.pk, w.far_session.pk),
            CROSS,
            method="POST",
            data={"item": w.item.pk, "decision": "in", "rationale": "r"},
        ),
    ],
    "consensus:panel_home": lambda w: _panellist_page(w, "panel_home"),
    "consensus:panel_item": lambda w: [
        *_panellist_page(w, "panel_item", 1),
        Variant("no such item", url("panel_item", w.token_a, 99), everyone(404)),
    ],
    "consensus:panel_submit": lambda w: _panellist_page(w, "panel_submit", ok=302, method="POST"),
    "consensus:panel_propose": lambda w: _panellist_page(
        w, "panel_propose", ok=302, method="POST", data={"text": "A new statement"}
    ),
    "consensus:room_join": lambda w: [
        Variant("GET", url("room_join"), everyone(200)),
        Variant("wrong code", url("room_join") + "?code=NOPE0000", everyone(200)),
    ],
    "consensus:room": lambda w: _room_page(w, "room"),
    # Without the participant's cookie a vote goes back to the room (which asks the group).
    "consensus:room_vote": lambda w: _room_page(w, "room_vote", method="POST", ok=302),
    "consensus:room_rank": lambda w: _room_page(w, "room_rank", method="POST", ok=302),
}


def test_every_consensus_route_has_expectations():
    assert {f"consensus:{p.name}" for p in urlpatterns} == set(SPECS)


def snapshot(w: World):
    """What a refused request must leave as it was."""
    return (
        list(Study.objects.order_by("pk").values_list("pk", "title", "rule", "organisation_id")),
        list(Panellist.objects.order_by("pk").values_list("name", "email", "nonce", "revoked_at")),
        list(Round.objects.order_by("pk").values_list("number", "status")),
        list(Item.objects.order_by("pk").values_list("text", "dropped_after")),
        list(Rating.objects.order_by("pk").values_list("panellist_id", "item_id", "score")),
        list(Comment.objects.order_by("pk").values_list("text")),
        list(Proposal.objects.order_by("pk").values_list("text")),
        list(LiveSession.objects.order_by("pk").values_list("mode", "current_item_id")),
        Submission.objects.count(),
        Criterion.objects.count(),
        Decision.objects.count(),
        LiveParticipant.objects.count(),
        AuditEvent.objects.count(),
    )


def clients(w: World) -> dict[str, Client]:
    out = {}
    for who in (*USERS, "lead"):
        client = Client()
        if w.users[who] is not None:
            client.force_login(w.users[who])
        out[who] = client
    return out


def body_of(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode("utf-8", "replace") + " " + " ".join(v for _k, v in response.items())


def matches(response, expected) -> bool:
    if expected == LOGIN:
        return response.status_code == 302 and "/accounts/login/" in response["Location"]
    if isinstance(expected, tuple):
        return response.status_code in expected
    return response.status_code == expected


def allowed(expected) -> bool:
    return expected not in (LOGIN, 403, 404)


def send(client: Client, variant: Variant):
    if variant.method == "POST":
        return client.post(variant.path, variant.data)
    return client.get(variant.path)


def check(w: World, name: str, variant: Variant, who: str, response) -> list[str]:
    expected = variant.expect.get(who, variant.expect.get("admin"))
    problems = []
    if not matches(response, expected):
        where = response.get("Location", "")
        problems.append(f"expected {expected}, got {response.status_code} {where}")
    body = body_of(response)
    own_link = variant.own_token is not None
    public = name in PANELLIST_PAGES or name.startswith("consensus:room")
    if own_link:
        # The panellist's own link: their own answers are fine, nobody else's anything.
        forbidden = [s for p in (w.b, w.c) for s in w.of(p)]
        others = {t for t in PANEL_LINK.findall(body) if t != variant.own_token}
        if others:
            problems.append(f"shows another panellist's link: {sorted(others)}")
    elif name.startswith("consensus:room") and allowed(expected):
        # A room shows its study (the title) to whoever has the code, no panellist.
        forbidden = [*w.names, *w.answers]
    elif who in MANAGERS and allowed(expected) and not public:
        forbidden = list(variant.hidden_from_managers)
    else:
        forbidden = w.everything()
    if not public and PANEL_LINK.search(body):
        problems.append("shows a panellist's link")
    problems += [f"shows {s!r}" for s in forbidden if s in body]
    return problems


@pytest.mark.parametrize("name", sorted(SPECS))
def test_each_user_gets_what_the_access_rules_allow_and_nothing_leaks(name, world):
    users = clients(world)
    failures = []
    variants = SPECS[name](world)
    for variant in variants:
        for who in USERS:
            expected = variant.expect[who]
            before = snapshot(world)
            response = send(users[who], variant)
            for problem in check(world, name, variant, who, response):
                failures.append(
                    f"{variant.method} {variant.path} [{variant.label}] {who}: {problem}"
                )
            refused = (
                not allowed(expected)
                or who in variant.unchanged
                or (variant.own_token is None and name in PANELLIST_PAGES)
            )
            if refused and snapshot(world) != before:
                failures.append(
                    f"{variant.method} {variant.path} [{variant.label}] {who} changed data"
                )
    assert not failures, "\n".join(failures)


def test_the_checks_can_fail_the_creator_sees_the_names_and_the_panellist_their_page(world):
    """The canaries are where the sweep looks: the study's creator reads its panel (names and
    addresses), its round (the proposal); a panellist's own link opens their page."""
    lead = clients(world)["lead"]
    panel = body_of(lead.get(url("panel", world.study.pk)))
    assert all(s in panel for s in world.names)
    assert world.title in body_of(lead.get(url("studies")))
    assert world.answers[-1] in body_of(lead.get(url("round", world.study.pk, 1)))
    page = Client().get(url("panel_item", world.token_a, 1))
    assert page.status_code == 200
    assert world.answers[0] in body_of(page)  # a's own comment, on a's own page
    assert world.answers[1] not in body_of(page)  # b's, not
    assert Client().get(url("panel_home", world.token_b)).status_code == 200  # b's new link


def test_a_refused_panellist_answer_changes_no_score(world):
    criterion = Criterion.objects.get(study=world.study)
    for label, token in bad_links(world).items():
        response = Client().post(
            url("panel_item", token, 1), {f"score-{criterion.pk}": "1", "comment": "overwritten"}
        )
        assert response.status_code == 404, label
    assert set(Rating.objects.values_list("score", flat=True)) == {7}
    assert not Comment.objects.filter(text="overwritten").exists()


def test_a_participants_room_cookie_opens_no_other_room(world):
    """A phone that joined one room is a stranger in another (the cookie is signed per room):
    it is asked its group again and its vote there goes nowhere."""
    phone = Client()
    joined = phone.post(url("room", world.session.code), {"group": "patient"})
    assert joined.status_code == 302 and LiveParticipant.objects.count() == 1
    other = actions.create_live_session(world.users["lead"], world.study, name="Other room")
    cookie = phone.cookies["mango_room"].value
    phone.cookies["mango_room"] = cookie  # the same cookie, sent to the other room
    page = phone.get(url("room", other.code))
    assert page.status_code == 200
    assert 'name="group"' in page.content.decode()  # asked to join, not recognised
    vote = phone.post(url("room_vote", other.code), {"score-1": "9"})
    assert vote.status_code == 302 and vote["Location"].endswith(f"/room/{other.code}/")
    assert LiveParticipant.objects.filter(session=other).count() == 0
