"""``mango stats compare DATA --group COL --labels A,B,...``: labels by group, from a file.

For data from elsewhere (another team's coding, an older campaign): a CSV or XLSX file with a
header row and one story per row; the group column holds any values, each label column 0 or 1.
Prints per label the counts and column percentages per group and a test of difference
(``mango.lib.analysis``); with ``--json`` a list with one object per label.
"""

import json
import math
import textwrap
from pathlib import Path

import pandas as pd
from django.core.management.base import BaseCommand, CommandError

from mango.lib import analysis, importing
from mango.lib.analysis.common import group_key

TEST_NAMES = {
    analysis.CHI2: "chi-square",
    analysis.FISHER: "Fisher's exact test",
    analysis.MONTE_CARLO: "Monte Carlo chi-square",
}


class Command(BaseCommand):
    help = (
        "Compare groups per label in a CSV or XLSX file with one story per row: counts, column "
        "percentages, a chi-square, Fisher's exact or Monte Carlo test per label, Holm-adjusted "
        "p-values and Cramér's V. Label columns hold 0 or 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("data", metavar="DATA", help="A .csv or .xlsx file with a header row.")
        parser.add_argument(
            "--group", required=True, metavar="COL", help="The column whose values are the groups."
        )
        parser.add_argument(
            "--labels",
            required=True,
            metavar="A,B,...",
            help="The label columns to compare, separated by commas; each holds 0 or 1.",
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="Print a JSON list with one object per label: label, counts, totals, test "
            "(chi2, fisher or monte_carlo; null for a label that no story or every story "
            "carries), statistic (Pearson's X²), dof (null but for chi2), p, p_holm, cramers_v.",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=analysis.DEFAULT_SEED,
            help=f"Seed of the Monte Carlo tests (default {analysis.DEFAULT_SEED}).",
        )
        parser.add_argument(
            "--resamples",
            type=int,
            default=analysis.DEFAULT_RESAMPLES,
            help=f"Random tables per Monte Carlo test (default {analysis.DEFAULT_RESAMPLES:,}).",
        )

    def handle(self, *args, **options):
        labels = [name.strip() for name in options["labels"].split(",") if name.strip()]
        if not labels:
            raise CommandError("--labels needs at least one column name, e.g. --labels A,B.")
        stories = read_stories(Path(options["data"]), [options["group"], *labels])
        try:
            result = analysis.dimension_by_group(
                stories,
                options["group"],
                labels,
                seed=options["seed"],
                resamples=options["resamples"],
            )
        except ValueError as err:
            raise CommandError(str(err)) from None
        if options["json"]:
            if result.left_out:
                self.stderr.write(left_out_line(result))
            self.stdout.write(json.dumps(result.records(), indent=2, ensure_ascii=False))
        else:
            self.stdout.write(render(result))


def read_stories(path: Path, needed: list[str]) -> pd.DataFrame:
    """The file as text cells, indexed by spreadsheet row number (the header is row 1), with
    label cells "0" and "1" as numbers, so that messages name the right row."""
    try:
        table = importing.read_table(path)
    except importing.ImportFileError as err:
        if err.code == "unsupported_type":
            raise CommandError(f"{path.name}: DATA must be a .csv or .xlsx file.") from None
        raise CommandError(f"{path.name}: {err}") from None
    duplicated = sorted({c for c in needed if table.columns.count(c) > 1})
    if duplicated:
        raise CommandError(f"Column(s) named twice in the header: {', '.join(duplicated)}.")
    width = len(table.columns)
    rows = [(cells + [""] * width)[:width] for _, cells in table.records]
    stories = pd.DataFrame(
        rows, columns=table.columns, index=[number for number, _ in table.records], dtype=object
    )
    for name in set(needed[1:]) & set(stories.columns):
        stories[name] = stories[name].map(_zero_one)
    return stories


def _zero_one(cell: str):
    """1 and 0 (also "1.0", " 0 ") as numbers, an empty cell as missing, anything else as it
    is, for the analysis to refuse with its row number."""
    text = cell.strip()
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        return cell
    return int(number) if number in (0, 1) else cell


def left_out_line(result: analysis.DimensionTable) -> str:
    return f"{result.left_out} row(s) without a value in {result.group!r} left out."


def _number(value, digits: str = ".3f") -> str:
    return "-" if value is None else format(value, digits)


def render(result: analysis.DimensionTable) -> str:
    """The comparison as a plain-text table, one block per label."""
    groups = [group_key(g) for g in result.groups]
    head = [
        f"Stories by {result.group}: {result.stories:,} in {len(groups)} groups.",
    ]
    if result.left_out:
        head.append(left_out_line(result))
    cells = {}
    for label in result.labels:
        counts, percentages = result.counts.loc[label], result.percentages.loc[label]
        cells[label] = [f"{n:,} ({pct:.1f}%)" for n, pct in zip(counts, percentages, strict=True)]
    width = max(len(g) for g in groups)
    width = max([width, *(len(c) for row in cells.values() for c in row)])
    first = max(len("stories"), *(len(label) for label in result.labels), len("  residual"))

    def line(name, values):
        return f"{name:<{first}}  " + "  ".join(f"{v:>{width}}" for v in values)

    lines = [*head, "", line("", groups), line("stories", [f"{n:,}" for n in result.totals])]
    for test in result.tests:
        residuals = result.residuals.loc[test.label]
        lines += [
            "",
            line(test.label, cells[test.label]),
            line("  residual", [_number(None if math.isnan(r) else r, "+.2f") for r in residuals]),
        ]
        if test.test is None:
            lines.append("  not tested: no story, or every story, carries this label")
            continue
        name = TEST_NAMES[test.test]
        if test.test == analysis.MONTE_CARLO:
            name += f" ({result.resamples:,} resamples, seed {result.seed})"
        dof = "" if test.dof is None else f", dof = {test.dof}"
        lines.append(
            f"  {name}: X² = {test.statistic:.3f}{dof}, p = {_number(test.p, '.4g')}, "
            f"p (Holm) = {_number(test.p_holm, '.4g')}, Cramér's V = {test.cramers_v:.3f}"
        )
    lines += ["", *textwrap.wrap(result.note, 100), *textwrap.wrap("Method: " + result.method, 100)]
    return "\n".join(lines)
