"""Each code's colour on the transcript screen: stable, distinct for the first codes, readable."""

import re
from pathlib import Path

import pytest

from mango.lib import code_colours
from mango.lib.code_colours import LINES, PALETTE, assign, colour_at, contrast, tint

CSS = Path(__file__).resolve().parent.parent / "src/mango/static"


def test_the_first_codes_each_get_a_combination_of_their_own():
    n = len(PALETTE) * len(LINES)
    combos = [(c.colour, c.line) for c in (colour_at(i) for i in range(n))]
    assert len(set(combos)) == n == 32
    # The first eight differ in colour alone, the next eight repeat them with dashes.
    assert [c for c, _ in combos[:8]] == list(range(1, 9))
    assert {line for _, line in combos[:8]} == {1}
    assert colour_at(8).line_style == "dashed" and colour_at(8).colour == 1
    assert colour_at(n) == colour_at(0)  # only then do they repeat


def test_a_codes_colour_is_its_own_whatever_the_others_do():
    first = assign([11, 12, 13, 14])
    # Reading again gives the same; a code added later does not move the others.
    assert assign([11, 12, 13, 14]) == first
    later = assign([11, 12, 13, 14, 15])
    assert all(later[k] == first[k] for k in first)
    assert later[15] not in first.values()
    assert first[13].classes == "code-colour-3 code-line-1"
    with pytest.raises(ValueError):
        colour_at(-1)


def test_ink_on_every_tint_reads_well():
    for colour in PALETTE:
        # AAA for body text (7:1), with room to spare.
        assert contrast(code_colours.INK, tint(colour)) >= 7, colour
    assert tint("#000000", 0.30) == "#b3b3b3"
    assert tint("#ffffff") == "#ffffff"
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0


def test_the_palette_and_tint_are_the_ones_the_css_uses():
    tokens = (CSS / "mango/mango.css").read_text()
    for n, colour in enumerate(PALETTE, start=1):
        assert re.search(rf"--chart-{n}:\s*{colour}\b", tokens, re.IGNORECASE), n
    sheet = (CSS / "qualitative/transcript.css").read_text()
    share = round(code_colours.TINT * 100)
    assert f"var(--code, var(--mango)) {share}%, #fff)" in sheet
    for n in range(1, len(PALETTE) + 1):
        assert (
            f'.code-colour-{n}, mark.segment[data-colour="{n}"] {{ --code: var(--chart-{n}); }}'
            in sheet
        )
    for n, style in enumerate(LINES, start=1):
        assert f"--code-line: {style}; }}" in sheet and f".code-line-{n}" in sheet


# --- on the transcript page ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_marks_each_passage_in_its_codes_colour_and_nests_overlaps(client, org):
    from django.urls import reverse
    from django.utils import translation

    from mango.qualitative.models import Document, Project, Segment
    from mango.research.models import Code, Codebook
    from tests.conftest import make_user

    user = make_user("onderzoeker", "researcher", org)
    codebook = Codebook.objects.get(slug="mangomoment-model")
    project = Project.objects.create(name="Interviews", organisation=org, codebook=codebook)
    text = "P1: Ze bracht een mango 🥭 mee.\n"
    document = Document.objects.create(project=project, title="Interview", text=text)
    all_codes = list(Code.objects.filter(codebook=codebook).order_by("pk"))
    first, third = all_codes[0], all_codes[2]
    outer = Segment.objects.create(document=document, code=first, start=4, end=27, coder=user)
    inner = Segment.objects.create(document=document, code=third, start=18, end=25, coder=user)
    assert inner.text == "mango 🥭"
    client.force_login(user)
    with translation.override("en"):
        url = reverse("transcripts:document", args=[document.pk])
    body = client.get(url).content.decode()
    translation.deactivate()
    outer_mark = f'data-colour="1" data-line="1" data-nest="1" data-segment="{outer.pk}"'
    inner_mark = f'data-colour="3" data-line="1" data-nest="0" data-segment="{inner.pk}"'
    # The inner passage sits inside the outer one's mark: both codes show over "mango 🥭".
    assert f'<mark class="segment" {outer_mark}' in body
    nested = re.search(
        rf'<mark class="segment" {outer_mark}[^>]*><mark class="segment" {inner_mark}[^>]*>'
        r"mango 🥭</mark></mark>",
        body,
    )
    assert nested, body[body.index('id="transcript-text"') :][:1500]
    # Each label once, in its colour, before the passage it starts.
    assert body.count('class="segment-label code-colour-1 code-line-1"') == 1
    assert body.count('class="segment-label code-colour-3 code-line-1"') == 1
    # No style attributes: the strict CSP would refuse them.
    assert " style=" not in body


@pytest.mark.django_db
def test_applying_a_code_without_a_passage_says_so(client, org):
    from django.urls import reverse
    from django.utils import translation

    from mango.qualitative.models import Document, Project, Segment
    from mango.research.models import Codebook
    from tests.conftest import make_user

    user = make_user("onderzoeker", "researcher", org)
    codebook = Codebook.objects.get(slug="mangomoment-model")
    project = Project.objects.create(name="Interviews", organisation=org, codebook=codebook)
    document = Document.objects.create(project=project, title="Interview", text="P1: tekst\n")
    code = codebook.codes.filter(active=True).first()
    client.force_login(user)
    with translation.override("en"):
        url = reverse("transcripts:document", args=[document.pk])
        response = client.post(url, {"code": code.pk, "start": "", "end": ""})
    translation.deactivate()
    assert response.status_code == 400
    body = response.content.decode()
    summary = body[body.index('class="error-summary"') :]
    assert "<li>Select a passage in the transcript first.</li>" in summary[: summary.index("</ul>")]
    assert not Segment.objects.exists()
