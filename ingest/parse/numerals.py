"""Chinese numerals in labels and dates (一, 十二, 二十三, 一百零五, 二〇二四).

Hand-written rather than cn2an: labels are tiny and parsed once per line, and cn2an raises on
两 and on several date forms (see STACK-NOTES); this covers exactly what labels and dates use.
"""

from __future__ import annotations

DIGITS = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
          "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUM_CHARS = "〇○零一二两三四五六七八九十百千"

FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


def cn_to_int(s: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零五 → 105; digit strings like 二〇二四 → 2024."""
    s = s.strip().translate(FULLWIDTH)
    if not s:
        return None
    if s.isdigit():
        return int(s)
    if all(c in DIGITS for c in s):  # positional: 二〇二四
        n = 0
        for c in s:
            n = n * 10 + DIGITS[c]
        return n
    total, current = 0, 0
    for c in s:
        if c in DIGITS:
            current = DIGITS[c]
        elif c in UNITS:
            total += (current or 1) * UNITS[c]
            current = 0
        else:
            return None
    return total + current


def label_number(s: str) -> int | None:
    """The number of a label body in Arabic, full-width or Chinese numerals; ① → 1."""
    if len(s) == 1 and "①" <= s <= "⑳":
        return ord(s) - ord("①") + 1
    return cn_to_int(s)
