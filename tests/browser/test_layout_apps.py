"""The apps' pages (culture, recognition, pulse, consensus, people, units and campaigns) on a
390 px phone, in Dutch and in French: nothing scrolls sideways, the Content-Security-Policy
refuses nothing, and axe-core finds no serious or critical violation.

The data are built once for the module and every page is visited once per language, in one
browser context per language (signing in again when the role changes); the tests then read
what the visits found. The pages are served with their real CSP headers: axe-core is put into
each page through the DevTools protocol (Playwright's ``evaluate``), which the CSP does not
govern, after the console has been read for the page's own CSP violations.
"""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import PHONE
from tests.browser.pages import PASSWORD, sign_in
from tests.browser.test_accessibility import AXE, SERIOUS
from tests.browser.test_layout import sideways
from tests.conftest import make_story, make_user

pytestmark = pytest.mark.browser

LANGUAGES = ("nl", "fr")
STORY = (
    "Mijn vader lag op de afdeling oncologie. Een verpleegkundige bleef na haar dienst nog even "
    "bij hem zitten en vertelde over haar eigen vader; hij sliep die nacht voor het eerst goed."
)


def pages(ids: dict) -> list[tuple[str, str | None, str]]:
    """(page type, who looks at it (None: a visitor), path without the language prefix)."""
    i = ids
    study = f"/consensus/{i['study']}"
    return [
        # culture
        ("team feed", "member", f"/culture/teams/{i['unit']}/"),
        ("organisation feed", "manager", f"/culture/organisations/{i['org_slug']}/"),
        ("programme", "manager", f"/culture/programme/{i['org_slug']}/"),
        ("wall links", "manager", f"/culture/programme/{i['org_slug']}/walls/"),
        ("reflection form", "member", f"/culture/stories/{i['story']}/reflect/"),
        ("network", "coordinator", "/culture/network/"),
        ("story wall", None, f"/culture/wall/{i['wall']}/"),
        # recognition
        ("thank page", "manager", f"/recognition/stories/{i['story']}/thank/"),
        ("digest settings", "manager", "/recognition/digest/"),
        ("cards of a month", "manager", "/recognition/cards/"),
        ("fairness", "manager", f"/recognition/organisations/{i['org_slug']}/fairness/"),
        ("reply", None, i["reply"]),
        ("unsubscribe", None, f"/recognition/digest/unsubscribe/{i['unsubscribe']}/"),
        # pulse
        ("pulse answer", None, i["pulse_answer"]),
        ("team charts", "manager", f"/pulse/teams/{i['unit']}/"),
        ("pulse overview", "manager", "/pulse/"),
        ("pulse check", "manager", f"/pulse/checks/{i['pulse']}/"),
        ("organisation charts", "manager", f"/pulse/organisations/{i['org']}/"),
        ("new pulse check", "manager", f"/pulse/organisations/{i['org']}/new/"),
        ("instruments", "manager", f"/pulse/organisations/{i['org']}/instruments/"),
        ("network dashboard", "coordinator", "/pulse/network/"),
        ("network charts", "coordinator", "/pulse/network/charts/"),
        ("modules", "coordinator", "/pulse/modules/"),
        ("sessions", "coordinator", "/pulse/sessions/"),
        ("new module", "coordinator", "/pulse/modules/new/"),
        ("new session", "coordinator", "/pulse/sessions/new/"),
        ("pulse answered", None, i["pulse_answer"] + "thanks/"),
        # consensus
        ("study list", "researcher", "/consensus/"),
        ("study", "researcher", f"{study}/"),
        ("rule", "researcher", f"{study}/rule/"),
        ("new study", "researcher", "/consensus/new/"),
        ("study edit", "researcher", f"{study}/edit/"),
        ("item", "researcher", f"{study}/items/{i['item']}/"),
        ("new item", "researcher", f"{study}/items/new/"),
        ("to codebook", "researcher", f"{study}/codebook/"),
        ("panel", "researcher", f"{study}/panel/"),
        ("round", "researcher", f"{study}/rounds/1/"),
        ("results", "researcher", f"{study}/results/"),
        ("live session", "researcher", i["live"]),
        ("panellist home", None, f"/consensus/p/{i['panellist']}/"),
        ("panellist rating", None, f"/consensus/p/{i['panellist']}/item/1/"),
        ("room join", None, "/consensus/room/"),
        ("room", None, f"/consensus/room/{i['room']}/"),
        # accounts
        ("people", "manager", "/accounts/people/"),
        ("units", "manager", "/accounts/units/"),
        ("person", "manager", f"/accounts/people/{i['person']}/"),
        ("landing", "manager", "/accounts/home/"),
        ("campaign form", "manager", "/staff/campaigns/new/"),
    ]


