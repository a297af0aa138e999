"""Background jobs for the analysis tables (huey)."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import facts

log = logging.getLogger("mango.analysis")


@db_periodic_task(crontab(minute="*/5"))
def catch_up_facts_job() -> None:
    """Count new stories whose de-identification job has not run (yet), so a lost job
    cannot keep a story out of the dashboards for long."""
    counted = facts.catch_up()
    if counted:
        log.info("counted %s stories that had no facts yet", counted)
