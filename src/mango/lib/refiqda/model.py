"""The in-memory form of a REFI-QDA project or codebook: plain dataclasses, no XML.

Positions are those of the standard: ``start`` and ``end`` (exclusive) count Unicode
characters (code points) of the source's plain text, exactly as a Python ``str`` indexes it
(the reader converts files that count UTF-16 units, see ``positions``).
GUIDs are kept as found; ``same_guid`` compares them as the standard does (letter case and
enclosing braces do not matter).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"


class RefiQdaError(ValueError):
    """A file or project that breaks the standard; the message says what and where."""


def new_guid() -> str:
    return str(uuid.uuid4())


def guid_key(value: str) -> str:
    """The form under which two spellings of one GUID compare equal."""
    return value.strip().strip("{}").lower()


def derived_guid(guid: str, role: str) -> str:
    """A GUID that always follows from another (a memo's note from its segment), so exporting
    the same project twice writes the same identifiers."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"mango:{role}:{guid_key(guid)}"))


@dataclass
class User:
    guid: str
    name: str


@dataclass
class Code:
    guid: str
    name: str
    description: str = ""
    codable: bool = True  # False for a category that only groups codes
    color: str | None = None  # "#RRGGBB"
    children: list[Code] = field(default_factory=list)

    def walk(self, parent: Code | None = None) -> Iterator[tuple[Code, Code | None]]:
        """This code and its descendants, depth first, each with its parent."""
        yield self, parent
        for child in self.children:
            yield from child.walk(self)


def walk_codes(codes: list[Code]) -> Iterator[tuple[Code, Code | None]]:
    for code in codes:
        yield from code.walk()


@dataclass
class Segment:
    """One code applied to ``text[start:end]`` of a document by one user."""

    guid: str
    start: int
    end: int
    code: str  # the code's GUID
    user: str | None = None  # the coder's GUID
    memo: str = ""
    created: datetime | None = None


@dataclass
class Document:
    guid: str
    name: str
    text: str
    description: str = ""
    user: str | None = None
    created: datetime | None = None
    segments: list[Segment] = field(default_factory=list)


@dataclass
class Note:
    """A memo about the project as a whole."""

    guid: str
    name: str
    text: str
    user: str | None = None
    created: datetime | None = None


@dataclass
class Case:
    """A participant (or any unit of analysis): attributes and the documents it speaks in.

    Attribute values are ``str``, ``bool``, ``int`` or ``float``; the variable's type in
    the file follows from the values.
    """

    guid: str
    name: str
    attributes: dict = field(default_factory=dict)
    documents: list[str] = field(default_factory=list)  # document GUIDs
    description: str = ""


@dataclass
class Project:
    name: str
    users: list[User] = field(default_factory=list)
    codes: list[Code] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    description: str = ""
    origin: str = "Mango"
    user: str | None = None  # the creating user's GUID
    created: datetime | None = None
    # What reading a file left out (pictures, PDFs, sets...), in words, for the importing user.
    skipped: list[str] = field(default_factory=list)
    # How each text source's positions were read (``positions.Reading``), in source order.
    readings: list = field(default_factory=list)

    def code_index(self) -> dict[str, Code]:
        return {guid_key(code.guid): code for code, _ in walk_codes(self.codes)}

    def user_index(self) -> dict[str, User]:
        return {guid_key(user.guid): user for user in self.users}

    def validate(self) -> None:
        """Raise ``RefiQdaError`` on what the standard or its readers would refuse: duplicate
        GUIDs, a segment that names an unknown code or lies outside its text, an empty name."""
        if not self.name.strip():
            raise RefiQdaError("The project needs a name.")
        seen: set[str] = set()

        def unique(guid: str, what: str) -> None:
            if not guid or not guid.strip():
                raise RefiQdaError(f"{what} has no GUID.")
            key = guid_key(guid)
            if key in seen:
                raise RefiQdaError(f"The GUID {guid} is used twice ({what}).")
            seen.add(key)

        for user in self.users:
            unique(user.guid, f"user {user.name!r}")
        for code, _ in walk_codes(self.codes):
            unique(code.guid, f"code {code.name!r}")
            if not code.name.strip():
                raise RefiQdaError(f"The code {code.guid} has no name.")
        codes = self.code_index()
        users = self.user_index()
        for document in self.documents:
            unique(document.guid, f"document {document.name!r}")
            for segment in document.segments:
                unique(segment.guid, f"a segment of {document.name!r}")
                check_span(document, segment.start, segment.end)
                if guid_key(segment.code) not in codes:
                    raise RefiQdaError(
                        f"A segment of {document.name!r} ({segment.start}–{segment.end}) refers "
                        f"to the code {segment.code}, which is not in the codebook."
                    )
                if segment.user is not None and guid_key(segment.user) not in users:
                    raise RefiQdaError(
                        f"A segment of {document.name!r} was coded by the user {segment.user}, "
                        "who is not among the project's users."
                    )
        for note in self.notes:
            unique(note.guid, f"note {note.name!r}")
        documents = {guid_key(d.guid) for d in self.documents}
        for case in self.cases:
            unique(case.guid, f"case {case.name!r}")
            for ref in case.documents:
                if guid_key(ref) not in documents:
                    raise RefiQdaError(
                        f"The case {case.name!r} refers to the document {ref}, "
                        "which is not in the project."
                    )


def check_span(document: Document, start, end) -> None:
    if any(isinstance(x, bool) or not isinstance(x, int) for x in (start, end)):
        raise RefiQdaError(f"A segment of {document.name!r} has positions that are not numbers.")
    if not 0 <= start <= end <= len(document.text):
        raise RefiQdaError(
            f"The selection {start}–{end} lies outside the text of {document.name!r}, "
            f"which has {len(document.text)} characters."
        )
