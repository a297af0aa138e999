"""``mango agreement CODINGS.csv --unit COL --coder COL --code COL [--value COL]``.

Agreement statistics for codings made elsewhere, per code and overall, as JSON (or a table
with ``--table``). The CSV has one row per unit, coder and code. Without ``--value`` every
row means "present" and a code missing for a coder who coded that unit means "absent"; with
``--value`` the values are taken as given (1/0, numbers or category names) and a missing row
or empty value means that coder did not code that unit for that code. The statistics and
their method are in ``mango.lib.agreement``.
"""

import io
import json
import textwrap
from pathlib import Path

import pandas as pd
from django.core.management.base import BaseCommand, CommandError

from mango.lib import agreement

INPUT_PRESENCE = (
    "No value column: each row means the coder gave that code to that unit (1); the codes "
    "in the file that a coder did not give to a unit they coded count as absent (0). A unit a "
    "coder read but gave no code at all does not appear, so it counts as not coded by them; "
    "use --value with explicit 0 rows to count it."
)
INPUT_VALUES = (
    "Values taken as given from column {column!r}; a missing row or an empty value means the "
    "coder did not code that unit for that code."
)
LABELS = {
    "percent_agreement": "percent agreement",
    "cohen_kappa": "Cohen's kappa",
    "fleiss_kappa": "Fleiss' kappa",
    "krippendorff_alpha": "Krippendorff's alpha",
}


class Command(BaseCommand):
    requires_system_checks = []  # reads a file, never the database
    help = (
        "Agreement between coders (percent agreement, Cohen's and Fleiss' kappa, "
        "Krippendorff's alpha, with 95% intervals) per code and overall, from a CSV with one "
        "row per unit, coder and code. Prints JSON, or a table with --table."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="CODINGS.csv", help="A CSV file with a header row.")
        parser.add_argument("--unit", required=True, metavar="COL", help="The unit's column.")
        parser.add_argument("--coder", required=True, metavar="COL", help="The coder's column.")
        parser.add_argument("--code", required=True, metavar="COL", help="The code's column.")
        parser.add_argument(
            "--value",
            metavar="COL",
            help="The value's column (1/0, a number or a category name). Without it every "
            "row means present and a code not listed for a coder's unit means absent.",
        )
        parser.add_argument("--table", action="store_true", help="Print a table, not JSON.")
        parser.add_argument(
            "--resamples",
            type=int,
            default=agreement.DEFAULT_RESAMPLES,
            metavar="N",
            help="Bootstrap resamples for the intervals (default %(default)s; 0: none).",
        )
        parser.add_argument(
            "--seed", type=int, metavar="N", help="Seed of the bootstrap (default: random)."
        )
        parser.add_argument(
            "--level",
            choices=agreement.LEVELS,
            default="nominal",
            help="Level of measurement for Krippendorff's alpha (default %(default)s).",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        frame = read_codings(path)
        if options["resamples"] < 0:
            raise CommandError("--resamples cannot be negative.")
        try:
            result = agreement.round_agreement(
                frame,
                unit=options["unit"],
                coder=options["coder"],
                code=options["code"],
                value=options["value"],
                level=options["level"],
                resamples=options["resamples"],
                seed=options["seed"],
            )
        except ValueError as err:
            raise CommandError(f"{path.name}: {err}") from None
        data = result.as_dict(digits=6)
        if options["value"]:
            data["method"]["input"] = INPUT_VALUES.format(column=options["value"])
        else:
            data["method"]["input"] = INPUT_PRESENCE
        if options["table"]:
            self.stdout.write(table(data))
        else:
            self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False))


def read_codings(path: Path) -> pd.DataFrame:
    """The CSV as text columns; the delimiter (comma, semicolon or tab) is read off the header."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as err:
        raise CommandError(f"Cannot read {path}: {err.strerror}.") from None
    except UnicodeDecodeError:
        raise CommandError(f"{path.name} is not UTF-8 text; save it as CSV UTF-8.") from None
    if not text.strip():
        raise CommandError(f"{path.name} is empty.")
    header = text.lstrip().split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=header.count)
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False, na_filter=False
        )
    except (pd.errors.ParserError, ValueError) as err:
        raise CommandError(f"{path.name} is not a readable CSV file: {err}") from None
    if frame.empty:
        raise CommandError(f"{path.name} has a header row but no codings.")
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def _cell(stat: dict) -> str:
    if stat["value"] is None:
        return "-"
    text = f"{stat['value']:.3f}"
    if stat["ci95"]:
        text += f" [{stat['ci95'][0]:.3f}, {stat['ci95'][1]:.3f}]"
    return text


def table(data: dict) -> str:
    """The figures as a fixed-width table, then the undefined figures' reasons and the method."""
    rows = [("overall", data["overall"])] + list(data["per_code"].items())
    header = ["code", "n", *LABELS.values()]
    lines = [
        [name, str(stats["percent_agreement"]["n"]), *(_cell(stats[k]) for k in LABELS)]
        for name, stats in rows
    ]
    widths = [max(len(r[i]) for r in [header, *lines]) for i in range(len(header))]

    def fmt(row):
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()

    out = [
        f"Agreement: {data['units']} units, {data['coders']} coders; Krippendorff's alpha at "
        f"the {data['method']['level']} level; 95% intervals in [ ].",
        "n: units coded by two or more coders (overall: unit x code items).",
        "",
        fmt(header),
        *(fmt(line) for line in lines),
    ]
    notes = [
        f"{name}, {LABELS[k]}: {stats[k]['reason']}"
        for name, stats in rows
        for k in LABELS
        if stats[k]["value"] is None
    ]
    if notes:
        out += ["", "Not computed (-):", *(f"  {n}" for n in notes)]
    out += ["", "Method:"]
    for key, text in data["method"].items():
        if key != "level":
            out += textwrap.wrap(
                f"{key}: {text}", width=100, initial_indent="  ", subsequent_indent="    "
            )
    return "\n".join(out)
