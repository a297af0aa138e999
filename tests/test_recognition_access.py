"""Every recognition page, asked by each kind of user: anonymous visitors are sent to sign in,
outsiders of the organisation get 404, its members without the right 403, and nobody but the
owner (or the holder of a signed link) ever sees the story. Built from the app's URL
configuration: a new route fails here until it has its expectations."""

import pytest
from django.utils import timezone

from mango.recognition import notes
from mango.recognition.urls import urlpatterns
from tests.conftest import make_story, make_user

pytestmark = pytest.mark.django_db

CANARY = "RECOGNITION-CANARY-7f3a"
LOGIN = "login"
USERS = ("anonymous", "outsider", "loner", "member", "owner")

# route name -> (method, expected answer per user in USERS order)
EXPECT = {
    "thank": ("GET", (LOGIN, 404, 404, 403, 200)),
    "revoke": ("POST", (LOGIN, 404, 404, 403, 302)),
    "card": ("GET", (LOGIN, 404, 404, 403, 200)),
    "cards_month": ("GET", (LOGIN, 200, 403, 403, 200)),
    "digest_settings": ("GET", (LOGIN, 200, 200, 200, 200)),
    "fairness": ("GET", (LOGIN, 404, 404, 403, 200)),
    # Signed links: a forged token is refused to everyone (the real ones: test_recognition_*).
    "reply": ("GET", (404, 404, 404, 404, 404)),
    "unsubscribe": ("GET", (404, 404, 404, 404, 404)),
}


@pytest.fixture
def world(org, other_org, manager, member, outsider, smtp_server):
    story = make_story(
        org,
        text=f"De verpleegkundige bleef bij me. {CANARY}",
        text_redacted=f"De verpleegkundige bleef bij me. {CANARY}",
        status="shared",
        shareable=True,
        shared_at=timezone.now(),
    )
    note = notes.link_story(
        manager, story, email="x@az-test.be", first_name="X", profession="nurse"
    )
    users = {
        "anonymous": None,
        "outsider": outsider,
        "loner": make_user("loner"),
        "member": member,
        "owner": manager,
    }
    args = {
        "thank": [story.pk],
        "revoke": [story.pk, note.pk],
        "card": [story.pk],
        "cards_month": [],
        "digest_settings": [],
        "fairness": [org.slug],
        "reply": ["forged:token"],
        "unsubscribe": ["forged:token"],
    }
    return users, args


def test_every_route_has_expectations():
    assert {p.name for p in urlpatterns} == set(EXPECT)


@pytest.mark.parametrize("name", sorted(EXPECT))
def test_each_user_gets_what_their_role_allows_and_no_story_leaks(client, world, name):
    from django.urls import reverse

    users, args = world
    method, answers = EXPECT[name]
    path = reverse(f"recognition:{name}", args=args[name])
    for who, expected in zip(USERS, answers, strict=True):
        client.logout()
        if users[who] is not None:
            client.force_login(users[who])
        response = getattr(client, method.lower())(path)
        if expected == LOGIN:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], who
        else:
            assert response.status_code == expected, (who, response.status_code)
        if who != "owner" and not response.streaming:
            assert CANARY.encode() not in response.content, who
