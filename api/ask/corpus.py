"""Every clause of the workspace cut into the units an answer verifies, built once per store state.

A clause's text is cut into sentences (。！？ and line breaks: the quote an answer shows) and
each sentence into units (；: one provision). Verification reads a unit; the evidence quotes
its whole sentence. ``AskCorpus.build(passages, documents)`` takes the search index's passages
(clause IRI, document id, text) and the catalog's documents; units are ordered by (source file,
clause path, offset), so every scan visits them in the same order in every process.

Units that repeat a provision word for word (a city copying its province's sentence; a plan
re-issued under a new number) share one **distinct text** (``distinct[i]``: the first such unit,
``members(i)``: every unit with that text and sentence). The term index, word scores and
constraint checks run over distinct texts, so a provision is read once however many documents
copy it; which of its units answer is then decided per unit (its document, its clause's dense
rank). ``doc_frequency(term)`` still counts units (each copy once): the weight of a question's word
is its inverse document frequency over the corpus as written.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

SENTENCE_END = re.compile(r"[。！？!?]+|\n+")
UNIT_END = re.compile(r"[；;]")


@dataclass(frozen=True)
class Unit:
    key: int
    clause_id: str
    doc_id: str
    path: str
    text: str  # the unit (one provision)
    sentence: str  # the whole sentence it belongs to (the quote)
    sentence_start: int  # offset of the sentence in the clause text
    offset: int  # offset of the unit in the clause text
    distinct: int = 0  # the key of its distinct text (see the module docstring)


def _path_key(path: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 10**6 for p in path.split("."))


def split_units(text: str) -> list[tuple[int, int, int, int]]:
    """(sentence start, sentence end, unit start, unit end) over ``text``."""
    out = []
    pos = 0
    bounds = [m.end() for m in SENTENCE_END.finditer(text)] + [len(text)]
    for end in bounds:
        if end <= pos:
            continue
        s0, s1 = pos, end
        while s0 < s1 and text[s0].isspace():
            s0 += 1
        sent = text[s0:s1]
        if sent.strip():
            u0 = s0
            for m in list(UNIT_END.finditer(sent)) + [None]:
                u1 = s0 + (m.end() if m else len(sent))
                if text[u0:u1].strip():
                    out.append((s0, s1, u0, u1))
                u0 = u1
        pos = end
    return out


@dataclass
class AskCorpus:
    units: list[Unit] = field(default_factory=list)
    distinct: list[Unit] = field(default_factory=list)  # the first unit of each distinct text
    copies: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # units per distinct text
    unit_docs: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # document number per unit
    doc_ids: list[str] = field(default_factory=list)  # document number → id (sorted ids)
    _member_keys: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    _member_starts: np.ndarray = field(default_factory=lambda: np.zeros(1, np.int64))
    doc_region: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    _df: dict[str, int] = field(default_factory=dict)
    _with: dict[str, frozenset[int]] = field(default_factory=dict)
    _arrays: dict[str, np.ndarray] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def build(cls, passages: Iterable[Any], documents: dict[str, dict[str, Any]]) -> AskCorpus:
        by_id = {d["id"]: d for d in documents.values()}
        rows = []
        for p in passages:
            doc = by_id.get(p.doc_id)
            if doc is None or not p.text:
                continue
            path = p.id.rsplit("/clause/", 1)[-1]
            rows.append((((doc.get("source") or {}).get("file") or "", p.doc_id, _path_key(path), path), p, path))
        rows.sort(key=lambda r: r[0])
        corpus = cls()
        seen: dict[tuple[str, str], int] = {}
        for _, p, path in rows:
            text = p.text
            for s0, s1, u0, u1 in split_units(text):
                sentence = text[s0:s1].strip()
                unit_text = text[u0:u1].strip()
                d = seen.setdefault((unit_text, sentence), len(seen))
                unit = Unit(len(corpus.units), p.id, p.doc_id, path, unit_text, sentence, s0, u0, d)
                corpus.units.append(unit)
                if d == len(corpus.distinct):
                    corpus.distinct.append(unit)
        corpus.doc_region = {d["id"]: d.get("region") for d in documents.values()}
        corpus.doc_ids = sorted({u.doc_id for u in corpus.units})
        number = {d: i for i, d in enumerate(corpus.doc_ids)}
        corpus.unit_docs = np.fromiter((number[u.doc_id] for u in corpus.units), dtype=np.int64,
                                       count=len(corpus.units))
        of = np.fromiter((u.distinct for u in corpus.units), dtype=np.int64, count=len(corpus.units))
        corpus.copies = np.bincount(of, minlength=len(corpus.distinct)).astype(np.int64)
        corpus._member_keys = np.argsort(of, kind="stable").astype(np.int64)  # unit keys by distinct text
        corpus._member_starts = np.concatenate(([0], np.cumsum(corpus.copies))).astype(np.int64)
        corpus._index_bigrams()
        return corpus

    def doc_numbers(self, doc_ids: Iterable[str]) -> np.ndarray:
        """The numbers of ``doc_ids`` (those that have units) in ``unit_docs``."""
        wanted = set(doc_ids)
        return np.asarray([i for i, d in enumerate(self.doc_ids) if d in wanted], dtype=np.int64)

    def members(self, distinct: int) -> np.ndarray:
        """Keys of the units whose text and sentence are the distinct text ``distinct`` (in order)."""
        return self._member_keys[self._member_starts[distinct]:self._member_starts[distinct + 1]]

    def _index_bigrams(self) -> None:
        """Character-bigram postings over every distinct text, built in numpy: each bigram of
        each text as one 63-bit number (two code points, 21 bits each, then the text's key),
        sorted and deduplicated once; a bigram's postings are a slice of the sorted keys."""
        texts = [u.text for u in self.distinct]
        if not texts or len(texts) >= 1 << 21:
            self._codes = np.zeros(0, np.uint64)
            self._starts = np.zeros(1, np.int64)
            self._unit_keys = np.zeros(0, np.int64)
            if texts:  # beyond 2M units the keys do not fit the packing: sets per bigram
                self._postings_py = _python_postings(self.distinct)
            return
        joined = "\x00".join(texts) + "\x00"
        cp = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.uint64)
        lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
        unit_of = np.repeat(np.arange(len(texts), dtype=np.uint64), lengths)
        first, second = cp[:-1], cp[1:]
        ok = (first != 0) & (second != 0)
        packed = (first[ok] << np.uint64(42)) | (second[ok] << np.uint64(21)) | unit_of[:-1][ok]
        packed.sort()  # then drop repeats (np.unique hashes, ten times slower here)
        if len(packed):
            packed = packed[np.concatenate(([True], packed[1:] != packed[:-1]))]
        codes = packed >> np.uint64(21)
        self._unit_keys = (packed & np.uint64((1 << 21) - 1)).astype(np.int64)
        bounds = np.flatnonzero(np.diff(codes)) + 1
        self._codes = codes[np.concatenate(([0], bounds))] if len(codes) else codes
        self._starts = np.concatenate(([0], bounds, [len(codes)])).astype(np.int64)

    def _postings(self, gram: str) -> np.ndarray:
        if getattr(self, "_postings_py", None) is not None:
            return np.fromiter(sorted(self._postings_py.get(gram, ())), dtype=np.int64)
        code = np.uint64((ord(gram[0]) << 21) | ord(gram[1]))
        i = int(np.searchsorted(self._codes, code))
        if i >= len(self._codes) or self._codes[i] != code:
            return np.zeros(0, np.int64)
        return self._unit_keys[self._starts[i]:self._starts[i + 1]]

    def keys_with(self, term: str) -> np.ndarray:
        """Keys of the distinct texts that contain ``term``, sorted (a character-bigram index,
        then the text itself where the bigrams alone do not decide; cached per term)."""
        with self._lock:
            hit = self._arrays.get(term)
        if hit is not None:
            return hit
        if len(term) < 2:
            keys = np.fromiter((u.distinct for u in self.distinct if term in u.text), dtype=np.int64)
        else:
            lists = sorted((self._postings(term[i:i + 2]) for i in range(len(term) - 1)), key=len)
            pool = lists[0]
            for other in lists[1:]:
                if not len(pool):
                    break
                pool = np.intersect1d(pool, other, assume_unique=True)
            if len(term) > 2:  # a two-character term is its bigram: the postings are exact
                texts = self.distinct
                pool = np.fromiter((k for k in pool.tolist() if term in texts[k].text), dtype=np.int64)
            keys = pool
        with self._lock:
            self._arrays[term] = keys
        return keys

    def texts_with(self, term: str) -> frozenset[int]:
        """``keys_with`` as a set (cached per term)."""
        with self._lock:
            hit = self._with.get(term)
        if hit is not None:
            return hit
        keys = frozenset(self.keys_with(term).tolist())
        with self._lock:
            self._with[term] = keys
        return keys

    def __len__(self) -> int:
        return len(self.units)

    def doc_frequency(self, term: str) -> int:
        """How many units (every copy of a text) contain ``term``."""
        with self._lock:
            n = self._df.get(term)
        if n is None:
            n = int(self.copies[self.keys_with(term)].sum())
            with self._lock:
                self._df[term] = n
        return n

    def idf(self, term: str) -> float:
        n = len(self.units) or 1
        return math.log((n + 1) / (self.doc_frequency(term) + 0.5))


def _python_postings(texts: list[Unit]) -> dict[str, set[int]]:
    postings: dict[str, set[int]] = {}
    for u in texts:
        for i in range(len(u.text) - 1):
            postings.setdefault(u.text[i:i + 2], set()).add(u.distinct)
    return postings
