"""The learning network's dashboard, RE-AIM style, per organisation: reach (teams active,
staff reached by digests), adoption (pilot teams, teams beyond the pilots), implementation
(actions, inspiration modules, reflections, thank-you notes) and maintenance (activity in the
last 3 and 6 months). Grouped counts only: a few queries whatever the number of organisations.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mango.organisations.models import Organisation, Unit

from . import measures
from .models import Action, Item, PulseSettings, Tally

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


def _moment(day: date):
    return timezone.make_aware(datetime.combine(day, time.min))


def first_scale_items() -> list[int]:
    """Each instrument's first scale item: its tallies count every respondent once (a
    response counts in the tallies of all the instrument's scale items)."""
    seen, out = set(), []
    for pk, instrument_id in (
        Item.objects.filter(kind="scale")
        .order_by("instrument_id", "order", "pk")
        .values_list("pk", "instrument_id")
    ):
        if instrument_id not in seen:
            seen.add(instrument_id)
            out.append(pk)
    return out


def figures(today: date | None = None) -> list[Row]:
    from mango.culture.models import Reflection
    from mango.recognition.models import ThankYouNote

    today = today or timezone.localdate()
    d3, d6 = today - timedelta(days=91), today - timedelta(days=183)
    t3, t6 = _moment(d3), _moment(d6)
    orgs = list(Organisation.objects.values_list("pk", "name"))
    out = {pk: defaultdict(int) for pk, _n in orgs}
    pilot = {}
    for pk, org, is_pilot in Unit.objects.values_list("pk", "organisation_id", "pilot"):
        pilot[pk] = (org, is_pilot)
        if is_pilot:
            out[org]["pilot_teams"] += 1

    first_items = first_scale_items()
    cells = Tally.objects.filter(item_id__in=first_items, respondents__gt=0)
    notes = ThankYouNote.objects.filter(sent_at__isnull=False, unit__isnull=False)
    active3, active6 = set(), set()
    sources = [
        (cells.filter(opens_on__gte=d6).values_list("unit_id", "opens_on"), d3),
        (Action.objects.filter(date__gte=d6).values_list("unit_id", "date"), d3),
        (Reflection.objects.filter(created_at__gte=t6).values_list("unit_id", "created_at"), t3),
        (notes.filter(sent_at__gte=t6).values_list("unit_id", "sent_at"), t3),
    ]
    for rows, recent in sources:
        for unit_id, when in rows:
            active6.add(unit_id)
            if when >= recent:
                active3.add(unit_id)
    for unit_id in active3:
        out[pilot[unit_id][0]]["teams_active"] += 1
    for unit_id in active6:
        org, is_pilot = pilot[unit_id]
        if not is_pilot:
            out[org]["teams_beyond"] += 1

    def add(metric, rows):
        for org, n in rows:
            if org in out and n:
                out[org][metric] += n

    by_org = ("organisation_id",)
    by_unit_org = ("unit__organisation_id",)
    add("actions", Action.objects.values_list(*by_org).annotate(n=Count("pk")))
    add(
        "modules",
        Action.objects.filter(module__isnull=False)
        .values_list(*by_org)
        .annotate(n=Count("module", distinct=True)),
    )
    add("reflections", Reflection.objects.values_list(*by_unit_org).annotate(n=Count("pk")))
    add("thanks", notes.values_list(*by_unit_org).annotate(n=Count("pk")))
    for metric, since, moment in (("active_3m", d3, t3), ("active_6m", d6, t6)):
        add(
            metric,
            Action.objects.filter(date__gte=since).values_list(*by_org).annotate(n=Count("pk")),
        )
        add(
            metric,
            Reflection.objects.filter(created_at__gte=moment)
            .values_list(*by_unit_org)
            .annotate(n=Count("pk")),
        )
        add(
            metric,
            notes.filter(sent_at__gte=moment).values_list(*by_unit_org).annotate(n=Count("pk")),
        )
        # Pulse responses: people who answered, from the tallies.
        add(
            metric,
            cells.filter(opens_on__gte=since).values_list(*by_org).annotate(n=Sum("respondents")),
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
                user__in=delivery.objects.filter(sent_at__gte=t3, empty=False).values("user"),
            )
            .values_list(*by_org)
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
