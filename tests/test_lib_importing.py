"""mango.lib.importing: reading CSV and XLSX files of stories, without Django."""

import csv
import io
import sys
import zipfile
from datetime import UTC, datetime, timedelta, timezone

import pytest
from openpyxl import Workbook

from mango.lib import importing

TEXT = "De verpleegkundige bracht me een mango toen ik daar zo naar verlangde."
HEADER = ["text", "teller_role", "setting"]


def write_csv(path, rows, delimiter=",", encoding="utf-8"):
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path, rows):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_it_reads_a_utf8_csv_with_a_byte_order_mark(tmp_path):
    path = write_csv(
        tmp_path / "s.csv",
        [HEADER, ["Één mango, zó lekker: " + TEXT, "patient", "hospital"]],
        encoding="utf-8-sig",
    )
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")

    result = importing.read_stories(path)

    assert result.columns == HEADER  # the BOM is not part of the first column's name
    [row] = result.valid
    assert row.values["text"].startswith("Één mango, zó lekker")
    assert row.values["teller_role"] == "patient"


def test_it_reads_semicolons_as_excel_writes_them_in_belgium(tmp_path):
    rows = [
        HEADER + ["consent_research"],
        [TEXT + " Ja, echt; heel fijn.", "family", "residential", "ja"],
    ]
    path = write_csv(tmp_path / "s.csv", rows, delimiter=";", encoding="utf-8-sig")

    result = importing.read_stories(path)

    assert result.delimiter == ";"
    [row] = result.valid
    assert row.values["text"].endswith("Ja, echt; heel fijn.")  # quoted: stays in the text
    assert row.values["setting"] == "residential"
    assert row.values["consent_research"] is True


def test_a_comma_file_with_commas_and_newlines_in_quoted_text_keeps_its_row_numbers(tmp_path):
    rows = [
        HEADER,
        [TEXT + "\nTweede regel, met komma.", "patient", "hospital"],
        ["kort", "x", "y"],
    ]
    path = write_csv(tmp_path / "s.csv", rows)

    result = importing.read_stories(path)

    assert result.delimiter == ","
    assert result.rows[0].values["text"].endswith("Tweede regel, met komma.")
    # The text spans two lines, but a spreadsheet shows the next story on row 3.
    assert {(p.row, p.field, p.code) for p in result.problems} == {
        (3, "text", "too_short"),
        (3, "teller_role", "invalid_choice"),
        (3, "setting", "invalid_choice"),
    }


@pytest.mark.parametrize(
    ("line", "expected"),
    [("a,b;c", ","), ("a;b;c", ";"), ("a\tb\tc", "\t"), ('"x;y",b', ","), ("text", ",")],
)
def test_it_sniffs_the_separator_from_the_header(line, expected):
    assert importing.sniff_delimiter(line) == expected


def test_it_reads_an_xlsx_made_with_openpyxl(tmp_path):
    path = write_xlsx(
        tmp_path / "s.xlsx",
        [
            ["Verhaal", "Rol", "Sector", "Datum", "ID", "Toestemming onderzoek"],
            [TEXT, "patient", "hospital", datetime(2023, 5, 4, 14, 30), 1017, True],
            [TEXT, "nurse", "hospital", datetime(2023, 5, 5), 1018.0, False],
        ],
    )

    result = importing.read_stories(path)

    first, second = result.rows
    assert first.ok
    assert first.values["submitted_at"] == datetime(2023, 5, 4, 14, 30)
    assert first.values["external_id"] == "1017"
    assert first.values["consent_research"] is True
    assert second.values["external_id"] == "1018"  # a whole float is written as an integer
    assert second.cells[3] == "2023-05-05"
    assert second.problems == [importing.Problem(3, "teller_role", "invalid_choice")]


def test_xlsx_row_numbers_count_empty_rows_as_the_sheet_shows_them(tmp_path):
    path = write_xlsx(
        tmp_path / "s.xlsx",
        [
            HEADER,
            [TEXT, "patient", "hospital"],
            [],
            [None, None, None],
            ["te kort", "patient", "hospital"],
        ],
    )

    result = importing.read_stories(path)

    assert len(result.rows) == 2
    assert [p.row for p in result.problems] == [5]