def strip_language(path: str) -> str:
    """``/nl/x/`` -> ``/x/`` (links built by the apps carry the language they were built in)."""
    path = urlsplit(path).path
    head, _, rest = path.lstrip("/").partition("/")
    return "/" + rest if head in ("nl", "fr", "en") else path


def build(usernames: dict[str, str]) -> dict:
    """A small network: a hospital in a wave with a pilot team, a shared story in the team's
    feed with a thank-you note, a story wall, a pulse with answers over a few periods and an
    action, a module and a reflection session, a Delphi study in its second round, and a live
    session with votes. ``usernames`` maps each role in pages() to a user name."""
    from mango.consensus import actions as consensus
    from mango.consensus.access import panellist_token
    from mango.culture import walls
    from mango.culture.models import StoryUnit
    from mango.organisations.models import Organisation, Unit, Wave
    from mango.pulse import actions as pulse_actions
    from mango.pulse import links, shipped
    from mango.pulse.models import (
        Action,
        InspirationModule,
        Instrument,
        Item,
        Pulse,
        ReflectionSession,
    )
    from mango.recognition import digests, notes

    today = timezone.localdate()
    wave = Wave.objects.create(slug="golf-2022", name="Golf 2022", starts_on=date(2022, 1, 1))
    org = Organisation.objects.create(
        name="Centre hospitalier universitaire Saint-Aubin",
        slug="chu-saint-aubin",
        kind="hospital",
        wave=wave,
        joined_on=date(2022, 2, 7),
    )
    unit = Unit.objects.create(
        organisation=org, name="Oncologisch dagziekenhuis", slug="onco", pilot=True
    )
    manager = make_user(usernames["manager"], "manager", org, first_name="Els")
    member = make_user(
        usernames["member"], "team_member", org, first_name="Jonas", email="jonas@example.org"
    )
    member.memberships.update(unit=unit)
    make_user(usernames["coordinator"], "network_coordinator", None, first_name="Nina")
    researcher = make_user(usernames["researcher"], "researcher", None, first_name="Rik")
    story = make_story(
        org,
        unit=unit,
        text=STORY,
        text_redacted=STORY,
        status="shared",
        shareable=True,
        shared_at=timezone.now(),
    )
    StoryUnit.objects.create(story=story, unit=unit)
    note = notes.link_story(manager, story, recipient=member, profession="cleaner")
    _link, wall = walls.create(manager, org, unit)

    instrument = shipped.load(Instrument, Item)
    pulse = Pulse.objects.create(
        organisation=org,
        instrument=instrument,
        starts_on=today - timedelta(weeks=20),
        every_weeks=4,
        open_days=14,
    )
    pulse.units.set([unit])
    periods = pulse_actions.ensure_periods(pulse, today)
    scales = [item for item in instrument.items.all() if item.kind == "scale"]
    for n, period in enumerate(periods):
        if period.closes_on <= today:
            people = [{item.key: 3 + (k + n) % 3 for item in scales} for k in range(6)]
            pulse_actions.bulk_answers(period, unit, people, "nl")
    module = InspirationModule.objects.create(
        slug="kleine-gebaren",
        titles={"nl": "Kleine gebaren", "fr": "Petits gestes", "en": "Small gestures"},
        introductions={"nl": "Inleiding.", "fr": "Introduction.", "en": "Introduction."},
    )
    Action.objects.create(
        unit=unit,
        organisation=org,
        title="Workshop met de Mangomoment-video",
        date=today - timedelta(weeks=8),
        kind="workshop",
        module=module,
        pdsa_stage="do",
    )
    ReflectionSession.objects.create(date=today - timedelta(weeks=6), title="Reflectiesessie 1")

    study = consensus.create_study(
        researcher,
        title="Mangomoment-model: kandidaat-uitspraken",
        question={
            "nl": "Hoe belangrijk is deze uitspraak?",
            "fr": "Quelle est l'importance de cet énoncé ?",
        },
    )
    for n in range(3):
        consensus.add_item(
            researcher,
            study,
            text={"nl": f"Uitspraak {n + 1}", "fr": f"Énoncé {n + 1}", "en": f"Item {n + 1}"},
        )
    consensus.set_rule(researcher, study, {"kind": "comet", "scope": "panel"})
    panel = consensus.add_panellists(
        researcher,
        study,
        [
            {"email": f"p{n}@example.org", "group": g, "language": "nl"}
            for n, g in enumerate(("patient", "professional", "patient", "professional"))
        ],
    )
    first = consensus.open_round(researcher, study)
    criterion = study.criteria.first()
    for n, panellist in enumerate(panel):
        for k, item in enumerate(first.items.all()):
            consensus.save_answer(panellist, first, item, {criterion.pk: 5 + (n + k) % 5})
        consensus.submit(panellist, first)
    consensus.close_round(researcher, first)
    consensus.open_round(researcher, study)

    meeting = consensus.create_study(
        researcher,
        title="Consensusbijeenkomst",
        kind="meeting",
        question={"nl": "Wat is belangrijk?", "fr": "Qu'est-ce qui est important ?"},
        criteria=[
            {"key": "importance", "label": {"nl": "Belang", "fr": "Importance"}},
            {"key": "feasibility", "label": {"nl": "Haalbaarheid", "fr": "Faisabilité"}},
        ],
    )
    for n in range(1, 4):
        consensus.add_item(
            researcher, meeting, text={"nl": f"Uitspraak {n}", "fr": f"Énoncé {n}"}, key=f"S{n}"
        )
    consensus.set_rule(researcher, meeting, {"kind": "comet"})
    session = consensus.create_live_session(researcher, meeting, name="Zaal 1")
    consensus.live_show(researcher, session, item=meeting.items.get(key="S1"))
    for group, score in (("patient", 8), ("professional", 6)):
        participant = consensus.live_join(session, group)
        for c in meeting.criteria.all():
            consensus.live_vote(participant, c, score)
    return {
        "org": org.pk,
        "org_slug": org.slug,
        "unit": unit.pk,
        "pulse": pulse.pk,
        "story": story.pk,
        "wall": wall,
        "reply": strip_language(notes.reply_url(note)),
        "unsubscribe": digests.unsubscribe_token(manager),
        "pulse_answer": strip_language(links.team_path(pulse, unit, "nl")),
        "study": study.pk,
        "item": study.items.order_by("pk").first().pk,
        "person": member.pk,
        "live": f"/consensus/{meeting.pk}/live/{session.pk}/",
        "room": session.code,
        "panellist": panellist_token(panel[0]),
    }


