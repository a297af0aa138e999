"""Thank-you notes: linking a shared story to a colleague, the e-mail through a real SMTP
server, the line manager's copy, retries, the signed reply link and the teller's news."""

import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from mango.audit.models import AuditEvent
from mango.culture.models import StoryUnit
from mango.lifecycle import actions
from mango.recognition import notes
from mango.recognition.models import ThankYouNote
from tests.conftest import make_story, make_user

# Notes are queued when the link commits: the tests commit for real.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

TEXT = "Verpleegkundige Els bracht me een mango toen ik niet kon slapen."
REDACTED = "Verpleegkundige [naam] bracht me een mango toen ik niet kon slapen."


@pytest.fixture(autouse=True)
def _public_url(settings):
    settings.PUBLIC_URL = "https://mango.example.org"
    cache.clear()


def shared_story(org, unit=None, **fields):
    story = make_story(
        org,
        text=TEXT,
        text_redacted=REDACTED,
        status="shared",
        shareable=True,
        shared_at=timezone.now(),
        unit=unit,
        **fields,
    )
    if unit is not None:
        StoryUnit.objects.create(story=story, unit=unit)
    return story


@pytest.fixture
def nurse(org, unit):
    user = make_user("els", "team_member", org, email="els@az-test.be", first_name="Els")
    user.memberships.update(unit=unit)
    return user


def reply_link(message_text: str) -> str:
    return re.search(
        r"https://mango\.example\.org(/\w\w/recognition/reply/[^/\s]+/)", message_text
    )[1]


def test_a_manager_thanks_a_colleague_with_an_account(
    client, manager, org, unit, nurse, smtp_server
):
    story = shared_story(org, unit)
    client.force_login(manager)
    page = client.get(f"/en/recognition/stories/{story.pk}/thank/")
    assert page.status_code == 200 and REDACTED in page.content.decode()
    response = client.post(
        f"/en/recognition/stories/{story.pk}/thank/",
        {"recipient": nurse.pk, "profession": "nurse", "unit": unit.pk, "language": "nl"},
    )
    assert response.status_code == 302
    [message] = smtp_server.to("els@az-test.be")
    body = smtp_server.text(message)
    assert message["Subject"] == "Bedankt: een Mangomoment over u"
    assert "Beste Els," in body and REDACTED in body
    assert TEXT not in body and TEXT not in smtp_server.html(message)
    assert "/nl/recognition/reply/" in body
    note = ThankYouNote.objects.get()
    assert note.sent_at is not None and note.recipient == nurse and note.profession == "nurse"
    actions_logged = list(
        AuditEvent.objects.filter(target_type="thankyounote").values_list("action", flat=True)
    )
    assert sorted(actions_logged) == ["thankyou.linked", "thankyou.sent"]
    linked = AuditEvent.objects.get(action="thankyou.linked")
    assert linked.actor == manager and linked.organisation == org
    assert TEXT not in str(linked.new) and "els@" not in str(linked.new)


def test_a_colleague_without_an_account_gets_it_by_e_mail_and_the_line_manager_a_copy(
    client, manager, org, unit, smtp_server
):
    org.copy_line_manager = True
    org.save()
    story = shared_story(org, unit)
    client.force_login(manager)
    response = client.post(
        f"/en/recognition/stories/{story.pk}/thank/",
        {
            "email": "ahmed@az-test.be",
            "first_name": "Ahmed",
            "profession": "porter",
            "language": "fr",
            "line_manager_email": "chef@az-test.be",
        },
    )
    assert response.status_code == 302
    [note_mail] = smtp_server.to("ahmed@az-test.be")
    assert "Ahmed" in smtp_server.text(note_mail) and "/fr/recognition/reply/" in smtp_server.text(
        note_mail
    )
    [copy] = smtp_server.to("chef@az-test.be")
    assert "recognition/reply" not in smtp_server.text(copy)  # the reply link is theirs alone
    assert REDACTED in smtp_server.text(copy)
    note = ThankYouNote.objects.get()
    assert note.copy_sent_at is not None
    assert AuditEvent.objects.filter(action="thankyou.sent").count() == 2


def test_without_the_organisations_setting_no_copy_is_asked_or_sent(
    client, manager, org, smtp_server
):
    story = shared_story(org)
    client.force_login(manager)
    page = client.get(f"/en/recognition/stories/{story.pk}/thank/").content.decode()
    assert "line_manager_email" not in page
    client.post(
        f"/en/recognition/stories/{story.pk}/thank/",
        {"email": "a@az-test.be", "first_name": "An", "profession": "cleaner", "language": "nl"},
    )
    assert [m.envelope_to for m in smtp_server.messages] == [["a@az-test.be"]]


def test_the_form_explains_what_is_missing(client, manager, org, nurse):
    story = shared_story(org)
    client.force_login(manager)
    url = f"/en/recognition/stories/{story.pk}/thank/"
    page = client.post(url, {"profession": "nurse", "language": "nl"})
    assert page.status_code == 400
    assert "Choose a colleague with an account, or give an e-mail address." in page.content.decode()
    page = client.post(url, {"email": "x@az-test.be", "profession": "nurse", "language": "nl"})
    assert "Give the first name" in page.content.decode()
    page = client.post(
        url,
        {
            "recipient": nurse.pk,
            "email": "x@az-test.be",
            "first_name": "X",
            "profession": "nurse",
            "language": "nl",
        },
    )
    assert "not both" in page.content.decode()
    assert not ThankYouNote.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"status": "reviewed", "shareable": False},
        {"status": "deidentified"},
        {"status": "shared", "consent_sharing": False},
    ],
)
def test_only_shared_stories_with_sharing_consent_reach_a_note(manager, org, fields, smtp_server):
    values = {"text": TEXT, "text_redacted": REDACTED, **fields}
    story = make_story(org, **values)
    with pytest.raises(ValueError, match="moderator shared"):
        notes.link_story(manager, story, email="a@b.be", first_name="A", profession="nurse")
    assert smtp_server.messages == []


