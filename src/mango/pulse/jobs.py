"""Background jobs of the pulse app (huey): de-identifying free-text answers, and forgetting
the double-submission tokens of closed periods.

A free-text answer is shown to no one before it is de-identified; the original is then
emptied, so only the redacted text stays. A sweep every five minutes catches answers whose
job was lost.
"""

import logging

from django.db import transaction
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from mango.lib import deid

from .models import Answer

log = logging.getLogger("mango.pulse")


def deidentify_answers(answer_ids=None, limit: int = 200) -> int:
    """Replace the free text of waiting answers by its de-identified form."""
    waiting = Answer.objects.filter(deidentified=False).exclude(text="")
    if answer_ids is not None:
        waiting = waiting.filter(pk__in=list(answer_ids))
    done = 0
    for answer in waiting.select_related("response")[:limit]:
        result = deid.deidentify(answer.text, answer.response.language)
        with transaction.atomic():
            updated = Answer.objects.filter(pk=answer.pk, deidentified=False).update(
                text_redacted=result.text, text="", deidentified=True
            )
        done += updated
    return done


@db_task(retries=3, retry_delay=10)
def deidentify_answers_job(answer_ids: list[int]) -> None:
    deidentify_answers(answer_ids)


@db_periodic_task(crontab(minute="*/5"))
def deidentify_answers_sweep() -> None:
    done = deidentify_answers()
    if done:
        log.info("de-identified %s pulse answers whose job was lost", done)


@db_periodic_task(crontab(minute="41"))
def forget_tokens_sweep() -> None:
    from . import actions

    actions.forget_tokens()


def queue_deidentification(answer_ids: list[int]) -> None:
    if not answer_ids:
        return
    try:
        deidentify_answers_job(answer_ids)
    except Exception:
        log.exception("could not queue the de-identification of pulse answers")
