"""Every page type on a 390 px phone: nothing scrolls sideways.

One small site is built once (one test visits every page, so the live server's flush happens
once), then real Chromium visits each page type as the role that uses it and measures
``document.documentElement.scrollWidth`` against the window's width. The same site and page
list serve the accessibility test (test_accessibility.py).
"""

from dataclasses import dataclass

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from mango.lifecycle import actions as lifecycle
from mango.organisations.models import Campaign, Unit
from mango.qualitative import actions as qualitative
from mango.research import actions as research
from mango.research.models import Code, Codebook
from tests.browser.conftest import PHONE
from tests.browser.pages import sign_in
from tests.conftest import make_story, make_user

pytestmark = pytest.mark.browser

TRANSCRIPT = (
    "Interviewer: Wat is u bijgebleven?\n"
    "Patiënt: De verpleegkundige bleef elke ochtend even staan om te vragen hoe ik sliep.\n"
    "Interviewer: En de informatie?\n"
    "Patiënt: Die was soms te snel en vol vakjargon.\n"
)


@dataclass
class Site:
    ids: dict
    receipt: str


def build_site(org) -> Site:
    """Stories in each state, a closed double-coded round with a disagreement, a transcript
    project, and one user per role."""
    from datetime import date

    unit = Unit.objects.create(organisation=org, name="Oncologie", slug="onco", oncological=True)
    campaign = Campaign.objects.create(name="Campagne", slug="campagne", opens_on=date(2020, 1, 1))
    campaign.organisations.set([org])
    researcher = make_user("researcher", "researcher", None)
    coders = [make_user("coder1", "researcher", None), make_user("coder2", "researcher", None)]
    manager = make_user("manager", "manager", org, first_name="Els")
    member = make_user("member", "team_member", org)
    member.memberships.update(unit=unit)
    stories = [
        make_story(
            org,
            unit=unit,
            text=f"Verhaal {i}: de verpleegkundige bracht thee en bleef even zitten bij mijn "
            "moeder, die niet meer kon eten na de chemo.",
        )
        for i in range(4)
    ]
    lifecycle.review_story(manager, stories[0], shareable=True, reason="")
    pending = stories[1]
    round_ = research.create_round(
        researcher,
        name="Ronde",
        codebook=Codebook.objects.get(slug="dimensions"),
        stories=stories,
        coders=coders,
        coders_per_story=2,
        organisation=org,
    )
    codes = list(Code.objects.filter(codebook=round_.codebook).order_by("pk")[:2])
    for coder in coders:
        for n, assignment in enumerate(round_.assignments.filter(coder=coder).order_by("pk")):
            research.toggle_code(assignment, codes[0])
            if coder == coders[0] and n == 0:
                research.toggle_code(assignment, codes[1])
            research.mark_done(assignment)
    lifecycle.close_round(researcher, round_)
    open_round = research.create_round(
        researcher,
        name="Open ronde",
        codebook=Codebook.objects.get(slug="dimensions"),
        stories=stories[:2],
        coders=coders[:1],
        coders_per_story=1,
        organisation=org,
    )
    project = qualitative.create_project(
        researcher, name="Interviews", organisation=org, codebook=round_.codebook
    )
    document = qualitative.upload_transcript(
        researcher, project, title="Interview 1", kind="interview", text=TRANSCRIPT
    )
    start = TRANSCRIPT.index("vakjargon")
    qualitative.code_segment(researcher, document, code=codes[0], start=start, end=start + 9)
    disagreement = research.disagreements(round_)
    return Site(
        ids={
            "story": stories[0].pk,
            "pending": pending.pk,
            "round": round_.pk,
            "open_round": open_round.pk,
            "adjudicate": disagreement[0] if disagreement else stories[0].pk,
            "project": project.pk,
            "document": document.pk,
            "unit_code": unit.short_code,
            "user": member.pk,
        },
        receipt=stories[0].receipt,
    )


def pages(site: Site) -> list[tuple[str, str | None, str]]:
    """(page type, who looks at it (None: a visitor), path without the language prefix)."""
    i = site.ids
    rounds = f"/staff/research/rounds/{i['round']}"
    return [
        ("home", None, "/"),
        ("public form", None, "/tell/"),
        ("thanks", None, "/tell/thanks/"),
        ("teller status", None, "/my-story/#receipt"),
        ("login", None, "/accounts/login/"),
        ("password reset", None, "/accounts/password/reset/"),
        ("story list", "researcher", "/staff/"),
        ("story detail", "researcher", f"/staff/stories/{i['story']}/"),
        ("moderation queue", "manager", "/staff/moderation/"),
        ("moderate", "manager", f"/staff/moderation/{i['pending']}/"),
        ("shared list", "member", "/staff/shared/"),
        ("dashboard", "researcher", "/staff/dashboard/"),
        ("campaigns and posters", "manager", "/staff/campaigns/"),
        ("codebooks", "researcher", "/staff/research/codebooks/"),
        ("codebook", "researcher", "/staff/research/codebooks/dimensions/"),
        ("rounds", "researcher", "/staff/research/rounds/"),
        ("round", "researcher", f"{rounds}/"),
        ("coder screen", "coder1", f"/staff/research/rounds/{i['open_round']}/code/1/"),
        ("agreement", "researcher", f"{rounds}/agreement/"),
        ("adjudication", "researcher", f"{rounds}/adjudication/"),
        ("adjudicate", "researcher", f"{rounds}/adjudication/{i['adjudicate']}/"),
        ("classifier", "researcher", "/staff/classify/"),
        ("transcripts", "researcher", "/staff/transcripts/"),
        ("transcript project", "researcher", f"/staff/transcripts/{i['project']}/"),
        ("transcript", "researcher", f"/staff/transcripts/documents/{i['document']}/"),
        ("audit", "manager", "/staff/audit/"),
        ("two-factor", "manager", "/accounts/two-factor/"),
        ("people", "manager", "/accounts/people/"),
        ("person", "manager", f"/accounts/people/{i['user']}/"),
        ("units", "manager", "/accounts/units/"),
    ]


