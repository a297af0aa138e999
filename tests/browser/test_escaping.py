"""A story that holds a script is shown as text on every staff page that shows stories.

The pages run in real Chromium with the Content-Security-Policy bypassed: the policy would block
inline scripts and event handlers anyway, and this test is about the other defence, escaping.
If a template ever printed a story with ``|safe``, the payload would run here and set
``window.__pwned``.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mango.stories.models import Story
from tests.browser.conftest import DESKTOP
from tests.browser.pages import nl
from tests.conftest import make_story

pytestmark = pytest.mark.browser

PAYLOAD = (
    "<script>window.__pwned = true</script>"
    '<img src=x onerror="window.__pwned=true"> Lieve verpleegster'
)


def signed_in(new_page, user):
    page = new_page(bypass_csp=True, **DESKTOP)
    page.goto("/nl/accounts/login/")
    page.get_by_label(nl("Username")).fill(user.username)
    page.get_by_label(nl("Password"), exact=True).fill("pw-for-tests")
    page.get_by_role("button", name=nl("Sign in")).click()
    expect(page).to_have_url(re.compile(r"/nl/staff/"))
    return page


def shows_payload_as_text(page, path: str) -> None:
    page.goto(path)  # waits for the load event, after which a broken image's onerror has run
    expect(page.get_by_text(PAYLOAD).first).to_be_visible()
    assert page.evaluate("typeof window.__pwned") == "undefined", path
    # Nothing of the story became markup: no image with src=x and no script outside the
    # page's own static files.
    assert page.locator("img[src='x']").count() == 0, path
    inline = page.evaluate("[...document.scripts].filter(s => !s.src).map(s => s.text)")
    assert not any("__pwned" in text for text in inline), path


def test_a_script_in_a_story_is_text_on_every_staff_page(
    new_page, org, admin_user, manager, member
):
    story = make_story(org, text=PAYLOAD, text_redacted=PAYLOAD)

    admin = signed_in(new_page, admin_user)
    shows_payload_as_text(admin, "/nl/staff/")
    shows_payload_as_text(admin, f"/nl/staff/stories/{story.pk}/")
    # The literal characters are there to read, in the original and the de-identified text.
    texts = admin.locator(".story-text").all_inner_texts()
    assert texts == [PAYLOAD, PAYLOAD]

    moderator = signed_in(new_page, manager)
    shows_payload_as_text(moderator, f"/nl/staff/moderation/{story.pk}/")
    expect(moderator.get_by_test_id("redacted")).to_have_text(PAYLOAD)
    shows_payload_as_text(moderator, "/nl/staff/moderation/")

    Story.objects.filter(pk=story.pk).update(status="shared", shared_at=timezone.now())
    team = signed_in(new_page, member)
    shows_payload_as_text(team, "/nl/staff/shared/")
    expect(team.locator(".shared-story blockquote")).to_have_text(PAYLOAD)
