"""Attachments (附件1 …): their range, title, clause tree and tables as rows."""

from __future__ import annotations

import re

from ingest.model import Attachment, Table
from ingest.parse.clauses import build_tree
from ingest.parse.lines import Line, next_content
from ingest.parse.metadata import ATTACH_START_RE
from ingest.parse.numerals import label_number

_INLINE_START = re.compile(r"^附\s*件\s*(?P<n>\d{1,2})\s*[:：]?\s*(?P<t>[^。]{2,60})$")


def attachment_starts(lines: list[Line], from_idx: int) -> list[int]:
    """Line idxs where attachments begin: a line that is just 附件 / 附件N; failing that, the
    last of repeated ``附件N：标题`` lines (the first ones list the attachments under the
    plan, the last one heads the attachment itself)."""
    alone = [ln.idx for ln in lines[from_idx:]
             if not ln.indent_tab and ATTACH_START_RE.match(ln.text)]
    if alone:
        return alone
    last: dict[str, int] = {}
    count: dict[str, int] = {}
    for ln in lines[from_idx:]:
        m = _INLINE_START.match(ln.text)
        if m and not ln.indent_tab:
            last[m.group("n")] = ln.idx
            count[m.group("n")] = count.get(m.group("n"), 0) + 1
    return sorted(idx for n, idx in last.items() if count[n] >= 2)


def parse_attachments(text: str, lines: list[Line], starts: list[int], stop_idx: int,
                      meta_kinds: dict[int, str]) -> list[Attachment]:
    out: list[Attachment] = []
    for n, a in enumerate(starts, 1):
        end_idx = starts[n] if n < len(starts) else stop_idx
        m = ATTACH_START_RE.match(lines[a].text)
        inline = None if m else _INLINE_START.match(lines[a].text)
        number = n
        if m and m.group("n"):
            number = label_number(m.group("n")) or n
        elif inline:
            number = int(inline.group("n"))
        title = None
        body_from = a + 1
        if inline:
            title = inline.group("t").strip()
        else:
            t = next_content(lines, a + 1, end_idx)
            if t is not None and not lines[t].indent_tab and len(lines[t].text) <= 60 \
                    and "。" not in lines[t].text and t not in meta_kinds:
                title = lines[t].text
                body_from = t + 1
        region = [ln for ln in lines[body_from:end_idx] if ln.idx not in meta_kinds]
        tables, table_idxs = tab_tables(region)
        clause_lines = [ln for ln in region if ln.idx not in table_idxs]
        clauses = build_tree(text, clause_lines, prefix=f"A{number}.")
        last = next((ln for ln in reversed(lines[a:end_idx]) if not ln.blank
                     and ln.idx not in meta_kinds), lines[a])
        out.append(Attachment(number=number, title=title, start=lines[a].start,
                              end=last.end, clauses=clauses, tables=tables))
    return out


def tab_tables(region: list[Line]) -> tuple[list[Table], set[int]]:
    """Tables laid out one cell a line, each cell starting with a tab, a blank line between
    rows (the layout of tables copied from Word into text, and of our .docx reader). A line
    without a tab continues the previous cell (cells broken across lines: 示/范/校); an empty
    first cell repeats the one above (vertically merged)."""
    tables: list[Table] = []
    used: set[int] = set()
    i = 0
    while i < len(region):
        if not region[i].indent_tab:
            i += 1
            continue
        j = i
        last_tab = i
        while j < len(region):
            ln = region[j]
            if ln.indent_tab:
                last_tab = j
            elif not ln.blank:
                # a continuation line right after a cell, else the table is over
                if j > 0 and (region[j - 1].indent_tab or (not region[j - 1].blank
                                                          and j - 1 > i)):
                    pass
                else:
                    break
            j += 1
        block = region[i:last_tab + 1]
        rows: list[list[str]] = []
        row: list[str] = []
        for ln in block:
            if ln.indent_tab:
                row.append(ln.text)
            elif ln.blank:
                if row:
                    rows.append(row)
                    row = []
            elif row:
                row[-1] += ln.text
            else:
                row.append(ln.text)
        if row:
            rows.append(row)
        if len(rows) >= 2:
            width = max(len(r) for r in rows)
            filled: list[list[str]] = []
            for r in rows:
                r = r + [""] * (width - len(r))
                if filled:
                    r = [c if c or k > 0 else filled[-1][k] for k, c in enumerate(r)]
                filled.append(r)
            header = filled[0]
            tables.append(Table(header=header, rows=filled[1:], start=block[0].start,
                                end=block[-1].end))
            used.update(ln.idx for ln in region[i:last_tab + 1])
        i = last_tab + 1
    return tables, used


def table_records(table: Table) -> list[dict[str, str]]:
    return [dict(zip(table.header, row)) for row in table.rows]

