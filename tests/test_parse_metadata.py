"""Metadata of documents as collected, on small made-up texts in the forms of the genre:
front matter of government sites and database exports, 文号 forms, joint issuers, forwarding
chains, dates, a notice issuing two documents, jurisdiction from the issuer."""

from __future__ import annotations

import pytest

from ingest.extract.regions_in_text import document_region
from ingest.model import Source
from ingest.parse import parse_text
from ingest.parse.head import doc_number_line, parse_title, split_issuers
from ingest.regions import JurisdictionFinder, default_gazetteer


def _parse(text: str):
    return parse_text(text, Source(file="t.txt", sha256="0" * 64, format="txt"))


def _fields(doc, *names: str) -> dict:
    """The document's metadata fields ``names`` (default: id, 文号, date, issuer, title)."""
    return {n: getattr(doc, n) for n in names or ("source_id", "doc_number", "date", "issuer", "title")}


BODY = "一、总体要求\n（一）指导思想。坚持立德树人。\n（二）工作目标。到2025年，开齐开足美育课程。\n"


def test_government_site_front_matter_is_metadata():
    text = ("索引号：11410000/2021-00123　　主题分类：教育\n"
            "发文机关：某某省教育厅　　成文日期：2021年03月05日\n"
            "标　　题：某某省教育厅关于加强学校美育工作的通知\n"
            "发文字号：某教体〔2021〕12号　　发布日期：2021年03月09日\n\n"
            "某某省教育厅关于加强学校美育工作的通知\n\n各市教育局：\n" + BODY)
    doc = _parse(text)
    assert doc.front_matter["index_no"] == "11410000/2021-00123"
    assert _fields(doc) == {
        "source_id": "11410000/2021-00123", "doc_number": "某教体〔2021〕12号",
        "date": "2021-03-05",  # 成文日期, not 发布日期
        "issuer": "某某省教育厅", "title": "某某省教育厅关于加强学校美育工作的通知"}
    assert all("索引号" not in c.text and "发文字号" not in c.text for c in doc.walk())


def test_table_cell_front_matter():
    text = ("\t索引号\n\t000014349/2015-00185\n\n\t发文机关\n\t国务院办公厅\n\n"
            "\t成文日期\n\t2015年09月15日\n\n"
            "国务院办公厅关于全面加强学校美育工作的意见\n\n" + BODY)
    doc = _parse(text)
    assert doc.front_matter["issuer"] == "国务院办公厅"
    assert _fields(doc, "date", "title") == {"date": "2015-09-15", "title": "国务院办公厅关于全面加强学校美育工作的意见"}


def test_pkulaw_header_title_twice_and_number_line():
    text = ("      北大法宝【法宝引证码】 CLI.12.999\n原文链接：https://example.org/lar/x.html\n"
            "      某某市人民政府办公室关于加强学校美育工作的实施意见      \n\n"
            "某某市人民政府办公室关于加强学校美育工作的实施意见\n\n（某政办〔2017〕 12 号）\n\n"
            "各县（市、区）人民政府：\n" + BODY + "某某市人民政府办公室\n2017年3月1日\n")
    doc = _parse(text)
    assert (doc.source_id, doc.source_url) == ("CLI.12.999", "https://example.org/lar/x.html")
    assert doc.title == "某某市人民政府办公室关于加强学校美育工作的实施意见"
    assert doc.doc_number == "某政办〔2017〕12号"
    assert doc.date == "2017-03-01" and doc.issuers == ["某某市人民政府办公室"]
    assert [c.label for c in doc.clauses if c.label] == ["一、"]


@pytest.mark.parametrize("line, number, date", [
    ("（国办发〔2015〕71号）", "国办发〔2015〕71号", None),
    ("教体艺[2014]1号", "教体艺〔2014〕1号", None),
    ("（教体艺厅函［2019］52号）", "教体艺厅函〔2019〕52号", None),
    ("（某教体发(2018)1号 2018年4月16日）", "某教体发〔2018〕1号", "2018-04-16"),
    ("（2017年08月14日）", None, "2017-08-14"),
    ("（二〇一七年八月十四日）", None, "2017-08-14"),
    ("京政发﹝2016﹞第12号", "京政发〔2016〕12号", None),
    ("国办发明电 〔2020〕 1 号", "国办发明电〔2020〕1号", None),
])
def test_doc_number_and_date_lines(line, number, date):
    found = doc_number_line(line)
    assert found is not None and (found.doc_number, found.date) == (number, date)


def test_lines_that_are_not_number_lines():
    assert doc_number_line("2017年3月1日") is None  # a signature date
    assert doc_number_line("根据《某某意见》（国办发〔2015〕71号）精神") is None


def test_title_grammar():
    tp = parse_title("某某市教育局关于转发《某某省教育厅关于加强美育工作的意见》的通知")
    assert tp.forwarders == ["某某市教育局"] and tp.issuer_text == "某某省教育厅"
    tp = parse_title("甲市教育局转发乙省教育厅转发乙省人民政府办公厅关于加强美育工作的实施意见的通知")
    assert tp.forwarders == ["甲市教育局", "乙省教育厅"]
    assert tp.own == "乙省人民政府办公厅关于加强美育工作的实施意见"
    tp = parse_title("某市人民政府办公室关于印发《某市学校美育实施意见》和《某市学校体育实施意见》的通知")
    assert tp.issued == ["某市学校美育实施意见", "某市学校体育实施意见"]
    tp = parse_title("中共中央办公厅、国务院办公厅印发《关于加强学校美育工作的意见》")
    assert tp.issued == ["关于加强学校美育工作的意见"]
    assert parse_title("某市教育局关于开展美育培训的通知").issued == []


