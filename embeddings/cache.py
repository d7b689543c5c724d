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

    ``read_only=True`` (a workspace served read-only, several processes at once): the file is
    opened only when first read, never created, and ``put_many`` keeps nothing; searching and
    answering never read it, so they leave the folder as it was (a read creates SQLite's
    ``-wal``/``-shm`` beside the file, as any reader of a WAL database does).
    """

    def __init__(self, directory: str | Path, model_name: str, dim: int | None = None, *,
                 read_only: bool = False) -> None:
        self.directory = Path(directory)
        self.read_only = read_only
        if not read_only:
            self.directory.mkdir(parents=True, exist_ok=True)
        self.model_name = model_name
        self.dim = dim
        self.path = self.directory / CACHE_FILE
        self._table = _table(model_name)
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        if not read_only:
            self._conn = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute(
                f"CREATE TABLE IF NOT EXISTS {self._table} (k TEXT PRIMARY KEY, dim INTEGER, v BLOB)")
            self._conn.commit()

    def _reader(self) -> sqlite3.Connection | None:
        """The connection (under ``_lock``); read-only: opened on first use, None when there
        is no file or no table for this model (nothing cached)."""
        if self._conn is None and self.read_only and self.path.is_file():
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False, timeout=30)
            if conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?",
                            (self._table,)).fetchone() is None:
                conn.close()
                return None
            self._conn = conn
        return self._conn

    def get_many(self, texts: Sequence[str]) -> list[np.ndarray | None]:
        keys = [text_key(t) for t in texts]
        found: dict[str, np.ndarray] = {}
        with self._lock:
            conn = self._reader()
            for i in range(0, len(keys) if conn is not None else 0, 500):
                chunk = list(set(keys[i:i + 500]))
                marks = ",".join("?" * len(chunk))
                rows = conn.execute(
                    f"SELECT k, dim, v FROM {self._table} WHERE k IN ({marks})", chunk)
                for k, dim, blob in rows:
                    if self.dim is None or dim == self.dim:
                        found[k] = np.frombuffer(blob, dtype=np.float32, count=dim)
        return [found.get(k) for k in keys]

    def put_many(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        vectors = np.asarray(vectors, dtype=np.float32)
        if len(texts) != len(vectors):
            raise ValueError(f"put_many: {len(texts)} texts but {len(vectors)} vectors")
        if self.read_only:
            return  # computed for this answer, kept nowhere
        rows = [(text_key(t), int(v.shape[0]), v.tobytes()) for t, v in zip(texts, vectors)]
        with self._lock, self._conn:
            self._conn.executemany(
                f"INSERT OR REPLACE INTO {self._table} (k, dim, v) VALUES (?, ?, ?)", rows)

    def __len__(self) -> int:
        with self._lock:
            conn = self._reader()
            return 0 if conn is None else int(conn.execute(f"SELECT COUNT(*) FROM {self._table}").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                if self.read_only:
                    self._conn = None  # opened again on the next read


def encode_passages_cached(encoder, cache: VectorCache | None, texts: Sequence[str],
                           batch_size: int = 64, segmenter=None) -> np.ndarray:
    """Passage vectors for ``texts``, encoding only those not yet in ``cache``.

    Duplicate texts are encoded once. With ``cache`` None this is ``encoder.encode_passages``.
    With a ``segmenter`` (embeddings/sentences.py) a text of several sentences is never
    encoded whole: its vector is the normalised mean of its sentences' vectors, which are
    encoded (and cached) once and serve the sentence index, the clause, the measure around it
    and the target sentence inside it alike, so each piece of text is encoded once.
    """
    texts = list(texts)
    if segmenter is not None:
        return compose_passages(encoder, cache, texts, segmenter, batch_size)
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


def compose_passages(encoder, cache: VectorCache | None, texts: Sequence[str], segmenter,
                     batch_size: int = 64) -> np.ndarray:
    """Vectors of ``texts`` from their sentences (see ``encode_passages_cached``): a text of
    one sentence (or shorter than the segmenter's ``min_clause_chars``) is encoded as it is."""
    parts = [segmenter.sentences(t) or [t] for t in texts]
    atoms = list(dict.fromkeys(p for ps in parts for p in ps))
    vectors = encode_passages_cached(encoder, cache, atoms, batch_size) if atoms else \
        np.zeros((0, encoder.dim), dtype=np.float32)
    row = {a: i for i, a in enumerate(atoms)}
    out = np.zeros((len(texts), encoder.dim), dtype=np.float32)
    for i, ps in enumerate(parts):
        v = vectors[[row[p] for p in ps]].mean(axis=0) if len(ps) > 1 else vectors[row[ps[0]]]
        norm = float(np.linalg.norm(v))
        out[i] = v / norm if norm else v
    return out


def import_vectors(target: VectorCache, source: str | Path) -> int:
    """Copy into ``target`` the vectors another cache holds for ``target``'s model (a
    ``vectors.sqlite`` or the folder holding one, e.g. from ``policykg encode`` on another
    machine); returns how many. Vectors are keyed by the sha256 of their text, so only text
    that is the same byte for byte is ever matched. A source without vectors for this model
    raises ``ValueError`` naming the models it has."""
    path = Path(source)
    if path.is_dir():
        path = path / CACHE_FILE
    if not path.is_file():
        raise ValueError(f"vector cache {source}: no {CACHE_FILE} there")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name LIKE 'v_%'")]
        if target._table not in tables:
            models = ", ".join(t[2:] for t in tables) or "none"
            raise ValueError(f"vector cache {source}: no vectors for model {target.model_name} "
                             f"(it holds: {models}); encode with the same model")
        rows = conn.execute(f"SELECT k, dim, v FROM {target._table}").fetchall()
    finally:
        conn.close()
    if target.dim is not None:
        wrong = sum(1 for _, dim, _ in rows if dim != target.dim)
        if wrong:
            raise ValueError(f"vector cache {source}: {wrong} vectors of another dimension than "
                             f"{target.dim} for model {target.model_name}")
    with target._lock, target._conn:
        target._conn.executemany(
            f"INSERT OR IGNORE INTO {target._table} (k, dim, v) VALUES (?, ?, ?)", rows)
    return len(rows)
