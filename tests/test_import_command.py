"""The ``import_stories`` command (``mango import stories FILE --campaign SLUG``)."""

import csv
import io
import logging
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command, get_commands
from django.db import connection
from openpyxl import Workbook

from mango.cli import resolve
from mango.lifecycle import jobs
from mango.organisations.models import Campaign, Organisation, Unit
from mango.stories.models import Story

from .conftest import make_story

pytestmark = pytest.mark.postgres

TEXT = "De verpleegkundige bracht me een mango toen ik daar zo naar verlangde, nummer {}."
HEADER = ["text", "teller_role", "setting", "organisation", "unit", "submitted_at", "id"]
BAD_ROW = 5002  # the header is row 1, so this is the 5001st story


def write_csv(path, rows, delimiter=","):
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_text(buffer.getvalue(), "utf-8-sig", newline="")
    return path


def story_row(n, org="az-test", unit="onco"):
    return [TEXT.format(n), "patient", "hospital", org, unit, "12/03/2019", f"R{n}"]


@pytest.fixture(autouse=True)
def queued(monkeypatch):
    """De-identification queued after an import, recorded, not run: an import is tested here
    (de-identifying 10,000 stories is the lifecycle tests' business, on a few)."""
    calls = []
    monkeypatch.setattr(jobs, "deidentify_waiting_job", lambda: calls.append("waiting"))
    return calls


@pytest.fixture
def big_file(tmp_path):
    """10,000 stories, one of them (row 5002) too short."""
    rows = [HEADER]
    for n in range(2, 10_002):
        rows.append(story_row(n))
    rows[BAD_ROW - 1][0] = "Te kort."
    return write_csv(tmp_path / "earlier campaign.csv", rows, delimiter=";")


def run(*args):
    out = io.StringIO()
    call_command("import_stories", *[str(a) for a in args], stdout=out, stderr=io.StringIO())
    return out.getvalue()


def run_failing(*args):
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_stories", *[str(a) for a in args], stdout=out, stderr=io.StringIO())
    return out.getvalue(), str(caught.value)


def test_mango_import_stories_is_this_command():
    argv = resolve(["mango", "import", "stories", "f.csv"], set(get_commands()))
    assert argv == ["mango", "import_stories", "f.csv"]


def test_one_bad_row_in_ten_thousand_stops_the_import_and_is_reported(big_file, campaign, unit):
    out, error = run_failing(big_file, "--campaign", "campagne")

    assert out.splitlines() == [
        "10000 rows read, 9999 valid, 1 invalid",
        f"row {BAD_ROW}: text: Please tell a little more: at least 20 characters.",
    ]
    assert "Nothing imported" in error
    assert Story.objects.count() == 0
    assert not (big_file.parent / "earlier campaign.rejected.csv").exists()


def test_skip_invalid_imports_the_9999_good_rows_and_writes_the_bad_one(
    big_file, campaign, unit, queued
):
    out = run(big_file, "--campaign", "campagne", "--skip-invalid")

    assert "9999 stories imported into campagne." in out
    assert Story.objects.count() == 9_999
    assert queued == ["waiting"]  # their de-identification follows in the worker
    assert Story.objects.filter(source="import", campaign=campaign, unit=unit).count() == 9_999
    assert not Story.objects.filter(external_id=f"R{BAD_ROW}").exists()
    assert Story.objects.filter(
        external_id=f"R{BAD_ROW + 1}", text=TEXT.format(BAD_ROW + 1)
    ).exists()
    assert Story.objects.values("receipt").distinct().count() == 9_999

    rejected = big_file.parent / "earlier campaign.rejected.csv"
    lines = list(csv.reader(io.StringIO(rejected.read_text("utf-8-sig")), delimiter=";"))
    assert lines[0] == HEADER + ["reason"]
    assert len(lines) == 2
    assert lines[1][:7] == ["Te kort."] + story_row(BAD_ROW)[1:]
    assert lines[1][7].startswith(f"row {BAD_ROW}: text: Please tell a little more")


