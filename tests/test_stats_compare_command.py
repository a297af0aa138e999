"""The ``stats_compare`` command (``mango stats compare DATA --group COL --labels A,B``)."""

import csv
import io
import json

import numpy as np
import pytest
from django.core.management import CommandError, call_command, get_commands
from openpyxl import Workbook
from scipy import stats

from mango.cli import resolve

KEYS = ["label", "counts", "totals", "test", "statistic", "dof", "p", "p_holm", "cramers_v"]


def write_csv(path, rows, delimiter=","):
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_text(buffer.getvalue(), "utf-8-sig", newline="")
    return path


def stories_file(tmp_path, delimiter=","):
    """100 stories of patients and 100 of professionals.

    common: 30 patients, 60 professionals (chi-square); rare: 1 patient, 6 professionals
    (expected 3.5 per group: Fisher's exact test). Stories 1 and 101 carry both labels.
    """
    rows = [["id", "teller", "common", "rare"]]
    for i in range(200):
        patient = i < 100
        k = i % 100
        common = int(k < (30 if patient else 60))
        rare = int(k < (1 if patient else 6))
        rows.append([i + 1, "patient" if patient else "professional", common, rare])
    return write_csv(tmp_path / "stories.csv", rows, delimiter)


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("stats_compare", *[str(a) for a in args], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(*args):
    with pytest.raises(CommandError) as caught:
        run(*args)
    return str(caught.value)


def test_mango_stats_compare_is_this_command():
    argv = resolve(["mango", "stats", "compare", "d.csv"], set(get_commands()))

    assert argv == ["mango", "stats_compare", "d.csv"]


def test_json_has_one_object_per_label_with_the_specified_keys(tmp_path):
    out, err = run(stories_file(tmp_path), "--group", "teller", "--labels", "common,rare", "--json")
    data = json.loads(out)

    assert err == ""
    assert [list(item) for item in data] == [KEYS, KEYS]
    common, rare = data
    assert common["label"] == "common"
    assert common["counts"] == {"patient": 30, "professional": 60}
    assert common["totals"] == {"patient": 100, "professional": 100}
    assert common["test"] == "chi2"
    assert common["dof"] == 1
    ref = stats.chi2_contingency(np.array([[30, 60], [70, 40]]), correction=False)
    assert common["statistic"] == pytest.approx(ref.statistic, abs=1e-9)
    assert common["p"] == pytest.approx(ref.pvalue, abs=1e-9)
    assert common["cramers_v"] == pytest.approx(np.sqrt(ref.statistic / 200), abs=1e-9)
    assert rare["counts"] == {"patient": 1, "professional": 6}
    assert rare["test"] == "fisher"
    assert rare["dof"] is None
    fisher = stats.fisher_exact(np.array([[1, 6], [99, 94]])).pvalue
    assert rare["p"] == pytest.approx(fisher, abs=1e-9)
    # Holm over two labels: the smaller p doubled, the larger kept (or raised to it).
    small, large = sorted([common["p"], rare["p"]])
    holm = {common["p"]: 2 * small, rare["p"]: max(2 * small, large)}
    assert common["p_holm"] == pytest.approx(min(1, holm[common["p"]]), abs=1e-12)
    assert rare["p_holm"] == pytest.approx(min(1, holm[rare["p"]]), abs=1e-12)


def test_json_monte_carlo_for_three_small_groups(tmp_path):
    rows = [["g", "x"], ["a", 1], ["a", 1], ["a", 0], ["b", 0], ["b", 0], ["c", 1], ["c", 0]]
    path = write_csv(tmp_path / "small.csv", rows)

    out, _ = run(path, "--group", "g", "--labels", "x", "--json", "--seed", 3, "--resamples", 500)
    again, _ = run(path, "--group", "g", "--labels", "x", "--json", "--seed", 3, "--resamples", 500)
    [item] = json.loads(out)

    assert item["test"] == "monte_carlo"
    assert item["dof"] is None
    assert 0 < item["p"] <= 1
    assert (item["p"] * 501) == pytest.approx(round(item["p"] * 501))  # (b + 1) / (B + 1)
    assert out == again


def test_the_table_shows_counts_percentages_tests_and_the_method(tmp_path):
    out, _ = run(stories_file(tmp_path), "--group", "teller", "--labels", "common,rare")

    assert "Stories by teller: 200 in 2 groups." in out
    lines = out.splitlines()
    [common] = [line for line in lines if line.startswith("common ")]
    assert common.split() == ["common", "30", "(30.0%)", "60", "(60.0%)"]
    [rare] = [line for line in lines if line.startswith("rare ")]
    assert rare.split() == ["rare", "1", "(1.0%)", "6", "(6.0%)"]
    assert "  chi-square: X² = 18.182, dof = 1, p = 2.008e-05, p (Holm) = 4.016e-05" in out
    assert "Cramér's V = 0.302" in out
    assert "  Fisher's exact test: X² = 3.701, p = 0.1184, p (Holm) = 0.1184" in out
    assert "  residual" in out
    assert "more than 100%" in out
    assert "Method: Per label a 2 x k table" in out
    assert "Cochran" in out


def test_it_reads_semicolons_and_xlsx(tmp_path):
    semicolons = stories_file(tmp_path, delimiter=";")
    book = Workbook()
    for row in csv.reader(io.StringIO(stories_file(tmp_path).read_text("utf-8-sig"))):
        book.active.append([int(c) if c.isdigit() else c for c in row])
    book.save(tmp_path / "stories.xlsx")

    from_csv, _ = run(semicolons, "--group", "teller", "--labels", "common", "--json")
    from_xlsx, _ = run(
        tmp_path / "stories.xlsx", "--group", "teller", "--labels", "common", "--json"
    )

    assert json.loads(from_csv) == json.loads(from_xlsx)
    assert json.loads(from_xlsx)[0]["counts"] == {"patient": 30, "professional": 60}


def test_rows_without_a_group_are_left_out_and_said_so(tmp_path):
    rows = [["g", "x"], ["a", 1], ["a", 0], ["", 1], ["b", 0], ["b", 1]]
    path = write_csv(tmp_path / "d.csv", rows)

    out, err = run(path, "--group", "g", "--labels", "x", "--json")
    text, _ = run(path, "--group", "g", "--labels", "x")

    assert json.loads(out)[0]["totals"] == {"a": 2, "b": 2}
    assert err.strip() == "1 row(s) without a value in 'g' left out."
    assert "1 row(s) without a value in 'g' left out." in text


@pytest.mark.parametrize(
    ("rows", "args", "message"),
    [
        (
            [["g", "x"], ["a", 1], ["b", 0]],
            ["--group", "team", "--labels", "x"],
            "Missing column(s): team. The data has these columns: g, x.",
        ),
        (
            [["g", "x"], ["a", 1], ["b", 0]],
            ["--group", "g", "--labels", "x,y"],
            "Missing column(s): y.",
        ),
        (
            [["g", "x"], ["a", 1], ["b", "yes"], ["b", 2]],
            ["--group", "g", "--labels", "x"],
            "Label 'x' must hold 0 or 1; found 'yes', '2' in 2 row(s), first at row 3.",
        ),
        (
            [["g", "x"], ["a", 1], ["b", ""]],
            ["--group", "g", "--labels", "x"],
            "Label 'x' has 1 missing value(s), first at row 3: every story needs 0 or 1.",
        ),
        (
            [["g", "x"], ["a", 1], ["a", 0]],
            ["--group", "g", "--labels", "x"],
            "Comparing needs at least 2 groups; column 'g' has 1 ('a').",
        ),
        (
            [["g", "x"], ["a", 1], ["b", 0]],
            ["--group", "g", "--labels", " , "],
            "--labels needs at least one column name",
        ),
        (
            [["g", "x"], ["a", 1], ["b", 0]],
            ["--group", "g", "--labels", "x", "--resamples", "0"],
            "resamples must be at least 1, not 0.",
        ),
        (
            [["g", "x", "x"], ["a", 1, 0], ["b", 0, 1]],
            ["--group", "g", "--labels", "x"],
            "Column(s) named twice in the header: x.",
        ),
        ([["g", "x"]], ["--group", "g", "--labels", "x"], "Comparing needs at least 2 groups"),
    ],
)
def test_bad_input_is_a_clear_command_error(tmp_path, rows, args, message):
    path = write_csv(tmp_path / "d.csv", rows)

    assert message in run_failing(path, *args)


def test_a_missing_or_foreign_file_is_a_command_error(tmp_path):
    (tmp_path / "d.txt").write_text("g,x\na,1\n")

    assert "nope.csv: Cannot read the file" in run_failing(
        tmp_path / "nope.csv", "--group", "g", "--labels", "x"
    )
    assert "d.txt: DATA must be a .csv or .xlsx file." in run_failing(
        tmp_path / "d.txt", "--group", "g", "--labels", "x"
    )
    (tmp_path / "bad.xlsx").write_bytes(b"not a zip")
    assert "bad.xlsx: This is not a readable Excel" in run_failing(
        tmp_path / "bad.xlsx", "--group", "g", "--labels", "x"
    )


def test_group_and_labels_are_required(tmp_path):
    path = write_csv(tmp_path / "d.csv", [["g", "x"], ["a", 1], ["b", 0]])

    with pytest.raises(CommandError, match="--group"):
        call_command("stats_compare", str(path), "--labels", "x")
    with pytest.raises(CommandError, match="--labels"):
        call_command("stats_compare", str(path), "--group", "g")


def test_a_label_no_story_carries_is_shown_but_not_tested(tmp_path):
    rows = [["g", "x", "y"], ["a", 1, 0], ["a", 0, 0], ["b", 0, 0], ["b", 1, 0]]
    path = write_csv(tmp_path / "d.csv", rows)

    out, _ = run(path, "--group", "g", "--labels", "x,y", "--json")
    text, _ = run(path, "--group", "g", "--labels", "x,y")
    x, y = json.loads(out)

    assert y["counts"] == {"a": 0, "b": 0}
    assert [y[k] for k in KEYS[3:]] == [None] * 6
    assert x["test"] == "fisher" and x["p_holm"] == x["p"]  # a family of one
    assert "not tested: no story, or every story, carries this label" in text


def test_a_negative_seed_is_refused(tmp_path):
    path = write_csv(tmp_path / "d.csv", [["g", "x"], ["a", 1], ["b", 0]])

    message = run_failing(path, "--group", "g", "--labels", "x", "--seed", "-1")

    assert message == "seed must be a whole number of at least 0, not -1."
