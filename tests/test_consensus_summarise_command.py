"""``mango consensus summarise RATINGS.csv --item COL --panellist COL --round COL --score COL
[--group COL] --rule comet [--json]``."""

import io
import json
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

# Two items, two rounds, two stakeholder groups. Worked out by hand below each item.
RATINGS = """statement,panellist,round,score,stakeholder
S1,p1,1,8,patient
S1,p2,1,9,patient
S1,p3,1,7,patient
S1,p4,1,2,professional
S1,p5,1,5,professional
S1,p6,1,,professional
S2,p1,1,5,patient
S2,p2,1,,patient
S2,p4,1,,professional
S1,p1,2,8,patient
S1,p2,2,8,patient
S1,p3,2,7,patient
S1,p4,2,7,professional
S1,p5,2,8,professional
S1,p6,2,3,professional
S1,p7,2,7,
"""
# S1 round 1: scores 2 5 7 8 9 (p6 unable): n 5, median 7, q1 5, q3 8, 7-9 3/5 = 60 %,
#   1-3 1/5 = 20 %: undecided. patient 7 8 9: median 8, q1 7.5, q3 8.5, 100 %, 0 %: in.
#   professional 2 5: median 3.5, q1 2.75, q3 4.25, 0 %, 50 %: out.
# S2 round 1: 5 only (two unable): n 1, 0 % 7-9: out; professional n 0: nulls, undecided.
# S1 round 2: 3 7 7 7 8 8 8: n 7, median 7, q1 7, q3 8, 7-9 6/7, 1-3 1/7 = 14.29 %: in.
#   patient 7 8 8: in; professional 3 7 8: median 7, q1 5, q3 7.5, 66.7 %, 33.3 %: undecided.
ARGS = ["--item", "statement", "--panellist", "panellist", "--round", "round", "--score", "score"]


def write(tmp_path, text, name="ratings.csv"):
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def run(*args):
    out = io.StringIO()
    call_command("consensus_summarise", *[str(a) for a in args], stdout=out, stderr=io.StringIO())
    return out.getvalue()


def run_failing(*args):
    with pytest.raises(CommandError) as caught:
        run(*args)
    return str(caught.value)