def test_it_accepts_dutch_and_french_headers_in_any_case_and_with_accents(tmp_path):
    header = ["Histoire", "RÔLE", "Secteur", "Téléphone", "E-mail", "Organisatie", "Afdeling"]
    row = [TEXT, "patient", "hospital", "+32 470 12 34 56", "a@example.be", "AZ-Test", "Onco"]
    result = importing.read_stories(write_csv(tmp_path / "s.csv", [header, row]))

    assert result.fields == [
        "text",
        "teller_role",
        "setting",
        "contact_phone",
        "contact_email",
        "organisation",
        "unit",
    ]
    [valid] = result.valid
    assert valid.values["contact_email"] == "a@example.be"
    assert valid.values["organisation"] == "az-test"  # slugs are compared in lowercase
    assert valid.values["unit"] == "onco"


def test_no_alias_names_two_fields():
    keys = [importing.column_key(name) for names in importing.COLUMNS.values() for name in names]
    assert len(keys) == len(set(keys))


def test_defaults_apply_to_missing_optional_columns(tmp_path):
    result = importing.read_stories(
        write_csv(tmp_path / "s.csv", [HEADER, [TEXT, "patient", "primary"]])
    )

    values = result.valid[0].values
    assert values["language"] == "nl"
    assert values["oncological"] == "unknown"
    assert values["consent_research"] is False  # imports do not require consent
    assert values["submitted_at"] is None
    assert values["organisation"] is None


def test_an_unknown_column_is_an_error_listing_the_accepted_columns(tmp_path):
    path = write_csv(
        tmp_path / "s.csv", [HEADER + ["Favourite fruit"], [TEXT, "patient", "hospital", "mango"]]
    )

    with pytest.raises(importing.ImportFileError) as caught:
        importing.read_stories(path)

    assert caught.value.code == "unknown_columns"
    assert caught.value.params["columns"] == ["Favourite fruit"]
    assert "teller_role" in caught.value.params["accepted"]
    assert "Favourite fruit" in str(caught.value) and "submitted_at" in str(caught.value)


def test_a_missing_text_column_is_a_clear_error(tmp_path):
    path = write_csv(tmp_path / "s.csv", [["teller_role", "setting"], ["patient", "hospital"]])

    with pytest.raises(importing.ImportFileError) as caught:
        importing.read_stories(path)

    assert caught.value.code == "missing_columns"
    assert caught.value.params["columns"] == ["text"]


def test_two_columns_for_one_field_are_an_error(tmp_path):
    path = write_csv(
        tmp_path / "s.csv", [HEADER + ["verhaal"], [TEXT, "patient", "hospital", TEXT]]
    )

    with pytest.raises(importing.ImportFileError) as caught:
        importing.read_stories(path)

    assert caught.value.code == "duplicate_columns"
    assert caught.value.params["columns"] == ["text"]


def test_row_numbers_are_spreadsheet_rows_and_empty_rows_are_skipped(tmp_path):
    rows = [
        HEADER,
        [TEXT, "patient", "hospital"],  # row 2
        [],  # row 3: empty
        ["", " ", ""],  # row 4: only blanks
        [TEXT, "patient", "castle"],  # row 5
        [TEXT, "patient", "hospital"],  # row 6
    ]
    result = importing.read_stories(write_csv(tmp_path / "s.csv", rows))

    assert [row.number for row in result.rows] == [2, 5, 6]
    assert [row.number for row in result.valid] == [2, 6]
    assert result.problems == [importing.Problem(5, "setting", "invalid_choice")]


def test_every_problem_of_every_row_is_reported(tmp_path):
    rows = [
        HEADER + ["contact_email", "submitted_at", "unit"],
        ["", "", "hospital", "not-an-address", "31/02/2023", "onco"],
        ["x" * 5001, "patient", "hospital", "", "2023-02-28", ""],
    ]
    result = importing.read_stories(write_csv(tmp_path / "s.csv", rows))

    assert [(p.row, p.field, p.code) for p in result.problems] == [
        (2, "text", "required"),
        (2, "teller_role", "required"),
        (2, "contact_email", "invalid_email"),
        (2, "unit", "unit_without_organisation"),
        (2, "submitted_at", "invalid_date"),
        (3, "text", "too_long"),
    ]


def test_extra_cells_beyond_the_header_are_a_row_problem(tmp_path):
    # An unquoted separator in the text splits it over two cells.
    path = tmp_path / "s.csv"
    path.write_text(f"text;teller_role;setting\n{TEXT}; en meer;patient;hospital\n", "utf-8")

    result = importing.read_stories(path)

    assert importing.Problem(2, "", "extra_cells") in result.problems


