"""The JSON API: submitting, listing and reading stories, the vocabulary, the token command."""

import json
import re
from datetime import date, timedelta
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

import mango.api.api as api_module
from mango import cli
from mango.accounts.models import ApiToken
from mango.lib import vocab
from mango.organisations.models import Campaign, Unit
from mango.stories import throttle
from mango.stories.models import Story
from tests.conftest import make_story, make_user

RECEIPT = re.compile(r"^M-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$")
CONTACT = {
    "contact_name": "Maria Peeters",
    "contact_email": "maria@example.org",
    "contact_phone": "+32 470 12 34 56",
}


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def valid_story(**changes):
    data = {
        "text": "De verpleegkundige bracht me een mango toen ik daar zo naar verlangde.",
        "language": "nl",
        "teller_role": "patient",
        "setting": "hospital",
        "oncological": "no",
        "happened": "month",
        "gesture_by": "nurse",
        "consent_research": True,
        "consent_sharing": False,
    }
    data.update(changes)
    return data


def submit(client, data, **extra):
    body = data if isinstance(data, str | bytes) else json.dumps(data)
    return client.post("/api/stories", data=body, content_type="application/json", **extra)


def bearer(user, name="tests"):
    _token, raw = ApiToken.issue(user, name=name)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def ids(response):
    return {item["id"] for item in response.json()["items"]}


# --- Submitting ---------------------------------------------------------------------------


def test_it_accepts_a_valid_story(client, db):
    response = submit(client, valid_story(**CONTACT))
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"receipt", "status"}
    assert RECEIPT.match(body["receipt"])
    assert body["status"] == "received"
    story = Story.objects.get()
    assert story.receipt == body["receipt"]
    assert story.source == "api"
    assert story.text.startswith("De verpleegkundige")
    assert story.consent_research is True and story.consent_sharing is False
    assert story.contact_email == "maria@example.org"


def test_it_fills_in_the_defaults_of_intake(client, db):
    data = valid_story()
    for name in ("language", "oncological", "happened", "gesture_by"):
        del data[name]
    assert submit(client, data).status_code == 201
    story = Story.objects.get()
    assert (story.language, story.oncological, story.happened, story.gesture_by) == (
        "nl",
        "unknown",
        "unknown",
        "unknown",
    )


def test_it_places_a_story_by_organisation_slug_and_joins_the_open_campaign(client, org, campaign):
    assert submit(client, valid_story(organisation="az-test")).status_code == 201
    story = Story.objects.get()
    assert story.organisation == org
    assert story.campaign == campaign


def test_it_places_a_story_by_unit_short_code(client, org, unit):
    assert submit(client, valid_story(unit=unit.short_code)).status_code == 201
    story = Story.objects.get()
    assert (story.organisation, story.unit) == (org, unit)


def test_it_places_a_story_by_unit_slug_within_the_organisation(client, org, unit):
    assert submit(client, valid_story(organisation="az-test", unit="onco")).status_code == 201
    assert Story.objects.get().unit == unit


def test_it_does_not_need_a_csrf_token(db):
    response = submit(Client(enforce_csrf_checks=True), valid_story())
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("changes", "field", "expected"),
    [
        ({"text": ""}, "text", "This field is required."),
        ({"text": "   "}, "text", "This field is required."),
        ({"text": "Te kort."}, "text", "at least 20 characters"),
        ({"text": "x" * 5001}, "text", "at most 5000 characters (now 5001)"),
        ({"teller_role": "alien"}, "teller_role", "Choose one of the options offered."),
        ({"setting": None}, "setting", "This field is required."),
        ({"language": "de"}, "language", "Choose one of the options offered."),
        ({"consent_research": False}, "consent", "without your consent"),
        ({"contact_email": "not-an-address"}, "contact_email", "valid e-mail"),
    ],
)
def test_it_rejects_an_invalid_story_with_a_message_per_field(client, db, changes, field, expected):
    response = submit(client, valid_story(**changes))
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert expected in body["errors"][field]
    assert body["detail"]
    assert not Story.objects.exists()


