"""One story's whole journey back to the people it is about, in real Chromium with a real
SMTP server: told through a unit's QR link, de-identified, shared by a manager and linked to
a nurse; it shows in the unit's team feed and on the unit's story wall (which advances by
itself); the nurse receives the thank-you note and the weekly digest, replies through the
link in the e-mail, and the teller reads the reply with the receipt code."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mango import labels
from mango.culture import walls
from mango.culture.models import StoryUnit
from mango.lib.recognition import last_complete_period
from mango.lifecycle import actions
from mango.recognition import digests
from mango.recognition.labels import PROFESSION
from mango.stories.models import Story
from tests.browser.pages import nl, sign_in
from tests.browser.test_tell_story import choose, field_label, submit_button
from tests.conftest import make_story, make_user

pytestmark = pytest.mark.browser

STORY = (
    "Mijn vader lag op de afdeling en kon niet slapen. De verpleegkundige bracht hem midden "
    "in de nacht een kop thee en bleef even bij hem zitten tot hij rustig werd."
)
EARLIER = "De kinesitherapeut nam elke ochtend de tijd om mijn oefeningen opnieuw uit te leggen."
REPLY = "Wat fijn dat u dit vertelt. Dank u, het deed me echt deugd."


def test_a_story_goes_back_to_the_nurse_and_her_reply_to_the_teller(
    phone_page, new_page, org, unit, manager, smtp_server, settings, live_server
):
    settings.PUBLIC_URL = live_server.url
    nurse = make_user("els", "team_member", org, email="els@az-test.be", first_name="Els")
    nurse.memberships.update(unit=unit)
    week = last_complete_period("weekly", timezone.localdate())
    # A story shared earlier in the unit, so the wall has two to advance between.
    earlier = make_story(
        org,
        unit=unit,
        text=EARLIER,
        text_redacted=EARLIER,
        status="shared",
        shareable=True,
        shared_at=timezone.now() - timedelta(days=40),
    )
    StoryUnit.objects.create(story=earlier, unit=unit)

    # 1. The teller scans the unit's QR poster on a phone and tells the story.
    teller = phone_page
    teller.goto(f"/u/{unit.short_code}")
    expect(teller).to_have_url(re.compile(r"/nl/tell/"))
    teller.get_by_label(field_label("text")).fill(STORY)
    choose(teller, "teller_role", labels.TELLER_ROLE["family"])
    # The unit's link fills in the setting (and whether it is oncological) where it knows them.
    for field, value in (
        ("setting", labels.SETTING["hospital"]),
        ("oncological", labels.ONCOLOGICAL["no"]),
    ):
        if teller.get_by_role("group", name=field_label(field)).count():
            choose(teller, field, value)
    teller.get_by_label(field_label("consent_research")).check()
    teller.get_by_label(field_label("consent_sharing")).check()
    submit_button(teller).tap()
    expect(teller).to_have_url(re.compile(r"/nl/tell/thanks/$"))
    receipt = teller.get_by_test_id("receipt").inner_text().strip()
    story = Story.objects.get(receipt=receipt)
    assert story.unit == unit and story.consent_sharing

    # 2. De-identified (the job's step), then shared by a manager in the browser.
    actions.deidentify_waiting()
    story.refresh_from_db()
    assert story.status == "deidentified"
    staff = new_page(viewport={"width": 1280, "height": 900})
    sign_in(staff, manager.username)
    staff.goto(f"/nl/staff/moderation/{story.pk}/")
    staff.get_by_label(nl("Share with the organisation's teams")).check()
    staff.get_by_label(nl("Why?")).fill("Een mooi verhaal over nachtzorg.")
    staff.get_by_role("button", name=nl("Save decision")).click()
    expect(staff).to_have_url(re.compile(r"/nl/staff/moderation/$"))
    story.refresh_from_db()
    assert story.status == "shared"

    # 3. The manager links it to the nurse: the note goes out through the SMTP server.
    staff.goto(f"/nl/recognition/stories/{story.pk}/thank/")
    staff.get_by_label(nl("Colleague with an account")).select_option(label="Els (els)")
    staff.get_by_label(nl("Profession")).select_option(label=nl(str(PROFESSION["nurse"])))
    staff.get_by_role("button", name=nl("Send the thank-you note")).click()
    expect(staff.get_by_role("status").or_(staff.locator(".messages"))).to_contain_text(
        nl("The thank-you note is on its way.")
    )
    [note_mail] = smtp_server.to("els@az-test.be")
    note_text = smtp_server.text(note_mail)
    assert story.text_redacted in note_text
    reply_url = re.search(r"(http://\S+/nl/recognition/reply/\S+/)", note_text)[1]

    # 4. The nurse finds it in her team's feed.
    nurse_page = new_page(viewport={"width": 390, "height": 844})
    sign_in(nurse_page, nurse.username)
    nurse_page.goto(f"/nl/culture/teams/{unit.pk}/")
    expect(
        nurse_page.get_by_text("bracht hem midden in de nacht een kop thee").first
    ).to_be_visible()

    # 5. The unit's story wall shows it and advances by itself to the other story.
    link, secret = walls.create(manager, org, unit)
    screen = new_page(viewport={"width": 1280, "height": 720})
    screen.goto(f"/nl/culture/wall/{secret}/?advance=2")
    wall = screen.locator("#wall")
    shown = set()
    for _ in range(2):
        expect(wall).to_have_attribute("data-current", re.compile(rf"^({story.pk}|{earlier.pk})$"))
        current = int(wall.get_attribute("data-current"))
        shown.add(current)
        other = earlier.pk if current == story.pk else story.pk
        expect(wall).to_have_attribute("data-current", str(other), timeout=8_000)
        shown.add(other)
    assert shown == {story.pk, earlier.pk}

    # 6. The weekly digest reaches the nurse (the story was shared now: next week's digest).
    next_week = week.end + timedelta(days=7)
    digests.send_due(next_week)
    digest_mails = [m for m in smtp_server.to("els@az-test.be") if m is not note_mail]
    assert len(digest_mails) == 1
    assert "bracht hem midden in de nacht een kop thee" in smtp_server.text(digest_mails[0])

    # 7. The nurse replies through the link in her e-mail (no sign-in needed).
    replier = new_page(viewport={"width": 390, "height": 844})
    replier.goto(reply_url)
    replier.get_by_label(nl("Your reply")).fill(REPLY)
    replier.get_by_role("button", name=nl("Send my reply")).click()
    expect(replier.get_by_role("status")).to_contain_text(
        nl("Thank you. The teller can read your reply with their receipt code.")
    )

    # 8. The teller looks up the story with the receipt code and reads the reply.
    teller.goto("/nl/my-story/")
    teller.get_by_label(nl("Your receipt code")).fill(receipt)
    teller.get_by_label(nl("Your receipt code")).press("Enter")
    expect(teller.get_by_role("heading", name=nl("Your story reached the team"))).to_be_visible()
    expect(teller.get_by_text(REPLY)).to_be_visible()
