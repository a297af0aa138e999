"""Moderation: managers and ambassadors review redactions and decide what is shared."""

import pytest
from django.utils import timezone

from mango.audit.models import AuditEvent
from mango.stories.models import Story
from tests.conftest import make_story, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

TEXT = "Verpleegster Els bleef bij mij op 5 januari, en mijn man Jan mocht blijven slapen."


def redacted_story(org, **fields):
    """A de-identified story of TEXT with both names redacted."""
    els = TEXT.index("Els")
    jan = TEXT.index("Jan")
    return make_story(
        org,
        text=TEXT,
        text_redacted=TEXT.replace("Els", "[NAAM]").replace("Jan", "[NAAM]"),
        redactions=[
            {"kind": "staff_first_name", "start": els, "end": els + 3, "replacement": "[NAAM]"},
            {"kind": "person", "start": jan, "end": jan + 3, "replacement": "[NAAM]"},
        ],
        **fields,
    )


@pytest.fixture
def pending(org):
    """A de-identified story with two redactions, waiting for review."""
    return redacted_story(org)


def test_the_queue_lists_stories_to_review(client, manager, pending):
    client.force_login(manager)
    page = client.get("/en/staff/moderation/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "[NAAM]" in html and "To review (1)" in html
    # The queue shows the de-identified text only.
    assert "Jan mocht" not in html


def test_team_members_and_researchers_cannot_moderate(client, member, researcher, pending):
    for user in (member, researcher):
        client.force_login(user)
        assert client.get("/en/staff/moderation/").status_code == 403
    client.force_login(member)
    assert client.get(f"/en/staff/moderation/{pending.pk}/").status_code == 403


def test_outsiders_get_404(client, outsider, pending):
    client.force_login(outsider)
    assert client.get(f"/en/staff/moderation/{pending.pk}/").status_code == 404


def test_stories_without_sharing_consent_are_not_moderated(client, manager, org):
    private = make_story(org, consent_sharing=False)
    client.force_login(manager)
    assert client.get(f"/en/staff/moderation/{private.pk}/").status_code == 403


def test_the_review_page_highlights_redactions_and_is_audited(client, manager, pending):
    client.force_login(manager)
    html = client.get(f"/en/staff/moderation/{pending.pk}/").content.decode()
    assert '<mark class="redaction" title="[NAAM]">Jan</mark>' in html
    assert AuditEvent.objects.filter(
        action="story.view_original", actor=manager, target_id=str(pending.pk)
    ).exists()


def test_undoing_a_redaction_puts_the_words_back(client, manager, pending):
    client.force_login(manager)
    response = client.post(f"/en/staff/moderation/{pending.pk}/", {"action": "undo", "index": "0"})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.text_redacted.startswith("Verpleegster Els bleef")
    assert "[NAAM] mocht" in pending.text_redacted
    event = AuditEvent.objects.get(action="story.redactions_changed")
    assert len(event.old["spans"]) == 2 and len(event.new["spans"]) == 1
    # The trail holds positions, never the words.
    assert "Els" not in str(event.old) + str(event.new)


def test_adding_a_redaction_by_phrase(client, manager, pending):
    client.force_login(manager)
    client.post(
        f"/en/staff/moderation/{pending.pk}/",
        {"action": "redact", "phrase": "5 januari", "kind": "date"},
    )
    pending.refresh_from_db()
    assert "5 januari" not in pending.text_redacted
    assert "[DATUM]" in pending.text_redacted
    assert [r["kind"] for r in pending.redactions] == ["staff_first_name", "date", "person"]


def test_adding_a_redaction_by_selection_merges_overlaps(client, manager, pending):
    start = TEXT.index("mijn man Jan")
    client.force_login(manager)
    client.post(
        f"/en/staff/moderation/{pending.pk}/",
        {"action": "redact", "start": start, "end": start + len("mijn man Jan"), "kind": "person"},
    )
    pending.refresh_from_db()
    assert "mijn man" not in pending.text_redacted
    assert len(pending.redactions) == 2


def test_htmx_gets_the_updated_text_only(client, manager, pending):
    client.force_login(manager)
    response = client.post(
        f"/en/staff/moderation/{pending.pk}/",
        {"action": "undo", "index": "1"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'id="moderation-text"' in html


def test_a_phrase_not_in_the_story_is_explained(client, manager, pending):
    client.force_login(manager)
    response = client.post(
        f"/en/staff/moderation/{pending.pk}/",
        {"action": "redact", "phrase": "Brugge", "kind": "location"},
    )
    assert response.status_code == 400
    assert "do not occur" in response.content.decode()


def test_sharing_needs_a_reason_and_is_audited(client, manager, pending):
    client.force_login(manager)
    url = f"/en/staff/moderation/{pending.pk}/"
    assert client.post(url, {"action": "decide", "shareable": "yes"}).status_code == 400
    response = client.post(
        url, {"action": "decide", "shareable": "yes", "reason": "Names removed; lovely story."}
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == "shared" and pending.shareable and pending.shared_at
    assert pending.reviewed_by == manager
    event = AuditEvent.objects.get(action="story.shared")
    # The reason stays with the story (erased with it), never in the append-only trail.
    assert pending.review_note == "Names removed; lovely story."
    assert event.note == "" and "lovely" not in str(event.old) + str(event.new)
    assert event.new["reason_given"] is True and event.new["reason_length"] == 28
    assert event.old["status"] == "deidentified" and event.new["status"] == "shared"


def test_not_sharing_records_why(client, manager, pending):
    client.force_login(manager)
    client.post(
        f"/en/staff/moderation/{pending.pk}/",
        {"action": "decide", "shareable": "no", "reason": "Too recognisable."},
    )
    pending.refresh_from_db()
    assert pending.status == "reviewed" and pending.shareable is False
    assert pending.review_note == "Too recognisable."


def test_team_members_read_shared_stories_de_identified(client, member, manager, pending):
    client.force_login(manager)
    client.post(
        f"/en/staff/moderation/{pending.pk}/",
        {"action": "decide", "shareable": "yes", "reason": "ok"},
    )
    client.force_login(member)
    html = client.get("/en/staff/shared/").content.decode()
    assert "[NAAM] mocht blijven slapen" in html
    assert "Jan mocht" not in html
    assert client.get(f"/en/staff/stories/{pending.pk}/").status_code == 403


def test_shared_stories_stay_within_their_organisation(client, outsider, org):
    make_story(org, status="shared", text_redacted="Een gedeeld verhaal van hier.")
    client.force_login(outsider)
    assert "gedeeld verhaal" not in client.get("/en/staff/shared/").content.decode()


def test_users_without_memberships_cannot_read_shared_stories(client, db):
    client.force_login(make_user("nobody"))
    assert client.get("/en/staff/shared/").status_code == 403


def test_a_story_arriving_through_the_form_is_de_identified(client, org):
    client.post(
        "/nl/tell/",
        {
            "text": "Verpleegkundige Sofie Janssens belde mijn dochter op 0471 12 34 56.",
            "teller_role": "patient",
            "setting": "hospital",
            "oncological": "no",
            "happened": "week",
            "gesture_by": "nurse",
            "consent_sharing": "on",
            "organisation": org.pk,
        },
    )
    story = Story.objects.get()
    assert story.status == "deidentified"
    assert "0471 12 34 56" not in story.text_redacted
    assert "Janssens" not in story.text_redacted
    assert story.text.startswith("Verpleegkundige Sofie Janssens")
    assert AuditEvent.objects.filter(action="story.deidentified").count() == 1


@pytest.fixture
def shared(org, manager):
    """The pending story, shared with the teams with both names redacted."""
    return redacted_story(
        org,
        status="shared",
        shareable=True,
        shared_at=timezone.now(),
        reviewed_by=manager,
        reviewed_at=timezone.now(),
        review_note="ok",
    )


def test_undoing_a_redaction_on_a_shared_story_asks_first(client, manager, member, shared):
    client.force_login(manager)
    url = f"/en/staff/moderation/{shared.pk}/"
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = client.post(url, {"action": "undo", "index": "1"}, **headers)
        assert response.status_code == 200
        html = response.content.decode()
        assert 'name="confirm" value="yes"' in html and "<script" not in html.split("<main")[-1]
        shared.refresh_from_db()
        assert shared.status == "shared" and "Jan mocht" not in shared.text_redacted
    assert not AuditEvent.objects.filter(action="story.redactions_changed").exists()
    # Confirmed: the words come back, but the story leaves the shared page until approved.
    response = client.post(url, {"action": "undo", "index": "1", "confirm": "yes"})
    assert response.status_code == 302
    shared.refresh_from_db()
    assert "Jan mocht" in shared.text_redacted
    assert shared.status == "deidentified" and shared.shared_at is None and shared.shareable is None
    event = AuditEvent.objects.get(action="story.redactions_changed")
    assert event.old["status"] == "shared" and event.new["status"] == "deidentified"
    client.force_login(member)
    assert "mocht blijven slapen" not in client.get("/en/staff/shared/").content.decode()
    # Approved again: now the teams read the new text.
    client.force_login(manager)
    client.post(url, {"action": "decide", "shareable": "yes", "reason": "Jan may stay."})
    client.force_login(member)
    assert "Jan mocht blijven slapen" in client.get("/en/staff/shared/").content.decode()


def test_adding_a_redaction_to_a_shared_story_sends_it_back_for_review(client, manager, shared):
    client.force_login(manager)
    url = f"/en/staff/moderation/{shared.pk}/"
    data = {"action": "redact", "phrase": "mijn man", "kind": "person"}
    assert client.post(url, data).status_code == 200
    shared.refresh_from_db()
    assert shared.status == "shared" and "mijn man" in shared.text_redacted
    assert client.post(url, {**data, "confirm": "yes"}).status_code == 302
    shared.refresh_from_db()
    assert "mijn man" not in shared.text_redacted and shared.status == "deidentified"


def test_the_privacy_layer_takes_a_changed_shared_story_off_the_shared_page(manager, shared):
    from django.db import transaction

    from mango.stories import privacy

    with transaction.atomic():
        privacy.undo_redaction(manager, shared, 0)
    shared.refresh_from_db()
    assert shared.status == "deidentified" and shared.shared_at is None
    with pytest.raises(ValueError):
        privacy.set_redactions(manager, shared, shared.redactions, note="Els is fine")
