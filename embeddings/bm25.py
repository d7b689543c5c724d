"""Lexical search: jieba tokens (with a domain dictionary) scored by BM25 (``bm25s``).

The tokenizer is a private ``jieba.Tokenizer`` (the global one is left alone for other
packages), built lazily once per word list: the packaged ``data/domain_words.txt`` plus the
topic scheme's zh labels and altLabels, so 名师工作室 or 县管校聘 stay one token. Tokens come
from ``cut_for_search`` (long words also yield their parts: 名师工作室 → 名师, 工作室,
名师工作室), lower-cased, without punctuation, whitespace and ``data/stopwords_zh.txt``.
``bm25s`` receives token lists, never strings (its own tokenizer keeps a Chinese sentence
as one token).
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

_WORD_CHARS = re.compile(r"[0-9A-Za-z\u3400-\u9fff]")


def _packaged_lines(name: str) -> list[str]:
    text = resources.files("embeddings").joinpath("data", name).read_text(encoding="utf-8")
    return [line.split()[0] for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    return frozenset(_packaged_lines("stopwords_zh.txt"))


@lru_cache(maxsize=1)
def domain_words() -> tuple[str, ...]:
    return tuple(_packaged_lines("domain_words.txt"))


@lru_cache(maxsize=1)
def domain_word_freqs() -> dict[str, int]:
    """The frequencies ``domain_words.txt`` gives (``非遗 20000``): a word that must win over a
    common word it overlaps (非遗传承人 is 非遗 + 传承人, not 非 + 遗传 + 承人)."""
    text = resources.files("embeddings").joinpath("data", "domain_words.txt").read_text(encoding="utf-8")
    out = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2 and not line.lstrip().startswith("#") and parts[1].isdigit():
            out[parts[0]] = int(parts[1])
    return out


def concept_words(concepts: Iterable | None) -> tuple[str, ...]:
    """The zh labels and altLabels of TopicConcepts (duck-typed: label_zh, alt_zh)."""
    words: list[str] = []
    for concept in concepts or ():
        words.append(concept.label_zh)
        words.extend(concept.alt_zh)
    return tuple(w.strip() for w in words if w and w.strip() and not re.search(r"\s", w.strip()))


@lru_cache(maxsize=4)
def _jieba(words: tuple[str, ...]):
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    freqs = domain_word_freqs()
    for word in words:
        tokenizer.add_word(word, freq=freqs.get(word))
    return tokenizer


class Tokenizer:
    """``Tokenizer(concepts)``: ``tokens(text) -> list[str]`` for BM25 and highlights."""

    def __init__(self, concepts: Iterable | None = None, extra_words: Sequence[str] = ()) -> None:
        words = sorted(set(domain_words()) | set(concept_words(concepts)) | set(extra_words))
        self.words = tuple(words)
        freqs = domain_word_freqs()
        self.fingerprint = hashlib.sha256("\n".join(f"{w} {freqs.get(w, '')}".rstrip() for w in self.words)
                                          .encode()).hexdigest()[:16]

    def tokens(self, text: str) -> list[str]:
        text = unicodedata.normalize("NFKC", text).lower()
        stop = stopwords()
        return [t for t in (tok.strip() for tok in _jieba(self.words).cut_for_search(text))
                if t and t not in stop and _WORD_CHARS.search(t)]

    def tokens_many(self, texts: Sequence[str]) -> list[list[str]]:
        return [self.tokens(t) for t in texts]


class BM25Index:
    """BM25 over token lists, rows in the order given. Scores every row (``scores``) so the
    caller can apply filters exactly; rebuilt from the token lists when rows change (bm25s
    has no incremental add)."""

    def __init__(self, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1 = k1
        self.b = b
        self._retriever = None
        self.size = 0

    def build(self, corpus_tokens: Sequence[Sequence[str]]) -> None:
        import bm25s

        self.size = len(corpus_tokens)
        if not self.size:
            self._retriever = None
            return
        retriever = bm25s.BM25(k1=self.k1, b=self.b)
        retriever.index([list(t) for t in corpus_tokens], show_progress=False)
        self._retriever = retriever

    def scores(self, query_tokens: Sequence[str]) -> np.ndarray:
        if self._retriever is None:
            return np.zeros(self.size, dtype=np.float32)
        known = [t for t in query_tokens if t in self._retriever.vocab_dict]
        if not known:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._retriever.get_scores(known), dtype=np.float32)

    def save(self, directory: Path) -> None:
        if self._retriever is not None:
            self._retriever.save(str(directory))

    @classmethod
    def load(cls, directory: Path, size: int) -> BM25Index:
        import bm25s

        self = cls()
        self.size = size
        if size:
            self._retriever = bm25s.BM25.load(str(directory), mmap=False)
            if self._retriever.scores["num_docs"] != size:
                raise ValueError(f"{directory}: BM25 index has {self._retriever.scores['num_docs']}"
                                 f" rows, expected {size}")
        return self
