"""``parse_document(raw, file_name) -> Document``: metadata, clause tree, attachments."""

from __future__ import annotations

import re

from ingest.model import Attachment, Document, Source
from ingest.parse.attachments import attachment_starts, parse_attachments
from ingest.parse.clauses import build_tree
from ingest.parse.dates import find_doc_number, parse_any_date, parse_date
from ingest.parse.frontmatter import read_front_matter
from ingest.parse.head import parse_title, split_issuers, title_block
from ingest.parse.ids import document_id
from ingest.parse.lines import split_lines
from ingest.parse.metadata import (
    cited_documents,
    find_meta_lines,
    find_notices,
    heading_block,
    plan_period,
    public_value,
    signature_organs,
    unwrap_notice_title,
)
from ingest.parse.normalise import clean_title
from ingest.parse.statute import history_date, history_issuer, looks_like_statute, statute_header
from ingest.readers import RawText

__all__ = ["parse_document", "parse_text"]


def parse_document(raw: RawText, file_name: str) -> Document:
    source = Source(file=file_name, sha256=raw.sha256, format=raw.format, encoding=raw.encoding)
    return parse_text(raw.text, source, raw.meta)


def parse_text(text: str, source: Source, meta: dict[str, str] | None = None) -> Document:
    """``meta``: front-matter fields the file format holds outside its text (HTML <meta>);
    the text's own front matter wins over them."""
    lines = split_lines(text)
    fm = read_front_matter(lines, 0)
    for name, value in (meta or {}).items():
        fm.fields.setdefault(name, value)
    start = fm.end
    doc = Document(id=document_id(text), title=None, text=text, source=source)
    doc.front_matter = dict(fm.fields)
    doc.source_id = fm.fields.get("source_id") or fm.fields.get("index_no")
    doc.source_url = fm.fields.get("source_url")
    tb = title_block(lines, start)
    skip = set(fm.idxs) | (set(tb.idxs[1:]) if tb else set())
    notices, body_idx = find_notices(lines, start, skip)
    if looks_like_statute(lines[start:], bool(notices)) and not _is_notice_block(tb, notices):
        doc = _parse_statute(doc, lines, start, skip)
        _fill_from_front_matter(doc, fm.fields)
        return doc

    meta = find_meta_lines(lines, start)
    for k in skip:
        meta.kinds.setdefault(k, "front-matter")
    doc.cc, doc.printed, doc.public = meta.cc, meta.printed, meta.public
    if tb is not None and not notices:
        # the title block of a document that is not a wrapper: the plan starts after it
        body_idx = tb.idxs[0]
        for k in tb.idxs:
            meta.kinds.setdefault(k, "title")
    starts = attachment_starts(lines, body_idx)
    body_stop = starts[0] if starts else len(lines)
    head_idxs, head_title, head_issuer = heading_block(lines, body_idx, body_stop)
    if tb is not None and not notices:
        head_idxs, head_title, head_issuer = [], tb.title, None

    if notices:
        inner = notices[-1]
        title = inner.object_title
        issuer = inner.issuer
        forwarded_by = None
        if title:
            unwrapped, wrapped_issuer = unwrap_notice_title(title)
            if unwrapped != title:  # a single 转发 notice of another body's 印发 notice
                title, forwarded_by, issuer = unwrapped, inner.issuer, wrapped_issuer or issuer
        if len(notices) >= 2 and notices[-2].forward:
            forwarded_by = notices[-2].issuer
        elif len(notices) == 1 and inner.forward and forwarded_by is None:
            # 转发《Y关于…》: the file holds the forwarding notice; Y's own notice is not here
            forwarded_by = inner.signers[0] if inner.signers else inner.issuer
            issuer = forwarded_by
        elif inner.signers and not forwarded_by:
            issuer = inner.signers[0]  # the signature's full name before the title's short one
        doc.title = _own_form(title, text, lines, body_idx, notices) if title else head_title
        doc.issuer = issuer or head_issuer
        doc.forwarded_by = forwarded_by
        doc.date = inner.date
        doc.doc_number = inner.doc_number
        doc.addressees = inner.addressees
        doc.notice = text[lines[notices[0].first].start:lines[body_idx].start].strip() \
            if body_idx < len(lines) else text[lines[notices[0].first].start:].strip()
        for n in notices:  # the public mark usually sits right after the notice's date
            for k in range(n.first, n.end):
                v = public_value(lines[k].text)
                if v is not None:
                    doc.public = v
        doc.notice_title = notices[0].title if notices[0].title != doc.title else None
        doc.issuers = _issuers(doc.issuer, inner.signers if doc.issuer == (
            inner.signers[0] if inner.signers else None) else [])
        issued = [t for t in inner.issued if t]
        if len(issued) >= 2:
            _split_issued(doc, lines, body_idx, issued)
    else:
        doc.title = head_title
        doc.issuer = head_issuer
        tp = parse_title(head_title)
        sig = [k for k, kind in meta.kinds.items() if kind == "signature"]
        dates = [k for k, kind in meta.kinds.items() if kind == "date"]
        # the signature closes the document proper, before its attachments
        dates = [k for k in dates if k < body_stop] or dates
        signers = signature_organs(lines, max(dates), body_idx) if dates else []
        head_names = split_issuers(tp.forwarders[0] if tp.forwarders else tp.issuer_text)
        if tp.forwarders:  # X转发Y关于…的通知: X's notice is the document in hand
            doc.notice_title = head_title
            doc.title = tp.own or head_title
            doc.forwarded_by = clean_title(signers[0] if signers else tp.forwarders[0])
        elif tp.issued and tp.issuer_text:  # X、Y印发《Z》 (a release headline)
            doc.notice_title = head_title
            doc.title = _own_form(tp.issued[0], text, lines, body_idx, [])
        if signers:
            doc.issuer = signers[0]  # the signature's full name before the title's short one
        elif doc.issuer is None and head_names:
            doc.issuer = clean_title(head_names[0])
        if sig and doc.issuer is None:
            doc.issuer = lines[max(sig)].text
        last_date = parse_date(lines[max(dates)].text) if dates else None
        # the signature's date (an organ above it) first, then a date under the title, then
        # a date line at the end without a signature
        doc.date = (last_date if signers else None) or (tb.date if tb else None) or last_date
        if tb is not None:
            doc.doc_number = tb.doc_number
        doc.issuers = _issuers(doc.issuer, signers,
                               None if signers else (tp.forwarders or [tp.issuer_text])[0])
    if doc.doc_number is None and tb is not None:
        doc.doc_number = tb.doc_number
    if doc.date is None and tb is not None:
        doc.date = tb.date
    _fill_from_front_matter(doc, fm.fields)
    doc.body_start = lines[body_idx].start if body_idx < len(lines) else len(text)
    doc.period = plan_period(doc.title, head_title)

    skip = set(meta.kinds) | set(head_idxs)
    body_lines = [ln for ln in lines[body_idx:body_stop] if ln.idx not in skip]
    if not doc.attachments:
        doc.clauses = build_tree(text, body_lines)
        stop = len(lines)
        doc.attachments = parse_attachments(text, lines, starts, stop, meta.kinds)
    if not doc.clauses and not doc.attachments and notices:
        # a notice whose document is not in the file (转发… 请结合实际贯彻落实): its own
        # sentences are what the file says, so they are its clauses
        doc.clauses = build_tree(text, _notice_sentences(lines, notices, skip))
    own = {t for t in (doc.title, head_title) if t}
    doc.cited = cited_documents(text, own, start=doc.body_start)
    return doc