def test_it_reports_every_problem_at_once(client, db):
    response = submit(client, valid_story(text="", teller_role="alien", organisation="nope"))
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"text", "teller_role", "organisation"}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"text": 12345}, "text"),
        ({"consent_research": "perhaps"}, "consent_research"),
        ({"teller_role": ["patient"]}, "teller_role"),
    ],
)
def test_it_rejects_wrong_types_with_json_messages(client, db, changes, field):
    response = submit(client, valid_story(**changes))
    assert response.status_code == 422
    assert response.json()["errors"][field]
    assert not Story.objects.exists()


@pytest.mark.parametrize(
    ("body", "status"),
    [("this is not json", 400), ("", 422), ("[1, 2]", 422), ("null", 422), (b"\xff\xfe", 400)],
)
def test_it_answers_malformed_bodies_in_json_without_failing(client, db, body, status):
    response = submit(client, body)
    assert response.status_code == status
    assert response.json()["detail"]
    assert not Story.objects.exists()


def test_an_empty_body_asks_for_a_json_object(client, db):
    response = submit(client, "")
    assert response.json()["errors"] == {"body": "Send a JSON object in the request body."}


def test_it_refuses_a_body_over_100_kb(client, db):
    response = submit(client, valid_story(text="mango " * 20_000))
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]
    assert not Story.objects.exists()


def test_it_rejects_a_unit_of_another_organisation(client, unit, other_org):
    response = submit(client, valid_story(organisation="wzc-elders", unit=unit.short_code))
    assert response.status_code == 422
    assert response.json()["errors"]["unit"] == (
        "This unit does not belong to the chosen organisation."
    )
    assert not Story.objects.exists()


def test_it_rejects_a_unit_slug_of_another_organisation(client, unit, other_org):
    response = submit(client, valid_story(organisation="wzc-elders", unit="onco"))
    assert response.status_code == 422
    assert response.json()["errors"]["unit"] == "Unknown unit."


@pytest.mark.parametrize(
    ("changes", "field", "expected"),
    [
        ({"organisation": "no-such-org"}, "organisation", "Unknown organisation."),
        ({"organisation": "az\x00test"}, "organisation", "Unknown organisation."),
        ({"unit": "zzzzzzz"}, "unit", "Unknown unit."),
        ({"campaign": "no-such-campaign"}, "campaign", "Unknown campaign."),
    ],
)
def test_it_rejects_unknown_places(client, org, changes, field, expected):
    response = submit(client, valid_story(**changes))
    assert response.status_code == 422
    assert response.json()["errors"][field] == expected
    assert not Story.objects.exists()


def test_it_rejects_a_closed_campaign(client, org):
    closed = Campaign.objects.create(
        name="Oud", slug="oud", opens_on=date(2020, 1, 1), closes_on=date(2020, 12, 31)
    )
    closed.organisations.set([org])
    response = submit(client, valid_story(organisation="az-test", campaign="oud"))
    assert response.status_code == 422
    assert "closed" in response.json()["errors"]["campaign"]
    assert not Story.objects.exists()


def test_it_rejects_an_organisation_outside_the_campaign(client, org, other_org):
    only_org = Campaign.objects.create(name="Enkel", slug="enkel", opens_on=date(2020, 1, 1))
    only_org.organisations.set([org])
    response = submit(client, valid_story(organisation="wzc-elders", campaign="enkel"))
    assert response.status_code == 422
    assert "does not take part" in response.json()["errors"]["organisation"]


def test_it_limits_submissions_per_client(client, db, settings, monkeypatch):
    settings.MANGO_SUBMIT_RATE = "2/m"
    # Freeze the clock 30 seconds into a minute, so all requests share one window.
    clock = SimpleNamespace(time=lambda: 1_700_000_010.0)
    monkeypatch.setattr(throttle, "time", clock)
    monkeypatch.setattr(api_module, "time", clock)
    assert submit(client, valid_story()).status_code == 201
    assert submit(client, valid_story()).status_code == 201
    response = submit(client, valid_story())
    assert response.status_code == 429
    assert response["Retry-After"] == "30"
    assert "Too many" in response.json()["detail"]
    assert Story.objects.count() == 2
    other_client = submit(client, valid_story(), REMOTE_ADDR="192.0.2.7")
    assert other_client.status_code == 201


def test_invalid_submissions_count_against_the_limit(client, db, settings):
    settings.MANGO_SUBMIT_RATE = "2/m"
    submit(client, valid_story(text=""))
    submit(client, valid_story(text=""))
    assert submit(client, valid_story()).status_code == 429
    assert not Story.objects.exists()


