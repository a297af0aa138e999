"""The classifier's writes: each in one transaction with its audit row."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from mango.audit.log import record
from mango.research import actions as research_actions

from . import suggestions
from .models import TrainedModel


class ActionError(Exception):
    """A request that cannot be carried out; the message (translated) says why."""


def request_training(actor, codebook, kind: str, backend: str = "tfidf") -> TrainedModel:
    """Queue a training job for a codebook; it starts once the transaction commits."""
    from .tasks import train_model_job  # the job module imports this one

    if kind not in ("screening", "labels"):
        raise ActionError(_("Unknown kind of model."))
    if TrainedModel.objects.filter(codebook=codebook, kind=kind, status__in=("queued", "running")):
        raise ActionError(_("A model of this codebook is already being trained."))
    with transaction.atomic():
        tm = TrainedModel.objects.create(
            codebook=codebook, kind=kind, backend=backend, created_by=actor
        )
        record(
            actor,
            "classifier.training_requested",
            tm,
            new={"codebook": codebook.slug, "kind": kind, "backend": backend},
        )
        transaction.on_commit(lambda: train_model_job(tm.pk))
    return tm


def order_uncertain_first(actor, round, tm: TrainedModel) -> int:
    """Order the round's unfinished assignments by the model's uncertainty about their story,
    so the coder screen shows the least certain stories first. Stories without suggestions
    get them first. Returns the number of assignments given a priority."""
    if tm.status != "ready" or tm.codebook_id != round.codebook_id:
        raise ActionError(_("Choose a ready model of the round's codebook."))
    if not round.is_open:
        raise ActionError(_("The round is closed."))
    story_ids = research_actions.open_stories(round)
    have = set(tm.suggestions.filter(story_id__in=story_ids).values_list("story_id", flat=True))
    missing = suggestions.usable_stories().filter(pk__in=story_ids - have)
    suggestions.suggest(tm, missing.only("pk", "text", "text_redacted"))
    scores = suggestions.story_uncertainty(tm, story_ids)
    return research_actions.set_priorities(
        actor, round, scores, note={"model": tm.pk, "order": "uncertain first"}
    )
