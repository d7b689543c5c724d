"""Lines of a document with offsets: the unit every parser in this package walks."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.limits import check

_LINE = re.compile(r"[^\n]*\n?")


@dataclass
class Line:
    idx: int
    start: int  # offset of the first non-space character (== end for a blank line)
    end: int  # offset just after the last non-space character
    text: str  # the stripped content
    raw_start: int  # offset of the line's first character
    indent_tab: bool  # the line starts with a tab (table cells in exported layouts)

    @property
    def blank(self) -> bool:
        return not self.text


def split_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    pos = 0
    idx = 0
    n = len(text)
    while pos < n:
        m = _LINE.match(text, pos)
        assert m is not None
        chunk = m.group(0)
        if not chunk:
            break
        body = chunk.rstrip("\r\n")
        lstripped = body.lstrip()
        stripped = lstripped.rstrip()
        lead = len(body) - len(lstripped)
        start = pos + lead
        end = start + len(stripped)
        lines.append(Line(idx, start, end, stripped, pos, body.startswith("\t")))
        idx += 1
        if not idx & 0xFFF:
            check()
        pos = m.end()
    return lines


def next_content(lines: list[Line], i: int, stop: int | None = None) -> int | None:
    """Index of the first non-blank line at or after ``i`` (before ``stop``)."""
    stop = len(lines) if stop is None else stop
    while i < stop:
        if not lines[i].blank:
            return i
        i += 1
    return None


def prev_content(lines: list[Line], i: int, floor: int = 0) -> int | None:
    while i >= floor:
        if not lines[i].blank:
            return i
        i -= 1
    return None
