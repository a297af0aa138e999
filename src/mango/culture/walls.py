"""Story walls: a secret link per screen. Only the hash of the secret is stored; making or
renewing a link returns the secret once. Every change is audited."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from mango.audit.log import record

from . import visible
from .models import WallLink

# How many stories a wall cycles through (the most recently shared first).
WALL_STORIES = 30


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret() -> str:
    return secrets.token_urlsafe(24)


def create(actor, organisation, unit=None, name: str = "", secret: str | None = None):
    """A new wall link; returns (link, secret). ``secret`` is for the demo only (a fixed,
    illustrative link); otherwise a random one is made."""
    if unit is not None and unit.organisation_id != organisation.pk:
        raise ValueError("The unit belongs to another organisation.")
    secret = secret or new_secret()
    with transaction.atomic():
        link = WallLink.objects.create(
            organisation=organisation,
            unit=unit,
            name=name[:100],
            token_hash=hash_secret(secret),
            created_by=actor,
        )
        record(
            actor,
            "wall_link.created",
            link,
            organisation=organisation,
            new={"unit": unit.pk if unit else None, "name": link.name},
        )
    return link, secret


def renew(actor, link: WallLink):
    """A new secret for the same wall (the old link stops working at once); it is active
    again if it was revoked. Returns the new secret."""
    secret = new_secret()
    with transaction.atomic():
        link = WallLink.objects.select_for_update().get(pk=link.pk)
        was_revoked = link.revoked_at is not None
        link.token_hash = hash_secret(secret)
        link.renewed_at = timezone.now()
        link.revoked_at = None
        link.save(update_fields=["token_hash", "renewed_at", "revoked_at"])
        record(
            actor,
            "wall_link.renewed",
            link,
            organisation=link.organisation,
            old={"revoked": was_revoked},
            new={"revoked": False},
        )
    return secret


def revoke(actor, link: WallLink) -> WallLink:
    with transaction.atomic():
        link = WallLink.objects.select_for_update().get(pk=link.pk)
        if link.revoked_at is None:
            link.revoked_at = timezone.now()
            link.save(update_fields=["revoked_at"])
            record(
                actor,
                "wall_link.revoked",
                link,
                organisation=link.organisation,
                old={"revoked": False},
                new={"revoked": True},
            )
    return link


def link_for_secret(secret: str) -> WallLink:
    """The active link of this secret, or 404 (unknown, renewed or revoked)."""
    link = (
        WallLink.objects.select_related("organisation", "unit")
        .filter(token_hash=hash_secret(secret), revoked_at__isnull=True)
        .first()
    )
    if link is None:
        raise Http404
    return link


def stories(link: WallLink):
    """What the wall shows now: the most recently shared stories of its unit or organisation."""
    if link.unit_id is not None:
        shown = visible.shared_stories_for_units([link.unit_id])
    else:
        shown = visible.shared_stories_for_organisation(link.organisation_id)
    return shown.order_by("-submitted_at", "-pk").only(
        "pk", "text_redacted", "language", "submitted_at", "happened"
    )[:WALL_STORIES]
