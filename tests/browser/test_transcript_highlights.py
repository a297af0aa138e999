"""Transcript passages in their code's colour, with the code's label beside them, coded by
selecting text and pressing the code's key, in real Chromium under the strict
Content-Security-Policy. The stored segment covers exactly the selected characters, counted in
code points as Python counts them, although the passage follows emoji (two UTF-16 units each
in JavaScript) and holds one itself."""

import re

import pytest
from playwright.sync_api import expect

from mango.lib import code_colours
from mango.qualitative.models import Document, Project, Segment
from mango.research.models import Code, Codebook
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.pages import nl, sign_in
from tests.conftest import make_user

pytestmark = pytest.mark.browser

TEXT = (
    "Interviewer: Wat gebeurde er? 😀😀\n"
    "P1: Ze bracht een mango 🥭 — één gebaar, zonder iets te zeggen.\n"
    "Interviewer: En daarna?\n"
    "P1: Ze bleef even zitten.\n"
)
WORDS = "mango 🥭 — één gebaar"


def _rgb(css: str) -> tuple[int, int, int]:
    """A computed colour as 0-255 channels, from rgb(...) or color(srgb ...)."""
    numbers = [float(x) for x in re.findall(r"[\d.]+", css)]
    if css.startswith("color("):
        return tuple(round(x * 255) for x in numbers[:3])
    return tuple(round(x) for x in numbers[:3])


def _hex_rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return tuple(int(h[i : i + 2], 16) for i in (0, 2, 4))


def _close(a, b, slack=2):
    return all(abs(x - y) <= slack for x, y in zip(a, b, strict=True))


def _sign_in(page, user):
    sign_in(page, user.username)
    expect(page).to_have_url(re.compile(r"/nl/staff/"))


def _select(page, words):
    """Select the words in the transcript as a mouse would: one DOM range, from the text node
    where they start to the one where they end (marks may cut them), labels left out."""
    page.evaluate(
        """(words) => {
            const box = document.getElementById("transcript-text");
            const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
            const nodes = [];
            let node, all = "";
            while ((node = walker.nextNode())) {
                if (node.parentElement.closest(".segment-label")) continue;
                nodes.push([node, all.length]);
                all += node.data;
            }
            const at = all.indexOf(words);
            if (at < 0) throw new Error("not in the transcript: " + words);
            const place = (i, isEnd) => {
                for (const [n, from] of nodes) {
                    if (i < from + n.data.length || (isEnd && i === from + n.data.length)) {
                        return [n, i - from];
                    }
                }
            };
            const range = document.createRange();
            range.setStart(...place(at, false));
            range.setEnd(...place(at + words.length, true));
            const sel = document.getSelection();
            sel.removeAllRanges();
            sel.addRange(range);
        }""",
        words,
    )


@pytest.fixture
def coded_setting(org):
    user = make_user("onderzoeker", "researcher", org)
    codebook = Codebook.objects.get(slug="mangomoment-model")
    project = Project.objects.create(name="Interviews", organisation=org, codebook=codebook)
    document = Document.objects.create(project=project, title="Interview 1", text=TEXT)
    return user, codebook, document


