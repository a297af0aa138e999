"""Consensus and prioritisation: Delphi ratings, consensus rules, rounds, rankings and reports.

Pure Python (numpy-free at run time, no Django): the consensus app and the
``mango consensus summarise`` command are thin layers over it. The rules in words, with their
citations, are in docs/consensus-rules.md.

Ratings (``ratings``, ``scale``)
    ``Scale(low=1, high=9, width=None)``; ``NINE_POINT``. ``scale.bottom`` / ``middle`` /
    ``top`` are (first, last) scores of each third (1-3, 4-6, 7-9), ``scale.band(score)``,
    ``scale.label("top")`` -> "7-9". Other scales: each extreme third has (k + 1) // 3 points.
    ``Rating(item, panellist, round, score, group=None)`` (a named tuple), score None =
    "unable to judge". ``ratings_from_rows(rows, item=, panellist=, round=, score=,
    group=None, scale=, columns=None, first_row=2, row_numbers=None)`` -> list[Rating] from
    text rows (CSV ``DictReader`` rows); ``check_ratings(ratings, scale)``;
    ``parse_score(text, scale)``. Both raise ``RatingError`` (a ValueError) naming the row
    (header = row 1): missing columns (listing those there are), empty item, panellist or
    round, a score that is not a whole number or is off the scale, the same panellist twice
    for an item and round, a panellist in two groups.

Summaries (``summary``)
    ``summarise_scores(scores, scale) -> Summary``. ``Summary``: ``n`` (who scored),
    ``unable``, ``answered``, ``counts`` (per score), ``bottom``/``middle``/``top`` (counts),
    ``median``, ``q1``, ``q3``, ``iqr`` (floats, numpy's linear percentiles; ``*_exact``:
    Fractions), ``percentile(p)``, ``pct_bottom``/``pct_middle``/``pct_top`` (0-100 of n;
    aliases ``pct_1_3``/``pct_7_9``), ``as_dict()``. n = 0: all figures None.

Rules (``rules``)
    ``Rule.make(kind, scope="panel", **params)``, frozen; ``rule.params``, ``as_dict()``,
    ``Rule.from_dict()``, ``to_json()`` (canonical) / ``from_json()``, ``describe(scale,
    language="en")`` (en, nl or fr, with the citation; ``LANGUAGES``), ``label(status)``
    (RAND words). ``KINDS`` (kind -> default
    params): ``comet`` (in_top_at_least=70, in_bottom_below=15, out_top_at_most=50),
    ``percent_agreement`` (threshold=75, band="both"|"top"|"bottom"), ``median_iqr``
    (max_iqr=1, in_median_at_least=None -> 7, out_median_at_most=None -> 3), ``rand_ucla``
    (disagreement="auto"|"ipras"). ``SCOPES`` = panel, groups, both. ``STATUSES`` = in, out,
    undecided. ``evaluate(rule, summary) -> Verdict(status, detail)`` (one set of scores,
    scope aside; kept on the summary, so do not change ``detail``),
    ``scoped_status``, ``combine(statuses)``, ``rand_disagreement(summary)``.

Engine (``engine``)
    ``tabulate(ratings, scale) -> Table`` (``items``, ``rounds``, ``groups``, ``cells``: each a
    ``Cell(item, round, panel: Summary, groups: {group: Summary})``); ``apply(table, rule) ->
    list[ItemRound]``; ``summarise(ratings, rule, scale)`` = both. ``ItemRound``: ``item``,
    ``round``, ``panel`` (Summary), ``panel_verdict``, ``groups`` ({group: GroupResult(summary,
    verdict, .status)}), ``status`` (under the rule's scope), ``as_json()`` (the CLI's shape).
    Items in first-seen order; rounds in natural order when all labels hold a number, else
    first-seen; groups first-seen, every group listed for every item and round.

Between rounds (``rounds``), rankings (``ranking``), 2 x 2 (``matrix``)
    ``stability(cells, threshold=15, groups=False) -> list[Change]`` (change in % rating 7-9,
    percentage points, stable when |change| <= threshold). ``attrition(ratings,
    panellists=None) -> list[Attrition]`` (group, round, base, answered, pct_answered, lost).
    ``borda(ballots, top=5, items=()) -> list[BordaRow]`` (item, points, ballots, places, rank,
    tied). ``classify(importance, feasibility, cutoff=7) -> list[Placed]`` and ``quadrant(...)``
    with ``QUADRANTS``.

Reports (``report``)
    ``result_rows(results, rule, groups=True)`` -> dicts with ``COLUMNS`` (item, round, group
    ("" = whole panel), n, unable, median, q1, q3, pct_bottom, pct_middle, pct_top, status)
    and ``status_code`` (in/out/undecided; status is in RAND's words for rand_ucla);
    ``headers(scale, panel_label)`` (English; translated titles may be lazy strings, missing
    keys fall back); ``write_csv(rows, textfile, titles)``,
    ``write_xlsx(rows, path_or_binary_file, rule_text=, titles=)``, ``html_table(rows, titles,
    caption=, status_labels=)`` (escaped fragment, classes, no inline styles);
    ``text_table(results, rule)``; ``number(value, digits)`` (short text for a figure).
"""

from .engine import Cell, ItemRound, Table, apply, order_rounds, summarise, tabulate
from .matrix import QUADRANTS, Placed, classify, quadrant
from .ranking import BordaRow, borda
from .ratings import Rating, RatingError, check_ratings, parse_score, ratings_from_rows
from .rounds import Attrition, Change, attrition, stability
from .rules import (
    KINDS,
    LANGUAGES,
    SCOPES,
    STATUSES,
    Rule,
    Verdict,
    combine,
    evaluate,
    rand_disagreement,
    scoped_status,
)
from .scale import NINE_POINT, Scale
from .summary import Summary, summarise_scores

__all__ = [
    "KINDS",
    "LANGUAGES",
    "NINE_POINT",
    "QUADRANTS",
    "SCOPES",
    "STATUSES",
    "Attrition",
    "BordaRow",
    "Cell",
    "Change",
    "ItemRound",
    "Placed",
    "Rating",
    "RatingError",
    "Rule",
    "Scale",
    "Summary",
    "Table",
    "Verdict",
    "apply",
    "attrition",
    "borda",
    "check_ratings",
    "classify",
    "combine",
    "evaluate",
    "order_rounds",
    "parse_score",
    "quadrant",
    "rand_disagreement",
    "ratings_from_rows",
    "scoped_status",
    "stability",
    "summarise",
    "summarise_scores",
    "tabulate",
]
