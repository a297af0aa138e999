"""Background jobs of consensus studies (huey; a worker runs them: `mango run_huey`).

Mailing a panel of a few hundred people takes longer than a page may: the panel page queues
``send_links_job`` and says the messages are on their way. A retry (the mail server refused
one) skips those already mailed since the job was queued.
"""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone
from huey.contrib.djhuey import db_task

from . import actions
from .access import link_builder
from .models import Panellist, Study


@db_task(retries=3, retry_delay=60)
def send_links_job(
    actor_id, study_id: int, panellist_ids: list[int], base_url: str, reminder: bool, since: str
) -> int:
    actor = get_user_model().objects.filter(pk=actor_id).first()
    study = Study.objects.get(pk=study_id)
    panellists = Panellist.objects.filter(study=study, pk__in=panellist_ids)
    return actions.send_invitations(
        actor,
        study,
        panellists,
        link_builder(base_url),
        reminder=reminder,
        since=datetime.fromisoformat(since),
    )


def queue_links(actor, study: Study, panellists, base_url: str, *, reminder: bool = False):
    send_links_job(
        actor.pk if actor is not None else None,
        study.pk,
        [p.pk for p in panellists],
        base_url,
        reminder,
        timezone.now().isoformat(),
    )
