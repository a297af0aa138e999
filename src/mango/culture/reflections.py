"""Learning conversations: a team's reflection on a shared story, and the researchers' export
of all reflections they may read."""

from __future__ import annotations

import csv
import io

from django.db import transaction

from mango.audit.log import record
from mango.lib.spreadsheets import csv_row

from .models import Reflection
from .programme import model_code_ids

EXPORT_COLUMNS = (
    "reflection_id",
    "story_id",
    "organisation",
    "unit",
    "recorded_on",
    "codes",
    "what_happened",
    "made_possible",
    "action_idea",
)


def record_reflection(actor, story, unit, *, what_happened, made_possible, action_idea, codes):
    """Save a team's reflection (texts and model codes), audited without its text."""
    allowed = model_code_ids()
    if any(code.pk not in allowed for code in codes):
        raise ValueError("Only preconditions and catalysts of the Mangomoment model.")
    if unit.organisation_id != story.organisation_id:
        raise ValueError("The team belongs to another organisation.")
    with transaction.atomic():
        reflection = Reflection.objects.create(
            story=story,
            unit=unit,
            created_by=actor,
            what_happened=what_happened,
            made_possible=made_possible,
            action_idea=action_idea,
        )
        reflection.codes.set(codes)
        record(
            actor,
            "reflection.recorded",
            reflection,
            organisation=story.organisation,
            new={
                "story": story.pk,
                "unit": unit.pk,
                "codes": sorted(code.key for code in codes),
            },
        )
    return reflection


def export_csv(actor, stories) -> str:
    """All reflections on ``stories`` (those the researcher may read) as CSV, with the story's
    number only (no story text, no teller data); audited as an export."""
    rows = (
        Reflection.objects.filter(story__in=stories)
        .select_related("unit", "unit__organisation")
        .prefetch_related("codes")
        .order_by("pk")
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    count = 0
    for r in rows:
        writer.writerow(
            csv_row(
                [
                    r.pk,
                    r.story_id,
                    r.unit.organisation.slug,
                    r.unit.name,
                    r.created_at.date().isoformat(),
                    ";".join(sorted(code.key for code in r.codes.all())),
                    r.what_happened,
                    r.made_possible,
                    r.action_idea,
                ]
            )
        )
        count += 1
    with transaction.atomic():
        record(actor, "data.exported", None, new={"kind": "reflections", "rows": count})
    return out.getvalue()
