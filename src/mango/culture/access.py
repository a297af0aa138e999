"""Who opens which culture page. Outsiders of an organisation get 404, its members without the
right role 403, as everywhere else (``lib/access.StoryScope``).

- team feed: the unit's team members, the organisation's managers and ambassadors;
- organisation feed, "this touched me", reflections: anyone of the organisation's staff;
- programme page: the organisation's managers and ambassadors, and the network coordinator;
- network page: the network coordinator;
administrators open everything.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from mango.accounts.models import Membership, scope_for
from mango.organisations.models import Organisation, Unit


def _deny(scope, organisation_id):
    """403 for members of the organisation (or network-wide staff), 404 for outsiders."""
    if scope.is_member_of(organisation_id):
        raise PermissionDenied
    raise Http404


def manages(user, organisation_id) -> bool:
    scope = scope_for(user)
    return scope.everything or organisation_id in scope.sharing_orgs


def coordinates(user) -> bool:
    scope = scope_for(user)
    return scope.everything or scope.coordinates_network


def team_units(user, organisation_id=None) -> list[int]:
    """The units the user is a team member of (in one organisation, or anywhere)."""
    rows = Membership.objects.filter(user=user, role="team_member", unit__isnull=False)
    if organisation_id is not None:
        rows = rows.filter(organisation_id=organisation_id)
    return list(rows.values_list("unit_id", flat=True))


def unit_for_feed(user, pk) -> Unit:
    unit = get_object_or_404(Unit.objects.select_related("organisation"), pk=pk)
    if manages(user, unit.organisation_id) or unit.pk in team_units(user, unit.organisation_id):
        return unit
    _deny(scope_for(user), unit.organisation_id)


def organisation_for_staff(user, slug) -> Organisation:
    """The organisation, for any of its staff (its feed)."""
    org = get_object_or_404(Organisation, slug=slug)
    scope = scope_for(user)
    if scope.everything or org.pk in scope.member_orgs:
        return org
    _deny(scope, org.pk)


def organisation_for_programme(user, slug) -> Organisation:
    org = get_object_or_404(Organisation.objects.select_related("wave"), slug=slug)
    if manages(user, org.pk) or coordinates(user):
        return org
    _deny(scope_for(user), org.pk)


def may_see_story(user, story) -> bool:
    """Whether the user is staff of the shared story's organisation (its feed shows it)."""
    scope = scope_for(user)
    return scope.everything or story.organisation_id in scope.member_orgs


def require_story_staff(user, story):
    if not may_see_story(user, story):
        _deny(scope_for(user), story.organisation_id)


def require_coordinator(user):
    if not coordinates(user):
        raise PermissionDenied


def reflecting_units(user, story) -> list[Unit]:
    """The teams the user may record a reflection for on this story: their own team(s); the
    managers and ambassadors (and administrators) any unit of the organisation."""
    units = Unit.objects.filter(organisation_id=story.organisation_id)
    if manages(user, story.organisation_id):
        return list(units)
    return list(units.filter(pk__in=team_units(user, story.organisation_id)))
