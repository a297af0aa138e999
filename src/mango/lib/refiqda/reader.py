"""Reading REFI-QDA projects (``.qdpx``) and codebooks (``.qdc``) written by any tool.

What the tools write differs from the standard in small ways, and the reader accepts them:
namespaces (``urn:QDA-XML:project:1.0``, ATLAS.ti's ``codebook:0:4``, NVivo's ``1:0``, or
none), the folder of the text files (``sources/``, ``Sources/`` or the archive's root), GUIDs
in either case or in braces, text inline in ``PlainTextContent``, and a byte-order mark at
the start of a text file (not counted in positions). Memos come as a selection's
``Description`` or as notes it (or its coding) refers to. Anything Mango cannot hold
(pictures, PDFs, audio, video, sets, links, graphs) is listed in ``Project.skipped``.

Positions: NVivo counts UTF-16 code units where the standard counts code points; each
source's positions are read the way they were written (see ``positions``) and converted.

Refused, with a message saying what and where: a file that is not a zip archive or not XML,
an archive without ``project.qde``, DTDs and entities (the XML attacks), archives whose
content unpacks to more than the limits, a source whose selections fit its text in neither
reading (``PositionsDoubtful``, unless accepted), a selection naming a code the codebook
lacks, and sources whose text lies outside the archive.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from datetime import UTC, datetime
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from .. import zips
from . import positions as units
from .model import (
    Case,
    Code,
    Document,
    Note,
    Project,
    RefiQdaError,
    Segment,
    User,
    check_span,
    guid_key,
    new_guid,
)

MAX_XML_BYTES = 100 * 1024 * 1024
MAX_SOURCE_BYTES = 50 * 1024 * 1024
MAX_TOTAL_BYTES = 500 * 1024 * 1024
NS_PREFIX = "urn:QDA-XML:"
SOURCES_NOT_HELD = {
    "PictureSource": "picture",
    "PDFSource": "PDF document",
    "AudioSource": "audio recording",
    "VideoSource": "video recording",
}
PARTS_NOT_HELD = {"Sets": "sets of codes or documents", "Links": "links", "Graphs": "graphs"}


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def _children(element, name: str) -> list:
    return [child for child in element if _local(child.tag) == name]


def _child(element, name: str):
    found = _children(element, name)
    return found[0] if found else None


def _child_text(element, name: str) -> str:
    child = _child(element, name)
    return (child.text or "") if child is not None else ""


def _required(element, attribute: str, where: str) -> str:
    value = element.get(attribute)
    if value is None or not value.strip():
        raise RefiQdaError(f"{where} has no {attribute} attribute.")
    return value


def _position(element, attribute: str, where: str) -> int:
    value = _required(element, attribute, where)
    try:
        return int(value.strip())
    except ValueError:
        raise RefiQdaError(f"{where}: {attribute}={value!r} is not a whole number.") from None


def _when(value: str | None) -> datetime | None:
    """An xsd:dateTime; unreadable or missing dates are simply left out."""
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _parse(data: bytes, root_names: tuple[str, ...], what: str):
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise RefiQdaError(
            f"The {what} declares a DTD or entities, which REFI-QDA files never need; "
            "it was not read."
        ) from None
    except ParseError as err:
        raise RefiQdaError(f"The {what} is not well-formed XML ({err}).") from None
    namespace = _namespace(root.tag)
    if _local(root.tag) not in root_names or (namespace and not namespace.startswith(NS_PREFIX)):
        raise RefiQdaError(
            f"The {what} is not a REFI-QDA {' or '.join(root_names)}: its root element is "
            f"<{_local(root.tag)}>."
        )
    return root


def _code(element, seen: set) -> Code:
    where = f"A code ({element.get('name') or element.get('guid') or 'unnamed'})"
    guid = _required(element, "guid", where)
    if guid_key(guid) in seen:
        raise RefiQdaError(f"The code GUID {guid} is used twice in the codebook.")
    seen.add(guid_key(guid))
    codable = (element.get("isCodable") or "true").strip().lower() not in ("false", "0")
    return Code(
        guid=guid,
        name=_required(element, "name", where).strip(),
        description=_child_text(element, "Description").strip(),
        codable=codable,
        color=element.get("color") or None,
        children=[_code(child, seen) for child in _children(element, "Code")],
    )


def _codes(holder) -> list[Code]:
    """The codes of a CodeBook element (``<Codes>``; some writers put Code directly in it)."""
    codes_element = _child(holder, "Codes")
    container = codes_element if codes_element is not None else holder
    seen: set = set()
    return [_code(element, seen) for element in _children(container, "Code")]


def read_codebook(data: bytes) -> tuple[list[Code], str]:
    """The codes of a ``.qdc`` file (or of a ``.qde`` project's codebook), and its origin."""
    if data[:2] == b"PK":
        raise RefiQdaError("This is a .qdpx project archive, not a .qdc codebook.")
    root = _parse(data, ("CodeBook", "Project"), "codebook")
    book = root if _local(root.tag) == "CodeBook" else _child(root, "CodeBook")
    codes = _codes(book) if book is not None else []
    if not codes:
        raise RefiQdaError("The codebook holds no codes.")
    return codes, root.get("origin") or ""


class _Archive:
    """The entries of a .qdpx archive, read within size limits."""

    def __init__(self, data: bytes):
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, OSError):
            raise RefiQdaError("This is not a .qdpx file: it is not a zip archive.") from None
        infos = [i for i in self.zip.infolist() if not i.is_dir()]
        if sum(i.file_size for i in infos) > MAX_TOTAL_BYTES:
            raise RefiQdaError(
                f"The archive unpacks to more than {MAX_TOTAL_BYTES // 2**20} MB; "
                "Mango does not read it."
            )
        try:
            # Also refuse members that unpack to hundreds of times their size (zip bombs).
            zips.check(self.zip, max_total=MAX_TOTAL_BYTES)
        except zips.ArchiveTooLarge as err:
            raise RefiQdaError(f"{err} Mango does not read it.") from None
        self.by_name = {i.filename.lower(): i for i in infos}
        # Text files are found by name alone: tools disagree on the folder ("sources/",
        # "Sources/", none).
        self.by_base = {}
        for info in infos:
            self.by_base.setdefault(posixpath.basename(info.filename).lower(), info)

    def read(self, info, limit: int, what: str) -> bytes:
        if info.file_size > limit:
            raise RefiQdaError(f"{what} is larger than {limit // 2**20} MB.")
        try:
            with self.zip.open(info) as stream:
                # Read one byte past the limit: an entry may claim a smaller size than it has.
                content = stream.read(limit + 1)
        except (zipfile.BadZipFile, OSError, RuntimeError, EOFError) as err:
            raise RefiQdaError(f"{what} cannot be unpacked ({err}).") from None
        if len(content) > limit:
            raise RefiQdaError(f"{what} is larger than {limit // 2**20} MB.")
        return content

    def project_xml(self) -> bytes:
        info = self.by_name.get("project.qde")
        if info is None:
            candidates = [i for name, i in self.by_name.items() if name.endswith(".qde")]
            if len(candidates) != 1:
                raise RefiQdaError("The .qdpx archive holds no project.qde.")
            info = candidates[0]
        return self.read(info, MAX_XML_BYTES, "project.qde")

    def text(self, path: str, where: str) -> str:
        if not path.lower().startswith("internal://"):
            raise RefiQdaError(
                f"{where} keeps its text outside the archive ({path}); export the project "
                "with its sources embedded."
            )
        name = path[len("internal://") :].lstrip("/")
        info = self.by_name.get(name.lower()) or self.by_base.get(posixpath.basename(name).lower())
        if info is None:
            raise RefiQdaError(f"{where}: the archive lacks its text file {name}.")
        return _decode(self.read(info, MAX_SOURCE_BYTES, f"The text of {where}"), where)


