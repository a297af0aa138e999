"""The people pages: who may invite and change roles (an organisation's managers, for their
organisation only), each change audited; the landing page per role; password reset by mail."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import translation

from mango.accounts.models import Membership
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
        return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize(
    ("role", "organisation", "page"),
    [
        ("researcher", None, "staff:stories"),
        ("manager", "org", "staff:moderation"),
        ("ambassador", "org", "staff:moderation"),
        ("team_member", "org", "staff:shared"),
    ],
)
def test_each_role_lands_on_its_own_page_and_it_opens(org, role, organisation, page):
    user = make_user("someone", role, org if organisation else None)
    client = client_for(user)
    response = client.get(url("landing"))
    assert response.status_code == 302
    assert response["Location"] == url(page)
    assert client.get(response["Location"]).status_code == 200  # never 403 after sign-in


def test_signing_in_goes_to_the_landing_page(org):
    make_user("nele", "team_member", org)
    response = Client().post(url("login"), {"username": "nele", "password": "pw-for-tests"})
    assert response["Location"] == url("landing")


def test_only_managers_open_the_people_page(org, other_org):
    for user in (make_user("nele", "team_member", org), make_user("rik", "researcher", None)):
        assert client_for(user).get(url("people")).status_code == 403
    assert client_for(make_user("els", "manager", org)).get(url("people")).status_code == 200


def test_a_manager_sees_and_changes_only_their_organisations_people(org, other_org):
    els = make_user("els", "manager", org)
    stranger = make_user("stranger", "team_member", other_org, first_name="Verborgen")
    client = client_for(els)
    assert "Verborgen" not in client.get(url("people")).content.decode()
    assert client.get(url("person", pk=stranger.pk)).status_code == 404
    response = client.post(url("person", pk=stranger.pk), {"action": "deactivate"})
    assert response.status_code == 404
    stranger.refresh_from_db()
    assert stranger.is_active


def test_a_manager_cannot_give_a_role_in_another_organisation(org, other_org):
    els = make_user("els", "manager", org)
    jan = make_user("jan", "team_member", org)
    foreign_unit = Unit.objects.create(organisation=other_org, name="Elders", slug="elders")
    response = client_for(els).post(
        url("person", pk=jan.pk),
        {
            "action": "give",
            "organisation": other_org.pk,
            "role": "manager",
            "unit": foreign_unit.pk,
        },
    )
    assert response.status_code == 200  # the form again, with the error
    assert not Membership.objects.filter(user=jan, organisation=other_org).exists()


def test_giving_and_taking_a_role_is_audited_without_personal_data(org):
    els = make_user("els", "manager", org)
    jan = make_user("jan", "team_member", org)
    unit = Unit.objects.create(organisation=org, name="Geriatrie", slug="geri")
    client = client_for(els)
    client.post(
        url("person", pk=jan.pk),
        {"action": "give", "organisation": org.pk, "role": "ambassador", "unit": unit.pk},
    )
    given = Membership.objects.get(user=jan, role="ambassador")
    assert given.unit == unit
    client.post(url("person", pk=jan.pk), {"action": "take", "membership": given.pk})
    assert not Membership.objects.filter(pk=given.pk).exists()
    events = list(AuditEvent.objects.filter(action="membership.changed").order_by("pk"))
    assert [(e.old, e.new) for e in events] == [
        ({}, {"role": "ambassador", "unit": unit.pk}),
        ({"role": "ambassador", "unit": unit.pk}, {}),
    ]
    assert all(e.organisation == org and e.target_id == str(jan.pk) for e in events)
    trail = client.get(url("staff:audit")).content.decode()
    assert "gave jan the role" in trail or "jan" in trail
    assert "{&#x27;role" not in trail and "{'role" not in trail


def test_a_manager_cannot_take_their_own_manager_role_or_deactivate_themselves(org):
    els = make_user("els", "manager", org)
    client = client_for(els)
    own = els.memberships.get()
    client.post(url("person", pk=els.pk), {"action": "take", "membership": own.pk})
    assert Membership.objects.filter(pk=own.pk).exists()
    client.post(url("person", pk=els.pk), {"action": "deactivate"})
    els.refresh_from_db()
    assert els.is_active


def test_an_invitation_to_an_address_in_use_is_refused_with_a_clear_message(org, smtp_server):
    els = make_user("els", "manager", org)
    make_user("jan", "team_member", org, email="jan@example.org")
    response = client_for(els).post(
        url("people"),
        {
            "email": "JAN@example.org",
            "first_name": "Jan",
            "organisation": org.pk,
            "role": "ambassador",
        },
    )
    with translation.override("nl"):
        refused = translation.gettext(
            "Someone with this e-mail address already has an account: give them a role instead."
        )
    assert refused in response.content.decode()
    assert smtp_server.messages == []


def test_a_team_member_invitation_needs_a_unit(org, smtp_server):
    els = make_user("els", "manager", org)
    response = client_for(els).post(
        url("people"),
        {
            "email": "nieuw@example.org",
            "first_name": "Nieuw",
            "organisation": org.pk,
            "role": "team_member",
        },
    )
    assert response.status_code == 200
    assert not get_user_model().objects.filter(email="nieuw@example.org").exists()
    assert smtp_server.messages == []


def test_a_user_resets_their_password_by_mail_in_their_language(org, smtp_server):
    make_user("jan", "team_member", org, email="jan@example.org", first_name="Jan")
    with translation.override("fr"):
        reset = reverse("password_reset")
    response = Client().post(reset, {"email": "jan@example.org"})
    assert response.status_code == 302
    [message] = smtp_server.to("jan@example.org")
    text = smtp_server.text(message)
    link = re.search(r"http://\S+/fr/accounts/password/set/\S+/", text).group(0)
    path = link.split("testserver", 1)[1]
    client = Client()
    form = client.get(path, follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "mango-winter-2026!", "new_password2": "mango-winter-2026!"},
    )
    assert done["Location"] == "/fr/accounts/home/"
    assert AuditEvent.objects.filter(action="account.password_set").count() == 1
    assert Client().login(username="jan", password="mango-winter-2026!")


def test_no_mail_for_an_unknown_address(smtp_server, db):
    with translation.override("nl"):
        response = Client().post(reverse("password_reset"), {"email": "niemand@example.org"})
    assert response.status_code == 302
    assert smtp_server.messages == []


def test_an_account_without_a_role_is_told_so_not_refused(db):
    response = client_for(make_user("loner")).get(url("landing"))
    assert response.status_code == 200
    with translation.override("nl"):
        from django.utils.translation import gettext

        assert gettext("Your account has no role yet") in response.content.decode()


def test_a_manager_adds_and_renames_a_unit_of_their_organisation_only(org, other_org):
    els = make_user("els", "manager", org)
    client = client_for(els)
    client.post(
        url("units"), {"organisation": org.pk, "name": "Dagziekenhuis", "oncological": "on"}
    )
    unit = Unit.objects.get(name="Dagziekenhuis")
    assert unit.organisation == org and unit.oncological and unit.short_code
    assert unit.short_path() in client.get(url("units")).content.decode()
    client.post(url("units"), {"unit": unit.pk, "name": "Dagziekenhuis oncologie"})
    unit.refresh_from_db()
    assert (unit.name, unit.oncological) == ("Dagziekenhuis oncologie", False)
    foreign = Unit.objects.create(organisation=other_org, name="Elders", slug="elders")
    assert client.post(url("units"), {"unit": foreign.pk, "name": "Weg"}).status_code == 404
    client.post(url("units"), {"organisation": other_org.pk, "name": "Niet van mij"})
    assert not Unit.objects.filter(name="Niet van mij").exists()
    assert AuditEvent.objects.filter(action="organisation.changed", organisation=org).count() == 2
