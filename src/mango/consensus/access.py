"""Who manages which consensus study, and how a panellist's link is signed.

Researchers and administrators manage studies: administrators and network-wide researchers
every study, a researcher of an organisation the studies scoped to it. Outsiders of a study's
organisation get 404, its members without the right 403 (as coding rounds do). Panellists have
no account: their pages open only with their signed link, which names the panellist and a
nonce; a new nonce or ``revoked_at`` makes every earlier link fail.
"""

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from mango.accounts.models import scope_for

from .models import Panellist, Study

LINK_SALT = "mango.consensus.panellist"


def is_researcher(user) -> bool:
    scope = scope_for(user)
    return scope.everything or scope.research_everywhere or bool(scope.research_orgs)


def require_researcher(user):
    if not is_researcher(user):
        raise PermissionDenied


def managed_studies(user):
    scope = scope_for(user)
    studies = Study.objects.select_related("organisation")
    if scope.everything or scope.research_everywhere:
        return studies
    return studies.filter(organisation_id__in=scope.research_orgs)


def can_manage(user, study: Study) -> bool:
    scope = scope_for(user)
    if scope.everything or scope.research_everywhere:
        return True
    return study.organisation_id is not None and study.organisation_id in scope.research_orgs


def organisations_for(user):
    """The organisations a user may create a study for (None: network-wide allowed too)."""
    from mango.organisations.models import Organisation

    scope = scope_for(user)
    if scope.everything or scope.research_everywhere:
        return Organisation.objects.all(), True
    return Organisation.objects.filter(pk__in=scope.research_orgs), False


def get_study_to_manage(user, pk) -> Study:
    study = get_object_or_404(Study.objects.select_related("organisation"), pk=pk)
    if can_manage(user, study):
        return study
    scope = scope_for(user)
    if study.organisation_id is not None and scope.is_member_of(study.organisation_id):
        raise PermissionDenied
    if study.organisation_id is None and is_researcher(user):
        raise PermissionDenied
    raise Http404


def panellist_token(panellist: Panellist) -> str:
    return signing.dumps({"p": panellist.pk, "n": panellist.nonce}, salt=LINK_SALT, compress=True)


def panellist_from_token(token: str) -> Panellist:
    """The panellist the link names; 404 for a forged, revoked or replaced link."""
    try:
        data = signing.loads(token, salt=LINK_SALT)
    except signing.BadSignature:
        raise Http404 from None
    panellist = (
        Panellist.objects.select_related("study").filter(pk=data.get("p")).first()
        if isinstance(data, dict)
        else None
    )
    if panellist is None or panellist.revoked_at is not None or panellist.nonce != data.get("n"):
        raise Http404
    return panellist


def link_builder(base_url: str):
    """A function giving a panellist's absolute link, in their language, on ``base_url``
    (the site's root, e.g. ``https://mango.example/``)."""
    from django.urls import reverse
    from django.utils import translation

    def build(panellist: Panellist) -> str:
        with translation.override(panellist.language):
            path = reverse("consensus:panel_home", args=[panellist_token(panellist)])
        return base_url.rstrip("/") + path

    return build
