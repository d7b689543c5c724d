"""Readers: a file on disk → ``RawText`` (the text as extracted, plus tables).

For .txt the text is the decoded content unchanged (offsets of every later fact point into
it). .html goes through trafilatura (main text, not navigation), .docx through python-docx
(paragraphs and tables in body order), .pdf through pdfplumber.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from ingest.errors import IngestError
from ingest.model import Table

SUPPORTED_SUFFIXES = (".txt", ".html", ".htm", ".docx", ".pdf")

# Control characters that never occur in a real text document (tab, LF, CR, FF allowed).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")


@dataclass
class RawText:
    text: str
    format: str  # txt, html, docx, pdf
    encoding: str | None
    sha256: str  # of the raw bytes
    tables: list[Table] = field(default_factory=list)  # offsets into ``text``
    meta: dict[str, str] = field(default_factory=dict)  # front-matter fields the format holds
    #   outside the text (an HTML page's <meta name="ArticleTitle"> …): field → value


def read_file(path: str | Path) -> RawText:
    """Read one file into ``RawText``; raises ``IngestError(file, reason)`` on bad input."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(str(path), f"unsupported file type {suffix or '(none)'!r}; "
                          f"supported: {', '.join(SUPPORTED_SUFFIXES)}")
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise IngestError(str(path), "file not found (missing or removed)") from None
    except IsADirectoryError:
        raise IngestError(str(path), "is a directory, not a file") from None
    except OSError as exc:
        raise IngestError(str(path), f"cannot read: {exc.strerror or exc}") from None
    if not data.strip():
        raise IngestError(str(path), "empty file")
    digest = hashlib.sha256(data).hexdigest()
    if suffix == ".txt":
        text, encoding = decode_text(data, str(path))
        raw = RawText(unescape_entities(text), "txt", encoding, digest)
    elif suffix in (".html", ".htm"):
        raw = _read_html(data, str(path), digest)
    elif suffix == ".docx":
        raw = _read_docx(data, str(path), digest)
    else:
        raw = _read_pdf(data, str(path), digest)
    if not raw.text.strip():
        raise IngestError(str(path), "no text found in the file")
    return raw


# ---------------------------------------------------------------- plain text

# an HTML entity left in a text exported from a web page (PKULaw: 打造“三队两组&quot;)
ENTITY = re.compile(r"&(?:quot|amp|lt|gt|nbsp|apos|ldquo|rdquo|lsquo|rsquo|mdash|hellip|middot|#\d{2,6}|#x[0-9a-fA-F]{2,5});")


def unescape_entities(text: str) -> str:
    """``text`` with the HTML entities a web export left in it decoded (&amp; → &); a bare & is
    kept. In a Chinese line &quot; closes the “ left open before it (“三队两组&quot; → ”), else
    opens one, so quotes stay paired for whatever reads them."""
    if "&" not in text:
        return text
    out: list[str] = []
    pos = 0
    balance = 0  # “ open on the current line

    def add(piece: str) -> None:
        nonlocal balance
        tail = piece.rsplit("\n", 1)
        balance = (0 if len(tail) > 1 else balance) + tail[-1].count("“") - tail[-1].count("”")
        out.append(piece)

    for m in ENTITY.finditer(text):
        add(text[pos:m.start()])
        pos = m.end()
        if m.group(0) != "&quot;":
            add(html.unescape(m.group(0)))
        elif not re.search(r"[\u4e00-\u9fff]", text[max(0, m.start() - 20):m.end() + 20]):
            add('"')
        else:
            add("”" if balance > 0 else "“")
    out.append(text[pos:])
    return "".join(out)