def test_the_rejected_file_goes_where_asked(tmp_path, campaign):
    path = write_csv(tmp_path / "in.csv", [HEADER[:3], ["Kort", "patient", "hospital"]])
    target = tmp_path / "elsewhere" / "bad.csv"
    target.parent.mkdir()

    out = run(path, "--campaign", "campagne", "--skip-invalid", "--rejected", target)

    assert "0 stories imported" in out
    assert "row 2: text: too_short" not in target.read_text("utf-8-sig")  # a sentence, not a code
    assert "Please tell a little more" in target.read_text("utf-8-sig")


def test_it_imports_an_xlsx_file_with_its_organisations_units_and_dates(tmp_path, campaign, unit):
    book = Workbook()
    sheet = book.active
    sheet.append(["Verhaal", "Rol", "Sector", "Organisatie", "Afdeling", "Datum", "ID", "Taal"])
    sheet.append(
        [
            TEXT.format(1),
            "family",
            "hospital",
            "az-test",
            "onco",
            datetime(2019, 3, 12, 15),
            7,
            "FR",
        ]
    )
    sheet.append(
        [TEXT.format(2), "patient", "residential", "wzc-elders", None, "2019-03-13", "x8", "nl"]
    )
    sheet.append([TEXT.format(3), "patient", "hospital", None, None, None, None, None])
    book.save(tmp_path / "survey.xlsx")

    out = run(tmp_path / "survey.xlsx", "--campaign", "campagne")

    assert "3 rows read, 3 valid, 0 invalid" in out
    first = Story.objects.get(external_id="7")
    assert first.organisation == unit.organisation and first.unit == unit
    assert first.teller_role == "family" and first.language == "fr"
    assert first.submitted_at == datetime(2019, 3, 12, 15, tzinfo=ZoneInfo("Europe/Brussels"))
    second = Story.objects.get(external_id="x8")
    assert second.organisation.slug == "wzc-elders" and second.unit is None
    assert second.submitted_at == datetime(2019, 3, 13, tzinfo=ZoneInfo("Europe/Brussels"))
    third = Story.objects.get(text=TEXT.format(3))
    assert third.organisation is None and third.campaign == campaign and third.source == "import"


def test_unknown_organisations_and_units_are_row_problems(tmp_path, campaign, unit, other_org):
    Unit.objects.create(organisation=other_org, name="Dag", slug="dag")
    path = write_csv(
        tmp_path / "s.csv",
        [
            HEADER,
            story_row(2),
            story_row(3, org="az-nowhere"),
            story_row(4, unit="nowhere"),
            story_row(5, unit="dag"),  # a unit of another organisation
        ],
    )

    out, _ = run_failing(path, "--campaign", "campagne")

    assert "4 rows read, 1 valid, 3 invalid" in out
    assert "row 3: organisation: Unknown organisation." in out
    assert "row 4: unit: Unknown unit." in out
    assert "row 5: unit: This unit does not belong to the chosen organisation." in out
    assert Story.objects.count() == 0


def test_an_organisation_outside_the_campaign_is_refused_unless_it_is_network_wide(tmp_path, org):
    Organisation.objects.create(name="Elders", slug="elders", kind="primary")
    c = Campaign.objects.create(name="Alleen AZ", slug="alleen-az", opens_on=date(2019, 1, 1))
    c.organisations.set([org])
    path = write_csv(tmp_path / "s.csv", [HEADER[:4], story_row(2, org="elders")[:4]])

    out, _ = run_failing(path, "--campaign", "alleen-az")
    assert "row 2: organisation: This organisation does not take part in the campaign." in out

    c.network_wide = True
    c.save()
    assert "1 stories imported" in run(path, "--campaign", "alleen-az")


