"""Writing REFI-QDA 1.5: a project (``.qdpx``, a zip archive) and a codebook (``.qdc``).

The archive holds ``project.qde`` and one ``sources/<guid>.txt`` per document, UTF-8 without
a byte-order mark, whose characters (code points) the selections' positions count, or on
request its UTF-16 code units, as NVivo counts them. Children follow the
order of the schema's sequences (Users, CodeBook, Variables, Cases, Sources, Notes, ...):
validating importers refuse any other order.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

from lxml import etree

from . import positions as units
from .model import (
    CODEBOOK_NS,
    PROJECT_NS,
    Case,
    Code,
    Document,
    Project,
    RefiQdaError,
    derived_guid,
)

XSI = "http://www.w3.org/2001/XMLSchema-instance"
PROJECT_SCHEMA = f"{PROJECT_NS} http://schema.qdasoftware.org/versions/Project/v1.5/Project.xsd"
CODEBOOK_SCHEMA = f"{CODEBOOK_NS} http://schema.qdasoftware.org/versions/Codebook/v1.5/Codebook.xsd"
SOURCES = "sources"


def _stamp(when: datetime | None) -> str | None:
    if when is None:
        return None
    if when.tzinfo is not None:
        when = when.astimezone(UTC)
    return when.replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def _element(ns: str, parent, tag: str, **attributes):
    """A child element (or the root, without a parent); attributes that are None are left
    out. The root declares the namespace as the default, so no element carries a prefix."""
    attrs = {k: str(v) for k, v in attributes.items() if v is not None}
    tag = f"{{{ns}}}{tag}"
    if parent is None:
        return etree.Element(tag, attrs, nsmap={None: ns, "xsi": XSI})
    return etree.SubElement(parent, tag, attrs)


def _text(ns: str, parent, tag: str, value: str) -> None:
    if value:
        _element(ns, parent, tag).text = value


def _code(ns: str, parent, code: Code) -> None:
    element = _element(
        ns,
        parent,
        "Code",
        guid=code.guid,
        name=code.name,
        isCodable="true" if code.codable else "false",
        color=code.color,
    )
    _text(ns, element, "Description", code.description)
    for child in code.children:
        _code(ns, element, child)


def _codes(ns: str, parent, codes: list[Code]) -> None:
    if not codes:
        raise RefiQdaError("A codebook needs at least one code.")
    holder = _element(ns, parent, "Codes")
    for code in codes:
        _code(ns, holder, code)


def _serialise(root) -> bytes:
    etree.indent(root, space=" ")
    return etree.tostring(root, encoding="utf-8", xml_declaration=True)


def write_codebook(codes: list[Code], origin: str = "Mango") -> bytes:
    """A ``.qdc`` file: the codes and their hierarchy, descriptions and colours."""
    root = _element(CODEBOOK_NS, None, "CodeBook", origin=origin)
    root.set(f"{{{XSI}}}schemaLocation", CODEBOOK_SCHEMA)
    _codes(CODEBOOK_NS, root, codes)
    return _serialise(root)


def _variable_type(values: list) -> str:
    if values and all(isinstance(v, bool) for v in values):
        return "Boolean"
    if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "Integer"
    if values and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return "Float"
    return "Text"


def _variables(parent, cases: list[Case]) -> dict[str, tuple[str, str]]:
    """Declare one Variable per attribute name; returns name -> (guid, type)."""
    names: dict[str, list] = {}
    for case in cases:
        for name, value in case.attributes.items():
            names.setdefault(name, []).append(value)
    if not names:
        return {}
    holder = _element(PROJECT_NS, parent, "Variables")
    declared = {}
    for name, values in names.items():
        guid = derived_guid(name.encode().hex(), "variable")
        kind = _variable_type(values)
        _element(PROJECT_NS, holder, "Variable", guid=guid, name=name, typeOfVariable=kind)
        declared[name] = (guid, kind)
    return declared


def _value_text(value, kind: str) -> str:
    if kind == "Boolean":
        return "true" if value else "false"
    return str(value)


def _cases(parent, cases: list[Case], variables) -> None:
    holder = _element(PROJECT_NS, parent, "Cases")
    for case in cases:
        element = _element(PROJECT_NS, holder, "Case", guid=case.guid, name=case.name)
        _text(PROJECT_NS, element, "Description", case.description)
        for name, value in case.attributes.items():
            guid, kind = variables[name]
            holder_value = _element(PROJECT_NS, element, "VariableValue")
            _element(PROJECT_NS, holder_value, "VariableRef", targetGUID=guid)
            tag = "TextValue" if kind == "Text" else f"{kind}Value"
            _element(PROJECT_NS, holder_value, tag).text = _value_text(value, kind)
        for ref in case.documents:
            _element(PROJECT_NS, element, "SourceRef", targetGUID=ref)


def _source(parent, document: Document, memos: list, positions: str) -> str:
    """The TextSource element; returns the archive path of its text file."""
    index = units.Utf16Index(document.text) if positions == units.UTF16 else None
    element = _element(
        PROJECT_NS,
        parent,
        "TextSource",
        guid=document.guid,
        name=document.name,
        plainTextPath=f"internal://{document.guid}.txt",
        creatingUser=document.user,
        creationDateTime=_stamp(document.created),
    )
    _text(PROJECT_NS, element, "Description", document.description)
    for segment in sorted(document.segments, key=lambda s: (s.start, s.end)):
        when = _stamp(segment.created)
        selection = _element(
            PROJECT_NS,
            element,
            "PlainTextSelection",
            guid=derived_guid(segment.guid, "selection"),
            name=document.text[segment.start : segment.end][:60],
            startPosition=index.to_utf16(segment.start) if index else segment.start,
            endPosition=index.to_utf16(segment.end) if index else segment.end,
            creatingUser=segment.user,
            creationDateTime=when,
        )
        coding = _element(
            PROJECT_NS,
            selection,
            "Coding",
            guid=segment.guid,
            creatingUser=segment.user,
            creationDateTime=when,
        )
        _element(PROJECT_NS, coding, "CodeRef", targetGUID=segment.code)
        if segment.memo:
            # A memo is a note the selection refers to, as the standard has it.
            note = derived_guid(segment.guid, "memo")
            _element(PROJECT_NS, selection, "NoteRef", targetGUID=note)
            memos.append((note, segment))
    return f"{SOURCES}/{document.guid}.txt"


def _notes(parent, project: Project, memos: list) -> None:
    if not project.notes and not memos:
        return
    holder = _element(PROJECT_NS, parent, "Notes")
    for note in project.notes:
        element = _element(
            PROJECT_NS,
            holder,
            "Note",
            guid=note.guid,
            name=note.name,
            creatingUser=note.user,
            creationDateTime=_stamp(note.created),
        )
        _element(PROJECT_NS, element, "PlainTextContent").text = note.text
    for guid, segment in memos:
        element = _element(
            PROJECT_NS,
            holder,
            "Note",
            guid=guid,
            name="Memo",
            creatingUser=segment.user,
            creationDateTime=_stamp(segment.created),
        )
        _element(PROJECT_NS, element, "PlainTextContent").text = segment.memo


def project_xml(
    project: Project, positions: str = units.CODE_POINTS
) -> tuple[bytes, dict[str, str]]:
    """``project.qde`` and the text files it points to (archive path -> text).

    ``positions``: ``"codepoints"`` as the standard has it, or ``"utf16"`` for tools that
    count UTF-16 code units (NVivo); the origin then says so, so that Mango reads it back
    the same way even where the positions alone cannot tell."""
    if positions not in units.READINGS:
        raise ValueError(f"Unknown unit of positions: {positions!r}")
    project.validate()
    origin = project.origin
    if positions == units.UTF16 and not units.counts_utf16(origin):
        origin = f"{origin} (positions in UTF-16 code units)"
    root = _element(
        PROJECT_NS,
        None,
        "Project",
        name=project.name,
        origin=origin,
        creatingUserGUID=project.user,
        creationDateTime=_stamp(project.created),
    )
    root.set(f"{{{XSI}}}schemaLocation", PROJECT_SCHEMA)
    if project.users:
        users = _element(PROJECT_NS, root, "Users")
        for user in project.users:
            _element(PROJECT_NS, users, "User", guid=user.guid, name=user.name)
    if project.codes:
        _codes(PROJECT_NS, _element(PROJECT_NS, root, "CodeBook"), project.codes)
    if project.cases:
        _cases(root, project.cases, _variables(root, project.cases))
    files: dict[str, str] = {}
    memos: list = []
    if project.documents:
        sources = _element(PROJECT_NS, root, "Sources")
        for document in project.documents:
            files[_source(sources, document, memos, positions)] = document.text
    _notes(root, project, memos)
    _text(PROJECT_NS, root, "Description", project.description)
    return _serialise(root), files


def write_project(project: Project, positions: str = units.CODE_POINTS) -> bytes:
    """A ``.qdpx`` archive of the project, after ``project.validate()``; ``positions`` as
    for ``project_xml``."""
    qde, files = project_xml(project, positions)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", qde)
        for path, text in files.items():
            archive.writestr(path, text.encode("utf-8"))
    return buffer.getvalue()
