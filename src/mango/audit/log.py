"""Writing audit events. Call ``record`` inside the transaction of the change it describes."""

from django.db import transaction

from .models import ACTIONS, AuditEvent


def record(
    actor, action: str, target, *, organisation=None, old=None, new=None, note="", by="system"
):
    """Append one event. ``actor`` is a user; without one, ``by`` says who acted ("teller" when
    the teller used their receipt code, "system" for automatic steps).

    Values in ``old``/``new`` must not hold story text or contact details: name the fields
    that changed and their non-personal values.
    """
    if action not in ACTIONS:
        raise ValueError(f"Unknown audit action {action!r}")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Audit events are written inside the transaction of their change.")
    if actor is not None and actor.is_authenticated:
        actor_name = actor.get_username()
    else:
        actor_name = by
        actor = None
    return AuditEvent.objects.create(
        actor=actor,
        actor_name=actor_name,
        action=action,
        target_type=type(target).__name__.lower() if target is not None else "",
        target_id=str(getattr(target, "pk", "") or ""),
        organisation=organisation,
        old=old or {},
        new=new or {},
        note=note,
    )
