"""Measures: the numbered items of a plan that prescribe action.

A measure is a numbered clause (item, subitem, point, article) whose own numbered children are
none, i.e. the lowest numbering level that carries a titled item (1. 2. 3. … under
（一）…（八）); enumerations inside it (一是/二是) stay part of it. Items under the framing
sections (指导思想, 基本原则, 总体思路, 工作目标/目标任务 headings, 附件 tables) are not measures:
they state principles or aims, not actions. In a plan every other such item is a measure (its
title is an action even when its text has no verb from a list); statutes' articles are
measures only when they prescribe (应当/必须/不得 …).

``measure_kind`` tells the measures of the plan's tasks (主要任务/主要措施/重点工作) from those of
its closing safeguard section (保障措施, 保障机制, 组织实施): the gold's ``top_level_measures``
counts the former, ``safeguard_measures`` the latter."""

from __future__ import annotations

import re

from ingest.model import Clause, Document

_MEASURE_KINDS = {"chapter", "section", "article", "item", "subitem", "point", "heading"}
_FRAMING_RE = re.compile(r"指导思想|基本原则|总体思路|总体要求|工作原则|适用范围|编制依据|背景|总则|附则|定义")
# a heading that is only a statement of aims: 工作目标, 发展目标, 目标任务, 行动目标
_GOAL_RE = re.compile(r"^(?:工作|发展|行动|总体|主要|具体|预期|三年|年度)?目标(?:任务)?$|^目标与任务$")
# a closing safeguard section: 保障措施, 保障机制, 组织保障, 组织实施, 强化组织保障
_SAFEGUARD_RE = re.compile(r"^(?:强化|加强|完善|健全)?(?:组织|工作|政策|实施|条件|支持|组织领导)?(?:保障|实施)"
                           r"(?:措施|机制|体系|条件|工作)?$|^组织领导$|^工作要求$|^实施步骤$")
_PRESCRIBE_RE = re.compile(r"应当|必须|不得|应|要|推进|加强|建立|实施|开展|落实|完善|推动|健全|提升|建设|组织")


def _numbered(c: Clause) -> bool:
    return bool(c.label) and c.kind in _MEASURE_KINDS


def _heading(clause: Clause) -> str:
    return re.sub(r"[\s。：:]+$", "", clause.heading or "")


def _framing(ancestors: list[Clause], clause: Clause) -> bool:
    return any(_FRAMING_RE.search(a.heading or a.text[:20]) or _GOAL_RE.match(_heading(a))
               for a in [*ancestors, clause])


def measure_clauses(doc: Document) -> list[Clause]:
    out: list[Clause] = []

    def visit(clause: Clause, ancestors: list[Clause]) -> None:
        numbered_children = [c for c in clause.children if _numbered(c)]
        if _numbered(clause) and not numbered_children:
            body = clause.text[len(clause.label):]
            prescribes = doc.kind != "statute" or bool(_PRESCRIBE_RE.search(body))
            if not _framing(ancestors, clause) and prescribes and (len(body) > 8 or clause.heading):
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
        inside = path == m.path or path.startswith(m.path + ".")
        if inside and (best is None or len(m.path) > len(best)):
            best = m.path
    return best


def measure_kind(doc: Document, path: str) -> str:
    """``safeguard`` for a measure inside (or being) a closing safeguard section (四、保障机制 →
    1.健全组织; 六、保障措施 → （一）加强组织领导; 四、组织实施), else ``task``."""
    for top in [*doc.clauses, *(c for a in doc.attachments for c in a.clauses)]:
        if path == top.path or path.startswith(top.path + "."):
            return "safeguard" if _SAFEGUARD_RE.match(_heading(top)) else "task"
    return "task"
