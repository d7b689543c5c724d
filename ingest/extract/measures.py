"""Measures: the numbered items of a plan that prescribe action.

A measure is a numbered clause (item, subitem, point, article) whose own numbered children are
none, i.e. the lowest numbering level that carries a titled item (1. 2. 3. … under
（一）…（八）); enumerations inside it (一是/二是) stay part of it. Items under the framing
sections (指导思想, 基本原则, 总体思路, 工作目标 headings, 附件 tables) are not measures: they
state principles or aims, not actions. Statutes' articles are measures only when they
prescribe (应当/必须/不得 …)."""

from __future__ import annotations

import re

from ingest.model import Clause, Document

_MEASURE_KINDS = {"chapter", "section", "article", "item", "subitem", "point", "heading"}
_FRAMING_RE = re.compile(r"指导思想|基本原则|总体思路|总体要求|工作原则|适用范围|编制依据|背景|总则|附则|定义")
_PRESCRIBE_RE = re.compile(r"应当|必须|不得|应|要|推进|加强|建立|实施|开展|落实|完善|推动|健全|提升|建设|组织")


def _numbered(c: Clause) -> bool:
    return bool(c.label) and c.kind in _MEASURE_KINDS


def _framing(ancestors: list[Clause], clause: Clause) -> bool:
    return any(_FRAMING_RE.search(a.heading or a.text[:20]) for a in [*ancestors, clause])


def measure_clauses(doc: Document) -> list[Clause]:
    out: list[Clause] = []

    def visit(clause: Clause, ancestors: list[Clause]) -> None:
        numbered_children = [c for c in clause.children if _numbered(c)]
        if _numbered(clause) and not numbered_children:
            body = clause.text[len(clause.label):]
            if not _framing(ancestors, clause) and _PRESCRIBE_RE.search(body) and len(body) > 8:
                out.append(clause)
            return
        for child in clause.children:
            visit(child, [*ancestors, clause])

    for clause in doc.clauses:
        visit(clause, [])
    return out


def measure_of(measures: list[Clause], path: str) -> str | None:
    """The measure a clause path belongs to (itself or its nearest measure ancestor)."""
    best: str | None = None
    for m in measures:
        if path == m.path or path.startswith(m.path + "."):
            if best is None or len(m.path) > len(best):
                best = m.path
    return best
