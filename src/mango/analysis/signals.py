"""Every save or delete of a story, a decision or a final code refreshes that story's facts
and tallies in the same transaction (``facts.refresh``). Bulk writes send no signals: their
callers call ``facts.refresh`` with the new ids (story imports, the demo).

A story told through the form or the API is the exception: its facts wait for the
de-identification job, whose save refreshes them, so the teller's request does not pay for
the tallies. A new story has no codes yet, so the dashboards lose nothing but a few seconds;
``tasks.catch_up_facts_job`` counts any story whose job never ran."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from mango.research.models import Decision, FinalCode
from mango.stories.models import Story

from . import facts


@receiver(post_save, sender=Story, dispatch_uid="analysis_story_saved")
@receiver(post_delete, sender=Story, dispatch_uid="analysis_story_deleted")
def story_changed(sender, instance, created=False, **kwargs):
    if created and instance.defer_facts:
        return
    facts.refresh([instance.pk])


@receiver(post_save, sender=FinalCode, dispatch_uid="analysis_final_saved")
@receiver(post_delete, sender=FinalCode, dispatch_uid="analysis_final_deleted")
@receiver(post_save, sender=Decision, dispatch_uid="analysis_decision_saved")
@receiver(post_delete, sender=Decision, dispatch_uid="analysis_decision_deleted")
def coding_changed(sender, instance, **kwargs):
    facts.refresh([instance.story_id])
