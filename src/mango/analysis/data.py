"""What the analysis may use, read from the database: the stories of a scope with their
attributes and final codes, as the frame ``mango.lib.reports`` and ``mango.lib.analysis`` take.

Only stories whose teller consented to research, and did not erase them, are analysed; the
others are counted (for the methods text) and left out. Final codes are those of the research
workbench (``mango.research``): a story is screened when its ``screening`` coding is settled,
included when that coding is the Mangomoment code, and coded when its ``dimensions`` coding is
settled. The frame is read from the analysis fact table (``facts``: one narrow row per story,
kept up to date with the stories and final codes) in one query, so that a million stories
load in seconds.
"""

from __future__ import annotations

import sqlite3

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import connection
from django.db.models import BigIntegerField, Case, Count, Q, Sum, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from mango.lib import vocab
from mango.lib.reports import Collection, ReportInput, wording
from mango.organisations.models import Campaign, Organisation, Unit
from mango.research import finals
from mango.research.models import Code, CodingRound
from mango.stories.models import Story

from . import facts
from .models import DimensionBit, StoryFact, Tally

SCREENING = finals.SCREENING
MANGOMOMENT = finals.MANGOMOMENT
DIMENSIONS = finals.DIMENSIONS


def for_research(stories):
    """The stories analysis may use: consent for research, not erased."""
    return stories.filter(consent_research=True, erased_at__isnull=True)


def codes(slug: str) -> list[tuple[str, str]]:
    """(key, label in the active language) of a codebook's codes in use, in its order."""
    return [
        (c.key, c.local_label)
        for c in Code.objects.filter(codebook__slug=slug, active=True).order_by("order", "key")
    ]


def dimension_keys() -> dict[str, str]:
    """Dimension key -> the codebook's label for keys the report has no translation of."""
    known = wording.CODES["dimension"]
    return {key: ("" if key in known else label) for key, label in codes(DIMENSIONS)}


def reason_keys() -> dict[str, str]:
    known = wording.CODES["exclusion_reason"]
    return {
        key: ("" if key in known else label)
        for key, label in codes(SCREENING)
        if key != MANGOMOMENT
    }


def facts_of(campaign: Campaign, organisation: Organisation | None = None):
    """The analysable stories' facts of a campaign (of one organisation when given)."""
    facts = StoryFact.objects.filter(campaign_id=campaign.pk, analysable=True)
    if organisation is not None:
        facts = facts.filter(organisation_id=organisation.pk)
    return facts


def collection_counts(campaign: Campaign, organisation: Organisation | None = None) -> dict:
    """received (all), erased, without consent for research (not erased), and analysable
    but not shared with staff (what a manager's dashboard leaves out), summed from the
    all-months collection tallies."""
    rows = Tally.objects.filter(
        campaign_id=campaign.pk, month=0, attribute=facts.COLLECTION, code=0
    )
    if organisation is not None:
        rows = rows.filter(organisation_id=organisation.pk)
    counted, not_shared = {}, 0
    for value, shared, n in rows.order_by().values_list("value", "shared").annotate(n=Sum("n")):
        counted[value] = counted.get(value, 0) + n
        if value == "analysable" and not shared:
            not_shared += n
    return {
        "received": sum(counted.values()),
        "erased": counted.get("erased", 0),
        "no_research_consent": counted.get("no_research_consent", 0),
        "not_shared": not_shared,
    }


# The four text attributes travel as one packed integer, 4 bits each (0: empty, 1..: the
# vocabulary's codes in order, 15: a value outside it), with ``settled`` in bit 16: the
# database driver makes one Python object per value fetched, and a million stories times a
# dozen columns of text was most of the report's time.
TEXT_CODES = {
    "teller_role": vocab.TELLER_ROLES,
    "setting": vocab.SETTINGS,
    "oncological": vocab.ONCOLOGICAL,
    "source": vocab.SOURCES,
}
OUTSIDE = 15
SETTLED_BIT = 16
NO_DATE = -(2**62)
FRAME_COLUMNS = [
    "story_id",
    "organisation_id",
    "unit_id",
    "campaign_id",
    "submitted",
    "packed",
    "screening_code",
    "dimensions",
]


def _epoch_seconds():
    """``submitted_at`` as whole seconds since 1970 (UTC), per database; NO_DATE if none."""
    if connection.vendor == "postgresql":
        sql = 'CAST(EXTRACT(EPOCH FROM "analysis_storyfact"."submitted_at") AS BIGINT)'
    elif sqlite3.sqlite_version_info >= (3, 38):  # unixepoch() is twice as fast as strftime
        sql = 'unixepoch("analysis_storyfact"."submitted_at")'
    else:
        sql = 'CAST(strftime(\'%%s\', "analysis_storyfact"."submitted_at") AS INTEGER)'
    seconds = RawSQL(sql, [], output_field=BigIntegerField())  # noqa: S611 (fixed SQL, no input)
    return Coalesce(seconds, Value(NO_DATE), output_field=BigIntegerField())


