"""Background jobs for stories (huey). A worker runs them: `mango run_huey`."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import privacy
from .models import Story

log = logging.getLogger("mango.stories")


@db_task(retries=3, retry_delay=10)
def deidentify_story_job(story_id: int) -> None:
    privacy.deidentify_story(story_id)


def deidentify_pending(limit: int | None = None) -> int:
    """De-identify every story still waiting (imports, or arrivals whose job was lost)."""
    ids = Story.objects.filter(status="received").exclude(text="").values_list("pk", flat=True)
    done = 0
    for story_id in ids[:limit] if limit else ids:
        privacy.deidentify_story(story_id)
        done += 1
    return done


@db_periodic_task(crontab(minute="*/5"))
def deidentify_pending_job() -> None:
    done = deidentify_pending()
    if done:
        log.info("de-identified %s waiting stories", done)
