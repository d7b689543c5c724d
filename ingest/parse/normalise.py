"""Normalised copies of text for matching, with a map back to offsets in the original.

``Document.text`` is never changed; matching (titles such as ``行 动 计 划``, full-width digits)
runs on a copy and positions found there are mapped back through ``Normalised.orig``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.parse.numerals import FULLWIDTH

# Same-length replacements: full-width digits, letters and common punctuation → ASCII forms.
_SAME_LENGTH = str.maketrans(
    "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ"
    "．\u3000",
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz. ",
)

_WS = re.compile(r"\s+")


def same_length(text: str) -> str:
    """Full-width digits/letters/full stop and ideographic space → ASCII; offsets unchanged."""
    return text.translate(_SAME_LENGTH)


def is_cjk(ch: str) -> bool:
    o = ord(ch)
    return (0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x3000 <= o <= 0x303F
            or 0xFF00 <= o <= 0xFFEF or ch in "“”‘’《》〈〉—…·")


@dataclass
class Normalised:
    text: str
    orig: list[int]  # orig[i] = offset in the original of normalised character i

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised span back to the original text."""
        if start >= len(self.orig):
            return (self.orig[-1] + 1, self.orig[-1] + 1) if self.orig else (0, 0)
        return self.orig[start], self.orig[end - 1] + 1 if end > start else self.orig[start]


def squeeze(text: str) -> Normalised:
    """Drop whitespace that sits between CJK characters (``行 动 计 划`` → ``行动计划``, a line
    break inside a title) and normalise full-width forms; keep an offset map."""
    src = same_length(text)
    out: list[str] = []
    orig: list[int] = []
    n = len(src)
    i = 0
    while i < n:
        ch = src[i]
        if ch.isspace():
            j = i
            while j < n and src[j].isspace():
                j += 1
            prev = out[-1] if out else ""
            nxt = src[j] if j < n else ""
            if prev and nxt and (is_cjk(prev) or is_cjk(nxt)):
                i = j
                continue
            if prev and nxt:
                out.append(" ")
                orig.append(i)
            i = j
            continue
        out.append(ch)
        orig.append(i)
        i += 1
    return Normalised("".join(out), orig)


def clean_title(s: str) -> str:
    """A title or heading for display: no inner spaces between CJK, no ** marks."""
    s = s.replace("**", "")
    return squeeze(s).text.strip()


def collapse_ws(s: str) -> str:
    return _WS.sub("", s.translate(FULLWIDTH))
