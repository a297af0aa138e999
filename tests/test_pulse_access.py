"""Every pulse page, asked by each kind of user, built from the app's URL configuration: a new
route fails here until someone decides how to build its arguments and what each user gets.

One organisation runs a pulse for three teams: "team" (12 answers in the period), "small" (4,
under k = 5: its results and texts are never shown) and "pool" (5). Following
``mango.pulse.access``: team members read their own team's charts and log its actions (403 for
another team of the organisation and for the organisation's pages); a manager of another
organisation gets 404 for anything of this one; a network-wide researcher reads every chart
but manages nothing (403); the network coordinator and administrators manage everything. The
team answer link opens only with its signature (404 otherwise). On the network pages an
organisation sees another's name only when that one agreed (``PulseSettings.named_in_network``).

Canaries: the organisation's and the other organisation's names, the teams' names, their
free-text answers, an action's title, a reflection session's self-assessment and the team
links. A refused request changes nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import pytest
from django.core import signing
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from mango.audit.models import AuditEvent
from mango.organisations.models import Unit
from mango.pulse import actions, links, shipped
from mango.pulse.models import (
    Action,
    Answer,
    InspirationModule,
    Instrument,
    Item,
    ModuleFile,
    Pulse,
    PulseSettings,
    ReflectionSession,
    Response,
    SessionProgress,
)
from mango.pulse.urls import urlpatterns
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

LOGIN = "302 to the sign-in page"
# The refused first: an allowed user's change (a stopped pulse) cannot hide a refused one's.
USERS = (
    "anonymous",
    "loner",  # signed in, no role anywhere
    "team_member",  # of "team"
    "other_team_member",  # of "small", the same organisation
    "other_manager",  # a manager of another organisation
    "researcher",  # network-wide
    "manager",  # the organisation's own manager
    "coordinator",  # the network's coordinator
    "admin",
)


def expect(
    anonymous,
    team_member,
    other_team_member,
    other_manager,
    researcher,
    coord,
    admin,
    *,
    loner=None,
    manager=None,
):
    """Per user; a user without any role is refused every staff page (403), the
    organisation's manager gets what the coordinator gets unless said otherwise."""
    return {
        "anonymous": anonymous,
        "loner": loner if loner is not None else (403 if anonymous == LOGIN else anonymous),
        "team_member": team_member,
        "other_team_member": other_team_member,
        "other_manager": other_manager,
        "researcher": researcher,
        "manager": manager if manager is not None else coord,
        "coordinator": coord,
        "admin": admin,
    }


def everyone(status):
    return dict.fromkeys(USERS, status)


SIGNED_IN = expect(LOGIN, 200, 200, 200, 200, 200, 200)
READ_ORG = expect(LOGIN, 403, 403, 404, 200, 200, 200)
MANAGE_ORG = expect(LOGIN, 403, 403, 404, 403, 302, 302)
READ_TEAM = expect(LOGIN, 200, 403, 404, 200, 200, 200)
LOG_TEAM = expect(LOGIN, 302, 403, 404, 403, 302, 302)
COORDINATOR = expect(LOGIN, 403, 403, 403, 403, 200, 200, manager=403)


@dataclass
class Variant:
    label: str
    path: str
    expect: dict
    method: str = "GET"
    data: dict = field(default_factory=dict)
    query: dict = field(default_factory=dict)
    # Users answered 200 (a form with its error) whose request must still change nothing.
    unchanged: tuple = ()


@dataclass
class World:
    org: object
    other_org: object
    pulse: Pulse
    team: Unit
    small: Unit
    pool: Unit
    action: Action
    module: InspirationModule
    module_file: ModuleFile
    session: ReflectionSession
    users: dict
    marks: dict  # name -> canary string

    def forbidden(self, who: str) -> list[str]:
        """What ``who`` may never see on any pulse page (a team's results under k: nobody)."""
        m = self.marks
        never = [m["small_text"]]
        if who in ("researcher", "coordinator", "admin"):
            return never
        if who == "manager":
            return never + [m["other_org"], m["other_progress"]]
        outside_org = [
            m["org"],
            m["team"],
            m["small"],
            m["team_text"],
            m["action"],
            m["org_progress"],
            m["team_link"],
            m["small_link"],
        ]
        if who == "other_manager":
            return never + outside_org
        # Members of the organisation: not the other organisation (it did not agree to be
        # named), not another team's texts, actions or links.
        own = [m["other_org"], m["other_progress"]]
        if who == "team_member":
            return never + own + [m["small_link"]]
        if who == "other_team_member":
            return never + own + [m["team_text"], m["action"], m["team_link"]]
        return never + outside_org + own  # anonymous


