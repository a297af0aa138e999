"""Training a codebook's classifier from its final codes, as a background job.

The data: every story whose coding in the codebook is settled (``research.finals``), whose
teller consented to research and whose text is still there (erased stories are left out). The
classifier reads the de-identified text, the same text it later suggests codes for.

- kind ``screening`` (the screening codebook): Mangomoment or not, one label ``mangomoment``;
- kind ``labels``: one label per active code with at least ``MIN_POSITIVES`` stories carrying
  it (and some without it).
Both use ``MultiLabelClassifier`` (screening is its one-label case).

The job cross-validates first (each story predicted by a model that never saw it), so the
metrics and the agreement with the human final codes (Cohen's kappa per code, from
``mango.lib.agreement``) are honest. A model whose every label agrees with the final codes
no better than chance (kappa at most ``evaluate.CHANCE_KAPPA``) is saved with its figures but
makes no suggestions and is never the model in use (``suggestions``); the model page says so.
Then it fits on all the data and saves a signed model directory under
``DATA_DIR/models/<id>``. Progress goes to the ``TrainedModel`` row.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mango.audit.log import record
from mango.lib import agreement as lib_agreement
from mango.lib.classify import evaluate, io, store
from mango.lib.classify import model as lib_model
from mango.research import finals
from mango.stories.models import Story

from .models import TrainedModel

log = logging.getLogger("mango.classify")

MIN_POSITIVES = 5  # a code with fewer positive stories is left out of the model
MIN_STORIES = 20
CV_FOLDS = 5


class TrainingError(Exception):
    """The data cannot train a model; the message (translated) says why, without story text."""


@dataclass
class TrainingData:
    story_ids: list[int]
    texts: list[str]
    Y: np.ndarray
    labels: list[str]
    left_out: list[str]  # codes with too few positive stories


def key_options() -> dict:
    """This installation's model signing key, as keyword arguments of store.save and load."""
    return {
        "key": getattr(settings, "MANGO_MODEL_KEY", None),
        "key_file": Path(settings.DATA_DIR) / "model.key",
    }


def models_dir() -> Path:
    return Path(settings.DATA_DIR) / "models"


def story_text(story) -> str:
    """The text a classifier reads: the de-identified one once there is one."""
    return (story.text_redacted or story.text or "").strip()


def usable_stories():
    return Story.objects.filter(consent_research=True, erased_at__isnull=True).exclude(text="")


def training_data(codebook, kind: str) -> TrainingData:
    stories = {s.pk: s for s in usable_stories().only("pk", "text", "text_redacted")}
    if kind == "screening":
        if codebook.slug != finals.SCREENING:
            raise TrainingError(_("A screening model learns from the screening codebook."))
        decided = finals.screening(stories.keys())
        ids = sorted(sid for sid in decided if story_text(stories[sid]))
        Y = np.array([[int(decided[sid][0])] for sid in ids], dtype=np.int8).reshape(-1, 1)
        labels, left_out = [finals.MANGOMOMENT], []
    else:
        decided = finals.final_codes(codebook.slug, stories.keys())
        ids = sorted(sid for sid in decided if story_text(stories[sid]))
        keys = list(codebook.codes.filter(active=True).values_list("key", flat=True))
        Y = np.array([[int(k in decided[sid]) for k in keys] for sid in ids], dtype=np.int8)
        Y = Y.reshape(len(ids), len(keys))
        counts = Y.sum(0) if len(ids) else np.zeros(len(keys))
        keep = [j for j, c in enumerate(counts) if MIN_POSITIVES <= c < len(ids)]
        left_out = [keys[j] for j in range(len(keys)) if j not in keep]
        labels, Y = [keys[j] for j in keep], Y[:, keep]
    if len(ids) < MIN_STORIES:
        raise TrainingError(
            _("Only %(n)s stories have final codes in this codebook; at least %(min)s are needed.")
            % {"n": len(ids), "min": MIN_STORIES}
        )
    if not labels:
        raise TrainingError(
            _("No code has at least %(min)s stories with it and some without it.")
            % {"min": MIN_POSITIVES}
        )
    if kind == "screening" and not (0 < Y.sum() < len(ids)):
        raise TrainingError(_("Screening needs stories judged Mangomoments and stories excluded."))
    texts = [story_text(stories[sid]) for sid in ids]
    return TrainingData(ids, texts, Y, labels, left_out)


def model_agreement(data: TrainingData, predictions: np.ndarray) -> dict:
    """Cohen's kappa per code (and the other statistics) between the model's out-of-fold
    predictions and the final codes, in the ``mango agreement`` JSON shape."""
    rows = []
    for i, sid in enumerate(data.story_ids):
        for j, label in enumerate(data.labels):
            rows.append((sid, "model", label, int(predictions[i, j])))
            rows.append((sid, "final codes", label, int(data.Y[i, j])))
    frame = pd.DataFrame(rows, columns=["unit", "coder", "code", "value"])
    return lib_agreement.round_agreement(frame, resamples=0).as_dict(digits=4)


