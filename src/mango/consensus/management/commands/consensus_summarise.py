"""``mango consensus summarise RATINGS.csv --item COL --panellist COL --round COL --score COL
[--group COL] --rule comet [--scope panel|groups|both] [--param NAME=VALUE] [--json]``.

Summarises Delphi ratings made elsewhere (one row per item, panellist and round; scores on
1-9; an empty score is "unable to judge") per item and round: n, median, quartiles, the share
rating 7-9 and 1-3, and the status under the rule, for the whole panel and per stakeholder
group. The rules and figures are in ``mango.lib.consensus``; docs/consensus-rules.md says
what each rule does.

Items come in the order they first appear in the file, each item's rounds in natural order
(1, 2, 10) when every round label holds a number, else as they first appear. An item that
only got "unable to judge" answers in a round has n = 0, null figures and status undecided.
The same panellist twice for one item and round is an error naming both rows (numbered as a
spreadsheet shows them: the header is row 1).
"""

import csv
import io
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mango.lib.consensus import KINDS, SCOPES, RatingError, Rule, ratings_from_rows, summarise
from mango.lib.consensus.report import text_table


class Command(BaseCommand):
    requires_system_checks = []  # reads a file, never the database
    help = (
        "Summarise Delphi ratings from a CSV per item and round (n, median, quartiles, % rating "
        "7-9 and 1-3, status under a consensus rule), for the panel and per stakeholder group. "
        "Empty scores are 'unable to judge'. Items in the order they first appear, rounds in "
        "order. Prints a table, or JSON with --json."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="RATINGS.csv", help="A CSV file with a header row.")
        parser.add_argument("--item", required=True, metavar="COL", help="The item's column.")
        parser.add_argument(
            "--panellist", required=True, metavar="COL", help="The panellist's column."
        )
        parser.add_argument("--round", required=True, metavar="COL", help="The round's column.")
        parser.add_argument(
            "--score",
            required=True,
            metavar="COL",
            help="The score's column: whole numbers 1-9, empty for 'unable to judge'.",
        )
        parser.add_argument(
            "--group", metavar="COL", help="The stakeholder group's column (optional)."
        )
        parser.add_argument(
            "--rule",
            required=True,
            metavar="RULE",
            help=f"The consensus rule, with its default parameters: {', '.join(KINDS)}.",
        )
        parser.add_argument(
            "--scope",
            default="panel",
            metavar="SCOPE",
            help="Apply the rule to the whole panel (default), within each stakeholder group "
            "(groups; needs --group) or both.",
        )
        parser.add_argument(
            "--param",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="A parameter of the rule, e.g. --param threshold=80 --param band=top for "
            "percent_agreement (see docs/consensus-rules.md); repeatable.",
        )
        parser.add_argument("--json", action="store_true", help="Print JSON, not a table.")

    def handle(self, *args, **options):
        if options["rule"] not in KINDS:
            raise CommandError(
                f"Unknown rule {options['rule']!r}; the rules are: {', '.join(KINDS)}."
            )
        if options["scope"] not in SCOPES:
            raise CommandError(
                f"Unknown scope {options['scope']!r}; the scopes are: {', '.join(SCOPES)}."
            )
        if options["scope"] != "panel" and not options["group"]:
            raise CommandError(f"--scope {options['scope']} needs --group.")
        try:
            rule = Rule.make(options["rule"], options["scope"], **parameters(options["param"]))
        except ValueError as err:
            raise CommandError(str(err)) from None
        path = Path(options["file"])
        header, rows, lines = read_csv(path)
        try:
            ratings = ratings_from_rows(
                rows,
                item=options["item"],
                panellist=options["panellist"],
                round=options["round"],
                score=options["score"],
                group=options["group"],
                columns=header,
                row_numbers=lines,
            )
        except RatingError as err:
            raise CommandError(f"{path.name}: {err}") from None
        if not ratings:
            raise CommandError(f"{path.name} has a header row but no ratings.")
        results = summarise(ratings, rule)
        if options["json"]:
            data = {"rule": rule.kind, "items": [r.as_json() for r in results]}
            self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False))
        else:
            self.stdout.write(text_table(results, rule))


def parameters(pairs: list[str]) -> dict:
    """``["threshold=80", "band=top"]`` as {"threshold": 80, "band": "top"} (numbers as
    numbers, "none" as None); the rule checks names and values."""
    out = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        if not sep or not name.strip():
            raise CommandError(f"--param takes NAME=VALUE, not {pair!r}.")
        text = text.strip()
        try:
            value = float(text)
        except ValueError:
            value = None if text.lower() == "none" else text
        else:
            value = int(value) if value.is_integer() else value
        out[name.strip()] = value
    return out


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]], list[int]]:
    """The header, the rows (blank lines skipped) and each row's number (its line, as a
    spreadsheet numbers rows: the header is row 1) in a UTF-8 CSV file; the delimiter (comma,
    semicolon or tab) is read off the header line."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise CommandError(f"File not found: {path}.") from None
    except IsADirectoryError:
        raise CommandError(f"{path} is a folder, not a CSV file.") from None
    except OSError as err:
        raise CommandError(f"Cannot read {path}: {err.strerror}.") from None
    except UnicodeDecodeError:
        raise CommandError(f"{path.name} is not UTF-8 text; save it as CSV UTF-8.") from None
    if not text.strip():
        raise CommandError(f"{path.name} is empty.")
    header_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=header_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header, rows, lines = None, [], []
    try:
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                header = [c.strip() for c in cells]
                continue
            if len(cells) > len(header):
                raise CommandError(
                    f"{path.name}: row {reader.line_num} has {len(cells)} cells but the header "
                    f"has {len(header)} columns."
                )
            rows.append(dict(zip(header, cells, strict=False)))
            lines.append(reader.line_num)
    except csv.Error as err:
        raise CommandError(f"{path.name} is not a readable CSV file: {err}") from None
    return header or [], rows, lines
