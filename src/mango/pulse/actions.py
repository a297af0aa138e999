"""The pulse app's writes, one function each, in one transaction with their audit row.

Answers are written by ``submit_answers``: the response, its answers and the tallies the pages
read, together; free text is de-identified afterwards by a background job (``jobs.py``).
"""

from __future__ import annotations

import hashlib

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from mango.audit import log

from . import measures
from .models import (
    Action,
    Answer,
    Instrument,
    Item,
    Period,
    Pulse,
    PulseSettings,
    Response,
    Tally,
    UsedToken,
)


class AlreadyAnswered(Exception):
    """The form's one-time token was used before (a double tap, or the back button)."""


def ensure_periods(pulse: Pulse, today=None) -> list[Period]:
    """The pulse's periods up to today, creating those that are missing."""
    today = today or timezone.localdate()
    have = {p.number: p for p in pulse.periods.all()}
    missing = [
        Period(pulse=pulse, number=number, opens_on=opens, closes_on=closes)
        for number, opens, closes in measures.schedule(
            pulse.starts_on, pulse.every_weeks, pulse.open_days, today
        )
        if number not in have
    ]
    if missing and pulse.active:
        Period.objects.bulk_create(missing, ignore_conflicts=True)
        return list(pulse.periods.all())
    return sorted(have.values(), key=lambda p: p.number)


def open_period(pulse: Pulse, today=None) -> Period | None:
    today = today or timezone.localdate()
    if not pulse.active:
        return None
    for period in reversed(ensure_periods(pulse, today)):
        if period.is_open(today):
            return period
    return None


def setup_pulse(user, organisation, instrument, units, *, every_weeks, open_days, starts_on):
    """An ambassador starts a recurring pulse for some of the organisation's teams."""
    if any(unit.organisation_id != organisation.pk for unit in units):
        raise ValueError("Every team must belong to the organisation.")
    if instrument.organisation_id not in (None, organisation.pk):
        raise ValueError("The instrument belongs to another organisation.")
    measures.schedule(starts_on, every_weeks, open_days, starts_on)  # checks the numbers
    with transaction.atomic():
        pulse = Pulse.objects.create(
            organisation=organisation,
            instrument=instrument,
            every_weeks=every_weeks,
            open_days=open_days,
            starts_on=starts_on,
            created_by=user,
        )
        pulse.units.set(units)
        log.record(
            user,
            "organisation.changed",
            pulse,
            organisation=organisation,
            new={
                "pulse": pulse.pk,
                "instrument": instrument.slug,
                "units": sorted(u.pk for u in units),
                "every_weeks": every_weeks,
            },
            note="pulse check set up",
        )
    ensure_periods(pulse)
    return pulse


def stop_pulse(user, pulse: Pulse) -> None:
    with transaction.atomic():
        pulse.active = False
        pulse.save(update_fields=["active"])
        log.record(
            user,
            "organisation.changed",
            pulse,
            organisation=pulse.organisation,
            old={"active": True},
            new={"active": False},
            note="pulse check stopped",
        )


def token_hash(nonce: str) -> str:
    return hashlib.sha256(f"mango.pulse:{nonce}".encode()).hexdigest()


def submit_answers(period: Period, unit, language: str, values: dict, texts: dict, nonce: str):
    """Store one person's answers: ``values`` maps scale items to a value (or None when
    skipped), ``texts`` maps free-text items to text. Raises ``AlreadyAnswered`` when the
    form's token was used. Returns the ids of the free-text answers to de-identify."""
    items = list(period.pulse.instrument.items.all())
    scale = [item for item in items if item.kind == "scale"]
    for item in scale:
        value = values.get(item.pk)
        # Every scale question is answered: each result then counts the same people, those
        # the k rule counts (a result from fewer people than the team's total could leak).
        if value is None:
            raise ValueError(f"{item.key} is not answered")
        if value not in item.values():
            raise ValueError(f"{value} is not on the scale of {item.key}")
    with transaction.atomic():
        try:
            with transaction.atomic():
                UsedToken.objects.create(period=period, token_hash=token_hash(nonce))
        except IntegrityError:
            raise AlreadyAnswered from None
        response = Response.objects.create(period=period, unit=unit, language=language[:2])
        answers = [
            Answer(response=response, item=item, value=values[item.pk])
            for item in scale
            if values.get(item.pk) is not None
        ]
        written = [
            Answer(response=response, item=item, text=texts[item.pk].strip())
            for item in items
            if item.kind == "text" and texts.get(item.pk, "").strip()
        ]
        Answer.objects.bulk_create(answers + written)
        for item in scale:
            tally, _ = Tally.objects.select_for_update().get_or_create(
                period=period,
                unit=unit,
                item=item,
                defaults={
                    "organisation_id": unit.organisation_id,
                    "opens_on": period.opens_on,
                    "counts": [0] * len(item.values()),
                },
            )
            tally.respondents += 1
            value = values.get(item.pk)
            if value is not None:
                counts = list(tally.counts) or [0] * len(item.values())
                counts[value - item.scale_min] += 1
                tally.counts = counts
            tally.save(update_fields=["respondents", "counts"])
    return [answer.pk for answer in written]