def canary(label: str) -> str:
    return f"PULSE-{label}-{uuid.uuid4().hex[:10]}"


def _answer(period, unit, n, text=""):
    items = list(period.pulse.instrument.items.all())
    values = {i.pk: i.scale_min for i in items if i.kind == "scale"}
    texts = {i.pk: text for i in items if i.kind == "text"}
    for _ in range(n):
        actions.submit_answers(period, unit, "en", values, texts, uuid.uuid4().hex)
    # As the de-identification job leaves them (the job itself is tested elsewhere).
    Answer.objects.filter(response__unit=unit, item__kind="text").update(
        text="", text_redacted=text, deidentified=True
    )


@pytest.fixture
def world(org, other_org):
    marks = {
        "org": canary("ORG"),
        "other_org": canary("OTHER-ORG"),
        "team": canary("TEAM"),
        "small": canary("SMALL"),
        "team_text": canary("TEAM-TEXT"),
        "small_text": canary("SMALL-TEXT"),
        "action": canary("ACTION"),
        "org_progress": canary("ORG-PROGRESS"),
        "other_progress": canary("OTHER-PROGRESS"),
    }
    org.name, other_org.name = marks["org"], marks["other_org"]
    org.save(), other_org.save()
    instrument = shipped.load(Instrument, Item)
    team = Unit.objects.create(organisation=org, name=marks["team"], slug="team")
    small = Unit.objects.create(organisation=org, name=marks["small"], slug="small")
    pool = Unit.objects.create(organisation=org, name="Pool", slug="pool")
    far = Unit.objects.create(organisation=other_org, name="Far", slug="far")
    # The other organisation's own pulse: this organisation's objects asked under it are 404.
    far_manager = make_user("far-manager", "manager", other_org)
    far_pulse = actions.setup_pulse(
        far_manager,
        other_org,
        instrument,
        [far],
        every_weeks=4,
        open_days=14,
        starts_on=timezone.localdate(),
    )
    manager = make_user("org-manager", "manager", org)
    pulse = actions.setup_pulse(
        manager,
        org,
        instrument,
        [team, small, pool],
        every_weeks=4,
        open_days=14,
        starts_on=timezone.localdate(),
    )
    period = actions.open_period(pulse)
    _answer(period, team, 12, marks["team_text"])
    _answer(period, small, 4, marks["small_text"])
    _answer(period, pool, 5, "")
    action = actions.record_action(
        manager,
        team,
        title=marks["action"],
        date=timezone.localdate(),
        kind="workshop",
        pdsa_stage="plan",
    )
    module = InspirationModule.objects.create(slug="listen", titles={"en": "Listening"})
    stored = ModuleFile.objects.create(
        module=module, file=ContentFile(b"%PDF-1.4 test", name="card.pdf")
    )
    session = ReflectionSession.objects.create(date=timezone.localdate(), title="Session")
    SessionProgress.objects.create(
        session=session, organisation=org, attended=3, self_assessment=marks["org_progress"]
    )
    SessionProgress.objects.create(
        session=session,
        organisation=other_org,
        attended=2,
        self_assessment=marks["other_progress"],
    )
    marks["team_link"] = links.team_token(pulse, team)
    marks["small_link"] = links.team_token(pulse, small)
    team_member = make_user("team-member", "team_member", org)
    team_member.memberships.update(unit=team)
    small_member = make_user("small-member", "team_member", org)
    small_member.memberships.update(unit=small)
    users = {
        "anonymous": None,
        "team_member": team_member,
        "other_team_member": small_member,
        "other_manager": far_manager,
        "researcher": make_user("researcher", "researcher", None),
        "coordinator": make_user("coordinator", "network_coordinator", None),
        "admin": make_user("admin", is_superuser=True, is_staff=True),
        "manager": manager,
        "loner": make_user("loner"),
    }
    w = World(
        org=org,
        other_org=other_org,
        pulse=pulse,
        team=team,
        small=small,
        pool=pool,
        action=action,
        module=module,
        module_file=stored,
        session=session,
        users=users,
        marks=marks,
    )
    w.far, w.far_pulse = far, far_pulse
    yield w
    stored.file.delete(save=False)


