"""``mango runchart DATA --date COL --value COL [--json]``: the Anhøj rules for one series.

DATA is a CSV or XLSX file with a header row and one row a period. The rows are put in date
order, and the command prints the median, the number of useful observations (not on the
median), the longest run, the number of crossings, the two Anhøj limits and whether each rule
signals (``mango.lib.spc.runchart``). With ``--json`` it prints one JSON object with exactly
the keys n, n_useful, median, longest_run, longest_run_max, crossings, crossings_min,
runs_signal, crossings_signal. Dates and numbers are read as ``mango.lib.spc.series`` says.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mango.lib import importing
from mango.lib.spc import runchart
from mango.lib.spc.series import SeriesError, read_series

XLSX = importing.XLSX_SUFFIXES


class Command(BaseCommand):
    help = (
        "Run chart analysis of one series in a CSV or XLSX file (one row a period): median, "
        "useful observations, longest run and crossings with their Anhøj limits, and whether "
        "each rule signals."
    )

    def add_arguments(self, parser):
        parser.add_argument("data", metavar="DATA", help="A .csv or .xlsx file with a header row.")
        parser.add_argument(
            "--date",
            required=True,
            metavar="COL",
            help="The column with the period: a date (2024-03-15, 15/03/2024) or a period "
            "label (2024-03, 2024-Q1, 2024-W05, 2024).",
        )
        parser.add_argument(
            "--value", required=True, metavar="COL", help="The column with the measure."
        )
        parser.add_argument(
            "--baseline",
            type=int,
            metavar="N",
            help="Freeze the median on the first N periods (a baseline) and judge the whole "
            "series around it.",
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="Print one JSON object: n, n_useful, median, longest_run, longest_run_max, "
            "crossings, crossings_min, runs_signal, crossings_signal.",
        )

    def handle(self, *args, **options):
        path = Path(options["data"])
        try:
            table = importing.read_table(path)
        except importing.ImportFileError as err:
            if err.code == "unsupported_type":
                raise CommandError(f"{path.name}: DATA must be a .csv or .xlsx file.") from None
            raise CommandError(f"{path}: {err}") from None
        try:
            series = read_series(
                table.columns,
                table.records,
                date_column=options["date"],
                value_column=options["value"],
                # Excel's own numbers arrive as numbers; a decimal comma in a text cell of an
                # Excel file or in a semicolon/tab file is the Belgian way of writing decimals.
                decimal_comma=table.delimiter != "," or path.suffix.lower() in XLSX,
            )
        except SeriesError as err:
            raise CommandError(f"{path.name}: {err}") from None
        median = None
        baseline = options["baseline"]
        if baseline is not None:
            if not 1 <= baseline <= len(series.values):
                raise CommandError(
                    f"--baseline must be between 1 and the number of values "
                    f"({len(series.values)}); got {baseline}."
                )
            median = runchart.analyse(series.values[:baseline]).median
        chart = runchart.analyse(series.values, median=median)
        if series.skipped:
            rows = ", ".join(str(r) for r in series.skipped)
            self.stderr.write(f"Left out {len(series.skipped)} row(s) without a value: {rows}.")
        if options["json"]:
            self.stdout.write(json.dumps(chart.as_dict()))
            return
        self.stdout.write(render(chart, series, options["value"], baseline))


def _yes(signal: bool) -> str:
    return "SIGNAL" if signal else "no signal"


def render(chart: runchart.RunChart, series, value: str, baseline: int | None) -> str:
    where = f"median of the first {baseline} periods" if baseline else "median"
    lines = [
        f"Run chart of {value!r}: {chart.n} periods, {series.labels[0]} to {series.labels[-1]}.",
        f"Median:                        {chart.median:g}" + (f" ({where})" if baseline else ""),
        f"Useful observations:           {chart.n_useful} (not on the median)",
        f"Longest run:                   {chart.longest_run} "
        f"(upper limit {chart.longest_run_max}): {_yes(chart.runs_signal)}",
        f"Crossings:                     {chart.crossings} "
        f"(lower limit {chart.crossings_min}): {_yes(chart.crossings_signal)}",
        "",
        *runchart.explain(chart)[1:],
    ]
    return "\n".join(lines)
