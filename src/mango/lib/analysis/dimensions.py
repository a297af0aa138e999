"""Dimension by group: per label, how many stories of each group carry it, and a test.

The input is one row per story with a group column (respondent type, setting, oncological,
organisation, unit, campaign, a period: any column) and one 0/1 column per label (a dimension
of the coding frame, or any other code). Coding may be multi-label: a story counts once in
every label it carries, so the column total of a group is its number of stories, not of
codings, and a group's percentages can add up to more than 100%. A single chi-square test
over all labels would count such stories twice; each label is therefore tested on its own
2 x k table and the p-values adjusted together with Holm's method (see ``significance``).

>>> import pandas as pd
>>> stories = pd.DataFrame({"who": ["a", "a", "b", "b"], "respect": [1, 1, 0, 1]})
>>> table = dimension_by_group(stories, "who", ["respect"])
>>> table.counts.loc["respect"].tolist(), table.totals.tolist()
([2, 1], [2, 2])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from . import significance
from .common import (
    factorize,
    group_key,
    jsonable,
    label_matrix,
    ordered_groups,
    positions,
    require_columns,
)

MULTI_LABEL_NOTE = (
    "A story may carry several labels: it counts once in each, so column totals are numbers "
    "of stories (not of codings) and a group's percentages can add up to more than 100%."
)


@dataclass(frozen=True)
class LabelTest(significance.TableTest):
    """One label's test, with its Holm-adjusted p-value."""

    label: str = ""
    p_holm: float | None = None


@dataclass
class DimensionTable:
    """Labels by group. ``counts``, ``percentages`` and ``residuals`` are labels x groups;
    ``residuals`` are those of the "carries the label" cells (the other row is their
    negative). ``tests`` holds one ``LabelTest`` per label, in the order of ``labels``."""

    group: str
    groups: list
    labels: list[str]
    totals: pd.Series  # stories per group
    counts: pd.DataFrame
    percentages: pd.DataFrame
    residuals: pd.DataFrame
    tests: list[LabelTest]
    unlabelled: pd.Series  # stories per group that carry none of the labels
    multi_label: bool  # some story carries more than one of the labels
    left_out: int  # rows without a group value, or in a group not asked for
    seed: int | None
    resamples: int
    note: str = MULTI_LABEL_NOTE
    method: str = field(default=significance.METHOD_NOTE)

    @property
    def stories(self) -> int:
        return int(self.totals.sum())

    def tests_frame(self) -> pd.DataFrame:
        """The tests as a DataFrame indexed by label (None becomes NaN here)."""
        return pd.DataFrame([asdict(t) for t in self.tests]).set_index("label")

    def records(self) -> list[dict]:
        """One object per label: label, counts, totals, test, statistic, dof, p, p_holm,
        cramers_v; the shape ``mango stats compare --json`` prints."""
        totals = {group_key(g): int(n) for g, n in self.totals.items()}
        return jsonable(
            [
                {
                    "label": t.label,
                    "counts": {group_key(g): int(n) for g, n in self.counts.loc[t.label].items()},
                    "totals": totals,
                    "test": t.test,
                    "statistic": t.statistic,
                    "dof": t.dof,
                    "p": t.p,
                    "p_holm": t.p_holm,
                    "cramers_v": t.cramers_v,
                }
                for t in self.tests
            ]
        )

    def to_dict(self) -> dict:
        """Everything, JSON-serialisable (NaN and infinity become None)."""
        labels = []
        for t in self.tests:
            labels.append(
                {
                    "label": t.label,
                    "stories": int(self.counts.loc[t.label].sum()),
                    "counts": self.counts.loc[t.label],
                    "percentages": self.percentages.loc[t.label],
                    "residuals": self.residuals.loc[t.label],
                    **{k: v for k, v in asdict(t).items() if k != "label"},
                }
            )
        return jsonable(
            {
                "group": self.group,
                "groups": [group_key(g) for g in self.groups],
                "stories": self.stories,
                "left_out": self.left_out,
                "totals": self.totals,
                "unlabelled": self.unlabelled,
                "multi_label": self.multi_label,
                "labels": labels,
                "note": self.note,
                "method": {"note": self.method, "resamples": self.resamples, "seed": self.seed},
            }
        )


