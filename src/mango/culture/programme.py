"""The programme's shape per organisation: wave, ambassadors, pilot teams, the checklist
(``lib/programme``), recent activity, and what teams name in their reflections. Changes are
audited in the same transaction."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from mango.accounts.models import Membership
from mango.audit.log import record
from mango.lib import programme
from mango.organisations.models import Organisation, Unit, Wave
from mango.research.models import Code

from .models import Reflection, Touch
from .visible import shared_stories

MODEL_CODEBOOK = "mangomoment-model"
# The Mangomoment model's preconditions: one code per level (patient, professional,
# leadership) under this code; catalysts and further preconditions go under each level.
PRECONDITIONS = "preconditions"


# --- reading -------------------------------------------------------------------------------


def ambassadors(organisation):
    return (
        get_user_model()
        .objects.filter(memberships__organisation=organisation, memberships__role="ambassador")
        .order_by("first_name", "username")
        .distinct()
    )


def staff(organisation):
    """Users with any role in the organisation: those who can become an ambassador."""
    return (
        get_user_model()
        .objects.filter(memberships__organisation=organisation)
        .order_by("first_name", "username")
        .distinct()
    )


def checklists(organisations) -> dict[int, programme.Checklist]:
    """The checklist of each organisation, in two grouped queries."""
    ids = [o.pk for o in organisations]
    counts = dict(
        Membership.objects.filter(organisation_id__in=ids, role="ambassador")
        .values("organisation_id")
        .annotate(n=Count("user_id", distinct=True))
        .values_list("organisation_id", "n")
    )
    pilots = defaultdict(list)
    for org_id, onco in Unit.objects.filter(organisation_id__in=ids, pilot=True).values_list(
        "organisation_id", "oncological"
    ):
        pilots[org_id].append(onco)
    return {pk: programme.checklist(counts.get(pk, 0), pilots[pk]) for pk in ids}


@dataclass
class Activity:
    stories_shared: int = 0
    reflections: int = 0
    touches: int = 0


def activity_since() -> datetime:
    start = programme.months_back(timezone.localdate())
    return timezone.make_aware(datetime.combine(start, time.min))


def activity(organisations) -> dict[int, Activity]:
    """Shared stories, reflections and touches of each organisation in the last months (see
    ``lib/programme.ACTIVITY_MONTHS``), one grouped query each. Stories no longer shared
    (withdrawn, erased) do not count."""
    ids = [o.pk for o in organisations]
    since = activity_since()
    out = {pk: Activity() for pk in ids}

    def grouped(queryset, key):
        return queryset.values(key).annotate(n=Count("id")).values_list(key, "n")

    shown = shared_stories().filter(organisation_id__in=ids)
    for pk, n in grouped(shown.filter(shared_at__gte=since), "organisation_id"):
        out[pk].stories_shared = n
    reflections = Reflection.objects.filter(unit__organisation_id__in=ids, created_at__gte=since)
    for pk, n in grouped(reflections, "unit__organisation_id"):
        out[pk].reflections = n
    touches = Touch.objects.filter(story__in=shown, created_at__gte=since)
    for pk, n in grouped(touches, "story__organisation_id"):
        out[pk].touches = n
    return out


@dataclass
class Level:
    code: Code
    codes: list = field(default_factory=list)  # the level's code first, then those under it


def model_levels() -> list[Level]:
    """The preconditions and catalysts of the Mangomoment model, grouped by level (patient,
    professional, leadership), from the model codebook; empty if it is not loaded."""
    codes = list(
        Code.objects.filter(codebook__slug=MODEL_CODEBOOK, active=True).order_by("order", "pk")
    )
    children = defaultdict(list)
    for code in codes:
        children[code.parent_id].append(code)
    root = next((c for c in codes if c.key == PRECONDITIONS and c.parent_id is None), None)
    if root is None:
        return []

    def below(code):
        for child in children[code.pk]:
            yield child
            yield from below(child)

    return [Level(level, [level, *below(level)]) for level in children[root.pk]]


def model_code_ids() -> set[int]:
    return {code.pk for level in model_levels() for code in level.codes}


def named_codes(organisation) -> list[tuple[Code, int]]:
    """The preconditions and catalysts the organisation's teams named in their reflections,
    most named first."""
    counts = dict(
        Reflection.codes.through.objects.filter(reflection__unit__organisation=organisation)
        .values("code_id")
        .annotate(n=Count("id"))
        .values_list("code_id", "n")
    )
    codes = Code.objects.in_bulk(counts.keys())
    ranked = programme.most_named({str(pk): n for pk, n in counts.items()})
    return [(codes[int(pk)], n) for pk, n in ranked if int(pk) in codes]


# --- changing ------------------------------------------------------------------------------


def set_wave(actor, organisation: Organisation, wave: Wave | None, joined_on=None):
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=organisation.pk)
        old = {"wave": org.wave_id, "joined_on": str(org.joined_on or "")}
        org.wave, org.joined_on = wave, joined_on
        org.save(update_fields=["wave", "joined_on"])
        record(
            actor,
            "organisation.changed",
            org,
            organisation=org,
            old=old,
            new={"wave": org.wave_id, "joined_on": str(org.joined_on or "")},
        )
    return org


def set_ambassador(actor, organisation: Organisation, user, on: bool) -> bool:
    """Give or take the ambassador role; only to staff of the organisation. Returns whether
    anything changed."""
    if on and not Membership.objects.filter(user=user, organisation=organisation).exists():
        raise ValueError("Only staff of the organisation can become its ambassador.")
    with transaction.atomic():
        existing = Membership.objects.filter(
            user=user, organisation=organisation, role="ambassador"
        )
        if on == existing.exists():
            return False
        if on:
            membership = Membership.objects.create(
                user=user, organisation=organisation, role="ambassador"
            )
        else:
            membership = existing.get()
            existing.delete()
        record(
            actor,
            "membership.changed",
            membership,
            organisation=organisation,
            old={"user": user.pk, "role": None if on else "ambassador"},
            new={"user": user.pk, "role": "ambassador" if on else None},
        )
    return True


def set_pilot(actor, unit: Unit, on: bool) -> bool:
    with transaction.atomic():
        unit = Unit.objects.select_for_update().get(pk=unit.pk)
        if unit.pilot == on:
            return False
        unit.pilot = on
        unit.save(update_fields=["pilot"])
        record(
            actor,
            "organisation.changed",
            unit,
            organisation=unit.organisation,
            old={"pilot": not on},
            new={"pilot": on},
        )
    return True
