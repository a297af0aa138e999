"""Background jobs of the classifier (huey): training, and suggestions for stories (the story
lifecycle, ``mango.lifecycle``, queues ``suggest_story_job`` once a story is de-identified)."""

import logging

from huey.contrib.djhuey import db_task

from . import suggestions, training
from .models import TrainedModel

log = logging.getLogger("mango.classify")


@db_task()
def train_model_job(trained_model_id: int) -> None:
    tm = training.train(trained_model_id)
    if tm is not None and tm.status == "ready":
        suggest_all_job(tm.pk)


@db_task()
def suggest_all_job(trained_model_id: int) -> None:
    tm = TrainedModel.objects.filter(pk=trained_model_id, status="ready").first()
    if tm is not None:
        done = suggestions.suggest_all(tm)
        log.info("suggestions made model=%s stories=%s", tm.pk, done)


@db_task(retries=2, retry_delay=30)
def suggest_story_job(story_id: int) -> None:
    suggestions.suggest_for_story(story_id)
