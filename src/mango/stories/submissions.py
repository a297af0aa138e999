"""Submissions that store a story at most once: the form's one-time token, the API's
``Idempotency-Key``.

A double tap on "send", or an API client retrying after a lost answer, sends the same
submission twice. The first claims the key (a ``SubmissionKey`` row, committed at once; its
unique constraint makes a concurrent claim of the same key fail, also across gunicorn workers
and on PostgreSQL), then stores the story through ``lifecycle.actions.submit_story`` in that
function's own transaction (its jobs are queued after its commit) and records it on the claim.
A second request finds the claim and waits briefly for its story instead of storing another.
Keys are kept for ``WINDOW``; a claim left without a story (its worker was killed) is given up
after ``ABANDONED_AFTER``.
"""

from __future__ import annotations

import hashlib
import json
import time
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from .models import Story, SubmissionKey

WINDOW = timedelta(hours=24)
ABANDONED_AFTER = timedelta(minutes=2)
WAIT = timedelta(seconds=5)


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
    """Run ``submit()`` (which stores and returns a story, committed) unless a submission with
    ``key`` was made within the window. Returns the submission and whether this call stored
    the story. A caller compares ``fingerprint`` with ``body_hash`` when it was not stored now;
    the submission's ``story`` is None if the first request is still storing it (or failed)."""
    digest = _digest(kind, key)
    for attempt in range(3):
        try:
            with transaction.atomic():
                claim = SubmissionKey.objects.create(key=digest, fingerprint=body_hash)
            break
        except IntegrityError:
            # An expired key may be used again, and so may a claim whose request died before
            # it stored its story (the hourly ``forget_expired`` removes the rest).
            if _stale(SubmissionKey.objects.filter(key=digest)).delete()[0]:
                continue
            # Another request holds this key: its story stands.
            try:
                return _wait_for_story(kind, key), False
            except Unclaimed:
                if attempt == 2:
                    raise
                # It failed and gave the key up: this request may claim it.
    try:
        story: Story = submit()
    except BaseException:
        SubmissionKey.objects.filter(pk=claim.pk).delete()
        raise
    SubmissionKey.objects.filter(pk=claim.pk).update(story=story)
    claim.story = story
    return claim, True


def _stale(keys):
    now = timezone.now()
    return keys.filter(
        Q(created_at__lt=now - WINDOW) | Q(story=None, created_at__lt=now - ABANDONED_AFTER)
    )


def forget_expired() -> int:
    """Delete the keys past the window and abandoned claims; returns how many."""
    return _stale(SubmissionKey.objects.all()).delete()[0]


def settled(kind: str, key: str) -> SubmissionKey | None:
    """Like ``find``, but a claim whose story is being stored right now is waited for (briefly);
    None also when the request that claimed the key failed."""
    found = find(kind, key)
    if found is None or found.story_id is not None:
        return found
    try:
        return _wait_for_story(kind, key)
    except Unclaimed:
        return None


def _wait_for_story(kind: str, key: str) -> SubmissionKey:
    """The claim of ``key``, once its story is stored (the first request takes milliseconds);
    after ``WAIT`` the claim is returned as it is, possibly without a story yet."""
    deadline = time.monotonic() + WAIT.total_seconds()
    while True:
        found = find(kind, key)
        if found is None:
            # The first request failed and gave up its claim: nothing was stored.
            raise Unclaimed(key)
        if found.story_id is not None or time.monotonic() >= deadline:
            return found
        time.sleep(0.05)


class Unclaimed(Exception):
    """The request that claimed a key failed without storing its story: send it again."""


def mark_receipt_shown(submission_id: int) -> SubmissionKey | None:
    """The submission whose receipt may be shown now, or None if it was shown already: a
    receipt appears once, on the thank-you page, and never again from its session."""
    now = timezone.now()
    updated = SubmissionKey.objects.filter(
        pk=submission_id, receipt_shown_at__isnull=True, story__isnull=False
    ).update(receipt_shown_at=now)
    if not updated:
        return None
    return SubmissionKey.objects.select_related("story").filter(pk=submission_id).first()
