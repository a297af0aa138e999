"""mango.lib.classify: featuriser, folds, classifier, evaluation and model files."""

import json
import pickle
import random
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import cohen_kappa_score
from sklearn.svm import LinearSVC

from mango.lib.classify import featurise, folds, io, store
from mango.lib.classify.evaluate import (
    CHANCE_KAPPA,
    chance_level,
    cohen_kappa,
    cross_validate,
    metrics,
)
from mango.lib.classify.model import (
    DIMENSIONS,
    MultiLabelClassifier,
    ScreeningClassifier,
    best_threshold,
    nb_ratios,
    uncertainty,
)

STORIES = Path(__file__).resolve().parent.parent / "src/mango/demo/stories.json"
KEY = b"a key for tests only"

# Not in the demo stories: fear before an operation, and comfort that eased it.
DUTCH_EMOTIONAL_SUPPORT = (
    "Mijn moeder was doodsbang voor de operatie en lag de hele nacht te huilen. De "
    "nachtverpleegkundige kwam naast haar zitten, hield haar hand vast en bleef rustig met "
    "haar praten tot de angst wegebde en ze kon slapen. Die troost hebben we nooit vergeten."
)


def demo_stories():
    stories = json.loads(STORIES.read_text())["stories"]
    texts = [s["text"] for s in stories]
    Y = np.array([[int(d in s["dimensions"]) for d in DIMENSIONS] for s in stories])
    screening = np.array([int(s["is_mangomoment"]) for s in stories])
    return texts, Y, screening


@pytest.fixture(scope="module")
def demo_model():
    texts, Y, _ = demo_stories()
    return MultiLabelClassifier(C=0.3).fit(texts, Y, labels=list(DIMENSIONS))


def synthetic(n=120, seed=0):
    """Texts about food, about pain, or both, with filler words; labels food and pain."""
    rng = random.Random(seed)
    food = ["soup", "breakfast", "sandwich", "coffee", "dinner", "boterham", "soep"]
    pain = ["pain", "painkiller", "ache", "sore", "pijn", "douleur"]
    filler = [f"w{i}" for i in range(300)]
    texts, Y = [], []
    for i in range(n):
        has_food, has_pain = i % 3 != 1, i % 3 != 0
        words = rng.sample(filler, 6)
        words += [rng.choice(food)] * has_food + [rng.choice(pain)] * has_pain
        rng.shuffle(words)
        texts.append(" ".join(words) + f" n{i}")
        Y.append([int(has_food), int(has_pain)])
    return texts, np.array(Y)


# --- the featuriser ------------------------------------------------------------------------


def _hash(s: str) -> int:
    h = featurise._Hasher(s)
    return int(h(np.array([0]), np.array([len(h.codes)]))[0])


@pytest.mark.parametrize(
    "text",
    [
        "De verpleegster bracht een mango.",
        "L'infirmière m'a apporté un café à 3h du matin !",
        "a  b\tc\nd",
        "Één",
        "x",
    ],
)
def test_char_ngrams_are_those_of_scikit_learns_char_wb(text):
    analyzer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5)).build_analyzer()
    normalised = featurise.normalise(text)
    _, hashes = featurise.char_ngrams([normalised], (2, 5))
    assert Counter(int(h) for h in hashes) == Counter(_hash(g) for g in analyzer(normalised))


def test_word_ngrams_are_runs_of_word_characters():
    text = featurise.normalise("Het eten, écht lekker: dank-u-wel!")
    words = re.findall(r"\w+", text)
    expected = words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    _, hashes = featurise.word_ngrams([text], (1, 2))
    assert Counter(int(h) for h in hashes) == Counter(_hash(g) for g in expected)


def test_normalise_lowercases_strips_accents_and_collapses_spaces():
    assert featurise.normalise("  Ça  VA\n très BIEN ") == "ca va tres bien"


def test_ngrams_never_cross_from_one_text_to_the_next():
    docs, _ = featurise.char_ngrams(["ab", "", "cd"], (2, 5))
    assert set(docs.tolist()) == {0, 2}
    features = featurise.TextFeatures(min_df=1).fit(["ab cd", "ef"])
    assert features.transform(["ab", "zz", ""]).getnnz(axis=1).tolist()[1:] == [0, 0]


