"""Moderation with the keyboard alone: a manager redacts a name by typing it, decides to share
and gives a reason, without a mouse (issue 13: keyboard-only use of the moderation screen)."""

import re

import pytest
from playwright.sync_api import expect

from mango.stories.models import Story
from tests.browser.pages import nl
from tests.browser.test_tell_story import tab_to
from tests.conftest import make_story

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_redacts_and_shares_a_story_with_the_keyboard_alone(desktop_page, org, manager):
    story = make_story(
        org,
        text="Verpleegkundige Els bleef bij me tot de dokter kwam. Els hield mijn hand vast.",
        status="deidentified",
    )
    page = desktop_page
    page.goto("/nl/accounts/login/")
    tab_to(page, page.get_by_label(nl("Username")))
    page.keyboard.type("manager")
    page.keyboard.press("Tab")
    page.keyboard.type("pw-for-tests")
    page.keyboard.press("Enter")
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))

    page.goto(f"/nl/staff/moderation/{story.pk}/")
    # Redact the name by typing it: every occurrence goes.
    tab_to(page, page.get_by_label(nl("Words to redact")))
    page.keyboard.type("Els")
    tab_to(page, page.get_by_role("button", name=nl("Redact")))
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name=nl("Undo"))).to_have_count(2)  # one per occurrence
    story.refresh_from_db()
    assert len(story.redactions) == 2 and "Els" not in story.text_redacted

    # Decide: share, with a reason, and save with Enter on the button.
    share = page.get_by_label(nl("Share with the organisation's teams"))
    tab_to(page, share)
    page.keyboard.press("Space")
    expect(share).to_be_checked()
    tab_to(page, page.get_by_label(nl("Why?")))
    page.keyboard.type("De naam is weg; een mooi verhaal.")
    tab_to(page, page.get_by_role("button", name=nl("Save decision")))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/nl/staff/moderation/$"))
    assert Story.objects.get(pk=story.pk).status == "shared"
