"""The write paths of de-identification, moderation and the teller's rights.

Every function here changes a story inside one transaction and writes its audit row in that
same transaction, so the trail and the data never disagree. Views and commands call these;
they never save these fields themselves. Audit values name fields, kinds and positions, never
story text or contact details.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from mango.audit.log import record

from .models import Story, SubmissionKey

log = logging.getLogger("mango.stories")


def _deid():
    # Imported on first use: the web process needs it only when a story is de-identified.
    from mango.lib import deid

    return deid


KINDS = (
    "person",
    "staff_first_name",
    "date",
    "age",
    "phone",
    "email",
    "address",
    "location",
    "institution",
    "identifier",
    "url",
)


def keeps_staff_first_names(story: Story) -> bool:
    """Policy: a staff first name may stay only with the teller's consent to sharing and the
    organisation's choice (and when not switched off network-wide)."""
    return bool(
        settings.MANGO_ALLOW_STAFF_FIRST_NAMES
        and story.consent_sharing
        and story.organisation is not None
        and story.organisation.keep_staff_first_names
    )


def _span_dict(span) -> dict:
    return {
        "kind": span.kind,
        "start": span.start,
        "end": span.end,
        "replacement": span.replacement,
        "kept": span.original is not None,
    }


def apply_redactions(text: str, redactions: list[dict]) -> str:
    spans = [
        _deid().Span(r["kind"], r["start"], r["end"], r["replacement"], None)
        for r in redactions
        if not r.get("kept")
    ]
    return _deid().redact(text, spans)


def _positions(redactions) -> list[dict]:
    """What the audit keeps of redactions: kinds and positions, never the words."""
    return [
        {"kind": r["kind"], "start": r["start"], "end": r["end"], "kept": r.get("kept", False)}
        for r in redactions
    ]


def redact(story: Story):
    """The de-identifier's result for a story (``lib.deid``): slow, so it runs outside any
    transaction; ``save_deidentified`` stores it."""
    return _deid().deidentify(
        story.text, story.language, keep_staff_first_names=keeps_staff_first_names(story)
    )


def save_deidentified(story_id: int, result) -> Story | None:
    """Store a de-identification result, with its audit row; None when the story has moved
    on meanwhile (de-identified by another job, withdrawn, erased)."""
    redactions = [_span_dict(s) for s in result.spans]
    with transaction.atomic():
        story = (
            Story.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .get(pk=story_id)
        )
        if story.status != "received":
            return None
        story.text_redacted = result.text
        story.redactions = redactions
        story.deidentified_at = timezone.now()
        story.status = "deidentified"
        story.save(update_fields=["text_redacted", "redactions", "deidentified_at", "status"])
        record(
            None,
            "story.deidentified",
            story,
            organisation=story.organisation,
            new={"spans": len(redactions), "kinds": sorted({r["kind"] for r in redactions})},
        )
    log.info("story de-identified id=%s spans=%s", story.pk, len(redactions))
    return story


REDACTION_NOTES = ("", "added", "undone")


def set_redactions(actor, story: Story, redactions: list[dict], note: str = "") -> Story:
    """Replace the story's redactions (a moderator added or undid one) and re-redact.

    A shared story whose redactions change stops being shared and goes back to the review
    queue: the teams read a text only after a moderator approved that very text. ``note`` is
    one of ``REDACTION_NOTES`` (the audit trail holds no free text)."""
    if note not in REDACTION_NOTES:
        raise ValueError(f"Unknown redaction note {note!r}")
    clean = _validated(story.text, redactions)
    with transaction.atomic():
        old = {"spans": _positions(story.redactions)}
        new = {"spans": _positions(clean)}
        story.redactions = clean
        story.text_redacted = apply_redactions(story.text, clean)
        if story.status == "received":
            story.status = "deidentified"
            story.deidentified_at = timezone.now()
        fields = ["redactions", "text_redacted", "status", "deidentified_at"]
        if story.status == "shared":
            old.update(status="shared", shareable=story.shareable)
            story.status = "deidentified"
            story.shareable = None
            story.shared_at = None
            new.update(status=story.status, shareable=None)
            fields += ["shareable", "shared_at"]
        story.save(update_fields=fields)
        record(
            actor,
            "story.redactions_changed",
            story,
            organisation=story.organisation,
            old=old,
            new=new,
            note=note,
        )
    return story


