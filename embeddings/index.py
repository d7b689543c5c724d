"""``SearchIndex``: clause passages searchable by BM25, by vectors and by both (RRF).

The service hands in passages (clause IRI, document id, text) and, for filters, the set of
clause IRIs the graph allows; nothing here knows RDF.

On disk (one directory, beside the store)::

    meta.json               model name + dim, dense kind, generation, tokenizer and
                            segmenter fingerprints
    passages-{gen}.jsonl    key, clause id, doc id, text, BM25 tokens, sentence segments
                            ([sentence key, start, end] inside the text)
    dense-{gen}.faiss       FAISS index of whole-clause vectors (ids = passage keys)
    sentences-{gen}.faiss   FAISS index of sentence vectors (ids = sentence keys; each
                            sentence key belongs to one passage key, see passages-{gen}.jsonl)
    bm25-{gen}/             bm25s index
    vectors.sqlite          passage vectors by sha256 of the text, per model (VectorCache)

``save()`` writes a new generation of the data files, then replaces ``meta.json`` atomically
(temp file + ``os.replace``), then deletes the previous generation: a crash at any point
leaves either the old or the new index readable. If data files are lost, ``open`` returns an
empty index with ``needs_rebuild`` set; ``rebuild(passages)`` restores it from the store's
clause texts, taking vectors from the cache, so nothing unchanged is encoded again.

Dense scoring is sentence-aware: a clause of several sentences (``embeddings/sentences.py``)
also has one vector per sentence, and its dense score is
``sentence_weight · max(sentence cosines) + (1 − sentence_weight) · whole-clause cosine``
(a one-sentence clause scores its whole-clause cosine), so a relevant sentence buried in a
long clause is not averaged away. Both kinds of vector go through the same ``VectorCache``.
An index written before sentences existed (format 1) is upgraded on open: segments are
computed and their vectors encoded (or taken from the cache).

Hybrid fusion weights follow the query's shape (``FusionParams.weights``): the dense weight
grows with the length of a Chinese query (a pasted draft clause shares many common words
with everything, which misleads BM25) and has its own value for English queries (BM25 then
only sees the expansion). A query of several parts (a draft's provisions, ``query_parts``)
adds each clause's coverage of the parts to its dense score. An English query fuses three
lists: BM25 over its Chinese expansion, the dense list of the expansion, and the dense list
of the English as asked (the multilingual model's own reading). The weights were chosen on
the dev and held-out queries (``bench/retrieval_eval.py --sweep``), never on the blind set.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .bm25 import BM25Index, Tokenizer
from .cache import VectorCache, encode_passages_cached
from .dense import DenseIndex
from .expand import Expansion, QueryExpander, is_english
from .hybrid import FusionParams, best_sentence, query_length, rrf
from .sentences import Segmenter, query_parts

if TYPE_CHECKING:
    from ingest.model import TopicConcept

    from .encoders import Encoder

FORMAT = 2
META = "meta.json"
MODES = ("hybrid", "dense", "bm25")
SENTENCE_WEIGHT = 0.5  # share of the best sentence in a clause's dense score (see bench)
QUERY_CACHE = 2048  # query vectors kept (a few MB at 384 dimensions)
PART_WEIGHT = 0.5  # share of draft-part coverage in the dense score of a several-part query


class IndexModelMismatch(RuntimeError):
    """The index on disk was built with another model (or dimension) than the encoder given."""

    def __init__(self, directory: Path, built_with: str, built_dim: int, requested: str,
                 requested_dim: int) -> None:
        self.built_with, self.built_dim = built_with, built_dim
        self.requested, self.requested_dim = requested, requested_dim
        super().__init__(
            f"search index {directory} was built with model {built_with!r} (dim {built_dim}) "
            f"but the encoder is {requested!r} (dim {requested_dim}); rebuild the index "
            f"(SearchIndex.open(..., on_mismatch='reset') then rebuild(passages)) or use the "
            f"model it was built with")


@dataclass(frozen=True)
class Passage:
    id: str  # clause IRI
    doc_id: str
    text: str


@dataclass
class Hit:
    id: str
    doc_id: str
    score: float
    text: str
    highlight: tuple[int, int] | None = None  # best-matching sentence: text[start:end]
    explain: dict = field(default_factory=dict)  # ranks/scores per list, expansion terms


def texts_to_encode(texts: Iterable[str], segmenter: Segmenter | None = None,
                    compose: bool = True) -> list[str]:
    """Every text ``SearchIndex.add`` encodes for these clause texts (to warm a
    ``VectorCache`` ahead of time): with ``compose`` each clause of one segment and the
    sentences of the others; without, each clause, then the sentences of those of several."""
    segmenter = segmenter or Segmenter()
    texts = list(texts)
    sentences = [sentence for text in texts for sentence in segmenter.sentences(text)]
    if compose:
        return [t for t in texts if not segmenter.sentences(t)] + sentences
    return texts + sentences


def _atomic_write_text(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def indexed_doc_ids(directory: str | Path) -> set[str] | None:
    """The document ids an index on disk holds, read from its files without an encoder;
    None when there is no readable index there."""
    directory = Path(directory)
    try:
        meta = json.loads((directory / META).read_text(encoding="utf-8"))
        ids: set[str] = set()
        with open(directory / f"passages-{int(meta['generation'])}.jsonl", encoding="utf-8") as fh:
            for line in fh:
                ids.add(json.loads(line)["doc_id"])
        return ids
    except (OSError, ValueError, KeyError):
        return None


class SearchIndex:
    def __init__(self, directory: Path, encoder: Encoder,
                 concepts: Sequence[TopicConcept] | None = None, *, kind: str = "auto",
                 hnsw_threshold: int = 50_000, fusion: FusionParams | None = None,
                 depth: int = 100, segmenter: Segmenter | None = None,
                 sentence_weight: float = SENTENCE_WEIGHT, fusion_by_shape: bool = True,
                 part_weight: float = PART_WEIGHT, compose: bool = True, read_only: bool = False) -> None:
        self.directory = Path(directory)
        self.read_only = read_only  # a workspace served read-only: the folder is not written
        if not read_only:
            self.directory.mkdir(parents=True, exist_ok=True)
        self.encoder = encoder
        self.concepts = list(concepts or [])
        self.kind = kind
        self.hnsw_threshold = hnsw_threshold
        self.fusion = fusion or FusionParams()
        self.depth = depth  # candidates taken from each ranking before fusion
        self.segmenter = segmenter or Segmenter()
        if not 0.0 <= sentence_weight <= 1.0:
            raise ValueError(f"sentence_weight must be within [0, 1], got {sentence_weight}")
        self.sentence_weight = sentence_weight  # 0 = whole-clause vectors only
        if not 0.0 <= part_weight <= 1.0:
            raise ValueError(f"part_weight must be within [0, 1], got {part_weight}")
        self.part_weight = part_weight  # 0 = a draft is scored as one text
        self.fusion_by_shape = fusion_by_shape  # False = fixed fusion weights for every query
        # True: a clause of several sentences gets the normalised mean of its sentence vectors
        # instead of a second encoding of the same text (embeddings/cache.py, bench/ingest.py)
        self.compose = compose
        self._query_cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._query_lock = threading.Lock()
        self.tokenizer = Tokenizer(self.concepts)
        self.cache = VectorCache(self.directory, encoder.name, encoder.dim, read_only=read_only)
        self.dense = DenseIndex(encoder.dim, kind=kind, hnsw_threshold=hnsw_threshold)
        self.sentence_index = DenseIndex(encoder.dim, kind=kind, hnsw_threshold=hnsw_threshold)
        self.needs_rebuild = False
        self.retokenised = False  # loaded with another dictionary: tokens redone, not yet saved
        self.status = "new"
        self._passages: dict[int, Passage] = {}
        self._tokens: dict[int, list[str]] = {}
        self._key_of: dict[str, int] = {}
        self._doc_keys: dict[str, list[int]] = {}
        self._next_key = 0
        # passage key → [(sentence key, start, end)]; empty for one-sentence clauses. A passage
        # key absent from this map has not been segmented yet (an older index; see _repair).
        self._sentences: dict[int, list[tuple[int, int, int]]] = {}
        self._sentence_owner: dict[int, int] = {}  # sentence key → passage key
        self._next_sentence_key = 0
        self._generation = 0
        self._bm25 = BM25Index()
        self._bm25_keys = np.zeros(0, dtype=np.int64)
        self._bm25_dirty = False
        self._vocab: dict[str, int] | None = None  # token → passages containing it
        self._split_df: dict[str, int] = {}  # a term jieba splits → its document frequency
        self._expander: QueryExpander | None = None

    # ---------------------------------------------------------------- open / save
    @classmethod
    def open(cls, directory: str | Path, encoder: Encoder,
             concepts: Sequence[TopicConcept] | None = None, *,
             on_mismatch: str = "error", **options) -> SearchIndex:
        """Open (or create) the index in ``directory`` for ``encoder``.

        ``on_mismatch``: ``"error"`` raises ``IndexModelMismatch`` when the index was built with
        another model or dimension; ``"reset"`` starts empty with ``needs_rebuild`` set.
        Missing or unreadable data files also give an empty index with ``needs_rebuild``.
        """
        if on_mismatch not in ("error", "reset"):
            raise ValueError(f"on_mismatch={on_mismatch!r}: expected 'error' or 'reset'")
        self = cls(Path(directory), encoder, concepts, **options)
        meta_path = self.directory / META
        if not meta_path.exists():
            if any(self.directory.glob("passages-*.jsonl")) or any(self.directory.glob("dense-*")):
                self.needs_rebuild, self.status = True, "meta.json missing"
            return self
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            self.needs_rebuild, self.status = True, f"meta.json unreadable: {exc}"
            return self
        if meta.get("model") != encoder.name or meta.get("dim") != encoder.dim:
            if on_mismatch == "error":
                raise IndexModelMismatch(self.directory, meta.get("model"), meta.get("dim"),
                                         encoder.name, encoder.dim)
            self.needs_rebuild, self.status = True, "model changed"
            self._generation = int(meta.get("generation", 0))
            return self
        try:
            self._load(meta)
        except (OSError, ValueError, KeyError, RuntimeError) as exc:
            self.__init__(Path(directory), encoder, concepts, **options)
            self._generation = int(meta.get("generation", 0))
            self.needs_rebuild, self.status = True, f"index files missing or damaged: {exc}"
        return self

    def _files(self, gen: int) -> tuple[Path, Path, Path, Path]:
        d = self.directory
        return (d / f"passages-{gen}.jsonl", d / f"dense-{gen}.faiss", d / f"bm25-{gen}",
                d / f"sentences-{gen}.faiss")

    def _load(self, meta: dict) -> None:
        gen = int(meta["generation"])
        passages_path, dense_path, bm25_path, sentences_path = self._files(gen)
        segmented = meta.get("segmenter") == self.segmenter.fingerprint \
            and sentences_path.exists()
        with open(passages_path, encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                key = int(row["key"])
                passage = Passage(row["id"], row["doc_id"], row["text"])
                self._passages[key] = passage
                self._tokens[key] = row["tokens"]
                self._key_of[passage.id] = key
                self._doc_keys.setdefault(passage.doc_id, []).append(key)
                if segmented and "sentences" in row:
                    self._sentences[key] = [(int(k), int(a), int(b)) for k, a, b in
                                            row["sentences"]]
                    for skey, _, _ in self._sentences[key]:
                        self._sentence_owner[skey] = key
        if len(self._passages) != int(meta["count"]):
            raise ValueError(f"{passages_path}: {len(self._passages)} passages, "
                             f"meta.json says {meta['count']}")
        self._generation = gen
        self._next_key = int(meta["next_key"])
        self.dense = DenseIndex.load(dense_path, self.encoder.dim, kind=self.kind,
                                     hnsw_threshold=self.hnsw_threshold)
        self._next_sentence_key = int(meta.get("next_sentence_key", 0))
        if segmented:
            self.sentence_index = DenseIndex.load(sentences_path, self.encoder.dim,
                                                  kind=self.kind,
                                                  hnsw_threshold=self.hnsw_threshold)
        if meta.get("tokenizer") != self.tokenizer.fingerprint:
            # the dictionary changed (topic scheme edited): retokenise, vectors stay valid
            for key, passage in self._passages.items():
                self._tokens[key] = self.tokenizer.tokens(passage.text)
            self._bm25_dirty = True
            self.retokenised = True
        else:
            self._bm25_keys = np.array(meta["bm25_keys"], dtype=np.int64)
            self._bm25 = BM25Index.load(bm25_path, len(self._bm25_keys))
        self._upgraded = False
        self._repair()
        self.status = "loaded (sentence vectors added; save() to keep them)" \
            if self._upgraded else "loaded"

    def _repair(self) -> None:
        """Make the vectors agree with the passages (vectors come from the cache)."""
        live = set(self._passages)
        missing = [k for k in live if k not in self.dense]
        extra = [int(k) for k in self.dense.live_keys() if int(k) not in live]
        if extra:
            self.dense.remove(extra)
        if missing:
            vecs = self.passage_vectors([self._passages[k].text for k in missing])
            self.dense.add(np.array(missing, dtype=np.int64), vecs)
        # sentences: segment what was never segmented (an index of format 1, a new segmenter)
        # and drop sentence vectors whose passage is gone or that the map does not know
        owned = set(self._sentence_owner)
        stray = [int(k) for k in self.sentence_index.live_keys() if int(k) not in owned]
        if stray:
            self.sentence_index.remove(stray)
        unsegmented = [k for k in live if k not in self._sentences
                       or any(s not in self.sentence_index for s, _, _ in self._sentences[k])]
        if unsegmented:
            self._drop_sentences(unsegmented)
            self._add_sentences({k: self._passages[k].text for k in unsegmented})
            self._upgraded = True
        if set(self._bm25_keys.tolist()) != live:
            self._bm25_dirty = True

    def save(self) -> None:
        """Write the index atomically (new generation, then meta.json, then clean up)."""
        if self.read_only:
            raise RuntimeError(f"search index {self.directory} is opened read-only: not saved")
        self._ensure_bm25()
        old = self._generation
        gen = old + 1
        passages_path, dense_path, bm25_path, sentences_path = self._files(gen)
        tmp = passages_path.with_name(passages_path.name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            for key in sorted(self._passages):
                p = self._passages[key]
                fh.write(json.dumps({"key": key, "id": p.id, "doc_id": p.doc_id, "text": p.text,
                                     "tokens": self._tokens[key],
                                     "sentences": [list(t) for t in self._sentences.get(key, [])]},
                                    ensure_ascii=False) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, passages_path)
        self.dense.save(dense_path)
        self.sentence_index.save(sentences_path)
        if bm25_path.exists():
            shutil.rmtree(bm25_path)
        bm25_path.mkdir()
        self._bm25.save(bm25_path)
        meta = {"format": FORMAT, "model": self.encoder.name, "dim": self.encoder.dim,
                "dense_kind": self.dense.actual_kind, "generation": gen,
                "count": len(self._passages), "documents": len(self._doc_keys),
                "next_key": self._next_key, "tokenizer": self.tokenizer.fingerprint,
                "segmenter": self.segmenter.fingerprint,
                "next_sentence_key": self._next_sentence_key,
                "sentences": len(self._sentence_owner),
                "bm25_keys": self._bm25_keys.tolist()}
        _atomic_write_text(self.directory / META, json.dumps(meta, ensure_ascii=False))
        self._generation = gen
        self.needs_rebuild, self.status = False, "saved"
        self.retokenised = False
        for path in self.directory.iterdir():  # earlier generations and stray temp files
            name = path.name
            if name.startswith(("passages-", "dense-", "bm25-", "sentences-")) and \
                    not name.startswith((f"passages-{gen}.", f"dense-{gen}.", f"bm25-{gen}",
                                         f"sentences-{gen}.")):
                shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)

    # ---------------------------------------------------------------- contents
    def __len__(self) -> int:
        return len(self._passages)

    @property
    def model_name(self) -> str:
        return self.encoder.name

    def doc_ids(self) -> set[str]:
        return set(self._doc_keys)

    def passages(self, doc_id: str | None = None) -> list[Passage]:
        keys = self._doc_keys.get(doc_id, []) if doc_id is not None else sorted(self._passages)
        return [self._passages[k] for k in keys]

    def texts(self, ids: Iterable[str]) -> dict[str, str]:
        """Passage id → its text, for the ids this index holds (in memory)."""
        out = {}
        for i in ids:
            key = self._key_of.get(i)
            if key is not None and key in self._passages:
                out[i] = self._passages[key].text
        return out

    def add(self, doc_id: str, passages: Sequence[Passage]) -> int:
        """Index a document's passages, replacing what the index held for ``doc_id``.
        Returns the number of passages indexed. Vectors come from the cache when known."""
        passages = list(passages)
        for p in passages:
            if p.doc_id != doc_id:
                raise ValueError(f"add({doc_id!r}): passage {p.id!r} belongs to {p.doc_id!r}")
            if not isinstance(p.text, str):
                raise TypeError(f"add({doc_id!r}): passage {p.id!r} has no text")
        ids = [p.id for p in passages]
        if len(set(ids)) != len(ids):
            raise ValueError(f"add({doc_id!r}): duplicate passage ids")
        clash = [i for i in ids if i in self._key_of
                 and self._passages[self._key_of[i]].doc_id != doc_id]
        if clash:
            raise ValueError(f"add({doc_id!r}): passage ids already indexed for another "
                             f"document: {clash[:3]}")
        # clause and sentence texts in one cached call (the slow step; duplicates encoded once)
        segments = [self.segmenter.spans(p.text) if self.segmenter.sentences(p.text) else []
                    for p in passages]
        sentence_texts = [p.text[a:b] for p, spans in zip(passages, segments) for a, b in spans]
        every = self.passage_vectors([p.text for p in passages] + sentence_texts)
        vectors, sentence_vectors = every[:len(passages)], every[len(passages):]
        self.remove(doc_id)
        if not passages:
            return 0
        keys = np.arange(self._next_key, self._next_key + len(passages), dtype=np.int64)
        self._next_key += len(passages)
        for key, p in zip(keys.tolist(), passages):
            self._passages[key] = p
            self._tokens[key] = self.tokenizer.tokens(p.text)
            self._key_of[p.id] = key
            self._doc_keys.setdefault(doc_id, []).append(key)
        self.dense.add(keys, vectors)
        self._store_sentences(keys.tolist(), segments, sentence_vectors)
        self._bm25_dirty = True
        self._vocab = None
        self._split_df = {}
        return len(passages)

    def query_vectors(self, texts: Sequence[str]) -> np.ndarray:
        """Query vectors through a small LRU (``QUERY_CACHE`` texts): a repeated query, or
        the same expansion behind two questions, is encoded once (~25–60 ms a query here)."""
        texts = list(texts)
        with self._query_lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._query_cache]
        if missing:
            fresh = self.encoder.encode_queries(missing)
            with self._query_lock:
                for t, v in zip(missing, fresh):
                    self._query_cache[t] = v
                while len(self._query_cache) > QUERY_CACHE:
                    self._query_cache.popitem(last=False)
        with self._query_lock:
            rows = []
            for t in texts:
                v = self._query_cache.get(t)
                if v is None:  # evicted by another thread meanwhile
                    v = self.encoder.encode_queries([t])[0]
                else:
                    self._query_cache.move_to_end(t)
                rows.append(v)
        if not rows:
            return np.zeros((0, self.encoder.dim), dtype=np.float32)
        return np.stack(rows).astype(np.float32, copy=False)

    def passage_vectors(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for passage texts as this index makes them (cached; composed from
        sentences when ``compose``): the classifier and the aligner use these too."""
        return encode_passages_cached(self.encoder, self.cache, texts,
                                      segmenter=self.segmenter if self.compose else None)

    def _store_sentences(self, keys: list[int], segments: list[list[tuple[int, int]]],
                         vectors: np.ndarray) -> None:
        """Record the sentence spans of passages ``keys`` and add their vectors (in order)."""
        n = sum(len(spans) for spans in segments)
        if len(vectors) != n:
            raise ValueError(f"sentence vectors: {len(vectors)} for {n} sentences")
        sentence_keys = np.arange(self._next_sentence_key, self._next_sentence_key + n,
                                  dtype=np.int64)
        self._next_sentence_key += n
        i = 0
        for key, spans in zip(keys, segments):
            rows = []
            for start, end in spans:
                skey = int(sentence_keys[i])
                rows.append((skey, start, end))
                self._sentence_owner[skey] = key
                i += 1
            self._sentences[key] = rows
        if n:
            self.sentence_index.add(sentence_keys, vectors)

    def _add_sentences(self, texts: dict[int, str]) -> None:
        """Segment and encode (through the cache) the passages ``{key: text}``."""
        keys = list(texts)
        segments = [self.segmenter.spans(texts[k]) if self.segmenter.sentences(texts[k]) else []
                    for k in keys]
        sentence_texts = [texts[k][a:b] for k, spans in zip(keys, segments) for a, b in spans]
        vectors = encode_passages_cached(self.encoder, self.cache, sentence_texts) \
            if sentence_texts else np.zeros((0, self.encoder.dim), dtype=np.float32)
        self._store_sentences(keys, segments, vectors)

    def _drop_sentences(self, keys: Iterable[int]) -> None:
        """Forget the sentences of passages ``keys`` (one FAISS removal for all of them)."""
        dropped = []
        for key in keys:
            for skey, _, _ in self._sentences.pop(key, []):
                self._sentence_owner.pop(skey, None)
                dropped.append(skey)
        if dropped:
            self.sentence_index.remove(np.array(dropped, dtype=np.int64))

    def remove(self, doc_id: str) -> int:
        """Drop every passage of ``doc_id``; returns how many were removed."""
        keys = self._doc_keys.pop(doc_id, [])
        for key in keys:
            passage = self._passages.pop(key)
            self._tokens.pop(key, None)
            self._key_of.pop(passage.id, None)
        self._drop_sentences(keys)
        if keys:
            self.dense.remove(np.array(keys, dtype=np.int64))
            self._bm25_dirty = True
            self._vocab = None
            self._split_df = {}
        return len(keys)

    def rebuild(self, passages: Iterable[Passage]) -> int:
        """Replace the whole index with ``passages`` (e.g. the store's clause texts) and save."""
        by_doc: dict[str, list[Passage]] = {}
        for p in passages:
            by_doc.setdefault(p.doc_id, []).append(p)
        for doc_id in list(self._doc_keys):
            if doc_id not in by_doc:
                self.remove(doc_id)
        total = 0
        for doc_id, items in by_doc.items():
            total += self.add(doc_id, items)
        self.save()
        return total

    # ---------------------------------------------------------------- search
    def _ensure_bm25(self) -> None:
        if self._bm25_dirty:
            self._bm25_keys = np.array(sorted(self._passages), dtype=np.int64)
            self._bm25 = BM25Index()
            self._bm25.build([self._tokens[k] for k in self._bm25_keys.tolist()])
            self._bm25_dirty = False

    def document_frequency(self, term: str) -> int:
        """In how many passages ``term`` occurs as a token (for a term jieba splits, the
        rarest of its tokens): the corpus's own preference among dictionary renderings."""
        if self._vocab is None:
            vocab: dict[str, int] = {}
            for tokens in self._tokens.values():
                for t in set(tokens):
                    vocab[t] = vocab.get(t, 0) + 1
            self._vocab = vocab
        if term in self._vocab:
            return self._vocab[term]
        split = self._split_df.get(term)  # a term jieba splits: read once per vocabulary
        if split is None:
            tokens = self.tokenizer.tokens(term)
            split = self._split_df[term] = min((self._vocab.get(t, 0) for t in tokens), default=0)
        return split

    def _in_corpus(self, term: str) -> bool:
        return self.document_frequency(term) > 0

    @property
    def expander(self) -> QueryExpander:
        if self._expander is None:
            self._expander = QueryExpander(self.concepts, in_corpus=self._in_corpus,
                                           frequency=self.document_frequency)
        return self._expander

    def _allowed_keys(self, allowed: Iterable[str] | None) -> set[int] | None:
        if allowed is None:
            return None
        return {self._key_of[i] for i in allowed if i in self._key_of}

    def _bm25_ranking(self, tokens: list[str], allowed: set[int] | None,
                      depth: int) -> tuple[list[int], dict[int, float]]:
        self._ensure_bm25()
        scores = self._bm25.scores(tokens)
        if allowed is not None:
            mask = np.isin(self._bm25_keys, np.fromiter(allowed, dtype=np.int64))
            scores = np.where(mask, scores, 0.0)
        n_pos = int((scores > 0).sum())
        if not n_pos:
            return [], {}
        top = np.argpartition(-scores, min(depth, n_pos) - 1)[:min(depth, n_pos)] \
            if n_pos > depth else np.nonzero(scores > 0)[0]
        top = top[np.argsort(-scores[top], kind="stable")]
        keys = self._bm25_keys[top].tolist()
        return keys, dict(zip(keys, scores[top].tolist()))

    def _dense_ranking(self, texts: list[str], allowed: set[int] | None, depth: int,
                       parts: Sequence[str] = (),
                       ) -> tuple[list[int], dict[int, float], dict[int, tuple[int, int]],
                                  dict[int, float]]:
        """Passages by sentence-aware dense score, best first: (keys, scores, best sentence
        span of each passage that has sentence vectors).

        Candidates are the top ``depth`` passages by whole-clause vector plus the owners of the
        top ``depth`` sentences; each candidate is then scored exactly (its stored vectors
        against the query), so the blend never depends on what an approximate index missed.
        With several query texts (an English query and its Chinese expansion) a passage keeps
        its best score over them.

        ``parts`` (two or more provisions of a pasted draft, ``query_parts``) add coverage:
        the mean over the parts of each part's best cosine with the passage (its whole vector
        or any of its sentences), blended in with weight ``part_weight``, so a clause that
        does several of the things the draft asks ranks above one that shares its general
        wording. The parts also bring in candidates. The fourth item returned is the coverage
        of each ranked passage (empty without parts)."""
        parts = list(parts) if len(parts) >= 2 and self.part_weight > 0 else []
        encoded = self.query_vectors(list(texts) + parts)
        queries, part_vectors = encoded[:len(texts)], encoded[len(texts):]
        candidates: set[int] = set()
        for keys, _ in self.dense.search(encoded, depth, allowed):
            candidates.update(keys.tolist())
        weight = self.sentence_weight if len(self.sentence_index) else 0.0
        if weight > 0:
            allowed_sentences = None if allowed is None else \
                {skey for key in allowed for skey, _, _ in self._sentences.get(key, ())}
            if allowed_sentences is None or allowed_sentences:
                for skeys, _ in self.sentence_index.search(encoded, depth, allowed_sentences):
                    candidates.update(self._sentence_owner[s] for s in skeys.tolist()
                                      if s in self._sentence_owner)
        if not candidates:
            return [], {}, {}, {}
        keys = sorted(candidates)
        whole_vectors = self.dense.reconstruct(keys)
        whole = whole_vectors @ queries.T  # (passages, queries)
        blended = whole.copy()
        part_best = whole_vectors @ part_vectors.T if parts else None  # (passages, parts)
        spans: dict[int, tuple[int, int]] = {}
        if weight > 0:
            owners = [(i, row) for i, key in enumerate(keys)
                      for row in self._sentences.get(key, ())]
            if owners:
                sentence_vectors = self.sentence_index.reconstruct([row[0] for _, row in owners])
                sims = sentence_vectors @ queries.T
                if part_best is not None:
                    rows = np.array([i for i, _ in owners], dtype=np.int64)
                    np.maximum.at(part_best, rows, sentence_vectors @ part_vectors.T)
                # per candidate: the best cosine of its sentences to each query, and the span
                # of its sentence with the best cosine to any query (the first of equals)
                owner = np.fromiter((i for i, _ in owners), dtype=np.int64, count=len(owners))
                best = np.full(whole.shape, -2.0, dtype=np.float32)
                np.maximum.at(best, owner, sims)
                top = sims.max(axis=1)
                order = np.lexsort((np.arange(len(owners)), -top, owner))
                first = order[np.concatenate(([True], owner[order][1:] != owner[order][:-1]))]
                has = best[:, 0] > -2.0
                blended[has] = weight * best[has] + (1.0 - weight) * whole[has]
                spans = {keys[owners[j][0]]: (owners[j][1][1], owners[j][1][2]) for j in first.tolist()}
        scores = blended.max(axis=1)
        coverage: dict[int, float] = {}
        if part_best is not None:
            covered = part_best.mean(axis=1)
            scores = (1.0 - self.part_weight) * scores + self.part_weight * covered
        order = np.argsort(-scores, kind="stable")[:depth]
        ranked = [keys[i] for i in order.tolist()]
        if part_best is not None:
            coverage = {keys[i]: float(covered[i]) for i in order.tolist()}
        return ranked, {keys[i]: float(scores[i]) for i in order.tolist()}, spans, coverage

    def search(self, query: str, k: int = 10, allowed: Iterable[str] | None = None,
               mode: str = "hybrid", expand: bool = True,
               exclude_doc_ids: Iterable[str] = (), highlight: bool = True) -> list[Hit]:
        """The ``k`` best clauses for ``query``.

        ``allowed``: clause ids the graph filters allow (None = all); filtering is exact
        (BM25 scores are masked, dense search is exact over small allowed sets).
        ``mode``: ``hybrid`` (RRF of BM25 and dense), ``dense`` or ``bm25``. English queries
        are expanded into Chinese (``expand=False`` turns that off) for BM25 and as a second
        dense query.
        """
        if not isinstance(query, str) or not query.strip():
            raise ValueError("search: query must be a non-empty string")
        if mode not in MODES:
            raise ValueError(f"search: mode={mode!r}, expected one of {MODES}")
        if k <= 0:
            raise ValueError(f"search: k must be positive, got {k}")
        allowed_keys = self._allowed_keys(allowed)
        excluded = set(exclude_doc_ids)
        if excluded:
            base = allowed_keys if allowed_keys is not None else set(self._passages)
            allowed_keys = {key for key in base if self._passages[key].doc_id not in excluded}
        if not self._passages or (allowed_keys is not None and not allowed_keys):
            return []
        depth = max(self.depth, 3 * k)
        expansion: Expansion | None = None
        if expand and is_english(query):
            expansion = self.expander.expand(query)
        tokens = self.tokenizer.tokens(query)
        if expansion is not None:
            tokens = tokens + [t for term in expansion.terms for t in self.tokenizer.tokens(term)]

        if self.fusion_by_shape:
            bm25_weight, dense_weight = self.fusion.weights(
                query_length(query), expansion is not None)
        else:
            bm25_weight, dense_weight = self.fusion.bm25_weight, self.fusion.dense_weight
        rankings: list[tuple[list[int], float]] = []
        dense_spans: dict[int, tuple[int, int]] = {}
        bm25_scores: dict[int, float] = {}
        dense_scores: dict[int, float] = {}
        bm25_ranked: list[int] = []
        dense_ranked: list[int] = []
        coverage: dict[int, float] = {}
        if mode in ("hybrid", "bm25"):
            bm25_ranked, bm25_scores = self._bm25_ranking(tokens, allowed_keys, depth)
            rankings.append((bm25_ranked, bm25_weight))
        dense_lists: list[tuple[list[int], float]] = []
        if mode in ("hybrid", "dense"):
            if expansion is not None and expansion.terms:
                # two dense lists: the Chinese expansion, and the English as asked
                dense_ranked, dense_scores, dense_spans, _ = self._dense_ranking(
                    [expansion.text], allowed_keys, depth)
                asked, asked_scores, asked_spans, _ = self._dense_ranking(
                    [query], allowed_keys, depth)
                dense_lists = [(dense_ranked, dense_weight),
                               (asked, self.fusion.crosslingual_weight)]
                for key, score in asked_scores.items():
                    if score > dense_scores.get(key, -2.0):
                        dense_scores[key] = score
                for key, span in asked_spans.items():
                    dense_spans.setdefault(key, span)
                dense_ranked = [key for key, _ in rrf(dense_lists, k=self.fusion.k)]
            else:
                parts = query_parts(query) if expansion is None else []
                dense_ranked, dense_scores, dense_spans, coverage = self._dense_ranking(
                    [query], allowed_keys, depth, parts)
                dense_lists = [(dense_ranked, dense_weight)]
            rankings.extend(dense_lists)

        if mode == "bm25":
            ranked = [(key, bm25_scores[key]) for key in bm25_ranked]
        elif mode == "dense" and len(dense_lists) == 1:
            ranked = [(key, dense_scores[key]) for key in dense_ranked]
        elif mode == "dense":
            ranked = rrf(dense_lists, k=self.fusion.k)
        else:
            ranked = rrf(rankings, k=self.fusion.k)
        bm25_rank = {key: i + 1 for i, key in enumerate(bm25_ranked)}
        dense_rank = {key: i + 1 for i, key in enumerate(dense_ranked)}
        highlight_terms = tokens + (expansion.terms if expansion is not None else [])
        highlight_query = query if expansion is None else ""
        hits = []
        for key, score in ranked[:k]:
            p = self._passages[key]
            explain = {"bm25_rank": bm25_rank.get(key), "dense_rank": dense_rank.get(key),
                       "bm25_score": bm25_scores.get(key), "dense_score": dense_scores.get(key)}
            if mode == "hybrid":
                explain["weights"] = {"bm25": bm25_weight, "dense": dense_weight}
                if len(dense_lists) == 2:
                    explain["weights"]["dense_as_asked"] = dense_lists[1][1]
            if expansion is not None:
                explain["expansion"] = expansion.terms
            if key in coverage:
                explain["part_coverage"] = coverage[key]
            lexical = best_sentence(p.text, highlight_terms, highlight_query) if highlight else None
            semantic = dense_spans.get(key)
            span = (semantic or lexical) if mode == "dense" else (lexical or semantic)
            hits.append(Hit(p.id, p.doc_id, float(score), p.text, span, explain))
        return hits

    def precedents(self, text: str, k: int = 10, exclude_doc_ids: Iterable[str] = (),
                   per_doc: int = 1, mode: str = "hybrid") -> list[Hit]:
        """Clauses most similar to a draft ``text`` from other documents.

        The best ``per_doc`` clause of each document come first (in rank order), then the
        remaining clauses, ``k`` in all; grouping by region is the service's (it knows the
        graph). ``exclude_doc_ids`` drops the drafter's own document(s).
        """
        pool = self.search(text, k=max(5 * k, 50), mode=mode, exclude_doc_ids=exclude_doc_ids)
        first, rest, seen = [], [], {}
        for hit in pool:
            seen[hit.doc_id] = seen.get(hit.doc_id, 0) + 1
            (first if seen[hit.doc_id] <= per_doc else rest).append(hit)
        return (first + rest)[:k]
