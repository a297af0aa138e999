"""The teller e-mails the receipt to themselves from the thank-you page, on a phone, in real
Chromium; the message arrives at a real SMTP server. The page keeps within 390 px and axe-core
finds no serious or critical violation, with the form, its error and its confirmation."""

import re

import pytest
from playwright.sync_api import expect

from mango import labels
from tests.browser.conftest import PHONE
from tests.browser.test_accessibility import axe_problems
from tests.browser.test_tell_story import (
    STORY,
    field_label,
    fill_required_choices,
    nl,
    save,
    submit_button,
)

pytestmark = pytest.mark.browser

ADDRESS = "teller.phone-51c2@example.org"


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_teller_mails_the_receipt_to_themselves_on_a_phone(
    new_page, campaign, smtp_server, screenshot_dir
):
    page = new_page(bypass_csp=True, **PHONE)  # bypass: only so axe-core can be injected
    page.goto(f"/nl/tell/?campaign={campaign.slug}")
    page.get_by_label(field_label("text")).fill(STORY)
    fill_required_choices(page)
    page.get_by_label(field_label("happened")).select_option(label=nl(labels.WHEN["month"]))
    page.get_by_label(field_label("gesture_by")).select_option(label=nl(labels.GESTURE_BY["nurse"]))
    submit_button(page).tap()
    expect(page).to_have_url(re.compile(r"/nl/tell/thanks/$"))
    code = page.get_by_test_id("receipt").inner_text().strip()

    email = page.get_by_label(nl("Your e-mail address"))
    send = page.get_by_role("button", name=nl("Send the code"))
    assert fits(page)
    assert axe_problems(page, "thanks with mail form") == []

    # A typing slip: a clear message next to the field, the code still on screen.
    email.fill("teller.example.org")
    send.tap()
    expect(
        page.get_by_text(
            nl("This is not an e-mail address. Check it, for example name@example.be.")
        )
    ).to_be_visible()
    expect(page.get_by_test_id("receipt")).to_have_text(code)
    expect(page.get_by_label(nl("Your e-mail address"))).to_have_value("teller.example.org")
    expect(page.get_by_label(nl("Your e-mail address"))).to_have_attribute("aria-invalid", "true")
    assert fits(page)
    assert axe_problems(page, "thanks with mail error") == []
    save(page, screenshot_dir, "receipt-mail-phone-error")
    assert smtp_server.messages == []

    page.get_by_label(nl("Your e-mail address")).fill(ADDRESS)
    page.get_by_role("button", name=nl("Send the code")).tap()
    expect(page.get_by_test_id("receipt-mailed")).to_be_visible()
    assert fits(page)
    assert axe_problems(page, "thanks, mailed") == []
    save(page, screenshot_dir, "receipt-mail-phone-sent")
    [message] = smtp_server.to(ADDRESS)
    assert code in smtp_server.text(message)
    assert STORY not in smtp_server.text(message) and STORY not in smtp_server.html(message)
