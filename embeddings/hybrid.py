"""Rank fusion and highlighting.

Reciprocal rank fusion (Cormack et al. 2009): ``score(d) = Σ_i w_i / (k + rank_i(d))`` over
the rankings that contain ``d`` (ranks start at 1). It needs no score calibration between BM25
and cosine, which live on unrelated scales. ``k`` and the weights are set once on the dev
queries (``bench/retrieval_eval.py`` prints the sweep), never per query.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

RRF_K = 10  # tuned on ../shared/dev-gold/queries.jsonl (mean nDCG@10), see bench/retrieval_eval.py --sweep
BM25_WEIGHT = 1.0
DENSE_WEIGHT = 0.5  # short Chinese queries (a few terms): BM25 leads
DENSE_WEIGHT_LONG = 1.5  # pasted draft clauses: dense leads
ENGLISH_DENSE_WEIGHT = 0.5  # English: the dense list of the Chinese expansion
CROSSLINGUAL_WEIGHT = 0.5  # English: the dense list of the query as asked (multilingual model)
SHORT_QUERY = 12  # characters (CJK chars + Latin words) up to which a query is short
LONG_QUERY = 40  # … from which it is a pasted clause


_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z']*")


def query_length(text: str) -> int:
    """The length that decides the fusion weights: Chinese characters plus Latin words."""
    return len(_CJK.findall(text)) + len(_LATIN_WORD.findall(text))


@dataclass(frozen=True)
class FusionParams:
    """RRF constant and list weights. ``weights(length, english)`` is the rule by query
    shape: for Chinese queries the dense weight grows linearly from ``dense_weight`` (at
    ``short`` characters or fewer) to ``dense_weight_long`` (at ``long`` or more); English
    queries get ``english_dense_weight`` for the dense list of their Chinese expansion and
    ``crosslingual_weight`` for the dense list of the English text itself (the multilingual
    model's own reading, which catches what the dictionary rendered badly). Set once for all
    queries, never per query."""

    k: float = RRF_K
    bm25_weight: float = BM25_WEIGHT
    dense_weight: float = DENSE_WEIGHT
    dense_weight_long: float = DENSE_WEIGHT_LONG
    english_dense_weight: float = ENGLISH_DENSE_WEIGHT
    crosslingual_weight: float = CROSSLINGUAL_WEIGHT
    short: int = SHORT_QUERY
    long: int = LONG_QUERY

    def weights(self, length: int, english: bool = False) -> tuple[float, float]:
        """(BM25 weight, dense weight) for a query of ``length`` (``query_length``)."""
        if english:
            return self.bm25_weight, self.english_dense_weight
        if self.long <= self.short:
            share = 1.0 if length >= self.long else 0.0
        else:
            share = min(1.0, max(0.0, (length - self.short) / (self.long - self.short)))
        return self.bm25_weight, self.dense_weight + share * (self.dense_weight_long
                                                              - self.dense_weight)


def rrf(rankings: Sequence[tuple[Sequence[Hashable], float]], k: float = RRF_K,
        ) -> list[tuple[Hashable, float]]:
    """Fuse ``[(ranked ids best first, weight), …]`` → ``[(id, fused score)]`` best first.

    Ties keep the order in which ids were first seen (earlier rankings first)."""
    if k < 0:
        raise ValueError(f"rrf: k must be >= 0, got {k}")
    scores: dict[Hashable, float] = {}
    for ranked, weight in rankings:
        for rank, item in enumerate(ranked, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda kv: -kv[1])


_SENTENCE = re.compile(r"[^。；;！!？?\n]+[。；;！!？?]?")


def trimmed_spans(text: str, bounds: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans of ``bounds`` with surrounding whitespace trimmed; empty spans dropped."""
    spans = []
    for start, end in bounds:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence (split at 。；！？ and newlines), whitespace trimmed."""
    return trimmed_spans(text, (m.span() for m in _SENTENCE.finditer(text)))


def _bigrams(text: str) -> set[str]:
    chars = [c for c in text if not c.isspace()]
    return {a + b for a, b in itertools.pairwise(chars)}


def best_sentence(text: str, terms: Sequence[str], query_text: str = "") -> tuple[int, int] | None:
    """The span of the sentence of ``text`` that best matches the query.

    Lexical, so it costs nothing at query time: each sentence scores the length-weighted
    query terms (jieba tokens, or Chinese expansion terms) it contains plus the share of the
    query's character bigrams it covers. None when no sentence shares anything with the query.
    """
    spans = sentence_spans(text)
    if not spans:
        return None
    unique_terms = {t for t in terms if t}
    query_bigrams = _bigrams(query_text) if query_text else set()
    best, best_score = None, 0.0
    for start, end in spans:
        sentence = text[start:end]
        score = sum(len(t) for t in unique_terms if t in sentence)
        if query_bigrams:
            score += 2.0 * len(query_bigrams & _bigrams(sentence)) / len(query_bigrams)
        if score > best_score:
            best, best_score = (start, end), score
    return best
