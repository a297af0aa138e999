"""A coding round in real Chromium: two coders code the same five stories blind from the
keyboard, the lead researcher closes the round, reads the kappa, settles the disagreements,
and the final codes come out in the CSV export."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from mango.research import actions
from mango.research.models import Codebook, Coding, FinalCode
from tests.browser.pages import nl, sign_in
from tests.conftest import make_story, make_user

pytestmark = pytest.mark.browser


def code_story(page, keys, n, total):
    """Press each code's key, wait until the panel shows it switched on, then finish."""
    expect(page.locator(".coder-nav")).to_contain_text(f"{n}")
    pressed = page.locator('#code-panel button.code-toggle[aria-pressed="true"]')
    # Blind: a coder arrives at an uncoded story, whatever the other coder did.
    expect(pressed).to_have_count(0)
    for key in keys:
        page.keyboard.press(key)
        expect(page.locator(f'#code-panel button[data-hotkey="{key}"]')).to_have_attribute(
            "aria-pressed", "true"
        )
    expect(pressed).to_have_count(len(keys))
    page.keyboard.press("d")
    if n < total:
        expect(page).to_have_url(re.compile(rf"/code/{n + 1}/$"))


def test_two_coders_code_blind_and_the_adjudicator_settles(new_page, org, screenshot_dir):
    lead = make_user("lead", "researcher", None)
    coders = [make_user("coder1", "researcher", None), make_user("coder2", "researcher", None)]
    stories = [
        make_story(org, text=f"Verhaal {i}: de verpleegkundige bracht thee en bleef even zitten.")
        for i in range(5)
    ]
    round = actions.create_round(
        lead,
        name="Browser round",
        codebook=Codebook.objects.get(slug="dimensions"),
        stories=stories,
        coders=coders,
        coders_per_story=2,
        organisation=org,
    )
    base = f"/nl/staff/research/rounds/{round.pk}"

    # coder1: respect (1) and emotional support (5) on every story.
    page1 = new_page(viewport={"width": 1280, "height": 900})
    sign_in(page1, "coder1")
    page1.goto(f"{base}/code/")
    expect(page1).to_have_url(re.compile(r"/code/1/$"))
    for n in range(1, 6):
        code_story(page1, ["1", "5"], n, 5)
    expect(page1.locator("#progress-text")).to_contain_text("5")

    # coder2 sees none of coder1's codes; agrees on three stories, leaves out 5 on two.
    page2 = new_page(viewport={"width": 1280, "height": 900})
    sign_in(page2, "coder2")
    page2.goto(f"{base}/code/")
    expect(page2.locator("body")).not_to_contain_text("coder1")
    for n in range(1, 6):
        code_story(page2, ["1", "5"] if n <= 3 else ["1"], n, 5)
    # Going back with k shows coder2's own codes only.
    page2.keyboard.press("k")
    expect(page2).to_have_url(re.compile(r"/code/4/$"))
    expect(page2.locator('#code-panel button[aria-pressed="true"]')).to_have_count(1)
    expect(page2.locator("body")).not_to_contain_text("coder1")
    assert Coding.objects.filter(round=round).count() == 10 + 8

    # The lead closes the round and reads the agreement.
    lead_page = new_page(viewport={"width": 1280, "height": 900})
    sign_in(lead_page, "lead")
    lead_page.goto(f"{base}/")
    lead_page.get_by_role("button", name=nl("Close the round")).click()
    expect(lead_page.locator(".messages")).to_contain_text("3")
    lead_page.get_by_role("link", name=nl("Agreement"), exact=True).click()
    table = lead_page.locator("table.agreement")
    expect(table).to_contain_text(nl("Cohen's kappa"))
    overall_kappa = table.locator("tr.overall td[data-stat='2']")
    expect(overall_kappa).to_have_text(re.compile(r"^0[.,]\d{3}"))
    if screenshot_dir:
        lead_page.screenshot(path=f"{screenshot_dir}/coding-agreement.png", full_page=True)

    # Now unblinded, coder1 sees coder2's codes.
    page1.goto(f"{base}/code/1/")
    expect(page1.locator("body")).to_contain_text("coder2")

    # Adjudication: two stories; the adjudicator keeps emotional support on both.
    lead_page.goto(f"{base}/adjudication/")
    links = lead_page.locator("table.list tbody a")
    expect(links).to_have_count(2)
    links.first.click()
    for _ in range(2):
        expect(lead_page.locator("table.side-by-side")).to_contain_text("coder1")
        emotional = lead_page.locator('input[name="code"][value="emotional_support"]')
        emotional.check()
        expect(lead_page.locator('input[name="code"][value="respect"]')).to_be_checked()
        lead_page.get_by_label(nl("Comment")).fill("Ze bleef zitten: emotionele steun.")
        lead_page.get_by_role("button", name=nl("Save the final codes")).click()
    expect(lead_page).to_have_url(re.compile(r"/adjudication/$"))
    expect(lead_page.locator("table.list")).not_to_contain_text(nl("to settle"))

    # The final codes are in the CSV export.
    response = lead_page.request.get(f"{base}/export/final.csv")
    assert response.ok
    rows = list(csv.DictReader(io.StringIO(response.text())))
    present = {(int(r["story"]), r["code"]) for r in rows if r["value"] == "1"}
    assert present == {(s.pk, k) for s in stories for k in ("respect", "emotional_support")}
    methods = sorted({(int(r["story"]), r["method"]) for r in rows})
    assert [m for _, m in methods].count("adjudicated") == 2
    assert FinalCode.objects.count() == 10