def test_features_are_l2_normalised_per_block_and_ignore_unseen_ngrams():
    features = featurise.TextFeatures(min_df=1)
    X = features.fit_transform(["zorg met een glimlach", "een warme deken"])
    norms = np.sqrt(X.multiply(X).sum(axis=1)).A.ravel()
    assert np.allclose(norms, np.sqrt(2))  # word block and character block, each of norm 1
    again = features.transform(["zorg met een glimlach", "een warme deken"])
    assert abs(again - X).max() < 1e-12


def test_an_unknown_backend_is_a_clear_error_and_embedding_is_known():
    with pytest.raises(
        ValueError, match="Unknown backend 'bert'; known backends: embedding, tfidf"
    ):
        featurise.make_featuriser("bert")
    features = featurise.make_featuriser("embedding", model="/no/such/model")
    assert type(features).__name__ == "EmbeddingFeatures"
    assert features.get_params()["model"] == "/no/such/model"


# --- folds ---------------------------------------------------------------------------------


def test_folds_test_every_row_once_and_keep_identical_texts_together():
    texts = ["Nothing.", "nothing", "NOTHING!"] + [f"comment number {i}" for i in range(57)]
    Y = np.zeros((60, 2), dtype=int)
    Y[::4, 0] = 1
    Y[1::5, 1] = 1
    groups = folds.text_groups(texts)
    assert len(set(groups[:3])) == 1
    splits = folds.folds(Y, 5, groups)
    tested = np.concatenate([test for _, test in splits])
    assert sorted(tested.tolist()) == list(range(60))
    for train, test in splits:
        assert not set(train) & set(test)
        assert {0, 1, 2} <= set(test) or not {0, 1, 2} & set(test)
        assert Y[test].sum(0).min() >= 2  # each fold holds its share of every label


def test_folds_refuse_more_folds_than_distinct_texts():
    with pytest.raises(ValueError, match="Cannot make 5 folds from 3 distinct text"):
        folds.folds(np.array([[1], [0], [1]]), 5)


# --- the classifier ------------------------------------------------------------------------


def test_a_model_trained_on_the_demo_stories_finds_emotional_support_in_a_dutch_story(
    demo_model,
):
    proba = demo_model.predict_proba([DUTCH_EMOTIONAL_SUPPORT])[0]
    predicted = demo_model.predict([DUTCH_EMOTIONAL_SUPPORT])[0]
    emotional = DIMENSIONS.index("emotional_support")
    assert predicted[emotional] == 1
    assert proba[emotional] == proba.max()


def test_probabilities_are_in_zero_one(demo_model):
    proba = demo_model.predict_proba(["Een verpleegster bracht koffie.", "x", "Merci beaucoup"])
    assert proba.shape == (3, len(DIMENSIONS))
    assert ((proba >= 0) & (proba <= 1)).all()


def test_thresholds_come_from_out_of_fold_scores_not_from_the_training_fit():
    # Unique texts and labels that are pure chance: a model memorises its training texts, so
    # thresholds tuned on its own training scores would look perfect. Out of fold, they can do
    # no better than chance.
    rng = np.random.default_rng(1)
    vocabulary = [f"tok{i}" for i in range(3000)]
    texts = [" ".join(rng.choice(vocabulary, 10)) for _ in range(200)]
    Y = (rng.random((200, 2)) < 0.3).astype(int)
    model = MultiLabelClassifier(C=10.0, cv=4).fit(texts, Y)

    in_sample = model.predict_proba(texts)
    tuned_on_training_fit = [best_threshold(in_sample[:, j], Y[:, j])[1] for j in range(2)]
    assert min(tuned_on_training_fit) > 0.95  # the leak this design avoids
    assert model.oof_f1_.max() < 0.7

    # The thresholds are the best cuts of out-of-fold probabilities computed independently:
    # each text scored by a model trained on the other folds only.
    features = model.featuriser_.transform(texts)
    oof = np.zeros(Y.shape)
    for train, test in folds.folds(Y, 4, folds.text_groups(texts), random_state=0):
        for j in range(2):
            fold_model = LinearSVC(C=10.0, random_state=0).fit(features[train], Y[train, j])
            oof[test, j] = fold_model.decision_function(features[test])
    a, b = model.calibration_[:, 0], model.calibration_[:, 1]
    oof_proba = 1 / (1 + np.exp(oof * a + b))
    expected = [best_threshold(oof_proba[:, j], Y[:, j])[0] for j in range(2)]
    assert model.thresholds_ == pytest.approx(expected, abs=1e-6)


