"""Writes on transcripts, one function each, in one transaction with their audit row.

Audit values name ids, counts and positions, never transcript text or memos.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction

from mango.audit.log import record
from mango.lib import refiqda
from mango.lib.transcripts import TranscriptError, check_segment
from mango.research.models import Code, Codebook, CodebookVersion

from . import exchange
from .models import Document, Participant, Project, Segment


class ImportFailed(ValueError):
    """The file cannot be imported; nothing was written. The message is for the user."""


def create_project(actor, *, name, organisation, codebook, description="") -> Project:
    return Project.objects.create(
        name=name,
        organisation=organisation,
        codebook=codebook,
        description=description,
        created_by=actor,
    )


def upload_transcript(actor, project: Project, *, title: str, kind: str, text: str) -> Document:
    with transaction.atomic():
        document = Document.objects.create(
            project=project, title=title, kind=kind, text=text, uploaded_by=actor
        )
        record(
            actor,
            "transcript.uploaded",
            document,
            organisation=project.organisation,
            new={"project": project.pk, "kind": kind, "characters": len(text)},
        )
    return document


def view_transcript(actor, document: Document) -> None:
    """Reading a transcript is reading personal data: it goes in the audit trail."""
    with transaction.atomic():
        record(actor, "transcript.viewed", document, organisation=document.project.organisation)


def add_participant(actor, project: Project, *, documents=(), **fields) -> Participant:
    with transaction.atomic():
        participant = Participant.objects.create(project=project, **fields)
        participant.documents.set([d for d in documents if d.project_id == project.pk])
    return participant


def code_segment(actor, document: Document, *, code: Code, start, end, memo="") -> Segment:
    """Apply ``code`` to ``document.text[start:end]`` (code points)."""
    check_segment(document.text, start, end)
    if code.codebook_id != document.project.codebook_id:
        raise TranscriptError("The code is not in the project's codebook.")
    with transaction.atomic():
        segment = Segment.objects.create(
            document=document, code=code, start=start, end=end, coder=actor, memo=memo.strip()
        )
        record(
            actor,
            "segment.changed",
            segment,
            organisation=document.project.organisation,
            new={"document": document.pk, "code": code.key, "start": start, "end": end},
        )
    return segment


def uncode_segment(actor, segment: Segment) -> None:
    with transaction.atomic():
        record(
            actor,
            "segment.changed",
            segment,
            organisation=segment.document.project.organisation,
            old={
                "document": segment.document_id,
                "code": segment.code.key,
                "start": segment.start,
                "end": segment.end,
            },
        )
        segment.delete()


def note_export(actor, project: Project, fmt: str, by: str = "system", **counts) -> None:
    with transaction.atomic():
        record(
            actor,
            "data.exported",
            project,
            organisation=project.organisation,
            new={"format": fmt, **counts},
            by=by,
        )


# --- REFI-QDA imports ---------------------------------------------------------------------


def _new_codebook(actor, name: str, codes: list[refiqda.Code], origin: str) -> tuple:
    """A codebook holding ``codes`` (hierarchy kept); returns it and code by GUID key."""
    taken = set(Codebook.objects.values_list("slug", flat=True))
    codebook = Codebook.objects.create(
        slug=exchange.unique_slug(name, taken, 50, "codebook"),
        name=name[:200],
        description=f"Imported from {origin}" if origin else "",
        multiple=True,  # segments of transcripts take any number of codes
    )
    keys: set[str] = set()
    mapping = {}
    for order, (node, parent) in enumerate(refiqda.walk_codes(codes), start=1):
        fields = exchange.parse_description(node.description)
        key = exchange.unique_slug(node.name, keys, 60, f"code-{order}")
        keys.add(key)
        mapping[refiqda.guid_key(node.guid)] = Code.objects.create(
            codebook=codebook,
            key=key,
            label=node.name[:200],
            parent=mapping[refiqda.guid_key(parent.guid)] if parent is not None else None,
            order=order,
            **fields,
        )
    CodebookVersion.objects.create(
        codebook=codebook, version=codebook.version, snapshot=codebook.snapshot(), created_by=actor
    )
    return codebook, mapping


def _accounts(names) -> dict:
    """Mango users by the coder names of a file (usernames, ignoring letter case)."""
    User = get_user_model()
    found = {}
    for name in {n.strip().casefold() for n in names if n.strip()}:
        user = User.objects.filter(**{f"{User.USERNAME_FIELD}__iexact": name}).first()
        if user is not None:
            found[name] = user
    return found


def import_codebook(actor, data: bytes, name: str = "") -> Codebook:
    """A new codebook from a ``.qdc`` file."""
    try:
        codes, origin = refiqda.read_codebook(data)
    except refiqda.RefiQdaError as err:
        raise ImportFailed(str(err)) from None
    with transaction.atomic():
        codebook, mapping = _new_codebook(
            actor, name or origin or "Imported codebook", codes, origin
        )
        record(actor, "codebook.imported", codebook, new={"codes": len(mapping), "origin": origin})
    return codebook


class PositionsUnclear(ImportFailed):
    """Some source's positions fit neither reading; the user may import it anyway."""

    def __init__(self, message: str, readings):
        super().__init__(message)
        self.readings = readings


