"""Ambassadors manage people where their organisation allows it (issue 13, point 5): the
organisation's managers decide on the people page, audited; an allowed ambassador invites
colleagues, gives and takes the roles ambassador and team member, and manages units, but
never gives the manager role, deactivates an account or changes the choice itself."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from mango.accounts.models import Membership, OrganisationPolicy
from mango.audit.models import AuditEvent
from mango.organisations.models import Unit
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(name, **kwargs) -> str:
    with translation.override("nl"):
        return reverse(name, kwargs=kwargs or None)


def allow(client, organisation, value=True):
    data = {"action": "policy", "organisation": organisation.pk}
    if value:
        data["ambassadors_manage_people"] = "1"
    return client.post(url("people"), data)


def test_by_default_an_ambassador_does_not_manage_people(org):
    ann = make_user("ann", "ambassador", org)
    client = client_for(ann)
    assert client.get(url("people")).status_code == 403
    assert client.get(url("units")).status_code == 403


def test_a_manager_allows_ambassadors_audited_and_the_ambassador_gets_in(org):
    els = make_user("els", "manager", org)
    ann = make_user("ann", "ambassador", org)
    page = client_for(els).get(url("people")).content.decode()
    assert 'name="ambassadors_manage_people"' in page
    assert allow(client_for(els), org).status_code == 302
    assert OrganisationPolicy.objects.get(organisation=org).ambassadors_manage_people
    event = AuditEvent.objects.get(action="organisation.changed")
    assert event.actor == els and event.organisation == org
    assert (event.old, event.new) == (
        {"ambassadors_manage_people": False},
        {"ambassadors_manage_people": True},
    )
    client = client_for(ann)
    people = client.get(url("people"))
    assert people.status_code == 200
    assert 'name="ambassadors_manage_people"' not in people.content.decode()  # managers decide
    assert 'value="manager"' not in people.content.decode()  # not offered to an ambassador
    assert client.get(url("units")).status_code == 200
    # Taking it back is audited as well, and closes the pages again.
    allow(client_for(els), org, value=False)
    assert AuditEvent.objects.filter(action="organisation.changed").count() == 2
    assert client.get(url("people")).status_code == 403


def test_saving_the_same_choice_again_audits_nothing(org):
    els = make_user("els", "manager", org)
    allow(client_for(els), org, value=False)
    assert not AuditEvent.objects.filter(action="organisation.changed").exists()


def test_an_allowed_ambassador_invites_a_team_member_but_not_a_manager(org, smtp_server):
    OrganisationPolicy.objects.create(organisation=org, ambassadors_manage_people=True)
    ann = make_user("ann", "ambassador", org)
    unit = Unit.objects.create(organisation=org, name="Geriatrie", slug="geri")
    client = client_for(ann)
    invite = {"first_name": "Nele", "organisation": org.pk, "unit": unit.pk}
    response = client.post(
        url("people"), {**invite, "email": "nele@example.org", "role": "manager"}
    )
    assert response.status_code == 200
    assert not Membership.objects.filter(role="manager", user__email="nele@example.org").exists()
    response = client.post(
        url("people"), {**invite, "email": "nele@example.org", "role": "team_member"}
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user__email="nele@example.org", role="team_member").exists()
    assert smtp_server.to("nele@example.org")
    event = AuditEvent.objects.get(action="account.invited")
    assert event.actor == ann


def test_an_allowed_ambassador_cannot_take_a_manager_role_or_deactivate(org):
    OrganisationPolicy.objects.create(organisation=org, ambassadors_manage_people=True)
    ann = make_user("ann", "ambassador", org)
    els = make_user("els", "manager", org)
    jan = make_user("jan", "team_member", org)
    client = client_for(ann)
    response = client.post(
        url("person", pk=els.pk), {"action": "take", "membership": els.memberships.get().pk}
    )
    assert response.status_code == 200
    assert "leidinggevende" in response.content.decode()  # says why
    assert Membership.objects.filter(user=els, role="manager").exists()
    response = client.post(url("person", pk=jan.pk), {"action": "deactivate"})
    assert response.status_code == 200
    jan.refresh_from_db()
    assert jan.is_active
    # Nor may they change the choice itself.
    response = allow(client, org, value=False)
    assert response.status_code == 404
    assert OrganisationPolicy.objects.get(organisation=org).ambassadors_manage_people


def test_an_allowed_ambassador_adds_a_unit_audited(org):
    OrganisationPolicy.objects.create(organisation=org, ambassadors_manage_people=True)
    ann = make_user("ann", "ambassador", org)
    response = client_for(ann).post(url("units"), {"organisation": org.pk, "name": "Spoed"})
    assert response.status_code == 302
    unit = Unit.objects.get(name="Spoed")
    event = AuditEvent.objects.get(action="organisation.changed", target_type="unit")
    assert event.actor == ann and event.new["unit_added"] == unit.pk


def test_the_choice_is_scoped_to_the_managers_organisation(org, other_org):
    els = make_user("els", "manager", org)
    ann = make_user("ann", "ambassador", other_org)
    assert allow(client_for(els), other_org).status_code == 404
    assert not OrganisationPolicy.objects.filter(organisation=other_org).exists()
    assert client_for(ann).get(url("people")).status_code == 403
    assert (
        client_for(els).post(url("people"), {"action": "policy", "organisation": "x"}).status_code
        == 404
    )


def test_another_organisations_policy_does_not_open_the_pages(org, other_org):
    OrganisationPolicy.objects.create(organisation=other_org, ambassadors_manage_people=True)
    ann = make_user("ann", "ambassador", org)
    stranger = make_user("stranger", "team_member", other_org)
    client = client_for(ann)
    assert client.get(url("people")).status_code == 403
    assert client.get(url("person", pk=stranger.pk)).status_code == 403


def test_an_ambassador_in_two_organisations_sees_only_the_allowing_ones_people(org, other_org):
    OrganisationPolicy.objects.create(organisation=org, ambassadors_manage_people=True)
    ann = make_user("ann", "ambassador", org)
    Membership.objects.create(user=ann, organisation=other_org, role="ambassador")
    stranger = make_user("stranger", "team_member", other_org, first_name="Verborgen")
    client = client_for(ann)
    assert "Verborgen" not in client.get(url("people")).content.decode()
    assert client.get(url("person", pk=stranger.pk)).status_code == 404
