"""Importing stories from a spreadsheet: the Django side of ``mango.lib.importing``.

``prepare`` reads and checks a file against the database (organisations, units, the
campaign, ids imported before) without writing; ``import_stories`` writes the valid rows in
one transaction. The management command ``import_stories`` and the researchers' import page
both call these two, so they accept and refuse the same files.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mango.lib import importing
from mango.organisations.models import Campaign, Organisation, Unit

from .models import Story
from .problems import message

log = logging.getLogger("mango.stories")

# Rows per INSERT on PostgreSQL; on SQLite Django lowers it to fit the parameter limit.
BATCH_SIZE = 1000


class ImportFailed(Exception):
    """Nothing was imported; ``str()`` is a translated sentence saying why."""


@dataclass
class Prepared:
    """A checked file, ready to write: its rows and where each valid one belongs."""

    campaign: Campaign
    result: importing.Result
    # row number -> (organisation id, unit id) for the rows that passed every check
    placements: dict[int, tuple[int | None, int | None]] = field(default_factory=dict)

    @property
    def rows_read(self) -> int:
        return len(self.result.rows)

    @property
    def valid(self) -> list[importing.Row]:
        return self.result.valid

    @property
    def invalid(self) -> list[importing.Row]:
        return self.result.invalid


def get_campaign(slug: str) -> Campaign:
    campaign = Campaign.objects.filter(slug=slug).first()
    if campaign is None:
        raise ImportFailed(_("Unknown campaign: %(slug)s.") % {"slug": slug})
    return campaign


def prepare(source, name: str | None, campaign: Campaign) -> Prepared:
    """Read the file and check every row, in the file and against the database.

    Imports of earlier campaigns are the point, so the campaign need not be open. Raises
    ImportFailed when the file as a whole is unusable.
    """
    try:
        result = importing.read_stories(source, name)
    except importing.ImportFileError as err:
        raise ImportFailed(file_error_message(err)) from None
    prepared = Prepared(campaign, result)
    _place(prepared)
    return prepared


def _place(prepared: Prepared) -> None:
    """Resolve organisation and unit slugs, and refuse ids this campaign already holds."""
    rows = prepared.result.rows
    campaign = prepared.campaign
    org_slugs = {row.values["organisation"] for row in rows if row.values.get("organisation")}
    organisations = {o.slug: o.pk for o in Organisation.objects.filter(slug__in=org_slugs)}
    unit_slugs = {row.values["unit"] for row in rows if row.values.get("unit")}
    units = {
        (u.organisation_id, u.slug): u.pk
        for u in Unit.objects.filter(slug__in=unit_slugs).only("pk", "slug", "organisation_id")
    }
    elsewhere = {slug for _org, slug in units}
    taking_part = set(campaign.organisations.values_list("pk", flat=True))
    imported = _imported_ids(campaign)

    for row in rows:
        org_slug, unit_slug = row.values.get("organisation"), row.values.get("unit")
        org_id = unit_id = None
        if org_slug:
            org_id = organisations.get(org_slug)
            if org_id is None:
                row.reject("organisation", "unknown_organisation")
            elif not campaign.network_wide and org_id not in taking_part:
                row.reject("organisation", "not_in_campaign")
        if unit_slug and org_id is not None:
            unit_id = units.get((org_id, unit_slug))
            if unit_id is None:
                code = "unit_mismatch" if unit_slug in elsewhere else "unknown_unit"
                row.reject("unit", code)
        if row.values.get("external_id") in imported:
            row.reject("external_id", "already_imported")
        if row.ok:
            prepared.placements[row.number] = (org_id, unit_id)


def _imported_ids(campaign: Campaign) -> set[str]:
    return set(
        Story.objects.filter(campaign=campaign)
        .exclude(external_id="")
        .values_list("external_id", flat=True)
    )


def _story(row: importing.Row, placement, campaign: Campaign, now) -> Story:
    values = dict(row.values)
    submitted_at = values.pop("submitted_at", None) or now
    if timezone.is_naive(submitted_at):
        submitted_at = timezone.make_aware(submitted_at)
    del values["organisation"], values["unit"]
    org_id, unit_id = placement
    return Story(
        **values,
        organisation_id=org_id,
        unit_id=unit_id,
        campaign=campaign,
        submitted_at=submitted_at,
        source="import",
    )


def import_stories(prepared: Prepared, *, skip_invalid: bool = False) -> list[Story]:
    """Store the valid rows of a checked file, all or none, and return the new stories
    (the story lifecycle, ``mango.lifecycle.actions.import_stories``, counts them).

    Without ``skip_invalid`` a single invalid row stops the import before anything is
    written. The stories are written in one transaction: a failure halfway leaves none.
    """
    if prepared.invalid and not skip_invalid:
        raise ImportFailed(
            ngettext(
                "Nothing imported: %(n)d row is invalid.",
                "Nothing imported: %(n)d rows are invalid.",
                len(prepared.invalid),
            )
            % {"n": len(prepared.invalid)}
        )
    campaign = prepared.campaign
    now = timezone.now()
    stories = [
        _story(row, prepared.placements[row.number], campaign, now) for row in prepared.valid
    ]
    with transaction.atomic():
        # Lock the campaign so two imports of the same file cannot both pass the id check
        # (PostgreSQL; SQLite already runs one writing transaction at a time).
        Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
        ids = {story.external_id for story in stories if story.external_id}
        if ids & _imported_ids(campaign):
            raise ImportFailed(message("external_id", "already_imported"))
        Story.objects.bulk_create(stories, batch_size=BATCH_SIZE)
    # Counts and ids only: file names and cells may hold personal data.
    log.info(
        "stories imported campaign=%s count=%d skipped=%d",
        campaign.pk,
        len(stories),
        len(prepared.invalid),
    )
    return stories


# ----- messages -----------------------------------------------------------------------------


def reason(problem: importing.Problem, row: importing.Row) -> str:
    """What is wrong, as a sentence in the active language."""
    if problem.code in _IMPORT_CODES:
        text = _IMPORT_CODES[problem.code]()
    else:
        text = message(problem.field, problem.code, row.data.get("text", ""))
    if problem.code == "invalid_choice" and problem.field in importing.CHOICES:
        text += " " + _("Allowed: %(codes)s.") % {
            "codes": ", ".join(importing.CHOICES[problem.field])
        }
    return text


def describe(problem: importing.Problem, row: importing.Row) -> str:
    """``text: Please tell a little more...``: the field and the reason."""
    text = reason(problem, row)
    return f"{problem.field}: {text}" if problem.field else text


def problem_line(problem: importing.Problem, row: importing.Row) -> str:
    """``row 5002: text: Please tell a little more: at least 20 characters.``"""
    return _("row %(row)d: %(problem)s") % {"row": problem.row, "problem": describe(problem, row)}


def problem_lines(prepared: Prepared):
    for row in prepared.invalid:
        for problem in row.problems:
            yield problem, row


def summary(prepared: Prepared) -> str:
    """``10000 rows read, 9999 valid, 1 invalid``"""
    read = ngettext("%(n)d row read", "%(n)d rows read", prepared.rows_read) % {
        "n": prepared.rows_read
    }
    return _("%(read)s, %(valid)d valid, %(invalid)d invalid") % {
        "read": read,
        "valid": len(prepared.valid),
        "invalid": len(prepared.invalid),
    }


_IMPORT_CODES = {
    "invalid_date": lambda: _("Write the date as 2024-03-31, 31/03/2024 or 2024-03-31 14:05."),
    "extra_cells": lambda: _(
        "This row has more cells than the header has columns. Is there a separator in the "
        "text that is not between quotes?"
    ),
    "duplicate": lambda: _("This id is also on an earlier row of the file."),
    "already_imported": lambda: _("A story with this id was already imported into this campaign."),
    "unit_without_organisation": lambda: _("Give the organisation of the unit as well."),
}


def _too_large_message(err: importing.ImportFileError) -> str:
    if err.params.get("reason") == "rows":
        return _(
            "The file holds more than %(n)s rows. Split it into files of at most %(n)s stories."
        ) % {"n": err.params["limit"]}
    return _(
        "The file unpacks to far more than its size, so Mango does not read it. Save it "
        "again from Excel, or as CSV."
    )


def check_limits(source, name: str) -> None:
    """Refuse an XLSX file that unpacks to too much or holds too many rows before it is
    parsed (a zip bomb would hold the worker), with a message that says so."""
    data = source.read()
    source.seek(0)
    try:
        importing.check_limits(data, name)
    except importing.ImportFileError as err:
        raise ImportFailed(file_error_message(err)) from None


def file_error_message(err: importing.ImportFileError) -> str:
    if err.code == "too_large":
        return _too_large_message(err)
    columns = ", ".join(err.params.get("columns", ()))
    if err.code == "unknown_columns":
        return _("Unknown columns: %(columns)s. Accepted columns: %(accepted)s.") % {
            "columns": columns,
            "accepted": ", ".join(err.params["accepted"]),
        }
    if err.code == "missing_columns":
        return _("The file has no column for: %(columns)s.") % {"columns": columns}
    if err.code == "duplicate_columns":
        return _("Several columns give the same field: %(columns)s.") % {"columns": columns}
    if err.code == "unsupported_type":
        return _("Only CSV (.csv) and Excel (.xlsx) files can be imported.")
    if err.code == "not_utf8":
        return _("The file is not UTF-8 text. In Excel, save it as 'CSV UTF-8'.")
    if err.code == "empty":
        return _("The file is empty: it needs a header row and one story per row.")
    if "row" in err.params:
        return _("The file cannot be read as CSV (row %(row)d).") % {"row": err.params["row"]}
    return _("The file cannot be read. Is it a CSV or an Excel (.xlsx) file?")
