"""A classifier that agrees with the final codes no better than chance is kept out of use: it
makes no suggestions, is never the model in use, and its page says why."""

import random

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from mango.classify import suggestions, training
from mango.classify.models import Suggestion, TrainedModel
from mango.lib.classify import evaluate
from mango.research.models import Code, Codebook, Decision, FinalCode
from tests.conftest import make_story, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _model_files(settings, tmp_path):
    settings.MANGO_MODEL_KEY = "a key for tests only"
    settings.DATA_DIR = tmp_path


@pytest.fixture
def network_researcher(db):
    return make_user("netresearcher", "researcher", None)


def ready_model(kind="screening", labels=("mangomoment",), kappas=(0.0,), **fields):
    """A ready model row with cross-validated figures whose kappa per label is ``kappas``."""
    slug = "screening" if kind == "screening" else "dimensions"
    at_chance = [k for k, v in zip(labels, kappas, strict=True) if v <= evaluate.CHANCE_KAPPA]
    metrics = {
        "macro_f1": 0.95,
        "micro_f1": 0.95,
        "n_splits": 5,
        "labels": {
            k: {"precision": 0.92, "recall": 1.0, "f1": 0.96, "support": 170} for k in labels
        },
        "agreement": {
            "per_code": {
                k: {"cohen_kappa": {"value": v}} for k, v in zip(labels, kappas, strict=True)
            }
        },
        "chance": {
            "max_kappa": evaluate.CHANCE_KAPPA,
            "labels": {
                k: {"kappa": v, "accuracy": 0.92, "majority_accuracy": 0.92}
                for k, v in zip(labels, kappas, strict=True)
            },
            "at_chance": at_chance,
            "model": len(at_chance) == len(labels),
        },
    }
    tm = TrainedModel.objects.create(
        codebook=Codebook.objects.get(slug=slug),
        kind=kind,
        status="ready",
        progress=100,
        labels=list(labels),
        thresholds=[0.5] * len(labels),
        metrics=metrics,
        n_stories=185,
        **fields,
    )
    tm.finished = tm.created
    tm.save(update_fields=["finished"])
    return tm


def test_a_model_at_chance_level_is_not_in_use_and_makes_no_suggestions(org, monkeypatch):
    useful = ready_model(kappas=(0.4,))
    useless = ready_model(kappas=(-0.01,))  # newer
    assert training.at_chance(useless) and not training.at_chance(useful)
    codebook = useless.codebook
    assert suggestions.latest_model(codebook, "screening") == useful
    assert suggestions.suggest_all(useless) == 0  # returns before loading any model file

    story = make_story(org)
    used = []
    monkeypatch.setattr(suggestions, "suggest", lambda tm, stories: used.append(tm) or 1)
    suggestions.suggest_for_story(story.pk)
    assert used == [useful]

    # Suggestions a model at chance level made before (an old installation) are not shown.
    Suggestion.objects.create(
        story=story,
        codebook=codebook,
        code_key="mangomoment",
        probability=0.9,
        predicted=True,
        model=useless,
    )
    assert suggestions.for_story(story, codebook) == []


def test_a_model_trained_before_the_check_is_judged_by_its_kappa():
    tm = ready_model(kappas=(-0.0102,))
    del tm.metrics["chance"]
    tm.save()
    assert training.chance_labels(tm) == ["mangomoment"] and training.at_chance(tm)
    tm.metrics["agreement"]["per_code"]["mangomoment"]["cohen_kappa"]["value"] = 0.37
    assert not training.at_chance(tm)


def test_a_model_with_some_codes_at_chance_level_stays_in_use():
    tm = ready_model("labels", ("respect", "family"), (0.45, 0.1))
    assert training.chance_labels(tm) == ["family"]
    assert not training.at_chance(tm)
    assert suggestions.latest_model(tm.codebook, "labels") == tm


def page(user, tm, language="en"):
    client = Client()
    client.force_login(user)
    with translation.override(language):
        url = reverse("classify:model", args=[tm.pk])
    answer = client.get(url)
    assert answer.status_code == 200
    return answer.content.decode()


def test_the_page_of_a_model_at_chance_level_warns_in_every_language(network_researcher):
    tm = ready_model(kappas=(-0.01,))
    body = page(network_researcher, tm)
    assert 'data-testid="chance-warning"' in body
    assert "This model agrees with the final codes no better than chance." in body
    assert "It is not used and makes no suggestions." in body
    assert "no: it agrees with the final codes no better than chance" in body
    assert "chance level" in body
    nl = page(network_researcher, tm, "nl")
    assert "Dit model stemt niet beter dan toeval overeen met de definitieve codes." in nl
    fr = page(network_researcher, tm, "fr")
    assert "Ce modèle ne s'accorde pas mieux que le hasard avec les codes définitifs." in fr
    listing = Client()
    listing.force_login(network_researcher)
    with translation.override("en"):
        assert "chance level" in listing.get(reverse("classify:models")).content.decode()


def test_a_useful_model_s_page_has_no_warning_and_codes_at_chance_are_named(network_researcher):
    good = ready_model(kappas=(0.45,))
    assert 'data-testid="chance-warning"' not in page(network_researcher, good)
    mixed = ready_model("labels", ("respect", "family"), (0.45, 0.1))
    body = page(network_researcher, mixed)
    assert "take its suggestions for them as guesses" in body
    family = Code.objects.get(codebook__slug="dimensions", key="family").label
    assert family in body.split("take its suggestions for them as guesses")[1].split("</div>")[0]


def test_training_on_texts_that_say_nothing_of_the_codes_gives_a_model_out_of_use(
    org, network_researcher
):
    """A real job: 60 stories whose screening is unrelated to the text (30% excluded)."""
    screening = Codebook.objects.get(slug="screening")
    mango = Code.objects.get(codebook=screening, key="mangomoment")
    other = Code.objects.filter(codebook=screening).exclude(key="mangomoment").first()
    rng = random.Random(7)
    words = [f"woord{i}" for i in range(400)]
    for i in range(60):
        story = make_story(org, text=" ".join(rng.sample(words, 12)))
        Decision.objects.create(story=story, codebook=screening, method="agreed")
        FinalCode.objects.create(story=story, code=other if i % 10 < 3 else mango)
    tm = TrainedModel.objects.create(codebook=screening, kind="screening", created_by=None)
    with translation.override("en"):
        tm = training.train(tm.pk)
    assert tm.status == "ready", tm.message
    figures = tm.metrics["labels"]["mangomoment"]
    assert figures["support"] == 42  # the Mangomoments, not the 18 exclusions
    chance = tm.metrics["chance"]
    assert chance["labels"]["mangomoment"]["kappa"] <= evaluate.CHANCE_KAPPA
    assert chance["labels"]["mangomoment"]["majority_accuracy"] == 0.7
    assert chance["model"] is True and training.at_chance(tm)
    assert tm.message == (
        "It agrees with the final codes no better than chance: it makes no suggestions."
    )
    assert suggestions.suggest_all(tm) == 0
    assert not Suggestion.objects.filter(model=tm).exists()
    assert suggestions.latest_model(screening, "screening") is None