def url(name, *args) -> str:
    with translation.override("en"):
        return reverse(f"pulse:{name}", args=args)


def tampered(token: str) -> str:
    return token[:-1] + ("A" if token[-1] != "A" else "B")


def _answer_pages(w, name):
    signer = signing.Signer(salt=links.SALT)
    good = links.team_token(w.pulse, w.team)
    return [
        Variant("team link", url(name, good), everyone(200)),
        Variant("forged", url(name, "forged"), everyone(404)),
        Variant("tampered", url(name, tampered(good)), everyone(404)),
        Variant("unsigned", url(name, f"{w.pulse.pk}-{w.team.short_code}"), everyone(404)),
        # Signed, but for a team of another organisation that is not in the pulse.
        Variant(
            "foreign team",
            url(name, signer.sign(f"{w.pulse.pk}-{w.far.short_code}")),
            everyone(404),
        ),
        Variant(
            "no such pulse", url(name, signer.sign(f"999999-{w.team.short_code}")), everyone(404)
        ),
    ]


SPECS = {
    "pulse:answer": lambda w: _answer_pages(w, "answer"),
    "pulse:answered": lambda w: _answer_pages(w, "answered"),
    "pulse:index": lambda w: [Variant("GET", url("index"), SIGNED_IN)],
    "pulse:pulse_new": lambda w: [
        # The other organisation's manager sets up a pulse for this organisation's team: the
        # form offers only their own teams (200 with the error), nothing is made.
        Variant(
            "our team in the far pulse",
            url("pulse_new", w.other_org.pk),
            expect(LOGIN, 404, 404, 200, 403, 200, 200, manager=404),
            method="POST",
            data={
                "instrument": w.pulse.instrument_id,
                "units": [w.team.pk],
                "every_weeks": "4",
                "open_days": "14",
                "starts_on": "2026-01-05",
            },
            unchanged=("other_manager", "coordinator", "admin"),
        ),
        Variant(
            "GET",
            url("pulse_new", w.org.pk),
            {**MANAGE_ORG, "manager": 200, "coordinator": 200, "admin": 200},
        ),
        Variant(
            "POST",
            url("pulse_new", w.org.pk),
            {**MANAGE_ORG, "coordinator": 302, "admin": 302},
            method="POST",
            data={
                "instrument": w.pulse.instrument_id,
                "units": [w.team.pk],
                "every_weeks": "4",
                "open_days": "14",
                "starts_on": "2026-01-05",
            },
        ),
    ],
    "pulse:pulse": lambda w: [Variant("GET", url("pulse", w.pulse.pk), READ_ORG)],
    "pulse:pulse_stop": lambda w: [
        Variant("POST", url("pulse_stop", w.pulse.pk), MANAGE_ORG, method="POST")
    ],
    "pulse:team_qr": lambda w: [
        Variant("GET", url("team_qr", w.pulse.pk, w.team.pk), READ_ORG),
        # This organisation's team under the other organisation's pulse: no QR for anyone.
        Variant(
            "our team, far pulse",
            url("team_qr", w.far_pulse.pk, w.team.pk),
            expect(LOGIN, 404, 404, 404, 404, 404, 404),
        ),
    ],
    "pulse:team": lambda w: [
        Variant("own team", url("team", w.team.pk), READ_TEAM),
        # The small team's page opens for its member, without its results or texts.
        Variant(
            "small team",
            url("team", w.small.pk),
            expect(LOGIN, 403, 200, 404, 200, 200, 200),
        ),
    ],
    "pulse:action_new": lambda w: [
        Variant(
            "POST",
            url("action_new", w.team.pk),
            LOG_TEAM,
            method="POST",
            data={"title": "stolen", "date": "2026-01-05", "kind": "workshop", "pdsa_stage": "do"},
        )
    ],
    "pulse:action_stage": lambda w: [
        Variant(
            "POST",
            url("action_stage", w.team.pk, w.action.pk),
            LOG_TEAM,
            method="POST",
            data={"pdsa_stage": "act", "notes": "overwritten"},
        ),
        # This team's action under the other organisation's team: 404 (a researcher, who logs
        # no actions, 403).
        Variant(
            "our action, far team",
            url("action_stage", w.far.pk, w.action.pk),
            expect(LOGIN, 404, 404, 404, 403, 404, 404),
            method="POST",
            data={"pdsa_stage": "act", "notes": "overwritten"},
        ),
    ],
    "pulse:organisation": lambda w: [
        Variant("GET", url("organisation", w.org.pk), READ_ORG),
        Variant(
            "oncological filter",
            url("organisation", w.org.pk),
            READ_ORG,
            query={"oncological": "no", "pilot": "no"},
        ),
    ],
    "pulse:organisation_settings": lambda w: [
        Variant(
            "POST",
            url("organisation_settings", w.org.pk),
            MANAGE_ORG,
            method="POST",
            data={"k": "3", "named_in_network": "on"},
        )
    ],
    "pulse:instruments": lambda w: [
        Variant("GET", url("instruments", w.org.pk), READ_ORG),
        Variant(
            "POST",
            url("instruments", w.org.pk),
            {**MANAGE_ORG, "manager": (200, 302), "coordinator": (200, 302), "admin": (200, 302)},
            method="POST",
            data={
                "add_instrument": "1",
                "slug": "stolen",
                "name_nl": "Gestolen",
                "rights_holder": "X",
                "rights_confirmed": "on",
            },
        ),
    ],
    "pulse:network": lambda w: [Variant("GET", url("network"), SIGNED_IN)],
    "pulse:network_charts": lambda w: [Variant("GET", url("network_charts"), SIGNED_IN)],
    "pulse:csv": lambda w: [
        Variant("team", url("csv", "team", w.team.pk, "room-mean"), READ_TEAM),
        Variant("organisation", url("csv", "org", w.org.pk, "room-mean"), READ_ORG),
        Variant("network", url("csv", "network", 0, "room-mean"), SIGNED_IN),
        Variant(
            "unknown kind",
            url("csv", "story", w.team.pk, "room-mean"),
            expect(LOGIN, 404, 404, 404, 404, 404, 404, loner=403),
        ),
    ],
    "pulse:modules": lambda w: [Variant("GET", url("modules"), SIGNED_IN)],
    "pulse:module_new": lambda w: [
        Variant("GET", url("module_new"), COORDINATOR),
        Variant(
            "POST",
            url("module_new"),
            {**COORDINATOR, "coordinator": (200, 302), "admin": (200, 302)},
            method="POST",
            data={"slug": "stolen", "title_en": "Stolen"},
        ),
    ],
    "pulse:module_edit": lambda w: [
        Variant("GET", url("module_edit", w.module.slug), COORDINATOR),
        Variant(
            "POST",
            url("module_edit", w.module.slug),
            {**COORDINATOR, "coordinator": (200, 302), "admin": (200, 302)},
            method="POST",
            data={"slug": w.module.slug, "title_en": "Overwritten"},
        ),
    ],
    # The network's inspiration modules are for every signed-in member of the network.
    "pulse:module_file": lambda w: [
        Variant("GET", url("module_file", w.module_file.pk), SIGNED_IN)
    ],
    "pulse:sessions": lambda w: [Variant("GET", url("sessions"), SIGNED_IN)],
    "pulse:session_new": lambda w: [Variant("GET", url("session_new"), COORDINATOR)],
    "pulse:session": lambda w: [
        Variant("GET", url("session", w.session.pk), COORDINATOR),
        Variant(
            "POST progress",
            url("session", w.session.pk),
            {**COORDINATOR, "coordinator": (200, 302), "admin": (200, 302)},
            method="POST",
            data={"p-organisation": w.org.pk, "p-progress": "1", "p-self_assessment": "stolen"},
        ),
    ],
}


