"""The dashboard in real Chromium, under the strict Content-Security-Policy: choosing an
organisation in the filters swaps the results (htmx), and the count and tables follow."""

import re

import pytest
from playwright.sync_api import expect

from mango.stories.models import Story
from tests.browser.conftest import DESKTOP
from tests.browser.pages import nl
from tests.conftest import make_user
from tests.test_analysis_data import build_coded_campaign

pytestmark = pytest.mark.browser


def test_changing_a_filter_updates_the_tables(new_page, org, other_org):
    coded = build_coded_campaign(org, other_org, n=40, seed=5)
    researcher = make_user("rita", "researcher")
    research = Story.objects.filter(consent_research=True, erased_at=None)
    everyone, theirs = research.count(), research.filter(organisation=other_org).count()
    assert 0 < theirs < everyone

    page = new_page(**DESKTOP)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto("/nl/accounts/login/")
    page.get_by_label(nl("Username")).fill(researcher.username)
    page.get_by_label(nl("Password"), exact=True).fill("pw-for-tests")
    page.get_by_role("button", name=nl("Sign in")).click()
    expect(page).to_have_url(re.compile(r"/nl/staff/"))

    page.get_by_role("link", name=nl("Dashboard"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/nl/staff/dashboard/"))
    count = page.get_by_test_id("dashboard-count")
    expect(count).to_have_text(re.compile(rf"^{everyone} "))
    expect(page.locator("#screening")).to_be_visible()
    # The chart images load (same origin, allowed by the policy).
    chart = page.locator("#dashboard-results img").first
    expect(chart).to_be_visible()

    page.get_by_label(nl("Organisation")).select_option(label=coded.other_org.name)
    expect(count).to_have_text(re.compile(rf"^{theirs} "))
    expect(page).to_have_url(re.compile(rf"organisation={coded.other_org.pk}"))
    # The stories-per-unit table appears only for one organisation's units.
    expect(page.locator("#units th", has_text="Afdeling 1").first).to_be_visible()
    assert page.locator("h1").count() == 1  # the results were swapped, not the page nested

    page.get_by_label(nl("Compare")).select_option("setting")
    expect(page.locator("#dimensions h2")).to_contain_text("zorgsetting")
    assert not [e for e in errors if "Content Security Policy" in e], errors
