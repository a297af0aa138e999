"""The charts of a team, an organisation and the network; the action log on them; before and
after; CSV; who may see what."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse as _reverse
from django.utils import translation

from mango.audit.models import AuditEvent
from mango.organisations.models import Unit
from mango.pulse import results, shipped
from mango.pulse.models import Action, Instrument, Item, Period, Pulse, Tally
from mango.research.models import Code
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def reverse(name, args=()):
    with translation.override("en"):
        return _reverse(name, args=args)


def seed(pulse, unit, periods, answers):
    """Tallies for ``periods`` four-weekly periods from the pulse's start; ``answers(i)`` gives
    the values answered to every scale item in period i."""
    items = list(pulse.instrument.items.filter(kind="scale"))
    for i in range(periods):
        opens = pulse.starts_on + timedelta(weeks=4 * i)
        period, _ = Period.objects.get_or_create(
            pulse=pulse,
            number=i + 1,
            defaults={"opens_on": opens, "closes_on": opens + timedelta(days=13)},
        )
        values = answers(i)
        for item in items:
            counts = [0] * len(item.values())
            for v in values:
                counts[min(max(v, item.scale_min), item.scale_max) - item.scale_min] += 1
            Tally.objects.create(
                period=period,
                unit=unit,
                organisation_id=unit.organisation_id,
                item=item,
                opens_on=opens,
                respondents=len(values),
                counts=counts,
            )


def team_answers(i):
    if i < 10:  # around 3, a little noise
        return [2, 3, 3, 4, 3, 2] + ([4] if i % 3 == 0 else [2] if i % 3 == 1 else [])
    return [4, 5, 5, 4, 5, 4] + ([3] if i % 2 else [])  # around 4.5 after the action


@pytest.fixture
def setup(org, manager):
    instrument = shipped.load(Instrument, Item)
    team = Unit.objects.create(organisation=org, name="Oncologie", slug="onco", pilot=True)
    other = Unit.objects.create(organisation=org, name="Geriatrie", slug="geri", pilot=True)
    pulse = Pulse.objects.create(
        organisation=org, instrument=instrument, starts_on=date(2024, 1, 1), every_weeks=4
    )
    pulse.units.set([team, other])
    # 20 periods: around 3 before the action, around 4.5 after it (a shift).
    seed(pulse, team, 20, team_answers)
    seed(pulse, other, 20, lambda i: [3, 3, 4, 4, 3] if i % 2 else [3, 4, 4, 3, 3, 4])
    return pulse, team, other


def test_the_team_sees_its_run_chart_with_the_action_and_the_shift_explained(
    client, setup, manager
):
    pulse, team, _other = setup
    codes = list(Code.objects.filter(codebook__slug="mangomoment-model", key="professional_level"))
    client.force_login(manager)
    response = client.post(
        reverse("pulse:action_new", args=[team.pk]),
        {
            "title": "Workshop with the Mangomoment video",
            "date": "2024-09-20",
            "kind": "workshop",
            "pdsa_stage": "do",
            "codes": [str(c.pk) for c in codes],
            "notes": "",
        },
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert list(action.codes.all()) == codes and action.organisation_id == team.organisation_id
    assert AuditEvent.objects.filter(target_type="action").exists()
    page = client.get(reverse("pulse:team", args=[team.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="chart-room-mean"' in html
    assert "Workshop with the Mangomoment video" in html
    assert "<svg" in html and "Shift:" in html
    # The run chart flags the shift after the workshop; the control chart explains points
    # beyond its limits in words.
    assert "points in a row on one side of the median" in html
    assert "lies above the upper control limit" in html or "lies below" in html


def test_freezing_the_baseline_and_recomputing_after_the_shift(client, setup, manager):
    _pulse, team, _other = setup
    client.force_login(manager)
    page = client.get(reverse("pulse:team", args=[team.pk]), {"baseline": "8", "recompute": "1"})
    assert "recomputed after a sustained shift" in page.content.decode()


def test_csv_of_a_chart_is_audited(client, setup, manager):
    _pulse, team, _other = setup
    client.force_login(manager)
    response = client.get(reverse("pulse:csv", args=["team", team.pk, "room-mean"]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:2] == ["period", "value"] and len(rows) == 21
    assert AuditEvent.objects.filter(action="data.exported", note="pulse chart CSV").exists()


def test_organisation_and_network_charts_combine_the_teams(client, setup, manager, org):
    pulse, team, other = setup
    room = pulse.instrument.items.get(key="room")
    monthly = results.group_series(room, organisation=org)
    assert (
        sum(p.n for p in monthly) == sum(len(team_answers(i)) for i in range(20)) + 10 * 6 + 10 * 5
    )
    client.force_login(manager)
    assert client.get(reverse("pulse:organisation", args=[org.pk])).status_code == 200
    assert (
        client.get(reverse("pulse:organisation", args=[org.pk]), {"pilot": "yes"}).status_code
        == 200
    )


def test_before_and_after_states_the_test_and_the_interval(client, setup, manager):
    _pulse, team, _other = setup
    client.force_login(manager)
    page = client.get(
        reverse("pulse:team", args=[team.pk]),
        {
            "before_from": "2024-01-01",
            "before_to": "2024-08-31",
            "after_from": "2024-10-01",
            "after_to": "2025-12-31",
        },
    )
    html = page.content.decode()
    assert "Mann-Whitney U test" in html and "Cohen" in html and "Cliff" in html
    item = Item.objects.get(instrument__slug=shipped.SLUG, key="room")
    before = results.pooled_counts(item, date(2024, 1, 1), date(2024, 8, 31), unit=team)
    assert sum(before) == sum(len(team_answers(i)) for i in range(9))


def test_who_sees_what(client, setup, org, other_org, outsider):
    _pulse, team, other = setup
    member = make_user("teammate", "team_member", org)
    member.memberships.update(unit=team)
    client.force_login(member)
    assert client.get(reverse("pulse:team", args=[team.pk])).status_code == 200
    assert client.get(reverse("pulse:team", args=[other.pk])).status_code == 403
    assert client.get(reverse("pulse:organisation", args=[org.pk])).status_code == 403
    client.force_login(outsider)
    assert client.get(reverse("pulse:team", args=[team.pk])).status_code == 404
    assert client.get(reverse("pulse:csv", args=["team", team.pk, "room-mean"])).status_code == 404
    assert (
        client.post(reverse("pulse:action_new", args=[team.pk]), {"title": "x"}).status_code == 404
    )
    assert not Action.objects.exists()


def test_an_ambassador_sets_up_a_pulse_for_the_pilot_teams(client, setup, org):
    _pulse, team, other = setup
    ambassador = make_user("amb", "ambassador", org)
    client.force_login(ambassador)
    page = client.get(reverse("pulse:pulse_new", args=[org.pk]))
    assert page.status_code == 200
    instrument = Instrument.objects.get(slug=shipped.SLUG)
    response = client.post(
        reverse("pulse:pulse_new", args=[org.pk]),
        {
            "instrument": instrument.pk,
            "units": [team.pk],
            "every_weeks": "4",
            "open_days": "40",
            "starts_on": "2026-01-05",
        },
    )
    assert response.status_code == 200 and "cannot stay open longer" in response.content.decode()
    response = client.post(
        reverse("pulse:pulse_new", args=[org.pk]),
        {
            "instrument": instrument.pk,
            "units": [team.pk],
            "every_weeks": "4",
            "open_days": "14",
            "starts_on": "2026-01-05",
        },
    )
    pulse = Pulse.objects.latest("pk")
    assert response.status_code == 302 and list(pulse.units.all()) == [team]
    detail = client.get(reverse("pulse:pulse", args=[pulse.pk]))
    assert "/pulse/a/" in detail.content.decode()
    assert client.get(reverse("pulse:team_qr", args=[pulse.pk, team.pk])).content.startswith(b"<")


def test_an_organisation_adds_its_own_instrument_with_its_rights_holder(client, setup, org):
    ambassador = make_user("amb2", "ambassador", org)
    client.force_login(ambassador)
    url = reverse("pulse:instruments", args=[org.pk])
    refused = client.post(
        url, {"add_instrument": "1", "slug": "eigen", "name_nl": "Eigen", "rights_holder": "AZ"}
    )
    assert refused.status_code == 200 and not Instrument.objects.filter(slug="eigen").exists()
    client.post(
        url,
        {
            "add_instrument": "1",
            "slug": "eigen",
            "name_nl": "Eigen vragen",
            "rights_holder": "AZ Testziekenhuis",
            "rights_confirmed": "on",
        },
    )
    own = Instrument.objects.get(slug="eigen")
    assert own.organisation == org and own.rights_holder == "AZ Testziekenhuis"
    client.post(
        url,
        {
            "add_item": "1",
            "instrument": own.pk,
            "key": "trots",
            "kind": "scale",
            "level": "impact_professionals",
            "text_nl": "Ik ben trots op ons team.",
            "scale_min": "1",
            "scale_max": "5",
            "favourable_from": "4",
        },
    )
    assert own.items.get().texts == {"nl": "Ik ben trots op ons team."}
    # Mango's own instrument cannot be changed from here.
    shipped_pk = Instrument.objects.get(slug=shipped.SLUG).pk
    response = client.post(
        url,
        {
            "add_item": "1",
            "instrument": shipped_pk,
            "key": "x",
            "kind": "text",
            "level": "impact_professionals",
            "text_nl": "X",
            "scale_min": "1",
            "scale_max": "5",
            "favourable_from": "4",
        },
    )
    assert response.status_code == 404
    page = client.get(url).content.decode()
    assert "AZ Testziekenhuis" in page and "Mangomoment pulse" in page
    member = make_user("mem2", "team_member", org)
    client.force_login(member)
    assert client.get(url).status_code == 403
