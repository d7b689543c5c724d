"""Passage vectors cached on disk by the sha256 of their text, one table per model.

Encoding is the slowest step of ingestion (~12–20 clauses/s on two cores), so re-ingesting
a document, rebuilding a lost index or classifying topics never encodes the same text twice.
The cache is an SQLite file (stdlib; a transaction per ``put`` so a crash never leaves a
half-written vector, and several processes may read it) inside the index directory.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

CACHE_FILE = "vectors.sqlite"


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _table(model_name: str) -> str:
    return "v_" + re.sub(r"[^0-9A-Za-z_]", "_", model_name)


class VectorCache:
    """``VectorCache(dir, model_name)``: ``get_many(texts)`` / ``put_many(texts, vectors)``.

    Only passage vectors are cached (query vectors are cheap and one-off).
    """

    def __init__(self, directory: str | Path, model_name: str, dim: int | None = None) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.model_name = model_name
        self.dim = dim
        self.path = self.directory / CACHE_FILE
        self._table = _table(model_name)
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute(
            f"CREATE TABLE IF NOT EXISTS {self._table} (k TEXT PRIMARY KEY, dim INTEGER, v BLOB)")
        self._conn.commit()

    def get_many(self, texts: Sequence[str]) -> list[np.ndarray | None]:
        keys = [text_key(t) for t in texts]
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for i in range(0, len(keys), 500):
                chunk = list(set(keys[i:i + 500]))
                marks = ",".join("?" * len(chunk))
                rows = self._conn.execute(
                    f"SELECT k, dim, v FROM {self._table} WHERE k IN ({marks})", chunk)
                for k, dim, blob in rows:
                    if self.dim is None or dim == self.dim:
                        found[k] = np.frombuffer(blob, dtype=np.float32, count=dim)
        return [found.get(k) for k in keys]

    def put_many(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        vectors = np.asarray(vectors, dtype=np.float32)
        if len(texts) != len(vectors):
            raise ValueError(f"put_many: {len(texts)} texts but {len(vectors)} vectors")
        rows = [(text_key(t), int(v.shape[0]), v.tobytes()) for t, v in zip(texts, vectors)]
        with self._lock, self._conn:
            self._conn.executemany(
                f"INSERT OR REPLACE INTO {self._table} (k, dim, v) VALUES (?, ?, ?)", rows)

    def __len__(self) -> int:
        with self._lock:
            return int(self._conn.execute(f"SELECT COUNT(*) FROM {self._table}").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def encode_passages_cached(encoder, cache: VectorCache | None, texts: Sequence[str],
                           batch_size: int = 64) -> np.ndarray:
    """Passage vectors for ``texts``, encoding only those not yet in ``cache``.

    Duplicate texts are encoded once. With ``cache`` None this is ``encoder.encode_passages``.
    """
    texts = list(texts)
    if cache is None:
        return encoder.encode_passages(texts)
    out = np.zeros((len(texts), encoder.dim), dtype=np.float32)
    cached = cache.get_many(texts)
    missing: dict[str, list[int]] = {}
    for i, (text, vec) in enumerate(zip(texts, cached)):
        if vec is None:
            missing.setdefault(text, []).append(i)
        else:
            out[i] = vec
    todo = list(missing)
    for start in range(0, len(todo), batch_size):
        chunk = todo[start:start + batch_size]
        vecs = encoder.encode_passages(chunk)
        cache.put_many(chunk, vecs)  # saved per batch: an interrupted ingest keeps its work
        for text, vec in zip(chunk, vecs):
            for i in missing[text]:
                out[i] = vec
    return out
