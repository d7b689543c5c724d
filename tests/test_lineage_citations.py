"""Citations resolved to documents by 文号 or title, and typed (based_on / cites), on the
aesthetic corpus. The documents' titles and 文号 are read from the files here (the title line
after the PKULaw header, the first 文号 of the header), so these tests hold while the parser's
own metadata for PKULaw files is being fixed; nothing of the files is copied."""

from __future__ import annotations

import re

import pytest

from tests.conftest import SHARED

AESTHETIC = SHARED / "corpus" / "aesthetic"
NUMBER = re.compile(r"[\u4e00-\u9fa5]{1,12}\s*[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*\d{1,5}\s*号")


def _file_metadata(path):
    lines = [x.strip() for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    lines = [x for x in lines if "北大法宝" not in x and not x.startswith("原文链接")]
    title = lines[0] if lines else None
    # the 文号 stands on a line of its own in the header (sometimes in brackets)
    number = next((m.group(0) for x in lines[1:8]
                   if (m := NUMBER.search(x)) and len(x.strip("（）() ")) == len(m.group(0))), None)
    return title, number


@pytest.fixture(scope="module")
def documents():
    files = sorted(AESTHETIC.glob("*.txt"))
    if not files:
        pytest.fail(f"aesthetic corpus missing under {AESTHETIC}")
    rows = []
    for f in files:
        title, number = _file_metadata(f)
        rows.append({"id": f.stem, "title": title, "doc_number": number})
    return rows


@pytest.fixture(scope="module")
def nanping():
    from ingest import load_document

    return load_document(AESTHETIC / "local_009_2343c9cb.txt")


def test_number_normalisation():
    from api.lineage.citations import normalise_number, normalise_title

    assert normalise_number("闽政办[2016]69号") == normalise_number("闽政办 〔2016〕 69 号") \
        == normalise_number("闽政办（2016）69号")
    assert normalise_number("闽政办〔2016〕69号") != normalise_number("闽政办〔2016〕96号")
    assert normalise_title("关于 《某某》 的 意见") == normalise_title("关于某某的意见")


def test_citation_resolves_by_number_and_by_title(documents, nanping):
    """The city's opinion cites the province's by title and 文号: found by either, and by a
    title written with other spacing and brackets."""
    from api.lineage.citations import resolve

    cited = [c for c in nanping.cited if c.doc_number]
    assert cited, "the city's opinion cites a document by 文号"
    c = cited[0]
    by_number = resolve(None, c.doc_number, documents, exclude="local_009_2343c9cb")
    assert by_number is not None and by_number.by == "number"
    target = next(d for d in documents if d["id"] == by_number.doc)
    assert target["id"] != "local_009_2343c9cb"
    by_title = resolve(c.title, None, documents)
    assert by_title is not None and by_title.doc == by_number.doc and by_title.by == "title"
    spaced = " ".join(c.title[i:i + 5] for i in range(0, len(c.title), 5))
    assert resolve(f"《{spaced}》", None, documents).doc == by_number.doc
    bracketed = c.doc_number.replace("〔", "[").replace("〕", "]")
    assert resolve(None, bracketed, documents).doc == by_number.doc
    # a title with a few characters wrong still resolves (similarity), a different one does not
    typo = c.title[:-3] + "的意见" if not c.title.endswith("的意见") else c.title[:-4] + "实施意见"
    found = resolve(typo, None, documents)
    assert found is not None and found.doc == by_number.doc
    assert resolve("关于开展某项无关工作的通知", None, documents) is None


def test_every_cited_number_resolves_to_the_file_with_it(documents):
    """Across the corpus, a citation's 文号 resolves to the document carrying that 文号 (when one
    is in the corpus) and never to the citing document itself."""
    from api.lineage.citations import normalise_number, resolve
    from ingest import load_document

    numbers = {normalise_number(d["doc_number"]): d["id"] for d in documents if d["doc_number"]}
    checked = 0
    for f in sorted(AESTHETIC.glob("local_*.txt"))[:40]:
        doc = load_document(f)
        for c in doc.cited:
            if not c.doc_number:
                continue
            found = resolve(c.title, c.doc_number, documents, exclude=f.stem)
            expected = numbers.get(normalise_number(c.doc_number))
            if expected and expected != f.stem:
                assert found is not None and found.doc == expected, (f.name, c.doc_number)
                checked += 1
            if found is not None:
                assert found.doc != f.stem
    assert checked >= 3


def test_relation_implements_or_cites(nanping):
    """The citation in the opening sentence (为贯彻落实《…》…精神) makes the city's opinion based on
    the province's; a measure mentioned further on (落实《…办法》 inside a clause) is only cited."""
    from api.lineage.citations import OPENING_CHARS, relation

    text = nanping.text
    first, *rest = nanping.cited
    assert text.find(first.title) < OPENING_CHARS
    assert relation(text, first.title, first.doc_number) == "based_on"
    later = [c for c in rest if c.title and text.find(c.title) > OPENING_CHARS]
    assert later, "the city's opinion mentions another document in its clauses"
    for c in later:
        assert relation(text, c.title, c.doc_number) == "cites"
    assert relation("本文件与其他文件无关。", first.title, None) == "cites"


def test_resolve_all_one_row_per_document(documents, nanping):
    from api.lineage.citations import resolve_all

    citations = [{"cited_title": c.title, "cited_number": c.doc_number} for c in nanping.cited]
    citations.append(dict(citations[0]))  # cited twice
    rows = resolve_all(citations, documents, nanping.text, own_id="local_009_2343c9cb")
    resolved = [r["doc"] for r in rows if r["doc"]]
    assert len(resolved) == len(set(resolved)) >= 1
    assert rows[0]["relation"] == "based_on"


def test_a_title_shared_by_another_place_does_not_stand_in_for_a_cited_number(documents, nanping):
    """南平市 cites 福建省's opinion by title and 文号; with 福建省's document absent, 河北省's
    (the same title but for the province's name, another 文号) is not taken for it."""
    from api.lineage.citations import resolve

    c = next(c for c in nanping.cited if c.doc_number)
    wanted = resolve(None, c.doc_number, documents).doc
    others = [d for d in documents if d["id"] != wanted]
    assert resolve(c.title, c.doc_number, others) is None
    assert resolve(c.title, None, others) is None  # nor by a title alike but for its issuer
    assert resolve(c.title, c.doc_number, documents).doc == wanted
