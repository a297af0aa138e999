"""Writes on transcripts, one function each, in one transaction with their audit row.

Audit values name ids, counts and positions, never transcript text or memos.
"""

from __future__ import annotations

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


def note_export(actor, project: Project, fmt: str, **counts) -> None:
    with transaction.atomic():
        record(
            actor,
            "data.exported",
            project,
            organisation=project.organisation,
            new={"format": fmt, **counts},
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


def import_project(
    actor, data: bytes, *, organisation=None, codebook: Codebook | None = None, name: str = ""
) -> tuple[Project, list[str]]:
    """A new project from a ``.qdpx`` archive; returns it and what was left out, in words.

    With ``codebook``, every code a segment uses must be in it (matched by label or key);
    without, the file's codebook becomes a new Mango codebook. Coders are matched to Mango
    users by username; the others keep their name on their segments. All or nothing.
    """
    try:
        source = refiqda.read_project(data)
    except refiqda.RefiQdaError as err:
        raise ImportFailed(str(err)) from None
    used = {refiqda.guid_key(s.code) for d in source.documents for s in d.segments}
    notes = list(source.skipped)
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
        record(
            actor,
            "project.imported",
            project,
            organisation=organisation,
            new={
                "documents": len(by_guid),
                "segments": len(segments),
                "participants": len(labels),
                "codebook": codebook.slug,
                "origin": source.origin,
            },
        )
    return project, notes
