"""Suggestions: what the latest ready model of a codebook says about stories.

``suggest(model, stories)`` predicts and stores one ``Suggestion`` per story and code (the
calibrated probability, and whether it reaches the code's threshold), replacing older ones.
``for_story(story, codebook)`` reads them back for the coding screen, which shows them only
when the round allows it (``CodingRound.show_suggestions``, off by default so reliability
rounds stay blind). A model whose every code agrees with the final codes no better than chance
makes none, is not the model in use, and what it made before is not shown. Suggestions hold no
text, only code keys and numbers.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict

import numpy as np
from django.db import transaction

from mango.lib.classify import store
from mango.lib.classify.model import uncertainty

from .models import Suggestion, TrainedModel
from .training import at_chance, key_options, models_dir, story_text, usable_stories

log = logging.getLogger("mango.classify")

_CACHE_SIZE = 4
_cache: OrderedDict[tuple, object] = OrderedDict()
_lock = threading.Lock()


def latest_model(codebook, kind: str | None = None) -> TrainedModel | None:
    """The model in use: the latest ready one that agrees with the final codes better than
    chance on some label (``training.at_chance``)."""
    models = TrainedModel.objects.filter(codebook=codebook, status="ready")
    if kind:
        models = models.filter(kind=kind)
    for tm in models.order_by("-finished", "-id").iterator(chunk_size=20):
        if not at_chance(tm):
            return tm
    return None


def load_classifier(tm: TrainedModel):
    """The fitted classifier of a ready model (signature checked), kept in a small cache."""
    directory = models_dir() / tm.path
    stamp = (tm.pk, str(directory), (directory / store.MODEL_FILE).stat().st_mtime_ns)
    with _lock:
        if stamp in _cache:
            _cache.move_to_end(stamp)
            return _cache[stamp]
    classifier, _ = store.load(directory, **key_options())
    with _lock:
        _cache[stamp] = classifier
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return classifier


def suggest(tm: TrainedModel, stories) -> int:
    """Predict and store suggestions for these stories (those with text); returns how many
    stories got them."""
    stories = [s for s in stories if story_text(s)]
    if not stories:
        return 0
    classifier = load_classifier(tm)
    proba = classifier.predict_proba([story_text(s) for s in stories])
    predicted = classifier.decide(proba)
    rows = [
        Suggestion(
            story=s,
            codebook_id=tm.codebook_id,
            code_key=label,
            probability=round(float(proba[i, j]), 4),
            predicted=bool(predicted[i, j]),
            model=tm,
        )
        for i, s in enumerate(stories)
        for j, label in enumerate(classifier.labels_)
    ]
    with transaction.atomic():
        Suggestion.objects.filter(codebook_id=tm.codebook_id, story__in=stories).delete()
        Suggestion.objects.bulk_create(rows)
    return len(stories)


def suggest_for_story(story_id: int) -> int:
    """Suggestions of every codebook's latest ready models for one story (a new story, just
    de-identified). Returns the number of models that made some."""
    story = usable_stories().filter(pk=story_id).first()
    if story is None:
        return 0
    made = 0
    latest = {}
    for tm in TrainedModel.objects.filter(status="ready").order_by("finished", "id"):
        if not at_chance(tm):
            latest[(tm.codebook_id, tm.kind)] = tm  # the last one wins
    for tm in latest.values():
        made += bool(suggest(tm, [story]))
    return made


def suggest_all(tm: TrainedModel, batch: int = 500) -> int:
    """Suggestions of a newly trained model for every usable story, in batches; none from a
    model at chance level (``training.at_chance``)."""
    if at_chance(tm):
        log.info("no suggestions from a model at chance level model=%s", tm.pk)
        return 0
    done = 0
    ids = list(usable_stories().values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        chunk = usable_stories().filter(pk__in=ids[start : start + batch])
        done += suggest(tm, chunk.only("pk", "text", "text_redacted"))
    return done


def for_story(story, codebook) -> list[Suggestion]:
    """The story's suggestions in a codebook, most probable first; none from a model at
    chance level (``training.at_chance``: made before that was checked)."""
    rows = list(
        Suggestion.objects.filter(story=story, codebook=codebook)
        .select_related("model")
        .order_by("-probability", "code_key")
    )
    useless = {s.model_id for s in rows if at_chance(s.model)}
    return [s for s in rows if s.model_id not in useless]


def story_uncertainty(tm: TrainedModel, story_ids) -> dict[int, float]:
    """Per story with suggestions from ``tm``: how unsure the model is (0 sure, 1 on a
    threshold), from its probabilities and thresholds (``lib.classify.model.uncertainty``)."""
    labels = list(tm.labels)
    index = {label: j for j, label in enumerate(labels)}
    proba: dict[int, np.ndarray] = {}
    rows = Suggestion.objects.filter(model=tm, story_id__in=list(story_ids)).values_list(
        "story_id", "code_key", "probability"
    )
    for story_id, key, p in rows:
        if key in index:
            proba.setdefault(story_id, np.full(len(labels), np.nan))[index[key]] = p
    ids = [sid for sid, p in proba.items() if not np.isnan(p).any()]
    if not ids:
        return {}
    values = uncertainty(np.vstack([proba[sid] for sid in ids]), np.array(tm.thresholds))
    return dict(zip(ids, (round(float(v), 4) for v in values), strict=True))


def as_probabilities(round, story) -> dict[str, float]:
    """For the coder screen: code key -> probability."""
    return {s.code_key: s.probability for s in for_story(story, round.codebook)}