def test_joint_issuers():
    assert split_issuers("中共中央办公厅、国务院办公厅") == ["中共中央办公厅", "国务院办公厅"]
    assert split_issuers("教育部 财政部") == ["教育部", "财政部"]
    assert split_issuers("中共福建省委福建省人民政府") == ["中共福建省委", "福建省人民政府"]
    assert split_issuers("广西壮族自治区教育厅等六部门") == ["广西壮族自治区教育厅等六部门"]


def test_stacked_signature_gives_joint_issuers():
    text = ("甲省教育厅 甲省财政厅关于加强学校美育工作的意见\n（甲教体〔2019〕3号）\n\n各市：\n"
            + BODY + "甲省教育厅\n甲省财政厅\n2019年5月6日\n")
    doc = _parse(text)
    assert doc.issuers == ["甲省教育厅", "甲省财政厅"]
    assert doc.date == "2019-05-06"


def test_notice_issuing_two_documents_keeps_both():
    text = ("某某市人民政府办公室关于印发《某某市学校美育实施意见》和《某某市学校体育实施意见》的通知\n"
            "（某政办发〔2016〕9号）\n\n各县（区）人民政府：\n"
            "现将《某某市学校美育实施意见》和《某某市学校体育实施意见》印发给你们，请认真贯彻执行。\n"
            "某某市人民政府办公室\n2016年7月1日\n"
            "某某市学校美育实施意见\n" + BODY + "某某市学校体育\n实施意见\n" + BODY)
    doc = _parse(text)
    assert doc.title == "某某市学校美育实施意见"
    assert doc.notice_title.startswith("某某市人民政府办公室关于印发")
    issued = [a for a in doc.attachments if a.issued]
    assert [a.title for a in issued] == ["某某市学校美育实施意见", "某某市学校体育实施意见"]
    assert all([c.label for c in a.clauses][:1] == ["一、"] for a in issued)  # own trees
    assert doc.doc_number == "某政办发〔2016〕9号" and doc.date == "2016-07-01"


def test_forwarding_notice_keeps_its_own_issuer():
    text = ("甲市教育局关于转发《甲市人民政府办公室关于加强学校美育工作的实施意见》的通知\n"
            "（甲教〔2017〕5号）\n\n各县（区）教育局：\n"
            "现将《甲市人民政府办公室关于加强学校美育工作的实施意见》转发给你们，并提出如下要求：\n"
            "一、加强学习。\n二、抓好落实。\n甲市教育局\n2017年5月10日\n")
    doc = _parse(text)
    assert doc.title == "甲市人民政府办公室关于加强学校美育工作的实施意见"
    assert doc.forwarded_by == "甲市教育局" and doc.issuers == ["甲市教育局"]


@pytest.fixture(scope="module")
def finder():
    return JurisdictionFinder(default_gazetteer())


def test_national_bodies_are_national(finder):
    for name in ("教育部", "教育部办公厅", "国务院办公厅", "中共中央办公厅", "国家体育总局",
                 "教育部体育卫生与艺术教育司"):
        assert finder.of_issuer(name).code == "100000", name


def test_issuers_region_not_a_mentioned_place(finder):
    assert finder.of_issuer("新疆生产建设兵团办公厅").name == "新疆生产建设兵团"
    assert finder.of_issuer("文山州人民政府办公室").code == "532600"
    assert finder.of_issuer("福建省厦门市翔安区教育局").code == "350213"
    text = ("教育部关于推进学校艺术教育发展的若干意见\n（教体艺〔2014〕1号）\n\n"
            "各省、自治区、直辖市教育厅（教委），新疆生产建设兵团教育局：\n" + BODY
            + "北京市、杭州市要先行先试。\n教育部\n2014年1月10日\n")
    doc = _parse(text)
    assert document_region(doc, default_gazetteer()).code == "100000"


def test_doc_number_prefix_when_no_issuer(finder):
    assert finder.of_document([], "沪府办发〔2016〕24号").name == "上海市"
    assert finder.of_document([], "国办发〔2015〕71号").code == "100000"
    assert finder.of_document([], "某政办〔2016〕1号") is None


def test_statute_as_exported_keeps_its_history():
    text = ("      北大法宝【法宝引证码】 CLI.1.99\n原文链接：https://example.org/chl/x.html\n"
            "某某省学校美育条例\n\n某某省学校美育条例\n\n"
            "（2019年5月30日某某省第十三届人民代表大会常务委员会第十二次会议通过）\n\n"
            "第一章 总则\n第一条 为了加强学校美育，制定本条例。\n第二条 本条例适用于本省。\n"
            "第三条 学校应当开设美育课程。\n")
    doc = _parse(text)
    assert doc.kind == "statute" and doc.source_id == "CLI.1.99"
    assert doc.title == "某某省学校美育条例" and doc.date == "2019-05-30"
    assert doc.issuer == "某某省人民代表大会常务委员会"
    assert [c.label for c in doc.walk()] == ["第一章", "第一条", "第二条", "第三条"]


def test_numeric_dates_in_fields():
    text = ("发文机关：某某市教育局\n成文日期：2021-03-05\n\n"
            "某某市教育局关于加强学校美育工作的通知\n\n各学校：\n" + BODY)
    assert _parse(text).date == "2021-03-05"
