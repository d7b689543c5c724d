"""Statutes from ../shared/corpus/laws: articles as clauses, history lines, issuer and date."""

from __future__ import annotations

import re

import pytest

from ingest import load_document

ARTICLE = re.compile(r"^\s*第[一二三四五六七八九十百零〇两]+条", re.MULTILINE)


@pytest.fixture(scope="module")
def statutes(corpus_files):
    if not corpus_files:
        pytest.fail("../shared/corpus/laws is empty")
    return {p.name: load_document(p) for p in corpus_files}


def test_every_statute_parses_with_all_articles(statutes):
    assert len(statutes) == 77
    for name, doc in statutes.items():
        assert doc.kind == "statute", name
        articles = [c for c in doc.walk() if c.kind == "article"]
        assert len(articles) == len(ARTICLE.findall(doc.text)), name
        for c in doc.walk():
            assert c.text == doc.text[c.start:c.end], (name, c.path)
        assert doc.title and doc.title == doc.text.strip().splitlines()[0].strip()


def test_articles_sit_under_chapters(statutes):
    doc = statutes["law_007_9158a55197.txt"]  # 上海市未成年人保护条例
    chapters = [c for c in doc.clauses if c.kind == "chapter"]
    assert chapters[0].label == "第一章" and chapters[0].heading == "总则"
    assert chapters[0].children[0].label == "第一条"
    assert chapters[0].children[0].text.startswith("第一条 为了保护未成年人身心健康")
    assert all(a.kind == "article" for ch in chapters for a in ch.children)
    assert doc.issuer == "上海市人民代表大会常务委员会"
    assert doc.date == "2024-12-31"
    assert len(doc.history) == 4 and doc.history[0].startswith("2004年11月25日")
    assert all("通过" not in c.text for c in doc.walk() if c.kind == "chapter")


def test_items_inside_articles(statutes):
    doc = statutes["law_095_a60b99610d.txt"]  # 一、 and (一) instead of 第X条
    assert doc.kind == "statute"
    first = doc.clauses[1]
    assert first.label == "一、"
    assert [c.label for c in first.children][:3] == ["(一)", "(二)", "(三)"]
    subitems = [c for c in doc.walk() if c.kind == "subitem"]
    assert any(c.label.startswith("（") for d in statutes.values() for c in d.walk()
               if c.kind == "subitem") and subitems


def test_history_gives_issuer_and_latest_version_date(statutes):
    doc = statutes["law_000_80355466d3.txt"]
    assert doc.history == ["2024年8月22日 上海市第十六届人民代表大会常务委员会第十五次会议通过"]
    assert (doc.issuer, doc.date) == ("上海市人民代表大会常务委员会", "2024-08-22")
    assert doc.clauses[0].label == "第一条"
    ningbo = statutes["law_052_6854ec8b79.txt"]  # 市十四届人大常委会 → full name from the title
    assert ningbo.issuer == "宁波市人民代表大会常务委员会"
    assert ningbo.date == "2014-12-09"  # 2015年3月1日 施行 is when it takes effect, not a version
