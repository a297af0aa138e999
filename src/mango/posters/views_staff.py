"""The staff page that lists campaigns and units with their short links, QR codes and posters."""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mango.organisations.models import Campaign, Unit

SEES_ALL = {"administrator", "researcher"}
SEES_CAMPAIGNS = {"manager", "ambassador"}

STATUS = {"open": _("Open"), "upcoming": _("Not open yet"), "closed": _("Closed")}


@dataclass(frozen=True)
class PosterScope:
    """Whose campaigns and units a user may print posters for."""

    everything: bool = False
    campaign_orgs: frozenset = field(default_factory=frozenset)
    unit_orgs: frozenset = field(default_factory=frozenset)


def poster_scope(memberships, *, is_superuser: bool = False) -> PosterScope | None:
    """From ``(organisation id | None, role)`` pairs; ``None`` for a user with no role at all.

    Administrators and researchers see everything; managers and ambassadors their
    organisations' campaigns and units; team members their organisations' units.
    """
    pairs = list(memberships)
    if is_superuser or any(role in SEES_ALL for _org, role in pairs):
        return PosterScope(everything=True)
    if not pairs:
        return None
    return PosterScope(
        campaign_orgs=frozenset(
            org for org, role in pairs if org is not None and role in SEES_CAMPAIGNS
        ),
        unit_orgs=frozenset(org for org, _role in pairs if org is not None),
    )


def _scope_for(user) -> PosterScope:
    scope = poster_scope(
        user.memberships.values_list("organisation_id", "role"), is_superuser=user.is_superuser
    )
    if scope is None:
        raise PermissionDenied
    return scope


def _campaigns(scope):
    campaigns = Campaign.objects.prefetch_related("organisations")
    if scope.everything:
        return campaigns
    if not scope.campaign_orgs:
        return campaigns.none()
    # Network-wide campaigns accept stories about their organisations too.
    rule = Q(network_wide=True) | Q(organisations__in=scope.campaign_orgs)
    return campaigns.filter(rule).distinct()


def _units(scope):
    units = Unit.objects.select_related("organisation")
    if scope.everything:
        return units
    return units.filter(organisation_id__in=scope.unit_orgs)


def _status(campaign, today) -> str:
    if campaign.is_open(today):
        return "open"
    return "upcoming" if campaign.opens_on > today else "closed"


@login_required
def campaign_list(request):
    scope = _scope_for(request.user)
    today = timezone.localdate()
    campaigns = [
        {
            "campaign": campaign,
            "status": _status(campaign, today),
            "status_label": STATUS[_status(campaign, today)],
            "link": settings.PUBLIC_URL + campaign.short_path(),
        }
        for campaign in _campaigns(scope)
    ]
    units = [
        {"unit": unit, "link": settings.PUBLIC_URL + unit.short_path()} for unit in _units(scope)
    ]
    context = {
        "campaigns": campaigns,
        "units": units,
        "shows_campaigns": scope.everything or bool(scope.campaign_orgs),
    }
    return render(request, "posters/campaign_list.html", context)
