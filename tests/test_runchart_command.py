"""The ``runchart`` command (``mango runchart DATA.csv --date COL --value COL [--json]``)."""

import csv
import io
import json
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command, get_commands
from openpyxl import Workbook

from mango.cli import resolve

KEYS = [
    "n",
    "n_useful",
    "median",
    "longest_run",
    "longest_run_max",
    "crossings",
    "crossings_min",
    "runs_signal",
    "crossings_signal",
]
# 24 months of a share favourable (in tenths) that shifts up after month 11; the files below
# list the months out of order.
SHIFT = [5, 6, 5, 4, 6, 5, 5, 7, 4, 5, 6, 9, 8, 9, 8, 9, 10, 9, 8, 9, 9, 8, 9, 10]


def write_csv(path, rows, delimiter=","):
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_text(buffer.getvalue(), "utf-8-sig", newline="")
    return path


def months(values):
    labels = [f"{2024 + i // 12}-{i % 12 + 1:02d}" for i in range(len(values))]
    return list(zip(labels, values, strict=True))


def shifted_file(tmp_path, delimiter=","):
    rows = months(SHIFT)
    rows = rows[1::2] + rows[::2]  # out of date order: the command sorts
    return write_csv(tmp_path / "pulse.csv", [["month", "favourable"], *rows], delimiter)


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("runchart", *[str(a) for a in args], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(*args):
    with pytest.raises(CommandError) as caught:
        run(*args)
    return str(caught.value)


def test_mango_runchart_is_this_command():
    assert "runchart" in get_commands()
    argv = ["mango", "runchart", "d.csv", "--date", "month", "--value", "v"]
    assert resolve(argv, set(get_commands())) == argv


def test_json_gives_exactly_the_specified_object(tmp_path):
    # By hand. Sorted by month the series is SHIFT. Its 24 values in order of size: 4 4 5 5 5
    # 5 5 6 6 6 7 (11 values) 8 8 8 8 (4) 9 ... 10 (9): the 12th and 13th are 8, the median.
    # The four 8s (months 13, 15, 19 and 22) are on the median and skipped: 20 useful points,
    # the first 11 below and the other 9 above, so the longest run is 11, with 1 crossing.
    # Limits for 20: round(log2(20) + 3) = round(7.32) = 7; Binomial(19, 0.5): P(X <= 5) =
    # 0.0318, P(X <= 6) = 0.0835, so 6. Both rules signal.
    out, err = run(shifted_file(tmp_path), "--date", "month", "--value", "favourable", "--json")
    record = json.loads(out)

    assert list(record) == KEYS
    assert record == {
        "n": 24,
        "n_useful": 20,
        "median": 8.0,
        "longest_run": 11,
        "longest_run_max": 7,
        "crossings": 1,
        "crossings_min": 6,
        "runs_signal": True,
        "crossings_signal": True,
    }
    assert [type(v) for v in record.values()] == [int, int, float, int, int, int, int, bool, bool]
    assert err == ""


def test_text_output_names_each_figure_and_signal(tmp_path):
    out, _ = run(shifted_file(tmp_path), "--date", "month", "--value", "favourable")

    assert "24 periods, 2024-01 to 2025-12" in out
    assert "Median:                        8" in out
    assert "Useful observations:           20" in out
    assert "Longest run:                   11 (upper limit 7): SIGNAL" in out
    assert "Crossings:                     1 (lower limit 6): SIGNAL" in out
    assert "Shift: 11 points in a row on one side of the median" in out


def test_a_series_without_signal(tmp_path):
    rows = months([2, 4, 5, 3, 3, 6, 7, 3, 1, 2, 8])
    path = write_csv(tmp_path / "s.csv", [["Period", "Score"], *rows])
    record = json.loads(run(path, "--date", "Period", "--value", "Score", "--json")[0])

    assert (record["median"], record["n_useful"], record["longest_run"]) == (3.0, 8, 4)
    assert (record["crossings"], record["crossings_min"], record["longest_run_max"]) == (3, 1, 6)
    assert not record["runs_signal"] and not record["crossings_signal"]


def test_iso_dates_and_semicolons_with_decimal_commas(tmp_path):
    rows = [["datum", "waarde"], ["2024-02-01", "2,5"], ["2024-01-01", "1,5"], ["2024-03-01", "4"]]
    path = write_csv(tmp_path / "be.csv", rows, delimiter=";")
    record = json.loads(run(path, "--date", "datum", "--value", "waarde", "--json")[0])

    assert (record["n"], record["median"]) == (3, 2.5)
    assert record["n_useful"] == 2


def test_an_excel_file_with_real_dates(tmp_path):
    from datetime import date, timedelta

    book = Workbook()
    sheet = book.active
    sheet.append(["week", "stories"])
    for i, v in enumerate([3, 5, 2, 6, 4, "7,5"]):  # a decimal comma typed as text
        sheet.append([date(2024, 1, 1) + timedelta(weeks=i), v])
    book.save(tmp_path / "w.xlsx")
    record = json.loads(
        run(tmp_path / "w.xlsx", "--date", "week", "--value", "stories", "--json")[0]
    )

    assert (record["n"], record["median"], record["crossings"]) == (6, 4.5, 5)
    assert record["longest_run"] == 1


def test_a_frozen_baseline_median(tmp_path):
    out, _ = run(
        shifted_file(tmp_path), "--date", "month", "--value", "favourable", "--baseline", "10",
        "--json",
    )  # fmt: skip
    record = json.loads(out)

    assert record["median"] == 5.0  # the first ten months: 4 4 5 5 5 5 5 6 6 7
    assert record["longest_run"] == 14  # month 11 on: all above 5
    assert "--baseline must be between 1 and the number of values (24); got 30" in run_failing(
        shifted_file(tmp_path), "--date", "month", "--value", "favourable", "--baseline", "30"
    )


def test_empty_values_are_left_out_with_a_note(tmp_path):
    rows = [["m", "v"], ["2024-01", "1"], ["2024-02", ""], ["2024-03", "3"]]
    out, err = run(write_csv(tmp_path / "g.csv", rows), "--date", "m", "--value", "v", "--json")

    assert json.loads(out)["n"] == 2
    assert "Left out 1 row(s) without a value: 3." in err


def test_a_missing_file(tmp_path):
    message = run_failing(tmp_path / "nope.csv", "--date", "m", "--value", "v")

    assert "nope.csv" in message and "Cannot read the file" in message


def test_a_missing_column_names_the_columns_there_are(tmp_path):
    message = run_failing(shifted_file(tmp_path), "--date", "month", "--value", "score")

    assert message == (
        "pulse.csv: The value column 'score' is not in the file. Its columns are: 'month', "
        "'favourable'."
    )
    assert "date column 'when'" in run_failing(
        shifted_file(tmp_path), "--date", "when", "--value", "favourable"
    )


def test_fewer_than_two_values(tmp_path):
    path = write_csv(tmp_path / "one.csv", [["m", "v"], ["2024-01", "3"], ["2024-02", ""]])

    assert "needs at least 2 values; the column 'v' has 1" in run_failing(
        path, "--date", "m", "--value", "v"
    )


def test_a_non_number_names_its_row(tmp_path):
    rows = [["m", "v"], ["2024-01", "3"], ["2024-02", "three"], ["2024-03", "4"]]
    message = run_failing(write_csv(tmp_path / "t.csv", rows), "--date", "m", "--value", "v")

    assert message == "t.csv: Row 3: 'three' in column 'v' is not a number."


def test_a_comma_in_a_comma_separated_file_is_refused(tmp_path):
    rows = [["m", "v"], ["2024-01", "1,5"], ["2024-02", "2"]]
    message = run_failing(write_csv(tmp_path / "c.csv", rows), "--date", "m", "--value", "v")

    assert "Row 2: '1,5' in column 'v' has a comma" in message


def test_an_unparseable_date_names_its_row(tmp_path):
    rows = [["m", "v"], ["2024-01", "3"], ["March 2024", "4"]]
    message = run_failing(write_csv(tmp_path / "d.csv", rows), "--date", "m", "--value", "v")

    assert "Row 3: 'March 2024' in column 'm' is not a date or period" in message


def test_two_rows_for_one_period(tmp_path):
    rows = [["m", "v"], ["2024-01", "3"], ["2024-01-01", "4"]]
    message = run_failing(write_csv(tmp_path / "d.csv", rows), "--date", "m", "--value", "v")

    assert "Rows 2 and 3 are the same period" in message


def test_the_installed_command_prints_json_and_fails_with_a_message(tmp_path):
    path = shifted_file(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "mango", "runchart", str(path), "--date", "month", "--value",
         "favourable", "--json"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["longest_run"] == 11

    failed = subprocess.run(
        [sys.executable, "-m", "mango", "runchart", str(path), "--date", "month", "--value",
         "nope"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert failed.returncode != 0
    assert "The value column 'nope' is not in the file" in failed.stderr
    assert failed.stdout == ""
