"""`mango demo load` gives every later screen real-looking, clearly illustrative data."""

import io
import json
from collections import Counter
from importlib import resources

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from mango.lib import intake
from mango.organisations.models import Campaign, Organisation, Unit
from mango.stories.models import Story

pytestmark = pytest.mark.django_db


def demo_stories():
    text = resources.files("mango.demo").joinpath("stories.json").read_text("utf-8")
    return json.loads(text)["stories"]


def test_every_demo_story_passes_the_intake_rules():
    stories = demo_stories()
    assert len(stories) >= 150
    for item in stories:
        checked = intake.clean_story(item)
        assert checked.ok, (item["text"][:40], checked.errors)


def test_the_demo_covers_all_groups_and_includes_non_mangomoments():
    stories = demo_stories()
    assert set(Counter(s["teller_role"] for s in stories)) >= {
        "patient",
        "resident",
        "family",
        "professional",
    }
    assert {s["setting"] for s in stories} >= {
        "hospital",
        "rehabilitation",
        "residential",
        "disability",
        "primary",
    }
    assert {s["oncological"] for s in stories} >= {"yes", "no"}
    assert {s["language"] for s in stories} == {"nl", "fr", "en"}
    assert sum(not s["is_mangomoment"] for s in stories) >= 5


def test_loading_creates_organisations_users_and_illustrative_stories(capsys):
    call_command("demo_load")
    out = capsys.readouterr().out
    assert "mango-demo" in out and "researcher" in out
    assert Organisation.objects.count() == 6
    assert Unit.objects.count() >= 10
    assert Campaign.objects.filter(slug="mangomomenten-demo").exists()
    assert Story.objects.count() == len(demo_stories())
    assert not Story.objects.filter(illustrative=False).exists()
    assert authenticate(username="researcher", password="mango-demo") is not None


def test_loading_twice_replaces_the_demo_stories():
    call_command("demo_load")
    call_command("demo_load")
    assert Story.objects.count() == len(demo_stories())
    assert Organisation.objects.count() == 6


def test_moderate_de_identifies_every_story_and_shares_some_with_a_reason():
    call_command("demo_load", "--moderate")
    stories = Story.objects.all()
    assert not stories.filter(status="received").exists()
    assert not stories.filter(text_redacted="").exists()
    shared = stories.filter(status="shared")
    assert shared.exists() and stories.filter(status="deidentified").exists()
    assert not shared.filter(consent_sharing=False).exists()
    assert all(s.review_note and s.reviewed_by.username == "manager" for s in shared)
    # Redactions point into the original text and give the redacted text back.
    from mango.stories.privacy import apply_redactions

    for story in stories.exclude(redactions=[]):
        assert apply_redactions(story.text, story.redactions) == story.text_redacted


def test_train_gives_the_demo_models_and_their_suggestions():
    from mango.classify.models import Suggestion, TrainedModel

    out = io.StringIO()
    call_command("demo_load", "--moderate", "--train", stdout=out)
    ready = TrainedModel.objects.filter(status="ready")
    assert sorted(ready.values_list("codebook__slug", flat=True)) == ["dimensions", "screening"]
    for tm in ready:
        assert 0 <= tm.metrics["macro_f1"] <= 1
        assert Suggestion.objects.filter(model=tm).values("story").distinct().count() > 100
    assert "Trained the dimensions model" in out.getvalue()
