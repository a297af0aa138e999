"""The learning network's dashboard, RE-AIM style, per organisation: reach (teams active,
staff reached by digests), adoption (pilot teams, teams beyond the pilots), implementation
(actions, inspiration modules, reflections, thank-you notes) and maintenance (activity in the
last 3 and 6 months). Grouped counts only: a few queries whatever the number of organisations.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.apps import apps
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from mango.organisations.models import Organisation, Unit

from . import measures
from .models import Action, PulseSettings, Response, Tally

DIMENSIONS = [
    (
        "reach",
        _("Reach"),
        [
            ("teams_active", _("Teams active (3 months)")),
            ("staff_reached", _("Staff reached by digests (3 months)")),
        ],
    ),
    (
        "adoption",
        _("Adoption"),
        [
            ("pilot_teams", _("Pilot teams")),
            ("teams_beyond", _("Teams beyond the pilots taking part")),
        ],
    ),
    (
        "implementation",
        _("Implementation"),
        [
            ("actions", _("Actions logged")),
            ("modules", _("Inspiration modules used")),
            ("reflections", _("Team reflections")),
            ("thanks", _("Thank-you notes sent")),
        ],
    ),
    (
        "maintenance",
        _("Maintenance"),
        [("active_3m", _("Activity, last 3 months")), ("active_6m", _("Activity, last 6 months"))],
    ),
]
METRICS = [key for _d, _l, metrics in DIMENSIONS for key, _label in metrics]


@dataclass
class Row:
    organisation_id: int
    name: str
    named: bool  # its name may be shown to other organisations
    figures: dict


def figures(today: date | None = None) -> list[Row]:
    from mango.culture.models import Reflection
    from mango.recognition.models import ThankYouNote

    today = today or date.today()
    d3, d6 = today - timedelta(days=91), today - timedelta(days=183)
    orgs = list(Organisation.objects.values_list("pk", "name"))
    out = {pk: defaultdict(int) for pk, _n in orgs}
    pilot = {}
    for pk, org, is_pilot in Unit.objects.values_list("pk", "organisation_id", "pilot"):
        pilot[pk] = (org, is_pilot)
        if is_pilot:
            out[org]["pilot_teams"] += 1

    active3, active6 = set(), set()
    sources = [
        (Tally.objects.filter(opens_on__gte=d6, respondents__gt=0), "unit_id", "opens_on"),
        (Action.objects.filter(date__gte=d6), "unit_id", "date"),
        (Reflection.objects.filter(created_at__date__gte=d6), "unit_id", "created_at__date"),
        (
            ThankYouNote.objects.filter(sent_at__date__gte=d6, unit__isnull=False),
            "unit_id",
            "sent_at__date",
        ),
    ]
    for queryset, unit_field, when in sources:
        for unit_id, day in queryset.values_list(unit_field, when).distinct():
            active6.add(unit_id)
            if day >= d3:
                active3.add(unit_id)
    for unit_id in active3:
        out[pilot[unit_id][0]]["teams_active"] += 1
    for unit_id in active6:
        org, is_pilot = pilot[unit_id]
        if not is_pilot:
            out[org]["teams_beyond"] += 1

    def add(metric, rows):
        for org, n in rows:
            if org in out:
                out[org][metric] += n

    add("actions", Action.objects.values_list("organisation_id").annotate(n=Count("pk")))
    add(
        "modules",
        Action.objects.filter(module__isnull=False)
        .values_list("organisation_id")
        .annotate(n=Count("module", distinct=True)),
    )
    add(
        "reflections",
        Reflection.objects.values_list("unit__organisation_id").annotate(n=Count("pk")),
    )
    add(
        "thanks",
        ThankYouNote.objects.filter(sent_at__isnull=False, unit__isnull=False)
        .values_list("unit__organisation_id")
        .annotate(n=Count("pk")),
    )
    for metric, since in (("active_3m", d3), ("active_6m", d6)):
        add(
            metric,
            Action.objects.filter(date__gte=since)
            .values_list("organisation_id")
            .annotate(n=Count("pk")),
        )
        add(
            metric,
            Reflection.objects.filter(created_at__date__gte=since)
            .values_list("unit__organisation_id")
            .annotate(n=Count("pk")),
        )
        add(
            metric,
            ThankYouNote.objects.filter(sent_at__date__gte=since, unit__isnull=False)
            .values_list("unit__organisation_id")
            .annotate(n=Count("pk")),
        )
        add(
            metric,
            Response.objects.filter(period__opens_on__gte=since)
            .values_list("period__pulse__organisation_id")
            .annotate(n=Count("pk")),
        )
    try:
        delivery = apps.get_model("recognition", "DigestDelivery")
    except LookupError:  # the digests are not there yet
        delivery = None
    if delivery is not None:
        from mango.accounts.models import Membership

        add(
            "staff_reached",
            Membership.objects.filter(
                organisation__isnull=False,
                user__in=delivery.objects.filter(sent_at__date__gte=d3, empty=False).values("user"),
            )
            .values_list("organisation_id")
            .annotate(n=Count("user", distinct=True)),
        )
    named = set(
        PulseSettings.objects.filter(named_in_network=True).values_list(
            "organisation_id", flat=True
        )
    )
    return [Row(pk, name, pk in named, {m: out[pk][m] for m in METRICS}) for pk, name in orgs]


def medians(rows: list[Row]) -> dict:
    return {m: measures.median(row.figures[m] for row in rows) for m in METRICS}


def maxima(rows: list[Row]) -> dict:
    return {m: max([row.figures[m] for row in rows] or [0]) for m in METRICS}


def visible(rows: list[Row], access) -> list[Row]:
    """What a user may see: every organisation for the network's coordinator and
    administrators; otherwise their own organisations and those that agreed to be named."""
    if access.coordinates:
        return rows
    return [r for r in rows if r.organisation_id in access.member_orgs or r.named]