def decode_text(data: bytes, file: str) -> tuple[str, str]:
    """Decode bytes: strict UTF-8 first, then UTF-16/32 by BOM, then GB18030, then detection.

    GB18030 comes before the detector because charset-normalizer sometimes reads GBK as
    Big5; GB18030 is a superset of GBK and GB2312, and rejects most non-Chinese byte soup.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        candidates = ["utf-32"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text, encoding
    if candidates[0] in ("utf-8-sig", "utf-16", "utf-32"):
        raise IngestError(file, f"undecodable: has a {candidates[0]} byte-order mark but "
                          "invalid content")
    if b"\x00" in data:
        raise IngestError(file, "binary data (NUL bytes), not a text document")
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None:
        text = str(best)
        if _looks_like_text(text):
            return text, best.encoding
    raise IngestError(file, "binary or undecodable content (not UTF-8, UTF-16, GB18030 or "
                      "any encoding charset-normalizer recognises)")


def _looks_like_text(text: str) -> bool:
    if not text.strip():
        return False
    bad = len(_CONTROL.findall(text))
    return bad <= max(2, len(text) // 1000)


# ---------------------------------------------------------------- HTML


def _read_html(data: bytes, file: str, digest: str) -> RawText:
    html, encoding = _decode_html(data, file)
    import trafilatura
    from lxml import etree

    # XML output keeps tables as rows/cells and bold as <hi rend="#b">, which plain-text
    # output flattens; we render it in the same layout as the .docx reader.
    xml = trafilatura.extract(
        html, output_format="xml", include_tables=True, include_comments=False,
        include_formatting=True, favor_recall=True, deduplicate=False,
    )
    text, tables = "", []
    if xml:
        try:
            main = etree.fromstring(xml.encode("utf-8")).find("main")
        except etree.XMLSyntaxError:
            main = None
        if main is not None:
            text, tables = _render_blocks(main)
    if not text.strip():
        text, tables = _lxml_text(html), []
    if not text.strip():
        raise IngestError(file, "no text found in the HTML")
    return RawText(text, "html", encoding, digest, tables, _html_meta(html))


# <meta name=…> of Chinese government sites (政府网站网页设计规范) and common page metadata
_HTML_META = {"articletitle": "title", "pubdate": "published", "contentsource": "source",
              "url": "source_url", "og:url": "source_url", "keywords": "keywords",
              "firstimage": None, "dc.title": "title", "dc.date": "published"}


def _html_meta(html: str) -> dict[str, str]:
    import lxml.html

    try:
        root = lxml.html.fromstring(html)
    except Exception:  # noqa: BLE001 - lxml raises several parser errors on junk
        return {}
    out: dict[str, str] = {}
    for el in root.xpath("//meta[@content]"):
        key = (el.get("name") or el.get("property") or "").strip().lower()
        name = _HTML_META.get(key)
        value = " ".join((el.get("content") or "").split())
        if name and value:
            out.setdefault(name, value)
    for el in root.xpath("//link[@rel='canonical'][@href]"):
        out.setdefault("source_url", el.get("href").strip())
    return out


def _render_blocks(main) -> tuple[str, list[Table]]:
    parts: list[str] = []
    tables: list[Table] = []
    pos = 0

    def emit(s: str) -> None:
        nonlocal pos
        parts.append(s)
        pos += len(s)

    def inline(el) -> str:
        out = [el.text or ""]
        for child in el:
            inner = inline(child)
            if child.tag == "hi" and "b" in (child.get("rend") or "") and inner.strip():
                inner = f"**{inner}**"
            elif child.tag == "lb":
                inner = "\n"
            out.append(inner)
            out.append(child.tail or "")
        return "".join(out)

    def block(el) -> None:
        if el.tag == "table":
            start = pos
            rows = []
            for row in el.iter("row"):
                cells = [" ".join(inline(c).split()) for c in row.findall("cell")]
                rows.append(cells)
                emit("".join("\t" + c + "\n" for c in cells) + "\n")
            if rows:
                tables.append(Table(header=rows[0], rows=rows[1:], start=start, end=pos))
        elif el.tag in ("list", "quote", "div", "main"):
            if (el.text or "").strip():
                emit(el.text.strip() + "\n")
            for child in el:
                block(child)
        else:  # p, head, item, code, …
            emit(inline(el).strip() + "\n")

    for child in main:
        block(child)
    return "".join(parts), tables


def _decode_html(data: bytes, file: str) -> tuple[str, str]:
    head = data[:2048].decode("ascii", "ignore").lower()
    m = re.search(r"charset\s*=\s*[\"']?([a-z0-9_\-]+)", head)
    if m:
        declared = m.group(1)
        if declared in ("gb2312", "gbk"):
            declared = "gb18030"
        try:
            return data.decode(declared), declared
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data, file)


def _lxml_text(html: str) -> str:
    """Fallback when trafilatura finds no main text: block elements' text, one per line."""
    import lxml.html

    try:
        root = lxml.html.fromstring(html)
    except Exception:  # noqa: BLE001 - lxml raises several parser errors on junk
        return ""
    for bad in root.xpath("//script|//style|//nav|//header|//footer"):
        bad.drop_tree()
    blocks = []
    for el in root.iter("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "div"):
        if el.tag == "div" and el.find(".//p") is not None:
            continue
        t = el.text_content().strip()
        if t:
            blocks.append(t)
    return "\n".join(blocks)


# ---------------------------------------------------------------- DOCX


def _read_docx(data: bytes, file: str, digest: str) -> RawText:
    import io
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise IngestError(file, f"corrupt or truncated .docx ({type(exc).__name__})") from None
    except Exception as exc:  # noqa: BLE001 - lxml XMLSyntaxError and friends in the package
        raise IngestError(file, f"corrupt .docx: {exc}") from None
    parts: list[str] = []
    tables: list[Table] = []
    pos = 0

    def emit(s: str) -> None:
        nonlocal pos
        parts.append(s)
        pos += len(s)

    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            emit(_paragraph_text(block) + "\n")
        elif isinstance(block, DocxTable):
            start = pos
            rows = []
            all_rows = [_row_cells(row) for row in block.rows]
            if not any(c for cells in all_rows for c in cells):
                continue  # an empty layout table carries no content
            for cells in all_rows:
                rows.append(cells)
                # one cell a line, a tab before each, a blank line after each row: the
                # layout the .txt table parser reads, so both sources parse alike
                emit("".join("\t" + c.replace("\n", " ") + "\n" for c in cells) + "\n")
            if rows:
                tables.append(Table(header=rows[0], rows=rows[1:], start=start, end=pos))
    return RawText("".join(parts), "docx", None, digest, tables)


def _paragraph_text(paragraph) -> str:
    """Paragraph text; bold runs become ``**…**`` so bold headings survive extraction."""
    runs = list(paragraph.runs)
    if not runs:
        return paragraph.text
    out: list[str] = []
    bold_open = False
    for run in runs:
        t = run.text
        if not t:
            continue
        is_bold = bool(run.bold) and bool(t.strip())
        if is_bold and not bold_open:
            out.append("**")
            bold_open = True
        elif not is_bold and bold_open and t.strip():
            out.append("**")
            bold_open = False
        out.append(t)
    if bold_open:
        out.append("**")
    text = "".join(out)
    return text if text.replace("*", "").strip() or not paragraph.text else paragraph.text


def _row_cells(row) -> list[str]:
    cells: list[str] = []
    seen: set[int] = set()
    for cell in row.cells:
        key = id(cell._tc)
        if key in seen:  # a merged cell repeats across the columns it spans
            continue
        seen.add(key)
        cells.append(cell.text.strip())
    return cells


# ---------------------------------------------------------------- PDF


def _read_pdf(data: bytes, file: str, digest: str) -> RawText:
    import io

    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [(page.extract_text() or "") for page in pdf.pages]
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many types on corrupt input
        raise IngestError(file, f"corrupt PDF ({type(exc).__name__}: {exc})") from None
    text = "\n".join(pages)
    if not text.strip():
        raise IngestError(file, "no text layer (scanned PDF?)")
    return RawText(text, "pdf", None, digest)
