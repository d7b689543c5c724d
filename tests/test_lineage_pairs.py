"""The aligner's labels on clause pairs of real (local, source) pairs of the aesthetic corpus,
each verified by reading the two texts (read from ../shared; no text of theirs is copied
here: clauses are named by their numbering label as written, unique in their document).

- 驻马店市 → 河南省: item （六） is the province's （六） word for word, 全省 → 全市 aside: adopted.
- 南平市 → 福建省: item 6. is the province's （八） with the art-show frequency changed
  (every three years → every two): adapted, and the diff shows the number replaced; item 15.
  (the city's own practice base) is added; the province's （十二） (exchanges with Taiwan,
  Hong Kong and Macao) has nothing in the city's text: dropped.
- 福州市 → 福建省: （二十一） is the province's （十八） with 省级 → 市级 and one sentence added:
  adapted; （十八） (the city's use of art venues) is added; （二十二） rewrites the province's
  （十五） around its phrases (制定具体实施方案，明确工作部署…, 教育部门作为牵头部门), （十四）
  carries a sentence of the province's （十）, and the province's long （八） is split over the
  city's （十一）–（十三）: all adapted, none left added or dropped (the shared-run pass)."""

from __future__ import annotations

from functools import cache

import pytest

from tests.conftest import SHARED

AESTHETIC = SHARED / "corpus" / "aesthetic"
HENAN, ZHUMADIAN = "local_043_06d7540f.txt", "local_079_9db5eaff.txt"
FUJIAN, NANPING, FUZHOU = "local_056_b88ad7c2.txt", "local_009_2343c9cb.txt", "local_055_613830e4.txt"


@cache
def _encoder():
    from embeddings.encoders import get_encoder

    return get_encoder(None)


@cache
def _items(name: str):
    from embeddings.align import AlignClause
    from ingest import load_document

    path = AESTHETIC / name
    if not path.exists():
        pytest.fail(f"aesthetic corpus missing: {path}")
    clauses = [c for c in load_document(path).walk() if c.text.strip()]
    vectors = _encoder().encode_passages([c.text for c in clauses])
    return clauses, [AlignClause(c.path, c.text, v) for c, v in zip(clauses, vectors)]


@cache
def _aligned(local: str, source: str):
    from embeddings.align import align

    lc, li = _items(local)
    sc, si = _items(source)
    return lc, sc, align(li, si)


def _index(clauses, label: str) -> int:
    found = [i for i, c in enumerate(clauses) if c.label == label]
    assert len(found) == 1, f"numbering label {label!r}: {len(found)} clauses"
    return found[0]


def _label_of_pair(local: str, source: str, local_label: str, source_label: str) -> str | None:
    lc, sc, alignment = _aligned(local, source)
    i, j = _index(lc, local_label), _index(sc, source_label)
    return {(x.local, x.source): x.label for x in alignment.pairs()}.get((i, j))


def test_verbatim_adoption():
    assert _label_of_pair(ZHUMADIAN, HENAN, "（六）", "（六）") == "adopted"


def test_adapted_target_a_number_changed():
    from api.lineage.changes import char_diff

    assert _label_of_pair(NANPING, FUJIAN, "6.", "（八）") == "adapted"
    lc, sc, _ = _aligned(NANPING, FUJIAN)
    ops = char_diff(sc[_index(sc, "（八）")].text, lc[_index(lc, "6.")].text)
    assert any(o.op == "replace" and "三" in o.source and "两" in o.local for o in ops)


def test_adapted_with_a_sentence_added():
    assert _label_of_pair(FUZHOU, FUJIAN, "（二十一）", "（十八）") == "adapted"


def test_added_clause():
    for local, label in ((NANPING, "15."), (FUZHOU, "（十八）")):
        lc, _sc, alignment = _aligned(local, FUJIAN)
        i = _index(lc, label)
        assert [x.label for x in alignment.links if x.local == i] == ["added"], (local, label)


def test_dropped_clause():
    _lc, sc, alignment = _aligned(NANPING, FUJIAN)
    j = _index(sc, "（十二）")
    assert [x.label for x in alignment.links if x.source == j] == ["dropped"]


@pytest.mark.parametrize(("local_label", "source_label"), [
    ("（二十二）", "（十五）"), ("（十四）", "（十）"),
    ("（十一）", "（八）"), ("（十二）", "（八）"), ("（十三）", "（八）"),
])
def test_rewritten_around_a_shared_run_is_adapted_not_added(local_label, source_label):
    assert _label_of_pair(FUZHOU, FUJIAN, local_label, source_label) == "adapted"


def test_shared_run_pass_can_be_turned_off():
    """With a run longer than any clause the pass pairs nothing: the same clause is added."""
    from embeddings.align import AlignParams, align

    lc, li = _items(FUZHOU)
    _sc, si = _items(FUJIAN)
    i = _index(lc, "（二十二）")
    off = align(li, si, AlignParams(shared_run=10_000))
    assert [x.label for x in off.links if x.local == i] == ["added"]
    with pytest.raises(ValueError, match="shared_run"):
        AlignParams(shared_run=2)
