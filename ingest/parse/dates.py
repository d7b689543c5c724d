"""Dates (2024年3月11日, 二〇二四年三月十一日), 文号 (枣教发〔2024〕3号) and periods (2020—2022)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.parse.normalise import same_length
from ingest.parse.numerals import cn_to_int

_CN_DIGIT = "〇○零一二三四五六七八九OＯ"
_CN_SMALL = "一二三四五六七八九十"
DATE_RE = re.compile(
    rf"(?P<y>\d{{4}}|[{_CN_DIGIT}]{{4}})\s*年\s*(?P<m>\d{{1,2}}|[{_CN_SMALL}]{{1,3}})\s*月"
    rf"\s*(?P<d>\d{{1,2}}|[{_CN_SMALL}]{{1,3}})\s*日"
)
DATE_ONLY_RE = re.compile(rf"^\s*{DATE_RE.pattern}\s*$")
DOC_NUMBER_RE = re.compile(
    r"(?P<prefix>[\u4e00-\u9fa5]{1,12})\s*[〔\[［【(（﹝〖]\s*(?P<year>\d{4})\s*[〕\]］】)）﹞〗]"
    r"\s*第?\s*(?P<num>\d{1,5})\s*号"
)
# 2021-03-05, 2021.3.5, 2021/03/05 (信息公开 fields and web pages)
NUMERIC_DATE_RE = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*[-./]\s*(?P<m>\d{1,2})\s*[-./]\s*"
                             r"(?P<d>\d{1,2})(?!\d)")
PERIOD_RE = re.compile(r"(?<!\d)(?P<a>(?:19|20)\d{2})\s*年?\s*[—–\-－~～至到]+\s*(?P<b>(?:19|20)\d{2})(?!\d)")


@dataclass
class DateMatch:
    iso: str
    start: int
    end: int


def parse_date(s: str) -> str | None:
    m = DATE_RE.search(same_length(s))
    return _iso(m) if m else None


def parse_any_date(s: str) -> str | None:
    """A date written 2021年3月5日 or 2021-03-05 / 2021.3.5 / 2021/03/05 (field values)."""
    iso = parse_date(s)
    if iso:
        return iso
    m = NUMERIC_DATE_RE.search(same_length(s))
    if not m:
        return None
    y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
    return f"{y:04d}-{mo:02d}-{d:02d}" if 1 <= mo <= 12 and 1 <= d <= 31 else None


def _iso(m: re.Match) -> str | None:
    y, mo, d = cn_to_int(m.group("y")), cn_to_int(m.group("m")), cn_to_int(m.group("d"))
    if y is None or mo is None or d is None or not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def find_dates(s: str) -> list[DateMatch]:
    out = []
    for m in DATE_RE.finditer(same_length(s)):
        iso = _iso(m)
        if iso:
            out.append(DateMatch(iso, m.start(), m.end()))
    return out


def is_date_line(s: str) -> bool:
    m = DATE_ONLY_RE.match(same_length(s))
    return bool(m)


def normalise_doc_number(m: re.Match) -> str:
    """枣教发〔2024〕3号 in its canonical form (〔〕 brackets, no spaces)."""
    return f"{m.group('prefix')}〔{m.group('year')}〕{int(m.group('num'))}号"


def find_doc_number(s: str) -> str | None:
    m = DOC_NUMBER_RE.search(same_length(s))
    return normalise_doc_number(m) if m else None


def find_period(s: str) -> str | None:
    m = PERIOD_RE.search(same_length(s))
    if not m:
        return None
    a, b = int(m.group("a")), int(m.group("b"))
    return f"{a}-{b}" if a < b <= a + 30 else None
