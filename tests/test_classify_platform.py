"""The classifier in the platform: training from final codes, suggestions for new stories,
"uncertain first" ordering, the model page and who may see it."""

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from sklearn.metrics import cohen_kappa_score

from mango.audit.models import AuditEvent
from mango.classify import actions, suggestions, training
from mango.classify.models import Suggestion, TrainedModel
from mango.lib.classify import evaluate, store
from mango.lib.classify.model import DIMENSIONS, MultiLabelClassifier, uncertainty
from mango.lifecycle.jobs import deidentify_story_job
from mango.lifecycle.views_coding import suggested_codes
from mango.research import actions as research_actions
from mango.research.models import Code, Codebook, Decision, FinalCode
from mango.stories.models import Story
from tests.conftest import make_story, make_user
from tests.test_lib_classify import DUTCH_EMOTIONAL_SUPPORT

pytestmark = pytest.mark.django_db

STORIES = Path(__file__).resolve().parent.parent / "src/mango/demo/stories.json"


@pytest.fixture(autouse=True)
def _model_files(settings, tmp_path):
    settings.MANGO_MODEL_KEY = "a key for tests only"
    settings.DATA_DIR = tmp_path


def settle(story, codebook, keys):
    """The story's final coding (what a closed round or an adjudicator leaves behind)."""
    Decision.objects.create(story=story, codebook=codebook, method="agreed")
    for key in keys:
        FinalCode.objects.create(story=story, code=Code.objects.get(codebook=codebook, key=key))


@pytest.fixture
def coded(org):
    """The demo stories, each with final codes in the dimensions and screening codebooks."""
    dimensions = Codebook.objects.get(slug="dimensions")
    screening = Codebook.objects.get(slug="screening")
    out = []
    for item in json.loads(STORIES.read_text())["stories"]:
        story = make_story(org, text=item["text"], language=item["language"])
        settle(story, dimensions, item["dimensions"])
        settle(
            story,
            screening,
            ["mangomoment"] if item["is_mangomoment"] else [item["exclusion_reason"] or "unclear"],
        )
        out.append(story)
    return out


@pytest.fixture
def network_researcher(db):
    return make_user("netresearcher", "researcher", None)


def train(actor, slug="dimensions", kind="labels", capture=None) -> TrainedModel:
    with capture(execute=True):
        tm = actions.request_training(actor, Codebook.objects.get(slug=slug), kind)
    tm.refresh_from_db()
    return tm


# A training job takes a while: the first test that needs a trained model runs the real job;
# later ones get a copy of its result (the row's fields and the signed model directory).
_FIRST: dict = {}
_COPIED = ("kind", "backend", "labels", "thresholds", "metrics", "n_stories", "status")


def keep_first(tm: TrainedModel, tmp_path_factory) -> None:
    if not _FIRST and tm.status == "ready":
        keep = tmp_path_factory.mktemp("first-model")
        shutil.copytree(training.models_dir() / tm.path, keep / "model")
        _FIRST.update({f: getattr(tm, f) for f in _COPIED}, directory=keep / "model")


@pytest.fixture
def trained(coded, network_researcher, django_capture_on_commit_callbacks, tmp_path_factory):
    if not _FIRST:
        tm = train(network_researcher, capture=django_capture_on_commit_callbacks)
        assert tm.status == "ready", tm.message
        keep_first(tm, tmp_path_factory)
        return tm
    fields = {f: _FIRST[f] for f in _COPIED}
    tm = TrainedModel.objects.create(
        codebook=Codebook.objects.get(slug="dimensions"), progress=100, **fields
    )
    shutil.copytree(_FIRST["directory"], training.models_dir() / str(tm.pk))
    tm.path = str(tm.pk)
    tm.finished = tm.created
    tm.save()
    suggestions.suggest_all(tm)
    return tm


def test_training_from_final_codes_saves_a_signed_model_with_its_metrics(
    coded, network_researcher, django_capture_on_commit_callbacks, tmp_path_factory
):
    trained = train(network_researcher, capture=django_capture_on_commit_callbacks)
    keep_first(trained, tmp_path_factory)
    assert trained.status == "ready", trained.message
    assert trained.progress == 100
    assert trained.labels == list(DIMENSIONS)
    assert trained.n_stories == len(coded)
    assert 0.3 < trained.metrics["macro_f1"] <= 1
    assert set(trained.metrics["agreement"]["per_code"]) == set(DIMENSIONS)
    model, metadata = store.load(
        Path(training.models_dir()) / trained.path, **training.key_options()
    )
    assert metadata["labels"] == list(DIMENSIONS)
    assert metadata["codebook_version"] == "dimensions v1"
    assert model.thresholds_.tolist() == pytest.approx(trained.thresholds, abs=1e-6)
    actions_written = list(
        AuditEvent.objects.filter(target_id=str(trained.pk)).values_list("action", "actor_name")
    )
    assert ("classifier.training_requested", "netresearcher") in actions_written
    assert ("classifier.trained", "system") in actions_written


