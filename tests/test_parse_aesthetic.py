"""Every document of ../shared/corpus/aesthetic (PKULaw exports) against what the file itself
prints: the expectation is computed here from the file's own lines, never written per file."""

from __future__ import annotations

import re

import pytest
from conftest import SHARED

from ingest import load_document
from ingest.extract.regions_in_text import document_region
from ingest.regions import default_gazetteer

AESTHETIC = SHARED / "corpus" / "aesthetic"
FILES = sorted(AESTHETIC.glob("*.txt"))
NUMBER = re.compile(r"^[（(]?\s*(?P<n>[\u4e00-\u9fa5]{1,12}\s*[〔\[［(（]\s*\d{4}\s*[〕\]］)）]"
                    r"\s*\d{1,5}\s*号)")
BRACKETS = str.maketrans("〔〕［］（）", "[][]()")


def _norm(s: str) -> str:
    return "".join(s.split()).translate(BRACKETS)


def _loose(s: str) -> str:
    return re.sub(r"[的《》〈〉\s]", "", s).translate(BRACKETS)


def _printed(path):
    """What the file prints at its head: header id, URL, title line, the line under it."""
    content = [ln.strip() for ln in path.read_text("utf-8").splitlines() if ln.strip()]
    header = content[0] if "法宝引证码" in content[0] else None
    rest = content[1:] if header else content
    url = None
    if rest and rest[0].startswith("原文链接"):
        url = rest[0].split("：", 1)[1].strip()
        rest = rest[1:]
    title = rest[0]
    under = rest[1] if len(rest) > 1 and _norm(rest[1]) != _norm(title) else \
        (rest[2] if len(rest) > 2 else "")
    return header, url, title, under


def test_corpus_is_there():
    assert len(FILES) >= 90, f"expected the 93 aesthetic documents under {AESTHETIC}"


@pytest.fixture(scope="module")
def parsed():
    return {p.name: load_document(p) for p in FILES}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name[:9])
def test_what_the_file_prints(parsed, path):
    doc = parsed[path.name]
    header, url, title_line, under = _printed(path)
    # front matter is metadata: never the title, never clause text
    assert doc.title and "法宝" not in doc.title and "原文链接" not in doc.title
    for c in doc.walk():
        assert "法宝引证码" not in c.text and "原文链接" not in c.text
    if header:
        assert doc.source_id == re.search(r"CLI\.[\d.]+", header).group(0)
    if url:
        assert doc.source_url == url
    # the title is the title line (less a bracketed 文号) or, for a notice that issues or
    # forwards a document, what it names, with the notice's title kept
    line = re.sub(r"[（(][^（）()]*号[）)]$", "", title_line)
    if doc.notice_title:
        assert _norm(doc.notice_title) == _norm(line)
        assert _loose(doc.title).replace("关于", "") in _loose(line).replace("关于", "") \
            or _loose(doc.title) in _loose(doc.text)
    else:
        assert _norm(doc.title) == _norm(line)
    # a 文号 printed on the line under the title (or in brackets after it)
    m = NUMBER.match(_norm(under)) or re.search(r"[（(](?P<n>[^（）()]+号)[）)]$", title_line)
    if m:
        assert doc.doc_number and _norm(doc.doc_number) == _norm(m.group("n")), m.group("n")
    # the issuer named at the head of the title line is an issuer (or the forwarder)
    head = re.match(r"^(?P<x>[^《“]+?)(?:关于|印发|转发)", title_line)
    if head and head.group("x").endswith(("厅", "局", "室", "委员会", "部", "政府")):
        first = re.split(r"[、\s]", head.group("x"))[0]
        place = re.match(r"^(.+?(?:省|自治区|市|州|县|区|兵团))", first)
        names = [*doc.issuers, doc.forwarded_by or ""]
        assert any(n == first or (place and n.startswith(place.group(1))) for n in names), \
            (first, names)


@pytest.mark.parametrize("path", [p for p in FILES if p.name.startswith("central_")],
                         ids=lambda p: p.name[:11])
def test_central_documents_are_national(parsed, path):
    region = document_region(parsed[path.name], default_gazetteer())
    assert region is not None and region.code == "100000", region


def test_local_documents_take_the_issuers_region(parsed):
    gaz = default_gazetteer()
    for path in FILES:
        if not path.name.startswith("local_"):
            continue
        doc = parsed[path.name]
        region = document_region(doc, gaz)
        assert region is not None and region.level != "country", path.name
        issuer = doc.issuers[0] if doc.issuers else ""
        # the region is the one the issuer's name opens with, never a place the text mentions
        names = tuple(n for r in gaz.chain(region.code) for n in (r.name, r.name[:2]))
        assert issuer.startswith(names), (path.name, issuer, region.full_name)


def test_every_document_has_clauses_to_search(parsed):
    """A notice that forwards a document not in the file still says something (请结合实际贯彻
    落实, a date to report by): its sentences are clauses, so search and ask can find it."""
    empty = [n for n, d in parsed.items() if not d.clauses and not d.attachments]
    assert not empty, f"no clauses parsed from {empty}"
