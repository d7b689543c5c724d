"""Citations resolved to documents in the store, and their relation type. Pure functions.

A citation (``pkg:Citation``: the 《title》 and/or 文号 a document names) is matched to an
ingested document by its 文号 or its title, both compared after normalisation (full-width
forms, spaces, the kinds of brackets around a 文号's year 〔〕[]（）【】, quotes and 《》 inside
titles), the title also without the wrapper of a forwarding notice (关于印发《X》的通知 → X)
and, failing an exact match, by similarity (≥ ``TITLE_SIMILARITY``). A citation that gives a
文号 never resolves by title to a document with a different 文号, and a similar title never
stands in for one by another issuer (provinces' and cities' plans share titles, or differ only
in the place's name).

The relation is ``based_on`` when the sentence citing the document says it implements it
(为贯彻落实《…》, 根据《…》, 《…》精神/要求/部署; the cues are data: data/implement_cues.tsv),
else ``cites``.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

CUES_FILE = Path(__file__).resolve().parent / "data" / "implement_cues.tsv"
TITLE_SIMILARITY = 0.9

_OPEN = "〔[［【(（{｛"
_CLOSE = "〕]］】)）}｝"


def normalise_number(number: str | None) -> str:
    """闽政办[2016]69号, 闽政办〔 2016 〕69 号, 闽政办（2016）69号 → 闽政办〔2016〕69号."""
    if not number:
        return ""
    text = unicodedata.normalize("NFKC", number)
    text = re.sub(r"\s+", "", text)
    text = re.sub(rf"[{re.escape(_OPEN)}](\d{{4}})[{re.escape(_CLOSE)}]", r"〔\1〕", text)
    return text


def normalise_title(title: str | None) -> str:
    """A title compared: NFKC, no whitespace, no 《》〈〉 or quotes, one kind of bracket."""
    if not title:
        return ""
    text = unicodedata.normalize("NFKC", title)
    text = re.sub(r"[\s《》〈〉“”\"'‘’「」『』]", "", text)
    text = text.translate(str.maketrans("()[]", "（）〔〕"))
    return text


_WRAPPER = re.compile(r"^(?P<issuer>.*?)关于(?:印发|转发|贯彻落实|贯彻|落实)(?P<inner>.+?)的(?:通知|意见|函)$")


def title_keys(title: str | None) -> set[str]:
    """The normalised title, and the title of the document it forwards when it is a wrapper
    notice (关于印发…的通知)."""
    norm = normalise_title(title)
    keys = {norm} if norm else set()
    m = _WRAPPER.match(norm)
    if m:
        keys.add(m.group("inner"))
    return keys


def _issuer(title_key: str) -> str:
    """The issuer a title opens with (福建省人民政府办公厅 of …关于…), or ""."""
    head, sep, _ = title_key.partition("关于")
    return head if sep else ""


@dataclass(frozen=True)
class Resolved:
    doc: str  # the cited document's id
    by: str  # number, title, title~ (similar)
    similarity: float = 1.0


class DocumentTable:
    """The documents citations are resolved against, with their 文号 and title keys prepared
    once (rows with ``id``, ``title``, ``doc_number``)."""

    def __init__(self, documents: Sequence[Mapping[str, Any]]) -> None:
        self.rows = [(d["id"], normalise_number(d.get("doc_number")), title_keys(d.get("title")))
                     for d in documents]


def resolve(title: str | None, number: str | None,
            documents: Sequence[Mapping[str, Any]] | DocumentTable,
            exclude: str | None = None) -> Resolved | None:
    """The document (rows with ``id``, ``title``, ``doc_number``, or a ``DocumentTable``) a
    citation names, or None. ``exclude``: the citing document's own id (a document never
    implements itself)."""
    table = documents if isinstance(documents, DocumentTable) else DocumentTable(documents)
    candidates = [r for r in table.rows if r[0] != exclude]
    num = normalise_number(number)
    if num:
        for doc, doc_number, _keys in candidates:
            if doc_number == num:
                return Resolved(doc, "number")
    keys = title_keys(title)
    if not keys:
        return None
    if num:  # a title is shared by many (关于全面加强和改进学校美育工作的实施意见): a citation's
        # 文号 rules out every document that has another one
        candidates = [r for r in candidates if not r[1] or r[1] == num]
    for doc, _n, doc_keys in candidates:
        if keys & doc_keys:
            return Resolved(doc, "title")
    best: tuple[float, str] | None = None
    for doc, _n, doc_keys in candidates:
        for a in keys:
            for b in doc_keys:
                if min(len(a), len(b)) < 8 or _issuer(a) != _issuer(b) and _issuer(a) and _issuer(b):
                    continue  # 九江市… is not 福建省… however alike the rest of the title
                matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
                if matcher.real_quick_ratio() < TITLE_SIMILARITY or matcher.quick_ratio() < TITLE_SIMILARITY:
                    continue  # upper bounds below the bar: skip the full comparison
                ratio = matcher.ratio()
                if best is None or ratio > best[0]:
                    best = (ratio, doc)
    if best is not None and best[0] >= TITLE_SIMILARITY:
        return Resolved(best[1], "title~", round(best[0], 3))
    return None


@lru_cache(maxsize=1)
def implement_cues() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(cues before the citation, cues after it) from data/implement_cues.tsv."""
    before, after = [], []
    for line in CUES_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        where, _, phrase = line.partition("\t")
        if where not in ("before", "after") or not phrase.strip():
            raise ValueError(f"{CUES_FILE}: bad line {line!r} (expected before|after<TAB>phrase)")
        (before if where == "before" else after).append(phrase.strip())
    return tuple(before), tuple(after)


