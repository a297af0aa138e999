"""Background jobs of recognition (huey; a worker runs them: ``mango run_huey``).

A thank-you note is queued when its link commits; a sweep sends notes whose job was lost.
The digest job runs every hour: it makes each person's row for the last complete week or
month (once: the row is unique) and sends the rows not sent yet, so a run that failed or was
killed midway is finished by the next one.
"""

import logging
from datetime import timedelta

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

log = logging.getLogger("mango.recognition")

# A note that waits longer than this for its job is taken over by the sweep.
NOTE_LOST_AFTER = timedelta(minutes=5)


@db_task(retries=5, retry_delay=60)
def send_note_job(note_id: int) -> None:
    from . import notes

    notes.send_note(note_id)


@db_periodic_task(crontab(minute="*/10"))
def unsent_notes_sweep() -> None:
    from . import notes

    failed = 0
    for note_id in list(notes.unsent_notes(NOTE_LOST_AFTER)):
        try:
            notes.send_note(note_id)
        except Exception:
            failed += 1
    if failed:
        log.warning("%s thank-you notes could not be sent; the next sweep tries again", failed)


@db_periodic_task(crontab(minute="5"))
def digests_job() -> None:
    from . import digests

    summary = digests.send_due()
    if summary["sent"] or summary["failed"]:
        log.info("digests: %(sent)s sent, %(failed)s failed (retried next run)", summary)
