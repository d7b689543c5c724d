"""Ingest encodes each piece of text once and never again: a changed document encodes only its
changed text; `policykg encode` writes a vector cache that `ingest --vectors` uses without
encoding. A tiny deterministic encoder (hashed character bigrams) counts what is encoded: no
model, no encoding time."""

from __future__ import annotations

import itertools
import sqlite3
import zlib

import numpy as np
import pytest

from embeddings.cache import VectorCache, encode_passages_cached
from embeddings.sentences import Segmenter


class TinyEncoder:
    dim = 64

    def __init__(self, name: str = "tiny-bigram") -> None:
        self.name = name
        self.encoded: list[str] = []

    def _one(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for a, b in itertools.pairwise(c for c in text if not c.isspace()):
            v[zlib.crc32((a + b).encode()) % self.dim] += 1.0
        n = np.linalg.norm(v)
        return v / n if n else v + 1.0 / np.sqrt(self.dim)

    def encode_passages(self, texts):
        self.encoded.extend(texts)
        return np.stack([self._one(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def encode_queries(self, texts):
        return np.stack([self._one(t) for t in texts])


LONG = ("加强美育教师队伍建设。每年组织全体美育教师参加不少于72学时的集中研修；"
        "二是完善学校艺术场馆管理办法，保障学生艺术活动场地；"
        "三是推进校园文化建设工程，打造整洁优美的育人环境。")


def test_a_clause_of_several_sentences_is_composed_from_its_sentence_vectors(tmp_path):
    enc = TinyEncoder()
    seg = Segmenter()
    cache = VectorCache(tmp_path, enc.name, enc.dim)
    sentences = seg.sentences(LONG)
    assert len(sentences) == 3
    v = encode_passages_cached(enc, cache, [LONG] + sentences, segmenter=seg)
    assert enc.encoded == sentences  # the clause is never encoded whole
    mean = v[1:].mean(axis=0)
    assert np.allclose(v[0], mean / np.linalg.norm(mean), atol=1e-6)
    encode_passages_cached(enc, cache, [LONG], segmenter=seg)
    assert len(enc.encoded) == 3  # all from the cache


@pytest.fixture()
def plan(tmp_path, seed_files):
    path = tmp_path / "docs" / "plan.txt"
    path.parent.mkdir()
    path.write_text(seed_files["chengde"].read_text(encoding="utf-8"), encoding="utf-8")
    return path


def test_ingest_encodes_each_text_once_and_a_changed_document_only_its_changed_text(tmp_path, plan):
    from api.service import PolicyKG

    enc = TinyEncoder()
    with PolicyKG(tmp_path / "ws", encoder=enc) as kg:
        assert kg.ingest([plan]).ok
        first = list(enc.encoded)
        assert first and len(first) == len(set(first))  # no text encoded twice
        # nothing of several sentences is encoded whole (clauses, measures and target
        # sentences, for the index and the topic classifier alike, come from sentence vectors)
        seg = Segmenter()
        whole = [t for t in first if len(seg.sentences(t)) > 1]
        assert not whole, whole[:3]
        clauses = kg.document(kg.documents()[0]["id"])
        assert clauses
        # change one sentence of the file: re-ingest encodes only text containing the change
        text = plan.read_text(encoding="utf-8")
        lines = text.splitlines()
        i = max(range(len(lines)), key=lambda j: len(lines[j]) if "。" in lines[j] else 0)
        lines[i] = lines[i].replace("。", "，并建立季度通报制度。", 1)
        plan.write_text("\n".join(lines) + "\n", encoding="utf-8")
        enc.encoded.clear()
        report = kg.ingest([plan])
        assert report.ok and report.added and report.added[0].get("replaced")
        again = enc.encoded
        assert again, "the changed text was not encoded"
        assert len(again) <= 6, again  # a few sentences, not the document
        assert all("季度通报" in t for t in again)
        enc.encoded.clear()
        assert kg.search("季度通报制度", k=3)["results"]
        assert enc.encoded == []  # queries do not encode passages


def test_encode_writes_a_cache_that_ingest_uses_without_encoding(tmp_path, plan):
    from api.encoding import encode_folder
    from api.errors import InvalidParameter
    from api.service import PolicyKG
    from ingest.regions import default_gazetteer
    from kg.topics import load_topic_scheme

    elsewhere = TinyEncoder()
    report = encode_folder([plan.parent], tmp_path / "vectors", elsewhere, load_topic_scheme(),
                           default_gazetteer())
    assert report.files == 1 and not report.failed and report.vectors == len(set(elsewhere.encoded))

    here = TinyEncoder()
    with PolicyKG(tmp_path / "ws", encoder=here) as kg:
        result = kg.ingest([plan], vectors=tmp_path / "vectors")
        assert result.ok and result.added
        assert here.encoded == []  # every vector came from the cache
        assert kg.search("美育", k=3)["results"]

    other = TinyEncoder(name="another-model")
    with PolicyKG(tmp_path / "ws2", encoder=other) as kg:
        with pytest.raises(InvalidParameter, match="no vectors for model another-model"):
            kg.ingest([plan], vectors=tmp_path / "vectors")
        with pytest.raises(InvalidParameter, match="no vectors.sqlite"):
            kg.import_vectors(tmp_path / "nowhere")
    assert other.encoded == []


def test_encode_cli_and_ingest_vectors_cli(tmp_path, plan, monkeypatch):
    """The command line: `policykg encode DIR --out CACHE`, then `ingest --vectors CACHE`."""
    from typer.testing import CliRunner

    from api.cli import app
    from embeddings import encoders

    monkeypatch.setattr(encoders, "get_encoder", lambda spec=None: TinyEncoder())
    runner = CliRunner()
    res = runner.invoke(app, ["encode", str(plan.parent), "--out", str(tmp_path / "vec"), "--json"])
    assert res.exit_code == 0, res.output
    with sqlite3.connect(tmp_path / "vec" / "vectors.sqlite") as conn:
        assert conn.execute("SELECT COUNT(*) FROM v_tiny_bigram").fetchone()[0] > 10
    res = runner.invoke(app, ["--data", str(tmp_path / "ws"), "ingest", str(plan),
                              "--vectors", str(tmp_path / "missing")])
    assert res.exit_code != 0 and "vectors" in res.output


def test_a_repeated_query_is_encoded_once(tmp_path):
    from embeddings.index import Passage, SearchIndex

    class Counting(TinyEncoder):
        def __init__(self) -> None:
            super().__init__()
            self.queries: list[str] = []

        def encode_queries(self, texts):
            self.queries.extend(texts)
            return super().encode_queries(texts)

    enc = Counting()
    index = SearchIndex(tmp_path, enc)
    index.add("d", [Passage("d#1", "d", LONG), Passage("d#2", "d", "建设名师工作室二十个。")])
    first = [h.id for h in index.search("名师工作室", k=2, mode="dense")]
    n = len(enc.queries)
    assert n >= 1
    assert [h.id for h in index.search("名师工作室", k=2, mode="dense")] == first
    assert len(enc.queries) == n  # the second search took the vector from the cache
    index.search("艺术场馆", k=2, mode="dense")
    assert len(enc.queries) == n + 1
