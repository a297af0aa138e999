"""How well a classifier codes texts: metrics, and cross-validation without leakage.

``cross_validate(model, texts, Y, labels)`` splits the rows into folds (iteratively
stratified, identical texts together: ``folds.py``); for each fold it fits a fresh clone of
the model on the other folds only and predicts the held-out fold. Everything the model tunes
(featuriser vocabulary, C, calibration, thresholds) is tuned inside that training part, on its
own inner folds, so each text is predicted by a model that has seen nothing of it.

``metrics(Y_true, Y_pred, labels)`` gives per label precision, recall, F1 and support, and
macro F1 (the mean of the labels' F1: every label counts the same) and micro F1 (from the
true and false positives of all labels pooled: frequent labels weigh more).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import numpy as np
from sklearn.base import clone
from sklearn.metrics import precision_recall_fscore_support

from .folds import folds, text_groups
from .model import check_targets, check_texts


def metrics(Y_true, Y_pred, labels: Sequence[str]) -> dict:
    """Per-label and averaged metrics of 0/1 predictions; rounded to 4 decimals."""
    Y_true, Y_pred = np.asarray(Y_true), np.asarray(Y_pred)
    p, r, f, support = precision_recall_fscore_support(
        Y_true, Y_pred, average=None, zero_division=0
    )
    micro = precision_recall_fscore_support(Y_true, Y_pred, average="micro", zero_division=0)
    return {
        "macro_f1": round(float(np.mean(f)), 4),
        "micro_f1": round(float(micro[2]), 4),
        "micro_precision": round(float(micro[0]), 4),
        "micro_recall": round(float(micro[1]), 4),
        "n_texts": int(len(Y_true)),
        "labels": {
            label: {
                "precision": round(float(p[j]), 4),
                "recall": round(float(r[j]), 4),
                "f1": round(float(f[j]), 4),
                "support": int(support[j]),
            }
            for j, label in enumerate(labels)
        },
    }


def cross_validate(
    model,
    texts,
    Y,
    labels: Sequence[str] | None = None,
    n_splits: int = 5,
    random_state: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """Metrics of ``model`` over ``n_splits`` outer folds, plus what each fold chose.

    Returns ``metrics(...)`` over all out-of-fold predictions, with ``folds`` (per fold: test
    size, macro F1, the C chosen) and ``seconds``. The out-of-fold predictions and
    probabilities are under the keys ``predictions`` and ``probabilities`` (arrays; drop them
    before writing JSON). ``progress(done, total)``, if given, is called after each fold."""
    texts = check_texts(texts)
    Y, labels = check_targets(Y, labels, len(texts))
    start = time.perf_counter()
    predictions = np.zeros_like(Y)
    probabilities = np.zeros(Y.shape)
    per_fold = []
    splits = folds(Y, n_splits, text_groups(texts), random_state)
    for done, (train, test) in enumerate(splits, start=1):
        fitted = clone(model).fit([texts[i] for i in train], Y[train], labels=labels)
        proba = fitted.predict_proba([texts[i] for i in test])
        proba = proba[:, 1:] if proba.shape[1] != Y.shape[1] else proba  # screening: P(1)
        probabilities[test] = proba
        predictions[test] = (proba >= fitted.thresholds_).astype(np.int8)
        per_fold.append(
            {
                "n_test": int(len(test)),
                "macro_f1": metrics(Y[test], predictions[test], labels)["macro_f1"],
                "C": getattr(fitted, "C_", None),
            }
        )
        if progress:
            progress(done, len(splits))
    result = metrics(Y, predictions, labels)
    result["n_splits"] = n_splits
    result["folds"] = per_fold
    result["seconds"] = round(time.perf_counter() - start, 1)
    result["predictions"] = predictions
    result["probabilities"] = probabilities
    return result


def summary(result: dict) -> dict:
    """``cross_validate``'s result without the per-text arrays: fit for JSON."""
    return {k: v for k, v in result.items() if k not in ("predictions", "probabilities")}
