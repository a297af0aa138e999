"""What the analysis may use, read from the database: the stories of a scope with their
attributes and final codes, as the frame ``mango.lib.reports`` and ``mango.lib.analysis`` take.

Only stories whose teller consented to research, and did not erase them, are analysed; the
others are counted (for the methods text) and left out. Final codes are those of the research
workbench (``mango.research``): a story is screened when its ``screening`` coding is settled,
included when that coding is the Mangomoment code, and coded when its ``dimensions`` coding is
settled. The frame is built from a few flat queries (no per-story Python loop over the ORM)
so that a million stories load in seconds.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from django.conf import settings
from django.db.models import Count, Q

from mango.lib.reports import Collection, ReportInput, wording
from mango.organisations.models import Campaign, Organisation, Unit
from mango.research import finals
from mango.research.models import Code, CodingRound, Decision, FinalCode
from mango.stories.models import Story

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


def collection_counts(stories) -> dict:
    """received (all), erased, and without consent for research (not erased) in one query."""
    return stories.aggregate(
        received=Count("id"),
        erased=Count("id", filter=Q(erased_at__isnull=False)),
        no_research_consent=Count("id", filter=Q(erased_at__isnull=True, consent_research=False)),
    )


def story_frame(stories, dimensions: list[str]) -> pd.DataFrame:
    """One row per story of the queryset: the attributes ``mango.lib.reports`` expects
    (names for organisation and unit), screening, exclusion_reason, coded and a 0/1 column
    per dimension key."""
    columns = [
        "id",
        "teller_role",
        "setting",
        "oncological",
        "organisation_id",
        "unit_id",
        "campaign_id",
        "submitted_at",
        "source",
    ]
    rows = stories.order_by().values_list(*columns)
    frame = pd.DataFrame.from_records(list(rows.iterator(chunk_size=50_000)), columns=columns)
    frame["submitted_at"] = pd.to_datetime(frame["submitted_at"], utc=True)
    org_names = dict(Organisation.objects.values_list("id", "name"))
    frame["organisation"] = frame["organisation_id"].map(org_names).astype(object)
    units = {pk: name for pk, name in Unit.objects.values_list("id", "name")}
    frame["unit"] = frame["unit_id"].map(units).astype(object)
    frame["campaign"] = frame["campaign_id"].map(dict(Campaign.objects.values_list("id", "name")))
    frame = frame.set_index("id", drop=False)
    frame.index.name = None
    scope = stories.order_by().values("pk")

    # Screening: settled stories; included with the Mangomoment code, else the first reason.
    screened = pd.DataFrame.from_records(
        list(
            FinalCode.objects.filter(code__codebook__slug=SCREENING, story__in=scope)
            .values_list("story_id", "code__key")
            .iterator(chunk_size=50_000)
        ),
        columns=["story", "key"],
    )
    decision = np.full(len(frame), None, dtype=object)
    reason = np.full(len(frame), None, dtype=object)
    if len(screened):
        included = screened.loc[screened["key"] == MANGOMOMENT, "story"].unique()
        reasons = screened[~screened["story"].isin(included)].groupby("story")["key"].min()
        decision[frame.index.isin(included)] = "included"
        where = frame.index.get_indexer(reasons.index)
        keep = where >= 0
        decision[where[keep]] = "excluded"
        reason[where[keep]] = reasons.to_numpy(dtype=object)[keep]
    # Object columns: pandas would otherwise store text as its string type, missing as NaN.
    frame["screening"] = pd.Series(decision, index=frame.index, dtype=object)
    frame["exclusion_reason"] = pd.Series(reason, index=frame.index, dtype=object)

    # Dimensions: settled stories are coded, with a 0/1 column per key present.
    settled = Decision.objects.filter(codebook__slug=DIMENSIONS, story__in=scope)
    frame["coded"] = frame.index.isin(
        np.fromiter(settled.values_list("story_id", flat=True).iterator(chunk_size=50_000), int)
    )
    coded = pd.DataFrame.from_records(
        list(
            FinalCode.objects.filter(code__codebook__slug=DIMENSIONS, story__in=scope)
            .values_list("story_id", "code__key")
            .iterator(chunk_size=50_000)
        ),
        columns=["story", "key"],
    )
    for key in dimensions:
        ids = coded.loc[coded["key"] == key, "story"].to_numpy()
        frame[key] = frame.index.isin(ids).astype(np.int8)
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
    everything = Story.objects.filter(campaign=campaign)
    if organisation is not None:
        everything = everything.filter(organisation=organisation)
    counted = collection_counts(everything)
    stories = for_research(everything)
    dims = dimension_keys()
    frame = story_frame(stories, list(dims))
    sources = frame["source"].value_counts().to_dict() if len(frame) else {}
    organisations = (
        [organisation.name]
        if organisation is not None
        else list(
            Organisation.objects.filter(Q(campaigns=campaign) | Q(stories__campaign=campaign))
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
