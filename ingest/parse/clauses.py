"""The clause tree: numbered lines (第X章 … ①), unnumbered section headings, paragraphs that
continue a clause, and 一是…二是… enumerations inside a paragraph.

Nesting follows a fixed rank of numbering schemes (章 > 节 > 条 > 一、 > （一） > 1. > （1） > ①):
a new label closes every open clause of the same or a deeper rank, so numbering may restart
under each parent. A heading line that lost its number takes the rank just above the
numbered items that follow it. Every clause's own text is one contiguous span:
``clause.text == text[clause.start:clause.end]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.limits import check
from ingest.model import Clause
from ingest.parse.lines import Line
from ingest.parse.normalise import clean_title, same_length
from ingest.parse.numerals import label_number

_CN = "一二三四五六七八九十百零〇两"


@dataclass(frozen=True)
class Scheme:
    name: str
    pattern: re.Pattern
    rank: float
    kind: str


SCHEMES: tuple[Scheme, ...] = (
    Scheme("chapter", re.compile(rf"第\s*(?P<n>[{_CN}\d]+)\s*章"), 1, "chapter"),
    Scheme("section", re.compile(rf"第\s*(?P<n>[{_CN}\d]+)\s*节"), 2, "section"),
    Scheme("article", re.compile(rf"第\s*(?P<n>[{_CN}\d]+)\s*条(?![件款])"), 3, "article"),
    Scheme("cn", re.compile(r"(?P<n>[一二三四五六七八九十]{1,3})\s*[、.．](?![\d])"), 4, "item"),
    Scheme("paren_cn", re.compile(r"[（(]\s*(?P<n>[一二三四五六七八九十]{1,3})\s*[）)]"), 5,
           "subitem"),
    Scheme("arabic", re.compile(r"(?P<n>\d{1,3})\s*(?:[.、](?!\d)|\)(?!\d))"), 6, "point"),
    Scheme("paren_arabic", re.compile(r"[（(]\s*(?P<n>\d{1,3})\s*[）)]"), 7, "point"),
    Scheme("circled", re.compile(r"(?P<n>[①-⑳])"), 8, "point"),
)

ENUM_RE = re.compile(r"(?:(?<=^)|(?<=[。；;，,：:、\s]))(?P<n>[一二三四五六七八九十]{1,2})是")
_END_PUNCT = "。；;：:，,、！!？?"


@dataclass
class LabelMatch:
    scheme: Scheme
    number: int | None
    label: str  # as written
    end: int  # offset in the line text where the label (and following spaces) ends


def match_label(text: str) -> LabelMatch | None:
    """The numbering label at the start of a stripped line, if any (``**`` before it allowed)."""
    norm = same_length(text)
    lead = 2 if norm.startswith("**") else 0
    for scheme in SCHEMES:
        m = scheme.pattern.match(norm, lead)
        if not m:
            continue
        end = m.end()
        rest = norm[end:]
        if scheme.name == "article" and rest.startswith(("规定", "的规定", "所")):
            continue
        if not rest.strip() and scheme.name in ("arabic", "circled", "paren_arabic"):
            continue  # a bare "2." is a page number or a stray mark, not an item
        label = text[lead:end].strip()
        while end < len(norm) and norm[end] in " \t":
            end += 1
        return LabelMatch(scheme, label_number(m.group("n")), label, end)
    return None


def heading_of(rest: str, kind: str) -> str | None:
    """The bold part, the first short sentence (…。), or a whole short heading line."""
    if kind in ("article", "paragraph"):
        return None
    s = rest.strip()
    if kind == "enumeration":  # 一是健全组织常态督导。… → 健全组织常态督导; long ones get none
        first = s.split("。", 1)[0]
        return clean_title(first) if "。" in s and 0 < len(first) <= 20 and "，" not in first \
            and "；" not in first else None
    if s.startswith("**"):
        close = s.find("**", 2)
        if close > 2:
            h = clean_title(s[2:close]).rstrip("。.：:；;")
            return h or None
    s = s.replace("**", "")
    if "。" in s:
        first = s[: s.index("。")]
        if 0 < len(first) <= 40:
            return clean_title(first) or None
        return None
    if 0 < len(s) <= 60 and s[-1] not in "，,、；;":
        return clean_title(s.rstrip("：:")) or None
    return None


@dataclass
class _Node:
    label: str
    kind: str
    rank: float
    start: int
    end: int
    heading: str | None
    children: list[_Node] = field(default_factory=list)


def is_heading_candidate(line: Line) -> bool:
    s = line.text
    if s.startswith("**") and s.endswith("**") and len(s) > 4:
        return True
    s = s.replace("**", "")
    return 0 < len(s) <= 40 and "。" not in s and s[-1] not in _END_PUNCT


def build_tree(text: str, lines: list[Line], prefix: str = "") -> list[Clause]:
    """Clauses from ``lines`` (already restricted to the plan body or an attachment, meta lines
    removed). ``prefix`` starts every path (``A1.`` for attachments)."""
    roots: list[_Node] = []
    stack: list[_Node] = []
    last: _Node | None = None
    content = [ln for ln in lines if not ln.blank]
    labels = [match_label(ln.text) for ln in content]
    for i, line in enumerate(content):
        if not i & 0x3FF:
            check()
        lm = labels[i]
        if lm is not None:
            rest = line.text[lm.end:]
            node = _Node(lm.label, lm.scheme.kind, lm.scheme.rank, line.start, line.end,
                         heading_of(rest, lm.scheme.kind))
            _place(node, stack, roots)
            last = node
            continue
        nxt = labels[i + 1] if i + 1 < len(content) else None
        bold_only = line.text.startswith("**") and line.text.endswith("**")
        if is_heading_candidate(line) and (nxt is not None or bold_only):
            rank = (nxt.scheme.rank if nxt is not None else (stack[-1].rank + 1 if stack else 4))
            node = _Node("", "heading", rank - 0.5, line.start, line.end,
                         clean_title(line.text).rstrip("：:") or None)
            _place(node, stack, roots)
            last = node
            continue
        if last is None:  # text before the first numbered clause: the preamble
            last = _Node("", "paragraph", 0, line.start, line.end, None)
            roots.append(last)
            continue
        last.end = max(last.end, line.end)
    _split_enumerations(text, roots)
    return _to_clauses(text, roots, prefix)


def _place(node: _Node, stack: list[_Node], roots: list[_Node]) -> None:
    while stack and stack[-1].rank >= node.rank:
        stack.pop()
    (stack[-1].children if stack else roots).append(node)
    stack.append(node)


def _split_enumerations(text: str, nodes: list[_Node]) -> None:
    """一是…二是…三是… inside a clause's own text become its first children."""
    for node in nodes:
        _split_enumerations(text, node.children)
        if node.kind in ("enumeration",):
            continue
        own = text[node.start:node.end]
        hits = []
        expect = 1
        for m in ENUM_RE.finditer(own):
            n = label_number(m.group("n"))
            if n == expect:
                hits.append(m)
                expect += 1
        if len(hits) < 2:
            continue
        enum_nodes = []
        for k, m in enumerate(hits):
            s = node.start + m.start()
            e = node.start + (hits[k + 1].start() if k + 1 < len(hits) else len(own))
            e = _rstrip(text, s, e)
            enum_nodes.append(_Node(m.group(0), "enumeration", 99, s, e,
                                    heading_of(text[s + len(m.group(0)):e], "enumeration")))
        node.end = _rstrip(text, node.start, node.start + hits[0].start())
        node.children = enum_nodes + node.children


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _to_clauses(text: str, nodes: list[_Node], prefix: str) -> list[Clause]:
    out: list[Clause] = []
    n = 0
    for node in nodes:
        if node.kind == "paragraph" and node is nodes[0]:
            path = f"{prefix}0"  # the preamble before the first numbered clause
        else:
            n += 1
            path = f"{prefix}{n}"
        children = _to_clauses(text, node.children, path + ".")
        end_all = max([node.end] + [c.end_all for c in children])
        out.append(Clause(path=path, label=node.label, heading=node.heading,
                          text=text[node.start:node.end], start=node.start, end=node.end,
                          end_all=end_all, kind=node.kind, children=children))
    return out
