"""Coding texts into a codebook with a classifier, without Django.

- ``model``: ``MultiLabelClassifier`` (any codebook; the eight Picker dimensions by default)
  and ``ScreeningClassifier`` (Mangomoment or not), scikit-learn estimators with calibrated
  probabilities and per-label thresholds tuned on out-of-fold predictions;
- ``featurise``: the pluggable featurisers (backends); the default is TF-IDF over word and
  character n-grams, language-agnostic and CPU-only;
- ``folds``: iteratively stratified folds that keep identical texts together;
- ``evaluate``: per-label and macro/micro metrics, and nested cross-validation;
- ``store``: model directories with metadata and an HMAC signature checked before unpickling;
- ``io``: reading labelled CSV files and writing predictions, with clear errors.

The ``mango classify train|predict|evaluate`` commands (``mango.classify``) sit on top.
"""

from .evaluate import cross_validate, metrics
from .featurise import BACKENDS, TextFeatures, make_featuriser
from .model import (
    CODEBOOK_VERSION,
    DIMENSIONS,
    MultiLabelClassifier,
    ScreeningClassifier,
)
from .store import ModelFileError, load, save

__all__ = [
    "BACKENDS",
    "CODEBOOK_VERSION",
    "DIMENSIONS",
    "ModelFileError",
    "MultiLabelClassifier",
    "ScreeningClassifier",
    "TextFeatures",
    "cross_validate",
    "load",
    "make_featuriser",
    "metrics",
    "save",
]
