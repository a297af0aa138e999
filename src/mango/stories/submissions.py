"""Submissions that store a story at most once: the form's one-time token, the API's
``Idempotency-Key``.

A double tap on "send", or an API client retrying after a lost answer, sends the same
submission twice. The first stores the story and a ``SubmissionKey`` in one transaction; the
key's unique constraint makes a concurrent second one wait for that transaction and then fail,
which rolls its own story back, so it finds the first one's story instead (also across
gunicorn workers and on PostgreSQL). Keys are kept for ``WINDOW``.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Story, SubmissionKey

WINDOW = timedelta(hours=24)


def _digest(kind: str, key: str) -> str:
    return hashlib.sha256(f"{kind}\x00{key}".encode()).hexdigest()


def fingerprint(data) -> str:
    """A hash of a submission's content, to tell a retry from a reused key."""
    encoded = json.dumps(data, sort_keys=True, ensure_ascii=True, default=str)
    return hashlib.sha256(encoded.encode()).hexdigest()


def find(kind: str, key: str) -> SubmissionKey | None:
    """The submission made with ``key`` within the window, if any."""
    found = SubmissionKey.objects.select_related("story").filter(key=_digest(kind, key)).first()
    if found is not None and found.created_at < timezone.now() - WINDOW:
        return None
    return found


def submit_once(kind: str, key: str, body_hash: str, submit) -> tuple[SubmissionKey, bool]:
    """Run ``submit()`` (which stores and returns a story) unless a submission with ``key`` was
    made within the window. Returns the submission and whether this call stored the story.
    A caller compares ``fingerprint`` with ``body_hash`` when it was not stored now."""
    digest = _digest(kind, key)
    cutoff = timezone.now() - WINDOW
    # An expired key may be used again; other expired keys go at the same time.
    SubmissionKey.objects.filter(created_at__lt=cutoff).delete()
    found = find(kind, key)
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            story: Story = submit()
            made = SubmissionKey.objects.create(key=digest, fingerprint=body_hash, story=story)
    except IntegrityError:
        # Another request with this key committed first: its story stands, ours is rolled back.
        found = find(kind, key)
        if found is None:
            raise
        return found, False
    return made, True


def mark_receipt_shown(submission_id: int) -> SubmissionKey | None:
    """The submission whose receipt may be shown now, or None if it was shown already: a
    receipt appears once, on the thank-you page, and never again from its session."""
    now = timezone.now()
    updated = SubmissionKey.objects.filter(pk=submission_id, receipt_shown_at__isnull=True).update(
        receipt_shown_at=now
    )
    if not updated:
        return None
    return SubmissionKey.objects.select_related("story").filter(pk=submission_id).first()