def test_a_duplicate_external_id_is_reported_on_the_later_row(tmp_path):
    rows = [
        HEADER + ["id"],
        [TEXT, "patient", "hospital", "R1"],
        [TEXT, "patient", "hospital", "R1"],
    ]

    result = importing.read_stories(write_csv(tmp_path / "s.csv", rows))

    assert result.problems == [importing.Problem(3, "external_id", "duplicate")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-05-04", datetime(2023, 5, 4)),
        ("2023-05-04 14:30", datetime(2023, 5, 4, 14, 30)),
        ("2023-05-04T14:30:15", datetime(2023, 5, 4, 14, 30, 15)),
        ("2023-05-04T14:30:00Z", datetime(2023, 5, 4, 14, 30, tzinfo=UTC)),
        (
            "2023-05-04T14:30+02:00",
            datetime(2023, 5, 4, 14, 30, tzinfo=timezone(timedelta(hours=2))),
        ),
        ("04/05/2023", datetime(2023, 5, 4)),  # day first, as in Belgium
        ("4/5/2023 9:05", datetime(2023, 5, 4, 9, 5)),
        ("04-05-2023", datetime(2023, 5, 4)),
        ("04.05.2023", datetime(2023, 5, 4)),
        ("", None),
    ],
)
def test_it_parses_the_dates_survey_tools_write(text, expected):
    assert importing.parse_datetime(text) == expected


@pytest.mark.parametrize("text", ["05/31/2023", "yesterday", "2023-13-01", "31/02/2023"])
def test_it_refuses_dates_it_cannot_read(text):
    with pytest.raises(ValueError):
        importing.parse_datetime(text)


def test_a_file_that_is_not_csv_or_xlsx_is_refused(tmp_path):
    path = tmp_path / "stories.pdf"
    path.write_bytes(b"%PDF-1.7")

    with pytest.raises(importing.ImportFileError) as caught:
        importing.read_stories(path)

    assert caught.value.code == "unsupported_type"


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("s.xlsx", b"text,teller_role\n", "unreadable"),  # a CSV renamed to .xlsx
        ("s.xlsx", b"PK\x03\x04 not really a zip", "unreadable"),
        ("s.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "unreadable"),
        ("s.csv", "text,teller_role,setting\nCafé\n".encode("cp1252"), "not_utf8"),
        ("s.csv", b"\n\n ,, \n", "empty"),
    ],
)
def test_an_unreadable_file_gets_a_clear_error(tmp_path, name, data, code):
    path = tmp_path / name
    path.write_bytes(data)

    with pytest.raises(importing.ImportFileError) as caught:
        importing.read_stories(path)

    assert caught.value.code == code


@pytest.mark.parametrize(
    "parts",
    [
        {"word/document.xml": "<w/>"},  # a Word file renamed to .xlsx
        {"[Content_Types].xml": "not xml <<"},
    ],
)
def test_a_zip_that_is_not_a_workbook_is_unreadable(tmp_path, parts):
    path = tmp_path / "s.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for part, content in parts.items():
            archive.writestr(part, content)

    with pytest.raises(importing.ImportFileError) as caught:
        importing.read_stories(path)

    assert caught.value.code == "unreadable"


def test_a_missing_file_is_an_import_file_error(tmp_path):
    with pytest.raises(importing.ImportFileError) as caught:
        importing.read_stories(tmp_path / "nowhere.csv")
    assert caught.value.code == "unreadable"


def test_it_reads_utf16_unicode_text_from_excel(tmp_path):
    path = tmp_path / "s.csv"
    path.write_bytes(
        f"text\tteller_role\tsetting\r\n{TEXT}\tpatient\thospital\r\n".encode("utf-16")
    )

    result = importing.read_stories(path)

    assert result.delimiter == "\t"
    assert result.valid[0].values["text"] == TEXT


def test_it_reads_from_a_file_object_named_separately():
    data = f"text,teller_role,setting\n{TEXT},patient,hospital\n".encode()

    result = importing.read_stories(io.BytesIO(data), "upload.CSV")

    assert len(result.valid) == 1


def test_rejected_rows_are_written_with_their_original_cells_and_a_reason(tmp_path):
    rows = [
        ["Verhaal", "Rol", "Sector"],
        [TEXT, "patient", "hospital"],
        ["Kort", "patiënt", "hospital"],
    ]
    result = importing.read_stories(write_csv(tmp_path / "s.csv", rows, delimiter=";"))
    out = tmp_path / "s.rejected.csv"

    written = importing.write_rejected(result, out)

    assert written == 1
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # so Excel reads the accents right
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert lines == [
        ["Verhaal", "Rol", "Sector", "reason"],
        ["Kort", "patiënt", "hospital", "row 3: text: too_short; teller_role: invalid_choice"],
    ]
    if sys.platform != "win32":
        assert out.stat().st_mode & 0o077 == 0  # it holds personal data: owner only


