"""How the command line writes things for a person (pure functions over the service's JSON):
documents by title and short id, regions by name, targets as read, and the sentence of a
clause that a hit or a piece of evidence is about (not the clause's first characters)."""

from __future__ import annotations

import re
from typing import Any

SHORT_ID = 8  # characters of a document id the CLI shows (any unique prefix is accepted)
_SENTENCE_END = "。；;！!？?\n"
_SPACE = re.compile(r"\s+")


def clip(text: Any, n: int = 80) -> str:
    text = "" if text is None else _SPACE.sub(" ", str(text)).strip()
    return text if len(text) <= n else text[: n - 1] + "…"


def short_id(doc_id: str | None) -> str:
    return (doc_id or "")[:SHORT_ID]


def doc_name(row: dict[str, Any] | None, n: int = 36) -> str:
    """``枣庄市新时代基础教育扩优提质行动实施方案 [ef007465]``: the title (clipped to ``n``)
    and the short id; the file name only when the document has no title."""
    if not row:
        return ""
    doc_id = row.get("doc") if isinstance(row.get("doc"), str) else row.get("id")
    title = row.get("title") or row.get("source_file") or ((row.get("source") or {}).get("file")
                                                           if isinstance(row.get("source"), dict) else None)
    sid = short_id(doc_id)
    if not title:
        return sid
    return f"{clip(title, n)} [{sid}]" if sid else clip(title, n)


def region_name(region: Any) -> str:
    if not region:
        return ""
    if isinstance(region, str):
        return region
    name = region.get("name") or region.get("code") or ""
    return f"{name} (anonymised)" if region.get("anonymised") else name


def _number(v: Any) -> Any:
    return int(v) if isinstance(v, float) and v.is_integer() else v


def target_text(t: dict[str, Any]) -> str:
    """``≥200人 校长培训 每年 by 2025``: comparator, value or range (xx for a placeholder),
    unit, object, frequency, deadline, period."""
    value = "xx" if t.get("placeholder") else _number(t.get("value"))
    comp = {">=": "≥", "<=": "≤", ">": ">", "<": "<"}.get(t.get("comparator") or "=", "")
    upper = f"–{_number(t['value_max'])}" if t.get("value_max") is not None else ""
    amount = f"{comp}{'' if value is None else value}{upper}{t.get('unit') or ''}"
    bits = [amount, t.get("object") or ""]
    if t.get("frequency"):
        bits.append(t["frequency"])
    if t.get("deadline"):
        bits.append(f"by {t['deadline']}")
    if t.get("period"):
        bits.append(f"period {t['period']}")
    return " ".join(b for b in bits if b)


def sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence(s) of ``text`` around ``[start, end)``: from after the previous 。；！？ or
    line break to the next one (included)."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    lo = start
    while lo > 0 and text[lo - 1] not in _SENTENCE_END:
        lo -= 1
    hi = end
    if hi > lo and text[hi - 1] in _SENTENCE_END:  # the span already ends a sentence
        pass
    else:
        while hi < len(text) and text[hi] not in _SENTENCE_END:
            hi += 1
        if hi < len(text) and text[hi] != "\n":
            hi += 1
    while lo < hi and text[lo].isspace():
        lo += 1
    return lo, hi


def sentence_of(text: str | None, quote: str | None = None, span: Any = None, n: int = 160) -> str:
    """The sentence of a clause a result is about: the ``span`` (a search hit's highlight) or
    the sentence holding ``quote`` (a target's or evidence's words), clipped to ``n``; the
    clause from its start when neither is found."""
    text = text or ""
    if span and len(span) == 2 and 0 <= span[0] < span[1] <= len(text):
        lo, hi = span
        if not any(ch in _SENTENCE_END for ch in text[lo:hi - 1]):
            lo, hi = sentence_span(text, lo, hi)
        return clip(text[lo:hi], n)
    if quote:
        at = text.find(quote)
        if at < 0:
            squeezed = _SPACE.sub("", quote)
            at = _SPACE.sub("", text).find(squeezed) if squeezed else -1
            if at >= 0:  # map back onto the text with its whitespace
                seen = 0
                for i, ch in enumerate(text):
                    if not ch.isspace():
                        if seen == at:
                            at = i
                            break
                        seen += 1
        if at >= 0:
            lo, hi = sentence_span(text, at, at + len(quote))
            return clip(text[lo:hi], n)
        if not text:
            return clip(quote, n)
    return clip(text, n)


_INTENTS = {"regions": "which regions", "documents": "which documents", "bodies": "which bodies",
            "count": "how many", "targets": "list targets", "search": "search"}


def interpretation_text(interp: dict[str, Any] | None) -> str:
    """How ``ask`` read a question, for a person: ``which regions · topic 教师培训
    (teacher-training) · region 枣庄市 · deadline 2025 · with targets · matched 教师培训``
    (never a Python dict)."""
    if not interp:
        return ""
    parts = []
    if interp.get("intent"):
        parts.append(_INTENTS.get(interp["intent"], str(interp["intent"])))
    if interp.get("topic"):
        label = interp.get("topic_label")
        topic = f"{label} ({interp['topic']})" if label and label != interp["topic"] else interp["topic"]
        parts.append(f"topic {topic}" + (f" via {interp['topic_via']}" if interp.get("topic_via") else ""))
    if interp.get("region"):
        parts.append(f"region {region_name(interp['region'])}")
    if interp.get("year"):
        parts.append(f"deadline {interp['year']}")
    if interp.get("object"):
        parts.append(f"object “{interp['object']}”")
    if interp.get("requirement"):
        parts.append(f"requirement “{interp['requirement']}”")
    if interp.get("with_targets"):
        parts.append("with targets")
    if interp.get("funding"):
        parts.append("funding amounts")
    if interp.get("matched"):
        parts.append("matched " + "、".join(str(m) for m in interp["matched"]))
    if interp.get("source"):
        parts.append(f"from {interp['source']}")
    if interp.get("language"):
        parts.append(f"question in {'Chinese' if interp['language'] == 'zh' else 'English'}")
    return " · ".join(parts)
