"""Cross-validation folds for multi-label data: iterative stratification over groups.

``folds(Y, n_splits, groups)`` splits rows so that each fold holds about its share of every
label's positive examples (Sechidis, Tsoumakas & Vlahavas 2011, "On the stratification of
multi-label data", ECML PKDD), while rows of one group stay in one fold. The classifier groups
identical texts (after normalisation): feedback data holds many copies of short answers such as
"Nothing.", and a copy on each side of a split would let a model score a text it has seen.

The algorithm: take the label with the fewest positives left to place; give each group that
carries it to the fold that most lacks that label (ties: the fold that most lacks rows, then
chance); repeat; groups without any label fill the folds that most lack rows.
"""

from __future__ import annotations

import re

import numpy as np


def text_groups(texts) -> np.ndarray:
    """A group number per text; texts equal after lowercasing and dropping punctuation share
    one."""
    keys = [" ".join(re.sub(r"\W+", " ", t.lower()).split()) for t in texts]
    _, groups = np.unique(np.array(keys, dtype=object), return_inverse=True)
    return groups


def folds(
    Y: np.ndarray, n_splits: int, groups: np.ndarray | None = None, random_state: int = 0
) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train rows, test rows) for each of ``n_splits`` folds; every row is tested once."""
    Y = np.asarray(Y, dtype=np.int64)
    if Y.ndim == 1:
        Y = Y[:, None]
    n = len(Y)
    if n_splits < 2:
        raise ValueError("Cross-validation needs at least 2 folds.")
    groups = np.arange(n) if groups is None else np.asarray(groups)
    _, group_of_row = np.unique(groups, return_inverse=True)
    n_groups = group_of_row.max() + 1 if n else 0
    if n_groups < n_splits:
        raise ValueError(
            f"Cannot make {n_splits} folds from {n_groups} distinct text(s); "
            "use fewer folds or more data."
        )
    rng = np.random.default_rng(random_state)
    # Per group: its size and its positive count for each label.
    sizes = np.bincount(group_of_row, minlength=n_groups).astype(float)
    counts = np.zeros((n_groups, Y.shape[1]))
    np.add.at(counts, group_of_row, Y)
    want_rows = np.full(n_splits, n / n_splits)
    want_labels = np.tile(counts.sum(0) / n_splits, (n_splits, 1))
    fold_of_group = np.full(n_groups, -1)
    left = counts.copy()

    def place(g: int, lacking: np.ndarray):
        ties = np.flatnonzero(lacking == lacking.max())
        if len(ties) > 1:
            rows = want_rows[ties]
            ties = ties[rows == rows.max()]
        f = rng.choice(ties)
        fold_of_group[g] = f
        want_rows[f] -= sizes[g]
        want_labels[f] -= counts[g]
        left[g] = 0

    while True:
        remaining = left.sum(0)
        if not remaining.any():
            break
        label = np.flatnonzero(remaining)[np.argmin(remaining[remaining > 0])]
        for g in rng.permutation(np.flatnonzero(left[:, label] > 0)):
            place(g, want_labels[:, label])
    for g in rng.permutation(np.flatnonzero(fold_of_group < 0)):
        place(g, want_rows)
    fold_of_row = fold_of_group[group_of_row]
    return [
        (np.flatnonzero(fold_of_row != f), np.flatnonzero(fold_of_row == f))
        for f in range(n_splits)
    ]