def test_uncertainty_is_one_on_a_threshold_and_zero_at_the_far_ends():
    thresholds = np.array([0.2, 0.6])
    proba = np.array(
        [
            [0.2, 1.0],  # first label exactly on its threshold
            [0.0, 1.0],  # both as far from their thresholds as they can be
            [0.6, 0.3],  # 0.6 is half-way above 0.2; 0.3 is half-way below 0.6
            [1.0, 0.45],  # the second label, a quarter of the way below 0.6, decides
        ]
    )
    assert uncertainty(proba, thresholds) == pytest.approx([1.0, 0.0, 0.5, 0.75])


def test_best_threshold_keeps_ties_together_and_maximises_f1():
    proba = np.array([0.9, 0.8, 0.8, 0.3, 0.1])
    y = np.array([1, 1, 0, 0, 0])
    threshold, f1 = best_threshold(proba, y)
    assert threshold == pytest.approx(0.55)  # cuts below the tied pair, not inside it
    assert f1 == pytest.approx(0.8)


def test_a_label_without_positive_examples_is_a_clear_error():
    texts, Y = synthetic()
    Y[:, 1] = 0
    with pytest.raises(ValueError, match="No positive example for label\\(s\\): pain"):
        MultiLabelClassifier().fit(texts, Y, labels=["food", "pain"])


def test_a_label_with_one_positive_example_or_all_positive_is_a_clear_error():
    texts, Y = synthetic()
    Y[:, 1] = 0
    Y[0, 1] = 1
    with pytest.raises(ValueError, match="Too few positive examples .*: pain \\(1\\)"):
        MultiLabelClassifier().fit(texts, Y, labels=["food", "pain"])
    Y[:, 1] = 1
    with pytest.raises(ValueError, match="No negative example for label\\(s\\): pain"):
        MultiLabelClassifier().fit(texts, Y, labels=["food", "pain"])


def test_empty_texts_are_a_clear_error():
    texts, Y = synthetic()
    texts[3] = "   "
    with pytest.raises(ValueError, match="1 text\\(s\\) are empty or not text: number\\(s\\) 4"):
        MultiLabelClassifier().fit(texts, Y)


def test_c_is_chosen_inside_the_training_data_for_each_label():
    texts, Y = synthetic()
    model = MultiLabelClassifier(C_grid=(0.01, 1.0), C_per_label=True, cv=3).fit(texts, Y)
    assert set(model.cv_results_) == {0.01, 1.0}
    assert len(model.C_) == 2 and set(model.C_) <= {0.01, 1.0}
    splits = folds.folds(Y, 3, folds.text_groups(texts), random_state=0)
    features = model.featuriser_.transform(texts)
    for j in range(2):
        f1 = {}
        for C in (0.01, 1.0):
            oof = np.zeros(len(texts))
            for train, test in splits:
                fitted = LinearSVC(C=C, random_state=0).fit(features[train], Y[train, j])
                oof[test] = fitted.decision_function(features[test])
            f1[C] = best_threshold(oof, Y[:, j])[1]
        assert f1[model.C_[j]] == max(f1.values())
    one = MultiLabelClassifier(C_grid=(0.01, 1.0), cv=3).fit(texts, Y)
    assert one.C_[0] == one.C_[1]
    assert one.cv_results_[one.C_[0]] == max(one.cv_results_.values())


def test_isotonic_calibration_and_logistic_regression_work_too():
    texts, Y = synthetic()
    model = MultiLabelClassifier(estimator="logistic", calibration="isotonic", C=1.0, cv=3)
    model.fit(texts, Y, labels=["food", "pain"])
    assert model.predict(["soup and coffee w1 w2", "pijn w3 w4"]).tolist() == [[1, 0], [0, 1]]


