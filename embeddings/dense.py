"""The dense (vector) index: FAISS, inner product over L2-normalised vectors (= cosine).

``kind="auto"`` keeps an exact ``IndexFlatIP`` up to ``hnsw_threshold`` vectors (50k by
default) and switches to ``IndexHNSWFlat`` beyond; ``"flat"`` / ``"hnsw"`` force one. Both
sit inside ``IndexIDMap2`` so ids are our stable int64 row keys and vectors can be read back.
HNSW cannot delete in place: removed keys become tombstones that searches skip, and the graph
is rebuilt from the live vectors once tombstones pass a quarter of it.

Filters: a small allowed set (≤ ``exact_filter_limit`` keys) is scored exactly against the
stored vectors, so a filter with few matches never loses results to the approximate graph; a
large one goes to FAISS with an ``IDSelectorBatch``.
"""

from __future__ import annotations

import os
from pathlib import Path

import faiss
import numpy as np

KINDS = ("auto", "flat", "hnsw")


def _keys(keys) -> np.ndarray:
    return np.ascontiguousarray(np.asarray(list(keys) if isinstance(keys, (set, frozenset))
                                           else keys, dtype=np.int64).reshape(-1))


class DenseIndex:
    def __init__(self, dim: int, kind: str = "auto", hnsw_threshold: int = 50_000,
                 hnsw_m: int = 32, ef_construction: int = 80, ef_search: int = 128,
                 exact_filter_limit: int = 20_000) -> None:
        if kind not in KINDS:
            raise ValueError(f"dense index kind {kind!r}: expected one of {KINDS}")
        self.dim = int(dim)
        self.kind = kind
        self.hnsw_threshold = hnsw_threshold
        self.hnsw_m = hnsw_m
        self.ef_construction = ef_construction
        self.ef_search = ef_search
        self.exact_filter_limit = exact_filter_limit
        self._deleted: set[int] = set()
        self._live: set[int] = set()  # keys present and not deleted
        self._index = self._empty("hnsw" if kind == "hnsw" else "flat")

    # ------------------------------------------------------------ structure
    def _empty(self, actual: str) -> faiss.IndexIDMap2:
        if actual == "hnsw":
            inner = faiss.IndexHNSWFlat(self.dim, self.hnsw_m, faiss.METRIC_INNER_PRODUCT)
            inner.hnsw.efConstruction = self.ef_construction
            inner.hnsw.efSearch = self.ef_search
        else:
            inner = faiss.IndexFlatIP(self.dim)
        return faiss.IndexIDMap2(inner)

    @property
    def actual_kind(self) -> str:
        return "hnsw" if isinstance(faiss.downcast_index(self._index.index), faiss.IndexHNSW) \
            else "flat"

    def __len__(self) -> int:
        return len(self._live)

    def __contains__(self, key: int) -> bool:
        return int(key) in self._live

    def live_keys(self) -> np.ndarray:
        keys = faiss.vector_to_array(self._index.id_map).astype(np.int64)
        if self._deleted:
            keys = keys[~np.isin(keys, _keys(self._deleted))]
        return keys

    def _rebuild(self, actual: str) -> None:
        keys = self.live_keys()
        vecs = self._index.reconstruct_batch(keys) if len(keys) else np.zeros((0, self.dim),
                                                                            np.float32)
        self._index = self._empty(actual)
        self._deleted = set()
        if len(keys):
            self._index.add_with_ids(np.ascontiguousarray(vecs, dtype=np.float32), keys)

    def _wanted_kind(self, n: int) -> str:
        if self.kind != "auto":
            return self.kind
        return "hnsw" if n > self.hnsw_threshold else "flat"

    # ------------------------------------------------------------ mutation
    def add(self, keys, vectors: np.ndarray) -> None:
        keys = _keys(keys)
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[1] != self.dim:
            raise ValueError(f"dense index: vectors of shape {vectors.shape}, expected (n, {self.dim})")
        if len(keys) != len(vectors):
            raise ValueError(f"dense index: {len(keys)} keys but {len(vectors)} vectors")
        if not len(keys):
            return
        present = [key for key in keys.tolist() if key in self._live or key in self._deleted]
        if present:  # re-adding a key replaces its vector
            self.remove(present)
            if self.actual_kind == "hnsw":
                self._rebuild("hnsw")
        wanted = self._wanted_kind(len(self) + len(keys))
        if wanted != self.actual_kind:
            self._rebuild(wanted)
        self._index.add_with_ids(vectors, keys)
        self._live.update(keys.tolist())

    def remove(self, keys) -> None:
        keys = _keys(keys)
        keys = _keys([key for key in keys.tolist() if key in self._live])
        if not len(keys):
            return
        self._live.difference_update(keys.tolist())
        if self.actual_kind == "flat":
            self._index.remove_ids(keys)
            return
        self._deleted.update(keys.tolist())
        if len(self._deleted) > 0.25 * max(1, self._index.ntotal):
            self._rebuild(self._wanted_kind(len(self)))

    def reconstruct(self, keys) -> np.ndarray:
        keys = _keys(keys)
        if not len(keys):
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._index.reconstruct_batch(keys)

    # ------------------------------------------------------------ search
    def search(self, queries: np.ndarray, k: int,
               allowed: np.ndarray | set[int] | None = None) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per query row: (keys, scores) best first, at most ``k``, only ``allowed`` keys."""
        queries = np.ascontiguousarray(np.asarray(queries, dtype=np.float32).reshape(-1, self.dim))
        n = len(self)
        if n == 0 or k <= 0:
            return [(np.zeros(0, np.int64), np.zeros(0, np.float32)) for _ in queries]
        if allowed is not None:
            allowed_keys = _keys([key for key in allowed if int(key) in self._live])
            if len(allowed_keys) <= self.exact_filter_limit:
                return self._exact_subset(queries, k, allowed_keys)
            selector = faiss.IDSelectorBatch(allowed_keys)
        elif self._deleted:
            selector = faiss.IDSelectorNot(faiss.IDSelectorBatch(_keys(self._deleted)))
        else:
            selector = None
        kk = min(k, n)
        if self.actual_kind == "hnsw":
            params = faiss.SearchParametersHNSW(efSearch=max(self.ef_search, 2 * kk))
            if selector is not None:
                params.sel = selector
        else:
            params = faiss.SearchParameters(sel=selector) if selector is not None else None
        # One query gains nothing from OpenMP and loses a lot when cores are busy (measured
        # 37 ms → 7 ms at 50k vectors on a loaded 2-core machine), so search single-threaded.
        threads = faiss.omp_get_max_threads()
        if len(queries) <= 4:
            faiss.omp_set_num_threads(1)
        try:
            scores, ids = self._index.search(queries, kk, params=params)
        finally:
            faiss.omp_set_num_threads(threads)
        out = []
        for row_ids, row_scores in zip(ids, scores):
            keep = row_ids >= 0
            out.append((row_ids[keep].astype(np.int64), row_scores[keep].astype(np.float32)))
        return out

    def _exact_subset(self, queries: np.ndarray, k: int,
                      keys: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        if not len(keys):
            return [(np.zeros(0, np.int64), np.zeros(0, np.float32)) for _ in queries]
        vecs = self._index.reconstruct_batch(keys)
        sims = queries @ vecs.T
        out = []
        for row in sims:
            top = np.argsort(-row, kind="stable")[:k]
            out.append((keys[top], row[top].astype(np.float32)))
        return out

    # ------------------------------------------------------------ persistence
    def save(self, path: str | Path) -> None:
        """Write the FAISS index (tombstones compacted away first) atomically."""
        if self._deleted:
            self._rebuild(self._wanted_kind(len(self)))
        path = Path(path)
        tmp = path.with_name(path.name + ".tmp")
        faiss.write_index(self._index, str(tmp))
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: str | Path, dim: int, **options) -> DenseIndex:
        index = faiss.read_index(str(path))  # already downcast; keep this owning proxy
        if not isinstance(index, faiss.IndexIDMap2):
            # a file of the wrong kind is bad input; SearchIndex.open catches ValueError
            raise ValueError(f"{path}: not a policykg dense index (expected IndexIDMap2)")  # noqa: TRY004
        if index.d != dim:
            raise ValueError(f"{path}: FAISS index has dimension {index.d}, expected {dim}")
        self = cls(dim, **options)
        self._index = index
        self._live = set(faiss.vector_to_array(index.id_map).astype(np.int64).tolist())
        if isinstance(faiss.downcast_index(self._index.index), faiss.IndexHNSW):
            faiss.downcast_index(self._index.index).hnsw.efSearch = self.ef_search
        return self
