"""The analysis data layer: which stories a report may use and the frame built from them.

``coded_campaign`` (also used by the report and dashboard tests) makes a campaign with stories
of every respondent group in two organisations, settled screening and dimension codes, a
double-coded round, and stories that must stay out: no consent for research, consent
withdrawn, erased.
"""

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from django.utils import timezone

from mango.analysis import data, facts
from mango.analysis.models import StoryFact
from mango.lib import analysis
from mango.organisations.models import Campaign, Unit
from mango.research.models import (
    Assignment,
    Code,
    Codebook,
    Coding,
    CodingRound,
    Decision,
    FinalCode,
    RoundCoder,
)
from mango.stories.models import Story
from tests.conftest import make_user, new_story

# Upserts, row locks and the packed frame read differ by database: run on PostgreSQL too.
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

DIMENSIONS = [
    "respect",
    "coordination",
    "information",
    "physical_comfort",
    "emotional_support",
    "family",
    "continuity",
    "access",
]
# (teller_role, oncological, share): the three groups and a few outside them.
TELLERS = [
    ("professional", "no", 0.3),
    ("patient", "yes", 0.2),
    ("family", "yes", 0.1),
    ("patient", "no", 0.2),
    ("resident", "no", 0.1),
    ("other", "no", 0.05),
    ("patient", "unknown", 0.05),
]
REASONS = ["ordinary_care", "organised_event", "no_identifiable_act"]


@dataclass
class CodedCampaign:
    campaign: Campaign
    org: object
    other_org: object
    units: list
    analysed: list  # stories that may be analysed
    left_out: dict  # reason -> stories that must not be
    round: CodingRound


def code(slug, key):
    return Code.objects.get(codebook__slug=slug, key=key)


def settle(story, slug, keys, round=None, count=True):
    """Final codes as an adjudication leaves them; ``count``: update the analysis tables now
    (a fixture that settles many stories counts them once at the end)."""
    codebook = Codebook.objects.get(slug=slug)
    Decision.objects.create(story=story, codebook=codebook, round=round, method="adjudicated")
    FinalCode.objects.bulk_create(
        [FinalCode(story=story, code=code(slug, key), round=round) for key in keys]
    )
    if count:
        facts.update([story.pk])


def build_coded_campaign(org, other_org, n=90, seed=6) -> CodedCampaign:
    rng = random.Random(seed)
    campaign = Campaign.objects.create(
        name="Mangomomenten 2018",
        slug="mango-2018",
        opens_on=date(2018, 2, 1),
        closes_on=date(2018, 12, 31),
    )
    campaign.organisations.set([org, other_org])
    units = [
        Unit.objects.create(organisation=org, name="Oncologie", slug="onco-r", oncological=True),
        Unit.objects.create(organisation=org, name="Geriatrie", slug="geri-r"),
        Unit.objects.create(organisation=other_org, name="Afdeling 1", slug="afd-1"),
    ]
    coders = [make_user("coder-a", "researcher"), make_user("coder-b", "researcher")]
    round = CodingRound.objects.create(
        name="Ronde 1",
        codebook=Codebook.objects.get(slug="dimensions"),
        status="closed",
        closed_at=timezone.now(),
    )
    for coder in coders:
        RoundCoder.objects.create(round=round, user=coder)
    weights = [w for *_, w in TELLERS]
    # Plan first (the same random draws in the same order), then write in bulk and count the
    # analysis tables once, as a lifecycle step does.
    analysed, plans = [], []
    for _ in range(n):
        role, onco, _ = rng.choices(TELLERS, weights)[0]
        unit = rng.choice(units)
        analysed.append(
            new_story(
                unit.organisation,
                unit=unit,
                campaign=campaign,
                teller_role=role,
                oncological=onco,
                setting=rng.choice(["hospital", "residential"]),
                source=rng.choice(["form", "form", "import"]),
                submitted_at=datetime(2018, rng.randint(2, 9), rng.randint(1, 28), 12, tzinfo=UTC),
            )
        )
        plan = []
        plans.append(plan)
        r = rng.random()
        if r < 0.08:
            continue  # not screened yet
        if r < 0.18:
            plan.append(("screening", [rng.choice(REASONS)], None))
            continue
        plan.append(("screening", ["mangomoment"], None))
        if rng.random() < 0.1:
            continue  # included, not coded yet
        keys = [
            k
            for k in DIMENSIONS
            if rng.random() < (0.5 if k in ("respect", "emotional_support") else 0.12)
        ]
        plan.append(("dimensions", keys, round))
        # Two coders coded it; the second misses one code now and then.
        plan.append(
            ("coders", [keys if j == 0 or rng.random() < 0.8 else keys[1:] for j in (0, 1)], round)
        )
    left_out = {
        "no_consent": new_story(org, campaign=campaign, consent_research=False),
        "withdrawn": new_story(
            org,
            campaign=campaign,
            consent_research=False,
            status="withdrawn",
            withdrawn_at=timezone.now(),
        ),
        "erased": new_story(
            org,
            campaign=campaign,
            consent_research=False,
            consent_sharing=False,
            status="erased",
            erased_at=timezone.now(),
            text="",
        ),
        "other_campaign": new_story(org),
    }
    Story.objects.bulk_create([*analysed, *left_out.values()])
    assignments, codings = [], []
    for story, plan in zip(analysed, plans, strict=True):
        for slug, keys, in_round in plan:
            if slug != "coders":
                settle(story, slug, keys, in_round, count=False)
                continue
            for coder, given in zip(coders, keys, strict=True):
                assignments.append(
                    Assignment(round=round, story=story, coder=coder, done_at=timezone.now())
                )
                codings += [
                    Coding(round=round, story=story, coder=coder, code=code("dimensions", key))
                    for key in given
                ]
    Assignment.objects.bulk_create(assignments)
    Coding.objects.bulk_create(codings)
    # Stories outside the analysis carry codes too: they must not count anyway.
    for story in left_out.values():
        settle(story, "screening", ["mangomoment"], count=False)
        settle(story, "dimensions", ["respect", "family"], count=False)
    facts.update(story.pk for story in [*analysed, *left_out.values()])
    return CodedCampaign(campaign, org, other_org, units, analysed, left_out, round)


