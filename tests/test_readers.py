"""Readers: encodings, formats and bad input. Seeds are re-encoded into tmp_path here."""

from __future__ import annotations

import html
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import SEED_FILES

from ingest import load_document, read_file
from ingest.errors import IngestError


def _shape(doc) -> list[tuple[str, str, str | None, str]]:
    return [(c.path, c.label, c.heading, c.kind) for c in doc.walk()]


def _blank_pdf(content: bytes = b"") -> bytes:
    """A valid one-page PDF; with no content it has no text at all (what a scan without OCR
    looks like)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>"),
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _write_docx(text: str, path: Path) -> None:
    """One paragraph a line; a run of tab-led lines (the 瓯海 attachment table) becomes a
    real Word table, as it would be in the original."""
    d = docx.Document()
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if lines[i].startswith("\t"):
            rows, row = [], []
            while i < len(lines) and (lines[i].startswith("\t") or not lines[i].strip()
                                      or (row and lines[i - 1] != "")):
                line = lines[i]
                if line.startswith("\t"):
                    row.append(line[1:])
                elif not line.strip():
                    if row:
                        rows.append(row)
                        row = []
                    if i + 1 < len(lines) and lines[i + 1].strip() and \
                            not lines[i + 1].startswith("\t"):
                        i += 1
                        break
                else:
                    row[-1] += line
                i += 1
            if row:
                rows.append(row)
            width = max(len(r) for r in rows)
            table = d.add_table(rows=len(rows), cols=width)
            for r, cells in enumerate(rows):
                for c, value in enumerate(cells):
                    table.cell(r, c).text = value
            continue
        d.add_paragraph(lines[i])
        i += 1
    d.save(path)


def _write_html(text: str, path: Path) -> None:
    body = "".join(f"<p>{html.escape(line)}</p>" for line in text.split("\n") if line.strip())
    path.write_text(
        "<html><head><meta charset='utf-8'><title>t</title></head><body>"
        "<nav><a href='/'>首页</a> | <a href='/news'>新闻动态</a> | <a href='/gk'>信息公开</a></nav>"
        f"<article>{body}</article><footer>版权所有 © 某某教育局 网站地图 联系我们</footer>"
        "</body></html>", "utf-8")


@pytest.mark.parametrize("key", ["xiangan", "zaozhuang", "chengde"])
@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-8-sig"])
def test_txt_encodings_give_the_same_document(seed_files, tmp_path, key, encoding):
    text = seed_files[key].read_text("utf-8")
    base = load_document(seed_files[key])
    path = tmp_path / f"{key}.txt"
    path.write_bytes(text.encode(encoding))
    doc = load_document(path)
    assert doc.text == base.text  # decoded content unchanged, BOM not part of the text
    assert doc.id == base.id
    assert _shape(doc) == _shape(base)
    assert (doc.title, doc.issuer, doc.date) == (base.title, base.issuer, base.date)
    assert doc.source.sha256 != base.source.sha256  # sha256 is of the raw bytes


@pytest.mark.parametrize("key", ["xiangan", "zaozhuang", "ouhai"])
def test_docx_round_trip(seed_files, tmp_path, key):
    base = load_document(seed_files[key])
    path = tmp_path / f"{key}.docx"
    _write_docx(seed_files[key].read_text("utf-8"), path)
    raw = read_file(path)
    assert raw.format == "docx"
    doc = load_document(path)
    assert doc.id == base.id
    assert _shape(doc) == _shape(base)
    assert doc.title == base.title and doc.date == base.date
    for c in doc.walk():
        assert doc.text[c.start:c.end] == c.text
    if key == "ouhai":
        assert raw.tables and len(raw.tables[0].rows) == 19
        assert doc.attachments[0].tables[0].rows == base.attachments[0].tables[0].rows


def test_docx_bold_runs_survive_as_markers(tmp_path):
    d = docx.Document()
    d.add_paragraph("一、工作举措")
    p = d.add_paragraph("1. ")
    p.add_run("加强培训体系建设。").bold = True
    p.add_run("每年举办2期中小学校长培训班。")
    d.save(tmp_path / "b.docx")
    doc = load_document(tmp_path / "b.docx")
    assert "**加强培训体系建设。**" in doc.text
    point = doc.clause("1.1")
    assert point is not None and point.heading == "加强培训体系建设"


@pytest.mark.parametrize("key", ["xiangan", "anon", "chengde"])
def test_html_round_trip_drops_navigation(seed_files, tmp_path, key):
    base = load_document(seed_files[key])
    path = tmp_path / f"{key}.html"
    _write_html(seed_files[key].read_text("utf-8"), path)
    doc = load_document(path)
    assert "新闻动态" not in doc.text and "网站地图" not in doc.text
    assert doc.id == base.id
    assert _shape(doc) == _shape(base)
    assert doc.title == base.title


def test_html_table_becomes_rows(tmp_path):
    path = tmp_path / "t.html"
    path.write_text(
        "<html><body><article><p>附件</p><p>重点项目一览表</p><table>"
        "<tr><td>类别</td><td>学校名称</td><td>重点实验项目</td></tr>"
        "<tr><td rowspan='2'>示范校</td><td>甲中学</td><td>课堂改革研究</td></tr>"
        "<tr><td>乙中学</td><td>作业设计研究</td></tr></table></article></body></html>", "utf-8")
    raw = read_file(path)
    assert raw.tables[0].header == ["类别", "学校名称", "重点实验项目"]
    doc = load_document(path)
    rows = doc.attachments[0].tables[0].rows
    assert rows == [["示范校", "甲中学", "课堂改革研究"], ["示范校", "乙中学", "作业设计研究"]]


def test_html_without_main_text_falls_back_to_lxml(tmp_path):
    path = tmp_path / "short.html"
    path.write_text("<html><body><div>一、总体要求</div></body></html>", "utf-8")
    assert "总体要求" in read_file(path).text


def test_gbk_text_that_a_detector_reads_as_big5(tmp_path):
    # charset-normalizer 3.x reports big5 (or cp949) for these short GBK strings; strict
    # UTF-8 then GB18030 must come before detection.
    text = "总体要求\n市教育局\n"
    path = tmp_path / "gbk.txt"
    path.write_bytes(text.encode("gbk"))
    raw = read_file(path)
    assert raw.text == text
    assert raw.encoding == "gb18030"


def test_utf16_without_bom_is_not_taken_for_text(tmp_path):
    path = tmp_path / "u16.txt"
    path.write_bytes("一、总体要求\n".encode("utf-16-le"))
    with pytest.raises(IngestError):
        read_file(path)


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\r\n ", "empty file"),
        ("garbage.txt", bytes(range(256)) * 8, "binary"),
        ("nul.txt", "一、总体要求".encode() + b"\x00\x00\x01\x02", "binary"),
        ("notes.rtf", b"{\\rtf1 hello}", "unsupported file type"),
        ("broken.pdf", b"%PDF-1.4 not really", "PDF"),
    ],
)
def test_bad_input_names_file_and_reason(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(IngestError) as err:
        load_document(path)
    assert err.value.file == str(path)
    assert reason in err.value.reason
    assert name in str(err.value)


def test_truncated_docx(seed_files, tmp_path):
    good = tmp_path / "good.docx"
    _write_docx(seed_files["chengde"].read_text("utf-8"), good)
    data = good.read_bytes()
    bad = tmp_path / "truncated.docx"
    bad.write_bytes(data[: len(data) // 2])
    with pytest.raises(IngestError) as err:
        load_document(bad)
    assert "truncated" in err.value.reason or "corrupt" in err.value.reason
    notzip = tmp_path / "plain.docx"
    notzip.write_bytes(b"this is not a zip archive at all")
    with pytest.raises(IngestError):
        load_document(notzip)
    assert zipfile.is_zipfile(good)


def test_pdf_without_text_layer(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(_blank_pdf())
    with pytest.raises(IngestError) as err:
        load_document(path)
    assert err.value.reason == "no text layer (scanned PDF?)"


def test_pdf_with_text_layer(tmp_path):
    path = tmp_path / "plan.pdf"
    path.write_bytes(_blank_pdf(b"BT /F1 12 Tf 20 150 Td (Article 1 Scope) Tj 0 -20 Td "
                                b"(Article 2 Duties) Tj ET"))
    raw = read_file(path)
    assert raw.format == "pdf"
    assert "Article 1 Scope" in raw.text and "Article 2 Duties" in raw.text


def test_file_that_vanishes(tmp_path):
    path = tmp_path / "gone.txt"
    path.write_text("一、总体要求\n", "utf-8")
    path.unlink()
    with pytest.raises(IngestError) as err:
        load_document(path)
    assert "not found" in err.value.reason and err.value.file == str(path)


def test_directory_is_an_error(tmp_path):
    d = tmp_path / "dir.txt"
    d.mkdir()
    with pytest.raises(IngestError):
        load_document(d)


def test_seed_sha256_is_of_raw_bytes():
    import hashlib

    path = SEED_FILES["anon"]
    raw = read_file(path)
    assert raw.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert raw.encoding == "utf-8" and raw.format == "txt"


def test_government_page_meta_and_info_table_are_front_matter(tmp_path):
    """A government site's page: <meta name="ArticleTitle"/"PubDate"> and the 信息公开 table
    above the text are metadata, never the title or a clause."""
    path = tmp_path / "gk.html"
    path.write_text(
        "<html><head><meta charset='utf-8'>"
        "<meta name='ArticleTitle' content='某某市教育局关于加强学校美育工作的通知'>"
        "<meta name='PubDate' content='2021-03-09 10:00'>"
        "<link rel='canonical' href='https://jyj.example.gov.cn/zwgk/2021/t1.html'></head><body>"
        "<article><table><tr><td>索引号</td><td>11350100/2021-00012</td>"
        "<td>发文机关</td><td>某某市教育局</td></tr>"
        "<tr><td>成文日期</td><td>2021年03月05日</td><td>文号</td><td>某教〔2021〕7号</td></tr>"
        "</table><p>某某市教育局关于加强学校美育工作的通知</p><p>各县（市）区教育局：</p>"
        "<p>一、总体要求</p><p>坚持立德树人，开齐开足美育课程。</p>"
        "<p>二、保障措施</p><p>加强组织领导。</p></article></body></html>", "utf-8")
    raw = read_file(path)
    assert raw.meta["source_url"] == "https://jyj.example.gov.cn/zwgk/2021/t1.html"
    doc = load_document(path)
    assert doc.source_url == "https://jyj.example.gov.cn/zwgk/2021/t1.html"
    assert doc.source_id == "11350100/2021-00012"
    assert doc.title == "某某市教育局关于加强学校美育工作的通知"
    assert (doc.doc_number, doc.date, doc.issuer) == ("某教〔2021〕7号", "2021-03-05", "某某市教育局")
    assert all("索引号" not in c.text and "成文日期" not in c.text for c in doc.walk())
    assert [c.label for c in doc.clauses if c.label] == ["一、", "二、"]
