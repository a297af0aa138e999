"""A teller tells a story in real Chromium; a researcher finds it in the staff list.

Elements are found by their labels and roles, the way a person (or a screen reader) finds them,
so these tests also check that every input is wired to its label. Expected wording is looked
up through Django's translations, so the tests follow the Dutch catalogue as it grows.
"""

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from mango import labels
from mango.lib import vocab
from mango.stories.forms import StoryForm
from mango.stories.models import Story
from mango.stories.problems import message
from tests.browser.pages import nl
from tests.conftest import make_story

pytestmark = pytest.mark.browser

RECEIPT = re.compile(r"^M-[0-9A-Z]{5}-[0-9A-Z]{5}$")
STORY = (
    "Na de chemo kon mijn moeder bijna niets meer eten. Elke avond bracht de verpleegkundige "
    "haar een schaaltje mangosorbet uit de keuken en bleef ze even bij haar zitten. "
    "Dat kleine gebaar gaf haar weer zin in eten."
)
SEARCH_WORD = "mangosorbet"


def nl_message(field: str, code: str, text: str) -> str:
    with translation.override("nl"):
        return message(field, code, text)


def field_label(name: str) -> str:
    return nl(StoryForm.base_fields[name].label)


def choose(page, field: str, choice_label) -> None:
    """Tick the radio labelled ``choice_label`` in the group whose legend is the field's."""
    group = page.get_by_role("group", name=field_label(field))
    group.get_by_label(nl(choice_label), exact=True).check()


def fill_required_choices(page) -> None:
    choose(page, "teller_role", labels.TELLER_ROLE["family"])
    choose(page, "setting", labels.SETTING["hospital"])
    choose(page, "oncological", labels.ONCOLOGICAL["yes"])
    page.get_by_label(field_label("consent_research")).check()


def submit_button(page):
    return page.get_by_role("button", name=nl("Send my story"))


def is_focused(locator) -> bool:
    return locator.evaluate("el => el === document.activeElement")


def tab_to(page, locator, most: int = 60) -> None:
    """Press Tab until ``locator`` has the focus, as a keyboard user would."""
    for _ in range(most):
        if is_focused(locator):
            return
        page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.outerHTML.slice(0, 120)")
    pytest.fail(f"{most} presses of Tab never reached {locator}; the focus is on {focused}")


def save(page, screenshot_dir, name: str) -> None:
    if screenshot_dir:
        page.screenshot(path=f"{screenshot_dir}/{name}.png", full_page=True)


