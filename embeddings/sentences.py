"""Split a clause into sentence segments for sentence-level dense scoring.

A clause of a Chinese plan often packs several measures into one paragraph (a heading
sentence, then 一是…；二是…；…). Encoding the whole clause averages them, so a query about
one buried sentence scores low; encoding each segment lets the index score a clause by its
best-matching sentence (see ``SearchIndex``).

Segments end at 。；;！!？? and line breaks, and a new segment starts before an enumeration
marker (一是 二是 …, （1） (2), ①…) even without punctuation before it. Fragments shorter than
``min_chars`` (a heading such as “1.加强培训。”, a stray “（一）”) are merged into the next
segment (the last one into the previous), so no vector is spent on a few characters.
Hand-written rather than a library: the rules are specific to Chinese policy enumerations
and fit in a screenful.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from dataclasses import dataclass

from embeddings.hybrid import trimmed_spans

_END = "。；;！!？?\n"
_ENUM = re.compile(r"(?<=[，,：:\s])(?=(?:[一二三四五六七八九十]+是|[（(][0-9一二三四五六七八九十]+[）)]"
                   r"|[①-⑳]))")


@dataclass(frozen=True)
class Segmenter:
    """``Segmenter(min_chars, min_clause_chars)``: ``spans(text)`` → sentence (start, end).

    Clauses shorter than ``min_clause_chars`` are one segment (encoding their sentences again
    would cost time for no gain: the whole-clause vector already is the sentence vector)."""

    min_chars: int = 12
    min_clause_chars: int = 60

    @property
    def fingerprint(self) -> str:
        raw = f"v1:{self.min_chars}:{self.min_clause_chars}:{_END}:{_ENUM.pattern}"
        return hashlib.sha256(raw.encode()).hexdigest()[:12]

    def raw_spans(self, text: str) -> list[tuple[int, int]]:
        """Every segment boundary, before merging short fragments (whitespace trimmed)."""
        cuts = {0, len(text)}
        for i, ch in enumerate(text):
            if ch in _END:
                cuts.add(i + 1)
        cuts.update(m.start() for m in _ENUM.finditer(text))
        return trimmed_spans(text, itertools.pairwise(sorted(cuts)))

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Sentence segments of ``text``; a single span (the clause) for short clauses."""
        stripped = text.strip()
        if not stripped:
            return []
        if len(stripped) < self.min_clause_chars:
            start = len(text) - len(text.lstrip())
            return [(start, start + len(stripped))]
        merged: list[list[int]] = []
        pending: int | None = None  # start of a too-short fragment waiting for the next one
        for start, end in self.raw_spans(text):
            if pending is not None:
                start, pending = pending, None
            if end - start < self.min_chars:
                pending = start
                continue
            merged.append([start, end])
        if pending is not None:
            if merged:
                merged[-1][1] = len(text.rstrip())
            else:
                merged.append([pending, len(text.rstrip())])
        return [(s, e) for s, e in merged]

    def sentences(self, text: str) -> list[str]:
        """The segment texts; an empty list when the clause is a single segment (its
        whole-clause vector serves as its only sentence vector)."""
        spans = self.spans(text)
        if len(spans) < 2:
            return []
        return [text[s:e] for s, e in spans]


_PART = re.compile(r"[^，,。；;！!？?：:\n]+")
MIN_PART_CHARS = 6  # a draft's part shorter than this joins the next one


def query_parts(text: str, min_chars: int = MIN_PART_CHARS) -> list[str]:
    """The provisions of a pasted draft clause: its text cut at ，。；！？： and line breaks,
    fragments shorter than ``min_chars`` joined to the next part (the last to the previous).

    A draft of several provisions (“组建…共同体，城区学校与乡村学校结对，…共建共享”) is
    matched part by part (``SearchIndex`` scores how many of them a clause covers); a short
    question gives a single part and is scored as a whole."""
    parts: list[str] = []
    pending = ""
    for match in _PART.finditer(text):
        piece = pending + match.group().strip()
        pending = ""
        if len(piece) < min_chars:
            pending = piece
            continue
        parts.append(piece)
    if pending:
        if parts:
            parts[-1] += pending
        elif pending:
            parts.append(pending)
    return parts
