"""This app's part of ``mango demo_load`` (illustrative data only): two waves, the demo
organisations in them, ambassadors and pilot teams, shared stories in their team feeds,
touches, team reflections, and a story wall with a fixed (illustrative) link."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from mango.accounts.models import Membership
from mango.organisations.models import Organisation, Unit, Wave
from mango.stories.models import Story

from . import programme, reflections, teams, visible, walls
from .models import Reflection, StoryUnit, Touch, WallLink

DEMO_PASSWORD = "mango-demo"  # noqa: S105 - the demo's documented password
# The demo wall's secret is fixed so the printed link works after every reload. Demo only:
# real walls get a random secret (walls.create).
DEMO_WALL_SECRET = "demo-wall-az-zonnebloem-oncologie"  # noqa: S105

WAVES = [
    ("golf-2019", "Golf 2019", date(2019, 10, 1)),
    ("golf-2022", "Golf 2022", date(2022, 1, 1)),
]
# organisation -> (wave, joined on, pilot units)
PROGRAMME = {
    "az-zonnebloem": (
        "golf-2019",
        date(2019, 11, 4),
        ["oncologisch-dagziekenhuis", "cardiologie", "intensieve-zorg"],
    ),
    "wzc-hof-ter-beke": ("golf-2019", date(2019, 11, 4), ["de-vlinder", "de-boomgaard"]),
    "de-brug": ("golf-2019", date(2020, 1, 13), []),
    "praktijk-het-anker": ("golf-2019", date(2020, 1, 13), ["praktijkteam"]),
    "clinique-saint-aubin": ("golf-2022", date(2022, 2, 7), ["oncologie", "geriatrie"]),
    "revalidatie-de-linde": (
        "golf-2022",
        date(2022, 2, 7),
        ["neurorevalidatie", "oncorevalidatie"],
    ),
}
# Extra demo users: username, first name, role, organisation, unit (team members).
USERS = [
    ("sofie", "Sofie", "ambassador", "az-zonnebloem", None),
    ("jonas", "Jonas", "team_member", "az-zonnebloem", "cardiologie"),
    ("coordinator", "Nina", "network_coordinator", None, None),
]
REFLECTIONS = [
    (
        "oncologisch-dagziekenhuis",
        "Een collega nam de tijd om te luisteren voor de behandeling begon.",
        "Rust in de planning en een hoofdverpleegkundige die zegt: doe het gewoon.",
        ["professional_level", "leadership_level"],
        "Elke ochtend vijf minuten zonder planning voor wie dat nodig heeft.",
    ),
    (
        "oncologisch-dagziekenhuis",
        "De patiënt vertelde wat haar bezighield, en wij deden er iets mee.",
        "Zij durfde het te vertellen; wij kenden haar al van vorige behandelingen.",
        ["patient_level", "professional_level"],
        "Vaste verpleegkundige per patiënt waar het kan.",
    ),
    (
        "cardiologie",
        "Een familielid mocht 's nachts blijven.",
        "De afdeling liet de regels even los.",
        ["leadership_level"],
        "Bespreken op het teamoverleg wanneer een uitzondering kan.",
    ),
]


def load(stdout) -> None:
    """Called by demo_load after the stories are loaded and moderated."""
    with transaction.atomic():
        units, users = _programme()
        linked = _story_teams(units, users["manager"])
        shown = list(
            visible.shared_stories_for_organisation(
                units["oncologisch-dagziekenhuis"].organisation
            ).order_by("pk")
        )
        touches = _touches(shown, [users["nurse"], users["jonas"], users["sofie"]])
        made = _reflections(shown, units, users)
        _wall(units["oncologisch-dagziekenhuis"], users["sofie"])
    with translation.override("nl"):
        url = settings.PUBLIC_URL + reverse("culture:wall", args=[DEMO_WALL_SECRET])
    stdout.write(
        f"Culture: waves {', '.join(name for _s, name, _d in WAVES)}; {linked} shared stories "
        f"in team feeds, {touches} touches, {made} team reflections."
    )
    stdout.write(
        "  extra demo users (password mango-demo): sofie (ambassador, AZ Zonnebloem), "
        "jonas (team member, Cardiologie), coordinator (network coordinator); "
        "nurse is a team member of the Oncologisch dagziekenhuis."
    )
    stdout.write(f"Demo story wall (no sign-in): {url}")


def _programme():
    waves = {}
    for slug, name, starts in WAVES:
        waves[slug], _ = Wave.objects.update_or_create(
            slug=slug, defaults={"name": name, "starts_on": starts}
        )
    units = {}
    for org in Organisation.objects.filter(slug__in=PROGRAMME):
        wave, joined, pilots = PROGRAMME[org.slug]
        org.wave, org.joined_on = waves[wave], joined
        org.save(update_fields=["wave", "joined_on"])
        org.units.update(pilot=False)
        org.units.filter(slug__in=pilots).update(pilot=True)
        for unit in org.units.all():
            units.setdefault(unit.slug, unit)
    User = get_user_model()
    users = {u.username: u for u in User.objects.filter(username__in=["manager", "nurse"])}
    for username, first, role, org_slug, unit_slug in USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "email": f"{username}@demo.invalid"}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        org = Organisation.objects.filter(slug=org_slug).first() if org_slug else None
        Membership.objects.update_or_create(
            user=user,
            organisation=org,
            role=role,
            defaults={"unit": units.get(unit_slug) if unit_slug else None},
        )
        users[username] = user
    # The demo nurse works on the oncology day hospital (its team feed).
    Membership.objects.filter(
        user=users["nurse"], role="team_member", organisation__slug="az-zonnebloem"
    ).update(unit=units["oncologisch-dagziekenhuis"])
    return units, users


def _story_teams(units, manager) -> int:
    """Shared AZ Zonnebloem stories told without a unit go to a pilot team, as a moderator
    would set them (audited); those told through a unit's link are already in its feed."""
    az = units["oncologisch-dagziekenhuis"].organisation
    pilots = list(Unit.objects.filter(organisation=az, pilot=True).order_by("name"))
    shown = visible.shared_stories_for_organisation(az).filter(illustrative=True).order_by("pk")
    for i, story in enumerate(shown.exclude(team_links__isnull=False)):
        onco = story.oncological == "yes"
        choice = units["oncologisch-dagziekenhuis"] if onco else pilots[i % len(pilots)]
        teams.set_units(manager, story, [choice])
    return StoryUnit.objects.filter(story__in=shown).values("story").distinct().count()


def _touches(shown: list[Story], people) -> int:
    rows = [
        Touch(story=story, user=person)
        for i, story in enumerate(shown)
        for j, person in enumerate(people)
        if (i + j) % 3 != 0
    ]
    Touch.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _reflections(shown: list[Story], units, users) -> int:
    codes = {c.key: c for level in programme.model_levels() for c in level.codes}
    if not codes:
        return 0
    Reflection.objects.filter(story__illustrative=True).delete()  # a reload starts afresh
    made = 0
    for (unit_slug, happened, possible, keys, idea), story in zip(REFLECTIONS, shown, strict=False):
        unit = units[unit_slug]
        author = users["nurse"] if unit_slug == "oncologisch-dagziekenhuis" else users["jonas"]
        reflections.record_reflection(
            author,
            story,
            unit,
            what_happened=happened,
            made_possible=possible,
            action_idea=idea,
            codes=[codes[k] for k in keys if k in codes],
        )
        made += 1
    return made


def _wall(unit, ambassador):
    WallLink.objects.filter(token_hash=walls.hash_secret(DEMO_WALL_SECRET)).delete()
    walls.create(ambassador, unit.organisation, unit, "Demo: wachtzaal", secret=DEMO_WALL_SECRET)
