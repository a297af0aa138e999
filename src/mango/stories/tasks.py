"""Background jobs for stories (huey). A worker runs them: `mango run_huey`."""

import logging

from django.dispatch import Signal
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import privacy
from .models import Story

log = logging.getLogger("mango.stories")

# Sent with story_id once a story is de-identified; the classifier (mango.classify) listens to
# suggest codes for it, so stories need not know about the classifier.
story_deidentified = Signal()


def _deidentify(story_id: int) -> None:
    story = privacy.deidentify_story(story_id)
    if story is not None and story.status == "deidentified":
        story_deidentified.send(sender=Story, story_id=story_id)


@db_task(retries=3, retry_delay=10)
def deidentify_story_job(story_id: int) -> None:
    _deidentify(story_id)


def deidentify_pending(limit: int | None = None) -> int:
    """De-identify every story still waiting (imports, or arrivals whose job was lost)."""
    ids = Story.objects.filter(status="received").exclude(text="").values_list("pk", flat=True)
    done = 0
    for story_id in ids[:limit] if limit else ids:
        _deidentify(story_id)
        done += 1
    return done


@db_periodic_task(crontab(minute="*/5"))
def deidentify_pending_job() -> None:
    done = deidentify_pending()
    if done:
        log.info("de-identified %s waiting stories", done)