def test_nb_ratios_are_the_log_count_ratios_of_wang_and_manning():
    X = sp.csr_matrix(np.array([[2.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 3.0, 1.0]]))
    y = np.array([1, 1, 0])
    p, q = np.array([4.0, 1.0, 2.0]), np.array([1.0, 4.0, 2.0])  # sums plus alpha = 1
    expected = np.log((p / p.sum()) / (q / q.sum()))
    assert nb_ratios(X, y, alpha=1.0) == pytest.approx(expected)
    assert nb_ratios(X.toarray(), y, alpha=1.0) == pytest.approx(expected)


def test_nbsvm_learns_its_ratios_from_the_training_folds_only():
    # Changing the labels of one fold's texts must leave that fold's out-of-fold scores as they
    # were: ratios (or anything else) computed from all rows before the split would change them.
    texts, Y = synthetic()
    model = MultiLabelClassifier(estimator="nbsvm", C=1.0, cv=3).fit(texts, Y)
    features = model.featuriser_.transform(texts)
    splits = folds.folds(Y, 3, folds.text_groups(texts), random_state=0)
    oof, _, _ = model._cross_fit(features, Y, splits, 1.0)
    _, test = splits[0]
    flipped = Y.copy()
    flipped[test] = 1 - flipped[test]
    oof_flipped, _, _ = model._cross_fit(features, flipped, splits, 1.0)
    assert oof_flipped[test] == pytest.approx(oof[test])
    assert not np.allclose(oof_flipped, oof)  # the other folds' models did see the change

    # The fold models are NB-SVMs: the SVM's weights on the scaled features, times the ratios.
    train, test = splits[1]
    r = nb_ratios(features[train], Y[train, 0])
    svm = LinearSVC(C=1.0, random_state=0).fit(features[train] @ sp.diags(r), Y[train, 0])
    assert oof[test, 0] == pytest.approx(svm.decision_function(features[test] @ sp.diags(r)))
    assert model.predict(["soup and coffee w1 w2", "pijn w3 w4"]).tolist() == [[1, 0], [0, 1]]


def test_nbsvm_refuses_negative_features_and_unknown_estimators():
    texts, Y = synthetic()
    rng = np.random.default_rng(0)

    class Signed(BaseEstimator):  # stands in for sentence embeddings
        def fit_transform(self, texts, y=None):
            return self.transform(texts)

        def transform(self, texts):
            return rng.normal(size=(len(texts), 4))

    with pytest.raises(ValueError, match="non-negative features"):
        MultiLabelClassifier(featuriser=Signed(), estimator="nbsvm", C=1.0, cv=3).fit(texts, Y)
    with pytest.raises(ValueError, match="Unknown estimator 'forest'"):
        MultiLabelClassifier(estimator="forest", C=1.0, cv=3).fit(texts, Y)


def test_screening_is_the_one_label_case_with_the_binary_interface():
    texts, _, screening = demo_stories()
    model = ScreeningClassifier(C=0.3, cv=3).fit(texts, screening)
    proba = model.predict_proba(texts[:5])
    assert proba.shape == (5, 2)
    assert np.allclose(proba.sum(axis=1), 1)
    assert model.predict(texts[:5]).shape == (5,)
    assert model.labels_ == ["is_mangomoment"]


# --- evaluation ----------------------------------------------------------------------------


class Spy(ClassifierMixin, BaseEstimator):
    """Remembers its training texts; predicts 1 for texts it has seen."""

    def fit(self, X, Y, labels=None):
        self.seen_ = set(X)
        self.thresholds_ = np.full(Y.shape[1], 0.5)
        return self

    def predict_proba(self, X):
        seen = [float(x in self.seen_) for x in X]
        return np.column_stack([seen, seen])


def test_cross_validation_predicts_every_text_with_a_model_that_never_saw_it():
    texts, Y = synthetic(60)
    result = cross_validate(Spy(), texts, Y, ["food", "pain"], n_splits=4)
    assert result["predictions"].sum() == 0  # no text was in its model's training part
    assert sum(f["n_test"] for f in result["folds"]) == 60