def chance_labels(tm: TrainedModel) -> list[str]:
    """The model's labels whose cross-validated predictions agree with the final codes no
    better than chance (``evaluate.chance_level``); for a model trained before that was
    recorded, read off its Cohen's kappa per code."""
    chance = (tm.metrics or {}).get("chance")
    if chance is not None:
        return list(chance.get("at_chance", []))
    per_code = (tm.metrics or {}).get("agreement", {}).get("per_code", {})
    out = []
    for label in tm.labels:
        kappa = (per_code.get(label, {}).get("cohen_kappa") or {}).get("value")
        if kappa is not None and kappa <= evaluate.CHANCE_KAPPA:
            out.append(label)
    return out


def at_chance(tm: TrainedModel) -> bool:
    """True when every label of the model is at chance level: it should make no suggestions
    and is never the model in use."""
    return bool(tm.labels) and set(chance_labels(tm)) >= set(tm.labels)


def _set(tm: TrainedModel, **fields) -> None:
    for name, value in fields.items():
        setattr(tm, name, value)
    tm.save(update_fields=list(fields))


def train(trained_model_id: int) -> TrainedModel | None:
    """Run a queued training job to the end; a failure is recorded on the row, not raised."""
    tm = TrainedModel.objects.select_related("codebook").filter(pk=trained_model_id).first()
    if tm is None or tm.status != "queued":
        return tm
    _set(tm, status="running", progress=2, message=_("Reading the final codes"))
    try:
        return _train(tm, lambda p, m: _set(tm, progress=p, message=m))
    except (TrainingError, ValueError) as err:
        _fail(tm, str(err))
    except Exception:
        log.exception("training failed model=%s", tm.pk)
        _fail(tm, _("Training stopped on an unexpected error; see the server log."))
    return tm


def _fail(tm: TrainedModel, message: str) -> None:
    with transaction.atomic():
        _set(tm, status="failed", message=message[:300], finished=timezone.now())
        record(None, "classifier.trained", tm, new={"status": "failed", "kind": tm.kind})


def _classifier(tm: TrainedModel):
    # Screening is the one-label case: the same classifier, with the label "mangomoment".
    return lib_model.MultiLabelClassifier(featuriser=tm.backend)


def _train(tm: TrainedModel, progress: Callable[[int, str], None]) -> TrainedModel:
    data = training_data(tm.codebook, tm.kind)
    folds = min(CV_FOLDS, int(data.Y.sum(0).min()))
    progress(5, _("Cross-validating on %(n)s stories") % {"n": len(data.texts)})
    classifier = _classifier(tm)
    result = evaluate.cross_validate(
        classifier,
        data.texts,
        data.Y,
        data.labels,
        n_splits=max(folds, 2),
        progress=lambda done, total: progress(
            5 + 75 * done // total,
            _("Cross-validating: fold %(done)s of %(total)s") % {"done": done, "total": total},
        ),
    )
    metrics = evaluate.summary(result)
    metrics["agreement"] = model_agreement(data, result["predictions"])
    metrics["chance"] = evaluate.chance_level(data.Y, result["predictions"], data.labels)
    metrics["left_out"] = data.left_out
    progress(82, _("Training on all %(n)s stories") % {"n": len(data.texts)})
    classifier.fit(data.texts, data.Y, labels=data.labels)
    directory = models_dir() / str(tm.pk)
    shutil.rmtree(directory, ignore_errors=True)
    store.save(
        classifier,
        directory,
        training_data_sha256=io.data_sha256(data.texts, data.Y, data.labels),
        codebook_version=f"{tm.codebook.slug} v{tm.codebook.version}",
        metrics=metrics,
        extra={"backend": tm.backend, "kind": tm.kind, "n_training_texts": len(data.texts)},
        **key_options(),
    )
    message = ""
    if metrics["chance"]["model"]:
        message = _(
            "It agrees with the final codes no better than chance: it makes no suggestions."
        )
    with transaction.atomic():
        _set(
            tm,
            status="ready",
            progress=100,
            message=message,
            path=str(tm.pk),
            labels=data.labels,
            thresholds=[round(float(t), 6) for t in classifier.thresholds_],
            metrics=metrics,
            n_stories=len(data.texts),
            finished=timezone.now(),
        )
        record(
            None,
            "classifier.trained",
            tm,
            new={
                "status": "ready",
                "kind": tm.kind,
                "codebook": tm.codebook.slug,
                "stories": len(data.texts),
                "macro_f1": metrics["macro_f1"],
                "at_chance": metrics["chance"]["at_chance"],
            },
        )
    log.info("model trained id=%s stories=%s", tm.pk, len(data.texts))
    return tm
