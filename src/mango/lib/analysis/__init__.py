"""Tables for the research on Mangomoments, as data, without Django.

Every function takes a pandas DataFrame with one row per story: attribute columns
(teller_role, setting, oncological, organisation, unit, campaign, submitted_at, screening
decision and reason: any names, passed as arguments) and one 0/1 column per label of the
coding frame (the final codes). Results are dataclasses holding DataFrames, with a
``to_dict()`` that ``json.dumps`` accepts as it is (NaN becomes None). Bad input is a
``ValueError`` with a sentence that says what to fix.

- ``dimensions``: labels by group with counts, column percentages, a test per label (chi-square,
  Fisher's exact, or Monte Carlo), Cramér's V, Holm-adjusted p-values and residuals.
- ``significance``: the statistics on one 2 x k table, and the rule that picks the test.
- ``describe``: respondents by type, setting and oncological care; screening.
- ``trends``: stories per month and per unit; periods to group by.
"""

from .describe import crosstab, frequencies, respondent_group, respondents, screening
from .dimensions import MULTI_LABEL_NOTE, DimensionTable, LabelTest, dimension_by_group
from .significance import (
    CHI2,
    DEFAULT_RESAMPLES,
    DEFAULT_SEED,
    FISHER,
    METHOD_NOTE,
    MONTE_CARLO,
    adjusted_residuals,
    choose_test,
    cramers_v,
    holm,
    independence_test,
)
from .trends import by_month, by_unit, local_dates, period

__all__ = [
    "CHI2",
    "DEFAULT_RESAMPLES",
    "DEFAULT_SEED",
    "FISHER",
    "METHOD_NOTE",
    "MONTE_CARLO",
    "MULTI_LABEL_NOTE",
    "DimensionTable",
    "LabelTest",
    "adjusted_residuals",
    "by_month",
    "by_unit",
    "choose_test",
    "cramers_v",
    "crosstab",
    "dimension_by_group",
    "frequencies",
    "holm",
    "independence_test",
    "local_dates",
    "period",
    "respondent_group",
    "respondents",
    "screening",
]
