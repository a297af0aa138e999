"""The pulse demo: two years of periods for the pilot teams, a shift after the video workshop
on one team, the network dashboard with the demo organisations."""

import io

import pytest
from django.urls import reverse as _reverse
from django.utils import translation

from mango.lib.spc import runchart
from mango.organisations.models import Organisation, Unit
from mango.pulse import demo, results
from mango.pulse.models import Action, Answer, Item, Pulse, Response
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_the_demo_shows_a_shift_after_the_workshop(client):
    for slug in ("az-zonnebloem", "wzc-hof-ter-beke"):
        org = Organisation.objects.create(name=slug, slug=slug, kind="hospital")
        for name in ("oncologisch-dagziekenhuis", "cardiologie", "intensieve-zorg"):
            Unit.objects.create(organisation=org, name=name, slug=name, pilot=True)
    out = io.StringIO()
    demo.load(out)
    demo.load(out)  # twice: it replaces its own data
    assert Pulse.objects.count() == 2
    assert "pulse responses" in out.getvalue()
    team = Unit.objects.get(organisation__slug="az-zonnebloem", slug="oncologisch-dagziekenhuis")
    workshop = Action.objects.get(unit=team, kind="workshop")
    item = Item.objects.get(instrument__slug="mangomoment-pulse", key="room")
    points = results.team_series(team, item)
    assert len(points) >= 24
    values = [p.mean if p.shown else None for p in points]
    chart = runchart.analyse(values)
    assert chart.runs_signal
    after = [p.mean for p in points if p.when > workshop.date and p.shown]
    before = [p.mean for p in points if p.when < workshop.date and p.shown]
    assert sum(after) / len(after) > sum(before) / len(before) + 0.4
    # Free texts were de-identified after the load.
    assert not Answer.objects.filter(deidentified=False).exclude(text="").exists()
    assert Response.objects.count() > 300
    client.force_login(make_user("coord", "network_coordinator"))
    with translation.override("en"):
        page = client.get(_reverse("pulse:network"))
    assert "az-zonnebloem" in page.content.decode()
