"""Small parsers: numerals, dates, 文号, periods, labels, headings, normalised copies."""

from __future__ import annotations

import pytest

from ingest.model import Source
from ingest.parse import parse_text
from ingest.parse.clauses import heading_of, match_label
from ingest.parse.dates import find_doc_number, find_period, parse_date
from ingest.parse.ids import document_id
from ingest.parse.normalise import squeeze
from ingest.parse.numerals import cn_to_int


@pytest.mark.parametrize("s, n", [("一", 1), ("十", 10), ("十二", 12), ("二十", 20),
                                  ("二十三", 23), ("一百零五", 105), ("二〇二四", 2024), ("两", 2)])
def test_cn_numerals(s, n):
    assert cn_to_int(s) == n


@pytest.mark.parametrize("s, iso", [
    ("2024年3月11日", "2024-03-11"), ("二〇二四年三月十一日", "2024-03-11"),
    ("２０１９年６月８日", "2019-06-08"), ("2020年5月27日印发", "2020-05-27"),
    ("二○二○年十二月三十一日", "2020-12-31"), ("2024年13月1日", None),
])
def test_dates(s, iso):
    assert parse_date(s) == iso


@pytest.mark.parametrize("s, number", [
    ("枣教发〔2024〕3号", "枣教发〔2024〕3号"), ("（温教基〔2019〕21 号）", "温教基〔2019〕21号"),
    ("京教基[2024]5号", "京教基〔2024〕5号"), ("国发（2018）12号", "国发〔2018〕12号"),
    ("没有文号", None),
])
def test_doc_numbers(s, number):
    assert find_doc_number(s) == number


@pytest.mark.parametrize("s, period", [("三年（2020—2022）行动计划", "2020-2022"),
                                       ("2024-2025学年", "2024-2025"), ("2021年至2025年", "2021-2025"),
                                       ("2024年工作要点", None), ("2025-2020", None)])
def test_periods(s, period):
    assert find_period(s) == period


@pytest.mark.parametrize("line, label, kind", [
    ("第三章 学校", "第三章", "chapter"), ("第十二条　学校应当", "第十二条", "article"),
    ("一、总体要求", "一、", "item"), ("（一）实施行动", "（一）", "subitem"),
    ("(二)实施行动", "(二)", "subitem"), ("1.加强", "1.", "point"), ("2．积极", "2．", "point"),
    ("3、完善", "3、", "point"), ("１２．提升", "１２．", "point"), ("（1）开展", "（1）", "point"),
    ("①建立", "①", "point"), ("1. **建构模式。**以", "1.", "point"), ("**二、保障**", "二、", "item"),
])
def test_labels(line, label, kind):
    m = match_label(line)
    assert m is not None and m.label == label and m.scheme.kind == kind


@pytest.mark.parametrize("line", ["2.0版本平台上线。", "2024年3月", "2", "第三条规定的情形", "一是加强"])
def test_not_labels(line):
    assert match_label(line) is None


def test_headings():
    assert heading_of("加强培训体系建设。开展培训。", "point") == "加强培训体系建设"
    assert heading_of("**建构一体化模式。**以中心为依托", "point") == "建构一体化模式"
    assert heading_of("总 则", "chapter") == "总则"
    assert heading_of("为了促进发展，制定本条例。", "article") is None
    long_first = "在" + "很" * 60 + "长的句子。后面"
    assert heading_of(long_first, "point") is None


def test_squeeze_keeps_an_offset_map():
    text = "行 动 计 划\n（２０２０）"
    n = squeeze(text)
    assert n.text == "行动计划（2020）"
    s, e = n.span(0, 4)
    assert text[s:e] == "行 动 计 划"


def test_id_ignores_whitespace_and_bom():
    assert document_id("一、总体要求\n坚持") == document_id("\ufeff一、 总体要求\r\n  坚持 ")
    assert document_id("一、总体要求") != document_id("二、总体要求")


def _doc(text: str):
    return parse_text(text, Source(file="t.txt", sha256="0", format="txt"))


def test_circled_and_paren_points_nest_under_points():
    doc = _doc("一、任务\n1.建设平台。内容如下：\n（1）开展培训。\n（2）开展评比。\n①每年一次。\n2.完善机制。\n")
    assert [(c.path, c.label) for c in doc.walk()] == [
        ("1", "一、"), ("1.1", "1."), ("1.1.1", "（1）"), ("1.1.2", "（2）"), ("1.1.2.1", "①"),
        ("1.2", "2.")]


