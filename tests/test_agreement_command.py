"""The ``agreement`` command (``mango agreement CODINGS.csv --unit COL --coder COL --code COL``)."""

import io
import json
import sys

import pytest
from django.core.management import CommandError, call_command

from mango import cli

STATISTICS = {"percent_agreement", "cohen_kappa", "fleiss_kappa", "krippendorff_alpha"}

# Two coders, four stories, three dimensions; only the codes given (presence rows).
PRESENCE = """story;coder;dimension
s1;ann;respect
s1;ann;emotional
s1;bob;respect
s2;ann;emotional
s2;bob;emotional
s3;ann;respect
s3;bob;respect
s3;bob;family
s4;ann;family
s4;bob;family
"""


def write(tmp_path, text, name="codings.csv"):
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def run(*args):
    out = io.StringIO()
    call_command("agreement", *[str(a) for a in args], stdout=out, stderr=io.StringIO())
    return out.getvalue()


def run_failing(*args):
    with pytest.raises(CommandError) as caught:
        run(*args)
    return str(caught.value)


def loads_strict(text):
    """JSON with NaN or Infinity refused, as a strict parser would."""

    def refuse(constant):
        raise ValueError(f"not JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


def assert_statistics_shape(stats, *, cohen_defined=True):
    assert set(stats) == STATISTICS
    for name, stat in stats.items():
        assert {"value", "ci95", "n"} <= set(stat)
        if stat["value"] is None:
            assert stat["ci95"] is None and stat["reason"]
        else:
            assert isinstance(stat["value"], float)
            low, high = stat["ci95"]
            assert low <= stat["value"] <= high, name
    assert (stats["cohen_kappa"]["value"] is not None) == cohen_defined


def test_it_prints_the_statistics_as_json_in_the_shape_of_the_issue(tmp_path):
    path = write(tmp_path, PRESENCE)
    data = loads_strict(
        run(path, "--unit", "story", "--coder", "coder", "--code", "dimension", "--seed", "1")
    )
    assert set(data) == {"units", "coders", "overall", "per_code", "method"}
    assert data["units"] == 4 and data["coders"] == 2
    assert_statistics_shape(data["overall"])
    assert set(data["per_code"]) == {"emotional", "family", "respect"}
    for stats in data["per_code"].values():
        assert_statistics_shape(stats)
    assert data["per_code"]["respect"]["percent_agreement"] == {
        "value": 1.0,
        "ci95": [1.0, 1.0],
        "n": 4,
    }
    assert data["overall"]["percent_agreement"]["value"] == pytest.approx(10 / 12, abs=1e-6)
    assert "absent (0)" in data["method"]["input"]
    assert "seed 1" in data["method"]["ci95"]


def test_the_same_seed_gives_the_same_output(tmp_path):
    path = write(tmp_path, PRESENCE)
    args = [path, "--unit", "story", "--coder", "coder", "--code", "dimension", "--seed", "9"]
    assert run(*args) == run(*args)


def test_values_are_taken_as_given_with_value(tmp_path):
    path = write(
        tmp_path,
        "unit,coder,code,value\n"
        "1,a,teller,patient\n1,b,teller,patient\n"
        "2,a,teller,family\n2,b,teller,patient\n"
        "3,a,teller,family\n3,b,teller,family\n"
        "4,a,teller,nurse\n4,b,teller,\n",
    )
    data = loads_strict(
        run(path, "--unit", "unit", "--coder", "coder", "--code", "code", "--value", "value")
    )
    teller = data["per_code"]["teller"]
    assert teller["percent_agreement"]["value"] == pytest.approx(2 / 3, abs=1e-6)
    assert teller["percent_agreement"]["n"] == 3  # unit 4: coder b left it empty
    assert "taken as given" in data["method"]["input"]


def test_explicit_zeros_give_the_same_figures_as_presence_rows(tmp_path):
    presence = write(tmp_path, PRESENCE)
    rows = ["story,coder,dimension,present"]
    given = {tuple(line.split(";")) for line in PRESENCE.splitlines()[1:]}
    for story in ("s1", "s2", "s3", "s4"):
        for coder in ("ann", "bob"):
            for dim in ("respect", "emotional", "family"):
                rows.append(f"{story},{coder},{dim},{int((story, coder, dim) in given)}")
    values = write(tmp_path, "\n".join(rows) + "\n", "values.csv")
    common = ["--unit", "story", "--coder", "coder", "--code", "dimension", "--seed", "3"]
    a = loads_strict(run(presence, *common))
    b = loads_strict(run(values, *common, "--value", "present"))
    assert a["overall"] == b["overall"] and a["per_code"] == b["per_code"]


def test_three_coders_leave_cohen_kappa_null_with_a_reason(tmp_path):
    path = write(
        tmp_path,
        "u,c,k,v\n"
        + "".join(
            f"{u},{c},x,{(u + (c == 'r3')) % 2}\n" for u in range(6) for c in ("r1", "r2", "r3")
        ),
    )
    data = loads_strict(run(path, "--unit", "u", "--coder", "c", "--code", "k", "--value", "v"))
    assert data["coders"] == 3
    assert_statistics_shape(data["per_code"]["x"], cohen_defined=False)
    assert "exactly two coders" in data["per_code"]["x"]["cohen_kappa"]["reason"]


def test_one_category_only_is_null_in_json_not_nan(tmp_path):
    path = write(tmp_path, "u,c,k,v\n1,a,x,1\n1,b,x,1\n2,a,x,1\n2,b,x,1\n")
    out = run(path, "--unit", "u", "--coder", "c", "--code", "k", "--value", "v")
    assert "NaN" not in out
    stats = loads_strict(out)["per_code"]["x"]
    assert stats["krippendorff_alpha"] == {
        "value": None,
        "ci95": None,
        "n": 2,
        "reason": "no variation: all codings are the same category",
    }


def test_level_and_resamples_are_passed_on(tmp_path):
    path = write(tmp_path, "u,c,k,v\n1,a,x,1\n1,b,x,2\n2,a,x,3\n2,b,x,3\n3,a,x,1\n3,b,x,1\n")
    common = ["--unit", "u", "--coder", "c", "--code", "k", "--value", "v"]
    data = loads_strict(run(path, *common, "--level", "interval", "--resamples", "0"))
    assert data["method"]["level"] == "interval"
    assert data["per_code"]["x"]["krippendorff_alpha"]["ci95"] is None
    assert data["per_code"]["x"]["cohen_kappa"]["ci95"] is not None


def test_table_prints_a_table_and_the_method(tmp_path):
    path = write(tmp_path, PRESENCE)
    out = run(
        path, "--unit", "story", "--coder", "coder", "--code", "dimension", "--table", "--seed", "1"
    )
    lines = out.splitlines()
    assert lines[0].startswith("Agreement: 4 units, 2 coders")
    header = next(line for line in lines if line.startswith("code"))
    for label in ("percent agreement", "Cohen's kappa", "Fleiss' kappa", "Krippendorff's alpha"):
        assert label in header
    assert any(line.startswith("respect") and "1.000 [1.000, 1.000]" in line for line in lines)
    assert any(line.startswith("overall ") for line in lines)
    assert "Method:" in lines
    assert not out.lstrip().startswith("{")


def test_table_lists_the_reasons_for_undefined_figures(tmp_path):
    path = write(tmp_path, "u,c,k,v\n1,a,x,1\n1,b,x,1\n2,a,x,1\n2,b,x,1\n")
    out = run(path, "--unit", "u", "--coder", "c", "--code", "k", "--value", "v", "--table")
    assert "x, Krippendorff's alpha: no variation: all codings are the same category" in out


# --- bad input ------------------------------------------------------------------------------


def test_a_missing_column_is_named(tmp_path):
    path = write(tmp_path, PRESENCE)
    message = run_failing(path, "--unit", "story", "--coder", "rater", "--code", "dimension")
    assert message == ("codings.csv: No column 'rater' (the columns are: story, coder, dimension).")


def test_an_empty_file_is_refused(tmp_path):
    path = write(tmp_path, "")
    assert run_failing(path, "--unit", "u", "--coder", "c", "--code", "k") == (
        "codings.csv is empty."
    )
    path = write(tmp_path, "u,c,k\n")
    assert run_failing(path, "--unit", "u", "--coder", "c", "--code", "k") == (
        "codings.csv has a header row but no codings."
    )


def test_a_missing_file_is_refused(tmp_path):
    message = run_failing(tmp_path / "nope.csv", "--unit", "u", "--coder", "c", "--code", "k")
    assert message.startswith("Cannot read ") and "No such file" in message


def test_one_coder_is_refused(tmp_path):
    path = write(tmp_path, "u,c,k\n1,ann,x\n2,ann,x\n")
    assert run_failing(path, "--unit", "u", "--coder", "c", "--code", "k") == (
        "codings.csv: Agreement needs at least two coders; found 1."
    )


def test_names_at_the_interval_level_are_refused(tmp_path):
    path = write(tmp_path, "u,c,k,v\n1,a,x,yes\n1,b,x,no\n")
    message = run_failing(
        path, "--unit", "u", "--coder", "c", "--code", "k", "--value", "v", "--level", "interval"
    )
    assert "interval level needs numeric values; found 'yes'" in message


def test_negative_resamples_are_refused(tmp_path):
    path = write(tmp_path, PRESENCE)
    message = run_failing(
        path, "--unit", "story", "--coder", "coder", "--code", "dimension", "--resamples", "-1"
    )
    assert message == "--resamples cannot be negative."


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("u,c,k\n1,Ren\xe9,x\n".encode("latin-1"))
    assert "not UTF-8" in run_failing(path, "--unit", "u", "--coder", "c", "--code", "k")


# --- through the mango command line ---------------------------------------------------------


def test_mango_agreement_runs_this_command(tmp_path, monkeypatch, capsys):
    path = write(tmp_path, PRESENCE)
    argv = ["mango", "agreement", str(path), "--unit", "story", "--coder", "coder"]
    monkeypatch.setattr(sys, "argv", [*argv, "--code", "dimension", "--seed", "2"])
    cli.main()
    data = loads_strict(capsys.readouterr().out)
    assert data["units"] == 4 and set(data["per_code"]) == {"emotional", "family", "respect"}


def test_mango_agreement_reports_bad_input_without_a_traceback(tmp_path, monkeypatch, capsys):
    path = write(tmp_path, PRESENCE)
    argv = ["mango", "agreement", str(path), "--unit", "story", "--coder", "who"]
    monkeypatch.setattr(sys, "argv", [*argv, "--code", "dimension"])
    with pytest.raises(SystemExit) as exited:
        cli.main()
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert "CommandError: codings.csv: No column 'who'" in err
    assert "Traceback" not in err