def _validated(text: str, redactions: list[dict]) -> list[dict]:
    out = []
    for r in sorted(redactions, key=lambda r: (r["start"], r["end"])):
        start, end = int(r["start"]), int(r["end"])
        if not (0 <= start < end <= len(text)):
            raise ValueError("A redaction must lie inside the story.")
        if r["kind"] not in KINDS:
            raise ValueError(f"Unknown kind of redaction: {r['kind']}")
        if out and start < out[-1]["end"]:
            raise ValueError("Redactions may not overlap.")
        out.append(
            {
                "kind": r["kind"],
                "start": start,
                "end": end,
                "replacement": r["replacement"],
                "kept": bool(r.get("kept")),
            }
        )
    return out


def add_redaction(actor, story: Story, start: int, end: int, kind: str) -> Story:
    """Redact ``text[start:end]``; redactions it overlaps are merged into it."""
    if not (0 <= start < end <= len(story.text)):
        raise ValueError("A redaction must lie inside the story.")
    kept = []
    for r in story.redactions:
        if r["end"] <= start or r["start"] >= end:
            kept.append(r)
        else:
            start, end = min(start, r["start"]), max(end, r["end"])
    new = {
        "kind": kind,
        "start": start,
        "end": end,
        "replacement": _deid().replacement(kind, story.language),
        "kept": False,
    }
    return set_redactions(actor, story, [*kept, new], note="added")


def undo_redaction(actor, story: Story, index: int) -> Story:
    """Remove the redaction at ``index`` (the moderator judged the words harmless)."""
    if not 0 <= index < len(story.redactions):
        raise ValueError("No such redaction.")
    rest = [r for i, r in enumerate(story.redactions) if i != index]
    return set_redactions(actor, story, rest, note="undone")


def review_story(actor, story: Story, *, shareable: bool, reason: str) -> Story:
    """The moderator's decision. Shareable stories are shared with the organisation's teams
    at once. The reason is kept with the story (and erased with it); the audit trail, which
    is append-only and outlives an erasure, records only that a reason was given and its
    length, since a reason may quote the story or name its people."""
    if story.is_erased or not story.consent_sharing:
        raise ValueError("Without the teller's consent to sharing, a story cannot be shared.")
    if story.status == "received":
        raise ValueError("De-identify the story before reviewing it.")
    with transaction.atomic():
        old = {"status": story.status, "shareable": story.shareable}
        now = timezone.now()
        story.shareable = shareable
        story.review_note = reason
        story.reviewed_by = actor
        story.reviewed_at = now
        story.status = "shared" if shareable else "reviewed"
        story.shared_at = now if shareable else None
        story.save(
            update_fields=[
                "shareable",
                "review_note",
                "reviewed_by",
                "reviewed_at",
                "status",
                "shared_at",
            ]
        )
        record(
            actor,
            "story.shared" if shareable else "story.reviewed",
            story,
            organisation=story.organisation,
            old=old,
            new={
                "status": story.status,
                "shareable": shareable,
                "reason_given": bool(reason.strip()),
                "reason_length": len(reason),
            },
        )
    return story


def view_original(actor, story: Story) -> None:
    """Note in the audit trail that ``actor`` read the original (not de-identified) text."""
    with transaction.atomic():
        record(actor, "story.view_original", story, organisation=story.organisation)


