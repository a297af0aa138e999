"""The account pages (landing, people, person, units, password reset), asked by each kind of
user, built from the app's URL configuration: a new route fails here until someone decides how
to build its arguments and what each user gets.

The organisation ("org") has a manager, a colleague whose name and address carry canaries, and a
unit with a canary name; a "shared" colleague works in both org and the other organisation.
Following ``mango.accounts.people``: only an organisation's managers (and administrators) open
the people and units pages (403 for everyone else signed in: no role, a team member, a network
researcher, an ambassador where the organisation did not allow it); another organisation's
manager opens their own pages, sees nothing of org's, gets 404 for a person who is not in their
organisations, and every change they try on org's people or units is refused and changes
nothing (checked in the database). Password reset pages are public and say nothing about whom
an address belongs to.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.core import mail as outbox
from django.test import Client
from django.urls import reverse
from django.utils import translation

from mango.accounts.models import Membership
from mango.accounts.urls import urlpatterns
from mango.audit.models import AuditEvent
from mango.organisations.models import Unit
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

LOGIN = "302 to the sign-in page"
# The refused first, the organisation's own manager and an administrator last.
USERS = (
    "anonymous",
    "loner",  # signed in, no role anywhere
    "team_member",  # of org
    "ambassador",  # of org, which does not let ambassadors manage people
    "researcher",  # network-wide
    "other_manager",  # manager of the other organisation
    "manager",  # org's manager
    "admin",
)
OWNERS = {"manager", "admin"}


def expect(anonymous, loner, team_member, ambassador, researcher, other_manager, manager, admin):
    values = (anonymous, loner, team_member, ambassador, researcher, other_manager, manager, admin)
    return dict(zip(USERS, values, strict=True))


def everyone(status):
    return dict.fromkeys(USERS, status)


# The people and units pages: managers of some organisation, each sees their own.
MANAGERS_PAGE = expect(LOGIN, 403, 403, 403, 403, 200, 200, 200)
# A person of org (not of the other organisation).
ORG_PERSON = expect(LOGIN, 403, 403, 403, 403, 404, 200, 200)


@dataclass
class Variant:
    label: str
    path: str
    expect: dict
    method: str = "GET"
    data: dict = field(default_factory=dict)
    # Users answered 200 (a form with its error) whose request must still change nothing.
    unchanged: tuple = ()


@dataclass
class World:
    org: object
    other_org: object
    unit: Unit
    colleague: object  # of org only
    shared: object  # of org and the other organisation
    users: dict
    marks: dict

    def forbidden(self, who: str) -> list[str]:
        if who in OWNERS:
            return []
        m = self.marks
        secrets = [m["colleague_name"], m["colleague_email"], m["unit"]]
        if who == "team_member" or who == "ambassador":
            return secrets  # their own organisation's name is theirs to see
        return [*secrets, m["org"]]


def canary(label: str) -> str:
    return f"ACCOUNTS-{label}-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def world(org, other_org):
    marks = {
        "org": canary("ORG"),
        "colleague_name": canary("NAME"),
        "colleague_email": f"{canary('MAIL').lower()}@example.org",
        "unit": canary("UNIT"),
    }
    org.name = marks["org"]
    org.save()
    unit = Unit.objects.create(organisation=org, name=marks["unit"], slug="secret-unit")
    # As invited colleagues are: their address is their username.
    colleague = make_user(
        marks["colleague_email"],
        "team_member",
        org,
        first_name=marks["colleague_name"],
        email=marks["colleague_email"],
    )
    shared = make_user("shared", "team_member", org, first_name="Shared")
    Membership.objects.create(user=shared, organisation=other_org, role="team_member")
    far_colleague = make_user("far-colleague", "team_member", other_org)
    users = {
        "anonymous": None,
        "loner": make_user("loner"),
        "team_member": make_user("org-member", "team_member", org),
        "ambassador": make_user("org-ambassador", "ambassador", org),
        "researcher": make_user("researcher", "researcher", None),
        "other_manager": make_user("far-manager", "manager", other_org),
        "manager": make_user("org-manager", "manager", org),
        "admin": make_user("admin", is_superuser=True, is_staff=True),
    }
    w = World(org, other_org, unit, colleague, shared, users, marks)
    w.far_colleague = far_colleague
    return w


def url(name, **kwargs) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs)


def _policy_variants(w):
    """The organisation's policy (its ambassadors manage people): its managers only. Asked
    where the policy exists (it was being added alongside this sweep)."""
    from mango.accounts import people

    if not hasattr(people, "set_policy"):
        return []
    return [
        Variant(
            "POST policy of org",
            url("people"),
            {**MANAGERS_PAGE, "other_manager": 404, "manager": 302, "admin": 302},
            method="POST",
            data={"action": "policy", "organisation": w.org.pk, "ambassadors_manage_people": "1"},
        )
    ]


def _membership(w, user, organisation):
    return Membership.objects.get(user=user, organisation=organisation).pk


SPECS = {
    # Each role lands on its page (302); without a role a page that says so.
    "landing": lambda w: [
        Variant("GET", url("landing"), expect(LOGIN, 200, 302, 302, 302, 302, 302, 302))
    ],
    "people": lambda w: [
        Variant("GET", url("people"), MANAGERS_PAGE),
        # Inviting into org: another organisation's manager is offered only their own (200,
        # the form's error); nobody is made.
        Variant(
            "POST invite into org",
            url("people"),
            {**MANAGERS_PAGE, "manager": (200, 302), "admin": (200, 302)},
            method="POST",
            data={
                "email": "stolen@example.org",
                "first_name": "Stolen",
                "organisation": w.org.pk,
                "role": "manager",
            },
            unchanged=("other_manager",),
        ),
        # Last: once the manager allows it, the organisation's ambassador manages people too.
        *_policy_variants(w),
    ],
    "person": lambda w: [
        Variant("org's colleague", url("person", pk=w.colleague.pk), ORG_PERSON),
        # First, while it exists: org's membership sent with the page of the other
        # organisation's own colleague. It must belong to the person on the page (404).
        Variant(
            "org's membership via a far colleague",
            url("person", pk=w.far_colleague.pk),
            {**ORG_PERSON, "manager": 404, "admin": 404},
            method="POST",
            data={"action": "take", "membership": _membership(w, w.colleague, w.org)},
        ),
        Variant(
            "give org's colleague a role",
            url("person", pk=w.colleague.pk),
            {**ORG_PERSON, "manager": 302, "admin": 302},
            method="POST",
            data={"action": "give", "organisation": w.org.pk, "role": "manager"},
        ),
        # The manager takes the role first: the administrator then finds it gone (404).
        Variant(
            "take org's colleague's role",
            url("person", pk=w.colleague.pk),
            {**ORG_PERSON, "manager": 302, "admin": 404},
            method="POST",
            data={"action": "take", "membership": _membership(w, w.colleague, w.org)},
        ),
        Variant(
            "deactivate org's colleague",
            url("person", pk=w.colleague.pk),
            {**ORG_PERSON, "manager": 302, "admin": 302},
            method="POST",
            data={"action": "deactivate"},
        ),
        # Someone of both organisations: the other organisation's manager opens the page
        # (their colleague too) and sees only their own organisation's roles.
        Variant(
            "shared colleague",
            url("person", pk=w.shared.pk),
            {**ORG_PERSON, "other_manager": 200},
        ),
        Variant(
            "give the shared colleague a role in org",
            url("person", pk=w.shared.pk),
            {**ORG_PERSON, "other_manager": 200, "manager": 302, "admin": 302},
            method="POST",
            data={"action": "give", "organisation": w.org.pk, "role": "manager"},
            unchanged=("other_manager",),
        ),
        # Deactivating someone who also works elsewhere: an administrator's call.
        Variant(
            "deactivate the shared colleague",
            url("person", pk=w.shared.pk),
            {**ORG_PERSON, "other_manager": 200, "manager": 200, "admin": 302},
            method="POST",
            data={"action": "deactivate"},
            unchanged=("other_manager", "manager"),
        ),
        Variant(
            "take the shared colleague's role in org",
            url("person", pk=w.shared.pk),
            {**ORG_PERSON, "other_manager": 403, "manager": 302, "admin": 404},
            method="POST",
            data={"action": "take", "membership": _membership(w, w.shared, w.org)},
        ),
        Variant("nobody", url("person", pk=999999), {**ORG_PERSON, "manager": 404, "admin": 404}),
    ],
    "units": lambda w: [
        Variant("GET", url("units"), MANAGERS_PAGE),
        Variant(
            "rename org's unit",
            url("units"),
            {**MANAGERS_PAGE, "other_manager": 404, "manager": 302, "admin": 302},
            method="POST",
            data={"unit": w.unit.pk, "name": "Renamed"},
        ),
        Variant(
            "add a unit to org",
            url("units"),
            {**MANAGERS_PAGE, "manager": 302, "admin": 302},
            method="POST",
            data={"organisation": w.org.pk, "name": "Stolen unit"},
            unchanged=("other_manager",),
        ),
    ],
    # Public: the same answer whether or not the address has an account.
    "password_reset": lambda w: [
        Variant("GET", url("password_reset"), everyone(200)),
        Variant(
            "POST a colleague's address",
            url("password_reset"),
            everyone(302),
            method="POST",
            data={"email": w.marks["colleague_email"]},
        ),
        Variant(
            "POST an unknown address",
            url("password_reset"),
            everyone(302),
            method="POST",
            data={"email": "nobody@example.org"},
        ),
    ],
    "password_reset_done": lambda w: [Variant("GET", url("password_reset_done"), everyone(200))],
    # A wrong link says it no longer works (200), naming nobody.
    "password_reset_confirm": lambda w: [
        Variant(
            "forged token",
            url("password_reset_confirm", uidb64="Mg", token="forged-token"),
            everyone(200),
        ),
        Variant(
            "colleague, forged token",
            url("password_reset_confirm", uidb64=_uid(w.colleague), token="abc-123"),
            everyone(200),
        ),
        Variant(
            "POST a new password with a forged token",
            url("password_reset_confirm", uidb64=_uid(w.colleague), token="abc-123"),
            everyone(200),
            method="POST",
            data={"new_password1": "Stolen-pw-12345", "new_password2": "Stolen-pw-12345"},
            unchanged=USERS,
        ),
    ],
}


def _uid(user) -> str:
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    return urlsafe_base64_encode(force_bytes(user.pk))


def test_every_account_route_has_expectations():
    assert {p.name for p in urlpatterns} == set(SPECS)


def snapshot():
    User = get_user_model()
    return (
        list(
            User.objects.order_by("pk").values_list(
                "pk", "is_active", "email", "first_name", "password"
            )
        ),
        list(
            Membership.objects.order_by("pk").values_list(
                "user_id", "organisation_id", "role", "unit_id"
            )
        ),
        list(Unit.objects.order_by("pk").values_list("organisation_id", "name", "oncological")),
        AuditEvent.objects.count(),
    )


def clients(w: World) -> dict[str, Client]:
    out = {}
    for who in USERS:
        client = Client()
        if w.users[who] is not None:
            client.force_login(w.users[who])
        out[who] = client
    return out


def matches(response, expected) -> bool:
    if expected == LOGIN:
        return response.status_code == 302 and "/accounts/login/" in response["Location"]
    if isinstance(expected, tuple):
        return response.status_code in expected
    return response.status_code == expected


def send(client, variant):
    if variant.method == "POST":
        return client.post(variant.path, variant.data)
    return client.get(variant.path)


@pytest.mark.parametrize("name", sorted(SPECS))
def test_each_user_gets_what_their_role_allows_and_nothing_of_org_leaks(name, world):
    users = clients(world)
    failures = []
    for variant in SPECS[name](world):
        for who in USERS:
            expected = variant.expect[who]
            before = snapshot()
            response = send(users[who], variant)
            where = f"{variant.method} {variant.path} [{variant.label}] {who}"
            if not matches(response, expected):
                failures.append(
                    f"{where}: expected {expected}, got {response.status_code} "
                    f"{response.get('Location', '')}"
                )
            body = response.content.decode("utf-8", "replace")
            body += " ".join(v for _k, v in response.items())
            for secret in world.forbidden(who):
                if secret in body:
                    failures.append(f"{where}: shows {secret!r}")
            refused = expected in (LOGIN, 403, 404) or who in variant.unchanged
            if refused and snapshot() != before:
                failures.append(f"{where}: changed data")
    assert not failures, "\n".join(failures)


def test_the_checks_can_fail_the_organisations_manager_sees_its_people_and_units(world):
    manager = clients(world)["manager"]
    people = manager.get(url("people")).content.decode()
    assert world.marks["colleague_name"] in people and world.marks["colleague_email"] in people
    assert world.marks["unit"] in manager.get(url("units")).content.decode()
    person = manager.get(url("person", pk=world.shared.pk)).content.decode()
    assert world.marks["org"] in person  # the shared colleague's role in org


def test_the_other_managers_refused_changes_leave_the_database_as_it_was(world):
    """Said once more on the rows themselves: after every refused POST of the other
    organisation's manager, the colleague is active with their role, the unit keeps its name."""
    far = clients(world)["other_manager"]
    for name in ("people", "person", "units"):
        for variant in SPECS[name](world):
            if variant.method == "POST":
                far.post(variant.path, variant.data)
    world.colleague.refresh_from_db()
    world.shared.refresh_from_db()
    world.unit.refresh_from_db()
    assert world.colleague.is_active and world.shared.is_active
    assert world.unit.name == world.marks["unit"]
    assert Membership.objects.filter(user=world.colleague, organisation=world.org).count() == 1
    assert set(
        Membership.objects.filter(user=world.shared).values_list("organisation_id", "role")
    ) == {(world.org.pk, "team_member"), (world.other_org.pk, "team_member")}
    assert not get_user_model().objects.filter(email="stolen@example.org").exists()
    assert not Unit.objects.filter(name="Stolen unit").exists()


def test_password_reset_mails_only_the_owner_of_the_address(world):
    """Whoever asks, the reset link goes to the address's owner, never in the answer."""
    client = clients(world)["other_manager"]
    response = client.post(url("password_reset"), {"email": world.marks["colleague_email"]})
    unknown = client.post(url("password_reset"), {"email": "nobody@example.org"})
    assert response["Location"] == unknown["Location"]
    sent = [m for m in outbox.outbox if world.marks["colleague_email"] in m.to]
    assert len(sent) == 1 and all(m.to == [world.marks["colleague_email"]] for m in outbox.outbox)
    assert "/password/set/" not in response.content.decode()
