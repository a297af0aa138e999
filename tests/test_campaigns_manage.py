"""Campaigns managed in Mango instead of the Django admin: an organisation's managers create,
edit and close their own organisation's campaigns; network-wide administrators and researchers
any campaign, network-wide ones too; every change audited; others get 403 or 404."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from mango.audit.models import AuditEvent
from mango.organisations.models import Campaign
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(name, language="nl", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def form(**fields) -> dict:
    data = {
        "name": "Zomer 2027",
        "slug": "",
        "description": "Vertel over de zomer.",
        "opens_on": "2027-06-01",
        "closes_on": "2027-08-31",
    }
    return {**data, **fields}


def own_campaign(org, **fields) -> Campaign:
    fields = {
        "name": "Eigen",
        "slug": "eigen",
        "opens_on": TODAY - datetime.timedelta(days=10),
    } | fields
    campaign = Campaign.objects.create(**fields)
    campaign.organisations.set([org])
    return campaign


def test_a_manager_creates_a_campaign_for_their_organisation_audited(org):
    els = make_user("els", "manager", org)
    response = client_for(els).post(url("campaigns:new"), form(organisations=[org.pk]))
    assert response.status_code == 302
    campaign = Campaign.objects.get(name="Zomer 2027")
    assert campaign.slug == "zomer-2027"  # made from the name
    assert list(campaign.organisations.all()) == [org]
    assert not campaign.network_wide
    event = AuditEvent.objects.get(action="campaign.created")
    assert event.actor == els and event.organisation == org
    assert event.target_type == "campaign" and event.target_id == str(campaign.pk)
    assert event.new["opens_on"] == "2027-06-01" and event.new["organisations"] == [org.pk]
    assert "description" not in event.new  # free text stays out of the trail


def test_the_list_offers_new_and_edit_to_the_manager_only_for_their_own(org, other_org):
    els = make_user("els", "manager", org)
    mine = own_campaign(org)
    shared = Campaign.objects.create(name="Gedeeld", slug="gedeeld", opens_on=TODAY)
    shared.organisations.set([org, other_org])
    page = client_for(els).get(url("campaigns:list")).content.decode()
    assert url("campaigns:new") in page
    assert url("campaigns:edit", pk=mine.pk) in page
    assert url("campaigns:edit", pk=shared.pk) not in page
    member_page = client_for(make_user("nele", "team_member", org)).get(url("campaigns:list"))
    assert url("campaigns:new") not in member_page.content.decode()


def test_closing_before_opening_is_refused_with_a_clear_message(org):
    els = make_user("els", "manager", org)
    response = client_for(els).post(
        url("campaigns:new"), form(organisations=[org.pk], closes_on="2027-05-01")
    )
    assert response.status_code == 200
    assert "De campagne kan niet sluiten voordat ze opent." in response.content.decode()
    assert not Campaign.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="campaign.").exists()


def test_a_campaign_needs_an_organisation_unless_network_wide(org):
    els = make_user("els", "manager", org)
    response = client_for(els).post(url("campaigns:new"), form())
    assert response.status_code == 200
    assert not Campaign.objects.exists()
    with translation.override("en"):
        response = client_for(els).post(url("campaigns:new", "en"), form())
    assert "Choose at least one organisation" in response.content.decode()


def test_a_taken_short_link_is_refused(org):
    own_campaign(org, slug="zomer")
    els = make_user("els", "manager", org)
    response = client_for(els).post(
        url("campaigns:new"), form(organisations=[org.pk], slug="zomer")
    )
    assert response.status_code == 200
    assert Campaign.objects.count() == 1


def test_a_manager_cannot_make_a_campaign_for_another_organisation_or_network_wide(org, other_org):
    els = make_user("els", "manager", org)
    client = client_for(els)
    response = client.post(url("campaigns:new"), form(organisations=[other_org.pk]))
    assert response.status_code == 200  # not offered: the form says so
    response = client.post(url("campaigns:new"), form(organisations=[org.pk], network_wide="on"))
    assert response.status_code == 302
    assert not Campaign.objects.get().network_wide  # the field is not theirs to set
    assert not Campaign.objects.filter(organisations=other_org).exists()


def test_a_manager_of_another_organisation_gets_404_and_changes_nothing(org, other_org):
    campaign = own_campaign(org)
    outsider = client_for(make_user("otto", "manager", other_org))
    assert outsider.get(url("campaigns:edit", pk=campaign.pk)).status_code == 404
    response = outsider.post(url("campaigns:edit", pk=campaign.pk), {"action": "close"})
    assert response.status_code == 404
    response = outsider.post(
        url("campaigns:edit", pk=campaign.pk), form(organisations=[other_org.pk])
    )
    assert response.status_code == 404
    campaign.refresh_from_db()
    assert campaign.name == "Eigen" and campaign.closes_on is None
    assert not AuditEvent.objects.filter(action__startswith="campaign.").exists()


@pytest.mark.parametrize("role", ["team_member", "ambassador", None])
def test_who_runs_no_campaigns_gets_403(org, role):
    campaign = own_campaign(org)
    client = client_for(make_user("someone", role, org if role else None))
    assert client.get(url("campaigns:new")).status_code == 403
    assert client.get(url("campaigns:edit", pk=campaign.pk)).status_code == 403


def test_editing_is_audited_with_what_changed(org):
    els = make_user("els", "manager", org)
    campaign = own_campaign(org, description="Oud")
    response = client_for(els).post(
        url("campaigns:edit", pk=campaign.pk),
        form(
            name="Eigen",
            slug="eigen",
            description="Nieuw",
            opens_on=campaign.opens_on.isoformat(),
            closes_on="",
            organisations=[org.pk],
        ),
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.description == "Nieuw"
    event = AuditEvent.objects.get(action="campaign.changed")
    assert event.old == {"description": True} and event.new == {"description": True}
    assert "Oud" not in str(event.old) and "Nieuw" not in str(event.new)


def test_closing_early_stops_taking_stories_today_audited(org):
    els = make_user("els", "manager", org)
    campaign = own_campaign(org)
    assert campaign.is_open(TODAY)
    client = client_for(els)
    response = client.post(url("campaigns:edit", pk=campaign.pk), {"action": "close"})
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert not campaign.is_open(TODAY)
    assert campaign.closes_on == TODAY - datetime.timedelta(days=1)
    event = AuditEvent.objects.get(action="campaign.closed")
    assert event.old == {"closes_on": None}
    assert event.new == {"closes_on": campaign.closes_on.isoformat()}
    assert event.organisation == org
    # Closing again is refused with a message and audits nothing more.
    client.post(url("campaigns:edit", pk=campaign.pk), {"action": "close"})
    assert AuditEvent.objects.filter(action="campaign.closed").count() == 1


def test_a_network_researcher_creates_a_network_wide_campaign(org, other_org):
    rik = make_user("rik", "researcher", None)
    response = client_for(rik).post(url("campaigns:new"), form(network_wide="on"))
    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.network_wide
    event = AuditEvent.objects.get(action="campaign.created")
    assert event.organisation is None and event.new["network_wide"] is True
    # An organisation's manager may not edit it.
    els = make_user("els", "manager", org)
    assert client_for(els).get(url("campaigns:edit", pk=campaign.pk)).status_code == 404


def test_an_organisation_researcher_does_not_run_network_campaigns(org):
    rik = make_user("rik", "researcher", org)
    assert client_for(rik).get(url("campaigns:new")).status_code == 403


def test_the_audit_trail_reads_campaign_events_as_sentences(org):
    els = make_user("els", "manager", org)
    client = client_for(els)
    client.post(url("campaigns:new"), form(organisations=[org.pk]))
    campaign = Campaign.objects.get()
    client.post(url("campaigns:edit", pk=campaign.pk), {"action": "close"})
    trail = client.get(url("staff:audit")).content.decode()
    assert "een campagne aangemaakt" in trail.lower() or "campagne" in trail.lower()
    assert "{&#x27;" not in trail and "{'" not in trail
    assert url("campaigns:edit", pk=campaign.pk) in trail


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_the_form_opens_in_each_language(org, language):
    els = make_user("els", "manager", org)
    campaign = own_campaign(org)
    client = client_for(els)
    assert client.get(url("campaigns:new", language)).status_code == 200
    assert client.get(url("campaigns:edit", language, pk=campaign.pk)).status_code == 200