def group_codes(stories: pd.DataFrame, group: str, groups: Sequence | None = None):
    """(codes, groups, left_out): each story's group position (-1: left out), the groups in
    order, and how many stories are left out. ValueError for fewer than two groups or a group
    without stories."""
    require_columns(stories, [group])
    column = stories[group]
    factorized = factorize(column)
    groups = ordered_groups(factorized[1], groups)
    codes = positions(column, groups, factorized)
    if len(groups) < 2:
        found = ", ".join(repr(group_key(g)) for g in groups) or "none"
        raise ValueError(
            f"Comparing needs at least 2 groups; column {group!r} has {len(groups)} ({found})."
        )
    sizes = np.bincount(codes[codes >= 0], minlength=len(groups))
    empty = [group_key(g) for g, n in zip(groups, sizes, strict=True) if n == 0]
    if empty:
        raise ValueError(f"Group(s) without stories in column {group!r}: {', '.join(empty)}.")
    return codes, groups, int(np.count_nonzero(codes < 0))


def label_tests(
    counts: np.ndarray,
    totals: np.ndarray,
    labels: Sequence[str],
    sequence: np.random.SeedSequence,
    resamples: int,
) -> tuple[list[LabelTest], np.ndarray]:
    """Per label, the group-by-(label, not label) test with its own random stream (so a
    label's Monte Carlo p does not depend on the others), Holm-adjusted together, and the
    adjusted residuals of the label row (NaN where no test ran)."""
    raw, residuals = [], np.full(counts.shape, np.nan)
    for j, stream in enumerate(sequence.spawn(len(labels))):
        table = np.vstack([counts[j], totals - counts[j]])
        raw.append(
            significance.independence_test(
                table, resamples=resamples, rng=np.random.default_rng(stream)
            )
        )
        if raw[-1].test is not None:
            residuals[j] = significance.adjusted_residuals(table)[0]
    adjusted = significance.holm([t.p for t in raw])
    tests = [
        LabelTest(**asdict(t), label=name, p_holm=p)
        for t, name, p in zip(raw, labels, adjusted, strict=True)
    ]
    return tests, residuals


def dimension_by_group(
    stories: pd.DataFrame,
    group: str,
    labels: Sequence[str],
    *,
    groups: Sequence | None = None,
    seed: int | None = significance.DEFAULT_SEED,
    resamples: int = significance.DEFAULT_RESAMPLES,
) -> DimensionTable:
    """Counts, column percentages, residuals and a test per label, by ``group``.

    ``groups``: the groups to compare, in this order (stories in other groups are left out);
    default every value present, sorted. Stories without a group value are left out and
    counted in ``left_out``. ``seed`` and ``resamples`` drive the Monte Carlo tests; label i
    uses the i-th child of ``numpy.random.SeedSequence(seed)``, so adding a label after it
    does not change its p. With ``seed=None`` a fresh seed is drawn and recorded in the
    result, so the run can still be repeated.
    """
    labels = list(labels)
    if group in labels:
        raise ValueError(f"Column {group!r} cannot be both the group and a label.")
    require_columns(stories, [group, *labels])
    significance.check_resamples(resamples)
    significance.check_seed(seed)
    matrix = label_matrix(stories, labels)
    codes, groups, left_out = group_codes(stories, group, groups)
    kept = codes >= 0
    codes, matrix = codes[kept], matrix[kept]
    k = len(groups)
    totals = np.bincount(codes, minlength=k)
    counts = np.stack(
        [np.bincount(codes, weights=matrix[:, j], minlength=k) for j in range(len(labels))]
    )
    counts = counts.astype(np.int64)
    per_story = matrix.sum(axis=1)
    unlabelled = np.bincount(codes, weights=per_story == 0, minlength=k).astype(np.int64)

    sequence = np.random.SeedSequence(seed)
    tests, residuals = label_tests(counts, totals, labels, sequence, resamples)

    columns = pd.Index(groups, name=group)
    index = pd.Index(labels, name="label")
    return DimensionTable(
        group=group,
        groups=groups,
        labels=labels,
        totals=pd.Series(totals, index=columns, name="stories"),
        counts=pd.DataFrame(counts, index=index, columns=columns),
        percentages=pd.DataFrame(100 * counts / totals, index=index, columns=columns),
        residuals=pd.DataFrame(residuals, index=index, columns=columns),
        tests=tests,
        unlabelled=pd.Series(unlabelled, index=columns, name="unlabelled"),
        multi_label=bool((per_story > 1).any()),
        left_out=left_out,
        seed=int(sequence.entropy) if seed is None else seed,
        resamples=resamples,
    )