def test_a_teller_on_a_phone_tells_a_story_and_a_researcher_finds_it(
    phone_page, new_page, campaign, researcher, org, screenshot_dir
):
    make_story(org, text="De kinesitherapeut nam extra tijd om mijn oefeningen uit te leggen.")
    page = phone_page

    # The poster's short link forwards to the form in the phone's language.
    page.goto(f"/c/{campaign.slug}")
    expect(page).to_have_url(re.compile(rf"/nl/tell/\?campaign={campaign.slug}$"))
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_text(campaign.name, exact=True)).to_be_visible()

    page.get_by_label(field_label("text")).fill(STORY)
    fill_required_choices(page)
    page.get_by_label(field_label("happened")).select_option(label=nl(labels.WHEN["month"]))
    page.get_by_label(field_label("gesture_by")).select_option(label=nl(labels.GESTURE_BY["nurse"]))
    save(page, screenshot_dir, "tell-phone-form")
    submit_button(page).tap()

    expect(page).to_have_url(re.compile(r"/nl/tell/thanks/$"))
    receipt = page.get_by_test_id("receipt")
    expect(receipt).to_be_visible()
    code = receipt.inner_text().strip()
    assert RECEIPT.match(code), code
    save(page, screenshot_dir, "tell-phone-thanks")

    story = Story.objects.get(receipt=code)
    assert (story.text, story.language, story.source) == (STORY, "nl", "form")
    assert (story.teller_role, story.setting, story.oncological) == ("family", "hospital", "yes")
    assert (story.happened, story.gesture_by) == ("month", "nurse")
    assert (story.consent_research, story.consent_sharing) == (True, False)
    assert story.campaign == campaign

    # A network-wide researcher signs in, searches for a word of the story and reads it.
    staff = new_page(viewport={"width": 1280, "height": 900})
    staff.goto("/nl/accounts/login/")
    staff.get_by_label(nl("Username")).fill(researcher.username)
    staff.get_by_label(nl("Password"), exact=True).fill("pw-for-tests")
    staff.get_by_role("button", name=nl("Sign in")).click()
    expect(staff).to_have_url(re.compile(r"/nl/staff/$"))
    rows = staff.locator("#results tbody tr")
    expect(rows).to_have_count(2)

    search = staff.get_by_role("search").get_by_label(nl("Search"), exact=True)
    search.fill(SEARCH_WORD)
    search.press("Enter")
    expect(rows).to_have_count(1)
    # The list may show the de-identified text or a placeholder: follow the row's link.
    found = rows.first.get_by_role("link")
    expect(found).to_have_attribute("href", f"/nl/staff/stories/{story.pk}/")
    found.click()

    expect(staff).to_have_url(re.compile(rf"/nl/staff/stories/{story.pk}/$"))
    # Staff know the story by its number; the receipt code is the teller's alone.
    expect(staff.get_by_role("heading", level=1)).to_contain_text(f"#{story.pk}")
    expect(staff.get_by_text(code)).to_have_count(0)
    expect(staff.locator(".story-text", has_text=STORY).first).to_be_visible()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        pytest.param("", lambda text: nl("This field is required."), id="empty"),
        pytest.param(
            ("Een mango op de kamer, een glimlach aan het bed. " * 120)[
                : vocab.STORY_MAX_CHARS + 1
            ],
            lambda text: nl_message("text", "too_long", text),
            id="too-long",
        ),
    ],
)
def test_the_form_says_what_is_wrong_and_stores_nothing(
    phone_page, text, problem, screenshot_dir, request
):
    page = phone_page
    page.goto("/nl/tell/")
    story_box = page.get_by_label(field_label("text"))
    story_box.fill(text)
    fill_required_choices(page)
    submit_button(page).tap()

    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(nl("Please check your answers"))
    expect(summary).to_contain_text(problem(text))
    expect(
        summary.get_by_role("link", name=re.compile(re.escape(field_label("text"))))
    ).to_have_attribute("href", "#id_text")
    field_error = page.locator("#id_text_error")
    expect(field_error).to_be_visible()
    expect(field_error).to_have_text(problem(text))
    expect(story_box).to_have_attribute("aria-invalid", "true")
    # What the teller typed and chose is still there to correct.
    expect(story_box).to_have_value(text)
    expect(page.locator("#id_text_count")).to_have_class(
        re.compile(r"\bover\b") if len(text) > vocab.STORY_MAX_CHARS else re.compile(r"^counter$")
    )
    expect(page.get_by_label(field_label("consent_research"))).to_be_checked()
    save(page, screenshot_dir, f"tell-phone-error-{request.node.callspec.id}")
    assert Story.objects.count() == 0


def test_the_form_loads_its_stylesheet_and_scripts(phone_page):
    page = phone_page
    failed = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto("/nl/tell/")  # waits for the load event: stylesheets and deferred scripts
    assert failed == []
    # mango.css hides the honeypot from people; tell.js counts characters as they are typed.
    assert page.locator(".honeypot").evaluate("el => getComputedStyle(el).position") == "absolute"
    page.get_by_label(field_label("text")).fill("Een mango, zomaar.")
    expect(page.locator("#id_text_count")).to_contain_text("18")
    expect(page.locator("#id_text_count")).to_contain_text(str(vocab.STORY_MAX_CHARS))


def test_the_form_can_be_filled_and_sent_with_the_keyboard_alone(desktop_page):
    page = desktop_page
    page.goto("/nl/tell/")

    tab_to(page, page.get_by_label(field_label("text")))
    page.keyboard.type(STORY)

    # Tab enters a radio group on its first option; Space ticks it.
    roles = page.get_by_role("group", name=field_label("teller_role"))
    tab_to(page, roles.get_by_role("radio").first)
    page.keyboard.press("Space")
    settings = page.get_by_role("group", name=field_label("setting"))
    tab_to(page, settings.get_by_role("radio").first)
    page.keyboard.press("Space")

    consent = page.get_by_label(field_label("consent_research"))
    tab_to(page, consent)
    page.keyboard.press("Space")
    expect(consent).to_be_checked()

    button = submit_button(page)
    tab_to(page, button)
    outline = button.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none", "the focused button shows no focus ring"
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/nl/tell/thanks/$"))
    code = page.get_by_test_id("receipt").inner_text().strip()
    assert RECEIPT.match(code), code
    story = Story.objects.get(receipt=code)
    assert story.text == STORY
    assert (story.teller_role, story.setting, story.consent_research) == (
        vocab.TELLER_ROLES[0],
        vocab.SETTINGS[0],
        True,
    )