def test_every_pulse_route_has_expectations():
    assert {f"pulse:{p.name}" for p in urlpatterns} == set(SPECS)


def snapshot():
    return (
        list(Pulse.objects.order_by("pk").values_list("pk", "active")),
        list(PulseSettings.objects.values_list("organisation_id", "k", "named_in_network")),
        list(Action.objects.order_by("pk").values_list("title", "pdsa_stage", "notes")),
        list(Instrument.objects.order_by("pk").values_list("slug")),
        list(InspirationModule.objects.order_by("pk").values_list("slug", "titles")),
        list(SessionProgress.objects.order_by("pk").values_list("self_assessment", "progress")),
        ReflectionSession.objects.count(),
        Response.objects.count(),
        AuditEvent.objects.count(),
    )


def clients(w: World) -> dict[str, Client]:
    out = {}
    for who in USERS:
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


def send(client, variant):
    if variant.method == "POST":
        return client.post(variant.path, variant.data)
    return client.get(variant.path, variant.query)


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("name", sorted(SPECS))
def test_each_user_gets_what_the_access_rules_allow_and_nothing_leaks(name, world):
    users = clients(world)
    failures = []
    for variant in SPECS[name](world):
        for who in USERS:
            expected = variant.expect[who]
            before = snapshot()
            response = send(users[who], variant)
            where = f"{variant.method} {variant.path} [{variant.label}] {who}"
            if not matches(response, expected):
                failures.append(
                    f"{where}: expected {expected}, got {response.status_code} "
                    f"{response.get('Location', '')}"
                )
            body = body_of(response)
            forbidden = world.forbidden(who)
            if name in ("pulse:answer", "pulse:answered"):
                # The team's form names the team and its organisation to whoever has the link.
                forbidden = [
                    s
                    for s in forbidden
                    if s not in (world.marks["team"], world.marks["org"], world.marks["team_link"])
                ]
            for secret in forbidden:
                if secret in body:
                    failures.append(f"{where}: shows {secret!r}")
            refused = expected in (LOGIN, 403, 404) or who in variant.unchanged
            if refused and snapshot() != before:
                failures.append(f"{where}: changed data")
    assert not failures, "\n".join(failures)


