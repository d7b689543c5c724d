"""Sentence segments and sentence-level dense scoring.

The index tests use a tiny deterministic encoder (character-bigram hashing) so scores can be
checked against the formula exactly, with no model and no encoding time."""

from __future__ import annotations

import itertools
import json
import zlib

import numpy as np
import pytest

from embeddings.index import SENTENCE_WEIGHT, Passage, SearchIndex, texts_to_encode
from embeddings.sentences import Segmenter, query_parts

LONG = ("3.加强队伍建设。建立健全教师培训制度，每年组织全体教师参加不少于72学时的集中研修；"
        "二是完善学校食堂管理办法，落实校长陪餐制度，保障学生用餐安全卫生；"
        "三是推进校园绿化美化工程，打造整洁优美的育人环境。")


class BigramEncoder:
    """Vectors from hashed character bigrams: texts sharing bigrams are similar."""

    name = "test-bigram"
    dim = 256

    def __init__(self) -> None:
        self.encoded: list[str] = []

    def _one(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        chars = [c for c in text if not c.isspace()]
        for a, b in itertools.pairwise(chars):
            v[zlib.crc32((a + b).encode()) % self.dim] += 1.0
        n = np.linalg.norm(v)
        return v / n if n else v

    def encode_passages(self, texts):
        self.encoded.extend(texts)
        return np.stack([self._one(t) for t in texts]) if texts else np.zeros((0, self.dim),
                                                                             np.float32)

    def encode_queries(self, texts):
        return np.stack([self._one(t) for t in texts])


# ---------------------------------------------------------------- segmenter
def test_segments_split_at_sentence_ends_and_enumerations():
    seg = Segmenter(min_chars=16, min_clause_chars=60)
    parts = seg.sentences(LONG)
    assert len(parts) == 3
    # the short heading sentence is merged into the sentence after it, not encoded alone
    assert parts[0].startswith("3.加强队伍建设。建立健全教师培训制度")
    assert parts[1].startswith("二是完善学校食堂") and parts[2].startswith("三是推进校园")
    # spans point into the text
    assert [LONG[a:b] for a, b in seg.spans(LONG)] == parts


def test_enumeration_marker_splits_without_punctuation():
    text = ("各校要落实以下要求：一是每周开展一次主题班会活动并做好记录，二是每月组织一次家长开放日"
            "活动并听取意见，三是每学期召开一次教职工大会总结工作")
    parts = Segmenter(min_chars=12, min_clause_chars=40).sentences(text)
    # the 10-character lead-in is too short alone: it opens the first item's segment
    assert parts[0].startswith("各校要落实以下要求：一是")
    assert [p[:2] for p in parts[1:]] == ["二是", "三是"]


def test_short_clause_is_one_segment_and_gets_no_sentence_vectors():
    seg = Segmenter()
    text = "  加强心理健康教育。配齐心理教师。  "
    assert seg.sentences(text) == []
    (start, end), = seg.spans(text)
    assert text[start:end] == text.strip()
    assert seg.spans("   ") == []
    # the long clause's vector is composed from its sentences: it is not encoded whole
    assert texts_to_encode([text, LONG]) == [text] + seg.sentences(LONG)
    assert texts_to_encode([text, LONG], compose=False) == [text, LONG] + seg.sentences(LONG)


# ---------------------------------------------------------------- index
@pytest.fixture
def passages():
    filler = ("坚持立德树人根本任务，全面贯彻党的教育方针，推动基础教育高质量发展，"
              "办好人民满意的教育，构建德智体美劳全面培养的教育体系。")
    return {
        "a": [Passage("a#1", "a", LONG), Passage("a#2", "a", filler)],
        "b": [Passage("b#1", "b", "落实校长陪餐制度，保障学生用餐安全。"),
              Passage("b#2", "b", filler + "加强教师培训。")],
    }


def _index(tmp_path, passages, **options):
    index = SearchIndex(tmp_path, BigramEncoder(), [], **options)
    for doc_id, items in passages.items():
        index.add(doc_id, items)
    return index


def test_buried_sentence_lifts_its_clause(tmp_path, passages):
    index = _index(tmp_path, passages, part_weight=0.0)  # the query is scored as one text
    query = "完善学校食堂管理，校长陪餐，保障用餐安全"
    hit = next(h for h in index.search(query, k=4, mode="dense") if h.id == "a#1")
    enc = index.encoder
    q = enc.encode_queries([query])[0]
    sentence_vectors = np.stack([enc._one(s) for s in index.segmenter.sentences(LONG)])
    composed = sentence_vectors.mean(axis=0)  # the clause vector: its sentences' mean
    whole = float(composed / np.linalg.norm(composed) @ q)
    best = max(float(v @ q) for v in sentence_vectors)
    assert best > whole
    assert hit.score == pytest.approx(SENTENCE_WEIGHT * best + (1 - SENTENCE_WEIGHT) * whole,
                                      abs=1e-5)
    # the highlight marks the matching sentence, not the clause's first one
    start, end = hit.highlight
    assert LONG[start:end].startswith("二是完善学校食堂")
    # without sentence vectors the clause scores its whole-text cosine only
    index.sentence_weight = 0.0
    plain = next(h for h in index.search(query, k=4, mode="dense") if h.id == "a#1")
    assert plain.score == pytest.approx(whole, abs=1e-5) and plain.score < hit.score


def test_short_clause_scores_its_whole_text(tmp_path, passages):
    index = _index(tmp_path, passages)
    query = "校长陪餐"
    hit = next(h for h in index.search(query, k=4, mode="dense") if h.id == "b#1")
    enc = index.encoder
    expected = float(enc._one(passages["b"][0].text) @ enc.encode_queries([query])[0])
    assert hit.score == pytest.approx(expected, abs=1e-5)


def test_sentences_follow_add_remove_save_and_reopen(tmp_path, passages):
    index = _index(tmp_path, passages)
    n_sentences = len(index.segmenter.sentences(LONG))
    assert len(index.sentence_index) == n_sentences
    index.remove("a")
    assert len(index.sentence_index) == 0 and not index._sentence_owner
    index.add("a", passages["a"])
    index.save()
    reopened = SearchIndex.open(tmp_path, BigramEncoder(), [])
    assert len(reopened.sentence_index) == n_sentences
    assert reopened.encoder.encoded == []  # nothing encoded again
    query = "校长陪餐制度 食堂"
    assert [h.id for h in reopened.search(query, k=4, mode="dense")] == \
        [h.id for h in index.search(query, k=4, mode="dense")]
    # filters apply to sentence candidates too
    hits = reopened.search(query, k=4, mode="dense", allowed={"b#2"})
    assert [h.id for h in hits] == ["b#2"]


def test_index_without_sentences_is_upgraded_on_open(tmp_path, passages):
    index = _index(tmp_path, passages)
    index.save()
    meta_path = tmp_path / "meta.json"
    meta = json.loads(meta_path.read_text())
    del meta["segmenter"]  # as written before sentence vectors existed
    meta["format"] = 1
    meta_path.write_text(json.dumps(meta))
    for path in tmp_path.glob("sentences-*"):
        path.unlink()
    upgraded = SearchIndex.open(tmp_path, BigramEncoder(), [])
    assert not upgraded.needs_rebuild and "sentence vectors added" in upgraded.status
    assert len(upgraded.sentence_index) == len(index.segmenter.sentences(LONG))
    assert upgraded.encoder.encoded == []  # sentence vectors came from the cache
    hit = upgraded.search("完善学校食堂管理，校长陪餐", k=1, mode="dense")[0]
    assert hit.id == "a#1"


def test_bad_sentence_weight_is_refused(tmp_path):
    with pytest.raises(ValueError, match="sentence_weight"):
        SearchIndex(tmp_path, BigramEncoder(), [], sentence_weight=1.5)


# ---------------------------------------------------------------- draft parts
def test_query_parts_cut_a_draft_into_provisions():
    draft = "组建城乡学校共同体，城区学校与乡村学校结对，共享课程和师资。"
    assert query_parts(draft) == ["组建城乡学校共同体", "城区学校与乡村学校结对", "共享课程和师资"]
    # fragments too short to mean anything alone join the next part
    assert query_parts("一是，落实校长陪餐制度；二是，保障用餐安全") == \
        ["一是落实校长陪餐制度", "二是保障用餐安全"]
    assert query_parts("校长陪餐") == ["校长陪餐"]  # a short question is one part
    assert query_parts("，。；") == []


def test_a_clause_covering_every_part_of_a_draft_ranks_first(tmp_path):
    """A draft of two provisions. One clause copies most of the draft's wording but does
    only the first thing; another does both, in separate sentences among other text. Scored
    as one text the copy wins; scored part by part the clause that does both wins."""
    filler = "坚持立德树人根本任务，全面贯彻党的教育方针，推动基础教育高质量发展，办好人民满意的教育。"
    both = Passage("c#1", "c", filler + "落实校长陪餐制度。" + filler + "每年组织教师参加集中研修培训。")
    copy = Passage("d#1", "d", "全面落实校长陪餐制度，组织教师参加。")
    draft = "全面落实校长陪餐制度，每年组织教师参加集中研修培训"

    def ranking(part_weight):
        index = SearchIndex(tmp_path / str(part_weight), BigramEncoder(), [],
                            part_weight=part_weight)
        for p in (both, copy):
            index.add(p.doc_id, [p])
        return index.search(draft, k=2, mode="dense")

    assert [h.id for h in ranking(0.0)] == ["d#1", "c#1"]
    parted = ranking(0.5)
    assert [h.id for h in parted] == ["c#1", "d#1"]
    assert parted[0].explain["part_coverage"] > parted[1].explain["part_coverage"]
    assert "part_coverage" not in ranking(0.0)[0].explain


def test_bad_part_weight_is_refused(tmp_path):
    with pytest.raises(ValueError, match="part_weight"):
        SearchIndex(tmp_path, BigramEncoder(), [], part_weight=-0.1)


def test_english_query_keeps_its_own_dense_list_beside_the_expansion(tmp_path):
    """The Chinese expansion drives BM25 and one dense list; the English as asked gets a dense
    list of its own (a multilingual model reads it), so a clause the dictionary cannot reach
    is still found."""
    index = SearchIndex(tmp_path, BigramEncoder(), [])
    index.add("a", [Passage("a#1", "a", "全面加强学校教育质量管理。")])
    index.add("b", [Passage("b#1", "b", "开设STEAM maker课程，建设创新实验室。")])
    query = "STEAM tinkering education"  # no glossary phrase: "education" alone is rendered
    assert "教育" in index.expander.expand(query).terms
    dense = index.search(query, k=2, mode="dense")
    assert {h.id for h in dense} == {"a#1", "b#1"}
    hybrid = index.search(query, k=2, mode="hybrid")
    assert hybrid[0].explain["weights"]["dense_as_asked"] == index.fusion.crosslingual_weight
    assert "b#1" in {h.id for h in hybrid}
