"""A live session in real Chromium: the facilitator's projector screen polls with htmx (under
the Content-Security-Policy), a participant joins on a phone with the room code, votes, and
the screen shows the vote without a reload; when the facilitator moves on, the phone follows."""

import re

import pytest
from playwright.sync_api import expect

from mango.consensus import actions
from tests.browser.pages import sign_in
from tests.conftest import make_user

pytestmark = pytest.mark.browser


def test_a_phone_votes_and_the_projector_shows_it(new_page, phone_page, screenshot_dir):
    lead = make_user("lead", "researcher", None)
    study = actions.create_study(
        lead, title="Consensusbijeenkomst", kind="meeting", question={"nl": "Wat telt?"}
    )
    s1 = actions.add_item(lead, study, text={"nl": "Uitspraak S1"}, key="S1")
    actions.add_item(lead, study, text={"nl": "Uitspraak S2"}, key="S2")
    actions.set_rule(lead, study, {"kind": "comet"})
    session = actions.create_live_session(lead, study, name="Zaal 1")
    actions.live_show(lead, session, item=s1)

    desk = new_page(viewport={"width": 1280, "height": 900})
    errors = []
    desk.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(desk, "lead")
    desk.goto(f"/nl/consensus/{study.pk}/live/{session.pk}/")
    expect(desk.locator(".room-code")).to_have_text(session.code)
    expect(desk.locator("#voted")).to_contain_text("0 van 0")

    phone_page.goto("/nl/consensus/room/")
    phone_page.get_by_label("Zaalcode").fill(session.code.lower())
    phone_page.get_by_role("button", name="Deelnemen").click()
    phone_page.get_by_label("Zorgverlener").check()
    phone_page.get_by_role("button", name="Deelnemen").click()
    expect(phone_page.locator("#statement")).to_have_text("Uitspraak S1")
    phone_page.get_by_role("radio", name="8", exact=True).check()
    phone_page.locator("#vote").click()
    expect(phone_page.locator(".messages")).to_contain_text("Uw stem is binnen")

    # The projector polls: the vote appears without a reload.
    expect(desk.locator("#voted")).to_contain_text("1 van 1", timeout=5000)
    expect(desk.locator("#live-screen svg")).to_have_attribute("aria-label", re.compile(r"8: 1"))
    if screenshot_dir:
        desk.screenshot(path=f"{screenshot_dir}/consensus-live-screen.png")

    # The facilitator moves on; the phone follows by itself (static/consensus/room.js).
    desk.get_by_label("Uitspraak op het scherm").select_option(label="S2: Uitspraak S2")
    desk.get_by_role("button", name="Erover stemmen").click()
    expect(phone_page.locator("#statement")).to_have_text("Uitspraak S2", timeout=6000)
    assert not [e for e in errors if "Content Security Policy" in e], errors
