"""The programme page (wave, ambassadors, pilot teams, checklist), the network page, story
walls and their links, reflections and their export, the story-of-the-month poster."""

import csv
import io
from datetime import date

import pytest
from django.db import transaction
from django.utils import timezone

from mango.accounts.models import Membership
from mango.audit.models import AuditEvent
from mango.culture import walls
from mango.culture.models import Reflection, StoryUnit, Touch, WallLink
from mango.organisations.models import Unit, Wave
from mango.research.models import Code
from tests.conftest import make_story, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def units(org):
    return [
        Unit.objects.create(organisation=org, name=name, slug=slug, oncological=onco)
        for name, slug, onco in [
            ("Oncologie", "onco", True),
            ("Geriatrie", "geri", False),
            ("Cardiologie", "cardio", False),
        ]
    ]


@pytest.fixture
def coordinator(db):
    return make_user("coordinator", "network_coordinator", None)


@pytest.fixture
def nurse(org, units):
    user = make_user("nurse", first_name="Nele")
    Membership.objects.create(user=user, organisation=org, role="team_member", unit=units[0])
    return user


def shared(org, unit):
    story = make_story(
        org,
        unit=unit,
        status="shared",
        shareable=True,
        shared_at=timezone.now(),
        text="Zuster Els bleef.",
        text_redacted="Zuster [NAAM] bleef.",
    )
    StoryUnit.objects.create(story=story, unit=unit)
    return story


def test_the_checklist_shows_what_is_missing_until_it_is_complete(
    client, manager, org, units, nurse
):
    client.force_login(manager)
    url = f"/en/culture/programme/{org.slug}/"
    html = client.get(url).content.decode()
    assert html.count('class="missing"') == 4
    for unit in units:
        assert client.post(url, {"action": "pilot_on", "unit": unit.pk}).status_code == 302
    assert client.post(url, {"action": "ambassador_on", "user": nurse.pk}).status_code == 302
    html = client.get(url).content.decode()
    assert 'class="missing"' not in html and html.count('class="done"') == 5  # 4 checks + note
    assert Membership.objects.filter(user=nurse, organisation=org, role="ambassador").exists()
    assert set(Unit.objects.filter(pilot=True)) == set(units)
    # Audited: three pilot changes and one role.
    assert AuditEvent.objects.filter(action="organisation.changed", target_type="unit").count() == 3
    role = AuditEvent.objects.get(action="membership.changed")
    assert role.new == {"user": nurse.pk, "role": "ambassador"}
    # Taking the role back.
    client.post(url, {"action": "ambassador_off", "user": nurse.pk})
    assert not Membership.objects.filter(user=nurse, role="ambassador").exists()
    assert AuditEvent.objects.filter(action="membership.changed").count() == 2


def test_only_the_organisations_staff_can_become_ambassador(client, manager, org, outsider):
    client.force_login(manager)
    answer = client.post(
        f"/en/culture/programme/{org.slug}/", {"action": "ambassador_on", "user": outsider.pk}
    )
    assert answer.status_code == 404
    assert not Membership.objects.filter(user=outsider, role="ambassador").exists()


def test_a_unit_of_another_organisation_cannot_be_made_pilot(client, manager, org, other_org):
    foreign = Unit.objects.create(organisation=other_org, name="X", slug="x")
    client.force_login(manager)
    answer = client.post(
        f"/en/culture/programme/{org.slug}/", {"action": "pilot_on", "unit": foreign.pk}
    )
    assert answer.status_code == 404
    foreign.refresh_from_db()
    assert not foreign.pilot


def test_the_wave_is_set_and_audited(client, manager, org):
    wave = Wave.objects.create(name="Golf 2022", slug="golf-2022", starts_on=date(2022, 1, 1))
    client.force_login(manager)
    answer = client.post(
        f"/en/culture/programme/{org.slug}/",
        {"action": "wave", "wave": wave.pk, "joined_on": "2022-03-01"},
    )
    assert answer.status_code == 302
    org.refresh_from_db()
    assert org.wave == wave and org.joined_on == date(2022, 3, 1)
    event = AuditEvent.objects.get(action="organisation.changed")
    assert event.new == {"wave": wave.pk, "joined_on": "2022-03-01"}


def test_programme_access(client, org, manager, nurse, outsider, coordinator, researcher):
    url = f"/en/culture/programme/{org.slug}/"
    ambassador = make_user("amb", "ambassador", org)
    for user, status in [
        (manager, 200),
        (ambassador, 200),
        (coordinator, 200),
        (nurse, 403),
        (researcher, 403),
        (outsider, 404),
    ]:
        client.force_login(user)
        assert client.get(url).status_code == status, user.username


