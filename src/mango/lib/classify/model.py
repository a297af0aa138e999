"""The classifiers: multi-label coding of texts into a codebook, and Mangomoment screening.

``MultiLabelClassifier`` follows scikit-learn's conventions (parameters kept as given in
``__init__``, learned state in attributes ending in ``_``, ``fit`` returns ``self``). For each
label it learns a linear model over the features of a pluggable featuriser (``featurise.py``),
a calibration of its scores into probabilities, and a decision threshold. How ``fit`` does it:

1. Fit the featuriser on the training texts (it sees no labels).
2. Split the training rows into ``cv`` folds (iteratively stratified, identical texts in one
   fold: ``folds.py``). For each fold, train one linear model per label on the other folds and
   score the held-out fold: every training text gets an out-of-fold score from a model that
   never saw its label. The linear model is a linear SVM by default; ``estimator="nbsvm"``
   is NB-SVM (Wang & Manning 2012, "Baselines and bigrams"): each feature is scaled by the
   label's naive Bayes log-count ratio ``r = log((p / |p|₁) / (q / |q|₁))``, with ``p`` and
   ``q`` the summed feature values of the fold's positive and negative texts plus
   ``nb_alpha``, and a linear SVM is trained on the scaled features. Its weights times ``r``
   are a linear model over the unscaled features, so prediction costs the same as a plain
   SVM. The ratios come from the training folds only, like everything else learned from
   labels.
3. With ``C="auto"``, step 2 runs for each C in ``C_grid`` and the C with the best
   out-of-fold macro F1 is kept (with ``C_per_label``, each label keeps the C of its best
   out-of-fold F1): hyperparameters are chosen inside the training data.
4. Fit the calibration (Platt's sigmoid, or isotonic regression) on the out-of-fold scores,
   and per label the probability threshold that maximises F1 on the out-of-fold
   probabilities (the F1 of the label's rarer value: of the negatives for a label most texts
   carry, such as a Mangomoment in screening, whose positive F1 is highest when every text
   is called positive). Neither is fitted on scores of texts the scoring model was trained on,
   where a memorising model looks perfect.
5. The model that predicts is the average of the ``cv`` fold models (one linear model: the
   mean of their weights), so it has the same scale as the scores calibrated in step 4.

Measured on 4,666 NHS feedback comments with 5-fold nested cross-validation
(``benchmarks/classify.py``): neither class weights nor a C per label helped the linear SVM
once thresholds are tuned, so those are off by default. The default (linear SVM, 5 inner
folds) scores macro F1 0.583, micro F1 0.717. Alternatives measured on the same protocol
(2026-11), none kept as the default:
- NB-SVM (``estimator="nbsvm"``): 0.588 / 0.730 with 5 inner folds, 0.593 / 0.729 with
  ``cv=10``; but on the 195 multilingual demo stories (8 codes, the size of a coding round)
  it falls to 0.286-0.296 macro F1 against the SVM's 0.363, and choosing between SVM and
  NB-SVM by out-of-fold F1 inside ``fit`` gives 0.581 on the NHS data: its gain there is
  within the noise of threshold tuning. Its fits take about twice as long (171 s against
  77 s for the nested cross-validation), and liblinear warns that some at C=1 do not converge.
- A second, stacked logistic layer per label over the out-of-fold probabilities or
  log-odds of all 24 labels: 0.546-0.561; with the label's own log-odds barely penalised,
  0.582-0.583. The labels' co-occurrence adds nothing the text scores lack.
- Logistic regression alone: 0.564; averaged calibrated probabilities of SVM, NB-SVM and
  logistic regression: 0.574-0.589.
- Word 1-3 grams, character 1-6 grams, ``min_df=1``: 0.582-0.586 (NB-SVM with ``min_df=1``:
  0.559); the plain SVM with 10 inner folds: 0.584.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

from .featurise import make_featuriser
from .folds import folds, text_groups

# The coding frame of the Mangomoment study: the eight Picker dimensions of patient-centred
# care, as codes (domain.md).
DIMENSIONS = (
    "respect",
    "coordination",
    "information",
    "physical_comfort",
    "emotional_support",
    "family",
    "continuity",
    "access",
)
CODEBOOK_VERSION = "picker-8"
SCREENING_LABEL = "is_mangomoment"
MIN_POSITIVES = 2  # fewer, and some training fold would hold no positive example
ESTIMATORS = ("svm", "nbsvm", "logistic")


def check_texts(texts) -> list[str]:
    """The texts as a list of strings; ValueError naming empty ones (1-based positions)."""
    if isinstance(texts, str):
        raise ValueError("Expected a list of texts, got one string.")
    texts = list(texts)
    bad = [i + 1 for i, t in enumerate(texts) if not isinstance(t, str) or not t.strip()]
    if bad:
        shown = ", ".join(map(str, bad[:10])) + (" …" if len(bad) > 10 else "")
        raise ValueError(f"{len(bad)} text(s) are empty or not text: number(s) {shown}.")
    return texts


def check_targets(Y, labels: Sequence[str] | None, n_rows: int) -> tuple[np.ndarray, list[str]]:
    """Y as an (n, k) 0/1 integer array and the label names; ValueError on anything else.

    Every label needs at least ``MIN_POSITIVES`` positive and one negative example."""
    if hasattr(Y, "columns") and labels is None:
        labels = [str(c) for c in Y.columns]
    Y = np.asarray(Y)
    if Y.ndim == 1:
        Y = Y[:, None]
    if Y.ndim != 2 or Y.shape[0] != n_rows:
        raise ValueError(f"Expected {n_rows} rows of labels, got an array of shape {Y.shape}.")
    labels = [f"label_{j}" for j in range(Y.shape[1])] if labels is None else list(labels)
    if len(labels) != Y.shape[1] or len(set(labels)) != len(labels):
        raise ValueError(f"Expected {Y.shape[1]} distinct label names, got {labels}.")
    if not np.isin(Y, (0, 1)).all():
        raise ValueError("Label values must be 0 or 1.")
    Y = Y.astype(np.int8)
    positives = Y.sum(0)
    none = [lab for lab, p in zip(labels, positives, strict=True) if p == 0]
    if none:
        raise ValueError(f"No positive example for label(s): {', '.join(none)}.")
    few = [f"{lab} ({p})" for lab, p in zip(labels, positives, strict=True) if p < MIN_POSITIVES]
    if few:
        raise ValueError(
            f"Too few positive examples (at least {MIN_POSITIVES} needed) for label(s): "
            f"{', '.join(few)}."
        )
    every = [lab for lab, p in zip(labels, positives, strict=True) if p == len(Y)]
    if every:
        raise ValueError(f"No negative example for label(s): {', '.join(every)}.")
    return Y, labels


def best_threshold(proba: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(threshold, F1): the cut ``proba >= threshold`` with the highest F1 on these scores.

    The F1 is that of the label's rarer value: of the positives, as usual, unless most texts
    carry the label (screening, where most stories are Mangomoments), and then of the
    negatives. The F1 of a dominant positive class is highest when every text is called
    positive (170 of 185 demo stories: F1 0.95 for a model that agrees with the final codes
    no better than chance), so a cut tuned on it learns nothing.

    Cuts fall midway between consecutive distinct values; ties in ``proba`` stay together."""
    proba, y = np.asarray(proba, dtype=float), np.asarray(y)
    if 2 * int(y.sum()) > len(y):
        return _best_negative_cut(proba, y)
    order = np.argsort(-proba, kind="stable")
    p, hits = proba[order], y[order]
    tp = np.cumsum(hits)
    predicted = np.arange(1, len(p) + 1)
    f1 = 2 * tp / (predicted + hits.sum())
    cut_ok = np.append(p[1:] < p[:-1], True)  # never split a run of equal values
    f1[~cut_ok] = -1
    i = int(np.argmax(f1))
    threshold = 0.0 if i == len(p) - 1 else float((p[i] + p[i + 1]) / 2)
    return threshold, float(f1[i])


