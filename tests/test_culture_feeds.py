"""Stories reach their teams: units from the QR link or the moderator, team and organisation
feeds, "this touched me", and privacy (only shared stories; withdrawal and erasure remove a
story at the next request)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mango.accounts.models import Membership
from mango.audit.models import AuditEvent
from mango.culture import visible
from mango.culture.models import StoryUnit, Touch
from mango.lifecycle import actions
from mango.organisations.models import Unit
from mango.stories.placement import place
from tests.conftest import make_story, make_user, story_values

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def ward(org):
    return Unit.objects.create(organisation=org, name="Geriatrie", slug="geri")


@pytest.fixture
def nurse(org, unit):
    """A team member of the oncology unit."""
    user = make_user("nurse")
    Membership.objects.create(user=user, organisation=org, role="team_member", unit=unit)
    return user


@pytest.fixture
def ward_nurse(org, ward):
    user = make_user("wardnurse")
    Membership.objects.create(user=user, organisation=org, role="team_member", unit=ward)
    return user


def shared_story(org, unit=None, **fields):
    values = {
        "status": "shared",
        "shareable": True,
        "shared_at": timezone.now(),
        "text": "Zuster Els bracht me thee.",
        "text_redacted": "Zuster [NAAM] bracht me thee.",
    }
    values.update(fields)
    story = make_story(org, unit=unit, **values)
    if unit is not None:
        StoryUnit.objects.create(story=story, unit=unit)
    return story


def test_a_story_told_through_a_units_link_belongs_to_that_team(unit, campaign):
    story = actions.submit_story(story_values(), place(unit=unit))
    assert list(StoryUnit.objects.filter(story=story).values_list("unit_id", flat=True)) == [
        unit.pk
    ]


def test_a_story_without_a_unit_belongs_to_no_team(org, campaign):
    story = actions.submit_story(story_values(), place(organisation=org))
    assert not StoryUnit.objects.filter(story=story).exists()


def test_demo_stories_added_in_bulk_join_their_units(org, unit):
    from tests.conftest import new_story

    stories = actions.add_stories([new_story(org, unit=unit), new_story(org)])
    assert set(StoryUnit.objects.values_list("story_id", "unit_id")) == {(stories[0].pk, unit.pk)}


def test_only_shared_stories_are_visible(org, unit):
    shown = shared_story(org, unit)
    make_story(org, unit=unit)  # de-identified, not reviewed
    not_shared = make_story(org, unit=unit, status="reviewed", shareable=False)
    StoryUnit.objects.create(story=not_shared, unit=unit)
    assert list(visible.shared_stories_for_units([unit.pk])) == [shown]
    assert list(visible.shared_stories_for_organisation(org)) == [shown]


def test_the_team_feed_shows_the_de_identified_text_and_month(client, nurse, org, unit):
    story = shared_story(org, unit, happened="month", submitted_at=timezone.now())
    client.force_login(nurse)
    page = client.get(f"/en/culture/teams/{unit.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Zuster [NAAM] bracht me thee." in html
    assert "Els" not in html
    month = (timezone.localdate(story.submitted_at) - timedelta(days=15)).strftime("%B %Y")
    assert month in html


def test_the_team_feed_is_newest_first_and_paginated(client, nurse, org, unit):
    now = timezone.now()
    for i in range(25):
        shared_story(
            org, unit, text_redacted=f"Verhaal nummer {i}.", submitted_at=now - timedelta(days=i)
        )
    client.force_login(nurse)
    html = client.get(f"/en/culture/teams/{unit.pk}/").content.decode()
    assert html.index("Verhaal nummer 0.") < html.index("Verhaal nummer 1.")
    assert "Verhaal nummer 24." not in html and "Page 1 of 2" in html
    assert (
        "Verhaal nummer 24." in client.get(f"/en/culture/teams/{unit.pk}/?page=2").content.decode()
    )


def test_team_feed_access(client, org, unit, nurse, ward_nurse, manager, outsider, researcher):
    shared_story(org, unit)
    url = f"/en/culture/teams/{unit.pk}/"
    for user, status in [
        (nurse, 200),
        (manager, 200),
        (ward_nurse, 403),  # another team of the same organisation
        (outsider, 404),
        (researcher, 403),  # network-wide, no team
    ]:
        client.force_login(user)
        assert client.get(url).status_code == status, user.username
    client.logout()
    assert client.get(url).status_code == 302


def test_a_team_member_sees_the_organisation_feed_but_outsiders_do_not(
    client, org, unit, ward, ward_nurse, outsider
):
    shared_story(org, unit)
    client.force_login(ward_nurse)
    html = client.get(f"/en/culture/organisations/{org.slug}/").content.decode()
    assert "Zuster [NAAM] bracht me thee." in html
    assert "Oncologie" in html  # the story's team
    client.force_login(outsider)
    assert client.get(f"/en/culture/organisations/{org.slug}/").status_code == 404


def test_withdrawing_sharing_consent_removes_the_story_from_feeds_and_walls(
    client, org, unit, nurse, manager
):
    from mango.culture import walls

    story = shared_story(org, unit)
    link, secret = _wall(manager, org, unit)
    client.force_login(nurse)
    assert "[NAAM] bracht" in client.get(f"/en/culture/teams/{unit.pk}/").content.decode()
    assert (
        client.get(f"/en/culture/wall/{secret}/stories.json").json()["stories"][0]["id"] == story.pk
    )

    actions.withdraw_consent(story, sharing=True)

    assert "[NAAM] bracht" not in client.get(f"/en/culture/teams/{unit.pk}/").content.decode()
    assert (
        "[NAAM] bracht" not in client.get(f"/en/culture/organisations/{org.slug}/").content.decode()
    )
    assert client.get(f"/en/culture/wall/{secret}/stories.json").json()["stories"] == []
    assert "[NAAM] bracht" not in client.get(f"/en/culture/wall/{secret}/").content.decode()
    assert list(walls.stories(link)) == []


def test_erasure_removes_the_story_everywhere(client, org, unit, nurse, manager):
    story = shared_story(org, unit)
    _link, secret = _wall(manager, org, unit)
    actions.erase_story(story)
    client.force_login(nurse)
    assert "[NAAM] bracht" not in client.get(f"/en/culture/teams/{unit.pk}/").content.decode()
    assert client.get(f"/en/culture/wall/{secret}/stories.json").json()["stories"] == []
    assert client.post(f"/en/culture/stories/{story.pk}/touch/").status_code == 404


def _wall(actor, org, unit=None):
    from django.db import transaction

    from mango.culture import walls

    with transaction.atomic():
        return walls.create(actor, org, unit)


def test_this_touched_me_counts_without_names(client, org, unit, nurse, ward_nurse):
    story = shared_story(org, unit)
    client.force_login(nurse)
    answer = client.post(f"/en/culture/stories/{story.pk}/touch/", headers={"HX-Request": "true"})
    assert answer.status_code == 200
    assert "Touched 1 colleague" in answer.content.decode()
    assert 'aria-pressed="true"' in answer.content.decode()
    client.force_login(ward_nurse)  # any staff of the organisation (its feed shows it)
    client.post(f"/en/culture/stories/{story.pk}/touch/", headers={"HX-Request": "true"})
    html = client.get(f"/en/culture/organisations/{org.slug}/").content.decode()
    assert "Touched 2 colleagues" in html
    assert "wardnurse" not in html  # a count, never who
    # Touching again takes it back; only one per person.
    client.post(f"/en/culture/stories/{story.pk}/touch/")
    assert Touch.objects.filter(story=story).count() == 1
    assert not Touch.objects.filter(story=story, user=ward_nurse).exists()


def test_outsiders_cannot_touch_and_unshared_stories_cannot_be_touched(
    client, org, unit, outsider, nurse
):
    story = shared_story(org, unit)
    client.force_login(outsider)
    assert client.post(f"/en/culture/stories/{story.pk}/touch/").status_code == 404
    pending = make_story(org, unit=unit)
    client.force_login(nurse)
    assert client.post(f"/en/culture/stories/{pending.pk}/touch/").status_code == 404
    assert client.get(f"/en/culture/stories/{story.pk}/touch/").status_code == 405
    assert not Touch.objects.exists()


def test_a_moderator_sets_a_storys_teams_audited(
    client, manager, org, unit, ward, nurse, ward_nurse
):
    story = shared_story(org, unit)
    client.force_login(manager)
    page = client.get(f"/en/staff/moderation/{story.pk}/")
    assert page.status_code == 200 and 'data-testid="story-teams"' in page.content.decode()
    answer = client.post(
        f"/en/staff/moderation/{story.pk}/", {"action": "teams", "units": [unit.pk, ward.pk]}
    )
    assert answer.status_code == 302
    assert set(StoryUnit.objects.filter(story=story).values_list("unit_id", flat=True)) == {
        unit.pk,
        ward.pk,
    }
    event = AuditEvent.objects.get(action="story.teams_changed")
    assert event.old == {"units": [unit.pk]} and event.new == {"units": sorted([unit.pk, ward.pk])}
    client.force_login(ward_nurse)
    assert "[NAAM] bracht" in client.get(f"/en/culture/teams/{ward.pk}/").content.decode()
    # And off the oncology team again.
    client.force_login(manager)
    client.post(f"/en/staff/moderation/{story.pk}/", {"action": "teams", "units": [ward.pk]})
    client.force_login(nurse)
    assert "[NAAM] bracht" not in client.get(f"/en/culture/teams/{unit.pk}/").content.decode()


def test_a_moderator_cannot_link_another_organisations_unit(client, manager, org, unit, other_org):
    foreign = Unit.objects.create(organisation=other_org, name="Elders", slug="e")
    story = shared_story(org, unit)
    client.force_login(manager)
    answer = client.post(
        f"/en/staff/moderation/{story.pk}/", {"action": "teams", "units": [foreign.pk]}
    )
    assert answer.status_code == 400
    assert list(StoryUnit.objects.filter(story=story).values_list("unit_id", flat=True)) == [
        unit.pk
    ]


def test_the_menu_offers_the_team_and_organisation_feeds(client, nurse, unit, org):
    client.force_login(nurse)
    html = client.get(f"/en/culture/teams/{unit.pk}/").content.decode()
    assert f'href="/en/culture/teams/{unit.pk}/"' in html
    assert f'href="/en/culture/organisations/{org.slug}/"' in html
    assert "/en/culture/network/" not in html
