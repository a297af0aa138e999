"""Where a story belongs: organisation, unit and campaign, settled the same way for the form,
the API and imports."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from mango.organisations.models import Campaign, Organisation, Unit


class PlacementError(ValueError):
    """The organisation, unit and campaign given do not fit together."""

    def __init__(self, code: str, field: str):
        super().__init__(code)
        self.code = code
        self.field = field


@dataclass
class Placement:
    organisation: Organisation | None
    unit: Unit | None
    campaign: Campaign | None


def place(organisation=None, unit=None, campaign=None, *, day=None, require_open=True):
    """Settle where a story belongs.

    A unit implies its organisation. A campaign must cover the organisation and, for new
    stories, be open today; imports of earlier campaigns pass ``require_open=False``. Without a
    campaign, the story joins the most recently opened campaign that is open and covers it.
    """
    day = day or timezone.localdate()
    if unit is not None:
        if organisation is not None and unit.organisation_id != organisation.pk:
            raise PlacementError("unit_mismatch", "unit")
        organisation = unit.organisation
    if campaign is not None:
        if require_open and not campaign.is_open(day):
            raise PlacementError("campaign_closed", "campaign")
        if (
            organisation is not None
            and not campaign.network_wide
            and not campaign.organisations.filter(pk=organisation.pk).exists()
        ):
            raise PlacementError("not_in_campaign", "organisation")
    else:
        campaign = (
            Campaign.objects.open_on(day)
            .covering(organisation)
            .order_by("-opens_on", "-pk")
            .first()
        )
    return Placement(organisation, unit, campaign)
