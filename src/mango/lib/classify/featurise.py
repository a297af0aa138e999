"""Turning texts into feature matrices: the pluggable backends of the classifier.

A featuriser is a scikit-learn transformer: ``fit(texts)`` learns from training texts only,
``transform(texts)`` gives one row per text. The classifier takes any such transformer, so a
second backend, sentence embeddings (``embed.py``), plugs in beside the default one through
``BACKENDS``.

The default, ``TextFeatures``, is TF-IDF over word 1-2 grams and character 2-5 grams within
words (scikit-learn's ``char_wb``), lowercased and without accents, so it needs no language
model and works alike for Dutch, French and English. It gives the same n-grams as
``TfidfVectorizer(analyzer="char_wb")`` and a word analyser that splits on non-word characters,
but finds them with array operations over the whole batch instead of a Python loop per n-gram,
which makes it about ten times faster at prediction time. Each n-gram is identified by a 64-bit
polynomial hash of its characters (computed from prefix sums, so any substring's hash costs two
array lookups); the vocabulary is the sorted array of hashes seen in at least ``min_df``
training texts. Two different n-grams share a hash with a probability near n² / 2⁶⁵: with a
million n-grams, about one chance in 10⁷.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import cache

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.preprocessing import normalize

_MASK = (1 << 64) - 1
_BASE = 0x100000001B3  # odd, so it has an inverse modulo 2**64
_BASE_INVERSE = pow(_BASE, -1, 1 << 64)
_LENGTH_MIX = 0x9E3779B97F4A7C15
_SEP = "\x00"  # between texts in a batch; removed from the texts themselves
_NON_WORD = re.compile(r"[^\w\x00]+")
_SPACE, _SEP_CODE = 32, 0


@cache
def _combining_marks() -> re.Pattern:
    """A pattern for the combining marks of the Basic Multilingual Plane (accents after NFKD)."""
    marks = "".join(chr(c) for c in range(0x10000) if unicodedata.combining(chr(c)))
    return re.compile(f"[{re.escape(marks)}]")


def normalise(text: str) -> str:
    """Lowercase, without accents (NFKD, combining marks dropped), whitespace collapsed."""
    text = text.replace(_SEP, " ").lower()
    if not text.isascii():
        text = _combining_marks().sub("", unicodedata.normalize("NFKD", text))
    return " ".join(text.split())


def _powers(base: int, n: int) -> np.ndarray:
    """base**0 .. base**(n-1) modulo 2**64 (numpy's uint64 arithmetic wraps around)."""
    out = np.full(n, base, dtype=np.uint64)
    out[:1] = 1
    return np.cumprod(out, dtype=np.uint64)


class _Hasher:
    """The hash of any substring of one string in O(1): h(s[a:b]) = sum s[a+k] * BASE**k."""

    def __init__(self, text: str):
        self.codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        n = len(self.codes)
        self.prefix = np.zeros(n + 1, dtype=np.uint64)
        np.cumsum(self.codes.astype(np.uint64) * _powers(_BASE, n), out=self.prefix[1:])
        self.inverse = _powers(_BASE_INVERSE, n + 1)
        # Text number of each position: the count of separators before it.
        self.doc = np.cumsum(self.codes == _SEP_CODE)

    def __call__(self, start: np.ndarray, stop: np.ndarray) -> np.ndarray:
        h = (self.prefix[stop] - self.prefix[start]) * self.inverse[start]
        return h + (stop - start).astype(np.uint64) * np.uint64(_LENGTH_MIX)


def char_ngrams(texts: list[str], ngram_range: tuple[int, int]) -> tuple[np.ndarray, ...]:
    """(text index, hash) of every character n-gram within a word padded with spaces."""
    padded = _SEP.join(f" {t} " if t else "" for t in texts)
    h = _Hasher(padded)
    n_pos = len(h.codes)
    seps = np.concatenate([[0], np.cumsum(h.codes == _SEP_CODE)])
    spaces = np.concatenate([[0], np.cumsum(h.codes == _SPACE)])
    docs, hashes = [], []
    for n in range(ngram_range[0], ngram_range[1] + 1):
        if n_pos < n:
            break
        start = np.arange(n_pos - n + 1)
        stop = start + n
        # No separator inside, and no space except at either end: the n-gram stays in a word.
        ok = (seps[stop] == seps[start]) & (spaces[stop - 1] == spaces[start + 1])
        start, stop = start[ok], stop[ok]
        docs.append(h.doc[start])
        hashes.append(h(start, stop))
    return _concat(docs, np.int64), _concat(hashes, np.uint64)


def word_ngrams(texts: list[str], ngram_range: tuple[int, int]) -> tuple[np.ndarray, ...]:
    """(text index, hash) of every run of 1 to n consecutive words (runs of \\w characters)."""
    joined = _NON_WORD.sub(" ", _SEP.join(texts))
    h = _Hasher(joined)
    in_word = (h.codes != _SPACE) & (h.codes != _SEP_CODE)
    edges = np.diff(np.concatenate([[False], in_word, [False]]).astype(np.int8))
    starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    word_doc = h.doc[starts]
    docs, hashes = [], []
    for n in range(ngram_range[0], ngram_range[1] + 1):
        if len(starts) < n:
            break
        first, last = np.arange(len(starts) - n + 1), np.arange(n - 1, len(starts))
        ok = word_doc[first] == word_doc[last]
        first, last = first[ok], last[ok]
        docs.append(word_doc[first])
        # The words' span, spaces between them included: a unique key for the n-gram.
        hashes.append(h(starts[first], stops[last]))
    return _concat(docs, np.int64), _concat(hashes, np.uint64)


def _counts(docs: np.ndarray, columns: np.ndarray, shape: tuple[int, int]) -> sp.csr_matrix:
    ones = np.ones(len(columns), dtype=np.float64)
    counts = sp.csr_matrix((ones, (docs, columns)), shape=shape)
    counts.sum_duplicates()
    return counts


def _concat(parts: list[np.ndarray], dtype) -> np.ndarray:
    return np.concatenate(parts).astype(dtype, copy=False) if parts else np.zeros(0, dtype)


class _HashedTfidf:
    """TF-IDF over hashed n-grams: the vocabulary and IDF of one n-gram family."""

    def __init__(self, extract: Callable, ngram_range, min_df: int, sublinear_tf: bool):
        self.extract, self.ngram_range = extract, ngram_range
        self.min_df, self.sublinear_tf = min_df, sublinear_tf

    def fit_transform(self, texts: list[str]) -> sp.csr_matrix:
        docs, hashes = self.extract(texts, self.ngram_range)
        vocabulary, columns = np.unique(hashes, return_inverse=True)
        counts = _counts(docs, columns, (len(texts), len(vocabulary)))
        df = np.bincount(counts.indices, minlength=len(vocabulary))
        keep = df >= self.min_df
        self.vocabulary = vocabulary[keep]
        # Smooth IDF as in scikit-learn: as if one extra text held every n-gram once.
        self.idf = np.log((1 + len(texts)) / (1 + df[keep])) + 1.0
        return self._weigh(counts[:, keep])

    def transform(self, texts: list[str]) -> sp.csr_matrix:
        docs, hashes = self.extract(texts, self.ngram_range)
        columns = np.searchsorted(self.vocabulary, hashes)
        known = columns < len(self.vocabulary)
        known[known] = self.vocabulary[columns[known]] == hashes[known]
        return self._weigh(_counts(docs[known], columns[known], (len(texts), len(self.vocabulary))))

    def _weigh(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        counts = counts.tocsr()
        if self.sublinear_tf:
            np.log(counts.data, out=counts.data)
            counts.data += 1.0
        counts.data *= self.idf[counts.indices]
        return normalize(counts, copy=False)


class TextFeatures(TransformerMixin, BaseEstimator):
    """TF-IDF of word and character n-grams, each block L2-normalised, side by side.

    ``min_df``: an n-gram seen in fewer training texts is ignored. ``sublinear_tf``: term
    frequency ``1 + log(count)``. Set ``word_ngrams`` or ``char_ngrams`` to None to leave a
    block out.
    """

    def __init__(
        self,
        word_ngrams: tuple[int, int] | None = (1, 2),
        char_ngrams: tuple[int, int] | None = (2, 5),
        min_df: int = 2,
        sublinear_tf: bool = True,
    ):
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.min_df = min_df
        self.sublinear_tf = sublinear_tf

    def _blocks(self):
        if self.word_ngrams:
            yield word_ngrams, self.word_ngrams
        if self.char_ngrams:
            yield char_ngrams, self.char_ngrams

    def fit(self, texts: Iterable[str], y=None):
        self.fit_transform(texts)
        return self

    def fit_transform(self, texts: Iterable[str], y=None) -> sp.csr_matrix:
        if not (self.word_ngrams or self.char_ngrams):
            raise ValueError("TextFeatures needs word_ngrams, char_ngrams or both.")
        normalised = [normalise(t) for t in texts]
        self.blocks_ = [
            _HashedTfidf(extract, ngrams, self.min_df, self.sublinear_tf)
            for extract, ngrams in self._blocks()
        ]
        out = sp.hstack([b.fit_transform(normalised) for b in self.blocks_], format="csr")
        self.n_features_out_ = out.shape[1]
        return out

    def transform(self, texts: Iterable[str]) -> sp.csr_matrix:
        normalised = [normalise(t) for t in texts]
        return sp.hstack([b.transform(normalised) for b in self.blocks_], format="csr")


def _embedding(**options) -> TransformerMixin:
    from .embed import EmbeddingFeatures  # its encoders load only when used

    return EmbeddingFeatures(**options)


# Backend name -> a factory of an unfitted featuriser (keyword options go to it).
BACKENDS: dict[str, Callable[..., TransformerMixin]] = {
    "tfidf": TextFeatures,
    "embedding": _embedding,
}


def make_featuriser(backend: str, **options) -> TransformerMixin:
    """An unfitted featuriser for a backend name; ValueError naming the known ones."""
    try:
        factory = BACKENDS[backend]
    except KeyError:
        known = ", ".join(sorted(BACKENDS))
        raise ValueError(f"Unknown backend {backend!r}; known backends: {known}.") from None
    return factory(**options)
