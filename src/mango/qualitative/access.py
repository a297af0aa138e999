"""Who may work on which transcript project. Every view asks here.

Researchers and administrators only: administrators and network-wide researchers reach every
project, a researcher of an organisation the projects of that organisation. Outsiders of a
project's organisation get 404, its members without the right 403; a network-wide project
answers 403 to researchers bound to an organisation and 404 to everyone else.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from mango.accounts.models import scope_for
from mango.organisations.models import Organisation

from .models import Document, Project, Segment


def is_researcher(user) -> bool:
    scope = scope_for(user)
    return scope.everything or scope.research_everywhere or bool(scope.research_orgs)


def require_researcher(user):
    if not is_researcher(user):
        raise PermissionDenied


def works_everywhere(user) -> bool:
    scope = scope_for(user)
    return scope.everything or scope.research_everywhere


def can_work_on(user, project: Project) -> bool:
    if works_everywhere(user):
        return True
    return project.organisation_id is not None and (
        project.organisation_id in scope_for(user).research_orgs
    )


def visible_projects(user):
    projects = Project.objects.select_related("organisation", "codebook")
    if works_everywhere(user):
        return projects
    return projects.filter(organisation_id__in=scope_for(user).research_orgs)


def project_organisations(user):
    """Organisations a user may put a project in (network-wide roles also get None)."""
    if works_everywhere(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=scope_for(user).research_orgs)


def _refuse(user, project: Project):
    if project.organisation_id is not None and scope_for(user).is_member_of(
        project.organisation_id
    ):
        raise PermissionDenied
    if project.organisation_id is None and is_researcher(user):
        raise PermissionDenied
    raise Http404


def check_project(user, project: Project) -> Project:
    if not can_work_on(user, project):
        _refuse(user, project)
    return project


def get_project_for_user(user, pk) -> Project:
    project = Project.objects.select_related("organisation", "codebook").filter(pk=pk).first()
    if project is None:
        raise Http404
    return check_project(user, project)


def get_document_for_user(user, pk) -> Document:
    document = (
        Document.objects.select_related("project__organisation", "project__codebook")
        .filter(pk=pk)
        .first()
    )
    if document is None:
        raise Http404
    check_project(user, document.project)
    return document


def get_segment_for_user(user, pk) -> Segment:
    segment = (
        Segment.objects.select_related("document__project__organisation", "code")
        .filter(pk=pk)
        .first()
    )
    if segment is None:
        raise Http404
    check_project(user, segment.document.project)
    return segment
