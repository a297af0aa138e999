"""The staff page that lists campaigns and units with their short links, QR codes and posters;
creating, editing and closing campaigns (mango.posters.campaigns decides who may)."""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from mango.organisations.models import Campaign, Unit

from . import campaigns as actions
from .forms import CampaignForm

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
    editable = _editable(request.user)
    campaigns = [
        {
            "campaign": campaign,
            "editable": editable(campaign),
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
        "can_create": actions.can_manage_campaigns(request.user),
    }
    return render(request, "posters/campaign_list.html", context)


def _editable(user):
    """A test per campaign, with the user's organisations looked up once."""
    if actions.works_network_wide(user):
        return lambda campaign: True
    theirs = set(actions.campaign_organisations(user).values_list("pk", flat=True))

    def editable(campaign) -> bool:
        ids = {o.pk for o in campaign.organisations.all()}
        return not campaign.network_wide and bool(ids) and ids <= theirs

    return editable


def _may_manage(request):
    if not actions.can_manage_campaigns(request.user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def campaign_new(request):
    _may_manage(request)
    form = CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = actions.create(
                request.user, organisations=form.cleaned_data["organisations"], **form.values()
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request, gettext("Campaign %(name)s created.") % {"name": campaign.name}
            )
            return redirect("campaigns:list")
    return render(request, "posters/campaign_form.html", {"form": form, "campaign": None})


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request, pk):
    _may_manage(request)
    campaign = get_object_or_404(Campaign, pk=pk)
    if not actions.can_edit(request.user, campaign):
        raise Http404
    if request.method == "POST" and request.POST.get("action") == "close":
        try:
            actions.close_early(request.user, campaign)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                gettext("Campaign %(name)s closed: it takes no new stories from today on.")
                % {"name": campaign.name},
            )
        return redirect("campaigns:list")
    form = CampaignForm(request.POST or None, instance=campaign, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update(
                request.user,
                campaign,
                organisations=form.cleaned_data["organisations"],
                **form.values(),
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, gettext("Campaign %(name)s saved.") % {"name": campaign.name})
            return redirect("campaigns:list")
    today = timezone.localdate()
    campaign.refresh_from_db()
    context = {
        "form": form,
        "campaign": campaign,
        "can_close": campaign.closes_on is None or campaign.closes_on >= today,
    }
    return render(request, "posters/campaign_form.html", context)