def _packed_attributes():
    """The text attributes and ``settled`` as one integer (``TEXT_CODES``)."""
    packed = Case(
        When(settled=True, then=Value(1 << SETTLED_BIT)),
        default=Value(0),
        output_field=BigIntegerField(),
    )
    for position, (column, values) in enumerate(TEXT_CODES.items()):
        code = Case(
            When(**{column: ""}, then=Value(0)),
            *[When(**{column: v}, then=Value(i + 1)) for i, v in enumerate(values)],
            default=Value(OUTSIDE),
            output_field=BigIntegerField(),
        )
        packed = packed + code * Value(1 << (4 * position))
    return packed


def _unpack_text(frame: pd.DataFrame, packed: np.ndarray, stories) -> None:
    """The text columns from their packed codes; values outside the vocabulary (only written
    around the forms and imports) are read as they are."""
    for position, (column, values) in enumerate(TEXT_CODES.items()):
        code = (packed >> (4 * position)) & 15
        names = np.full(16, None, dtype=object)
        names[1 : len(values) + 1] = values
        # Object columns: pandas would otherwise store text as its string type, missing as NaN.
        frame[column] = pd.Series(names[code], index=frame.index, dtype=object)
        if (code == OUTSIDE).any():
            odd = dict(
                stories.exclude(**{f"{column}__in": ["", *values]}).values_list("story_id", column)
            )
            frame.loc[list(odd), column] = pd.Series(odd)


def story_frame(stories, dimensions: list[str]) -> pd.DataFrame:
    """One row per story of a ``StoryFact`` queryset: the attributes ``mango.lib.reports``
    expects (names for organisation and unit), screening, exclusion_reason, coded and a 0/1
    column per dimension key. One query over the narrow fact table, numbers only, read with
    the database cursor (no per-row ORM work) into a numpy array."""
    query = stories.order_by().annotate(submitted=_epoch_seconds(), packed=_packed_attributes())
    sql, params = query.values_list(*FRAME_COLUMNS).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        records = cursor.fetchall()
    table = np.array(records, dtype=np.int64).reshape(-1, len(FRAME_COLUMNS))
    del records
    column = {name: table[:, i] for i, name in enumerate(FRAME_COLUMNS)}
    frame = pd.DataFrame({"id": column["story_id"]}, index=pd.Index(column["story_id"]))
    packed = column["packed"]
    _unpack_text(frame, packed, stories)
    submitted = column["submitted"]
    frame["submitted_at"] = pd.to_datetime(
        np.where(submitted == NO_DATE, np.nan, submitted), unit="s", utc=True
    )
    for name in ("organisation_id", "unit_id", "campaign_id"):
        ids = column[name].astype(object)
        ids[column[name] == 0] = None
        frame[name] = ids
    org_names = dict(Organisation.objects.values_list("id", "name"))
    frame["organisation"] = frame["organisation_id"].map(org_names).astype(object)
    units = dict(Unit.objects.values_list("id", "name"))
    frame["unit"] = frame["unit_id"].map(units).astype(object)
    frame["campaign"] = frame["campaign_id"].map(dict(Campaign.objects.values_list("id", "name")))
    frame.index.name = None

    # Screening: included with the Mangomoment code, else excluded with its reason key.
    keys = dict(Code.objects.filter(codebook__slug=SCREENING).values_list("pk", "key"))
    chosen = pd.Series(column["screening_code"], index=frame.index).map(keys)
    included = chosen.eq(MANGOMOMENT)
    # Object columns: pandas would otherwise store text as its string type, missing as NaN.
    frame["screening"] = pd.Series(
        np.where(included, "included", np.where(chosen.notna(), "excluded", None)),
        index=frame.index,
        dtype=object,
    )
    frame["exclusion_reason"] = pd.Series(
        np.where(chosen.notna() & ~included, chosen.astype(object), None),
        index=frame.index,
        dtype=object,
    )

    # Dimensions: settled stories are coded, with a 0/1 column per key present.
    frame["coded"] = (packed >> SETTLED_BIT & 1).astype(bool)
    mask = column["dimensions"]
    bits = dict(
        DimensionBit.objects.filter(
            code_id__in=Code.objects.filter(codebook__slug=DIMENSIONS).values("pk")
        ).values_list("code_id", "bit")
    )
    by_key = dict(Code.objects.filter(codebook__slug=DIMENSIONS).values_list("key", "pk"))
    for key in dimensions:
        bit = bits.get(by_key.get(key))
        frame[key] = (
            ((mask >> bit) & 1).astype(np.int8)
            if bit is not None
            else np.zeros(len(frame), np.int8)
        )
    return frame


def latest_round(stories) -> CodingRound | None:
    """The last closed round of the dimensions codebook that coded some of these stories (an
    open one when none is closed)."""
    rounds = CodingRound.objects.filter(
        codebook__slug=DIMENSIONS, codings__story__in=stories.order_by().values("pk")
    ).distinct()
    return (
        rounds.filter(status="closed").order_by("-closed_at", "-id").first()
        or rounds.order_by("-created_at", "-id").first()
    )