def test_selecting_a_passage_and_pressing_a_codes_key_highlights_it(new_page, coded_setting):
    user, codebook, document = coded_setting
    picks = list(codebook.codes.filter(active=True).order_by("order", "key"))
    code = picks[1]
    key = code.hotkey.lower() or "2"
    # An earlier passage of another code, overlapping the one to be coded ("gebaar, zonder").
    other = picks[0]
    over_start = TEXT.index("gebaar, zonder")
    Segment.objects.create(
        document=document, code=other, start=over_start, end=over_start + 14, coder=user
    )

    page = new_page(**DESKTOP)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    _sign_in(page, user)
    page.goto(f"/nl/staff/transcripts/documents/{document.pk}/")

    # The code list shows each code's key; no number boxes in sight.
    pick = page.locator(f'#code-picks button[data-code="{code.pk}"]')
    expect(pick).to_be_visible()
    expect(pick.locator("kbd")).to_have_text(key, ignore_case=True)
    expect(page.locator("[name=start]")).to_be_hidden()
    expect(page.locator("[name=end]")).to_be_hidden()

    _select(page, WORDS)
    expect(page.locator("#selection-note")).to_contain_text(WORDS)
    page.locator("#transcript-text").focus()
    # Wait for the segment's POST to be answered before reading the database (on a busy
    # machine the page's labels alone could be read before the answer came).
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.keyboard.press(key)

    start = TEXT.index(WORDS)
    # The answer is in: a second label beside the transcript.
    expect(page.locator("#transcript-text .segment-label")).to_have_count(2)
    segment = Segment.objects.exclude(code=other).get()
    assert (segment.start, segment.end) == (start, start + len(WORDS))
    assert segment.text == WORDS and segment.code == code and segment.coder == user
    # JavaScript alone would have counted three more (two emoji before, one inside).
    assert page.evaluate("(t) => t.indexOf('mango')", TEXT) == start + 2

    colours = code_colours.assign(
        Code.objects.filter(codebook=codebook).order_by("pk").values_list("pk", flat=True)
    )
    colour = colours[code.pk]
    marks = page.locator(f'#transcript-text mark.segment[data-segment="{segment.pk}"]')
    # The passage is cut where the other code's passage starts; together the marks hold it all.
    assert "".join(marks.all_text_contents()) == WORDS
    first = marks.first
    background = _rgb(first.evaluate("m => getComputedStyle(m).backgroundColor"))
    expected = _hex_rgb(code_colours.tint(code_colours.PALETTE[colour.colour - 1]))
    assert _close(background, expected), (background, expected)
    line = first.evaluate("m => getComputedStyle(m).borderBottomStyle")
    assert line == colour.line_style

    # Its label, in the margin left of the line where the passage starts.
    label = page.locator(f"#transcript-text .segment-label.code-colour-{colour.colour}").filter(
        has_text=code.label_in("nl")
    )
    expect(label).to_be_visible()
    label_box, mark_box = label.bounding_box(), first.bounding_box()
    text_box = page.locator("#transcript-text").bounding_box()
    margin = page.locator("#transcript-text").evaluate(
        "t => parseFloat(getComputedStyle(t).paddingLeft)"
    )
    assert margin > 100  # a margin for the labels, on a desktop
    assert text_box["x"] <= label_box["x"]
    assert label_box["x"] + label_box["width"] <= text_box["x"] + margin <= mark_box["x"]
    assert abs(label_box["y"] - mark_box["y"]) < mark_box["height"] + 4

    # Where the two passages overlap both codes show: two marks, two different lines.
    both = page.locator("#transcript-text mark.segment mark.segment")
    expect(both).to_have_count(1)
    expect(both).to_have_text("gebaar")
    outer_pad = both.evaluate("m => getComputedStyle(m.parentElement).paddingBottom")
    inner_pad = both.evaluate("m => getComputedStyle(m).paddingBottom")
    assert float(outer_pad.rstrip("px")) > float(inner_pad.rstrip("px"))
    # The labels do not cover one another.
    boxes = [b.bounding_box() for b in page.locator("#transcript-text .segment-label").all()]
    assert len(boxes) == 2
    assert boxes[0]["y"] + boxes[0]["height"] <= boxes[1]["y"] + 1 or (
        boxes[1]["y"] + boxes[1]["height"] <= boxes[0]["y"] + 1
    )

    # Removing the segment stays possible; the highlight goes with it.
    page.locator(".segment-list tr", has_text=code.label_in("nl")).get_by_role(
        "button", name=re.compile(nl("Remove"))
    ).click()
    expect(page.locator(f'mark.segment[data-segment="{segment.pk}"]')).to_have_count(0)
    assert not Segment.objects.filter(pk=segment.pk).exists()
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e]


def test_a_key_without_a_selection_asks_for_one(new_page, coded_setting):
    user, codebook, document = coded_setting
    page = new_page(**DESKTOP)
    _sign_in(page, user)
    page.goto(f"/nl/staff/transcripts/documents/{document.pk}/")
    page.locator("#code-picks button").first.click()
    expect(page.locator("#selection-note")).to_have_text(
        nl("Select a passage in the transcript first.")
    )
    assert not Segment.objects.exists()
    # By hand, without a selection: positions past the end are refused with a clear message.
    page.locator("details.positions summary").click()
    page.get_by_label(nl("From character")).fill("5")
    page.get_by_label(nl("To character")).fill(str(len(TEXT) + 10))
    page.get_by_label(nl("Code"), exact=True).select_option(index=1)
    page.get_by_role("button", name=nl("Apply the code")).click()
    expect(page.locator("#coding .error-summary")).to_be_focused()
    expect(page.locator("#coding .error-summary")).to_contain_text(str(len(TEXT) + 10))
    assert not Segment.objects.exists()


def test_on_a_phone_the_label_stands_before_the_passage_and_nothing_scrolls_sideways(
    new_page, coded_setting
):
    user, codebook, document = coded_setting
    code = codebook.codes.filter(active=True).order_by("order", "key").first()
    start = TEXT.index(WORDS)
    segment = Segment.objects.create(
        document=document, code=code, start=start, end=start + len(WORDS), coder=user
    )
    page = new_page(**PHONE)
    _sign_in(page, user)
    page.goto(f"/nl/staff/transcripts/documents/{document.pk}/")
    mark = page.locator(f'mark.segment[data-segment="{segment.pk}"]')
    label = page.locator("#transcript-text .segment-label")
    expect(mark).to_have_text(WORDS)
    expect(label).to_have_text(code.label_in("nl"))
    assert label.evaluate("l => getComputedStyle(l).position") == "static"
    assert label.evaluate("l => l.nextElementSibling.dataset.segment") == str(segment.pk)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    # The panel to code with stays on screen at the bottom while the transcript scrolls.
    panel = page.locator(".transcript-panel").bounding_box()
    assert panel["y"] + panel["height"] <= 844 + 1


@pytest.mark.parametrize("screen", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_axe_finds_no_serious_violation_with_overlapping_highlights(
    new_page, coded_setting, screen
):
    from tests.browser.test_accessibility import axe_problems

    user, codebook, document = coded_setting
    codes = list(codebook.codes.filter(active=True).order_by("order", "key"))
    for code, words in zip(codes, ["mango 🥭 — één gebaar", "één gebaar, zonder", "daarna"]):
        start = TEXT.index(words)
        Segment.objects.create(
            document=document, code=code, start=start, end=start + len(words), coder=user
        )
    page = new_page(bypass_csp=True, **screen)
    _sign_in(page, user)
    page.goto(f"/nl/staff/transcripts/documents/{document.pk}/")
    expect(page.locator("#transcript-text .segment-label")).to_have_count(3)
    assert axe_problems(page, "transcript") == []