def _decode(data: bytes, where: str) -> str:
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = data.decode("utf-16")
        else:
            text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise RefiQdaError(f"The text of {where} is not UTF-8, as the standard requires.") from None
    # A byte-order mark is an encoding mark, not a character of the text: positions skip it.
    return text.removeprefix("\ufeff")


class _NoArchive:
    """Stands in for the archive when only project.qde was given."""

    def text(self, path: str, where: str) -> str:
        raise RefiQdaError(f"{where} keeps its text in a file: upload the whole .qdpx.")


def _notes(root, archive) -> dict[str, Note]:
    notes = {}
    holder = _child(root, "Notes")
    for element in _children(holder, "Note") if holder is not None else []:
        guid = _required(element, "guid", "A note")
        name = element.get("name") or ""
        text = _child_text(element, "PlainTextContent")
        if not text and element.get("plainTextPath"):
            text = archive.text(element.get("plainTextPath"), f"the note {name or guid}")
        text = text or _child_text(element, "Description")
        notes[guid_key(guid)] = Note(
            guid=guid,
            name=name,
            text=text.strip(),
            user=element.get("creatingUser"),
            created=_when(element.get("creationDateTime")),
        )
    return notes


def _memo(element, notes: dict[str, Note], used: set) -> str:
    parts = [_child_text(element, "Description").strip()]
    for ref in _children(element, "NoteRef"):
        key = guid_key(ref.get("targetGUID") or "")
        if key in notes:
            used.add(key)
            parts.append(notes[key].text)
    return "\n\n".join(p for p in parts if p)


