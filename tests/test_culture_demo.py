"""The demo's culture part: waves, ambassadors, pilot teams, team feeds, touches, reflections
and a story wall whose printed link works."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import OutputWrapper
from django.utils import timezone

from mango.culture import demo, programme
from mango.culture.models import Reflection, StoryUnit, Touch
from mango.organisations.models import Organisation
from mango.stories.models import Story

pytestmark = pytest.mark.django_db


def test_the_demo_builds_the_programme_and_prints_a_working_wall_link(client):
    call_command("demo_load", stdout=io.StringIO())
    # Share some of AZ Zonnebloem's stories, as `demo_load --moderate` does.
    az = Organisation.objects.get(slug="az-zonnebloem")
    ids = list(
        Story.objects.filter(organisation=az, consent_sharing=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:8]
    )
    for story in Story.objects.filter(pk__in=ids):
        Story.objects.filter(pk=story.pk).update(
            status="shared",
            shareable=True,
            shared_at=timezone.now(),
            text_redacted=story.text_redacted or story.text,
        )
    buffer = io.StringIO()
    out = OutputWrapper(buffer)  # what demo_load passes: it ends each write with a newline
    demo.load(out)
    demo.load(out)  # twice: the same result
    text = buffer.getvalue()

    az.refresh_from_db()
    assert az.wave.name == "Golf 2019"
    assert Organisation.objects.get(slug="clinique-saint-aubin").wave.name == "Golf 2022"
    assert programme.checklists([az])[az.pk].complete
    assert StoryUnit.objects.filter(story_id__in=ids).values("story").distinct().count() == 8
    assert Touch.objects.exists()
    assert Reflection.objects.count() == 3

    url = text.strip().splitlines()[-1].split(": ", 1)[1]
    path = url.split("://", 1)[1].split("/", 1)[1]
    wall = client.get("/" + path)
    assert wall.status_code == 200
    assert client.get("/" + path + "stories.json").json()["stories"]

    assert client.login(username="nurse", password="mango-demo")
    unit = az.units.get(slug="oncologisch-dagziekenhuis")
    assert client.get(f"/nl/culture/teams/{unit.pk}/").status_code == 200
    assert client.login(username="coordinator", password="mango-demo")
    assert client.get("/nl/culture/network/").status_code == 200
