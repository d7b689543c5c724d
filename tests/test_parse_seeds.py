"""Each seed's metadata and clause tree; 承德 and 瓯海 against ../shared/dev-gold."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from conftest import GOLD

from ingest import load_document
from ingest.parse.attachments import table_records


@pytest.fixture(scope="module")
def docs(seed_files):
    return {key: load_document(path) for key, path in seed_files.items()}


@pytest.fixture(scope="module")
def gold():
    data = json.loads((GOLD / "docs_003_004.json").read_text("utf-8"))
    return {g["doc"][:3]: g for g in data}


def _levels(doc) -> Counter:
    return Counter((c.depth, c.kind) for c in doc.walk())


def test_every_clause_text_is_its_span(docs):
    for doc in docs.values():
        clauses = list(doc.walk())
        assert clauses
        for c in clauses:
            assert c.text == doc.text[c.start:c.end], (doc.source.file, c.path)
            assert c.start < c.end <= c.end_all
            for child in c.children:
                assert child.start >= c.end and child.end_all <= c.end_all


def test_clauses_never_hold_metadata_lines(docs):
    for doc in docs.values():
        for c in doc.walk():
            assert "抄送" not in c.text and not c.text.rstrip().endswith("印发")
            assert "此件主动公开" not in c.text and "公开选项" not in c.text
        assert all(c.start >= doc.body_start for c in doc.walk())


@pytest.mark.parametrize("code", ["003", "004"])
def test_gold_metadata(docs, gold, code):
    doc = next(d for d in docs.values() if d.source.file.startswith(code))
    g = gold[code]
    for field in ("title", "issuer", "forwarded_by", "date", "doc_number", "period"):
        assert getattr(doc, field) == g[field], field
    cited = [{"title": c.title, "doc_number": c.doc_number, "issuer": c.issuer} for c in doc.cited]
    assert cited == g["cited_documents"]


@pytest.mark.parametrize("code, section", [("003", "3"), ("004", "5")])
def test_gold_top_level_measures(docs, gold, code, section):
    doc = next(d for d in docs.values() if d.source.file.startswith(code))
    g = gold[code]["top_level_measures"]
    parent = doc.clause(section)
    sections = parent.children
    assert [s.heading for s in sections] == g["parent_sections"]
    items = [item for s in sections for item in s.children if item.kind == "point"]
    assert len(items) == g["count"]
    assert [i.heading for i in items] == g["titles"]
    safeguards = doc.clauses[-1]
    assert safeguards.heading == g["safeguard_measures"]["section"].split("、")[1].split(" ")[0]
    titles = [c.heading for c in safeguards.walk() if c is not safeguards
              and (c.kind == "point" or code == "004")]
    assert titles == g["safeguard_measures"]["titles"]


def test_chengde_numbering_restarts_and_gaps(docs):
    doc = docs["chengde"]
    assert [c.label for c in doc.clause("3.1").children] == ["1.", "2．"]
    assert [c.label for c in doc.clause("3.6").children] == ["1.", "2.", "4."]  # no 3. in source
    assert _levels(doc) == Counter({(3, "point"): 31, (2, "subitem"): 11, (1, "item"): 4,
                                    (1, "paragraph"): 1})


def test_ouhai_attachment_table_matches_gold(docs, gold):
    doc = docs["ouhai"]
    assert len(doc.attachments) == 1
    att = doc.attachments[0]
    assert att.number == 1 and att.title == "瓯海区首批初中重点项目一览表"
    assert att.start > doc.clauses[-1].end_all
    records = table_records(att.tables[0])
    got = [{"school": r["学校名称"], "category": r["类别"], "project": r["重点实验项目"]}
           for r in records]
    assert got == gold["004"]["attachment_projects"]
    assert doc.cc.startswith("区委各工作部门") and doc.printed.endswith("2019年6月8日印发")
    assert doc.public is True


def test_xiangan_lost_section_number_and_enumerations(docs):
    doc = docs["xiangan"]
    assert doc.title == "厦门市翔安区中小学2024-2025学年教育质量提升行动工作要点"
    assert (doc.issuer, doc.date, doc.period, doc.public) == ("厦门市翔安区教育局", "2024-09-02",
                                                             "2024-2025", True)
    assert doc.addressees == "各中学、中心小学、区直属学校："
    top = [c for c in doc.clauses if c.kind != "paragraph"]
    assert len(top) == 5
    assert top[0].kind == "heading" and top[0].label == ""
    assert top[0].heading == "聚焦优质均衡，质量发展要有“高度”"
    assert [c.label for c in top[1:]] == ["二、", "三、", "四、", "五、"]
    points = [c for c in doc.walk() if c.kind == "point"]
    assert [c.label for c in points] == [f"{n}." for n in range(1, 17)]
    assert points[0].heading == "突出党建统领核心驱动，筑牢培根铸魂基础"
    enum = doc.clause("1.1").children
    assert [e.label for e in enum] == ["一是", "二是", "三是"]
    assert enum[0].text.startswith("一是探索党支部") and enum[0].text.endswith("抓在经常。")
    assert sum(1 for c in doc.walk() if c.kind == "enumeration") == 45
    cited = [c.title for c in doc.cited]
    assert "学校管理工作手册" not in cited  # to be drawn up (制定《…》), not cited
    assert any(c.doc_number == "教办厅函〔2024〕35号" for c in doc.cited)
    assert doc.printed == "厦门市翔安区教育局 2024年9月2日印发"


def test_zaozhuang_forwarding_chain(docs):
    doc = docs["zaozhuang"]
    assert doc.title == "枣庄市新时代基础教育扩优提质行动实施方案"
    assert doc.issuer == "枣庄市教育局" and doc.forwarded_by == "滕州市教育和体育局"
    assert doc.date == "2024-03-11" and doc.doc_number == "枣教发〔2024〕3号"
    assert doc.public is True and doc.printed == "枣庄市教育局办公室 2024年3月11日印发"
    assert doc.notice.startswith("滕州市教育和体育局") and "枣教发〔2024〕3号" in doc.notice
    assert doc.text[doc.body_start:].startswith("枣庄市新时代基础教育扩优提质行动实施方案")
    assert doc.cited == []
    points = [c for c in doc.walk() if c.kind == "point"]
    assert len(points) == 16
    assert points[0].heading == "建构大中小学思想政治教育一体化模式"  # bold **…** heading
    assert points[11].heading == "加强培训体系建设"
    # a paragraph broken across lines stays with its item
    assert "开展各层面的现场交流展示" in doc.clause("3.1.2").text
    assert _levels(doc) == Counter({(3, "point"): 16, (2, "subitem"): 5, (1, "item"): 3,
                                    (1, "paragraph"): 1})


def test_anonymised_plan_without_notice(docs):
    doc = docs["anon"]
    assert doc.title == "2024年新时代基础教育扩优提质行动计划实施方案"
    assert doc.notice is None and doc.body_start == 0
    assert doc.issuer is None and doc.date is None
    assert [c.heading for c in doc.clauses if c.label] == ["总体要求", "目标任务", "重点工作",
                                                          "组织实施"]
    assert len(doc.clause("3").children) == 10
    assert doc.clause("3.10").label == "(十)"
    assert sum(1 for c in doc.walk() if c.kind == "point") == 33  # 4 targets + 29 tasks
    assert [c.label for c in doc.clause("3").walk() if c.kind == "point"] == [
        f"{n}." for n in range(1, 30)]
    assert doc.cited[0].title == "xx省新时代基础教育扩优提质行动计划实施方案"
    assert all("专项规划" not in c.title for c in doc.cited)  # 编制《…》 is to be drawn up


def test_ids_are_content_derived_and_distinct(docs, seed_files):
    ids = {d.id for d in docs.values()}
    assert len(ids) == 5 and all(len(i) == 16 for i in ids)
    assert load_document(seed_files["anon"]).id == docs["anon"].id