def forget_tokens(today=None) -> int:
    """Tokens of closed periods are no longer needed (the period takes no answers)."""
    today = today or timezone.localdate()
    deleted, _ = UsedToken.objects.filter(period__closes_on__lt=today).delete()
    return deleted


def save_settings(user, organisation, *, k: int, named_in_network: bool) -> PulseSettings:
    from mango.lib import anonymity

    if k < anonymity.MIN_K:
        raise ValueError(f"k must be at least {anonymity.MIN_K}")
    with transaction.atomic():
        current, _ = PulseSettings.objects.select_for_update().get_or_create(
            organisation=organisation
        )
        old = {"k": current.k, "named_in_network": current.named_in_network}
        current.k, current.named_in_network = k, named_in_network
        current.save()
        log.record(
            user,
            "organisation.changed",
            organisation,
            organisation=organisation,
            old=old,
            new={"k": k, "named_in_network": named_in_network},
            note="pulse settings",
        )
    return current


def record_action(user, unit, *, title, date, kind, pdsa_stage, notes="", codes=(), module=None):
    """A team's action in its log (shown on its charts)."""
    title = (title or "").strip()
    if not title:
        raise ValueError("An action needs a title.")
    with transaction.atomic():
        action = Action.objects.create(
            unit=unit,
            organisation_id=unit.organisation_id,
            title=title[:200],
            date=date,
            kind=kind,
            pdsa_stage=pdsa_stage,
            notes=notes,
            module=module,
            created_by=user,
        )
        action.codes.set(codes)
        log.record(
            user,
            "organisation.changed",
            action,
            organisation=unit.organisation,
            new={"action": action.pk, "unit": unit.pk, "kind": kind, "stage": pdsa_stage},
            note="action logged",
        )
    return action


def update_action_stage(user, action: Action, stage: str, notes: str) -> Action:
    """Move an action to its next PDSA stage, with what the team learnt."""
    with transaction.atomic():
        old = {"stage": action.pdsa_stage}
        action.pdsa_stage, action.notes = stage, notes
        action.save(update_fields=["pdsa_stage", "notes"])
        log.record(
            user,
            "organisation.changed",
            action,
            organisation=action.organisation,
            old=old,
            new={"stage": stage},
            note="action stage",
        )
    return action


def bulk_answers(period: Period, unit, people: list[dict], language: str = "nl") -> list[int]:
    """Many people's answers at once (the demo): ``people`` holds one dict per person,
    ``{item key: value or text}``. Writes the responses, answers and tallies as
    ``submit_answers`` would; returns the ids of free-text answers to de-identify."""
    items = {item.key: item for item in period.pulse.instrument.items.all()}
    scale = [item for item in items.values() if item.kind == "scale"]
    with transaction.atomic():
        responses = Response.objects.bulk_create(
            [Response(period=period, unit=unit, language=language) for _ in people]
        )
        answers = []
        counts = {item.pk: [0] * len(item.values()) for item in scale}
        for response, person in zip(responses, people, strict=True):
            missing = [item.key for item in scale if item.key not in person]
            if missing:
                raise ValueError(f"Not answered: {', '.join(missing)}")
            for key, given in person.items():
                item = items[key]
                if item.kind == "text":
                    answers.append(Answer(response=response, item=item, text=given))
                else:
                    if given not in item.values():
                        raise ValueError(f"{given} is not on the scale of {key}")
                    answers.append(Answer(response=response, item=item, value=given))
                    counts[item.pk][given - item.scale_min] += 1
        Answer.objects.bulk_create(answers, batch_size=2000)
        for item in scale:
            tally, _ = Tally.objects.select_for_update().get_or_create(
                period=period,
                unit=unit,
                item=item,
                defaults={
                    "organisation_id": unit.organisation_id,
                    "opens_on": period.opens_on,
                    "counts": [0] * len(item.values()),
                },
            )
            tally.respondents += len(people)
            tally.counts = measures.add(tally.counts, counts[item.pk])
            tally.save(update_fields=["respondents", "counts"])
    return [a.pk for a in answers if a.text]


def add_instrument(user, organisation, *, slug, names, rights_holder, licence_note):
    """An organisation's own instrument; it names who holds the rights to its items."""
    if not rights_holder.strip():
        raise ValueError("An instrument names who holds the rights to its items.")
    with transaction.atomic():
        instrument = Instrument.objects.create(
            slug=slug,
            names=names,
            organisation=organisation,
            rights_holder=rights_holder.strip(),
            licence_note=licence_note,
        )
        log.record(
            user,
            "organisation.changed",
            instrument,
            organisation=organisation,
            new={"instrument": slug, "rights_holder": rights_holder},
            note="pulse instrument added",
        )
    return instrument


def add_item(user, instrument, **fields):
    if instrument.shipped:
        raise ValueError("Mango's own instrument cannot be changed.")
    with transaction.atomic():
        order = (instrument.items.aggregate(models.Max("order"))["order__max"] or 0) + 10
        item = Item(instrument=instrument, order=order, **fields)
        item.full_clean()
        item.save()
        log.record(
            user,
            "organisation.changed",
            item,
            organisation=instrument.organisation,
            new={"instrument": instrument.slug, "item": item.key, "level": item.level},
            note="pulse item added",
        )
    return item
