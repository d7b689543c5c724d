"""The clause aligner on a real (local, source) pair of the aesthetic corpus: a city's opinion
and the province's opinion it says it implements (南平市 → 福建省, read from ../shared; no
text of theirs is copied here). What each test checks is computed from the two texts at
test time, independently of the aligner's own scores."""

from __future__ import annotations

import difflib
import re

import numpy as np
import pytest

from tests.conftest import SHARED

AESTHETIC = SHARED / "corpus" / "aesthetic"
LOCAL = AESTHETIC / "local_009_2343c9cb.txt"  # 南平市, implements 闽政办〔2016〕69号
SOURCE = AESTHETIC / "local_056_b88ad7c2.txt"  # 福建省 闽政办〔2016〕69号


def _clauses(path):
    from ingest import load_document

    return [c for c in load_document(path).walk() if c.text.strip()]


@pytest.fixture(scope="module")
def pair():
    from embeddings.align import AlignClause, align
    from embeddings.encoders import get_encoder

    if not LOCAL.exists() or not SOURCE.exists():
        pytest.fail(f"aesthetic corpus missing under {AESTHETIC}")
    local, source = _clauses(LOCAL), _clauses(SOURCE)
    encoder = get_encoder(None)
    lv = encoder.encode_passages([c.text for c in local])
    sv = encoder.encode_passages([c.text for c in source])
    li = [AlignClause(c.path, c.text, v) for c, v in zip(local, lv)]
    si = [AlignClause(c.path, c.text, v) for c, v in zip(source, sv)]
    return local, source, li, si, align(li, si)


def _longest_common(a: str, b: str) -> int:
    m = difflib.SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return m.size


def test_every_clause_is_accounted_for(pair):
    local, source, _li, _si, alignment = pair
    assert {x.local for x in alignment.links if x.local is not None} == set(range(len(local)))
    assert {x.source for x in alignment.links if x.source is not None} == set(range(len(source)))
    for link in alignment.links:
        assert (link.label == "added") == (link.source is None)
        assert (link.label == "dropped") == (link.local is None)


def test_verbatim_adoption(pair):
    """A local clause of a provision's length whose text (numbering aside) is a source clause's
    is paired with that clause and labelled adopted."""
    from embeddings.align import normalise

    local, source, _li, _si, alignment = pair
    by_text = {normalise(c.text): j for j, c in enumerate(source)}
    verbatim = [(i, by_text[normalise(c.text)]) for i, c in enumerate(local)
                if len(normalise(c.text)) >= 6 and normalise(c.text) in by_text]
    assert verbatim, "the pair has clauses carried over word for word"
    pairs = {(x.local, x.source): x.label for x in alignment.pairs()}
    for i, j in verbatim:
        assert pairs.get((i, j)) == "adopted", (local[i].path, source[j].path)


def test_adapted_with_a_number_changed(pair):
    """A local sentence equal to a source sentence but for its numbers (a deadline moved, a
    count changed): the two clauses are paired as adapted, and the character diff shows the
    number replaced."""
    from api.lineage.changes import char_diff
    from embeddings.align import normalise, sentences

    local, source, _li, _si, alignment = pair

    def masked(s: str) -> str:
        return re.sub(r"\d+", "#", normalise(s))

    def digits(s: str) -> list[str]:
        return re.findall(r"\d+", normalise(s))

    src = [(j, s) for j, c in enumerate(source) for s in sentences(c.text) if digits(s)]
    changed = []
    for i, c in enumerate(local):
        for s in sentences(c.text):
            if len(masked(s)) < 20 or not digits(s):
                continue
            for j, t in src:  # the same sentence but for its numbers (and a word or two)
                same = difflib.SequenceMatcher(None, masked(s), masked(t), autojunk=False).ratio()
                if same >= 0.9 and digits(s) != digits(t):
                    changed.append((i, j))
    assert changed, "the pair has a provision whose number was changed"
    pairs = {(x.local, x.source): x.label for x in alignment.pairs()}
    for i, j in changed:
        assert pairs.get((i, j)) == "adapted", (local[i].path, source[j].path)
        ops = char_diff(source[j].text, local[i].text)
        assert any(o.op == "replace" and re.search(r"\d", o.source) and re.search(r"\d", o.local)
                   for o in ops)
        assert "".join(o.source for o in ops) == source[j].text
        assert "".join(o.local for o in ops) == local[i].text


def test_added_clause(pair):
    """A long local clause that shares no run of 8 characters (a heading, a phrase) with the whole source document
    is the region's own: labelled added."""
    local, source, _li, _si, alignment = pair
    whole = "\n".join(c.text for c in source)
    own = [i for i, c in enumerate(local) if len(c.text) >= 60 and _longest_common(c.text, whole) < 8]
    assert own, "the local document adds provisions of its own"
    labels = {x.local: x.label for x in alignment.links if x.local is not None and x.source is None}
    for i in own:
        assert labels.get(i) == "added", local[i].path


def test_dropped_clause(pair):
    """A long source clause that shares no run of 8 characters with the whole local document
    is not carried over: labelled dropped."""
    local, source, _li, _si, alignment = pair
    whole = "\n".join(c.text for c in local)
    left_out = [j for j, c in enumerate(source) if len(c.text) >= 60 and _longest_common(c.text, whole) < 8]
    assert left_out, "the local document leaves provisions out"
    dropped = {x.source for x in alignment.links if x.label == "dropped"}
    for j in left_out:
        assert j in dropped, source[j].path


def test_order_and_meaning_matter(pair):
    """Without vectors the aligner still pairs verbatim copies (wording alone), and reversing
    the source's order loses in-order pairs (the monotone pass)."""
    from embeddings.align import AlignClause, align

    _local, _source, li, si, alignment = pair
    plain = align([AlignClause(c.id, c.text) for c in li], [AlignClause(c.id, c.text) for c in si])
    adopted = {(x.local, x.source) for x in alignment.pairs() if x.label == "adopted"}
    assert adopted <= {(x.local, x.source) for x in plain.pairs()}
    in_order = sum(x.in_order for x in alignment.pairs())
    reversed_alignment = align(li, si[::-1])
    assert sum(x.in_order for x in reversed_alignment.pairs()) < in_order


def test_bad_parameters_and_vectors_are_refused():
    from embeddings.align import AlignClause, AlignParams, align

    with pytest.raises(ValueError, match="match_threshold"):
        AlignParams(match_threshold=1.5)
    a = [AlignClause("a", "加强美育教师队伍建设，配齐配强美育教师", np.ones(4, dtype=np.float32) / 2)]
    b = [AlignClause("b", "加强美育教师队伍建设，配齐配强美育教师", np.ones(3, dtype=np.float32))]
    with pytest.raises(ValueError, match="dimensions"):
        align(a, b)
    assert align([], []).links == []