def test_cross_validated_metrics_of_chance_labels_are_near_chance():
    rng = np.random.default_rng(2)
    texts = [" ".join(rng.choice([f"t{i}" for i in range(2000)], 8)) for _ in range(150)]
    Y = (rng.random((150, 2)) < 0.3).astype(int)
    result = cross_validate(MultiLabelClassifier(C=10.0, cv=3), texts, Y, n_splits=3)
    assert result["macro_f1"] < 0.6


def test_metrics_per_label_and_averaged():
    result = metrics([[1, 0], [1, 1], [0, 0]], [[1, 0], [0, 1], [0, 1]], ["a", "b"])
    assert result["labels"]["a"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "support": 2}
    assert result["labels"]["b"]["f1"] == 0.6667
    assert result["macro_f1"] == 0.6667
    assert result["micro_f1"] == 0.6667  # tp 2, fp 1, fn 1


def test_metrics_of_one_label_most_texts_carry_are_about_the_positives():
    # Screening: 17 of 20 stories are Mangomoments and the model calls every one of them so.
    # scikit-learn reads a one-column 0/1 target as binary and lists class 0 first: the
    # "mangomoment" row once showed the 3 exclusions (F1 0.00) instead of the 17 positives.
    truth = [[1]] * 17 + [[0]] * 3
    result = metrics(truth, [[1]] * 20, ["mangomoment"])
    assert result["labels"]["mangomoment"] == {
        "precision": 0.85,
        "recall": 1.0,
        "f1": 0.9189,
        "support": 17,
    }
    assert result["macro_f1"] == result["micro_f1"] == 0.9189
    assert result["micro_precision"] == 0.85  # not the accuracy over both classes
    one_dimensional = metrics([1] * 17 + [0] * 3, [1] * 20, ["mangomoment"])
    assert one_dimensional["labels"] == result["labels"]


def test_cross_validated_screening_figures_are_about_the_mangomoments():
    texts, Y = synthetic(90)
    carried = (Y[:, 0] | Y[:, 1])[:, None]  # every text is about food or pain...
    carried[::9] = 0  # ...and one in nine is not counted: 80 of 90 carry the label
    result = cross_validate(MultiLabelClassifier(C=1.0, cv=3), texts, carried, ["m"], n_splits=3)
    figures = result["labels"]["m"]
    assert figures["support"] == int(carried.sum())
    predicted = result["predictions"][:, 0]
    tp = int((predicted & carried[:, 0]).sum())
    assert figures["precision"] == round(tp / predicted.sum(), 4)
    assert figures["recall"] == round(tp / carried.sum(), 4)


def test_best_threshold_of_a_label_most_texts_carry_is_tuned_on_the_negatives():
    # Eight positives, two negatives among the lowest scores. The positives' F1 is highest
    # (0.889) when every text is called positive, a cut that tells nothing; the negatives'
    # F1 is highest (0.667) with the four lowest called negative.
    proba = np.array([0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.6, 0.5, 0.4, 0.3])
    y = np.array([1, 1, 1, 1, 1, 1, 0, 1, 0, 1])
    threshold, f1 = best_threshold(proba, y)
    assert threshold == pytest.approx(0.65)
    assert f1 == pytest.approx(2 / 3)
    flipped, f1_flipped = best_threshold(1 - proba, 1 - y)  # the same cut, seen from the other side
    assert flipped == pytest.approx(0.35) and f1_flipped == pytest.approx(f1)


def test_chance_level_flags_labels_whose_predictions_agree_no_better_than_chance():
    truth = np.array([[1, 1]] * 17 + [[0, 0]] * 3)
    always_yes = np.ones_like(truth)
    good = truth.copy()
    good[0, 1] = 0  # one miss
    result = chance_level(truth, np.column_stack([always_yes[:, 0], good[:, 1]]), ["m", "x"])
    assert result["labels"]["m"] == {"kappa": 0.0, "accuracy": 0.85, "majority_accuracy": 0.85}
    assert result["at_chance"] == ["m"]
    assert result["model"] is False
    assert result["max_kappa"] == CHANCE_KAPPA
    assert chance_level(truth[:, :1], always_yes[:, :1], ["m"])["model"] is True
    rng = np.random.default_rng(0)
    for _ in range(20):
        a, b = rng.integers(0, 2, 30), rng.integers(0, 2, 30)
        assert cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(a, b))