def agreement(stories) -> dict | None:
    round = latest_round(stories)
    if round is None:
        return None
    return {**finals.round_agreement(round), "round": round.name}


def report_input(
    campaign: Campaign,
    organisation: Organisation | None = None,
    *,
    language: str = "nl",
    group: str = "respondent_group",
) -> ReportInput:
    """Everything a campaign's report needs (for one organisation when given)."""
    counted = collection_counts(campaign, organisation)
    stories = for_research(Story.objects.filter(campaign=campaign))
    if organisation is not None:
        stories = stories.filter(organisation=organisation)
    dims = dimension_keys()
    frame = story_frame(facts_of(campaign, organisation), list(dims))
    sources = frame["source"].value_counts().to_dict() if len(frame) else {}
    organisations = (
        [organisation.name]
        if organisation is not None
        else list(
            Organisation.objects.filter(
                Q(campaigns=campaign)
                | Q(
                    pk__in=Tally.objects.filter(
                        campaign_id=campaign.pk, month=0, attribute=facts.COLLECTION, n__gt=0
                    ).values("organisation_id")
                )
            )
            .distinct()
            .order_by("name")
            .values_list("name", flat=True)
        )
    )
    return ReportInput(
        collection=Collection(
            campaign=campaign.name,
            opens_on=campaign.opens_on,
            closes_on=campaign.closes_on,
            organisations=organisations,
            organisation=organisation.name if organisation is not None else None,
            received=counted["received"],
            no_research_consent=counted["no_research_consent"],
            erased=counted["erased"],
            not_shared=counted["not_shared"],
            sources={k: int(sources[k]) for k in ("form", "api", "import", "demo") if k in sources},
        ),
        stories=frame,
        dimensions=dims,
        reasons=reason_keys(),
        agreement=agreement(stories),
        group=group,
        language=language,
        title=_title(campaign, organisation, language),
        tz=settings.TIME_ZONE,
    )


def _title(campaign, organisation, language: str) -> str:
    head = wording.text("report_title", language)
    where = campaign.name + (f" – {organisation.name}" if organisation is not None else "")
    return head + wording.colon(language) + where


def selection_input(
    selection, *, language: str = "nl", group: str = "respondent_group"
) -> ReportInput:
    """The report of what a dashboard shows (``aggregate.Selection``: the user's scope, and
    the campaign, organisation, unit and months chosen): the stories the user may analyse,
    with the collection counted in the organisations the user reads stories of. An
    organisation manager's report, like their dashboard, holds only the stories shared with
    staff (their scope) and so says nothing of the unshared ones."""
    facts_qs = _in_months(
        selection, selection._narrowed(StoryFact.objects.filter(selection.scope_rule()))
    )
    analysable = facts_qs.filter(analysable=True)
    told = _in_months(
        selection, selection._narrowed(StoryFact.objects.filter(selection.organisations_rule()))
    )
    counted = told.aggregate(
        received=Count("pk"),
        n_erased=Count("pk", filter=Q(erased=True)),
        no_consent=Count("pk", filter=Q(erased=False, analysable=False)),
    )
    not_shared = analysable.filter(shared=False).count()
    dims = dimension_keys()
    frame = story_frame(analysable, list(dims))
    sources = frame["source"].value_counts().to_dict() if len(frame) else {}
    campaign = (
        Campaign.objects.filter(pk=selection.campaign).first() if selection.campaign else None
    )
    organisation = (
        Organisation.objects.filter(pk=selection.organisation).first()
        if selection.organisation
        else None
    )
    unit = Unit.objects.filter(pk=selection.unit).first() if selection.unit else None
    organisations = list(
        Organisation.objects.filter(pk__in=analysable.values("organisation_id"))
        .order_by("name")
        .values_list("name", flat=True)
    )
    stories = Story.objects.filter(pk__in=analysable.values("story_id"))
    where = [x for x in (campaign, organisation, unit) if x is not None]
    title = wording.text("report_title", language)
    if where:
        title += wording.colon(language) + " – ".join(x.name for x in where)
    return ReportInput(
        collection=Collection(
            campaign=campaign.name if campaign else None,
            opens_on=campaign.opens_on if campaign else None,
            closes_on=campaign.closes_on if campaign else None,
            organisations=organisations,
            organisation=organisation.name if organisation is not None else None,
            received=counted["received"],
            no_research_consent=counted["no_consent"],
            erased=counted["n_erased"],
            not_shared=not_shared,
            sources={k: int(sources[k]) for k in ("form", "api", "import", "demo") if k in sources},
        ),
        stories=frame,
        dimensions=dims,
        reasons=reason_keys(),
        agreement=agreement(stories),
        group=group,
        language=language,
        title=title,
        tz=settings.TIME_ZONE,
    )


def _in_months(selection, facts_qs):
    if selection.start:
        facts_qs = facts_qs.filter(month__gte=selection.start)
    if selection.end:
        facts_qs = facts_qs.filter(month__lte=selection.end)
    return facts_qs