def test_outsiders_get_404_and_team_members_403(client, org, outsider, member):
    story = shared_story(org)
    client.force_login(outsider)
    assert client.get(f"/en/recognition/stories/{story.pk}/thank/").status_code == 404
    client.force_login(member)
    assert client.get(f"/en/recognition/stories/{story.pk}/thank/").status_code == 403


def test_a_failed_send_is_retried_and_never_sent_twice(manager, org, nurse, settings, smtp_server):
    story = shared_story(org)
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 9  # nothing listens: the job's send fails
    note = notes.link_story(manager, story, recipient=nurse, profession="nurse")
    note.refresh_from_db()
    assert note.sent_at is None and note.send_attempts >= 1 and note.last_error
    settings.EMAIL_PORT = port
    assert notes.send_note(note.pk) == 1
    assert notes.send_note(note.pk) == 0
    assert len(smtp_server.to("els@az-test.be")) == 1


def test_a_note_waiting_when_consent_is_withdrawn_is_never_sent(
    manager, org, nurse, settings, smtp_server
):
    story = shared_story(org)
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 9
    note = notes.link_story(manager, story, recipient=nurse, profession="nurse")
    actions.withdraw_consent(story, sharing=True)
    settings.EMAIL_PORT = port
    assert notes.send_note(note.pk) == 0
    assert smtp_server.messages == []
    assert list(notes.unsent_notes(timezone.timedelta(0))) == []


def test_the_colleague_replies_and_the_teller_sees_it(client, manager, org, nurse, smtp_server):
    story = shared_story(org)
    notes.link_story(manager, story, recipient=nurse, profession="nurse", language="en")
    link = reply_link(smtp_server.text(smtp_server.messages[0]))
    anonymous = client
    page = anonymous.get(link)
    assert page.status_code == 200 and REDACTED in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    done = anonymous.post(link, {"text": "Dank u, het deed me echt deugd."})
    assert done.status_code == 200 and "receipt code" in done.content.decode()
    event = AuditEvent.objects.get(action="thankyou.replied")
    assert "deugd" not in str(event.new) and event.actor_name == "recipient"

    status = client.post("/en/my-story/", {"receipt": story.receipt}).content.decode()
    assert "Your story reached the team" in status
    assert "Dank u, het deed me echt deugd." in status


def test_the_teller_sees_nothing_before_a_note_was_sent(client, org):
    story = shared_story(org)
    status = client.post("/en/my-story/", {"receipt": story.receipt}).content.decode()
    assert "reached the team" not in status


def test_a_revoked_or_forged_reply_link_does_not_work(client, manager, org, nurse, smtp_server):
    story = shared_story(org)
    note = notes.link_story(manager, story, recipient=nurse, profession="nurse", language="en")
    link = reply_link(smtp_server.text(smtp_server.messages[0]))
    assert client.get(link[:-3] + "xx/").status_code == 404
    client.force_login(manager)
    assert (
        client.post(f"/en/recognition/stories/{story.pk}/thank/{note.pk}/revoke/").status_code
        == 302
    )
    client.logout()
    assert client.get(link).status_code == 404
    assert client.post(link, {"text": "Hallo"}).status_code == 404
    assert AuditEvent.objects.filter(action="thankyou.reply_revoked").count() == 1


def test_after_withdrawal_the_reply_page_shows_nothing_of_the_story(
    client, manager, org, nurse, smtp_server
):
    story = shared_story(org)
    notes.link_story(manager, story, recipient=nurse, profession="nurse", language="en")
    link = reply_link(smtp_server.text(smtp_server.messages[0]))
    actions.withdraw_consent(story, sharing=True)
    page = client.get(link)
    assert page.status_code == 410 and REDACTED not in page.content.decode()


def test_after_erasure_the_teller_page_shows_no_reply(client, manager, org, nurse, smtp_server):
    story = shared_story(org)
    note = notes.link_story(manager, story, recipient=nurse, profession="nurse")
    notes.save_reply(note, "Merci beaucoup")
    actions.erase_story(story)
    status = client.post("/en/my-story/", {"receipt": story.receipt}).content.decode()
    assert "Merci beaucoup" not in status


def test_a_reply_must_be_short_and_not_empty(manager, org, nurse, smtp_server):
    note = notes.link_story(manager, shared_story(org), recipient=nurse, profession="nurse")
    with pytest.raises(ValueError, match="few words"):
        notes.save_reply(note, "   ")
    with pytest.raises(ValueError, match="under 1000"):
        notes.save_reply(note, "x" * 1001)


def test_erasing_a_story_clears_the_replies_and_the_link(manager, org, nurse, smtp_server):
    story = shared_story(org)
    note = notes.link_story(manager, story, recipient=nurse, profession="nurse")
    note = notes.save_reply(note, "Merci beaucoup")
    token = notes.reply_token(note)
    actions.erase_story(story)  # the lifecycle step forgets the replies in its transaction
    assert notes.forget_story(story) == 0  # nothing left to clear
    note.refresh_from_db()
    assert note.reply_text == "" and note.profession == "nurse"
    assert notes.note_for_token(token) is None
