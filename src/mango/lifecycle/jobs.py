"""Background jobs of the story lifecycle (huey; a worker runs them: `mango run_huey`).

``actions`` calls the ``queue_*`` functions after its transaction commits. A job that is lost
(the queue down, a worker killed) is caught by a sweep every few minutes: waiting stories are
de-identified, and stories without facts are counted.
"""

import logging

from django.db import transaction
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from mango.analysis import facts
from mango.classify import tasks as classify_tasks
from mango.classify.models import TrainedModel

log = logging.getLogger("mango.lifecycle")


@db_task(retries=3, retry_delay=10)
def deidentify_story_job(story_id: int) -> None:
    from . import actions  # actions queues this job

    actions.deidentify_story(story_id)


@db_task()
def deidentify_waiting_job() -> None:
    from . import actions

    done = actions.deidentify_waiting()
    if done:
        log.info("de-identified %s waiting stories", done)


@db_periodic_task(crontab(minute="*/5"))
def deidentify_waiting_sweep() -> None:
    deidentify_waiting_job.call_local()


@db_periodic_task(crontab(minute="*/5"))
def catch_up_facts_sweep() -> None:
    """Count stories that have no facts yet (their de-identification job has not run)."""
    counted = facts.catch_up()
    if counted:
        log.info("counted %s stories that had no facts yet", counted)


def _after_commit(function) -> None:
    # Outside a transaction on_commit runs at once. A queue that is down must not undo a
    # stored story: the sweeps pick up what could not be queued.
    def run():
        try:
            function()
        except Exception:
            log.exception("could not queue a lifecycle job")

    transaction.on_commit(run)


def queue_deidentification(story_id: int) -> None:
    _after_commit(lambda: deidentify_story_job(story_id))


def queue_waiting_deidentification() -> None:
    _after_commit(deidentify_waiting_job)


def queue_suggestions(story_id: int) -> None:
    """Suggested codes for a de-identified story, when a classifier model is ready."""
    if TrainedModel.objects.filter(status="ready").exists():
        _after_commit(lambda: classify_tasks.suggest_story_job(story_id))
