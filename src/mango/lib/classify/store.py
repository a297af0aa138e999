"""Saving and loading a trained model: a directory with the model, its metadata and a signature.

A model directory holds:
- ``model.pkl``: the fitted estimator, pickled;
- ``metadata.json``: labels, parameters, library versions, codebook version, the SHA-256 of
  the training data, cross-validated metrics, creation time, and the model file's SHA-256;
- ``signature``: HMAC-SHA256, in hex, over both files' SHA-256 digests, with a secret key.

Unpickling runs code, so ``load`` checks the signature *before* it unpickles: a model file
that this installation did not write (another key), or that was changed since (model or
metadata), is refused with ``ModelFileError``. A file written with another scikit-learn
version is refused too: scikit-learn does not promise that a pickle survives an upgrade.

The key: the caller may pass one; else ``MANGO_MODEL_KEY`` from the environment; else a key
file, created once with a random key and 0600 permissions (default: ``mango/model.key`` in
the user's data directory, ``$XDG_DATA_HOME`` or ``~/.local/share``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import importlib.metadata
import json
import os
import pickle
import platform
import secrets
from pathlib import Path

MODEL_FILE = "model.pkl"
METADATA_FILE = "metadata.json"
SIGNATURE_FILE = "signature"
FORMAT = "mango-classifier/1"
KEY_ENV = "MANGO_MODEL_KEY"
_DOMAIN = b"mango-model-signature/1\x00"
_VERSIONED = ("scikit-learn", "numpy", "scipy")


class ModelFileError(Exception):
    """A model directory that cannot or must not be loaded; the message says why."""


def default_key_file() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "mango" / "model.key"


def resolve_key(key: bytes | str | None = None, key_file: Path | str | None = None) -> bytes:
    """The signing key: ``key`` if given, else $MANGO_MODEL_KEY, else the key file's content
    (created with a new random key the first time)."""
    key = key or os.environ.get(KEY_ENV)
    if key:
        return key.encode() if isinstance(key, str) else key
    path = Path(key_file) if key_file else default_key_file()
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: if another process creates it first, read that one instead of overwriting.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_key(path)
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_hex(32) + "\n")
    return _read_key(path)


def _read_key(path: Path) -> bytes:
    key = path.read_text().strip()
    if not key:
        raise ModelFileError(f"The model key file {path} is empty.")
    return key.encode()


def versions() -> dict:
    out = {"python": platform.python_version()}
    for dist in (*_VERSIONED, "mango"):
        try:
            out[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            out[dist] = None
    return out


def _signature(key: bytes, model_bytes: bytes, metadata_bytes: bytes) -> str:
    message = _DOMAIN + hashlib.sha256(model_bytes).digest()
    message += hashlib.sha256(metadata_bytes).digest()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _jsonable(value):
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return repr(value)


def save(
    model,
    directory: Path | str,
    *,
    key: bytes | str | None = None,
    key_file: Path | str | None = None,
    training_data_sha256: str | None = None,
    codebook_version: str | None = None,
    metrics: dict | None = None,
    extra: dict | None = None,
) -> dict:
    """Write ``model`` to ``directory`` (created if needed); returns the metadata written."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    model_bytes = pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL)
    metadata = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "estimator": type(model).__name__,
        "labels": list(getattr(model, "labels_", [])),
        "params": _jsonable(model.get_params(deep=False)),
        "learned": _jsonable(
            {
                "C": getattr(model, "C_", None),
                "thresholds": [round(float(t), 6) for t in getattr(model, "thresholds_", [])],
                "out_of_fold_f1": [round(float(f), 4) for f in getattr(model, "oof_f1_", [])],
                "cv_results": getattr(model, "cv_results_", None),
            }
        ),
        "codebook_version": codebook_version,
        "training_data_sha256": training_data_sha256,
        "metrics": _jsonable(metrics),
        "versions": versions(),
        "model_sha256": hashlib.sha256(model_bytes).hexdigest(),
        **_jsonable(extra or {}),
    }
    metadata_bytes = (json.dumps(metadata, indent=2, ensure_ascii=False) + "\n").encode()
    signature = _signature(resolve_key(key, key_file), model_bytes, metadata_bytes)
    (directory / MODEL_FILE).write_bytes(model_bytes)
    (directory / METADATA_FILE).write_bytes(metadata_bytes)
    (directory / SIGNATURE_FILE).write_text(signature + "\n")
    return metadata


def read_metadata(
    directory: Path | str, *, key: bytes | str | None = None, key_file: Path | str | None = None
) -> tuple[dict, bytes]:
    """The verified metadata and the model's bytes, not yet unpickled."""
    directory = Path(directory)
    try:
        model_bytes = (directory / MODEL_FILE).read_bytes()
        metadata_bytes = (directory / METADATA_FILE).read_bytes()
        signature = (directory / SIGNATURE_FILE).read_text().strip()
    except FileNotFoundError as err:
        raise ModelFileError(
            f"{directory} is not a Mango model directory: {Path(err.filename).name} is missing."
        ) from None
    except OSError as err:
        raise ModelFileError(f"Cannot read the model in {directory}: {err.strerror}.") from None
    expected = _signature(resolve_key(key, key_file), model_bytes, metadata_bytes)
    if not hmac.compare_digest(signature, expected):
        raise ModelFileError(
            f"Refusing to load {directory}: its signature does not match. It was written by "
            "another Mango installation (another model key) or changed since it was saved; "
            "loading it would run code from the file."
        )
    metadata = json.loads(metadata_bytes)
    if metadata.get("format") != FORMAT:
        raise ModelFileError(
            f"{directory} holds a model of another format: {metadata.get('format')}."
        )
    return metadata, model_bytes


def load(
    directory: Path | str, *, key: bytes | str | None = None, key_file: Path | str | None = None
) -> tuple[object, dict]:
    """(model, metadata) from a directory that ``save`` wrote with the same key."""
    metadata, model_bytes = read_metadata(directory, key=key, key_file=key_file)
    saved = metadata.get("versions", {})
    current = versions()
    for dist in _VERSIONED:
        if saved.get(dist) != current[dist]:
            raise ModelFileError(
                f"The model in {directory} was trained with {dist} {saved.get(dist)}; this is "
                f"{dist} {current[dist]}. Train it again with this version."
            )
    return pickle.loads(model_bytes), metadata  # noqa: S301 - signature verified above