def loads_strict(text):
    def refuse(constant):
        raise ValueError(f"not JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


def fields(n, median, q1, q3, pct_7_9, pct_1_3, status):
    return {
        "n": n,
        "median": median,
        "q1": q1,
        "q3": q3,
        "pct_7_9": pct_7_9,
        "pct_1_3": pct_1_3,
        "status": status,
    }


NULLS = fields(0, None, None, None, None, None, "undecided")


def test_json_per_item_and_round_with_groups_equals_the_hand_computation(tmp_path):
    path = write(tmp_path, RATINGS)
    data = loads_strict(run(path, *ARGS, "--group", "stakeholder", "--rule", "comet", "--json"))
    assert data == {
        "rule": "comet",
        "items": [
            {
                "item": "S1",
                "round": "1",
                **fields(5, 7.0, 5.0, 8.0, 60.0, 20.0, "undecided"),
                "groups": {
                    "patient": fields(3, 8.0, 7.5, 8.5, 100.0, 0.0, "in"),
                    "professional": fields(2, 3.5, 2.75, 4.25, 0.0, 50.0, "out"),
                },
            },
            {
                "item": "S1",
                "round": "2",
                **fields(7, 7.0, 7.0, 8.0, pytest.approx(600 / 7), pytest.approx(100 / 7), "in"),
                "groups": {
                    "patient": fields(3, 8.0, 7.5, 8.0, 100.0, 0.0, "in"),
                    "professional": fields(
                        3,
                        7.0,
                        5.0,
                        7.5,
                        pytest.approx(200 / 3),
                        pytest.approx(100 / 3),
                        "undecided",
                    ),
                },
            },
            {
                "item": "S2",
                "round": "1",
                **fields(1, 5.0, 5.0, 5.0, 0.0, 0.0, "out"),
                "groups": {
                    "patient": fields(1, 5.0, 5.0, 5.0, 0.0, 0.0, "out"),
                    "professional": NULLS,
                },
            },
        ],
    }
    first = data["items"][0]
    assert isinstance(first["n"], int) and isinstance(first["median"], float)


def test_without_group_the_groups_are_empty(tmp_path):
    data = loads_strict(run(write(tmp_path, RATINGS), *ARGS, "--rule", "comet", "--json"))
    assert [(i["item"], i["round"], i["status"]) for i in data["items"]] == [
        ("S1", "1", "undecided"),
        ("S1", "2", "in"),
        ("S2", "1", "out"),
    ]
    assert all(i["groups"] == {} for i in data["items"])
    assert set(data["items"][0]) == {
        "item",
        "round",
        "n",
        "median",
        "q1",
        "q3",
        "pct_7_9",
        "pct_1_3",
        "status",
        "groups",
    }


def test_an_item_nobody_scored_in_a_round_has_nulls_and_is_undecided(tmp_path):
    text = "item,who,round,score\nA,p1,1,\nA,p2,1,\nA,p1,2,8\n"
    data = loads_strict(
        run(
            write(tmp_path, text),
            "--item",
            "item",
            "--panellist",
            "who",
            "--round",
            "round",
            "--score",
            "score",
            "--rule",
            "comet",
            "--json",
        )
    )
    assert data["items"][0] == {"item": "A", "round": "1", **NULLS, "groups": {}}
    assert data["items"][1]["status"] == "in"


def test_the_scope_can_require_every_group(tmp_path):
    path = write(tmp_path, RATINGS)
    data = loads_strict(
        run(path, *ARGS, "--group", "stakeholder", "--rule", "comet", "--scope", "groups", "--json")
    )
    # S1 round 2: in for the panel, undecided for professionals: undecided within groups
    assert [i["status"] for i in data["items"]] == ["undecided", "undecided", "out"]
    assert "needs --group" in run_failing(path, *ARGS, "--rule", "comet", "--scope", "both")


def test_other_rules_with_their_defaults(tmp_path):
    path = write(tmp_path, RATINGS)
    rand = loads_strict(run(path, *ARGS, "--rule", "rand_ucla", "--json"))
    assert rand["rule"] == "rand_ucla"
    # S1 round 1: 2 5 7 8 9, median 7; 5 panellists, so IPRAS: P30 5.4, P70 7.8, IPR 2.4 <=
    # 2.35 + 1.5 x |5 - 6.6| = 4.75: no disagreement, appropriate. S1 round 2: median 7, IPR
    # 7 - 7 = 0: appropriate. S2: median 5: uncertain.
    assert [i["status"] for i in rand["items"]] == ["in", "in", "undecided"]
    iqr = loads_strict(run(path, *ARGS, "--rule", "median_iqr", "--json"))
    assert [i["status"] for i in iqr["items"]] == ["undecided", "in", "undecided"]


def test_the_table_is_readable_and_states_the_rule(tmp_path):
    text = run(write(tmp_path, RATINGS), *ARGS, "--group", "stakeholder", "--rule", "comet")
    assert "Rule: COMET Delphi rule" in text and "fewer than 15%" in text
    lines = text.splitlines()
    header = next(line for line in lines if line.startswith("Item"))
    assert header.split() == [
        "Item",
        "Round",
        "Group",
        "n",
        "Median",
        "Q1",
        "Q3",
        "%",
        "1-3",
        "%",
        "4-6",
        "%",
        "7-9",
        "Status",
    ]
    first = next(line for line in lines if line.startswith("S1") and "(panel)" in line)
    assert first.split() == [
        "S1",
        "1",
        "(panel)",
        "5",
        "7",
        "5",
        "8",
        "20",
        "20",
        "60",
        "undecided",
    ]
    assert any(
        line.split()[2:] == ["professional", "0", "-", "-", "-", "-", "-", "-", "undecided"]
        for line in lines
        if line.startswith("S2")
    )


def test_semicolons_and_blank_lines_are_read_and_rows_counted(tmp_path):
    text = "item;who;round;score\n\nA;p1;1;7\n\nA;p2;1;12\n"
    message = run_failing(
        write(tmp_path, text),
        "--item",
        "item",
        "--panellist",
        "who",
        "--round",
        "round",
        "--score",
        "score",
        "--rule",
        "comet",
    )
    assert message == "ratings.csv: Row 5: score '12' is outside the scale 1-9 (column 'score')."


@pytest.mark.parametrize(
    ("text", "args", "message"),
    [
        (
            RATINGS,
            ["--score", "rating"],
            "Column 'rating' (--score) not found; the columns are: 'statement', 'panellist', "
            "'round', 'score', 'stakeholder'.",
        ),
        (RATINGS, ["--group", "team"], "Column 'team' (--group) not found"),
        (
            RATINGS.replace("S1,p5,1,5", "S1,p5,1,0"),
            [],
            "Row 6: score '0' is outside the scale 1-9",
        ),
        (
            RATINGS.replace("S1,p5,1,5", "S1,p5,1,10"),
            [],
            "Row 6: score '10' is outside the scale 1-9",
        ),
        (
            RATINGS.replace("S1,p5,1,5", "S1,p5,1,5.5"),
            [],
            "Row 6: score '5.5' is not a whole number from 1 to 9",
        ),
        (
            RATINGS.replace("S1,p5,1,5", "S1,p5,1,five"),
            [],
            "Row 6: score 'five' is not a whole number",
        ),
        (
            RATINGS + "S1,p1,2,9,patient\n",
            [],
            "Panellist 'p1' rated item 'S1' in round '2' twice (rows 11 and 18); keep one of them.",
        ),
        (
            RATINGS.replace("S2,p1,1,5", "S2,,1,5"),
            [],
            "Row 8: the panellist ('panellist') is empty.",
        ),
        ("statement,panellist,round,score\n", [], "ratings.csv has a header row but no ratings."),
        ("", [], "ratings.csv is empty."),
        (
            RATINGS.replace("S1,p1,1,8,patient", "S1,p1,1,8,patient,extra"),
            [],
            "row 2 has 6 cells but the header has 5 columns",
        ),
    ],
)
def test_bad_input_gets_a_clear_error(tmp_path, text, args, message):
    path = write(tmp_path, text)
    base = dict(zip(ARGS[::2], ARGS[1::2], strict=True))
    extra = dict(zip(args[::2], args[1::2], strict=True))
    merged = [x for k, v in {**base, **extra}.items() for x in (k, v)]
    assert message in run_failing(path, *merged, "--rule", "comet")


def test_unknown_rule_and_missing_file(tmp_path):
    path = write(tmp_path, RATINGS)
    assert run_failing(path, *ARGS, "--rule", "majority") == (
        "Unknown rule 'majority'; the rules are: comet, percent_agreement, median_iqr, rand_ucla."
    )
    assert "File not found" in run_failing(tmp_path / "nope.csv", *ARGS, "--rule", "comet")
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("statement,panellist,round,score\n\xe9t\xe9,p1,1,7\n".encode("latin-1"))
    assert "latin1.csv is not UTF-8 text" in run_failing(latin1, *ARGS, "--rule", "comet")


def test_the_installed_command_runs_as_mango_consensus_summarise(tmp_path):
    path = write(tmp_path, RATINGS)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mango",
            "consensus",
            "summarise",
            str(path),
            *ARGS,
            "--group",
            "stakeholder",
            "--rule",
            "comet",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    data = loads_strict(done.stdout)
    assert data["items"][0]["pct_7_9"] == 60.0 and data["items"][0]["status"] == "undecided"
    failed = subprocess.run(
        [
            sys.executable,
            "-m",
            "mango",
            "consensus",
            "summarise",
            str(path),
            *ARGS,
            "--rule",
            "nope",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert failed.returncode != 0
    assert "Unknown rule 'nope'" in failed.stderr


def test_a_spreadsheet_export_with_a_bom_crlf_and_tabs_is_read(tmp_path):
    text = "\ufeffitem\tid\tround\tscore\r\nA\tp1\t1\t7\r\nA\tp2\t1\t8\r\nA\tp3\t1\t\r\n"
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode("utf-8"))
    data = loads_strict(
        run(
            path,
            "--item",
            "item",
            "--panellist",
            "id",
            "--round",
            "round",
            "--score",
            "score",
            "--rule",
            "comet",
            "--json",
        )
    )
    assert data["items"] == [
        {"item": "A", "round": "1", **fields(2, 7.5, 7.25, 7.75, 100.0, 0.0, "in"), "groups": {}}
    ]


def test_rule_parameters_can_be_given(tmp_path):
    path = write(tmp_path, RATINGS)
    # S1 round 2: 6 of 7 rate 7-9 (85.7 %): in at 80 %, undecided at 90 % (band top)
    at80 = loads_strict(
        run(path, *ARGS, "--rule", "percent_agreement", "--param", "threshold=80", "--json")
    )
    assert at80["items"][1]["status"] == "in"
    at90 = loads_strict(
        run(
            path,
            *ARGS,
            "--rule",
            "percent_agreement",
            "--param",
            "threshold=90",
            "--param",
            "band=top",
            "--json",
        )
    )
    assert at90["items"][1]["status"] == "undecided"
    assert "has no parameter size" in run_failing(
        path, *ARGS, "--rule", "comet", "--param", "size=3"
    )
    assert "NAME=VALUE" in run_failing(path, *ARGS, "--rule", "comet", "--param", "70")
    assert "must be from 0 to 100" in run_failing(
        path, *ARGS, "--rule", "comet", "--param", "in_top_at_least=170"
    )
