"""Thank-you notes: a shared story linked to the staff member it praises, e-mailed to them,
with a signed link for a short reply that the teller reads with their receipt code.

Every write here is one transaction with its audit row. Only stories that may be shown to
staff (``culture.visible``: shared by a moderator, the teller's consent to sharing holding,
not erased) reach a note; the note carries the de-identified text only.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation

from mango import mail
from mango.audit.log import record
from mango.culture import visible
from mango.stories.models import Story

from .models import ThankYouNote, new_reply_key

log = logging.getLogger("mango.recognition")

REPLY_SALT = "mango.recognition.reply"
# A reply link works this long after the note was sent (and until its note revokes it).
REPLY_MAX_AGE = 180 * 24 * 3600
REPLY_MAX_CHARS = 1000
# The sweep stops trying a note after this many failed sends (its last error stays).
MAX_ATTEMPTS = 10


class NotShareable(ValueError):
    """The story may not (or no longer) be shown to staff."""


def require_shareable(story: Story) -> None:
    if not visible.shared_stories().filter(pk=story.pk).exists():
        raise NotShareable(
            "Only a story that a moderator shared, with the teller's consent to sharing, "
            "can be sent to a staff member."
        )


def link_story(
    actor,
    story: Story,
    *,
    recipient=None,
    email: str = "",
    first_name: str = "",
    profession: str = "",
    unit=None,
    language: str = "nl",
    line_manager_email: str = "",
) -> ThankYouNote:
    """Link a shared story to a staff member (an account, or an e-mail address and a first
    name); the note is sent by a background job once this commits. Audited."""
    if (recipient is None) == (not email):
        raise ValueError("Choose a colleague with an account, or give an e-mail address.")
    if recipient is not None and not recipient.email:
        raise ValueError("This colleague's account has no e-mail address.")
    if email and not first_name.strip():
        raise ValueError("Give the first name of a colleague without an account.")
    if unit is not None and unit.organisation_id != story.organisation_id:
        raise ValueError("The unit belongs to another organisation.")
    with transaction.atomic():
        story = (
            Story.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .get(pk=story.pk)
        )
        require_shareable(story)
        note = ThankYouNote.objects.create(
            story=story,
            unit=unit,
            recipient=recipient,
            recipient_email="" if recipient else email.strip(),
            recipient_name="" if recipient else first_name.strip(),
            profession=profession,
            language=language,
            line_manager_email=line_manager_email.strip(),
            created_by=actor,
        )
        record(
            actor,
            "thankyou.linked",
            note,
            organisation=story.organisation,
            new={
                "story": story.pk,
                "recipient_account": recipient.pk if recipient else None,
                "profession": profession,
                "unit": unit.pk if unit else None,
                "line_manager_copy": bool(
                    story.organisation.copy_line_manager and note.line_manager_email
                ),
            },
        )
        note_id = note.pk
        transaction.on_commit(lambda: queue_send(note_id))
    return note


def queue_send(note_id: int) -> None:
    from . import jobs  # jobs call back into this module

    try:
        jobs.send_note_job(note_id)
    except Exception:
        # The queue is down: the sweep sends notes that are still waiting.
        log.exception("could not queue thank-you note #%s", note_id)


def reply_token(note: ThankYouNote) -> str:
    return signing.dumps({"n": note.pk, "k": note.reply_key}, salt=REPLY_SALT)


def reply_url(note: ThankYouNote) -> str:
    with translation.override(note.language):
        path = reverse("recognition:reply", args=[reply_token(note)])
    return settings.PUBLIC_URL + path


def note_for_token(token: str) -> ThankYouNote | None:
    """The note a reply link belongs to; None when the link is forged, expired or revoked."""
    try:
        data = signing.loads(token, salt=REPLY_SALT, max_age=REPLY_MAX_AGE)
        pk, key = int(data["n"]), str(data["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    note = (
        ThankYouNote.objects.select_related("story__organisation", "unit", "recipient")
        .filter(pk=pk, reply_revoked_at__isnull=True)
        .first()
    )
    if note is None or not signing.constant_time_compare(note.reply_key, key):
        return None
    return note


def save_reply(note: ThankYouNote, text: str) -> ThankYouNote:
    """The staff member's short reply (no account: the signed link is the key). Audited
    without the text."""
    text = text.strip()
    if not text:
        raise ValueError("Write a few words.")
    if len(text) > REPLY_MAX_CHARS:
        raise ValueError(f"Keep it under {REPLY_MAX_CHARS} characters.")
    with transaction.atomic():
        note = ThankYouNote.objects.select_for_update().get(pk=note.pk)
        require_shareable(note.story)
        first = not note.replied_at
        note.reply_text = text
        note.replied_at = timezone.now()
        note.save(update_fields=["reply_text", "replied_at"])
        record(
            None,
            "thankyou.replied",
            note,
            organisation=note.story.organisation,
            new={"first_reply": first, "length": len(text)},
            by="recipient",
        )
    return note


def revoke_reply_link(actor, note: ThankYouNote) -> ThankYouNote:
    """Stop the note's reply link from working (a new key; links made before fail)."""
    with transaction.atomic():
        note = ThankYouNote.objects.select_for_update().get(pk=note.pk)
        note.reply_key = new_reply_key()
        note.reply_revoked_at = timezone.now()
        note.save(update_fields=["reply_key", "reply_revoked_at"])
        record(actor, "thankyou.reply_revoked", note, organisation=note.story.organisation)
    return note