def test_the_models_kappa_compares_out_of_fold_predictions_with_the_final_codes(trained):
    data = training.training_data(trained.codebook, "labels")
    result = evaluate.cross_validate(
        MultiLabelClassifier(), data.texts, data.Y, data.labels, n_splits=5
    )
    per_code = trained.metrics["agreement"]["per_code"]
    for j, label in enumerate(data.labels):
        expected = cohen_kappa_score(data.Y[:, j], result["predictions"][:, j])
        assert per_code[label]["cohen_kappa"]["value"] == pytest.approx(expected, abs=1e-4)
    # Not the model's agreement with the codes it was fitted on: that one looks better.
    fitted = MultiLabelClassifier().fit(data.texts, data.Y, labels=data.labels)
    in_sample = fitted.predict(data.texts)
    better = [
        cohen_kappa_score(data.Y[:, j], in_sample[:, j]) > per_code[label]["cohen_kappa"]["value"]
        for j, label in enumerate(data.labels)
    ]
    assert sum(better) >= len(better) - 1


def test_after_training_every_story_has_suggestions(trained, coded):
    assert Suggestion.objects.filter(model=trained).count() == len(coded) * len(DIMENSIONS)


def test_a_new_story_gets_suggestions_once_de_identified(
    trained, org, django_capture_on_commit_callbacks
):
    story = make_story(org, text=DUTCH_EMOTIONAL_SUPPORT, status="received", text_redacted="")
    with django_capture_on_commit_callbacks(execute=True):
        deidentify_story_job(story.pk)
    story.refresh_from_db()
    assert story.status == "deidentified"
    found = {s.code_key: s for s in suggestions.for_story(story, trained.codebook)}
    assert set(found) == set(DIMENSIONS)
    assert found["emotional_support"].predicted
    assert found["emotional_support"].probability == max(s.probability for s in found.values())


def test_a_screening_model_learns_from_the_screening_codebook(
    coded, network_researcher, django_capture_on_commit_callbacks
):
    tm = train(
        network_researcher, "screening", "screening", capture=django_capture_on_commit_callbacks
    )
    assert tm.status == "ready", tm.message
    assert tm.labels == ["mangomoment"]
    story = coded[0]
    (suggestion,) = suggestions.for_story(story, tm.codebook)
    assert suggestion.code_key == "mangomoment" and 0 <= suggestion.probability <= 1


def test_too_few_settled_stories_fail_with_a_message(
    org, network_researcher, django_capture_on_commit_callbacks
):
    dimensions = Codebook.objects.get(slug="dimensions")
    for i in range(5):
        settle(make_story(org, text=f"Een verhaal {i}"), dimensions, ["respect"])
    with translation.override("en"):
        tm = train(network_researcher, capture=django_capture_on_commit_callbacks)
    assert tm.status == "failed"
    assert tm.message == (
        "Only 5 stories have final codes in this codebook; at least 20 are needed."
    )
    assert AuditEvent.objects.filter(action="classifier.trained", target_id=str(tm.pk)).exists()


def test_stories_without_research_consent_or_erased_are_not_learned_from(trained, coded):
    Story.objects.filter(pk=coded[0].pk).update(consent_research=False)
    Story.objects.filter(pk=coded[1].pk).update(text="", text_redacted="")
    data = training.training_data(trained.codebook, "labels")
    assert coded[0].pk not in data.story_ids and coded[1].pk not in data.story_ids
    assert len(data.story_ids) == len(coded) - 2


def test_a_second_training_of_the_same_codebook_waits_for_the_first(coded, network_researcher):
    codebook = Codebook.objects.get(slug="dimensions")
    TrainedModel.objects.create(codebook=codebook, kind="labels", status="running")
    with translation.override("en"), pytest.raises(actions.ActionError, match="being trained"):
        actions.request_training(network_researcher, codebook, "labels")


def make_round(stories, coder, show_suggestions=False):
    return research_actions.create_round(
        coder,
        name="Ronde",
        codebook=Codebook.objects.get(slug="dimensions"),
        stories=stories,
        coders=[coder],
        coders_per_story=1,
        show_suggestions=show_suggestions,
    )


def test_uncertain_first_puts_the_least_certain_stories_first(trained, coded, network_researcher):
    Suggestion.objects.filter(story__in=coded[:10]).delete()  # made on the way
    round = make_round(coded[:40], network_researcher)
    changed = actions.order_uncertain_first(network_researcher, round, trained)
    assert changed == 40
    priorities = dict(round.assignments.values_list("story_id", "priority"))
    rows = {}
    for s in Suggestion.objects.filter(model=trained, story__in=coded[:40]):
        rows.setdefault(s.story_id, {})[s.code_key] = s.probability
    for story_id, probabilities in rows.items():
        p = np.array([[probabilities[k] for k in trained.labels]])
        expected = uncertainty(p, np.array(trained.thresholds))[0]
        assert priorities[story_id] == pytest.approx(expected, abs=1e-4)
    event = AuditEvent.objects.get(action="round.prioritised")
    assert event.new == {"model": trained.pk, "assignments": 40, "order": "uncertain first"}


