"""Who opens which recognition page. Outsiders of an organisation get 404, its members
without the right role 403, as everywhere else.

- thank-you notes and cards: the organisation's managers and ambassadors (who moderate its
  stories), administrators;
- fair recognition (counts only): those, and the network coordinator;
- digest settings: anyone signed in; the reply and unsubscribe pages: their signed link.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from mango.accounts.models import scope_for
from mango.organisations.models import Organisation, Unit
from mango.stories.access import get_story_for_moderation


def _deny(user, organisation_id):
    if scope_for(user).is_member_of(organisation_id):
        raise PermissionDenied
    raise Http404


def manages(user, organisation_id) -> bool:
    scope = scope_for(user)
    return scope.everything or organisation_id in scope.sharing_orgs


def story_for_thanks(user, pk):
    """A story of an organisation the user moderates (404 outsiders, 403 members)."""
    return get_story_for_moderation(user, pk)


def managed_organisation(user, slug) -> Organisation:
    org = get_object_or_404(Organisation, slug=slug)
    if manages(user, org.pk):
        return org
    _deny(user, org.pk)


def managed_unit(user, pk) -> Unit:
    unit = get_object_or_404(Unit.objects.select_related("organisation"), pk=pk)
    if manages(user, unit.organisation_id):
        return unit
    _deny(user, unit.organisation_id)


def organisation_for_fairness(user, slug) -> Organisation:
    org = get_object_or_404(Organisation, slug=slug)
    scope = scope_for(user)
    if manages(user, org.pk) or scope.coordinates_network:
        return org
    _deny(user, org.pk)


def managed_organisations(user):
    scope = scope_for(user)
    if scope.everything:
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=scope.sharing_orgs)
