"""Numbers as written in Chinese policy text: Arabic, Chinese numerals, ranges (3-5, 一至两,
0.15%-0.2%, and two adjacent numerals read as an approximate range: 一两项 = 1–2, 三四部 = 3–4),
fractions (三分之一 → 0.3333, unit 比例), percents, approximations (50余个) and anonymised
placeholders (xx, x, **).

Only the numeric span is ever handed to cn2an (never a sentence). cn2an raises on 两 in some
modes and on ranges, so 两 is mapped to 二 first and ranges are split here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

CN_NUM_CHARS = "零〇一二两三四五六七八九十百千万亿"
_CN = f"[{CN_NUM_CHARS}]+"
_AR = r"\d+(?:\.\d+)?"
# placeholders: xx, x, XX, **; a lone capital X is a variable in a model name (1+1+X+N)
_PH = r"(?<![A-Za-z])(?:[xX]{2,3}|x|\*{2,3}|×{1,3})(?![A-Za-z])"
_RANGE_SEP = r"\s*(?:-|—|–|－|~|～|至|到)\s*"

# one number: Arabic, Chinese, 百分之X (a percent written out), or a placeholder
NUMBER_RE = re.compile(
    rf"(?P<pct_cn>百分之(?P<pct_val>{_AR}|{_CN}))"
    rf"|(?P<frac>(?P<den>{_AR}|{_CN})分之(?P<num>{_AR}|{_CN}))"
    rf"|(?P<ar>{_AR})(?:(?P<ar_pct>[%％])?{_RANGE_SEP}(?P<ar2>{_AR})(?(ar_pct)(?=[%％])))?"
    rf"|(?P<ph>{_PH})"
    rf"|(?P<cn>{_CN})(?:{_RANGE_SEP}(?P<cn2>{_CN}))?"
)


@dataclass(frozen=True)
class NumberSpan:
    start: int
    end: int
    text: str
    value: float | None  # None for a placeholder
    value_max: float | None  # upper end of a range
    placeholder: bool
    chinese: bool  # written in Chinese numerals
    percent_prefix: bool  # 百分之X (the unit % is implied)
    fraction: bool = False  # 三分之一 (value 1/3 rounded to 4 places, unit 比例)


# two adjacent numerals that read as "one or two", "three or four" (一两项, 三四部, 三五个)
_ADJACENT = {"一两": (1, 2), "一二": (1, 2), "两三": (2, 3), "二三": (2, 3), "三四": (3, 4),
             "三五": (3, 5), "四五": (4, 5), "五六": (5, 6), "六七": (6, 7), "七八": (7, 8), "八九": (8, 9)}


@lru_cache(maxsize=4096)
def cn_to_number(span: str) -> float:
    """A Chinese numeral span → number (两 → 2, 十二 → 12, 二〇二四 → 2024)."""
    import cn2an  # imported lazily: it loads its own tables on import

    if not span or any(ch not in CN_NUM_CHARS for ch in span):
        raise ValueError(f"not a Chinese numeral: {span!r}")
    normal = span.replace("两", "二")
    return float(cn2an.cn2an(normal, "normal"))


def to_number(span: str) -> float:
    span = span.strip()
    if re.fullmatch(_AR, span):
        return float(span)
    return cn_to_number(span)


def find_numbers(text: str) -> list[NumberSpan]:
    """Every number-like span in ``text`` with its value (no judgement on whether it is a
    target). Placeholders are found only where they look like numbers (followed by a digit-
    free counting context is the caller's concern)."""
    out: list[NumberSpan] = []
    for m in NUMBER_RE.finditer(text):
        try:
            if m.group("pct_cn"):
                out.append(NumberSpan(m.start(), m.end(), m.group(0), to_number(m.group("pct_val")),
                                      None, False, not m.group("pct_val").isdigit(), True))
            elif m.group("frac"):
                den, num = to_number(m.group("den")), to_number(m.group("num"))
                if not den:
                    continue
                out.append(NumberSpan(m.start(), m.end(), m.group(0), round(num / den, 4), None,
                                      False, not m.group("den").isdigit(), False, True))
            elif m.group("ar"):
                v2 = float(m.group("ar2")) if m.group("ar2") else None
                out.append(NumberSpan(m.start(), m.end(), m.group(0), float(m.group("ar")), v2,
                                      False, False, False))
            elif m.group("ph"):
                out.append(NumberSpan(m.start(), m.end(), m.group(0), None, None, True, False, False))
            elif m.group("cn") in _ADJACENT and not m.group("cn2"):
                low, high = _ADJACENT[m.group("cn")]
                out.append(NumberSpan(m.start(), m.end(), m.group(0), float(low), float(high),
                                      False, True, False))
            else:
                v2 = cn_to_number(m.group("cn2")) if m.group("cn2") else None
                out.append(NumberSpan(m.start(), m.end(), m.group(0), cn_to_number(m.group("cn")),
                                      v2, False, True, False))
        except (ValueError, KeyError):
            continue
    return out


def as_int(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value
