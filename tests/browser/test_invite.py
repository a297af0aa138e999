"""A manager invites a colleague in real Chromium; the invitation reaches a real SMTP server;
the colleague chooses a password and lands on their page with the right role; the audit
trail tells it in words."""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from mango.accounts.models import Membership
from mango.organisations.models import Unit
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.pages import nl, sign_in
from tests.conftest import make_user

pytestmark = pytest.mark.browser

LINK = re.compile(r"https?://\S+/nl/accounts/password/set/\S+/")


def test_a_manager_invites_a_team_member_who_sets_a_password_and_lands_on_shared_stories(
    new_page, org, smtp_server
):
    unit = Unit.objects.create(organisation=org, name="Geriatrie", slug="geriatrie")
    make_user("els", "manager", org, first_name="Els")

    manager = new_page(**DESKTOP)
    sign_in(manager, "els")
    manager.get_by_role("link", name=nl("People"), exact=True).click()
    manager.get_by_label(nl("E-mail address")).fill("nele@example.org")
    manager.get_by_label(nl("First name")).fill("Nele")
    manager.get_by_label(nl("Role")).select_option("team_member")
    manager.locator("select[name=unit]").select_option(str(unit.pk))
    manager.get_by_role("button", name=nl("Send the invitation")).click()
    expect(manager.locator(".messages")).to_contain_text("nele@example.org")
    expect(manager.locator("table.list")).to_contain_text("Nele")

    # The invitation, in Dutch, at the real SMTP server.
    [message] = smtp_server.to("nele@example.org")
    assert "Els" in message["Subject"]
    text = smtp_server.text(message)
    assert "nele@example.org" in text  # the username
    link = LINK.search(text).group(0)
    assert link in smtp_server.html(message)

    # The colleague opens the link on a phone, chooses a password and is signed in.
    colleague = new_page(**PHONE)
    colleague.goto(link)
    colleague.get_by_label(nl("New password"), exact=True).fill("mango-zomer-2026!")
    colleague.get_by_label(nl("New password confirmation")).fill("mango-zomer-2026!")
    colleague.get_by_role("button", name=nl("Save my password")).click()
    expect(colleague).to_have_url(re.compile(r"/nl/staff/shared/$"))
    expect(colleague.locator("h1")).to_have_text(nl("Shared stories"))
    membership = Membership.objects.get(user__email="nele@example.org")
    assert (membership.role, membership.unit, membership.organisation) == (
        "team_member",
        unit,
        org,
    )
    # The link works once.
    colleague.goto(link)
    expect(colleague.locator("main")).to_contain_text(nl("Ask for a new link"))

    # The audit trail says it in words, with the people named.
    manager.goto("/nl/staff/audit/")
    trail = manager.locator("table.list")
    with translation.override("nl"):
        invited = gettext("%(actor)s invited %(target)s as %(role)s") % {
            "actor": f"Els ({gettext('Organisation manager').lower()})",
            "target": "Nele",
            "role": gettext("Team member").lower(),
        }
    expect(trail).to_contain_text(invited)
    expect(trail).to_contain_text(nl("Set a new password"))
    expect(trail).not_to_contain_text("{")


def test_a_manager_takes_a_role_away_and_deactivates_an_account(new_page, org):
    make_user("els", "manager", org, first_name="Els")
    colleague = make_user("jan", "ambassador", org, first_name="Jan")
    page = new_page(**DESKTOP)
    sign_in(page, "els")
    page.goto(f"/nl/accounts/people/{colleague.pk}/")
    page.get_by_role("button", name=nl("Deactivate the account")).click()
    expect(page.locator(".messages")).to_contain_text(nl("Account deactivated."))
    colleague.refresh_from_db()
    assert not colleague.is_active
    page.get_by_role("button", name=nl("Take this role away")).click()
    assert not colleague.memberships.exists()
