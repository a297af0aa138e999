"""This app's part of ``mango demo_load`` (illustrative data only): two years of four-weekly
Mangomoment pulses for the demo pilot teams, with their actions (a visible shift after the
video workshop of AZ Zonnebloem's oncological day hospital), inspiration modules, two-monthly
reflection sessions, and the network dashboard's settings (two organisations agree to be
named). Safe to run twice: it replaces its own data."""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from mango.organisations.models import Organisation, Unit
from mango.research.models import Code

from . import actions, jobs, shipped
from .models import (
    Action,
    InspirationModule,
    Instrument,
    Item,
    Pulse,
    PulseSettings,
    ReflectionSession,
    SessionProgress,
)

DEMO_ORGS = (
    "az-zonnebloem",
    "clinique-saint-aubin",
    "revalidatie-de-linde",
    "wzc-hof-ter-beke",
    "de-brug",
    "praktijk-het-anker",
)
SHIFT_TEAM = ("az-zonnebloem", "oncologisch-dagziekenhuis")
WEEKS = 104
NAMED = ("az-zonnebloem", "wzc-hof-ter-beke")

MODULES = [
    (
        "een-klein-gebaar",
        {"nl": "Een klein gebaar", "fr": "Un petit geste", "en": "A small gesture"},
        {
            "nl": "Wat is een Mangomoment, en wat niet? Drie verhalen om mee te beginnen.",
            "fr": "Qu'est-ce qu'un Mangomoment, et qu'est-ce qui n'en est pas ? Trois récits "
            "pour commencer.",
            "en": "What is a Mangomoment, and what is not? Three stories to start with.",
        },
    ),
    (
        "de-video-in-drie-momenten",
        {
            "nl": "De video in drie momenten",
            "fr": "La vidéo en trois moments",
            "en": "The video in three moments",
        },
        {
            "nl": "De Mangomoment-video met drie pauzes voor een teamgesprek.",
            "fr": "La vidéo Mangomoment avec trois pauses pour un échange en équipe.",
            "en": "The Mangomoment video with three pauses for a team conversation.",
        },
    ),
    (
        "waarderend-bespreken",
        {
            "nl": "Waarderend bespreken",
            "fr": "Échanger avec appréciation",
            "en": "Appreciative talk",
        },
        {
            "nl": "Vijf vragen om in een teamoverleg te praten over wat goed ging.",
            "fr": "Cinq questions pour parler en réunion d'équipe de ce qui s'est bien passé.",
            "en": "Five questions to talk about what went well in a team meeting.",
        },
    ),
]

TEXTS = [
    "Een collega bracht een kop warme soep voor een familielid dat de hele nacht bleef.",
    "We zetten de lievelingsmuziek van een bewoner op tijdens de verzorging.",
    "Iemand van de schoonmaak bleef even praten met een patiënt die niemand op bezoek kreeg.",
    "Een verpleegkundige schreef een kaartje voor de verjaardag van een patiënt.",
]


def _value(rng, item, level):
    """An answer around ``level`` (0..1 of the scale), with some noise."""
    span = item.scale_max - item.scale_min
    raw = item.scale_min + span * min(1.0, max(0.0, rng.gauss(level, 0.18)))
    return int(round(raw))


