"""The transcript coding screen in real Chromium, under the strict Content-Security-Policy:
selecting a passage after an emoji fills the form with code-point offsets (what Python
indexes), and applying a code stores exactly the selected characters."""

import re

import pytest
from playwright.sync_api import expect

from mango.qualitative.models import Document, Project, Segment
from mango.research.models import Codebook
from tests.browser.conftest import DESKTOP
from tests.browser.pages import nl
from tests.conftest import make_user

pytestmark = pytest.mark.browser

TEXT = "Interviewer: Wat gebeurde er? 😀😀\nP1: Ze bracht een mango 🥭 — één gebaar.\n"


def test_selecting_and_coding_a_passage_after_emoji(new_page, org):
    user = make_user("onderzoeker", "researcher", org)
    codebook = Codebook.objects.get(slug="mangomoment-model")
    project = Project.objects.create(name="Interviews", organisation=org, codebook=codebook)
    document = Document.objects.create(project=project, title="Interview 1", text=TEXT)
    code = codebook.codes.filter(active=True).order_by("order", "key").first()

    page = new_page(**DESKTOP)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto("/nl/accounts/login/")
    page.get_by_label(nl("Username")).fill(user.username)
    page.get_by_label(nl("Password"), exact=True).fill("pw-for-tests")
    page.get_by_role("button", name=nl("Sign in")).click()
    expect(page).to_have_url(re.compile(r"/nl/staff/"))
    page.goto(f"/nl/staff/transcripts/documents/{document.pk}/")

    words = "mango 🥭 — één"
    # Select the words as a user would, by a DOM range over the transcript's text.
    page.evaluate(
        """(words) => {
            const box = document.getElementById("transcript-text");
            const node = box.firstChild;
            const at = node.data.indexOf(words);
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + words.length);
            const sel = document.getSelection();
            sel.removeAllRanges();
            sel.addRange(range);
        }""",
        words,
    )
    start = TEXT.index(words)
    expect(page.locator("[name=start]")).to_have_value(str(start))
    expect(page.locator("[name=end]")).to_have_value(str(start + len(words)))
    # JavaScript's own index is larger: the two emoji before it are two UTF-16 units each.
    assert page.evaluate("(t) => t.indexOf('mango')", TEXT) == start + 2
    expect(page.locator("#selection-note")).to_contain_text(words)

    page.get_by_label(nl("Code"), exact=True).select_option(str(code.pk))
    page.get_by_label(nl("Memo")).fill("Een gebaar")
    page.get_by_role("button", name=nl("Apply the code")).click()
    expect(page.locator("#transcript-text mark.segment")).to_have_text(words)

    segment = Segment.objects.get()
    assert (segment.start, segment.end, segment.text) == (start, start + len(words), words)
    assert (segment.code, segment.coder, segment.memo) == (code, user, "Een gebaar")
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e]