def visit(page, site: Site, path: str, language: str) -> int:
    """Open the page (the teller's status page through its receipt form); the HTTP status."""
    if path.endswith("#receipt"):
        page.goto(f"/{language}{path.removesuffix('#receipt')}")
        page.locator("#id_receipt").fill(site.receipt)
        with page.expect_navigation() as navigation:
            page.locator("main form button[type=submit]").click()
        return navigation.value.status
    response = page.goto(f"/{language}{path}")
    return response.status


def visit_all(new_page, site: Site, language: str, check, **context) -> list[str]:
    """Visit every page type, one browser context per role; ``check(page, name)`` returns a
    list of problems. Returns all problems, each prefixed with its page type."""
    problems = []
    console: list[str] = []
    by_role: dict = {}
    for name, role, path in pages(site):
        if role not in by_role:
            by_role[role] = new_page(**context)
            by_role[role].on(
                "console",
                lambda m: console.append(m.text) if m.type == "error" else None,
            )
            if role:
                sign_in(by_role[role], role, language=language)
        page = by_role[role]
        status = visit(page, site, path, language)
        if status != 200:
            problems.append(f"{name} ({path}): HTTP {status}")
            continue
        problems += [f"{name} ({path}): {p}" for p in check(page, name)]
        # htmx's indicator style, or anything else inline, refused by the CSP.
        problems += [f"{name} ({path}): console: {text}" for text in console if "Policy" in text]
        console.clear()
    return problems


def sideways(page, name) -> list[str]:
    width = page.evaluate("document.documentElement.scrollWidth")
    inner = page.evaluate("window.innerWidth")
    if width > inner:
        wide = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                .slice(0, 3).map(e => e.tagName.toLowerCase() + '.' + e.className)"""
        )
        return [f"{width}px wide on a {inner}px screen (too wide: {', '.join(wide)})"]
    return []


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_no_page_scrolls_sideways_on_a_390px_phone(new_page, org, language):
    site = build_site(org)
    problems = visit_all(new_page, site, language, sideways, **PHONE)
    assert problems == [], "\n".join(problems)


def test_the_staff_menu_folds_behind_one_button_on_a_phone(new_page, org):
    make_user("researcher", "researcher", None)
    page = new_page(**PHONE)
    sign_in(page, "researcher")
    with translation.override("nl"):
        menu, dashboard = gettext("Menu"), gettext("Dashboard")
    link = page.get_by_role("link", name=dashboard, exact=True)
    expect(link).to_be_hidden()
    toggle = page.get_by_role("button", name=menu)
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(link).to_be_visible()
    # The open menu fits the screen too.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.keyboard.press("Escape")
    expect(link).to_be_hidden()


def test_the_menu_marks_the_page_shown_and_focus_is_visible(new_page, org):
    make_user("researcher", "researcher", None)
    page = new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, "researcher")
    with translation.override("nl"):
        dashboard = gettext("Dashboard")
    page.goto("/nl/staff/dashboard/")
    link = page.get_by_role("link", name=dashboard, exact=True)
    expect(link).to_have_attribute("aria-current", "page")
    link.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    outline = link.evaluate(
        "e => getComputedStyle(e).outlineStyle + ' ' + getComputedStyle(e).outlineWidth"
    )
    assert outline.startswith("solid") and not outline.endswith(" 0px"), outline


def test_the_teller_copies_the_receipt_code_from_the_thank_you_page(new_page, campaign):
    from tests.browser.test_tell_story import (
        STORY,
        field_label,
        fill_required_choices,
        submit_button,
    )

    page = new_page(**PHONE)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"/c/{campaign.slug}")
    page.get_by_label(field_label("text")).fill(STORY)
    fill_required_choices(page)
    submit_button(page).tap()
    code = page.get_by_test_id("receipt").inner_text().strip()
    with translation.override("nl"):
        copy, printing = gettext("Copy the code"), gettext("Print")
    expect(page.get_by_role("button", name=printing)).to_be_visible()
    page.get_by_role("button", name=copy).click()
    expect(page.locator("#receipt-status")).to_contain_text(code)
    assert page.evaluate("navigator.clipboard.readText()") == code