def test_a_corrected_rejected_file_can_be_imported_again(tmp_path):
    rows = [HEADER, ["Kort", "patient", "hospital"]]
    result = importing.read_stories(write_csv(tmp_path / "s.csv", rows))
    out = tmp_path / "s.rejected.csv"
    importing.write_rejected(result, out, describe=lambda problem, row: "custom reason")
    assert "row 2: custom reason" in out.read_text("utf-8-sig")
    fixed = out.read_text("utf-8-sig").replace("Kort", TEXT)
    out.write_text(fixed, "utf-8")

    again = importing.read_stories(out)

    assert again.fields == ["text", "teller_role", "setting", None]  # reason is ignored
    assert len(again.valid) == 1 and not again.problems


def test_the_rejected_file_holds_no_formulas(tmp_path):
    evil = '=HYPERLINK("http://evil.example","Kort")'
    rows = [HEADER, [evil, "nobody", "hospital"], ["@SUM(1)", "-patient", "hospital"]]
    result = importing.read_stories(write_csv(tmp_path / "s.csv", rows))
    out = tmp_path / "s.rejected.csv"
    assert importing.write_rejected(result, out) == 2
    lines = list(csv.reader(io.StringIO(out.read_text("utf-8-sig"))))
    assert lines[1][0] == "'" + evil and lines[2][:2] == ["'@SUM(1)", "'-patient"]
    assert not any(cell[:1] in "=+-@" for line in lines for cell in line if cell)
    # Corrected and imported again, the cells are as they were.
    out.write_text(out.read_text("utf-8-sig").replace("'-patient", "patient"), "utf-8")
    again = importing.read_stories(out)
    assert [row.data["text"] for row in again.rows] == [evil, "@SUM(1)"]


# --- zip bombs and row counts: refused before parsing ---------------------------------------


def _bomb(path, member="xl/sharedStrings.xml", megabytes=101):
    """An XLSX-named zip whose one member unpacks to ``megabytes`` MB of zeros (about 100 kB
    packed), written in pieces so the test stays light."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open(member, "w") as stream:
            for _ in range(megabytes):
                stream.write(b"\0" * 2**20)
    return path


def test_an_xlsx_that_unpacks_to_too_much_is_refused_before_parsing(tmp_path, monkeypatch):
    import openpyxl

    def never(*args, **kwargs):
        raise AssertionError("openpyxl must not parse a zip bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    path = _bomb(tmp_path / "bomb.xlsx")
    assert path.stat().st_size < 300_000
    with pytest.raises(importing.ImportFileError) as err:
        importing.read_stories(path)
    assert err.value.code == "too_large" and err.value.params["reason"] == "size"
    # Small in total but hundreds of times its packed size: refused as well.
    with pytest.raises(importing.ImportFileError) as err:
        importing.read_stories(_bomb(tmp_path / "dense.xlsx", megabytes=5))
    assert err.value.params["reason"] == "ratio"


def test_an_xlsx_with_too_many_rows_is_refused_before_parsing(tmp_path, monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 100)
    path = write_xlsx(tmp_path / "s.xlsx", [HEADER] + [[TEXT, "patient", "hospital"]] * 101)
    with pytest.raises(importing.ImportFileError) as err:
        importing.check_limits(path.read_bytes(), "s.xlsx")
    assert err.value.code == "too_large" and err.value.params == {"reason": "rows", "limit": 100}
    with pytest.raises(importing.ImportFileError, match="more than 100 rows"):
        importing.read_stories(path)
    # The limit itself passes, and the reader stops at it too (rows the scan cannot see).
    path = write_xlsx(tmp_path / "ok.xlsx", [HEADER] + [[TEXT, "patient", "hospital"]] * 100)
    assert len(importing.read_stories(path).valid) == 100
    monkeypatch.setattr(importing, "check_limits", lambda data, name=None: None)
    with pytest.raises(importing.ImportFileError, match="more than 99 rows"):
        monkeypatch.setattr(importing, "MAX_ROWS", 99)
        importing.read_stories(path)


def test_a_csv_with_too_many_rows_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 10)
    rows = [HEADER] + [[TEXT, "patient", "hospital"]] * 10 + [[], []]
    assert len(importing.read_stories(write_csv(tmp_path / "ok.csv", rows)).valid) == 10
    with pytest.raises(importing.ImportFileError, match="more than 10 rows"):
        importing.read_stories(write_csv(tmp_path / "s.csv", rows + [rows[1]]))
