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

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import connection
from django.db.models import BigIntegerField, IntegerField, Q, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast

from mango.lib.reports import Collection, ReportInput, wording
from mango.organisations.models import Campaign, Organisation, Unit
from mango.research import finals
from mango.research.models import Code, CodingRound
from mango.stories.models import Story

from . import facts
from .models import DimensionBit, StoryFact, Tally

SCREENING = finals.SCREENING
MANGOMOMENT = finals.MANGOMOMENT
DIMENSIONS = "dimensions"


def for_research(stories):
    """The stories analysis may use: consent for research, not erased."""
    return stories.filter(consent_research=True, erased_at__isnull=True)


def codes(slug: str) -> list[tuple[str, str]]:
    """(key, label) of a codebook's codes in use, in the codebook's order."""
    return list(
        Code.objects.filter(codebook__slug=slug, active=True)
        .order_by("order", "key")
        .values_list("key", "label")
    )


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
    """received (all), erased, and without consent for research (not erased), summed from
    the all-months collection tallies."""
    rows = Tally.objects.filter(
        campaign_id=campaign.pk, month=0, attribute=facts.COLLECTION, code=0
    )
    if organisation is not None:
        rows = rows.filter(organisation_id=organisation.pk)
    counted = dict(rows.order_by().values_list("value").annotate(n=Sum("n")))
    return {
        "received": sum(counted.values()),
        "erased": counted.get("erased", 0),
        "no_research_consent": counted.get("no_research_consent", 0),
    }


FRAME_COLUMNS = [
    "story_id",
    "teller_role",
    "setting",
    "oncological",
    "organisation_id",
    "unit_id",
    "campaign_id",
    "submitted",
    "source",
    "screening_code",
    "settled_int",
    "dimensions",
]


def _epoch_seconds():
    """``submitted_at`` as whole seconds since 1970 (UTC), per database."""
    if connection.vendor == "postgresql":
        sql = 'CAST(EXTRACT(EPOCH FROM "analysis_storyfact"."submitted_at") AS BIGINT)'
    else:
        sql = 'CAST(strftime(\'%%s\', "analysis_storyfact"."submitted_at") AS INTEGER)'
    return RawSQL(sql, [], output_field=BigIntegerField())  # noqa: S611 (fixed SQL, no input)


def story_frame(stories, dimensions: list[str]) -> pd.DataFrame:
    """One row per story of a ``StoryFact`` queryset: the attributes ``mango.lib.reports``
    expects (names for organisation and unit), screening, exclusion_reason, coded and a 0/1
    column per dimension key. One query over the narrow fact table, read with the database
    cursor (no per-row ORM work) and turned into columns by pandas."""
    # Seconds since 1970 and 0/1: numbers are much cheaper to fetch than text and booleans
    # (which the SQLite driver converts one by one in Python).
    query = stories.order_by().annotate(
        submitted=_epoch_seconds(), settled_int=Cast("settled", IntegerField())
    )
    sql, params = query.values_list(*FRAME_COLUMNS).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        records = cursor.fetchall()
    frame = pd.DataFrame.from_records(records, columns=FRAME_COLUMNS)
    frame["submitted_at"] = pd.to_datetime(frame.pop("submitted"), unit="s", utc=True)
    for column in ("teller_role", "setting", "oncological", "source"):
        frame[column] = frame[column].replace("", None).astype(object)
    for column in ("organisation_id", "unit_id", "campaign_id"):
        frame[column] = frame[column].astype(object).where(frame[column] != 0, None)
    org_names = dict(Organisation.objects.values_list("id", "name"))
    frame["organisation"] = frame["organisation_id"].map(org_names).astype(object)
    units = dict(Unit.objects.values_list("id", "name"))
    frame["unit"] = frame["unit_id"].map(units).astype(object)
    frame["campaign"] = frame["campaign_id"].map(dict(Campaign.objects.values_list("id", "name")))
    frame = frame.rename(columns={"story_id": "id"}).set_index("id", drop=False)
    frame.index.name = None

    # Screening: included with the Mangomoment code, else excluded with its reason key.
    keys = dict(Code.objects.filter(codebook__slug=SCREENING).values_list("pk", "key"))
    chosen = frame.pop("screening_code").map(keys)
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
    frame["coded"] = frame.pop("settled_int").astype(bool)
    mask = frame.pop("dimensions").to_numpy(dtype=np.int64)
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
    return f"{head}: {where}"
