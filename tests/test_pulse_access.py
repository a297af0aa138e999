"""Every pulse page, asked by each kind of user: anonymous visitors are sent to sign in,
outsiders of the organisation get 404, members without the right 403, and nobody but the
owner sees the team's free-text answers or (on the network dashboard) the name of an
organisation that did not agree to be named. Built from the app's URL configuration: a new
route fails here until it has its expectations."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from mango.organisations.models import Unit
from mango.pulse import actions, links, shipped
from mango.pulse.models import (
    Answer,
    InspirationModule,
    Instrument,
    Item,
    ModuleFile,
    ReflectionSession,
)
from mango.pulse.urls import urlpatterns
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

TEXT_CANARY = "PULSE-TEXT-CANARY-51c2"
ORG_CANARY = "PULSE-ORG-CANARY-9d0e"
LOGIN = "login"
USERS = ("anonymous", "outsider", "loner", "member", "owner")
ALL_403 = (LOGIN, 403, 403, 403, 403)  # the network coordinator's pages
ORG_PAGE = (LOGIN, 404, 403, 403, 200)

# route name -> (method, expected answer per user in USERS order)
EXPECT = {
    # Public, through the team's signed link: anyone with the link answers.
    "answer": ("GET", (200, 200, 200, 200, 200)),
    "answered": ("GET", (200, 200, 200, 200, 200)),
    "index": ("GET", (LOGIN, 200, 403, 403, 200)),
    "pulse_new": ("GET", ORG_PAGE),
    "pulse": ("GET", ORG_PAGE),
    "team_qr": ("GET", ORG_PAGE),
    "team": ("GET", ORG_PAGE),
    "action_new": ("POST", (LOGIN, 404, 403, 403, 302)),
    "action_stage": ("POST", (LOGIN, 404, 403, 403, 302)),
    "organisation": ("GET", ORG_PAGE),
    "organisation_settings": ("POST", (LOGIN, 404, 403, 403, 302)),
    "instruments": ("GET", ORG_PAGE),
    "network": ("GET", (LOGIN, 200, 403, 403, 200)),
    "network_charts": ("GET", (LOGIN, 200, 403, 403, 200)),
    "csv": ("GET", ORG_PAGE),
    "modules": ("GET", (LOGIN, 200, 403, 403, 200)),
    "module_new": ("GET", ALL_403),
    "module_edit": ("GET", ALL_403),
    "module_file": ("GET", (LOGIN, 200, 403, 403, 200)),
    "sessions": ("GET", (LOGIN, 200, 403, 403, 200)),
    "session_new": ("GET", ALL_403),
    "session": ("GET", ALL_403),
    # Last: it stops the pulse.
    "pulse_stop": ("POST", (LOGIN, 404, 403, 403, 302)),
}


@pytest.fixture
def world(org, other_org, manager, member, outsider):
    org.name = f"AZ {ORG_CANARY}"
    org.save()
    instrument = shipped.load(Instrument, Item)
    team = Unit.objects.create(organisation=org, name="Dagziekenhuis", slug="dzh", pilot=True)
    pulse = actions.setup_pulse(
        manager,
        org,
        instrument,
        [team],
        every_weeks=4,
        open_days=14,
        starts_on=timezone.localdate(),
    )
    period = pulse.periods.get()
    people = [{item.key: 3 for item in instrument.items.filter(kind="scale")} for _ in range(6)]
    people[0]["moment"] = TEXT_CANARY
    text_ids = actions.bulk_answers(period, team, people, "en")
    Answer.objects.filter(pk__in=text_ids).update(
        text="", text_redacted=TEXT_CANARY, deidentified=True
    )
    action = actions.record_action(
        manager,
        team,
        title="Workshop",
        date=timezone.localdate(),
        kind="workshop",
        pdsa_stage="plan",
    )
    module = InspirationModule.objects.create(slug="m", titles={"en": "M"})
    module_file = ModuleFile(module=module, caption="x")
    module_file.file.save("kaart.pdf", ContentFile(b"%PDF-1.4"), save=True)
    session = ReflectionSession.objects.create(date=timezone.localdate())
    token = links.team_token(pulse, team)
    users = {
        "anonymous": None,
        "outsider": outsider,
        "loner": make_user("loner"),
        "member": member,
        "owner": manager,
    }
    args = {
        "answer": [token],
        "answered": [token],
        "index": [],
        "pulse_new": [org.pk],
        "pulse": [pulse.pk],
        "pulse_stop": [pulse.pk],
        "team_qr": [pulse.pk, team.pk],
        "team": [team.pk],
        "action_new": [team.pk],
        "action_stage": [team.pk, action.pk],
        "organisation": [org.pk],
        "organisation_settings": [org.pk],
        "instruments": [org.pk],
        "network": [],
        "network_charts": [],
        "csv": ["team", team.pk, "room-mean"],
        "modules": [],
        "module_new": [],
        "module_edit": [module.slug],
        "module_file": [module_file.pk],
        "sessions": [],
        "session_new": [],
        "session": [session.pk],
    }
    yield users, args
    module_file.file.delete(save=False)


def test_every_route_has_expectations():
    assert {p.name for p in urlpatterns} == set(EXPECT)


@pytest.mark.parametrize("name", list(EXPECT))
def test_each_user_gets_what_their_role_allows_and_nothing_leaks(client, world, name):
    users, args = world
    method, answers = EXPECT[name]
    path = reverse(f"pulse:{name}", args=args[name])
    data = {"title": "Try", "date": "2026-01-05", "kind": "other", "pdsa_stage": "do", "k": "5"}
    for who, expected in zip(USERS, answers, strict=True):
        client.logout()
        if users[who] is not None:
            client.force_login(users[who])
        response = client.post(path, data) if method == "POST" else client.get(path)
        if expected == LOGIN:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], who
        else:
            assert response.status_code == expected, (who, response.status_code)
        if who != "owner" and not response.streaming:
            assert TEXT_CANARY.encode() not in response.content, who
            # Outside the organisation, its name shows nowhere (it did not agree to be named
            # on the network dashboard); its own members see it in their menu.
            if who != "member" and name not in ("answer", "answered"):
                assert ORG_CANARY.encode() not in response.content, who


def test_the_owner_sees_the_free_text_of_a_shown_team(client, world):
    users, args = world
    client.force_login(users["owner"])
    page = client.get(reverse("pulse:team", args=args["team"]))
    assert TEXT_CANARY in page.content.decode()
