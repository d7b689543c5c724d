"""``parse_document(raw, file_name) -> Document``: metadata, clause tree, attachments."""

from __future__ import annotations

from ingest.model import Document, Source
from ingest.parse.attachments import attachment_starts, parse_attachments
from ingest.parse.clauses import build_tree
from ingest.parse.dates import parse_date
from ingest.parse.ids import document_id
from ingest.parse.lines import split_lines
from ingest.parse.metadata import (
    cited_documents,
    find_meta_lines,
    find_notices,
    heading_block,
    plan_period,
    public_value,
    unwrap_notice_title,
)
from ingest.parse.statute import history_date, history_issuer, looks_like_statute, statute_header
from ingest.readers import RawText

__all__ = ["parse_document", "parse_text"]


def parse_document(raw: RawText, file_name: str) -> Document:
    source = Source(file=file_name, sha256=raw.sha256, format=raw.format, encoding=raw.encoding)
    return parse_text(raw.text, source)


def parse_text(text: str, source: Source) -> Document:
    lines = split_lines(text)
    notices, body_idx = find_notices(lines)
    doc = Document(id=document_id(text), title=None, text=text, source=source)
    if looks_like_statute(lines, bool(notices)):
        return _parse_statute(doc, lines)

    meta = find_meta_lines(lines, 0)
    doc.cc, doc.printed, doc.public = meta.cc, meta.printed, meta.public
    starts = attachment_starts(lines, body_idx)
    body_stop = starts[0] if starts else len(lines)
    head_idxs, head_title, head_issuer = heading_block(lines, body_idx, body_stop)

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
        doc.title = title or head_title
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
    else:
        doc.title = head_title
        doc.issuer = head_issuer
        sig = [k for k, kind in meta.kinds.items() if kind == "signature"]
        dates = [k for k, kind in meta.kinds.items() if kind == "date"]
        if sig and doc.issuer is None:
            doc.issuer = lines[max(sig)].text
        if dates:
            doc.date = parse_date(lines[max(dates)].text)
    doc.body_start = lines[body_idx].start if body_idx < len(lines) else len(text)
    doc.period = plan_period(doc.title, head_title)

    skip = set(meta.kinds) | set(head_idxs)
    body_lines = [ln for ln in lines[body_idx:body_stop] if ln.idx not in skip]
    doc.clauses = build_tree(text, body_lines)
    stop = len(lines)
    doc.attachments = parse_attachments(text, lines, starts, stop, meta.kinds)
    own = {t for t in (doc.title, head_title) if t}
    doc.cited = cited_documents(text, own, start=doc.body_start)
    return doc


def _parse_statute(doc: Document, lines) -> Document:
    title, body_idx, history, _hist_idxs = statute_header(lines)
    doc.kind = "statute"
    doc.title = title
    doc.history = history
    doc.issuer = history_issuer(history, title)
    doc.date = history_date(history)
    doc.body_start = lines[body_idx].start if body_idx < len(lines) else len(doc.text)
    doc.clauses = build_tree(doc.text, lines[body_idx:])
    doc.cited = cited_documents(doc.text, {title} if title else set(), start=doc.body_start)
    return doc