# --- sending --------------------------------------------------------------------------------


def send_note(note_id: int) -> int:
    """Send the note and, where the organisation wants it, the line manager's copy. Each goes
    out at most once: its ``*_sent_at`` is set in the transaction that claims it, the mail is
    sent inside that transaction, and a failed send rolls the claim back (the exception goes
    to the job, which retries). A story that is no longer shared is not sent. Returns the
    number of messages sent."""
    note = (
        ThankYouNote.objects.select_related("story__organisation", "unit", "recipient")
        .filter(pk=note_id)
        .first()
    )
    if note is None:
        return 0
    sent = _send_once(note, "sent_at", [note.address], "recognition/email/thank_you")
    if note.story.organisation.copy_line_manager and note.line_manager_email:
        sent += _send_once(
            note, "copy_sent_at", [note.line_manager_email], "recognition/email/thank_you_copy"
        )
    return sent


def _send_once(note: ThankYouNote, field: str, to: list[str], template: str) -> int:
    try:
        with transaction.atomic():
            claimed = ThankYouNote.objects.filter(pk=note.pk, **{f"{field}__isnull": True}).update(
                **{field: timezone.now()}, send_attempts=F("send_attempts") + 1
            )
            if not claimed:
                return 0
            # Read again under the claim: a consent withdrawn a moment ago stops the note.
            story = Story.objects.select_related("organisation").get(pk=note.story_id)
            if not visible.is_shown(story):
                transaction.set_rollback(True)
                return 0
            mail.send(to, template, _context(note, story), language=note.language)
            record(
                None,
                "thankyou.sent",
                note,
                organisation=story.organisation,
                new={"copy": field == "copy_sent_at", "recipient_account": note.recipient_id},
            )
    except Exception as exc:
        ThankYouNote.objects.filter(pk=note.pk).update(
            send_attempts=F("send_attempts") + 1, last_error=type(exc).__name__[:100]
        )
        raise
    return 1


def _context(note: ThankYouNote, story: Story) -> dict:
    return {
        "first_name": note.first_name,
        "organisation": story.organisation.name,
        "unit": note.unit.name if note.unit_id else "",
        "story_text": story.text_redacted,
        "story_language": story.language,
        "month": story.shared_at or story.submitted_at,
        "reply_url": reply_url(note),
    }


def unsent_notes(older_than):
    """Notes whose job was lost (or failed for good): waiting for longer than ``older_than``."""
    cutoff = timezone.now() - older_than
    return ThankYouNote.objects.filter(
        sent_at__isnull=True,
        created_at__lt=cutoff,
        send_attempts__lt=MAX_ATTEMPTS,
        story__in=visible.shared_stories(),
    ).values_list("pk", flat=True)


def forget_story(story: Story) -> int:
    """On erasure: clear the replies to the story's notes (a reply may quote the story).
    Meant to run inside ``lifecycle.actions.erase_story``'s transaction; returns the number
    of notes cleared. The notes themselves stay, as counts for fair recognition."""
    return (
        ThankYouNote.objects.filter(story=story)
        .exclude(reply_text="")
        .update(reply_text="", reply_key=new_reply_key(), reply_revoked_at=timezone.now())
    )


def teller_news(story: Story) -> dict:
    """What the teller sees on their status page: whether the story reached a staff member,
    and the replies. Nothing once the story is erased."""
    if story.is_erased:
        return {"reached": False, "replies": []}
    notes = ThankYouNote.objects.filter(story=story, sent_at__isnull=False)
    replies = [
        {"text": n.reply_text, "at": n.replied_at}
        for n in notes.filter(replied_at__isnull=False).order_by("replied_at")
    ]
    return {"reached": notes.exists(), "replies": replies}