def test_the_network_page_shows_every_organisation_to_the_coordinator_only(
    client, org, other_org, units, coordinator, manager, nurse
):
    story = shared(org, units[0])
    Touch.objects.create(story=story, user=nurse)
    old = shared(org, units[0])
    type(old).objects.filter(pk=old.pk).update(
        shared_at=timezone.now() - timezone.timedelta(days=200)
    )
    client.force_login(coordinator)
    page = client.get("/en/culture/network/")
    assert page.status_code == 200
    html = page.content.decode()
    assert org.name in html and other_org.name in html
    row = html.split(f'data-org="{org.slug}"')[1].split("</tr>")[0]
    # One story shared in the last three months (the other long ago), one touch.
    cells = [c.split(">", 1)[1].split("<")[0] for c in row.split("<td")[4:]]
    assert cells == ["1", "0", "1"]
    client.force_login(manager)
    assert client.get("/en/culture/network/").status_code == 403
    client.force_login(nurse)
    assert client.get("/en/culture/network/").status_code == 403


# --- story walls ---------------------------------------------------------------------------


def test_an_ambassador_makes_revokes_and_renews_a_wall_link(client, org, units):
    ambassador = make_user("amb", "ambassador", org)
    story = shared(org, units[0])
    client.force_login(ambassador)
    url = f"/en/culture/programme/{org.slug}/walls/"
    answer = client.post(url, {"action": "create", "unit": units[0].pk, "name": "Hall"})
    assert answer.status_code == 200
    html = answer.content.decode()
    wall_url = html.split('class="wall-url">')[1].split("<")[0]
    secret = wall_url.rstrip("/").rsplit("/", 1)[1]
    link = WallLink.objects.get()
    assert link.token_hash != secret and secret not in link.token_hash
    assert client.get(url).content.decode().count(secret) == 0  # shown only once

    client.logout()  # the wall needs no sign-in
    wall = client.get(f"/nl/culture/wall/{secret}/")
    assert wall.status_code == 200
    page = wall.content.decode()
    assert "Zuster [NAAM] bleef." in page and "Els" not in page
    assert org.name not in page and units[0].name not in page  # the text and month only
    assert "culture/wall.js" in page and "<script>" not in page
    assert wall["Referrer-Policy"] == "no-referrer"
    data = client.get(f"/nl/culture/wall/{secret}/stories.json").json()
    assert [s["id"] for s in data["stories"]] == [story.pk]
    assert set(data["stories"][0]) == {"id", "text", "lang", "month"}

    client.force_login(ambassador)
    client.post(url, {"action": "revoke", "link": link.pk})
    client.logout()
    assert client.get(f"/nl/culture/wall/{secret}/").status_code == 404
    assert client.get(f"/nl/culture/wall/{secret}/stories.json").status_code == 404

    client.force_login(ambassador)
    renewed = client.post(url, {"action": "renew", "link": link.pk}).content.decode()
    new_secret = renewed.split('class="wall-url">')[1].split("<")[0].rstrip("/").rsplit("/", 1)[1]
    assert new_secret != secret
    client.logout()
    assert client.get(f"/nl/culture/wall/{new_secret}/").status_code == 200
    assert client.get(f"/nl/culture/wall/{secret}/").status_code == 404
    actions = list(
        AuditEvent.objects.filter(target_type="walllink").values_list("action", flat=True)
    )
    assert sorted(actions) == ["wall_link.created", "wall_link.renewed", "wall_link.revoked"]


def test_an_organisation_wall_shows_only_that_organisations_shared_stories(
    org, other_org, units, manager
):
    mine = shared(org, units[0])
    foreign_unit = Unit.objects.create(organisation=other_org, name="X", slug="x")
    shared(other_org, foreign_unit)
    make_story(org, unit=units[1])  # not shared
    with transaction.atomic():
        link, secret = walls.create(manager, org)
    assert [s.pk for s in walls.stories(link)] == [mine.pk]
    assert walls.link_for_secret(secret) == link


def test_wall_links_are_for_managers_and_ambassadors(client, org, nurse, outsider):
    url = f"/en/culture/programme/{org.slug}/walls/"
    client.force_login(nurse)
    assert client.get(url).status_code == 403
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_an_unknown_wall_link_is_404(client, db):
    assert client.get("/nl/culture/wall/not-a-secret/").status_code == 404


# --- reflections ---------------------------------------------------------------------------


def model_codes():
    return {c.key: c for c in Code.objects.filter(codebook__slug="mangomoment-model")}


def test_the_reflection_form_groups_the_model_by_level(client, org, units, nurse):
    story = shared(org, units[0])
    client.force_login(nurse)
    html = client.get(f"/en/culture/stories/{story.pk}/reflect/").content.decode()
    levels = [part.split('"')[0] for part in html.split('data-level="')[1:]]
    assert levels == ["patient_level", "professional_level", "leadership_level"]
    assert "Impact on patients" not in html  # only preconditions and catalysts