@transaction.atomic
def _load(stdout) -> list[int]:
    rng = random.Random(15)
    today = timezone.localdate()
    instrument = shipped.load(Instrument, Item)
    items = list(instrument.items.all())
    orgs = {o.slug: o for o in Organisation.objects.filter(slug__in=DEMO_ORGS)}
    if not orgs:
        stdout.write("Pulse demo: no demo organisations; skipped.")
        return []
    Pulse.objects.filter(organisation__in=orgs.values()).delete()
    Action.objects.filter(organisation__in=orgs.values()).delete()
    InspirationModule.objects.filter(slug__in=[m[0] for m in MODULES]).delete()
    ReflectionSession.objects.filter(title__startswith="Demo:").delete()

    modules = [
        InspirationModule.objects.create(
            slug=slug,
            titles=titles,
            introductions=intro,
            assignments={
                "nl": "Vertel elkaar in duo's over een klein gebaar dat u zag.",
                "fr": "Racontez-vous en duo un petit geste que vous avez vu.",
                "en": "In pairs, tell each other about a small gesture you saw.",
            },
            notes_for_use={
                "nl": "Ongeveer 20 minuten, in een gewoon teamoverleg.",
                "fr": "Environ 20 minutes, lors d'une réunion d'équipe ordinaire.",
                "en": "About 20 minutes, in an ordinary team meeting.",
            },
        )
        for slug, titles, intro in MODULES
    ]
    codes = {c.key: c for c in Code.objects.filter(codebook__slug="mangomoment-model")}
    starts = today - timedelta(weeks=WEEKS)
    answered, texts = 0, []
    for slug, org in orgs.items():
        PulseSettings.objects.update_or_create(
            organisation=org, defaults={"named_in_network": slug in NAMED}
        )
        teams = list(Unit.objects.filter(organisation=org, pilot=True)) or list(
            Unit.objects.filter(organisation=org)[:3]
        )
        if not teams:
            continue
        pulse = Pulse.objects.create(
            organisation=org, instrument=instrument, starts_on=starts, every_weeks=4, open_days=14
        )
        pulse.units.set(teams)
        periods = actions.ensure_periods(pulse, today)
        for team in teams:
            shift = (slug, team.slug) == SHIFT_TEAM
            level = rng.uniform(0.5, 0.65)
            action_at = len(periods) // 2
            for number, period in enumerate(periods):
                if period.closes_on > today:
                    continue  # the open period: for the demo's visitors to answer
                size = rng.randint(3, 11) if not shift else rng.randint(9, 14)
                lift = 0.2 if shift and number > action_at else 0.0
                people = []
                for _ in range(size):
                    person = {
                        item.key: _value(rng, item, level + lift)
                        for item in items
                        if item.kind == "scale"
                    }
                    if rng.random() < 0.15:
                        person["moment"] = rng.choice(TEXTS)
                    people.append(person)
                texts += actions.bulk_answers(period, team, people, "nl")
                answered += size
            # The team's actions: a workshop with the video for the shift team, halfway.
            plan = [
                (0.15, "Kick-off met de inspiratiemodule", "module", modules[0], "act"),
                (0.5, "Workshop met de Mangomoment-video", "workshop", modules[1], "study"),
                (0.75, "Teamoverleg: wat ging goed deze maand?", "team_meeting", modules[2], "do"),
            ]
            for at, title, kind, module, stage in plan if shift else plan[::2]:
                if shift and "video" in title:  # just after the middle period
                    day = periods[action_at].closes_on + timedelta(days=3)
                else:
                    day = starts + timedelta(weeks=int(WEEKS * at))
                action = Action.objects.create(
                    unit=team,
                    organisation=org,
                    title=title,
                    date=day,
                    kind=kind,
                    module=module,
                    pdsa_stage=stage,
                    notes="Demo.",
                )
                action.codes.set(
                    [codes[k] for k in ("professional_level", "leadership_level") if k in codes]
                )
    for n in range(WEEKS // 9):
        session = ReflectionSession.objects.create(
            date=starts + timedelta(weeks=9 * n + 2),
            title=f"Demo: reflectiesessie {n + 1}",
            notes="Illustrative.",
        )
        SessionProgress.objects.bulk_create(
            [
                SessionProgress(
                    session=session,
                    organisation=org,
                    attended=rng.randint(0, 3),
                    progress=min(5, 1 + n // 3 + rng.randint(0, 1)),
                    self_assessment="Demo: drie pilootteams doen mee.",
                    peer_review="Demo: deel de verhalen ook met de nachtploeg.",
                )
                for org in orgs.values()
            ]
        )
    shift_team = Unit.objects.filter(organisation__slug=SHIFT_TEAM[0], slug=SHIFT_TEAM[1]).first()
    where = f" (the shift: /nl/pulse/teams/{shift_team.pk}/)" if shift_team else ""
    stdout.write(
        f"Pulse demo: {answered} pulse responses over two years, actions{where}, "
        f"{len(modules)} inspiration modules, reflection sessions; network dashboard: "
        "/nl/pulse/network/ (coordinator)."
    )
    return texts


def load(stdout) -> None:
    """Called by demo_load after the stories are loaded and moderated."""
    texts = _load(stdout)
    # The free-text answers are de-identified here, after the load (the demo runs no worker).
    jobs.deidentify_answers(texts, limit=len(texts) + 1)
