"""A Delphi study in real Chromium: two panellists rate round 1 on a phone with their signed
links (three others rated already), the researcher opens round 2, each panellist sees their own
score and the panel's distribution, and the result table shows the statuses the rule gives."""

import re

import pytest
from playwright.sync_api import expect

from mango.consensus import actions
from mango.consensus.access import panellist_token
from mango.consensus.models import Rating
from tests.browser.pages import nl, sign_in
from tests.conftest import make_user

pytestmark = pytest.mark.browser

# Three panellists rated before; the two on the phones add theirs (A, then B).
SEEDED = {"S1": [7, 8, 9], "S2": [2, 5, 8], "S3": [8, 8, 2]}
PHONE_A = {"S1": "8", "S2": "2", "S3": "8"}
PHONE_B = {"S1": "9", "S2": "3", "S3": "5"}
# Under the 70/15 rule over five scores: S1 100 % 7-9 (in), S2 20 % 7-9 (out),
# S3 60 % 7-9 (undecided).
EXPECTED = {"S1": "in", "S2": "out", "S3": "undecided"}


def rate_round(page, link, scores, screenshot_dir=None, name=""):
    page.goto(link)
    expect(page.locator("#progress-text")).to_contain_text(f"0 van {len(scores)}")
    page.locator("#start").click()
    for n, (key, score) in enumerate(scores.items(), 1):
        expect(page).to_have_url(re.compile(rf"/item/{n}/$"))
        expect(page.locator("#statement")).to_contain_text(f"Uitspraak {key}")
        page.get_by_role("radio", name=score, exact=True).check()
        if n < len(scores):
            page.locator("#save-next").click()
        else:
            if screenshot_dir:
                page.screenshot(path=f"{screenshot_dir}/consensus-{name}-round1.png")
            page.locator("#save-overview").click()
    expect(page.locator("#progress-text")).to_contain_text(f"{len(scores)} van {len(scores)}")
    page.locator("#finish").click()
    expect(page.locator("#finished")).to_be_visible()


def test_two_panellists_rate_on_phones_and_see_the_panel_in_round_2(
    new_page, phone_page, screenshot_dir
):
    lead = make_user("lead", "researcher", None)
    study = actions.create_study(
        lead, title="Mangomoment-model", question={"nl": "Hoe belangrijk is deze uitspraak?"}
    )
    for key in SEEDED:
        actions.add_item(lead, study, text={"nl": f"Uitspraak {key}"}, key=key)
    actions.set_rule(lead, study, {"kind": "comet", "scope": "panel"})
    groups = ["patient", "professional", "manager", "patient", "professional"]
    panel = actions.add_panellists(
        lead, study, [{"email": f"p{n}@example.org", "group": g} for n, g in enumerate(groups)]
    )
    round1 = actions.open_round(lead, study)
    criterion = study.criteria.get()
    for key, scores in SEEDED.items():
        item = study.items.get(key=key)
        for p, score in zip(panel[:3], scores, strict=True):
            actions.save_answer(p, round1, item, {criterion.pk: score})

    a, b = panel[3], panel[4]
    link_a = f"/nl/consensus/p/{panellist_token(a)}/"
    link_b = f"/nl/consensus/p/{panellist_token(b)}/"
    rate_round(phone_page, link_a, PHONE_A, screenshot_dir, "a")
    phone_b = new_page(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    rate_round(phone_b, link_b, PHONE_B)
    # What the phones sent is what is stored.
    stored = dict(
        Rating.objects.filter(panellist=a, round=round1).values_list("item__key", "score")
    )
    assert stored == {k: int(v) for k, v in PHONE_A.items()}

    actions.close_round(lead, round1)
    actions.open_round(lead, study)

    # Round 2: each sees their own round-1 score and the panel's distribution with its median.
    for page, mine, n_s1 in ((phone_page, PHONE_A, "8"), (phone_b, PHONE_B, "9")):
        page.goto(link_a if page is phone_page else link_b)
        page.locator("#start").click()
        expect(page.locator("#own-importance")).to_have_text(f"Uw score: {mine['S1']}")
        chart = page.locator(".feedback figure.histogram svg")
        # S1 over five panellists: 7, 8, 9, 8, 9 -> median 8; the counts are described.
        expect(chart).to_have_attribute("aria-label", re.compile(r"7: 1, 8: 2, 9: 2"))
        expect(chart).to_have_attribute("aria-label", re.compile(r"Mediaan 8"))
        expect(page.locator(".feedback rect.bar.own")).to_have_count(1)
        # Nothing runs off a 390 px screen.
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, width
        if screenshot_dir:
            page.screenshot(path=f"{screenshot_dir}/consensus-{n_s1}-round2.png", full_page=True)

    # The researcher's result table shows the statuses the rule gives for round 1.
    desk = new_page(viewport={"width": 1280, "height": 900})
    sign_in(desk, "lead")
    desk.goto(f"/nl/consensus/{study.pk}/results/?round=1")
    for key, status in EXPECTED.items():
        cell = desk.locator(f'tr.panel-row[data-item="{key}"] td.status')
        expect(cell).to_have_class(re.compile(rf"status-{status}"))
        expect(cell).to_have_text(nl(status))