@dataclass
class Imported:
    """What an import wrote, for the summary shown to the user and printed by the command."""

    project: Project
    origin: str
    codes: int  # codes of the file (all of them, matched or new)
    sources: int
    segments: int
    memos: int  # segments that carry a memo
    users: int  # coders named in the file
    accounts: int  # of them, matched to Mango users
    participants: int
    readings: list = field(default_factory=list)  # (Document, refiqda.Reading) per source
    left_out: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The summary in English (the command line's; pages translate their own)."""
        lines = [
            f"Project {self.project.name!r} (id {self.project.pk}) from "
            f"{self.origin or 'an unnamed tool'}: {self.codes} codes, {self.sources} sources, "
            f"{self.segments} segments, {self.memos} memos, {self.users} users "
            f"({self.accounts} matched to Mango accounts), {self.participants} participants.",
            "Positions per source:",
        ]
        lines += [f"  {reading.describe()}" for _, reading in self.readings]
        if self.left_out:
            lines.append("Not imported: " + "; ".join(self.left_out) + ".")
        return lines


def read_file(data: bytes, *, positions: str = refiqda.AUTO, accept_positions=False):
    """The REFI-QDA project in ``data``, positions in code points; ``ImportFailed`` (or
    ``PositionsUnclear``) with a message for the user when it cannot be imported."""
    try:
        return refiqda.read_project(data, positions=positions, accept_positions=accept_positions)
    except refiqda.PositionsDoubtful as err:
        raise PositionsUnclear(str(err), err.readings) from None
    except refiqda.RefiQdaError as err:
        raise ImportFailed(str(err)) from None


def import_project(
    actor,
    data: bytes,
    *,
    organisation=None,
    codebook: Codebook | None = None,
    name: str = "",
    positions: str = refiqda.AUTO,
    accept_positions: bool = False,
    by: str = "system",
) -> Imported:
    """A new project from a ``.qdpx`` archive; returns what was imported and left out.

    Positions are read per source as the exporting tool counted them (``positions``:
    ``"auto"``, or a reading to impose); a source whose positions fit no reading stops the
    import (``PositionsUnclear``) unless ``accept_positions``.
    With ``codebook``, every code a segment uses must be in it (matched by label or key);
    without, the file's codebook becomes a new Mango codebook. Coders are matched to Mango
    users by username; the others keep their name on their segments. All or nothing.
    """
    source = read_file(data, positions=positions, accept_positions=accept_positions)
    used = {refiqda.guid_key(s.code) for d in source.documents for s in d.segments}
    notes = list(source.skipped)
    if source.notes:
        notes.append(f"{len(source.notes)} project memo(s) (Mango keeps memos on segments)")
    for document in source.documents:
        if "\x00" in document.text:
            raise ImportFailed(f"The text of {document.name!r} holds binary data.")
    with transaction.atomic():
        if codebook is not None:
            mapping, missing = exchange.match_codes(source.codes, codebook)
            index = source.code_index()
            missing_used = sorted(index[k].name for k in used if k not in mapping and k in index)
            if missing_used:
                raise ImportFailed(
                    f"These codes of the file are not in the codebook {codebook.name!r}: "
                    + ", ".join(missing_used)
                    + ". Add them to the codebook, or import the file with its own codebook."
                )
            notes += [f"code {name!r} (not in the codebook, not used)" for name in missing]
        else:
            if not source.codes:
                raise ImportFailed("The file has no codebook; choose an existing one.")
            codebook, mapping = _new_codebook(
                actor,
                f"{source.name} ({source.origin})" if source.origin else source.name,
                source.codes,
                source.origin,
            )
        project = Project.objects.create(
            name=(name or source.name)[:200],
            description=source.description,
            organisation=organisation,
            codebook=codebook,
            created_by=actor,
        )
        users = source.user_index()
        accounts = _accounts(u.name for u in users.values())
        by_guid = {}
        segments = []
        for source_document in source.documents:
            source_document = refiqda.normalise_newlines(source_document)
            document = Document.objects.create(
                project=project,
                title=source_document.name[:200] or "?",
                kind=exchange.document_kind(source_document),
                text=source_document.text,
                uploaded_by=actor,
            )
            by_guid[refiqda.guid_key(source_document.guid)] = document
            for s in source_document.segments:
                if s.start == s.end:
                    continue
                user = users.get(refiqda.guid_key(s.user)) if s.user else None
                account = accounts.get(user.name.strip().casefold()) if user else None
                segments.append(
                    Segment(
                        document=document,
                        code=mapping[refiqda.guid_key(s.code)],
                        start=s.start,
                        end=s.end,
                        coder=account,
                        coder_name="" if account or user is None else user.name[:150],
                        memo=s.memo,
                    )
                )
        Segment.objects.bulk_create(segments)
        labels: set[str] = set()
        for case in source.cases:
            base = case.name.strip()[:55] or "P"
            label, n = base, 2
            while label in labels:
                label, n = f"{base}-{n}", n + 1
            labels.add(label)
            participant = Participant.objects.create(
                project=project, label=label, **exchange.participant_attributes(case)
            )
            participant.documents.set(
                [
                    by_guid[refiqda.guid_key(g)]
                    for g in case.documents
                    if refiqda.guid_key(g) in by_guid
                ]
            )
        readings = [(by_guid[refiqda.guid_key(r.source)], r) for r in source.readings]
        summary = Imported(
            project=project,
            origin=source.origin,
            codes=sum(1 for _ in refiqda.walk_codes(source.codes)),
            sources=len(by_guid),
            segments=len(segments),
            memos=sum(1 for s in segments if s.memo),
            users=len(users),
            accounts=len(accounts),
            participants=len(labels),
            readings=readings,
            left_out=notes,
        )
        record(
            actor,
            "project.imported",
            project,
            organisation=organisation,
            by=by,
            new={
                "documents": summary.sources,
                "segments": summary.segments,
                "participants": summary.participants,
                "codes": summary.codes,
                "memos": summary.memos,
                "users": summary.users,
                "codebook": codebook.slug,
                "origin": source.origin,
                # Counts only: how each source's positions were read (no text).
                "positions": [
                    {"document": document.pk, **reading.as_dict()} for document, reading in readings
                ],
            },
        )
    return summary


@dataclass
class Exported:
    data: bytes
    positions: str
    codes: int
    sources: int
    segments: int
    memos: int
    users: int

    def line(self) -> str:
        unit = refiqda.UNIT_NAMES[self.positions]
        return (
            f"{self.codes} codes, {self.sources} sources, {self.segments} segments, "
            f"{self.memos} memos, {self.users} users; positions in {unit}."
        )


def export_project(
    actor, project: Project, *, positions: str = refiqda.CODE_POINTS, by: str = "system"
) -> Exported:
    """The project as a ``.qdpx`` archive, positions in code points (the standard) or, for
    tools that count them, UTF-16 code units; the export is audited."""
    refi = exchange.refi_project(project)
    data = refiqda.write_project(refi, positions=positions)
    segments = [s for d in refi.documents for s in d.segments]
    summary = Exported(
        data=data,
        positions=positions,
        codes=sum(1 for _ in refiqda.walk_codes(refi.codes)),
        sources=len(refi.documents),
        segments=len(segments),
        memos=sum(1 for s in segments if s.memo),
        users=len(refi.users),
    )
    # The unit is named only when it is not the standard's.
    extra = {"positions": positions} if positions != refiqda.CODE_POINTS else {}
    note_export(
        actor,
        project,
        "qdpx",
        by=by,
        documents=summary.sources,
        segments=summary.segments,
        **extra,
    )
    return summary