def _raw_selections(source, document: Document) -> list[tuple]:
    """The text selections of a source with their positions as the file writes them."""
    found = []
    for selection in _children(source, "PlainTextSelection"):
        where = f"A selection in {document.name!r}"
        start = _position(selection, "startPosition", where)
        end = _position(selection, "endPosition", where)
        if start < 0 or end < start:
            raise RefiQdaError(f"{where} runs from {start} to {end}, which is no span of text.")
        found.append((selection, start, end))
    return found


def _selections(document: Document, found, spans, context) -> None:
    """Segments from the selections ``found``, at ``spans`` (code points)."""
    codes, users, notes, used, skipped = context
    for (selection, *_), (start, end) in zip(found, spans, strict=True):
        where = f"A selection in {document.name!r}"
        check_span(document, start, end)
        memo = _memo(selection, notes, used)
        selection_user = selection.get("creatingUser")
        codings = _children(selection, "Coding")
        if start == end and codings:
            skipped.append(f"an empty selection at {start} in {document.name!r}")
            continue
        for coding in codings:
            ref = _child(coding, "CodeRef")
            target = ref.get("targetGUID") if ref is not None else None
            if not target:
                raise RefiQdaError(f"{where} ({start}–{end}) has a coding without a code.")
            code = codes.get(guid_key(target))
            if code is None:
                raise RefiQdaError(
                    f"{where} ({start}–{end}) refers to the code {target}, which is not in "
                    "the codebook."
                )
            user = coding.get("creatingUser") or selection_user
            if user is not None and guid_key(user) not in users:
                skipped.append(f"the coder {user} of a segment in {document.name!r} (unknown)")
                user = None
            document.segments.append(
                Segment(
                    guid=coding.get("guid") or new_guid(),
                    start=start,
                    end=end,
                    code=code.guid,
                    user=users[guid_key(user)].guid if user else None,
                    memo="\n\n".join(p for p in (memo, _memo(coding, notes, used)) if p),
                    created=_when(
                        coding.get("creationDateTime") or selection.get("creationDateTime")
                    ),
                )
            )


def _sources(root, archive, skipped: list[str]) -> list[tuple[Document, list]]:
    """Each text source without its segments yet, with its selections as written."""
    holder = _child(root, "Sources")
    documents = []
    for source in list(holder) if holder is not None else []:
        kind = _local(source.tag)
        name = source.get("name") or source.get("guid") or "?"
        if kind != "TextSource":
            skipped.append(f"{SOURCES_NOT_HELD.get(kind, kind)} {name!r}")
            continue
        guid = _required(source, "guid", f"The source {name!r}")
        where = f"the source {name!r}"
        inline = _child(source, "PlainTextContent")
        if inline is not None:
            text = (inline.text or "").removeprefix("\ufeff")
        elif source.get("plainTextPath"):
            text = archive.text(source.get("plainTextPath"), where)
        else:
            raise RefiQdaError(f"The source {name!r} has neither plain text nor a text file.")
        document = Document(
            guid=guid,
            name=name,
            text=text,
            description=_child_text(source, "Description").strip(),
            user=source.get("creatingUser"),
            created=_when(source.get("creationDateTime")),
        )
        documents.append((document, _raw_selections(source, document)))
    return documents


