"""Managing campaigns inside Mango instead of the Django admin: who may, and each change in one
transaction with its audit rows.

An organisation's managers create and edit campaigns for their own organisations (every
organisation of the campaign must be theirs; a campaign shared with another organisation, or a
network-wide one, is not theirs to change). Network-wide administrators and researchers create
and edit any campaign, network-wide ones included. Closing early sets the closing date to
yesterday: from today on the campaign takes no new stories; what it collected stays.

Audit values name the fields and their non-personal values (names, dates, organisation ids);
one row per organisation of the campaign, so that each organisation's trail shows it, and one
row without organisation for a network-wide campaign.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from mango.audit.log import record
from mango.organisations.models import Campaign, Organisation

NETWORK_ROLES = ("administrator", "researcher")
FIELDS = ("name", "slug", "description", "opens_on", "closes_on", "network_wide")


def works_network_wide(user) -> bool:
    """Administrators and researchers with a network-wide role (and superusers)."""
    if not user.is_authenticated:
        return False
    return (
        user.is_superuser
        or user.memberships.filter(organisation=None, role__in=NETWORK_ROLES).exists()
    )


def campaign_organisations(user):
    """The organisations ``user`` may run campaigns for (a queryset, possibly empty)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    if works_network_wide(user):
        return Organisation.objects.all()
    ids = user.memberships.filter(role="manager").values_list("organisation_id", flat=True)
    return Organisation.objects.filter(pk__in=list(ids))


def can_manage_campaigns(user) -> bool:
    return works_network_wide(user) or campaign_organisations(user).exists()


def can_edit(user, campaign: Campaign) -> bool:
    if works_network_wide(user):
        return True
    if campaign.network_wide:
        return False
    theirs = set(campaign_organisations(user).values_list("pk", flat=True))
    ids = {o.pk for o in campaign.organisations.all()}
    return bool(ids) and ids <= theirs


def unique_slug(name: str, *, exclude=None) -> str:
    base = slugify(name)[:40] or "campaign"
    slug, n = base, 2
    taken = Campaign.objects.exclude(pk=exclude.pk if exclude else None)
    while taken.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check(actor, *, network_wide: bool, organisations) -> None:
    if network_wide and not works_network_wide(actor):
        raise PermissionDenied
    allowed = set(campaign_organisations(actor).values_list("pk", flat=True))
    if any(o.pk not in allowed for o in organisations):
        raise PermissionDenied
    if not network_wide and not organisations:
        raise ValidationError(
            _("Choose at least one organisation, or make the campaign network-wide.")
        )


def check_dates(opens_on, closes_on) -> None:
    if opens_on and closes_on and closes_on < opens_on:
        raise ValidationError(_("The campaign cannot close before it opens."))


def _audit_value(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def _record(actor, action, campaign, organisations, *, old=None, new=None) -> None:
    targets = list(organisations) or [None]
    if campaign.network_wide and None not in targets:
        targets = [None, *targets]
    for organisation in targets:
        record(actor, action, campaign, organisation=organisation, old=old, new=new)


def create(actor, *, organisations, **fields) -> Campaign:
    organisations = list(organisations)
    _check(actor, network_wide=fields.get("network_wide", False), organisations=organisations)
    check_dates(fields.get("opens_on"), fields.get("closes_on"))
    if not fields.get("slug"):
        fields["slug"] = unique_slug(fields["name"])
    with transaction.atomic():
        campaign = Campaign.objects.create(**fields)
        campaign.organisations.set(organisations)
        new = {key: _audit_value(getattr(campaign, key)) for key in FIELDS if key != "description"}
        new["organisations"] = sorted(o.pk for o in organisations)
        _record(actor, "campaign.created", campaign, organisations, new=new)
    return campaign


def update(actor, campaign: Campaign, *, organisations, **fields) -> Campaign:
    if not can_edit(actor, campaign):
        raise PermissionDenied
    organisations = list(organisations)
    _check(actor, network_wide=fields.get("network_wide", False), organisations=organisations)
    check_dates(fields.get("opens_on"), fields.get("closes_on"))
    if not fields.get("slug"):
        fields["slug"] = campaign.slug
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        before_orgs = list(campaign.organisations.all())
        old, new = {}, {}
        for key, value in fields.items():
            if getattr(campaign, key) != value:
                # The description is free text: the trail says that it changed, not what it says.
                old[key] = True if key == "description" else _audit_value(getattr(campaign, key))
                new[key] = True if key == "description" else _audit_value(value)
                setattr(campaign, key, value)
        if {o.pk for o in before_orgs} != {o.pk for o in organisations}:
            old["organisations"] = sorted(o.pk for o in before_orgs)
            new["organisations"] = sorted(o.pk for o in organisations)
        if not new:
            return campaign
        campaign.save()
        campaign.organisations.set(organisations)
        everyone = {o.pk: o for o in [*before_orgs, *organisations]}.values()
        _record(actor, "campaign.changed", campaign, everyone, old=old, new=new)
    return campaign


def close_early(actor, campaign: Campaign, *, today=None) -> Campaign:
    """Stop taking stories from today on (the closing date becomes yesterday)."""
    if not can_edit(actor, campaign):
        raise PermissionDenied
    today = today or timezone.localdate()
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.closes_on is not None and campaign.closes_on < today:
            raise ValidationError(_("This campaign is already closed."))
        old = _audit_value(campaign.closes_on)
        campaign.closes_on = today - datetime.timedelta(days=1)
        campaign.save(update_fields=["closes_on"])
        _record(
            actor,
            "campaign.closed",
            campaign,
            campaign.organisations.all(),
            old={"closes_on": old},
            new={"closes_on": _audit_value(campaign.closes_on)},
        )
    return campaign
