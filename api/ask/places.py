"""Places named in a question, in Chinese characters or in pinyin (Chengde, Shandong, Zaozhuang).

``PlaceIndex(regions)`` is built once per catalog (the regions the graph knows, with their
parents); every name is romanised then with pypinyin, never per request. ``find(question)``
returns the regions named, longest name first, without overlaps; an answer then keeps the
documents of those regions and of every region under them ("in Shandong" rolls up its cities).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "生产建设兵团", "自治区", "自治州",
            "自治县", "地区", "新区", "省", "市", "区", "县", "旗", "盟")
EN_SUFFIXES = r"(?:\s+(?:province|city|municipality|prefecture|county|district|region|autonomous region))?"


def short_name(name: str) -> str:
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


@lru_cache(maxsize=1)
def english_names() -> dict[str, tuple[str, ...]]:
    """Conventional English names the pinyin does not give (``data/place_names_en.tsv``)."""
    text = resources.files("api.ask").joinpath("data/place_names_en.tsv").read_text(encoding="utf-8")
    out: dict[str, tuple[str, ...]] = {}
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != 2 or not cells[1].strip():
            raise ValueError(f"api/ask/data/place_names_en.tsv line {n}: expected 'name<TAB>english|english'")
        out[cells[0].strip()] = tuple(f.strip().lower() for f in cells[1].split("|") if f.strip())
    return out


def romanise(name: str) -> str:
    """山东 → shandong (toneless pinyin, syllables joined)."""
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(name, style=Style.NORMAL)).lower()


@dataclass
class Place:
    code: str
    name: str
    via: str  # the words of the question that named it

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "via": self.via}


@dataclass
class PlaceIndex:
    zh: list[tuple[str, str, str]] = field(default_factory=list)  # (name form, code, name), longest first
    en: list[tuple[re.Pattern[str], int, str, str]] = field(default_factory=list)

    @classmethod
    def build(cls, regions: Iterable[dict[str, Any]]) -> PlaceIndex:
        zh: set[tuple[str, str, str]] = set()
        en: dict[tuple[str, str], str] = {}
        for r in regions:
            name, code = r.get("name"), r.get("code")
            if not name or not code or r.get("anonymised") or not re.search(r"[\u4e00-\u9fff]", name):
                continue
            short = short_name(name)
            zh.add((name, code, name))
            if len(short) >= 2:
                zh.add((short, code, name))
                en[(romanise(short), code)] = name
            for form in english_names().get(short, ()) + english_names().get(name, ()):
                en[(form, code)] = name
        index = cls()
        index.zh = sorted(zh, key=lambda t: (-len(t[0]), t[1], t[0]))
        for (roman, code), name in sorted(en.items(), key=lambda kv: (-len(kv[0][0]), kv[0][1])):
            if len(roman) < 4:
                continue
            spaced = r"\s+".join(re.escape(w) for w in roman.split())  # inner mongolia, Inner  Mongolia
            pattern = re.compile(rf"(?<![a-z]){spaced}{EN_SUFFIXES}(?![a-z])", re.IGNORECASE)
            index.en.append((pattern, len(roman), code, name))
        return index

    def find(self, question: str) -> list[Place]:
        """Regions named in ``question``, in the order of the question; overlapping mentions
        keep the longest name (温州市瓯海区 is 瓯海区, not also 温州市... unless both are said)."""
        taken: list[tuple[int, int]] = []
        found: list[tuple[int, Place]] = []

        def free(a: int, b: int) -> bool:
            return all(b <= x or a >= y for x, y in taken)

        words: list[tuple[int, int, str]] | None = None
        for form, code, name in self.zh:
            i = question.find(form)
            while i >= 0:
                if form != name and words is None:
                    words = _words(question)
                if free(i, i + len(form)) and (form == name or _names_a_place(words, i, i + len(form))):
                    taken.append((i, i + len(form)))
                    found.append((i, Place(code, name, form)))
                i = question.find(form, i + 1)
        squashed = re.sub(r"[\s\-']", "", question.lower())
        if not re.search(r"[a-z]{3}", squashed):
            return _unique(found)
        # English: match over the question with spaces removed inside names ("Zao Zhuang")
        lowered = question.lower()
        for pattern, _, code, name in self.en:
            for m in pattern.finditer(lowered):
                if free(m.start(), m.end()):
                    taken.append((m.start(), m.end()))
                    found.append((m.start(), Place(code, name, question[m.start():m.end()])))
        return _unique(found)


# jieba's tags of ordinary words: a short name (资源 of 资源县, 城区) read as one of these is a word
COMMON_WORD_TAGS = frozenset(["n", "v", "vn", "vd", "vi", "a", "ad", "an", "d", "i", "l", "c", "p", "r", "f", "s", "t", "m", "q", "b", "z"])


def _words(question: str) -> list[tuple[int, int, str]]:
    """(start, end, tag) of the question's jieba words."""
    import jieba.posseg

    out, i = [], 0
    for w in jieba.posseg.dt.cut(question):
        out.append((i, i + len(w.word), w.flag))
        i += len(w.word)
    return out


def _names_a_place(words: list[tuple[int, int, str]] | None, a: int, b: int) -> bool:
    """A short name (四川 for 四川省) names the place unless the question's words read it as
    an ordinary word: the whole of a word tagged as a common noun, verb … (社会美育资源), or
    inside a longer word (大同小异)."""
    for s, e, tag in words or []:
        if s <= a and b <= e and (s, e) != (a, b):
            return False  # inside a longer word
        if (s, e) == (a, b):
            return tag not in COMMON_WORD_TAGS
    return True  # across words: a name jieba does not know


def _unique(found: list[tuple[int, Place]]) -> list[Place]:
    out: list[Place] = []
    for _, p in sorted(found, key=lambda t: (t[0], t[1].code)):
        if all(p.code != q.code for q in out):
            out.append(p)
    return out