def withdraw_consent(story: Story, *, research: bool = False, sharing: bool = False) -> Story:
    """The teller withdraws one or both consents. A shared story stops being shared."""
    with transaction.atomic():
        story = Story.objects.select_for_update().get(pk=story.pk)
        old = {
            "consent_research": story.consent_research,
            "consent_sharing": story.consent_sharing,
            "status": story.status,
        }
        if research:
            story.consent_research = False
        if sharing:
            story.consent_sharing = False
            story.shareable = None
            story.shared_at = None
        # The status follows the sharing path: withdrawing sharing takes the story off it;
        # withdrawing research alone matters for the status only when no consent remains.
        if not story.is_erased and (
            sharing or not (story.consent_research or story.consent_sharing)
        ):
            story.status = "withdrawn"
            story.withdrawn_at = timezone.now()
        story.save()
        record(
            None,
            "story.consent_withdrawn",
            story,
            organisation=story.organisation,
            old=old,
            new={
                "consent_research": story.consent_research,
                "consent_sharing": story.consent_sharing,
                "status": story.status,
            },
            by="teller",
        )
    return story


ERASED_FIELDS = (
    "text",
    "text_redacted",
    "redactions",
    "contact_name",
    "contact_email",
    "contact_phone",
    "external_id",
    "review_note",
)


def month_start(moment):
    """Midnight on the first day of ``moment``'s month in the site's time zone."""
    local = timezone.localtime(moment)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def erase_story(story: Story, *, actor=None, by: str = "teller") -> Story:
    """Erase the text and personal data everywhere; keep an anonymous tombstone for counts.

    The tombstone keeps the categories (who told it, setting, organisation, campaign, month)
    so totals stay right, and the receipt, so the teller can see it was erased. Exports read
    the live table, so no later export holds the text.
    """
    with transaction.atomic():
        story = Story.objects.select_for_update().get(pk=story.pk)
        if story.is_erased:
            return story
        now = timezone.now()
        story.text = ""
        story.text_redacted = ""
        story.redactions = []
        story.contact_name = story.contact_email = story.contact_phone = ""
        story.external_id = ""
        story.review_note = ""
        # Adjudicators' comments may quote the story: they go with it, the codes stay.
        story.decisions.exclude(comment="").update(comment="")
        story.final_codes.exclude(comment="").update(comment="")
        story.consent_research = story.consent_sharing = False
        story.shareable = None
        story.shared_at = None
        story.status = "erased"
        story.erased_at = now
        story.erasure_requested_at = story.erasure_requested_at or now
        # Keep only the month: an exact timestamp helps re-identify a teller. The month is the
        # site's (local) month, as in the analysis, so the story stays counted in it.
        story.submitted_at = month_start(story.submitted_at)
        story.save()
        # The form token's or Idempotency-Key's row holds the exact time of arrival.
        SubmissionKey.objects.filter(story=story).delete()
        record(
            actor,
            "story.erased",
            story,
            organisation=story.organisation,
            new={"erased": True},
            by=by if actor is None else "system",
        )
    log.info("story erased id=%s", story.pk)
    return story


def export_story(story: Story, *, actor=None, by: str = "teller") -> dict:
    """Everything Mango holds about one story, for the teller (right of access)."""
    data = {
        "receipt": story.receipt,
        "status": story.status,
        "submitted_at": story.submitted_at.isoformat(),
        "language": story.language,
        "text": story.text,
        "text_shared_with_staff": story.text_redacted if story.status == "shared" else None,
        "teller_role": story.teller_role,
        "setting": story.setting,
        "oncological": story.oncological,
        "happened": story.happened,
        "gesture_by": story.gesture_by,
        "organisation": story.organisation.name if story.organisation else None,
        "unit": story.unit.name if story.unit else None,
        "campaign": story.campaign.name if story.campaign else None,
        "consent_research": story.consent_research,
        "consent_sharing": story.consent_sharing,
        "contact_name": story.contact_name,
        "contact_email": story.contact_email,
        "contact_phone": story.contact_phone,
        "deidentified_at": story.deidentified_at and story.deidentified_at.isoformat(),
        "reviewed_at": story.reviewed_at and story.reviewed_at.isoformat(),
        "shared_at": story.shared_at and story.shared_at.isoformat(),
        "withdrawn_at": story.withdrawn_at and story.withdrawn_at.isoformat(),
        "erased_at": story.erased_at and story.erased_at.isoformat(),
    }
    with transaction.atomic():
        record(actor, "story.exported", story, organisation=story.organisation, by=by)
    return data