def test_bold_heading_without_number():
    doc = _doc("某区行动方案\n为推进工作，制定本方案。\n**加强组织领导**\n1.成立领导小组。\n2.建立机制。\n"
               "**强化保障**\n1.加大投入。\n")
    assert doc.title == "某区行动方案"
    assert [(c.path, c.kind, c.heading) for c in doc.clauses] == [
        ("0", "paragraph", None), ("1", "heading", "加强组织领导"), ("2", "heading", "强化保障")]
    assert len(doc.clauses[1].children) == 2


def test_forward_of_a_single_notice_and_chinese_date():
    text = ("某县教育局\n关于转发《某市教育局关于印发〈某市教师培训三年（2021-2023）行动计划〉的通知》的通知\n"
            "各学校：\n现将《某市教育局关于印发〈某市教师培训三年（2021-2023）行动计划〉的通知》转发给你们。\n"
            "某县教育局\n二〇二一年三月五日\n某市教师培训三年（2021-2023）行动计划\n一、目标\n每年培训教师。\n")
    doc = _doc(text)
    assert doc.title == "某市教师培训三年（2021-2023）行动计划"
    assert (doc.issuer, doc.forwarded_by) == ("某市教育局", "某县教育局")
    assert doc.date == "2021-03-05" and doc.period == "2021-2023"
    assert [c.label for c in doc.clauses] == ["一、"]


def test_cited_nested_quotes_and_doc_numbers():
    text = ("某区教育局\n关于印发《某区行动计划》的通知\n各学校：\n现将《某区行动计划》印发给你们。\n某区教育局\n"
            "2023年1月2日\n某区行动计划\n根据《教育部关于〈义务教育课程方案〉的实施意见》（教基〔2022〕7号）"
            "和中办、国办《关于进一步减轻义务教育阶段学生作业负担的意见》，制定本计划。\n一、目标\n"
            "制定《学校章程》《管理手册》。落实《某区行动计划》。\n")
    doc = _doc(text)
    assert [(c.title, c.doc_number, c.issuer) for c in doc.cited] == [
        ("教育部关于〈义务教育课程方案〉的实施意见", "教基〔2022〕7号", "教育部"),
        ("关于进一步减轻义务教育阶段学生作业负担的意见", None, "中共中央办公厅、国务院办公厅")]


def test_attachments_with_own_clause_tree_and_list_lines():
    text = ("某区教育局\n关于印发《某区教师培训方案》的通知\n各学校：\n现将《某区教师培训方案》印发给你们。\n"
            "某区教育局\n2022年4月1日\n某区教师培训方案\n一、目标\n每年培训教师。\n"
            "附件：1.培训安排表\n2.报名表\n附件1\n培训安排\n一、时间\n每年暑期。\n二、地点\n区进修学校。\n"
            "附件2\n报名表\n\t姓名\n\t学校\n\n\t张三\n\t甲中学\n\n抄送：市教育局。\n某区教育局办公室 2022年4月1日印发\n")
    doc = _doc(text)
    assert [c.label for c in doc.clauses] == ["一、"]
    assert "附件" not in doc.clauses[0].text and "报名表" not in doc.clauses[0].text
    a1, a2 = doc.attachments
    assert (a1.number, a1.title, a2.number, a2.title) == (1, "培训安排", 2, "报名表")
    assert [(c.path, c.heading) for c in a1.clauses] == [("A1.1", "时间"), ("A1.2", "地点")]
    assert a2.tables[0].header == ["姓名", "学校"] and a2.tables[0].rows == [["张三", "甲中学"]]
    assert doc.cc == "市教育局。" and doc.printed == "某区教育局办公室 2022年4月1日印发"
    assert all("抄送" not in c.text for c in doc.walk())
    for c in doc.walk():
        assert doc.text[c.start:c.end] == c.text


def test_enumeration_headings_only_when_short():
    doc = _doc("一、任务\n1.强化督查。一是健全组织常态督导。落实机制。二是聚焦重点，开展专项督导，推进落实。\n")
    e1, e2 = doc.clause("1.1").children
    assert (e1.label, e1.heading, e2.heading) == ("一是", "健全组织常态督导", None)


def test_title_broken_across_lines_and_spaced():
    doc = _doc("某市中小学教育质量提升三年（2020-2022年）\n行 动 计 划\n为提升质量，制定本计划。\n一、目标\n提升质量。\n")
    assert doc.title == "某市中小学教育质量提升三年（2020-2022年）行动计划"
    assert doc.period == "2020-2022"
    assert doc.clauses[0].path == "0" and doc.clauses[1].label == "一、"


def test_signature_and_date_at_the_end_without_notice():
    doc = _doc("某区学校安全工作方案\n一、目标\n确保安全。\n二、措施\n加强巡查。\n\n某区教育局\n二〇二三年五月六日\n- 2 -\n")
    assert (doc.issuer, doc.date) == ("某区教育局", "2023-05-06")
    assert doc.clauses[-1].text == "二、措施\n加强巡查。"
