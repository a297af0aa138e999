"""Answering the pulse through a team link, and the anonymity of what the pages show."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from mango.audit.models import AuditEvent
from mango.organisations.models import Organisation, Unit
from mango.pulse import actions, digest, links, results, shipped
from mango.pulse.models import (
    Answer,
    Instrument,
    Item,
    PulseSettings,
    Response,
    Tally,
    UsedToken,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def instrument(db):
    return shipped.load(Instrument, Item)


@pytest.fixture
def teams(org):
    return [
        Unit.objects.create(organisation=org, name=name, slug=name.lower(), pilot=True)
        for name in ("Small", "Big1", "Big2", "Big3")
    ]


@pytest.fixture
def pulse(org, teams, instrument, manager):
    today = timezone.localdate()
    return actions.setup_pulse(
        manager, org, instrument, teams, every_weeks=4, open_days=14, starts_on=today
    )


def answer_form(client, pulse, unit, values, text=""):
    url = links.team_path(pulse, unit, "en")
    page = client.get(url)
    assert page.status_code == 200
    nonce = re.search(rb'name="nonce" value="([^"]+)"', page.content).group(1).decode()
    data = {"nonce": nonce}
    for item in pulse.instrument.items.all():
        if item.kind == "text":
            data[f"item-{item.pk}"] = text
        else:  # every scale question is answered (3 where the test does not say)
            data[f"item-{item.pk}"] = str(values.get(item.key, 3))
    return client.post(url, data), data, url


def fill(pulse, unit, n, *, text=""):
    """n people answer through the link, each on their own phone (a fresh client)."""
    from django.test import Client

    for i in range(n):
        response, _d, _u = answer_form(
            Client(), pulse, unit, {"room": 1 + i % 5, "recommend": i % 11}, text=text
        )
        assert response.status_code == 302


def test_a_team_member_answers_without_signing_in_and_nothing_about_them_is_kept(
    client, pulse, teams
):
    response, _data, url = answer_form(
        client, pulse, teams[1], {"gestures": 4, "room": 5, "recommend": 9}, "A colleague sang."
    )
    assert response.status_code == 302 and response.url.endswith("/thanks/")
    stored = Response.objects.get()
    assert stored.unit == teams[1] and stored.language == "en"
    # The response has no user, address, cookie id or time: only period, unit and language.
    assert {f.name for f in Response._meta.concrete_fields} == {"id", "period", "unit", "language"}
    values = dict(Answer.objects.filter(value__isnull=False).values_list("item__key", "value"))
    assert values == {"gestures": 4, "room": 5, "talk": 3, "leadership": 3, "recommend": 9}
    text = Answer.objects.get(item__key="moment")
    # De-identified by the job (huey runs at once in tests); the original is gone.
    assert text.deidentified and text.text == "" and text.text_redacted == "A colleague sang."
    tally = Tally.objects.get(unit=teams[1], item__key="recommend")
    assert tally.respondents == 1 and tally.counts[9] == 1
    # The phone remembers; a second visit says it was answered, and stores nothing new.
    again = client.get(url)
    assert b"already answered" in again.content
    assert Response.objects.count() == 1


def test_the_same_form_sent_twice_counts_once(client, pulse, teams):
    response, data, url = answer_form(client, pulse, teams[0], {"room": 3})
    assert response.status_code == 302
    client.cookies.clear()  # even without the phone's cookie
    again = client.post(url, data)
    assert again.status_code == 302
    assert Response.objects.count() == 1
    assert UsedToken.objects.count() == 1
    assert not UsedToken._meta.get_field("token_hash").related_model


def test_every_scale_question_must_be_answered(client, pulse, teams):
    url = links.team_path(pulse, teams[0], "en")
    page = client.get(url)
    nonce = re.search(rb'name="nonce" value="([^"]+)"', page.content).group(1).decode()
    room = pulse.instrument.items.get(key="room")
    response = client.post(url, {"nonce": nonce, f"item-{room.pk}": "4"})
    assert response.status_code == 400 and b"answer every question" in response.content
    assert not Response.objects.exists()
    with pytest.raises(ValueError, match="not answered"):
        actions.submit_answers(pulse.periods.get(), teams[0], "en", {room.pk: 4}, {}, "n1")


def test_a_value_off_the_scale_is_refused_with_a_message(client, pulse, teams):
    url = links.team_path(pulse, teams[0], "en")
    page = client.get(url)
    nonce = re.search(rb'name="nonce" value="([^"]+)"', page.content).group(1).decode()
    room = pulse.instrument.items.get(key="room")
    response = client.post(url, {"nonce": nonce, f"item-{room.pk}": "9"})
    assert response.status_code == 400
    assert b"not on its scale" in response.content
    assert not Response.objects.exists()


def test_a_forged_or_foreign_link_is_404(client, pulse, teams, other_org):
    stranger = Unit.objects.create(organisation=other_org, name="X", slug="x")
    assert client.get(f"/en/pulse/a/{pulse.pk}-{teams[0].short_code}:forged/").status_code == 404
    assert client.get(links.team_path(pulse, stranger, "en")).status_code == 404


def test_a_script_cannot_fill_a_period(client, pulse, teams, monkeypatch):
    from mango.pulse import views

    monkeypatch.setattr(views, "RATE", "2/h")
    for expected in (302, 302, 429):
        response, _d, _u = answer_form(client, pulse, teams[0], {"room": 3})
        client.cookies.clear()
        assert response.status_code == expected
    assert Response.objects.count() == 2


def test_the_closed_pulse_says_when_it_opens(client, org, teams, instrument, manager):
    later = timezone.localdate() + timedelta(days=10)
    pulse = actions.setup_pulse(
        manager, org, instrument, teams, every_weeks=4, open_days=7, starts_on=later
    )
    page = client.get(links.team_path(pulse, teams[0], "en"))
    assert b"not open at the moment" in page.content


def test_setting_up_a_pulse_is_audited_and_makes_periods(pulse, org):
    assert pulse.periods.count() == 1
    event = AuditEvent.objects.get(action="organisation.changed", target_type="pulse")
    assert event.organisation == org and event.new["every_weeks"] == 4


def test_a_team_with_four_answers_shows_no_result_no_text_and_no_filter_reveals_it(
    client, org, pulse, teams, manager
):
    small, big1, big2, big3 = teams
    small.oncological = True
    small.save()
    fill(pulse, small, 4, text="Our night nurse stayed with him.")
    for team, n in ((big1, 6), (big2, 7), (big3, 12)):
        fill(pulse, team, n, text="We sang together.")
    room = pulse.instrument.items.get(key="room")
    # The team's own chart: the point is hidden, and no free text shows.
    points = results.team_series(small, room)
    assert [p.shown for p in points] == [False]
    assert results.team_texts(small) == []
    client.force_login(manager)
    page = client.get(reverse("pulse:team", args=[small.pk]))
    assert page.status_code == 200
    assert b"night nurse" not in page.content
    assert b"fewer than 5 people answered" in page.content
    # The organisation total minus the other teams must not give the small team back: every
    # figure, whatever the filters, counts whole groups of at least 5 and never the small
    # team alone.
    everything = sum(p.n for p in results.group_series(room, organisation=org))
    assert everything == 4 + 6 + 7 + 12  # pooled with the next smallest team
    seen_units = {}
    unit_ids = [t.pk for t in teams]
    from itertools import combinations

    for r in range(1, len(unit_ids) + 1):
        for chosen in combinations(unit_ids, r):
            n = sum(p.n for p in results.group_series(room, organisation=org, units=set(chosen)))
            seen_units[chosen] = n
    # Two selections that differ only by the small team give the same figure: it never
    # counts without big1 (its pool partner), so subtracting cannot isolate it.
    for chosen, n in seen_units.items():
        if small.pk in chosen and big1.pk not in chosen:
            without = tuple(u for u in chosen if u != small.pk)
            assert n == seen_units.get(without, 0)
    for chosen, n in seen_units.items():
        assert n == 0 or n >= 5
    # The filters on the page (oncological: the small team only) show nothing either.
    page = client.get(reverse("pulse:organisation", args=[org.pk]), {"oncological": "yes"})
    assert page.status_code == 200
    assert b"night nurse" not in page.content
    onco = results.group_series(room, organisation=org, units={small.pk})
    assert all(not p.shown and p.n == 0 for p in onco)
    with translation.override("en"):
        csv_url = reverse("pulse:csv", args=["org", org.pk, "room-mean"])
    exported = client.get(csv_url, {"oncological": "yes"}).content.decode()
    assert [row.split(",")[1] for row in exported.splitlines()[1:]] == [""]
    # The pulse's page says which teams' results are shown, never how many answered: the
    # small team and its pool partner are both "not shown".
    with translation.override("en"):
        detail = client.get(reverse("pulse:pulse", args=[pulse.pk])).content.decode()
    assert detail.count("results shown") == 2 and detail.count(">not shown<") == 2
    # The network level uses the same released cells.
    assert sum(p.n for p in results.group_series(room)) == everything


def test_k_is_set_per_organisation_and_never_below_three(client, org, manager, pulse, teams):
    client.force_login(manager)
    url = reverse("pulse:organisation_settings", args=[org.pk])
    client.post(url, {"k": "2", "named_in_network": "on"})
    assert not PulseSettings.objects.exists()
    client.post(url, {"k": "3", "named_in_network": "on"})
    assert PulseSettings.objects.get().k == 3
    fill(pulse, teams[0], 3)
    fill(pulse, teams[1], 3)
    room = pulse.instrument.items.get(key="room")
    assert [p.shown for p in results.team_series(teams[0], room)] == [True]
    assert AuditEvent.objects.filter(action="organisation.changed", organisation=org).exists()


def test_the_digest_reminds_a_team_of_its_open_pulse(pulse, teams, other_org):
    found = digest.open_pulse(teams[0], "nl")
    assert found is not None
    text, url = found
    assert teams[0].name in text and "/nl/pulse/a/" in url
    stranger = Unit.objects.create(organisation=other_org, name="X", slug="x")
    assert digest.open_pulse(stranger, "nl") is None


def test_tokens_of_closed_periods_are_forgotten(client, pulse, teams):
    answer_form(client, pulse, teams[0], {"room": 3})
    assert actions.forget_tokens(today=timezone.localdate() + timedelta(days=30)) == 1
    assert Response.objects.count() == 1


def test_an_organisation_can_add_its_own_instrument_naming_the_rights_holder(org):
    own = Instrument.objects.create(
        slug="own", names={"en": "Own"}, organisation=org, rights_holder="AZ Test"
    )
    assert Organisation.objects.get(pk=org.pk).pulse_instruments.get() == own
    assert Instrument.objects.get(slug=shipped.SLUG).items.filter(kind="scale").count() == 5
