"""Every recognition page fits a 390 px phone: nothing scrolls sideways, in Dutch and French
(the longest words)."""

import re
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mango.recognition import notes
from tests.browser.conftest import PHONE
from tests.browser.test_layout import sideways
from tests.conftest import make_story, make_user

pytestmark = pytest.mark.browser

STORY = (
    "Onze dochter lag weken op intensieve zorg. De verpleegkundige van de nachtdienst schreef "
    "elke nacht een kort briefje over hoe ze geslapen had, zodat wij het 's ochtends konden lezen."
)


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_recognition_pages_fit_a_phone(new_page, org, unit, manager, language):
    colleague = make_user("els", "team_member", org, email="els@az-test.be", first_name="Els")
    org.copy_line_manager = True
    org.save()
    story = make_story(
        org,
        unit=unit,
        text=STORY,
        text_redacted=STORY,
        status="shared",
        shareable=True,
        shared_at=timezone.now(),
    )
    note = notes.link_story(manager, story, recipient=colleague, profession="cleaner")
    page = new_page(**PHONE)
    page.goto(f"/{language}/accounts/login/")
    page.locator("#id_username").fill(manager.username)
    page.locator("#id_password").fill("pw-for-tests")
    page.locator("form button[type=submit]").last.click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    pages = {
        "thank": f"/{language}/recognition/stories/{story.pk}/thank/",
        "cards": f"/{language}/recognition/cards/",
        "digest": f"/{language}/recognition/digest/",
        "fairness": f"/{language}/recognition/organisations/{org.slug}/fairness/",
        "reply": urlsplit(notes.reply_url(note)).path,
    }
    problems = []
    for name, path in pages.items():
        response = page.goto(path)
        assert response.status == 200, (name, response.status)
        problems += [f"{name}: {p}" for p in sideways(page, name)]
    assert problems == [], "\n".join(problems)