def test_messages_are_in_english_without_accept_language(client, db):
    response = submit(client, valid_story(text=""))
    assert response["Content-Language"] == "en"
    assert response.json()["errors"]["text"] == "This field is required."


# --- Tokens -------------------------------------------------------------------------------


def test_reading_requires_a_token(client, story):
    for path in ("/api/stories", f"/api/stories/{story.pk}"):
        response = client.get(path)
        assert response.status_code == 401
        assert "Authorization: Bearer" in response.json()["detail"]
        assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    ["Bearer mango_not-a-real-token", "Bearer something-else", "Basic bWFuYWdlcjpwdw==", "Bearer"],
)
def test_a_bad_token_is_refused(client, manager, story, header):
    response = client.get("/api/stories", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["detail"]


def test_a_token_of_an_inactive_user_is_refused(client, manager, story):
    headers = bearer(manager)
    manager.is_active = False
    manager.save()
    response = client.get("/api/stories", **headers)
    assert response.status_code == 401
    assert "not valid" in response.json()["detail"]


def test_a_token_records_when_it_was_last_used_at_most_once_a_minute(client, manager):
    headers = bearer(manager)
    token = ApiToken.objects.get(user=manager)
    assert token.last_used_at is None
    assert client.get("/api/stories", **headers).status_code == 200
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None and timezone.now() - first < timedelta(seconds=5)

    recent = timezone.now() - timedelta(seconds=30)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=recent)
    client.get("/api/stories", **headers)
    token.refresh_from_db()
    assert token.last_used_at == recent

    stale = timezone.now() - timedelta(minutes=2)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=stale)
    client.get("/api/stories", **headers)
    token.refresh_from_db()
    assert token.last_used_at > stale + timedelta(minutes=1)


# --- Listing and reading ------------------------------------------------------------------


@pytest.fixture
def stories(org, other_org):
    return {
        "shared": make_story(org, consent_research=False, consent_sharing=True),
        "research": make_story(org, consent_research=True, consent_sharing=False),
        "both": make_story(org),
        "elsewhere": make_story(other_org, consent_research=True, consent_sharing=True),
        "elsewhere_shared": make_story(other_org, consent_research=False, consent_sharing=True),
    }


def test_the_owner_lists_stories_shared_with_the_organisation(client, manager, stories):
    response = client.get("/api/stories", **bearer(manager))
    assert response.status_code == 200
    assert ids(response) == {stories["shared"].pk, stories["both"].pk}
    assert response.json()["count"] == 2


def test_the_owner_reads_a_shared_story(client, manager, stories):
    story = stories["shared"]
    response = client.get(f"/api/stories/{story.pk}", **bearer(manager))
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == story.pk
    assert body["text"] == story.text
    assert body["organisation"] == {"slug": "az-test", "name": "AZ Testziekenhuis"}
    assert body["unit"] is None
    assert body["consent_sharing"] is True


def test_the_owner_gets_403_on_a_story_without_sharing_consent(client, manager, stories):
    response = client.get(f"/api/stories/{stories['research'].pk}", **bearer(manager))
    assert response.status_code == 403
    assert response.json()["detail"]


def test_a_team_member_may_not_list_or_read_stories(client, member, stories):
    headers = bearer(member)
    assert client.get("/api/stories", **headers).status_code == 403
    response = client.get(f"/api/stories/{stories['both'].pk}", **headers)
    assert response.status_code == 403
    assert "text" not in response.json()


def test_an_outsider_gets_404_and_never_lists_other_organisations(client, outsider, stories):
    headers = bearer(outsider)
    response = client.get(f"/api/stories/{stories['both'].pk}", **headers)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    listed = client.get("/api/stories", **headers)
    assert ids(listed) == {stories["elsewhere"].pk, stories["elsewhere_shared"].pk}


def test_a_researcher_reads_research_stories_everywhere(client, researcher, stories):
    headers = bearer(researcher)
    response = client.get("/api/stories", **headers)
    assert ids(response) == {stories["research"].pk, stories["both"].pk, stories["elsewhere"].pk}
    # A network-wide role is a member everywhere: a story without research consent is 403.
    assert client.get(f"/api/stories/{stories['shared'].pk}", **headers).status_code == 403
    assert client.get(f"/api/stories/{stories['elsewhere'].pk}", **headers).status_code == 200


