"""In real Chromium: a team member answers the pulse on a phone through the team link, without
signing in; the ambassador then sees the team's run chart with the team's action on it."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from mango.organisations.models import Unit
from mango.pulse import actions, links, shipped
from mango.pulse.models import Action, Answer, Instrument, Item, Pulse, Response
from tests.browser.pages import nl
from tests.conftest import make_user
from tests.test_pulse_charts import seed

pytestmark = pytest.mark.browser


def test_a_team_member_answers_on_a_phone_and_the_ambassador_sees_the_action_on_the_chart(
    phone_page, desktop_page, org, screenshot_dir
):
    instrument = shipped.load(Instrument, Item)
    team = Unit.objects.create(organisation=org, name="Oncologie 3B", slug="onco-3b", pilot=True)
    ambassador = make_user("bram", "ambassador", org)
    today = timezone.localdate()
    pulse = Pulse.objects.create(
        organisation=org,
        instrument=instrument,
        starts_on=today - timedelta(weeks=40),
        every_weeks=4,
        open_days=14,
        created_by=ambassador,
    )
    pulse.units.set([team])
    seed(pulse, team, 10, lambda i: [3, 3, 2, 4, 3] if i < 5 else [4, 5, 4, 5, 5])
    action_day = pulse.starts_on + timedelta(weeks=18)
    actions.record_action(
        ambassador,
        team,
        title="Workshop Mangomoment-video",
        date=action_day,
        kind="workshop",
        pdsa_stage="do",
    )
    assert actions.open_period(pulse) is not None

    # The team member, on a phone, from the QR code's link: no sign-in.
    phone = phone_page
    phone.goto(links.team_path(pulse, team, "nl"))
    expect(phone.locator("h1")).to_contain_text("Oncologie 3B")
    with translation.override("nl"):
        texts = {item.key: item.text("nl") for item in instrument.items.all()}
    phone.get_by_role("group", name=texts["gestures"]).get_by_label("4", exact=True).check()
    phone.get_by_role("group", name=texts["room"]).get_by_label("5", exact=True).check()
    phone.get_by_role("group", name=texts["talk"]).get_by_label("4", exact=True).check()
    phone.get_by_role("group", name=texts["leadership"]).get_by_label("3", exact=True).check()
    phone.get_by_role("group", name=texts["recommend"]).get_by_label("9", exact=True).check()
    phone.get_by_label(texts["moment"]).fill("Een collega zong voor een bewoner.")
    # Fits the phone: nothing wider than the screen.
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    if screenshot_dir:
        phone.screenshot(path=f"{screenshot_dir}/pulse-phone.png", full_page=True)
    phone.get_by_role("button", name=nl("Send my answers")).click()
    expect(phone.get_by_test_id("pulse-thanks")).to_be_visible()
    assert Response.objects.filter(unit=team).count() == 1
    assert Answer.objects.filter(response__unit=team, value=9).exists()
    # Back on the link: the phone knows it answered; nothing new is stored.
    phone.goto(links.team_path(pulse, team, "nl"))
    expect(phone.get_by_test_id("pulse-thanks")).to_be_visible()
    assert Response.objects.count() == 1

    # The ambassador signs in and opens the team's charts from the menu.
    page = desktop_page
    page.goto("/nl/accounts/login/")
    page.get_by_label(nl("Username")).fill("bram")
    page.get_by_label(nl("Password"), exact=True).fill("pw-for-tests")
    page.get_by_role("button", name=nl("Sign in")).click()
    page.get_by_role("link", name=nl("Pulse and charts")).click()
    page.get_by_test_id("pulse-teams").get_by_role("link", name=re.compile("Oncologie 3B")).click()
    chart = page.get_by_test_id("chart-room-mean").get_by_test_id("run-chart").locator("svg")
    expect(chart).to_be_visible()
    expect(chart).to_contain_text("Workshop Mangomoment-video")
    expect(page.get_by_test_id("action-log")).to_contain_text("Workshop Mangomoment-video")
    # The shift after the workshop is marked and explained in words.
    expect(page.get_by_test_id("chart-room-mean").locator("li.signal").first).to_be_visible()
    if screenshot_dir:
        page.screenshot(path=f"{screenshot_dir}/pulse-team-chart.png", full_page=True)
    assert Action.objects.count() == 1
