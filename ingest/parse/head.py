"""The head of an official document as collected: the title line (printed twice in database
exports), a 文号 or date line under it, and what the title line says — who issues it (X关于…,
X印发…, several joint issuers), whether it issues (印发《X》和《Y》) or forwards (X转发Y关于…,
转发《…》) other documents.

All rules are about the genre (公文 title grammar, GB/T 9704), never about one document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.parse.dates import DATE_RE, DOC_NUMBER_RE, normalise_doc_number, parse_date
from ingest.parse.lines import Line, next_content
from ingest.parse.normalise import clean_title, same_length, squeeze

# suffixes that end the name of an organ (the head of a title line up to 关于/印发/转发)
ORGAN_END = ("办公厅", "办公室", "委员会", "人民政府", "政府", "党委", "省委", "市委", "县委", "区委",
             "工委", "教委", "厅", "局", "部", "委", "署", "办", "院", "会", "中心", "团", "总局",
             "行署", "公署", "管委会")
_ACTION = r"(?:关于|印发|转发|颁发|发布|下发|公布|批转|转批)"
_ISSUE_VERB = r"(?:印发|颁发|发布|下发|公布|颁布)"
_JOINT_SPLIT = re.compile(r"\s*[、，,;；]\s*|\s+|(?<=[部厅局委办府会署])(?:和|与|及)(?=\S{2})")
_N_DEPTS = re.compile(r"等(?:[一二三四五六七八九十\d]{1,3}个?)?(?:部门|单位|机构|部委)$")
# a 文号 or date line right under the title: （国办发〔2015〕71号）, 教体艺[2014]1号,
# （鲁教体发〔2018〕1号 2018年4月16日）, （2017年08月14日）
_PAREN = re.compile(r"^[（(]\s*(?P<in>.+?)\s*[）)]$")


@dataclass
class DocNumberLine:
    doc_number: str | None
    date: str | None


def doc_number_line(s: str) -> DocNumberLine | None:
    """A line that holds only a 文号 and/or a date (in brackets or not), else None."""
    t = squeeze(s).text.strip()
    m = _PAREN.match(t)
    inner = m.group("in") if m else t
    num = DOC_NUMBER_RE.search(inner)
    date = DATE_RE.search(inner)
    rest = inner
    for found in (num, date):
        if found:
            rest = rest.replace(found.group(0), " ", 1)
    rest = re.sub(r"[\s、，,;；]|发布|印发|公布|成文|日期|文号|[:：]", "", rest)
    if rest or not (num or date):
        return None
    if date and not m and not num:
        return None  # a bare date line is a signature date, read elsewhere
    return DocNumberLine(normalise_doc_number(num) if num else None,
                         parse_date(date.group(0)) if date else None)


def strip_trailing_doc_number(title: str) -> tuple[str, str | None]:
    """``…的意见（国办发〔2015〕71号）`` → (``…的意见``, ``国办发〔2015〕71号``)."""
    m = re.search(r"[（(]\s*([^（）()]*?)\s*[）)]\s*$", title)
    if m:
        dm = DOC_NUMBER_RE.fullmatch(same_length(m.group(1)).strip())
        if dm:
            return title[: m.start()].rstrip(), normalise_doc_number(dm)
    return title, None


@dataclass
class TitleBlock:
    title: str | None  # as printed, joined, squeezed; a trailing （文号） removed
    idxs: list[int] = field(default_factory=list)  # title lines, their copies, 文号/date lines
    doc_number: str | None = None
    date: str | None = None
    end: int = 0  # line idx after the block


_BRACKET_FORMS = str.maketrans("〔〕［］【】（）", "[][][]()")


def _same_title_key(s: str) -> str:
    """Two printings of one title (〔2015〕 in one, [2015] in the other) compare equal."""
    return squeeze(s).text.translate(_BRACKET_FORMS)


def title_block(lines: list[Line], start: int) -> TitleBlock | None:
    """The title at ``start`` when the document opens the way collected documents do: the
    title line printed twice, or followed by a 文号/date line. Otherwise None (the notice and
    heading readers take over)."""
    j = next_content(lines, start)
    if j is None:
        return None
    first = lines[j].text
    t = squeeze(first).text
    if len(t) > 150 or "。" in t or t.endswith(("：", ":", "，", "；")) or DATE_RE.fullmatch(t):
        return None
    idxs = [j]
    k = next_content(lines, j + 1)
    key = _same_title_key(t)
    twice = k is not None and _same_title_key(lines[k].text) == key
    if twice:
        idxs.append(k)
        k = next_content(lines, k + 1)
        # a third copy (an export of a title-only record)
        while k is not None and _same_title_key(lines[k].text) == key:
            idxs.append(k)
            k = next_content(lines, k + 1)
    title, number = strip_trailing_doc_number(t)
    date = None
    while k is not None:
        found = doc_number_line(lines[k].text)
        if found is None:
            break
        number = number or found.doc_number
        date = date or found.date
        idxs.append(k)
        k = next_content(lines, k + 1)
        if len(idxs) > 8:
            break
    if not twice and number is None and date is None:
        return None
    return TitleBlock(clean_title(title), idxs, number, date,
                      k if k is not None else len(lines))


# ---------------------------------------------------------------- title grammar


@dataclass
class TitleParse:
    """What a title line says. ``issuer_text`` is the head before 关于/印发/转发 (may hold
    several joint issuers); ``issued`` the titles of documents it issues (印发《X》和《Y》);
    ``forwarded`` the chain of forwarders, outermost first (X转发Y转发Z关于… → [X, Y]) with
    ``issuer_text`` then the innermost issuer; ``own`` the title with the forwarding removed."""

    issuer_text: str | None = None
    issued: list[str] = field(default_factory=list)
    forwarders: list[str] = field(default_factory=list)
    own: str | None = None
    notice: bool = False  # the title is a notice's (…的通知 / 通告 / 函)


def looks_like_organ(s: str) -> bool:
    s = s.strip()
    if not (2 <= len(s) <= 60) or re.search(r"[。，；：:《》“”\"]", s):
        return False
    s = _N_DEPTS.sub("", s)
    parts = [p for p in _JOINT_SPLIT.split(s) if p]
    return bool(parts) and all(p.endswith(ORGAN_END) for p in parts)


def _head_organ(t: str) -> tuple[str | None, str]:
    """Split ``X关于…`` / ``X印发…`` / ``X转发…`` into (X, rest) when X is an organ name."""
    m = re.match(rf"(?P<x>.+?)(?P<rest>{_ACTION}.*)$", t)
    if m and looks_like_organ(m.group("x")):
        return m.group("x").strip(), m.group("rest")
    return None, t


def parse_title(title: str | None) -> TitleParse:
    out = TitleParse()
    if not title:
        return out
    t = squeeze(title).text
    out.notice = bool(re.search(r"(?:通知|通告|公告|函)$", t))
    head, rest = _head_organ(t)
    # forwarding chains: X转发Y转发Z关于… / X关于转发《Y关于…》的通知
    chain: list[str] = []
    while True:
        m = re.match(r"(?:关于)?\s*(?:转发|批转|转批)\s*(?P<r>.+)$", rest)
        if not m:
            break
        if head:
            chain.append(head)
        inner = m.group("r")
        inner = re.sub(r"的?通知$", "", inner) if out.notice else inner
        q = re.fullmatch(r"[《〈<](?P<q>.+)[》〉>]", inner.strip())
        inner = q.group("q") if q else inner
        head, rest = _head_organ(inner)
        out.own = clean_title(inner)
        if head is None:
            break
    out.forwarders = chain
    out.issuer_text = head
    # issuing: 关于印发《X》和《Y》的通知, 关于印发X的通知, 印发关于X的通知
    m = re.match(rf"(?:关于)?\s*{_ISSUE_VERB}\s*(?P<r>.+?)的?(?:通知|通告|公告)$", rest)
    if m and not re.match(r"关于(?:做好|开展|加强|举办|组织|进一步|公布.*名单)", rest):
        quoted = re.findall(r"[《〈]([^《》〈〉]*(?:[《〈][^《》〈〉]*[》〉][^《》〈〉]*)*)[》〉]",
                            m.group("r"))
        if quoted:
            out.issued = [clean_title(q) for q in quoted]
        else:
            out.issued = [clean_title(m.group("r"))]
    elif head:  # X、Y印发《Z》: the headline of a release that carries the document
        m = re.fullmatch(rf"{_ISSUE_VERB}\s*《(?P<q>.+)》", rest)
        if m:
            out.issued = [clean_title(m.group("q"))]
    return out


def split_issuers(head: str | None) -> list[str]:
    """``中共中央办公厅、国务院办公厅`` → both; ``教育部 财政部`` → both; ``中共福建省委福建省人民政府``
    → 中共福建省委, 福建省人民政府; ``广西壮族自治区教育厅等六部门`` → [广西壮族自治区教育厅等六部门]
    (the others are named only in the signature)."""
    if not head:
        return []
    head = head.strip()
    if _N_DEPTS.search(head) and not re.search(r"[、，,\s]", head):
        return [head]
    parts = [p for p in _JOINT_SPLIT.split(head) if p]
    out: list[str] = []
    for p in parts:
        # 中共X委X人民政府: a new organ starts at 中共 or at a repeat of the leading place name
        pieces = re.split(r"(?<=[委府厅局部办])(?=中共)", p)
        for piece in pieces:
            m = re.match(r"^(?:中共)?(?P<place>[\u4e00-\u9fff]{2,9}?[省市县区])", piece)
            if m and len(piece) > len(m.group(0)) + 2:
                place = m.group("place")
                k = piece.find(place, m.end())
                if k > 0 and piece[:k].endswith(ORGAN_END):
                    out += [piece[:k], piece[k:]]
                    continue
            out.append(piece)
    return out
