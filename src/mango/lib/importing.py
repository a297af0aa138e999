"""Reading a spreadsheet of stories into validated rows, without Django.

A CSV or XLSX file with a header row and one story per row becomes a ``Result``: every
non-empty row with its cleaned values and its problems. Each row is checked with
``intake.clean_story``, the rule set of the web form and the API, so an imported story
passes the same checks as a told one. Resolving organisation and unit slugs against the
database is the Django layer's job (``mango.stories.importer``).

Row numbers are the ones a spreadsheet shows: the header is row 1, the first story row 2.
Problems are (row, field, code); the caller turns codes into translated messages.
docs/import.md describes the columns for users; keep it in step with ``COLUMNS``.
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import BinaryIO, TextIO

from . import intake, spreadsheets, vocab, zips

# Field -> the header names accepted for it: the field's own name first, then English,
# Dutch and French aliases. Headers are compared after ``column_key``: case, accents,
# spaces and punctuation do not matter ("E-mail", "e_mail" and "E mail" are the same).
COLUMNS: dict[str, tuple[str, ...]] = {
    "text": (
        "text",
        "story",
        "mangomoment",
        "verhaal",
        "tekst",
        "getuigenis",
        "histoire",
        "récit",
        "texte",
        "témoignage",
    ),
    "language": ("language", "lang", "taal", "langue"),
    "teller_role": ("teller_role", "told_by", "teller", "role", "verteller", "rol", "narrateur"),
    "setting": ("setting", "care_setting", "zorgsetting", "sector", "secteur"),
    "oncological": ("oncological", "oncology", "oncologisch", "oncologie", "oncologique"),
    "happened": ("happened", "when", "wanneer", "quand"),
    "gesture_by": ("gesture_by", "gesture", "gebaar_door", "door_wie", "geste_par", "par_qui"),
    "consent_research": (
        "consent_research",
        "toestemming_onderzoek",
        "consentement_recherche",
    ),
    "consent_sharing": ("consent_sharing", "toestemming_delen", "consentement_partage"),
    "contact_name": ("contact_name", "name", "naam", "nom"),
    "contact_email": ("contact_email", "email", "e-mail", "mail", "courriel"),
    "contact_phone": ("contact_phone", "phone", "telefoon", "gsm", "téléphone"),
    "organisation": (
        "organisation",
        "organization",
        "org",
        "organisatie",
        "voorziening",
        "établissement",
    ),
    "unit": ("unit", "afdeling", "dienst", "unité", "service"),
    "submitted_at": ("submitted_at", "submitted", "date", "datum", "ingediend_op", "soumis_le"),
    "external_id": ("external_id", "id", "response_id", "respondent_id", "extern_id", "id_externe"),
}

# Without these a row can never be valid, so a file lacking one is refused as a whole.
REQUIRED_COLUMNS = ("text", "teller_role", "setting")

# The column ``write_rejected`` adds; ignored on reading, so a corrected rejected file can be
# imported as it is.
REASON_COLUMN = "reason"

# The allowed codes of the choice fields, for messages and the documentation.
CHOICES: dict[str, tuple[str, ...]] = {
    "language": vocab.LANGUAGES,
    "teller_role": vocab.TELLER_ROLES,
    "setting": vocab.SETTINGS,
    "oncological": vocab.ONCOLOGICAL,
    "happened": vocab.WHEN,
    "gesture_by": vocab.GESTURE_BY,
}

EXTERNAL_ID_MAX_CHARS = 100
CSV_SUFFIXES = (".csv",)
XLSX_SUFFIXES = (".xlsx", ".xlsm")
_ZIP_MAGIC = b"PK\x03\x04"
# Bounds checked before a file is parsed (an XLSX file is a zip: a small one can unpack to
# gigabytes or hundreds of thousands of rows and hold a web worker until it is killed).
MAX_ROWS = 50_000  # stories in one file, besides the header
XLSX_MAX_UNPACKED = 100 * 2**20
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")
_DELIMITERS = (",", ";", "\t")


class ImportFileError(ValueError):
    """The file as a whole cannot be imported.

    ``code`` names the reason, ``params`` its details (lists of column names); ``str()`` is
    an English sentence for logs of the developer's own machine and tests. Codes:
    unsupported_type, unreadable, not_utf8, empty, unknown_columns, missing_columns,
    duplicate_columns, too_large (params: ``reason`` "rows", "size" or "ratio", ``limit``).
    """

    def __init__(self, code: str, message: str, **params):
        super().__init__(message)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Problem:
    row: int
    field: str  # a field name, or "" for a problem with the row as a whole
    code: str


@dataclass
class Row:
    number: int
    cells: list[str]  # as read, in the file's column order
    data: dict[str, str]  # field -> the text of its cell
    values: dict = field(default_factory=dict)  # cleaned values, complete when ``ok``
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def reject(self, field_name: str, code: str) -> None:
        self.problems.append(Problem(self.number, field_name, code))


@dataclass
class Table:
    columns: list[str]  # the header as written
    header_row: int
    records: list[tuple[int, list[str]]]  # (row number, cells) after the header
    delimiter: str = ","


@dataclass
class Result:
    columns: list[str]
    fields: list[str | None]  # the field each column maps to; None: ignored
    rows: list[Row]  # every non-empty row after the header
    delimiter: str = ","

    @property
    def valid(self) -> list[Row]:
        return [row for row in self.rows if row.ok]

    @property
    def invalid(self) -> list[Row]:
        return [row for row in self.rows if not row.ok]

    @property
    def problems(self) -> list[Problem]:
        return [problem for row in self.rows for problem in row.problems]


def column_key(name: str) -> str:
    """Lowercase ASCII with underscores: "Téléphone " -> "telephone", "E-mail" -> "e_mail"."""
    decomposed = unicodedata.normalize("NFKD", str(name))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_")


_ALIASES: dict[str, str] = {}
for _field, _names in COLUMNS.items():
    for _name in _names:
        _key = column_key(_name)
        if _ALIASES.get(_key, _field) != _field:
            raise RuntimeError(f"column alias {_name!r} names two fields")
        _ALIASES[_key] = _field


# ----- reading ------------------------------------------------------------------------------


def read_table(source: str | Path | BinaryIO, name: str | None = None) -> Table:
    """Read a CSV or XLSX file into its header and records.

    ``source`` is a path or a binary file object; ``name`` (default: the path) decides the
    format by its suffix. Empty records keep their place in the numbering but are dropped.
    """
    if isinstance(source, str | Path):
        name = name or str(source)
        try:
            data = Path(source).read_bytes()
        except OSError as err:
            raise ImportFileError("unreadable", f"Cannot read the file: {err.strerror}.") from None
    else:
        data = source.read()
    suffix = Path(name or "").suffix.lower()
    if suffix in XLSX_SUFFIXES or (not suffix and data.startswith(_ZIP_MAGIC)):
        check_limits(data, name)
        return _read_xlsx(data)
    if suffix in CSV_SUFFIXES or not suffix:
        return _read_csv(data)
    raise ImportFileError(
        "unsupported_type", "Only CSV (.csv) and Excel (.xlsx) files can be imported."
    )


def _too_large(reason: str, limit: int) -> ImportFileError:
    if reason == "rows":
        message = f"The file holds more than {limit:,} rows; split it."
    else:
        message = "The file unpacks to far more than its size; Mango does not read it."
    return ImportFileError("too_large", message, reason=reason, limit=limit)


def check_limits(data: bytes, name: str | None = None) -> None:
    """Refuse an XLSX file that unpacks to too much or holds too many rows, from its zip
    directory and a scan of its sheets' row tags: fast, and before any parsing. Files that
    are not zips pass (CSV is read row by row within ``MAX_ROWS``)."""
    if not data.startswith(_ZIP_MAGIC):
        return
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # the reader says it is unreadable
    with archive:
        try:
            zips.check(archive, max_total=XLSX_MAX_UNPACKED)
        except zips.ArchiveTooLarge as err:
            raise _too_large(err.reason, XLSX_MAX_UNPACKED) from None
        for info in archive.infolist():
            lower = info.filename.lower()
            if lower.startswith("xl/worksheets/") and lower.endswith(".xml"):
                try:
                    rows = _count_rows(archive, info)
                except (zipfile.BadZipFile, OSError, RuntimeError, EOFError, ValueError):
                    return  # damaged: the reader says so
                if rows > MAX_ROWS + 1:
                    raise _too_large("rows", MAX_ROWS)


def _count_rows(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    """The ``<row>`` elements of a sheet, counted while unpacking it in 1 MB pieces (never
    more than its stated size, which ``zips.check`` bounded)."""
    count, tail, read = 0, b"", 0
    with archive.open(info) as stream:
        while chunk := stream.read(2**20):
            read += len(chunk)
            if read > info.file_size:
                raise ValueError("the member is larger than it says")
            buf = tail + chunk
            cut = max(0, len(buf) - 64)  # a tag across the cut is counted in the next piece
            count += sum(1 for m in _ROW_TAG.finditer(buf) if m.start() < cut)
            tail = buf[cut:]
    return count + sum(1 for _ in _ROW_TAG.finditer(tail))


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode text": UTF-16 with a byte order mark, tab-separated.
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
        raise ImportFileError("unreadable", "This is not a text file.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            "not_utf8", "The file is not UTF-8 text. In Excel, save it as 'CSV UTF-8'."
        ) from None


def sniff_delimiter(first_line: str) -> str:
    """The separator of a CSV file, judged from its header line.

    Excel writes ``;`` where the decimal separator is a comma (Belgium, France), ``,``
    elsewhere; survey tools write either. Header names hold no separators, so the one that
    occurs most often outside quotes in the header wins; a one-column file gets ``,``.
    """
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for char in first_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(data: bytes) -> Table:
    text = _decode(data)
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = sniff_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[tuple[int, list[str]]] = []
    filled = 0
    try:
        for cells in reader:
            # A rejected-rows file imported again: its formula-like cells carry a "'" (CSV).
            records.append((len(records) + 1, [spreadsheets.from_csv_cell(c) for c in cells]))
            filled += not _blank(cells)
            if filled > MAX_ROWS + 1:  # the header and MAX_ROWS stories
                raise _too_large("rows", MAX_ROWS)
    except csv.Error as err:
        row = len(records) + 1
        raise ImportFileError(
            "unreadable", f"The file is not valid CSV at row {row}: {err}.", row=row
        ) from None
    return _table(records, delimiter)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook  # imported here: CSV-only callers need not load it

    if not data.startswith(_ZIP_MAGIC):
        raise ImportFileError("unreadable", "This is not a readable Excel (.xlsx) file.")
    unreadable = ImportFileError("unreadable", "This is not a readable Excel (.xlsx) file.")
    # A damaged or foreign zip fails deep inside openpyxl in many ways (zip, XML, KeyError for
    # a missing part, ...); to the user they all mean the same thing, so all are caught.
    try:
        # read_only streams the sheet instead of building it in memory; data_only gives the
        # values of formulas as Excel last computed them.
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise unreadable from None
    try:
        sheet = book.worksheets[0]
        records, filled = [], 0
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(value) for value in values]
            records.append((number, cells))
            filled += not _blank(cells)
            if filled > MAX_ROWS + 1:  # the header and MAX_ROWS stories
                raise _too_large("rows", MAX_ROWS)
    except ImportFileError:
        raise
    except Exception:
        raise unreadable from None
    finally:
        book.close()
    return _table(records, ",")


def _blank(cells: Iterable[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def _table(records: list[tuple[int, list[str]]], delimiter: str) -> Table:
    records = [(number, cells) for number, cells in records if not _blank(cells)]
    if not records:
        raise ImportFileError("empty", "The file is empty: it needs a header row and stories.")
    header_row, header = records[0]
    while header and not header[-1].strip():
        header = header[:-1]
    return Table([cell.strip() for cell in header], header_row, records[1:], delimiter)


# ----- checking -----------------------------------------------------------------------------


def map_columns(columns: list[str]) -> list[str | None]:
    """The field for each column: a field name, None for the reason column, "" for a column
    without a name (its cells must stay empty)."""
    fields: list[str | None] = []
    unknown = []
    for name in columns:
        key = column_key(name)
        if not key:
            fields.append("")
        elif key == REASON_COLUMN:
            fields.append(None)
        elif key in _ALIASES:
            fields.append(_ALIASES[key])
        else:
            unknown.append(name)
    if unknown:
        raise ImportFileError(
            "unknown_columns",
            f"Unknown columns: {', '.join(unknown)}. Accepted columns: {', '.join(COLUMNS)}.",
            columns=unknown,
            accepted=list(COLUMNS),
        )
    seen = [f for f in fields if f]
    twice = sorted({f for f in seen if seen.count(f) > 1})
    if twice:
        raise ImportFileError(
            "duplicate_columns",
            f"Several columns give the same field: {', '.join(twice)}.",
            columns=twice,
        )
    missing = [f for f in REQUIRED_COLUMNS if f not in seen]
    if missing:
        raise ImportFileError(
            "missing_columns",
            f"The file has no column for: {', '.join(missing)}.",
            columns=missing,
        )
    return fields


_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
_TIME_FORMATS = ("", " %H:%M", " %H:%M:%S")


def parse_datetime(text: str) -> datetime | None:
    """An ISO date or datetime (with or without offset), or dd/mm/yyyy with an optional time.

    Returns None for an empty value; a naive datetime means local time. Raises ValueError.
    """
    text = text.strip()
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    for day in _DATE_FORMATS:
        for clock in _TIME_FORMATS:
            try:
                return datetime.strptime(text, day + clock)
            except ValueError:
                continue
    raise ValueError(f"not a date: {text!r}")


def clean_row(row: Row) -> None:
    """Fill ``row.values`` and ``row.problems`` from ``row.data``."""
    cleaned = intake.clean_story(row.data, require_consent=False)
    row.values = dict(cleaned.values)
    for field_name, code in cleaned.errors.items():
        row.reject(field_name, code)

    organisation = row.data.get("organisation", "").strip().lower()
    unit = row.data.get("unit", "").strip().lower()
    row.values["organisation"] = organisation or None
    row.values["unit"] = unit or None
    if unit and not organisation:
        row.reject("unit", "unit_without_organisation")

    try:
        row.values["submitted_at"] = parse_datetime(row.data.get("submitted_at", ""))
    except ValueError:
        row.reject("submitted_at", "invalid_date")

    external_id = intake.normalise_text(row.data.get("external_id", ""))
    if len(external_id) > EXTERNAL_ID_MAX_CHARS:
        row.reject("external_id", "too_long")
    else:
        row.values["external_id"] = external_id


def check(table: Table) -> Result:
    """Map the columns and check every row; raises ImportFileError for the file as a whole."""
    fields = map_columns(table.columns)
    width = len(fields)
    rows = []
    seen_ids: set[str] = set()
    for number, cells in table.records:
        data = {}
        extra = False
        for index, cell in enumerate(cells):
            name = fields[index] if index < width else ""
            if name:
                data[name] = cell
            elif name == "" and cell.strip():
                extra = True
        row = Row(number, cells, data)
        clean_row(row)
        if extra:
            row.reject("", "extra_cells")
        external_id = row.values.get("external_id")
        if external_id:
            if external_id in seen_ids:
                row.reject("external_id", "duplicate")
            seen_ids.add(external_id)
        rows.append(row)
    return Result(list(table.columns), fields, rows, table.delimiter)


def read_stories(source: str | Path | BinaryIO, name: str | None = None) -> Result:
    """Read and check a file of stories: ``check(read_table(source, name))``."""
    return check(read_table(source, name))


# ----- writing the rejected rows ------------------------------------------------------------


def describe_codes(problem: Problem, row: Row) -> str:
    return f"{problem.field}: {problem.code}" if problem.field else problem.code


def write_rejected(
    result: Result,
    dest: str | Path | TextIO,
    describe: Callable[[Problem, Row], str] = describe_codes,
) -> int:
    """Write the invalid rows as CSV: their original cells and a ``reason`` column.

    The file is UTF-8 with a byte order mark, so Excel shows accents right, and uses the
    separator of the file read. A path is created readable by its owner only: the rows hold
    story text and contact details. Returns the number of rows written.
    """
    invalid = result.invalid
    keep = [i for i, f in enumerate(result.fields) if f is not None]
    width = max([len(result.columns), *(len(row.cells) for row in invalid)])
    extra = range(len(result.columns), width)
    header = [result.columns[i] for i in keep] + ["" for _ in extra] + [REASON_COLUMN]

    def lines(out: TextIO) -> None:
        writer = csv.writer(out, delimiter=result.delimiter, lineterminator="\r\n")
        # Cells are the file's own text, opened in a spreadsheet: never as formulas.
        writer.writerow(spreadsheets.csv_row(header))
        for row in invalid:
            cells = row.cells + [""] * (width - len(row.cells))
            reasons = "; ".join(describe(problem, row) for problem in row.problems)
            reason = f"row {row.number}: {reasons}"
            writer.writerow(
                spreadsheets.csv_row(
                    [cells[i] for i in keep] + [cells[i] for i in extra] + [reason]
                )
            )

    if isinstance(dest, str | Path):
        fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(fd, "w", encoding="utf-8-sig", newline="") as out:
            lines(out)
    else:
        lines(dest)
    return len(invalid)