@pytest.fixture
def coded_campaign(org, other_org):
    return build_coded_campaign(org, other_org)


def test_only_stories_with_consent_for_research_that_are_not_erased_are_analysed(coded_campaign):
    source = data.report_input(coded_campaign.campaign)
    ids = set(source.stories["id"])
    assert ids == {s.pk for s in coded_campaign.analysed}
    c = source.collection
    # Received: every story of the campaign, the erased one included.
    assert c.received == len(coded_campaign.analysed) + 3
    assert (c.no_research_consent, c.erased) == (2, 1)
    assert c.organisations == sorted([coded_campaign.org.name, coded_campaign.other_org.name])


def test_the_frame_holds_the_workbench_final_codes(coded_campaign):
    from mango.research import finals

    source = data.report_input(coded_campaign.campaign)
    frame = source.stories.set_index("id")
    ids = [s.pk for s in coded_campaign.analysed]
    screening = finals.screening(ids)
    for pk in ids:
        decided = screening.get(pk)
        expected = None if decided is None else ("included" if decided[0] else "excluded")
        assert frame.loc[pk, "screening"] == expected
        assert frame.loc[pk, "exclusion_reason"] == (decided[1] if decided else None)
    dims = finals.final_codes("dimensions", ids)
    for pk in ids:
        assert frame.loc[pk, "coded"] == (pk in dims)
        present = {k for k in DIMENSIONS if frame.loc[pk, k] == 1}
        assert present == set(dims.get(pk, ()))


def test_the_organisation_scope_keeps_its_own_stories(coded_campaign):
    source = data.report_input(coded_campaign.campaign, coded_campaign.other_org)
    assert set(source.stories["organisation"]) == {coded_campaign.other_org.name}
    assert source.collection.received == sum(
        s.organisation_id == coded_campaign.other_org.pk for s in coded_campaign.analysed
    )


def test_the_agreement_comes_from_the_closed_round(coded_campaign):
    source = data.report_input(coded_campaign.campaign)
    a = source.agreement
    assert a["round"] == "Ronde 1"
    assert a["coders"] == 2
    assert a["units"] > 0
    kappa = a["overall"]["cohen_kappa"]["value"]
    assert 0 < kappa < 1  # the second coder dropped codes now and then


def test_the_frame_gives_the_analysis_module_its_input(coded_campaign):
    source = data.report_input(coded_campaign.campaign)
    frame = source.stories
    included = frame[(frame["screening"] == "included") & frame["coded"]]
    table = analysis.dimension_by_group(
        included.assign(g=analysis.respondent_group(included)), "g", DIMENSIONS
    )
    assert (
        table.stories
        == included["teller_role"].isin(["professional", "patient", "resident", "family"]).sum()
        - (
            (included["teller_role"] != "professional") & (included["oncological"] == "unknown")
        ).sum()
    )


def test_the_frame_holds_each_story_s_attributes(coded_campaign):
    """The attributes travel packed as numbers; a value outside the vocabulary (written around
    the forms) still comes through as it is."""
    odd = coded_campaign.analysed[0]
    StoryFact.objects.filter(story_id=odd.pk).update(teller_role="chaplain", setting="")
    frame = data.report_input(coded_campaign.campaign).stories.set_index("id")
    units = {u.pk: u.name for u in coded_campaign.units}
    for story in Story.objects.filter(pk__in=[s.pk for s in coded_campaign.analysed[1:]]):
        row = frame.loc[story.pk]
        assert (row["teller_role"], row["setting"], row["oncological"], row["source"]) == (
            story.teller_role,
            story.setting,
            story.oncological,
            story.source,
        )
        assert row["submitted_at"] == story.submitted_at.replace(microsecond=0)
        assert row["organisation"] == story.organisation.name
        assert row["unit"] == units.get(story.unit_id)
        assert row["campaign"] == coded_campaign.campaign.name
    assert frame.loc[odd.pk, "teller_role"] == "chaplain"
    assert frame.loc[odd.pk, "setting"] is None
    assert frame.loc[odd.pk, "oncological"] == odd.oncological