def test_an_administrator_reads_everything(client, admin_user, stories):
    response = client.get("/api/stories", **bearer(admin_user))
    assert ids(response) == {story.pk for story in stories.values()}


def test_a_missing_or_malformed_story_id_is_answered_in_json(client, manager, stories):
    headers = bearer(manager)
    assert client.get("/api/stories/999999", **headers).status_code == 404
    response = client.get("/api/stories/abc", **headers)
    assert response.status_code == 422
    assert response.json()["errors"]


def test_responses_never_contain_contact_details_or_the_receipt(client, admin_user, org):
    story = make_story(org, **CONTACT)
    headers = bearer(admin_user)
    for response in (
        client.get("/api/stories", **headers),
        client.get(f"/api/stories/{story.pk}", **headers),
    ):
        assert response.status_code == 200
        content = response.content.decode()
        for value in (*CONTACT.values(), story.receipt, "contact_"):
            assert value not in content


def test_the_list_is_paginated(client, admin_user, org):
    made = [make_story(org) for _ in range(5)]
    headers = bearer(admin_user)
    first = client.get("/api/stories?page_size=2", **headers).json()
    assert (first["count"], first["pages"], first["page"], len(first["items"])) == (5, 3, 1, 2)
    # Newest first.
    assert [item["id"] for item in first["items"]] == [made[4].pk, made[3].pk]
    last = client.get("/api/stories?page_size=2&page=3", **headers).json()
    assert [item["id"] for item in last["items"]] == [made[0].pk]
    beyond = client.get("/api/stories?page_size=2&page=9", **headers).json()
    assert beyond["items"] == [] and beyond["count"] == 5


@pytest.mark.parametrize("query", ["page=0", "page=abc", "page_size=0", "page_size=1000"])
def test_bad_pagination_is_a_validation_error(client, admin_user, query):
    response = client.get(f"/api/stories?{query}", **bearer(admin_user))
    assert response.status_code == 422
    assert set(response.json()["errors"]) <= {"page", "page_size"}


@pytest.fixture
def varied(org, other_org, unit, campaign):
    second_unit = Unit.objects.create(organisation=org, name="Geriatrie", slug="geri")
    return {
        "onco": make_story(
            org, unit=unit, campaign=campaign, oncological="yes", text="Een mango op de afdeling."
        ),
        "geri": make_story(org, unit=second_unit, teller_role="family", language="fr"),
        "elders": make_story(
            other_org, setting="residential", text="Zij zong voor mij, heel zacht."
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=afdeling", {"onco"}),
        ("q=zong+zacht", {"elders"}),
        ("organisation=az-test", {"onco", "geri"}),
        ("organisation=wzc-elders", {"elders"}),
        ("unit=onco&organisation=az-test", {"onco"}),
        ("campaign=campagne", {"onco"}),
        ("teller_role=family", {"geri"}),
        ("setting=residential", {"elders"}),
        ("oncological=yes", {"onco"}),
        ("language=fr", {"geri"}),
        ("organisation=az-test&language=nl", {"onco"}),
    ],
)
def test_filters_narrow_the_list(client, admin_user, varied, query, expected):
    response = client.get(f"/api/stories?{query}", **bearer(admin_user))
    assert response.status_code == 200
    assert ids(response) == {varied[name].pk for name in expected}


def test_the_unit_filter_takes_a_short_code(client, admin_user, varied, unit):
    response = client.get(f"/api/stories?unit={unit.short_code}", **bearer(admin_user))
    assert ids(response) == {varied["onco"].pk}


def test_filters_never_widen_what_a_user_sees(client, outsider, varied):
    response = client.get("/api/stories?organisation=az-test", **bearer(outsider))
    assert response.status_code == 200
    assert response.json()["items"] == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("organisation=no-such-org", "organisation"),
        ("unit=zzzzzzz", "unit"),
        ("campaign=none-here", "campaign"),
        ("teller_role=alien", "teller_role"),
        ("language=de", "language"),
        ("q=" + "x" * 201, "q"),
        ("q=a%00b", "q"),
    ],
)
def test_invalid_filters_are_validation_errors(client, admin_user, varied, query, field):
    response = client.get(f"/api/stories?{query}", **bearer(admin_user))
    assert response.status_code == 422
    assert response.json()["errors"][field]


