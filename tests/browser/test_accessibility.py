"""axe-core on every public page and every staff page type, in Dutch and in French: no
serious or critical violation.

axe-core 4.10.3 (MPL-2.0) is vendored under tests/vendor/axe-core and injected into each page;
the test's browser context bypasses the Content-Security-Policy only so that the injected
script may run (the pages themselves are served with their real headers).
"""

from pathlib import Path

import pytest

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_layout import build_site, visit_all

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent.parent / "vendor" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")


def axe_problems(page, name) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact,
                nodes: v.nodes.slice(0, 2).map(n => n.target.join(' '))}));
        }"""
    )
    return [
        f"{v['impact']} {v['id']} at {', '.join(v['nodes'])}"
        for v in result
        if v["impact"] in SERIOUS
    ]


@pytest.mark.parametrize(
    ("language", "screen"),
    [("nl", DESKTOP), ("fr", DESKTOP), ("nl", PHONE)],
    ids=["nl", "fr", "nl-phone"],
)
def test_axe_finds_no_serious_violation_on_any_page(new_page, org, language, screen):
    site = build_site(org)
    problems = visit_all(new_page, site, language, axe_problems, bypass_csp=True, **screen)
    assert problems == [], "\n".join(problems)


def test_axe_finds_no_serious_violation_on_a_phone_with_the_menu_open(new_page, org):
    from tests.browser.pages import sign_in
    from tests.conftest import make_user

    make_user("researcher", "researcher", None)
    page = new_page(bypass_csp=True, **PHONE)
    sign_in(page, "researcher", language="fr")
    page.locator(".menu-toggle").click()
    assert axe_problems(page, "menu") == []


def test_the_vendored_axe_is_the_pinned_version():
    head = AXE.read_text(encoding="utf-8")[:40]
    assert "axe v4.10.3" in head


def test_axe_reports_a_field_without_a_label(new_page):
    """The check can fail: an unlabelled input on an otherwise empty page is critical."""
    page = new_page(bypass_csp=True)
    page.set_content('<html lang="nl"><title>t</title><main><input type="text"></main></html>')
    assert any(p.startswith("critical label") for p in axe_problems(page, "test"))
