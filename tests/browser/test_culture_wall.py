"""In real Chromium: a story wall advances on its own and drops a story whose sharing consent
was withdrawn; "this touched me" counts through htmx on a phone, under the real
Content-Security-Policy."""

import re

import pytest
from django.db import transaction
from django.utils import timezone
from playwright.sync_api import expect

from mango.accounts.models import Membership
from mango.culture import walls
from mango.culture.models import StoryUnit
from mango.lifecycle import actions
from tests.browser.conftest import DESKTOP
from tests.conftest import make_story, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shared(org, unit, text):
    story = make_story(
        org,
        unit=unit,
        status="shared",
        shareable=True,
        shared_at=timezone.now(),
        text=text,
        text_redacted=text,
    )
    StoryUnit.objects.create(story=story, unit=unit)
    return story


def test_the_wall_advances_by_itself_and_drops_a_withdrawn_story(new_page, org, unit, manager):
    first = shared(org, unit, "Eerste verhaal: de verpleegkundige bleef bij mij.")
    second = shared(org, unit, "Tweede verhaal: een warme deken in de nacht.")
    with transaction.atomic():
        _link, secret = walls.create(manager, org, unit)
    page = new_page(**DESKTOP)
    violations = []
    page.on(
        "console", lambda m: violations.append(m.text) if "Content Security" in m.text else None
    )
    page.goto(f"/nl/culture/wall/{secret}/?advance=2&refresh=2")
    wall = page.locator("#wall")
    expect(wall).to_have_attribute("data-current", re.compile(r"\d+"))
    seen = {wall.get_attribute("data-current")}
    # Within a few seconds it shows the other story, without anyone touching it.
    expect(wall).not_to_have_attribute("data-current", next(iter(seen)), timeout=6_000)
    seen.add(wall.get_attribute("data-current"))
    assert seen == {str(first.pk), str(second.pk)}

    actions.withdraw_consent(second, sharing=True)
    # After the next refresh the withdrawn story never comes back.
    page.wait_for_timeout(3_000)
    for _ in range(4):
        assert wall.get_attribute("data-current") == str(first.pk)
        assert "warme deken" not in page.content()
        page.wait_for_timeout(1_000)
    assert violations == []


def test_this_touched_me_counts_on_a_phone(new_page, org, unit):
    shared(org, unit, "Een verhaal dat raakt.")
    nurse = make_user("nurse")
    Membership.objects.create(user=nurse, organisation=org, role="team_member", unit=unit)
    page = new_page(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page.goto("/nl/accounts/login/")
    page.locator("#id_username").fill("nurse")
    page.locator("#id_password").fill("pw-for-tests")
    page.locator("main form button[type=submit]").click()
    page.goto(f"/nl/culture/teams/{unit.pk}/")
    count = page.get_by_test_id("touch-count")
    expect(count).to_contain_text("0")
    page.get_by_test_id("touch").click()
    expect(page.get_by_test_id("touch-count")).to_contain_text("1")
    expect(page.get_by_test_id("touch")).to_have_attribute("aria-pressed", "true")
    # Nothing overflows the phone's width.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
