"""How well a classifier codes texts: metrics, and cross-validation without leakage.

``cross_validate(model, texts, Y, labels)`` splits the rows into folds (iteratively
stratified, identical texts together: ``folds.py``); for each fold it fits a fresh clone of
the model on the other folds only and predicts the held-out fold. Everything the model tunes
(featuriser vocabulary, C, calibration, thresholds) is tuned inside that training part, on its
own inner folds, so each text is predicted by a model that has seen nothing of it.

``metrics(Y_true, Y_pred, labels)`` gives per label precision, recall, F1 and support, and
macro F1 (the mean of the labels' F1: every label counts the same) and micro F1 (from the
true and false positives of all labels pooled: frequent labels weigh more), all about each
label's positive value. ``chance_level(Y_true, Y_pred, labels)`` says which labels the
predictions get right no better than chance (Cohen's kappa at most ``CHANCE_KAPPA``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import numpy as np
from sklearn.base import clone

from .folds import folds, text_groups
from .model import check_targets, check_texts


def _as_columns(Y) -> np.ndarray:
    """0/1 labels as texts x labels; one value per text is one label."""
    Y = np.asarray(Y)
    return Y[:, None] if Y.ndim == 1 else Y


def metrics(Y_true, Y_pred, labels: Sequence[str]) -> dict:
    """Per-label and averaged metrics of 0/1 predictions; rounded to 4 decimals.

    Every figure is about the positive value (1) of each label column, also with a single
    column: scikit-learn reads an (n, 1) 0/1 array as a binary target and, asked for
    per-class figures, reports class 0 first (the screening model's "Mangomoment" row was
    once the figures of "not a Mangomoment")."""
    Y_true, Y_pred = _as_columns(Y_true), _as_columns(Y_pred)
    if Y_true.shape != Y_pred.shape:
        raise ValueError(f"Labels {Y_true.shape} and predictions {Y_pred.shape} differ in shape.")
    truth, guess = Y_true == 1, Y_pred == 1
    tp = (truth & guess).sum(0).astype(float)
    fp = (~truth & guess).sum(0).astype(float)
    fn = (truth & ~guess).sum(0).astype(float)
    support = truth.sum(0)

    def ratio(a, b):
        return np.divide(a, b, out=np.zeros_like(a, dtype=float), where=b > 0)

    p, r, f = ratio(tp, tp + fp), ratio(tp, tp + fn), ratio(2 * tp, 2 * tp + fp + fn)
    TP, FP, FN = tp.sum(), fp.sum(), fn.sum()
    micro_p = TP / (TP + FP) if TP + FP else 0.0
    micro_r = TP / (TP + FN) if TP + FN else 0.0
    micro_f = 2 * TP / (2 * TP + FP + FN) if TP + FP + FN else 0.0
    return {
        "macro_f1": round(float(np.mean(f)), 4),
        "micro_f1": round(float(micro_f), 4),
        "micro_precision": round(float(micro_p), 4),
        "micro_recall": round(float(micro_r), 4),
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


# Cohen's kappa at or below this is "slight" agreement at most (Landis & Koch 1977): a label
# whose predictions agree with the final codes no better than that is at chance level.
CHANCE_KAPPA = 0.2


def cohen_kappa(y_true, y_pred) -> float:
    """Cohen's kappa of two 0/1 vectors; 0.0 when chance explains all agreement (a constant
    prediction)."""
    a, b = np.asarray(y_true).astype(bool), np.asarray(y_pred).astype(bool)
    observed = float(np.mean(a == b))
    pa, pb = float(a.mean()), float(b.mean())
    expected = pa * pb + (1 - pa) * (1 - pb)
    return 0.0 if expected >= 1 else (observed - expected) / (1 - expected)


def chance_level(Y_true, Y_pred, labels: Sequence[str], max_kappa: float = CHANCE_KAPPA) -> dict:
    """Which labels the predictions get right no better than chance, against the true codes.

    Per label: Cohen's kappa, the accuracy, and the accuracy of always predicting the label's
    majority value (a screening model that calls every story a Mangomoment is right for most
    stories, and its kappa is 0). A label is at chance level when its kappa is at most
    ``max_kappa``. ``model`` is True when every label is: such a model should not suggest.
    Rounded to 4 decimals."""
    Y_true, Y_pred = _as_columns(Y_true), _as_columns(Y_pred)
    per_label, at_chance = {}, []
    for j, label in enumerate(labels):
        y, p = Y_true[:, j], Y_pred[:, j]
        kappa = cohen_kappa(y, p)
        share = float(np.mean(y == 1))
        per_label[label] = {
            "kappa": round(kappa, 4),
            "accuracy": round(float(np.mean(y == p)), 4),
            "majority_accuracy": round(max(share, 1 - share), 4),
        }
        if kappa <= max_kappa:
            at_chance.append(label)
    return {
        "max_kappa": max_kappa,
        "labels": per_label,
        "at_chance": at_chance,
        "model": bool(labels) and len(at_chance) == len(labels),
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