def _best_negative_cut(proba: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """``best_threshold`` for a label most texts carry: the cut whose texts below it (called
    negative) give the highest F1 of the negatives."""
    order = np.argsort(proba, kind="stable")
    p, hits = proba[order], 1 - y[order]
    tn = np.cumsum(hits)
    predicted = np.arange(1, len(p) + 1)
    f1 = 2 * tn / (predicted + hits.sum())
    cut_ok = np.append(p[1:] > p[:-1], True)
    f1[~cut_ok] = -1
    i = int(np.argmax(f1))
    last = i == len(p) - 1
    threshold = float(np.nextafter(p[-1], np.inf)) if last else float((p[i] + p[i + 1]) / 2)
    return threshold, float(f1[i])


def _platt(scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(a, b) of p = 1 / (1 + exp(a * score + b)), by Platt's (1999) method: maximum
    likelihood with targets (n₊ + 1) / (n₊ + 2) and 1 / (n₋ + 2) against overfitting."""
    n_pos = float(y.sum())
    n_neg = len(y) - n_pos
    t = np.where(y == 1, (n_pos + 1) / (n_pos + 2), 1 / (n_neg + 2))

    def loss(ab):
        z = ab[0] * scores + ab[1]
        p = expit(-z)
        return np.sum(np.logaddexp(0, z) - (1 - t) * z), np.array(
            [np.dot(t - p, scores), np.sum(t - p)]
        )

    start = np.array([0.0, np.log((n_neg + 1) / (n_pos + 1))])
    a, b = minimize(loss, start, jac=True, method="L-BFGS-B").x
    return float(a), float(b)


def nb_ratios(X, y: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """Naive Bayes log-count ratio of each feature for one label (Wang & Manning 2012):
    ``log((p / |p|₁) / (q / |q|₁))`` with ``p``, ``q`` the feature sums over the positive and
    the negative rows, each plus ``alpha``. Features must be non-negative."""
    y = np.asarray(y).astype(bool)
    p = alpha + np.asarray(X[y].sum(axis=0)).ravel()
    q = alpha + np.asarray(X[~y].sum(axis=0)).ravel()
    return np.log(p / p.sum()) - np.log(q / q.sum())


def _fit_linear(estimator, X, y, nb_alpha: float | None = None) -> tuple[np.ndarray, float]:
    """(weights, intercept) of one binary linear model; constant when y has one class.

    With ``nb_alpha``, NB-SVM: the model is trained on the features scaled by ``nb_ratios``
    of these rows, and its weights are returned times the ratios (a model of ``X`` itself)."""
    if y.min() == y.max():  # a fold without positives (identical texts kept together)
        return np.zeros(X.shape[1]), 1.0 if y[0] else -1.0
    if nb_alpha is None:
        fitted = clone(estimator).fit(X, y)
        return fitted.coef_.ravel().copy(), float(fitted.intercept_[0])
    r = nb_ratios(X, y, nb_alpha)
    scaled = X @ sp.diags(r) if sp.issparse(X) else X * r
    fitted = clone(estimator).fit(scaled, y)
    return fitted.coef_.ravel() * r, float(fitted.intercept_[0])


class MultiLabelClassifier(ClassifierMixin, BaseEstimator):
    """One calibrated, threshold-tuned linear model per label over a pluggable featuriser.

    Parameters: ``featuriser`` a backend name (``featurise.BACKENDS``) or an unfitted
    transformer; ``estimator`` "svm" (LinearSVC), "nbsvm" (LinearSVC over features scaled by
    naive Bayes log-count ratios; needs non-negative features such as TF-IDF) or "logistic";
    ``nb_alpha`` the smoothing added to the feature sums of the log-count ratios (NB-SVM
    only); ``C`` the regularisation
    strength, or "auto" to choose from ``C_grid`` by out-of-fold F1, per label when
    ``C_per_label`` (else one C by macro F1); ``class_weight``
    None or "balanced"; ``calibration`` "sigmoid" or "isotonic"; ``cv`` folds for the
    out-of-fold scores; ``random_state`` for the folds.

    Learned: ``labels_``, ``featuriser_``, ``coef_`` (labels x features; for NB-SVM the
    weights times the log-count ratios), ``intercept_``,
    ``C_`` (the C of each label), ``calibration_`` (Platt's a and b per label, or isotonic
    regressions), ``thresholds_``, ``oof_f1_`` (per label, at the threshold; the F1 of its
    rarer value), ``cv_results_`` (C -> macro F1 out of fold).
    """

    def __init__(
        self,
        featuriser="tfidf",
        estimator: str = "svm",
        C: float | str = "auto",
        C_grid: tuple[float, ...] = (0.1, 0.3, 1.0),
        C_per_label: bool = False,
        class_weight: str | None = None,
        calibration: str = "sigmoid",
        cv: int = 5,
        random_state: int = 0,
        nb_alpha: float = 1.0,
    ):
        self.featuriser = featuriser
        self.estimator = estimator
        self.nb_alpha = nb_alpha
        self.C = C
        self.C_grid = C_grid
        self.C_per_label = C_per_label
        self.class_weight = class_weight
        self.calibration = calibration
        self.cv = cv
        self.random_state = random_state

    # --- fitting -------------------------------------------------------------------------

    def _linear(self, C: float):
        if self.estimator in ("svm", "nbsvm"):
            return LinearSVC(C=C, class_weight=self.class_weight, random_state=self.random_state)
        return LogisticRegression(C=C, class_weight=self.class_weight, solver="liblinear")

    def _check_estimator(self, features) -> None:
        if self.estimator not in ESTIMATORS:
            known = ", ".join(repr(e) for e in ESTIMATORS)
            raise ValueError(f"Unknown estimator {self.estimator!r}; use one of {known}.")
        if self.estimator == "nbsvm":
            values = features.data if sp.issparse(features) else np.asarray(features)
            if values.size and float(values.min()) < 0:
                raise ValueError(
                    "estimator='nbsvm' needs non-negative features (such as TF-IDF); these "
                    "have negative values (sentence embeddings?): use 'svm'."
                )

    def _make_featuriser(self):
        if isinstance(self.featuriser, str):
            return make_featuriser(self.featuriser)
        return clone(self.featuriser)

    def fit(self, X, Y, labels: Sequence[str] | None = None):
        """Learn from texts ``X`` and 0/1 labels ``Y`` (n x k; a DataFrame names the labels)."""
        texts = check_texts(X)
        Y, self.labels_ = check_targets(Y, labels, len(texts))
        if self.calibration not in ("sigmoid", "isotonic"):
            raise ValueError(f"Unknown calibration {self.calibration!r}.")
        grid = tuple(self.C_grid) if self.C == "auto" else (float(self.C),)
        self.featuriser_ = self._make_featuriser()
        features = self.featuriser_.fit_transform(texts)
        self._check_estimator(features)
        splits = folds(Y, self.cv, text_groups(texts), self.random_state)

        k = Y.shape[1]
        self.cv_results_, runs = {}, []
        for C in grid:
            oof, coef, intercept = self._cross_fit(features, Y, splits, C)
            f1 = np.array([best_threshold(oof[:, j], Y[:, j])[1] for j in range(k)])
            self.cv_results_[C] = round(float(f1.mean()), 4)
            runs.append((f1, oof, coef, intercept))
        f1 = np.array([run[0] for run in runs])  # C x labels
        if self.C_per_label:
            pick = f1.argmax(axis=0)  # each label its own C (the first of equals)
        else:
            pick = np.full(k, int(f1.mean(axis=1).argmax()))
        label = np.arange(k)
        self.C_ = [float(grid[i]) for i in pick]
        oof = np.column_stack([runs[i][1][:, j] for j, i in zip(label, pick, strict=True)])
        self.coef_ = np.vstack([runs[i][2][j] for j, i in zip(label, pick, strict=True)])
        self.intercept_ = np.array([runs[i][3][j] for j, i in zip(label, pick, strict=True)])

        self._fit_calibration(oof, Y)
        proba = self._calibrate(oof)
        cuts = [best_threshold(proba[:, j], Y[:, j]) for j in range(Y.shape[1])]
        self.thresholds_ = np.array([t for t, _ in cuts])
        self.oof_f1_ = np.array([f for _, f in cuts])
        return self

    def _cross_fit(self, features, Y, splits, C):
        """Out-of-fold scores, and the mean weights and intercepts of the fold models."""
        n, k = Y.shape
        oof = np.zeros((n, k))
        coef = np.zeros((k, features.shape[1]))
        intercept = np.zeros(k)
        linear = self._linear(C)
        nb_alpha = self.nb_alpha if self.estimator == "nbsvm" else None
        for train, test in splits:
            X_train, X_test = features[train], features[test]
            for j in range(k):
                w, b = _fit_linear(linear, X_train, Y[train, j], nb_alpha)
                oof[test, j] = X_test @ w + b
                coef[j] += w / len(splits)
                intercept[j] += b / len(splits)
        return oof, coef.astype(np.float32), intercept

    def _fit_calibration(self, scores, Y):
        if self.calibration == "sigmoid":
            self.calibration_ = np.array([_platt(scores[:, j], Y[:, j]) for j in range(Y.shape[1])])
        else:
            self.calibration_ = [
                IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(
                    scores[:, j], Y[:, j]
                )
                for j in range(Y.shape[1])
            ]

    def _calibrate(self, scores: np.ndarray) -> np.ndarray:
        if self.calibration == "sigmoid":
            a, b = self.calibration_[:, 0], self.calibration_[:, 1]
            return expit(-(scores * a + b))
        return np.column_stack(
            [iso.predict(scores[:, j]) for j, iso in enumerate(self.calibration_)]
        )

    # --- predicting ----------------------------------------------------------------------

    def decision_function(self, X) -> np.ndarray:
        """Uncalibrated scores, texts x labels."""
        features = self.featuriser_.transform(check_texts(X))
        if sp.issparse(features):
            return np.asarray(features @ self.coef_.T) + self.intercept_
        return features @ self.coef_.T + self.intercept_

    def predict_proba(self, X) -> np.ndarray:
        """Calibrated probability of each label, texts x labels, in [0, 1]."""
        return self._calibrate(self.decision_function(X))

    def predict(self, X) -> np.ndarray:
        """0/1 per text and label: the probability at or above the label's threshold."""
        return self.decide(self.predict_proba(X))

    def decide(self, proba: np.ndarray) -> np.ndarray:
        return (proba >= self.thresholds_).astype(np.int8)


class ScreeningClassifier(MultiLabelClassifier):
    """Mangomoment or not: the one-label case, with scikit-learn's binary interface
    (``predict`` gives 0/1 per text, ``predict_proba`` the columns [P(0), P(1)])."""

    label = SCREENING_LABEL

    def fit(self, X, y, labels: Sequence[str] | None = None):
        y = np.asarray(y)
        if y.ndim != 1:
            raise ValueError("ScreeningClassifier takes one 0/1 value per text.")
        super().fit(X, y[:, None], labels=labels or [self.label])
        self.classes_ = np.array([0, 1])
        return self

    def predict_proba(self, X) -> np.ndarray:
        p = super().predict_proba(X)[:, 0]
        return np.column_stack([1 - p, p])

    def predict(self, X) -> np.ndarray:
        return (self.predict_proba(X)[:, 1] >= self.thresholds_[0]).astype(np.int8)


def uncertainty(proba: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """How unsure a model is about each text: 1 when some label's probability sits on its
    threshold, 0 when every label is at 0 or 1, the side its threshold puts it on.

    Per label, the confidence is the distance from the threshold as a share of the room on
    that side, ``(p - t) / (1 - t)`` above it and ``(t - p) / t`` below; a text's uncertainty
    is one minus its least confident label's confidence. Used to put uncertain stories first
    in a coding round (active learning by uncertainty sampling)."""
    proba = np.atleast_2d(np.asarray(proba, dtype=float))
    t = np.broadcast_to(np.asarray(thresholds, dtype=float), proba.shape)
    above = proba >= t
    room = np.where(above, 1.0 - t, t)
    distance = np.abs(proba - t)
    confidence = np.divide(distance, room, out=np.ones_like(distance), where=room > 0)
    return 1.0 - np.clip(confidence, 0.0, 1.0).min(axis=1)