_SENTENCE_START = re.compile(r"[。；;！？!?\n]")
_CLAUSE_END = re.compile(r"[，,。；;！？!?\n]")


def citation_context(text: str, title: str | None, number: str | None) -> tuple[str, str] | None:
    """(the sentence before the first mention of the citation, the words right after it),
    or None when the text does not mention it."""
    for needle in ([f"《{title}》", title] if title else []) + ([number] if number else []):
        if not needle:
            continue
        at = text.find(needle)
        if at < 0:
            continue
        starts = [m.end() for m in _SENTENCE_START.finditer(text, 0, at)]
        before = text[starts[-1] if starts else 0: at]
        rest = text[at + len(needle):]
        rest = re.sub(r"^\s*[（(][^）)]{0,30}[）)]", "", rest)  # the 文号 in brackets
        m = _CLAUSE_END.search(rest)
        after = rest[: m.start()] if m else rest[:20]
        return before, after
    return None


OPENING_CHARS = 1200  # a document says what it implements in its opening (header, notice, preamble)


def relation(text: str, title: str | None, number: str | None) -> str:
    """``based_on`` when the sentence citing the document in its opening says it implements
    it, else ``cites`` (a clause that asks to apply a cited measure, 认真落实《…办法》, further
    on does not make the whole document an implementation of it)."""
    ctx = citation_context(text[:OPENING_CHARS], title, number)
    if ctx is None:
        return "cites"
    before, after = ctx
    cues_before, cues_after = implement_cues()
    if any(c in before[-30:] for c in cues_before):
        return "based_on"
    if any(after.strip().startswith(c) for c in cues_after):
        return "based_on"
    return "cites"


def resolve_all(citations: Iterable[Mapping[str, Any]], documents: Sequence[Mapping[str, Any]] | DocumentTable,
                text: str, own_id: str | None = None) -> list[dict[str, Any]]:
    """Every citation row (``cited_title``, ``cited_number``) resolved: the row plus ``doc``
    (None when not in the store), ``by``, and ``relation`` (from ``text``, the citing
    document's text). One row per cited document (the first citation of it wins, a
    ``based_on`` upgrading a ``cites``)."""
    out: dict[str, dict[str, Any]] = {}
    unresolved: list[dict[str, Any]] = []
    table = documents if isinstance(documents, DocumentTable) else DocumentTable(documents)
    for c in citations:
        title, number = c.get("cited_title"), c.get("cited_number")
        found = resolve(title, number, table, exclude=own_id)
        row = {"title": title, "doc_number": number, "doc": found.doc if found else None,
               "by": found.by if found else None, "relation": relation(text, title, number)}
        if found is None:
            unresolved.append(row)
        elif found.doc not in out:
            out[found.doc] = row
        elif row["relation"] == "based_on":
            out[found.doc]["relation"] = "based_on"
    return list(out.values()) + unresolved