def _notice_sentences(lines, notices, skip: set[int]) -> list:
    """The notices' prose lines: full sentences, not their title, 文号, addressees, contact
    lines or signature."""
    return [ln for n in notices for ln in lines[n.first:n.end]
            if ln.idx not in skip and not ln.blank and ln.text.rstrip().endswith(("。", "；"))]


def _is_notice_block(tb, notices) -> bool:
    """A notice or opinion as collected (title printed twice, 文号 under it) is never a
    statute, even when the document it issues is written in 第X条."""
    return bool(notices) or (tb is not None and bool(parse_title(tb.title).issuer_text))


def _loose(s: str) -> str:
    """A title without what notices drop or add when they name a document (的, 关于, 《》,
    spaces, bracket forms): for matching two renderings of one title."""
    from ingest.parse.normalise import squeeze

    t = squeeze(s).text.translate(str.maketrans("（）〈〉", "()《》"))
    return re.sub(r"[的之《》\s]|^关于", "", t)


def _own_form(title: str, text: str, lines, body_idx: int, notices) -> str:
    """The issued document's own rendering of its title: a notice's title often drops a 的 or
    the 关于 of the title the document prints (印发全面加强…实施意见的通知 for 《关于全面加强…
    的实施意见》). The heading of the document or the notice's 《》 quote wins when it is the
    same title but for those."""
    want = _loose(title)
    if not want:
        return title
    from ingest.parse.head import looks_like_organ
    from ingest.parse.metadata import heading_block, quoted_spans

    quoted = bool(notices) and f"《{title}》" in clean_title(notices[0].title)
    m = re.match(r"(?P<x>.+?)关于", title)
    if not quoted and m and looks_like_organ(m.group("x")):
        # 转发教育厅等部门关于…意见的通知: the document itself prints 关于…的意见 (its issuers
        # under it); a quoted 《X关于…》 is kept as quoted
        want = _loose(title[m.end():])

    _idxs, heading, _issuer = heading_block(lines, body_idx, min(len(lines), body_idx + 8))
    candidates = [heading] if heading else []
    if notices:
        start = lines[notices[0].first].start
        end = lines[body_idx].start if body_idx < len(lines) else len(text)
        chunk = text[start:end]
        candidates += [clean_title(chunk[a + 1:b - 1]) for a, b in quoted_spans(chunk)]
    for c in candidates:
        if c and c != title and _loose(c) == want:
            return c
    return title


