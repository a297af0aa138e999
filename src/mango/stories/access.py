"""Which stories a user may read. Every view and API endpoint that reads stories asks here."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from mango.accounts.models import scope_for

from .models import Story


def visible_stories(user):
    """All stories the user may read, as a queryset (empty for those who read none)."""
    scope = scope_for(user)
    if scope.everything:
        return Story.objects.all()
    rule = Q(pk__in=[])
    if scope.research_everywhere:
        rule |= Q(consent_research=True)
    elif scope.research_orgs:
        rule |= Q(consent_research=True, organisation_id__in=scope.research_orgs)
    if scope.sharing_orgs:
        rule |= Q(consent_sharing=True, organisation_id__in=scope.sharing_orgs)
    return Story.objects.filter(rule)


def require_story_reader(user):
    """403 for signed-in users whose roles read no stories (team members)."""
    if not scope_for(user).reads_any:
        raise PermissionDenied


def get_story_for_user(user, pk) -> Story:
    """The story; 404 for outsiders of its organisation, 403 for members lacking the right."""
    story = Story.objects.select_related("organisation", "unit", "campaign").filter(pk=pk).first()
    if story is None:
        raise Http404
    scope = scope_for(user)
    if scope.can_read(story.organisation_id, story.consent_research, story.consent_sharing):
        return story
    if story.organisation_id is not None and scope.is_member_of(story.organisation_id):
        raise PermissionDenied
    raise Http404


def moderated_stories(user):
    """Stories the user moderates: those of organisations where they are manager or
    ambassador, whose teller consented to sharing. Administrators moderate all."""
    scope = scope_for(user)
    if scope.everything:
        return Story.objects.filter(consent_sharing=True)
    return Story.objects.filter(consent_sharing=True, organisation_id__in=scope.sharing_orgs)


def get_story_for_moderation(user, pk) -> Story:
    story = Story.objects.select_related("organisation", "unit").filter(pk=pk).first()
    if story is None:
        raise Http404
    scope = scope_for(user)
    if scope.everything or (story.organisation_id in scope.sharing_orgs and story.consent_sharing):
        return story
    if story.organisation_id is not None and scope.is_member_of(story.organisation_id):
        raise PermissionDenied
    raise Http404


def shared_stories(user):
    """De-identified stories shared with the teams of the user's organisations."""
    scope = scope_for(user)
    shared = Story.objects.filter(status="shared", consent_sharing=True)
    if scope.everything:
        return shared
    return shared.filter(organisation_id__in=scope.member_orgs)
