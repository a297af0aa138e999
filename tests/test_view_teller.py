"""The teller's rights with the receipt code: status, withdrawal, erasure, and the CLI."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.utils import timezone

from mango.audit.models import AuditEvent
from mango.lifecycle.actions import erase_story
from mango.stories.models import Story
from tests.conftest import make_story

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()


def look_up(client, receipt, **extra):
    return client.post("/en/my-story/", {"receipt": receipt, **extra})


def test_the_receipt_shows_the_progress(client, story):
    page = look_up(client, story.receipt.lower().replace("-", ""))
    html = page.content.decode()
    assert page.status_code == 200
    assert story.receipt in html
    assert "De-identified" in html and 'class="done"' in html


def test_the_receipt_never_travels_in_the_url(client, story):
    html = client.get("/en/my-story/").content.decode()
    assert 'method="post"' in html
    assert client.get(f"/en/my-story/?receipt={story.receipt}").status_code == 200
    # A receipt in the query string is ignored: no status page is shown.
    page = client.get(f"/en/my-story/?receipt={story.receipt}").content.decode()
    assert "What you can do" not in page


def test_an_unknown_receipt_says_so(client, db):
    page = look_up(client, "M-AAAAA-BBBBB")
    assert page.status_code == 404
    assert "know this receipt code" in page.content.decode()


def test_a_malformed_receipt_gets_a_clear_message(client, db):
    assert "10 letters and digits" in look_up(client, "hello").content.decode()


def test_lookups_are_rate_limited(client, story, settings):
    settings.MANGO_RECEIPT_RATE = "2/h"
    assert look_up(client, story.receipt).status_code == 200
    assert look_up(client, "M-AAAAA-BBBBB").status_code == 404
    assert look_up(client, story.receipt).status_code == 429


def test_withdrawing_sharing_consent_stops_sharing(client, org):
    story = make_story(org, status="shared")
    look_up(client, story.receipt, action="withdraw_sharing", confirm="yes")
    story.refresh_from_db()
    assert not story.consent_sharing and story.consent_research
    assert story.status == "withdrawn" and story.shared_at is None
    event = AuditEvent.objects.get(action="story.consent_withdrawn")
    assert event.actor_name == "teller"
    assert event.old["consent_sharing"] is True and event.new["consent_sharing"] is False


def test_withdrawing_research_consent_keeps_sharing(client, story):
    look_up(client, story.receipt, action="withdraw_research", confirm="yes")
    story.refresh_from_db()
    assert not story.consent_research and story.consent_sharing
    assert story.status == "deidentified"


def test_withdrawing_the_last_consent_withdraws_the_story(client, org):
    story = make_story(org, consent_sharing=False)
    look_up(client, story.receipt, action="withdraw_research", confirm="yes")
    story.refresh_from_db()
    assert story.status == "withdrawn"


def test_withdrawing_needs_confirmation(client, story):
    page = look_up(client, story.receipt, action="withdraw_sharing").content.decode()
    story.refresh_from_db()
    assert story.consent_sharing
    assert 'name="confirm"' in page and "required" in page


def test_the_teller_reads_their_own_story_as_told(client, org):
    story = make_story(org, text="Zuster Els bracht me een mango. <b>echt</b>")
    html = look_up(client, story.receipt).content.decode()
    assert "Zuster Els bracht me een mango. &lt;b&gt;echt&lt;/b&gt;" in html
    erase_story(story)
    assert "Zuster Els" not in look_up(client, story.receipt).content.decode()


def test_erasure_needs_confirmation(client, story):
    look_up(client, story.receipt, action="erase")
    story.refresh_from_db()
    assert not story.is_erased


def test_erasure_removes_text_and_contact_details_and_keeps_a_tombstone(client, org, researcher):
    story = make_story(
        org, contact_name="An Peeters", contact_email="an@example.be", contact_phone="0470 12 34 56"
    )
    page = look_up(client, story.receipt, action="erase", confirm="yes")
    assert "were erased" in page.content.decode()
    story.refresh_from_db()
    assert story.is_erased and story.status == "erased"
    for field in ("text", "text_redacted", "contact_name", "contact_email", "contact_phone"):
        assert getattr(story, field) == ""
    assert story.redactions == []
    assert not (story.consent_research or story.consent_sharing)
    # The tombstone still counts in its categories.
    assert Story.objects.filter(organisation=org, teller_role="patient").count() == 1
    assert timezone.localtime(story.submitted_at).day == 1
    assert AuditEvent.objects.filter(action="story.erased", target_id=str(story.pk)).exists()
    # Nobody sees the text afterwards: staff page says erased; lists hide it.
    client.force_login(researcher)
    assert client.get(f"/en/staff/stories/{story.pk}/").status_code in (403, 404)
    assert "An Peeters" not in client.get("/en/staff/").content.decode()


def test_an_erased_story_is_shown_as_erased_to_its_teller(client, story):
    look_up(client, story.receipt, action="erase", confirm="yes")
    html = look_up(client, story.receipt).content.decode()
    assert "Erased" in html and "Erase my story" not in html


def test_the_erase_command_erases(story, capsys):
    call_command("gdpr_erase", story.receipt)
    story.refresh_from_db()
    assert story.is_erased
    assert "erased" in capsys.readouterr().out
    call_command("gdpr_erase", story.receipt)
    assert "already erased" in capsys.readouterr().out


def test_the_export_command_prints_everything_held(org, capsys):
    story = make_story(org, contact_email="an@example.be")
    call_command("gdpr_export", story.receipt.lower())
    data = json.loads(capsys.readouterr().out)
    assert data["receipt"] == story.receipt
    assert data["text"] == story.text
    assert data["contact_email"] == "an@example.be"
    assert AuditEvent.objects.filter(action="story.exported").count() == 1


def test_the_commands_explain_a_bad_receipt(db):
    with pytest.raises(CommandError, match="No story has the receipt code"):
        call_command("gdpr_export", "M-AAAAA-BBBBB")
    with pytest.raises(CommandError, match="10 letters"):
        call_command("gdpr_erase", "nope")


@pytest.mark.parametrize(
    "submitted",
    [
        # Local midnight on the first of March is still February in UTC.
        datetime(2026, 3, 1, 0, 30, 12, 345678, tzinfo=ZoneInfo("Europe/Brussels")),
        datetime(2026, 7, 31, 23, 59, 59, 999999, tzinfo=ZoneInfo("Europe/Brussels")),
        datetime(2026, 10, 25, 2, 30, 5, 1, tzinfo=ZoneInfo("Europe/Brussels")),
    ],
)
def test_an_erased_story_keeps_only_the_first_of_its_local_month(org, settings, submitted):
    settings.TIME_ZONE = "Europe/Brussels"
    story = make_story(org, submitted_at=submitted)
    erase_story(story)
    story.refresh_from_db()
    local = timezone.localtime(story.submitted_at)
    assert (local.year, local.month) == (submitted.year, submitted.month)
    assert (local.day, local.hour, local.minute, local.second, local.microsecond) == (1, 0, 0, 0, 0)