def _issuers(first: str | None, signers: list[str], head: str | None = None) -> list[str]:
    """Joint issuers in order: the title head's (中共中央办公厅、国务院办公厅) or the signature's
    stacked organs, with ``first`` leading."""
    out: list[str] = []
    names = split_issuers(head) if head else []
    if len(signers) > len(names):
        names = signers
    for n in ([first] if first else []) + names:
        n = clean_title(n)
        if n and n not in out:
            out.append(n)
    if first and len(out) > 1 and out[0] == first and any(first in o and first != o
                                                          for o in out[1:]):
        out = out[1:]
    return out


def _fill_from_front_matter(doc: Document, fields: dict[str, str]) -> None:
    """Fields the front matter gives and the text did not (信息公开 tables, PKULaw records)."""
    if doc.title is None and fields.get("title"):
        doc.title = clean_title(fields["title"])
    if doc.doc_number is None and fields.get("doc_number"):
        doc.doc_number = find_doc_number(fields["doc_number"]) or fields["doc_number"].strip()
    if doc.date is None:
        doc.date = parse_any_date(fields.get("date", "")) or \
            parse_any_date(fields.get("published", ""))
    if doc.issuer is None and fields.get("issuer"):
        names = split_issuers(fields["issuer"])
        if names:
            doc.issuer = names[0]
            doc.issuers = names
    if doc.issuer and not doc.issuers:
        doc.issuers = [doc.issuer]


def _split_issued(doc: Document, lines, body_idx: int, titles: list[str]) -> None:
    """A notice that issues several documents (印发《X》和《Y》): each document becomes an
    attachment with its own clause tree, found where its title heads a line (the heading may
    add a 的 or 关于 the notice's title drops, or break across two lines)."""
    found: list[tuple[int, int, str]] = []  # first line idx, lines the heading takes, title
    k = body_idx
    for t in titles:
        want = _loose(t)
        for ln in lines[k:]:
            if ln.blank or len(ln.text) > 80:
                continue
            s = _loose(ln.text.replace("**", ""))
            if len(s) < 4 or not want.startswith(s):
                continue
            taken, heading, j = 1, ln.text, ln.idx
            while _loose(heading) != want and j + 1 < len(lines) and taken < 3:
                j += 1
                if lines[j].blank:
                    continue
                if not want.startswith(_loose(heading + lines[j].text)):
                    break
                heading += lines[j].text
                taken = j - ln.idx + 1
            if _loose(heading) == want:
                found.append((ln.idx, taken, clean_title(heading)))
                k = ln.idx + taken
                break
    if len(found) < 2:
        return
    meta = find_meta_lines(lines, body_idx)
    out = []
    for n, (idx, taken, t) in enumerate(found):
        stop = found[n + 1][0] if n + 1 < len(found) else len(lines)
        body = [ln for ln in lines[idx + taken:stop] if ln.idx not in meta.kinds]
        clauses = build_tree(doc.text, body, prefix=f"A{n + 1}.")
        last = next((ln for ln in reversed(lines[idx:stop]) if not ln.blank), lines[idx])
        out.append(Attachment(number=n + 1, title=t, start=lines[idx].start, end=last.end,
                              clauses=clauses, issued=True))
    doc.attachments = out
    doc.title = out[0].title


def _parse_statute(doc: Document, lines, start: int = 0,
                   skip: set[int] | None = None) -> Document:
    skip = skip or set()
    content = [ln for ln in lines[start:] if ln.idx not in skip]  # no front matter, no copies
    title, body_idx, history, _hist_idxs = statute_header(content)
    doc.kind = "statute"
    doc.title = title
    doc.history = history
    doc.issuer = history_issuer(history, title)
    doc.date = history_date(history)
    doc.body_start = lines[body_idx].start if body_idx < len(lines) else len(doc.text)
    doc.clauses = build_tree(doc.text, [ln for ln in lines[body_idx:] if ln.idx not in skip])
    doc.cited = cited_documents(doc.text, {title} if title else set(), start=doc.body_start)
    if doc.issuer:
        doc.issuers = [doc.issuer]
    return doc