def _value(element):
    for child in element:
        kind = _local(child.tag)
        text = (child.text or "").strip()
        if kind == "BooleanValue":
            return text.lower() in ("true", "1")
        if kind == "IntegerValue":
            try:
                return int(text)
            except ValueError:
                return text
        if kind == "FloatValue":
            try:
                return float(text)
            except ValueError:
                return text
        if kind.endswith("Value"):
            return text
    return None


def _cases(root, documents: list[Document]) -> list[Case]:
    variables = {}
    holder = _child(root, "Variables")
    for element in _children(holder, "Variable") if holder is not None else []:
        variables[guid_key(element.get("guid") or "")] = element.get("name") or "?"
    known = {guid_key(d.guid): d.guid for d in documents}
    cases = []
    holder = _child(root, "Cases")
    for element in _children(holder, "Case") if holder is not None else []:
        attributes = {}
        for value in _children(element, "VariableValue"):
            ref = _child(value, "VariableRef")
            key = guid_key(ref.get("targetGUID") or "") if ref is not None else ""
            if key in variables:
                attributes[variables[key]] = _value(value)
        refs = [guid_key(r.get("targetGUID") or "") for r in _children(element, "SourceRef")]
        cases.append(
            Case(
                guid=_required(element, "guid", "A case"),
                name=element.get("name") or "",
                attributes=attributes,
                documents=[known[r] for r in refs if r in known],
                description=_child_text(element, "Description").strip(),
            )
        )
    return cases


def read_project(
    data: bytes, *, positions: str = units.AUTO, accept_positions: bool = False
) -> Project:
    """The project in a ``.qdpx`` archive (or the bare ``project.qde`` when its texts are
    inline). Raises ``RefiQdaError`` with a message for the user.

    ``positions`` says what the selections' positions count: ``"auto"`` decides per source
    (``units.choose``; ``Project.readings`` tells the outcome), ``"codepoints"`` or
    ``"utf16"`` imposes a reading. Positions are converted to code points. A source whose
    positions fit no reading raises ``PositionsDoubtful``, unless ``accept_positions``: then
    it is read as well as it goes, selections past the end cut at the end."""
    if data[:2] == b"PK":
        archive = _Archive(data)
        xml = archive.project_xml()
    elif data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<":
        archive, xml = None, data
    else:
        raise RefiQdaError("This is not a .qdpx file: it is not a zip archive.")
    root = _parse(xml, ("Project",), "project.qde")
    book = _child(root, "CodeBook")
    codes = _codes(book) if book is not None else []
    project = Project(
        name=(root.get("name") or "").strip() or "REFI-QDA project",
        codes=codes,
        origin=root.get("origin") or "",
        user=root.get("creatingUserGUID"),
        created=_when(root.get("creationDateTime")),
        description=_child_text(root, "Description").strip(),
    )
    users_holder = _child(root, "Users")
    for element in _children(users_holder, "User") if users_holder is not None else []:
        guid = _required(element, "guid", "A user")
        project.users.append(User(guid=guid, name=(element.get("name") or guid).strip()))
    archive = archive or _NoArchive()
    notes = _notes(root, archive)
    used: set = set()
    context = (project.code_index(), project.user_index(), notes, used, project.skipped)
    found = _sources(root, archive, project.skipped)
    sources = [
        units.SourceSpans(d.guid, d.name, d.text, [(s, e) for _, s, e in selections])
        for d, selections in found
    ]
    project.readings = units.choose(sources, project.origin, positions)
    if any(r.doubtful for r in project.readings) and not accept_positions:
        raise units.PositionsDoubtful(project.readings)
    for (document, selections), source, reading in zip(
        found, sources, project.readings, strict=True
    ):
        reading.accepted = reading.doubtful
        spans = units.convert(document.text, source.spans, reading.reading)
        _selections(document, selections, spans, context)
    project.documents = [document for document, _ in found]
    project.cases = _cases(root, project.documents)
    # Notes that are no segment's memo stay project notes.
    project.notes = [note for key, note in notes.items() if key not in used]
    for tag, what in PARTS_NOT_HELD.items():
        if _child(root, tag) is not None:
            project.skipped.append(what)
    project.validate()
    return project