def test_unknown_api_paths_answer_json_404(client, db):
    response = client.get("/api/nothing-here")
    assert response.status_code == 404
    assert response.json()["detail"]


# --- Vocabulary and schema ----------------------------------------------------------------


def test_the_vocabulary_lists_every_code_with_an_english_label(client, db):
    response = client.get("/api/vocabulary", HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    body = response.json()
    assert [c["code"] for c in body["teller_role"]] == list(vocab.TELLER_ROLES)
    assert [c["code"] for c in body["setting"]] == list(vocab.SETTINGS)
    assert [c["code"] for c in body["happened"]] == list(vocab.WHEN)
    assert [c["code"] for c in body["gesture_by"]] == list(vocab.GESTURE_BY)
    assert [c["code"] for c in body["language"]] == list(vocab.LANGUAGES)
    assert {"code": "hospital", "label": "Hospital"} in body["setting"]
    assert {"code": "unknown", "label": "I don't know"} in body["oncological"]
    assert (body["text_min_chars"], body["text_max_chars"]) == (20, 5000)


def test_the_openapi_schema_lists_the_endpoints(client, db):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["info"]["title"] == "Mango API"
    assert schema["info"]["version"] == "1"
    paths = schema["paths"]
    assert set(paths["/api/stories"]) == {"get", "post"}
    assert "get" in paths["/api/stories/{story_id}"]
    assert "get" in paths["/api/vocabulary"]
    assert "security" not in paths["/api/stories"]["post"]
    assert paths["/api/stories"]["get"]["security"]
    story_fields = schema["components"]["schemas"]["StoryOut"]["properties"]
    assert "text" in story_fields
    assert not {"contact_name", "contact_email", "contact_phone", "receipt"} & set(story_fields)


def test_the_interactive_docs_are_served(client, db):
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content


# --- The token command --------------------------------------------------------------------


def test_the_token_command_prints_a_token_that_works(client, manager, stories):
    out, err = StringIO(), StringIO()
    call_command("token_create", "manager", "--name", "laptop", stdout=out, stderr=err)
    raw = out.getvalue().strip()
    assert raw.startswith("mango_")
    assert raw not in err.getvalue()
    token = ApiToken.objects.get(user=manager)
    assert token.name == "laptop"
    assert token.key_hash != raw
    response = client.get("/api/stories", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert ids(response) == {stories["shared"].pk, stories["both"].pk}


def test_the_token_command_refuses_unknown_and_inactive_users(db):
    with pytest.raises(CommandError, match="No user"):
        call_command("token_create", "nobody", stdout=StringIO(), stderr=StringIO())
    make_user("gone", is_active=False)
    with pytest.raises(CommandError, match="inactive"):
        call_command("token_create", "gone", stdout=StringIO(), stderr=StringIO())
    assert not ApiToken.objects.exists()


def test_the_mango_cli_maps_token_create_to_the_command():
    argv = cli.resolve(["mango", "token", "create", "alice"], set(get_commands()))
    assert argv == ["mango", "token_create", "alice"]


def test_the_interactive_docs_load_their_assets_locally(client, db):
    html = client.get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()


# --- Reading is audited -------------------------------------------------------------------


@pytest.mark.postgres
def test_reading_a_story_through_the_api_is_audited(client, manager, stories):
    from mango.audit.models import AuditEvent

    story = stories["shared"]
    assert client.get(f"/api/stories/{story.pk}", **bearer(manager)).status_code == 200
    event = AuditEvent.objects.get(action="story.view_original")
    assert event.actor == manager and event.target_id == str(story.pk)
    assert event.organisation == story.organisation
    # A refused read is no read.
    client.get(f"/api/stories/{stories['research'].pk}", **bearer(manager))
    assert AuditEvent.objects.filter(action="story.view_original").count() == 1


@pytest.mark.postgres
def test_a_list_search_through_the_api_is_audited_without_text(client, manager, stories):
    from mango.audit.models import AuditEvent

    response = client.get(
        "/api/stories",
        {"q": "mango Peeters", "organisation": "az-test", "teller_role": "patient"},
        **bearer(manager),
    )
    assert response.status_code == 200
    returned = len(response.json()["items"])
    event = AuditEvent.objects.get(action="stories.searched")
    assert event.actor == manager
    assert event.new["filters"] == {
        "organisation": "az-test",
        "teller_role": "patient",
        "q_words": 2,
    }
    assert event.new["returned"] == returned and event.new["matching"] == returned
    recorded = json.dumps([event.old, event.new, event.note])
    assert "mango" not in recorded and "Peeters" not in recorded
    for story in stories.values():
        assert story.text not in recorded


# --- Idempotency-Key ------------------------------------------------------------------------


@pytest.mark.postgres
def test_a_retry_with_the_same_idempotency_key_stores_nothing_and_gets_the_first_answer(
    client, db, settings
):
    key = {"HTTP_IDEMPOTENCY_KEY": "6f1c1a2e-0d4b-4e43-9a57-0d1d1e1f2a3b"}
    first = submit(client, valid_story(), **key)
    assert first.status_code == 201
    # Even past the rate limit: a retry is not a new story.
    settings.MANGO_SUBMIT_RATE = "1/h"
    again = submit(client, valid_story(), **key)
    assert again.status_code == 201
    assert again.json() == first.json()
    assert Story.objects.count() == 1
    assert Story.objects.get().receipt == first.json()["receipt"]


@pytest.mark.postgres
def test_the_same_idempotency_key_with_another_body_is_refused(client, db):
    key = {"HTTP_IDEMPOTENCY_KEY": "k-123456"}
    assert submit(client, valid_story(), **key).status_code == 201
    other = submit(client, valid_story(text="Een heel ander verhaal over de kinesist."), **key)
    assert other.status_code == 422
    assert "already used for another story" in other.json()["errors"]["Idempotency-Key"]
    assert Story.objects.count() == 1
    # Another key is another story.
    assert submit(client, valid_story(), HTTP_IDEMPOTENCY_KEY="k-654321").status_code == 201
    assert Story.objects.count() == 2


def test_an_idempotency_key_expires_after_a_day(client, db):
    from mango.stories.models import SubmissionKey

    key = {"HTTP_IDEMPOTENCY_KEY": "k-expiring"}
    assert submit(client, valid_story(), **key).status_code == 201
    SubmissionKey.objects.update(created_at=timezone.now() - timedelta(hours=25))
    assert submit(client, valid_story(), **key).status_code == 201
    assert Story.objects.count() == 2
    assert SubmissionKey.objects.count() == 1


@pytest.mark.parametrize("value", ["", "a" * 256, "sp ace", "tab\tkey"])
def test_a_malformed_idempotency_key_is_refused(client, db, value):
    response = submit(client, valid_story(), HTTP_IDEMPOTENCY_KEY=value)
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["errors"]
    assert Story.objects.count() == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_with_one_key_store_one_story(org):
    """Two workers with the same key at the same moment: the unique key decides, and the one
    that lost waits for the winner's story."""
    import threading
    import time

    from django.db import connection

    from mango.lifecycle import actions
    from mango.stories import submissions
    from mango.stories.placement import place
    from tests.conftest import story_values

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")
    start = threading.Barrier(2, timeout=20)
    results, errors = [], []

    def submit_story():
        time.sleep(0.3)  # the other worker claims meanwhile
        return actions.submit_story(story_values(), place(org, None, None), source="api")

    def worker():
        try:
            start.wait()
            results.append(submissions.submit_once("api", "same-key", "body", submit_story))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert sorted(stored for _submission, stored in results) == [False, True]
    stories = {submission.story_id for submission, _stored in results}
    assert len(stories) == 1 and None not in stories
    assert Story.objects.count() == 1


def test_a_claim_whose_story_is_still_being_stored_is_answered_409(client, db, monkeypatch):
    from mango.api.schemas import StoryIn
    from mango.stories import submissions
    from mango.stories.models import SubmissionKey

    data = valid_story()
    digest = submissions._digest("api", "k-busy")
    body_hash = submissions.fingerprint(StoryIn(**data).model_dump())
    SubmissionKey.objects.create(key=digest, fingerprint=body_hash)
    monkeypatch.setattr(submissions, "WAIT", timedelta(seconds=0.1))
    response = submit(client, data, HTTP_IDEMPOTENCY_KEY="k-busy")
    assert response.status_code == 409
    assert "still being processed" in response.json()["detail"]
    assert Story.objects.count() == 0