def test_an_open_round_s_page_orders_it_uncertain_first(trained, coded, network_researcher):
    round = make_round(coded[:12], network_researcher)
    client = client_for(network_researcher)
    action = reverse("classify:uncertain_first", args=[round.pk])
    assert action in client.get(reverse("research:round", args=[round.pk])).content.decode()
    answer = client.post(action)
    assert answer.status_code == 302
    assert None not in set(round.assignments.values_list("priority", flat=True))
    round.status = "closed"
    round.save(update_fields=["status"])
    assert action not in client.get(reverse("research:round", args=[round.pk])).content.decode()


def test_the_coder_screen_gets_suggestions_only_in_rounds_that_show_them(
    trained, coded, network_researcher
):
    blind = make_round(coded[:3], network_researcher)
    open_ = make_round(coded[:3], network_researcher, show_suggestions=True)
    assert suggested_codes(blind, coded[0]) == {}
    shown = suggested_codes(open_, coded[0])
    assert set(shown) == set(DIMENSIONS)
    assert all(0 <= p <= 1 for p in shown.values())


# --- pages ---------------------------------------------------------------------------------


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_network_researcher_trains_from_the_page_and_follows_its_progress(
    coded, network_researcher, django_capture_on_commit_callbacks
):
    client = client_for(network_researcher)
    page = client.get(reverse("classify:models"))
    assert page.status_code == 200
    codebook = Codebook.objects.get(slug="dimensions")
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            reverse("classify:models"), {"codebook": codebook.pk, "kind": "labels"}
        )
    tm = TrainedModel.objects.get()
    assert answer.status_code == 302 and answer.url == reverse("classify:model", args=[tm.pk])
    page = client.get(answer.url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Cohen" in body and "emotional_support" not in body  # codes shown by their labels
    assert Code.objects.get(codebook=codebook, key="emotional_support").label_in("nl") in body
    partial = client.get(answer.url, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="training")
    assert partial.status_code == 200 and b'id="training"' in partial.content
    assert b"every 2s" not in partial.content  # no polling once ready


def test_a_busy_model_page_polls_for_progress(coded, network_researcher):
    tm = TrainedModel.objects.create(
        codebook=Codebook.objects.get(slug="dimensions"),
        kind="labels",
        status="running",
        progress=40,
    )
    body = client_for(network_researcher).get(reverse("classify:model", args=[tm.pk])).content
    assert b"every 2s" in body and b'value="40"' in body


def test_screening_from_another_codebook_is_refused_by_the_form(network_researcher):
    client = client_for(network_researcher)
    codebook = Codebook.objects.get(slug="dimensions")
    with translation.override("en"):
        page = reverse("classify:models")
    answer = client.post(page, {"codebook": codebook.pk, "kind": "screening"})
    assert answer.status_code == 200
    assert b"A screening model learns from the screening codebook." in answer.content
    assert not TrainedModel.objects.exists()


@pytest.mark.parametrize("role", ["researcher", "manager", "team_member"])
def test_organisation_roles_may_not_train_or_read_models(org, role, trained):
    user = make_user(f"org-{role}", role, org)
    client = client_for(user)
    assert client.get(reverse("classify:models")).status_code == 403
    assert client.get(reverse("classify:model", args=[trained.pk])).status_code == 403
    codebook = Codebook.objects.get(slug="dimensions")
    answer = client.post(reverse("classify:models"), {"codebook": codebook.pk, "kind": "labels"})
    assert answer.status_code == 403
    assert TrainedModel.objects.count() == 1


def test_signed_out_users_are_sent_to_sign_in(trained):
    answer = Client().get(reverse("classify:model", args=[trained.pk]))
    assert answer.status_code == 302 and "/accounts/login/" in answer.url


def test_the_uncertain_first_button_orders_a_round_and_returns_to_it(
    trained, coded, network_researcher
):
    round = make_round(coded[:5], network_researcher)
    client = client_for(network_researcher)
    answer = client.post(reverse("classify:uncertain_first", args=[round.pk]))
    assert answer.status_code == 302
    assert answer.url == reverse("research:round", args=[round.pk])
    assert not round.assignments.filter(priority__isnull=True).exists()


def test_the_uncertain_first_snippet_posts_to_the_rounds_action(coded, network_researcher):
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    round = make_round(coded[:2], network_researcher)
    html = render_to_string(
        "classify/_uncertain_first.html", {"round": round}, request=RequestFactory().get("/")
    )
    assert f'action="{reverse("classify:uncertain_first", args=[round.pk])}"' in html
    assert 'method="post"' in html and "csrfmiddlewaretoken" in html
