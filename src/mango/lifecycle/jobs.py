"""Background jobs of the story lifecycle (huey; a worker runs them: `mango run_huey`).

``actions`` calls the ``queue_*`` functions after its transaction commits. A job that is lost
(the queue down, a worker killed midway) is caught by a sweep: every minute, stories that have
waited for de-identification for more than a minute are de-identified (the step is idempotent,
so a job that was only slow does no harm); every five minutes, stories without facts are
counted.
"""

import logging
from datetime import timedelta

from django.db import transaction
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from mango.analysis import facts
from mango.classify import tasks as classify_tasks
from mango.classify.models import TrainedModel
from mango.stories import submissions

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


# A story that waits longer than this for its job is taken over by the sweep.
LOST_AFTER = timedelta(minutes=1)


@db_periodic_task(crontab(minute="*"))
def deidentify_waiting_sweep() -> None:
    from . import actions

    done = actions.deidentify_waiting(older_than=LOST_AFTER)
    if done:
        log.info("de-identified %s stories whose job was lost", done)


@db_periodic_task(crontab(minute="*/5"))
def catch_up_facts_sweep() -> None:
    """Count stories that have no facts yet (their de-identification job has not run)."""
    counted = facts.catch_up()
    if counted:
        log.info("counted %s stories that had no facts yet", counted)


@db_periodic_task(crontab(minute="17"))
def forget_submission_keys_sweep() -> None:
    """Submission keys (double-submit guards) are kept for a day, then forgotten."""
    submissions.forget_expired()


def _queue(function) -> None:
    # The caller's transaction has committed (the steps call this after theirs). A queue that
    # is down must not undo a stored story: the sweep picks up what could not be queued.
    try:
        function()
    except Exception:
        log.exception("could not queue a lifecycle job")


def queue_deidentification(story_id: int) -> None:
    _queue(lambda: deidentify_story_job(story_id))


def queue_waiting_deidentification() -> None:
    _queue(deidentify_waiting_job)


def queue_suggestions(story_ids: list[int]) -> None:
    """Suggested codes for de-identified stories, when a classifier model is ready."""
    if story_ids and TrainedModel.objects.filter(status="ready").exists():
        # After the commit: the jobs must find the stories de-identified.
        for story_id in story_ids:
            transaction.on_commit(
                lambda story_id=story_id: _queue(lambda: classify_tasks.suggest_story_job(story_id))
            )
