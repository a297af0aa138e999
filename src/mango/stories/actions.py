"""The one place where stories are written. Views, the API and the importer call these."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from mango.organisations.models import Campaign, Organisation, Unit

from .models import Story
from .tasks import deidentify_story_job

log = logging.getLogger("mango.stories")


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


def submit_story(values: dict, placement: Placement, *, source: str = "form") -> Story:
    """Store a validated story. It is committed before this returns, so the receipt we hand
    out always names a stored story."""
    with transaction.atomic():
        story = Story(
            **values,
            organisation=placement.organisation,
            unit=placement.unit,
            campaign=placement.campaign,
            source=source,
        )
        story.defer_facts = True  # the de-identification job's save counts it
        story.save(force_insert=True)
    log.info("story received id=%s source=%s", story.pk, source)
    # De-identify in the background. The story is already committed: if the queue is down,
    # the periodic sweep (deidentify_pending_job) picks it up later.
    try:
        deidentify_story_job(story.pk)
    except Exception:
        log.exception("could not queue de-identification for story id=%s", story.pk)
    return story