def test_a_closed_earlier_campaign_takes_imports(tmp_path, org):
    Campaign.objects.create(
        name="2019",
        slug="c2019",
        opens_on=date(2019, 1, 1),
        closes_on=date(2019, 6, 30),
        network_wide=True,
    )
    path = write_csv(tmp_path / "s.csv", [HEADER[:3], story_row(2)[:3]])

    run(path, "--campaign", "c2019")

    assert Story.objects.get().campaign.slug == "c2019"


def test_an_unknown_campaign_is_a_clear_error(tmp_path, db):
    path = write_csv(tmp_path / "s.csv", [HEADER[:3], story_row(2)[:3]])

    _, error = run_failing(path, "--campaign", "nope")

    assert error == "Unknown campaign: nope."


def test_an_unknown_column_lists_the_accepted_ones(tmp_path, campaign):
    path = write_csv(tmp_path / "s.csv", [HEADER[:3] + ["mood"], story_row(2)[:3] + ["happy"]])

    _, error = run_failing(path, "--campaign", "campagne")

    assert error.startswith("Unknown columns: mood. Accepted columns: text, language,")
    assert Story.objects.count() == 0


def test_importing_the_same_file_twice_is_refused(tmp_path, campaign, unit):
    path = write_csv(tmp_path / "s.csv", [HEADER, story_row(2), story_row(3)])
    run(path, "--campaign", "campagne")

    out, _ = run_failing(path, "--campaign", "campagne")

    assert "row 2: external_id: A story with this id was already imported" in out
    assert Story.objects.count() == 2


def test_a_dry_run_checks_and_writes_nothing(tmp_path, campaign, unit):
    path = write_csv(tmp_path / "s.csv", [HEADER, story_row(2), ["Kort"] + story_row(3)[1:]])

    out = run(path, "--campaign", "campagne", "--dry-run", "--skip-invalid")

    assert "2 rows read, 1 valid, 1 invalid" in out
    assert "Dry run: 1 stories would be imported" in out
    assert Story.objects.count() == 0
    assert not (tmp_path / "s.rejected.csv").exists()


def test_a_database_failure_halfway_leaves_nothing(tmp_path, campaign, unit):
    """A trigger makes the database refuse row 2,202, after two batches of 1,000 went in."""
    make_story(unit.organisation)  # a story from before, which must survive
    rows = [HEADER] + [story_row(n) for n in range(2, 2_502)]
    rows[2_201][-1] = "boom"
    path = write_csv(tmp_path / "s.csv", rows)
    table = Story._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION mango_test_boom() RETURNS trigger AS $$ BEGIN "
                "IF NEW.external_id = 'boom' THEN RAISE EXCEPTION 'boom'; END IF; "
                "RETURN NEW; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER mango_test_boom BEFORE INSERT ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION mango_test_boom()"
            )
        else:
            cursor.execute(
                f"CREATE TRIGGER mango_test_boom BEFORE INSERT ON {table} "
                "WHEN NEW.external_id = 'boom' BEGIN SELECT RAISE(ABORT, 'boom'); END"
            )

    _, error = run_failing(path, "--campaign", "campagne")

    assert "nothing was imported" in error
    assert Story.objects.count() == 1
    assert not Story.objects.filter(source="import").exists()


def test_story_text_and_contact_details_stay_out_of_the_logs(tmp_path, campaign, caplog):
    rows = [
        HEADER[:3] + ["contact_email"],
        [TEXT.format("geheim"), "patient", "hospital", "teller@example.be"],
        ["Geheim kort", "patient", "hospital", "other@example.be"],
    ]
    path = write_csv(tmp_path / "s.csv", rows)

    with caplog.at_level(logging.DEBUG):
        run(path, "--campaign", "campagne", "--skip-invalid")

    assert "stories imported" in caplog.text and "count=1" in caplog.text
    for secret in ("geheim", "Geheim", "example.be", "s.csv"):
        assert secret not in caplog.text
