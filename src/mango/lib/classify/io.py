"""Reading labelled texts from CSV and writing predictions, with clear messages on bad input.

A data file has a header row, a text column and, for training and evaluation, one column per
label holding 0 or 1. Without a list of labels, every column but the text and the id column
is a label. The delimiter (comma, semicolon or tab) is detected; the file must be UTF-8 (a
byte-order mark is allowed).

Predictions (``write_predictions``) have exactly these columns: the id column under its own
name, then one 0/1 column per label under the label's name, then one probability column per
label named ``<label>_probability``, in the model's label order.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

PROBABILITY_SUFFIX = "_probability"


class DataError(ValueError):
    """The data file cannot be used as it is; the message says what to fix."""


@dataclass
class Data:
    texts: list[str]
    labels: list[str]
    Y: np.ndarray | None  # texts x labels, 0/1; None when no labels were read
    ids: list[str] | None


def _shown(items: Sequence, limit: int = 10) -> str:
    items = [str(i) for i in items]
    return ", ".join(items[:limit]) + (
        f" and {len(items) - limit} more" if len(items) > limit else ""
    )


def read_frame(path: Path | str) -> pd.DataFrame:
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            sample = f.read(64 * 1024)
    except FileNotFoundError:
        raise DataError(f"No such file: {path}.") from None
    except UnicodeDecodeError:
        raise DataError(f"{path} is not UTF-8 text; save it as CSV UTF-8.") from None
    except OSError as err:
        raise DataError(f"Cannot read {path}: {err.strerror}.") from None
    if not sample.strip():
        raise DataError(f"{path} is empty.")
    try:
        delimiter = csv.Sniffer().sniff(sample.split("\n", 1)[0], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    try:
        frame = pd.read_csv(
            path, sep=delimiter, dtype=str, keep_default_na=False, encoding="utf-8-sig"
        )
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as err:
        raise DataError(f"{path} is not a readable CSV file: {err}") from None
    header = next(csv.reader(sample.splitlines()[:1], delimiter=delimiter), [])
    duplicated = sorted({c for c in header if header.count(c) > 1})
    if duplicated:
        raise DataError(f"{path} has duplicate column names: {_shown(duplicated)}.")
    return frame


def read_data(
    path: Path | str,
    text: str,
    labels: Sequence[str] | None = None,
    id_column: str | None = None,
    *,
    with_labels: bool = True,
    require_id: bool = False,
) -> Data:
    """Texts (and labels, ids) from a CSV file; ``DataError`` on anything unusable.

    ``labels`` None means every column but ``text`` and ``id_column`` (default "id")."""
    frame = read_frame(path)
    columns = list(frame.columns)
    wanted = [text] + ([id_column] if require_id and id_column else [])
    if with_labels and labels is not None:
        wanted += list(labels)
    missing = [c for c in wanted if c not in columns]
    if missing:
        raise DataError(
            f"Column(s) not in {Path(path).name}: {_shown(missing)}. "
            f"Its columns are: {_shown(columns, 30)}."
        )
    texts = [t.strip() for t in frame[text]]
    empty = [i + 2 for i, t in enumerate(texts) if not t]  # row 1 is the header
    if empty:
        raise DataError(f"Empty text in column {text!r} on row(s) {_shown(empty)}.")
    if not texts:
        raise DataError(f"{Path(path).name} has no rows.")
    ids = list(frame[id_column]) if id_column and id_column in columns else None

    Y, label_names = None, []
    if with_labels:
        exclude = {text, id_column or "id"}
        label_names = (
            list(labels) if labels is not None else [c for c in columns if c not in exclude]
        )
        if not label_names:
            raise DataError(f"No label columns in {Path(path).name}: give --labels.")
        Y = np.zeros((len(texts), len(label_names)), dtype=np.int8)
        for j, label in enumerate(label_names):
            values = frame[label].str.strip()
            bad = [i + 2 for i, v in enumerate(values) if v not in ("0", "1")]
            if bad:
                raise DataError(
                    f"Label column {label!r} must hold 0 or 1; row(s) {_shown(bad)} do not."
                )
            Y[:, j] = values == "1"
        none = [label for label, p in zip(label_names, Y.sum(0), strict=True) if p == 0]
        if none:
            raise DataError(f"No positive example (no 1) for label(s): {_shown(none)}.")
    return Data(texts=texts, labels=label_names, Y=Y, ids=ids)


def data_sha256(texts: Sequence[str], Y: np.ndarray, labels: Sequence[str]) -> str:
    """A fingerprint of training data: texts, label names and values, in order."""
    h = hashlib.sha256()
    h.update(json.dumps(list(labels)).encode())
    for t, row in zip(texts, np.asarray(Y), strict=True):
        h.update(json.dumps([t, [int(v) for v in row]], ensure_ascii=False).encode() + b"\n")
    return h.hexdigest()


def prediction_columns(id_column: str, labels: Sequence[str]) -> list[str]:
    """The columns of a predictions file, in order."""
    return [id_column, *labels, *[f"{label}{PROBABILITY_SUFFIX}" for label in labels]]


def write_predictions(
    path: Path | str,
    id_column: str,
    ids: Sequence[str],
    labels: Sequence[str],
    predicted: np.ndarray,
    probabilities: np.ndarray,
) -> pd.DataFrame:
    columns = prediction_columns(id_column, labels)
    if len(set(columns)) != len(columns):
        raise DataError(f"The id column {id_column!r} has the name of a label or probability.")
    frame = pd.DataFrame({id_column: list(ids)})
    for j, label in enumerate(labels):
        frame[label] = np.asarray(predicted[:, j], dtype=int)
    for j, label in enumerate(labels):
        frame[f"{label}{PROBABILITY_SUFFIX}"] = np.round(probabilities[:, j], 4)
    frame.to_csv(path, index=False)
    return frame
