"""The shapes the API reads and writes.

Input types are deliberately loose (strings, optional): the rules a story must meet live in
``mango.lib.intake``, shared with the web form and the importer, so the API gives the same
answers and the same messages. The allowed codes are still listed in the schema so that the
interactive docs and generated clients know them.

Story outputs name every field they return: contact details and the teller's receipt are not
among them, and a schema cannot leak a field it does not declare.
"""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from mango.lib import vocab


def _codes(codes: tuple[str, ...], what: str, default: str | None = None):
    """An optional string documented as one of ``codes``; intake checks it."""
    note = f"{what} One of: {', '.join(codes)}."
    if default:
        note += f" Default: {default}."
    return Field(None, description=note, json_schema_extra={"examples": [codes[0]]})


def _require(*names: str):
    """Mark fields required (a string, not null) in the published schema only: the model stays
    loose so that ``intake`` answers a missing field with its own message, as on the form."""

    def adjust(schema: dict) -> None:
        schema["required"] = [*schema.get("required", []), *names]
        for name in names:
            field = schema["properties"][name]
            field.pop("anyOf", None)
            field.pop("default", None)
            field["type"] = "string"

    return adjust


class StoryIn(Schema):
    model_config = {"json_schema_extra": _require("text", "teller_role", "setting")}

    text: str | None = Field(
        None,
        description=(
            f"The story, {vocab.STORY_MIN_CHARS} to {vocab.STORY_MAX_CHARS} characters "
            "after trimming."
        ),
    )
    language: str | None = _codes(vocab.LANGUAGES, "Language of the text.", "nl")
    teller_role: str | None = _codes(vocab.TELLER_ROLES, "Who tells the story. Required.")
    setting: str | None = _codes(vocab.SETTINGS, "The care setting. Required.")
    oncological: str | None = _codes(vocab.ONCOLOGICAL, "Cancer care?", "unknown")
    happened: str | None = _codes(vocab.WHEN, "Roughly when it happened.", "unknown")
    gesture_by: str | None = _codes(vocab.GESTURE_BY, "Who made the gesture.", "unknown")
    consent_research: bool | None = Field(
        None, description="The research team may use the story. At least one consent is needed."
    )
    consent_sharing: bool | None = Field(
        None, description="The organisation may share the story, de-identified, with its staff."
    )
    organisation: str | None = Field(None, description="The organisation's slug.")
    unit: str | None = Field(
        None,
        description="The unit's short code (as on posters), or its slug together with "
        "organisation.",
    )
    campaign: str | None = Field(
        None,
        description="The campaign's slug. Without one, the story joins the open campaign "
        "covering the organisation, if any.",
    )
    contact_name: str | None = Field(None, description="Optional; never returned by the API.")
    contact_email: str | None = Field(None, description="Optional; never returned by the API.")
    contact_phone: str | None = Field(None, description="Optional; never returned by the API.")


class ReceiptOut(Schema):
    receipt: str = Field(
        description="The teller's code for asking about or withdrawing the story later, "
        "like M-4F7KQ-9XR2D. Returned only here, once.",
    )
    status: str


class OrganisationOut(Schema):
    slug: str
    name: str


class UnitOut(Schema):
    slug: str
    short_code: str
    name: str


class CampaignOut(Schema):
    slug: str
    name: str


class StoryOut(Schema):
    id: int
    text: str
    language: str
    teller_role: str
    setting: str
    oncological: str
    happened: str
    gesture_by: str
    organisation: OrganisationOut | None
    unit: UnitOut | None
    campaign: CampaignOut | None
    consent_research: bool
    consent_sharing: bool
    source: str
    status: str
    illustrative: bool
    submitted_at: datetime


class StoryPage(Schema):
    count: int = Field(description="Stories matching the filters, on all pages.")
    page: int
    page_size: int
    pages: int
    items: list[StoryOut]


class StoryQuery(Schema):
    """The filters of the staff story list, by slug and code instead of database ids."""

    q: str | None = Field(
        None,
        description='Words that must all occur in the text; "#123" finds the story with id 123.',
    )
    organisation: str | None = Field(None, description="Organisation slug.")
    unit: str | None = Field(
        None, description="Unit short code, or unit slug together with organisation."
    )
    campaign: str | None = Field(None, description="Campaign slug.")
    teller_role: str | None = _codes(vocab.TELLER_ROLES, "Told by.")
    setting: str | None = _codes(vocab.SETTINGS, "Care setting.")
    oncological: str | None = _codes(vocab.ONCOLOGICAL, "Cancer care.")
    language: str | None = _codes(vocab.LANGUAGES, "Language of the text.")
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(25, ge=1, le=100)


class Choice(Schema):
    code: str
    label: str


class VocabularyOut(Schema):
    language: list[Choice]
    teller_role: list[Choice]
    setting: list[Choice]
    oncological: list[Choice]
    happened: list[Choice]
    gesture_by: list[Choice]
    organisation_kind: list[Choice]
    role: list[Choice]
    source: list[Choice]
    status: list[Choice]
    text_min_chars: int
    text_max_chars: int


class Error(Schema):
    detail: str


class FieldErrors(Schema):
    detail: str
    errors: dict[str, str] = Field(
        description="One message per field; 'consent' when neither consent is given."
    )
