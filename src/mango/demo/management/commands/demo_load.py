"""``mango demo load``: organisations, units, a campaign, demo users and illustrative stories."""

import json
import random
from datetime import timedelta
from importlib import import_module, resources

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from mango.accounts.models import Membership
from mango.organisations.models import Campaign, Organisation, Unit
from mango.stories.models import Story

DEMO_PASSWORD = "mango-demo"  # noqa: S105 - printed on purpose: demo accounts only
CAMPAIGN_SLUG = "mangomomenten-demo"
USERS = [
    # username, first name, role, organisation key (None: network-wide)
    ("admin", "Ada", "administrator", None),
    ("researcher", "Rik", "researcher", None),
    ("coder1", "Cas", "researcher", None),
    ("coder2", "Chloé", "researcher", None),
    ("manager", "Mira", "manager", "az-zonnebloem"),
    ("ambassador", "Bram", "ambassador", "wzc-hof-ter-beke"),
    ("nurse", "Nele", "team_member", "az-zonnebloem"),
]


def _read(name):
    return json.loads(resources.files("mango.demo").joinpath(name).read_text("utf-8"))


class Command(BaseCommand):
    help = "Load illustrative demo data (safe to run twice: it replaces the demo stories)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--moderate",
            action="store_true",
            help="also de-identify the stories and share some, as a moderator would",
        )
        parser.add_argument(
            "--train",
            action="store_true",
            help="also train the screening and dimension models on the demo's final codes "
            "and suggest codes for every story (a minute or so)",
        )

    def handle(self, *args, moderate=False, train=False, **options):
        self.load()
        if moderate:
            self.moderate()
        if train:
            self.train()
        # Building and measuring the culture, and consensus: each app loads its own part.
        for name in ("culture", "recognition", "pulse", "consensus"):
            import_module(f"mango.{name}.demo").load(self.stdout)

    def train(self):
        """Train both models as the demo researcher would, here rather than on the queue (the
        demo runs no worker), and suggest codes for every story."""
        from mango.classify import suggestions, training
        from mango.classify.models import TrainedModel
        from mango.research.models import Codebook

        researcher = get_user_model().objects.get(username="researcher")
        for slug, kind in (("screening", "screening"), ("dimensions", "labels")):
            tm = TrainedModel.objects.create(
                codebook=Codebook.objects.get(slug=slug), kind=kind, created_by=researcher
            )
            tm = training.train(tm.pk)
            if tm.status != "ready":
                raise CommandError(f"Training the demo's {slug} model failed: {tm.message}")
            made = suggestions.suggest_all(tm)
            self.stdout.write(f"Trained the {slug} model; suggestions for {made} stories.")

    def moderate(self):
        """De-identify every demo story, then let the demo manager share about two in three of
        AZ Zonnebloem's (with consent) and keep a few back, so every screen has something."""
        from mango.lifecycle import actions

        actions.deidentify_waiting()  # in case the queued job has not run (no worker)
        done = Story.objects.filter(illustrative=True, deidentified_at__isnull=False).count()
        manager = get_user_model().objects.get(username="manager")
        waiting = Story.objects.filter(
            illustrative=True,
            organisation__slug="az-zonnebloem",
            consent_sharing=True,
            status="deidentified",
        ).order_by("pk")
        shared = 0
        for i, story in enumerate(waiting):
            if i % 3 == 2:
                continue  # left in the queue for the demo moderator
            actions.review_story(
                manager,
                story,
                shareable=i % 7 != 0,
                reason="Demo: checked the redactions." if i % 7 else "Demo: too recognisable.",
            )
            shared += i % 7 != 0
        self.stdout.write(f"De-identified {done} stories; shared {shared} as the demo manager.")

    @transaction.atomic
    def load(self):
        today = timezone.localdate()
        orgs, units = {}, {}
        for item in _read("organisations.json")["organisations"]:
            org, _ = Organisation.objects.update_or_create(
                slug=item["key"],
                defaults={"name": item["name"], "kind": item["kind"], "language": item["language"]},
            )
            orgs[item["key"]] = org
            for u in item["units"]:
                unit, _ = Unit.objects.update_or_create(
                    organisation=org,
                    slug=u["key"],
                    defaults={"name": u["name"], "oncological": u["oncological"]},
                )
                units[(item["key"], u["key"])] = unit
        campaign, _ = Campaign.objects.update_or_create(
            slug=CAMPAIGN_SLUG,
            defaults={
                "name": "Mangomomenten 2026 (demo)",
                "description": "Illustrative campaign for the demo.",
                "opens_on": today - timedelta(days=300),
                "closes_on": None,
            },
        )
        campaign.organisations.set(orgs.values())

        User = get_user_model()
        for username, first, role, org_key in USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": first, "email": f"{username}@demo.invalid"},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
            user.is_staff = user.is_superuser = role == "administrator"
            user.save()
            Membership.objects.get_or_create(user=user, organisation=orgs.get(org_key), role=role)

        from mango.lifecycle import actions

        actions.delete_stories(Story.objects.filter(illustrative=True))
        rng = random.Random(2026)  # the same dates on every load
        now = timezone.now()
        stories = []
        for item in _read("stories.json")["stories"]:
            org = orgs.get(item["organisation"])
            unit = units.get((item["organisation"], item["unit"])) if item["unit"] else None
            stories.append(
                Story(
                    text=item["text"],
                    language=item["language"],
                    teller_role=item["teller_role"],
                    setting=item["setting"],
                    oncological=item["oncological"],
                    happened=item["happened"],
                    gesture_by=item["gesture_by"],
                    organisation=org,
                    unit=unit,
                    campaign=campaign if org else None,
                    consent_research=item["consent_research"],
                    consent_sharing=item["consent_sharing"],
                    source="demo",
                    illustrative=True,
                    submitted_at=now - timedelta(minutes=rng.randint(60, 290 * 24 * 60)),
                )
            )
        actions.add_stories(stories)
        from mango.demo.rounds import load_rounds

        rounds = load_rounds(stories, _read("stories.json")["stories"])
        self.stdout.write(
            f"Demo data: {len(orgs)} organisations, {len(units)} units, campaign "
            f"'{campaign.slug}', {len(stories)} illustrative stories."
        )
        for line in rounds:
            self.stdout.write(f"Coding round {line}.")
        self.stdout.write(f"Demo users (password for all: {DEMO_PASSWORD}):")
        for username, _first, role, org_key in USERS:
            where = orgs[org_key].name if org_key else "network-wide"
            self.stdout.write(f"  {username:<11} {role:<14} {where}")