# --- model files ---------------------------------------------------------------------------


@pytest.fixture
def saved(tmp_path, demo_model):
    directory = tmp_path / "model"
    store.save(demo_model, directory, key=KEY, training_data_sha256="abc", codebook_version="v1")
    return directory


def test_save_and_load_give_identical_predictions_and_the_metadata(saved, demo_model):
    model, metadata = store.load(saved, key=KEY)
    texts = [DUTCH_EMOTIONAL_SUPPORT, "On m'a apporté un café."]
    assert np.array_equal(model.predict_proba(texts), demo_model.predict_proba(texts))
    assert metadata["labels"] == list(DIMENSIONS)
    assert metadata["codebook_version"] == "v1"
    assert metadata["training_data_sha256"] == "abc"
    assert metadata["params"]["featuriser"] == "tfidf"
    assert metadata["versions"]["scikit-learn"]
    assert len(metadata["learned"]["thresholds"]) == len(DIMENSIONS)


@pytest.fixture
def no_unpickling(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("unpickled an unverified file")

    monkeypatch.setattr(store.pickle, "loads", refuse)


def test_a_tampered_model_file_is_refused_before_unpickling(saved, no_unpickling):
    model_file = saved / store.MODEL_FILE
    model_file.write_bytes(model_file.read_bytes() + pickle.dumps("extra"))
    with pytest.raises(store.ModelFileError, match="signature does not match"):
        store.load(saved, key=KEY)


def test_tampered_metadata_is_refused(saved, no_unpickling):
    metadata_file = saved / store.METADATA_FILE
    metadata_file.write_text(metadata_file.read_text().replace('"v1"', '"v2"'))
    with pytest.raises(store.ModelFileError, match="signature does not match"):
        store.load(saved, key=KEY)


def test_a_model_signed_with_another_key_is_refused(saved, no_unpickling):
    with pytest.raises(store.ModelFileError, match="another model key"):
        store.load(saved, key=b"someone else's key")


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(store.ModelFileError, match="not a Mango model directory: model.pkl"):
        store.load(tmp_path, key=KEY)


def test_a_model_from_another_scikit_learn_is_refused(saved, monkeypatch):
    metadata_file = saved / store.METADATA_FILE
    metadata = json.loads(metadata_file.read_text())
    metadata["versions"]["scikit-learn"] = "0.1"
    metadata_bytes = json.dumps(metadata).encode()
    metadata_file.write_bytes(metadata_bytes)
    signature = store._signature(KEY, (saved / store.MODEL_FILE).read_bytes(), metadata_bytes)
    (saved / store.SIGNATURE_FILE).write_text(signature)
    with pytest.raises(store.ModelFileError, match="trained with scikit-learn 0.1"):
        store.load(saved, key=KEY)


def test_the_key_comes_from_the_caller_the_environment_or_a_private_key_file(tmp_path, monkeypatch):
    monkeypatch.delenv(store.KEY_ENV, raising=False)
    key_file = tmp_path / "keys" / "model.key"
    first = store.resolve_key(key_file=key_file)
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert store.resolve_key(key_file=key_file) == first  # created once
    monkeypatch.setenv(store.KEY_ENV, "from-env")
    assert store.resolve_key(key_file=key_file) == b"from-env"
    assert store.resolve_key("explicit", key_file=key_file) == b"explicit"


# --- data files ----------------------------------------------------------------------------


def test_read_data_takes_every_other_column_as_a_label(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("id;text;food;pain\n1;Soep;1;0\n2;Pijn;0;1\n", encoding="utf-8-sig")
    data = io.read_data(path, "text", id_column="id")
    assert data.labels == ["food", "pain"]
    assert data.Y.tolist() == [[1, 0], [0, 1]]
    assert data.ids == ["1", "2"]
    assert io.data_sha256(data.texts, data.Y, data.labels) != io.data_sha256(
        data.texts, 1 - data.Y, data.labels
    )
