"""Tenant isolation of the culture pages, on the world of tests/test_isolation.py (canary
stories of one organisation; an outsider, a loner, a team member without a team and a
researcher of another organisation). The culture routes live under /<lang>/culture/, outside
that file's matrix; this module checks each of them the same way, and that none is missed."""

import pytest
from django.db import transaction

from mango.culture import walls
from tests.test_isolation import (  # noqa: F401 - world is a fixture
    ROUTES,
    USERS,
    Variant,
    clients,
    everyone,
    problems,
    send,
    snapshot,
    staff,
    url,
    world,
)

pytestmark = pytest.mark.django_db

ORG_PAGE = staff(outsider=404, loner=404, member=403, researcher=404)
NOT_COORDINATOR = staff(outsider=403, loner=403, member=403, researcher=403)


def _revoked_secret(w):
    with transaction.atomic():
        link, secret = walls.create(w.owner, w.org, w.unit)
        walls.revoke(w.owner, link)
    return secret


SPECS = {
    "culture:network": lambda w: [Variant("GET", url("culture:network"), NOT_COORDINATOR)],
    "culture:programme": lambda w: [
        Variant("GET", url("culture:programme", slug=w.org.slug), ORG_PAGE),
        Variant(
            "POST pilot",
            url("culture:programme", slug=w.org.slug),
            ORG_PAGE,
            method="POST",
            data=lambda: {"action": "pilot_on", "unit": w.unit.pk},
        ),
        Variant(
            "POST ambassador",
            url("culture:programme", slug=w.org.slug),
            ORG_PAGE,
            method="POST",
            data=lambda: {"action": "ambassador_on", "user": w.users["member"].pk},
        ),
    ],
    "culture:wall_links": lambda w: [
        Variant("GET", url("culture:wall_links", slug=w.org.slug), ORG_PAGE),
        Variant(
            "POST create",
            url("culture:wall_links", slug=w.org.slug),
            ORG_PAGE,
            method="POST",
            data=lambda: {"action": "create", "name": "stolen"},
        ),
    ],
    "culture:team_feed": lambda w: [
        Variant("GET", url("culture:team_feed", pk=w.unit.pk), ORG_PAGE)
    ],
    # All of the organisation's staff read its feed (the shared story's de-identified text).
    "culture:org_feed": lambda w: [
        Variant(
            "GET",
            url("culture:org_feed", slug=w.org.slug),
            staff(outsider=404, loner=404, member=200, researcher=404),
        )
    ],
    "culture:touch": lambda w: [
        Variant(
            "shared story",
            url("culture:touch", pk=w.shared.pk),
            staff(outsider=404, loner=404, member=302, researcher=404),
            method="POST",
        ),
        Variant(
            "pending story",
            url("culture:touch", pk=w.pending.pk),
            staff(outsider=404, loner=404, member=404, researcher=404),
            method="POST",
        ),
    ],
    "culture:reflect": lambda w: [
        # The team member has no team: nothing to reflect for.
        Variant("GET", url("culture:reflect", pk=w.shared.pk), ORG_PAGE),
        Variant(
            "POST",
            url("culture:reflect", pk=w.shared.pk),
            ORG_PAGE,
            method="POST",
            data=lambda: {"unit": w.unit.pk, "what_happened": "x", "made_possible": "y"},
        ),
    ],
    "culture:poster": lambda w: [
        Variant(
            "A4",
            url("culture:poster", pk=w.shared.pk, size="a4", language="nl"),
            ORG_PAGE,
        )
    ],
    "culture:reflections_export": lambda w: [
        Variant(
            "CSV",
            url("culture:reflections_export"),
            staff(outsider=403, loner=403, member=403, researcher=200),
        )
    ],
    # A wall needs only its secret; a revoked one answers nobody.
    "culture:wall": lambda w: [
        Variant("revoked", url("culture:wall", token=_revoked_secret(w)), everyone(404))
    ],
    "culture:wall_stories": lambda w: [
        Variant("revoked", url("culture:wall_stories", token=_revoked_secret(w)), everyone(404))
    ],
}


def test_every_culture_route_is_checked():
    names = {r.key for r in ROUTES if r.key.startswith("culture:")}
    assert names == set(SPECS)


@pytest.mark.parametrize("name", sorted(SPECS))
def test_no_non_owner_gets_the_organisations_stories(name, world):  # noqa: F811
    users = clients(world)
    failures = []
    variants = SPECS[name](
        world
    )  # may write set-up rows (a revoked wall link): before the snapshot
    before = snapshot(world)
    for variant in variants:
        for user in USERS:
            response = send(users[user], variant, None)
            forbidden = list(world.secrets)
            if not (user == "member" and name == "culture:org_feed"):
                forbidden.append(world.shared_redacted)
            for problem in problems(response, variant.expect[user], forbidden, variant.echoes):
                failures.append(
                    f"{variant.method} {variant.url} [{variant.label}] as {user}: {problem}"
                )
            after = snapshot(world)
            if after != before:
                failures.append(f"{variant.method} {variant.url} as {user} changed the data")
                before = after
    assert not failures, "\n".join(failures)


def test_the_team_member_does_read_the_shared_story_in_the_organisation_feed(world):  # noqa: F811
    client = clients(world)["member"]
    page = client.get(url("culture:org_feed", slug=world.org.slug))
    assert world.shared_redacted.encode() in page.content
    assert world.pending.text_redacted.encode() not in page.content