def axe(page) -> list[str]:
    """axe-core's serious and critical violations on the page, run through the DevTools
    protocol (not a script tag), so that the page keeps its real CSP."""
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
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


def visit_all(page, ids: dict, language: str, usernames: dict, password: str) -> dict:
    """Visit every page type in one context: {"visited": [page types], "http" | "sideways" |
    "csp" | "axe": [problems]}."""
    found: dict[str, list[str]] = {"visited": [], "http": [], "sideways": [], "csp": [], "axe": []}
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    role_now = "?"
    for name, role, path in sorted(pages(ids), key=lambda p: (p[1] or "", p[0])):
        if role != role_now:
            if role:
                page.context.clear_cookies()
                sign_in(page, usernames[role], password=password, language=language)
            else:
                page.context.clear_cookies()
            role_now = role
        console.clear()
        where = f"{name} ({role or 'visitor'}, /{language}{path})"
        try:
            status = page.goto(f"/{language}{path}").status
        except PlaywrightError as error:
            status = str(error).splitlines()[0]
        if status != 200:
            found["http"].append(f"{where}: HTTP {status}")
            continue
        found["visited"].append(name)
        page.wait_for_load_state("load")
        found["sideways"] += [f"{where}: {p}" for p in sideways(page, name)]
        found["csp"] += [f"{where}: {text}" for text in console if "Policy" in text]
        found["axe"] += [f"{where}: {p}" for p in axe(page)]
    return found


USERNAMES = {
    "manager": "manager",
    "member": "member",
    "coordinator": "coordinator",
    "researcher": "researcher",
}


@pytest.fixture(scope="module")
def found(browser, django_db_setup, live_server, django_db_blocker):
    """Build the data once in the test database, visit every page in each language, then
    empty the test database again (as a live-server test's flush would)."""
    from django.core.management import call_command
    from django.db import connection

    results = {}
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
    ):
        # Never the developer's database: django_db_setup has switched to the test one.
        name = str(connection.settings_dict["NAME"])
        assert "test" in name or "memory" in name, name
        try:
            ids = build(USERNAMES)
            for language in LANGUAGES:
                context = browser.new_context(base_url=live_server.url, locale="nl-BE", **PHONE)
                context.set_default_timeout(10_000)
                try:
                    results[language] = visit_all(
                        context.new_page(), ids, language, USERNAMES, PASSWORD
                    )
                finally:
                    context.close()
        finally:
            call_command("flush", interactive=False, verbosity=0)
    return results


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_app_page_scrolls_sideways_on_a_390px_phone(found, language):
    problems = found[language]["http"] + found[language]["sideways"]
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_app_page_breaks_the_content_security_policy(found, language):
    assert found[language]["csp"] == [], "\n".join(found[language]["csp"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_axe_finds_no_serious_violation_on_any_app_page(found, language):
    assert found[language]["axe"] == [], "\n".join(found[language]["axe"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_app_page_type_was_opened(found, language):
    """Each of the 48 page types opened (HTTP 200) and was checked, once."""
    visited = found[language]["visited"]
    assert len(visited) == len(set(visited)) == 48, found[language]["http"]
