"""Who may use the workbench, and which rounds. Every research view asks here.

Researchers and administrators manage codebooks and rounds: administrators and network-wide
researchers every round, a researcher of an organisation the rounds scoped to it. A coder
(``RoundCoder``) reaches only the coding screen of their round. Outsiders of a round's
organisation get 404, its members without the right 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from mango.accounts.models import scope_for

from .models import Codebook, CodingRound, RoundCoder


def is_researcher(user) -> bool:
    scope = scope_for(user)
    return scope.everything or scope.research_everywhere or bool(scope.research_orgs)


def require_researcher(user):
    if not is_researcher(user):
        raise PermissionDenied


def can_edit_codebooks(user) -> bool:
    """Codebooks are shared by the whole network: network-wide roles edit them."""
    scope = scope_for(user)
    return scope.everything or scope.research_everywhere


def can_manage(user, round: CodingRound) -> bool:
    scope = scope_for(user)
    if scope.everything or scope.research_everywhere:
        return True
    return round.organisation_id is not None and round.organisation_id in scope.research_orgs


def managed_rounds(user):
    scope = scope_for(user)
    rounds = CodingRound.objects.select_related("codebook", "organisation")
    if scope.everything or scope.research_everywhere:
        return rounds
    return rounds.filter(organisation_id__in=scope.research_orgs)


def coded_rounds(user):
    return CodingRound.objects.filter(round_coders__user=user).select_related("codebook")


def visible_rounds(user):
    """Rounds the user manages or codes in."""
    ids = managed_rounds(user).values("pk")
    return (
        CodingRound.objects.filter(Q(pk__in=ids) | Q(round_coders__user=user))
        .distinct()
        .select_related("codebook", "organisation")
    )


def _refuse(user, round: CodingRound):
    if round.organisation_id is not None and scope_for(user).is_member_of(round.organisation_id):
        raise PermissionDenied
    if round.organisation_id is None and is_researcher(user):
        raise PermissionDenied
    raise Http404


def _round(pk) -> CodingRound:
    return get_object_or_404(CodingRound.objects.select_related("codebook", "organisation"), pk=pk)


def get_round_to_manage(user, pk) -> CodingRound:
    round = _round(pk)
    if can_manage(user, round):
        return round
    _refuse(user, round)


def get_round_to_code(user, pk) -> CodingRound:
    round = _round(pk)
    if RoundCoder.objects.filter(round=round, user=user).exists():
        return round
    _refuse(user, round)


def get_codebook(user, slug) -> Codebook:
    require_researcher(user)
    return get_object_or_404(Codebook, slug=slug)
