"""The learning network: the RE-AIM dashboard (names only with consent), inspiration modules
and which teams used them, reflection sessions with progress and peer review."""

from datetime import timedelta

import pytest
from django.urls import reverse as _reverse
from django.utils import timezone, translation

from mango.audit.models import AuditEvent
from mango.organisations.models import Organisation, Unit
from mango.pulse import actions, network, shipped
from mango.pulse.models import (
    InspirationModule,
    Instrument,
    Item,
    ModuleFile,
    PulseSettings,
    ReflectionSession,
    SessionProgress,
)
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def reverse(name, args=()):
    with translation.override("en"):
        return _reverse(name, args=args)


@pytest.fixture
def network_orgs(org, other_org):
    third = Organisation.objects.create(name="Revalidatie Zuid", slug="rz", kind="rehabilitation")
    units = {}
    for organisation, n in ((org, 4), (other_org, 3), (third, 5)):
        units[organisation.pk] = [
            Unit.objects.create(organisation=organisation, name=f"T{i}", slug=f"t{i}", pilot=i < 3)
            for i in range(n)
        ]
    return org, other_org, third, units


def test_figures_per_organisation_and_the_median(network_orgs):
    org, other_org, third, units = network_orgs
    ambassador = make_user("amb", "ambassador", org)
    module = InspirationModule.objects.create(slug="m1", titles={"en": "Listening"})
    today = timezone.localdate()
    actions.record_action(
        ambassador,
        units[org.pk][3],
        title="Module",
        date=today - timedelta(days=10),
        kind="module",
        pdsa_stage="do",
        module=module,
    )
    actions.record_action(
        ambassador,
        units[org.pk][0],
        title="Old",
        date=today - timedelta(days=150),
        kind="workshop",
        pdsa_stage="act",
    )
    rows = {r.organisation_id: r.figures for r in network.figures(today)}
    assert rows[org.pk]["pilot_teams"] == 3 and rows[third.pk]["pilot_teams"] == 3
    assert rows[org.pk]["actions"] == 2 and rows[org.pk]["modules"] == 1
    assert rows[org.pk]["teams_active"] == 1  # only the recent action's team
    assert rows[org.pk]["teams_beyond"] == 1  # T3 is not a pilot team
    assert rows[org.pk]["active_3m"] == 1 and rows[org.pk]["active_6m"] == 2
    medians = network.medians(network.figures(today))
    assert medians["actions"] == 0 and medians["pilot_teams"] == 3


def test_an_organisation_sees_its_own_figures_and_only_the_names_that_agreed(client, network_orgs):
    org, other_org, third, _units = network_orgs
    PulseSettings.objects.create(organisation=third, named_in_network=True)
    manager = make_user("boss", "manager", org)
    client.force_login(manager)
    html = client.get(reverse("pulse:network")).content.decode()
    assert org.name in html and third.name in html
    assert other_org.name not in html
    assert "Network median" in html
    coordinator = make_user("coord", "network_coordinator")
    client.force_login(coordinator)
    html = client.get(reverse("pulse:network")).content.decode()
    assert other_org.name in html and org.name in html


def test_the_coordinator_keeps_modules_and_teams_record_their_use(client, network_orgs):
    org, _other, _third, units = network_orgs
    coordinator = make_user("coord", "network_coordinator")
    client.force_login(coordinator)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("pulse:module_new"),
        {
            "slug": "luisteren",
            "title_nl": "Luisteren",
            "title_fr": "Écouter",
            "title_en": "Listening",
            "introduction_nl": "Waarom luisteren.",
            "assignments_nl": "Opdracht 1",
            "note_nl": "Gebruik in een teamoverleg.",
            "file": SimpleUploadedFile("kaart.pdf", b"%PDF-1.4 test", "application/pdf"),
            "file_visual": "on",
        },
    )
    assert response.status_code == 302
    module = InspirationModule.objects.get(slug="luisteren")
    stored = ModuleFile.objects.get()
    assert module.titles["fr"] == "Écouter" and stored.visual
    download = client.get(reverse("pulse:module_file", args=[stored.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == b"%PDF-1.4 test"
    refused = client.post(
        reverse("pulse:module_edit", args=["luisteren"]),
        {
            "slug": "luisteren",
            "title_nl": "Luisteren",
            "file": SimpleUploadedFile("x.html", b"<script>", "text/html"),
        },
    )
    assert refused.status_code == 200 and ModuleFile.objects.count() == 1
    stored.file.delete(save=False)
    ambassador = make_user("amb", "ambassador", org)
    actions.record_action(
        ambassador,
        units[org.pk][0],
        title="Met de module",
        date=timezone.localdate(),
        kind="module",
        pdsa_stage="plan",
        module=module,
    )
    client.force_login(ambassador)
    html = client.get(reverse("pulse:modules")).content.decode()
    assert "Listening" in html and f"{org.name} – T0" in html
    assert client.get(reverse("pulse:module_new")).status_code == 403


def test_reflection_sessions_with_progress_and_peer_review(client, network_orgs):
    org, other_org, _third, _units = network_orgs
    coordinator = make_user("coord", "network_coordinator")
    client.force_login(coordinator)
    response = client.post(reverse("pulse:session_new"), {"date": "2026-03-10", "title": "Ronde 4"})
    session = ReflectionSession.objects.get()
    assert response.status_code == 302
    client.post(
        reverse("pulse:session", args=[session.pk]),
        {
            "p-organisation": org.pk,
            "p-attended": "2",
            "p-progress": "4",
            "p-self_assessment": "Drie teams doen mee.",
            "p-peer_review": "Mooi tempo.",
        },
    )
    client.post(
        reverse("pulse:session", args=[session.pk]),
        {"p-organisation": other_org.pk, "p-attended": "1", "p-progress": "9"},
    )
    row = SessionProgress.objects.get()
    assert row.progress == 4 and row.peer_review == "Mooi tempo."
    assert AuditEvent.objects.filter(note="reflection session progress").count() == 1
    # Another organisation's manager sees the session but not this organisation's notes.
    outsider = make_user("other", "manager", other_org)
    client.force_login(outsider)
    html = client.get(reverse("pulse:sessions")).content.decode()
    assert "Ronde 4" in html and "Mooi tempo." not in html


def test_the_network_charts_page_works_for_the_coordinator(client, network_orgs):
    shipped.load(Instrument, Item)
    client.force_login(make_user("coord", "network_coordinator"))
    assert client.get(reverse("pulse:network_charts")).status_code == 200
