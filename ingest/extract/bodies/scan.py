"""Mention scanning in running text: organisation names found by a suffix lexicon whose left
edge is found by scanning back to a stop word, kept only when the name is *named* (a region, a
level prefix, a national organ, a quoted or proper name, the plan's own body)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.extract.bodies.jurisdiction import (
    Jurisdiction,
)
from ingest.extract.bodies.lexicon import (
    _CONJ,
    _CONSTRUCT_RE,
    _ESTABLISH_RE,
    _GENERIC_RE,
    _LEVEL_CHARS,
    _LEVEL_PREFIX_RE,
    _NOT_LEVEL_RE,
    _NOT_NAMES,
    _PLAN_OWN_HEADS,
    _RIGHT_CONT,
    _ROLE_WORDS,
    _SCHOOL_NOT_NAME_RE,
    _SCHOOL_ROLE_RE,
    _SOURCE_AFTER_RE,
    _SOURCE_BEFORE_RE,
    _STOP_WORDS,
    _SUFFIX_RE,
    _ZONE_RE,
)
from ingest.extract.bodies.normalise import (
    _clean,
    _regularise,
    _township_prefix,
    kind_of,
    normalise_name,
)
from ingest.model import Document, Region


@dataclass
class Mention:
    """An organisation named in the text: as written (``raw``, the span ``start:end`` of
    Document.text), its normalised name and region, and its role where it is named."""

    raw: str
    name: str
    region: Region | None
    start: int
    end: int
    role: str
    source: str = "text"  # text, addressee, list, duty, table, subject
    kind: str | None = None  # when the lexicon knows it (departments.tsv); else from the name
    collective: bool = False
    key: str | None = None  # the department key when the name came from the lexicon


# --------------------------------------------------------------------------- scanning
_NATIONAL_ORGAN_RE = re.compile(r"^(?:教育部|文化部|财政部|国务院(?:办公厅)?|中共中央(?:办公厅)?|国家[\u4e00-\u9fff]{1,8}(?:部|局|委员会))$")

def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _name_char(ch: str) -> bool:
    return _is_cjk(ch) or (ch.isascii() and ch.isalnum()) or ch in "·-"


def _school_qualifier_ok(qualifier: str) -> bool:
    q = re.sub(r"(附属|附设|分校).*$", "", qualifier)
    return 2 <= len(q) <= 12 and not _GENERIC_RE.match(q) and not _SCHOOL_NOT_NAME_RE.search(q)


def _named(name: str, juris: Jurisdiction, suffix: str) -> str | None:
    """Why ``name`` names one organisation (region, level, national, quoted, proper, plan-own)
    or None when it is a generic noun or a phrase."""
    clean = _clean(name)
    if not clean or clean in _NOT_NAMES:
        return None
    kind = kind_of(_regularise(clean))
    school = kind in ("school", "university")
    body = clean[: len(clean) - len(suffix)] if suffix and clean.endswith(suffix) else clean
    anon = re.match(r"^(?:[xX]{1,3}|\*{2,3}|×{1,3}|某)(省|自治区|市|州|区|县)?", clean)
    if anon:
        rest = body[anon.end():]
        if school:
            return "region" if _school_qualifier_ok(rest) else None
        return "region" if len(clean) - anon.end() >= 2 and not _GENERIC_RE.match(rest or "各") else None
    if clean.startswith(("教育部", "国务院", "中共中央", "全国人大", "全国政协", "国家", "中办", "国办")):
        return "national"
    if _ZONE_RE.match(clean):
        return "region"
    stripped = re.sub(r"^(全|本|我)(?=[省市区县])", "", clean)
    lp = _LEVEL_PREFIX_RE.match(stripped)
    if lp and not _NOT_LEVEL_RE.match(stripped):
        rest = stripped[lp.end():]
        qual = rest[: len(rest) - len(suffix)] if suffix and rest.endswith(suffix) else rest
        if len(rest) < 2:
            return None
        if school:
            return "level" if _school_qualifier_ok(qual) else None
        if kind == "leading-group" or not qual or not _GENERIC_RE.match(qual):
            return "level"
        return None
    matches = juris.gazetteer.find(clean, within=juris.region if juris.usable else None)
    if matches and matches[0].start == 0 and len(clean) > matches[0].end:
        rest = body[matches[0].end:]
        short = matches[0].surface != matches[0].region.name
        if school and not (_school_qualifier_ok(rest) or "附属" in body and _school_qualifier_ok(body)
                           or kind == "university" and not rest or short and _school_qualifier_ok(body)):
            return None  # 温州市标杆学校
        if not school and rest and _GENERIC_RE.match(rest) and kind != "leading-group":
            return None
        return "region"
    if _township_prefix(clean):
        return "region"
    if suffix and re.search(r"“[^”]{2,}”$", name[: len(name) - len(suffix)]):
        return "quoted"
    if school:
        return "proper" if _school_qualifier_ok(body) else None
    if kind == "leading-group":
        return "plan-own"
    if clean.endswith(_PLAN_OWN_HEADS) and re.sub(r"^各", "", clean).startswith(_PLAN_OWN_HEADS + ("学科",)):
        return "plan-own"
    return None


def _left_edge(text: str, s: int, lo: int, prev_ends: set[int], juris: Jurisdiction,
               suffix_end: int, suffix: str) -> int:
    """Where the name ending at ``suffix_end`` begins."""
    i = s
    while i > lo and s - i < 30:
        ch = text[i - 1]
        if ch in "）)":
            j = max(text.rfind("（", max(lo, i - 14), i - 1), text.rfind("(", max(lo, i - 14), i - 1))
            if j > lo and text[j - 1] in "省市区县" and not re.search(r"[，。；：]", text[j:i]):
                i = j
                continue
            break
        if ch == "”":
            j = text.rfind("“", max(lo, i - 24), i - 1)
            if j != -1 and not re.search(r"[，。；]", text[j:i]):
                i = j
                continue
            break
        if not _name_char(ch):
            break
        if i in prev_ends and not text.startswith(("附属", "附设", "分校", "教育集团", "集团"), i):
            break  # another name ends here (舫山小学五大小学 is two things)
        word = next((w for w in _STOP_WORDS if text.endswith(w, lo, i)), None)
        if word is not None:
            if word in _CONJ and kind_of(suffix) not in ("school", "university") and \
                    _named(text[i:suffix_end], juris, suffix) is None:
                i -= 1  # 发展和改革局, 特殊教育资源与指导中心: the conjunction is inside
                continue
            break
        i -= 1
    return i


def _trim_left(text: str, start: int, end: int, juris: Jurisdiction, suffix: str) -> int | None:
    """Move the start right to where a name begins inside the scanned span — a region name, a
    level prefix, a quote, a national organ — when the span as a whole is not a name."""
    span = text[start:end - len(suffix)]
    starts: set[int] = set()
    for m in juris.gazetteer.find(span, within=juris.region if juris.usable else None):
        starts.add(start + m.start)
    for m in re.finditer(r"(?<![省市区县])[省市区县各]|“|教育部|国务院|(?:[xX]{1,3}|\*{2,3})[省市区县]", span):
        starts.add(start + m.start())
    for j in sorted(starts):
        if j > start and _named(text[j:end], juris, suffix):
            return j
    return None


def _sentence(text: str, pos: int, lo: int, hi: int) -> tuple[int, int]:
    left = max([text.rfind(ch, lo, pos) for ch in "。；;！？\n"] + [lo - 1]) + 1
    rights = [j for j in (text.find(ch, pos, hi) for ch in "。；;！？\n") if j != -1]
    return left, (min(rights) if rights else hi)


def _segment_before(text: str, pos: int, lo: int) -> str:
    left = max([text.rfind(ch, lo, pos) for ch in "，,。；;：:\n"] + [lo - 1]) + 1
    return text[left:pos]


def _excluded_context(text: str, start: int, end: int, lo: int, hi: int, kind: str) -> bool:
    before = text[max(lo, start - 40):start]
    after = text[end:min(hi, end + 40)]
    # issues a cited document: 中办、国办《…》, xx省教育厅等三部门印发的《…》
    if re.match(r"^(?:、[\u4e00-\u9fff]{2,4})*《", after):
        return True
    if re.match(r"^(等[\u4e00-\u9fff]{0,4}部门)?(?:联合)?(?:印发|制定|发布|颁布|出台|修订)", after):
        return True
    # whose requirements are followed: 按照教育部…要求, 落实市委、市政府…要求
    if _SOURCE_BEFORE_RE.search(_segment_before(text, start, lo)) and _SOURCE_AFTER_RE.match(after):
        return True
    # evaluated: 对县区政府年度评价, 对区（市）政府履行教育职责的评价
    if re.search(r"对$", before) and kind != "school":
        return True
    # qualifies a platform: 教育部 “一师一优课、一课一名师”平台
    return bool(re.match(r"^\s*(“[^”]{1,20}”)?\s*(平台|网站|云平台|资源库|公众号)", after))


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"《[^》]*》", text)]


def _zones(doc: Document) -> list[tuple[int, int]]:
    """The spans read for running-text mentions: the issuing notice from its addressee line on
    and the plan, without the 抄送/印发 lines and attachments."""
    text = doc.text
    start = doc.body_start
    if doc.addressees:
        pos = text.rfind(doc.addressees, 0, doc.body_start or len(text))
        if pos != -1:
            start = min(start, pos + len(doc.addressees))
    cuts: list[tuple[int, int]] = []
    for line in (doc.cc, doc.printed):
        if line:
            pos = text.rfind(line[:12])
            if pos != -1:
                cuts.append((text.rfind("\n", 0, pos) + 1, len(text) if line is doc.cc else pos + len(line)))
    for m in re.finditer(r"^\s*抄送[：:]", text, re.MULTILINE):
        cuts.append((m.start(), len(text)))
    for m in re.finditer(r"^[^\n]*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*印发[^\n]*$", text, re.MULTILINE):
        begin = m.start()
        if re.match(r"^\s*\d{4}", m.group(0)):  # the printing office stands on the line above
            prev = re.search(r"[^\n]+\n\s*$", text[:begin])
            begin = prev.start() if prev else begin
        cuts.append((begin, m.end()))
    for a in doc.attachments:
        cuts.append((a.start, a.end))
    zones = [(start, len(text))]
    for a, b in sorted(cuts):
        nxt = []
        for s, e in zones:
            if b <= s or a >= e:
                nxt.append((s, e))
                continue
            if s < a:
                nxt.append((s, a))
            if b < e:
                nxt.append((b, e))
        zones = nxt
    return [z for z in zones if z[1] > z[0]]


def _role(text: str, start: int, end: int, lo: int, hi: int) -> str:
    """lead (…牵头), responsible (由…, …负责), participant (…配合/参与/协助, or only named):
    read from the words after the body up to the end of its phrase (a list of bodies shares
    them: 市财政局、市人社局配合), and 由 just before it."""
    stop = min([j for j in (text.find(ch, end, hi) for ch in "，,。；;：:\n") if j != -1] + [hi])
    after = text[end:stop]
    after = re.split(r"[由让请]", after)[0]  # 由市教育局牵头 … the next body's 由 is not ours
    for word, role in _ROLE_WORDS:
        if word in after:
            return role
    if re.search(r"由(?:[^，。；]{0,3}、)*$", text[max(lo, start - 12):start]) or text[max(lo, start - 1):start] == "由":
        return "responsible"
    return "participant"


def text_mentions(text: str, lo: int, hi: int, juris: Jurisdiction) -> list[Mention]:
    """Organisation mentions in ``text[lo:hi]`` (running text and abbreviated schools)."""
    quoted = _quoted_spans(text[lo:hi])
    quoted = [(a + lo, b + lo) for a, b in quoted]
    cands: list[tuple[int, int, str]] = []
    for m in _SUFFIX_RE.finditer(text, lo, hi):
        suffix, s, e = m.group(0), m.start(), m.end()
        cont = _RIGHT_CONT.get(suffix, "")
        if e < hi and text[e] in cont and not text.startswith(("组成", "组建", "组织"), e):
            continue
        if any(a <= s < b for a, b in quoted):
            continue
        cands.append((s, e, suffix))
    out: list[Mention] = []
    taken: list[tuple[int, int]] = []
    # longest names first so that 温州大学附属茶山实验中学 is read before 温州大学 inside it
    spans: list[tuple[int, int, str]] = []
    barriers: set[int] = set()
    for s, e, suffix in cands:
        start = _left_edge(text, s, lo, barriers, juris, e, suffix)
        spans.append((start, e, suffix))
        if kind_of(suffix) in ("school", "university") and _named(text[start:e], juris, suffix):
            barriers.add(e)
    for start, e, suffix in sorted(spans, key=lambda t: (-(t[1] - t[0]), t[0])):
        why = _named(text[start:e], juris, suffix)
        if why is None and _set_up_here(text, start, e, lo, suffix):
            why = "plan-own"  # 成立教学成果培育与指导工作委员会: the plan's own new body
        if why is None:
            trimmed = _trim_left(text, start, e, juris, suffix)
            if trimmed is None:
                continue
            start = trimmed
            why = _named(text[start:e], juris, suffix)
        if any(a < e and start < b for a, b in taken):
            continue
        raw = text[start:e]
        name, region = normalise_name(raw, juris)
        kind = kind_of(name)
        if _excluded_context(text, start, e, lo, hi, kind):
            continue
        if why == "national" and _NATIONAL_ORGAN_RE.match(name) and \
                _role(text, start, e, lo, hi) == "participant" and not juris.region_is_country():
            continue  # 教育部印发的…, 借助教育部实施…: a ministry in a local plan is a source, not a duty
        if kind == "school":
            s0, s1 = _sentence(text, start, lo, hi)
            seg = _segment_before(text, start, lo)
            if not _SCHOOL_ROLE_RE.search(text[s0:s1]) or _CONSTRUCT_RE.search(seg):
                continue
        if kind == "leading-group" and (len(_clean(raw)) - len(suffix) < 2 or why not in ("level", "region", "quoted")
                                        and not _ESTABLISH_RE.search(text[max(lo, start - 60):start])):
            continue  # 领导小组 named but not set up by this plan: a generic noun
        if why == "plan-own" and kind == "leading-group" and _establisher_is_school(text, start, lo):
            continue
        if why == "plan-own" and region is None and juris.usable:
            name, region = juris.plan_prefix() + name, juris.region  # the plan's own new body
        if kind == "school" and why == "proper":
            # 双十中学、科技中学等市直属校: the list says whose schools they are
            whose = re.match(r"^(?:、[^、，。；]{1,12})*等([省市区县])(?:直属|属)", text[e:min(hi, e + 60)])
            if whose:
                name, region = normalise_name(whose.group(1) + _clean(raw), juris)
        taken.append((start, e))
        out.append(Mention(raw, name, region, start, e, _role(text, start, e, lo, hi)))
    out.extend(_abbreviated_schools(text, lo, hi, juris, taken))
    return out


def _set_up_here(text: str, start: int, end: int, lo: int, suffix: str) -> bool:
    qualifier = _clean(text[start:end])[: -len(suffix)]
    return (suffix in ("委员会", "工作委员会", "中心", "领导小组", "工作小组", "工作专班")
            and len(qualifier) >= 4 and not _GENERIC_RE.match(qualifier)
            and not re.search(r"家长|家委|班级|学生|校", qualifier)
            and bool(_ESTABLISH_RE.search(text[max(lo, start - 60):start]))
            and not _establisher_is_school(text, start, lo))


def _establisher_is_school(text: str, start: int, lo: int) -> bool:
    return bool(re.search(r"(学校|各校|校)[^，。；]{0,4}(成立|组建|设立|建立)$", text[max(lo, start - 12):start]))


def _abbreviated_schools(text: str, lo: int, hi: int, juris: Jurisdiction,
                         taken: list[tuple[int, int]]) -> list[Mention]:
    """温州二外, 一实小 in a sentence that gives schools a role."""
    out: list[Mention] = []
    for m in re.finditer(r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff]{0,3}?)([一二三四五六七八九十]{1,2})(实小|外|中|小)"
                         r"(?=[与和、，。；及等]|$)", text[lo:hi]):
        s, e = lo + m.start(), lo + m.end()
        head = m.group(1)
        within = juris.region if juris.usable else None
        if head and not (head in _LEVEL_CHARS or juris.gazetteer.resolve(head, within=within)):
            continue  # the head must be a region (温州二外) or a level (区一实小); 梧田一中 is left
        if any(a < e and s < b for a, b in taken):
            continue
        s0, s1 = _sentence(text, s, lo, hi)
        if not _SCHOOL_ROLE_RE.search(text[s0:s1]) or _CONSTRUCT_RE.search(_segment_before(text, s, lo)):
            continue
        name, region = normalise_name(text[s:e], juris)
        if name == text[s:e]:
            continue
        taken.append((s, e))
        out.append(Mention(text[s:e], name, region, s, e, _role(text, s, e, lo, hi), "abbreviation"))
    return out


