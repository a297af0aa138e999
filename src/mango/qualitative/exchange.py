"""From Mango's tables to REFI-QDA's dataclasses and back (the file format is lib/refiqda).

A code's REFI-QDA description carries its definition and, under "Include when:", "Exclude
when:" and "Examples:" headings, the rest of the codebook entry; reading splits them again,
so a codebook keeps every field through Mango -> .qdc -> Mango.
GUIDs of codes and coders follow from their keys and names, so two exports of one project
name them alike and another tool can merge them.
"""

from __future__ import annotations

import re
import uuid

from django.utils.text import slugify

from mango.lib import refiqda, vocab
from mango.research.models import Code, Codebook

from .models import KIND_CHOICES

SECTIONS = (
    ("inclusion", "Include when:"),
    ("exclusion", "Exclude when:"),
    ("examples", "Examples:"),
)
_HEADING = re.compile(
    r"^(" + "|".join(re.escape(h) for _, h in SECTIONS) + r")[ \t]*\n?", re.MULTILINE
)


def _guid(*parts) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "mango:" + ":".join(str(p) for p in parts)))


def code_guid(code: Code, codebook: Codebook) -> str:
    return _guid("code", codebook.slug, code.key)


def user_guid(label: str) -> str:
    return _guid("coder", label)


def describe(code: Code) -> str:
    parts = [code.definition.strip()]
    for field, heading in SECTIONS:
        value = getattr(code, field).strip()
        if value:
            parts.append(f"{heading}\n{value}")
    return "\n\n".join(p for p in parts if p)


def parse_description(text: str) -> dict:
    """The codebook fields in a description written by ``describe`` (or any plain text)."""
    fields = {"definition": "", "inclusion": "", "exclusion": "", "examples": ""}
    marks = list(_HEADING.finditer(text))
    fields["definition"] = text[: marks[0].start() if marks else len(text)].strip()
    names = {heading: field for field, heading in SECTIONS}
    for i, mark in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        fields[names[mark.group(1)]] = text[mark.end() : end].strip()
    return fields


def refi_codes(codebook: Codebook) -> tuple[list[refiqda.Code], dict[int, str]]:
    """The codebook as a REFI-QDA code tree, and each code's GUID by primary key."""
    codes = list(codebook.codes.order_by("order", "key"))
    nodes = {
        c.pk: refiqda.Code(guid=code_guid(c, codebook), name=c.label, description=describe(c))
        for c in codes
    }
    roots = []
    for c in codes:
        parent = nodes.get(c.parent_id)
        (parent.children if parent is not None else roots).append(nodes[c.pk])
    return roots, {pk: node.guid for pk, node in nodes.items()}


def refi_project(project) -> refiqda.Project:
    codes, guids = refi_codes(project.codebook)
    users: dict[str, refiqda.User] = {}
    documents = []
    for document in project.documents.order_by("title", "id"):
        segments = []
        for segment in document.segments.select_related("coder", "code").order_by("start", "id"):
            label = segment.coder_label
            if label and label not in users:
                users[label] = refiqda.User(guid=user_guid(label), name=label)
            segments.append(
                refiqda.Segment(
                    guid=str(segment.guid),
                    start=segment.start,
                    end=segment.end,
                    code=guids[segment.code_id],
                    user=users[label].guid if label else None,
                    memo=segment.memo,
                    created=segment.created,
                )
            )
        documents.append(
            refiqda.Document(
                guid=str(document.guid),
                name=document.title,
                text=document.text,
                description=document.kind,  # read back by ``document_kind``
                created=document.created,
                segments=segments,
            )
        )
    cases = []
    for participant in project.participants.prefetch_related("documents"):
        attributes = {
            name: getattr(participant, name)
            for name in ("role", "setting", "oncological")
            if getattr(participant, name)
        }
        cases.append(
            refiqda.Case(
                guid=str(participant.guid),
                name=participant.label,
                attributes=attributes,
                documents=[str(d.guid) for d in participant.documents.all()],
            )
        )
    return refiqda.Project(
        name=project.name,
        description=project.description,
        users=list(users.values()),
        codes=codes,
        documents=documents,
        cases=cases,
        created=project.created_at,
    )


# --- reading ------------------------------------------------------------------------------


def unique_slug(base: str, taken, limit: int, fallback: str) -> str:
    slug = (slugify(base) or fallback)[:limit].strip("-") or fallback
    candidate, n = slug, 2
    while candidate in taken:
        suffix = f"-{n}"
        candidate = slug[: limit - len(suffix)] + suffix
        n += 1
    return candidate


def document_kind(document: refiqda.Document) -> str:
    kind = document.description.strip().lower().replace(" ", "_")
    return kind if kind in dict(KIND_CHOICES) else "interview"


def participant_attributes(case: refiqda.Case) -> dict:
    """The role, setting and oncological flag a case carries, where Mango knows the value."""
    found = {}
    values = {str(k).strip().lower(): v for k, v in case.attributes.items()}
    for name, allowed in (("role", vocab.TELLER_ROLES), ("setting", vocab.SETTINGS)):
        value = str(values.get(name, "")).strip().lower()
        if value in allowed:
            found[name] = value
    oncological = values.get("oncological")
    if isinstance(oncological, bool):
        found["oncological"] = "yes" if oncological else "no"
    elif str(oncological or "").strip().lower() in vocab.ONCOLOGICAL:
        found["oncological"] = str(oncological).strip().lower()
    return found


def match_codes(codes: list[refiqda.Code], codebook: Codebook) -> tuple[dict, list[str]]:
    """Map each REFI-QDA code GUID to a code of ``codebook`` by name (its label or key,
    ignoring case); returns the map and the names found nowhere."""
    by_name = {}
    for code in codebook.codes.all():
        by_name.setdefault(code.key.casefold(), code)
        by_name.setdefault(code.label.strip().casefold(), code)
    mapping, missing = {}, []
    for node, _ in refiqda.walk_codes(codes):
        code = by_name.get(node.name.strip().casefold())
        if code is None:
            missing.append(node.name)
        else:
            mapping[refiqda.guid_key(node.guid)] = code
    return mapping, missing
