"""Document metadata: wrapper notices (关于印发/转发…的通知) versus the plan itself, title,
issuer, forwarding chain, date, 文号, period, 主动公开, 抄送/印发 lines and cited documents."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.limits import check
from ingest.model import CitedDocument
from ingest.parse.clauses import match_label
from ingest.parse.dates import (
    DOC_NUMBER_RE,
    find_doc_number,
    find_period,
    is_date_line,
    normalise_doc_number,
    parse_date,
)
from ingest.parse.head import looks_like_organ, parse_title, split_issuers
from ingest.parse.lines import Line, next_content, prev_content
from ingest.parse.normalise import clean_title, same_length, squeeze

ORG_SUFFIX = ("局", "厅", "部", "委", "委员会", "政府", "办公室", "办公厅", "办", "中心", "学校",
              "院", "处", "室", "组", "会", "学区", "党委", "委会")
PUBLIC_RE = re.compile(
    r"^[（(]?\s*此件\s*(?P<v>主动公开|公开发布|予以公开|不予公开|依申请公开|不公开)\s*[）)]?$"
    r"|^(?:信息)?公开(?:选项|方式|属性)\s*[:：]\s*(?P<w>\S+)$"
)
CC_RE = re.compile(r"^抄\s*送\s*[:：]")
PRINTED_RE = re.compile(r"印\s*发\s*$")
PAGE_RE = re.compile(r"^[-—–]?\s*\d{1,3}\s*[-—–]?$|^第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?$")
ATTACH_START_RE = re.compile(r"^附\s*件\s*(?P<n>\d+|[一二三四五六七八九十]+)?\s*[:：]?$")
ATTACH_LIST_RE = re.compile(r"^附\s*件\s*\d*\s*[:：]\s*\S")
ATTACH_LIST_ITEM_RE = re.compile(r"^\d{1,2}\s*[.．、]\s*[^。]{1,60}$")
NOTICE_TITLE_RE = re.compile(r"关于.*通知$")
ABBREVIATIONS = {"中办": "中共中央办公厅", "国办": "国务院办公厅"}
_MADE_HERE = re.compile(r"(?:制定|编制|研制|出台|修订|制订|起草|形成)(?:了|出)?\s*$")


def is_org_line(s: str) -> bool:
    s = s.strip()
    return 2 <= len(s) <= 30 and s.endswith(ORG_SUFFIX) and not re.search(r"[。，,；;：:]", s)


def public_value(s: str) -> bool | None:
    m = PUBLIC_RE.match(s.strip())
    if not m:
        return None
    v = m.group("v") or m.group("w") or ""
    return not ("不" in v or "依申请" in v)


# ---------------------------------------------------------------- meta lines


@dataclass
class MetaLines:
    """Lines that are metadata, never clause text."""

    kinds: dict[int, str] = field(default_factory=dict)  # line idx → cc, printed, public, …
    cc: str | None = None
    printed: str | None = None
    public: bool | None = None


def find_meta_lines(lines: list[Line], start_idx: int) -> MetaLines:
    meta = MetaLines()
    printed_parts: list[str] = []
    has_attachment_start = any(ATTACH_START_RE.match(ln.text) for ln in lines[start_idx:])
    in_list = False
    for ln in lines[start_idx:]:
        s = ln.text
        if not ln.idx & 0xFFF:
            check()
        if not s or ln.indent_tab:
            continue
        if CC_RE.match(s):
            meta.kinds[ln.idx] = "cc"
            meta.cc = re.sub(r"^抄\s*送\s*[:：]\s*", "", s).strip() or None
        elif PRINTED_RE.search(s) and parse_date(s) and len(s) <= 60:
            meta.kinds[ln.idx] = "printed"
            p = prev_content(lines, ln.idx - 1, start_idx)
            part = s
            if p is not None and is_org_line(lines[p].text) and not re.sub(
                    r"\d{4}\s*年.*$", "", s).strip():
                meta.kinds[p] = "printed"
                part = lines[p].text + " " + s
            printed_parts.append(re.sub(r"\s+", " ", part))
        elif public_value(s) is not None:
            meta.kinds[ln.idx] = "public"
            meta.public = public_value(s)
        elif PAGE_RE.match(s):
            meta.kinds[ln.idx] = "page"
        elif is_date_line(s):
            meta.kinds[ln.idx] = "date"
            p = prev_content(lines, ln.idx - 1, start_idx)
            if p is not None and is_org_line(lines[p].text):
                meta.kinds[p] = "signature"
        elif has_attachment_start and ATTACH_LIST_RE.match(s):
            meta.kinds[ln.idx] = "attachment-list"
            in_list = True
            continue
        elif in_list and ATTACH_LIST_ITEM_RE.match(s):
            meta.kinds[ln.idx] = "attachment-list"  # 附件：1.… / 2.… continued on the next line
            continue
        in_list = False
    if printed_parts:
        meta.printed = printed_parts[-1]
    return meta


# ---------------------------------------------------------------- wrapper notices


@dataclass
class Notice:
    first: int  # line idx of the notice's first content line
    end: int  # line idx after the notice (its date and trailing marks)
    title: str  # the notice's own title (关于印发…的通知), squeezed
    forward: bool  # 转发 rather than 印发
    object_title: str | None  # the document it issues or forwards (inside 《》)
    issuer: str | None
    date: str | None
    doc_number: str | None
    addressees: str | None
    issued: list[str] = field(default_factory=list)  # every document it issues (《X》和《Y》)
    signers: list[str] = field(default_factory=list)  # the organ lines above its date


_WRAPPER_RE = re.compile(r"(?:印发|转发|颁发|发布|下发|批转|转批|颁布)")


def is_wrapper_title(title: str) -> bool:
    """A notice that issues or forwards a document: 关于印发/转发…, X印发关于…的通知."""
    rel = title[title.index("关于"):] if "关于" in title else title
    if _WRAPPER_RE.search(rel):
        return True
    tp = parse_title(title)
    return bool(tp.issued or tp.forwarders)


def find_notices(lines: list[Line], start: int = 0,
                 skip: frozenset[int] | set[int] = frozenset()) -> tuple[list[Notice], int]:
    """The wrapper notices at ``start``, outermost first, and the line idx where the plan
    starts. A wrapper issues or forwards a document (印发/转发/发布…) and ends with its date;
    a notice that is itself the document (关于开展…的通知) is not one. ``skip``: lines already
    read as front matter or title copies."""
    notices: list[Notice] = []
    i = start
    while True:
        j = next_content(lines, i)
        if j is None:
            break
        found = _notice_title(lines, j, skip)
        if found is None:
            break
        t_first, t_last, title = found
        if not is_wrapper_title(title):
            break
        date_idx = None
        k = t_last + 1
        seen = 0
        while k < len(lines) and seen < 30:
            if not lines[k].blank and k not in skip:
                seen += 1
                if is_date_line(lines[k].text):
                    date_idx = k
                    break
                if match_label(lines[k].text) is not None and seen > 2:
                    break
            k += 1
        if date_idx is None:
            break
        end = date_idx + 1
        while end < len(lines):
            s = lines[end].text
            if not s or public_value(s) is not None or (PRINTED_RE.search(s) and parse_date(s)):
                end += 1
                continue
            break
        notices.append(_make_notice(lines, j, t_first, t_last, title, date_idx, end))
        i = end
    body = next_content(lines, i) if notices else next_content(lines, start)
    while body is not None and body in skip:
        body = next_content(lines, body + 1)
    return notices, (body if body is not None else len(lines))


def _notice_title(lines: list[Line], j: int,
                  skip: frozenset[int] | set[int] = frozenset()) -> tuple[int, int, str] | None:
    idx = j
    seen = 0
    while idx < len(lines) and seen < 6:
        if lines[idx].blank or (idx in skip and idx != j):
            idx += 1
            continue
        seen += 1
        s = lines[idx].text
        if "关于" in s:
            joined = s
            last = idx
            k = idx + 1
            extra = 0
            while not NOTICE_TITLE_RE.search(squeeze(joined).text) and k < len(lines) and extra < 3:
                if not lines[k].blank:
                    joined += lines[k].text
                    last = k
                    extra += 1
                k += 1
            if NOTICE_TITLE_RE.search(squeeze(joined).text) and len(joined) <= 160:
                return idx, last, squeeze(joined).text
            return None
        if len(s) > 60 or "。" in s:
            return None
        idx += 1
    return None


def _make_notice(lines: list[Line], first: int, t_first: int, t_last: int, title: str,
                 date_idx: int, end: int) -> Notice:
    tp = parse_title(title)
    rel = title[title.index("关于"):] if "关于" in title else title
    forward = bool(re.match(r"关于\s*转发", rel)) or bool(tp.forwarders)
    obj = outer_quoted(rel)
    if obj is None:
        m = re.match(r"关于\s*(?:印发|转发|发布|下发|公布)\s*(.+?)的?通知$", rel)
        obj = m.group(1) if m else None
    if tp.issued and (obj is None or not rel.startswith("关于")):
        obj = tp.issued[0]  # X印发关于Y的通知
    elif tp.forwarders and tp.own:
        obj = tp.own
    issuer = None
    prefix = title[: title.index("关于")].strip() if "关于" in title else ""
    if tp.forwarders:
        issuer = tp.forwarders[0]
    elif prefix and (is_org_line(prefix) or looks_like_organ(prefix)):
        issuer = prefix
    elif tp.issuer_text and not squeeze(title).text.startswith(("关于", "转发")):
        issuer = tp.issuer_text  # X印发关于…的通知
    header = [lines[k].text for k in range(first, t_first) if not lines[k].blank]
    doc_number = None
    for h in header + [title]:
        doc_number = doc_number or find_doc_number(h)
    if issuer is None:
        for h in header:
            h2 = re.sub(r"\s*文\s*件$", "", h).strip()
            if is_org_line(h2):
                issuer = h2
                break
    signers = signature_organs(lines, date_idx, t_last + 1)
    if issuer is None and signers:
        issuer = signers[0]
    addressees = None
    a = next_content(lines, t_last + 1, date_idx)
    if a is not None and lines[a].text.endswith(("：", ":")) and len(lines[a].text) <= 120:
        addressees = lines[a].text
    for k in range(t_last + 1, date_idx):
        if doc_number is None and not lines[k].blank and len(lines[k].text) <= 30:
            doc_number = find_doc_number(lines[k].text)
    return Notice(first, end, title, forward, clean_title(obj) if obj else None,
                  clean_title(issuer) if issuer else None, parse_date(lines[date_idx].text),
                  doc_number, addressees, issued=list(tp.issued), signers=signers)


def signature_organs(lines: list[Line], date_idx: int, floor: int) -> list[str]:
    """The organs signing above a date line: one a line (joint issuers stacked) or several on
    one line separated by spaces; nearest the date last, returned in reading order."""
    out: list[str] = []
    k = prev_content(lines, date_idx - 1, floor)
    while k is not None and len(out) < 12:
        s = lines[k].text
        names = split_issuers(s) if looks_like_organ(s) else []
        if not names and is_org_line(s):
            names = [s]
        if not names:
            break
        out = [clean_title(n) for n in names] + out
        k = prev_content(lines, k - 1, floor)
    return out


def outer_quoted(s: str) -> str | None:
    """The content of the first top-level 《…》 (nested 《》 or 〈〉 inside kept)."""
    spans = quoted_spans(s)
    return s[spans[0][0] + 1: spans[0][1] - 1] if spans else None


def quoted_spans(s: str) -> list[tuple[int, int]]:
    """Top-level 《…》 spans (start of 《, end after 》), nesting-aware."""
    out = []
    depth = 0
    start = 0
    for i, ch in enumerate(s):
        if ch == "《":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "》" and depth:
            depth -= 1
            if depth == 0:
                out.append((start, i + 1))
    return out


def unwrap_notice_title(t: str) -> tuple[str, str | None]:
    """``X关于印发〈Y〉的通知`` → (Y, X); anything else → (t, None)."""
    m = re.match(r"(?P<x>.*?)关于\s*(?:印发|转发|发布)\s*[〈<《](?P<y>.+)[〉>》]\s*的?通知$", t)
    if m:
        x = m.group("x").strip()
        return clean_title(m.group("y")), (x if x and is_org_line(x) else None)
    return t, None


# ---------------------------------------------------------------- title block of the plan


def heading_block(lines: list[Line], body_idx: int, stop: int) -> tuple[list[int], str | None,
                                                                        str | None]:
    """Lines at the start of the plan that form its heading (title, maybe an issuer line).
    Returns (line idxs, title, issuer line)."""
    idxs: list[int] = []
    k = body_idx
    while k < stop and len(idxs) < 6:
        ln = lines[k]
        if ln.blank:
            k += 1
            continue
        s = squeeze(ln.text).text
        if match_label(ln.text) is not None or len(s) > 45 or "。" in s or s[-1] in "，,；;：:":
            break
        idxs.append(k)
        k += 1
    issuer = None
    parts: list[str] = []
    for n, k in enumerate(idxs):
        s = clean_title(lines[k].text)
        if n == 0 and is_org_line(s) and len(idxs) > 1:
            issuer = s
            continue
        if parts and s == parts[-1]:
            continue  # the same title repeated
        if parts and parts[0] == s:
            continue
        parts.append(s)
    title = "".join(parts) or None
    return idxs, title, issuer


# ---------------------------------------------------------------- cited documents


def cited_documents(text: str, own_titles: set[str], start: int = 0) -> list[CitedDocument]:
    out: list[CitedDocument] = []
    seen: set[str] = set()
    norm = same_length(text)
    excluded_end = -1
    for n, (s, e) in enumerate(quoted_spans(text[start:])):
        if not n & 0x3FF:
            check()
        s += start
        e += start
        title = clean_title(text[s + 1: e - 1])
        before = text[max(0, s - 8): s]
        made_here = bool(_MADE_HERE.search(before)) or (excluded_end == s)
        attach = bool(re.search(r"附\s*件\s*$", before))
        if made_here or attach:
            excluded_end = e
            continue
        if not title or title in seen or any(title == t or t in title for t in own_titles if t):
            continue
        seen.add(title)
        doc_number = None
        after = norm[e: e + 40]
        m = re.match(r"\s*[（(]\s*(?P<inner>[^）)]*?)\s*[）)]", after)
        if m:
            dm = DOC_NUMBER_RE.search(m.group("inner"))
            if dm:
                doc_number = normalise_doc_number(dm)
        out.append(CitedDocument(title=title, doc_number=doc_number,
                                 issuer=_cited_issuer(title, text[max(0, s - 20): s])))
    return out


def _cited_issuer(title: str, before: str) -> str | None:
    m = re.match(r"(?P<x>.{2,20}?)关于", title)
    if m and is_org_line(m.group("x")):
        return m.group("x")
    m = re.search(r"((?:中办|国办|中共中央办公厅|国务院办公厅|中共中央|国务院|教育部)"
                  r"(?:\s*[、和与]\s*(?:中办|国办|中共中央办公厅|国务院办公厅|中共中央|国务院|教育部))*)"
                  r"(?:联合)?(?:印发的?|发布的?)?\s*$", before)
    if m:
        names = [ABBREVIATIONS.get(x, x) for x in re.split(r"\s*[、和与]\s*", m.group(1))]
        return "、".join(names)
    return None


def plan_period(*candidates: str | None) -> str | None:
    for c in candidates:
        if c:
            p = find_period(c)
            if p:
                return p
    return None