def test_a_team_records_a_reflection_and_the_programme_counts_its_codes(
    client, org, units, nurse, manager
):
    story = shared(org, units[0])
    codes = model_codes()
    client.force_login(nurse)
    answer = client.post(
        f"/en/culture/stories/{story.pk}/reflect/",
        {
            "unit": units[0].pk,
            "what_happened": "Ze bleef bij de patiënt.",
            "made_possible": "Rust op de afdeling.",
            "codes": [codes["professional_level"].pk, codes["leadership_level"].pk],
            "action_idea": "Vijf minuten per dienst.",
        },
    )
    assert answer.status_code == 302
    reflection = Reflection.objects.get()
    assert reflection.unit == units[0] and reflection.created_by == nurse
    assert {c.key for c in reflection.codes.all()} == {"professional_level", "leadership_level"}
    event = AuditEvent.objects.get(action="reflection.recorded")
    assert "Rust" not in str(event.new)  # no text in the trail
    # A second team's reflection names the professional level again.
    client.force_login(manager)
    client.post(
        f"/en/culture/stories/{story.pk}/reflect/",
        {
            "unit": units[1].pk,
            "what_happened": "x",
            "made_possible": "y",
            "codes": [codes["professional_level"].pk],
        },
    )
    html = client.get(f"/en/culture/programme/{org.slug}/").content.decode()
    table = html.split('data-testid="named-codes"')[1].split("</table>")[0]
    assert table.index("Professional level") < table.index("Leadership level")
    assert "<td>2</td>" in table


def test_a_team_member_reflects_only_for_their_own_team(client, org, units, nurse):
    story = shared(org, units[0])
    client.force_login(nurse)
    answer = client.post(
        f"/en/culture/stories/{story.pk}/reflect/",
        {"unit": units[1].pk, "what_happened": "x", "made_possible": "y"},
    )
    assert answer.status_code == 400
    assert not Reflection.objects.exists()


def test_codes_outside_the_model_preconditions_are_refused(client, org, units, nurse):
    story = shared(org, units[0])
    client.force_login(nurse)
    answer = client.post(
        f"/en/culture/stories/{story.pk}/reflect/",
        {
            "unit": units[0].pk,
            "what_happened": "x",
            "made_possible": "y",
            "codes": [model_codes()["impact_patients"].pk],
        },
    )
    assert answer.status_code == 400
    assert not Reflection.objects.exists()


def test_researchers_export_reflections_without_story_text(client, org, units, nurse, researcher):
    story = shared(org, units[0])
    client.force_login(nurse)
    client.post(
        f"/en/culture/stories/{story.pk}/reflect/",
        {
            "unit": units[0].pk,
            "what_happened": "=HYPERLINK(1)",
            "made_possible": "Rust.",
            "codes": [model_codes()["patient_level"].pk],
        },
    )
    assert client.get("/en/culture/reflections.csv").status_code == 403
    client.force_login(researcher)
    answer = client.get("/en/culture/reflections.csv")
    assert answer.status_code == 200
    rows = list(csv.DictReader(io.StringIO(answer.content.decode())))
    assert len(rows) == 1
    row = rows[0]
    assert row["story_id"] == str(story.pk) and row["unit"] == "Oncologie"
    assert row["codes"] == "patient_level" and row["what_happened"] == "'=HYPERLINK(1)"
    assert "[NAAM]" not in answer.content.decode() and "Els" not in answer.content.decode()
    assert AuditEvent.objects.filter(action="data.exported").exists()


def test_the_export_leaves_out_stories_without_research_consent(
    client, org, units, nurse, researcher
):
    story = shared(org, units[0])
    type(story).objects.filter(pk=story.pk).update(consent_research=False)
    client.force_login(nurse)
    client.post(
        f"/en/culture/stories/{story.pk}/reflect/",
        {"unit": units[0].pk, "what_happened": "x", "made_possible": "y"},
    )
    assert Reflection.objects.count() == 1
    client.force_login(researcher)
    rows = list(csv.reader(io.StringIO(client.get("/en/culture/reflections.csv").content.decode())))
    assert len(rows) == 1  # the header only


# --- poster --------------------------------------------------------------------------------


@pytest.mark.parametrize("size", ["a4", "a3"])
def test_the_story_of_the_month_poster_is_a_pdf(client, org, units, manager, size):
    story = shared(org, units[0])
    client.force_login(manager)
    answer = client.get(f"/nl/culture/stories/{story.pk}/poster-{size}-fr.pdf")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF")
    from tests.test_posters import pdf_pages, pdf_text

    [box] = pdf_pages(answer.content)
    assert round(box[2] / 72 * 25.4) == {"a4": 210, "a3": 297}[size]
    text = pdf_text(answer.content)
    assert "[NAAM]" in text and "Els" not in text
    assert "Histoire du mois" in text


def test_the_poster_is_for_managers_and_shared_stories_only(client, org, units, nurse, manager):
    story = shared(org, units[0])
    client.force_login(nurse)
    assert client.get(f"/en/culture/stories/{story.pk}/poster-a4-en.pdf").status_code == 403
    client.force_login(manager)
    assert client.get(f"/en/culture/stories/{story.pk}/poster-a5-en.pdf").status_code == 404
    pending = make_story(org)
    assert client.get(f"/en/culture/stories/{pending.pk}/poster-a4-en.pdf").status_code == 404