def test_the_checks_can_fail_the_team_reads_its_texts_and_the_manager_everything(world):
    c = clients(world)
    page = body_of(c["team_member"].get(url("team", world.team.pk)))
    assert world.marks["team_text"] in page and world.marks["action"] in page
    detail = body_of(c["manager"].get(url("pulse", world.pulse.pk)))
    assert world.marks["team_link"] in detail and world.marks["small"] in detail
    sessions = body_of(c["coordinator"].get(url("sessions")))
    assert world.marks["other_org"] in sessions and world.marks["org_progress"] in sessions
    network = body_of(c["coordinator"].get(url("network")))
    assert world.marks["org"] in network and world.marks["other_org"] in network


def test_a_team_under_k_shows_no_result_to_anyone(world):
    """The small team (4 answers, k = 5): its page shows no text and its CSV no value, even
    to an administrator; the team with 12 answers does show its value."""
    admin = clients(world)["admin"]
    page = body_of(admin.get(url("team", world.small.pk)))
    assert world.marks["small_text"] not in page
    rows = admin.get(url("csv", "team", world.small.pk, "room-mean")).content.decode()
    values = [line.split(",")[1] for line in rows.splitlines()[1:]]
    assert values and all(v == "" for v in values), rows
    rows = admin.get(url("csv", "team", world.team.pk, "room-mean")).content.decode()
    assert any(line.split(",")[1] for line in rows.splitlines()[1:]), rows


def test_another_organisation_sees_the_name_on_the_network_page_only_once_it_agreed(world):
    far = clients(world)["other_manager"]
    assert world.marks["org"] not in body_of(far.get(url("network")))
    PulseSettings.objects.create(organisation=world.org, named_in_network=True)
    assert world.marks["org"] in body_of(far.get(url("network")))
    # Agreeing to be named on the network page opens nothing else.
    assert far.get(url("organisation", world.org.pk)).status_code == 404
